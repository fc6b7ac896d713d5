#!/usr/bin/env bash
# enter_base.sh — a process entering a node copies its lab's small base
# mount namespace (nodefs.h), not the host's: the host's holds a bind mount
# of every namespace of every lab (and their UTS holds), 20,000 mounts and
# 80 ms per process with 10,000 nodes up. In the node: no /run/netns or
# /run/netlab mount, /sys of the node, its hosts file, its hostname, the
# working directory it was started from; a node with dirs keeps its own
# mount namespace; clean leaves no mount.
. "$(dirname "$0")/../lib.sh"
need_root

name=tenb$$
matches() { [[ $1 =~ $2 ]]; }
mkdir -p "$TMP/priv" "$TMP/work"
f=$(mklab $name <<LAB
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
local h3 = lab:host("h3", { dirs = { "$TMP/priv" } })
lab:link(h1, h2)

experiment("entered from the base", function()
  local out = h1:cmd("awk '\$5 ~ \"^/run/net(ns|lab)/\"' /proc/self/mountinfo | wc -l")
  check(out:match("^0"), "no namespace or lab mount in h1: " .. out)
  out = h1:cmd("wc -l </proc/self/mountinfo")
  check(tonumber(out:match("%d+")) < 200, "h1 has a small mount table: " .. out)
  out = h1:cmd("hostname; ls /sys/class/net; pwd")
  check(out:match("^h1\n") and out:find("eth0", 1, true) and out:find("$TMP/work\n", 1, true),
        "h1's hostname, /sys and working directory: " .. out)
  local _, st = h1:cmd("ping -c1 -W2 h2")
  check(st == 0, "h1 pings h2 by name (its hosts file)")
  out = h3:cmd("stat -f -c %T $TMP/priv")
  check(out:match("tmpfs"), "h3 keeps its own mount namespace: " .. out)
end)
LAB
)
out=$(cd "$TMP/work" && "$NETLAB" run "$f" --keep 2>&1)
if grep -q "5 passed, 0 failed" <<<"$out"; then pass "node:cmd enters from the base"; else
        fail "node:cmd enters from the base:"
        echo "$out" | sed 's/^/    /'
fi
expect "the base is a mount namespace held in the lab's private mnt directory" \
        grep -qE "^[0-9]+ [0-9]+ [0-9:]+ mnt:\[[0-9]+\] /run/netlab/$name/mnt/\.base " /proc/self/mountinfo
in=$(cd "$TMP/work" && "$NETLAB" exec $name h2 sh -c \
        'awk "\$5 ~ \"^/run/net(ns|lab)/\"" /proc/self/mountinfo | wc -l; hostname; pwd; ls /sys/class/net' 2>&1)
want=$'^0\nh2\n'"$TMP/work"$'\n.*eth0'
expect "netlab exec enters from the base: $(echo $in)" matches "$in" "$want"
# A base that is not there (a lab built before bases): entered as before.
umount /run/netlab/$name/mnt/.base
in=$("$NETLAB" exec $name h2 sh -c "awk '\$5 ~ \"^/run/netns/$name\\\\.\"' /proc/self/mountinfo | wc -l; hostname" 2>&1)
want=$'^[1-9][0-9]*\nh2$'
expect "without its base, netlab exec still enters h2: $(echo $in)" matches "$in" "$want"
"$NETLAB" clean $name >/dev/null 2>&1
expect "nothing left" nothing_left $name
finish
