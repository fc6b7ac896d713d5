#!/usr/bin/env bash
# stop.sh — every lab can be stopped (issue 8 §3): Lua that never yields, at
# the top level or in an experiment (even inside pcall), stops on SIGINT,
# SIGTERM and SIGHUP; the lab is torn down and the exit status is 128 + the
# signal. os.exit() in a lab tears down and exits with the lab's code.
. "$(dirname "$0")/../lib.sh"
need_root

# run_until LABFILE MARKER OUTFILE: starts `netlab run`, waits for MARKER in
# its output; sets $pid.
run_until() {
        : >"$3" # emptied first: the last run's marker must not count
        "$NETLAB" run "$1" >"$3" 2>&1 &
        pid=$!
        wait_for "grep -q '$2' '$3'" 30 || fail "$1: never printed $2: $(cat "$3")"
}

# wait_exit PID SECONDS: its exit status, or 255 after killing it when it
# did not stop in time.
wait_exit() {
        local i=0
        while kill -0 "$1" 2>/dev/null && [ $i -lt $(($2 * 10)) ]; do
                sleep 0.1
                i=$((i + 1))
        done
        if kill -0 "$1" 2>/dev/null; then
                kill -9 "$1"
                wait "$1" 2>/dev/null
                return 255
        fi
        wait "$1"
}

for sig in INT TERM HUP; do
        case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
        name=tstop$sig$$
        f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
local h2 = lab:host("h2")
lab:link(h1, h2)
print("built " .. h1:cmd("echo yes"))
while true do end
LAB
)
        run_until "$f" "built yes" "$TMP/out"
        kill -$sig $pid
        wait_exit $pid 30
        rc=$?
        expect "top-level busy loop, SIG$sig: exit $want (got $rc)" [ $rc -eq $want ]
        expect "  ... the message names the loop's line" \
                grep -q "$name.lua:6: interrupted by SIG$sig" "$TMP/out"
        expect "  ... nothing left" nothing_left $name
done

name=tstopexp$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
local h2 = lab:host("h2")
lab:link(h1, h2)
experiment("spin", function()
  h1:spawn("sleep 303")
  print("spinning")
  while true do pcall(function() while true do end end) end
end)
LAB
)
run_until "$f" spinning "$TMP/out"
kill -TERM $pid
wait_exit $pid 30
rc=$?
expect "experiment busy in pcall, SIGTERM: exit 143 (got $rc)" [ $rc -eq 143 ]
expect "  ... reported as a failed check at its line" \
        grep -q "FAIL .*$name.lua:8: interrupted by SIGTERM" "$TMP/out"
expect "  ... its spawned process is gone" bash -c "! pgrep -f '^sleep 303$'"
expect "  ... nothing left" nothing_left $name

# A sort comparator cannot yield: the hook raises until the code unwinds.
name=tstopsort$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
lab:host("h1")
experiment("sort", function()
  print("sorting")
  table.sort({3, 2, 1}, function(a, b) while true do end end)
end)
LAB
)
run_until "$f" sorting "$TMP/out"
kill -INT $pid
wait_exit $pid 30
rc=$?
expect "busy inside table.sort, SIGINT: exit 130 (got $rc)" [ $rc -eq 130 ]
expect "  ... nothing left" nothing_left $name

# os.exit: teardown runs, spawned processes go, the code is the lab's.
name=tstopexit$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
local h2 = lab:host("h2")
lab:link(h1, h2)
experiment("exit", function()
  h1:spawn("sleep 304")
  check(true, "before")
  pcall(os.exit, 3)
  check(false, "after os.exit")
end)
experiment("never", function() check(false, "the next experiment ran") end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
expect "os.exit(3) in an experiment (even in pcall): exit 3 (got $rc)" [ $rc -eq 3 ]
expect "  ... it says so, at its line" grep -q "$name.lua:8: the lab called os.exit(3)" <<<"$out"
expect "  ... nothing after it ran" bash -c "! grep -qE 'after os.exit|next experiment' <<<'$out'"
expect "  ... its spawned process is gone" bash -c "! pgrep -f '^sleep 304$'"
expect "  ... nothing left" nothing_left $name

name=tstopexit0$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
h1:cmd("true")
os.exit(true)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
expect "os.exit(true) at the top level, after the build: exit 0 (got $rc)" [ $rc -eq 0 ]
expect "  ... nothing left" nothing_left $name

name=tstopexitf$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
lab:host("h1")
experiment("fails then exits 0", function()
  check(false, "a failed check")
  os.exit(0)
end)
LAB
)
"$NETLAB" run "$f" >/dev/null 2>&1
rc=$?
expect "os.exit(0) after a failed check: exit 1 (got $rc)" [ $rc -eq 1 ]
expect "  ... nothing left" nothing_left $name

finish
