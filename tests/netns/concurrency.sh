#!/usr/bin/env bash
# concurrency.sh — a second lab of the same name is refused; different labs
# run side by side; concurrent cleans of one lab are safe (issue 2, item 9).
. "$(dirname "$0")/../lib.sh"
need_root

name=tcc$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2)
experiment("x", function()
  netlab.sleep(tonumber(os.getenv("HOLD") or "0"))
  check(h1:ping(h2), "h1 reaches h2")
end)
LAB
)
HOLD=4 "$NETLAB" run "$f" >"$TMP/first.out" 2>&1 &
pid=$!
expect "the first lab is up" wait_for "[ -e /run/netns/$name.h2 ]" 20
out=$("$NETLAB" run "$f" 2>&1)
expect "a second lab of the same name is refused: $out" \
        grep -q "lab \"$name\" is already running" <<<"$out"
other=tcd$$
g=$(mklab $other <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2)
experiment("x", function() check(h1:ping(h2), "h1 reaches h2") end)
LAB
)
expect "a different lab with the same addresses runs alongside" "$NETLAB" run "$g"
wait $pid
expect "the first lab passes too" [ $? -eq 0 ]
expect "the first lab: nothing left" nothing_left $name
expect "the second lab: nothing left" nothing_left $other

# Two cleans at once of a crashed lab.
"$NETLAB" run "$f" --keep >/dev/null 2>&1
"$NETLAB" clean $name &
a=$!
"$NETLAB" clean $name &
b=$!
wait $a
ra=$?
wait $b
rb=$?
# One finds the lab gone if the other was quicker: "no lab" (exit 1) then.
expect "two concurrent cleans succeed ($ra, $rb)" \
        [ $ra -eq 0 -a $rb -eq 0 -o $ra -eq 0 -a $rb -eq 1 -o $ra -eq 1 -a $rb -eq 0 ]
expect "and leave nothing" nothing_left $name

# Clean of a running lab leaves it alone; --force asks it to stop, and it
# tears down.
HOLD=30 "$NETLAB" run "$f" >/dev/null 2>&1 &
pid=$!
expect "the lab is up again" wait_for "[ -e /run/netns/$name.h2 ] && grep -q '^owner' /run/netlab/$name/journal" 20
"$NETLAB" clean $name 2>/dev/null
expect "clean of a running lab fails" [ $? -ne 0 ]
expect "and the lab still runs" kill -0 $pid
"$NETLAB" clean --force $name
expect "clean --force of a running lab succeeds" [ $? -eq 0 ]
wait $pid
expect "the running netlab stopped" bash -c "! kill -0 $pid 2>/dev/null"
expect "and nothing is left" nothing_left $name
finish
