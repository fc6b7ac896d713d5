#!/usr/bin/env bash
# stp.sh — issue 11 §4: lab:switch(name, {stp = ...}) runs the kernel's STP
# on the switch's bridge. A ring of three switches converges (one port
# blocks, no storm: the ports' counters stay quiet), a cut link fails over
# to the blocked one, sw:flush_fdb() empties the learnt MACs; bad input,
# table-driven; a VLAN switch on the userspace datapath refuses stp.
. "$(dirname "$0")/../lib.sh"
need_root

name=tlstp$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local stp = { forward_delay = 2 }
local s1 = lab:switch("s1", { stp = stp })
local s2 = lab:switch("s2", { stp = stp })
local s3 = lab:switch("s3", { stp = stp })
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h3 = lab:host("h3", { ip = "10.0.0.3/24" })
lab:link(h1, s1)
lab:link(h3, s3)
lab:link(s1, s2)
lab:link(s2, s3)
local l13 = lab:link(s1, s3)

local function states()
  local t = { forwarding = 0, blocking = 0 }
  for _, s in ipairs({ s1, s2, s3 }) do
    for st in s:cmd("bridge link show"):gmatch("state (%a+)") do t[st] = (t[st] or 0) + 1 end
  end
  return t
end
local function rx(s)
  local n = 0
  for v in s:cmd("cat /sys/class/net/p*/statistics/rx_packets"):gmatch("%d+") do n = n + tonumber(v) end
  return n
end
local function until_ping(limit)
  local t0 = netlab.now()
  repeat
    if h1:ping(h3, { timeout = 0.5 }) then return netlab.now() - t0 end
  until netlab.now() - t0 > limit
end

experiment("a ring converges", function()
  check(s1:cmd("cat /sys/class/net/s1/bridge/stp_state"):match("^1"), "s1 runs the kernel's STP")
  check(s1:cmd("cat /sys/class/net/s1/bridge/forward_delay"):match("^200"), "forward delay 2 s")
  local t = until_ping(30)
  check(t, "h1 reaches h3 across the ring")
  print(("    converged: h1 reached h3 %.1f s into the experiment"):format(t or -1))
  local st = states()
  check(st.blocking == 1 and st.forwarding == 7, ("one port of eight blocks: %d forwarding, %d blocking"):format(st.forwarding, st.blocking))
  check(s3:cmd("bridge link show dev p2"):match("state blocking"), "s3's port to s2 blocks (s1, the lowest bridge id, is the root)")
  local a = rx(s2)
  netlab.sleep(1)
  local d = rx(s2) - a
  check(d < 50, "no storm: s2's ports took " .. d .. " frames in a second")
end)

experiment("failover after a cut", function()
  local ok, _ = l13:cut()
  check(ok, "s1 -- s3 cut")
  local t = until_ping(30)
  check(t, "h1 reaches h3 again, through s2")
  print(("    failover: %.1f s"):format(t or -1))
  check(s3:cmd("bridge link show dev p2"):match("state forwarding"), "s3's port to s2 forwards")
end)

experiment("flush_fdb", function()
  check(h1:ping(h3), "h1 reaches h3")
  local function learnt() return select(2, s2:cmd("bridge fdb show br s2 | grep -v permanent"):gsub("\n", "")) end
  local n = learnt()
  check(n > 0, "s2 learnt MACs: " .. n)
  check(s2:flush_fdb() == true, "flush_fdb returns true")
  n = learnt()
  check(n == 0, "s2 learnt none after the flush: " .. n)
  check(h1:ping(h3), "h1 still reaches h3 (flooded, then learnt again)")
end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "STP on a ring" [ $rc -eq 0 ]
expect "its checks ran" grep -qE "^1[0-9] passed, 0 failed$" <<<"$out"
expect "nothing left" nothing_left $name

# A VLAN switch: on a kernel without bridge VLAN filtering it runs on the
# userspace datapath, which has no STP: refused at the switch's line.
if "$NETLAB" doctor | grep -q "VLAN-aware switch *userspace"; then
        name=tlstpv$$
        f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local s1 = lab:switch("s1", { stp = true })
lab:link(h1, s1, { vlan = 10 })
LAB
)
        out=$("$NETLAB" run "$f" 2>&1)
        rc=$?
        echo "$out"
        expect "stp on a userspace VLAN switch: exit 1" [ $rc -eq 1 ]
        expect "... at the switch's line, saying why" grep -qE "$name\.lua:3: stp: switch \"s1\" has VLANs, which this kernel's bridge cannot filter: it runs on the userspace datapath, which has no STP" <<<"$out"
        expect "nothing left" nothing_left $name
fi

n=0
# case_ EXPECTED-REGEX 'the last line of the lab'
case_() {
        local want=$1 line=$2 name f
        n=$((n + 1))
        name=tlsb$n-$$
        f=$(mklab $name <<LAB
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
$line
LAB
)
        expect_refused $name "$f" 3 "$want" "$line" 60
}
case_ "stp: forward_delay 1 is outside 2..30 seconds" 'lab:switch("s1", { stp = { forward_delay = 1 } })'
case_ "stp: forward_delay: expected whole seconds \(2..30\), got 2.5" 'lab:switch("s1", { stp = { forward_delay = 2.5 } })'
case_ "stp: unknown option 'hello' \(expected one of: forward_delay\)" 'lab:switch("s1", { stp = { hello = 1 } })'
case_ "stp: expected true, false or \{forward_delay = s\}, got \"yes\"" 'lab:switch("s1", { stp = "yes" })'
case_ "lab:host: unknown option 'stp'" 'lab:host("h2", { stp = true })'
case_ "node:flush_fdb: \"h1\" is a host, not a switch" 'h1:flush_fdb()'

finish
