#!/usr/bin/env bash
# crash.sh — kill -9 of netlab in the middle of a build, and while a command
# runs in a node; `netlab clean` then removes every namespace, mount,
# process and journal of the lab (issue 2, items 6 and 9).
. "$(dirname "$0")/../lib.sh"
need_root
before=$(host_links)

# kill -9 at several points of a build (namespaces are made by several
# threads, so each point catches some mid-step); clean must remove it all.
for at in 10 60 150 300 390; do
        name=tck$at$$
        f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
netlab.topo.linear(lab, 200)
experiment("x", function() check(true, "built") end)
LAB
)
        "$NETLAB" run "$f" >/dev/null 2>&1 &
        pid=$!
        wait_for "[ \$(grep -c '^claim' /run/netlab/$name/journal 2>/dev/null || echo 0) -ge $at ]" 30 ||
                fail "the build of $name did not get going"
        kill -9 $pid
        wait $pid 2>/dev/null
        n=$(ip netns list 2>/dev/null | grep -c "^$name\.")
        "$NETLAB" clean $name
        expect "kill -9 after $at namespaces ($n left), then clean: nothing left" nothing_left $name
done
expect "the host's links are as before" [ "$(host_links)" = "$before" ]

# kill -9 while commands run inside nodes: clean kills them first.
name=tcp$$
# The sleeps carry this test's pid in their length: pgrep is machine-wide,
# and other tests (or other people) may run a plain `sleep 300`.
s1=301.$$ s2=300.$$
f=$(sed "s/S1/$s1/; s/S2/$s2/" <<'LAB' | mklab $name
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2)
experiment("x", function()
  h2:cmd("sleep S2 >/dev/null 2>&1 &")
  h1:cmd("sleep S1")
end)
LAB
)
"$NETLAB" run "$f" >/dev/null 2>&1 &
pid=$!
expect "commands run in the nodes" wait_for "pgrep -f '^sleep $s1\$'" 20
expect "and a detached one too" wait_for "pgrep -f '^sleep $s2\$'" 20
kill -9 $pid
wait $pid 2>/dev/null
"$NETLAB" clean $name
expect "clean killed the command netlab was waiting for" bash -c "! pgrep -f '^sleep $s1\$'"
expect "clean killed the detached process too" bash -c "! pgrep -f '^sleep $s2\$'"
expect "nothing left" nothing_left $name
finish
