# ui_dpctl.sh — `dpctl` as a Mininet user types it, at 80x24, in a lab
# with an OVS switch and a kernel bridge: `dpctl CMD SWITCH [ARGS]`
# (ovs-ofctl's order) acts on that switch only, and its add-flow reaches
# the lab's OVS; `dpctl CMD` runs on every switch, a header each; an
# unknown switch, a host, and add-flow on a bridge are refused with the
# reason, before anything runs; netlab's plumbing (the ovs-ofctl command
# line, OVS_RUNDIR) never shows.
. "$(dirname "$0")/lib.sh"
for p in ovs-vswitchd ovsdb-server; do
  PATH=$PATH:/usr/sbin command -v $p >/dev/null ||
    { echo "SKIP: Open vSwitch is not installed (apt-get install openvswitch-switch)"; exit 77; }
done
cat >"$TMP/lab.lua" <<LUA
local lab = netlab.lab("$LAB")
local so = lab:switch("so", { class = "ovs", fail_mode = "standalone" })
local sb = lab:switch("sb", { class = "bridge" })
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, so)
lab:link(so, sb)
lab:link(sb, h2)
LUA
start 80 24
ofctl() { OVS_RUNDIR=/run/netlab/$LAB/ovs PATH=$PATH:/usr/sbin ovs-ofctl "$@"; }

cmd "dpctl dump-flows s9"
wait_for "dpctl: no switch \"s9\" in lab $LAB \(switches: so sb\)"

cmd "dpctl dump-flows h1"
wait_for 'dpctl: "h1" is a host, not a switch'

cmd "dpctl add-flow sb actions=drop"
wait_for 'dpctl add-flow: sb is a Linux bridge \(kernel\), not an OpenFlow'

# ovs-ofctl's order: the switch right after the command, its own args after.
cmd "dpctl add-flow so priority=7,arp,actions=drop"
wait_for 'dpctl add-flow so priority=7,arp,actions=drop: exit 0' 20
ofctl dump-flows so | grep -q 'priority=7,arp actions=drop' ||
  fail "add-flow did not reach so's flow table: $(ofctl dump-flows so 2>&1)"
cmd "dpctl dump-flows so arp"
wait_for 'dpctl dump-flows so arp: exit 0' 20
joined | grep -q 'priority=7,arp actions=drop' || fail "dpctl dump-flows so arp: no flow"
screen | grep -q '\*\*\* sb' && fail "dpctl dump-flows so ran on sb too"

# No switch named: every switch, a header each.
cmd "dpctl show"
wait_for '\*\*\* sb: bridge fdb' 20
wait_for 'dpctl show: exit 0'
cmd "save $TMP/out.txt output"
wait_for "out.txt" 10
for i in $(seq 50); do [ -s "$TMP/out.txt" ] && break; sleep 0.1; done
sed -n '/^dpctl show$/,$p' "$TMP/out.txt" | grep -q '^\*\*\* so ---' ||
  fail "dpctl show has no header for so: $(cat "$TMP/out.txt")"
grep -Eq 'OVS_RUNDIR|host\$|ovs-ofctl (dump|add|show)' "$TMP/out.txt" &&
  fail "the console shows netlab's plumbing: $(cat "$TMP/out.txt")"

cmd "quit"
wait_for 'NETLAB-EXIT=0' 30
[ -e "/run/netlab/$LAB" ] && fail "the lab's run directory is left"
echo "ok"
