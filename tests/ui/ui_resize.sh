# ui_resize.sh — resizing the terminal reaches every pane (TIOCSWINSZ) and
# the screen is redrawn whole, at 80x24 and larger.
. "$(dirname "$0")/lib.sh"
start
cmd "term h1"
wait_for 'h1: shell'
tmux -L "$SOCK" resize-window -t "$SESSION" -x 80 -y 24
wait_for '^ netlab .*help *$'
keys -l 'clear; stty size'
keys Enter
sleep 0.3 # let the shell answer; the check below polls anyway
wait_for '^[0-9]+ [0-9]+ *(│|$)'
sz=$(screen | grep -E '^[0-9]+ [0-9]+ *(│|$)' | tail -1)
rows=$(echo "$sz" | awk '{print $1}'); cols=$(echo "$sz" | awk '{print $2}')
[ "$cols" -le 80 ] && [ "$rows" -le 22 ] && [ "$rows" -ge 3 ] || fail "pane size $sz after 80x24"
[ "$(screen | wc -l)" = 24 ] || fail "screen is not 24 rows"
screen | tail -1 | grep -q 'netlab>' || fail "command line missing at 80x24"
tmux -L "$SOCK" resize-window -t "$SESSION" -x 160 -y 50
wait_for '^ netlab .{100,}help *$'
keys -l 'clear; stty size'
keys Enter
# The first answer (at 80x24) may still be on screen until `clear` runs:
# wait for an answer wider than 80 columns, not for any answer.
wait_for '^[0-9]+ (8[1-9]|9[0-9]|[1-9][0-9]{2}) *(│|$)'
sz=$(screen | grep -E '^[0-9]+ [0-9]+ *(│|$)' | tail -1)
cols=$(echo "$sz" | awk '{print $2}')
[ "$cols" -gt 80 ] || fail "pane did not grow: $sz"
screen | grep -q 'NETLAB-EXIT' && fail "console died"
screen | grep -q '\[h1\]' || fail "graph lost after resize"
echo "ok"
