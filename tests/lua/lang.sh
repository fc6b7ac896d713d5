#!/usr/bin/env bash
# lang.sh — issue 11's lab language on a real lab: IPv6 pings and pingall
# (never vacuous), hop limit, links by their ends, a switch's port towards a
# node, netlab.now(), tc's rate units; and its bad input, table-driven (exit
# status, message at FILE:LINE, nothing left behind).
. "$(dirname "$0")/../lib.sh"
need_root

name=tlang$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = { "10.0.0.1/24", "2001:db8::1/64" } })
local h2 = lab:host("h2", { ip = { "10.0.0.2/24", "2001:db8::2/64" } })
local h3 = lab:host("h3", { ip = "10.0.0.3/24" })
local h6 = lab:host("h6", { ip = "2001:db8::6/64" })
local s1 = lab:switch("s1")
local s2 = lab:switch("s2")
lab:link(h1, s1)
lab:link(h2, s1, { bw = "10Mbps" })
lab:link(h3, s1, { bw = "10 mbit" })
lab:link(h6, s1)
lab:link(h3, s2) -- parallel links (no loop: s2 is an island)
lab:link(s2, h3)

experiment("IPv6 ping", function()
  local ok, st = h1:ping(h2, { family = 6 })
  check(ok and st.family == 6 and st.received == 1, "h1 pings h2 over IPv6: " .. tostring(st.output))
  check(st.output:match("2001:db8::2"), "the IPv6 address was pinged")
  check(st.hop_limit == 64 and st.ttl == 64, "hop limit in the stats: " .. tostring(st.hop_limit))
  ok, st = h1:ping(h2)
  check(ok and st.family == 4 and st.hop_limit == nil, "IPv4 by default")
  ok, st = h1:ping(h6)
  check(ok and st.family == 6, "an IPv6-only node is pinged over IPv6")
  ok, st = h1:ping("2001:db8::6", { count = 2, interval = 0.05 })
  check(ok and st.family == 6 and st.received == 2, "an IPv6 address brings its family")
  local e
  ok, e = pcall(function() h1:ping(h3, { family = 6 }) end)
  check(not ok and e:match("LABNAME%.lua:%d+: ping: node 'h3' has no IPv6 address"), tostring(e))
end)

