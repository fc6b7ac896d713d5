#!/usr/bin/env bash
# A lab outlives its terminal: netlab up, ls, attach, prefix d, attach again
# with the panes and their text intact, two consoles at once, the terminal
# killed under a console, exec with exit status, stdin and tty passed
# through, down; bad lab and node names.
. "$(dirname "$0")/lib.sh"
write_lab 2

# tmux's kill-server returns before its server is gone: wait, so the next
# session does not reach the dying one ("server exited unexpectedly").
kill_tmux() {
  tmux -L "$SOCK" kill-server 2>/dev/null
  local i=0
  while tmux -L "$SOCK" ls >/dev/null 2>&1 && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  sleep 0.2
}

# Ctrl-C while `netlab up` builds: the build is rolled back, nothing stays.
cat >"$TMP/big.lua" <<LUA
local topo = require("netlab.topo")
local lab = netlab.lab("${LAB}b")
topo.linear(lab, 100)
lab:build()       -- built at the top level, then still busy: Ctrl-C lands here
netlab.sleep(20)
LUA
"$BIN" up "$TMP/big.lua" >"$TMP/upint" 2>&1 &
upid=$!
i=0
until ip netns list | grep -qE "^${LAB}b\.h100( |$)" || [ $i -ge 300 ]; do sleep 0.1; i=$((i + 1)); done
kill -INT $upid
wait $upid
rc=$?
[ $rc -eq 130 ] || fail "Ctrl-C during netlab up: exit $rc ($(cat "$TMP/upint"))"
grep -q "interrupted (SIGINT); the build was rolled back: nothing of lab ${LAB}b is left" "$TMP/upint" || fail "netlab up said: $(cat "$TMP/upint")"
i=0
while { ip netns list | grep -q "^${LAB}b\." || [ -e "/run/netlab/${LAB}b" ]; } && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
ip netns list | grep -q "^${LAB}b\." && fail "Ctrl-C during netlab up left namespaces"
[ -e "/run/netlab/${LAB}b" ] && fail "Ctrl-C during netlab up left its run directory"

# netlab up: builds under a lab server and returns.
out=$("$BIN" up "$TMP/lab.lua" 2>&1) || fail "netlab up: $out"
echo "$out" | grep -Eq "^Lab $LAB is up: 4 nodes, 3 links \([0-9.]+ s\)$" || fail "netlab up says: $out"
echo "$out" | grep -q "^netlab attach $LAB opens its console" || fail "netlab up says: $out"
ip netns list | grep -q "^$LAB\.h1" || fail "netlab up built nothing"
"$BIN" ls | grep -Eq "^$LAB +running +server +4 " || fail "netlab ls: $("$BIN" ls)"
"$BIN" ls --json | python3 -c "
import json, sys
labs = {l['lab']: l for l in json.load(sys.stdin)}
l = labs['$LAB']
sys.exit(0 if l['state'] == 'running' and l['console'] == 'server' and l['nodes'] == 4 else 1)" ||
  fail "netlab ls --json: $("$BIN" ls --json)"

# attach, a shell, detach.
attach() { # attach WINDOW
  tmux -u -L "$SOCK" new-window -d -t "$SESSION" -n "$1" \
    "env LANG=C.UTF-8 TERM=screen-256color $BIN attach $LAB; echo ATTACH-EXIT=\$?; sleep 600"
}
tmux -u -L "$SOCK" -f /dev/null new-session -d -s "$SESSION" -x 120 -y 40 \
  "env LANG=C.UTF-8 TERM=screen-256color $BIN attach $LAB; echo ATTACH-EXIT=\$?; sleep 600"
wait_for "Lab $LAB is up" 20
keys C-b c
wait_for "h1#" 10
keys -l "echo marker-$$"
keys Enter
wait_for "^marker-$$" 10
keys C-b d
wait_for "\[detached from lab $LAB: netlab attach $LAB\]" 10
wait_for "ATTACH-EXIT=0" 5
ip netns list | grep -q "^$LAB\.h1" || fail "detaching took the lab down"

# attach again: the same pane, its text still there.
kill_tmux
tmux -u -L "$SOCK" -f /dev/null new-session -d -s "$SESSION" -x 100 -y 30 \
  "env LANG=C.UTF-8 TERM=screen-256color $BIN attach $LAB; echo ATTACH-EXIT=\$?; sleep 600"
wait_for "^marker-$$" 10
screen | grep -q "1 h1: shell" || fail "the pane's title is gone after attach"

# A second console at once: both see what one types.
attach two
keys -l "echo both-$$"
keys Enter
wait_for "^both-$$" 10
i=0
until tmux -L "$SOCK" capture-pane -p -t "$SESSION:two" | grep -q "^both-$$"; do
  i=$((i + 1))
  [ $i -lt 100 ] || fail "the second console does not show it: $(tmux -L "$SOCK" capture-pane -p -t "$SESSION:two")"
  sleep 0.1
done

