#!/bin/bash
# vlan_lab: labs/vlan.lua, run as a copy under a unique name: `netlab run`
# exits 0, all eight experiments run, every check passes; afterwards nothing
# of the lab is left (namespaces, run directory, mounts, datapath process).
. "$(dirname "$0")/../lib.sh"
need_root
for t in ping tcpdump; do
        command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done

name=tvlab$$
f=$(copylab labs/vlan.lua "$name")
grep -q "netlab.lab(\"$name\")" "$f" || { echo "FAIL: the copy was not renamed"; exit 1; }
"$NETLAB" run "$f" >"$TMP/out" 2>&1
st=$?
cat "$TMP/out"
expect "netlab run exits 0 (got $st)" [ $st -eq 0 ]
expect "all 8 experiments ran" [ "$(grep -c '^== ' "$TMP/out")" -eq 8 ]
expect "no check failed" grep -Eq '^[0-9]+ passed, 0 failed' "$TMP/out"
expect "no FAIL or ERROR line" bash -c "! grep -Eq '^[[:space:]]*(FAIL|ERROR)' '$TMP/out'"
expect "the isolation captures ran" [ "$(grep -c 'no frame of' "$TMP/out")" -ge 10 ]
expect "nothing of $name is left" nothing_left "$name"
expect "no datapath process of $name is left" bash -c "! pgrep -f 'netlab datapath $name\$' >/dev/null"
expect "no interface of $name in the host" bash -c "! ip -br link | grep -q '$name'"
finish
