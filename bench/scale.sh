#!/bin/bash
# scale.sh — issue 16's table: what a lab of thousands of nodes costs.
#
# For each case (default: linear and tree at about 1k, 2k, 5k and 10k nodes,
# and star,1000: one bridge with 1000 ports) it prints one row:
#   build    from `netlab run --keep` starting until the first end-to-end
#            ping is answered (h1 to the farthest host), and that per node;
#   kmem     MemAvailable before the run minus MemAvailable once pinging,
#            less netlab's own RSS, per node (the kernel's share: namespaces,
#            veths, bridges; noisy on a shared machine);
#   rss/fds  the building netlab's VmHWM and open descriptors once built;
#   console  `netlab attach` on the kept lab (NETLAB_UI_TIMING=1 in a private
#            tmux at 200x60): seconds until the graph shows, the first draw's
#            ms, the median and worst redraw while panning (H L J K, PgDn,
#            End in the graph pane), and the console's open descriptors;
#   teardown from `netlab down` until the kernel has finished: a sentinel
#            namespace queued after the lab's is seen gone (the kernel cleans
#            namespaces in order);
#   load     the 1-minute load average when the row started (other labs on
#            the machine make every number worse).
# Then the ratio of per-node build cost at the largest size to the smallest,
# per topology (issue 16's target: at most 1.5).
#
# usage: bench/scale.sh [--netlab PATH] [--no-console] [CASE...]
#   CASE is linear:NODES, tree:NODES or star:HOSTS (default: the issue's set)
#   linear:N builds topo.linear(N/2) (N nodes); tree:N the binary tree with
#   the largest depth whose node count is at most about N (1023, 2047, 4095,
#   8191 for 1k, 2k, 5k, 10k); star:N is topo.star(N), N+1 nodes.
# Writes the table to bench/out/scale-DATE.txt too. Labs are named bsc<pid>*;
# everything is removed on exit, even after Ctrl-C.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NETLAB=${NETLAB:-$ROOT/build/netlab}
CONSOLE=1
CASES=()
while [ $# -gt 0 ]; do
        case "$1" in
        --netlab) NETLAB=$2; shift 2 ;;
        --netlab=*) NETLAB=${1#--netlab=}; shift ;;
        --no-console) CONSOLE=0; shift ;;
        -h | --help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
        linear:[0-9]* | tree:[0-9]* | star:[0-9]*) CASES+=("$1"); shift ;;
        *) echo "scale.sh: unknown argument \"$1\" (--help)" >&2; exit 2 ;;
        esac
