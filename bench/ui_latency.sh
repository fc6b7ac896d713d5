#!/bin/bash
# ui_latency.sh — is the console ever frozen? Keystroke-to-screen and pane
# output latency, idle and while another lab (linear,N) builds and tears
# down beside it (issue 9 §4: target p99 < 50 ms, max < 200 ms).
#
#   bench/ui_latency.sh NETLAB_BINARY [N] [SECONDS]   (root; N=500, 40 s of load)
#
# The console runs on a small lab (linear,4) in a private tmux server at
# 120x40 with the inspector refreshing (a node selected). A shell pane in h1
# prints a timestamp every 50 ms: pane latency = when the screen shows it -
# when it was printed. The command line gets one key at a time: keystroke
# latency = when the screen shows it - when tmux was given it. Both are
# sampled by polling capture-pane, whose own cost (a few ms) is in every
# number: the idle row is the baseline. Meanwhile `netlab run` builds and
# tears down linear,N in the background, over and over. Everything it makes
# is named uil-PID / uiload-PID and removed on exit.
set -u
BIN=${1:?usage: $0 NETLAB_BINARY [N] [SECONDS]}
N=${2:-500}
SECS=${3:-40}
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 1; }
SOCK=uil-$$
LAB=uil-$$
LOAD=uiload-$$
TMP=$(mktemp -d /tmp/uil.XXXXXX)
export HOME=$TMP XDG_STATE_HOME=$TMP/state
LOADPID=
cleanup() {
  [ -n "$LOADPID" ] && kill "$LOADPID" 2>/dev/null && wait "$LOADPID" 2>/dev/null
  tmux -L "$SOCK" kill-server 2>/dev/null
  sleep 1
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
tmux -u -L "$SOCK" -f /dev/null new-session -d -s b -x 120 -y 40 \
  "env LANG=C.UTF-8 $BIN $TMP/lab.lua; sleep 600"
for i in $(seq 1 300); do
  tmux -L "$SOCK" capture-pane -p -t b | grep -q "is up" && break
  sleep 0.1
done
keys() { tmux -L "$SOCK" send-keys -t b "$@"; }
keys C-b :; keys -l "term h1"; keys Enter
sleep 1.5
keys -l 'while :; do echo "T=$(date +%s%N)"; sleep 0.05; done'; keys Enter
sleep 1
keys C-b :
sleep 0.5

python3 - "$SOCK" "$SECS" "$BIN" "$TMP/load.lua" <<'PY'
import os, re, signal, subprocess, sys, time
sock, secs, binary, load = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
def cap():
    return subprocess.run(["tmux", "-L", sock, "capture-pane", "-p", "-t", "b"],
                          capture_output=True, text=True).stdout
def key(k):
    subprocess.run(["tmux", "-L", sock, "send-keys", "-t", "b", "-l", k])
def prompt_count(s):
    m = re.search(r"netlab>\s*(a*)", s)
    return len(m.group(1)) if m else -1
def sample(duration):
    keylat, panelat = [], []
    last_ts = 0
    end = time.time() + duration
    typed = prompt_count(cap())
    while time.time() < end:
        if typed < 0 or typed > 60:
            subprocess.run(["tmux", "-L", sock, "send-keys", "-t", "b", "C-u"])
            time.sleep(0.05)
            typed = prompt_count(cap())
            if typed < 0:
                subprocess.run(["tmux", "-L", sock, "send-keys", "-t", "b", "C-b", ":"])
                time.sleep(0.1)
                typed = prompt_count(cap())
            continue
        t0 = time.time()
        key("a")
        while True:
            s = cap()
            now = time.time()
            ts = [int(x) for x in re.findall(r"T=(\d{19})", s)]
            if ts and max(ts) > last_ts:
                if last_ts:
                    panelat.append(now * 1000 - max(ts) / 1e6)
                last_ts = max(ts)
            c = prompt_count(s)
            if c > typed:
                keylat.append((now - t0) * 1000)
                typed = c
                break
            if now - t0 > 60:
                keylat.append((now - t0) * 1000)
                break
        time.sleep(0.02)
    return keylat, panelat
def row(name, v):
    if not v:
        return "| %-34s | %5d | %8s | %8s | %8s |" % (name, 0, "-", "-", "-")
    v = sorted(v)
    p = lambda q: v[min(len(v) - 1, int(q * len(v)))]
    return "| %-34s | %5d | %8.1f | %8.1f | %8.1f |" % (name, len(v), p(0.5), p(0.99), v[-1])
idle_k, idle_p = sample(8)
load_proc = subprocess.Popen(["sh", "-c", "while :; do %s run %s >/dev/null 2>&1; done" % (binary, load)],
                             start_new_session=True)
t0 = time.time()
busy_k, busy_p = sample(secs)
os.killpg(load_proc.pid, signal.SIGTERM)
load_proc.wait()
time.sleep(1)
print("| sample (ms)                        |     n |      p50 |      p99 |      max |")
print("|------------------------------------|-------|----------|----------|----------|")
print(row("keystroke, idle", idle_k))
print(row("pane output, idle", idle_p))
print(row("keystroke, linear build+teardown", busy_k))
print(row("pane output, linear build+teardown", busy_p))
PY
