-- netlab.service: supervised processes in nodes (the C half is service.c).
--   node:service(name, cmd, {restart = "no"|"on-failure"|"always", env = {K = V},
--                ready = CHECK, timeout = s}) → true | nil, message
-- CHECK is a function(node) → true when the service is ready, or a shell
-- command that exits 0 then. Without one, the service is ready once it has
-- run a moment (0.3 s) without failing. A service that fails, gives up or
-- is not ready in time gives nil and a message that ends with its log's tail.
--   node:service_stop(name), node:service_start(name) (again, as registered),
--   node:service_state(name) → {name, state, pid, restarts, status, cmd, log},
--   node:service_log(name) → the log's last lines; node:services(); node:restart().
return function(classes)
  local node = classes.node
  local fail = netlab.error

  local function tail_text(self, name)
    local t = self:_service_ctl(name, "log") or ""
    local lines = {}
    for l in t:gmatch("[^\n]+") do lines[#lines + 1] = l end
    local from = math.max(1, #lines - 9)
    return table.concat(lines, "\n", from)
  end

  local function why(self, name, what)
    local tail = tail_text(self, name)
    return ("service %s in %s %s%s"):format(name, self.name, what,
      tail ~= "" and ("; its log ends:\n" .. tail) or " (its log is empty)")
  end

  -- "service NAME in NODE WHAT; its log ends: ..." (for netlab.frr too).
  function node._service_why(self, name, what) return why(self, name, what) end

  function node.service(self, name, cmd, opts)
    netlab.check_opts(opts, { "restart", "env", "ready", "timeout" }, "node:service")
    opts = opts or {}
    if type(name) ~= "string" then fail("node:service: expected a service name, got " .. type(name)) end
    if type(cmd) ~= "string" then fail("node:service: expected a command string, got " .. type(cmd)) end
    local restart = opts.restart or "no"
    if restart ~= "no" and restart ~= "on-failure" and restart ~= "always" then
      fail(("node:service: restart = %s: expected \"no\", \"on-failure\" or \"always\""):format(
        tostring(restart)))
    end
    local env = {}
    if opts.env ~= nil then
      if type(opts.env) ~= "table" then fail("node:service: env must be a table {NAME = \"value\"}") end
      for k, v in pairs(opts.env) do
        if type(k) ~= "string" or not k:match("^[%a_][%w_]*$") or
            (type(v) ~= "string" and type(v) ~= "number") then
          fail(("node:service: env: %s = %s is not NAME = \"value\""):format(tostring(k), tostring(v)))
        end
        env[#env + 1] = k .. "=" .. tostring(v)
      end
      table.sort(env)
    end
    local ready = opts.ready
    if ready ~= nil and type(ready) ~= "function" and type(ready) ~= "string" then
      fail("node:service: ready must be a function(node) or a shell command")
    end
    local timeout = opts.timeout or 10
    if type(timeout) ~= "number" or not (timeout > 0 and timeout <= 3600) then
      fail("node:service: timeout must be a number of seconds from 0 to 3600")
    end
    local ok, err = self:_service_start(name, cmd, restart, env)
    if not ok then return nil, err end
    local deadline = os.time() + timeout
    local waited = 0
    while true do
      netlab.sleep(0.1)
      waited = waited + 0.1
      local st = self:_service_ctl(name, "state") or { state = "unknown" }
      if st.state == "failed" or st.state == "gave-up" then
        return nil, why(self, name, ("%s (status %s)"):format(
          st.state == "gave-up" and "gave up" or "failed", tostring(st.status)))
      end
      local is_ready
      if ready == nil then
        -- Up a moment without a failure (a flapping service never is).
        is_ready = waited >= 0.3 and st.restarts == 0 and (st.state == "running" or st.state == "exited")
      elseif st.state == "running" or st.state == "exited" then
        if type(ready) == "function" then is_ready = ready(self)
        else local _, status = self:cmd(ready, { timeout = 5 }) is_ready = status == 0 end
      end
      if is_ready then return true end
      if os.time() > deadline then
        return nil, why(self, name, ("not ready after %g s (%s)"):format(timeout, st.state))
      end
    end
  end

  function node.service_stop(self, name, opts)
    netlab.check_opts(opts, {}, "node:service_stop")
    local ok, err = self:_service_ctl(name, "stop")
    if not ok then return nil, err end
    for _ = 1, 50 do
      local st = self:_service_ctl(name, "state")
      if not st or st.state == "stopped" or st.state == "exited" or st.state == "failed" or
          st.state == "gave-up" then
        netlab.sleep(0.05)
        self:services() -- reaps the supervisor
        return true
      end
      netlab.sleep(0.1)
    end
    return nil, ("service %s in %s did not stop"):format(name, self.name)
  end

  function node.service_start(self, name)
    return self:_service_ctl(name, "start")
  end

  function node.service_state(self, name)
    return self:_service_ctl(name, "state")
  end

  function node.service_log(self, name)
    return self:_service_ctl(name, "log")
  end
end
