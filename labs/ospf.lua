-- ospf.lua — OSPF on FRR routers in a mesh with link costs, a host behind
-- r1 and one behind r4 (needs Debian's frr package).
--
--        10        10
--   r1 ----- r2 ----- r4        h1 - r1 ... r4 - h4
--   | \               / |
--   |  `---- 100 ----'  |
--   20                  20
--   `------- r3 -------'
--
-- The cheapest way from h1 to h4 is r1-r2-r4 (cost 20). With r1-r2 down it
-- is r1-r3-r4 (40), not the direct r1-r4 (100); with r1-r2 back, traffic
-- returns. Hellos every second, neighbours dead after 4.
local lab = netlab.lab("ospf")
local frr = netlab.frr

local ospf = { hello = 1, dead = 4 }
local r1 = frr.router(lab, "r1", { id = "10.255.0.1", ospf = ospf })
local r2 = frr.router(lab, "r2", { id = "10.255.0.2", ospf = ospf })
local r3 = frr.router(lab, "r3", { id = "10.255.0.3", ospf = ospf })
local r4 = frr.router(lab, "r4", { id = "10.255.0.4", ospf = ospf })
local h1 = lab:host("h1", { ip = "10.1.0.10/24", gw = "10.1.0.1" })
local h4 = lab:host("h4", { ip = "10.4.0.10/24", gw = "10.4.0.1" })

local l12 = frr.link(lab, r1, r2, { ip = { "10.0.12.1/24", "10.0.12.2/24" }, cost = 10 })
frr.link(lab, r2, r4, { ip = { "10.0.24.2/24", "10.0.24.4/24" }, cost = 10 })
frr.link(lab, r1, r3, { ip = { "10.0.13.1/24", "10.0.13.3/24" }, cost = 20 })
frr.link(lab, r3, r4, { ip = { "10.0.34.3/24", "10.0.34.4/24" }, cost = 20 })
frr.link(lab, r1, r4, { ip = { "10.0.14.1/24", "10.0.14.4/24" }, cost = 100 })
lab:link(h1, r1, { ip = { false, "10.1.0.1/24" } })
lab:link(h4, r4, { ip = { false, "10.4.0.1/24" } })

-- The routers' daemons start as soon as the lab is up (in the console too,
-- before any experiment), as on a real network.
lab:on_up(frr.start)

-- The routers h1's packets to h4 cross, as traceroute shows them.
local function path()
  local out = h1:cmd("traceroute -n -w 1 -q 1 -m 6 10.4.0.10 2>&1") or ""
  local hops = {}
  for ip in out:gmatch("\n%s*%d+%s+([%d.]+)") do hops[#hops + 1] = ip end
  return table.concat(hops, " ")
end

-- Waits until path() is want (at most limit seconds); the seconds it took.
local function wait_path(want, limit)
  local t0 = os.time()
  repeat
    if path() == want then return os.time() - t0 end
    netlab.sleep(0.5)
  until os.time() - t0 > limit
  return nil
end

local cheap = "10.1.0.1 10.0.12.2 10.0.24.4 10.4.0.10"
local second = "10.1.0.1 10.0.13.3 10.0.34.4 10.4.0.10"

experiment("OSPF converges", function()
  local ok, err = frr.converged(lab, { timeout = 60 })
  check(ok, "every router has a route to every subnet" .. (err and (": " .. err) or ""))
  local rt = r1:vtysh("show ip route json")
  local e = rt and rt["10.4.0.0/24"] and rt["10.4.0.0/24"][1]
  check(e and e.protocol == "ospf", "r1's route to h4's subnet is OSPF's")
  check(h1:ping(h4, { count = 2 }), "h1 reaches h4")
end)

experiment("traffic takes the cheapest path", function()
  local t = wait_path(cheap, 20)
  check(t ~= nil, "traceroute h1 -> h4 crosses r2" .. (t and (" (after " .. t .. " s)") or (": " .. path())))
end)

experiment("a failed link: the next cheapest path within the timers", function()
  l12:down()
  local t = wait_path(second, 10)
  check(t ~= nil, "traceroute crosses r3 within 10 s (dead interval 4 s)" ..
    (t and (": after " .. t .. " s") or (": " .. path())))
  check(h1:ping(h4, { count = 2 }), "h1 still reaches h4")
end)

experiment("the link back: traffic returns to the cheapest path", function()
  l12:up()
  local t = wait_path(cheap, 20)
  check(t ~= nil, "traceroute crosses r2 again" .. (t and (" after " .. t .. " s") or (": " .. path())))
end)
