# lib.sh — helpers for the datapath tests: namespaces (prefix dpt-), veths,
# the engine under test (dpdrv run) and captures. Sourced by the tests; every
# object they create is removed by the EXIT trap, also on failure.
DPDRV=${1:?usage: $0 PATH/TO/dpdrv}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v ping >/dev/null || { echo "SKIP: ping not installed"; exit 77; }
TAG=${TAG:?set TAG before sourcing lib.sh}
WORK=$(mktemp -d /tmp/dpt-$TAG.XXXXXX)
NSES=""
PIDS=""

cleanup() {
        for p in $PIDS; do kill "$p" 2>/dev/null; done
        # An engine that hangs (blocked signals, a busy loop) gets SIGKILL
        # after 2 s, so a failing test still removes its namespaces.
        for i in $(seq 20); do
                alive=""
                for p in $PIDS; do kill -0 "$p" 2>/dev/null && alive=1; done
                [ -z "$alive" ] && break
                sleep 0.1
        done
        for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
        for p in $PIDS; do wait "$p" 2>/dev/null; done
        for n in $NSES; do ip netns del "$n" 2>/dev/null; done
        rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok: $*"; }

# ns NAME: creates namespace dpt-TAG-NAME with lo up
ns() {
        ip netns add "dpt-$TAG-$1" || fail "cannot create namespace dpt-$TAG-$1"
        NSES="$NSES dpt-$TAG-$1"
        ip -n "dpt-$TAG-$1" link set lo up
        # no IPv6 chatter (RS, DAD): captures see only what the test sends
        ip netns exec "dpt-$TAG-$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
                net.ipv6.conf.default.disable_ipv6=1
}
nsx() { local n=$1; shift; ip netns exec "dpt-$TAG-$n" "$@"; }
nspath() { echo "/run/netns/dpt-$TAG-$1"; }

# link NS_A IF_A NS_B IF_B [MAC_A]: a veth pair, both ends up
link() {
        ip link add "$2" netns "dpt-$TAG-$1" ${5:+address $5} type veth peer "$4" netns "dpt-$TAG-$3" ||
                fail "cannot create veth $1:$2 -- $3:$4"
        ip -n "dpt-$TAG-$1" link set "$2" up
        ip -n "dpt-$TAG-$3" link set "$4" up
}
addr() { ip -n "dpt-$TAG-$1" addr add "$3" dev "$2"; }

# engine CONF: starts dpdrv run CONF in the background, waits for its ready byte
engine() {
        "$DPDRV" run "$1" "$WORK/stats" >"$WORK/engine.out" 2>"$WORK/engine.err" &
        ENGINE_PID=$!
        PIDS="$PIDS $ENGINE_PID"
        for i in $(seq 50); do
                grep -q R "$WORK/engine.out" 2>/dev/null && return 0
                kill -0 $ENGINE_PID 2>/dev/null || break
                sleep 0.1
        done
        cat "$WORK/engine.err"
        fail "engine did not start"
}

pings() { nsx "$1" ping -c "${3:-1}" -W 1 -i 0.2 -q "$2" >/dev/null 2>&1; }
must_ping() { pings "$@" || fail "$1 cannot reach $2"; ok "$1 reaches $2"; }
must_not_ping() { pings "$@" && fail "$1 reaches $2 but must not"; ok "$1 does not reach $2"; }

# capture NS IF MS OUT: background capture; waits until it listens
capture() {
        nsx "$1" "$DPDRV" capture "$2" "$3" >"$4" &
        PIDS="$PIDS $!"
        CAP_PID=$!
        for i in $(seq 50); do
                grep -q capturing "$4" 2>/dev/null && return 0
                sleep 0.05
        done
        fail "capture on $1:$2 did not start"
}
