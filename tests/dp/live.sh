#!/bin/bash
# Live changes on the userspace datapath (issue 13 §3, issue 10 §3), on a
# kernel without netem or bridge VLAN filtering: the running datapath takes
# each change without a restart (same pid), within milliseconds, keeping the
# frames queued on a wire.
#  - link:set / link:clear on a wire: the ping RTT follows the new delay;
#  - a plain link given a delay becomes a wire, in a lab whose datapath was
#    not running (it starts), and keeps its addresses and routes;
#  - a steady flow (ping every 10 ms) loses nothing across delay changes;
#  - link:vlan{...} moves a port between VLANs: reachability follows; a
#    switch without VLANs that gets one moves into the datapath;
#  - links added to and removed from a datapath switch, a node removed.
# The times measured (link:set's return, the engine's apply time from its
# log) are printed.
NETLAB=${1:?usage: $0 PATH/TO/netlab}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
export NETLAB SRC
. "$SRC/tests/lib.sh"
need_root

if "$NETLAB" doctor 2>/dev/null | grep -qE "^netem qdisc +yes"; then
        echo "SKIP: this kernel has netem (the kernel path carries live changes; tests/lua/live.sh)"
        exit 77
fi

L=tdplive$$
F=$(mklab $L <<'LUA'
local lab = netlab.lab("LABNAME")
local s = lab:switch("s")
local h1 = lab:host("h1", { ip = "10.8.0.1/24" })
local h2 = lab:host("h2", { ip = "10.8.0.2/24" })
local h3 = lab:host("h3", { ip = "10.8.0.3/24" })
local r = lab:host("r", { ip = "10.8.9.1/24" })
local l1 = lab:link(h1, s)
local l2 = lab:link(h2, s)
local l3 = lab:link(h3, s)
local lr = lab:link(h1, r, { ip = { "10.8.9.2/24", false } })
local function dp_pid()
  local f = io.open("/run/netlab/LABNAME/datapath.log")
  local p = io.popen("pgrep -f '^netlab datapath LABNAME$'")
  local pid = p:read("l")
  p:close()
  if f then f:close() end
  return pid
end
-- The smallest RTT of n pings (-1: none answered): the first may carry ARP.
local function rtt(a, b, n)
  local ok, st = a:ping(b, { count = n or 3, interval = 0.1, timeout = 2 })
  return ok and st.rtt_min or -1
end
local function timed(fn)
  local t0 = netlab.now()
  fn()
  return (netlab.now() - t0) * 1000
end
experiment("a plain link becomes a wire; the datapath starts", function()
  check(dp_pid() == nil, "no datapath runs before any change needs it")
  check(rtt(h1, h2) < 10, "h1-h2 without delay")
  local ms = timed(function() l1:set({ delay = "20ms" }) end)
  print(string.format("measure: plain link -> wire, datapath started: link:set took %.1f ms", ms))
  check(dp_pid() ~= nil, "the datapath runs now")
  local v = rtt(h1, h2)
  check(v >= 38 and v < 60, "h1-h2 RTT is 2 x 20 ms: " .. v)
  check(h1:cmd("ip -br addr show eth0"):find("10.8.0.1/24", 1, true) ~= nil, "h1 keeps its address")
  check(rtt(h1, r) >= 0 and rtt(h1, r) < 10, "h1's other link is untouched")
end)
experiment("link:set on a wire: no restart, RTT follows", function()
  local pid = dp_pid()
  local ms = timed(function() l1:set({ delay = "50ms" }) end)
  print(string.format("measure: link:set on a wire took %.2f ms", ms))
  check(ms < 100, "link:set returns at once: " .. ms .. " ms")
  local v = rtt(h1, h2)
  check(v >= 98 and v < 120, "h1-h2 RTT is 2 x 50 ms: " .. v)
  check(dp_pid() == pid, "the same datapath process (no restart)")
  ms = timed(function() l1:clear() end)
  print(string.format("measure: link:clear took %.2f ms", ms))
  v = rtt(h1, h2)
  check(v >= 0 and v < 10, "cleared: h1-h2 RTT back under 10 ms: " .. v)
  l1:set({ loss = 100 })
  check(rtt(h1, h2, 2) < 0, "loss = 100 cuts h1 off")
  l1:set({ delay = "5ms" })
  v = rtt(h1, h2)
  check(v >= 9 and v < 25, "loss gone, 2 x 5 ms: " .. v)
end)
experiment("a steady flow loses nothing at the changes", function()
  local job = h1:spawn("ping -q -i 0.01 -c 400 -W 3 10.8.0.2")
  netlab.sleep(0.8)
  l1:set({ delay = "40ms" })
  netlab.sleep(0.8)
  l1:set({ delay = "1ms" })   -- frames queued for 40 ms keep their time
  netlab.sleep(0.8)
  l1:set({ delay = "30ms", jitter = "2ms", duplicate = 0 })
  netlab.sleep(0.8)
  l1:clear()
  local out = job:wait() or ""
  print(out:match("[^\n]*packet loss[^\n]*") or out)
  check(out:find(" 400 received", 1, true) ~= nil, "400 of 400 pings answered across 4 changes")
end)
experiment("VLAN membership, live", function()
  check(rtt(h2, h3) >= 0, "h2 and h3 share the switch's default VLAN")
  local pid = dp_pid()
  local ms = timed(function() l3:vlan({ vlan = 20 }) end)
  print(string.format("measure: a kernel switch's first VLAN, into the datapath: %.1f ms", ms))
  check(rtt(h2, h3, 1) < 0, "h3 moved to VLAN 20: h2 no longer reaches it")
  check(dp_pid() == pid, "the same datapath took the switch")
  l2:vlan({ vlan = 20 })
  check(rtt(h2, h3, 2) >= 0, "h2 moved to VLAN 20 too: they meet again")
  check(rtt(h1, h2, 1) < 0, "h1 stayed in VLAN 1: cut off from h2")
  ms = timed(function() l1:vlan({ vlans = { { vid = 20, pvid = true, untagged = true } } }) end)
  print(string.format("measure: link:vlan on a datapath switch took %.2f ms", ms))
  check(rtt(h1, h2, 2) >= 0, "h1 in VLAN 20 reaches h2 through its wire")
  l1:vlan({})
  check(rtt(h1, h2, 1) < 0, "link:vlan{} puts h1 back in VLAN 1")
  local ok, e = pcall(function() lr:vlan({ vlan = 5 }) end)
  check(not ok and tostring(e):find("neither 'h1' nor 'r' is a switch", 1, true) ~= nil, "link:vlan on a link without a switch: " .. tostring(e))
end)
experiment("Gilbert-Elliott loss, live", function()
  l2:vlan({ vlan = 20 })
  l2:set({ loss = { p = 5, r = 50 } })
  local out = h2:cmd("ping -q -i 0.005 -c 1000 -W 1 10.8.0.3")
  local loss = tonumber(out:match("([%d.]+)%% packet loss") or "-1")
  print("measure: gemodel p 5% r 50% both ways: ping loss " .. loss .. "% (expected 1 - (1 - 0.091)^2 = 17.4%)")
  check(loss >= 11 and loss <= 24, "GE loss p 5% r 50% each way loses about 17% of pings: " .. loss)
  local ok, e = pcall(function() l2:set({ loss = { r = 5 } }) end)
  check(not ok and tostring(e):find("Gilbert-Elliott needs p", 1, true) ~= nil, "loss = {r = 5} is refused: " .. tostring(e))
  ok, e = pcall(function() l2:set({ loss = { p = 5, x = 1 } }) end)
  check(not ok and tostring(e):find("'x'", 1, true) ~= nil, "an unknown key of loss is refused: " .. tostring(e))
  l2:set({ loss = 10, delay = "1ms", jitter = "500us", correlation = { loss = 25, delay = 50 } })
  local f = io.open("/run/netlab/LABNAME/datapath.conf")
  local conf = f:read("a")
  f:close()
  check(conf:find("delay_corr=500000", 1, true) and conf:find("loss_corr=250000", 1, true),
        "correlation = {loss = 25, delay = 50} reaches the wire")
  ok, e = pcall(function() l2:set({ loss = 1, correlation = 101 }) end)
  check(not ok and tostring(e):find("correlation: expected a percentage", 1, true) ~= nil, "correlation = 101 is refused: " .. tostring(e))
  l2:clear()
  check(rtt(h2, h3) >= 0, "cleared: h2 reaches h3")
end)
experiment("per direction", function()
  local d = lab:link(h3, r, { ip = { "10.8.7.3/24", "10.8.7.1/24" }, delay = "5ms", from = { r = { delay = "40ms" } } })
  local v = rtt(h3, "10.8.7.1")
  check(v >= 45 and v < 70, "from = {r = {delay = 40ms}}: 5 ms out, 40 ms back: RTT " .. v)
  d:set({ delay = "30ms", from = { [h3] = { delay = "1ms" } } })
  v = rtt(h3, "10.8.7.1")
  check(v >= 31 and v < 50, "link:set per direction: 1 ms out, 30 ms back: RTT " .. v)
  local f = io.open("/run/netlab/LABNAME/datapath.conf")
  local conf = f:read("a")
  f:close()
  check(conf:find("impair ab delay=1000", 1, true) and conf:find("impair ba delay=30000", 1, true), "the wire's two directions differ in the datapath's configuration")
  local ok, e = pcall(function() d:set({ delay = "1ms", from = { h1 = { delay = "2ms" } } }) end)
  check(not ok and tostring(e):find("from: 'h1' is not an end of this link (h3, r)", 1, true) ~= nil, "from naming another node is refused: " .. tostring(e))
  d:clear()
  v = rtt(h3, "10.8.7.1")
  check(v >= 0 and v < 10, "cleared both ways: " .. v)
  d:remove()
end)
experiment("links and nodes come and go on the datapath", function()
  local pid = dp_pid()
  local h4 = lab:host("h4", { ip = "10.8.0.4/24" })
  local l4 = lab:link(h4, s, { vlan = 20, delay = "10ms" })
  local v = rtt(h4, h2)
  check(v >= 18 and v < 40, "a new delayed link into VLAN 20: h4-h2 RTT 2 x 10 ms: " .. v)
  l4:remove()
  check(not h2:cmd("ping -c 1 -W 1 10.8.0.4"):find("1 received", 1, true), "its link removed: h4 is gone from the switch")
  lab:remove(h3)
  check(rtt(h2, h1, 1) < 0 and dp_pid() == pid, "h3 removed; the same datapath runs on")
  local f = io.open("/run/netlab/LABNAME/datapath.conf")
  local conf = f:read("a")
  f:close()
  check(not conf:find("p3", 1, true) and not conf:find("p4", 1, true), "the datapath's configuration lost s:p3 and s:p4")
end)
LUA
)
"$NETLAB" run --keep "$F" >"$TMP/out" 2>&1
rc=$?
cat "$TMP/out"
expect "the live checks pass" [ $rc = 0 ]
grep -q "40 received\|400 received" "$TMP/out" || true
if [ -f /run/netlab/$L/datapath.log ]; then
        # The engine's own time per reload (the log's "reloaded in N us"): a
        # change of parameters or VLANs, and one that opens new ports.
        grep "reloaded in" /run/netlab/$L/datapath.log | sed 's/.*reloaded in //'
        # A change of parameters or VLANs (no port to open) is the engine's
        # own work; opening a port waits for the kernel's rtnl lock (promisc),
        # which other labs on this machine hold at times: printed, not bound.
        times=$(grep "reloaded in.*; 0 ports opened" /run/netlab/$L/datapath.log | awk '{print $6}' | sort -n)
        opens=$(grep "reloaded in" /run/netlab/$L/datapath.log | grep -v "; 0 ports opened" | awk '{print $6}' | sort -n)
        n=$(echo "$times" | wc -l)
        within=$(echo "$times" | awk '$1 < 10000' | wc -l)
        echo "engine apply times, changes (us): $(echo $times)"
        echo "engine apply times, reloads that opened ports (us): $(echo $opens)"
        # Two cores shared with other work: one may be descheduled; nine in ten within 10 ms.
        expect "changes applied within 10 ms in the engine: $within of $n" [ $((within * 10)) -ge $((n * 9)) ]
        expect "datapath.log shows reloads, no refusal" bash -c "! grep -q 'refused' /run/netlab/$L/datapath.log"
