-- bgp.lua — three ASes with eBGP between them and iBGP inside AS 65002,
-- on FRR routers (needs Debian's frr package).
--
--   h1 - r1 ==eBGP== r2a --iBGP-- r2b ==eBGP== r3 - h3
--       AS 65001      AS 65002               AS 65003
--
-- r1 announces h1's subnet, r3 announces h3's: each is learned across the
-- ASes (AS path 65002 65001 at r3), h1 and h3 reach each other, and h1's
-- prefix is withdrawn everywhere when the r1-r2a link fails.
local lab = netlab.lab("bgp")
local frr = netlab.frr

local r1 = frr.router(lab, "r1", { id = "10.255.0.1", bgp = { as = 65001,
  neighbors = { { ip = "10.0.12.2", as = 65002 } }, networks = { "10.1.0.0/24" } } })
local r2a = frr.router(lab, "r2a", { id = "10.255.0.2", bgp = { as = 65002,
  neighbors = { { ip = "10.0.12.1", as = 65001 }, { ip = "10.0.22.2", as = 65002 } } } })
local r2b = frr.router(lab, "r2b", { id = "10.255.0.3", bgp = { as = 65002,
  neighbors = { { ip = "10.0.22.1", as = 65002 }, { ip = "10.0.23.3", as = 65003 } } } })
local r3 = frr.router(lab, "r3", { id = "10.255.0.4", bgp = { as = 65003,
  neighbors = { { ip = "10.0.23.2", as = 65002 } }, networks = { "10.3.0.0/24" } } })
local h1 = lab:host("h1", { ip = "10.1.0.10/24", gw = "10.1.0.1" })
local h3 = lab:host("h3", { ip = "10.3.0.10/24", gw = "10.3.0.1" })

local l12 = lab:link(r1, r2a, { ip = { "10.0.12.1/24", "10.0.12.2/24" } })
lab:link(r2a, r2b, { ip = { "10.0.22.1/24", "10.0.22.2/24" } })
lab:link(r2b, r3, { ip = { "10.0.23.2/24", "10.0.23.3/24" } })
lab:link(h1, r1, { ip = { false, "10.1.0.1/24" } })
lab:link(h3, r3, { ip = { false, "10.3.0.1/24" } })

-- The routers' daemons start as soon as the lab is up (in the console too,
-- before any experiment), as on a real network.
lab:on_up(frr.start)

-- r3's BGP route to h1's subnet, or nil.
local function r3_route()
  local t = r3:vtysh("show ip bgp 10.1.0.0/24 json")
  return t and t.paths and t.paths[1]
end

local function wait_for(f, limit)
  local t0 = os.time()
  repeat
    if f() then return os.time() - t0 end
    netlab.sleep(0.5)
  until os.time() - t0 > limit
  return nil
end

experiment("BGP converges across three ASes", function()
  local ok, err = frr.converged(lab, { timeout = 60 })
  check(ok, "every session Established, every prefix everywhere" .. (err and (": " .. err) or ""))
  local p = r3_route()
  local aspath = p and p.aspath and (p.aspath.string or p.aspath)
  check(aspath == "65002 65001", "r3 learned h1's prefix through AS 65002: " .. tostring(aspath))
  check(h1:ping(h3, { count = 2 }), "h1 reaches h3")
end)

experiment("h1's prefix is withdrawn when its link fails", function()
  l12:down()
  local t = wait_for(function() return r3_route() == nil end, 15)
  check(t ~= nil, "r3 no longer has 10.1.0.0/24" .. (t and (" (after " .. t .. " s)") or ""))
  check(not h1:ping(h3, { count = 1 }), "h1 no longer reaches h3")
end)

experiment("the link back: the prefix is learned again", function()
  l12:up()
  local t = wait_for(function() return r3_route() ~= nil end, 30)
  check(t ~= nil, "r3 has 10.1.0.0/24 again" .. (t and (" (after " .. t .. " s)") or ""))
  check(wait_for(function() return h1:ping(h3, { count = 1 }) end, 10) ~= nil, "h1 reaches h3 again")
end)
