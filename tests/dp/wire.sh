#!/bin/bash
# A wire (issue 7 §5, issue 10 §2): h1 and h2 joined through the datapath,
# netem's job in userspace. Each direction has its own delay, so the RTT is
# their sum; a lossy direction loses; an unimpaired wire is transparent
# (TCP with GSO super-frames passes at speed); a rate limit paces TCP; the
# engine's counters say what it did.
TAG=wir
. "$(dirname "$0")/lib.sh"
ns d; ns h1; ns h2
link h1 eth0 d w1a 02:00:00:00:09:01
link h2 eth0 d w1b 02:00:00:00:09:02
addr h1 eth0 10.9.9.1/24
addr h2 eth0 10.9.9.2/24
D=$(nspath d)
conf() { # conf "IMPAIR AB" "IMPAIR BA"
        printf 'seed 7\nwire l1 %s w1a %s w1b\n' "$D" "$D" >"$WORK/conf"
        [ -n "$1" ] && echo "impair ab $1" >>"$WORK/conf"
        [ -n "$2" ] && echo "impair ba $2" >>"$WORK/conf"
        [ -n "$ENGINE_PID" ] && { kill "$ENGINE_PID"; wait "$ENGINE_PID" 2>/dev/null; }
        engine "$WORK/conf"
}
# rtt COUNT [LO HI]: "min median max inside" of COUNT pings' RTTs (ms), inside:
# the share within LO..HI. Lower bounds are strict (a frame never leaves
# early); upper ones use the median or a share, since a loaded machine
# delays some wake-ups.
rtt() {
        nsx h1 ping -c "$1" -i 0.05 -W 2 10.9.9.2 | sed -n 's/.*time=\([0-9.]*\) ms/\1/p' | sort -n |
                awk -v lo="${2:-0}" -v hi="${3:-1e9}" '{v[NR] = $1; if ($1 >= lo && $1 <= hi) k++}
                        END {printf "%s %s %s %.2f\n", v[1], v[int((NR + 1) / 2)], v[NR], k / NR}'
}

conf "" ""
must_ping h1 10.9.9.2
read -r MIN MED MAX IN < <(rtt 20)
echo "unimpaired wire: rtt min/median/max $MIN/$MED/$MAX ms"
awk -v a="$MED" 'BEGIN {exit !(a < 2)}' || fail "an unimpaired wire adds $MED ms"
if command -v iperf3 >/dev/null; then
        nsx h2 iperf3 -s -1 -D -I "$WORK/iperf.pid" >/dev/null 2>&1
        sleep 0.3
        nsx h1 iperf3 -c 10.9.9.2 -t 2 -J >"$WORK/iperf.json" 2>&1 || { cat "$WORK/iperf.json"; fail "iperf3 failed"; }
        bps=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"]))' "$WORK/iperf.json")
        echo "TCP through an unimpaired wire: $((bps / 1000000)) Mbit/s"
        [ "$bps" -gt 200000000 ] || fail "throughput $bps bit/s is too low (GSO or checksums broken?)"
fi
ok "an unimpaired wire is transparent"

# The busy poll after traffic (dp_poll.h) is bounded: an idle engine
# sleeps, and a slow ping (gaps far past the bound) costs it almost nothing.
cpu() { awk '{print $14 + $15}' "/proc/$ENGINE_PID/stat"; }
sleep 0.5
C0=$(cpu)
sleep 2
C1=$(cpu)
nsx h1 ping -c 5 -i 0.4 -q 10.9.9.2 >/dev/null
C2=$(cpu)
echo "engine CPU: $((C1 - C0)) ticks over 2 s idle, $((C2 - C1)) over 5 pings in 2 s"
[ $((C1 - C0)) -le 2 ] || fail "an idle engine used $((C1 - C0)) ticks of CPU in 2 s"
[ $((C2 - C1)) -le 4 ] || fail "5 pings 0.4 s apart cost the engine $((C2 - C1)) ticks of CPU"
ok "an idle engine sleeps; a slow ping costs it almost nothing"

conf "delay=30000" "delay=20000"
read -r MIN MED MAX IN < <(rtt 20)
echo "delay 30 ms + 20 ms: rtt min/median/max $MIN/$MED/$MAX ms"
# the fastest RTT is the two delays' sum to 1 ms; the median only bounds
# what a loaded machine adds (its scheduler, not the wire)
awk -v m="$MIN" -v x="$MED" 'BEGIN {exit !(m >= 50 && m < 51 && x < 60)}' || fail "RTT min $MIN, median $MED ms: wanted 50 ms, median under 60"
ok "each direction delays by its own amount"

conf "delay=10000 jitter=5000" ""
read -r MIN MED MAX IN < <(rtt 40 5 16)
echo "delay 10 ms, jitter 5 ms one way: rtt min/median/max $MIN/$MED/$MAX ms, $IN within 5..16 ms"
awk -v m="$MIN" -v x="$MAX" -v i="$IN" 'BEGIN {exit !(m >= 5 && i >= 0.8 && x - m > 3)}' ||
        fail "RTT $MIN..$MAX ms, $IN within 5..15 ms (plus 1): wanted all from 5, most within, a spread"
ok "jitter spreads the delay within delay +- jitter (uniform, as netem without a table)"

conf "loss=1000000" ""
must_not_ping h1 10.9.9.2
ok "loss 100% in one direction"

if command -v iperf3 >/dev/null; then
        conf "rate=20000000 delay=10000" "rate=20000000 delay=10000"
        nsx h2 iperf3 -s -1 -D -I "$WORK/iperf.pid" >/dev/null 2>&1
        sleep 0.3
        nsx h1 iperf3 -c 10.9.9.2 -t 3 -J >"$WORK/iperf.json" 2>&1 || { cat "$WORK/iperf.json"; fail "iperf3 failed"; }
        bps=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"]))' "$WORK/iperf.json")
        echo "TCP over rate 20 Mbit/s, delay 10 ms each way: $((bps / 1000)) kbit/s"
        [ "$bps" -le 20400000 ] || fail "the rate limit let $bps bit/s through"
        [ "$bps" -ge 15000000 ] || fail "rate plus delay collapsed TCP to $bps bit/s"
        ok "a rate limit paces TCP, with delay, without collapsing it"
fi
sleep 1.1
grep -q "^wire l1 ab in [1-9]" "$WORK/stats" || { cat "$WORK/stats"; fail "no wire counters"; }
ok "the wire's counters are in the stats file"
echo PASS
