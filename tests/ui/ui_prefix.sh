# ui_prefix.sh — every text that names the prefix names the one in force
# (NETLAB_PREFIX=C-a: the status bar, the banner and the help say Ctrl-a /
# C-a, not Ctrl-b), at 80x24 and 200x60; and prefix [ on a pane without
# text (the graph) says which pane has copy mode instead of doing nothing.
. "$(dirname "$0")/lib.sh"
export NETLAB_PREFIX=C-a
for size in "80 24" "200 60"; do
  set -- $size
  start "$1" "$2"
  screen | head -1 | grep -q "Ctrl-a ? help" || fail "${1}x$2: the status bar does not name Ctrl-a"
  screen | grep -q "Ctrl-b" && fail "${1}x$2: the screen still names Ctrl-b"
  screen | grep -q "Ctrl-a ? for keys" || fail "${1}x$2: the banner does not name Ctrl-a"
  # The help overlay names the prefix in force.
  keys C-a '?'
  wait_for 'prefix C-a'
  keys q
  wait_gone 'prefix C-a'
  # Copy mode with only the graph: it says there is no text yet.
  keys C-a '['
  wait_for '^copy mode needs a text pane, not the graph: term NODE opens a shell'
  # With a shell open, on the graph: a message naming the pane that has text.
  cmd "term h1"
  wait_for '[0-9]+:h1'
  keys C-a g
  sleep 0.3
  keys C-a '['
  wait_for '^copy mode needs a text pane, not the graph: Ctrl-a q [0-9]+ \(.*\) or Ctrl-a o'
  screen | grep -q 'copy mode [0-9]' && fail "${1}x$2: copy mode entered on the graph"
  # The pane it names does enter copy mode.
  n=$(screen | grep -Eo 'Ctrl-a q [0-9]+' | head -1 | awk '{print $3}')
  keys C-a q "$n"
  sleep 0.3
  keys C-a '['
  wait_for 'copy mode [0-9]+/'
  keys q
  wait_gone 'copy mode [0-9]+/'
  "$BIN" down "$LAB" >/dev/null 2>&1 || fail "netlab down $LAB failed"
  tmux -L "$SOCK" kill-server 2>/dev/null
  i=0
  while "$BIN" ls 2>/dev/null | grep -q "$LAB"; do
    i=$((i + 1)); [ $i -lt 100 ] || fail "lab $LAB still listed after down"; sleep 0.1
  done
done
# A NETLAB_PREFIX that is not a Ctrl key is not silently ignored.
NETLAB_PREFIX=C-A start 80 24
wait_for "^Lab $LAB is up; NETLAB_PREFIX=C-A is not C-a..C-z: prefix Ctrl-b"
screen | head -1 | grep -q "Ctrl-b ? help" || fail "bad NETLAB_PREFIX: the status bar does not name Ctrl-b"
"$BIN" down "$LAB" >/dev/null 2>&1 || fail "netlab down $LAB failed"
echo PASS
