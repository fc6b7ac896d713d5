# ui_graph_pan.sh — labs/vlan.lua at 80x24: the whole graph fits the graph
# pane (every node on the screen at once). When the pane shrinks (a shell
# below it, then narrower), the pane says what is off-screen in each
# direction, H/J/K/L pan both ways to each end, selecting a node brings it
# into view, and the view goes back to 0 when the graph fits again. The
# inspector scrolls (PgDn, End, Home).
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8
ship_lab labs/vlan.lua
start 80 24
nodes="brx bry brz netns1 netns2 netns4 netns5 netns1t netns4t netns6 netns7 netns9 netns10 netns11"
label() { echo "[[<({]$1[]>)}]"; }

for n in $nodes; do
  screen | grep -Eq "$(label "$n")" || fail "80x24: $n is not on the screen"
done
screen | grep -Eq '[◀▶▲▼][0-9]+' && fail "80x24: the graph fits but something is said off-screen"

# A shell below the graph: less height, the graph pans down and back up.
cmd "term netns1"
wait_for 'netns1: shell'
wait_for '▼[0-9]+ more' 3
keys C-b g
for i in $(seq 10); do keys J; done
wait_gone '▼[0-9]+' 3
wait_for '▲[0-9]+ more' 3
wait_for '\[netns11\]' 3
for i in $(seq 10); do keys K; done
wait_gone '▲[0-9]+' 3
wait_for '<brx>' 3
keys PgDn # a page at a time too
wait_for '▲[0-9]+' 3
keys PgUp
wait_gone '▲[0-9]+' 3

# A narrow graph pane: it pans right and left too.
for i in $(seq 8); do keys C-b '<'; done
wait_for '▶[0-9]+' 3
for i in $(seq 10); do keys L; done
wait_gone '▶[0-9]+' 3
wait_for '◀[0-9]+' 3
for i in $(seq 10); do keys H; done
wait_gone '◀[0-9]+' 3
keys End
wait_for '◀[0-9]+' 3
keys Home
wait_gone '◀[0-9]+' 3

# Selecting any node brings it into view, whole; the off-screen counts stay
# on the pane's last row (they once landed after the label drawn last).
for n in $nodes; do
  cmd "select $n"
  wait_for "inspector: $n "
  wait_for "$(label "$n")" 3
  screen | grep -Eq "$(label "$n").*[◀▶▲▼]" && fail "the off-screen counts follow $n's label"
done

# The shell leaves and the pane grows back: once the graph fits, the view
# is back at the top-left and every node is on the screen.
keys C-b g
keys C-b Down # the shell below the graph
keys -l 'exit'
keys Enter
wait_gone 'netns1: shell ─' 5
keys C-b g
for i in $(seq 12); do
  screen | grep -Eq '[◀▶▲▼][0-9]+' || break
  keys C-b '>'
  sleep 0.3
done
wait_gone '[◀▶▲▼][0-9]+' 3
wait_for '<brx>' 3
for n in $nodes; do
  screen | grep -Eq "$(label "$n")" || fail "after the shell left: $n is not on the screen"
done

# The inspector scrolls: brx has more lines than the pane at 80x24.
cmd "select brx"
wait_for 'inspector: brx'
wait_for '↓[0-9]+ more' 5
keys C-b g
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
