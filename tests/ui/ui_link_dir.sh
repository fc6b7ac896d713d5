#!/usr/bin/env bash
# ui_link_dir.sh — the console's per-direction and Gilbert-Elliott syntax,
# as the lab file's from = {NODE = {...}} and loss = {p, r, h, k}:
# `link A B set delay 5ms from A delay 30ms`, `loss gemodel P R [H K]` and
# its labelled form (what `show` prints), errors naming the bad word, and
# `reset` putting a per-direction link back as its file says.
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local lab = netlab.lab("$LAB")
local s = lab:switch("s")
local h1 = lab:host("h1", { ip = "10.9.0.1/24" })
local h2 = lab:host("h2", { ip = "10.9.0.2/24" })
lab:link(h1, s, { delay = "1ms", from = { s = { delay = "20ms" } } })
lab:link(h2, s)
LUA
start 200 60
wait_for " 3 nodes, 2 links"
cmd "link h1 s show"
wait_for 'link h1-s: from h1: delay 1ms; from s: delay 20ms'
# Only the frames leaving h1 are delayed: an RTT of 60-69 ms, where both
# ways would give 120 or more (several pings: the first waits for ARP, and a
# loaded machine may stall one).
cmd "link h1 s set from h1 delay 60ms"
wait_for 'link h1-s: from h1: delay 60ms; from s: none'
cmd "link h1 s show"
wait_for 'link h1-s: from h1: delay 60ms; from s: none'
cmd "h1 ping -c 5 -i 0.3 h2"
wait_for 'h1\$ ping -c 5 -i 0\.3 10\.9\.0\.2: exit 0' 30
screen | grep -qE 'icmp_seq=[2-5] .*time=6[0-9](\.[0-9]+)? ms' ||
        fail "no RTT of 60-69 ms with 60ms from h1 only"
# Words before from go both ways; a from's words override those keys for that end.
cmd "link h1 s set delay 5ms from s delay 10ms loss 1%"
wait_for 'link h1-s: from h1: delay 5ms; from s: delay 10ms loss 1%$'
cmd "link h1 s show"
wait_for 'link h1-s: from h1: delay 5ms; from s: delay 10ms loss 1%'
# Gilbert-Elliott: positional as tc-netem, labelled as show prints it.
# set replaces every parameter (as tc's change): its answer names those it dropped.
cmd "link h1 s set loss gemodel 5% 50%"
wait_for 'link h1-s: loss gemodel p 5% r 50% h 0% k 100% \(no longer: delay\)'
cmd "link h1 s show"
wait_for 'link h1-s: loss gemodel p 5% r 50% h 0% k 100%'
cmd "link h1 s set delay 2ms loss gemodel p 1% r 20% h 30% k 99% from h1 delay 3ms"
wait_for 'link h1-s: from h1: delay 3ms loss gemodel p 1% r 20% h 30% k 99%; from s: delay 2ms loss gemodel p 1% r 20% h 30% k 99%$'
cmd "link h1 s show"
wait_for 'from h1: delay 3ms loss gemodel p 1% r 20% h 30% k 99%; from s: delay 2ms loss gemodel'
cmd "link h1 s set loss gemodel 3 40 duplicate 1%"
wait_for 'link h1-s: loss gemodel p 3% r 40% h 0% k 100% duplicate 1% \(no longer: delay\)'
cmd "link h1 s show"
wait_for 'link h1-s: loss gemodel p 3% r 40% h 0% k 100% duplicate 1%'
# Bad words are named; nothing changes.
cmd "link h1 s set loss gemodel 5% 150%"
wait_for 'set link: "150%" is not a percentage \(loss gemodel r\)'
cmd "link h1 s set loss gemodel"
wait_for 'set link: loss gemodel needs P'
cmd "link h1 s set loss gemodel p x"
wait_for 'set link: "x" is not a percentage \(loss gemodel p\)'
cmd "link h1 s set from h2 delay 1ms"
wait_for 'set link: from "h2": not an end of link h1-s'
cmd "link h1 s show"
wait_for 'link h1-s: loss gemodel p 3% r 40% h 0% k 100% duplicate 1%'
# 80x24: the same on the status line.
tmux -L "$SOCK" resize-window -t "$SESSION" -x 80 -y 24
cmd "link h1 s set from s delay 7ms"
wait_for 'link h1-s: from h1: none; from s: delay 7ms \(no longer: loss, duplicate\)'
cmd "link h1 s show"
wait_for 'link h1-s: from h1: none; from s: delay 7ms'
cmd "reset"
wait_for "reset: lab $LAB is as its file says" 30
cmd "link h1 s show"
wait_for 'link h1-s: from h1: delay 1ms; from s: delay 20ms'
cmd "quit"
wait_for "NETLAB-EXIT=0" 30
ip netns list | grep -q "^$LAB\." && fail "namespaces left: $(ip netns list | grep "^$LAB\.")"
echo "PASS ($TEST)"
