#!/bin/bash
# ui_exp_kernel.sh — an experiment's step runs off the loop (issue 9 §4):
# with every step taking 3 s (NETLAB_TEST_KERNEL_DELAY_MS stands in for a
# link:down() waiting on an rtnl lock another lab holds), keys typed while
# the experiment changes a link echo at once, a line typed meanwhile runs
# after the step, the experiment's checks and the kernel's state follow,
# and Ctrl-C stops the experiment after its step. With the step on the loop,
# the keys took the 3 s.
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local topo = require("netlab.topo")
local lab = netlab.lab("$LAB")
topo.linear(lab, 2)
experiment("cut", function()
  lab:links()[1]:down()
  check(true, "h1's link is down")
end)
experiment("long", function()
  for i = 1, 100 do netlab.sleep(0.05) end
  check(true, "ran to its end")
end)
LUA
export NETLAB_TEST_KERNEL_DELAY_MS=3000
start 120 40
cmd "exp run cut"
sleep 0.3
t0=$(date +%s%N)
keys C-b :
keys -l "links"
wait_for 'netlab> links' 5
dt=$((($(date +%s%N) - t0) / 1000000))
[ "$dt" -lt 1000 ] || fail "keys took $dt ms to show while an experiment's step ran"
keys Enter
wait_log 'exp cut: 1 passed, 0 failed' 20
wait_for '3 links, 1 down' 10
ip -n "$LAB.h1" -o link show eth0 | grep -q 'state DOWN' || fail "h1:eth0 is not down in the kernel"
# Ctrl-C during a step: the experiment stops after it.
cmd "exp run long"
sleep 0.5
keys C-c
wait_for '\^C: stopping exp long' 5
wait_for 'exp long: stopped' 20
screen | grep -q 'ran to its end' && fail "the experiment ran on after Ctrl-C"
echo "ok"
