-- linear.lua — Mininet's linear,2: two switches in a chain, one host on
-- each, 10.0.0.N/8; every host reaches every other (pingall).
local lab = netlab.lab("linear")
netlab.topo.linear(lab, 2)

experiment("pingall", function()
  local r = lab:pingall()
  check(r.ok, ("every host reaches every other (%d/%d answered)"):format(r.received, r.sent))
end)

experiment("a link down cuts the chain", function()
  local link = lab:links()[3]  -- s2 -- s1
  link:down()
  local ok = lab:node("h1"):ping(lab:node("h2"), { count = 1 })
  check(not ok, "h1 no longer reaches h2 with s2--s1 down")
  link:up()
  -- h1 still has an unanswered ARP entry for h2 from the ping above; the
  -- kernel retries it once a second (later when the machine is busy), so
  -- allow several seconds, and say what the nodes saw if a try fails.
  local h1, h2 = lab:node("h1"), lab:node("h2")
  for try = 1, 3 do
    ok = h1:ping(h2, { count = 8, interval = 0.5, timeout = 3 })
    if ok then break end
    print(("try %d: no answer yet; h1: %s s1: %s s2: %s"):format(try,
      h1:cmd("ip neigh; ip -br link"), lab:node("s1"):cmd("ip -br link"),
      lab:node("s2"):cmd("ip -br link")))
  end
  check(ok, "h1 reaches h2 again once the link is up")
end)
