#!/bin/bash
# ui_ls_attached.sh — netlab ls says how many terminals show each lab's
# console, as tmux ls says "(attached)": 0 after netlab up, 2 with two
# attached, 1 once one of them is gone; --json has it as "attached"; asking
# does not count as a terminal, nor disturb the ones attached; nor does a
# shell by netlab exec; the console's quit counts as ls does.
. "$(dirname "$0")/lib.sh"
write_lab 2
"$BIN" up "$TMP/lab.lua" >"$TMP/up" 2>&1 || fail "netlab up: $(cat "$TMP/up")"
# attached N: polls ls until the lab's ATTACHED column reads N.
attached() {
  local i=0
  until "$BIN" ls | grep -Eq "^$LAB +running +server +[0-9]+ +[0-9]+[smhd] +$1 "; do
    i=$((i + 1))
    [ $i -lt 100 ] || fail "netlab ls: want $1 attached: $("$BIN" ls)"
    sleep 0.1
  done
}
"$BIN" ls | head -1 | grep -Eq ' AGE ATTACHED OWNER$' || fail "netlab ls header: $("$BIN" ls | head -1)"
attached 0
tmux -u -L "$SOCK" -f /dev/null new-session -d -s "$SESSION" -x 80 -y 24 \
  "env LANG=C.UTF-8 TERM=screen-256color $BIN attach $LAB; echo ATTACH-EXIT=\$?; sleep 600"
wait_for "Lab $LAB is up" 20
tmux -u -L "$SOCK" new-window -d -t "$SESSION" -n two \
  "env LANG=C.UTF-8 TERM=screen-256color $BIN attach $LAB; echo ATTACH-EXIT=\$?; sleep 600"
attached 2
"$BIN" ls --json | python3 -c "
import json, sys
l = [x for x in json.load(sys.stdin) if x['lab'] == '$LAB'][0]
sys.exit(0 if l['attached'] == 2 else 1)" || fail "netlab ls --json: $("$BIN" ls --json)"
tmux -L "$SOCK" kill-window -t "$SESSION:two"
attached 1
# The console still answers the terminal left.
cmd "nodes"
wait_for 'available nodes are: h1 s1 h2 s2' 10
# A shell by netlab exec is no terminal of the console; nor is a connection
# that never told its size (netlab ls asking): ls and quit's question agree.
"$BIN" exec "$LAB" h1 sleep 600 &
EXEC=$!
python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(600)' \
  "/run/netlab/$LAB/console.sock" &
HOLD=$!
trap 'kill $EXEC $HOLD 2>/dev/null; cleanup' EXIT
i=0
until [ "$(ip netns pids "$LAB.h1" 2>/dev/null)" ]; do
  i=$((i + 1)); [ $i -lt 100 ] || fail "netlab exec did not start"; sleep 0.1
done
attached 1
cmd "quit"
wait_for "ATTACH-EXIT=0" 20
screen | grep -q "terminals show this console" && fail "quit counted a connection as a terminal"
kill $EXEC $HOLD 2>/dev/null
echo "ok"
