#!/bin/bash
# dp.sh — benchmark of issue 4 item 7: iperf3 TCP throughput (-t 5) from h1 to
# h2 through (a) a plain kernel bridge and (b) netlab's userspace datapath
# (both hosts on access ports of VLAN 10), in the same run; prints a table
# and the ratio (target >= 50%).
# usage: bench/dp.sh [PATH/TO/dpdrv] [SECONDS]   (root; namespaces dpt-bench-*)
DPDRV=${1:-$(dirname "$0")/../build/tests/dp/dpdrv}
T=${2:-5}
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
[ -x "$DPDRV" ] || { echo "no dpdrv at $DPDRV (build target dpdrv)"; exit 1; }
W=$(mktemp -d /tmp/dpt-bench.XXXXXX)
NS="dpt-bench-k dpt-bench-u dpt-bench-h1 dpt-bench-h2 dpt-bench-h3 dpt-bench-h4"
EP=""
cleanup() {
        [ -n "$EP" ] && kill "$EP" 2>/dev/null && wait "$EP" 2>/dev/null
        for n in $NS; do ip netns del "$n" 2>/dev/null; done
        rm -rf "$W"
}
trap cleanup EXIT
for n in $NS; do ip netns add "$n" && ip -n "$n" link set lo up || exit 1; done
veth() { # NS_A IF_A NS_B IF_B
        ip link add "$2" netns "$1" type veth peer "$4" netns "$3" &&
                ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}
# (a) kernel bridge in dpt-bench-k: h1 -- br0 -- h2
ip -n dpt-bench-k link add br0 type bridge && ip -n dpt-bench-k link set br0 up
veth dpt-bench-h1 eth0 dpt-bench-k p1 && veth dpt-bench-h2 eth0 dpt-bench-k p2
ip -n dpt-bench-k link set p1 master br0 && ip -n dpt-bench-k link set p2 master br0
ip -n dpt-bench-h1 addr add 10.9.9.1/24 dev eth0 && ip -n dpt-bench-h2 addr add 10.9.9.2/24 dev eth0
# (b) userspace datapath in dpt-bench-u: h3 -- [p1 10pu, p2 10pu] -- h4
veth dpt-bench-h3 eth0 dpt-bench-u p1 && veth dpt-bench-h4 eth0 dpt-bench-u p2
ip -n dpt-bench-h3 addr add 10.9.9.3/24 dev eth0 && ip -n dpt-bench-h4 addr add 10.9.9.4/24 dev eth0
printf 'switch u\nport /run/netns/dpt-bench-u p1 10pu\nport /run/netns/dpt-bench-u p2 10pu\n' >"$W/conf"
"$DPDRV" run "$W/conf" >"$W/ready" 2>"$W/err" &
EP=$!
for i in $(seq 50); do grep -q R "$W/ready" && break; sleep 0.1; done
grep -q R "$W/ready" || { cat "$W/err"; exit 1; }

run() { # CLIENT_NS SERVER_NS SERVER_IP -> Mbit/s
        ip netns exec "$2" iperf3 -s -1 -D >/dev/null 2>&1
        sleep 0.3
        ip netns exec "$1" ping -c 1 -W 1 "$3" >/dev/null 2>&1
        ip netns exec "$1" iperf3 -c "$3" -t "$T" -J >"$W/j" 2>&1 || { echo 0; return; }
        python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"]/1e6))' "$W/j"
}
k=$(run dpt-bench-h1 dpt-bench-h2 10.9.9.2)
u=$(run dpt-bench-h3 dpt-bench-h4 10.9.9.4)
printf '%-40s %12s\n' "path (iperf3 TCP, -t $T, h1 -> h2)" "Mbit/s"
printf '%-40s %12s\n' "kernel bridge" "$k"
printf '%-40s %12s\n' "userspace datapath (access ports, VID 10)" "$u"
if [ "$k" -gt 0 ]; then
        printf '%-40s %11s%%\n' "ratio userspace / kernel" "$((100 * u / k))"
fi
