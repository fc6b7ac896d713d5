#!/usr/bin/env bash
# natbox.sh — the inside of nat.sh's sandbox (run by nat.sh through unshare
# --net --mount): this namespace plays the machine, with a fake internet
# beside it; netlab runs here and must leave it exactly as it found it.
set -u
NETLAB=$1 TMP=$2 n=$3
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "ok: $*"; }
expect() { local w=$1; shift; if "$@"; then pass "$w"; else fail "$w"; fi; }

# This mount namespace's own /run/netns, /run/netlab and /etc/netns.
mount --make-rprivate /
for d in /run/netns /run/netlab; do mkdir -p $d && mount -t tmpfs -o mode=0700 tmpfs $d; done
mount -t tmpfs tmpfs /etc/netns 2>/dev/null || true
ip link set lo up

# The fake internet: a namespace held by a sleep, 198.51.100.1 (and a
# "server", 203.0.113.1), reached through veth vi0 as the default route.
unshare -n sleep 600 &
INET=$!
sleep 0.3
ip link add vi0 type veth peer name vo0 netns /proc/$INET/ns/net
ip addr add 198.51.100.2/24 dev vi0
ip link set vi0 up
nsenter -t $INET -n sh -c 'ip link set lo up; ip link set vo0 up; ip addr add 198.51.100.1/24 dev vo0; ip addr add 203.0.113.1/32 dev lo; ip route add default via 198.51.100.2'
ip route add default via 198.51.100.1
echo 0 >/proc/sys/net/ipv4/ip_forward

state() { # what netlab may touch here: links, nft ruleset, forwarding
        ip -br link | awk '{print $1}' | sort
        nft list ruleset 2>/dev/null
        cat /proc/sys/net/ipv4/ip_forward
}
state >"$TMP/before"

cat >"$TMP/nat.lua" <<LUA
local lab = netlab.lab(os.getenv("LABN"))
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
local s1 = lab:switch("s1")
local nat = lab:nat("nat0")
lab:link(h1, s1)
lab:link(h2, s1)
lab:link(nat, s1, { ip = { "10.0.0.254/24" } })
experiment("out", function()
  check(h1:ping("203.0.113.1"), "h1 reaches the internet through nat0")
  check(h2:ping("198.51.100.1"), "h2 too")
end)
LUA

LABN=ta$n "$NETLAB" run --keep "$TMP/nat.lua" >"$TMP/run" 2>&1
expect "a lab with lab:nat reaches the fake internet" grep -q "^2 passed, 0 failed" "$TMP/run" || cat "$TMP/run"
expect "the hosts got nat0 as their gateway" sh -c "ip netns exec ta$n.h1 ip route | grep -q '^default via 10.0.0.254'"
nsenter -t $INET -n timeout 5 tcpdump -c1 -nn -i vo0 icmp >"$TMP/dump" 2>/dev/null &
td=$!
sleep 0.5
ip netns exec ta$n.h1 ping -c1 -W2 203.0.113.1 >/dev/null
wait $td
expect "the internet sees the machine's address, not the lab's" grep -q "IP 198.51.100.2 > 203.0.113.1: ICMP echo request" "$TMP/dump"
expect "the host side is the lab's: a veth with its alias" sh -c "ip -d link | grep -q 'alias netlab:ta$n:nl'"
expect "an nft table named after the lab" sh -c "nft list tables | grep -q 'table ip netlab_ta$n'"
expect "forwarding is on while the lab runs" test "$(cat /proc/sys/net/ipv4/ip_forward)" = 1
"$NETLAB" ls | grep -q "^ta$n " || fail "netlab ls does not show the lab"
expect "netlab ls says what the lab changed on the machine" sh -c "'$NETLAB' ls | grep -q 'changed on this machine: link nl[0-9a-f]*, sysctl net/ipv4/ip_forward, nft table netlab_ta$n'"

# A second lab with its own NAT; taking the first down keeps forwarding.
LABN=tb$n "$NETLAB" run --keep "$TMP/nat.lua" >"$TMP/run2" 2>&1
expect "a second NAT lab beside it works" grep -q "^2 passed, 0 failed" "$TMP/run2" || cat "$TMP/run2"
"$NETLAB" down ta$n >"$TMP/down" 2>&1
expect "down of the first says forwarding stays for the other" grep -q "left as it is: lab \"tb$n\" uses it too" "$TMP/down" || cat "$TMP/down"
expect "forwarding stays on for the second lab" test "$(cat /proc/sys/net/ipv4/ip_forward)" = 1
expect "the second lab still reaches the internet" ip netns exec tb$n.h1 ping -c1 -W2 203.0.113.1 >/dev/null

# kill -9 of a NAT lab's netlab, then clean: back to the first state.
sed 's/^experiment("out".*/experiment("hold", function() netlab.sleep(60) end)\nexperiment("out", function()/' "$TMP/nat.lua" >"$TMP/hold.lua"
LABN=tc$n "$NETLAB" run "$TMP/hold.lua" >/dev/null 2>&1 &
pid=$!
for i in $(seq 100); do ip -br link | grep -q '^nl' && nft list tables 2>/dev/null | grep -q "netlab_tc$n" && break; sleep 0.1; done
kill -9 $pid
wait $pid 2>/dev/null
"$NETLAB" down tb$n >/dev/null 2>&1
"$NETLAB" clean tc$n >"$TMP/clean" 2>&1 || fail "clean after kill -9: $(cat "$TMP/clean")"
state >"$TMP/after"
expect "after kill -9 and clean, the machine is as it was (links, nft, forwarding)" diff -u "$TMP/before" "$TMP/after"

