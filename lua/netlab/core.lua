-- netlab.core: the part of netlab's Lua API written in Lua (ping, pingall).
-- It runs commands through node:cmd, so inside an experiment every wait
-- yields to the driver loop and never freezes the console.
return function(classes)
  local node, lab = classes.node, classes.lab

  -- Errors name the lab's line, never this file's: netlab.error does that.
  local fail = netlab.error

  -- A node, a node's name, or an IP address; never anything a shell would
  -- read as more than one word. family (4, 6 or nil) picks the node's
  -- address; an address brings its own family. → ip, family
  local function target_ip(self, target, family)
    if type(target) == "string" then
      if netlab.is_address(target) then
        local f = target:find(":", 1, true) and 6 or 4
        if family and family ~= f then
          fail(("ping: %s is not an IPv%d address"):format(target, family))
        end
        return target, f
      end
      local ok, n = pcall(function() return self.lab:node(target) end)
      if not ok or not n then
        fail(("ping: %q is neither an IP address nor a node of the lab"):format(target))
      end
      target = n
    end
    local ok, ip = pcall(function() return target:ip(family or 4) end)
    if not ok then fail("ping: expected a node or an address, got " .. type(target)) end
    if not ip and not family and target:ip(6) then -- an IPv6-only node
      ip, family = target:ip(6), 6
    end
    if not ip then
      fail(("ping: node '%s' has no IPv%d address"):format(target.name, family or 4))
    end
    return ip, family or 4
  end

  local function family_opt(what, v)
    if v ~= nil and v ~= 4 and v ~= 6 then
      fail(("%s: family is 4 or 6, got %s"):format(what, tostring(v)))
    end
    return v
  end

  -- opts[k] must be a number in [lo, hi] (an integer when int); default d.
  local function num_opt(opts, k, lo, hi, int, d)
    local v = opts[k]
    if v == nil then return d end
    if type(v) ~= "number" or v ~= v or v < lo or v > hi or (int and math.type(v) ~= "integer") then
      fail(("node:ping: %s must be %s from %s to %s, got %s"):format(k,
        int and "an integer" or "a number", lo, hi, tostring(v)))
    end
    return v
  end

  local function parse_ping(out)
    local sent, recv = out:match("(%d+) packets transmitted, (%d+) received")
    local mn, avg, mx, mdev = out:match("rtt [^=]+= ([%d.]+)/([%d.]+)/([%d.]+)/([%d.]+)")
    -- iputils prints the IPv6 hop limit as ttl= (older ones as hlim=)
    local ttl = out:match("ttl=(%d+)") or out:match("hlim=(%d+)")
    return tonumber(sent) or 0, tonumber(recv) or 0, tonumber(ttl),
      { min = tonumber(mn), avg = tonumber(avg), max = tonumber(mx), mdev = tonumber(mdev) }
  end

  -- node:ping(node_or_ip, {count = 1, timeout = 1, interval = 0.2, size = 56, family = 4|6})
  --   → true when at least one reply came back, and
  --     {sent, received, loss (percent), family, ttl (of the first reply;
  --      hop_limit too for IPv6),
  --      rtt_min, rtt_avg, rtt_max, rtt_mdev (ms; nil without replies), output}
  function node.ping(self, target, opts)
    netlab.check_opts(opts, { "count", "timeout", "interval", "size", "family" }, "node:ping")
    opts = opts or {}
    local count = num_opt(opts, "count", 1, 100000, true, 1)
    local wait = num_opt(opts, "timeout", 0.001, 3600, false, 1)
    local interval = num_opt(opts, "interval", 0.002, 3600, false, 0.2)
    local size = num_opt(opts, "size", 0, 65507, true, nil)
    local ip, family = target_ip(self, target, family_opt("node:ping", opts.family))
    local cmd = ("ping -%d -n -c %d -i %g -W %g %s%s"):format(family, count, interval, wait,
      size and ("-s " .. size .. " ") or "", ip)
    local out, status = self:cmd(cmd, { timeout = count * (interval + wait) + 5 })
    if not out then
      return false, { sent = count, received = 0, loss = 100, error = status }
    end
    local sent, recv, ttl, rtt = parse_ping(out)
    local stats = {
      sent = sent, received = recv, ttl = ttl, output = out, family = family,
      hop_limit = family == 6 and ttl or nil,
      rtt_min = rtt.min, rtt_avg = rtt.avg, rtt_max = rtt.max, rtt_mdev = rtt.mdev,
      loss = sent > 0 and (sent - recv) * 100 / sent or 100,
    }
    return recv > 0, stats
  end

  local json_decode = require("netlab.json").decode

  -- link:flap{down = 2, up = 3, times = 5}: the link goes down for `down`
  -- seconds, then up for `up` seconds, `times` times, in order; inside an
  -- experiment each wait yields to the loop (netlab.sleep), so checks may
  -- follow it. Returns the link.
  function classes.link.flap(self, opts)
    netlab.check_opts(opts, { "down", "up", "times" }, "link:flap")
    opts = opts or {}
    local function num(k, d)
      local v = opts[k]
      if v == nil then return d end
      if type(v) ~= "number" or v < 0 or v > 3600 then
        fail(("link:flap: %s is seconds from 0 to 3600, got %s"):format(k, tostring(v)))
      end
      return v
    end
    local down, up = num("down", 1), num("up", 1)
    local times = opts.times or 1
    if math.type(times) ~= "integer" or times < 1 or times > 100000 then
      fail("link:flap: times must be an integer from 1, got " .. tostring(opts.times))
    end
    for _ = 1, times do
      self:down()
      netlab.sleep(down)
      self:up()
      netlab.sleep(up)
    end
    return self
  end

  -- node:capture(ifname, {filter, dir}, fn) → the frames seen on the
  -- node's interface ifname while fn ran, each {t, len, vlan, out, line}
  -- (as link:capture's). The capture is bound before fn runs (its socket
  -- exists when capture returns from the kernel: no peer needed to prove
  -- it listens), and what fn sent is read to its last frame. filter: a
  -- plain substring of the frame's line ("ICMP echo request", "ARP") or a
  -- function(frame) → boolean; dir: "in", "out" or "both" (the default).
  -- An error in fn is raised again after the capture stops.
  function node.capture(self, ifname, opts, fn)
    if fn == nil and type(opts) == "function" then opts, fn = nil, opts end
    netlab.check_opts(opts, { "filter", "dir" }, "node:capture")
    opts = opts or {}
    if type(ifname) ~= "string" then
      fail("node:capture: expected an interface name, got " .. type(ifname))
    end
    if type(fn) ~= "function" then
      fail("node:capture: expected a function to run while capturing, got " .. type(fn))
    end
    local dir = opts.dir or "both"
    if dir ~= "in" and dir ~= "out" and dir ~= "both" then
      fail(('node:capture: dir is "in", "out" or "both", got %s'):format(tostring(dir)))
    end
    local filter = opts.filter
    if filter ~= nil and type(filter) ~= "string" and type(filter) ~= "function" then
      fail("node:capture: filter is a string (part of a frame's line) or a function(frame), got "
        .. type(filter))
    end
    local cap, err = self:_capture(ifname)
    if not cap then return nil, err end
    local ok, ferr = pcall(fn)
    netlab.sleep(0.02) -- the last replies fn's traffic asked for
    local all = cap:stop()
    if not ok then error(ferr, 0) end
    local frames = {}
    for _, f in ipairs(all) do
      local keep = dir == "both" or (dir == "out") == f.out
      if keep and type(filter) == "string" then keep = f.line:find(filter, 1, true) ~= nil end
      if keep and type(filter) == "function" then keep = filter(f) and true or false end
      if keep then frames[#frames + 1] = f end
    end
    return frames
  end

  local iperf_port = 5201

  -- node:iperf(peer, {time = 2, udp = false, bw = "10M", parallel = 1, reverse = false})
  --   → {mbps (what arrived), sent_mbps, retransmits (TCP), jitter_ms, lost,
  --      packets, loss (percent; UDP)}, or nil, message. peer is a node (or
  --   its name): its iperf3 server runs for this one test.
  function node.iperf(self, peer, opts)
    netlab.check_opts(opts, { "time", "udp", "bw", "parallel", "reverse" }, "node:iperf")
    opts = opts or {}
    if type(peer) == "string" then
      local ok, n = pcall(function() return self.lab:node(peer) end)
      if not ok then fail(("node:iperf: no node named %q"):format(peer)) end
      peer = n
    end
    local ok_ip, ip = pcall(function() return peer:ip() end)
    if not ok_ip then fail("node:iperf: expected a node, got " .. type(peer)) end
    if not ip then fail(("node:iperf: node '%s' has no IPv4 address"):format(peer.name)) end
    local function int_opt(k, lo, hi, d)
      local v = opts[k]
      if v == nil then return d end
      if math.type(v) ~= "integer" or v < lo or v > hi then
        fail(("node:iperf: %s must be an integer from %d to %d, got %s"):format(k, lo, hi,
          tostring(v)))
      end
      return v
    end
    local time = int_opt("time", 1, 3600, 2)
    local parallel = int_opt("parallel", 1, 128, 1)
    local bw = opts.bw
    if bw ~= nil and (type(bw) ~= "string" or not bw:match("^%d+%.?%d*[KMGkmg]?$")) then
      fail("node:iperf: bw is a rate like \"10M\", \"500K\", \"1G\", got " .. tostring(bw))
    end
    for _, k in ipairs({ "udp", "reverse" }) do
      if opts[k] ~= nil and type(opts[k]) ~= "boolean" then
        fail(("node:iperf: %s is true or false, got %s"):format(k, tostring(opts[k])))
      end
    end
    iperf_port = iperf_port < 5999 and iperf_port + 1 or 5202
    local port = iperf_port
    local srv, e = peer:spawn(("iperf3 -s -1 -p %d"):format(port))
    if not srv then return nil, e end
    for _ = 1, 100 do -- until it listens (at most 5 s)
      local out = peer:cmd(("ss -Hltn 'sport = :%d'"):format(port))
      if out and out:match("LISTEN") then break end
      netlab.sleep(0.05)
    end
    local cmd = ("iperf3 -c %s -p %d -J -t %d -P %d%s%s%s"):format(ip, port, time, parallel,
      opts.udp and " -u" or "", bw and (" -b " .. bw) or "", opts.reverse and " -R" or "")
    local out, st = self:cmd(cmd, { timeout = time + 20 })
    srv:kill()
    if not out then return nil, "iperf3: " .. tostring(st) end
    local j, jerr = json_decode(out)
    if not j then return nil, "iperf3: " .. (out:match("[^\n]+") or jerr) end
    if j.error then return nil, "iperf3: " .. tostring(j.error) end
    local e_ = j["end"] or {}
    local sent, recv = e_.sum_sent or e_.sum or {}, e_.sum_received or e_.sum or {}
    local res = {
      mbps = (recv.bits_per_second or 0) / 1e6,
      sent_mbps = (sent.bits_per_second or 0) / 1e6,
      retransmits = sent.retransmits,
    }
    if opts.udp then
      local u = (e_.sum_received and e_.sum_received.jitter_ms) and e_.sum_received or e_.sum or {}
      res.jitter_ms, res.lost, res.packets, res.loss = u.jitter_ms, u.lost_packets, u.packets,
        u.lost_percent
    end
    return res
  end

  -- A node or a node's name, for the helpers below.
  local function as_node(self, what, v)
    if type(v) == "string" then
      local ok, n = pcall(function() return self:node(v) end)
      if not ok then fail(("%s: no node named %q"):format(what, v)) end
      return n
    end
    local ok, name = pcall(function() return v.name end)
    if not ok or type(name) ~= "string" or not v.kind then
      fail(("%s: expected a node or a node's name, got %s"):format(what, type(v)))
    end
    return v
  end

  -- The links between a and b (either way round), in the order the lab made them.
  local function links_between(self, a, b)
    local list = {}
    for _, l in ipairs(self:links()) do
      if (l.a == a and l.b == b) or (l.a == b and l.b == a) then list[#list + 1] = l end
    end
    return list
  end

  -- lab:link_between(a, b [, which]) → the link between nodes a and b (nodes
  -- or names, either order); nil when there is none. Parallel links need
  -- which: an index (1 = the first one made) or "all" (→ a list).
  function lab.link_between(self, a, b, which)
    local what = "lab:link_between"
    a, b = as_node(self, what, a), as_node(self, what, b)
    local list = links_between(self, a, b)
    if which == "all" then return list end
    if which ~= nil then
      if math.type(which) ~= "integer" or which < 1 then
        fail(("%s: which is an index from 1 or \"all\", got %s"):format(what, tostring(which)))
      end
      if not list[which] then
        fail(("%s: %s and %s have %d link%s, not %d"):format(what, a.name, b.name, #list,
          #list == 1 and "" or "s", which))
      end
      return list[which]
    end
    if #list > 1 then
      fail(("%s: %s and %s have %d parallel links: pass an index (1..%d) or \"all\""):format(
        what, a.name, b.name, #list, #list))
    end
    return list[1]
  end

  -- node:port_to(peer) → the name of this node's interface on its link to
  -- peer ("p3" on a switch), nil when none; one name per parallel link.
  function node.port_to(self, peer)
    peer = as_node(self.lab, "node:port_to", peer)
    local names = {}
    for _, l in ipairs(links_between(self.lab, self, peer)) do
      names[#names + 1] = l.a == self and l.intf_a or l.intf_b
    end
    return table.unpack(names)
  end

  -- Draws from 1..n, reproducibly from seed (splitmix64 on Lua's wrapping
  -- integers): a sample repeats from run to run without touching math.random.
  local function drawer(seed)
    local s = seed
    return function(n)
      s = s + 0x9E3779B97F4A7C15
      local z = s
      z = (z ~ (z >> 30)) * 0xBF58476D1CE4E5B9
      z = (z ~ (z >> 27)) * 0x94D049BB133111EB
      z = z ~ (z >> 31)
      return (z >> 1) % n + 1
    end
  end

  -- Runs the pings of jobs = {{src = node, targets = {{ip, dst, family}...}}...}
  -- and adds them to res. A source's pings run in parallel inside one shell
  -- in it, at most CHUNK at once; WINDOW sources' shells run at once.
  local CHUNK, WINDOW = 256, 8
  local function run_pings(jobs, timeout, res)
    local parts = {}
    for _, j in ipairs(jobs) do
      res.matrix[j.src.name] = res.matrix[j.src.name] or {}
      for i = 1, #j.targets, CHUNK do
        parts[#parts + 1] = { src = j.src, targets = table.move(j.targets, i, i + CHUNK - 1, 1, {}) }
      end
    end
    local function start(p)
      local ips = {}
      for k, t in ipairs(p.targets) do ips[k] = t[1] end
      -- ping picks the family from the address
      local script = ("for ip in %s; do (ping -n -c1 -W%g $ip >/dev/null 2>&1 && echo ok $ip"
        .. " || echo no $ip) & done; wait"):format(table.concat(ips, " "), timeout)
      p.proc = p.src:spawn(script)
    end
    local function finish(p)
      local out = p.proc and p.proc:wait({ timeout = timeout + 30 }) or ""
      local answered = {}
      for verdict, ip in out:gmatch("(%a+) (%S+)") do answered[ip] = verdict == "ok" end
      local m = res.matrix[p.src.name]
      for _, t in ipairs(p.targets) do
        local dst, f = t[2], t[3]
        local ok = answered[t[1]] == true
        res.sent = res.sent + 1
        if ok then res.received = res.received + 1
        else
          res.failed[#res.failed + 1] = p.src.name .. "->" .. dst.name .. (f == 6 and " (IPv6)" or "")
        end
        m[dst.name] = (m[dst.name] ~= false) and ok
      end
    end
    for i = 1, #parts do
      start(parts[i])
      if i > WINDOW then finish(parts[i - WINDOW]) end
    end
    for i = math.max(1, #parts - WINDOW + 1), #parts do finish(parts[i]) end
  end

  local function new_result()
    return { sent = 0, received = 0, matrix = {}, failed = {}, families = {} }
  end

  local function end_result(res)
    res.loss = res.sent > 0 and (res.sent - res.received) * 100 / res.sent or 100
    res.ok = res.sent > 0 and res.sent == res.received
    table.sort(res.families)
    return res
  end

  -- The pings from src to dst: one per family both have an address of.
  local function add_targets(src, dst, fams, list, res, seen)
    for _, f in ipairs(fams) do
      local ip = dst:ip(f)
      if dst ~= src and ip and src:ip(f) then
        list[#list + 1] = { ip, dst, f }
        if not seen[f] then seen[f] = true; res.families[#res.families + 1] = f end
      end
    end
  end

  local function timeout_opt(what, t)
    if t ~= nil and (type(t) ~= "number" or not (t > 0 and t <= 3600)) then
      fail(what .. ": timeout must be a number of seconds from 0 to 3600, got " .. tostring(t))
    end
    return t or 1
  end

  -- lab:pingall({timeout = 1, nodes = {...}, family = 4|6, sample = K}) → result
  --   result.sent, result.received, result.loss (percent), result.ok (all
  --   answered, and at least one was sent: never true vacuously),
  --   result.matrix[src_name][dst_name] = true/false (every family answered),
  --   result.failed = {"h1->h3", "h1->h3 (IPv6)", ...}, result.families = {4, 6}.
  -- Like Mininet's pingall: every host pings every other host once, in each
  -- family both have an address of (or only the family asked). sample = K
  -- pings K distinct random pairs instead of all N*(N-1) (all of them when
  -- K is larger): the same pairs for the same netlab.seed; result.seed is
  -- the seed drawn from, result.pairs the pairs ({"h1", "h7"}, ...).
  function lab.pingall(self, opts)
    netlab.check_opts(opts, { "timeout", "nodes", "family", "sample" }, "lab:pingall")
    opts = opts or {}
    local timeout = timeout_opt("lab:pingall", opts.timeout)
    local want = family_opt("lab:pingall", opts.family)
    local k = opts.sample
    if k ~= nil and (math.type(k) ~= "integer" or k < 1) then
      fail("lab:pingall: sample is a number of pairs from 1, got " .. tostring(k))
    end
    local fams = want and { want } or { 4, 6 }
    local hosts = {}
    for _, n in ipairs(opts.nodes or self:nodes("host")) do
      for _, f in ipairs(fams) do
        if n:ip(f) then hosts[#hosts + 1] = n; break end
      end
    end
    local res, seen, jobs = new_result(), {}, {}
    local nh = #hosts
    if k and k >= nh * (nh - 1) then
      netlab.warn(("lab:pingall: sample = %d is not fewer than the %d pairs of %d hosts: "
        .. "every pair is pinged"):format(k, nh * (nh - 1), nh))
    end
    if k and k < nh * (nh - 1) then
      res.seed = netlab.seed() or math.random(1, 1 << 53)
      res.pairs = {}
      local draw, picked, by_src = drawer(res.seed), {}, {}
      while #res.pairs < k do
        local i, j = draw(nh), draw(nh - 1)
        if j >= i then j = j + 1 end
        local key = i * (nh + 1) + j
        if not picked[key] then
          picked[key] = true
          res.pairs[#res.pairs + 1] = { hosts[i].name, hosts[j].name }
          local job = by_src[i]
          if not job then
            job = { src = hosts[i], targets = {} }
            by_src[i] = job
            jobs[#jobs + 1] = job
          end
          add_targets(hosts[i], hosts[j], fams, job.targets, res, seen)
        end
      end
    else
      for _, src in ipairs(hosts) do
        local job = { src = src, targets = {} }
        for _, dst in ipairs(hosts) do add_targets(src, dst, fams, job.targets, res, seen) end
        jobs[#jobs + 1] = job
      end
    end
    run_pings(jobs, timeout, res)
    return end_result(res)
  end

  -- lab:reach(a, list, {timeout = 1, family = 4|6}) → result, as pingall's:
  -- a pings every node of list (nodes or names), all at once, in each family
  -- both have an address of (nodes without one, as switches, are skipped).
  -- Checks one node's view of a large lab in about one timeout.
  function lab.reach(self, a, list, opts)
    netlab.check_opts(opts, { "timeout", "family" }, "lab:reach")
    opts = opts or {}
    local timeout = timeout_opt("lab:reach", opts.timeout)
    local want = family_opt("lab:reach", opts.family)
    local fams = want and { want } or { 4, 6 }
    a = as_node(self, "lab:reach", a)
    if type(list) ~= "table" or #list == 0 then
      fail("lab:reach: expected a list of nodes or names to ping, got "
        .. (type(list) == "table" and "an empty list" or type(list)))
    end
    local res, seen, job = new_result(), {}, { src = a, targets = {} }
    for _, v in ipairs(list) do
      add_targets(a, as_node(self, "lab:reach", v), fams, job.targets, res, seen)
    end
    if #job.targets == 0 then
      fail(("lab:reach: none of the %d nodes has an address %s can ping%s"):format(#list, a.name,
        want and (" in IPv" .. want) or ""))
    end
    run_pings({ job }, timeout, res)
    return end_result(res)
  end
  -- lab:on_up(fn): fn(lab) runs once the lab is built, in `netlab run`
  -- and in the console alike, before any experiment: what a lab should
  -- have running when it is up (its routers' daemons: lab:on_up(frr.start)).
  -- It runs as the experiment "on_up", the first of the list, so the
  -- console stays live meanwhile and shows how it went. An error, or a
  -- `nil, message` return, fails it with that message at the line of the
  -- lab:on_up call. Several functions run in the order given.
  local ups = setmetatable({}, { __mode = "k" }) -- lab -> {{fn, where}, ...}
  function lab.on_up(self, fn)
    if type(fn) ~= "function" then
      fail("lab:on_up: expected a function(lab), got " .. type(fn))
    end
    local info = debug.getinfo(2, "Sl")
    local where = info and info.short_src and (info.short_src:match("[^/]*$") .. ":" .. info.currentline) or "?"
    local list = ups[self]
    if not list then
      list = {}
      ups[self] = list
      netlab._on_up(function()
        for _, u in ipairs(list) do
          local ok, err = u.fn(self)
          if ok == nil and err ~= nil then error(("%s: %s"):format(u.where, tostring(err)), 0) end
        end
      end)
    end
    -- src and line: where the call is, for lab:save to carry it (live_api.c).
    list[#list + 1] = { fn = fn, where = where, src = info and info.source, line = info and info.currentline }
  end
  -- Services in nodes (node:service, ...): their own file.
  require("netlab.service")(classes)
  -- Switch classes and OpenFlow controllers: their own file.
  require("netlab.ovs")(classes)
  -- FRR routers (netlab.frr), with router:vtysh.
  netlab.frr = require("netlab.frr")
  netlab.frr._install(classes)
end
