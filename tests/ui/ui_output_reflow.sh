#!/bin/bash
# ui_output_reflow.sh — the output pane follows its width (issue 9,
# newcomer surprise 4): a line that arrived while the pane was narrow is
# wrapped again when the window grows (one row), and again when it shrinks;
# before, it kept the width it arrived with (libvterm 0.1.4 has no reflow:
# the pane keeps its text and re-wraps it).
. "$(dirname "$0")/lib.sh"
start 80 24
cmd "h1 printf 'W%.0s' \$(seq 1 70); echo -END-$$"
wait_for "END-$$" 10
screen | grep -Eq "^W{70}-END-$$" && fail "the pane is wide enough already: the test proves nothing"
tmux -L "$SOCK" resize-window -t "$SESSION" -x 200 -y 50
wait_for '^ netlab .{150,}help *$'
wait_for "^W{70}-END-$$ *(│|$)" 5
# Narrow again: wrapped at the new width, nothing lost.
tmux -L "$SOCK" resize-window -t "$SESSION" -x 80 -y 24
wait_for '^ netlab .{0,70}help *$'
wait_gone "^W{70}-END-$$" 5
wait_for "^W+-END-$$|^W*-?E?N?D?-?$$ *(│|$)" 5
cmd "h1 echo after-$$"
wait_for "^after-$$ *(│|$)" 10
echo "ok"
