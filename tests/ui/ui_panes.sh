# ui_panes.sh — panes as tmux users know them: c and Enter open a shell in
# the node selected in the graph; % and " split the active pane; pane
# numbers (prefix q, then a digit), distinct titles, rename (prefix ,), the
# pane list in the status bar; x asks before killing a running program; &
# quits after a question and the lab is gone.
. "$(dirname "$0")/lib.sh"
start 160 50

# c: a shell in the graph's selection.
cmd "select s2"
wait_for 'inspector: s2'
keys C-b c
wait_for '[0-9]+ s2: shell '
# Enter in the graph: its selection too.
cmd "select h2"
wait_for 'inspector: h2'
keys C-b g Enter
wait_for '[0-9]+ h2: shell '
screen | grep -Eq '^ netlab .* [0-9]+:s2 [0-9]+:h2\*' || fail "status bar pane list"

# Pane numbers: q shows them, a digit picks one (s2's pane, not the last).
n=$(screen | grep -Eo '[0-9]+ s2: shell ' | head -1 | awk '{print $1}')
[ -n "$n" ] || fail "no number in s2's title"
keys C-b q
wait_for "pane $n "
keys "$n"
wait_gone "pane $n "
wait_for " $n:s2\*"

# % splits the active pane (s2's, left of h2's): the new shell is in s2
# and right beside it, between it and h2's (splitting h2's would put it
# right of h2's).
keys C-b %
wait_for 's2: shell [─-]*│ *[0-9]+ s2: shell 2 [─-]*│ *[0-9]+ h2: shell '
# " splits the active pane (now "s2: shell 2") below: a third s2 title.
keys C-b '"'
wait_for 's2: shell 3 '

# Rename the active pane: names stay distinct; the pane has the keys again after.
cmd "rename h2: shell"
wait_for 'Pane [0-9]+ is already called "h2: shell"'
keys C-b ,
wait_for 'netlab> rename'
keys -l 'web box'
keys Enter
wait_for '[0-9]+ web box '
wait_for '[0-9]+:web box\*'

# x asks when a program runs, and n keeps the pane.
keys -l "sleep 7$$"
keys Enter
sleep 0.5
keys C-b x
wait_for 'Kill pane [0-9]+ \(sleep is running in web box\)\? \(y/n\)'
keys n
wait_for 'Cancelled'
screen | grep -q 'web box' || fail "pane closed although the answer was n"
keys C-b x
wait_for 'Kill pane'
keys y
wait_for 'Pane closed'
wait_gone 'web box'
pgrep -xf "sleep 7$$" >/dev/null && fail "the program in the closed pane survived"

# A shell that ignores SIGHUP is killed after a grace time, without the
# console waiting for it.
keys -l "trap '' HUP; echo SHPID=\$\$"
keys Enter
wait_for 'SHPID=[0-9]+'
shpid=$(screen | grep -Eo 'SHPID=[0-9]+' | tail -1 | cut -d= -f2)
keys C-b x
wait_for 'Pane closed'
i=0
while [ -e /proc/"$shpid" ]; do # killed and reaped
  i=$((i + 1))
  [ $i -lt 30 ] || fail "the closed pane's shell ($shpid): $(grep State /proc/"$shpid"/status)"
  sleep 0.1
done

# &: quits after a question; the lab is torn down.
keys C-b '&'
wait_for 'Quit netlab, tearing the lab down and closing its shells\? \(y/n\)'
keys n
wait_for 'Cancelled'
keys C-b '&'
wait_for 'Quit netlab'
keys y
wait_for 'NETLAB-EXIT=0' 30
ip netns list | grep -q "^$LAB\." && fail "lab namespaces left after quit"
echo "ok"
