-- vlan.lua — the VLAN experiments 1-8 of the blog series on veth devices,
-- Linux bridges and VLANs in network namespaces, on one static topology.
--
-- Groups: green = VLAN 10, rosa = VLAN 20. All members of both groups share
-- one IP subnet (192.168.5.0/24): only the VLANs keep them apart.
--
--   netns1 -- netns2        direct veth (exp 1), 10.0.12.0/24
--   brx: netns1, netns2 (green access ports), netns4, netns5 (rosa access
--        ports), netns1t, netns4t (trunk ports, tagging done by the hosts'
--        subinterfaces eth0.10 / eth0.20), trunks to bry and brz
--   bry: netns6 (green), netns7 (rosa); trunk to brx (exp 5); netns9 (exp 6
--        and 7) on an untagged port and a tagged one
--   brz: trunk to brx, trunk to the router netns10, which routes the groups'
--        second subnets (10.0.10.0/24 green, 10.0.20.0/24 rosa) and
--        masquerades them towards netns11, the lab's stand-in for the
--        internet (203.0.113.0/24, TEST-NET-3; nothing leaves the lab)
--
-- Experiment 6 (on bry): netns9 is a member of both groups. Its port has a
-- PVID of its own (VLAN 9) and egresses VLANs 10 and 20 untagged; the
-- members' ports (netns6, netns7) egress VLAN 9 untagged. So netns9 hears
-- both groups and both groups hear netns9, ARP included. But VLAN 9 now
-- reaches both members' ports: a member that tags its frames 9 (netns7's
-- eth0.9) would reach the other group through it. bry's firewall drops
-- frames between the green and the rosa port, so netns9's VLAN is no relay
-- between the groups. The rules name those two ports only: the isolation
-- through the trunk (experiment 5) is the VLANs' alone.
--
-- Every isolation claim is proven by a capture on the other group's
-- interfaces (tcpdump, frames arriving there), not only by a failed ping.
local V = require("netlab.vlan")
local lab = netlab.lab("vlan")

local brx, bry, brz = lab:switch("brx"), lab:switch("bry"), lab:switch("brz")

local netns1 = lab:host("netns1", { gw = "10.0.10.254", routes = { { "10.0.20.0/24", "10.0.10.9" } } })
local netns2 = lab:host("netns2", { gw = "10.0.10.254", routes = { { "10.0.20.0/24", "10.0.10.9" } } })
local netns4 = lab:host("netns4", { gw = "10.0.20.254", routes = { { "10.0.10.0/24", "10.0.20.9" } } })
local netns5 = lab:host("netns5", { gw = "10.0.20.254", routes = { { "10.0.10.0/24", "10.0.20.9" } } })
lab:link(netns1, brx, { ip = { { "192.168.5.1/24", "10.0.10.1/24" }, false }, vlan = 10 })
lab:link(netns2, brx, { ip = { { "192.168.5.2/24", "10.0.10.2/24" }, false }, vlan = 10 })
lab:link(netns4, brx, { ip = { { "192.168.5.4/24", "10.0.20.4/24" }, false }, vlan = 20 })
lab:link(netns5, brx, { ip = { { "192.168.5.5/24", "10.0.20.5/24" }, false }, vlan = 20 })

-- Experiment 1: the direct veth between netns1 and netns2 (their eth1).
local direct = lab:link(netns1, netns2, { ip = { "10.0.12.1/24", "10.0.12.2/24" } })

-- Experiment 4: tagging outside the bridge.
local netns1t, netns4t = lab:host("netns1t"), lab:host("netns4t")
lab:link(netns1t, brx, { trunk = { 10 } })
lab:link(netns4t, brx, { trunk = { 20 } })
netns1t:vlan("eth0", 10, { ip = "192.168.5.11/24" })
netns4t:vlan("eth0", 20, { ip = "192.168.5.14/24" })

-- Experiment 5: a second bridge joined by a trunk. Its green and rosa
-- ports also egress netns9's VLAN 9 untagged (experiment 6).
local function member(vid)
  return { { vid = vid, pvid = true, untagged = true }, { vid = 9, untagged = true } }
end
local netns6, netns7 = lab:host("netns6"), lab:host("netns7")
lab:link(brx, bry, { trunk = { 10, 20 } })
lab:link(netns6, bry, { ip = { "192.168.5.6/24", false }, vlans = member(10) })
lab:link(netns7, bry, { ip = { "192.168.5.7/24", false }, vlans = member(20) })

