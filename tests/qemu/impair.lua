-- impair.lua — link impairments give the same check results on netem (the
-- VM's stock kernel) and on the datapath's wires (this machine). The checks
-- are the semantics with stated tolerances: a delay is never shorter than
-- asked (RTT >= 2 x delay, the same delay both ways) and at most 40 ms
-- longer (TCG is slow); jitter stays within delay +- jitter (uniform);
-- loss = 100 loses all; duplicate = 100 doubles every frame both ways; the
-- other knobs (a normal distribution table, reorder with gap, a queue,
-- corrupt) are taken by both paths.
-- Run by qemu_compare_impair.
local lab = netlab.lab("impair")
local h1 = lab:host("h1", { ip = "10.8.0.1/24" })
local h2 = lab:host("h2", { ip = "10.8.0.2/24" })
local h3 = lab:host("h3", { ip = "10.8.1.3/24" })
local h4 = lab:host("h4", { ip = "10.8.1.4/24" })
local h5 = lab:host("h5", { ip = "10.8.2.5/24" })
local h6 = lab:host("h6", { ip = "10.8.2.6/24" })
lab:link(h1, h2, { delay = "30ms", jitter = "5ms" })
lab:link(h3, h4, { duplicate = 100 })
lab:link(h5, h6, { loss = 100 })
local h7 = lab:host("h7", { ip = "10.8.3.7/24" })
local h8 = lab:host("h8", { ip = "10.8.3.8/24" })
lab:link(h7, h8, { delay = "10ms", jitter = "2ms", distribution = "normal", reorder = 10, gap = 5,
                   queue = 100, corrupt = 0.01, correlation = 25 })
experiment("delay and jitter", function()
  h1:ping(h2, { count = 1 }) -- ARP first: it crosses the delayed link too
  local ok, st = h1:ping(h2, { count = 5 })
  check(ok, "h1 reaches h2")
  check(st and st.rtt_min >= 50, "the RTT is at least 2 x (30 - 5) ms")
  check(st and st.rtt_max <= 110, "the RTT is at most 2 x (30 + 5) ms, plus 40")
end)
experiment("duplicate", function()
  local out = h3:cmd("ping -c 3 -i 0.3 -W 2 10.8.1.4")
  local dups = tonumber(out:match("%+(%d+) duplicates") or "0")
  check(dups >= 6, "duplicate = 100: every frame doubled both ways")
end)
experiment("every knob is taken", function()
  h7:ping(h8, { count = 1 })
  local ok, st = h7:ping(h8, { count = 3 })
  check(ok, "distribution, reorder, gap, queue, corrupt, correlation: the link works")
end)
local h9 = lab:host("h9", { ip = "10.8.4.9/24" })
local h10 = lab:host("h10", { ip = "10.8.4.10/24" })
local ge = lab:link(h9, h10, { loss = { p = 0, r = 100, h = 0, k = 100 } })
experiment("Gilbert-Elliott loss, and live changes", function()
  check(h9:ping(h10, { count = 3 }), "gemodel p 0: never in the bad state, nothing lost")
  ge:set({ loss = { p = 100, r = 0, h = 0 } })
  local _, lost = h9:ping(h10, { count = 4, interval = 0.2, timeout = 1 })
  check(lost and lost.received <= 1, "gemodel p 100 r 0 h 0: the first frame each way enters the bad state, the rest is lost")
  ge:set({ delay = "20ms" })
  local ok, st = h9:ping(h10, { count = 3 })
  check(ok and st.rtt_min >= 40, "link:set{delay = 20ms} replaces the loss: RTT >= 40 ms")
  ge:clear()
  ok, st = h9:ping(h10, { count = 3 })
  check(ok and st.rtt_min < 20, "link:clear(): no delay left")
end)
experiment("loss", function()
  check(not h5:ping(h6, { count = 2, timeout = 1 }), "loss = 100: nothing gets through")
end)
