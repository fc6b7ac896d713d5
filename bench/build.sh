#!/bin/bash
# build.sh — benchmark of issue 2 item 13: netlab against Mininet on
# linear,N for N = 10 50 100 200 in the same run, and netlab alone on
# linear,1000. For each run: build (from the process's start until h1's first
# ping to hN is answered), teardown (from that answer until the process has
# exited AND the kernel's asynchronous namespace cleanup is over, seen with a
# sentinel namespace queued after ours), total, the Mininet/netlab ratios, and
# processes per idle node. Prints a table and one verdict line per target, and
# writes both to bench/out/build-DATE.txt.
#
# usage: bench/build.sh [--netlab PATH] [--runs K] [--no-1000] [--no-mininet] [--mn-cli]
#                       [--switch bridge|ovs] [N...]
#   N...        sizes for both tools (default: $NS, else "10 50 100 200")
#   --netlab    the binary (default: $NETLAB, else build/netlab, built with cmake if missing)
#   --runs      runs per tool and size, the table gives the median (default: $RUNS, else 3)
#   --no-1000   skip netlab's linear,1000
#   --no-mininet  netlab alone
#   --mn-cli    also time the `mn ... --test none` command line itself (see below)
#   --switch    bridge (default): netlab's switches against Mininet's LinuxBridge,
#               no controller; ovs: netlab's OVS class with the reference
#               controller (lab:controller kind ref) against Mininet's
#               `--switch ovs --controller ref`. Mininet's OVSSwitch drives the
#               machine's own Open vSwitch (its ovsdb-server and ovs-vswitchd,
#               with the openvswitch kernel module): where those do not run,
#               its side is reported as not measured (this script never starts
#               or touches the machine's OVS). For ovs, procs/node counts the
#               hosts' and switches' own processes; the lab's ovsdb-server,
#               ovs-vswitchd and controller are reported apart, per lab.
# Exits non-zero only on a real failure (a run that fails, something left
# behind); a missed target is a result, not a failure.
#
# Mininet runs through bench/build_mininet.py (Mininet's Python API, the same
# objects `mn --switch lxbr --controller none --topo linear,N` builds), so the
# first ping is timed the same way on both sides. `mn -c` is never run: on a
# shared machine it kills every ping and mnexec process, deletes /tmp/*.log and
# /tmp/*.out, every OVS bridge and every host link named *-ethN, and `mn`
# itself runs that cleanup on any exception or Ctrl-C (hence --mn-cli is
# opt-in). Instead this script removes only the Mininet objects it created.
# Labs are named bnl*; Mininet needs bridge-utils (brctl) and net-tools.

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NETLAB=${NETLAB:-}
DO1000=1
RUNS=${RUNS:-3}
DOMN=1
MNCLI=0
SWITCH=bridge
SIZES=()
while [ $# -gt 0 ]; do
        case "$1" in
        --netlab) NETLAB=$2; shift 2 ;;
        --netlab=*) NETLAB=${1#--netlab=}; shift ;;
        --no-1000) DO1000=0; shift ;;
        --no-mininet) DOMN=0; shift ;;
        --mn-cli) MNCLI=1; shift ;;
        --switch) SWITCH=$2; shift 2 ;;
        --switch=*) SWITCH=${1#--switch=}; shift ;;
        --runs) RUNS=$2; shift 2 ;;
        --runs=*) RUNS=${1#--runs=}; shift ;;
        -h | --help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
        [0-9]*) SIZES+=("$1"); shift ;;
        *) echo "build.sh: unknown argument \"$1\" (--help)" >&2; exit 2 ;;
        esac
done
[ ${#SIZES[@]} -eq 0 ] && read -ra SIZES <<<"${NS:-10 50 100 200}"
for n in "${SIZES[@]}"; do
        [[ $n =~ ^[0-9]+$ && $n -ge 2 ]] || { echo "build.sh: bad size \"$n\"" >&2; exit 2; }
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "build.sh: bad --runs \"$RUNS\"" >&2; exit 2; }
case "$SWITCH" in bridge | ovs) ;; *) echo "build.sh: --switch bridge or ovs, not \"$SWITCH\"" >&2; exit 2 ;; esac
mapfile -t SIZES < <(printf '%s\n' "${SIZES[@]}" | sort -n -u)

