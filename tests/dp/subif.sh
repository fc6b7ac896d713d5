#!/bin/bash
# Subinterfaces without 802.1Q, as dp_prepare/dp_start set them up: host hs
# has eth0 on a trunk port of s1 (10, 20 tagged) and eth0.10 / eth0.20, veth
# ends whose peers d10 / d20 live in the datapath's namespace; the datapath
# tags d10's frames into eth0 with VID 10 and gives eth0's VID 10 frames to
# d10 untagged (same for 20). hs reaches h2 (access 10) through eth0.10 and
# h3 (access 20) through eth0.20.
TAG=sub
. "$(dirname "$0")/lib.sh"
ns s1; ns hs; ns h2; ns h3; ns dp
link hs eth0 s1 p1 02:00:00:00:03:01
link h2 eth0 s1 p2 02:00:00:00:03:02
link h3 eth0 s1 p3 02:00:00:00:03:03
link hs eth0.10 dp d10 02:00:00:00:03:01
link hs eth0.20 dp d20 02:00:00:00:03:01
addr hs eth0.10 10.9.10.1/24
addr hs eth0.20 10.9.20.1/24
addr h2 eth0 10.9.10.2/24
addr h3 eth0 10.9.20.3/24
S1=$(nspath s1) HS=$(nspath hs) DP=$(nspath dp)
cat >"$WORK/conf" <<EOC
switch s1
port $S1 p1 10,20
port $S1 p2 10pu
port $S1 p3 20pu
switch sub:hs:eth0
port $HS eth0 10,20
port $DP d10 10pu
port $DP d20 20pu
EOC
engine "$WORK/conf"
capture s1 p1 2500 "$WORK/p1"
capture h3 eth0 2500 "$WORK/h3"
H3=$CAP_PID
must_ping hs 10.9.10.2 2
must_ping h2 10.9.10.1
wait $H3
grep -q "vid=10 type=0x0800 src=02:00:00:00:03:01" "$WORK/p1" || fail "hs's IPv4 to h2 did not leave eth0 tagged 10"
grep -q "type=0x0800" "$WORK/h3" && fail "h3 (VLAN 20) saw IPv4 of VLAN 10"
ok "eth0.10 traffic is tagged 10 on the wire and stays out of VLAN 20"
must_ping hs 10.9.20.3
must_ping h3 10.9.20.1
echo PASS
