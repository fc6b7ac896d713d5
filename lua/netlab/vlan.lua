-- netlab.vlan: helpers for VLAN experiments (labs/vlan.lua): a ping matrix
-- with expected reachability, and captures that prove no frame of one group
-- reached another group's ports (a failed ping alone proves nothing about
-- what leaked on the way).
--
-- Everything runs through node:cmd / node:spawn, so inside an experiment
-- every wait yields to the driver and never freezes the console. Check
-- messages name nodes, addresses and VLANs only: never MACs, times or
-- counts that could differ between the kernel and the userspace datapath.
local M = {}

-- All addresses (without prefix) and MACs of a node, from the lab model.
function M.addrs(node)
  local ips, macs = {}, {}
  for _, f in ipairs(node:intfs()) do
    macs[#macs + 1] = f.mac:lower()
    for _, a in ipairs(f.ips) do ips[#ips + 1] = a:match("^[^/]+") end
  end
  return ips, macs
end

local function names(nodes)
  local t = {}
  for i, n in ipairs(nodes) do t[i] = n.name end
  return table.concat(t, ", ")
end
M.names = names

local function target_ip(t)
  if type(t) == "string" then return t end
  return t:ip()
end

-- Empties the ARP caches of the nodes, so their next packets start with a
-- broadcast ARP request (the frame that floods a whole VLAN).
function M.flush(nodes)
  for _, n in ipairs(nodes) do n:cmd("ip neigh flush all >/dev/null 2>&1") end
end

-- Runs pings in parallel: list of {src, dst, want} (dst a node or an
-- address; want false: expected to fail, so it waits 1 s for a reply, else
-- up to 3 s, returning as soon as one comes). One shell per source, all
-- sources at once. → list of booleans (a reply came back), in list order.
function M.pings(list, opts)
  netlab.check_opts(opts, { "timeout" }, "vlan.pings")
  opts = opts or {}
  local by_src, order = {}, {}
  for i, p in ipairs(list) do
    local src = p[1]
    if not by_src[src.name] then
      by_src[src.name] = { node = src, items = {} }
      order[#order + 1] = src.name
    end
    local wait = opts.timeout or (p[3] == false and 1 or 3)
    table.insert(by_src[src.name].items, { i = i, ip = target_ip(p[2]), wait = wait })
  end
  local procs = {}
  for _, name in ipairs(order) do
    local g = by_src[name]
    local parts = {}
    for _, it in ipairs(g.items) do
      parts[#parts + 1] = ("(ping -n -c 1 -W %d %s >/dev/null 2>&1 && echo ok %d || echo no %d) &")
        :format(it.wait, it.ip, it.i, it.i)
    end
    procs[#procs + 1] = g.node:spawn(table.concat(parts, " ") .. " wait")
  end
  local res = {}
  for _, p in ipairs(procs) do
    local out = p:wait({ timeout = 30 }) or ""
    for verdict, i in out:gmatch("(%a+) (%d+)") do res[tonumber(i)] = verdict == "ok" end
  end
  for i = 1, #list do res[i] = res[i] == true end
  return res
end

local function dst_label(d)
  if type(d) == "string" then return d end
  return d.name
end

local function matrix_checks(list, got)
  local all = true
  for i, p in ipairs(list) do
    local src, dst, want = p[1], p[2], p[3]
    local label = p.label or dst_label(dst)
    local msg = want and ("%s reaches %s"):format(src.name, label)
      or ("%s does not reach %s"):format(src.name, label)
    all = check(got[i] == want, msg) and all
  end
  return all
end

-- The ping matrix of a step: list of {src, dst, want} where want is true
-- (must reach) or false (must not). One check per pair. → all as expected.
function M.matrix(list, opts)
  netlab.check_opts(opts, { "timeout" }, "vlan.matrix")
  return matrix_checks(list, M.pings(list, opts))
end

-- Expands {a, b, c} x {d, e} into {{a, d, want}, ...}, skipping a == d.
function M.pairs(srcs, dsts, want)
  local t = {}
  for _, s in ipairs(srcs) do
    for _, d in ipairs(dsts) do
      if s ~= d then t[#t + 1] = { s, d, want } end
    end
  end
  return t
end

function M.concat(...)
  local t = {}
  for _, l in ipairs({ ... }) do
    for _, v in ipairs(l) do t[#t + 1] = v end
  end
  return t
end

-- ---- captures ----

local Capture = {}
Capture.__index = Capture

-- The captured lines for which keep(line) is true.
function Capture:filter(keep)
  local hits = {}
  for _, l in ipairs(self.lines) do
    if keep(l) then hits[#hits + 1] = l end
  end
  return hits
end

-- Lines (frames) whose source MAC is one of the nodes'.
function Capture:from(nodes)
  local set = {}
  for _, n in ipairs(nodes) do
    local _, macs = M.addrs(n)
    for _, m in ipairs(macs) do set[m] = true end
  end
  return self:filter(function(l)
    local src = l:match("^%S+ (%x%x:%x%x:%x%x:%x%x:%x%x:%x%x) > ")
    return src and set[src:lower()]
  end)
end

local function esc(s) return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0")) end

-- True when line matches pattern(escaped ip) for one of the addresses.
local function any_ip(line, ips, patterns)
  for _, ip in ipairs(ips) do
    local e = esc(ip)
    for _, p in ipairs(patterns) do
      if line:find(p:format(e)) then return true end
    end
  end
  return false
end

-- Lines that mention one of the addresses (as a whole address).
function Capture:mentions(ips)
  return self:filter(function(l) return any_ip(l, ips, { "%%f[%%w]%s%%f[^%%w]" }) end)
end

-- Lines that contain the plain text s.
function Capture:grep(s)
  return self:filter(function(l) return l:find(s, 1, true) end)
end

-- Lines of frames sent from one of the addresses: an ARP request
-- ("tell IP"), an ARP reply ("IP is-at") or an IP packet ("IP > ").
function Capture:sent_from(ips)
  return self:filter(function(l)
    return any_ip(l, ips, { "tell %s%%f[^%%w]", "%%f[%%w]%s is%%-at ", "%%f[%%w]%s > " })
  end)
end

-- Frames of the nodes: sent by one of their MACs, or from one of their
-- addresses (ARP sender, IP source). ips limits the addresses looked for
-- (default: all of the nodes' addresses). Frames that only name a node as
-- their target (another group asking for it) are not its frames.
function Capture:frames_of(nodes, ips)
  local hits = self:from(nodes)
  if not ips then
    ips = {}
    for _, n in ipairs(nodes) do
      for _, a in ipairs((M.addrs(n))) do ips[#ips + 1] = a end
    end
  end
  for _, l in ipairs(self:sent_from(ips)) do hits[#hits + 1] = l end
  return hits
end

local function ifindex(node, ifname)
  local out = node:cmd("ip -o link show dev " .. ifname .. " 2>/dev/null") or ""
  return tonumber(out:match("^(%d+):"))
end

-- Packet sockets bound to ifindex idx in the node's namespace.
local function packet_sockets(node, idx)
  local out = node:cmd("cat /proc/net/packet 2>/dev/null") or ""
  local n = 0
  for line in out:gmatch("[^\n]+") do
    -- sk RefCnt Type Proto Iface R ...; sk may be "(____ptrval____)".
    local iface, running = line:match("^%S+%s+%d+%s+%d+%s+%x+%s+(%d+)%s+(%d+)")
    if iface and tonumber(iface) == idx and running == "1" then n = n + 1 end
  end
  return n
end

-- M.capture(specs, fn) runs fn while tcpdump listens on each spec
-- {node, "eth0", dir = "in"|"out"|"inout"} (default: frames arriving at the
-- interface). Each capture has started (its packet socket is bound) before
-- fn runs. → list of captures (same order as specs), each with .node,
-- .ifname, .lines and :from/:sent_from/:mentions/:grep/:frames_of.
function M.capture(specs, fn)
  local caps = {}
  for _, s in ipairs(specs) do
    netlab.check_opts(s, { "dir" }, "vlan.capture spec", 2)
    local node, ifname = s[1], s[2] or "eth0"
    local c = setmetatable({ node = node, ifname = ifname, lines = {} }, Capture)
    c.idx = ifindex(node, ifname)
    c.before = c.idx and packet_sockets(node, c.idx) or 0
    c.proc = node:spawn(("exec tcpdump -Z root -l -n -e --immediate-mode -Q %s -i %s 2>/dev/null")
      :format(s.dir or "in", ifname))
    caps[#caps + 1] = c
  end
  for _, c in ipairs(caps) do
    if c.idx then
      for _ = 1, 200 do
        if packet_sockets(c.node, c.idx) > c.before then break end
        netlab.sleep(0.05)
      end
    end
  end
  netlab.sleep(0.2)
  local ok, err = pcall(fn)
  netlab.sleep(0.5)
  for _, c in ipairs(caps) do
    local out = c.proc and c.proc:kill() or ""
    for l in out:gmatch("[^\n]+") do c.lines[#c.lines + 1] = l end
    c.proc = nil
  end
  if not ok then error(err, 0) end
  return caps
end

-- One step of a VLAN experiment, proven two ways at once:
--   the ping matrix (list of {src, dst, want}: one check per pair), and
--   captures on the watchers while the matrix runs, after the ARP caches
--   of the matrix's sources were emptied (so every first packet is a
--   broadcast that floods its whole VLAN). For each watcher {node, peer,
--   from = {"green", {nodes}, ips}} two checks: the capture was listening
--   (the watcher pinged its peer, of its own group, before the matrix
--   started, and the peer's frames are in the capture), and no frame of
--   the other group (`from`; sent by one of their MACs or from one of
--   their addresses, ips limiting which) arrived at its interface.
-- opts: matrix, watch, traffic (more {src, dst} pinged along, unchecked).
-- → the captures, in watch order.
function M.step(opts)
  netlab.check_opts(opts, { "matrix", "watch", "traffic" }, "vlan.step")
  local watch = opts.watch or {}
  local specs, ctl = {}, {}
  for i, w in ipairs(watch) do
    netlab.check_opts(w, { "ifname", "from" }, "vlan.step watch", 2)
    specs[i] = { w[1], w.ifname or "eth0" }
    ctl[i] = { w[1], w[2] }
  end
  local list = M.concat(opts.matrix or {}, opts.traffic or {})
  local srcs, seen = {}, {}
  for _, t in ipairs(list) do
    if not seen[t[1].name] then
      seen[t[1].name] = true
      srcs[#srcs + 1] = t[1]
    end
  end
  local got
  local caps = M.capture(specs, function()
    M.pings(ctl)
    M.flush(srcs)
    got = M.pings(list)
  end)
  matrix_checks(opts.matrix or {}, got)
  for i, w in ipairs(watch) do
    local c = caps[i]
    local where = ("capture on %s:%s"):format(w[1].name, c.ifname)
    check(#c:from({ w[2] }) > 0, ("%s is listening (frames of %s seen)"):format(where, w[2].name))
    if w.from then
      local group, members, ips = w.from[1], w.from[2], w.from[3]
      local leak = c:frames_of(members, ips)
      check(#leak == 0, ("%s: no frame of %s (%s) arrived"):format(where, group, names(members)))
      if #leak > 0 then print("    leaked: " .. leak[1]) end
    end
  end
  return caps
end

return M
