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
                   queue = 100, corrupt = 0.01 })
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
  check(ok, "distribution, reorder, gap, queue, corrupt: the link works")
end)
experiment("loss", function()
  check(not h5:ping(h6, { count = 2, timeout = 1 }), "loss = 100: nothing gets through")
end)
