-- netlab.topo: topology generators, built like Mininet's (same names, same
-- order, same addresses), so `linear,4` here is `mn --topo linear,4` there.
-- Hosts h1.. get 10.0.0.N/8 in creation order; switches are s1...
local topo = {}

local function host_ip(i)
  return ("10.%d.%d.%d/8"):format((i >> 16) & 255, (i >> 8) & 255, i & 255)
end

-- Options every generator takes (the last argument, optional):
--   host = {...}    options of every host (merged over its address)
--   switch = {...}  options of every switch
--   link = {...}    options of every link, or function(a, b, i) returning them
local function merge(base, extra)
  local t = {}
  for k, v in pairs(base or {}) do t[k] = v end
  for k, v in pairs(extra or {}) do t[k] = v end
  return t
end

local function options(opts, what)
  netlab.check_opts(opts, { "host", "switch", "link" }, "netlab.topo." .. what)
  if opts == nil then return { n = 0 } end
  return { host = opts.host, switch = opts.switch, link = opts.link, n = 0 }
end

local function new_host(lab, o, i)
  return lab:host("h" .. i, merge({ ip = host_ip(i) }, o.host))
end

local function new_switch(lab, o, name)
  return lab:switch(name, o.switch)
end

local function new_link(lab, o, a, b, extra)
  o.n = o.n + 1
  local lo = o.link
  if type(lo) == "function" then lo = lo(a, b, o.n) end
  return lab:link(a, b, merge(lo, extra))
end

-- Errors name the lab's line (netlab.error), not this file's.
local function count(n, what)
  if math.type(n) ~= "integer" or n < 1 then
    netlab.error(("netlab.topo.%s: expected a positive integer, got %s"):format(what, tostring(n)))
  end
  if n > 100000 then -- as `netlab run --topo`: more is a typo, not a lab
    netlab.error(("netlab.topo.%s: %d is more than 100000"):format(what, n))
  end
end

-- linear,N: N switches in a chain, one host on each.
function topo.linear(lab, n, opts)
  count(n, "linear")
  local o = options(opts, "linear")
  local prev
  local hosts, switches = {}, {}
  for i = 1, n do
    local h = new_host(lab, o, i)
    local s = new_switch(lab, o, "s" .. i)
    new_link(lab, o, h, s)
    if prev then new_link(lab, o, s, prev) end
    prev = s
    hosts[i], switches[i] = h, s
  end
  return hosts, switches
end

