#!/bin/bash
# The datapath inside a real lab: `netlab run vlanlab.lua` builds it (on this
# kernel through dp_prepare + dp_start: subinterface veths, LAB._dp, the
# datapath process), runs the ping matrix, and tears down: afterwards no
# namespace of the lab and no datapath process may be left.
NETLAB=${1:?usage: $0 PATH/TO/netlab}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v ping >/dev/null || { echo "SKIP: ping not installed"; exit 77; }
LUA=$(dirname "$(readlink -f "$0")")/vlanlab.lua
OUT=$(mktemp /tmp/dptlab.XXXXXX)
trap '"$NETLAB" clean --force dptlab >/dev/null 2>&1; rm -f "$OUT"' EXIT
NETLAB_PROGRESS=1 "$NETLAB" run "$LUA" 2>"$OUT" || { cat "$OUT"; echo "FAIL: the VLAN lab's checks failed"; exit 1; }
# The plan decides, doctor prints it, and the build shows the datapath step.
DOC=$("$NETLAB" doctor "$LUA") || { echo "$DOC"; echo "FAIL: netlab doctor LAB.lua failed"; exit 1; }
if grep -qE "^bridge VLAN filtering +no" <<<"$DOC"; then
        grep -qE "^  switch brx +VLAN-aware switch +userspace datapath" <<<"$DOC" &&
                grep -q "datapath process: yes" <<<"$DOC" ||
                { echo "$DOC"; echo "FAIL: doctor's plan does not put brx on the datapath"; exit 1; }
        grep -q " datapath 1/1" "$OUT" || { cat "$OUT"; echo "FAIL: no datapath step in the build"; exit 1; }
        echo "ok: doctor's plan puts the VLAN switches on the datapath; the build starts it as a step"
else
        grep -qE "^  switch brx +VLAN-aware switch +kernel" <<<"$DOC" ||
                { echo "$DOC"; echo "FAIL: doctor's plan does not put brx on the kernel"; exit 1; }
        echo "ok: doctor's plan puts the VLAN switches on the kernel"
fi
if ip netns list 2>/dev/null | grep -q '^dptlab\.'; then
        echo "FAIL: namespaces of dptlab left after the run"; exit 1
fi
if pgrep -f "netlab datapath dptlab" >/dev/null; then
        echo "FAIL: the datapath outlived its lab"; exit 1
fi
echo "ok: nothing of the lab is left (namespaces, datapath)"
echo PASS
