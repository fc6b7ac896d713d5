# ui_cmd_back.sh — Ctrl-b : typed in a shell pane opens the command line for
# one command, as tmux's command prompt does: after Enter (whatever the line
# did: selected a node, failed, or was empty), Escape or Ctrl-C, the keys go
# back to the shell it came from. They once stayed on the command line, and
# the next shell command became "Unknown command". A line that opens another
# shell leaves the keys in the new one; typed from the graph, the command
# line keeps them (ui_select_focus).
. "$(dirname "$0")/lib.sh"
start "${W:-120}" "${H:-40}"
cmd "term h1"
wait_for 'h1: shell'
# typed_in_shell WORD WHAT: WORD typed as `echo` reaches the shell, not the line.
typed_in_shell() {
  keys -l "echo $1-\$((6*7))"
  keys Enter
  local i=0
  while ! screen | grep -Eq "^$1-42 *(│|$)"; do
    screen | grep -q 'Unknown command "echo"' && fail "$2: the shell's keys went to the command line"
    [ $i -lt 100 ] || fail "$2: the shell did not run echo $1"
    sleep 0.1
    i=$((i + 1))
  done
}
keys -l 'echo ready-$((6*7))'
keys Enter
wait_for '^ready-42 *(│|$)'
# Enter after a line that selects a node: back to the shell (not the graph).
cmd "select h2"
wait_for 'inspector: h2 '
typed_in_shell one "select h2"
# Enter after a line that fails.
cmd "nosuchcommand"
wait_for 'Unknown command "nosuchcommand"'
typed_in_shell two "a failed line"
# An empty line (Enter alone), Escape, Ctrl-C: the prompt is gone.
keys C-b :
keys Enter
typed_in_shell three "an empty line"
keys C-b :
keys -l "abc"
wait_for 'netlab> abc' 3
keys Escape
wait_gone 'netlab> abc' 3
typed_in_shell four "Escape"
keys C-b :
keys -l "abc"
wait_for 'netlab> abc' 3
keys C-c
wait_gone 'netlab> abc' 3
typed_in_shell five "Ctrl-C"
screen | grep -q 'nothing is running' && fail "Ctrl-C on a typed line from a shell said: $(screen | tail -2)"
# Ctrl-C on an empty line still stops what the command line started.
cmd "h2 sleep 30"
wait_log '> h2 sleep 30'
keys C-b :
keys C-c
wait_log '\^C: interrupted the running commands'
typed_in_shell six "Ctrl-C on an empty line"
# The shell pane is still the active one, its title marked.
screen | grep -q '^ [0-9] h1: shell' || fail "the shell pane lost its place"
# A line that opens another shell: the keys go to the new one.
cmd "term h2"
wait_for 'h2: shell'
keys -l 'hostname'
keys Enter
wait_for '^h2 +│'
echo "ok"
