# ui_ovs.sh — an OVS lab in the console, at 200x60 then 80x24: the
# inspector shows the switch's fail mode, controller connection and flow
# count (and only its own ports of the shared OVS namespace); `dpctl
# dump-flows` shows the controller's flows, `dpctl show SWITCH` one
# switch; dpctl on a host is refused with the reason; quit leaves nothing.
. "$(dirname "$0")/lib.sh"
for p in ovs-vswitchd ovsdb-server ovs-testcontroller; do
  PATH=$PATH:/usr/sbin command -v $p >/dev/null ||
    { echo "SKIP: Open vSwitch is not installed (apt-get install openvswitch-switch openvswitch-testcontroller)"; exit 77; }
done
cat >"$TMP/lab.lua" <<LUA
local lab = netlab.lab("$LAB")
lab:defaults({ switch_class = "ovs" })
lab:controller("c0", { kind = "ref" })
netlab.topo.linear(lab, 2)
LUA
start 200 60
cmd "select s1"
wait_for 'inspector: s1 '
wait_for 'Open vSwitch, fail mode secure, [0-9]+ flows?' 20
wait_for 'controller unix:/run/netlab/'"$LAB"'/ovs/c0.sock connected' 20
screen | grep -q 's2-p1' && fail "s1's inspector lists s2's port (the shared namespace)"
cmd "pingall"
wait_for '\*\*\* Results: [0-9]+% dropped' 30
screen | grep -q '\*\*\* Results: 0% dropped (2/2 received)' || fail "pingall failed through the controller"
cmd "dpctl dump-flows"
wait_for '\*\*\* s2 -----' 20
wait_for 'actions=output:' 10
wait_for 'actions=CONTROLLER:128'
# The inspector's count follows the controller's flows.
wait_for 'Open vSwitch, fail mode secure, ([2-9]|[1-9][0-9]+) flows' 20
cmd "dpctl show s2"
wait_for 'OFPT_FEATURES_REPLY' 10
cmd "dpctl dump-flows h1"
wait_for 'dpctl: "h1" is a host, not a switch'
tmux -L "$SOCK" resize-window -t "$SESSION" -x 80 -y 24
cmd "select s2"
wait_for 'inspector: s2'
wait_for 'Open vSwitch, fail m' 10
cmd "quit"
wait_for 'NETLAB-EXIT=0' 30
[ -e "/run/netlab/$LAB" ] && fail "the lab's run directory is left"
pgrep -f "/run/netlab/$LAB/" >/dev/null && fail "an OVS daemon of the lab is left"
echo "ok"
