-- netlab.ovs: OpenFlow controllers and switch inspection (the C half is
-- ovs_api.c, ovs.c, swclass.c).
--   lab:controller(name, {kind = "ref"|"remote", ip = "10.0.0.9", port = 6653})
--     → a controller: c:stop(), c:start(), c:state() → "ref running (pid ...)"
--   switch:dpctl("dump-flows") → the class's inspection command's output
--     (ovs-ofctl for "ovs", the FDB and VLANs for a bridge, the table of
--     the userspace datapath), or nil, message
--   switch:ready() → true|false, state (Mininet's connected())
--   switch:wait_ready{timeout = 10} → true, or nil and the switch's state
return function(classes)
  local node, lab = classes.node, classes.lab
  local fail = netlab.error

  local ctl_methods = {}
  function ctl_methods.stop(self) return self.lab:_ctl(self.name, "stop") end
  function ctl_methods.start(self) return self.lab:_ctl(self.name, "start") end
  function ctl_methods.state(self) return self.lab:_ctl(self.name, "state") end
  local ctl_mt = {
    __index = ctl_methods,
    __tostring = function(self) return "controller " .. self.name end,
  }

  function lab.controller(self, name, opts)
    netlab.check_opts(opts or {}, { "kind", "ip", "port" }, "lab:controller")
    opts = opts or {}
    if type(name) ~= "string" then
      fail("lab:controller: expected a controller name, got " .. type(name))
    end
    local kind = opts.kind or "ref"
    if type(kind) ~= "string" then fail("lab:controller: kind must be \"ref\" or \"remote\"") end
    local port = opts.port
    if port ~= nil and (math.type(port) ~= "integer" or port < 1 or port > 65535) then
      fail("lab:controller: port must be an integer from 1 to 65535, got " .. tostring(port))
    end
    if opts.ip ~= nil and type(opts.ip) ~= "string" then
      fail("lab:controller: ip must be a string")
    end
    self:_controller(name, kind, opts.ip, port)
    return setmetatable({ name = name, kind = kind, lab = self }, ctl_mt)
  end

  function node.dpctl(self, cmd)
    if type(cmd) ~= "string" or cmd == "" then
      fail("switch:dpctl: expected a command (\"dump-flows\"), got " .. type(cmd))
    end
    local sh, err = self:_dpctl_cmd(cmd)
    if not sh then return nil, err end
    local out, status = self:cmd(sh, { timeout = 20 })
    if not out then return nil, status end
    if status ~= 0 then return nil, out end
    return out
  end

  function node.wait_ready(self, opts)
    netlab.check_opts(opts or {}, { "timeout" }, "switch:wait_ready")
    local timeout = (opts and opts.timeout) or 10
    local t0 = netlab.now()
    while true do
      local ok, state = self:ready()
      if ok then return true, state end
      if netlab.now() - t0 >= timeout then return nil, state end
      netlab.sleep(0.2)
    end
  end
end