[ "$(id -u)" = 0 ] || { echo "build.sh: needs root (namespaces, bridges)" >&2; exit 77; }
if [ -z "$NETLAB" ]; then
        NETLAB=$ROOT/build/netlab
        if [ ! -x "$NETLAB" ]; then
                echo "build.sh: building $NETLAB" >&2
                cmake -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=Release >/dev/null &&
                        cmake --build "$ROOT/build" --target netlab -j"$(nproc)" >/dev/null ||
                        { echo "build.sh: cannot build netlab" >&2; exit 1; }
        fi
fi
[ -x "$NETLAB" ] || { echo "build.sh: no netlab binary at $NETLAB" >&2; exit 1; }
PY=/usr/bin/python3 # Debian's python3, the one with the mininet package
MN_SKIP="" # why Mininet's side is not measured, when it is not
ovs_kmod() { [ -e /sys/module/openvswitch ] && echo "openvswitch module loaded" || echo "no openvswitch kernel module"; }
if [ "$SWITCH" = ovs ]; then
        PATH=$PATH:/usr/sbin command -v ovs-vswitchd >/dev/null && command -v ovs-testcontroller >/dev/null || {
                echo "build.sh: --switch ovs needs Open vSwitch: apt-get install -y openvswitch-switch openvswitch-testcontroller" >&2
                exit 1
        }
        # Mininet's OVSSwitch talks to the machine's own OVS (default
        # database socket) and its kernel datapath: never started here.
        if [ "$DOMN" = 1 ]; then
                if ! ovs-vsctl --timeout=2 show >/dev/null 2>&1; then
                        MN_SKIP="Mininet's --switch ovs needs the machine's own Open vSwitch (ovsdb-server and ovs-vswitchd at /var/run/openvswitch) and the openvswitch kernel module; neither runs here ($(ovs_kmod)), and this benchmark does not start the machine's OVS"
                elif [ ! -e /sys/module/openvswitch ]; then
                        MN_SKIP="Mininet's --switch ovs needs the openvswitch kernel module (its bridges use the kernel datapath); this kernel has none loaded"
                fi
                [ -n "$MN_SKIP" ] && DOMN=0
        fi
fi
if [ "$DOMN" = 1 ]; then
        missing=""
        "$PY" -c 'import mininet' 2>/dev/null || missing+=" mininet"
        command -v brctl >/dev/null || missing+=" bridge-utils"
        command -v ifconfig >/dev/null || missing+=" net-tools"
        command -v ping >/dev/null || missing+=" iputils-ping"
        if [ -n "$missing" ]; then
                echo "build.sh: Mininet needs:$missing (apt-get install -y$missing)" >&2
                exit 1
        fi
fi

W=$(mktemp -d /tmp/bnl-bench.XXXXXX)
OUTDIR=$ROOT/bench/out
mkdir -p "$OUTDIR"
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=$OUTDIR/build-$STAMP.txt
LOGF=$OUTDIR/build-$STAMP.log # every run's output, netlab's timestamped stages
CUR_LAB="" # a netlab lab that may be up
CUR_PID="" # a child to stop on exit
MN_NEW=""  # host links a Mininet run created that may still exist
FAIL=0

cleanup() {
        local i
        if [ -n "$CUR_PID" ] && kill "$CUR_PID" 2>/dev/null; then
                # Mininet's net.stop() takes ~25 s on linear,200: let it finish
                for ((i = 0; i < 1200; i++)); do
                        kill -0 "$CUR_PID" 2>/dev/null || break
                        sleep 0.1
                done
        fi
        [ -n "$CUR_LAB" ] && "$NETLAB" clean --force "$CUR_LAB" >/dev/null 2>&1
        mn_remove_own
        sentinel_remove
        rm -rf "$W"
}
trap cleanup EXIT
trap 'trap "" INT TERM HUP; exit 130' INT TERM HUP