# The terminal killed under both consoles: the lab and its shell live on.
kill_tmux
sleep 0.5
ip netns list | grep -q "^$LAB\.h1" || fail "a killed terminal took the lab down"
"$BIN" ls | grep -Eq "^$LAB +running +server" || fail "after the terminal died: $("$BIN" ls)"
tmux -u -L "$SOCK" -f /dev/null new-session -d -s "$SESSION" -x 120 -y 40 \
  "env LANG=C.UTF-8 TERM=screen-256color $BIN attach $LAB; echo ATTACH-EXIT=\$?; sleep 600"
wait_for "^both-$$" 10

# exec: the exit status, stdin and the terminal pass through.
"$BIN" exec "$LAB" h1 sh -c 'exit 7'
[ $? -eq 7 ] || fail "exec does not pass the exit status"
[ "$(echo piped-$$ | "$BIN" exec "$LAB" h2 cat)" = "piped-$$" ] || fail "exec does not pass stdin"
[ "$("$BIN" exec "$LAB" h2 hostname)" = h2 ] || fail "exec is not in the node's UTS namespace"
"$BIN" exec "$LAB" h1 ping -c1 -W2 h2 >/dev/null || fail "exec: names do not resolve in the node"
tmux -u -L "$SOCK" new-window -d -t "$SESSION" -n tty \
  "$BIN exec $LAB h1 sh -c 'tty; exit 3'; echo EXEC-EXIT=\$?; sleep 600"
i=0
until tmux -L "$SOCK" capture-pane -p -t "$SESSION:tty" | grep -q "EXEC-EXIT=3"; do
  i=$((i + 1))
  [ $i -lt 100 ] || fail "exec in a terminal: $(tmux -L "$SOCK" capture-pane -p -t "$SESSION:tty")"
  sleep 0.1
done
tmux -L "$SOCK" capture-pane -p -t "$SESSION:tty" | grep -q "^/dev/pts/" ||
  fail "exec does not pass the terminal: $(tmux -L "$SOCK" capture-pane -p -t "$SESSION:tty")"

# Bad names: a message naming the lab or node, nothing changed.
out=$("$BIN" attach "nosuch$$" 2>&1) && fail "attach to no lab succeeded"
echo "$out" | grep -q "No lab \"nosuch$$\" is running (netlab ls lists them)" || fail "attach nosuch: $out"
out=$("$BIN" exec "$LAB" h9 true 2>&1) && fail "exec in no node succeeded"
echo "$out" | grep -Eq "No node \"h9\" in lab \"$LAB\" \(its nodes: .*h1" || fail "exec h9: $out"
out=$("$BIN" exec "nosuch$$" h1 true 2>&1) && fail "exec in no lab succeeded"
echo "$out" | grep -q "No lab \"nosuch$$\"" || fail "exec nosuch: $out"
out=$("$BIN" up "$TMP/lab.lua" 2>&1) && fail "a second up of a running lab succeeded"
echo "$out" | grep -q "is already running" || fail "second up: $out"

# down: the lab goes, and the attached console says why.
"$BIN" down "$LAB" | grep -q "lab $LAB is down" || fail "netlab down"
wait_for "ATTACH-EXIT=143" 30
ip netns list | grep -q "^$LAB\." && fail "namespaces left after down"
[ -e "/run/netlab/$LAB" ] && fail "run directory left after down"

# A lab kept by `netlab run --keep` has no console: attach takes it over from
# its file, works on it, and quitting leaves it up as it was.
out=$("$BIN" run --keep "$TMP/lab.lua" 2>&1) || fail "run --keep: $out"
echo "$out" | grep -q "netlab attach $LAB" || fail "run --keep does not say how to attach: $out"
kill_tmux
tmux -u -L "$SOCK" -f /dev/null new-session -d -s "$SESSION" -x 100 -y 30 \
  "env LANG=C.UTF-8 TERM=screen-256color $BIN attach $LAB; echo ATTACH-EXIT=\$?; sleep 600"
wait_for "Lab $LAB is up" 20
cmd "h1 ping -c1 h2"
wait_for "1 packets transmitted, 1 received" 15
cmd "quit"
wait_for "ATTACH-EXIT=0" 20
ip netns list | grep -q "^$LAB\.h1" || fail "quitting an attached kept lab took it down"
"$BIN" ls | grep -Eq "^$LAB +left up" || fail "the kept lab after quit: $("$BIN" ls)"
"$BIN" down "$LAB" >/dev/null || fail "down of the kept lab"

# The plain console is served too: a killed terminal detaches it.
kill_tmux
start 100 30
keys C-b c
wait_for "h1#" 10
kill_tmux
sleep 0.5
ip netns list | grep -q "^$LAB\.h1" || fail "closing the console's terminal took the lab down"
tmux -u -L "$SOCK" -f /dev/null new-session -d -s "$SESSION" -x 100 -y 30 \
  "env LANG=C.UTF-8 TERM=screen-256color $BIN attach $LAB; echo ATTACH-EXIT=\$?; sleep 600"
wait_for "1 h1: shell" 10
cmd "quit"
wait_for "quit again" 10
cmd "quit"
wait_for "ATTACH-EXIT=0" 30
ip netns list | grep -q "^$LAB\." && fail "quit left namespaces"
echo "ok"
