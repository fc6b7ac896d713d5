# ui_up_progress.sh — `netlab up` says how its build goes: on a terminal one
# line rewritten in place (erased at the end), elsewhere one stderr line per
# phase; stdout gets only the answer, "Lab X is up: N nodes, M links (T s)"
# and how to attach. A failed build says why and that nothing is left (the
# kernel agrees). It once printed nothing until the lab was up, and a
# failure did not say what was left.
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local topo = require("netlab.topo")
local lab = netlab.lab("$LAB")
topo.linear(lab, 40)
LUA
# Not a terminal: a line per phase on stderr, stdout for scripts.
"$BIN" up "$TMP/lab.lua" >"$TMP/out" 2>"$TMP/err" || fail "netlab up: $(cat "$TMP/out" "$TMP/err")"
head -1 "$TMP/out" | grep -Eqx "Lab $LAB is up: 80 nodes, 79 links \([0-9.]+ s\)" ||
  fail "stdout's first line: $(cat "$TMP/out")"
[ "$(wc -l <"$TMP/out")" = 2 ] || fail "stdout has more than the answer: $(cat "$TMP/out")"
for phase in "namespaces \(80\)" "links \(79\)" "up \(80\)"; do
  grep -Eq "^netlab up: $LAB: $phase [0-9.]+ s$" "$TMP/err" || fail "no /$phase/ on stderr: $(cat "$TMP/err")"
done
[ "$(grep -c "links" "$TMP/err")" = 1 ] || fail "more than a line per phase: $(cat "$TMP/err")"
ip netns list | grep -q "^$LAB\.h40 " || ip netns list | grep -qx "$LAB\.h40" || fail "no namespace h40"
"$BIN" down "$LAB" >/dev/null || fail "netlab down"

# A terminal: the line is rewritten in place (tmux logs the raw bytes), and
# erased before the answer.
tmux -u -L "$SOCK" -f /dev/null new-session -d -s "$SESSION" -x "${W:-80}" -y "${H:-24}" "bash --norc" ||
  fail "cannot start tmux"
tmux -L "$SOCK" pipe-pane -o -t "$SESSION" "cat >>$TMP/raw"
keys -l "$BIN up $TMP/lab.lua; echo UP-EXIT=\$?"
keys Enter
wait_for "UP-EXIT=0" 60
wait_for "^Lab $LAB is up: 80 nodes, 79 links"
screen | grep -q "netlab up: $LAB:" && fail "the progress line stayed on the screen"
grep -aEq $'\r\033\\[Knetlab up: '"$LAB"': links [0-9]+/79 \([0-9.]+ s\)' "$TMP/raw" ||
  fail "no progress line on the terminal: $(tr '\r\033' '|^' <"$TMP/raw" | head -c 2000)"
"$BIN" down "$LAB" >/dev/null || fail "netlab down"

# A build that fails half way (a namespace of its name is taken): why, and
# that nothing is left; the taken namespace is not the lab's and stays.
ip netns add "$LAB.h30" || fail "cannot make the conflicting namespace"
trap 'ip netns del "$LAB.h30" 2>/dev/null; cleanup' EXIT
"$BIN" up "$TMP/lab.lua" >"$TMP/out" 2>"$TMP/err" && fail "a failing build succeeded"
[ -s "$TMP/out" ] && fail "stdout after a failure: $(cat "$TMP/out")"
grep -Eq "^netlab up: Build failed: .*$LAB\.h30.*; nothing of lab $LAB is left$" "$TMP/err" ||
  fail "the failure says: $(cat "$TMP/err")"
[ "$(ip netns list | grep -c "^$LAB\.")" = 1 ] || fail "left namespaces: $(ip netns list | grep "^$LAB\.")"
[ -e "/run/netlab/$LAB" ] && fail "left its run directory"
ip netns del "$LAB.h30"
echo "ok"
