# ui_console_killed.sh — kill -9 of the lab's console (the pid `netlab ls`
# names) while a terminal is attached: the terminal gets its screen back and
# a line saying what happened and what to do (the lab is left up: attach
# takes it back, down removes it), instead of exiting with no word; the lab
# is then adopted again by `netlab attach`.
. "$(dirname "$0")/lib.sh"
start 80 24
pid=$("$BIN" ls --json | grep "\"lab\": \"$LAB\"" | sed -n 's/.*"owner": "netlab pid \([0-9]*\).*/\1/p')
[ -n "$pid" ] || fail "no console pid for $LAB in netlab ls"
kill -9 "$pid"
wait_for "NETLAB-EXIT=137" 15
tmux -L "$SOCK" capture-pane -p -J -t "$SESSION" |
  grep -q "\[the lab's console was killed (KILL): lab $LAB is left up: netlab attach $LAB takes it back, netlab down $LAB removes it\]" ||
  fail "no line saying the console was killed"
screen | grep -q "netlab>" && fail "the console's screen was left on the terminal"
"$BIN" ls | grep -E "^$LAB +left up" >/dev/null || fail "not left up: $("$BIN" ls)"
out=$("$BIN" down "$LAB" 2>&1) || fail "netlab down: $out"
echo "PASS ($TEST)"
