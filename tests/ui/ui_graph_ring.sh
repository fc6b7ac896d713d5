# ui_graph_ring.sh — netlab.topo.ring(lab, 6) at 80x24: the ring's closing
# link (standby, down) is drawn on the graph with its own ✗, not listed;
# a second link down adds its own ✗. (The ring stays open: bridges without
# STP would loop.)
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local topo = require("netlab.topo")
local lab = netlab.lab("$LAB")
topo.ring(lab, 6)
LUA
start 80 24
wait_count '✗' 1 3
screen | grep -Eq 'not drawn|also:' && fail "a link of the ring is listed, not drawn"
for i in $(seq 6); do
  screen | grep -q "<s$i>" || fail "<s$i> is not on the graph"
  screen | grep -q "\[h$i\]" || fail "[h$i] is not on the graph"
done
cmd "link s3 h3 down"
wait_count '✗' 2 3
cmd "link s3 h3 up"
wait_count '✗' 1 3
echo "ok"