log() { printf '%s\n' "$*" >&2; }
err() { printf 'build.sh: %s\n' "$*" >&2; FAIL=1; }
us() { local t=${EPOCHREALTIME/./}; echo $((10#$t)); } # microseconds, no fork
fmt() { printf '%d.%03d' $(($1 / 1000000)) $((($1 % 1000000) / 1000)); }

# Active net_namespace objects, read without forking (this loop polls it).
slab() {
        local name active rest
        while read -r name active rest; do
                [ "$name" = net_namespace ] && { echo "$active"; return; }
        done </proc/slabinfo
        echo 0
}

# Waits until the kernel is quiet, so that the asynchronous cleanup of a
# previous run (ours or another user's) does not slow the next measurement:
# first the backlog of dying namespaces is gone (a sentinel, below, deleted
# now has been cleaned up: the net_namespace slab count alone cannot tell, it
# stays still while a batch of thousands is being dismantled), then the
# net_namespace count has not changed for 2 s (at most 60 s).
quiet() {
        local last cur since t start
        if sentinel_prepare; then
                kernel_wait
                [ -n "$KFLAG" ] && log "  (the kernel's namespace cleanup still busy after 120 s)"
        fi
        start=$(us) last=$(slab) since=$start
        while :; do
                sleep 0.2
                cur=$(slab) t=$(us)
                [ "$cur" != "$last" ] && { last=$cur since=$t; }
                [ $((t - since)) -ge 2000000 ] && return 0
                if [ $((t - start)) -ge 60000000 ]; then
                        log "  (kernel not quiet after 60 s: net_namespace count still moving)"
                        return 0
                fi
        done
}

# The kernel frees namespaces asynchronously, in batches, on one ordered
# workqueue (cleanup_net), so the end of our namespaces' cleanup is seen with a
# sentinel: an empty namespace holding one end of a veth pair whose other end
# (bnlsentPID) is in the host's. It is made before a run and deleted once the
# tool has exited, so the kernel queues it after everything of ours; when its
# batch unregisters the veth the host's end vanishes, and every earlier batch
# (all of ours, or the same batch up to its devices) is over. The slab count
# of net_namespace is too coarse for this (SLUB's per-CPU slabs hide up to a
# few dozen objects) and moves with other users' namespaces.
SENT=bnlsent$$
sentinel_prepare() {
        sentinel_remove
        ip netns add "$SENT" && ip link add "$SENT" type veth peer name s0 netns "$SENT" ||
                { err "cannot make the sentinel namespace $SENT"; return 1; }
}
sentinel_remove() {
        ip netns del "$SENT" 2>/dev/null
        [ -e "/sys/class/net/$SENT" ] && ip link del "$SENT" 2>/dev/null
        return 0
}
# Deletes the sentinel and waits (at most 120 s) for its veth to vanish.
# Sets KDONE (µs) and KFLAG (">" when the wait gave up).
kernel_wait() {
        local start t
        KFLAG=""
        ip netns del "$SENT"
        start=$(us)
        while [ -e "/sys/class/net/$SENT" ]; do
                t=$(us)
                if [ $((t - start)) -ge 120000000 ]; then
                        KDONE=$t KFLAG=">"
                        ip link del "$SENT" 2>/dev/null
                        return
                fi
                sleep 0.01
        done
        KDONE=$(us)
}

host_links() { ip -o link show | awk -F': ' '{sub(/@.*/, "", $2); print $2}' | sort; }

# netlab's side ------------------------------------------------------------

lab_file() { # NAME N FILE
        local ovs=""
        [ "$SWITCH" = ovs ] && ovs='lab:defaults({ switch_class = "ovs" })
lab:controller("c0", { kind = "ref" })'
        cat >"$3" <<EOF
local lab = netlab.lab("$1")
$ovs
netlab.topo.linear(lab, $2)
experiment("first ping", function()
  -- through a learning controller the first packet waits for a flow at each
  -- hop: a lost first try is tried again (60 s at most)
  local t0, ok = netlab.now(), false
  repeat ok = lab:node("h1"):ping(lab:node("h$2"), { count = 1, timeout = 3 })
  until ok or $([ "$SWITCH" = ovs ] && echo "netlab.now() - t0 > 60" || echo true)
  check(ok, "h1 reaches h$2")
end)
EOF
}

# Leftovers of lab NAME: namespaces, run directory, new host links.
leftovers() { # NAME LINKS_BEFORE_FILE
        local left
        left=$(ip netns list 2>/dev/null | awk '{print $1}' | grep -c "^$1\\.")
        [ "$left" -gt 0 ] && { err "$1: $left namespaces left"; return 1; }
        [ -e "/run/netlab/$1" ] && { err "$1: /run/netlab/$1 left"; return 1; }
        left=$(host_links | comm -13 "$2" - | tr '\n' ' ')
        [ -n "$left" ] && log "  note: new host links since the run (another user's?): $left"
        return 0
}

# One timed run of netlab on linear,N; sets R_BUILD R_TEAR R_TOTAL R_EXIT R_FLAG R_UP.
netlab_run() { # NAME N
        local name=$1 n=$2 f=$W/$1.lua line t0 tpass="" texit="" rc=""
        lab_file "$name" "$n" "$f"
        host_links >"$W/links"
        quiet
        sentinel_prepare || return 1
        CUR_LAB=$name
        : >"$W/$name.out"
        t0=$(us)
        exec 3< <(NETLAB_PROGRESS=1 exec "$NETLAB" run "$f" 2>"$W/$name.err")
        CUR_PID=$!
        while IFS= read -r -u3 line; do
                case "$line" in
                "  PASS  h1 reaches h$n") tpass=$(us) ;;
                esac
                printf '%s\n' "$line" >>"$W/$name.out"
        done
        exec 3<&-
        wait "$CUR_PID"
        rc=$? texit=$(us) CUR_PID=""
        { echo "== netlab linear,$n ($name) exit $rc, PASS at $([ -n "$tpass" ] && fmt $((tpass - t0))) s"
          cat "$W/$name.out" "$W/$name.err"; } >>"$LOGF"
        if [ "$rc" != 0 ] || [ -z "$tpass" ]; then
                err "netlab run of linear,$n failed (exit $rc):"
                cat "$W/$name.out" "$W/$name.err" >&2
                "$NETLAB" clean "$name" >/dev/null 2>&1
                CUR_LAB=""
                sentinel_remove
                return 1
        fi
        kernel_wait
        CUR_LAB=""
        R_BUILD=$((tpass - t0)) R_TEAR=$((KDONE - tpass)) R_TOTAL=$((KDONE - t0))
        R_EXIT=$((texit - tpass)) R_FLAG=$KFLAG
        R_UP=$(awk '$4 == "up" {print $2}' "$W/$name.err")
        leftovers "$name" "$W/links" || return 1
        return 0
}

# Processes in the namespaces of lab NAME while it is up and idle (after
# `netlab run --keep`), per node; sets R_PROCS.
netlab_procs() { # NAME N
        local name=$1 n=$2 f=$W/$1.lua inodes procs nodes
        quiet
        CUR_LAB=$name
        if ! "$NETLAB" run "$f" --keep >"$W/$name.keep" 2>&1; then
                err "netlab run --keep of linear,$n failed:"
                cat "$W/$name.keep" >&2
                "$NETLAB" clean "$name" >/dev/null 2>&1
                CUR_LAB=""
                return 1
        fi
        # The nodes' namespaces (not LAB._ovs, the lab's OVS: its daemons are
        # counted apart, once per lab; OVS switches share it as their net).
        inodes=$(ip netns list 2>/dev/null | awk -v p="$name." 'index($1, p) == 1 && $1 != p "_ovs" {print "/run/netns/" $1}' |
                xargs -r stat -L -c 'net:[%i]' | sort -u)
        local ovsino=""
        [ "$SWITCH" = ovs ] && ovsino=$(stat -L -c 'net:[%i]' "/run/netns/$name._ovs" 2>/dev/null)
        nodes=$(ip netns list 2>/dev/null | awk -v p="$name." 'index($1, p) == 1 && $1 != p "_ovs"' | grep -c .)
        procs=$(find /proc -mindepth 3 -maxdepth 3 -path '/proc/[0-9]*/ns/net' -printf '%l\n' 2>/dev/null |
                grep -xF -f <(printf '%s\n' "$inodes") | grep -cvxF "${ovsino:-none}")
        [ -n "$ovsino" ] && R_OVSD=$(find /proc -mindepth 3 -maxdepth 3 -path '/proc/[0-9]*/ns/net' -printf '%l\n' 2>/dev/null |
                grep -cxF "$ovsino")
        if ! "$NETLAB" clean "$name" >"$W/$name.clean" 2>&1; then
                err "netlab clean $name failed:"
                cat "$W/$name.clean" >&2
        fi
        CUR_LAB=""
        [ "$nodes" -eq $((2 * n)) ] || { err "$name: $nodes namespaces up, expected $((2 * n))"; return 1; }
        R_PROCS=$(awk -v p="$procs" -v n="$nodes" 'BEGIN {printf "%.2f", p / n}')
        quiet
        leftovers "$name" "$W/links" || return 1
}

# Mininet's side -----------------------------------------------------------

# Removes only host links that a Mininet run of ours created and left.
mn_remove_own() {
        local l
        for l in $MN_NEW; do
                [ -e "/sys/class/net/$l" ] && ip link del "$l" 2>/dev/null
        done
        MN_NEW=""
}

# One run of Mininet on linear,N; sets R_BUILD R_TEAR R_TOTAL R_EXIT R_FLAG R_PROCS.
mininet_run() { # N
        local n=$1 line t0 tping="" tstop="" texit="" rc procs=""
        local clash names i
        host_links >"$W/links"
        # the host links Mininet makes for linear,N: bridges sI, ports sI-ethJ
        names=$(for ((i = 1; i <= n; i++)); do echo "s$i s$i-eth1 s$i-eth2 s$i-eth3"; done)
        clash=$(host_links | grep -xF -f <(printf '%s\n' $names) | tr '\n' ' ')
        if [ -n "$clash" ]; then
                err "Mininet linear,$n not run: host links with its names exist: $clash"
                return 1
        fi
        quiet
        sentinel_prepare || return 1
        t0=$(us)
        MN_NEW=$names
        : >"$W/mn$n.out"
        exec 3< <(exec "$PY" -u "$ROOT/bench/build_mininet.py" "$n" $([ "$SWITCH" = ovs ] && echo ovs) 2>"$W/mn$n.err")
        CUR_PID=$!
        while IFS= read -r -u3 line; do
                case "$line" in
                "BNL PING_OK") tping=$(us) ;;
                "BNL PROCS "*) procs=${line#BNL PROCS } ;;
                "BNL STOP_BEGIN") tstop=$(us) ;;
                esac
                printf '%s\n' "$line" >>"$W/mn$n.out"
        done
        exec 3<&-
        wait "$CUR_PID"
        rc=$? texit=$(us) CUR_PID=""
        { echo "== Mininet linear,$n exit $rc, PING_OK at $([ -n "$tping" ] && fmt $((tping - t0))) s"
          cat "$W/mn$n.out" "$W/mn$n.err"; } >>"$LOGF"
        if [ "$rc" != 0 ] || [ -z "$tping" ] || [ -z "$tstop" ]; then
                err "Mininet linear,$n failed (exit $rc):"
                cat "$W/mn$n.out" "$W/mn$n.err" >&2
                mn_remove_own
                sentinel_remove
                return 1
        fi
        kernel_wait
        R_BUILD=$((tping - t0)) R_TEAR=$((KDONE - tstop)) R_TOTAL=$((R_BUILD + R_TEAR))
        R_EXIT=$((texit - tstop)) R_FLAG=$KFLAG
        # PROCS = processes below the Python process, nodes
        R_PROCS=$(awk -v p="${procs% *}" -v n="${procs#* }" 'BEGIN {printf "%.2f", p / n}')
        local left
        left=$(host_links | comm -13 "$W/links" - | grep -xF -f <(printf '%s\n' $MN_NEW) | tr '\n' ' ')
        [ -n "$left" ] && { err "Mininet linear,$n left host links: $left"; mn_remove_own; return 1; }
        MN_NEW=""
        return 0
}