-- Experiments 6 and 7: netns9 on bry, in both groups; it routes between
-- their subnets through two subinterfaces on a second, tagged port.
local netns9 = lab:router("netns9")
lab:link(netns9, bry, {
  ip = { "192.168.5.9/24", false },
  vlans = { { vid = 9, pvid = true, untagged = true }, { vid = 10, untagged = true },
    { vid = 20, untagged = true } },
})
lab:link(netns9, bry, { trunk = { 10, 20 } })
netns9:vlan("eth1", 10, { ip = "10.0.10.9/24" })
netns9:vlan("eth1", 20, { ip = "10.0.20.9/24" })
-- A rosa member that tags its frames with netns9's VLAN (exp 6). Its port
-- leaves VLAN 9 untagged, on purpose here: warn = false keeps netlab's
-- warning about that quiet.
netns7:vlan("eth0", 9, { ip = "192.168.9.7/24", warn = false })
-- The rules match bridge ports only (no VID: on a kernel bridge a frame
-- leaving an untagged port has lost its tag before the forward hook).
bry:firewall({
  { action = "drop", ["in"] = "netns6", out = "netns7" },
  { action = "drop", ["in"] = "netns7", out = "netns6" },
})

-- Experiment 8: brz, the router netns10 and the "internet" netns11.
local netns10 = lab:router("netns10", { nat = "eth1" })
local netns11 = lab:host("netns11")
lab:link(brx, brz, { trunk = { 10, 20 } })
lab:link(netns10, brz, { trunk = { 10, 20 } })
netns10:vlan("eth0", 10, { ip = "10.0.10.254/24" })
netns10:vlan("eth0", 20, { ip = "10.0.20.254/24" })
lab:link(netns10, netns11, { ip = { "203.0.113.10/24", "203.0.113.11/24" } })

