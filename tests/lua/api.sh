#!/usr/bin/env bash
# api.sh — the Lua API on a real lab: fields, interfaces, commands with
# status and timeout, ping statistics, pingall's matrix, links going down and
# up, errors that name the line, and the generators' shapes.
. "$(dirname "$0")/../lib.sh"
need_root

name=tapi$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = { "10.0.0.2/24", "fd00::2/64" } })
local h3 = lab:host("h3", { ip = "10.0.0.3/24" })
local s1 = lab:switch("s1")
local l1 = lab:link(h1, s1)
lab:link(h2, s1, { mtu = 1400 })
local l3 = lab:link(h3, s1, { bw = "10mbit" })

experiment("fields", function()
  check(h1.name == "h1" and h1.kind == "host" and s1.kind == "switch", "name and kind")
  check(tostring(h1) == "host h1", "tostring of a node: " .. tostring(h1))
  check(lab.name == "LABNAME", "lab.name")
  check(lab:node("h2") == h2, "lab:node finds by name, == compares nodes")
  check(#lab:nodes() == 4 and #lab:nodes("host") == 3, "lab:nodes(kind)")
  check(#lab:links() == 3 and tostring(l1) == "link h1:eth0 -- s1:p1", "links: " .. tostring(l1))
  check(h1:ip() == "10.0.0.1" and h2:ip(6) == "fd00::2", "node:ip()")
  local i = h2:intfs()[1]
  check(i.name == "eth0" and i.peer == "s1" and i.ips[2] == "fd00::2/64", "node:intfs()")
  check(i.mac:match("^02:"), "locally administered MAC " .. i.mac)
  local ok, err = pcall(function() return lab:node("nope") end)
  check(not ok and err:match("LABNAME%.lua:%d+: no node named 'nope'"), "unknown node error: " .. tostring(err))
end)

experiment("commands", function()
  local out, st = h1:cmd("echo hello; exit 3")
  check(out == "hello\n" and st == 3, "output and exit status")
  out = h2:cmd("cat /sys/class/net/eth0/mtu")
  check(out == "1400\n", "mtu 1400 on h2:eth0, got " .. tostring(out))
  out = h2:cmd("cat /proc/sys/net/ipv6/conf/eth0/disable_ipv6")
  check(out == "0\n", "h2 (with an IPv6 address) has IPv6")
  out = h1:cmd("cat /proc/sys/net/ipv6/conf/eth0/disable_ipv6")
  check(out == "1\n", "h1 (IPv4 only) does not autoconfigure IPv6")
  out = s1:cmd("cat /proc/sys/net/ipv6/conf/p1/disable_ipv6")
  check(out == "1\n", "switch ports do not autoconfigure IPv6")
  local r, e = h1:cmd("sleep 5", { timeout = 0.3 })
  check(r == nil and e == "timed out", "a timeout returns nil, 'timed out'")
  out = h1:cmd("tc qdisc show dev eth0")
  out = h3:cmd("tc qdisc show dev eth0")
  check(out:match("tbf"), "bw puts tbf on the link: " .. out)
end)

experiment("ping", function()
  local ok, st = h1:ping(h2, { count = 3 })
  check(ok and st.sent == 3 and st.received == 3 and st.loss == 0, "3 of 3")
  check(st.ttl == 64 and st.rtt_avg and st.rtt_avg >= 0, "ttl and rtt")
  ok = h1:ping("10.0.0.99", { count = 1 })
  check(not ok, "no answer from an address nobody has")
  local ok6 = h2:ping("fd00::2")
  check(ok6, "ping an IPv6 address")
end)

experiment("pingall and links", function()
  local r = lab:pingall()
  check(r.ok and r.sent == 6 and r.received == 6, "pingall 6/6")
  check(r.matrix.h1.h3 == true, "matrix h1->h3")
  check(l3:down(), "link down")
  check(not l3.is_up, "link state recorded")
  local out = s1:cmd("cat /sys/class/net/p3/operstate")
  check(out == "down\n", "the kernel has p3 down")
  r = lab:pingall()
  check(not r.ok and r.matrix.h1.h3 == false and r.matrix.h1.h2 == true, "h3 cut off, others fine")
  l3:up()
  check(h1:ping(h3, { count = 2, timeout = 2 }), "h3 back")
end)

experiment("option errors name the line", function()
  local ok, err = pcall(function() h1:ping(h2, { cnt = 1 }) end)
  check(not ok and err:match("LABNAME%.lua:%d+: node:ping: unknown option 'cnt'"), tostring(err))
  -- A running lab takes a new node at once (live.h), and lets it go.
  local late = lab:host("late")
  check(late.name == "late" and lab:node("late") == late, "lab:host on the running lab adds it")
  late:remove()
  ok, err = pcall(function() return late.name end)
  check(not ok and err:match("node 'late' was deleted"), tostring(err))
end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "the API lab passes" [ $rc -eq 0 ]
expect "the closing line says so" grep -qE "^[0-9]+ passed, 0 failed$" <<<"$out"
expect "nothing left" nothing_left $name

# Generators: Mininet's shapes, names and addresses.
name=tgen$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local hosts, switches = netlab.topo.tree(lab, 2, 3)
check(#hosts == 9 and #switches == 4, "tree,2,3: 9 hosts, 4 switches")
check(hosts[9].name == "h9" and hosts[9]:ip() == "10.0.0.9", "h9 is 10.0.0.9")
check(switches[1].name == "s1", "s1 is the root")
local l = lab:links()
check(#l == 12, "tree,2,3 has 12 links")
local ok, err = pcall(netlab.topo.linear, lab, 0)
check(not ok and err:match("positive integer"), tostring(err))
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "generators" [ $rc -eq 0 ]
finish
