#!/usr/bin/env bash
# classes.sh — the switch classes: bridge, user (the userspace datapath,
# forced), ovs (the lab's own Open vSwitch); a lab-wide default; --switch
# on the command line; doctor's plan; idle hosts have no process and the
# lab's OVS daemons are its only ones; two OVS labs side by side; a lab
# killed with -9 is cleaned, daemons and all.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib_ovs.sh"
need_root
need_ovs
n=$$

# procs_in LAB.NODE: how many processes run in that network namespace.
procs_in() { ip netns pids "$1" 2>/dev/null | wc -l; }
running() { pgrep "$@" >/dev/null; }

f=$(mklab tcls$n <<'EOF2'
local lab = netlab.lab("LABNAME")
local sb = lab:switch("sb", { class = "bridge" })
local su = lab:switch("su", { class = "user" })
lab:defaults({ switch_class = "ovs" })
local so = lab:switch("so")
local h = {}
for i = 1, 6 do
  h[i] = lab:host("h" .. i, { ip = "10.0.0." .. i .. "/24" })
  lab:link(h[i], ({ sb, su, so })[(i - 1) // 2 + 1])
end
lab:link(sb, su)
lab:link(su, so)
experiment("classes", function()
  check(sb:switch_class() == "bridge" and su:switch_class() == "user" and
    so:switch_class() == "ovs", "each switch has its class")
  check(so:port_to(h[5]) == "so-p1", "an OVS switch's ports are SWITCH-pN: " .. tostring(so:port_to(h[5])))
  local r = lab:pingall()
  check(r.ok, ("pingall across bridge, user and ovs (%d/%d)"):format(r.received, r.sent))
  for _, sw in ipairs({ sb, su, so }) do
    local ok, state = sw:ready()
    check(ok, sw.name .. " is ready: " .. state)
  end
  local fdb = sb:dpctl("show") or ""
  check(fdb:find("bridge fdb", 1, true), "dpctl on a bridge shows its FDB")
  local t = su:dpctl("show") or ""
  check(t:find("userspace datapath", 1, true), "dpctl on the datapath shows its table")
  local flows = so:dpctl("dump-flows") or ""
  check(flows:find("actions=NORMAL", 1, true), "dpctl dump-flows on OVS: " .. flows)
end)
experiment("a host linked to the OVS switch of the running lab", function()
  local h7 = lab:host("h7")
  lab:link(h7, so, { ip = { "10.0.0.7/24", false } })
  check(so:port_to(h7) == "so-p4", "its port is so-p4: " .. tostring(so:port_to(h7)))
  check(h7:ping(h[1], { count = 2, timeout = 3 }), "h7 reaches h1 through so (on OVS's bridge)")
end)
EOF2
)
doctor=$("$NETLAB" doctor "$f" 2>&1)
echo "$doctor" | grep "switch class"
expect "doctor: sb is a bridge" grep -q "switch sb .*bridge: Linux bridge" <<<"$doctor"
expect "doctor: su is the userspace datapath" grep -q "switch su .*user: netlab's userspace datapath" <<<"$doctor"
expect "doctor: so is OVS and says which datapath" grep -qE "switch so .*ovs: Open vSwitch.*(userspace \(netdev\)|kernel) datapath" <<<"$doctor"
out=$("$NETLAB" run --keep "$f" 2>&1)
rc=$?
echo "$out"
expect "the three classes forward together (rc $rc)" [ $rc -eq 0 ]
for i in 1 2 3 4 5 6; do
        expect "idle host h$i has no process" [ "$(procs_in tcls$n.h$i)" -eq 0 ]
done
expect "the lab's OVS runs ovsdb-server and ovs-vswitchd in LAB._ovs" \
        [ "$(ip netns pids tcls$n._ovs | xargs -r ps -o comm= -p | sort | tr '\n' ' ')" = "ovs-vswitchd ovsdb-server " ]
expect "the OVS switch shares LAB._ovs" [ "$(ip netns pids tcls$n.so | wc -l)" -eq 2 ]
expect "the userspace switch's datapath runs" running -f "netlab datapath tcls$n"
expect "its database is under the lab's run directory" test -S /run/netlab/tcls$n/ovs/db.sock
"$NETLAB" down tcls$n >/dev/null 2>&1
expect "down: nothing left" nothing_left tcls$n
expect "down: no OVS daemon left" no_ovs_daemons tcls$n

# VLANs on OVS ports: access ports are OVS tags, a trunk carries both.
f=$(mklab tcv$n <<'EOF2'
local lab = netlab.lab("LABNAME")
local s1 = lab:switch("s1", { class = "ovs" })
local s2 = lab:switch("s2", { class = "ovs" })
local h = {}
for i = 1, 4 do h[i] = lab:host("h" .. i, { ip = "10.0.0." .. i .. "/24" }) end
lab:link(h[1], s1, { vlan = 10 }); lab:link(h[2], s1, { vlan = 20 })
lab:link(h[3], s2, { vlan = 10 }); lab:link(h[4], s2, { vlan = 20 })
lab:link(s1, s2, { trunk = { 10, 20 } })
experiment("vlans", function()
  check(h[1]:ping(h[3], { count = 1, timeout = 2 }), "h1 reaches h3 in VLAN 10 over the trunk")
  check(h[2]:ping(h[4], { count = 1, timeout = 2 }), "h2 reaches h4 in VLAN 20 over the trunk")
  check(not h[1]:ping(h[2], { count = 1, timeout = 1 }), "h1 does not reach h2 (VLAN 10, 20)")
  check(not h[1]:ping(h[4], { count = 1, timeout = 1 }), "h1 does not reach h4 (VLAN 10, 20)")
end)
EOF2
)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "VLANs on OVS switches (rc $rc)" [ $rc -eq 0 ]
expect "VLANs: nothing left" nothing_left tcv$n

# Two OVS labs side by side, from the command line: each its own daemons.
"$NETLAB" run --topo single,2 --switch ovs --controller none --name tcla$n --keep >"$TMP/a.out" 2>&1
rca=$?
cat "$TMP/a.out"
expect "--switch ovs --controller none: pingall passes (rc $rca)" [ $rca -eq 0 ]
LABS+=(tcla$n tclb$n)
"$NETLAB" run --topo single,2 --switch ovs --name tclb$n --keep >"$TMP/b.out" 2>&1
rcb=$?
cat "$TMP/b.out"
expect "--switch ovs (ref controller): pingall passes (rc $rcb)" [ $rcb -eq 0 ]
expect "two labs, two ovsdb-servers" [ "$(pgrep -fc "ovsdb-server /run/netlab/tcl[ab]$n/")" -eq 2 ]
expect "lab b runs its reference controller" running -f "ovs-testcontroller.*/run/netlab/tclb$n/ovs/c0"
"$NETLAB" exec tcla$n h1 ping -c1 -W2 10.0.0.2 >/dev/null
expect "lab a still forwards" [ $? -eq 0 ]
"$NETLAB" down tcla$n >/dev/null 2>&1
expect "taking lab a down leaves lab b's OVS alone" running -f "ovs-vswitchd unix:/run/netlab/tclb$n/"
"$NETLAB" down tclb$n >/dev/null 2>&1
expect "both down: nothing left" nothing_left tcla$n
expect "both down: nothing left (b)" nothing_left tclb$n
expect "both down: no daemon left" no_ovs_daemons "tcl[ab]$n"

# kill -9 of netlab while the lab runs: clean removes the daemons too.
f=$(mklab tck$n <<'EOF2'
local lab = netlab.lab("LABNAME")
lab:controller("c0")
local s1 = lab:switch("s1", { class = "ovs" })
lab:link(lab:host("h1", { ip = "10.0.0.1/24" }), s1)
experiment("wait", function() print("up"); io.stdout:flush(); netlab.sleep(60) end)
EOF2
)
"$NETLAB" run "$f" >"$TMP/k.out" 2>&1 &
pid=$!
wait_for "grep -q '^up' $TMP/k.out" 60
expect "the lab's daemons run" running -f "ovs-vswitchd unix:/run/netlab/tck$n/"
kill -9 $pid
wait $pid 2>/dev/null
expect "after kill -9 the daemons are still there (nothing ran)" running -f "ovs-testcontroller.*/run/netlab/tck$n/"
"$NETLAB" clean tck$n >"$TMP/clean.out" 2>&1
cat "$TMP/clean.out"
expect "clean: nothing left" nothing_left tck$n
expect "clean: no OVS daemon left (ovsdb, vswitchd, controller)" no_ovs_daemons tck$n
finish
