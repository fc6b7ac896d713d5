-- netlab.core: the part of netlab's Lua API written in Lua (ping, pingall).
-- It runs commands through node:cmd, so inside an experiment every wait
-- yields to the driver loop and never freezes the console.
return function(classes)
  local node, lab = classes.node, classes.lab

  local function target_ip(target, level)
    if type(target) == "string" then return target end
    local ok, ip = pcall(function() return target:ip() end)
    if not ok then error("ping: expected a node or an address, got " .. type(target), level) end
    if not ip then
      error(("ping: node '%s' has no IPv4 address"):format(target.name), level)
    end
    return ip
  end

  local function parse_ping(out)
    local sent, recv = out:match("(%d+) packets transmitted, (%d+) received")
    return tonumber(sent) or 0, tonumber(recv) or 0,
      tonumber(out:match("ttl=(%d+)")),
      tonumber(out:match("rtt [^=]+= [%d.]+/([%d.]+)/"))
  end

  -- node:ping(node_or_ip, {count = 3, timeout = 1, interval = 0.2, size = 56})
  --   → true when at least one reply came back, and
  --     {sent, received, loss (percent), ttl (of the first reply), rtt_avg (ms), output}
  function node.ping(self, target, opts)
    netlab.check_opts(opts, { "count", "timeout", "interval", "size" }, "node:ping")
    opts = opts or {}
    local count, wait = opts.count or 1, opts.timeout or 1
    local ip = target_ip(target, 3)
    local cmd = ("ping -n -c %d -i %s -W %d %s%s"):format(count, opts.interval or 0.2,
      wait, opts.size and ("-s " .. math.tointeger(opts.size) .. " ") or "", ip)
    local out, status = self:cmd(cmd, { timeout = count * ((opts.interval or 0.2) + wait) + 5 })
    if not out then
      return false, { sent = count, received = 0, loss = 100, error = status }
    end
    local sent, recv, ttl, avg = parse_ping(out)
    local stats = {
      sent = sent, received = recv, ttl = ttl, rtt_avg = avg, output = out,
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
        local script = ("for ip in %s; do (ping -n -c1 -W%d $ip >/dev/null 2>&1 && echo ok $ip"
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
