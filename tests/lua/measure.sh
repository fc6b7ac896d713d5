#!/usr/bin/env bash
# measure.sh — measurements come back as numbers (issue 10 §5): node:ping's
# RTT min/avg/max/mdev and loss, node:iperf's Mbit/s, retransmits, jitter
# and loss, on a link limited to 10 Mbit/s; bad options name the lab's line.
. "$(dirname "$0")/../lib.sh"
need_root
command -v iperf3 >/dev/null || { echo "SKIP: no iperf3"; exit 77; }
name=tmeas$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2, { bw = "10mbit" })
experiment("numbers", function()
  local ok, st = h1:ping(h2, { count = 5, interval = 0.05 })
  check(ok and st.loss == 0 and st.received == 5, "5 of 5 replies, loss " .. tostring(st.loss))
  check(type(st.rtt_min) == "number" and st.rtt_min <= st.rtt_avg and st.rtt_avg <= st.rtt_max
    and st.rtt_mdev >= 0, ("rtt %s/%s/%s/%s"):format(st.rtt_min, st.rtt_avg, st.rtt_max, st.rtt_mdev))
  ok, st = h1:ping("10.0.0.99", { count = 2, interval = 0.05, timeout = 0.3 })
  check(not ok and st.loss == 100 and st.rtt_avg == nil, "no replies: loss 100, no RTT")
  local r, e = h1:iperf(h2, { time = 2 })
  check(r and r.mbps > 7 and r.mbps < 10.5, "TCP through 10 Mbit/s: " .. (r and r.mbps or e))
  check(r and math.type(r.retransmits) == "integer", "retransmits " .. tostring(r and r.retransmits))
  local u
  u, e = h1:iperf("h2", { udp = true, bw = "4M", time = 1 })
  check(u and u.mbps > 3.5 and u.mbps < 4.5, "UDP at 4M: " .. (u and u.mbps or e))
  check(u and type(u.jitter_ms) == "number" and u.loss <= 1 and u.packets > 0,
    ("jitter %s ms, loss %s%% of %s"):format(u and u.jitter_ms, u and u.loss, u and u.packets))
  r, e = h1:iperf(h2, { reverse = true, time = 1, parallel = 2 })
  check(r and r.mbps > 7 and r.mbps < 10.5, "reverse, 2 streams: " .. (r and r.mbps or e))
  local bad, err = pcall(function() h1:iperf(h2, { bw = "1M; touch /tmp/pwned" }) end)
  check(not bad and err:match("LABNAME%.lua:%d+: node:iperf: bw is a rate"), tostring(err))
  bad, err = pcall(function() h1:iperf(h2, { time = 0.5 }) end)
  check(not bad and err:match("LABNAME%.lua:%d+: node:iperf: time must be an integer"), tostring(err))
end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out" | grep -E "PASS|FAIL"
expect "measurements as numbers (exit $rc)" [ $rc -eq 0 ]
expect "  ... nothing left" nothing_left $name
finish
