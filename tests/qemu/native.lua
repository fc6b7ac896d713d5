-- native.lua — a native-VLAN mismatch, the classic trunk bug, modelled with
-- per-end VLAN options (vlans = {A_END, B_END}). s1's trunk sends VLAN 10
-- untagged (native 10); s2 files untagged frames into VLAN 20 (native 20):
-- a10 (VLAN 10 on s1) reaches b20 (VLAN 20 on s2), and not b10, its own
-- VLAN's host. s3 -- s4, the same trunk with one native VLAN, is the
-- control. The same checks on the userspace datapath and the kernel's bridge.
local lab = netlab.lab("native")
local s1, s2, s3, s4 = lab:switch("s1"), lab:switch("s2"), lab:switch("s3"), lab:switch("s4")
local a10 = lab:host("a10", { ip = "10.0.0.1/24" })
local a20 = lab:host("a20", { ip = "10.0.0.2/24" })
local b10 = lab:host("b10", { ip = "10.0.0.3/24" })
local b20 = lab:host("b20", { ip = "10.0.0.4/24" })
lab:link(a10, s1, { vlan = 10 })
lab:link(a20, s1, { vlan = 20 })
lab:link(b10, s2, { vlan = 10 })
lab:link(b20, s2, { vlan = 20 })
lab:link(s1, s2, { trunk = { 10, 20 }, vlans = { { native = 10 }, { native = 20 } } })

local c10 = lab:host("c10", { ip = "10.1.0.1/24" })
local c20 = lab:host("c20", { ip = "10.1.0.2/24" })
local d10 = lab:host("d10", { ip = "10.1.0.3/24" })
local d20 = lab:host("d20", { ip = "10.1.0.4/24" })
lab:link(c10, s3, { vlan = 10 })
lab:link(c20, s3, { vlan = 20 })
lab:link(d10, s4, { vlan = 10 })
lab:link(d20, s4, { vlan = 20 })
lab:link(s3, s4, { trunk = { 10, 20 }, native = 10 })

local function reach(a, b) return a:ping(b, { count = 1, timeout = 1 }) end

experiment("ports", function()
  local v = {}
  for _, e in ipairs(s1:vlans()) do
    if e.port == s1:port_to(s2) then v[#v + 1] = ("%d%s"):format(e.vid, e.pvid and "P" or "") end
  end
  table.sort(v)
  check(table.concat(v, " ") == "10P 20", "s1's trunk: native 10, tagged 20: " .. table.concat(v, " "))
  v = {}
  for _, e in ipairs(s2:vlans()) do
    if e.port == s2:port_to(s1) then v[#v + 1] = ("%d%s"):format(e.vid, e.pvid and "P" or "") end
  end
  table.sort(v)
  check(table.concat(v, " ") == "10 20P", "s2's trunk: tagged 10, native 20: " .. table.concat(v, " "))
end)

experiment("native VLAN mismatch", function()
  check(reach(a10, b20), "a10 (VLAN 10) reaches b20 (VLAN 20): untagged frames land in s2's native VLAN")
  check(reach(b20, a10), "and back: b20 reaches a10")
  check(not reach(a10, b10), "a10 does not reach b10, its own VLAN across the trunk")
  check(not reach(a20, b20), "a20 does not reach b20: s2 answers a20 untagged, into s1's VLAN 10")
  check(not reach(a20, b10), "a20 does not reach b10")
end)

experiment("matching native VLANs (the control)", function()
  check(reach(c10, d10), "c10 reaches d10 (VLAN 10, native on both ends)")
  check(reach(c20, d20), "c20 reaches d20 (VLAN 20, tagged)")
  check(not reach(c10, d20), "c10 does not reach d20")
  check(not reach(c20, d10), "c20 does not reach d10")
end)
