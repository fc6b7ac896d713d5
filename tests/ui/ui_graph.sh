# ui_graph.sh — the console opens on a lab, builds it, and the graph and
# inspector show its nodes as the kernel has them.
. "$(dirname "$0")/lib.sh"
start
s=$(screen)
for n in '\[h1\]' '\[h2\]' '<s1>' '<s2>'; do
  echo "$s" | grep -Eq "$n" || fail "graph lacks $n"
done
# The graph's title shows each node kind of the lab as it is drawn, from the
# kind table (src/kind.c): not the kinds the lab has none of (a newcomer
# looked for the nat node "[nat]" promised in a lab without one).
echo "$s" | grep -q 'graph: .*\[host\] <switch> ─' || fail "graph title lacks the lab's kinds"
echo "$s" | grep -Eq 'graph: .*(\(router\)|\[nat\])' && fail "graph title shows a kind the lab has none of"
# The lab really exists in the kernel.
ip netns list | grep -q "^$LAB.h1" || fail "no namespace $LAB.h1"
# The inspector shows h1's interface as the kernel reports it (UP, its address).
wait_for 'eth0 UP mtu 1500'
wait_for '10\.0\.0\.1/8'
# Selecting another node updates the inspector.
cmd "select s2"
wait_for 'inspector: s2'
wait_for 'p[12] UP'
echo "ok"
