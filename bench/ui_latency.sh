#!/bin/bash
# ui_latency.sh — is the console ever slow to answer? Keystroke-to-screen
# and pane-output-to-screen latency, idle and while another lab (linear,N)
# builds and tears down beside it (issue 9 §4: target p99 < 50 ms, max <
# 200 ms).
#
#   bench/ui_latency.sh NETLAB_BINARY [N] [SECONDS] [COLSxROWS]
#                       (root; N=500, 40 s of load, 120x40)
#
# bench/ui_latency.py runs the console (under its lab server, as a user
# does) on a pty of its own, at COLSxROWS, on linear,2 with the inspector
# refreshing, and reads the bytes the console writes: a sample is the time
# from writing its cause (a key; a line for the shell pane in h1) to
# reading the bytes that show it. No tmux and no capture-pane in between
# (the old probe polled capture-pane, which cost tens of ms per sample).
# Meanwhile `netlab run` builds and tears down linear,N in a loop. Everything
# it makes is named uil-PID / uiload-PID and removed on exit.
set -u
BIN=${1:?usage: $0 NETLAB_BINARY [N] [SECONDS] [COLSxROWS]}
BIN=$(readlink -f "$BIN")
N=${2:-500}
SECS=${3:-40}
SIZE=${4:-120x40}
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 1; }
LAB=uil-$$
LOAD=uiload-$$
TMP=$(mktemp -d /tmp/uil.XXXXXX)
export HOME=$TMP XDG_STATE_HOME=$TMP/state
cleanup() {
  "$BIN" down "$LAB" >/dev/null 2>&1
  "$BIN" clean --force "$LAB" >/dev/null 2>&1
  "$BIN" clean --force "$LOAD" >/dev/null 2>&1
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cat >"$TMP/lab.lua" <<LUA
local topo = require("netlab.topo")
local lab = netlab.lab("$LAB")
topo.linear(lab, 2)
LUA
cat >"$TMP/load.lua" <<LUA
local topo = require("netlab.topo")
local lab = netlab.lab("$LOAD")
topo.linear(lab, $N)
LUA
mkfifo "$TMP/fifo"
echo "netlab $(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null), $(nproc) cores, $SIZE, linear,$N load, ${SECS}s"
python3 "$(dirname "$0")/ui_latency.py" "$BIN" "$TMP/lab.lua" "$TMP/fifo" "${SIZE%x*}" "${SIZE#*x}" \
  "$SECS" "while :; do $BIN run $TMP/load.lua; done"
