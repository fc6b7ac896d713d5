#!/usr/bin/env bash
# ui_live.sh — changing the running lab from the console (issue 13 §3, §4,
# §8): add host/link appear on the graph, in the inspector and in the
# kernel at once; bad edits (a duplicate name, an address in use, removing
# a node while an experiment runs, save over a file) are refused with the
# lab intact; save FILE.lua writes the lab with its edits and experiments,
# and that file builds and passes under another name; del node takes the
# node off the graph and out of the kernel; nothing is left.
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local topo = require("netlab.topo")
local lab = netlab.lab("$LAB")
topo.linear(lab, 2)
experiment("reach", function()
  check(lab:node("h1"):ping(lab:node("h2")), "h1 reaches h2")
end)
experiment("slow", function()
  netlab.sleep(30)
end)
LUA
start 200 60
wait_for " 4 nodes, 3 links"
cmd "add host h3 ip=10.0.0.3/8"
wait_for "host h3 added \(10\.0\.0\.3/8 on its first link\)"
wait_for '\[h3\]'
wait_for " 5 nodes, 3 links"
ip netns list | grep -q "^$LAB\.h3" || fail "add host made no namespace"
grep -q "netns /run/netns/$LAB.h3" "/run/netlab/$LAB/journal" || fail "h3's namespace is not journaled"
cmd "add link h3 s1 bw=10M"
wait_for "link h3:eth0 <-> s1:p3 added"
wait_for " 5 nodes, 4 links"
ip -n "$LAB.h3" -br addr | grep -q '10\.0\.0\.3/8' || fail "h3:eth0 has no 10.0.0.3/8: $(ip -n $LAB.h3 -br addr)"
tc -n "$LAB.h3" qdisc show | grep -q 'rate 10Mbit' || fail "no tbf on h3:eth0"
cmd "h3 ping -c1 -W2 h1"
wait_for 'h3\$ ping -c1 -W2 10\.0\.0\.1: exit 0' 20
# A link's parameters, live from the console: shown, set as `KEY VALUE`, cleared.
cmd "link h3 s1 show"
wait_for 'link h3-s1: bw 10Mbit'
cmd "link h3 s1 set bw 20M"
wait_for 'link h3-s1: bw 20Mbit'
tc -n "$LAB.h3" qdisc show | grep -q 'rate 20Mbit' || fail "link set bw 20M: $(tc -n $LAB.h3 qdisc show)"
cmd "link h3 s1 set bw"
wait_for 'set link: "bw" is not KEY=VALUE or KEY VALUE'
cmd "link h3 s1 set speed 5M"
wait_for 'set link: unknown key "speed"'
cmd "link h3 s1 clear"
wait_for 'link h3-s1: cleared, no impairment'
tc -n "$LAB.h3" qdisc show | grep -q 'rate' && fail "link clear left a rate: $(tc -n $LAB.h3 qdisc show)"
cmd "link h3 s1 show"
wait_for 'link h3-s1: no impairment'
cmd "link h3 s1 set bw=10M"
wait_for 'link h3-s1: bw 10Mbit'
tc -n "$LAB.h3" qdisc show | grep -q 'rate 10Mbit' || fail "link set bw=10M: $(tc -n $LAB.h3 qdisc show)"
cmd "select h3"
wait_for 'eth0 UP mtu 1500 -> s1:p3'
wait_for '│ +10\.0\.0\.3/8'
# Bad edits: refused, named, nothing changes.
cmd "add host h1"
wait_for 'duplicate node name "h1"'
cmd "addr h3 eth0 10.0.0.1/8"
wait_for 'Cannot add address 10\.0\.0\.1/8 to h3:eth0: h1:eth0 already has it'
ip -n "$LAB.h3" -br addr | grep -q '10\.0\.0\.1/' && fail "the refused address is in the kernel"
cmd "add link h3 h2 h3=10.0.0.1/8"
wait_for 'h1:eth0 already has it \(link not added\)'
ip -n "$LAB.h2" -br link | grep -q '^eth1' && fail "the refused link is in the kernel"
cmd "add link h3 s2 delay=-5ms"
wait_for 'delay=-5ms: expected'
wait_for " 5 nodes, 4 links"
cmd "exp run slow"
wait_for "running: slow"
cmd "del node h2"
wait_for 'Cannot remove node "h2": experiment "slow" is running'
ip netns list | grep -q "^$LAB\.h2" || fail "h2 went although refused"
cmd "exp stop"
wait_gone "running: slow"
# Save, refused over an existing file, then forced.
cmd "save $TMP/saved.lua"
wait_for "lab $LAB saved to $TMP/saved.lua"
cmd "save $TMP/saved.lua"
wait_for "exists: save --force"
cmd "save $TMP/saved.lua --force"
wait_for "lab $LAB saved to $TMP/saved.lua"
# The 80x24 view still shows the new node.
tmux -L "$SOCK" resize-window -t "$SESSION" -x 80 -y 24 2>/dev/null
wait_for '\[h3\]'
tmux -L "$SOCK" resize-window -t "$SESSION" -x 200 -y 60 2>/dev/null
# Remove h3: off the graph, out of the kernel.
cmd "del node h3"
wait_for "node h3 removed"
wait_gone '\[h3\]'
wait_for " 4 nodes, 3 links"
ip netns list | grep -q "^$LAB\.h3" && fail "h3's namespace is left"
cmd "del node h3"
wait_for 'No node "h3"'
# The saved file builds the same network under another name, and carries
# the experiments (reach passes there).
B=uit-$$-saved
sed "s/netlab.lab(\"$LAB\")/netlab.lab(\"$B\")/; /netlab.sleep(30)/d" "$TMP/saved.lua" >"$TMP/$B.lua"
out=$("$BIN" run --keep "$TMP/$B.lua" 2>&1)
rc=$?
ok=1
echo "$out" | grep -q 'PASS  h1 reaches h2' || ok=0
ip -n "$B.h3" -br addr | grep -q '10\.0\.0\.3/8' || ok=0
tc -n "$B.h3" qdisc show | grep -q 'rate 10Mbit' || ok=0
ip netns exec "$B.h3" ping -c1 -W2 10.0.0.2 >/dev/null 2>&1 || ok=0
"$BIN" clean --force "$B" >/dev/null 2>&1
[ "$ok" = 1 ] && [ "$rc" = 0 ] || fail "the saved lab (exit $rc): $out $(cat "$TMP/saved.lua")"
cmd "quit"
cmd "quit"
wait_for 'NETLAB-EXIT=0' 30
ip netns list | grep -q "^$LAB\." && fail "namespaces left: $(ip netns list | grep "^$LAB\.")"
echo "ok"
