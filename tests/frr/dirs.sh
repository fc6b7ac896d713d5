#!/usr/bin/env bash
# dirs.sh — private directories of nodes (dirs = {...}): an empty tmpfs, a
# copy-on-write overlay of a host directory and of LAB.d/NODE/..., seen by
# node:cmd and `netlab exec`, on hosts, routers and switches, the host's
# files untouched, a node without
# dirs as before; netlab holds no descriptor per node with dirs; a kill -9 leaves nothing `netlab clean` cannot remove;
# bad entries stop the lab at their line with nothing left behind.
. "$(dirname "$0")/../lib.sh"
need_root

# Host directories of our own (the test never writes the host's /etc).
HOSTDIR=$TMP/hostdir
mkdir -p "$HOSTDIR/sub" && echo host-file >"$HOSTDIR/f"
PLAIN=$TMP/plain
mkdir -p "$PLAIN" && echo plain-host >"$PLAIN/keep"

name=tdirs$$
f=$(mklab $name <<LAB
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24",
  dirs = { "$PLAIN", {"$HOSTDIR", from = "host"}, {"$HOSTDIR/sub", from = "lab"} } })
local h2 = lab:host("h2", { ip = "10.0.0.2/24", dirs = { "$PLAIN" } })
local h3 = lab:host("h3", { ip = "10.0.0.3/24" })
lab:link(h1, h2)
lab:link(h1, h3)
experiment("dirs", function()
  local out = h1:cmd("ls $PLAIN | wc -l; echo one > $PLAIN/x; cat $PLAIN/x")
  check(out == "0\none\n", "an empty tmpfs, writable: " .. out)
  check(h2:cmd("ls $PLAIN") == "", "h2's tmpfs is its own")
  check(h3:cmd("cat $PLAIN/keep") == "plain-host\n", "a node without dirs sees the host's")
  check(h1:cmd("cat $HOSTDIR/f") == "host-file\n", "the overlay shows the host's file")
  h1:cmd("echo changed > $HOSTDIR/f; rm -f $HOSTDIR/gone; touch $HOSTDIR/new")
  check(h1:cmd("cat $HOSTDIR/f") == "changed\n", "... and takes a write")
  check(h1:cmd("cat $HOSTDIR/sub/lab.txt") == "lab-file\n", "LAB.d/h1/... over the host's")
  check(h1:cmd("ls /sys/class/net | tr '\n' ' '") == "eth0 eth1 lo ", "/sys shows the node's interfaces")
  check(h1:cmd("hostname") == "h1\n", "hostname")
  -- netlab holds no descriptor of the nodes' mount namespaces once built
  -- (issue 16: none per idle node); its children open them by path.
  local p = io.popen("ls -l /proc/\$PPID/fd | grep -cE -- '-> (mnt:|/run/netlab/.*/mnt/)' || true")
  local held = p:read("a")
  p:close()
  check(held == "0\n", "netlab holds no mount namespace descriptor: " .. held)
end)
LAB
)
mkdir -p "$TMP/$name.d/h1$HOSTDIR/sub" && echo lab-file >"$TMP/$name.d/h1$HOSTDIR/sub/lab.txt"
out=$("$NETLAB" run --keep "$f" 2>&1)
rc=$?
expect "run passes (rc $rc)" [ $rc -eq 0 ]
echo "$out" | grep -q "9 passed, 0 failed" && pass "9 checks" || { fail "checks"; echo "$out"; }
expect "the host's file is untouched" [ "$(cat "$HOSTDIR/f")" = host-file ]
expect "no file appeared on the host" [ ! -e "$HOSTDIR/new" ] && [ ! -e "$PLAIN/x" ]
expect "the namespace is held by a bind mount" grep -q " /run/netlab/$name/mnt/h1 " /proc/self/mountinfo
expect "no mount namespace for h3" [ ! -e /run/netlab/$name/mnt/h3 ]
expect "exec enters the node's files (kept from the run)" \
        [ "$("$NETLAB" exec $name h1 cat "$HOSTDIR/f")" = changed ]
expect "exec of a node without dirs" [ "$("$NETLAB" exec $name h3 cat "$PLAIN/keep")" = plain-host ]
n=$(pgrep -c -f "$name" || true)
expect "an idle kept lab has no process ($n)" [ "$n" = 0 ]
# A console attached to the kept lab: its shells open the node's mount
# namespace by path too (they entered the host's files before: the adopted
# lab held no descriptor of it).
if command -v tmux >/dev/null; then
        tsock=dirs-$$
        tmux -u -L $tsock -f /dev/null new-session -d -s a -x 120 -y 40 \
                "env LANG=C.UTF-8 HOME=$TMP $NETLAB attach $name; sleep 600"
        tscreen() { tmux -L $tsock capture-pane -p -t a; }
        wait_for "tscreen | grep -q 'is up\|inspector'" 30
        tmux -L $tsock send-keys -t a "term h1" Enter
        wait_for "tscreen | grep -q '^h1#'" 15
        tmux -L $tsock send-keys -t a "cat $HOSTDIR/f; ls $PLAIN | wc -l; echo EN\"D\"" Enter
        wait_for "tscreen | grep -q '^END'" 15
        expect "a console's shell in h1 sees its private files" \
                grep -Eq "^changed" <<<"$(tscreen | grep -A3 'h1# cat')"
        tmux -L $tsock kill-server 2>/dev/null
        "$NETLAB" down $name >/dev/null 2>&1
