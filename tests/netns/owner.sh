#!/usr/bin/env bash
# owner.sh — clean deletes only what netlab made (issue 8 §2), and is safe
# on a shared machine (issue 9 §3): a symlinked or foreign run directory is
# refused and nothing behind it is touched; the journal is root's alone; a
# forged `hostlink` line cannot delete an interface, a genuine one is
# removed; a running lab is left alone without --force; two labs never stop
# each other.
. "$(dirname "$0")/../lib.sh"
need_root
HOSTDRV=${HOSTDRV:?set HOSTDRV to the hostdrv test driver}
before=$(host_links)
DUMMY=tfg$$
SYM=tsym$$
MOD=tmod$$
del_dummy() { ip link del "$DUMMY" 2>/dev/null; ip link del "thl$$" 2>/dev/null; }
cleanup_owner() {
        del_dummy
        rm -f "/run/netlab/$SYM"
        rm -rf "/run/netlab/$MOD"
        nft delete table inet "tfgt$$" 2>/dev/null
        for l in "${LABS[@]}"; do nft delete table inet "netlab_${l}_x" 2>/dev/null; nft delete table inet "netlab_${l}_nat" 2>/dev/null; done
        cleanup
}
trap cleanup_owner EXIT

# --- Usage and unknown labs -------------------------------------------------
out=$("$NETLAB" clean 2>&1)
rc=$?
expect "bare \`netlab clean\` is a usage error ($rc)" [ $rc -eq 2 ]
expect "and says how to use it: $out" grep -q "Usage: netlab clean" <<<"$out"
out=$("$NETLAB" clean tnolab$$ 2>&1)
rc=$?
expect "clean of an unknown lab fails ($rc)" [ $rc -ne 0 ]
expect "and says so: $out" grep -q "no lab \"tnolab$$\"" <<<"$out"

# --- A symlinked run directory: refused, its target untouched ---------------
mkdir -p "$TMP/victim/uts"
echo keep >"$TMP/victim/journal"
echo keep >"$TMP/victim/precious"
mkdir -p /run/netlab
ln -s "$TMP/victim" "/run/netlab/$SYM"
out=$("$NETLAB" clean "$SYM" 2>&1)
rc=$?
expect "clean of a symlinked run directory fails ($rc)" [ $rc -ne 0 ]
expect "naming the symlink: $out" grep -q "\"/run/netlab/$SYM\" is a symbolic link" <<<"$out"
expect "the files behind the symlink are untouched" \
        bash -c "[ -f '$TMP/victim/precious' ] && [ -f '$TMP/victim/journal' ] && [ -d '$TMP/victim/uts' ]"
out=$("$NETLAB" clean --force "$SYM" 2>&1)
expect "--force does not follow it either" [ -f "$TMP/victim/precious" ]
fs=$(mklab $SYM <<'LAB'
local lab = netlab.lab("LABNAME")
lab:host("h1")
LAB
)
out=$("$NETLAB" run "$fs" 2>&1)
rc=$?
expect "a build on a symlinked run directory is refused ($rc): $out" \
        grep -q "Cannot build lab \"$SYM\": \"/run/netlab/$SYM\" is a symbolic link" <<<"$out"
expect "and writes nothing there" [ "$(ls "$TMP/victim" | sort | tr '\n' ' ')" = "journal precious uts " ]
expect "and makes no namespace" bash -c "! ip netns list | grep -q '^$SYM\.'"
rm -f "/run/netlab/$SYM"

# --- A run directory of the wrong mode or owner: refused ---------------------
mkdir -m 0755 "/run/netlab/$MOD"
echo keep >"/run/netlab/$MOD/journal"
out=$("$NETLAB" clean "$MOD" 2>&1)
expect "a run directory of mode 0755 is refused: $out" grep -q "is not mode 0700" <<<"$out"
expect "and its files stay" [ -f "/run/netlab/$MOD/journal" ]
chmod 0700 "/run/netlab/$MOD"
chown 65534 "/run/netlab/$MOD"
out=$("$NETLAB" clean "$MOD" 2>&1)
expect "a run directory not owned by root is refused: $out" grep -q "is not owned by root" <<<"$out"
expect "and its files stay" [ -f "/run/netlab/$MOD/journal" ]
rm -rf "/run/netlab/$MOD"

# --- Modes of what a build makes ---------------------------------------------
# Two hosts that ping after HOLD seconds (the same file for every lab here).
pair() {
        mklab "$1" <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2)
