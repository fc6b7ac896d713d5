#!/bin/sh
# kernel-features.sh — runs inside the qemu VM (vm-run.sh) and proves it is
# the kernel netlab's kernel path needs: a bridge with vlan_filtering 1 that
# really isolates two PVIDs, an 802.1Q link that really tags, and a netem
# qdisc that really delays. Uses iproute2 and ping (allowed in tests); all
# names carry the prefix qmt. Prints one line per check; exits 1 on the
# first failure.
set -u

fail() {
        echo "FAIL  $*"
        exit 1
}
ok() { echo "PASS  $*"; }
# ip/bridge/tc -n NETNS where possible: `ip netns exec` (for ping) makes a
# mount namespace and remounts /sys each time, slow under TCG.
ns() { # node cmd...
        local node=$1
        shift
        ip netns exec "qmt$node" "$@"
}

for n in br a b c; do ip netns add "qmt$n" || fail "cannot add netns qmt$n"; done
ip -n qmtbr link add qmtbr type bridge vlan_filtering 1 || fail "bridge with vlan_filtering 1"
ip -n qmtbr -d link show qmtbr | grep -q 'vlan_filtering 1' ||
        fail "qmtbr does not report vlan_filtering 1"
ok "bridge qmtbr has vlan_filtering 1"

# a, b on VLAN 10 (access ports), c on VLAN 20; all in one subnet.
i=0
for n in a b c; do
        i=$((i + 1))
        ip link add "p$n" netns qmtbr type veth peer name eth0 netns "qmt$n" ||
                fail "veth p$n -- $n:eth0"
        ip -n qmtbr link set "p$n" master qmtbr up || fail "p$n into qmtbr"
        ip -n qmt$n addr add "10.9.0.$i/24" dev eth0
        ip -n qmt$n link set eth0 up
        ip -n qmt$n link set lo up
done
ip -n qmtbr link set qmtbr up
for p in a b; do
        bridge -n qmtbr vlan del dev "p$p" vid 1
        bridge -n qmtbr vlan add dev "p$p" vid 10 pvid untagged || fail "VID 10 on p$p"
done
bridge -n qmtbr vlan del dev pc vid 1
bridge -n qmtbr vlan add dev pc vid 20 pvid untagged || fail "VID 20 on pc"
bridge -n qmtbr vlan show dev pa | grep -q '10 PVID Egress Untagged' ||
        fail "bridge vlan show does not list VID 10 PVID untagged on pa"
ok "per-port VLAN entries: pa, pb PVID 10, pc PVID 20"
ns a ping -c 1 -W 5 10.9.0.2 >/dev/null || fail "a does not reach b (same VLAN 10)"
ok "a reaches b on VLAN 10"
ns a ping -c 1 -W 1 10.9.0.3 >/dev/null && fail "a reaches c across VLANs 10 and 20"
ok "a does not reach c (VLAN 20)"

# 802.1Q: b gets b.20 (tagged 20 on pb, which now carries VID 20 tagged).
ip -n qmtb link add link eth0 name eth0.20 type vlan id 20 || fail "vlan link eth0.20"
ip -n qmtb -d link show eth0.20 | grep -q 'vlan protocol 802.1Q id 20' ||
        fail "eth0.20 is not an 802.1Q link with id 20"
ip -n qmtb addr add 10.9.20.2/24 dev eth0.20
ip -n qmtb link set eth0.20 up
ip -n qmtc addr add 10.9.20.3/24 dev eth0
bridge -n qmtbr vlan add dev pb vid 20 || fail "VID 20 tagged on pb"
ns b ping -c 1 -W 5 10.9.20.3 >/dev/null || fail "b's eth0.20 does not reach c through VID 20"
ok "vlan link eth0.20 (802.1Q id 20) reaches c through the bridge"

# netem: 100 ms on a's eth0 makes a's ping to b take at least that long.
tc -n qmta qdisc add dev eth0 root netem delay 100ms || fail "netem qdisc"
tc -n qmta qdisc show dev eth0 | grep -q 'netem.*delay 100ms' || fail "tc does not show netem delay"
rtt=$(ns a ping -c 1 -W 5 10.9.0.2 | sed -n 's/.*time=\([0-9]*\).*/\1/p')
[ -n "$rtt" ] && [ "$rtt" -ge 100 ] || fail "netem delay 100ms not applied (rtt ${rtt:-none} ms)"
ok "netem delay 100ms applied (rtt $rtt ms)"

for n in br a b c; do ip netns del "qmt$n"; done
exit 0
