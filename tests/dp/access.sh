#!/bin/bash
# Access ports: VLAN 10 = {h1, h2}, VLAN 20 = {h3, h4}, all in one IP subnet
# on one userspace switch. Same-VLAN pings work; cross-VLAN pings fail, and a
# capture on h3 sees h4's frames but not one frame from h1 (VLAN 10). A port
# without PVID drops untagged frames; a port not member of a VID drops them.
# Last, isolation is broken on purpose and the capture check must notice.
TAG=acc
. "$(dirname "$0")/lib.sh"

ns s1
for i in 1 2 3 4; do
        ns h$i
        link h$i eth0 s1 p$i 02:00:00:00:00:0$i
        addr h$i eth0 10.9.0.$i/24
done
ns h5
link h5 eth0 s1 p5 02:00:00:00:00:05
addr h5 eth0 10.9.0.5/24
S=$(nspath s1)
cat >"$WORK/conf" <<EOC
switch s1
port $S p1 10pu
port $S p2 10pu
port $S p3 20pu
port $S p4 20pu
port $S p5 10
EOC
engine "$WORK/conf"

must_ping h1 10.9.0.2
must_ping h3 10.9.0.4
must_ping h2 10.9.0.1

capture h3 eth0 2500 "$WORK/cap"
must_not_ping h1 10.9.0.3 2
must_ping h4 10.9.0.3 2
wait $CAP_PID
grep -q "src=02:00:00:00:00:04" "$WORK/cap" || fail "capture on h3 saw nothing from h4 (capture broken?)"
if grep "src=02:00:00:00:00:01" "$WORK/cap"; then fail "a frame of VLAN 10 (from h1) reached h3 (VLAN 20)"; fi
ok "h3 saw $(grep -c src=02:00:00:00:00:04 "$WORK/cap") frames of h4 and none of h1"

# p5 is a tagged-only member of VLAN 10 with no PVID: h5's untagged frames
# are dropped at ingress, and VLAN 10 frames leave p5 tagged.
must_not_ping h5 10.9.0.1
capture h5 eth0 1500 "$WORK/cap5"
pings h1 10.9.0.99 1
wait $CAP_PID
grep -q "vid=10 type=0x0806 src=02:00:00:00:00:01" "$WORK/cap5" || { cat "$WORK/cap5"; fail "h5 did not get h1's ARP tagged with VID 10"; }
ok "p5 (tagged member of 10) got h1's ARP with tag 10"
grep -q "vid=0 .*src=02:00:00:00:00:01" "$WORK/cap5" && fail "h5 got an untagged frame of VLAN 10"

# A frame tagged with a VID the port is not a member of is dropped.
capture h3 eth0 1200 "$WORK/cap3"
CAP3=$CAP_PID
capture h2 eth0 1200 "$WORK/cap2"
nsx h5 "$DPDRV" send eth0 ff:ff:ff:ff:ff:ff 20 0x88b5 3
nsx h5 "$DPDRV" send eth0 ff:ff:ff:ff:ff:ff 10 0x88b5 3
wait $CAP_PID
n=$(grep -c "type=0x88b5 src=02:00:00:00:00:05" "$WORK/cap2")
[ "$n" = 3 ] || { cat "$WORK/cap2"; fail "h2 got $n of h5's 3 frames tagged 10 (expected 3, untagged)"; }
grep "type=0x88b5" "$WORK/cap2" | grep -qv "vid=0" && fail "VLAN 10 left the access port p2 tagged"
wait $CAP3
grep -q "type=0x88b5" "$WORK/cap3" && fail "h5's frames tagged 20 entered through p5, which is not a member of 20"
ok "tagged VID 10 from p5 reaches h2 untagged; VID 20 (not a member) is dropped"

# Negative control: the same isolation check on a switch where isolation is
# broken on purpose (p3 put in VLAN 10) must see h1's frames on h3.
kill $ENGINE_PID; wait $ENGINE_PID 2>/dev/null
sed -i 's/ p3 20pu/ p3 10pu/' "$WORK/conf"
engine "$WORK/conf"
capture h3 eth0 1500 "$WORK/capbad"
pings h1 10.9.0.3 1
wait $CAP_PID
grep -q "src=02:00:00:00:00:01" "$WORK/capbad" || fail "the isolation check cannot see a leak (negative control)"
ok "negative control: with p3 moved into VLAN 10 the same capture sees h1's frames"
echo PASS
