-- qmt-differ.lua — a lab whose one check passes on the qemu VM's kernel and
-- fails on any other (or the reverse): compare-vlan.sh --expect-differ runs
-- it to prove that the host/VM comparison does catch a difference.
local lab = netlab.lab("qmt-differ")

local a = lab:host("a")
local b = lab:host("b")
lab:link(a, b, { ip = { "10.9.9.1/24", "10.9.9.2/24" } })

experiment("the pair carries traffic", function()
  check(a:ping("10.9.9.2"), "a reaches b")
end)

experiment("which kernel", function()
  local f = io.open("/proc/sys/kernel/hostname")
  local host = f and f:read("l")
  if f then f:close() end
  check(host == "qmt", "the lab runs in the qmt VM (hostname qmt)")
end)
