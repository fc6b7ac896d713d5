-- labs/impair.lua — each link parameter's effect, measured and checked.
--
-- A pair of hosts per parameter, linked directly; the parameter applies in
-- both directions (as Mininet's TCLink), so a ping crosses it twice. Where
-- the kernel has no netem (CI, this machine) the links are wires of the
-- userspace datapath; elsewhere netem. netlab.seed makes the random ones
-- (loss, duplicate, corrupt, jitter) repeat from run to run.
--
-- Tolerances (stated with each check):
--   delay    RTT within [2d, 2d + 10 ms]   (ping itself adds ~0.1 ms; a loaded machine more)
--   jitter   mdev within [0.5, 1.6] x the expected sd (uniform: j/sqrt 3 each way)
--   loss     lost pings inside the 99.9% binomial interval of 1 - (1 - p)^2
--   rate     TCP within [85%, 105%] of the rate
--   dup      duplicates inside a wide interval around 200 x ((1 + p)^2 - 1)
--   corrupt  unanswered pings between 5% and 40% (most flipped bits break a checksum)
--   reorder  some replies come back faster than 2 x delay, some not
--   bufferbloat  the median RTT under a saturating TCP flow (reno) within
--            [0.4, 1.2] x queue/rate above the idle RTT (the sawtooth keeps the
--            queue between half full and full), and over twice as long with
--            four times the queue
--
-- Series: the bufferbloat step records RTT over time (rtt_q20, rtt_q80, in
-- ms) and writes them as CSV; in the console, `plot rtt_q80` draws one.
netlab.seed(7)
local lab = netlab.lab("impair")

local pairs_ = {}
local function pair(tag, opts)
  local n = #pairs_ + 1
  local a = lab:host(tag .. "1", { ip = ("10.77.%d.1/24"):format(n) })
  local b = lab:host(tag .. "2", { ip = ("10.77.%d.2/24"):format(n) })
  lab:link(a, b, opts)
  pairs_[#pairs_ + 1] = { a, b }
  return a, b
end

local d1, d2 = pair("d", { delay = "20ms" })
local j1, j2 = pair("j", { delay = "20ms", jitter = "6ms" })
local l1, l2 = pair("l", { loss = 10 })
local r1, r2 = pair("r", { bw = "10mbit" })
local u1, u2 = pair("u", { duplicate = 10 })
local c1, c2 = pair("c", { corrupt = 10 })
local o1, o2 = pair("o", { delay = "10ms", reorder = 50 })
local q1, q2 = pair("qa", { bw = "10mbit", queue = 20, delay = "1ms" })
local p1, p2 = pair("qb", { bw = "10mbit", queue = 80, delay = "1ms" })

-- The 99.9% interval of a binomial count (normal approximation).
local function binom(n, p)
  local m, d = n * p, 3.29 * math.sqrt(n * p * (1 - p))
  return math.floor(m - d), math.ceil(m + d)
end

-- Warm the ARP caches, so the first ping measures the link, not the lookup.
local function warm(a, b) a:ping(b, { count = 1, timeout = 2 }) end

experiment("delay", function()
  warm(d1, d2)
  local ok, st = d1:ping(d2, { count = 10, interval = 0.05 })
  check(ok and st.rtt_avg >= 40 and st.rtt_avg <= 50,
    ("delay 20 ms each way: RTT %.1f ms (expected 40, at most 50)"):format(st.rtt_avg or -1))
end)

experiment("jitter", function()
  warm(j1, j2)
  local ok, st = j1:ping(j2, { count = 100, interval = 0.01 })
  -- uniform +-6 ms each way: sd 6/sqrt 3 = 3.46 ms; the sum of two: 4.9 ms
  local sd = math.sqrt(2) * 6 / math.sqrt(3)
  check(ok and st.rtt_mdev >= 0.5 * sd and st.rtt_mdev <= 1.6 * sd,
    ("jitter 6 ms: mdev %.2f ms (expected %.2f, within 0.5-1.6x)"):format(st.rtt_mdev or -1, sd))
  check(ok and math.abs(st.rtt_avg - 40) <= 5,
    ("... around the delay: RTT %.1f ms (expected 40 +- 5)"):format(st.rtt_avg or -1))
end)

experiment("loss", function()
  warm(l1, l2)
  local n = 300
  local ok, st = l1:ping(l2, { count = n, interval = 0.005, timeout = 1 })
  local lost = st.sent - st.received
  local lo, hi = binom(st.sent, 1 - 0.9 ^ 2)
  check(st.sent == n and lost >= lo and lost <= hi,
    ("loss 10%% each way: %d of %d pings lost (expected 19%%: %d-%d)"):format(lost, st.sent, lo, hi))
end)

experiment("rate", function()
  local r, err = r1:iperf(r2, { time = 3 })
  check(r and r.mbps >= 8.5 and r.mbps <= 10.5,
    ("bw 10 Mbit/s: TCP %s Mbit/s (expected 8.5-10.5)"):format(r and ("%.2f"):format(r.mbps) or err))
end)

experiment("duplicate", function()
  warm(u1, u2)
  local out = u1:cmd("ping -n -q -c 200 -i 0.005 -W 1 10.77.5.2")
  local dups = tonumber(out:match("%+(%d+) duplicates") or "0")
  -- each of request and reply doubled with p = 0.1: 200 x (1.1^2 - 1) = 42 extra replies
  check(dups >= 15 and dups <= 80, ("duplicate 10%% each way: %d duplicates of 200 (expected ~42, 15-80)"):format(dups))
end)

experiment("corrupt", function()
  warm(c1, c2)
  local ok, st = c1:ping(c2, { count = 200, interval = 0.005, timeout = 1 })
  local lost = st.sent - st.received
  check(lost >= 10 and lost <= 80,
    ("corrupt 10%% each way: %d of %d unanswered (expected ~19%% minus harmless flips: 10-80)"):format(lost, st.sent))
end)

experiment("reorder", function()
  warm(o1, o2)
  -- half the frames skip the delay (netem's reorder): some RTTs fall below 2 x 10 ms
  local out = o1:cmd("ping -n -c 100 -i 0.01 -W 1 10.77.7.2")
  local fast, slow = 0, 0
  for t in out:gmatch("time=([%d.]+) ms") do
    if tonumber(t) < 15 then fast = fast + 1 else slow = slow + 1 end
  end
  check(fast >= 20 and slow >= 5,
    ("reorder 50%%: %d replies faster than 15 ms, %d at the full 20 ms"):format(fast, slow))
end)

-- Bufferbloat: a TCP flow fills the queue of a 10 Mbit/s link; a ping that
-- waits behind it sees queue x 1500 bytes / rate more: 20 frames = 24 ms,
-- 80 frames = 96 ms. The flow runs in the body; the ping is an event on the
-- timeline, from 1.5 s into the flow (the queue is full by then).
local function bloat(a, b, ip, q, name)
  warm(a, b)
  -- A loss-based TCP (reno) fills the queue; BBR, the default here, keeps
  -- it nearly empty on purpose. One segment a frame (no GSO), so that the
  -- queue's packets are full-size frames, as queue/rate assumes.
  a:cmd("sysctl -qw net.ipv4.tcp_congestion_control=reno; ip link set eth0 gso_max_segs 1 2>/dev/null")
  local base = select(2, a:ping(b, { count = 5, interval = 0.05 })).rtt_avg or 0
  local s = lab:series(name, { unit = "ms" })
  s:clear()
  local loaded
  after(1.5, function()
    local out = a:cmd("ping -n -c 25 -i 0.1 -W 2 " .. ip)
    local rtts = {}
    for seq, t in out:gmatch("icmp_seq=(%d+).- time=([%d.]+) ms") do
      rtts[#rtts + 1] = tonumber(t)
      s:add(1.5 + 0.1 * (tonumber(seq) - 1), tonumber(t))
    end
    table.sort(rtts)
    loaded = rtts[math.max(1, #rtts // 2)]
  end)
  local r = a:iperf(b, { time = 5 })
  while loaded == nil do netlab.sleep(0.1) end
  local predicted = q * 1514 * 8 / 10e6 * 1000
  -- reno's sawtooth holds the queue between about half full and full
  check(loaded and loaded - base >= 0.4 * predicted and loaded - base <= 1.2 * predicted,
    ("queue %d at 10 Mbit/s: RTT %.1f ms under TCP (%.1f idle): +%.1f, queue/rate predicts +%.1f (0.4-1.2x)")
      :format(q, loaded or -1, base, (loaded or 0) - base, predicted))
  check(r and r.mbps > 7, ("... while the flow got %s Mbit/s"):format(r and ("%.1f"):format(r.mbps) or "?"))
  s:csv()
  return loaded
end

experiment("bufferbloat", function()
  local small = bloat(q1, q2, "10.77.8.2", 20, "rtt_q20")
  local large = bloat(p1, p2, "10.77.9.2", 80, "rtt_q80")
  check(small and large and large > 2 * small,
    ("the larger queue, the longer the wait: %.1f ms (80) > 2 x %.1f ms (20)"):format(large or -1, small or -1))
end)
