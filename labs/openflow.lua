-- openflow.lua — Open vSwitch switches driven by an OpenFlow controller, as
-- Mininet's `mn --switch ovs --controller ref`. Two OVS switches of the lab's
-- own (class "ovs"), each with two hosts, connected to the reference
-- learning controller c0 (ovs-testcontroller, run by the lab): s1 in fail
-- mode "secure" (without its controller it makes no new flows), s2 in
-- "standalone" (without its controller it becomes a learning switch).
-- Needs Open vSwitch: apt-get install openvswitch-switch openvswitch-testcontroller
local lab = netlab.lab("openflow")
local c0 = lab:controller("c0", { kind = "ref" })
local s1 = lab:switch("s1", { class = "ovs", fail_mode = "secure" })
local s2 = lab:switch("s2", { class = "ovs", fail_mode = "standalone" })
local h = {}
for i = 1, 4 do
  h[i] = lab:host("h" .. i, { ip = ("10.0.0.%d/24"):format(i) })
  lab:link(h[i], i <= 2 and s1 or s2)
end
lab:link(s1, s2)

-- The flows a switch holds that the controller installed (not the table-miss
-- rule sending packets to it).
local function learned_flows(sw)
  local out = sw:dpctl("dump-flows") or ""
  local n = 0
  for line in out:gmatch("[^\n]+") do
    if line:find("actions=output:", 1, true) then n = n + 1 end
  end
  return n, out
end

experiment("switches connect to the controller", function()
  for _, sw in ipairs({ s1, s2 }) do
    local ok, state = sw:wait_ready({ timeout = 15 })
    check(ok, ("%s is connected to c0 (%s)"):format(sw.name, state))
  end
  check(c0:state():find("running", 1, true), "c0 runs: " .. c0:state())
end)

experiment("pingall through the learning controller", function()
  local r = lab:pingall()
  check(r.ok, ("every host reaches every other (%d/%d answered)"):format(r.received, r.sent))
  local n1 = learned_flows(s1)
  local n2 = learned_flows(s2)
  check(n1 > 0, ("dpctl dump-flows shows the flows c0 installed in s1 (%d)"):format(n1))
  check(n2 > 0, ("dpctl dump-flows shows the flows c0 installed in s2 (%d)"):format(n2))
end)

experiment("without the controller: secure stops, standalone goes on", function()
  c0:stop()
  -- Forget every flow: what forwards now is the switches' own fail mode.
  s1:dpctl("del-flows")
  s2:dpctl("del-flows")
  check(not h[1]:ping(h[2], { count = 2, timeout = 2 }),
    "s1 (secure) forwards no new flow: h1 does not reach h2")
  -- Open vSwitch goes standalone after three inactivity probes (about 15 s;
  -- allow more on a busy machine).
  local ok, t0 = false, netlab.now()
  repeat
    ok = h[3]:ping(h[4], { count = 1, timeout = 1 })
  until ok or netlab.now() - t0 > 60
  check(ok, ("s2 (standalone) forwards as a learning switch: h3 reaches h4 (after %.0f s)")
    :format(netlab.now() - t0))
  check(not h[1]:ping(h[2], { count = 1, timeout = 1 }), "s1 still forwards nothing")
end)

experiment("the controller back: secure forwards again", function()
  c0:start()
  local ok, state = s1:wait_ready({ timeout = 15 })
  check(ok, "s1 reconnects to c0 (" .. state .. ")")
  check(h[1]:ping(h[2], { count = 3, timeout = 5 }), "h1 reaches h2 through c0 again")
end)
