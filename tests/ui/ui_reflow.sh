# ui_reflow.sh — resizing never loses text: a line cut by a narrower window
# is whole again when the window grows back (libvterm 0.1 has no reflow:
# netlab keeps the cut rows whole, ui/vt.c), and so are lines that scrolled
# into the scrollback meanwhile.
. "$(dirname "$0")/lib.sh"
start 160 40
cmd "term h1"
wait_for '[0-9]+ h1: shell'
keys -l "printf 'W%.0s' \$(seq 1 60); echo -END-$$"
keys Enter
wait_for "^W{60}-END-$$ *(│|$)"
tmux -L "$SOCK" resize-window -t "$SESSION" -x 80 -y 24
wait_for '^ netlab .*help *$'
wait_gone "W{60}-END-$$"
# Output while narrow pushes the cut line into the scrollback.
keys -l 'seq 1 40'
keys Enter
wait_for '^40 *(│|$)'
tmux -L "$SOCK" resize-window -t "$SESSION" -x 160 -y 40
wait_for '^ netlab .{100,}help *$'
keys C-b '['
wait_for 'copy mode'
keys '?'
keys -l "END-$$"
keys Enter
wait_for "^W{60}-END-$$ *(│|$)"
keys q
echo "ok"
