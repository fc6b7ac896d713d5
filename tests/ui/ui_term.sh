# ui_term.sh — `term h1` opens a shell inside h1 (its UTS namespace:
# hostname prints h1; its network namespace: it sees eth0 with h1's address).
. "$(dirname "$0")/lib.sh"
start
cmd "term h1"
wait_for 'h1: shell'
keys -l 'hostname; echo TERM=$TERM'
keys Enter
wait_for '^h1 *(│|$)'
wait_for 'TERM=xterm-256color'
keys -l 'ip -br addr show eth0'
keys Enter
wait_for 'eth0@if[0-9]+ +UP +10\.0\.0\.1/8'
# Scroll back (copy mode): lines that left the pane come back, q leaves.
keys -l 'seq 1001 1200'
keys Enter
wait_for '^1200 *(│|$)'
keys C-b '['
wait_for 'copy mode 0/'
keys PageUp PageUp PageUp
wait_for '^11[0-5][0-9] *(│|$)' # lines no longer on the live screen
keys q
wait_gone 'copy mode'
wait_for '^1200 *(│|$)'
# A shell that exits closes its pane with a note.
keys -l 'exit'
keys Enter
wait_for 'h1: shell exited \(status 0\)'
wait_gone 'h1: shell  '
echo "ok"
