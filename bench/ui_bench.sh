#!/bin/bash
# ui_bench.sh — the console's costs: idle CPU, redraw time, memory.
#
#   bench/ui_bench.sh NETLAB_BINARY [N]     (root; default N=50: linear,50)
#
# Opens the console on linear,N inside a private tmux server at 120x40,
# opens 8 shell panes, then measures
#   - idle CPU: utime+stime of the console over 10 s of nothing happening;
#   - redraw time: each redraw's duration (NETLAB_UI_TIMING=1 logs them) while
#     selecting nodes, cycling panes and printing in a pane; min/avg/p95/max;
#   - memory: VmRSS and VmHWM of the console.
# Everything it creates is named ui-bench-PID and removed on exit.
set -u
BIN=${1:?usage: $0 NETLAB_BINARY [N]}
N=${2:-50}
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 1; }
SOCK=uib-$$
LAB=uib-$$
TMP=$(mktemp -d /tmp/uib.XXXXXX)
export HOME=$TMP XDG_STATE_HOME=$TMP/state
LOG=$TMP/state/netlab/console.log
cleanup() {
  tmux -L "$SOCK" kill-server 2>/dev/null
  "$BIN" clean --force "$LAB" >/dev/null 2>&1
  rm -rf "$TMP"
}
trap cleanup EXIT
cat >"$TMP/lab.lua" <<LUA
local topo = require("netlab.topo")
local lab = netlab.lab("$LAB")
topo.linear(lab, $N)
LUA
screen() { tmux -L "$SOCK" capture-pane -p -t b; }
keys() { tmux -L "$SOCK" send-keys -t b "$@"; }
wait_for() {
  local i=0
  while [ $i -lt $(( ${2:-30} * 10 )) ]; do
    screen | grep -Eq -- "$1" && return 0
    sleep 0.1; i=$((i + 1))
  done
  echo "timeout waiting for /$1/"; screen; exit 1
}
t0=$(date +%s.%N)
tmux -u -L "$SOCK" -f /dev/null new-session -d -s b -x 120 -y 40 \
  "env LANG=C.UTF-8 NETLAB_UI_TIMING=1 $BIN $TMP/lab.lua; sleep 600"
wait_for "Lab $LAB is up" 120
t1=$(date +%s.%N)
PID=$(pgrep -f "^$BIN $TMP/lab.lua" | head -1)
echo "linear,$N: $((2 * N)) nodes, built and shown in $(echo "$t1 - $t0" | bc) s (pid $PID)"
for i in 1 2 3 4 5 6 7 8; do
  keys C-b :; keys -l "term h$i"; keys Enter
  wait_for "h$i: shell"
done
keys C-b g
sleep 2
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
HZ=$(getconf CLK_TCK)
a=$(ticks); sleep 10; b=$(ticks)
echo "idle CPU over 10 s with 8 panes: $(echo "scale=2; ($b - $a) * 100 / $HZ / 10" | bc)% ($((b - a)) ticks)"
: >"$LOG"
for i in $(seq 1 40); do keys Right; sleep 0.05; keys Down; sleep 0.05; done
for i in $(seq 1 16); do keys C-b o; sleep 0.05; done
keys C-b :; keys -l "term h9"; keys Enter
keys -l 'for i in $(seq 1 300); do echo line $i; done'; keys Enter
sleep 2
grep -o 'redraw [0-9.]*' "$LOG" | awk '{print $2}' | sort -n >"$TMP/t"
n=$(wc -l <"$TMP/t")
awk -v n="$n" '{a[NR]=$1; s+=$1} END {
  p95 = a[int(n * 0.95) > 0 ? int(n * 0.95) : 1];
  printf "redraw (120x40, linear,%s, 9 panes): %d redraws, min %.2f ms, avg %.2f ms, p95 %.2f ms, max %.2f ms\n",
    "'"$N"'", n, a[1], s / n, p95, a[n] }' "$TMP/t"
grep -E 'VmRSS|VmHWM' "/proc/$PID/status" | tr -s ' \t' ' ' | paste -sd ' ' | sed 's/^/memory: /'
