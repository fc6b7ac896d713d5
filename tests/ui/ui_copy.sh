# ui_copy.sh — copy mode as in tmux: the view stays on its lines while
# output arrives; ? and / search; Space, $ and Enter copy into the paste
# buffer, prefix ] pastes it; save writes a pane's whole text to a file.
. "$(dirname "$0")/lib.sh"
start 120 40
cmd "term h1"
wait_for '[0-9]+ h1: shell'
keys -l 'seq 1 300; (sleep 2; seq 5001 5100) &'
keys Enter
wait_for '^300 *(│|$)'
keys C-b '['
wait_for 'copy mode 0/'
keys PageUp
wait_for 'copy mode [1-9][0-9]*/'
pane_text() { screen | grep -E '^[0-9]+ *│' | sed 's/ *│.*//'; }
before=$(pane_text)
sb=$(screen | grep -Eo 'copy mode [0-9]+/[0-9]+' | sed 's|.*/||')
# Wait for the background seq to push 100 more lines into the scrollback.
i=0
while [ "$(screen | grep -Eo 'copy mode [0-9]+/[0-9]+' | sed 's|.*/||')" -lt $((sb + 100)) ]; do
  i=$((i + 1))
  [ $i -lt 100 ] || fail "the output did not arrive"
  sleep 0.1
done
[ "$(pane_text)" = "$before" ] || fail "the view moved while output arrived"
screen | grep -q '^5100' && fail "copy mode shows the live screen"

# ? searches up from the cursor: to the line "137".
keys '?'
wait_for 'search up:'
keys -l '137'
keys Enter
wait_for '\?137: line [0-9]+ of'
wait_for '^137 *(│|$)'
# Select to the end of the line and copy; then paste into the shell.
keys Space '$' Enter
wait_for 'Copied 3 bytes'
wait_gone 'copy mode'
wait_for '^5100 *(│|$)'
keys -l 'echo PASTED-'
keys C-b ']'
keys Enter
wait_for '^PASTED-137 *(│|$)'
# A match over a line the terminal wrapped is found where it starts.
keys -l "printf \"%0\$(stty size | cut -d' ' -f2)d\" 0 | tr 0 x; echo wrapped-$$-end"
keys Enter
wait_for "^wrapped-$$-end"
keys C-b '['
keys '?'
keys -l "xwrapped-$$"
keys Enter
wait_for "\\?xwrapped-$$: line"
keys q
# / searches down, wrapping; no match says so.
keys C-b '['
keys '/'
keys -l 'nothing-like-this'
keys Enter
wait_for 'No match for "nothing-like-this" in h1: shell'
keys q
wait_gone 'copy mode'

# save: the pane's whole text, scrollback included.
cmd "save $TMP/pane.txt"
wait_for "Saved [0-9]+ lines of pane [0-9]+ \(h1: shell\) to $TMP/pane.txt"
grep -qx '1' "$TMP/pane.txt" && grep -qx '5100' "$TMP/pane.txt" && grep -qx 'PASTED-137' "$TMP/pane.txt" ||
  fail "pane.txt lacks lines: $(head -3 "$TMP/pane.txt")"
# ... and the output pane's.
cmd "h1 seq 7001 7050"
wait_for 'exit 0'
cmd "save $TMP/out.txt output"
wait_for "Saved [0-9]+ lines of pane [0-9]+ \(output\)"
grep -qx '7050' "$TMP/out.txt" || fail "out.txt lacks the command's output"
cmd "save /nonexistent-dir/x.txt"
wait_for 'Cannot save to "/nonexistent-dir/x.txt": No such file or directory'
# A long paste (110 kB, more than a pty takes while its program sleeps)
# arrives whole and in order, with the keys typed after it.
keys C-b q
wait_for 'pane 1 '
keys 1
keys C-b z
wait_for 'h1: shell  \[zoomed\]'
keys -l "for i in \$(seq 1 1800); do printf 'P%059d\\n' \$i; done"
keys Enter
wait_for '^P0{55}1800 *(│|$)'
keys C-b '['
keys g
keys '/'
keys -l 'P00000000000000000000000000000000000000000000000000000000001'
keys Enter
wait_for 'line [0-9]+ of'
keys 0 Space G k '$' Enter
wait_for 'Copied 109799 bytes'
keys -l "sleep 2; cat > $TMP/paste.txt"
keys Enter
keys C-b ']'
keys Enter C-d
i=0
until [ "$(wc -l <"$TMP/paste.txt" 2>/dev/null)" = 1800 ] && [ "$(screen | grep -c 'h1#')" -ge 1 ]; do
  i=$((i + 1))
  [ $i -lt 300 ] || fail "the paste arrived cut: $(wc -l <"$TMP/paste.txt") lines"
  sleep 0.1
done
for i in $(seq 1 1800); do printf 'P%059d\n' $i; done | cmp -s - "$TMP/paste.txt" ||
  fail "the paste differs: $(for i in $(seq 1 1800); do printf 'P%059d\n' $i; done | cmp - "$TMP/paste.txt")"
echo "ok"