fi
# A change sent as the datapath is killed: the supervisor's restart takes it.
K=tdpkill$$
G=$(mklab $K <<'LUA'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.8.0.1/24" })
local h2 = lab:host("h2", { ip = "10.8.0.2/24" })
local l = lab:link(h1, h2, { delay = "5ms" })
experiment("killed under a change", function()
  local p = io.popen("pgrep -f '^netlab datapath LABNAME$'")
  local pid = p:read("l")
  p:close()
  os.execute("kill -9 " .. pid)
  local ok, e = pcall(function() l:set({ delay = "30ms" }) end)
  print("set after kill: " .. tostring(ok) .. " " .. tostring(e))
  netlab.sleep(1)
end)
experiment("after the restart", function()
  local ok, st = h1:ping(h2, { count = 3 })
  check(ok and st.rtt_min >= 60, "the restarted datapath has the new delay: " .. tostring(st and st.rtt_min))
end)
LUA
)
"$NETLAB" run "$G" >"$TMP/kout" 2>&1
cat "$TMP/kout"
expect "link:set as the datapath is killed succeeds" grep -q "set after kill: true" "$TMP/kout"
expect "... and the restarted datapath applies it" grep -q "PASS  the restarted datapath has the new delay" "$TMP/kout"
expect "nothing of $K is left" nothing_left $K
"$NETLAB" clean --force $L >/dev/null
expect "nothing of $L is left" nothing_left $L
finish
