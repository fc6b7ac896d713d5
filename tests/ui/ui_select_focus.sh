# ui_select_focus.sh — a command line that selects a node gives the keys back
# to the graph, as `/` NAME Enter does: `select NODE` typed on the command
# line, a bare node name, and `/` + name. The arrows then move the selection
# (they once went to the command line until `/` was pressed). Typed from the
# inspector, the graph becomes the active pane; typed from a shell (Ctrl-b :),
# the shell gets them back (ui_cmd_back). A command that selects nothing
# keeps the line.
. "$(dirname "$0")/lib.sh"
write_lab 4
start 120 40
prompt() { screen | tail -1; }
# The selection moves with Right after each way of selecting s2.
moved() {
  wait_for "inspector: s2 " 5
  keys Right
  wait_for "inspector: s3 " 5
  prompt | grep -q 'netlab> *$' || prompt | grep -vq 'netlab>' || fail "$1: the arrow reached the command line: $(prompt)"
}
cmd "select s2"
moved "select s2"
cmd "s2"
moved "a bare node name"
keys /
wait_for 'netlab> select' 3
keys -l s2
keys Enter
moved "/ s2"
# Typed while the inspector is the active pane: the graph takes the keys.
keys C-b Right
wait_for 'inspector: s3' 3
cmd "select s2"
moved "select from the inspector"
# A line that selects nothing keeps the keys on the command line.
cmd "help-nonsense"
keys -l "abc"
wait_for 'netlab> abc' 3
keys Escape
wait_gone 'netlab> abc' 3
# A failed select names the node and keeps the line.
cmd "select nosuch"
wait_for 'nosuch' 3
keys -l "xyz"
wait_for 'netlab> xyz' 3
echo "ok"
