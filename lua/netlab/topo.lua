-- netlab.topo: topology generators, built like Mininet's (same names, same
-- order, same addresses), so `linear,4` here is `mn --topo linear,4` there.
-- Hosts h1.. get 10.0.0.N/8 in creation order; switches are s1...
local topo = {}

local function host_ip(i)
  return ("10.%d.%d.%d/8"):format((i >> 16) & 255, (i >> 8) & 255, i & 255)
end

local function count(n, what, level)
  if math.type(n) ~= "integer" or n < 1 then
    error(("netlab.topo.%s: expected a positive integer, got %s"):format(what, tostring(n)),
      level or 3)
  end
end

-- linear,N: N switches in a chain, one host on each.
function topo.linear(lab, n)
  count(n, "linear")
  local prev
  local hosts, switches = {}, {}
  for i = 1, n do
    local h = lab:host("h" .. i, { ip = host_ip(i) })
    local s = lab:switch("s" .. i)
    lab:link(h, s)
    if prev then lab:link(s, prev) end
    prev = s
    hosts[i], switches[i] = h, s
  end
  return hosts, switches
end

-- tree,depth,fanout: a complete tree of switches, hosts at the leaves.
function topo.tree(lab, depth, fanout)
  count(depth, "tree (depth)")
  count(fanout or 2, "tree (fanout)")
  fanout = fanout or 2
  local nsw, nh = 1, 1
  local hosts, switches = {}, {}
  local function add(d)
    if d > 0 then
      local s = lab:switch("s" .. nsw)
      nsw = nsw + 1
      switches[#switches + 1] = s
      for _ = 1, fanout do
        lab:link(s, add(d - 1))
      end
      return s
    end
    local h = lab:host("h" .. nh, { ip = host_ip(nh) })
    hosts[#hosts + 1] = h
    nh = nh + 1
    return h
  end
  add(depth)
  return hosts, switches
end

-- star,N (Mininet's single,N): one switch, N hosts.
function topo.star(lab, n)
  count(n, "star")
  local s = lab:switch("s1")
  local hosts = {}
  for i = 1, n do
    hosts[i] = lab:host("h" .. i, { ip = host_ip(i) })
    lab:link(hosts[i], s)
  end
  return hosts, { s }
end
topo.single = topo.star

-- ring,N: N switches in a ring, one host on each. The bridges run no STP,
-- so the link closing the ring (sN -- s1) starts down, as a standby path:
-- take another ring link down before bringing it up, or frames loop.
function topo.ring(lab, n)
  count(n, "ring")
  if n < 3 then error("netlab.topo.ring: a ring needs at least 3 switches", 2) end
  local hosts, switches = {}, {}
  for i = 1, n do
    hosts[i] = lab:host("h" .. i, { ip = host_ip(i) })
    switches[i] = lab:switch("s" .. i)
    lab:link(hosts[i], switches[i])
    if i > 1 then lab:link(switches[i - 1], switches[i]) end
  end
  local standby = lab:link(switches[n], switches[1], { up = false })
  return hosts, switches, standby
end

return topo
