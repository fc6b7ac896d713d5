#!/bin/bash
# ui_msg_long.sh — an error wider than the terminal (issue 9, newcomer
# surprise 3): the message line shows its start and an ellipsis, and the
# output pane has it whole, wrapped; before, it was cut at the width and
# only console.log had the rest. A short error stays on the message line only.
. "$(dirname "$0")/lib.sh"
start 80 24
cmd "term nosuch"
wait_for "No node \"nosuch\" in lab $LAB \(its nodes: h1 s1 h2 s2\)" 5
screen | grep -q ' output ─' && fail "a short error opened the output pane"
long=nosuchnode-$(printf 'x%.0s' $(seq 1 90))
cmd "term $long"
wait_for '…$' 5
screen | grep -q 'h1 s1 h2 s2)' || fail "the end of the error is nowhere on the screen"
wait_for '^error: No node "nosuchnode-x+' 5
screen | grep -Eq 'h1 s1 h2 s2\) *(│|$)' || fail "the output pane does not have the error's end"
echo "ok"
