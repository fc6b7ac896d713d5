# ui_interrupt.sh — Ctrl-C at netlab> stops what the command line started
# (issue 9 §1): a node command (SIGINT first: ping prints its summary),
# a lua line, an experiment (also `exp stop`); `jobs` lists what runs and
# `kill N` stops one. The processes are gone from the node afterwards.
. "$(dirname "$0")/lib.sh"
command -v ping >/dev/null || { echo "SKIP: no ping"; exit 77; }
cat >"$TMP/lab.lua" <<LUA
local topo = require("netlab.topo")
local lab = netlab.lab("$LAB")
topo.linear(lab, 2)
experiment("a long wait", function()
  netlab.sleep(60)
  check(false, "never reached")
end)
LUA
start
cmd "h1 ping 10.0.0.2"
wait_for 'icmp_seq=2 '
ip netns pids "$LAB.h1" | grep -q . || fail "no process in h1 while ping runs"
keys C-c
wait_for '[0-9]+ packets transmitted, [0-9]+ received'
wait_log '\^C: interrupted the running commands'
wait_for 'h1\$ ping 10\.0\.0\.2: interrupted \(exit 130\)'
for i in $(seq 20); do ip netns pids "$LAB.h1" | grep -q . || break; sleep 0.1; done
ip netns pids "$LAB.h1" | grep -q . && fail "a process is left in h1 after Ctrl-C"
# jobs and kill N
cmd "h2 sleep 300"
cmd "h1 sleep 301"
cmd "jobs"
wait_for '^\[1\] running h2\$ sleep 300'
wait_for '^\[2\] running h1\$ sleep 301'
wait_for '2 commands running'
cmd "kill 2"
wait_for 'h1\$ sleep 301: interrupted \(exit 143\)'
cmd "kill 7"
wait_log 'No job 7 \(jobs lists them\)'
keys C-c
wait_for 'h2\$ sleep 300: interrupted \(exit 130\)'
# A lua line that waits, then Ctrl-C.
cmd "lua netlab.sleep(60)"
wait_for '^lua> netlab\.sleep\(60\)'
keys C-c
wait_log '\^C: stopped the lua line'
cmd "lua 6 * 7"
wait_for '^42 *(│|$)'
# An experiment: exp stop, and Ctrl-C.
cmd "exp run a long wait"
wait_for 'exp a long wait: running'
cmd "exp stop"
wait_for 'exp a long wait: stopped'
cmd "exp run 1"
wait_for 'exp a long wait: running'
keys C-c
wait_log '\^C: stopped the experiment'
cmd "exp stop"
wait_for 'No experiment (or lua line )?is running'
# Ctrl-C with a half-typed line forgets it.
keys C-b :
keys -l "pingall but not"
keys C-c
wait_log '\^C: nothing is running'
wait_gone 'netlab> pingall but not' 3
echo "ok"
