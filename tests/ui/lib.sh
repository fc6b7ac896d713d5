# lib.sh — shared helpers for the console's end-to-end tests (sourced).
#
# Each test runs the real binary ($1) on a generated lab inside a private
# tmux server (tmux -L uit-PID), drives it with send-keys and reads the
# screen with capture-pane -p, polling with a bounded wait (never a bare
# sleep as synchronisation). The trap kills the tmux server and runs
# `netlab clean` for the test's lab, whatever happened.
set -u
BIN=${1:?usage: $0 NETLAB_BINARY}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v tmux >/dev/null || { echo "SKIP: no tmux"; exit 77; }
TEST=$(basename "$0" .sh)
SOCK=uit-$$
LAB=uit-$$-${UIT_SUFFIX:-x}
TMP=$(mktemp -d /tmp/uit.XXXXXX)
export HOME=$TMP XDG_STATE_HOME=$TMP/state
SESSION=ui

cleanup() {
  tmux -L "$SOCK" kill-server 2>/dev/null
  # A console still building when the test ended (a timeout under load) has
  # not registered its lab yet, and its server carries on detached: stop
  # every process of this test's files (the build is rolled back), then clean.
  pkill -TERM -f "$TMP/" 2>/dev/null
  local i=0
  while pgrep -f "$TMP/" >/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  pkill -KILL -f "$TMP/" 2>/dev/null
  "$BIN" clean --force "$LAB" >/dev/null 2>&1
  rm -rf "$TMP"
}
trap cleanup EXIT

fail() {
  echo "FAIL ($TEST): $*"
  echo "---- screen ----"
  tmux -L "$SOCK" capture-pane -p -t "$SESSION" 2>/dev/null
  echo "---- log ----"
  tail -20 "$TMP/state/netlab/console.log" 2>/dev/null
  exit 1
}

# A lab file: linear,2 (h1-s1-s2-h2) unless the test wrote its own.
write_lab() {
  cat >"$TMP/lab.lua" <<LUA
local topo = require("netlab.topo")
local lab = netlab.lab("$LAB")
topo.linear(lab, ${1:-2})
experiment("reach", function()
  check(lab:node("h1"):ping(lab:node("h2")), "h1 reaches h2")
end)
LUA
}

# ship_lab labs/vlan.lua: a shipped lab, renamed to $LAB, as the test's lab.
ship_lab() {
  sed -E "s/netlab\.lab\(\"[^\"]*\"\)/netlab.lab(\"$LAB\")/" \
    "$(dirname "$0")/../../$1" >"$TMP/lab.lua"
  grep -q "netlab.lab(\"$LAB\")" "$TMP/lab.lua" || fail "could not rename $1"
}

# screen_e: the screen with its colours and attributes (SGR sequences).
screen_e() { tmux -L "$SOCK" capture-pane -p -e -t "$SESSION"; }

# start [WIDTH HEIGHT [ARGS...]]
start() {
  local w=${1:-120} h=${2:-40}
  shift 2 2>/dev/null
  [ -f "$TMP/lab.lua" ] || write_lab
  tmux -u -L "$SOCK" -f /dev/null new-session -d -s "$SESSION" -x "$w" -y "$h" \
    "env LANG=C.UTF-8 TERM=screen-256color $BIN $* $TMP/lab.lua; echo NETLAB-EXIT=\$?; sleep 600" ||
    fail "cannot start tmux"
  wait_for "Lab $LAB is up" 60
}

screen() { tmux -L "$SOCK" capture-pane -p -t "$SESSION"; }
# joined: the left panes' text (the output pane's), its wrapped lines joined:
# a line wider than the pane reads as one.
joined() { screen | sed 's/│.*//' | tr -d '\n'; }

# wait_for REGEX [SECONDS]: polls the screen every 0.1 s.
wait_for() {
  local re=$1 t=${2:-15} i=0
  while [ "$i" -lt $((t * 10)) ]; do
    screen | grep -Eq -- "$re" && return 0
    sleep 0.1
    i=$((i + 1))
  done
  fail "timed out after ${t}s waiting for /$re/"
}

# wait_gone REGEX [SECONDS]
wait_gone() {
  local re=$1 t=${2:-15} i=0
  while [ "$i" -lt $((t * 10)) ]; do
    screen | grep -Eq -- "$re" || return 0
    sleep 0.1
    i=$((i + 1))
  done
  fail "timed out after ${t}s waiting for /$re/ to go"
}

keys() { tmux -L "$SOCK" send-keys -t "$SESSION" "$@"; }
# cmd TEXT: types a console command (Ctrl-b : first, so focus is on the command line).
cmd() {
  keys ${NETLAB_PREFIX:-C-b} :
  keys -l "$1"
  keys Enter
}

# wait_count REGEX N [SECONDS]: until REGEX occurs exactly N times on the screen.
wait_count() {
  local re=$1 n=$2 t=${3:-15} i=0
  while [ "$i" -lt $((t * 10)) ]; do
    [ "$(screen | grep -Eo -- "$re" | wc -l)" = "$n" ] && return 0
    sleep 0.1
    i=$((i + 1))
  done
  fail "timed out after ${t}s waiting for $n times /$re/ (saw $(screen | grep -Eo -- "$re" | wc -l))"
}

# wait_log REGEX [SECONDS]: until the console's log has a line matching REGEX
# (for messages a later one may replace on the status line before a capture).
wait_log() {
  local re=$1 t=${2:-15} i=0
  while [ "$i" -lt $((t * 10)) ]; do
    grep -Eq -- "$re" "$TMP/state/netlab/console.log" 2>/dev/null && return 0
    sleep 0.1
    i=$((i + 1))
  done
  fail "timed out after ${t}s waiting for /$re/ in the console's log"
}
