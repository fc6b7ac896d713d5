#!/usr/bin/env bash
# dirs.sh — private directories of nodes (dirs = {...}): an empty tmpfs, a
# copy-on-write overlay of a host directory and of LAB.d/NODE/..., seen by
# node:cmd and `netlab exec`, the host's files untouched, a node without
# dirs as before; a kill -9 leaves nothing `netlab clean` cannot remove;
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
end)
LAB
)
mkdir -p "$TMP/$name.d/h1$HOSTDIR/sub" && echo lab-file >"$TMP/$name.d/h1$HOSTDIR/sub/lab.txt"
out=$("$NETLAB" run --keep "$f" 2>&1)
rc=$?
expect "run passes (rc $rc)" [ $rc -eq 0 ]
echo "$out" | grep -q "8 passed, 0 failed" && pass "8 checks" || { fail "checks"; echo "$out"; }
expect "the host's file is untouched" [ "$(cat "$HOSTDIR/f")" = host-file ]
expect "no file appeared on the host" [ ! -e "$HOSTDIR/new" ] && [ ! -e "$PLAIN/x" ]
expect "the namespace is held by a bind mount" grep -q " /run/netlab/$name/mnt/h1 " /proc/self/mountinfo
expect "no mount namespace for h3" [ ! -e /run/netlab/$name/mnt/h3 ]
expect "exec enters the node's files (kept from the run)" \
        [ "$("$NETLAB" exec $name h1 cat "$HOSTDIR/f")" = changed ]
expect "exec of a node without dirs" [ "$("$NETLAB" exec $name h3 cat "$PLAIN/keep")" = plain-host ]
n=$(pgrep -c -f "$name" || true)
expect "an idle kept lab has no process ($n)" [ "$n" = 0 ]
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
