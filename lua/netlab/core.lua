-- netlab.core: the part of netlab's Lua API written in Lua (ping, pingall).
-- It runs commands through node:cmd, so inside an experiment every wait
-- yields to the driver loop and never freezes the console.
return function(classes)
  local node, lab = classes.node, classes.lab

  -- Errors name the lab's line, never this file's: netlab.error does that.
  local fail = netlab.error

  -- A node, a node's name, or an IP address; never anything a shell would
  -- read as more than one word.
  local function target_ip(self, target)
    if type(target) == "string" then
      if netlab.is_address(target) then return target end
      local ok, n = pcall(function() return self.lab:node(target) end)
      if not ok or not n then
        fail(("ping: %q is neither an IP address nor a node of the lab"):format(target))
      end
      target = n
    end
    local ok, ip = pcall(function() return target:ip() end)
    if not ok then fail("ping: expected a node or an address, got " .. type(target)) end
    if not ip then fail(("ping: node '%s' has no IPv4 address"):format(target.name)) end
    return ip
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
    return tonumber(sent) or 0, tonumber(recv) or 0, tonumber(out:match("ttl=(%d+)")),
      { min = tonumber(mn), avg = tonumber(avg), max = tonumber(mx), mdev = tonumber(mdev) }
  end

  -- node:ping(node_or_ip, {count = 1, timeout = 1, interval = 0.2, size = 56})
  --   → true when at least one reply came back, and
  --     {sent, received, loss (percent), ttl (of the first reply),
  --      rtt_min, rtt_avg, rtt_max, rtt_mdev (ms; nil without replies), output}
  function node.ping(self, target, opts)
    netlab.check_opts(opts, { "count", "timeout", "interval", "size" }, "node:ping")
    opts = opts or {}
    local count = num_opt(opts, "count", 1, 100000, true, 1)
    local wait = num_opt(opts, "timeout", 0.001, 3600, false, 1)
    local interval = num_opt(opts, "interval", 0.002, 3600, false, 0.2)
    local size = num_opt(opts, "size", 0, 65507, true, nil)
    local ip = target_ip(self, target)
    local cmd = ("ping -n -c %d -i %g -W %g %s%s"):format(count, interval, wait,
      size and ("-s " .. size .. " ") or "", ip)
    local out, status = self:cmd(cmd, { timeout = count * (interval + wait) + 5 })
    if not out then
      return false, { sent = count, received = 0, loss = 100, error = status }
    end
    local sent, recv, ttl, rtt = parse_ping(out)
    local stats = {
      sent = sent, received = recv, ttl = ttl, output = out,
      rtt_min = rtt.min, rtt_avg = rtt.avg, rtt_max = rtt.max, rtt_mdev = rtt.mdev,
      loss = sent > 0 and (sent - recv) * 100 / sent or 100,
    }
    return recv > 0, stats
  end

  -- lab:pingall({timeout = 1, nodes = {...}}) → result
  --   result.sent, result.received, result.loss (percent), result.ok (all answered),
  --   result.matrix[src_name][dst_name] = true/false, result.failed = {"h1->h3", ...}
  -- Like Mininet's pingall: every host pings every other host once; the pings
  -- of one source run in parallel inside one shell in that source.
  function lab.pingall(self, opts)
    netlab.check_opts(opts, { "timeout", "nodes" }, "lab:pingall")
    opts = opts or {}
    local t = opts.timeout
    if t ~= nil and (type(t) ~= "number" or not (t > 0 and t <= 3600)) then
      fail("lab:pingall: timeout must be a number of seconds from 0 to 3600, got " .. tostring(t))
    end
    local hosts = {}
    for _, n in ipairs(opts.nodes or self:nodes("host")) do
      if n:ip() then hosts[#hosts + 1] = n end
    end
    local res = { sent = 0, received = 0, matrix = {}, failed = {} }
    local by_ip = {}
    for _, h in ipairs(hosts) do by_ip[h:ip()] = h end
    for _, src in ipairs(hosts) do
      local targets = {}
      for _, dst in ipairs(hosts) do
        if dst ~= src then targets[#targets + 1] = dst:ip() end
      end
      res.matrix[src.name] = {}
      if #targets > 0 then
        local script = ("for ip in %s; do (ping -n -c1 -W%g $ip >/dev/null 2>&1 && echo ok $ip"
          .. " || echo no $ip) & done; wait"):format(table.concat(targets, " "), opts.timeout or 1)
        local out = src:cmd(script, { timeout = (opts.timeout or 1) + 30 }) or ""
        local answered = {}
        for verdict, ip in out:gmatch("(%a+) (%S+)") do answered[ip] = verdict == "ok" end
        for _, ip in ipairs(targets) do
          local dst = by_ip[ip]
          local ok = answered[ip] == true
          res.sent = res.sent + 1
          if ok then res.received = res.received + 1
          else res.failed[#res.failed + 1] = src.name .. "->" .. dst.name end
          res.matrix[src.name][dst.name] = ok
        end
      end
    end
    res.loss = res.sent > 0 and (res.sent - res.received) * 100 / res.sent or 0
    res.ok = res.sent == res.received
    return res
  end
end
