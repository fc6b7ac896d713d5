# ui_titles.sh — pane titles are never cut mid-word: at 80x24 the graph's
# legend keeps only the kinds that fit whole (it once read "(router) [na"),
# the experiments pane drops its hint, a shell's copy-mode title shortens;
# at 200x60 every kind of the lab and the hints are there.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8
# A long lab name leaves less room for the legend: 18 characters end the
# old title inside "(router)" at 80 columns.
LAB=$(printf 'uit-%07d-lnamex' $$)
write_lab 2
# title WORD: the title text of the pane whose title starts with WORD.
title() { screen | grep -o "$1[^─│]*" | head -1 | sed 's/ *$//'; }
# whole_legend SIZE: the graph's title, in $t, is the lab name and whole kinds.
whole_legend() {
  t=$(title 'graph: ')
  echo "$t" | grep -Eq "^graph: $LAB( +[][<>(){}a-z]+)*\$" || fail "$1: graph title is not whole words: '$t'"
  for w in $(echo "$t" | cut -d' ' -f3-); do
    echo "$w" | grep -Eq '^(\[[a-z]+\]|<[a-z]+>|\([a-z]+\)|\{[a-z]+\})$' || fail "$1: legend word '$w' is cut"
  done
}

start 80 24
wait_for 'inspector: h1' 5
whole_legend 80x24
t=$(title 'experiments')
[ "$t" = experiments ] || echo "$t" | grep -q 'exp next)$' || fail "80x24: experiments title cut: '$t'"
# A shell in copy mode: the title says so in whole words.
cmd "term h1"
wait_for 'h1: shell' 5
keys C-b [
wait_for '\[copy' 5
t=$(screen | grep -o '[0-9] h1: shell  \[copy[^]]*\]' | head -1)
[ -n "$t" ] || fail "80x24: the copy-mode title is cut: $(screen | grep -o '[0-9] h1: shell[^─│]*')"
keys q
tmux -L "$SOCK" kill-server
"$BIN" down "$LAB" >/dev/null 2>&1

start 200 60
wait_for 'inspector: h1' 5
whole_legend 200x60
for k in '\[host\]' '<switch>'; do
  echo "$t" | grep -Eq "$k" || fail "200x60: the legend lacks $k: '$t'"
done
wait_for 'experiments \(exp run NAME, exp next\)' 3
echo "ok"
