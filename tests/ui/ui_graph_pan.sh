# ui_graph_pan.sh — labs/vlan.lua at 80x24, wider than the graph pane:
# the pane says what is off-screen, every node can be brought into view,
# H/L pan to both ends, the view goes back to 0 when the window grows so
# that the graph fits, and the inspector scrolls (arrows, PgDn, End, Home).
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8
ship_lab labs/vlan.lua
start 80 24
wait_for '▶[0-9]+ more'

# Every node: selected, its label whole on the screen, the inspector on it.
for n in brx bry brz netns1 netns2 netns4 netns5 netns1t netns4t netns6 netns7 netns9 \
  netns10 netns11; do
  cmd "select $n"
  wait_for "inspector: $n "
  wait_for "[[<({]$n[]>)}]" 3
done

# Pan with the keys of the graph pane: to the left end, then the right end.
keys C-b g
for i in $(seq 16); do keys H; done
wait_gone '◀[0-9]+' 3
wait_for '▶[0-9]+ more' 3
wait_for '\[netns1\]' 3
for i in $(seq 16); do keys L; done
wait_gone '▶[0-9]+' 3
wait_for '◀[0-9]+ more' 3
wait_for '\(netns10\)' 3

# The window grows: the graph fits, the view is back at the left edge.
tmux -L "$SOCK" resize-window -t "$SESSION" -x 240 -y 50
wait_gone '[◀▶][0-9]+ more' 5
wait_for '^ \[netns1\]' 5

# The inspector scrolls: brx has more lines than the pane at 80x24.
tmux -L "$SOCK" resize-window -t "$SESSION" -x 80 -y 24
cmd "select brx"
wait_for 'inspector: brx'
wait_for '↓[0-9]+ more' 5
keys C-b Right # from the graph to the inspector
keys PgDn
wait_for '↑[0-9]+' 3
keys End
wait_gone '↓[0-9]+ more' 3
wait_for 'kept by the userspace datapath|fdb \(' 3
keys Home
wait_gone '↑[0-9]+' 3
wait_for 'brx \(switch\)' 3
echo "ok"
