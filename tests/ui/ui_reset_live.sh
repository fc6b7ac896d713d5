#!/usr/bin/env bash
# ui_reset_live.sh — `reset` puts back what was changed live: a link's
# parameters (`link A B set`, on the datapath's wire here, netem/tbf where the
# kernel has them) and a switch port's VLAN (`set port`). Before the fix
# reset restored links, addresses and routes only: the RTT stayed at the
# live delay and h2 stayed cut off in VLAN 20. A link added live stays up.
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local lab = netlab.lab("$LAB")
local s = lab:switch("s")
local h1 = lab:host("h1", { ip = "10.9.0.1/24" })
local h2 = lab:host("h2", { ip = "10.9.0.2/24" })
lab:link(h1, s, { vlan = 10, delay = "20ms" })
lab:link(h2, s, { vlan = 10 })
LUA
start 200 60
wait_for " 3 nodes, 2 links"
cmd "link h1 s set delay 100ms loss 0%"
wait_for 'link h1-s: delay 100ms'
# A bare VLAN id adds it tagged (as `bridge vlan add`); the answer says how
# to move the port instead, what a switch user usually means.
cmd "set port s p1 30"
wait_for 's:p1: VLAN 30 added, tagged \(to move the port: set port s p1 access 30\)'
cmd "set port s p2 access 20"
wait_for 's:p2: access VLAN 20'
cmd "h1 ping -c 1 -W 1 h2"
wait_for 'h1\$ ping -c 1 -W 1 10\.9\.0\.2: exit 1' 20
cmd "reset"
wait_for "reset: lab $LAB is as its file says" 30
cmd "link h1 s show"
wait_for 'link h1-s: delay 20ms$|link h1-s: delay 20ms ' 10
cmd "select s"
wait_for 'vlan 10 pvid untagged'
screen | grep -q 'vlan 20' && fail "s:p2 is still in VLAN 20 after reset"
screen | grep -q 'vlan 30' && fail "s:p1 still has VLAN 30 after reset"
# The file's 20ms each way: 40-49 ms (not 200). Six pings: the first ones
# may wait for ARP, or for a datapath starved on a loaded machine.
cmd "h1 ping -c 6 -i 0.3 h2"
wait_for 'h1\$ ping -c 6 -i 0\.3 10\.9\.0\.2: exit 0' 30
screen | grep -qE 'time=4[0-9](\.[0-9]+)? ms' || fail "no RTT of 40-49 ms after reset"
# A second reset with nothing changed live changes nothing and succeeds.
cmd "reset"
wait_for "reset: lab $LAB is as its file says" 30
# A node and link added live stay up and keep the parameters they were added
# with over a reset (the link went down: its "state when built" was never set).
cmd "add host h3 ip=10.9.0.3/24"
wait_for 'h3' 10
cmd "add link h3 s delay=30ms"
wait_for 'link h3:eth0 <-> s:p3 added' 10
cmd "set port s p3 access 10"
wait_for 's:p3: access VLAN 10'
cmd "reset"
wait_for "reset: lab $LAB is as its file says" 30
cmd "link h3 s show"
wait_for 'link h3-s: delay 30ms' 10
cmd "select s"
wait_for 'p3 UP mtu 1500 -> h3' 10
# ... and its port's VLAN back to what it had when added (the default, VLAN 1):
# h3 cannot reach h2 in VLAN 10 any more.
cmd "h3 ping -c 1 -W 1 h2"
wait_for 'h3\$ ping -c 1 -W 1 10\.9\.0\.2: exit 1' 20
cmd "quit"
wait_for "NETLAB-EXIT=0" 30
ip netns list | grep -q "^$LAB\." && fail "namespaces left: $(ip netns list | grep "^$LAB\.")"
echo "PASS ($TEST)"
