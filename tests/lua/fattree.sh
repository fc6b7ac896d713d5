#!/usr/bin/env bash
# fattree.sh — issue 11 §2: the fat-tree and leaf-spine (Clos) generators.
# A k=4 fat tree without STP: its counts, only a spanning tree up (the rest
# standby), every host reaches every other; a Clos with STP: every link up,
# STP blocks the loops, every host reaches every other; a ring with STP
# starts its closing link up. Bad input, table-driven.
. "$(dirname "$0")/../lib.sh"
need_root

name=tlft$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local hosts, switches, standby = netlab.topo.fattree(lab, 4, { link = { mtu = 1400 } })
experiment("fat tree, k = 4", function()
  check(#hosts == 16 and #switches == 20, ("16 hosts, 20 switches: %d, %d"):format(#hosts, #switches))
  check(#lab:links() == 48, "48 links: " .. #lab:links())
  check(#standby == 13, "13 standby links (32 between switches, 19 in a spanning tree): " .. #standby)
  local down = 0
  for _, l in ipairs(lab:links()) do if not l.is_up then down = down + 1 end end
  check(down == 13, "the standby links are down: " .. down)
  check(tostring(switches[1]) == "switch c1" and tostring(switches[5]) == "switch a1_1"
    and tostring(switches[7]) == "switch e1_1", "names: c1.., aP_I, eP_I")
  check(#lab:link_between("a1_2", "c3", "all") == 1 and lab:link_between("a1_1", "c3") == nil,
    "aggregation switch 2 of a pod links to cores 3 and 4")
  check(hosts[1]:cmd("ip -o link show eth0"):match("mtu 1400"), "link options reach every link")
  local r = lab:pingall({ family = 4 })
  check(r.ok and r.sent == 240, ("every host reaches every other: %d/%d"):format(r.received, r.sent))
end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "fat tree" [ $rc -eq 0 ]
expect "its checks ran" grep -qE "^8 passed, 0 failed$" <<<"$out"
expect "nothing left" nothing_left $name

name=tlclos$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local stp = { stp = { forward_delay = 2 } }
local hosts, switches, loops = netlab.topo.clos(lab, 2, 3, 2, { switch = stp })
experiment("leaf and spine with STP", function()
  check(#hosts == 6 and #switches == 5, ("6 hosts, 5 switches: %d, %d"):format(#hosts, #switches))
  check(#loops == 2, "2 links close loops: " .. #loops)
  for _, l in ipairs(lab:links()) do check(l.is_up, tostring(l) .. " is up") end
  local t0, r = netlab.now()
  repeat r = lab:pingall({ family = 4, nodes = hosts, timeout = 1 }) until r.ok or netlab.now() - t0 > 30
  check(r.ok and r.sent == 30, ("every host reaches every other: %d/%d"):format(r.received, r.sent))
end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "Clos with STP" [ $rc -eq 0 ]
expect "nothing left" nothing_left $name

name=tlring$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local hosts, switches, closing = netlab.topo.ring(lab, 3, { switch = { stp = { forward_delay = 2 } } })
experiment("a ring with STP", function()
  check(closing.is_up, "the ring's closing link starts up with STP")
  local t0, ok = netlab.now()
  repeat ok = hosts[1]:ping(hosts[3], { timeout = 0.5 }) until ok or netlab.now() - t0 > 30
  check(ok, "h1 reaches h3")
  local blocking = 0
  for _, s in ipairs(switches) do
    for _ in s:cmd("bridge link show"):gmatch("state blocking") do blocking = blocking + 1 end
  end
  check(blocking == 1, "one port blocks: " .. blocking)
end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "ring with STP" [ $rc -eq 0 ]
expect "nothing left" nothing_left $name

name=tltor$$
f=$(mklab $name <<'LAB'
local lab = netlab.lab("LABNAME")
local hosts, switches, standby = netlab.topo.torus(lab, 3, 3, { switch = { stp = { forward_delay = 2 } } })
experiment("a torus with STP", function()
  check(#standby == 10, "10 links close loops: " .. #standby)
  local up = 0
  for _, l in ipairs(standby) do if l.is_up then up = up + 1 end end
  check(up == 10, "with STP they start up: " .. up)
end)
LAB
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "torus with STP: every link up" [ $rc -eq 0 ]
expect "nothing left" nothing_left $name

n=0
case_() {
        local want=$1 line=$2 name f
        n=$((n + 1))
        name=tlfb$n-$$
        f=$(mklab $name <<LAB
local lab = netlab.lab("LABNAME")
$line
LAB
)
        expect_refused $name "$f" 2 "$want" "$line" 60
}
case_ "netlab.topo.fattree: k is an even number of ports from 2, got 3" 'netlab.topo.fattree(lab, 3)'
case_ "netlab.topo.fattree: k = 74 makes 101306 hosts, more than 100000" 'netlab.topo.fattree(lab, 74)'
case_ "netlab.topo.fattree: expected a positive integer, got 4.5" 'netlab.topo.fattree(lab, 4.5)'
case_ "netlab.topo.fattree: unknown option 'hosts' \(expected one of: host, switch, link\)" 'netlab.topo.fattree(lab, 2, { hosts = {} })'
case_ "netlab.topo.clos \(spines\): expected a positive integer, got 0" 'netlab.topo.clos(lab, 0, 2)'
case_ "netlab.topo.clos \(hosts per leaf\): expected a positive integer, got -1" 'netlab.topo.clos(lab, 2, 2, -1)'
case_ "netlab.topo.clos: unknown option 'spine' \(expected one of: host, switch, link\)" 'netlab.topo.clos(lab, 2, 2, { spine = 1 })'

finish
