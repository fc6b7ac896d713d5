#!/usr/bin/env bash
# labs.sh — the shipped labs pass, build what they say in the kernel, run no
# idle process, and leave nothing behind (issue 2, items 2-3, 9, 11).
. "$(dirname "$0")/../lib.sh"
need_root
before=$(host_links)

for l in veth router linear; do
        name=t$l$$
        f=$(copylab labs/$l.lua $name)
        out=$("$NETLAB" run "$f" 2>&1)
        rc=$?
        if [ $rc -eq 0 ] && grep -qE "^[1-9][0-9]* passed, 0 failed$" <<<"$out"; then
                pass "labs/$l.lua: $(tail -1 <<<"$out")"
        else
                fail "labs/$l.lua (rc=$rc):"
                echo "$out" | sed 's/^/    /'
        fi
        expect "labs/$l.lua: nothing left" nothing_left $name
done

# Kernel state of a kept lab.
name=trk$$
f=$(copylab labs/router.lua $name)
"$NETLAB" run "$f" --keep >/dev/null 2>&1
expect "router lab with --keep passes" [ $? -eq 0 ]
expect "its namespaces are visible to ip netns" \
        bash -c "ip netns list 2>/dev/null | grep -q '^$name.h1' && ip netns list | grep -q '^$name.r1'"
line=$(ip -n $name.h1 -br addr show eth0 2>/dev/null)
expect "h1:eth0 is up with 10.0.1.10/24 ($line)" grep -qE "^eth0@if[0-9]+ +UP +10\.0\.1\.10/24" <<<"$line"
mac=$(ip -n $name.h1 -br link show eth0 2>/dev/null | awk '{print $3}')
expect "h1:eth0 has a locally administered MAC ($mac)" grep -qE "^02:" <<<"$mac"
expect "the default route of h1 goes via 10.0.1.1" \
        bash -c "ip -n $name.h1 route show default | grep -q 'via 10.0.1.1 dev eth0'"
expect "r1 has both subnets" bash -c "ip -n $name.r1 -br addr | grep -q 10.0.1.1/24 &&
        ip -n $name.r1 -br addr | grep -q 10.0.2.1/24"
expect "r1 forwards" [ "$(ip netns exec $name.r1 cat /proc/sys/net/ipv4/ip_forward)" = 1 ]
expect "each node's hostname is its name (UTS namespace)" \
        [ "$(nsenter --net=/run/netns/$name.h2 --uts=/run/netlab/$name/uts/h2 hostname)" = h2 ]
procs=0
for ns in h1 h2 r1; do procs=$((procs + $(ip netns pids $name.$ns | wc -l))); done
expect "an idle lab runs no process (found $procs)" [ $procs -eq 0 ]
expect "no interface appeared in the host's namespace" [ "$(host_links)" = "$before" ]
expect "the journal records the namespaces" \
        bash -c "grep -c '^netns /run/netns/$name' /run/netlab/$name/journal | grep -qx 3"
"$NETLAB" clean $name
expect "netlab clean removes it all" nothing_left $name
out=$("$NETLAB" clean $name 2>&1)
rc=$?
# Idempotent in effect; and a lab that is not there is said, with a failure
# status (issue 9 §3), so a typo in a name is never a silent success.
expect "netlab clean a second time changes nothing and says there is no such lab ($rc): $out" \
        bash -c "[ $rc -eq 1 ] && grep -q 'no lab \"$name\"' <<<'$out'"
expect "and nothing is left" nothing_left $name

# MACs are the same when a lab is rebuilt.
name=trm$$
f=$(copylab labs/veth.lua $name)
"$NETLAB" run "$f" --keep >/dev/null 2>&1
m1=$(ip -n $name.ns1 -br link show eth0 2>/dev/null | awk '{print $3}')
"$NETLAB" clean $name
"$NETLAB" run "$f" --keep >/dev/null 2>&1
m2=$(ip -n $name.ns1 -br link show eth0 2>/dev/null | awk '{print $3}')
"$NETLAB" clean $name
expect "rebuilding gives the same MACs ($m1 = $m2)" [ -n "$m1" -a "$m1" = "$m2" ]

# A linear lab's switch ports are bridge ports of the switch's bridge.
name=trl$$
f=$(copylab labs/linear.lua $name)
"$NETLAB" run "$f" --keep >/dev/null 2>&1
expect "s1:p1 is a port of bridge s1 in s1's namespace" \
        bash -c "ip -n $name.s1 -d link show p1 | grep -q 'master s1'"
expect "s1's bridge does not run STP" \
        bash -c "ip -n $name.s1 -d link show s1 | grep -q 'stp_state 0'"
"$NETLAB" clean $name
expect "clean: nothing left" nothing_left $name
expect "the host's links are as before" [ "$(host_links)" = "$before" ]
finish
