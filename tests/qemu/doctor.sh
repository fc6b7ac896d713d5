#!/bin/bash
# doctor.sh NETLAB — `netlab doctor` inside the qemu VM must report bridge
# VLAN filtering, 802.1Q and netem as taken by the kernel: proof that the VM
# run exercises netlab's kernel path, not the userspace fallback.
set -u
here=$(cd "$(dirname "$0")" && pwd)
netlab=${1:?usage: doctor.sh NETLAB}
[ -x "$netlab" ] || {
        echo "doctor.sh: $netlab is not built" >&2
        exit 77
}

out=$("$here/vm-run.sh" --add "$netlab:/usr/bin/netlab" -- netlab doctor)
st=$?
printf '%s\n' "$out"
[ $st -eq 77 ] && exit 77
[ $st -eq 0 ] || {
        echo "FAIL: netlab doctor in the VM exited $st" >&2
        exit 1
}
rc=0
for row in 'bridge VLAN filtering' '802.1Q VLAN links' 'netem qdisc'; do
        line=$(printf '%s\n' "$out" | grep "^$row ")
        if ! printf '%s\n' "$line" | grep -Eq "^$row +yes +CONFIG_[A-Z0-9_]+ +kernel\$"; then
                echo "FAIL: doctor row '$row' is not 'yes ... kernel': '${line:-missing}'" >&2
                rc=1
        fi
done
[ $rc -eq 0 ] && echo "PASS: the VM's netlab uses the kernel for bridge VLAN filtering, 802.1Q and netem"
exit $rc
