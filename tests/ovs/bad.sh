#!/usr/bin/env bash
# bad.sh — bad input to switch classes and controllers: each gets a clear
# message naming the thing, the lab's file:line and the fix, and leaves
# nothing behind; Open vSwitch or its controller missing (hidden in a
# private mount namespace) names the package; a controller nothing listens
# on is a warning with the switch's state, and the lab runs.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib_ovs.sh"
need_root
need_ovs
n=$$

# refused NAME PATTERN LUA-BODY: the lab stops with PATTERN and leaves nothing.
refused() {
        local name=$1 pat=${2//LABNAME/$1} body=$3 f o rc
        f=$(mklab $name <<<"local lab = netlab.lab(\"LABNAME\")
$body")
        o=$("$NETLAB" run "$f" 2>&1)
        rc=$?
        if [ $rc -ne 0 ] && grep -q -- "$pat" <<<"$o"; then pass "$name: $pat"; else
                fail "$name: expected '$pat' (exit $rc: $o)"; fi
        nothing_left $name || fail "$name left something"
        no_ovs_daemons $name || fail "$name left a daemon"
}

refused tbc1$n 'LABNAME.lua:2: lab:switch: unknown switch class "lxbr" (expected bridge, user or ovs)' \
        'lab:switch("s1", { class = "lxbr" })'
refused tbc2$n 'lab:defaults: unknown switch class "OVS"' 'lab:defaults({ switch_class = "OVS" })'
refused tbc3$n 'lab:switch: fail_mode is for switches of class "ovs"' \
        'lab:switch("s1", { fail_mode = "secure" })'
refused tbc4$n 'fail_mode "closed": expected "secure" or "standalone"' \
        'lab:switch("s1", { class = "ovs", fail_mode = "closed" })'
refused tbc5$n 'LABNAME.lua:2: lab:controller: kind "nox": expected "ref"' \
        'lab:controller("c0", { kind = "nox" })'
refused tbc6$n 'ip "10.0.0.300" is not an IPv4 address' \
        'lab:controller("c0", { kind = "remote", ip = "10.0.0.300" })'
refused tbc7$n 'kind = "remote" needs ip' 'lab:controller("c0", { kind = "remote" })'
refused tbc8$n 'port must be an integer from 1 to 65535' \
        'lab:controller("c0", { kind = "remote", ip = "10.0.0.9", port = 70000 })'
refused tbc9$n 'duplicate name "h1"' 'lab:host("h1") lab:controller("h1")'
refused tbca$n 'lab:controller: unknown option' 'lab:controller("c0", { kind = "ref", adress = "x" })'
refused tbcb$n 'its name is its bridge.s interface name' \
        'lab:switch("a_very_long_switch", { class = "ovs" })'
refused tbcc$n 'port "s2" of OVS switch "s1": "s2" has that name too' \
        'local s1 = lab:switch("s1", { class = "ovs" })
local s2 = lab:switch("s2", { class = "ovs" })
lab:link(s1, lab:host("h1"), { ifname = { "s2", "eth0" } })'
refused tbcd$n 'firewall rules are for bridge and user switches' \
        'local s1 = lab:switch("s1", { class = "ovs" })
lab:link(s1, lab:host("h1", { ip = "10.0.0.1/24" }))
lab:link(s1, lab:host("h2", { ip = "10.0.0.2/24" }))
s1:firewall({ { action = "drop", ["in"] = { "h1" } } })'

# Open vSwitch, then its controller, not installed: hidden in a private
# mount namespace (/dev/null over the program: not executable).
hidden() { # hidden PROGRAM NAME PATTERN BODY
        local prog=$1 name=$2 pat=${3//LABNAME/$2} body=$4 f o rc
        f=$(mklab $name <<<"local lab = netlab.lab(\"LABNAME\")
$body")
        o=$(unshare -m sh -c "mount --bind /dev/null $(PATH=$PATH:/usr/sbin command -v $prog) && exec \"\$0\" run \"\$1\"" "$NETLAB" "$f" 2>&1)
        rc=$?
        if [ $rc -ne 0 ] && grep -q -- "$pat" <<<"$o"; then pass "$name: $pat"; else
                fail "$name: expected '$pat' (exit $rc: $o)"; fi
        nothing_left $name || fail "$name left something"
}
hidden ovs-vswitchd tbce$n 'LABNAME.lua:2: Open vSwitch is not installed (no ovs-vswitchd): apt-get install openvswitch-switch' \
        'lab:switch("s1", { class = "ovs" })'
hidden ovs-vswitchd tbcf$n 'lab:defaults: Open vSwitch is not installed (no ovs-vswitchd)' \
        'lab:defaults({ switch_class = "ovs" })'
hidden ovs-testcontroller tbcg$n 'LABNAME.lua:2: lab:controller: the reference controller is not installed (no ovs-testcontroller): apt-get install openvswitch-testcontroller' \
        'lab:controller("c0")'
o=$(unshare -m sh -c "mount --bind /dev/null $(PATH=$PATH:/usr/sbin command -v ovs-vswitchd) && exec \"\$0\" run --topo single,2 --switch ovs --name tbch$n" "$NETLAB" 2>&1)
rc=$?
LABS+=(tbch$n)
expect "--switch ovs without Open vSwitch: the package is named (exit $rc)" \
        grep -q "apt-get install openvswitch-switch" <<<"$o"
expect "... and nothing is left" nothing_left tbch$n

# A controller nothing listens on: a warning with the switch's state; the
# lab runs, and its secure switch forwards nothing, as the warning says.
f=$(mklab tbci$n <<'EOF2'
local lab = netlab.lab("LABNAME")
lab:controller("c0", { kind = "remote", ip = "127.0.0.1", port = 6999 })
local s1 = lab:switch("s1", { class = "ovs" })
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, s1)
lab:link(h2, s1)
experiment("secure without a controller", function()
  check(not h1:ping(h2, { count = 1, timeout = 1 }), "h1 does not reach h2")
  local ok, state = s1:ready()
  check(not ok and state:find("Connection refused", 1, true), "s1 is not ready: " .. state)
end)
EOF2
)
o=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$o"
expect "the lab runs (rc $rc)" [ $rc -eq 0 ]
expect "a warning names the line, the switch, the address, the reason and the state" \
        grep -q "warning: .*tbci$n.lua:3: switch s1: tcp:127.0.0.1:6999 not connected (Connection refused); fail mode secure: no controller, it forwards nothing" <<<"$o"
expect "nothing left" nothing_left tbci$n
expect "no daemon left" no_ovs_daemons tbci$n
finish
