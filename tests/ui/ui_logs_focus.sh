# ui_logs_focus.sh — where typing goes is predictable and shown (newcomer
# s4): a logs pane (`tail -F` of a service's log) never takes typing, which
# stays on the command line (it used to go into the pane and be lost while
# netlab> was drawn); moved to with Ctrl-b q 1, typing there starts a command
# too. When a shell has the keys, the command line says so. quit counts
# the shells, not the logs pane ("2 shells are still running" with one).
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local lab = netlab.lab("$LAB")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2)
experiment("services", function()
  h1:service("tick", "i=0; while :; do i=\$((i+1)); echo tick \$i; sleep 0.3; done")
end)
LUA
start 120 40
cmd "exp run services"
wait_for 'exp services: 0 passed, 0 failed' 60
cmd "logs h1 tick"
wait_for 'h1: logs tick' 10
wait_for 'tick [0-9]+' 10
# Typed at once, without Ctrl-b : — a command line, not input for tail.
keys -l "h2 echo TYPED-\$((6*7))"
wait_for '^netlab> h2 echo TYPED' 5
keys Enter
wait_for 'TYPED-42' 10
# A shell takes the keys, and the command line says so.
cmd "term h2"
wait_for '[0-9]+ h2: shell' 10
wait_for '^netlab> \(typing goes to pane 2; Ctrl-b : types a command\)' 5
keys -l "echo IN-SHELL-\$((2*3))"
keys Enter
wait_for '^IN-SHELL-6' 5
# Moved to the logs pane (Ctrl-b q 1): typing there starts a command too.
keys C-b q
keys 1
wait_for '^ netlab .* 1:h1\* ' 5
screen | tail -1 | grep -q 'typing goes to' && fail "the line says a logs pane takes typing"
keys -l "h2 echo AGAIN-\$((5*5))"
keys Enter
wait_for 'AGAIN-25' 10
# quit counts the shells it would close, not the logs pane's tail.
cmd quit
wait_for '1 shell is still running: quit again to close it' 5
cmd quit
wait_for 'NETLAB-EXIT=0' 30
echo "ok"
