#!/bin/bash
# ui_newcomer.sh — surprises of a newcomer's hour in the console (issue 9
# §4 of the brief): Escape on the command line cancels it, as tmux's prompt
# does (readline took it as Meta: the next word typed went to a history
# search, and the line was lost); an experiment whose name starts with its
# number (labs/vlan.lua: "1 two namespaces...") is not numbered twice.
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local topo = require("netlab.topo")
local lab = netlab.lab("$LAB")
topo.linear(lab, 2)
experiment("1 first one", function() check(true, "fine") end)
experiment("second", function() check(true, "fine") end)
LUA
start 80 24
wait_for '^ +│? +1 first one *$|│  1 first one' 5
screen | grep -q '1 1 first one' && fail "the experiment is numbered twice"
wait_for '│  2 second' 5
keys C-b :
keys -l "nodes"
wait_for '^netlab> nodes$' 5
keys Escape
wait_for '^netlab> *$' 5
sleep 0.3
keys -l "links"
wait_for '^netlab> links$' 5
keys Enter
wait_for '3 links, 0 down' 5
echo "ok"