done
[ ${#CASES[@]} -eq 0 ] && CASES=(linear:1000 linear:2000 linear:5000 linear:10000
        tree:1000 tree:2000 tree:5000 tree:10000 star:1000)
[ "$(id -u)" = 0 ] || { echo "scale.sh: needs root (namespaces)" >&2; exit 77; }
[ -x "$NETLAB" ] || { echo "scale.sh: no netlab binary at $NETLAB (cmake --build build)" >&2; exit 1; }
command -v tmux >/dev/null || CONSOLE=0

W=$(mktemp -d /tmp/bsc-bench.XXXXXX)
export HOME=$W XDG_STATE_HOME=$W/state
OUTDIR=$ROOT/bench/out
mkdir -p "$OUTDIR"
OUT=$OUTDIR/scale-$(date +%Y%m%d-%H%M%S).txt
SOCK=bsc$$
SENT=bscsent$$
CUR_LAB=""
FAIL=0

sentinel_remove() {
        ip netns del "$SENT" 2>/dev/null
        [ -e "/sys/class/net/$SENT" ] && ip link del "$SENT" 2>/dev/null
        return 0
}
cleanup() {
        tmux -L "$SOCK" kill-server 2>/dev/null
        [ -n "$CUR_LAB" ] && "$NETLAB" down "$CUR_LAB" >/dev/null 2>&1
        [ -n "$CUR_LAB" ] && "$NETLAB" clean --force "$CUR_LAB" >/dev/null 2>&1
        sentinel_remove
        rm -rf "$W"
}
trap cleanup EXIT
trap 'trap "" INT TERM HUP; exit 130' INT TERM HUP

log() { printf '%s\n' "$*" >&2; }
err() { printf 'scale.sh: %s\n' "$*" >&2; FAIL=1; }
us() { local t=${EPOCHREALTIME/./}; echo $((10#$t)); }
memavail() { awk '/^MemAvailable:/ {print $2}' /proc/meminfo; }
load1() { cut -d' ' -f1 /proc/loadavg; }

sentinel_prepare() {
        sentinel_remove
        ip netns add "$SENT" && ip link add "$SENT" type veth peer name s0 netns "$SENT"
}
# Deletes the sentinel and waits until the kernel has cleaned it up, which it
# does after every namespace deleted before it; prints the time it was seen gone.
kernel_wait() {
        local start
        ip netns del "$SENT"
        start=$(us)
        while [ -e "/sys/class/net/$SENT" ]; do
                [ $(($(us) - start)) -ge 300000000 ] && { ip link del "$SENT" 2>/dev/null; break; }
                sleep 0.01
        done
        us
}

# The lab file of a case: NAME TOPO N FILE; sets NODES and the ping's ends.
lab_file() {
        local name=$1 topo=$2 n=$3 f=$4 gen depth=1 last
        case $topo in
        linear) gen="netlab.topo.linear(lab, $((n / 2)))" NODES=$(((n / 2) * 2)) last=h$((n / 2)) ;;
        star) gen="netlab.topo.star(lab, $n)" NODES=$((n + 1)) last=h$n ;;
        tree)
                while [ $(((1 << (depth + 2)) - 1)) -le $((n * 5 / 4)) ]; do depth=$((depth + 1)); done
                gen="netlab.topo.tree(lab, $depth, 2)" NODES=$(((1 << (depth + 1)) - 1)) last=h$((1 << depth))
                ;;
        esac
        SHAPE="$topo,$NODES"
        cat >"$f" <<EOF
local lab = netlab.lab("$name")
$gen
experiment("scale", function()
  local ok = lab:node("h1"):ping(lab:node("$last"), { count = 1, timeout = 5 })
  check(ok, "h1 reaches $last")
  local p = io.popen("awk '/^VmHWM:/ {print \$2}' /proc/\$PPID/status; ls /proc/\$PPID/fd | wc -l")
  local hwm, fds = p:read("n", "n")
  p:close()
  print(("SCALE hwm %d fds %d"):format(hwm, fds - 1)) -- less the pipe
end)
EOF
}

console_pid() { # LAB: the process serving the lab's console
        local p
        for p in $(pgrep -x netlab); do
                { tr "\0" " " <"/proc/$p/cmdline"; } 2>/dev/null | grep -q -- "$1" || continue
                grep -qa NETLAB_UI_TIMING "/proc/$p/environ" 2>/dev/null || continue
                [ "$(readlink "/proc/$p/fd/0" 2>/dev/null)" = /dev/null ] || [ -z "$(pgrep -P "$p" -x netlab)" ] || continue
                echo "$p"
        done | tail -1
}

# Attaches a console to the kept lab and sets C_OPEN C_FIRST C_MED C_MAX C_FDS.
console_run() { # LAB
        local lab=$1 t0 i pid logf=$W/state/netlab/console.log
        C_OPEN=- C_FIRST=- C_MED=- C_MAX=- C_FDS=-
        rm -f "$logf"
        t0=$(us)
        tmux -u -L "$SOCK" -f /dev/null new-session -d -s b -x 200 -y 60 \
                "env LANG=C.UTF-8 NETLAB_UI_TIMING=1 $NETLAB attach $lab; sleep 600"
        for ((i = 0; i < 3000; i++)); do
                tmux -L "$SOCK" capture-pane -p -t b 2>/dev/null | grep -q "inspector: " && break
                sleep 0.1
        done
        [ $i -ge 3000 ] && { err "$lab: the console did not show the graph in 300 s"; tmux -L "$SOCK" kill-server; return 1; }
        C_OPEN=$(awk -v a="$t0" -v b="$(us)" 'BEGIN {printf "%.1f", (b - a) / 1e6}')
        sleep 1
        C_FIRST=$(awk '/ redraw / {print $4; exit}' "$logf" 2>/dev/null)
        pid=$(console_pid "$lab")
        [ -n "$pid" ] && C_FDS=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
        local n0
        tmux -L "$SOCK" send-keys -t b C-b g # the graph pane takes the keys
        sleep 0.5
        n0=$(grep -c ' redraw ' "$logf")
        for k in L L L L J J J H H K K L J NPage NPage End; do
                tmux -L "$SOCK" send-keys -t b "$k"
                sleep 0.3
        done
        sleep 0.5
        read -r C_MED C_MAX < <(awk -v n0="$n0" '/ redraw / && ++i > n0 {print $4}' "$logf" | sort -n |
                awk '{v[NR] = $1} END {if (NR) printf "%s %s\n", v[int((NR + 1) / 2)], v[NR]; else print "- -"}')
        tmux -L "$SOCK" kill-server 2>/dev/null # detaches; the lab stays up
        return 0
}

row() { # TOPO N
        local topo=$1 n=$2 name=bsc$$${1:0:1}$2 f line t0 tpass="" rc m0 m1 hwm="" fds="" tdown tdone load
        f=$W/$name.lua
        lab_file "$name" "$topo" "$n" "$f"
        log "== $SHAPE ($name)"
        sentinel_prepare || { err "cannot make the sentinel namespace"; return 1; }
        sleep 2
        load=$(load1) m0=$(memavail)
        CUR_LAB=$name
        t0=$(us)
        while IFS= read -r line; do
                case "$line" in
                "  PASS  "*) tpass=$(us) m1=$(memavail) ;;
                "SCALE hwm "*) read -r _ _ hwm _ fds <<<"$line" ;;
                esac
                printf '%s\n' "$line" >>"$W/$name.out"
        done < <("$NETLAB" run "$f" --keep 2>"$W/$name.err")
        if [ -z "$tpass" ] || [ -z "$hwm" ]; then
                err "$SHAPE: the lab did not come up and ping:"
                cat "$W/$name.out" "$W/$name.err" >&2
                "$NETLAB" clean --force "$name" >/dev/null 2>&1
                CUR_LAB=""
                sentinel_remove
                return 1
        fi
        C_OPEN=- C_FIRST=- C_MED=- C_MAX=- C_FDS=-
        [ "$CONSOLE" = 1 ] && console_run "$name"
        tdown=$(us)
        "$NETLAB" down "$name" >"$W/$name.down" 2>&1 || { err "$name: netlab down failed"; cat "$W/$name.down" >&2; }
        tdone=$(kernel_wait)
        CUR_LAB=""
        [ -e "/run/netlab/$name" ] && err "$name: /run/netlab/$name left"
        [ "$(ip netns list 2>/dev/null | grep -c "^$name\.")" -eq 0 ] || err "$name: namespaces left"
        awk -v shape="$SHAPE" -v nodes="$NODES" -v b=$((tpass - t0)) -v m=$((m0 - m1)) -v hwm="$hwm" \
                -v fds="$fds" -v co="$C_OPEN" -v cf="$C_FIRST" -v cm="$C_MED" -v cx="$C_MAX" -v cfd="$C_FDS" \
                -v td=$((tdone - tdown)) -v load="$load" 'BEGIN {
                k = (m - hwm) / nodes; if (k < 0) k = 0
                printf "%-13s %6d %8.2f %7.2f %7.0f %7.1f %5d %6s %7s %7s %7s %5s %8.2f %5s\n", shape, nodes,
                        b / 1e6, b / 1e3 / nodes, k, hwm / 1024, fds, co, cf, cm, cx, cfd, td / 1e6, load
        }' | tee -a "$OUT"
}

{
        echo "# bench/scale.sh on $(uname -r), $(nproc) cores, $(git -C "$ROOT" describe --always --dirty 2>/dev/null), $(date -u '+%F %T UTC')"
        printf '%-13s %6s %8s %7s %7s %7s %5s %6s %7s %7s %7s %5s %8s %5s\n' case nodes build_s ms/node \
                kKB/node rssMB fds con_s draw_ms pan_med pan_max c_fds down_s load
} | tee "$OUT"
for c in "${CASES[@]}"; do
        row "${c%%:*}" "${c#*:}"
done
awk 'NR > 2 {split($1, a, ","); t = a[1]; if (!(t in lo) || $2 < lon[t]) {lo[t] = $4; lon[t] = $2}
        if (!(t in hi) || $2 > hin[t]) {hi[t] = $4; hin[t] = $2}}
        END {for (t in lo) if (hin[t] > lon[t]) printf "%s: per-node build cost at %d nodes is %.2fx that at %d (target <= 1.5)\n",
                t, hin[t], hi[t] / lo[t], lon[t]}' "$OUT" | tee -a "$OUT"
log "table in $OUT"
exit $FAIL
