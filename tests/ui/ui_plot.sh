# ui_plot.sh — `plot NAME` (issue 10 §5): a pane draws a series the lab's
# experiment records from timeline events (every, at) while its body waits (braille chart, the max on the value axis, the time
# axis), redrawn as samples come while the experiment runs; `plot` lists
# the series; a name with no samples yet opens a pane that says so and
# fills in later; at 80x24 the chart still fits its pane.
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local lab = netlab.lab("$LAB")
local h1 = lab:host("h1")
local s = lab:series("ramp", { unit = "ms" })
experiment("ramp", function()
  -- the samples come from timeline events while the body waits (the
  -- console's loop drives both)
  local i = 0
  every(0.02, function()
    s:add(i * 0.1, 10 + i * 2); i = i + 1
    if i == 41 then return false end
  end)
  at(2.5, function() for k = 41, 60 do s:add(k * 0.1, 999) end end)
  h1:cmd("sleep 3")
  check(#s == 61, "61 samples")
end)
LUA
start 120 40
cmd "plot"
wait_for 'series: ramp \(plot NAME\)'
cmd "plot later"
wait_for 'plot later: no samples yet'
cmd "exp run ramp"
cmd "plot ramp"
wait_for 'plot ramp \(ms\): 41, last 90' 20
wait_for ' 90 ┤'
wait_for ' 10 ┤'
wait_for '└0s +4s'
screen | LC_ALL=C grep -q $'\xe2[\xa0-\xa3]' || fail "no braille dots in the chart"
wait_for 'plot ramp \(ms\): 61, last 999' 20
wait_for ' 999 ┤'
wait_for 'exp ramp: 1 passed, 0 failed'
# the pane of a series the lab never made stays, saying so
screen | grep -q 'plot later: no samples yet' || fail "the 'later' pane went"
# a small terminal: the chart fits its pane
tmux -L "$SOCK" resize-window -t "$SESSION" -x 80 -y 24 2>/dev/null
wait_for '└0s +6s'
echo "ok"
