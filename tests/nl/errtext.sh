#!/usr/bin/env bash
# errtext.sh — error text in layers (issue 7 §3): a kernel failure during a
# lab build reads "FILE:LINE: <what the netlink layer says>", the object
# named once, by name ("h1:eth0", never "device #5"), with the kernel's own
# reason; the exit status is non-zero and nothing of the lab is left.
. "$(dirname "$0")/../lib.sh"
need_root

# IPv6 multicast is a valid address to the model but not to the kernel.
name=tmcast$$
f=$(mklab "$name" <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "ff02::5/64" })
local h2 = lab:host("h2", { ip = "fd00::2/64" })
lab:link(h1, h2)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
want="netlab: $f:2: Cannot add address ff02::5/64 to \"h1:eth0\": ipv6: Cannot assign multicast address without \"IFA_F_MCAUTOJOIN\" flag"
expect "exit status 1 (got $rc)" test "$rc" -eq 1
if [ "$out" = "$want" ]; then
        pass "message: $out"
else
        fail "message:"
        echo "   got: $out"
        echo "  want: $want"
fi
expect "nothing of $name left" nothing_left "$name"
finish
