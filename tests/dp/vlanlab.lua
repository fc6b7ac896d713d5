-- vlanlab.lua — dp_lab's lab: two VLAN switches joined by a trunk, access
-- ports, a host with subinterface eth0.10 on a trunk port, a plain port
-- (PVID 1). On a kernel without VLAN filtering / 802.1Q it runs on the
-- userspace datapath (dp_prepare, dp_start); elsewhere on the kernel path.
local lab = netlab.lab("dptlab")
local sw = lab:switch("brx")
local sy = lab:switch("bry")
local h = {}
for _, n in ipairs({"n1", "n2", "n4", "n5", "n3", "n6"}) do h[n] = lab:host(n) end
lab:link(h.n1, sw, { ip = { "10.4.0.1/24", false }, vlan = 10 })
lab:link(h.n2, sy, { ip = { "10.4.0.2/24", false }, vlan = 10 })
lab:link(h.n4, sw, { ip = { "10.4.0.4/24", false }, vlan = 20 })
lab:link(h.n5, sy, { ip = { "10.4.0.5/24", false }, vlan = 20 })
lab:link(sw, sy, { trunk = { 10, 20 } })
lab:link(h.n3, sw, { trunk = { 10, 20 } })
h.n3:vlan("eth0", 10, { ip = "10.4.0.3/24" })
lab:link(h.n6, sy, { ip = { "10.4.0.6/24", false } })  -- plain port: PVID 1
experiment("vlans", function()
  check(h.n1:ping("10.4.0.2"), "n1 reaches n2 across the trunk")
  check(h.n4:ping("10.4.0.5"), "n4 reaches n5 across the trunk")
  check(not h.n1:ping("10.4.0.5"), "n1 does not reach n5")
  check(h.n3:ping("10.4.0.2"), "n3 (eth0.10) reaches n2")
  check(not h.n3:ping("10.4.0.6"), "n3 does not reach n6 (VLAN 1)")
  local out = h.n3:cmd("cat /sys/class/net/eth0/address /sys/class/net/eth0.10/address")
  local a, b = out:match("(%S+)\n(%S+)")
  check(a == b, "eth0.10 has eth0's MAC " .. tostring(a))
end)
