# ui_linkdown.sh — `link s1 h1 down` takes the link down in the kernel and
# the graph shows it (✗); `ip link set eth0 down` typed in a node's shell
# shows on the graph within a second (netlink monitor).
. "$(dirname "$0")/lib.sh"
start
screen | grep -q '✗' && fail "a link is down before we started"
cmd "link s1 h1 down"
wait_for '✗' 2
ip netns exec "$LAB.h1" ip -br link show eth0 | grep -Eq 'DOWN|LOWERLAYERDOWN' ||
  fail "h1:eth0 still up in the kernel"
cmd "link s1 h1 up"
wait_gone '✗' 3
# From a shell inside h2.
cmd "term h2"
wait_for 'h2: shell'
keys -l 'ip link set eth0 down'
keys Enter
wait_for '✗' 2
keys -l 'ip link set eth0 up'
keys Enter
wait_gone '✗' 3
echo "ok"
