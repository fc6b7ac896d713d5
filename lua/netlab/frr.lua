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
-- Where the daemons are: Debian's place, or NETLAB_FRR_DIR (another build
-- of FRR; tests point it at a missing or a fake directory).
-- glibc's malloc tuned for small daemons: one arena for all threads, no
-- padding kept at the heap's top, no per-thread cache of freed chunks.
-- The same daemons, 0.7 MB less PSS a BGP router (zebra 5.8 -> 5.4 MB,
-- bgpd 10.0 -> 9.6 MB on a chain of 5; bench/routing.md).
local MALLOC_TUNING = "GLIBC_TUNABLES=glibc.malloc.arena_max=1:glibc.malloc.top_pad=0:glibc.malloc.tcache_count=0"
local DAEMONS = os.getenv("NETLAB_FRR_DIR") or "/usr/lib/frr"

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

-- A router's configuration from its options and interfaces: one text per
-- daemon ({zebra = ..., staticd = ..., ospfd = ..., bgpd = ...}), which
-- the daemon reads itself when it starts (-f): no `vtysh -b` round, no
-- wait for its vty socket. The same texts, joined, are /etc/frr/frr.conf
-- (for the person reading it; the daemons do not read it).
local function config(rt)
  local o, n = rt.opts, rt.node
  local head = { "frr defaults traditional", "hostname " .. n.name, "log stdout informational", "!" }
  local parts = { zebra = {}, staticd = {}, ospfd = {}, bgpd = {} }
  local function add(d, l) local t = parts[d] t[#t + 1] = l end
  for _, r in ipairs(o.static or {}) do add("staticd", ("ip route %s %s"):format(r[1], r[2])) end
  local nets = {}
  local ospf = o.ospf
  for _, i in ipairs(n:intfs()) do
    if #i.ips > 0 and i.ips[1]:match("^%d+%.") then
      nets[#nets + 1] = network_of(i.ips[1])
      if ospf then
        local io = rt.ifopts[i.name] or {}
        add("ospfd", "interface " .. i.name)
        add("ospfd", (" ip ospf area %d"):format(io.area or ospf.area or 0))
        if io.cost or ospf.cost then add("ospfd", (" ip ospf cost %d"):format(io.cost or ospf.cost)) end
        if ospf.hello then add("ospfd", (" ip ospf hello-interval %d"):format(ospf.hello)) end
        if ospf.dead then add("ospfd", (" ip ospf dead-interval %d"):format(ospf.dead)) end
        add("ospfd", " ip ospf network point-to-point")
        local passive = false
        for _, p in ipairs(ospf.passive or {}) do passive = passive or p == i.name end
        local peer = i.peer and n.lab:node(i.peer)
        if passive or (peer and peer.kind == "host") then add("ospfd", " ip ospf passive") end
        add("ospfd", "!")
      end
    end
  end
  rt.nets = nets
  if ospf then
    add("ospfd", "router ospf")
    if o.id then add("ospfd", " ospf router-id " .. o.id) end
    add("ospfd", " timers throttle spf 0 50 500")
    add("ospfd", " timers throttle lsa all 0")
    add("ospfd", " timers lsa min-arrival 0")
    add("ospfd", "!")
  end
  local bgp = o.bgp
  if bgp then
    add("bgpd", "router bgp " .. bgp.as)
    if o.id then add("bgpd", " bgp router-id " .. o.id) end
    add("bgpd", " no bgp ebgp-requires-policy")
    add("bgpd", " no bgp network import-check")
    add("bgpd", " timers bgp 1 3")
    add("bgpd", " coalesce-time 0")
    for _, nb in ipairs(bgp.neighbors or {}) do
      add("bgpd", (" neighbor %s remote-as %d"):format(nb.ip, nb.as))
      add("bgpd", (" neighbor %s timers connect 1"):format(nb.ip))
      add("bgpd", (" neighbor %s advertisement-interval 0"):format(nb.ip))
    end
    add("bgpd", " address-family ipv4 unicast")
    for _, p in ipairs(bgp.networks or {}) do add("bgpd", "  network " .. p) end
    for _, nb in ipairs(bgp.neighbors or {}) do
      if nb.as == bgp.as then add("bgpd", ("  neighbor %s next-hop-self"):format(nb.ip)) end
    end
    add("bgpd", " exit-address-family")
    add("bgpd", "!")
  end
  local files, all = {}, { table.concat(head, "\n") }
  for _, d in ipairs({ "zebra", "staticd", "ospfd", "bgpd" }) do
    files[d] = table.concat(head, "\n") .. "\n" .. table.concat(parts[d], "\n") .. "\n"
    if #parts[d] > 0 then all[#all + 1] = table.concat(parts[d], "\n") end
  end
  files.frr = table.concat(all, "\n") .. "\n"
  return files
end

-- zebra always; staticd only for static routes (it costs 2.5 MB of PSS
-- a router); ospfd, bgpd as configured.
local function daemons_of(rt)
  local o = rt.opts
  local list = { "zebra" }
  local conf = rt.conf or ""
  if (o.static and #o.static > 0) or conf:match("\nip route ") or conf:match("^ip route ") then
    list[#list + 1] = "staticd"
  end
  if o.ospf or conf:match("\nrouter ospf") or conf:match("^router ospf") then list[#list + 1] = "ospfd" end
  if o.bgp or conf:match("\nrouter bgp") or conf:match("^router bgp") then list[#list + 1] = "bgpd" end
  return list
end

local function sh_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- The shell that writes a router's configuration files.
local function write_script(rt)
  local files = rt.conf and { frr = rt.conf } or config(rt)
  local out = {}
  for d, text in pairs(files) do
    out[#out + 1] = ("printf %%s %s > /etc/frr/%s.conf"):format(sh_quote(text), d)
  end
  out[#out + 1] = "chown frr:frr /etc/frr/*.conf && echo 'service integrated-vtysh-config' > /etc/frr/vtysh.conf"
  return table.concat(out, " && ")
end

-- The first daemon of the lab's routers that failed or gave up, as a
-- message with its log's tail; nil when none.
local function failed(s)
  for _, name in ipairs(s.order) do
    local rt = s.routers[name]
    for _, d in ipairs(daemons_of(rt)) do
      local st = rt.node:service_state(d)
      if st and (st.state == "failed" or st.state == "gave-up") then
        return "frr: " .. rt.node:_service_why(d, ("%s (status %s)"):format(
          st.state == "gave-up" and "gave up" or "failed", tostring(st.status)))
      end
    end
  end
end

-- Whether path is a socket (or anything) in the router's own files, seen
-- through /proc/PID/root of its zebra (root may look into a daemon that
-- changed its user): opening a socket fails with ENXIO, a missing file
-- with ENOENT. No process per look.
local function has_file(rt, path)
  local st = rt.node:service_state("zebra")
  if not st or not st.pid or st.pid <= 0 then return false end
  -- (An absolute symlink on the way, as /var/run -> /run, would lead back
  -- to this process's root: the caller gives the path without one.)
  local g, _, code = io.open(("/proc/%d/root%s"):format(st.pid, path))
  if g then g:close() return true end
  return code ~= 2
end

-- /var/run/frr as has_file wants it: /run/frr where /var/run is Debian's
-- symlink to /run.
local RUN_FRR
local function run_frr()
  if not RUN_FRR then
    local f = io.popen("readlink /var/run 2>/dev/null")
    local target = f and f:read("l")
    if f then f:close() end
    RUN_FRR = (target == "/run" or target == "../run") and "/run/frr" or "/var/run/frr"
  end
  return RUN_FRR
end

-- Waits for the jobs {name = job} (all running at once), watching every
-- router's services meanwhile: a daemon that fails or gives up ends the
-- wait with its log's tail. → true | nil, message
local function wait_all(s, jobs, what, timeout)
  local deadline = netlab.now() + timeout
  local left = 0
  for _ in pairs(jobs) do left = left + 1 end
  while left > 0 do
    for name, job in pairs(jobs) do
      if not job:running() then
        local out, st = job:wait({ timeout = 5 })
        jobs[name], left = nil, left - 1
        if st ~= 0 then
          return nil, ("frr: %s: %s:\n%s"):format(name, what, tostring(out))
        end
      end
    end
    local failure = failed(s)
    if failure then
      for _, j in pairs(jobs) do j:kill() end
      return nil, failure
    end
    if left > 0 and netlab.now() > deadline then
      for _, j in pairs(jobs) do j:kill() end
      local names = {}
      for name in pairs(jobs) do names[#names + 1] = name end
      table.sort(names)
      return nil, ("frr: %s: not done after %g s on %s"):format(what, timeout, table.concat(names, " "))
    end
    if left > 0 then netlab.sleep(0.1) end
  end
  return true
end

-- frr.start(lab): every router's configuration and daemons (once), all
-- routers at once: the configuration files are written in parallel, every
-- daemon is started without waiting for the one before (each reads its
-- own file), then one wait for all the vty sockets (vtysh -b applies a
-- router's own frr.conf, given with conf =). A daemon that fails ends the
-- wait with the tail of its log.
function M.start(lab)
  local s = state(lab)
  if s.started then return true end
  local jobs = {}
  for _, name in ipairs(s.order) do
    jobs[name] = s.routers[name].node:spawn(write_script(s.routers[name]))
  end
  local ok, err = wait_all(s, jobs, "cannot write the configuration in /etc/frr", 60)
  if not ok then return nil, err end
  -- zebra first, everywhere; the others once its socket is there: a
  -- daemon that finds no zebra retries only 10 s later (lib/zclient.c).
  -- --limit-fds 256: FRR sizes each thread master's poll and thread arrays
  -- by the descriptor limit (lib/thread.c); 256 (room for some 250 peers or
  -- clients a daemon) rather than 1024 is 76 KB less PSS per daemon.
  local function launch(rt, d)
    local args = d == "zebra" and " -A 127.0.0.1 -s 90000000" or " -A 127.0.0.1"
    local file = rt.conf and "/dev/null" or ("/etc/frr/" .. d .. ".conf")
    return rt.node:_service_start(d, "exec " .. DAEMONS .. "/" .. d .. args .. " --limit-fds 256 -f " .. file,
      "on-failure", { MALLOC_TUNING })
  end
  -- Every router's sockets (names(rt)) there, looked at from here every
  -- 0.1 s; then vtysh -b applies the frr.conf of routers given one.
  local function wait_sockets(names, what)
    local left, deadline = {}, netlab.now() + 90
    for _, name in ipairs(s.order) do left[name] = true end
    while next(left) do
      for name in pairs(left) do
        local rt, all = s.routers[name], true
        for _, sock in ipairs(names(rt)) do
          if not has_file(rt, run_frr() .. "/" .. sock) then all = false break end
        end
        if all then left[name] = nil end
      end
      local failure = failed(s)
      if failure then return nil, failure end
      if next(left) and netlab.now() > deadline then
        local names_ = {}
        for name in pairs(left) do names_[#names_ + 1] = name end
        table.sort(names_)
        return nil, ("frr: the daemons did not open their %s sockets within 90 s on %s"):format(
          what, table.concat(names_, " "))
      end
      if next(left) then netlab.sleep(0.1) end
    end
    if what ~= "vty" then return true end
    for _, name in ipairs(s.order) do
      if s.routers[name].conf then jobs[name] = s.routers[name].node:spawn("vtysh -b 2>&1") end
    end
    return wait_all(s, jobs, "vtysh -b could not apply frr.conf", 90)
  end
  for _, name in ipairs(s.order) do
    local started, e = launch(s.routers[name], "zebra")
    if not started then return nil, ("frr: %s: %s"):format(name, e) end
  end
  ok, err = wait_sockets(function() return { "zserv.api" } end, "zserv")
  if not ok then return nil, err end
  for _, name in ipairs(s.order) do
    for _, d in ipairs(daemons_of(s.routers[name])) do
      if d ~= "zebra" then
        local started, e = launch(s.routers[name], d)
        if not started then return nil, ("frr: %s: %s"):format(name, e) end
      end
    end
  end
  ok, err = wait_sockets(function(rt)
    local t = {}
    for _, d in ipairs(daemons_of(rt)) do t[#t + 1] = d .. ".vty" end
    return t
  end, "vty")
  if not ok then return nil, err end
  s.started = true
  return true
end

-- frr.restart(lab, router): its daemons again, and its configuration.
-- zebra first, and the others once it answers (as frr.start): a daemon
-- that finds no zebra retries only 10 s later (lib/zclient.c).
function M.restart(lab, r)
  local s = state(lab)
  local rt = s.routers[r.name]
  if not rt then fail("frr.restart: " .. tostring(r) .. " is not an FRR router") end
  local one = { order = { r.name }, routers = { [r.name] = rt } }
  local before = {}
  for _, d in ipairs(daemons_of(rt)) do before[d] = (r:service_state(d) or {}).restarts or 0 end
  local deadline = netlab.now() + 30
  -- Each daemon of names restarted: a new one (its supervisor counted the
  -- restart), answering on its vty.
  local function restart(names)
    if #names == 0 then return true end
    for _, d in ipairs(names) do
      local ok, err = r:_service_ctl(d, "restart")
      if not ok then return nil, "frr: " .. tostring(err) end
    end
    for _, d in ipairs(names) do
      while true do
        local st = r:service_state(d) or {}
        if st.state == "running" and (st.restarts or 0) > before[d] then break end
        if netlab.now() > deadline then
          return nil, "frr: " .. r:_service_why(d, "did not restart (" .. tostring(st.state) .. ")")
        end
        netlab.sleep(0.1)
      end
    end
    local ping = {}
    for _, d in ipairs(names) do ping[#ping + 1] = "vtysh -d " .. d .. " -c 'show version' >/dev/null 2>&1" end
    local script = ("i=0; until %s; do i=$((i+1)); [ $i -gt 300 ] && exit 1; sleep 0.1; done")
      :format(table.concat(ping, " && "))
    return wait_all(one, { [r.name] = r:spawn(script) }, "the daemons did not answer after the restart", 60)
  end
  local ok, err = restart({ "zebra" })
  if not ok then return nil, err end
  local others = {}
  for _, d in ipairs(daemons_of(rt)) do
    if d ~= "zebra" then others[#others + 1] = d end
  end
  ok, err = restart(others)
  if not ok or not rt.conf then return ok, err end
  -- a conf = file is applied again
  return wait_all(one, { [r.name] = r:spawn("vtysh -b 2>&1") }, "vtysh -b could not apply frr.conf", 60)
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

-- Runs script(rt) in every router at once; {name = output}.
local function in_all(s, script)
  local jobs, out = {}, {}
  for _, name in ipairs(s.order) do
    local sc = script(s.routers[name])
    if sc then jobs[name] = s.routers[name].node:spawn(sc) end
  end
  for _, name in ipairs(s.order) do
    if jobs[name] then out[name] = jobs[name]:wait({ timeout = 30 }) or "" end
  end
  return out
end

local function parse_json(text)
  local t = text and json_decode(text)
  return type(t) == "table" and t or {}
end

-- One look at every router's routes, all at once: what is missing (""
-- when nothing) and a fingerprint of the tables. The tables are the
-- kernel's (`ip -4 route`: what zebra installed, what packets follow), a
-- small text per router.
local function survey_routes(s, ospf_nets, bgp_nets)
  local missing, print_ = {}, {}
  local tables = in_all(s, function() return "ip -4 route show table main" end)
  for _, name in ipairs(s.order) do
    local rt = s.routers[name]
    local o = rt.opts
    local text = tables[name] or ""
    local have = {}
    for l in text:gmatch("[^\n]+") do
      local p = l:match("^(%S+)")
      if p and p ~= "default" and not p:find("/", 1, true) then p = p .. "/32" end
      if p then have[p] = true end
    end
    local want = {}
    if o.ospf then for p in pairs(ospf_nets) do want[p] = true end end
    if o.bgp then
      for p in pairs(bgp_nets) do want[p] = true end
      for _, p in ipairs(o.bgp.networks or {}) do want[network_of(p)] = nil end -- its own
    end
    local lacks = {}
    for p in pairs(want) do if not have[p] then lacks[#lacks + 1] = p end end
    if #lacks > 0 then
      table.sort(lacks)
      missing[#missing + 1] = ("%s lacks %s%s"):format(name, lacks[1],
        #lacks > 1 and (" and %d more"):format(#lacks - 1) or "")
    end
    print_[#print_ + 1] = name .. "{" .. text .. "}"
  end
  return table.concat(missing, "; "), table.concat(print_, " ")
end

-- The protocols' own view, asked once the routes look done (vtysh, one
-- daemon each: heavier): every OSPF router has all its neighbours Full,
-- every BGP session is Established. What is missing, "" when nothing.
local function survey_peers(s)
  local missing = {}
  local state_ = in_all(s, function(rt)
    local o, sc = rt.opts, {}
    if o.ospf then sc[#sc + 1] = "vtysh -d ospfd -c 'show ip ospf neighbor json'" end
    if o.bgp and #(o.bgp.neighbors or {}) > 0 then
      sc[#sc + 1] = "echo @@bgp; vtysh -d bgpd -c 'show bgp ipv4 unicast summary json'"
    end
    return #sc > 0 and table.concat(sc, "; ") or nil
  end)
  for _, name in ipairs(s.order) do
    local rt = s.routers[name]
    local o = rt.opts
    local out = state_[name] or ""
    local ospf_text, bgp_text = out:match("^(.-)@@bgp\n(.*)$")
    if not ospf_text then ospf_text, bgp_text = out, "" end
    if o.ospf then
      local nb = parse_json(ospf_text)
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
      local sum = parse_json(bgp_text)
      for _, nb in ipairs(o.bgp.neighbors) do
        local p = sum.peers and sum.peers[nb.ip]
        if not p or p.state ~= "Established" then
          missing[#missing + 1] = ("%s: BGP neighbour %s is %s"):format(name, nb.ip,
            p and tostring(p.state) or "unknown")
        end
      end
    end
  end
  return table.concat(missing, "; ")
end

-- frr.converged(lab, {timeout = 60}) → true | nil, what is missing:
-- every router has a route to every prefix the others announce (OSPF
-- interfaces' subnets, BGP networks) and its table stayed the same for two
-- looks a second apart; then every OSPF router has all its neighbours
-- Full and every BGP session is Established.
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
  local deadline = netlab.now() + timeout
  local last
  while true do
    local missing, fp = survey_routes(s, ospf_nets, bgp_nets)
    if missing == "" and fp == last then
      missing = survey_peers(s)
      if missing == "" then return true end
    end
    last = fp
    if netlab.now() > deadline then
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
