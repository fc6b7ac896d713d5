#!/bin/bash
# ui_kernel_busy.sh — the console never waits on the kernel (issue 9 §4):
# with every inspector read taking 3 s (NETLAB_TEST_KERNEL_DELAY_MS stands
# in for a kernel whose rtnl lock another lab's build holds), keys reach the
# screen at once while a read is pending, and the read's result still
# arrives. Before the dumps moved to the kernel worker, the loop itself
# would have slept those 3 s on every refresh.
. "$(dirname "$0")/lib.sh"
export NETLAB_TEST_KERNEL_DELAY_MS=3000
start 120 40
cmd "select h2" # a read of h2 starts now and takes 3 s
sleep 0.3
t0=$(date +%s%N)
keys C-b :
keys -l "abcdefgh"
wait_for 'netlab> abcdefgh' 5
dt=$((($(date +%s%N) - t0) / 1000000))
[ "$dt" -lt 1000 ] || fail "keys took $dt ms to show while the kernel was busy"
keys C-u Escape
# The pending read lands: counters are the kernel's (the model has none).
wait_for 'rx [0-9.]+[kMG]?B .*tx ' 15
echo "ok"