# `mn ... --test none` itself: until "*** Stopping" (build+start) and exit.
mn_cli() { # N
        local n=$1 t0 line tstop=""
        quiet
        sentinel_prepare || return 1
        t0=$(us)
        exec 3< <(exec mn --switch lxbr --controller none --topo "linear,$n" --test none 2>&1)
        CUR_PID=$!
        while IFS= read -r -u3 line; do
                case "$line" in "*** Stopping"*) [ -z "$tstop" ] && tstop=$(us) ;; esac
        done
        exec 3<&-
        wait "$CUR_PID"
        local rc=$? texit
        texit=$(us) CUR_PID=""
        [ "$rc" = 0 ] && [ -n "$tstop" ] || { err "mn linear,$n failed (exit $rc)"; sentinel_remove; return 1; }
        kernel_wait
        CLI_NOTE+="  mn --topo linear,$n --test none: build+start $(fmt $((tstop - t0))) s, exit $(fmt $((texit - t0))) s, kernel done $(fmt $((KDONE - t0)))$KFLAG s"$'\n'
}

# The runs -----------------------------------------------------------------

declare -A NB NT NTOT NX NF NP NU NR MB MT MTOT MX MF MP MR
CLI_NOTE=""
START_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
START_NS=$(ip netns list 2>/dev/null | wc -l)

