-- netlab.frr: FRR routers in a lab (Debian's frr package).
--
--   local frr = netlab.frr
--   local r1 = frr.router(lab, "r1", {id = "1.1.1.1",
--     ospf = {area = 0, hello = 1, dead = 4, passive = {"eth2"}},
--     bgp = {as = 65001, neighbors = {{ip = "10.0.0.2", as = 65002}}, networks = {"10.1.0.0/24"}},
--     static = {{"10.9.0.0/24", "10.0.0.2"}},
--     conf = "r1.conf"})          -- or a frr.conf of the lab's directory, used as is
--   frr.link(lab, r1, r2, {ip = {...}, cost = 10, area = 0})  -- lab:link + OSPF cost/area
--   frr.start(lab)               -- the daemons, as services (frr.converged starts them too)
--   r1:vtysh("show ip route json") → the parsed table (text without "json")
--   frr.converged(lab, {timeout = 60}) → true | nil, what is still missing
--
-- Each router is a lab:router with its own /etc/frr (a copy-on-write
-- overlay of the host's) and /var/run/frr, /var/log/frr (empty, private),
-- so two routers never share a socket or a pid file. zebra, staticd and
-- ospfd/bgpd run as services (restart = "on-failure"), their output in
-- the node's log; the configuration is /etc/frr/frr.conf, applied with
-- `vtysh -b` once the daemons answer.
local M = {}
local fail = netlab.error
local DAEMONS = "/usr/lib/frr"

local json_decode = require("netlab.json").decode
M.json_decode = json_decode

-- ---- the lab's routers ----
local labs = setmetatable({}, { __mode = "k" }) -- lab → {routers = {...}, started}

local function state(lab)
  local s = labs[lab]
  if not s then s = { routers = {}, order = {}, links = {} } labs[lab] = s end
  return s
end

local function installed()
  local f = io.open(DAEMONS .. "/zebra", "r")
  if f then f:close() return true end
  return false
end

local function is_int(v, lo, hi) return math.type(v) == "integer" and v >= lo and v <= hi end

local function check_ipv4(v, what)
  if type(v) ~= "string" or not v:match("^%d+%.%d+%.%d+%.%d+$") or not netlab.is_address(v) then
    fail(("frr: %s must be an IPv4 address, got %s"):format(what, tostring(v)))
  end
end

local function check_prefix(v, what)
  local a, l
  if type(v) == "string" then a, l = v:match("^([%d.]+)/(%d+)$") end
  if not a or not netlab.is_address(a) or tonumber(l) > 32 then
    fail(("frr: %s must be an IPv4 prefix (\"10.1.0.0/24\"), got %s"):format(what, tostring(v)))
  end
end

local function check_ospf(o)
  netlab.check_opts(o, { "area", "hello", "dead", "passive", "cost" }, "frr ospf")
  if o.area ~= nil and not is_int(o.area, 0, 4294967295) then
    fail("frr: ospf area must be an integer from 0 to 4294967295, got " .. tostring(o.area))
  end
  if o.hello ~= nil and not is_int(o.hello, 1, 65535) then
    fail("frr: ospf hello must be an integer number of seconds from 1 to 65535, got " .. tostring(o.hello))
  end
  if o.dead ~= nil and not is_int(o.dead, 1, 65535) then
    fail("frr: ospf dead must be an integer number of seconds from 1 to 65535, got " .. tostring(o.dead))
  end
  if o.dead and o.dead <= (o.hello or 10) then
    fail(("frr: ospf dead (%d s) must be longer than hello (%d s)"):format(o.dead, o.hello or 10))
  end
  if o.cost ~= nil and not is_int(o.cost, 1, 65535) then
    fail("frr: ospf cost must be an integer from 1 to 65535, got " .. tostring(o.cost))
  end
  if o.passive ~= nil and type(o.passive) ~= "table" then
    fail("frr: ospf passive must be a list of interface names")
  end
end

local function check_bgp(b)
  netlab.check_opts(b, { "as", "neighbors", "networks" }, "frr bgp")
  if not is_int(b.as, 1, 4294967295) then
    fail("frr: bgp as must be an AS number from 1 to 4294967295, got " .. tostring(b.as))
  end
  for i, n in ipairs(b.neighbors or {}) do
    if type(n) ~= "table" then fail("frr: bgp neighbors: each is {ip = \"A.B.C.D\", as = N}") end
    netlab.check_opts(n, { "ip", "as" }, "frr bgp neighbor")
    check_ipv4(n.ip, ("bgp neighbors[%d].ip"):format(i))
    if not is_int(n.as, 1, 4294967295) then
      fail(("frr: bgp neighbors[%d].as must be an AS number, got %s"):format(i, tostring(n.as)))
    end
  end
  for i, p in ipairs(b.networks or {}) do check_prefix(p, ("bgp networks[%d]"):format(i)) end
end

-- frr.router(lab, name, opts) → the router node
function M.router(lab, name, opts)
  netlab.check_opts(opts, { "id", "ospf", "bgp", "static", "conf", "gw", "routes", "ipv6" }, "frr.router")
  opts = opts or {}
  if opts.id ~= nil then check_ipv4(opts.id, "id") end
  if opts.ospf ~= nil then
    if type(opts.ospf) ~= "table" then fail("frr: ospf must be a table of options") end
    check_ospf(opts.ospf)
  end
  if opts.bgp ~= nil then
    if type(opts.bgp) ~= "table" then fail("frr: bgp must be a table of options") end
    check_bgp(opts.bgp)
  end
  for i, r in ipairs(opts.static or {}) do
    if type(r) ~= "table" then fail("frr: static: each route is {\"PREFIX\", \"VIA\"}") end
    check_prefix(r[1], ("static[%d] prefix"):format(i))
    check_ipv4(r[2], ("static[%d] via"):format(i))
  end
  local conf
  if opts.conf ~= nil then
    if type(opts.conf) ~= "string" then fail("frr: conf must be a file name") end
    local path = opts.conf
    if path:sub(1, 1) ~= "/" then
      local src = debug.getinfo(2, "S").source or ""
      local dir = src:match("^@(.*)/") or "."
      path = dir .. "/" .. path
    end
    local f = io.open(path, "r")
    if not f then fail(("frr: conf: cannot read %q"):format(path)) end
    conf = f:read("a")
    f:close()
  end
  if not installed() then
    fail("frr: FRR is not installed (" .. DAEMONS .. "/zebra is missing): install the Debian package "
      .. "'frr' (apt-get install frr)")
  end
  local r = lab:router(name, { gw = opts.gw, routes = opts.routes, ipv6 = opts.ipv6, dirs = {
    { "/etc/frr", from = "host" }, "/var/run/frr", "/var/log/frr" } })
  local s = state(lab)
  s.routers[name] = { node = r, opts = opts, conf = conf, ifopts = {} }
  s.order[#s.order + 1] = name
  return r
end

-- frr.link(lab, a, b, opts): lab:link, plus OSPF cost and area on both ends.
function M.link(lab, a, b, opts)
  opts = opts or {}
  local lopts, cost, area = {}, opts.cost, opts.area
  for k, v in pairs(opts) do if k ~= "cost" and k ~= "area" then lopts[k] = v end end
  if cost ~= nil and not is_int(cost, 1, 65535) then
    fail("frr.link: cost must be an integer from 1 to 65535, got " .. tostring(cost))
  end
  if area ~= nil and not is_int(area, 0, 4294967295) then
    fail("frr.link: area must be an integer from 0 to 4294967295, got " .. tostring(area))
  end
  local l = lab:link(a, b, lopts)
  local s = state(lab)
  for _, e in ipairs({ { a, l.intf_a }, { b, l.intf_b } }) do
    local rt = s.routers[e[1].name]
    if rt then rt.ifopts[e[2]] = { cost = cost, area = area } end
  end
  return l
end

local function network_of(cidr)
  local a, b, c, d, len = cidr:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)/(%d+)$")
  if not a then return nil end
  local ip = ((tonumber(a) * 256 + tonumber(b)) * 256 + tonumber(c)) * 256 + tonumber(d)
  len = tonumber(len)
  local mask = len == 0 and 0 or (0xffffffff << (32 - len)) & 0xffffffff
  ip = ip & mask
  return ("%d.%d.%d.%d/%d"):format(ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255, len)
end

-- The frr.conf of a router, from its options and interfaces.
local function config(rt)
  if rt.conf then return rt.conf end
  local o, n = rt.opts, rt.node
  local lines = { "frr defaults traditional", "hostname " .. n.name, "log stdout informational",
    "service integrated-vtysh-config", "!" }
  local function add(l) lines[#lines + 1] = l end
  for _, r in ipairs(o.static or {}) do add(("ip route %s %s"):format(r[1], r[2])) end
  local nets = {}
  local ospf = o.ospf
  for _, i in ipairs(n:intfs()) do
    if #i.ips > 0 and i.ips[1]:match("^%d+%.") then
      nets[#nets + 1] = network_of(i.ips[1])
      if ospf then
        local io = rt.ifopts[i.name] or {}
        add("interface " .. i.name)
        add((" ip ospf area %d"):format(io.area or ospf.area or 0))
        if io.cost or ospf.cost then add((" ip ospf cost %d"):format(io.cost or ospf.cost)) end
        if ospf.hello then add((" ip ospf hello-interval %d"):format(ospf.hello)) end
        if ospf.dead then add((" ip ospf dead-interval %d"):format(ospf.dead)) end
        add(" ip ospf network point-to-point")
        local passive = false
        for _, p in ipairs(ospf.passive or {}) do passive = passive or p == i.name end
        local peer = i.peer and n.lab:node(i.peer)
        if passive or (peer and peer.kind == "host") then add(" ip ospf passive") end
        add("!")
      end
    end
  end
  rt.nets = nets
  if ospf then
    add("router ospf")
    if o.id then add(" ospf router-id " .. o.id) end
    add(" timers throttle spf 0 50 500")
    add("!")
  end
  local bgp = o.bgp
  if bgp then
    add("router bgp " .. bgp.as)
    if o.id then add(" bgp router-id " .. o.id) end
    add(" no bgp ebgp-requires-policy")
    add(" no bgp network import-check")
    add(" timers bgp 1 3")
    for _, nb in ipairs(bgp.neighbors or {}) do
      add((" neighbor %s remote-as %d"):format(nb.ip, nb.as))
      add((" neighbor %s timers connect 1"):format(nb.ip))
      add((" neighbor %s advertisement-interval 0"):format(nb.ip))
    end
    add(" address-family ipv4 unicast")
    for _, p in ipairs(bgp.networks or {}) do add("  network " .. p) end
    for _, nb in ipairs(bgp.neighbors or {}) do
      if nb.as == bgp.as then add(("  neighbor %s next-hop-self"):format(nb.ip)) end
    end
    add(" exit-address-family")
    add("!")
  end
  return table.concat(lines, "\n") .. "\n"
end

local function daemons_of(rt)
  local o = rt.opts
  local list = { "zebra", "staticd" }
  local conf = rt.conf or ""
  if o.ospf or conf:match("\nrouter ospf") or conf:match("^router ospf") then list[#list + 1] = "ospfd" end
  if o.bgp or conf:match("\nrouter bgp") or conf:match("^router bgp") then list[#list + 1] = "bgpd" end
  return list
end

local function start_router(rt)
  local n = rt.node
  local text = config(rt)
  local out, st = n:cmd("cat > /etc/frr/frr.conf <<'NETLAB_FRR_EOF'\n" .. text .. "NETLAB_FRR_EOF\n"
    .. "chown frr:frr /etc/frr/frr.conf; : > /etc/frr/vtysh.conf; echo 'service integrated-vtysh-config' > /etc/frr/vtysh.conf")
  if st ~= 0 then return nil, ("frr: cannot write %s's frr.conf: %s"):format(n.name, tostring(out)) end
  for _, d in ipairs(daemons_of(rt)) do
    local args = d == "zebra" and " -A 127.0.0.1 -s 90000000" or " -A 127.0.0.1"
    local ok, err = n:service(d, DAEMONS .. "/" .. d .. args .. " -f /dev/null",
      { restart = "on-failure", ready = "test -S /var/run/frr/" .. d .. ".vty", timeout = 30 })
    if not ok then return nil, "frr: " .. err end
  end
  local out2, st2 = n:cmd("vtysh -b 2>&1", { timeout = 30 })
  if st2 ~= 0 then
    return nil, ("frr: %s: vtysh -b could not apply frr.conf:\n%s"):format(n.name, tostring(out2))
  end
  return true
end

-- frr.start(lab): every router's daemons and configuration (once).
function M.start(lab)
  local s = state(lab)
  if s.started then return true end
  for _, name in ipairs(s.order) do
    local ok, err = start_router(s.routers[name])
    if not ok then return nil, err end
  end
  s.started = true
  return true
end

-- frr.restart(lab, router): its daemons again, and its configuration.
function M.restart(lab, r)
  local rt = state(lab).routers[r.name]
  if not rt then fail("frr.restart: " .. tostring(r) .. " is not an FRR router") end
  r:restart()
  for _, d in ipairs(daemons_of(rt)) do
    for _ = 1, 100 do
      local _, st = r:cmd("test -S /var/run/frr/" .. d .. ".vty && vtysh -d " .. d .. " -c 'show version' >/dev/null 2>&1")
      if st == 0 then break end
      netlab.sleep(0.1)
    end
  end
  local out, st = r:cmd("vtysh -b 2>&1", { timeout = 30 })
  if st ~= 0 then return nil, out end
  return true
end

local function vtysh(self, command)
  if type(command) ~= "string" then fail("router:vtysh: expected a command string") end
  local q = "'" .. command:gsub("'", "'\\''") .. "'"
  local out, st = self:cmd("vtysh -c " .. q .. " 2>&1", { timeout = 30 })
  if not out then return nil, st end
  if st ~= 0 then return nil, ("vtysh on %s: %s"):format(self.name, out) end
  if command:match("json%s*$") then
    local t, err = json_decode(out)
    if t == nil and err then return nil, ("vtysh on %s: not JSON (%s)"):format(self.name, err) end
    return t or {}
  end
  return out
end

-- How many OSPF neighbours rt should have: its OSPF interfaces that are
-- up and lead to another OSPF router.
local function ospf_peers(s, rt)
  local n = 0
  for _, i in ipairs(rt.node:intfs()) do
    local other = i.peer and s.routers[i.peer]
    if other and other.opts.ospf and #i.ips > 0 then
      local up = true
      for _, l in ipairs(rt.node.lab:links()) do
        if ((l.a == rt.node and l.intf_a == i.name) or (l.b == rt.node and l.intf_b == i.name)) then
          up = l.is_up
        end
      end
      if up then n = n + 1 end
    end
  end
  return n
end

-- One look at every router: what is missing ("" when nothing), and a
-- fingerprint of the routing tables.
local function survey(s, ospf_nets, bgp_nets)
  local missing, print_ = {}, {}
  for _, name in ipairs(s.order) do
    local rt = s.routers[name]
    local o = rt.opts
    local t = vtysh(rt.node, "show ip route json") or {}
    local want = {}
    if o.ospf then for p in pairs(ospf_nets) do want[p] = true end end
    if o.bgp then for p in pairs(bgp_nets) do want[p] = true end end
    for p in pairs(want) do
      if not t[p] then missing[#missing + 1] = ("%s lacks %s"):format(name, p) end
    end
    local keys = {}
    for p, routes in pairs(t) do
      for _, r in ipairs(routes) do
        if r.selected then
          local hops = {}
          for _, h in ipairs(r.nexthops or {}) do hops[#hops + 1] = tostring(h.ip or h.interfaceName) end
          keys[#keys + 1] = p .. "=" .. tostring(r.metric) .. ":" .. table.concat(hops, ",")
        end
      end
    end
    table.sort(keys)
    print_[#print_ + 1] = name .. "{" .. table.concat(keys, " ") .. "}"
    if o.ospf then
      local nb = vtysh(rt.node, "show ip ospf neighbor json") or {}
      local full = 0
      for _, list in pairs(nb.neighbors or {}) do
        for _, x in ipairs(list) do
          if tostring(x.nbrState or x.state or ""):match("^Full") then full = full + 1 end
        end
      end
      local want_n = ospf_peers(s, rt)
      if full < want_n then
        missing[#missing + 1] = ("%s has %d of %d OSPF neighbours Full"):format(name, full, want_n)
      end
    end
    if o.bgp and #(o.bgp.neighbors or {}) > 0 then
      local sum = vtysh(rt.node, "show bgp ipv4 unicast summary json") or {}
      for _, nb in ipairs(o.bgp.neighbors) do
        local p = sum.peers and sum.peers[nb.ip]
        if not p or p.state ~= "Established" then
          missing[#missing + 1] = ("%s: BGP neighbour %s is %s"):format(name, nb.ip,
            p and tostring(p.state) or "unknown")
        end
      end
    end
  end
  return table.concat(missing, "; "), table.concat(print_, " ")
end

-- frr.converged(lab, {timeout = 60}) → true | nil, what is missing:
-- every OSPF router has all its neighbours Full, every BGP session is
-- Established, every router has a route to every prefix the others
-- announce (OSPF interfaces' subnets, BGP networks), and the routing
-- tables stayed the same for two looks a second apart.
function M.converged(lab, opts)
  netlab.check_opts(opts, { "timeout" }, "frr.converged")
  opts = opts or {}
  local timeout = opts.timeout or 60
  if type(timeout) ~= "number" or not (timeout > 0 and timeout <= 3600) then
    fail("frr.converged: timeout must be a number of seconds from 0 to 3600")
  end
  local ok, err = M.start(lab)
  if not ok then return nil, err end
  local s = state(lab)
  local ospf_nets, bgp_nets = {}, {}
  for _, name in ipairs(s.order) do
    local rt = s.routers[name]
    if rt.opts.ospf then for _, p in ipairs(rt.nets or {}) do ospf_nets[p] = true end end
    if rt.opts.bgp then for _, p in ipairs(rt.opts.bgp.networks or {}) do bgp_nets[p] = true end end
  end
  local deadline = os.time() + timeout
  local stable, last = 0, nil
  while true do
    local missing, fp = survey(s, ospf_nets, bgp_nets)
    if missing == "" and fp == last then
      stable = stable + 1
      if stable >= 2 then return true end
    elseif missing ~= "" then
      stable = 0
    end
    last = fp
    if os.time() > deadline then
      return nil, ("frr: not converged after %g s: %s"):format(timeout,
        missing ~= "" and missing:sub(1, 400) or "the routing tables still change")
    end
    netlab.sleep(1)
  end
end

-- Installs router:vtysh on nodes (netlab.core calls this).
function M._install(classes)
  classes.node.vtysh = vtysh
end

return M