experiment("pingall in both families, never vacuous", function()
  local r = lab:pingall()
  -- IPv4: h1 h2 h3 (6 pings); IPv6: h1 h2 h6 (6 pings)
  check(r.ok and r.sent == 12 and r.received == 12, ("both families: %d/%d"):format(r.received, r.sent))
  check(#r.families == 2 and r.families[1] == 4 and r.families[2] == 6, "families 4 and 6")
  check(r.matrix.h1.h6 == true and r.matrix.h3.h1 == true and r.matrix.h3.h6 == nil, "matrix")
  r = lab:pingall({ family = 6 })
  check(r.ok and r.sent == 6, "family 6: " .. r.sent)
  r = lab:pingall({ nodes = { h3, h6 } })
  check(not r.ok and r.sent == 0 and r.loss == 100, "no common family: nothing sent, not ok")
  r = lab:pingall({ nodes = { h1 } })
  check(not r.ok and r.sent == 0, "one host: nothing sent, not ok")
  h6:cmd("ip -6 addr flush dev eth0")
  r = lab:pingall({ family = 6 })
  check(not r.ok and #r.failed == 4 and r.failed[1] == "h1->h6 (IPv6)", "an IPv6 failure is named: " .. table.concat(r.failed, ","))
end)

experiment("links by their ends", function()
  check(tostring(lab:link_between(h2, "s1")) == "link h2:eth0 -- s1:p2", "h2 -- s1")
  check(tostring(lab:link_between(s1, h3)) == "link h3:eth0 -- s1:p3", "either order")
  check(lab:link_between(h1, h2) == nil, "no link: nil")
  local all = lab:link_between(h3, s2, "all")
  check(#all == 2 and tostring(all[2]) == "link s2:p2 -- h3:eth2", "parallel links: all")
  check(tostring(lab:link_between(s2, h3, 1)) == "link h3:eth1 -- s2:p1", "parallel links: an index")
  local ok, e = pcall(function() return lab:link_between(s2, h3) end)
  check(not ok and e:match("LABNAME%.lua:%d+: lab:link_between: s2 and h3 have 2 parallel links"), tostring(e))
  check(s1:port_to(h3) == "p3" and h3:port_to(s1) == "eth0", "port_to")
  local a, b = s2:port_to(h3)
  check(a == "p1" and b == "p2", "port_to with parallel links: " .. tostring(a) .. " " .. tostring(b))
  check(s1:port_to(h1) == "p1" and h1:port_to(h2) == nil, "port_to without a link: nil")
end)

experiment("netlab.now and rates", function()
  local t0 = netlab.now()
  netlab.sleep(0.05)
  local dt = netlab.now() - t0
  check(math.type(t0) == "float" and dt >= 0.05 and dt < 1, "netlab.now: " .. dt)
  local t1_, t2_ = netlab.now(), netlab.now()
  check(t2_ - t1_ < 0.001 and t2_ >= t1_, "sub-millisecond, monotonic")
end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "the lang lab passes" [ $rc -eq 0 ]
expect "the closing line says so" grep -qE "^[0-9]+ passed, 0 failed$" <<<"$out"
expect "nothing left" nothing_left $name

# tc's rate units: "10Mbps" is 10 MBYTES/s (80 Mbit/s), "10 mbit" 10 Mbit/s.
name=tlrate$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
local h3 = lab:host("h3", { ip = "10.0.0.3/24" })
lab:link(h1, h2, { bw = "10Mbps" })
lab:link(h1, h3, { bw = "10 MBit" })
experiment("rates", function()
  local a = h2:cmd("tc qdisc show dev eth0")
  local b = h3:cmd("tc qdisc show dev eth0")
  check(a:match("rate 80Mbit"), "10Mbps is 80Mbit: " .. a)
  check(b:match("rate 10Mbit"), "10 MBit is 10Mbit: " .. b)
end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "tc's rate units" [ $rc -eq 0 ]
expect "nothing left" nothing_left $name

# Gateways: one per family; a link-local IPv6 gateway (with or without its
# interface); the router's fe80::1 is the way out of h1's subnet.
name=tlgw$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "2001:db8:1::10/64", gw = "fe80::1" })
local h2 = lab:host("h2", { ip = { "10.0.2.10/24", "2001:db8:2::10/64" },
                            gw = { "10.0.2.1", "2001:db8:2::1" } })
local h3 = lab:host("h3", { gw = { "fe80::1%eth1", "10.0.3.1" },
                            routes = { { "2001:db8:2::/64", "fe80::1%eth1" } } })
local h4 = lab:host("h4", { ip = "2001:db8:4::10/64", routes = { { "2001:db8:1::/64", "fe80::1" } } })
local r1 = lab:router("r1")
lab:link(h1, r1, { ip = { false, { "2001:db8:1::1/64", "fe80::1/64" } } })
lab:link(h2, r1, { ip = { false, { "10.0.2.1/24", "2001:db8:2::1/64" } } })
local s3 = lab:switch("s3")
lab:link(h3, s3)
lab:link(h3, r1, { ip = { { "10.0.3.10/24", "2001:db8:3::10/64" },
                          { "10.0.3.1/24", "2001:db8:3::1/64", "fe80::1/64" } } })
lab:link(h4, r1, { ip = { false, { "2001:db8:4::1/64", "fe80::1/64" } } })
experiment("gateways", function()
  local r = h1:cmd("ip -6 route show default")
  check(r:match("default via fe80::1 dev eth0"), "h1: link-local default route: " .. r)
  r = h2:cmd("ip route show default; ip -6 route show default")
  check(r:match("default via 10.0.2.1 dev eth0") and r:match("default via 2001:db8:2::1 dev eth0"),
    "h2: a gateway per family: " .. r)
  r = h3:cmd("ip -6 route show default")
  check(r:match("default via fe80::1 dev eth1"), "h3: fe80::1%eth1: " .. r)
  local ok, st = h1:ping(h2, { family = 6 })
  check(ok and st.hop_limit == 63, "h1 reaches h2 through r1's fe80::1, hop limit 63: " .. tostring(st.hop_limit))
  ok = h3:ping(h1, { family = 6 })
  check(ok, "h3 reaches h1 through eth1")
  ok = h2:ping("10.0.3.10")
  check(ok, "h2 reaches h3 over IPv4")
  r = h4:cmd("ip -6 route show 2001:db8:1::/64")
  check(r:match("via fe80::1 dev eth0"), "h4: route via a link-local next hop: " .. r)
  r = h3:cmd("ip -6 route show 2001:db8:2::/64")
  check(r:match("via fe80::1 dev eth1"), "h3: route via fe80::1%eth1: " .. r)
  ok = h4:ping(h1, { family = 6 })
  check(ok, "h4 reaches h1 by its link-local route")
end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "gateways per family, link-local" [ $rc -eq 0 ]
expect "nothing left" nothing_left $name

# A pulled cable: the host keeps its routes, sees NO-CARRIER; up restores;
# link events return the kernel's time and a slow one is reported
# (NETLAB_LINK_WARN_MS=0 makes every event "slow" here).
name=tlcut$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24", routes = { { "10.9.0.0/16", "10.0.0.2" } } })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
local s1 = lab:switch("s1")
local l1 = lab:link(h1, s1)
lab:link(h2, s1)
experiment("cut", function()
  check(h1:ping(h2), "h1 reaches h2 before the cut")
  local ok, took = l1:cut()
  check(ok and type(took) == "number" and took >= 0 and took < 5, "cut returns the kernel's time: " .. tostring(took))
  local link = h1:cmd("ip -o link show eth0")
  check(link:match("NO%-CARRIER") and link:match("<[^>]*,UP>"),
    "h1:eth0 is admin up without carrier: " .. link)
  local r = h1:cmd("ip route")
  check(r:match("10.0.0.0/24 dev eth0") and r:match("10.9.0.0/16 via 10.0.0.2"), "h1's routes stay: " .. r)
  check(not h1:ping(h2, { timeout = 0.3 }), "nothing passes")
  check(not l1.is_up, "the link is down")
  ok, took = l1:up()
  check(ok and took < 5, "up")
  check(h1:ping(h2) and not h1:cmd("ip -o link show eth0"):match("NO%-CARRIER"), "carrier back, h1 reaches h2")
  ok = l1:down({ carrier = true })
  check(h1:cmd("ip -o link show eth0"):match("NO%-CARRIER"), "down{carrier = true} is a cut")
  l1:up()
  ok, took = l1:down()
  check(ok and h1:cmd("ip -o link show eth0"):match("state DOWN"), "down() is still admin down")
  l1:up()
  check(h1:cmd("ip route"):match("10.9.0.0/16 via 10.0.0.2"), "up after an admin down restores the routes")
end)
LAB
)
out=$(NETLAB_LINK_WARN_MS=0 "$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "link:cut" [ $rc -eq 0 ]
expect "a slow link event is reported at its line" grep -qE "warning: .*$name\.lua:9: link h1:eth0 -- s1:p1 cut took [0-9.]+ ms in the kernel" <<<"$out"
# (100 ms by default: the machine's load may pass it; a minute never)
out=$(NETLAB_LINK_WARN_MS=60000 "$NETLAB" run "$f" 2>&1)
expect "no warning under the threshold" eval '! grep -q "warning:" <<<"$out"'
expect "nothing left" nothing_left $name

# A NAT router that drops unsolicited inbound traffic (issue 11 §4): h1's
# pings and TCP connections out pass, with their replies; out's pings and
# connections in are dropped; r3 (nat without inbound) is the control.
name=tlnat$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.1.10/24", gw = "10.0.1.1" })
local h3 = lab:host("h3", { ip = "10.0.3.10/24", gw = "10.0.3.1" })
local r1 = lab:router("r1", { nat = { out = "eth1", inbound = "drop" } })
local r3 = lab:router("r3", { nat = "eth1" })
local out = lab:host("out", { routes = { { "10.0.1.0/24", "203.0.113.1" }, { "10.0.3.0/24", "203.0.113.3" } } })
local s = lab:switch("s")
lab:link(h1, r1, { ip = { false, "10.0.1.1/24" } })
lab:link(h3, r3, { ip = { false, "10.0.3.1/24" } })
lab:link(r1, s, { ip = { "203.0.113.1/24" } })
lab:link(r3, s, { ip = { "203.0.113.3/24" } })
lab:link(out, s, { ip = { "203.0.113.2/24" } })
experiment("nat inbound drop", function()
  check(h1:ping(out), "h1 reaches out (the replies pass)")
  -- a server is listening before its client starts (the machine may be loaded)
  local function listening(n, port)
    for _ = 1, 100 do
      if n:cmd("ss -Hltn sport = :" .. port):match("LISTEN") then return true end
      netlab.sleep(0.1)
    end
  end
  local srv = out:spawn("iperf3 -s -1 -p 5201")
  check(listening(out, 5201), "out's server listens")
  local r = h1:cmd("iperf3 -c 203.0.113.2 -p 5201 -t 1 >/dev/null 2>&1 && echo TCPOK")
  check(r:match("TCPOK"), "h1's TCP connection out works: " .. r)
  srv:wait({ timeout = 5 })
  check(not out:ping(h1, { timeout = 1 }), "out's ping to h1 through r1 is dropped")
  local srv2 = h1:spawn("iperf3 -s -1 -p 5202")
  check(listening(h1, 5202), "h1's server listens")
  r = out:cmd("timeout 10 iperf3 -c 10.0.1.10 -p 5202 -t 1 --connect-timeout 2000 2>&1")
  check(not r:match("refused") and srv2:running(),
    "out's TCP connection to h1 is dropped (no answer, not refused; h1's server saw no client): " .. r)
  srv2:kill()
  check(out:ping(h3), "control: out reaches h3 through r3 (nat without inbound drop)")
  r = r1:cmd("nft list table inet netlab_natfw")
  check(r:match('iifname "eth1" ct state established,related accept') and r:match('iifname "eth1" drop'),
    "r1's forward chain: " .. r)
  check(not r3:cmd("nft list tables"):match("netlab_natfw"), "r3 has no inbound filter")
end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "nat = {out, inbound = \"drop\"}" [ $rc -eq 0 ]
expect "its checks ran" grep -qE "^9 passed, 0 failed$" <<<"$out"
expect "nothing left" nothing_left $name

n=0
# case_ EXPECTED-REGEX 'the last line of the lab'
case_() {
        local want=$1 line=$2 name f last=${LAST:-5}
        n=$((n + 1))
        name=tlb$n-$$
        f=$(mklab $name <<LAB
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = { "10.0.0.1/24", "2001:db8::1/64" } })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
local l = lab:link(h1, h2)
$line
LAB
)
        expect_refused $name "$f" $last "$want" "$line" 30
}
case_ "node:ping: family is 4 or 6, got 5"                 'lab:build(); h1:ping(h2, { family = 5 })'
case_ "ping: node 'h2' has no IPv6 address"                'lab:build(); h1:ping(h2, { family = 6 })'
case_ "ping: 10.0.0.2 is not an IPv6 address"              'lab:build(); h1:ping("10.0.0.2", { family = 6 })'
case_ "lab:pingall: family is 4 or 6, got 6"                    'lab:build(); lab:pingall({ family = "6" })'
case_ "lab:pingall: unknown option 'famly' \(expected one of: timeout, nodes, family, sample\)" 'lab:pingall({ famly = 6 })'
case_ "node:ping: unknown option 'cnt' \(expected one of: count, timeout, interval, size, family\)" 'h1:ping(h2, { cnt = 1 })'
case_ "lab:link_between: no node named \"h9\""             'lab:link_between(h1, "h9")'
# Arguments counted as written (a method's self is not), a nil named as
# what it usually is, a method called with a dot told to take a colon.
case_ "link: bad argument #2: expected a node or a node name, got nil \(a variable not defined yet\?\)" 'lab:link(h1, r9)'
case_ "attempt to call a nil value \(method 'routr'\) \(no method routr: did you mean router\?\)" 'lab:routr("r1")'
case_ "link: bad argument #1: expected a lab, got userdata \(a method: call it with a colon, x:link\(\.\.\.\)\)" 'lab.link(h1, h2)'
case_ "lab:link_between: expected a node or a node's name, got number" 'lab:link_between(h1, 3)'
case_ "lab:link_between: h1 and h2 have 1 link, not 2"     'lab:link_between(h1, h2, 2)'
case_ "lab:link_between: which is an index from 1 or \"all\", got 0" 'lab:link_between(h1, h2, 0)'
case_ "node:port_to: no node named \"x\""                  'h1:port_to("x")'
case_ "bw: invalid rate \"10Mbs\" \(expected .*bit, kbit, mbit.*bps, kbps, mbps.*BYTES/s" 'lab:link(h1, h2, { bw = "10Mbs" })'
case_ "bw: invalid rate \"10  mbit\""                      'lab:link(h1, h2, { bw = "10  mbit" })'
case_ "bw: invalid rate \"10\""                            'lab:link(h1, h2, { bw = "10" })'
case_ "gw: two IPv4 gateways \(10.0.0.1, 10.0.0.2\): one per family" 'lab:host("h3", { ip = "10.0.0.3/24", gw = { "10.0.0.1", "10.0.0.2" } })'
case_ "gw: expected an address, or one per family"          'lab:host("h3", { gw = {} })'
case_ "gw: entry 2 is not an address string"                'lab:host("h3", { gw = { "10.0.0.1", 7 } })'
case_ "only a link-local IPv6 gateway takes an interface"  'lab:host("h3", { gw = "10.0.0.1%eth0" })'
case_ "gateway fe80::1 of \"h3\" is link-local and \"h3\" has 2 interfaces: name one" 'local h3 = lab:host("h3", { gw = "fe80::1" }); lab:link(h3, h1); lab:link(h3, h2)'
case_ "gateway fe80::1%eth5 of \"h3\": no interface eth5"  'local h3 = lab:host("h3", { gw = "fe80::1%eth5" }); lab:link(h3, h1)'
case_ "route via fe80::1 of \"h3\" is link-local and \"h3\" has 2 interfaces: name one" 'local h3 = lab:host("h3", { routes = { { "2001:db8:9::/64", "fe80::1" } } }); lab:link(h3, h1); lab:link(h3, h2)'
case_ "route via fe80::1%eth7 of \"h3\": no interface eth7" 'local h3 = lab:host("h3", { routes = { { "2001:db8:9::/64", "fe80::1%eth7" } } }); lab:link(h3, h1)'
case_ "only a link-local IPv6 next hop takes an interface" 'lab:host("h3", { routes = { { "10.9.0.0/16", "10.0.0.1%eth0" } } })'
case_ "link h1:eth1 -- h2:eth1: mtu 1200 is below IPv6's minimum of 1280 and \"h1\" has IPv6" 'lab:link(h1, h2, { mtu = 1200 })'
case_ "link:cut: lab \"tlb[0-9]+-[0-9]+\" is not built yet"  'l:cut()'
case_ "link:down: carrier is true or false, got string"      'lab:build(); l:down({ carrier = "yes" })'
case_ "link:down: unknown option 'carier' \(expected one of: carrier\)" 'l:down({ carier = true })'
# issue 11 §6: the model's checks, each at the line that wrote the mistake
LAST=5 case_ "Cannot add address 10.0.0.2/24 to h3:eth0: h2:eth0 already has it" 'local h3 = lab:host("h3", { ip = "10.0.0.2/24" })
lab:link(h3, h1)'
case_ "Cannot add address 10.0.0.9/16 to h1:eth1: its subnet overlaps 10.0.0.1/24 on h1:eth0 \(a node has one interface per subnet" 'lab:link(h1, h2, { ip = { "10.0.0.9/16" } })'
case_ "Cannot add address 2001:db8::9/64 to h1:eth1: its subnet overlaps 2001:db8::1/64 on h1:eth0" 'lab:link(h1, h2, { ip = { "2001:db8::9/64" } })'
case_ "Cannot add address 10.0.0.5/8 to h2:eth1: its subnet overlaps 10.0.0.2/24 on h2:eth0" 'lab:link(h1, h2, { ip = { false, "10.0.0.5/8" } })'
case_ "netlab.topo.linear: unknown option 'hosts' \(expected one of: host, switch, link\)" 'netlab.topo.linear(lab, 2, { hosts = {} })'
case_ "vlan.step: unknown option 'matrx' \(expected one of: matrix, watch, traffic\)" 'require("netlab.vlan").step({ matrx = {} })'
case_ "vlan.capture spec: unknown option 'dri' \(expected one of: dir\)" 'lab:build(); require("netlab.vlan").capture({ { h1, "eth0", dri = "in" } }, print)'
case_ "vlan.pings: unknown option 'timout' \(expected one of: timeout\)" 'lab:build(); require("netlab.vlan").pings({}, { timout = 1 })'
case_ "node:service_stop: unknown option 'force' \(node:service_stop takes no options\)" 'lab:build(); h1:service_stop("x", { force = true })'

# router NAT that drops unsolicited inbound traffic (issue 11 §4)
case_ "nat: inbound is \"drop\" \(only replies to what went out come in\) or \"accept\", got deny" 'lab:router("r9", { nat = { out = "eth1", inbound = "deny" } })'
case_ "nat: unknown option 'outside' \(expected one of: out, inbound\)" 'lab:router("r9", { nat = { outside = "eth1" } })'
case_ "nat: expected the name of the router's outgoing interface, e.g. \"eth1\", or \{out = \"eth1\", inbound = \"drop\"\}" 'lab:router("r9", { nat = { inbound = "drop" } })'
case_ "nat: router \"r9\" has no interface \"eth1\"" 'local r9 = lab:router("r9", { nat = { out = "eth1", inbound = "drop" } }); lab:link(r9, h1, { ip = { "10.9.0.1/24" } })'

# node:capture (issue 11 §5)
case_ "node:capture: 'h1' has no interface 'eth9'" 'lab:build(); h1:capture("eth9", function() end)'
case_ "node:capture: dir is \"in\", \"out\" or \"both\", got up" 'lab:build(); h1:capture("eth0", { dir = "up" }, function() end)'
case_ "node:capture: unknown option 'filtr' \(expected one of: filter, dir\)" 'h1:capture("eth0", { filtr = "x" }, function() end)'
case_ "node:capture: expected a function to run while capturing, got nil" 'h1:capture("eth0", { dir = "in" })'
case_ "node:capture: the lab is not built" 'h1:capture("eth0", function() end)'

# per-end VLAN options (issue 11 §2)
case_ "vlans: expected a list of VLAN entries .* or one set per end \{A_END, B_END\}" 'local s1, s2 = lab:switch("s1"), lab:switch("s2"); lab:link(s1, s2, { vlans = { { native = 10 }, 20 } })'
case_ "vlans: end a \(\"h1\"\) is not a switch: give false for it" 'local s1 = lab:switch("s1"); lab:link(h1, s1, { vlans = { { trunk = { 10 } }, false } })'
case_ "vlans end b: unknown option 'natve' \(expected one of: vlan, trunk, native, vlans\)" 'local s1, s2 = lab:switch("s1"), lab:switch("s2"); lab:link(s1, s2, { vlans = { false, { natve = 10 } } })'
case_ "vlans end a: unknown option 'trunc' \(expected one of: vlan, trunk, native, vlans\)" 'local s1, s2 = lab:switch("s1"), lab:switch("s2"); lab:link(s1, s2, { vlans = { { 10, trunc = 1 }, false } })'
case_ "native: VLAN id 5000 is outside 1..4094" 'local s1, s2 = lab:switch("s1"), lab:switch("s2"); lab:link(s1, s2, { trunk = { 10 }, native = 5000 })'

# A native-VLAN mismatch (per-end vlans): frames of s1's native VLAN land
# in s2's (the same lab runs on the kernel path in qemu: qemu_compare_native).
f=$(copylab tests/qemu/native.lua tlnat$$)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "native-VLAN mismatch modelled" [ $rc -eq 0 ]
expect "all its checks ran" grep -qE "^11 passed, 0 failed$" <<<"$out"
expect "nothing left" nothing_left tlnat$$

# A subinterface whose VID the switch port does not carry (tagged) is
# reported at its line, as a warning: a lab may model that mistake.
name=tlvid$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local h1, h2, h3 = lab:host("h1"), lab:host("h2"), lab:host("h3")
local s1 = lab:switch("s1")
lab:link(h1, s1, { trunk = { 100, 200 } })
lab:link(h2, s1, { vlans = { { vid = 100, pvid = true, untagged = true }, 200 } })
lab:link(h3, s1)
h1:vlan("eth0", 2000, { ip = "10.20.0.1/24" })
h1:vlan("eth0", 100, { ip = "10.1.0.1/24" })
h2:vlan("eth0", 100, { ip = "10.1.0.2/24" })
h2:vlan("eth0", 200, { ip = "10.2.0.2/24" })
h3:vlan("eth0", 300, { ip = "10.3.0.3/24" })
h1:vlan("eth0", 200, { ip = "10.2.0.1/24" })
experiment("carried", function()
  check(h1:ping("10.2.0.2"), "VLAN 200 is carried")
end)
experiment("node:capture", function()
  local f = h1:capture("eth0.200", { filter = "ICMP echo request", dir = "out" }, function()
    h1:ping("10.2.0.2", { count = 2, interval = 0.1 })
  end)
  check(#f == 2 and f[1].out and f[1].line:match("IP 10.2.0.1 > 10.2.0.2: ICMP echo request"),
    "2 requests out of the subinterface: " .. #f .. " " .. tostring(f[1] and f[1].line))
  f = h1:capture("eth0", { dir = "in", filter = "ICMP echo reply" }, function()
    h1:ping("10.2.0.2", { count = 3, interval = 0.1 })
  end)
  check(#f == 3 and f[1].vlan == 200 and not f[1].out, "3 replies into the trunk port, tagged 200: " .. #f .. " " .. tostring(f[1] and f[1].vlan))
  f = h2:capture("eth0.200", function() end)
  check(#f == 0, "nothing sent, nothing seen: " .. #f)
  f = h1:capture("eth0.200", { filter = function(fr) return fr.len > 1000 end }, function()
    h1:ping("10.2.0.2", { count = 1, size = 1200 })
    h1:ping("10.2.0.2", { count = 1 })
  end)
  check(#f == 2, "a function filter: the big request and its reply: " .. #f)
  local ok, e = pcall(h1.capture, h1, "eth0", function() error("boom", 0) end)
  check(not ok and e == "boom", "an error in fn comes back after the capture: " .. tostring(e))
end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "a lab with an uncarried VID still runs; node:capture" [ $rc -eq 0 ]
expect "its checks ran" grep -qE "^6 passed, 0 failed$" <<<"$out"
expect "VLAN 2000 is not carried, at its line" grep -qF "$name.lua:7: h1:eth0.2000: VLAN 2000 is not carried by s1:p1 (trunk 100,200)" <<<"$out"
expect "VLAN 100 leaves the port untagged, at its line" grep -qF "$name.lua:9: h2:eth0.100: VLAN 100 leaves s1:p2 untagged (native 100, trunk 200)" <<<"$out"
expect "carried VIDs and VLAN-unaware ports: no warning" [ "$(grep -c warning: <<<"$out")" -eq 2 ]
expect "nothing left" nothing_left $name

finish
