#!/usr/bin/env bash
# Live edits and save (issue 13 §3, §4, §8), from Lua on a built lab:
# nodes, links, addresses, routes and parameters change in the kernel at
# once; a removed node takes its namespaces and processes with it and a
# stale handle raises; bad edits are refused with the lab left as it was.
# Then the round trip: lab:save writes the running lab (live edits
# included), the saved file is built under another name, and each node's
# kernel state is compared with the original's: interfaces and their
# state, MACs (02:LL:LL:NN:NN:II: LL:LL derives from the lab's name, so
# only NN:NN:II must match), addresses, routes, qdiscs and firewall rules.
. "$(dirname "$0")/../lib.sh"
need_root

A=tlva$$
B=tlvb$$
SAVED=$TMP/$A-saved.lua
f=$(mklab "$A" <<LUA
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.1.10/24", gw = "10.0.1.1" })
local h2 = lab:host("h2", { ip = "10.0.2.10/24", gw = "10.0.2.1" })
local r1 = lab:router("r1")
local s1 = lab:switch("s1")
lab:link(h1, s1)
lab:link(s1, r1, { ip = { false, "10.0.1.1/24" } })
lab:link(h2, r1, { ip = { false, "10.0.2.1/24" }, bw = "10mbit", mtu = 1400 })
s1:firewall({ "drop in=p1 out=p2 type=0x88cc" })

experiment("h3 reaches h2", function()
  check(lab:node("h3"):ping(h2), "h3 reaches h2 through r1")
end)

lab:build()
-- Live edits.
local h3 = lab:host("h3", { ip = "10.0.1.30/24" })
lab:link(h3, s1)
h3:route("10.0.2.0/24", "10.0.1.1")
local h4 = lab:host("h4")
lab:link(h4, r1, { ip = { "10.0.3.4/24", "10.0.3.1/24" } })
local out = h4:cmd("ip -br addr show eth0")
check(out:find("10.0.3.4/24", 1, true) ~= nil, "h4 has its address at once")
lab:remove(h4)
local ok, e = pcall(function() return h4:cmd("true") end)
check(not ok and e:find("node 'h4' was deleted", 1, true) ~= nil, "a stale handle: " .. tostring(e))
h1:addr("eth0", "10.0.1.11/24")
lab:links()[3]:clear()
check(not h2:cmd("tc qdisc show dev eth0"):find("rate", 1, true), "link:clear() took the rate away")
lab:links()[3]:set({ bw = "5mbit" })
local t0 = netlab.now()
lab:links()[3]:flap({ down = 0.2, up = 0.1, times = 2 })
check(netlab.now() - t0 >= 0.6, "link:flap took its time: " .. (netlab.now() - t0))
check(h2:cmd("ip -br link show eth0"):find("UP", 1, true) ~= nil, "the link is up after a flap")
check(h2:cmd("tc qdisc show dev eth0"):find("rate 5Mbit", 1, true) ~= nil, "link:set put a rate back")
-- Bad edits: each refused, nothing changes.
local function refused(what, fn, pat)
  local ok2, e2 = pcall(fn)
  check(not ok2 and tostring(e2):find(pat, 1, true) ~= nil, what .. ": " .. tostring(e2))
end
refused("duplicate name", function() lab:host("h1") end, 'duplicate node name "h1"')
refused("address in use", function() h2:addr("eth0", "10.0.1.30/24") end,
        "h3:eth0 already has it")
refused("a bad delay on a new link", function()
  lab:link(h3, r1, { delay = "-5ms" })
end, "delay")
refused("a flap of no times", function() lab:links()[3]:flap({ times = 0 }) end,
        "link:flap: times must be an integer from 1")
refused("a flap with a bad key", function() lab:links()[3]:flap({ dwn = 1 }) end, "dwn")
refused("removed twice", function() lab:remove("h4") end, "no node named 'h4'")
refused("an address in use on a new link", function()
  lab:link(h3, r1, { ip = { false, "10.0.1.10/24" } })
end, "h1:eth0 already has it (link not added)")
check(#lab:links() == 4, "the lab still has its 4 links")
-- A removed link takes the routes through it (as the kernel does).
local h5 = lab:host("h5")
local l5 = lab:link(h5, r1, { ip = { "10.0.5.5/24", "10.0.5.1/24" } })
h5:route("10.0.9.0/24", "10.0.5.1")
l5:remove()
refused("link:set on a deleted link", function() l5:set({ delay = "5ms" }) end, "link was deleted")
refused("link:clear on a deleted link", function() l5:clear() end, "link was deleted")
assert(lab:save("$SAVED"))
local again, msg = lab:save("$SAVED")
check(not again and msg:find("--force", 1, true) ~= nil, "save over a file needs --force: " .. tostring(msg))
LUA
)
"$NETLAB" run --keep "$f" >"$TMP/a.out" 2>&1
rc=$?
expect "the live edits and their checks pass (exit $rc)" sh -c "[ $rc -eq 0 ]"
[ $rc -eq 0 ] || cat "$TMP/a.out"
expect "h4's namespace is gone" sh -c "! ip netns list | grep -q '^$A\.h4 '"
expect "h3's namespace exists" sh -c "ip netns list | grep -q '^$A\.h3'"
expect "h1 has the address added live" sh -c "ip -n $A.h1 -br addr | grep -q 10.0.1.11/24"
expect "the rate was changed live (tbf 5Mbit on r1)" sh -c "tc -n $A.r1 qdisc show | grep -q 'rate 5Mbit'"
expect "the saved file carries the experiment" grep -q 'experiment("h3 reaches h2"' "$SAVED"
expect "the saved file has no h4" sh -c "! grep -q h4 '$SAVED'"
expect "nor h5's route through its removed link" sh -c "grep -q 'lab:host(\"h5\")' '$SAVED' && ! grep -q 10.0.9.0 '$SAVED'"
expect "r1 has no interface left toward h5" sh -c "! ip -n $A.r1 -br addr | grep -q 10.0.5.1"

# The round trip: the saved file under another name.
sed "s/netlab.lab(\"$A\")/netlab.lab(\"$B\")/" "$SAVED" >"$TMP/$B.lua"
LABS+=("$B")
echo "$B" >>"$TMP/labs"
"$NETLAB" run --keep "$TMP/$B.lua" >"$TMP/b.out" 2>&1
rc=$?
expect "the saved lab builds and its carried experiment passes (exit $rc)" sh -c "[ $rc -eq 0 ] && grep -q 'PASS  h3 reaches h2' '$TMP/b.out'"
[ $rc -eq 0 ] || { cat "$TMP/b.out"; cat "$TMP/$B.lua"; }

# (stderr is dropped: `ip` says "Peer netns reference is invalid" when another
# lab's namespace goes while it lists.)
state() { # state LAB NODE: what must be the same in both labs
        local ns=$1.$2
        ip -n "$ns" -o link | sed -E 's/^[0-9]+: //; s/@if[0-9]+//; s/ link-netns [^ ]+//; s/ qdisc [^ ]+//; s/ alias [^ ]+//; s#link/ether 02:..:..:(..:..:..)#link/ether 02:LL:LL:\1#; s/ brd [^ ]+//; s/ (mode|group|qlen|promiscuity|minmtu|maxmtu|addrgenmode|numtxqueues|numrxqueues|gso|tso|gro|parentbus|parentdev|allmulti|link-netnsid)[^ ]*( [^ ]+)?//g; s/ +/ /g' | sort
        ip -n "$ns" -br addr | sed -E 's/@if[0-9]+//' | grep -v fe80 | sort
        ip -n "$ns" route | sort
        ip -n "$ns" -6 route 2>/dev/null | grep -v fe80 | sort
        tc -n "$ns" qdisc show | grep -E 'tbf|netem|htb' | sed -E 's/qdisc ([a-z]+) [0-9a-f]+:/qdisc \1/; s/ dev [^ ]+//' | sort
        ip netns exec "$ns" nft list ruleset 2>/dev/null | sed -E 's/# handle [0-9]+//'
}
for n in h1 h2 h3 r1 s1; do
        state "$A" $n >"$TMP/$n.a" 2>/dev/null
        state "$B" $n >"$TMP/$n.b" 2>/dev/null
        if diff -u "$TMP/$n.a" "$TMP/$n.b" >"$TMP/$n.diff"; then
                pass "round trip: $n's interfaces, MACs, addresses, routes, qdiscs, firewall match"
        else
                fail "round trip: $n differs"
                cat "$TMP/$n.diff"
        fi
done
expect "the comparison saw the firewall rule" grep -q 'protocol 0x88cc drop' "$TMP/s1.a"
expect "the comparison saw h3's live route" grep -q '10.0.2.0/24 via 10.0.1.1' "$TMP/h3.a"

# The VLAN lab (VLAN switches, trunks, subinterfaces, a firewall, NAT;
# here on the userspace datapath): saved, rebuilt under another name, its
# experiments carried with the helpers they use (109 checks pass there
# too). Each node's interfaces, MACs, addresses and routes match, and so
# does the datapath's configuration, but for the names of its internal
# subinterface ports (d<iface index>: the saved file makes the
# subinterfaces in another order than the original's lines).
VA=tlvva$$
VB=tlvvb$$
fv=$(copylab labs/vlan.lua "$VA")
printf '\nlab:build()\nassert(lab:save("%s"))\n' "$TMP/$VA-saved.lua" >>"$fv"
"$NETLAB" run --keep "$fv" >"$TMP/va.out" 2>&1 || fail "vlan lab with a save: $(tail -3 "$TMP/va.out")"
sed "s/netlab.lab(\"$VA\")/netlab.lab(\"$VB\")/" "$TMP/$VA-saved.lua" >"$TMP/$VB.lua"
LABS+=("$VB")
echo "$VB" >>"$TMP/labs"
"$NETLAB" run --keep "$TMP/$VB.lua" >"$TMP/vb.out" 2>&1
rc=$?
expect "the saved VLAN lab passes its carried experiments (exit $rc)" sh -c "[ $rc -eq 0 ] && grep -qE '^[1-9][0-9]+ passed, 0 failed' '$TMP/vb.out'"
[ $rc -eq 0 ] || tail -20 "$TMP/vb.out"
bad=""
cnt=0
for n in $(ip netns list | awk '{print $1}' | grep "^$VA\." | sed "s/^$VA\.//"); do
        [ "$n" = _dp ] && continue
        cnt=$((cnt + 1))
        state "$VA" "$n" >"$TMP/v.a" 2>/dev/null
        state "$VB" "$n" >"$TMP/v.b" 2>/dev/null
        diff -q "$TMP/v.a" "$TMP/v.b" >/dev/null || { bad="$bad $n"; diff -u "$TMP/v.a" "$TMP/v.b" | head -20; }
done
expect "every VLAN lab node's kernel state matches ($cnt nodes; differ:$bad)" [ -z "$bad" ] && [ "$cnt" -ge 14 ]
dpconf() { sed -E "s/$1/LAB/g; s#LAB\._dp d[0-9]+#LAB._dp dN#" "/run/netlab/$1/datapath.conf" | sort; }
expect "the datapath's switches, ports, VLANs and firewall match" diff <(dpconf "$VA") <(dpconf "$VB")
for l in "$VA" "$VB"; do "$NETLAB" clean --force "$l" >/dev/null 2>&1; done
expect "nothing of the VLAN labs is left" sh -c "! ip netns list | grep -qE '^($VA|$VB)\.'"

"$NETLAB" down "$A" >/dev/null 2>&1 || "$NETLAB" clean --force "$A" >/dev/null 2>&1
"$NETLAB" down "$B" >/dev/null 2>&1 || "$NETLAB" clean --force "$B" >/dev/null 2>&1
expect "nothing of $A is left" nothing_left "$A"
expect "nothing of $B is left" nothing_left "$B"
exit $((fails > 0))
