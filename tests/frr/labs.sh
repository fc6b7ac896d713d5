#!/usr/bin/env bash
# labs.sh LAB — runs labs/LAB.lua (an FRR lab) under netlab run with a
# unique name: every check passes, and nothing is left behind. Skips when
# FRR is not installed.
. "$(dirname "$0")/../lib.sh"
need_root
lab=$1
if [ ! -x /usr/lib/frr/zebra ]; then
        echo "SKIP: FRR is not installed (apt-get install frr)"
        exit 77
fi
name=t${lab}$$
f=$(copylab labs/$lab.lua $name)
out=$("$NETLAB" run "$f" 2>&1)
rc=$?
echo "$out"
expect "netlab run labs/$lab.lua passes (rc $rc)" [ $rc -eq 0 ]
expect "no check failed" grep -q " 0 failed" <<<"$out"
expect "nothing left" nothing_left $name
# Its daemons died with its namespaces: FRR daemons whose network namespace
# is gone would show as processes in an unnamed namespace.
left=0
for p in $(pgrep -f "^/usr/lib/frr/"); do
        ns=$(readlink /proc/$p/ns/net 2>/dev/null) || continue
        ip netns identify "$p" 2>/dev/null | grep -q . || left=$((left + 1))
done
expect "no FRR daemon outside a named namespace ($left)" [ $left -eq 0 ]
finish
