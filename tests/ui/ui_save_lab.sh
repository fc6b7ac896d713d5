# ui_save_lab.sh — `save FILE.lua` in the console writes a lab file that can
# be opened again, as a Mininet or containerlab user expects of a saved
# topology: its header names the file written and the lab file it came from
# (it named LAB.lua, a file that was not written); the lab keeps its name, so
# opening it while the lab runs says so and how to open a copy (--name),
# which then builds; and lab:on_up's functions come along (they were left
# out with a note): one written in the call, one defined before it, with
# what they use, and a module's (frr.start).
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local topo = require("netlab.topo")
local lab = netlab.lab("$LAB")
topo.linear(lab, 2)
local h1 = lab:node("h1")
local greeting = "up-and-running"
local function mark(l)
  print("mark ran on " .. tostring(l:node("h2")) .. " " .. greeting)
end
lab:on_up(function(l)
  print("inline ran " .. greeting)
end)
lab:on_up(mark)
lab:on_up(netlab.frr.start)
experiment("reach", function()
  check(h1:ping(lab:node("h2")), "h1 reaches h2")
end)
LUA
start "${W:-120}" "${H:-40}"
C=$LAB-c
trap '"$BIN" clean --force "$C" >/dev/null 2>&1; cleanup' EXIT
cmd "save $TMP/saved.lua"
wait_for "lab $LAB saved to $TMP/saved.lua"
S=$TMP/saved.lua
head -1 "$S" | grep -qF -- "-- saved.lua: lab \"$LAB\" as it ran" || fail "header: $(head -4 "$S")"
grep -qxF -- "-- It was built from $TMP/lab.lua" "$S" || fail "no origin in: $(head -4 "$S")"
grep -qF -- "\`netlab --name NEW saved.lua\` builds a copy" "$S" || fail "no --name hint: $(head -4 "$S")"
grep -q "LAB.lua\|$LAB\.lua" "$S" && fail "the header names a file that was not written: $(head -4 "$S")"
grep -qxF "local lab = netlab.lab(\"$LAB\")" "$S" || fail "the saved lab lost its name"
grep -q "not saved\|could not be saved" "$S" && fail "a note of something not saved: $(grep 'saved' "$S")"
grep -qF 'lab:on_up(require("netlab.frr").start)' "$S" || fail "frr.start not carried: $(cat "$S")"
# Opened while the lab runs: says so, and how to build a copy.
out=$("$BIN" up "$S" 2>&1) && fail "a second lab of the same name came up"
echo "$out" | grep -q "lab \"$LAB\" is already running" || fail "second up says: $out"
echo "$out" | grep -qF "netlab --name NEW $S" || fail "second up does not say --name: $out"
ip netns list | grep -q "^$C\." && fail "something of $C was built"
# A copy under another name: its on_up functions and its experiment run.
out=$(timeout 120 "$BIN" --name "$C" run "$S" 2>&1) || fail "netlab --name $C run saved.lua: $out"
echo "$out" | grep -qx "inline ran up-and-running" || fail "the inline on_up did not run: $out"
echo "$out" | grep -qx "mark ran on host h2 up-and-running" || fail "the named on_up did not run: $out"
echo "$out" | grep -qx "1 passed, 0 failed" || fail "the carried experiment: $out"
ip netns list | grep -q "^$C\." && fail "the copy left namespaces"
ip netns list | grep -q "^$LAB\.h1" || fail "the copy took the original down"
echo "ok"
