# ui_zoom_copy.sh — a narrow pane's text stays in order through zoom, copy
# mode while output arrives, and unzoom (newcomer s4 #2: the saved pane read
# seq=26 27 16 31 30 29 28 32 27 ...: lines that begin alike took each
# other's tails when the pane narrowed and widened again, ui/vt.c). A copy
# mode view keeps its top line through a resize.
. "$(dirname "$0")/lib.sh"
start 80 24
for n in h1 h2 s1; do
  cmd "term $n"
  wait_for "[0-9]+ $n: shell"
done
# The third pane is 23 columns wide: each 55-column line wraps.
keys -l 'stty size'
keys Enter
wait_for '^ *[0-9]+ 23 *(│|$)|│[0-9]+ 23 *(│|$)'
keys -l 'clear; for i in $(seq 1 45); do echo 64 bytes from d2 10.77.1.2 icmp_seq=$i ttl=64 time=0.1 ms; sleep 0.2; done; echo DO""NE'
keys Enter
sleep 2
keys C-b z
wait_for '^ 3 s1: shell  \[zoomed\]'
keys C-b '['
wait_for 'copy mode'
for i in 1 2 3; do
  keys PageUp
  sleep 0.7
done
keys q
wait_gone 'copy mode'
keys C-b z
wait_for '│ 3 s1: shell ─'
wait_for 'DONE' 30
cmd "save $TMP/x.txt 3"
wait_for "Saved [0-9]+ lines of pane 3"
got=$(grep -o 'icmp_seq=[0-9]*' "$TMP/x.txt" | cut -d= -f2 | tr '\n' ' ')
want=$(seq 1 45 | tr '\n' ' ')
[ "$got" = "$want" ] || fail "the saved pane is out of order: $got"
# Zoomed again: the lines cut at 23 columns are whole and still in order.
keys C-b z
wait_for '^ 3 s1: shell  \[zoomed\]'
cmd "save $TMP/y.txt 3"
wait_for "Saved [0-9]+ lines of pane 3"
got=$(grep -o 'icmp_seq=[0-9]*' "$TMP/y.txt" | cut -d= -f2 | tr '\n' ' ')
[ "$got" = "$want" ] || fail "zoomed again, the pane is out of order: $got"
# Copy mode through a resize: the view stays on its top line (the pane's
# distance from the live screen changes with the lines a resize moves).
keys Escape # from the command line (save) back to the shell
wait_for 'typing goes to pane 3'
keys -l 'clear; seq -f "%04g" 1 400'
keys Enter
wait_for '^0400 *$'
keys C-b '['
wait_for 'copy mode'
keys PageUp PageUp
sleep 0.3
top_z=$(screen | sed -n 3p | tr -d ' ')
echo "$top_z" | grep -Eq '^0[0-9]{3}$' || fail "no line at the top of the zoomed copy view: $top_z"
keys C-b z
wait_for '│ 3 s1: shell'
top_u=$(screen | awk -F'│' '/│ 3 s1: shell/ {getline; print $2; exit}' | tr -d ' ')
[ "$top_u" = "$top_z" ] || fail "the copy view moved when the pane was unzoomed: $top_z, then $top_u"
keys q
echo "ok"
