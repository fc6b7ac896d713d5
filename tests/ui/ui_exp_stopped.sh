# ui_exp_stopped.sh — an experiment stopped before its end (`exp stop`, or
# Ctrl-C) has no verdict: the experiments pane marks it ■ "stopped", never
# the green ✓ of one that passed (a newcomer read a stopped run as passed).
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local lab = netlab.lab("$LAB")
require("netlab.topo").linear(lab, 2)
experiment("long", function()
  check(true, "a first check")
  netlab.sleep(60)
end)
experiment("short", function() check(true, "quick") end)
LUA
start 100 30
cmd "exp run short"
wait_for "✓ 2 short +1 ok 0 failed" 20
cmd "exp run long"
wait_for "▶ 1 long +1 ok 0 failed \.\.\." 20
cmd "exp stop"
wait_for "■ 1 long +1 ok 0 failed, stopped" 20
screen | grep -q "✓ 1 long" && fail "a stopped experiment is marked as passed"
# Ctrl-C stops a running experiment the same way.
cmd "exp run long"
wait_for "▶ 1 long" 20
keys C-c
wait_for "■ 1 long +1 ok 0 failed, stopped" 20
# Run to its end again, it gets its verdict back.
cmd "exp run short"
wait_for "✓ 2 short +1 ok 0 failed" 20
echo "PASS ($TEST)"
