#!/bin/bash
# A MAC-table flood (issue 8 §1): 50,000 frames with random source MACs enter
# p1 (VLAN 10) while h3 pings h4 on VLAN 20 through the same switch. The
# engine must keep forwarding (no ping lost on VLAN 20, h1 still reaches h2
# on VLAN 10 afterwards), its learning table must stay at its bound (and
# say it evicted), and its memory (RSS) must not grow with the flood.
# Before the fix, learning the 6144th MAC looped forever.
TAG=fld
. "$(dirname "$0")/lib.sh"
FLOOD=${FLOOD:-50000}
ns s1
for i in 1 2 3 4; do ns h$i; link h$i eth0 s1 p$i 02:00:00:00:05:0$i; done
addr h1 eth0 10.0.10.1/24; addr h2 eth0 10.0.10.2/24
addr h3 eth0 10.0.20.3/24; addr h4 eth0 10.0.20.4/24
S1=$(nspath s1)
printf 'switch s1\nport %s p1 10pu\nport %s p2 10pu\nport %s p3 20pu\nport %s p4 20pu\n' \
        "$S1" "$S1" "$S1" "$S1" >"$WORK/conf"
engine "$WORK/conf"
rss() { awk '/^VmRSS/ {print $2}' "/proc/$ENGINE_PID/status"; }
must_ping h3 10.0.20.4 2
must_ping h1 10.0.10.2 2
RSS0=$(rss)
nsx h3 ping -c 200 -i 0.02 -W 1 10.0.20.4 >"$WORK/ping" 2>&1 &
PING=$!
PIDS="$PIDS $PING"
T0=$(date +%s.%N)
nsx h1 "$DPDRV" flood eth0 "$FLOOD" >"$WORK/flood" || fail "the flood generator failed"
T1=$(date +%s.%N)
wait $PING
kill -0 "$ENGINE_PID" 2>/dev/null || fail "the engine died under the flood"
RSS1=$(rss)
grep -q "sent=$FLOOD" "$WORK/flood" || fail "the generator did not send $FLOOD frames"
echo "flood: $FLOOD frames in $(echo "$T1 - $T0" | bc) s; engine RSS ${RSS0} -> ${RSS1} KiB"
RECV=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$WORK/ping")
[ "$RECV" = 200 ] || { cat "$WORK/ping"; fail "VLAN 20 lost pings during the flood ($RECV of 200 answered)"; }
ok "VLAN 20 kept forwarding through the flood (200 of 200 pings)"
must_ping h1 10.0.10.2 2
must_ping h3 10.0.20.4 2
[ $((RSS1 - RSS0)) -lt 4096 ] || fail "the engine's RSS grew by $((RSS1 - RSS0)) KiB during the flood"
ok "memory stayed bounded (RSS +$((RSS1 - RSS0)) KiB)"
sleep 1.2 # the stats file is rewritten once a second
read -r USED MAX EVICTED < <(awk '$2 == "fdb" {print $4, $6, $8}' "$WORK/stats")
echo "fdb: used $USED of $MAX, evicted $EVICTED"
[ -n "$USED" ] && [ "$USED" -le "$MAX" ] || fail "the learning table is over its bound ($USED > $MAX)"
[ "$EVICTED" -gt 0 ] || fail "the flood did not fill the table (nothing evicted)"
ok "the learning table stayed at its bound and evicted the oldest entries"
echo PASS
