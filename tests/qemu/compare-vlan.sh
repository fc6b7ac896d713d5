#!/bin/bash
# compare-vlan.sh [--expect-differ] NETLAB LAB.lua — runs `netlab run LAB.lua`
# on this machine (whose kernel may lack VLAN filtering and 802.1Q: the
# userspace datapath) and in the qemu VM on the stock Debian kernel (the
# kernel path), then compares the per-check lines (experiment headings,
# PASS/FAIL lines, the summary; times blanked) and both exit codes. Any
# difference fails. With --expect-differ the verdict is inverted: the
# self-test that shows a difference is caught.
#
# The lab runs as a copy named qmt-NAME (its netlab.lab("NAME") renamed),
# so it never collides with another test running the same lab on the host.
# Root is needed for the host run (exit 77 without it).
set -u
me=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
expect_differ=0
if [ "${1:-}" = --expect-differ ]; then
        expect_differ=1
        shift
fi
[ $# -eq 2 ] || {
        echo "usage: $me [--expect-differ] NETLAB LAB.lua" >&2
        exit 2
}
netlab=$(readlink -f "$1")
lab=$(readlink -f "$2")
[ -x "$netlab" ] || {
        echo "$me: $1 is not built" >&2
        exit 77
}
[ -r "$lab" ] || {
        echo "$me: no lab $2" >&2
        exit 2
}
[ "$(id -u)" = 0 ] || {
        echo "$me: the host run needs root" >&2
        exit 77
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/qmt-cmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
name=$(sed -n 's/.*netlab\.lab("\([A-Za-z0-9_-]*\)".*/\1/p' "$lab" | head -n 1)
copy=$tmp/${lab##*/}
if [ -n "$name" ] && [ "${name#qmt}" = "$name" ]; then
        new=qmt-$name
        new=${new:0:24}
        sed "0,/netlab\.lab(\"$name\"/s//netlab.lab(\"$new\"/" "$lab" >"$copy"
else
        cp "$lab" "$copy"
fi

# Keep what a check says, drop how long it took.
checks() {
        tr -d '\r' | grep -E '^== |^[[:space:]]*(PASS|FAIL|SKIP|ERROR)([[:space:]]|$)|^[0-9]+ passed' |
                sed -E -e 's/[0-9]+(\.[0-9]+)? ?(ns|us|µs|ms|s|sec)\b/<time>/g' \
                        -e 's/time=[0-9.]+/time=<time>/g'
}

echo "== host: $netlab run ${copy##*/} ($(uname -r))"
(cd "$tmp" && "$netlab" run "${copy##*/}") >"$tmp/host.out" 2>&1
hst=$?
cat "$tmp/host.out"
echo "== exit $hst"

echo "== qemu VM: netlab run ${copy##*/}"
"$here/vm-run.sh" --add "$netlab:/usr/bin/netlab" --add "$tmp" --add "$(dirname "$lab")" \
        --cwd "$tmp" -- netlab run "${copy##*/}" >"$tmp/vm.out" 2>"$tmp/vm.err"
vst=$?
cat "$tmp/vm.out"
echo "== exit $vst"
case $vst in
77 | 124 | 125)
        cat "$tmp/vm.err" >&2
        [ $vst -eq 77 ] && exit 77
        echo "$me: the VM run failed (vm-run.sh status $vst)" >&2
        exit 1
        ;;
esac

checks <"$tmp/host.out" >"$tmp/host.checks"
checks <"$tmp/vm.out" >"$tmp/vm.checks"
same=1
if ! diff -u --label "host checks (exit $hst)" --label "VM checks (exit $vst)" \
        "$tmp/host.checks" "$tmp/vm.checks" >"$tmp/diff"; then
        same=0
fi
[ $hst -eq $vst ] || same=0
# A run that printed no summary did not run the lab (a crash, a build
# error): that is a failure, never a "difference" the self-test may accept.
for side in host vm; do
        grep -Eq '^[0-9]+ passed' "$tmp/$side.checks" || {
                echo "$me: the $side run printed no summary line: it did not run the lab" >&2
                exit 1
        }
done
if [ $same = 1 ]; then
        echo "== same: $(wc -l <"$tmp/host.checks") check lines and exit $hst on both kernels"
        [ $expect_differ = 1 ] && {
                echo "FAIL: expected the runs to differ" >&2
                exit 1
        }
        exit 0
fi
echo "== DIFFERENT: host exit $hst, VM exit $vst"
cat "$tmp/diff"
[ $expect_differ = 1 ] && {
        echo "PASS: the difference was caught"
        exit 0
}
exit 1
