# ui_exp.sh — experiments: `exp` lists them, `exp run NAME` runs one as a
# coroutine (each check's ✓/✗ shows as it completes, typing is not blocked),
# `exp next` runs the next; a failing check shows ✗ with its message.
. "$(dirname "$0")/lib.sh"
command -v ping >/dev/null || { echo "SKIP: no ping"; exit 77; }
cat >"$TMP/lab.lua" <<LUA
local topo = require("netlab.topo")
local lab = netlab.lab("$LAB")
topo.linear(lab, 2)
experiment("reach", function()
  check(lab:node("h1"):ping(lab:node("h2")), "h1 reaches h2")
  netlab.sleep(1.5)
  check(lab:node("h2"):ping(lab:node("h1")), "h2 reaches h1")
end)
experiment("cut", function()
  lab:node("s1"):cmd("ip link set p2 down")
  check(lab:node("h1"):ping(lab:node("h2"), {timeout = 1}), "h1 reaches h2 through a cut")
end)
LUA
start
cmd "exp"
wait_for '2 experiments: 1.reach 2.cut'
cmd "exp run reach"
wait_for '✓ h1 reaches h2'
# While the experiment sleeps, the console still answers.
cmd "nodes"
wait_for 'available nodes are: h1 s1 h2 s2'
wait_for '✓ h2 reaches h1'
wait_for 'exp reach: 2 passed, 0 failed'
cmd "exp next"
wait_for '✗ h1 reaches h2 through a cut' 20
wait_for 'exp cut: 0 passed, 1 failed'
cmd "exp next"
wait_for 'No more experiments'
echo "ok"