log "netlab: $NETLAB"
log "warm-up: netlab linear,10 (not counted)"
netlab_run bnlw10 10 || exit 1

ALLN=("${SIZES[@]}")
in_sizes() { printf '%s\n' "${SIZES[@]}" | grep -qx "$1"; }
[ "$DO1000" = 1 ] && ! in_sizes 1000 && ALLN+=(1000)
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
for n in "${ALLN[@]}"; do
        b=() t=() tot=() x=() flag="" runs=""
        for ((r = 1; r <= RUNS; r++)); do
                log "netlab linear,$n (run $r/$RUNS)"
                netlab_run "bnl$n" "$n" || continue
                b+=("$R_BUILD") t+=("$R_TEAR") tot+=("$R_TOTAL") x+=("$R_EXIT")
                flag+=$R_FLAG NU[$n]=$R_UP
                runs+=" $(fmt "$R_BUILD")/$(fmt "$R_TEAR")$R_FLAG"
                log "  build $(fmt "$R_BUILD") s, teardown $(fmt "$R_TEAR")$R_FLAG s"
        done
        if [ ${#b[@]} -gt 0 ]; then
                NB[$n]=$(med "${b[@]}") NT[$n]=$(med "${t[@]}") NTOT[$n]=$(med "${tot[@]}")
                NX[$n]=$(med "${x[@]}") NF[$n]=${flag:0:1} NR[$n]=$runs
                netlab_procs "bnl$n" "$n" && NP[$n]=$R_PROCS
        fi
        if [ "$DOMN" = 1 ] && in_sizes "$n"; then
                b=() t=() tot=() x=() flag="" runs=""
                for ((r = 1; r <= RUNS; r++)); do
                        log "Mininet linear,$n (run $r/$RUNS)"
                        mininet_run "$n" || continue
                        b+=("$R_BUILD") t+=("$R_TEAR") tot+=("$R_TOTAL") x+=("$R_EXIT")
                        flag+=$R_FLAG MP[$n]=$R_PROCS
                        runs+=" $(fmt "$R_BUILD")/$(fmt "$R_TEAR")$R_FLAG"
                        log "  build $(fmt "$R_BUILD") s, teardown $(fmt "$R_TEAR")$R_FLAG s"
                done
                if [ ${#b[@]} -gt 0 ]; then
                        MB[$n]=$(med "${b[@]}") MT[$n]=$(med "${t[@]}") MTOT[$n]=$(med "${tot[@]}")
                        MX[$n]=$(med "${x[@]}") MF[$n]=${flag:0:1} MR[$n]=$runs
                fi
                [ "$MNCLI" = 1 ] && mn_cli "$n"
        fi
done

# The table ----------------------------------------------------------------

ratio() { # MININET NETLAB
        [ -n "$1" ] && [ -n "$2" ] && [ "$2" -gt 0 ] || { echo "-"; return; }
        awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1fx", a / b}'
}
sec() { [ -n "$1" ] && echo "$(fmt "$1")${2:-}" || echo "-"; }
{
        if [ "$SWITCH" = ovs ]; then
                echo "netlab build benchmark: linear,N, netlab's OVS switches (the lab's own ovsdb-server and ovs-vswitchd, $(PATH=$PATH:/usr/sbin ovs-vswitchd --version | head -1 | awk '{print $NF}'), reference controller) vs Mininet --switch ovs --controller ref"
                echo "OVS datapath: $([ -e /sys/module/openvswitch ] && echo kernel || echo "userspace (netdev): $(ovs_kmod)"); the lab's OVS daemons and controller: ${R_OVSD:-?} processes per lab (not per node)"
                [ -n "$MN_SKIP" ] && echo "Mininet: not measured: $MN_SKIP"
        else
                echo "netlab build benchmark: linear,N, netlab vs Mininet $(dpkg-query -W -f='${Version}' mininet 2>/dev/null) (LinuxBridge, no controller)"
        fi
        echo "$(date -Is), $(uname -r), $(nproc) CPUs; load $START_LOAD at start, $(cut -d' ' -f1-3 /proc/loadavg) at end;" \
                "$START_NS foreign namespaces at start"
        echo "build = process start to h1's first ping answer from hN; teardown = from then until exit and the kernel freed the namespaces"
        echo "median of $RUNS runs each; kernel quiet before each run (no namespace-cleanup backlog, net_namespace slab count still for 2 s); busy machine: see the load"
        echo
        printf '%-8s %5s %9s %11s %9s %8s %8s %10s\n' tool N "build s" "teardown s" "total s" "build x" "total x" "procs/node"
        for n in "${ALLN[@]}"; do
                printf '%-8s %5s %9s %11s %9s %8s %8s %10s\n' netlab "$n" "$(sec "${NB[$n]:-}")" \
                        "$(sec "${NT[$n]:-}" "${NF[$n]:-}")" "$(sec "${NTOT[$n]:-}" "${NF[$n]:-}")" \
                        "$(ratio "${MB[$n]:-}" "${NB[$n]:-}")" "$(ratio "${MTOT[$n]:-}" "${NTOT[$n]:-}")" "${NP[$n]:--}"
                [ -n "${MB[$n]:-}" ] &&
                        printf '%-8s %5s %9s %11s %9s %8s %8s %10s\n' mininet "$n" "$(sec "${MB[$n]}")" \
                                "$(sec "${MT[$n]}" "${MF[$n]}")" "$(sec "${MTOT[$n]}" "${MF[$n]}")" "" "" "${MP[$n]}"
        done
        echo "(> = the kernel's cleanup was not over after 120 s; ratios = Mininet / netlab on the medians)"
        echo
        for n in "${ALLN[@]}"; do
                [ -n "${NB[$n]:-}" ] && echo "  netlab linear,$n: build/teardown s per run:${NR[$n]}; last run 'up' at ${NU[$n]} s (its own clock); exits $(fmt "${NX[$n]}") s after the ping"
                [ -n "${MB[$n]:-}" ] && echo "  Mininet linear,$n: build/teardown s per run:${MR[$n]}; exits $(fmt "${MX[$n]}") s after net.stop() begins"
        done
        printf '%s' "$CLI_NOTE"
        echo
        verdict() { # LABEL OK DETAIL
                printf '%-4s %s (%s)\n' "$([ "$2" = 1 ] && echo PASS || echo MISS)" "$1" "$3"
        }
        if [ -n "${NB[200]:-}" ] && [ -n "${MB[200]:-}" ]; then
                r=$(ratio "${MB[200]}" "${NB[200]}")
                verdict "build linear,200 >= 20x faster than Mininet" "$(awk -v r="${r%x}" 'BEGIN {print (r >= 20)}')" "$r"
                r=$(ratio "${MTOT[200]}" "${NTOT[200]}")
                verdict "total linear,200 >= 6x faster than Mininet" "$(awk -v r="${r%x}" 'BEGIN {print (r >= 6)}')" "$r"
        else
                echo "---- linear,200 vs Mininet: not measured"
        fi
        if [ -n "${NB[1000]:-}" ]; then
                verdict "linear,1000 built and pinging end to end < 5 s" "$([ "${NB[1000]}" -lt 5000000 ] && echo 1)" "$(fmt "${NB[1000]}") s"
        else
                echo "---- linear,1000: not measured"
        fi
        maxp=$(printf '%s\n' "${NP[@]:-}" | sort -g | tail -1)
        verdict "0 processes per idle netlab node" "$(awk -v p="${maxp:-x}" 'BEGIN {print (p == "0.00")}')" "max ${maxp:--}"
        [ "$FAIL" = 1 ] && echo "(some runs failed: see the messages above)"
} | tee "$OUT"
log "written to $OUT (every run's output in $LOGF)"
exit "$FAIL"
