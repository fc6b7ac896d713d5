#!/bin/bash
# ui_attach_size.sh — two consoles of different sizes (issue 9, newcomer
# surprise 5): the console is as large as the smallest terminal showing it,
# whichever types; when the small one detaches, the console takes the
# remaining terminal's size again (before, it stayed small until that
# terminal was resized). quit asks first while another terminal shows it.
. "$(dirname "$0")/lib.sh"
write_lab 2
out=$("$BIN" up "$TMP/lab.lua" 2>&1) || fail "netlab up: $out"
tmux -u -L "$SOCK" -f /dev/null new-session -d -s "$SESSION" -x 120 -y 40 \
  "env LANG=C.UTF-8 TERM=screen-256color $BIN attach $LAB; echo ATTACH-EXIT=\$?; sleep 600"
wait_for "Lab $LAB is up" 20
# The title bar's right end: the console's width.
width() { tmux -L "$SOCK" capture-pane -p -t "$1" | head -1 | sed 's/ *$//' | awk '{print length($0)}'; }
wait_width() { # SESSION MIN MAX
  local i=0 w
  while [ $i -lt 100 ]; do
    w=$(width "$1")
    [ "$w" -ge "$2" ] && [ "$w" -le "$3" ] && return 0
    sleep 0.1
    i=$((i + 1))
  done
  fail "$1: the console is $w wide, not $2..$3"
}
wait_width "$SESSION" 110 120
tmux -u -L "$SOCK" -f /dev/null new-session -d -s small -x 80 -y 24 \
  "env LANG=C.UTF-8 TERM=screen-256color $BIN attach $LAB; echo ATTACH-EXIT=\$?; sleep 600"
tmux -L "$SOCK" send-keys -t small C-b :
wait_width "$SESSION" 60 80
# The big terminal types: the console stays as small as the smallest
# terminal, so the small one still shows a whole screen (a console laid
# out for 120 columns was garbage in 80).
tmux -L "$SOCK" send-keys -t small Escape
keys C-b :
keys Escape
tmux -u -L "$SOCK" -f /dev/null new-session -d -s big -x 140 -y 45 \
  "env LANG=C.UTF-8 TERM=screen-256color $BIN attach $LAB; echo ATTACH-EXIT=\$?; sleep 600"
sleep 1.5
wait_width "$SESSION" 60 80
wait_width big 60 80
tmux -L "$SOCK" send-keys -t big C-b d
tmux -L "$SOCK" capture-pane -p -t small | head -1 | grep -q "Ctrl-b ? help" ||
  fail "the small terminal's title bar is not whole: $(tmux -L "$SOCK" capture-pane -p -t small | head -1)"
tmux -L "$SOCK" send-keys -t small Escape C-b d
i=0
until tmux -L "$SOCK" capture-pane -p -t small | grep -q "ATTACH-EXIT=0"; do
  i=$((i + 1)); [ $i -lt 100 ] || fail "the small console did not detach"; sleep 0.1
done
wait_width "$SESSION" 110 120
screen | grep -q "Ctrl-b ? help" || fail "the big console was not drawn again"
# quit while another terminal shows the console asks first (newcomer
# surprise 7: it took the lab down under the other one, silently).
tmux -u -L "$SOCK" -f /dev/null new-session -d -s two -x 100 -y 30 \
  "env LANG=C.UTF-8 TERM=screen-256color $BIN attach $LAB; echo ATTACH-EXIT=\$?; sleep 600"
sleep 1
cmd "quit"
wait_for "2 terminals show this console: quit again to take lab $LAB down for all" 10
ip netns list | grep -q "^$LAB\.h1" || fail "the first quit took the lab down"
cmd "quit"
wait_for "ATTACH-EXIT=0" 20
i=0
until tmux -L "$SOCK" capture-pane -p -t two | grep -q "ATTACH-EXIT=0"; do
  i=$((i + 1)); [ $i -lt 100 ] || fail "the other console did not end"; sleep 0.1
done
echo "ok"
