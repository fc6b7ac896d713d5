#!/bin/bash
# Learning per (VID, MAC) with ageing: once h2's MAC is learned, unicast to it
# is not flooded to h3; unicast to an unknown MAC is; after the ageing time
# (2 s here) h2's entry is gone and the unicast floods again.
TAG=lrn
. "$(dirname "$0")/lib.sh"
ns s1
for i in 1 2 3; do ns h$i; link h$i eth0 s1 p$i 02:00:00:00:04:0$i; done
S1=$(nspath s1)
printf 'ageing 2\nswitch s1\nport %s p1 10pu\nport %s p2 10pu\nport %s p3 10pu\n' "$S1" "$S1" "$S1" >"$WORK/conf"
engine "$WORK/conf"
H2=02:00:00:00:04:02
nsx h2 "$DPDRV" send eth0 ff:ff:ff:ff:ff:ff 0 0x88b5 1 # s1 learns h2 on p2
capture h3 eth0 1000 "$WORK/c3"; C3=$CAP_PID
capture h2 eth0 1000 "$WORK/c2"; C2=$CAP_PID
nsx h1 "$DPDRV" send eth0 $H2 0 0x88b5 3
nsx h1 "$DPDRV" send eth0 02:00:00:00:04:99 0 0x88b6 2
wait $C3 $C2
[ "$(grep -c "type=0x88b5 src=02:00:00:00:04:01 dst=$H2" "$WORK/c2")" = 3 ] || fail "h2 did not get its 3 unicast frames"
grep -q "dst=$H2" "$WORK/c3" && fail "unicast to learned h2 was flooded to h3"
[ "$(grep -c "type=0x88b6" "$WORK/c3")" = 2 ] || fail "unicast to an unknown MAC was not flooded to h3"
ok "learned unicast goes to p2 only; unknown unicast floods"
sleep 3.2
capture h3 eth0 800 "$WORK/c3b"
nsx h1 "$DPDRV" send eth0 $H2 0 0x88b5 2
wait $CAP_PID
[ "$(grep -c "dst=$H2" "$WORK/c3b")" = 2 ] || fail "h2's entry did not age out (unicast not flooded after 3 s)"
ok "entries age out"
echo PASS
