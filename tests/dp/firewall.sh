#!/bin/bash
# The switch firewall in the userspace datapath: "drop frames from p1 to p2
# except ARP". h1 cannot ping h2 but its ARP still reaches h2; h1 reaches h3
# (same VLAN, port not in the rule); h2 -> h1 (the other direction) is
# dropped only on the way back, so that ping fails too, yet h2 sees the echo
# requests... no: h2's requests pass, h1's replies are dropped.
TAG=fwl
. "$(dirname "$0")/lib.sh"
ns s1
for i in 1 2 3; do ns h$i; link h$i eth0 s1 p$i 02:00:00:00:05:0$i; addr h$i eth0 10.9.5.$i/24; done
S1=$(nspath s1)
cat >"$WORK/conf" <<EOC
switch s1
port $S1 p1 10pu
port $S1 p2 10pu
port $S1 p3 10pu
fw accept in=p1 out=p2 type=arp
fw drop in=p1 out=p2
EOC
engine "$WORK/conf"
capture h2 eth0 2500 "$WORK/c2"
must_not_ping h1 10.9.5.2 2
must_ping h1 10.9.5.3
wait $CAP_PID
grep -q "type=0x0806 src=02:00:00:00:05:01" "$WORK/c2" || fail "h1's ARP did not reach h2"
grep -q "type=0x0800 src=02:00:00:00:05:01" "$WORK/c2" && fail "h1's IPv4 reached h2 through the drop rule"
ok "p1 -> p2 drops IPv4 and lets ARP through"
echo PASS
