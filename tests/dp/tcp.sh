#!/bin/bash
# TCP through tag push and pop: h1 (access, VLAN 10) on s1, h2 (access,
# VLAN 10) on s2, s1 and s2 joined by a tagged trunk. GSO super-frames cross
# the trunk tagged, so their checksum offsets must be shifted by 4 bytes on
# push and pop; a bounded iperf3 run must move data at a sane rate.
TAG=tcp
. "$(dirname "$0")/lib.sh"
command -v iperf3 >/dev/null || { echo "SKIP: iperf3 not installed"; exit 77; }
ns s1; ns s2; ns h1; ns h2
link h1 eth0 s1 p1 02:00:00:00:01:01
link h2 eth0 s2 p1 02:00:00:00:01:02
link s1 t1 s2 t1
addr h1 eth0 10.9.1.1/24
addr h2 eth0 10.9.1.2/24
cat >"$WORK/conf" <<EOC
switch s1
port $(nspath s1) p1 10pu
port $(nspath s1) t1 10
switch s2
port $(nspath s2) p1 10pu
port $(nspath s2) t1 10
EOC
engine "$WORK/conf"
must_ping h1 10.9.1.2
capture s2 t1 1500 "$WORK/cap"
nsx h2 iperf3 -s -1 -D -I "$WORK/iperf.pid" >/dev/null 2>&1
sleep 0.3
nsx h1 iperf3 -c 10.9.1.2 -t 2 -J >"$WORK/iperf.json" 2>&1 || { cat "$WORK/iperf.json"; fail "iperf3 failed"; }
wait $CAP_PID
bps=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"]))' "$WORK/iperf.json")
echo "TCP h1 -> h2 over a tagged trunk: $((bps / 1000000)) Mbit/s"
[ "$bps" -gt 200000000 ] || fail "throughput $bps bit/s is too low (checksums or GSO broken?)"
grep -q "vid=10 type=0x0800" "$WORK/cap" || fail "no IPv4 frame tagged 10 seen on the trunk"
grep "type=0x0800" "$WORK/cap" | grep -q "vid=0 " && fail "an untagged IPv4 frame crossed the trunk"
big=$(awk -F'len=' '/vid=10 type=0x0800/ && $2 > 1600 {n++} END {print n+0}' "$WORK/cap")
echo "GSO super-frames (> 1600 bytes) seen tagged on the trunk: $big"
ok "TCP through tag push/pop"
echo PASS
