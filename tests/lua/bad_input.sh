#!/usr/bin/env bash
# bad_input.sh — every kind of bad lab input gets a message naming the lab
# file and line, a non-zero exit, and leaves nothing behind (issue 2, item 10).
. "$(dirname "$0")/../lib.sh"
need_root

# case_ NAME EXPECTED-TEXT-REGEX LINE <<'LAB' lab text LAB
case_() {
        local name=$1 want=$2 line=$3 f out rc
        f=$(mklab "$name")
        out=$("$NETLAB" run "$f" 2>&1)
        rc=$?
        if [ $rc -eq 0 ]; then
                fail "$name: exit 0 (wanted an error)"
        elif ! grep -qE "$name\.lua:$line:?.*$want|$want.*$name\.lua:$line" <<<"$out"; then
                fail "$name: message does not name $name.lua:$line and /$want/:"
                echo "$out" | sed 's/^/    /'
        elif ! nothing_left "$name"; then
                fail "$name: left something behind"
        else
                pass "$name: $(grep -E "$want" <<<"$out" | head -1)"
        fi
}

case_ tbsyntax$$ "near|expected" 3 <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
lab:link(h1 h1)
LAB

case_ tbopt$$ "unknown option 'ipp'" 2 <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ipp = "10.0.0.1/24" })
LAB

case_ tblopt$$ "unknown option 'dealy'" 4 <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
local h2 = lab:host("h2")
lab:link(h1, h2, { dealy = "5ms" })
LAB

case_ tbdup$$ "duplicate node name \"h1\".*:2" 3 <<'LAB'
local lab = netlab.lab("LABNAME")
lab:host("h1")
lab:switch("h1")
LAB

case_ tbunk$$ "no node named 'h9'" 3 <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
lab:link(h1, "h9")
LAB

case_ tbcidr$$ "invalid address \"10.0.0.300/24\"" 4 <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
local h2 = lab:host("h2")
lab:link(h1, h2, { ip = { "10.0.0.300/24", "10.0.0.2/24" } })
LAB

# (a lab:host address is reported at the lab:host line that wrote it, not the link's)
case_ tbnoprefix$$ "ADDRESS/PREFIX" 2 <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1" })
local h2 = lab:host("h2")
lab:link(h1, h2)
LAB

case_ tblong$$ "invalid node name" 2 <<'LAB'
local lab = netlab.lab("LABNAME")
lab:host("this_node_name_is_far_too_long")
LAB

case_ tbifname$$ "invalid interface name \"averyverylongname0\"" 4 <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
local h2 = lab:host("h2")
lab:link(h1, h2, { ifname = { "averyverylongname0", "eth0" } })
LAB

case_ tbgw$$ "gateway 10.9.9.1 of \"h1\" is not in the subnet" 2 <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24", gw = "10.9.9.1" })
local h2 = lab:host("h2")
lab:link(h1, h2)
LAB

case_ tbvid$$ "VLAN id 5000 is outside 1..4094" 4 <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
local s1 = lab:switch("s1")
lab:link(h1, s1, { vlan = 5000 })
LAB

case_ tbpvid$$ "already has PVID 10" 4 <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
local s1 = lab:switch("s1")
lab:link(h1, s1, { vlans = { { vid = 10, pvid = true }, { vid = 20, pvid = true } } })
LAB

case_ tbsub$$ "has no interface 'eth3'" 5 <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
local s1 = lab:switch("s1")
lab:link(h1, s1)
h1:vlan("eth3", 10)
LAB

case_ tbhostip$$ "has an ip but no link" 2 <<'LAB'
local lab = netlab.lab("LABNAME")
lab:host("h1", { ip = "10.0.0.1/24" })
experiment("x", function() end)
LAB

# delay works on every kernel: netem where the kernel has it, a datapath
# wire where it has not (plan.h).
f=$(mklab tbdelay$$ <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2, { delay = "20ms" })
experiment("delay", function()
  local ok, st = h1:ping(h2, { count = 2 })
  check(ok and st.rtt_avg >= 40, "the RTT shows 2 x 20 ms")
end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
if [ $rc -eq 0 ]; then
        pass "delay works with or without the kernel's netem"
else
        fail "delay: wanted a working link, got: $out"
fi
expect "delay: nothing left" nothing_left "tbdelay$$"

# A namespace of the same name that is not ours: refused, and left alone.
name=tbtaken$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
local h2 = lab:host("h2")
lab:link(h1, h2)
experiment("x", function() check(true, "built") end)
LAB
)
ip netns add "$name.h2"
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
expect "a foreign namespace of the same name is refused" \
        grep -q "Cannot create namespace \"$name.h2\": File exists" <<<"$out"
expect "  ... with a non-zero exit" [ $rc -ne 0 ]
expect "  ... and the foreign namespace is untouched" \
        bash -c "ip netns list 2>/dev/null | grep -q '^$name.h2'"
ip netns del "$name.h2"
expect "  ... and nothing of the lab is left" nothing_left $name

# A runtime error inside an experiment is a failed check; the lab still goes.
name=tberr$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
local h2 = lab:host("h2")
lab:link(h1, h2)
experiment("boom", function()
  check(true, "before")
  local x = nil
  x.field = 1
end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
expect "an error in an experiment fails the run" [ $rc -ne 0 ]
expect "  ... naming its line" grep -q "FAIL .*$name.lua:8" <<<"$out"
expect "  ... with the closing line" grep -qx "1 passed, 1 failed" <<<"$out"
expect "  ... and nothing left" nothing_left $name

# A router's nat interface that does not exist is refused before anything is
# built (no namespace made, so no "namespaces" step in the trace); options
# are the kind's own: a switch takes none.
f=$(mklab tbnat$$ <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
local r = lab:router("r", { nat = "eth7" })
lab:link(h1, r)
LAB
)
out=$(NETLAB_PROGRESS=1 "$NETLAB" run "$f" 2>&1)
rc=$?
expect "nat on a missing interface: named, with file and line" \
        grep -q 'tbnat[0-9]*\.lua:3: nat: router "r" has no interface "eth7"' <<<"$out"
expect "  ... a non-zero exit" [ $rc -ne 0 ]
expect "  ... refused before any namespace was made" eval '! grep -q namespaces <<<"$out"'
expect "  ... and nothing left" nothing_left tbnat$$

case_ tbswopt$$ "lab:switch: unknown option 'ip' \\(expected one of: class, fail_mode, stp, dirs\\)" 2 <<'LAB'
local lab = netlab.lab("LABNAME")
local s1 = lab:switch("s1", { ip = "10.0.0.1/24" })
LAB

# Not root: a clear message.
f=$(mklab tbuser$$ <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1")
local h2 = lab:host("h2")
lab:link(h1, h2)
experiment("x", function() check(true, "built") end)
LAB
)
chmod 755 "$TMP"
chmod 644 "$f"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$NETLAB" run "$f" 2>&1)
rc=$?
expect "without root: a message saying so" grep -q "needs root" <<<"$out"
expect "  ... and a non-zero exit" [ $rc -ne 0 ]

finish
