# ui_exp_fail.sh — a failing check shows its cause and file:line in the
# console (message line and experiments pane) as `netlab run` prints it;
# `exp show N` brings back an earlier experiment's results; the
# experiments pane scrolls; a switch's FDB (kernel bridge) shows in the
# inspector after traffic.
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local topo = require("netlab.topo")
local lab = netlab.lab("$LAB")
topo.linear(lab, 2)
experiment("reach", function()
  check(lab:node("h1"):ping(lab:node("h2")), "h1 reaches h2")
end)
experiment("broken", function()
  check(true, "the first check holds")
  check(false, "h1 has no route to 192.0.2.1")
end)
experiment("many", function()
  for i = 1, 30 do check(true, "step " .. i .. " of 30") end
end)
LUA
line=$(grep -n 'h1 has no route' "$TMP/lab.lua" | cut -d: -f1)
start 120 40

cmd "exp run broken"
wait_for "FAIL h1 has no route to 192\.0\.2\.1  \(lab\.lua:$line\)" 10
wait_for "✗ h1 has no route to 192\.0\.2\.1"
wait_for "lab\.lua:$line\)$" # in the pane, wrapped or not
cmd "exp run reach"
wait_for 'reach: 1 passed, 0 failed' 15
wait_for '✓ h1 reaches h2'
screen | grep -q '✗ h1 has no route' && fail "the pane still shows broken's checks"
cmd "exp show 2"
wait_for "✗ h1 has no route to 192\.0\.2\.1"
wait_for "exp broken: 1 passed, 1 failed; FAIL h1 has no route"
cmd "exp show 9"
wait_for 'No experiment "9"'

# The experiments pane follows the newest check, and scrolls back.
cmd "exp run many"
wait_for 'step 30 of 30' 10
wait_for '↑[0-9]+'
keys C-b g
keys C-b Right # the inspector
keys C-b Down  # the experiments, below it
keys Home
wait_gone '↑[0-9]+' 3
wait_for '1 reach' 3

# s1 is a kernel bridge: after the pings, its FDB has learned MACs.
cmd "select s1"
wait_for 'inspector: s1 ' 
wait_for 'fdb \([1-9][0-9]* learned\)' 5
echo "ok"