-- tree,depth,fanout: a complete tree of switches, hosts at the leaves.
function topo.tree(lab, depth, fanout, opts)
  count(depth, "tree (depth)")
  local o = options(opts, "tree")
  count(fanout or 2, "tree (fanout)")
  fanout = fanout or 2
  if fanout > 1 and depth * math.log(fanout) > math.log(100000) then
    netlab.error(("netlab.topo.tree: %d^%d hosts is more than 100000"):format(fanout, depth))
  end
  local nsw, nh = 1, 1
  local hosts, switches = {}, {}
  local function add(d)
    if d > 0 then
      local s = new_switch(lab, o, "s" .. nsw)
      nsw = nsw + 1
      switches[#switches + 1] = s
      for _ = 1, fanout do
        new_link(lab, o, s, add(d - 1))
      end
      return s
    end
    local h = new_host(lab, o, nh)
    hosts[#hosts + 1] = h
    nh = nh + 1
    return h
  end
  add(depth)
  return hosts, switches
end

-- star,N (Mininet's single,N): one switch, N hosts.
function topo.star(lab, n, opts)
  count(n, "star")
  local o = options(opts, "star")
  local s = new_switch(lab, o, "s1")
  local hosts = {}
  for i = 1, n do
    hosts[i] = new_host(lab, o, i)
    new_link(lab, o, hosts[i], s)
  end
  return hosts, { s }
end
topo.single = topo.star

-- True when the generator's switches run STP (switch = {stp = ...}): then
-- every link starts up and STP blocks the loops; otherwise the links that
-- would close a loop start down, as standby paths.
local function stp_on(o)
  return type(o.switch) == "table" and o.switch.stp ~= nil and o.switch.stp ~= false
end

-- ring,N: N switches in a ring, one host on each. Without STP the link
-- closing the ring (sN -- s1) starts down, as a standby path: take another
-- ring link down before bringing it up, or frames loop. With
-- switch = {stp = ...} it starts up and STP blocks a port.
function topo.ring(lab, n, opts)
  count(n, "ring")
  local o = options(opts, "ring")
  if n < 3 then netlab.error("netlab.topo.ring: a ring needs at least 3 switches") end
  local hosts, switches = {}, {}
  for i = 1, n do
    hosts[i] = new_host(lab, o, i)
    switches[i] = new_switch(lab, o, "s" .. i)
    new_link(lab, o, hosts[i], switches[i])
    if i > 1 then new_link(lab, o, switches[i - 1], switches[i]) end
  end
  local standby = new_link(lab, o, switches[n], switches[1], not stp_on(o) and { up = false } or nil)
  return hosts, switches, standby
end

-- Links switch pairs (in order): those joining two parts not yet joined
-- start up, the others (each would close a loop) start down unless the
-- switches run STP. → the links that started down (or, with STP, would have).
local function mesh(lab, o, pairs_)
  local parent = {}
  local function find(x)
    while parent[x] and parent[x] ~= x do x = parent[x] end
    return x
  end
  local standby = {}
  for _, p in ipairs(pairs_) do
    local ra, rb = find(p[1].name), find(p[2].name)
    local loop = ra == rb
    if not loop then parent[ra] = rb end
    local l = new_link(lab, o, p[1], p[2], loop and not stp_on(o) and { up = false } or nil)
    if loop then standby[#standby + 1] = l end
  end
  return standby
end

-- fattree,K (Al-Fares et al.): K pods of K/2 edge switches eP_I and K/2
-- aggregation switches aP_I, (K/2)^2 core switches cI, K^3/4 hosts (K/2 on
-- each edge switch). In each pod every edge switch links to every
-- aggregation switch; aggregation switch I of each pod links to the core
-- switches (I-1)*K/2+1 .. I*K/2. Without STP only a spanning tree of it
-- starts up (the other links are standby, returned third); with
-- switch = {stp = ...} everything is up. → hosts, switches (core, then
-- each pod's aggregation and edge switches), standby links.
function topo.fattree(lab, k, opts)
  count(k, "fattree")
  local o = options(opts, "fattree")
  if k < 2 or k % 2 ~= 0 then
    netlab.error(("netlab.topo.fattree: k is an even number of ports from 2, got %d"):format(k))
  end
  if k > 72 then -- k^3/4 hosts: 72 is 93312
    netlab.error(("netlab.topo.fattree: k = %d makes %d hosts, more than 100000"):format(k, k * k * k // 4))
  end
  local half = k // 2
  local hosts, switches, core, pairs_ = {}, {}, {}, {}
  for i = 1, half * half do
    core[i] = new_switch(lab, o, "c" .. i)
    switches[#switches + 1] = core[i]
  end
  for p = 1, k do
    local agg, edge = {}, {}
    for i = 1, half do
      agg[i] = new_switch(lab, o, ("a%d_%d"):format(p, i))
      switches[#switches + 1] = agg[i]
    end
    for i = 1, half do
      edge[i] = new_switch(lab, o, ("e%d_%d"):format(p, i))
      switches[#switches + 1] = edge[i]
      for _ = 1, half do
        local h = new_host(lab, o, #hosts + 1)
        hosts[#hosts + 1] = h
        new_link(lab, o, h, edge[i])
      end
    end
    for i = 1, half do
      for j = 1, half do pairs_[#pairs_ + 1] = { agg[j], edge[i] } end
    end
    for i = 1, half do
      for j = 1, half do pairs_[#pairs_ + 1] = { agg[i], core[(i - 1) * half + j] } end
    end
  end
  return hosts, switches, mesh(lab, o, pairs_)
end

-- clos,SPINES,LEAVES[,HOSTS] (leaf and spine): every leaf switch lN links to
-- every spine switch spN; HOSTS hosts (default 1) on each leaf. As fattree,
-- the links that close loops are standby unless the switches run STP.
-- → hosts, switches (spines, then leaves), standby links.
function topo.clos(lab, spines, leaves, per_leaf, opts)
  if type(per_leaf) == "table" and opts == nil then per_leaf, opts = nil, per_leaf end
  count(spines, "clos (spines)")
  count(leaves, "clos (leaves)")
  per_leaf = per_leaf or 1
  count(per_leaf, "clos (hosts per leaf)")
  if leaves * per_leaf > 100000 or spines * leaves > 100000 then
    netlab.error("netlab.topo.clos: more than 100000 hosts or links")
  end
  local o = options(opts, "clos")
  local hosts, switches, spine, pairs_ = {}, {}, {}, {}
  for i = 1, spines do
    spine[i] = new_switch(lab, o, "sp" .. i)
    switches[#switches + 1] = spine[i]
  end
  for i = 1, leaves do
    local leaf = new_switch(lab, o, "l" .. i)
    switches[#switches + 1] = leaf
    for _ = 1, per_leaf do
      local h = new_host(lab, o, #hosts + 1)
      hosts[#hosts + 1] = h
      new_link(lab, o, h, leaf)
    end
    for j = 1, spines do pairs_[#pairs_ + 1] = { leaf, spine[j] } end
  end
  return hosts, switches, mesh(lab, o, pairs_)
end

-- torus,X,Y (Mininet's TorusTopo): X*Y switches sXxY on a grid whose rows and
-- columns wrap around, one host on each. With switch = {stp = ...} every
-- link starts up; with no STP, only a spanning tree
-- starts up (every row's chain, and the first column's): the other links
-- (each row's wrap and the vertical ones elsewhere) start down as standby
-- paths, returned third, as ring's closing link is.
function topo.torus(lab, x, y, opts)
  count(x, "torus (x)")
  count(y, "torus (y)")
  local o = options(opts, "torus")
  if x < 3 or y < 3 then
    netlab.error("netlab.topo.torus: a torus needs at least 3x3 switches")
  end
  if x * y > 100000 then
    netlab.error(("netlab.topo.torus: %dx%d switches is more than 100000"):format(x, y))
  end
  local hosts, switches, standby, sw = {}, {}, {}, {}
  local n = 0
  for i = 1, x do
    sw[i] = {}
    for j = 1, y do
      n = n + 1
      sw[i][j] = new_switch(lab, o, ("s%dx%d"):format(i, j))
      switches[n] = sw[i][j]
      hosts[n] = new_host(lab, o, n)
      new_link(lab, o, hosts[n], sw[i][j])
    end
  end
  for i = 1, x do
    for j = 1, y do
      local right, down = sw[i][j % y + 1], sw[i % x + 1][j]
      local row_up = j < y
      local stp = stp_on(o) -- with STP every link starts up
      local l = new_link(lab, o, sw[i][j], right, not row_up and not stp and { up = false } or nil)
      if not row_up then standby[#standby + 1] = l end
      local col_up = j == 1 and i < x
      l = new_link(lab, o, sw[i][j], down, not col_up and not stp and { up = false } or nil)
      if not col_up then standby[#standby + 1] = l end
    end
  end
  return hosts, switches, standby
end

return topo
