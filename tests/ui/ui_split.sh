# ui_split.sh — split, cycle and zoom change the layout, as tmux users expect.
. "$(dirname "$0")/lib.sh"
start
cmd "term h1"
wait_for 'h1: shell'
keys C-b %
wait_for 'h1: shell.*h1: shell'        # two shells side by side on one row
keys C-b '"'
wait_count 'h1: shell' 3
keys C-b z
wait_for 'zoomed'
wait_count 'h1: shell' 1
screen | grep -q 'graph: ' && fail "graph still visible while a pane is zoomed"
wait_count 'h1: shell' 1
keys C-b z
wait_for 'graph: '
wait_gone 'zoomed'
# Close one pane: two shells remain.
keys C-b x
wait_for 'Pane closed'
wait_count 'h1: shell' 2
# The help overlay lists the bindings and goes away on a key.
keys C-b '?'
wait_for 'netlab console: keys'
keys q
wait_gone 'netlab console: keys'
echo "ok"