fi
"$NETLAB" clean --force $name >/dev/null 2>&1
expect "clean leaves nothing" nothing_left $name

# kill -9 while the lab is up: clean removes the mount namespaces too.
name2=tdirk$$
f2=$(mklab $name2 <<LAB
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24", dirs = { "$PLAIN" } })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2)
experiment("wait", function() h1:cmd("echo > $PLAIN/y") netlab.sleep(60) end)
LAB
)
"$NETLAB" run "$f2" >/dev/null 2>&1 &
pid=$!
wait_for "[ -e /run/netlab/$name2/mnt/h1 ] && grep -q ' /run/netlab/$name2/mnt/h1 ' /proc/self/mountinfo" 30
kill -9 $pid
wait $pid 2>/dev/null
"$NETLAB" clean $name2 >/dev/null 2>&1
expect "after kill -9, clean leaves nothing" nothing_left $name2

# Switches take dirs too: a switch's namespace can run services (an STP or
# LLDP daemon) that want files of their own. A kernel bridge and a VLAN
# switch (the userspace datapath's on a kernel without VLAN filtering)
# still forward; a service on the switch sees its private directory.
name3=tdirs3$$
f3=$(mklab $name3 <<LAB
local lab = netlab.lab("LABNAME")
local s1 = lab:switch("s1", { dirs = { "$PLAIN", {"$HOSTDIR", from = "host"} } })
local s2 = lab:switch("s2", { dirs = { "$PLAIN" } })
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
local h3 = lab:host("h3", { ip = "10.0.1.3/24" })
local h4 = lab:host("h4", { ip = "10.0.1.4/24" })
lab:link(h1, s1) lab:link(h2, s1)
lab:link(h3, s2, { vlan = 10 }) lab:link(h4, s2, { vlan = 10 })
experiment("switch dirs", function()
  check(s1:cmd("ls $PLAIN | wc -l; echo sw > $PLAIN/x; cat $PLAIN/x") == "0\nsw\n", "s1: an empty tmpfs, writable")
  s1:cmd("echo switch > $HOSTDIR/f")
  check(s1:cmd("cat $HOSTDIR/f") == "switch\n", "s1: the overlay takes a write")
  check(s1:cmd("hostname") == "s1\n", "s1's hostname")
  check(s1:service("w", "cat $PLAIN/x; exec sleep 1003"), "a service on the switch")
  for _ = 1, 100 do if s1:service_log("w") ~= "" then break end netlab.sleep(0.1) end
  check(s1:service_log("w") == "sw\n", "... sees the switch's files: " .. tostring(s1:service_log("w")))
  check(s2:cmd("ls $PLAIN | wc -l") == "0\n", "s2's tmpfs is its own")
  check(h1:ping(h2), "s1 forwards")
  check(h3:ping(h4), "s2 (VLAN 10) forwards")
end)
LAB
)
out=$("$NETLAB" run "$f3" 2>&1)
rc=$?
expect "switches with dirs: run passes (rc $rc)" [ $rc -eq 0 ]
echo "$out" | grep -q "8 passed, 0 failed" && pass "8 checks" || { fail "switch checks"; echo "$out"; }
expect "the host's files are untouched" [ "$(cat "$HOSTDIR/f")" = host-file ] && [ ! -e "$PLAIN/x" ]
expect "switches with dirs: nothing left" nothing_left $name3

# Bad entries: the lab's line, nothing made.
bad() { # bad NAME REGEX DIRS
        local n=$1 re=$2
        local lf
        lf=$(mklab "$n" <<LAB
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { dirs = $3 })
LAB
)
        local o
        o=$("$NETLAB" run "$lf" 2>&1)
        local r=$?
        if [ $r -ne 0 ] && echo "$o" | grep -qE "$re"; then pass "bad dirs: $3"; else
                fail "bad dirs $3 (rc $r): $o"; fi
        expect "... nothing left" nothing_left "$n"
}
bad tdb1$$ "$TMP/tdb1$$.lua:2: dirs: source \"/nonexistent-netlab\" of \"$PLAIN\": No such directory" \
        "{ {\"$PLAIN\", from = \"/nonexistent-netlab\"} }"
bad tdb2$$ "tdb2$$.lua:2: dirs: source \".*/tdb2$$.d/h1/etc/nonexistent-netlab\" of \"/etc/nonexistent-netlab\"|is not a directory on the host" \
        "{ {\"/etc/nonexistent-netlab\", from = \"lab\"} }"
bad tdb3$$ "tdb3$$.lua:2: dirs: \"/proc\" cannot be private" "{ \"/proc\" }"
bad tdb4$$ "tdb4$$.lua:2: dirs: \"/etc/../tmp\" is not a plain absolute" "{ \"/etc/../tmp\" }"
bad tdb5$$ "tdb5$$.lua:2: dirs: expected a list" "{ {\"/tmp\", form = \"host\"} }"
bad tdb6$$ "tdb6$$.lua:2: dirs: \"$PLAIN\" is listed twice" "{ \"$PLAIN\", \"$PLAIN\" }"
bad tdb7$$ "tdb7$$.lua:2: dirs: from = \"hots\": expected" "{ {\"$PLAIN\", from = \"hots\"} }"
bad tdb8$$ "tdb8$$.lua:2: dirs: \"/\" is not a plain" "{ \"/\" }"
finish
