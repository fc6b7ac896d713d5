# lib.sh — shared helpers of the core's shell tests (tests/lua, tests/netns).
# Every test makes its own lab names (prefix "t" + a word + $$), cleans them
# up with `netlab clean` in a trap, and checks the kernel's state itself.
set -u

NETLAB=${NETLAB:?set NETLAB to the netlab binary}
SRC=${SRC:?set SRC to the source tree}
fails=0
TMP=$(mktemp -d /tmp/netlab-test.XXXXXX)
LABS=()

need_root() {
        if [ "$(id -u)" -ne 0 ]; then
                echo "SKIP: needs root"
                exit 77
        fi
}

cleanup() {
        # mklab runs in $(...): its names come back through $TMP/labs.
        [ -f "$TMP/labs" ] && mapfile -t -O "${#LABS[@]}" LABS <"$TMP/labs"
        for l in "${LABS[@]}"; do "$NETLAB" clean --force "$l" >/dev/null 2>&1; done
        rm -rf "$TMP"
}
trap cleanup EXIT

fail() {
        echo "FAIL: $*"
        fails=$((fails + 1))
}
pass() { echo "ok: $*"; }

expect() { # expect DESCRIPTION COMMAND...
        local what=$1
        shift
        if "$@"; then pass "$what"; else fail "$what"; fi
}

# A lab file from text: mklab NAME <<'EOF' ... EOF (the text uses LABNAME).
mklab() {
        local name=$1 f="$TMP/$1.lua"
        sed "s/LABNAME/$name/g" >"$f"
        LABS+=("$name")
        echo "$name" >>"$TMP/labs"
        echo "$f"
}

# expect_refused NAME FILE LINE WANT LABEL [SECONDS]: `netlab run FILE`
# exits 1 with "NAME.lua:LINE: ...WANT" (an ERE) and leaves nothing of
# lab NAME: the shape of every table of bad input.
expect_refused() {
        local name=$1 f=$2 line=$3 want=$4 label=$5 out rc
        out=$(timeout "${6:-60}" "$NETLAB" run "$f" 2>&1)
        rc=$?
        if [ $rc -ne 1 ]; then
                fail "[$label]: exit $rc, wanted 1: $out"
        elif ! grep -qE "$name\.lua:$line: .*$want" <<<"$out"; then
                fail "[$label]: no /$name.lua:$line: .*$want/ in: $out"
        elif ! nothing_left "$name"; then
                fail "[$label]: left something behind"
        else
                pass "[$label] → $(grep -oE "$name\.lua:$line: .*" <<<"$out" | head -1 | sed "s|.*$name.lua|lab.lua|")"
        fi
}

# A copy of a shipped lab under a unique name.
copylab() { # copylab labs/router.lua NEWNAME
        local f="$TMP/$2.lua"
        sed -E "s/netlab\.lab\(\"[^\"]*\"\)/netlab.lab(\"$2\")/" "$SRC/$1" >"$f"
        LABS+=("$2")
        echo "$2" >>"$TMP/labs"
        echo "$f"
}

# Nothing of lab $1 exists: namespaces, run dir, mounts, processes inside.
nothing_left() {
        local lab=$1 ok=0
        if ip netns list 2>/dev/null | awk '{print $1}' | grep -q "^$lab\."; then
                echo "  left: namespaces $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$lab\." | tr '\n' ' ')"
                ok=1
        fi
        if [ -e "/run/netlab/$lab" ]; then
                echo "  left: /run/netlab/$lab"
                ok=1
        fi
        if ls -d /etc/netns/$lab.* >/dev/null 2>&1; then
                echo "  left: $(ls -d /etc/netns/$lab.* | tr '\n' ' ')"
                ok=1
        fi
        if grep -qE " /run/(netns/$lab\.|netlab/$lab/)" /proc/self/mountinfo; then
                echo "  left: mounts"
                ok=1
        fi
        return $ok
}

host_links() { ip -br link | awk '{print $1}' | sort; }

# Waits up to $2 seconds (default 20) for command $1 to succeed.
wait_for() {
        local cmd=$1 limit=${2:-20} i=0
        while ! eval "$cmd" >/dev/null 2>&1; do
                i=$((i + 1))
                [ $i -ge $((limit * 10)) ] && return 1
                sleep 0.1
        done
        return 0
}

finish() {
        if [ $fails -eq 0 ]; then
                echo "all passed"
                exit 0
        fi
        echo "$fails failed"
        exit 1
}
