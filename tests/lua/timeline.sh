#!/usr/bin/env bash
# timeline.sh — an experiment's timeline (issue 10 §4): at/after/every run
# in order and on time beside the body (which keeps pinging meanwhile), a
# check sits between the events (the loss while the link is down), every()
# stops on false, on cancel and with the body; an event's error ends the
# experiment at its line; bad arguments name the line. Series (§5): samples
# on the timeline and their CSV, bad names refused.
. "$(dirname "$0")/../lib.sh"
need_root
name=ttl$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
local l = lab:link(h1, h2)
local rtt = lab:series("rtt", { unit = "ms" })
experiment("order", function()
  local log = {}
  local function rec(tag) return function(t) log[#log + 1] = { tag, t, netlab.elapsed() } end end
  at(0.30, rec("at.30"))
  at(0.10, rec("at.10a"))
  at(0.10, rec("at.10b"))          -- a tie runs in the order scheduled
  after(0.20, rec("after.20"))
  local late = at(0.25, rec("cancelled"))
  check(late:pending() and late:cancel() and not late:pending(), "cancel: pending, then not")
  netlab.sleep(0.5)
  local tags = {}
  for _, e in ipairs(log) do tags[#tags + 1] = e[1] end
  check(table.concat(tags, " ") == "at.10a at.10b after.20 at.30", "order: " .. table.concat(tags, " "))
  local worst = 0
  local want = { 0.10, 0.10, 0.20, 0.30 }
  for i, e in ipairs(log) do worst = math.max(worst, math.abs(e[3] - want[i])) end
  check(worst < 0.05, ("each ran within 50 ms of its time (worst %.1f ms)"):format(worst * 1000))
  check(math.abs(netlab.elapsed() - 0.5) < 0.1, "the body's sleep was not cut short by the events: "
    .. netlab.elapsed())
end)
experiment("every", function()
  local n, m, ticks = 0, 0, {}
  every(0.05, function(t) n = n + 1; ticks[#ticks + 1] = t; if n == 4 then return false end end)
  local h = every(0.05, function() m = m + 1 end)
  at(0.22, function() h:cancel() end)
  netlab.sleep(0.5)
  check(n == 4, "every stops when its function returns false: " .. n)
  check(m >= 3 and m <= 5, "cancel stops it: " .. m .. " runs by 0.22 s")
  local ok = true
  for i = 2, #ticks do ok = ok and math.abs(ticks[i] - ticks[i - 1] - 0.05) < 0.03 end
  check(ok, "period 50 ms (" .. table.concat(ticks, " ") .. ")")
  every(0.05, function() rtt:add(1) end) -- ends with the body
end)
experiment("down while pinging", function()
  -- the body pings for ~4 s; the link is down from 1 s to 3 s meanwhile
  local tdown, tup, fdown, fup -- when the change was made; when its event fired
  at(1, function(t) fdown = t; l:down(); tdown = netlab.elapsed() end)
  at(3, function(t) fup = t; l:up(); tup = netlab.elapsed() end)
  local probes = {}
  every(0.25, function() -- each probe is a process: few enough for a loaded machine
    local t0 = netlab.elapsed()
    local ok, st = h1:ping(h2, { count = 1, timeout = 1 })
    probes[#probes + 1] = { t0 = t0, t1 = netlab.elapsed(), ok = ok }
    rtt:add(ok and st.rtt_avg or -1)
  end)
  local ok, st = h1:ping(h2, { count = 40, interval = 0.1 })
  while not tup do netlab.sleep(0.05) end -- (a slow machine)
  check(fdown < 1.25 and fup < 3.25, ("events on time: down at %.3f (done %.3f), up at %.3f (done %.3f)")
    :format(fdown, tdown, fup, tup))
  -- checks between the events: a probe that started and ended while the
  -- link was down got no answer; one that started after it was up again
  -- (or ended before it went down) did (a loaded machine may lose one)
  local lost_in, n_in, lost_out, n_out, when = 0, 0, 0, 0, ""
  for _, p in ipairs(probes) do
    if p.t0 > tdown and p.t1 < tup then
      n_in, lost_in = n_in + 1, lost_in + (p.ok and 0 or 1)
    elseif p.t1 < tdown or p.t0 > tup then
      n_out, lost_out = n_out + 1, lost_out + (p.ok and 0 or 1)
      if not p.ok then when = when .. (" %.2f"):format(p.t0) end
    end
  end
  check(n_in >= 2 and lost_in == n_in, ("while down, %d of %d probes lost"):format(lost_in, n_in))
  check(n_out >= 1 and lost_out <= 1, ("while up, %d of %d probes lost%s"):format(lost_out, n_out,
    when ~= "" and " (started at" .. when .. ")" or ""))
  -- h1's own ping loses no more than the 2 s outage's worth (20 of 40, margin 3)
  check(40 - st.received <= 23, ("the body's ping lost %d of 40"):format(40 - st.received))
end)
experiment("waits for pending at", function()
  at(0.3, function() netlab.sleep(0.2); check(true, "an event that waits runs to its end") end)
end)
experiment("error in an event", function()
  at(0.05, function() error("boom") end)
  netlab.sleep(1)
  check(false, "not reached")
end)
experiment("series csv", function()
  local s = lab:series("steps")
  s:clear()
  s:add(0.5, 10); s:add(1.5, 20.25); s:add(3)
  local p = s:csv(os.getenv("TMPDIR_T") .. "/steps.csv")
  local text = io.open(p):read("a")
  check(text:match("^t,steps\n0.500000,10\n1.500000,20.25\n[%d.]+,3\n$") ~= nil, "csv: " .. text)
  check(#s == 3 and s:samples()[2].v == 20.25, "samples")
  check(#rtt > 10, "rtt series has " .. #rtt .. " samples")
  local d = rtt:csv()
  check(d == "netlab-out/LABNAME/rtt.csv" and io.open(d) ~= nil, "default path " .. tostring(d))
  local bad, err = pcall(lab.series, lab, "../x")
  check(not bad and err:match("LABNAME%.lua:%d+: lab:series: invalid name '%.%./x'"), err)
  bad, err = pcall(function() at(-1, print) end)
  check(not bad and err:match("LABNAME%.lua:%d+: at: expected seconds >= 0"), err)
  bad, err = pcall(function() every(0, print) end)
  check(not bad and err:match("LABNAME%.lua:%d+: every: expected seconds > 0"), err)
  bad, err = pcall(function() after(1, "x") end)
  check(not bad and err:match("LABNAME%.lua:%d+: after: expected a function, got string"), err)
end)
local ok, err = pcall(function() at(1, print) end)
check(not ok and err:match("LABNAME%.lua:%d+: at: only inside an experiment"), tostring(err))
LAB
)
cd "$TMP" || exit 1
out=$(TMPDIR_T=$TMP "$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "exits 1: one experiment ends with an error (exit $rc)" [ $rc -eq 1 ]
n=$(echo "$out" | grep -c FAIL)
expect "only the event's error failed ($n)" [ "$n" -eq 1 ]
bl=$(grep -n 'error("boom")' "$f" | cut -d: -f1)
expect "the error names the event's line ($bl)" grep -q "FAIL.*$name.lua:$bl: boom" <<<"$out"
expect "the body stopped with it (no 'not reached')" bash -c "! grep -q 'not reached' <<<\"\$0\"" "$out"
expect "the event that waits ran" grep -q "PASS  an event that waits" <<<"$out"
expect "the CSV's path is printed" grep -q "series rtt: [0-9]* samples in netlab-out/$name/rtt.csv" <<<"$out"
expect "rtt.csv has a line per sample" [ "$(wc -l <"$TMP/netlab-out/$name/rtt.csv")" -gt 10 ]
expect "  ... nothing left" nothing_left $name

# Ctrl-C while events wait on commands: the run stops at a line of the lab,
# the events' commands are killed with it
name2=ttlint$$
f2=$(mklab $name2 <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2)
experiment("x", function()
  every(0.2, function() h1:cmd("sleep 31.5$$") end)
  at(0.5, function() h2:cmd("sleep 41.5$$") end)
  netlab.sleep(30)
end)
LAB
)
sed -i "s/\\\$\\\$/$$/g" "$f2"
"$NETLAB" run "$f2" >"$TMP/int.out" 2>&1 &
pid=$!
for _ in $(seq 400); do pgrep -f "sleep 41.5$$" >/dev/null && break; sleep 0.1; done
expect "the events' commands run" pgrep -f "sleep 31.5$$"
kill -INT $pid
wait $pid
rc=$?
cat "$TMP/int.out"
expect "SIGINT stops the run (exit $rc)" [ $rc -eq 130 ]
expect "  ... at a line of the lab" grep -q "FAIL  .*$name2.lua:[0-9]*: interrupted by SIGINT" "$TMP/int.out"
sleep 0.3
expect "  ... the events' commands are gone" bash -c "! pgrep -f 'sleep [34]1.5$$'"
expect "  ... nothing left" nothing_left $name2
finish