local green = { netns1, netns2 }
local rosa = { netns4, netns5 }
-- The shared subnet's addresses of the groups (their 10.0.x addresses are
-- routed on purpose in experiments 7 and 8).
local function lan_ips(nodes)
  local t = {}
  for _, n in ipairs(nodes) do
    for _, a in ipairs((V.addrs(n))) do
      if a:match("^192%.168%.5%.") then t[#t + 1] = a end
    end
  end
  return t
end

-- netns9 hears VLANs 10 and 20 on both ports (untagged on eth0, tagged on
-- eth1): it answers ARP only on the interface that has the address asked for.
local function netns9_arp_ignore()
  netns9:cmd("echo 1 > /proc/sys/net/ipv4/conf/all/arp_ignore")
end

experiment("1 two namespaces joined by a veth pair", function()
  direct:up()
  V.matrix({ { netns1, "10.0.12.2", true, label = "netns2 (10.0.12.2)" },
    { netns2, "10.0.12.1", true, label = "netns1 (10.0.12.1)" } })
  local _, st = netns1:ping("10.0.12.2")
  check(st.ttl == 64, "the reply comes straight from netns2 (TTL 64)")
  direct:down()
  check(not netns1:ping("10.0.12.2"), "with the veth down, netns1 does not reach netns2")
  direct:up()
  check(netns1:ping("10.0.12.2", { count = 3, timeout = 2 }), "with the veth up again, it does")
end)

experiment("2 the same two through the bridge brx", function()
  local caps = V.step({
    matrix = { { netns1, netns2, true }, { netns2, netns1, true } },
    watch = { { netns2, netns1 } },
  })
  check(#caps[1]:grep("192.168.5.1 > 192.168.5.2: ICMP echo request") > 0,
    "netns1's echo requests arrive at netns2's eth0, its port to brx")
  local route = netns1:cmd("ip -o route get 192.168.5.2") or ""
  check(route:match(" dev eth0 ") ~= nil, "netns1 routes to netns2 through eth0 (brx), not the veth")
end)

-- A watcher of group `mine` checks that nothing of `other` arrives.
local function watcher(node, peer, name, other)
  return { node, peer, from = { name, other, lan_ips(other) } }
end

experiment("3 green and rosa on brx, isolated by PVIDs", function()
  V.step({
    matrix = V.concat(V.pairs(green, green, true), V.pairs(rosa, rosa, true),
      V.pairs(green, rosa, false), V.pairs(rosa, green, false)),
    watch = {
      watcher(netns4, netns5, "green", green), watcher(netns5, netns4, "green", green),
      watcher(netns1, netns2, "rosa", rosa), watcher(netns2, netns1, "rosa", rosa),
    },
  })
end)

experiment("4 tagging in the hosts: subinterfaces on trunk ports", function()
  -- Captures on the parents (eth0): every frame on the wire, tagged or not.
  V.step({
    matrix = V.concat(
      V.pairs({ netns1t }, green, true), V.pairs({ netns4t }, rosa, true),
      V.pairs(green, { netns1t }, true), V.pairs(rosa, { netns4t }, true),
      V.pairs({ netns1t }, V.concat(rosa, { netns4t }), false),
      V.pairs({ netns4t }, V.concat(green, { netns1t }), false)),
    watch = {
      watcher(netns4t, netns4, "green", { netns1t, netns1, netns2 }),
      watcher(netns1t, netns1, "rosa", { netns4t, netns4, netns5 }),
    },
  })
end)

experiment("5 a second bridge bry joined by a trunk", function()
  local g, r = { netns1, netns2, netns1t }, { netns4, netns5, netns4t }
  V.step({
    matrix = V.concat(
      V.pairs({ netns6 }, g, true), V.pairs({ netns7 }, r, true),
      V.pairs(g, { netns6 }, true), V.pairs(r, { netns7 }, true),
      V.pairs({ netns6 }, V.concat(r, { netns7 }), false),
      V.pairs({ netns7 }, V.concat(g, { netns6 }), false)),
    watch = {
      watcher(netns7, netns4, "green", V.concat({ netns6 }, g)),
      watcher(netns5, netns4, "green", V.concat({ netns6 }, g)),
      watcher(netns6, netns1, "rosa", V.concat({ netns7 }, r)),
      watcher(netns2, netns1, "rosa", V.concat({ netns7 }, r)),
    },
  })
  -- No loop: one broadcast crosses the trunk once and arrives once.
  local caps = V.capture({ { netns2, "eth0" } }, function()
    V.flush({ netns6 })
    netns6:ping(netns1)
  end)
  check(#caps[1]:grep("Request who-has 192.168.5.1 tell 192.168.5.6") == 1,
    "netns6's ARP request for netns1 arrives at netns2 exactly once (no loop)")
end)

experiment("6 netns9 in both groups; bry's firewall keeps VLAN 9 from relaying", function()
  netns9_arp_ignore()
  V.matrix(V.concat(V.pairs({ netns9 }, { netns6, netns7 }, true),
    V.pairs({ netns6, netns7 }, { netns9 }, true),
    { { netns6, netns7, false }, { netns7, netns6, false } }))
  -- netns9's ARP request (VLAN 9) reaches the members of both groups;
  -- netns7 tags its frames 9: netns9 hears them, green netns6 does not.
  local caps = V.capture({ { netns6, "eth0" }, { netns7, "eth0" }, { netns9, "eth0" } }, function()
    V.pings({ { netns6, netns1 }, { netns7, netns4 }, { netns9, netns7 } })
    V.flush({ netns9 })
    V.pings({ { netns9, netns6 }, { netns7, "192.168.9.99", false } })
  end)
  for i, m in ipairs({ netns6, netns7 }) do
    check(#caps[i]:grep("Request who-has 192.168.5.6 tell 192.168.5.9") > 0,
      ("netns9's ARP request arrives at %s"):format(m.name))
  end
  check(#caps[3]:grep("Request who-has 192.168.9.99 tell 192.168.9.7") > 0,
    "netns7's VLAN-9 ARP request arrives at netns9")
  check(#caps[1]:from({ netns1 }) > 0, "capture on netns6:eth0 is listening (frames of netns1 seen)")
  local leak = caps[1]:frames_of({ netns7 })
  check(#leak == 0, "capture on netns6:eth0: no VLAN-9 frame of netns7 (rosa) arrived")
  if #leak > 0 then print("    leaked: " .. leak[1]) end
end)

experiment("7 separate subnets; netns9 routes between them", function()
  netns9_arp_ignore()
  local caps = V.step({
    matrix = {
      { netns9, "10.0.10.1", true, label = "netns1 (10.0.10.1, eth1.10)" },
      { netns9, "10.0.10.2", true, label = "netns2 (10.0.10.2, eth1.10)" },
      { netns9, "10.0.20.4", true, label = "netns4 (10.0.20.4, eth1.20)" },
      { netns9, "10.0.20.5", true, label = "netns5 (10.0.20.5, eth1.20)" },
      { netns1, "10.0.20.4", true, label = "netns4 (10.0.20.4) through netns9" },
      { netns5, "10.0.10.2", true, label = "netns2 (10.0.10.2) through netns9" },
    },
    watch = { watcher(netns4, netns5, "green", green) },
  })
  check(#caps[1]:grep("10.0.10.1 > 10.0.20.4: ICMP echo request") > 0
    and #caps[1]:from({ netns9 }) > 0,
    "netns1's echo requests arrive at netns4 from netns9's MAC (routed, not bridged)")
  local _, st = netns1:ping("10.0.20.4")
  check(st.ttl == 63, "netns4's reply took one routed hop (TTL 63)")
end)

experiment("8 brz and netns10: routing and NAT to the internet (netns11)", function()
  local caps = V.step({
    matrix = {
      { netns1, netns11, true, label = "the internet (netns11)" },
      { netns4, netns11, true, label = "the internet (netns11)" },
      { netns11, "10.0.10.1", false, label = "netns1's private address" },
      { netns11, "10.0.20.4", false, label = "netns4's private address" },
    },
    traffic = { { netns2, netns11 }, { netns5, netns11 } },
    watch = {
      { netns11, netns10 },
      watcher(netns4, netns5, "green", green), watcher(netns5, netns4, "green", green),
    },
  })
  check(#caps[1]:grep("203.0.113.10 > 203.0.113.11: ICMP echo request") > 0,
    "the echo requests arrive at netns11 from netns10's address (masquerade)")
  check(#caps[1]:mentions({ "10.0.10.1", "10.0.10.2", "10.0.20.4", "10.0.20.5" }) == 0,
    "no private address of the groups reaches netns11")
end)
