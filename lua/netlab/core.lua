-- netlab.core: the part of netlab's Lua API written in Lua (ping, pingall).
-- It runs commands through node:cmd, so inside an experiment every wait
-- yields to the driver loop and never freezes the console.
return function(classes)
  local node, lab = classes.node, classes.lab

  -- Errors name the lab's line, never this file's: netlab.error does that.
  local fail = netlab.error
  local json_null = setmetatable({}, { __tostring = function() return "null" end })

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

  -- A small JSON reader, enough for iperf3 -J (objects, arrays, strings,
  -- numbers, true/false/null); nil, message on anything else.
  local function json_decode(str)
    local pos = 1
    local value
    local function ws() pos = str:find("[^ \t\r\n]", pos) or #str + 1 end
    local function err(what) error(("JSON %s at byte %d"):format(what, pos), 0) end
    local function string_()
      local out, i = {}, pos + 1
      while true do
        local c = str:sub(i, i)
        if c == "" then err("unterminated string") end
        if c == '"' then pos = i + 1; return table.concat(out) end
        if c == "\\" then
          local e = str:sub(i + 1, i + 1)
          local map = { b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }
          if e == "u" then out[#out + 1] = "?"; i = i + 6
          else out[#out + 1] = map[e] or e; i = i + 2 end
        else
          out[#out + 1] = c
          i = i + 1
        end
      end
    end
    function value()
      ws()
      local c = str:sub(pos, pos)
      if c == "{" then
        local t = {}
        pos = pos + 1
        ws()
        if str:sub(pos, pos) == "}" then pos = pos + 1; return t end
        while true do
          ws()
          if str:sub(pos, pos) ~= '"' then err("key expected") end
          local k = string_()
          ws()
          if str:sub(pos, pos) ~= ":" then err("':' expected") end
          pos = pos + 1
          t[k] = value()
          ws()
          local d = str:sub(pos, pos)
          pos = pos + 1
          if d == "}" then return t end
          if d ~= "," then err("',' or '}' expected") end
        end
      elseif c == "[" then
        local t = {}
        pos = pos + 1
        ws()
        if str:sub(pos, pos) == "]" then pos = pos + 1; return t end
        while true do
          t[#t + 1] = value()
          ws()
          local d = str:sub(pos, pos)
          pos = pos + 1
          if d == "]" then return t end
          if d ~= "," then err("',' or ']' expected") end
        end
      elseif c == '"' then
        return string_()
      else
        local lit = str:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
        if lit and #lit > 0 then pos = pos + #lit; return tonumber(lit) end
        for word, v in pairs({ ["true"] = true, ["false"] = false, ["null"] = json_null }) do
          if str:sub(pos, pos + #word - 1) == word then pos = pos + #word; return v end
        end
        err("unexpected '" .. c .. "'")
      end
    end
    local ok, v = pcall(value)
    if not ok then return nil, v end
    return v
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
  -- Services in nodes (node:service, ...): their own file.
  require("netlab.service")(classes)
end
