#!/bin/bash
# The datapath inside a real lab: `netlab run vlanlab.lua` builds it (on this
# kernel through dp_prepare + dp_start: subinterface veths, LAB._dp, the
# datapath process), runs the ping matrix, and tears down: afterwards no
# namespace of the lab and no datapath process may be left.
NETLAB=${1:?usage: $0 PATH/TO/netlab}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v ping >/dev/null || { echo "SKIP: ping not installed"; exit 77; }
LUA=$(dirname "$(readlink -f "$0")")/vlanlab.lua
trap '"$NETLAB" clean --force dptlab >/dev/null 2>&1' EXIT
"$NETLAB" run "$LUA" || { echo "FAIL: the VLAN lab's checks failed"; exit 1; }
if ip netns list 2>/dev/null | grep -q '^dptlab\.'; then
        echo "FAIL: namespaces of dptlab left after the run"; exit 1
fi
if pgrep -f "netlab datapath dptlab" >/dev/null; then
        echo "FAIL: the datapath outlived its lab"; exit 1
fi
echo "ok: nothing of the lab is left (namespaces, datapath)"
echo PASS
