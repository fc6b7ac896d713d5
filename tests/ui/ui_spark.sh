# ui_spark.sh — the inspector's throughput sparkline (issue 10 §5): with
# a flood over h1's link, h1's interface shows a sparkline of its rx + tx
# per second (read each second off the loop with the counters) that rises
# from the idle level; the peak is printed beside it.
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local lab = netlab.lab("$LAB")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2)
LUA
start 120 40
cmd "select h1"
wait_for 'inspector: h1 '
# idle: the line is flat (the lowest bar only)
wait_for '▁▁▁ [0-9.]+B/s peak' 10
ip netns exec "$LAB.h1" ping -f -c 40000 -s 1000 -w 4 10.0.0.2 >/dev/null 2>&1 &
PF=$!
# a rise: a taller bar after the low ones, and a peak in kB/s or MB/s
wait_for '▁+[▂▃▄▅▆▇█]+ [0-9.]+[kMG]i?B/s peak' 15
wait $PF 2>/dev/null
echo "ok"
