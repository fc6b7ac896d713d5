#!/bin/bash
# A trunk between two userspace switches carrying VLANs 10 and 20 tagged:
# h1 (10) and h3 (20) on s1, h2 (10) and h4 (20) on s2, one IP subnet.
# Members of a VLAN reach each other across the trunk; the groups stay
# apart, and a capture on h4 sees h3's frames but none of h1's.
TAG=trk
. "$(dirname "$0")/lib.sh"
ns s1; ns s2
for i in 1 2 3 4; do ns h$i; done
link h1 eth0 s1 p1 02:00:00:00:02:01
link h3 eth0 s1 p3 02:00:00:00:02:03
link h2 eth0 s2 p2 02:00:00:00:02:02
link h4 eth0 s2 p4 02:00:00:00:02:04
link s1 t1 s2 t1
for i in 1 2 3 4; do addr h$i eth0 10.9.2.$i/24; done
S1=$(nspath s1) S2=$(nspath s2)
cat >"$WORK/conf" <<EOC
switch s1
port $S1 p1 10pu
port $S1 p3 20pu
port $S1 t1 10,20
switch s2
port $S2 p2 10pu
port $S2 p4 20pu
port $S2 t1 10,20
EOC
engine "$WORK/conf"
capture s1 t1 3000 "$WORK/trunk"
TRUNK=$CAP_PID
must_ping h1 10.9.2.2
must_ping h3 10.9.2.4
capture h4 eth0 2500 "$WORK/cap4"
must_not_ping h1 10.9.2.4 2
must_ping h3 10.9.2.4
wait $CAP_PID
grep -q "src=02:00:00:00:02:03" "$WORK/cap4" || fail "h4 saw nothing from h3 (capture broken?)"
grep "src=02:00:00:00:02:01" "$WORK/cap4" && fail "a frame of h1 (VLAN 10) reached h4 (VLAN 20)"
ok "h4 saw h3's frames (across the trunk) and none of h1's"
must_not_ping h3 10.9.2.2
wait $TRUNK
# (the capture on s1:t1 sees what s2 sends into the trunk)
grep -q "vid=10 type=0x0806 src=02:00:00:00:02:02" "$WORK/trunk" || fail "h2's ARP did not cross the trunk tagged 10"
grep -q "vid=20 type=0x0806 src=02:00:00:00:02:04" "$WORK/trunk" || fail "h4's ARP did not cross the trunk tagged 20"
grep -q "vid=0 " "$WORK/trunk" && fail "an untagged frame crossed the trunk"
ok "the trunk carries 10 and 20 tagged, nothing untagged"
echo PASS
