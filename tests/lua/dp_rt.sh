#!/usr/bin/env bash
# dp_rt.sh — NETLAB_DP_RT=N runs the lab's datapath engine SCHED_FIFO at N
# (a delay's p99 on a loaded machine, bench/impair.sh); without it the
# engine stays an ordinary process at nice -10; a delayed link still works.
. "$(dirname "$0")/../lib.sh"
need_root
name=tdprt$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local a = lab:host("a", { ip = "10.79.0.1/24" })
local b = lab:host("b", { ip = "10.79.0.2/24" })
lab:link(a, b, { delay = "5ms" })
experiment("x", function()
  print("SCHED " .. a:cmd("ps -eo cls=,rtprio=,ni=,args= | grep 'netlab [d]atapath LABNAME$'"))
  local ok, st = a:ping(b, { count = 3, interval = 0.05 })
  check(ok and st.rtt_avg >= 10, "the delay holds: " .. tostring(st.rtt_avg))
end)
LAB
)
out=$(NETLAB_DP_RT=10 "$NETLAB" run "$f" 2>&1)
echo "$out"
expect "NETLAB_DP_RT=10: the engine is SCHED_FIFO at 10" grep -qE "^SCHED +FF +10 " <<<"$out"
expect "  ... and the lab passes" grep -q "1 passed, 0 failed" <<<"$out"
out=$("$NETLAB" run "$f" 2>&1)
echo "$out"
expect "without it: an ordinary process at nice -10" grep -qE "^SCHED +TS +- +-10 " <<<"$out"
expect "  ... nothing left" nothing_left $name
finish
