#!/usr/bin/env bash
# ui_dplive.sh — live changes from the console on a lab the userspace
# datapath carries (a kernel without netem or bridge VLAN filtering, as
# here and in CI): `link A B set delay 50ms loss 0%`, `show`, `clear` on a
# datapath wire, the ping's RTT following, the inspector and the graph
# showing the parameters in force; `set port SW PORT access VID` moving a
# port between VLANs (reachability follows); the same at 80x24.
. "$(dirname "$0")/lib.sh"
"$BIN" doctor 2>/dev/null | grep -qE "^netem qdisc +yes" && { echo "SKIP: the kernel has netem"; exit 77; }
cat >"$TMP/lab.lua" <<LUA
local lab = netlab.lab("$LAB")
local s = lab:switch("s")
local h1 = lab:host("h1", { ip = "10.9.0.1/24" })
local h2 = lab:host("h2", { ip = "10.9.0.2/24" })
lab:link(h1, s, { vlan = 10, delay = "1ms" })
lab:link(h2, s, { vlan = 10 })
LUA
start 200 60
wait_for " 3 nodes, 2 links"
pid=$(pgrep -f "^netlab datapath $LAB\$")
[ -n "$pid" ] || fail "no datapath runs for $LAB"
cmd "link h1 s set delay 50ms loss 0%"
wait_for 'link h1-s: delay 50ms$'
cmd "link h1 s show"
wait_for 'link h1-s: delay 50ms'
cmd "h1 ping -c 3 -i 0.3 h2"
wait_for 'time=1[0-9][0-9](\.[0-9]+)? ms' 20
wait_for 'h1\$ ping -c 3 -i 0\.3 10\.9\.0\.2: exit 0' 20
[ "$(pgrep -f "^netlab datapath $LAB\$")" = "$pid" ] || fail "the datapath was restarted"
cmd "select h1"
wait_for 'delay 50ms \(datapath wire\)'
screen | grep -q '≈' || fail "the graph shows no ≈ on the impaired link"
cmd "link h1 s clear"
wait_for 'link h1-s: cleared, no impairment'
cmd "link h1 s show"
wait_for 'link h1-s: no impairment'
wait_gone 'delay 50ms \(datapath wire\)'
screen | grep -q '≈' && fail "the graph still shows ≈ after clear"
# reorder needs a delay, as netem (the frames not reordered wait it out).
cmd "link h1 s set reorder 5% gap 3"
wait_for 'reorder: needs a delay'
cmd "link h1 s set delay 5ms reorder 5% gap 3"
wait_for 'link h1-s: delay 5ms reorder 5% gap 3$'
cmd "link h1 s set speed 5M"
wait_for 'unknown key "speed" \(bw, delay, jitter, loss, duplicate'
cmd "link h1 s clear"
wait_for 'link h1-s: cleared, no impairment'
# VLAN membership, live: h2 to VLAN 20 cuts it off, h1 following brings it back.
cmd "set port s p2 access 20"
wait_for 's:p2: access VLAN 20'
cmd "h1 ping -c 1 -W 1 h2"
wait_for 'h1\$ ping -c 1 -W 1 10\.9\.0\.2: exit 1' 20
cmd "select s"
wait_for 'p2 UP mtu 1500 -> h2'
wait_for 'vlan 20 pvid untagged'
cmd "set port s p1 access 20"
wait_for 's:p1: access VLAN 20'
cmd "h1 ping -c 1 -W 2 h2"
wait_for 'h1\$ ping -c 1 -W 2 10\.9\.0\.2: exit 0' 20
cmd "set port s p1 access 0"
wait_for 'set port: "0" is not a VLAN id'
cmd "set port s p1 trunk 10,x"
wait_for 'set port: "10,x" is not a list of VLAN ids'
# 80x24: the same commands, their messages on the status line.
tmux -L "$SOCK" resize-window -t "$SESSION" -x 80 -y 24
cmd "link h1 s set delay 20ms"
wait_for 'link h1-s: delay 20ms'
cmd "link h1 s show"
wait_for 'link h1-s: delay 20ms'
cmd "h1 ping -c 2 -i 0.3 h2"
wait_for 'time=4[0-9]' 20
cmd "link h1 s clear"
wait_for 'link h1-s: cleared, no impairment'
[ "$(pgrep -f "^netlab datapath $LAB\$")" = "$pid" ] || fail "the datapath was restarted"
# Changes typed live are not in the file: quit asks once before they go.
cmd "quit"
wait_for "lab $LAB: [0-9]+ live changes not in its file: quit again, or save FILE.lua"
ip netns list | grep -q "^$LAB\." || fail "quit with live changes tore the lab down without asking"
cmd "quit"
wait_for "NETLAB-EXIT=0" 30
ip netns list | grep -q "^$LAB\." && fail "namespaces left: $(ip netns list | grep "^$LAB\.")"
echo "PASS ($TEST)"
