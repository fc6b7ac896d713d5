# ui_name.sh — `netlab --name NAME LAB.lua`: a shipped lab opened a second
# time under another name, as `tmux new -s NAME` names a session. The file's
# own netlab.lab("...") name is never used: not at the build, not at reload;
# node shells do not inherit the override (a netlab run inside a node names
# its own lab); a second lab of the same name is refused with the fix, and
# --name with two lab files or a bad name is refused before anything is made.
. "$(dirname "$0")/lib.sh"
OWN=uitown-$$
cat >"$TMP/lab.lua" <<LUA
local lab = netlab.lab("$OWN")
require("netlab.topo").linear(lab, 2)
LUA
own_cleanup() { "$BIN" clean --force "$OWN" >/dev/null 2>&1; cleanup; }
trap own_cleanup EXIT
start 80 24 --name "$LAB"
[ -e "/run/netlab/$OWN" ] && fail "the file's own name $OWN was built too"
[ -d "/run/netlab/$LAB" ] || fail "no /run/netlab/$LAB"
screen | head -1 | grep -q " $LAB " || fail "the title does not name $LAB"

cmd "h1 sh -c 'echo name=[\$NETLAB_LAB_NAME]'"
wait_for 'name=\[\]' 15

cmd "reload"
wait_for "reload: lab $LAB is up again" 30
[ -e "/run/netlab/$OWN" ] && fail "reload built the file's own name $OWN"

# The same name again, from another terminal: refused, with the fix.
out=$("$BIN" run --name "$LAB" "$TMP/lab.lua" 2>&1) && fail "a second $LAB was built: $out"
echo "$out" | grep -q "lab \"$LAB\" is already running.*netlab --name NAME LAB.lua" ||
  fail "no fix in: $out"
out=$("$BIN" run --name 'a b' "$TMP/lab.lua" 2>&1)
[ $? = 2 ] && echo "$out" | grep -q -- '--name a b: a lab name is 1 to 24 letters' ||
  fail "bad name: $out"
out=$("$BIN" run --name x2 "$TMP/lab.lua" "$TMP/lab.lua" 2>&1)
[ $? = 2 ] && echo "$out" | grep -q -- '--name x2: names one lab, and 2 lab files are given' ||
  fail "two files: $out"
[ -e /run/netlab/x2 ] && fail "x2 was made"

cmd "quit"
for i in $(seq 100); do [ -e "/run/netlab/$LAB" ] || break; sleep 0.1; done
[ -e "/run/netlab/$LAB" ] && fail "$LAB left behind after quit"
echo "PASS ($TEST)"
