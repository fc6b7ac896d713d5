#!/usr/bin/env bash
# netlab ns: every namespace of the machine is found from the kernel's facts,
# named or not, with its processes and veth peers — made here the way the
# seeds make them (unshare, a veth between two unnamed namespaces, one held
# by a descriptor alone), plus a netlab lab. identify, pids, enter, JSON.
. "$(dirname "$0")/../lib.sh"
need_root

pids=()
cleanup_ns() {
        for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
        ip netns del "xns$$" 2>/dev/null
        for k in 1 2; do ip netns del "xp$k$$" 2>/dev/null; ip netns del "xq$k$$" 2>/dev/null; done
        cleanup
}
trap cleanup_ns EXIT

# Two unnamed namespaces, each held by a sleep, with a veth between them.
unshare -n sleep 300 &
A=$!
pids+=($A)
unshare -n sleep 301 &
B=$!
pids+=($B)
wait_for "[ \$(readlink /proc/$A/ns/net) != \$(readlink /proc/self/ns/net) ] && [ \$(readlink /proc/$B/ns/net) != \$(readlink /proc/self/ns/net) ]" 5
ip link add xa$$ netns /proc/$A/ns/net type veth peer name xb$$ netns /proc/$B/ns/net
nsenter -t $A -n ip addr add 10.77.0.1/24 dev xa$$
nsenter -t $A -n ip link set xa$$ up
nsenter -t $B -n ip link set xb$$ up
ino_a=$(stat -L -c %i /proc/$A/ns/net)
ino_b=$(stat -L -c %i /proc/$B/ns/net)

# A third namespace held only by a descriptor: its process exits, a sleep
# outside keeps fd 9 on it.
unshare -n sleep 302 &
C=$!
pids+=($C)
wait_for "[ \$(readlink /proc/$C/ns/net) != \$(readlink /proc/self/ns/net) ]" 5
ino_c=$(stat -L -c %i /proc/$C/ns/net)
bash -c "exec 9</proc/$C/ns/net; exec sleep 303" &
H=$!
pids+=($H)
wait_for "ls -l /proc/$H/fd/9 2>/dev/null | grep -q net:" 5
kill $C

# A named one (ip netns add) with a veth to A.
ip netns add "xns$$"
ip link add xn$$ netns "xns$$" type veth peer name xc$$ netns /proc/$A/ns/net

# Two pairs alike in index and MAC (a veth's peer is found by both, nsscan.c):
# each end still names the namespace of its own pair.
for k in 1 2; do
        ip netns add "xp$k$$" && ip netns add "xq$k$$" &&
                ip link add yd$$ netns "xp$k$$" address 02:00:00:77:00:01 type veth peer name \
                        ye$$ netns "xq$k$$" address 02:00:00:77:00:02 || fail "pair $k"
done
ino_q1=$(stat -L -c %i /run/netns/xq1$$)
ino_q2=$(stat -L -c %i /run/netns/xq2$$)
ino_p2=$(stat -L -c %i /run/netns/xp2$$)

lab=$(mklab "tns$$" <<'EOF'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2)
EOF
)
"$NETLAB" run --keep "$lab" >"$TMP/run.out" 2>&1 || { cat "$TMP/run.out"; fail "lab builds"; }

"$NETLAB" ns --json >"$TMP/ns.json" || fail "netlab ns --json exits 0"
py() { python3 - "$TMP/ns.json" "$@"; }
expect "the JSON parses" py <<'EOF'
import json, sys
json.load(open(sys.argv[1]))
EOF
check_json() { # check_json DESCRIPTION PYTHON-EXPRESSION (ns = list, by = ino -> entry)
        local what=$1 expr=$2
        if python3 -c "
import json, sys
ns = json.load(open('$TMP/ns.json'))
by = {e['ns']: e for e in ns}
sys.exit(0 if ($expr) else 1)
"; then pass "$what"; else fail "$what"; fi
}
check_json "the unnamed namespace of pid $A is found with its process" \
        "any(p['pid'] == $A and 'sleep 300' in p['command'] for p in by[$ino_a]['processes'])"
check_json "its veth names the peer in the other unnamed namespace" \
        "any(i['name'] == 'xa$$' and i['peer'] == {'ns': $ino_b, 'name': 'xb$$'} for i in by[$ino_a]['interfaces'])"
check_json "and the address on it" \
        "any(i['name'] == 'xa$$' and '10.77.0.1/24' in i['addresses'] for i in by[$ino_a]['interfaces'])"
