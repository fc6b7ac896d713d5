# ui_owner.sh — the console on a shared machine (issue 9 §3): a second
# console on a running lab exits at once with the owner's pid, tty and start
# time (no dead UI); `netlab clean` without --force does not stop it, and
# nothing done to it stops another running lab; a console stopped from outside
# (SIGTERM) says so and exits 143, leaving nothing behind.
. "$(dirname "$0")/lib.sh"
OTHER=uio-$$
cleanup_owner() {
  "$BIN" clean --force "$OTHER" >/dev/null 2>&1
  cleanup
}
trap cleanup_owner EXIT
start 100 30
owner=$(awk '/^owner/ {print $2; exit}' "/run/netlab/$LAB/journal")
[ -n "$owner" ] || fail "no owner line in the journal"

# A second console on the same lab.
tmux -L "$SOCK" new-window -d -t "$SESSION" -n second \
  "env LANG=C.UTF-8 TERM=screen-256color $BIN $TMP/lab.lua; echo SECOND-EXIT=\$?; sleep 600"
second() { tmux -L "$SOCK" capture-pane -p -J -t "$SESSION:second"; }
i=0
until second | grep -q 'SECOND-EXIT='; do
  i=$((i + 1))
  [ $i -lt 150 ] || fail "the second console did not exit: $(second)"
  sleep 0.1
done
second | grep -q "SECOND-EXIT=1" || fail "the second console's exit status: $(second)"
second | grep -Eq "lab \"$LAB\" is already running \(netlab pid $owner on /dev/pts/[0-9]+, since [0-9-]+ [0-9:]+\)" ||
  fail "the second console does not name the owner: $(second)"
second | grep -q "netlab clean" && fail "the second console suggests a clean: $(second)"
kill -0 "$owner" || fail "the first console died"

# Another lab, run from outside: stopping or cleaning the console's lab
# leaves it running. (The console's own `clean` command is not typed here:
# it sweeps every crashed lab on the machine, other people's too.)
cat >"$TMP/other.lua" <<LUA
local lab = netlab.lab("$OTHER")
local h1 = lab:host("h1", { ip = "10.9.0.1/24" })
local h2 = lab:host("h2", { ip = "10.9.0.2/24" })
lab:link(h1, h2)
experiment("x", function() netlab.sleep(20); check(h1:ping(h2), "h1 reaches h2") end)
LUA
"$BIN" run "$TMP/other.lua" >"$TMP/other.out" 2>&1 &
opid=$!
i=0
until grep -q '^owner' "/run/netlab/$OTHER/journal" 2>/dev/null && [ -e "/run/netns/$OTHER.h2" ]; do
  i=$((i + 1))
  [ $i -lt 300 ] || fail "the other lab did not come up: $(cat "$TMP/other.out")"
  sleep 0.1
done
out=$("$BIN" clean "$LAB" 2>&1) && fail "netlab clean of the console's lab succeeded: $out"
echo "$out" | grep -q "lab \"$LAB\" is running (netlab pid $owner" || fail "clean's refusal: $out"
kill -0 "$owner" || fail "netlab clean without --force stopped the console"

# Stopped from outside.
kill -TERM "$owner"
wait_for "NETLAB-EXIT=143" 30
screen | grep -q "stopped by SIGTERM; lab $LAB torn down" || fail "no word of the SIGTERM on the screen"
grep -q "signal 15 from pid" "$TMP/state/netlab/console.log" || fail "the log does not say who stopped it"
ip netns list | grep -q "^$LAB\." && fail "namespaces left: $(ip netns list | grep "^$LAB\.")"
[ -e "/run/netlab/$LAB" ] && fail "run directory left"
kill -0 $opid || fail "the other lab died with the console"
wait $opid || fail "the other lab failed: $(cat "$TMP/other.out")"
echo "ok"