# Uplinks: a fake LAN behind two interfaces of the sandbox (lan0, lan1),
# each a veth to a namespace of its own holding 192.0.2.1 / 192.0.2.2.
unshare -n sleep 600 &
LANP=$!
unshare -n sleep 600 &
LANQ=$!
sleep 0.3
ip link add lan0 type veth peer name l0 netns /proc/$LANP/ns/net
ip link add lan1 type veth peer name l1 netns /proc/$LANQ/ns/net
ip link set lan0 up
ip link set lan1 up
nsenter -t $LANP -n sh -c 'ip link set lo up; ip link set l0 up; ip addr add 192.0.2.1/24 dev l0'
nsenter -t $LANQ -n sh -c 'ip link set lo up; ip link set l1 up; ip addr add 192.0.2.2/24 dev l1'
state >"$TMP/before_up"
cat >"$TMP/up.lua" <<LUA
local lab = netlab.lab("tu$n")
local h1 = lab:host("h1")
local s1 = lab:switch("s1")
local h2 = lab:host("h2", { ip = "192.0.2.20/24" })
lab:link(h2, s1)
lab:uplink(h1, { host_if = "lan0", mode = "macvlan", ip = "192.0.2.10/24" })
lab:uplink(s1, { host_if = "lan1", mode = "bridge" })
experiment("lan", function()
  check(h1:ping("192.0.2.1"), "h1 reaches the LAN through a macvlan of lan0")
  check(h2:ping("192.0.2.2"), "h2 reaches the LAN through s1, bridged to lan1")
end)
LUA
"$NETLAB" run --keep "$TMP/up.lua" >"$TMP/uprun" 2>&1
if grep -q "^2 passed, 0 failed" "$TMP/uprun"; then pass "lab:uplink: macvlan on a host, bridge on a switch"; else
        fail "lab:uplink: macvlan on a host, bridge on a switch"; cat "$TMP/uprun"; fi
expect "bridge mode: lan1 is in a bridge of the lab's, with the lab's alias" sh -c "ip -d link show lan1 | grep -q 'master nb' && ip -d link | grep -q 'alias netlab:tu$n:nb'"
expect "macvlan mode made nothing in the machine's namespace" sh -c "! ip -br link | grep -q '@lan0'"
"$NETLAB" down tu$n >/dev/null 2>&1
state >"$TMP/after_up"
expect "after down, lan0 and lan1 are as they were, nothing of the lab's left" diff -u "$TMP/before_up" "$TMP/after_up"
# kill -9 of a lab with a bridge-mode uplink, then clean: lan1 released,
# the lab's bridge and veth gone.
sed -e "s/netlab.lab(\"tu$n\")/netlab.lab(\"tw$n\")/" -e 's/^experiment("lan".*/experiment("hold", function() netlab.sleep(60) end)\nexperiment("lan", function()/' "$TMP/up.lua" >"$TMP/uphold.lua"
"$NETLAB" run "$TMP/uphold.lua" >/dev/null 2>&1 &
pid=$!
for i in $(seq 100); do ip -d link show lan1 2>/dev/null | grep -q "master nb" && break; sleep 0.1; done
kill -9 $pid
wait $pid 2>/dev/null
"$NETLAB" clean tw$n >/dev/null 2>&1 || fail "clean after kill -9 of an uplink lab"
state >"$TMP/after_up9"
expect "after kill -9 and clean of an uplink lab, lan0 and lan1 are as they were" diff -u "$TMP/before_up" "$TMP/after_up9"
cat >"$TMP/upbad.lua" <<LUA
local lab = netlab.lab("tv$n")
local s1 = lab:switch("s1")
lab:uplink(s1, { host_if = os.getenv("IF"), mode = os.getenv("MODE") })
LUA
IF=vi0 MODE=bridge "$NETLAB" run "$TMP/upbad.lua" >"$TMP/upbad" 2>&1
expect "bridge mode on the default route's interface is refused at the line" grep -q "upbad.lua:3: .*\"vi0\" carries the machine's default route" "$TMP/upbad" || cat "$TMP/upbad"
IF=nosuch0 MODE=macvlan "$NETLAB" run "$TMP/upbad.lua" >"$TMP/upbad2" 2>&1
expect "an interface the machine lacks is named" grep -q "upbad.lua:3: .*the machine has no interface \"nosuch0\"" "$TMP/upbad2" || cat "$TMP/upbad2"
IF=lan0 MODE=tunnel "$NETLAB" run "$TMP/upbad.lua" >"$TMP/upbad3" 2>&1
expect "an unknown mode is named" grep -q "mode \"tunnel\" is not macvlan or bridge" "$TMP/upbad3" || cat "$TMP/upbad3"
state >"$TMP/after_bad"
expect "and the refusals leave nothing" diff -u "$TMP/before_up" "$TMP/after_bad"
kill $LANP $LANQ
ip link del lan0 2>/dev/null
ip link del lan1 2>/dev/null

# No default route: a clear refusal, nothing left.
ip route del default
LABN=td$n "$NETLAB" run "$TMP/nat.lua" >"$TMP/noroute" 2>&1
expect "without a default route, lab:nat says so" grep -q "the host has no default route" "$TMP/noroute" || cat "$TMP/noroute"
state >"$TMP/after2"
expect "and leaves nothing" diff -u "$TMP/before" "$TMP/after2"
kill $INET
[ $fails -eq 0 ] && { echo "all passed"; exit 0; }
echo "$fails failed"
exit 1