check_json "the peer side names it back" \
        "any(i['name'] == 'xb$$' and i['peer'] == {'ns': $ino_a, 'name': 'xa$$'} for i in by[$ino_b]['interfaces'])"
check_json "a namespace held only by a descriptor is found, with its holder" \
        "$ino_c in by and by[$ino_c]['processes'] == [] and by[$ino_c]['held_by'].startswith('pid $H fd 9')"
check_json "a named namespace has its /run/netns name and its peer in pid $A's" \
        "any(n == '/run/netns/xns$$' for e in ns for n in e['names'] if any(i['name'] == 'xn$$' and i['peer'] == {'ns': $ino_a, 'name': 'xc$$'} for i in e['interfaces']))"
check_json "the lab's nodes carry their lab and node" \
        "any(e['lab'] == 'tns$$' and e['node'] == 'h1' and '/run/netns/tns$$.h1' in e['names'] for e in ns)"
check_json "the lab's veth peer is found by name" \
        "any(e['node'] == 'h1' and e['lab'] == 'tns$$' and any(i['name'] == 'eth0' and i['peer'] and i['peer']['name'] == 'eth0' for i in e['interfaces']) for e in ns)"
check_json "the host is marked once" "sum(1 for e in ns if e['host']) == 1"
check_json "of two veth pairs alike in index and MAC, each end names its own peer's namespace" \
        "any(i['name'] == 'yd$$' and i['peer'] == {'ns': $ino_q1, 'name': 'ye$$'} for e in ns if '/run/netns/xp1$$' in e['names'] for i in e['interfaces']) and any(i['name'] == 'yd$$' and i['peer'] == {'ns': $ino_q2, 'name': 'ye$$'} for e in ns if '/run/netns/xp2$$' in e['names'] for i in e['interfaces']) and any(i['name'] == 'ye$$' and i['peer'] == {'ns': $ino_p2, 'name': 'yd$$'} for i in by[$ino_q2]['interfaces'])"

# Table and tree.
"$NETLAB" ns >"$TMP/table" || fail "netlab ns exits 0"
expect "the table lists the unnamed namespace with its command" grep -qE "^$ino_a +- +1 +$A +root +[0-9]+ +sleep 300" "$TMP/table"
expect "the table lists the lab's node" grep -qE "tns$$\.h1 .*lab tns$$ node h1" "$TMP/table"
"$NETLAB" ns --tree >"$TMP/tree" || fail "netlab ns --tree exits 0"
expect "the tree shows the veth and its peer" grep -qE "xa$$ +veth +UP +10\.77\.0\.1/24 .*peer: xb$$ in sleep 301 \(pid $B\)" "$TMP/tree"

# identify, pids, enter.
expect "identify PID gives the inode" sh -c "'$NETLAB' ns identify $A | grep -qx '$ino_a sleep 300 (pid $A)'"
expect "identify of a lab's process names the node" sh -c "ip netns exec tns$$.h2 sleep 5 & sleep 0.3; '$NETLAB' ns identify \$! | grep -q ' tns$$.h2\$'"
expect "pids NS lists the process" sh -c "'$NETLAB' ns pids $ino_a | grep -qx $A"
expect "enter PID runs a command inside" sh -c "'$NETLAB' ns enter $A ip -br addr | grep -q '10.77.0.1/24'"
expect "enter a lab node by its name gets its hostname" sh -c "[ \"\$('$NETLAB' ns enter tns$$.h1 hostname)\" = h1 ]"
expect "enter passes the exit status through" sh -c "'$NETLAB' ns enter xns$$ sh -c 'exit 7'; [ \$? -eq 7 ]"

# Bad input: a clear message, exit non-zero.
out=$("$NETLAB" ns enter nosuch$$ true 2>&1)
rc=$?
expect "an unknown namespace is refused by name" sh -c "[ $rc -ne 0 ] && echo '$out' | grep -q 'No network namespace \"nosuch$$\"'"
out=$("$NETLAB" ns identify 2147483000 2>&1)
rc=$?
expect "an absent PID is refused" sh -c "[ $rc -ne 0 ] && echo '$out' | grep -q 'no process 2147483000'"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$NETLAB" ns 2>&1)
rc=$?
expect "without root, it says so" sh -c "[ $rc -ne 0 ] && echo '$out' | grep -q 'needs root'"

"$NETLAB" clean "tns$$" >/dev/null 2>&1
finish
