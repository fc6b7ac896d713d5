#!/usr/bin/env bash
# signals.sh — SIGINT during a build and SIGTERM during a run: netlab tears
# the lab down in order and exits non-zero (issue 2, item 9).
. "$(dirname "$0")/../lib.sh"
need_root

name=tsi$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
netlab.topo.linear(lab, 200)
experiment("x", function() check(true, "built") end)
LAB
)
"$NETLAB" run "$f" >/dev/null 2>&1 &
pid=$!
expect "the build gets going" wait_for \
        "[ \$(grep -c '^netns' /run/netlab/$name/journal 2>/dev/null || echo 0) -ge 40 ]" 30
kill -INT $pid
wait $pid
rc=$?
expect "SIGINT during the build: non-zero exit ($rc)" [ $rc -ne 0 ]
expect "SIGINT during the build: nothing left, without netlab clean" nothing_left $name

name=tst$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2)
experiment("x", function() h1:cmd("sleep 302") end)
LAB
)
"$NETLAB" run "$f" >/dev/null 2>&1 &
pid=$!
expect "the experiment runs" wait_for "pgrep -f '^sleep 302$'" 20
kill -TERM $pid
wait $pid
rc=$?
expect "SIGTERM during a run: non-zero exit ($rc)" [ $rc -ne 0 ]
expect "SIGTERM during a run: the command is gone" bash -c "! pgrep -f '^sleep 302$'"
expect "SIGTERM during a run: nothing left" nothing_left $name
finish
