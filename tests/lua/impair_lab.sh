#!/usr/bin/env bash
# impair_lab.sh — labs/impair.lua (issue 10 §5) passes under a unique name
# within 90 s: each parameter's effect (delay, jitter, loss, rate,
# duplicate, corrupt, reorder) and the bufferbloat step, whose RTT series
# come out as CSV; nothing is left behind.
. "$(dirname "$0")/../lib.sh"
need_root
command -v iperf3 >/dev/null || { echo "SKIP: no iperf3"; exit 77; }
name=timp$$
f=$(copylab labs/impair.lua $name)
cd "$TMP" || exit 1
t0=$(date +%s)
out=$(timeout 300 "$NETLAB" run "$f" 2>&1)
rc=$?
secs=$(($(date +%s) - t0))
echo "$out"
expect "labs/impair.lua passes (exit $rc)" [ $rc -eq 0 ]
expect "  ... in under 90 s ($secs s)" [ $secs -lt 90 ]
n=$(grep -c PASS <<<"$out")
expect "  ... all 13 checks ran ($n)" [ "$n" -eq 13 ]
for s in rtt_q20 rtt_q80; do
        expect "  ... $s.csv: a header and a sample a ping" \
                awk -F, 'NR == 1 && $0 != "t,'$s' (ms)" {exit 1} NR > 1 && ($1 < 1.4 || $2 <= 0) {exit 1} END {exit NR < 15}' \
                "$TMP/netlab-out/$name/$s.csv"
done
expect "  ... nothing left" nothing_left $name
finish
