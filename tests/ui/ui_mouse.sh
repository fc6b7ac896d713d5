# ui_mouse.sh — the mouse (xterm SGR reports, as a terminal sends them): a
# click focuses the pane under it or selects the node under it in the
# graph, a click on the command line focuses it, the wheel scrolls a shell
# back (copy mode) and forward out of it.
. "$(dirname "$0")/lib.sh"
start 120 40
# click X Y [BUTTON]: cells from 1, as the terminal reports them.
click() { keys -l "$(printf '\033[<%d;%d;%dM' "${3:-0}" "$1" "$2")"; keys -l "$(printf '\033[<%d;%d;%dm' "${3:-0}" "$1" "$2")"; }
wheel() { keys -l "$(printf '\033[<%d;%d;%dM' "$3" "$1" "$2")"; }
# where REGEX: "X Y" of the first match on the screen (1-based).
where() {
  screen | awk -v re="$1" '{ if (match($0, re)) { print RSTART, NR; exit } }'
}
cmd "term h1"
wait_for '[0-9]+ h1: shell'
cmd "term h2"
wait_for '[0-9]+ h2: shell'
wait_for ':h2\*'
# A click inside h1's pane (below its title) focuses it.
set -- $(where '[0-9]+ h1: shell')
[ -n "${2:-}" ] || fail "h1's title not found"
click $(($1 + 3)) $(($2 + 2))
wait_for ':h1\*'
# A click on a node in the graph selects it.
set -- $(where '\[h2\]')
click $(($1 + 1)) "$2"
wait_for 'inspector: h2'
# The command line: a click, then typing.
click 3 40
keys -l 'nodes'
keys Enter
wait_for 'available nodes are: h1 s1 h2 s2'
# The wheel over h1's shell scrolls it back, and forward out of copy mode.
set -- $(where '[0-9]+ h1: shell')
x=$(($1 + 3)) y=$(($2 + 2))
click $x $y
keys -l 'seq 1 200'
keys Enter
wait_for '^200 *(│|$)'
wheel $x $y 64
wait_for 'copy mode 3/'
wheel $x $y 64
wait_for 'copy mode 6/'
wheel $x $y 65
wheel $x $y 65
wheel $x $y 65
wait_gone 'copy mode'
# mouse off gives clicks back to the terminal.
cmd "mouse off"
wait_for 'mouse off: the terminal selects text again'
echo "ok"
