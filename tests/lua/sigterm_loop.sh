#!/usr/bin/env bash
# sigterm_loop.sh — SIGTERM during a loop of node:cmd is never lost (issue 8
# §3: one in four was): RUNS runs (default 100), each killed at a random
# moment of the loop, each must exit 143 within 10 s and leave nothing.
. "$(dirname "$0")/../lib.sh"
need_root
runs=${RUNS:-100}
name=tsigloop$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
experiment("loop", function()
  print("looping")
  while true do h1:cmd("true") end
end)
LAB
)
lost=0
bad=0
for i in $(seq "$runs"); do
        : >"$TMP/out" # emptied first: the last run's marker must not count
        "$NETLAB" run "$f" >"$TMP/out" 2>&1 &
        pid=$!
        wait_for "grep -q looping '$TMP/out'" 30
        sleep "0.0$((RANDOM % 100))"
        kill -TERM $pid
        n=0
        while kill -0 $pid 2>/dev/null && [ $n -lt 100 ]; do
                sleep 0.1
                n=$((n + 1))
        done
        if kill -0 $pid 2>/dev/null; then
                lost=$((lost + 1))
                kill -9 $pid
                wait $pid 2>/dev/null
                "$NETLAB" clean $name >/dev/null 2>&1
                continue
        fi
        wait $pid
        rc=$?
        if [ $rc -ne 143 ] || ! nothing_left $name >/dev/null; then
                bad=$((bad + 1))
                echo "run $i: exit $rc"
                sed 's/^/    /' "$TMP/out"
                "$NETLAB" clean $name >/dev/null 2>&1
        fi
done
expect "$runs SIGTERMs during a node:cmd loop: $lost lost" [ $lost -eq 0 ]
expect "  ... each exited 143 and left nothing ($bad did not)" [ $bad -eq 0 ]
finish
