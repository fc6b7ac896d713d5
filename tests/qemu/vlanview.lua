-- vlanview.lua — the VLAN view (switch:vlans()) and VLAN behaviour must be
-- the same on the userspace datapath (this machine) and on the kernel path
-- (the VM): the check messages carry the view itself, so identical check
-- lines on both sides mean identical views. Run by qemu_compare_vlanview.
local lab = netlab.lab("vlanview")
local s1 = lab:switch("s1")
local s2 = lab:switch("s2")
local a = lab:host("a", { ip = "10.5.0.1/24" })
local b = lab:host("b", { ip = "10.5.0.2/24" })
local c = lab:host("c", { ip = "10.6.0.3/24" })
local t = lab:host("t")
local p = lab:host("p", { ip = "10.5.1.9/24" })
lab:link(a, s1, { vlan = 10 })
lab:link(b, s2, { vlan = 10 })
lab:link(c, s2, { vlans = { { vid = 20, pvid = true, untagged = true }, 30 } })
lab:link(s1, s2, { trunk = { 10, 20 } })
lab:link(t, s1, { trunk = { 10, 20 } })
t:vlan("eth0", 10, { ip = "10.5.0.10/24" })
t:vlan("eth0", 20, { ip = "10.6.0.20/24" })
lab:link(p, s1) -- a plain port of a VLAN switch: VID 1, PVID, untagged

local function view(sw)
  local out = {}
  for _, e in ipairs(sw:vlans()) do
    out[#out + 1] = ("%s:%d%s%s"):format(e.port, e.vid, e.pvid and "P" or "", e.untagged and "U" or "")
  end
  return table.concat(out, " ")
end

experiment("VLAN view", function()
  check(view(s1) == "p1:10PU p2:10 p2:20 p3:10 p3:20 p4:1PU", "s1: " .. view(s1))
  check(view(s2) == "p1:10PU p2:20PU p2:30 p3:10 p3:20", "s2: " .. view(s2))
end)

experiment("VLAN reachability", function()
  check(a:ping("10.5.0.2"), "a reaches b across the trunk (VLAN 10)")
  check(a:ping("10.5.0.10"), "a reaches t's eth0.10")
  check(c:ping("10.6.0.20"), "c reaches t's eth0.20 (VLAN 20)")
  check(not p:ping("10.5.1.1", { count = 1 }), "p (VLAN 1) reaches nobody")
  c:cmd("ip addr add 10.5.0.3/24 dev eth0")
  check(not c:ping("10.5.0.2"), "c, given an address in VLAN 10's subnet, still does not reach b")
end)