experiment("x", function()
  netlab.sleep(tonumber(os.getenv("HOLD") or "0"))
  check(h1:ping(h2), "h1 reaches h2")
end)
LAB
}
name=tom$$
f=$(pair $name)
"$NETLAB" run "$f" --keep >"$TMP/keep.out" 2>&1
expect "/run/netlab is root's, mode 700 ($(stat -c '%U %a' /run/netlab))" \
        [ "$(stat -c '%U %a' /run/netlab)" = "root 700" ]
expect "the run directory is root's, mode 700 ($(stat -c '%U %a' /run/netlab/$name))" \
        [ "$(stat -c '%U %a' /run/netlab/$name)" = "root 700" ]
expect "the journal is not world-readable ($(stat -c '%a' /run/netlab/$name/journal))" \
        [ "$(stat -c '%a' /run/netlab/$name/journal)" = "600" ]

# --- Symlinks inside a genuine run directory: not followed ---------------------
echo keep >"$TMP/victim-lock"
mv "/run/netlab/$name/lock" "$TMP/lock.saved"
ln -s "$TMP/victim-lock" "/run/netlab/$name/lock"
out=$("$NETLAB" clean "$name" 2>&1)
rc=$?
expect "a symlinked lock: clean fails ($rc): $out" [ $rc -ne 0 ]
expect "and the file behind it is untouched" grep -q keep "$TMP/victim-lock"
expect "and the lab is still there" [ -e "/run/netns/$name.h1" ]
rm "/run/netlab/$name/lock"
mv "$TMP/lock.saved" "/run/netlab/$name/lock"
mv "/run/netlab/$name/journal" "$TMP/journal.saved"
cp "$TMP/journal.saved" "$TMP/victim-journal"
ln -s "$TMP/victim-journal" "/run/netlab/$name/journal"
out=$("$NETLAB" clean "$name" 2>&1)
rc=$?
expect "a symlinked journal: clean fails ($rc): $out" [ $rc -ne 0 ]
expect "and the file behind it is untouched" cmp -s "$TMP/journal.saved" "$TMP/victim-journal"
rm "/run/netlab/$name/journal"
mv "$TMP/journal.saved" "/run/netlab/$name/journal"

# --- A forged hostlink line (a veth pair of this test's, in the host): the interface survives, the refusal is said ------
ip link add "$DUMMY" type veth peer name "${DUMMY}p"
idx=$(cat /sys/class/net/$DUMMY/ifindex)
ino=$(stat -L -c %i /proc/self/ns/net)
{
        echo "hostlink $DUMMY"
        echo "hostlink $DUMMY $ino $idx"
        echo "hostlink lo $ino 1"
} >>"/run/netlab/$name/journal"
out=$("$NETLAB" clean "$name" 2>&1)
rc=$?
expect "clean of a lab with forged hostlink lines succeeds ($rc)" [ $rc -eq 0 ]
expect "the forged interface survives" ip link show "$DUMMY"
expect "lo survives" ip link show lo
expect "the refusal is reported: $out" \
        grep -q "host interface \"$DUMMY\" left alone: not netlab's" <<<"$out"
expect "the lab is gone otherwise" nothing_left $name
# Its alias set as netlab's, but another ifindex recorded: still left alone.
name2=tom2$$
f2=$(mklab $name2 <<'LAB'
local lab = netlab.lab("LABNAME")
lab:host("h1")
LAB
)
"$NETLAB" run "$f2" --keep >/dev/null 2>&1
ip link set "$DUMMY" alias "netlab:$name2:$DUMMY"
echo "hostlink $DUMMY $ino $((idx + 1000))" >>"/run/netlab/$name2/journal"
out=$("$NETLAB" clean "$name2" 2>&1)
expect "a recorded ifindex that differs: left alone" ip link show "$DUMMY"
expect "and reported: $out" grep -q "it is #$idx, lab \"$name2\" made #$((idx + 1000))" <<<"$out"
del_dummy

