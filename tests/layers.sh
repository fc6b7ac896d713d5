#!/usr/bin/env bash
# layers.sh — the design's layers hold (docs/design.md): nothing in src/
# includes a header of lua/ or ui/, nothing in lua/ one of ui/, and a private
# header is included only inside its module. Reads the #include lines of the
# tree; no build, no root. Usage: layers.sh SRC
set -u
SRC=${1:?usage: layers.sh SOURCE-DIR}
cd "$SRC" || exit 1
fails=0
fail() {
        echo "FAIL: $*"
        fails=$((fails + 1))
}

# FILE HEADER for every #include "HEADER" of the C files of the given dirs.
includes() {
        grep -H -o '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*"' "$@" 2>/dev/null |
                sed -E 's/:[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]*)"/ \1/'
}

# Every include of the tree, once: "FILE HEADER" lines.
all=$(includes src/*.[ch] lua/*.[ch] ui/*.[ch] ./*.c | sed 's|^\./||')

# 1. No upward include: a layer sees only the layers below it.
#    lower-dir  upper dirs whose headers it may not include
out=$(while read -r low highs; do
        for high in $highs; do
                for h in "$high"/*.h; do
                        [ -e "$h" ] || continue
                        hn=$(basename "$h")
                        [ -e "$low/$hn" ] && continue # a header of its own by that name
                        awk -v low="$low/" -v hn="$hn" \
                                'index($1, low) == 1 && $2 == hn { printf "%s includes \"%s\", a header of a layer above it\n", $1, $2 }' \
                                <<<"$all"
                done
        done
done <<'EOF'
src lua ui
lua ui
EOF
)
[ -n "$out" ] && while read -r l; do fail "$l"; done <<<"$out"

# 2. Private headers stay in their module.
#    header          files that may include it (extended regex on the path)
declare -A private=(
        [src/nl_int.h]='^src/nl[a-z_]*\.c$'
        [lua/nlua_int.h]='^lua/[a-z_]+\.c$'
        [src/dp_config.h]='^src/dp[a-z_]*\.[ch]$'
        [src/dp_engine.h]='^src/dp[a-z_]*\.[ch]$'
        [src/dp_wire.h]='^src/dp[a-z_]*\.[ch]$'
)
# Every *_int.h is private and needs its line above.
for h in src/*_int.h lua/*_int.h ui/*_int.h; do
        [ -e "$h" ] || continue
        [ -n "${private[$h]+x}" ] || fail "$h is a private header without a rule in tests/layers.sh"
done
out=$(for h in "${!private[@]}"; do
        [ -e "$h" ] || continue
        hn=$(basename "$h")
        while read -r f inc; do
                [ "$inc" = "$hn" ] && [ "$f" != "$h" ] || continue
                [[ $f =~ ${private[$h]} ]] || echo "$f includes \"$hn\", private to its module"
        done <<<"$all"
done)
[ -n "$out" ] && while read -r l; do fail "$l"; done <<<"$out"

# The check itself must see something: the tree has includes, and a
# violation planted in a copy is reported.
[ "$(grep -c "^src/" <<<"$all")" -gt 20 ] || fail "read too few #include lines under src/"

if [ "${LAYERS_SELFTEST:-1}" = 1 ]; then
        tmp=$(mktemp -d)
        trap 'rm -rf "$tmp"' EXIT
        cp -r src lua ui "$tmp"/
        cp ./*.c "$tmp"/ 2>/dev/null
        echo '#include "console.h"' >>"$tmp/src/err.c"
        echo '#include "nl_int.h"' >>"$tmp/lua/api.c"
        st=$(LAYERS_SELFTEST=0 bash "$0" "$tmp" 2>&1)
        grep -q 'src/err.c includes "console.h", a header of a layer above it' <<<"$st" ||
                fail "self-test: an upward include was not reported"
        grep -q 'lua/api.c includes "nl_int.h", private to its module' <<<"$st" ||
                fail "self-test: a private header out of its module was not reported"
fi

if [ $fails -gt 0 ]; then
        echo "$fails failure(s)"
        exit 1
fi
echo "layers: ok"
