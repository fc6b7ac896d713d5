# ui_split.sh — split, cycle and zoom change the layout, as tmux users expect.
. "$(dirname "$0")/lib.sh"
start
cmd "term h1"
wait_for 'h1: shell'
keys C-b %
wait_for 'h1: shell.*h1: shell'        # two shells side by side on one row
keys C-b '"'
n=$(screen | grep -o 'h1: shell' | wc -l)
[ "$n" -ge 3 ] || fail "expected 3 shell panes, saw $n"
keys C-b z
wait_for 'zoomed'
screen | grep -q 'graph: ' && fail "graph still visible while a pane is zoomed"
n=$(screen | grep -o 'h1: shell' | wc -l)
[ "$n" = 1 ] || fail "zoomed: expected 1 pane title, saw $n"
keys C-b z
wait_for 'graph: '
wait_gone 'zoomed'
# Close one pane: two shells remain.
keys C-b x
wait_for 'Pane closed'
n=$(screen | grep -o 'h1: shell' | wc -l)
[ "$n" = 2 ] || fail "after close: expected 2 shell panes, saw $n"
# The help overlay lists the bindings and goes away on a key.
keys C-b '?'
wait_for 'netlab console: keys'
keys q
wait_gone 'netlab console: keys'
echo "ok"
