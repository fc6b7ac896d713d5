#!/usr/bin/env bash
# live.sh — a link of an Open vSwitch switch changed live (link:set on this
# kernel makes it a datapath wire, its veth pair made again under the same
# names): OVS must read the new device. It kept the old one, and the host
# was cut off for good with no error (a newcomer's `link h1 s1 set delay
# 10ms` on --switch ovs).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib_ovs.sh"
need_root
need_ovs
name=tovl$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local s1 = lab:switch("s1", { class = "ovs" })
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, s1)
lab:link(h2, s1)
experiment("an OVS switch's link changed live", function()
  check(h1:ping(h2), "h1 reaches h2 before")
  local l = lab:link_between(h1, s1)
  l:set{ delay = "10ms" }
  local ok, st = h1:ping(h2, { count = 3 })
  check(ok, "h1 reaches h2 with the delay set")
  check(st and st.rtt_min and st.rtt_min >= 19, "the RTT follows the delay (min " .. tostring(st and st.rtt_min) .. " ms)")
  l:clear()
  check(h1:ping(h2), "h1 reaches h2 once cleared")
end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
if grep -q "4 passed, 0 failed" <<<"$out"; then pass "link:set and clear on an OVS switch's link"; else
        fail "link:set and clear on an OVS switch's link:"
        echo "$out" | sed 's/^/    /'
fi
expect "nothing left" nothing_left $name
expect "no OVS daemon left" no_ovs_daemons $name
finish
