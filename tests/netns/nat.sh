#!/usr/bin/env bash
# nat.sh — a router with {nat = "eth1"} masquerades: a client reaches an
# "internet" namespace of the lab that has no route back to the client's
# subnet, and the router's namespace holds the nftables rule (experiment 8's
# building block; nothing leaves the lab's namespaces).
. "$(dirname "$0")/../lib.sh"
need_root
name=tnat$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local c = lab:host("c", { ip = "192.168.1.10/24", gw = "192.168.1.1" })
local r = lab:router("r", { nat = "eth1" })
local inet = lab:host("inet", { ip = "203.0.113.1/24" })
lab:link(c, r, { ip = { false, "192.168.1.1/24" } })
lab:link(r, inet, { ip = { "203.0.113.254/24", false } })
experiment("nat", function()
  local routes = inet:cmd("ip route")
  check(not routes:match("192%.168"), "inet has no route back to the client's subnet")
  check(c:ping("203.0.113.1", { count = 2 }), "the client reaches inet: replies come back through NAT")
  local conn = r:cmd("cat /proc/net/nf_conntrack 2>/dev/null; nft list ruleset")
  check(conn:match('oifname "eth1" masquerade'), "r holds the masquerade rule")
end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "NAT lab passes" [ $rc -eq 0 ]
expect "nothing left" nothing_left $name
finish
