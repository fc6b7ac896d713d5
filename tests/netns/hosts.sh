#!/usr/bin/env bash
# hosts.sh — node names resolve inside the nodes (issue 9 §1): the lab's
# hosts file is /etc/hosts for netlab's commands and shells and for
# `ip netns exec`; clean removes the /etc/netns directories it made, and
# only what it made.
. "$(dirname "$0")/../lib.sh"
need_root

name=thst$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = { "10.0.0.2/24", "fd00::2/64" } })
local h3 = lab:host("h3")
local s1 = lab:switch("s1")
lab:link(h1, s1)
lab:link(h2, s1)
lab:link(h3, s1)

experiment("names resolve in the nodes", function()
  local out, st = h1:cmd("ping -c1 -W2 h2")
  check(st == 0, "h1 pings h2 by name: " .. out)
  out = h1:cmd("getent ahostsv4 h2; getent hosts h1")
  check(out:match("10%.0%.0%.2") and out:match("10%.0%.0%.1%s+h1"), "getent: " .. out)
  out = h2:cmd("getent ahostsv6 h2")
  check(out:match("fd00::2"), "h2's IPv6 address by name: " .. out)
end)
LAB
)
# Someone else's file for one of our names stays theirs.
mkdir -p /etc/netns/$name.h3
echo "# not netlab's" >/etc/netns/$name.h3/hosts
out=$("$NETLAB" run "$f" --keep 2>&1)
if grep -q "3 passed, 0 failed" <<<"$out"; then pass "node:cmd resolves node names"; else
        fail "node:cmd resolves node names:"
        echo "$out" | sed 's/^/    /'
fi
expect "ip netns exec $name.h2 ping -c1 h1 (iproute2 binds /etc/netns/$name.h2/hosts)" \
        ip netns exec $name.h2 ping -c1 -W2 h1
expect "a switch's shell resolves node names too (ip netns exec $name.s1 getent hosts h1)" \
        bash -c "ip netns exec $name.s1 getent hosts h1 | grep -q '^10\.0\.0\.1 '"
expect "the directories are journaled" \
        bash -c "grep -qx 'etc /etc/netns/$name.h1' /run/netlab/$name/journal"
expect "the hosts file names the nodes" grep -qP "^10\.0\.0\.2\th2$" /run/netlab/$name/hosts
expect "a hosts file that was there before is left alone" \
        grep -q "not netlab's" /etc/netns/$name.h3/hosts
"$NETLAB" clean $name
expect "clean removes the lab's /etc/netns directories" \
        bash -c "! ls -d /etc/netns/$name.h1 /etc/netns/$name.h2 2>/dev/null | grep -q ."
expect "... but not a file that was not netlab's" grep -q "not netlab's" /etc/netns/$name.h3/hosts
rm -rf /etc/netns/$name.h3
expect "nothing left" nothing_left $name
finish
