# ui_zoom_copy.sh — a narrow pane's text stays in order through zoom, copy
# mode while output arrives, and unzoom (newcomer s4 #2: the saved pane read
# seq=26 27 16 31 30 29 28 32 27 ...: lines that begin alike took each
# other's tails when the pane narrowed and widened again, ui/vt.c).
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
echo "ok"
