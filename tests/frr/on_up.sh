#!/usr/bin/env bash
# on_up.sh — lab:on_up(fn): what a lab runs once it is built (its services),
# before any experiment, even one registered earlier; several functions run
# in order; a `nil, message` return fails it at the lab:on_up line (and the
# lab still goes down cleanly); a bad argument names the line.
. "$(dirname "$0")/../lib.sh"
need_root

name=tup$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2)
local T = ("LABNAME"):match("%d+")
local order = {}
experiment("after", function()
  check(table.concat(order, " ") == "first second", "on_up's functions ran first, in order: " .. table.concat(order, " "))
  local st = h1:service_state("tick")
  check(st and st.state == "running", "the service on_up started runs: " .. tostring(st and st.state))
end)
lab:on_up(function(l)
  order[#order + 1] = "first"
  assert(l == lab, "on_up gets the lab")
  return h1:service("tick", "exec sleep 1003." .. T)
end)
lab:on_up(function() order[#order + 1] = "second" end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "run passes (rc $rc)" [ $rc -eq 0 ]
expect "on_up runs first" grep -qz "== on_up.*== after" <<<"$out"
expect "2 checks" grep -q "2 passed, 0 failed" <<<"$out"
expect "nothing left" nothing_left $name
expect "no service process left" [ "$(pgrep -c -f "sleep 1003\\.$$\$")" = 0 ]

name=tupf$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
lab:host("h1")
lab:on_up(function() return nil, "the daemons did not start" end)
experiment("x", function() check(true, "x") end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "a failed on_up fails the run (rc $rc)" [ $rc -eq 1 ]
expect "its message names the lab:on_up line" grep -q "FAIL.*$name.lua:3: the daemons did not start" <<<"$out"
expect "nothing left" nothing_left $name

name=tupb$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
lab:host("h1")
lab:on_up(42)
LAB
)
expect_refused $name "$f" 3 "lab:on_up: expected a function\(lab\), got number" "not a function"
finish
