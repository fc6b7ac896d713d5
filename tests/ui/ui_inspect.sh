# ui_inspect.sh — labs/vlan.lua at 200x60: the inspector shows what the
# kernel and the lab say about a node: a host port's VLAN (access, trunk,
# subinterface), a router's forwarding and NAT, a switch's firewall rules,
# the neighbour table after a ping, and where the switch's FDB is kept.
. "$(dirname "$0")/lib.sh"
ship_lab labs/vlan.lua
start 200 60

cmd "select netns4"
wait_for 'inspector: netns4 '
wait_for 'vlan 20 access \(port brx:p3\)'
wait_for 'forwarding ipv4 off'
# With VLAN 20 highlighted (vlan 20), its ports stand out in the inspector.
cmd "vlan 20"
E=$'\x1b'
wait_for 'VLAN 20 highlighted'
screen_e | grep -qE "$E\\[[0-9;]*4m($E\\[[0-9;]*m)*vlan 20 access" ||
  fail "netns4's VLAN 20 is not underlined while VLAN 20 is highlighted"
cmd "vlan off"

cmd "select netns1t"
wait_for 'inspector: netns1t '
wait_for 'trunk, tagged 10 \(port brx:p5\)'
wait_for 'vlan 10, tagged on eth0'

cmd "select netns10"
wait_for 'inspector: netns10 '
wait_for 'forwarding ipv4 on'
wait_for 'nat: masquerade out of eth1 \(nft table netlab_nat\)'
# The kernel agrees.
[ "$(ip netns exec "$LAB.netns10" cat /proc/sys/net/ipv4/ip_forward)" = 1 ] ||
  fail "netns10 does not forward in the kernel"

cmd "select bry"
wait_for 'inspector: bry '
keys C-b g
keys C-b Right # the inspector
keys End       # its last lines: firewall, fdb
wait_for 'firewall \(policy accept\), (in the userspace datapath|nft table bridge netlab_fw)'
wait_for '1 drop in=p[0-9]+ out=p[0-9]+'
wait_for '2 drop in=p[0-9]+ out=p[0-9]+'
# On this kernel bry's VLANs are the userspace datapath's: its FDB too.
if ip netns exec "$LAB.bry" nft list table bridge netlab_fw >/dev/null 2>&1; then
  wait_for 'fdb \([0-9]+ learned\)'
else
  wait_for 'kept by the userspace datapath'
fi

# The neighbour table: after a ping over the direct veth, netns1 knows netns2.
cmd "netns1 ping -c1 -W2 10.0.12.2"
cmd "select netns1"
wait_for 'inspector: netns1 '
wait_for 'neighbours' 5
mac=$(ip netns exec "$LAB.netns2" cat /sys/class/net/eth1/address)
wait_for "10\.0\.12\.2 $mac eth1 (REACHABLE|STALE|DELAY)" 5
echo "ok"
