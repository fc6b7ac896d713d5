# ui_scale.sh — the console on a 2,000-node lab (linear,1000; issue 16 §3),
# 200x60: the graph opens; `/` in the graph pane types "select " on the
# command line and a name selects that node, the view jumps to it (its label
# on the screen, the rows above it counted off-screen) and the inspector
# shows it; a name that is no node says so. A paint looks only at what is
# shown: the redraw log (NETLAB_UI_TIMING=1) counts the nodes and links each
# paint looked at, those on the screen (at most 600) of the lab's 2,000 and 1,999, and
# the paints after panning take under 50 ms each (median; the ASan build).
# The monitor's namespace ids are asked for on the kernel worker: following
# the 2,000 nodes holds the loop under 50 ms (it was 0.8 s at 5,000, -O2).
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8
write_lab 1000
LOG=$TMP/state/netlab/console.log
tmux -u -L "$SOCK" -f /dev/null new-session -d -s "$SESSION" -x 200 -y 60 \
  "env LANG=C.UTF-8 TERM=screen-256color NETLAB_UI_TIMING=1 $BIN $TMP/lab.lua; echo NETLAB-EXIT=\$?; sleep 600" ||
  fail "cannot start tmux"
wait_for "Lab $LAB is up" 150
wait_for "2000 nodes, 1999 links"
wait_for '\[h1\]'
mon=$(sed -nE 's/.*monitor: 2000 nodes followed, ([0-9.]+) ms on the loop.*/\1/p' "$LOG" | head -1)
[ -n "$mon" ] || fail "no monitor timing logged"
awk -v m="$mon" 'BEGIN {exit !(m < 50)}' || fail "following 2000 nodes held the loop $mon ms (over 50 ms)"

# the view's paints after this point
painted() { awk -v n0="$1" '/ redraw / && ++i > n0' "$LOG"; }
keys C-b g
n0=$(grep -c ' redraw ' "$LOG")
keys /
wait_for 'netlab> select *$' 5
keys -l h777
keys Enter
wait_for "inspector: h777 " 10
wait_for '\[h777\]' 5
wait_for '▲[0-9]+ ' 5
screen | grep -q '\[h1\]' && fail "the view did not move to h777 (h1 still shown)"
wait_for 'eth0 UP .*-> s777:p1' 10
wait_for '10\.0\.3\.9/8' 10 # h777's address (10.0.0.0/8 + 777)

# Panning from there: each paint looks at what is on the screen, not the lab.
for k in J J L L K H PgDn PgUp End Home; do keys "$k"; sleep 0.2; done
sleep 1
p=$(painted "$n0")
[ -n "$p" ] || fail "no redraw logged"
max_links=$(sed -nE 's/.*, ([0-9]+) links painted.*/\1/p' <<<"$p" | sort -n | tail -1)
max_nodes=$(sed -nE 's/.*graph: ([0-9]+) nodes.*/\1/p' <<<"$p" | sort -n | tail -1)
med=$(awk '{print $4}' <<<"$p" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
echo "paints after panning: $(wc -l <<<"$p"), at most $max_nodes nodes and $max_links links looked at, median $med ms"
[ "${max_links:-9999}" -le 600 ] || fail "a paint looked at $max_links links of 1999"
[ "${max_nodes:-9999}" -le 600 ] || fail "a paint looked at $max_nodes nodes of 2000"
awk -v m="$med" 'BEGIN {exit !(m < 50)}' || fail "median paint $med ms (over 50 ms)"

# A name that is no node.
keys /
wait_for 'netlab> select *$' 5
keys -l nosuch
keys Enter
wait_for 'No node "nosuch"' 5
echo "ok: ui_scale"
