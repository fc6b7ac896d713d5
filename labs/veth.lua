-- veth.lua — two namespaces joined by one veth pair (the first VLAN-blog
-- experiment): same subnet, they ping each other directly.
local lab = netlab.lab("veth")

local ns1 = lab:host("ns1")
local ns2 = lab:host("ns2")
lab:link(ns1, ns2, { ip = { "10.0.0.1/24", "10.0.0.2/24" } })

experiment("the pair carries traffic", function()
  local ok, st = ns1:ping(ns2, { count = 3 })
  check(ok and st.received == 3, "ns1 reaches ns2 (3 of 3 answered)")
  ok = ns2:ping("10.0.0.1")
  check(ok, "ns2 reaches ns1")
  local out = ns1:cmd("cat /sys/class/net/eth0/address")
  check(out and out:match("^02:"), "ns1:eth0 has a locally administered MAC")
end)

experiment("each end lives in its own namespace", function()
  local h = ns1:cmd("hostname")
  check(h == "ns1\n", "ns1's hostname is its name")
  local links = ns1:cmd("ls /sys/class/net")
  check(links and links:match("eth0") and not links:match("ns2"),
    "ns1 sees only its own interfaces")
end)