# --- Forged nft lines: a table of the test's own, and one named like the
# lab's but with another handle recorded: both survive.
name4=tnf$$
f4=$(mklab $name4 <<'LAB'
local lab = netlab.lab("LABNAME")
lab:host("h1")
LAB
)
"$NETLAB" run "$f4" --keep >/dev/null 2>&1
nft add table inet "tfgt$$"
nft add table inet "netlab_${name4}_x"
h=$(nft -a list table inet "netlab_${name4}_x" | sed -n 's/.*# handle \([0-9]*\).*/\1/p' | head -1)
{
        echo "nft 1 tfgt$$ $ino"
        echo "nft 1 netlab_${name4}_x $ino $((h + 1000))"
} >>"/run/netlab/$name4/journal"
out=$("$NETLAB" clean "$name4" 2>&1)
expect "a forged nft line naming another table: it survives" nft list table inet "tfgt$$"
expect "and is reported: $out" \
        grep -q "nftables table \"tfgt$$\" left alone: its name does not carry the lab's" <<<"$out"
expect "a table named like the lab's, with another handle: it survives" \
        nft list table inet "netlab_${name4}_x"
expect "and is reported: $out" grep -q "its handle is $h, lab \"$name4\" made" <<<"$out"
nft delete table inet "tfgt$$"
nft delete table inet "netlab_${name4}_x"

# --- A genuine host interface and nftables table: removed ---------------------
name3=thl$$
LABS+=("$name3")
hidx=$("$HOSTDRV" "$name3" "thl$$" 2>"$TMP/hostdrv.err")
expect "the driver made a host interface ($(cat "$TMP/hostdrv.err"))" ip link show "thl$$"
expect "marked as the lab's" bash -c "ip -d link show thl$$ | grep -q 'alias netlab:$name3:thl$$'"
expect "journaled with its identity" grep -q "^hostlink thl$$ $ino $hidx\$" "/run/netlab/$name3/journal"
expect "the driver made its table" nft list table inet "netlab_${name3}_nat"
expect "journaled with its handle" grep -Eq "^nft 1 netlab_${name3}_nat $ino [0-9]+\$" "/run/netlab/$name3/journal"
out=$("$NETLAB" clean "$name3" 2>&1)
rc=$?
expect "clean of the lab succeeds ($rc): $out" [ $rc -eq 0 ]
expect "and removed the host interface" bash -c "! ip link show thl$$ 2>/dev/null"
expect "and the table" bash -c "! nft list table inet netlab_${name3}_nat 2>/dev/null"
expect "and says so: $out" grep -q "1 host interface, 1 nftables table" <<<"$out"
expect "nothing of the lab is left" nothing_left $name3
expect "the host's links are as before" [ "$(host_links)" = "$before" ]

expect "no table of the test is left in the host" bash -c "! nft list tables | grep -q '$$'"

# --- Two labs at once: no command of one stops the other ----------------------
other=too$$
g=$(pair $other)
HOLD=12 "$NETLAB" run "$f" >"$TMP/a.out" 2>&1 &
a=$!
HOLD=12 "$NETLAB" run "$g" >"$TMP/b.out" 2>&1 &
b=$!
expect "lab A is up" wait_for "[ -e /run/netns/$name.h2 ] && grep -q '^owner' /run/netlab/$name/journal" 20
expect "lab B is up" wait_for "[ -e /run/netns/$other.h2 ] && grep -q '^owner' /run/netlab/$other/journal" 20
out=$("$NETLAB" clean "$name" 2>&1)
rc=$?
expect "clean of running lab A without --force fails ($rc)" [ $rc -ne 0 ]
expect "saying who runs it: $out" grep -q "lab \"$name\" is running (netlab pid $a" <<<"$out"
out=$("$NETLAB" run "$f" 2>&1)
expect "a second run of A names the owner: $out" \
        grep -q "lab \"$name\" is already running (netlab pid $a, since" <<<"$out"
expect "and suggests nothing that would stop it" bash -c "! grep -q 'netlab clean' <<<'$out'"
expect "A still runs" kill -0 $a
expect "B still runs" kill -0 $b
out=$("$NETLAB" clean --force "$name" 2>&1)
rc=$?
expect "clean --force of A succeeds ($rc): $out" [ $rc -eq 0 ]
wait $a
ra=$?
expect "A was stopped ($ra)" [ $ra -ne 0 ]
expect "A: nothing left" nothing_left $name
expect "B still runs after A's forced clean" kill -0 $b
wait $b
rb=$?
expect "B passes ($rb): $(tail -1 "$TMP/b.out")" [ $rb -eq 0 ]
expect "B: nothing left" nothing_left $other
expect "the host's links are as before" [ "$(host_links)" = "$before" ]
finish
