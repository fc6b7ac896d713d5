-- router.lua — two subnets joined by a router: hosts reach each other
-- through it, and the TTL of the replies shows the extra hop.
local lab = netlab.lab("router")

local h1 = lab:host("h1", { ip = "10.0.1.10/24", gw = "10.0.1.1" })
local h2 = lab:host("h2", { ip = "10.0.2.10/24", gw = "10.0.2.1" })
local r1 = lab:router("r1")
lab:link(h1, r1, { ip = { false, "10.0.1.1/24" } })
lab:link(h2, r1, { ip = { false, "10.0.2.1/24" } })

experiment("each host reaches its gateway", function()
  check(h1:ping("10.0.1.1"), "h1 reaches r1 on 10.0.1.1")
  check(h2:ping("10.0.2.1"), "h2 reaches r1 on 10.0.2.1")
end)

experiment("pings cross the router", function()
  local ok, st = h1:ping(h2, { count = 3 })
  check(ok, "h1 reaches h2 through r1")
  -- Linux answers with TTL 64; one router on the way back makes it 63.
  check(st.ttl == 63, ("the reply's TTL is 63, one hop decremented (got %s)"):format(st.ttl))
  ok, st = h2:ping(h1)
  check(ok and st.ttl == 63, "h2 reaches h1, TTL 63")
  local fwd = r1:cmd("cat /proc/sys/net/ipv4/ip_forward")
  check(fwd == "1\n", "r1 forwards IPv4")
end)
