#!/bin/bash
# ui_cmd_kernel.sh — console commands that change the kernel run off the
# loop (issue 9 §4): with the kernel taking 3 s to answer
# (NETLAB_TEST_KERNEL_DELAY_MS stands in for an rtnl lock another lab's
# build holds), `link h1 s1 down` runs on the command worker: keys typed
# meanwhile echo at once, the title says what runs, a line typed after it
# waits and then sees the link down, and the kernel's state follows. With
# the command on the loop, the keys took the 3 s (and the test fails).
. "$(dirname "$0")/lib.sh"
export NETLAB_TEST_KERNEL_DELAY_MS=3000
start 120 40
cmd "link h1 s1 down"
wait_for 'changing the lab: link h1 s1 down' 5
t0=$(date +%s%N)
keys C-b :
keys -l "links"
wait_for 'netlab> links' 5
dt=$((($(date +%s%N) - t0) / 1000000))
[ "$dt" -lt 1000 ] || fail "keys took $dt ms to show while a command changed the kernel"
keys Enter
# `links` waits for `link down`, then lists it down.
wait_for 'links: runs after link h1 s1 down' 3
screen | grep -Eq 'h1:eth0<->s1:[a-z0-9]+ \(down\)' && fail "links ran before link down ended"
wait_for 'h1:eth0<->s1:[a-z0-9]+ \(down\)' 15
wait_for '3 links, 1 down' 5
ip -n "$LAB.h1" -o link show eth0 | grep -q 'state DOWN' || fail "h1:eth0 is not down in the kernel"
# The graph comes back with the link's state drawn.
wait_gone 'changing the lab' 5
wait_for 'graph: ' 5
# Ctrl-C while a command changes the kernel: it says it cannot stop it and
# drops what was typed after.
cmd "link h1 s1 up"
wait_for 'changing the lab: link h1 s1 up' 5
cmd "link h1 s1 down"
wait_for 'runs after link h1 s1 up' 3
keys C-c
wait_for 'cannot be interrupted' 3
wait_gone 'changing the lab' 10
sleep 0.5
ip -n "$LAB.h1" -o link show eth0 | grep -q 'state UP\|state LOWERLAYERDOWN\|UP' ||
  fail "h1:eth0 is not up again"
ip -n "$LAB.h1" -o link show eth0 | grep -q 'state DOWN' && fail "the dropped line ran"
# Quit while a command runs: the console waits for it, then tears down.
cmd "link h1 s1 down"
wait_for 'changing the lab' 5
# Past 2 s the title counts the seconds and says why (a newcomer waited 75 s
# on a `link down` with nothing on the screen saying the kernel was busy).
wait_for 'changing the lab: link h1 s1 down  \(2 s waiting for the kernel: another lab may hold its lock\)' 5
cmd "quit"
wait_for 'NETLAB-EXIT=0' 20
ip netns list | grep -q "^$LAB\." && fail "lab $LAB left namespaces behind"
echo "ok"
