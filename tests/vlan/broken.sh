#!/bin/bash
# vlan_broken: the isolation checks of labs/vlan.lua fail when isolation
# breaks. Two copies, each broken on purpose in one place:
#   leak:  netns5's access port (rosa, PVID 20) also egresses VLAN 10
#          untagged. Green's floods now reach netns5, yet netns5 still
#          answers in VLAN 20, so every ping of the matrix gives the same
#          verdict as before: only the captures can see the leak.
#   nofw:  bry's firewall (experiment 6) is removed: netns7's frames tagged
#          with netns9's VLAN 9 reach the green port of netns6.
# Each must make `netlab run` exit non-zero, fail exactly the expected
# capture checks, and pass all the others (same number of checks).
. "$(dirname "$0")/../lib.sh"
need_root
for t in ping tcpdump; do
        command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
done

# The FAIL lines of a run, without their "(file:line)" suffix, sorted.
fails_of() { grep -E '^[[:space:]]*FAIL ' "$1" | sed -E 's/^[[:space:]]*FAIL[[:space:]]+//; s/[[:space:]]+\([^()]*\)$//' | sort; }
total_of() { sed -nE 's/^([0-9]+) passed, ([0-9]+) failed.*/\1 \2/p' "$1" | awk '{print $1 + $2}'; }

run_broken() { # NAME WHAT EXPECTED-FAILS-FILE  (the copy is $TMP/NAME.lua)
        local name=$1 what=$2 want=$3 f=$TMP/$1.lua
        "$NETLAB" run "$f" >"$TMP/$name.out" 2>&1
        local st=$?
        cat "$TMP/$name.out"
        expect "$what: netlab run exits non-zero (got $st)" [ $st -ne 0 ]
        expect "$what: all 8 experiments ran" [ "$(grep -c '^== ' "$TMP/$name.out")" -eq 8 ]
        fails_of "$TMP/$name.out" >"$TMP/$name.fails"
        if diff -u "$want" "$TMP/$name.fails"; then
                pass "$what: exactly the expected isolation checks fail"
        else
                fail "$what: the failed checks differ from the expected ones (diff above)"
        fi
        expect "$what: nothing left" nothing_left "$name"
}

# --- leak: netns5's port also in VLAN 10 (egress untagged) ---
leak=tvleak$$
f=$(copylab labs/vlan.lua "$leak")
sed -i -E '/^lab:link\(netns5, brx/s/vlan = 20/vlans = { { vid = 20, pvid = true, untagged = true }, { vid = 10, untagged = true } }/' "$f"
grep -q '^lab:link(netns5, brx.*vid = 10, untagged = true' "$f" || {
        echo "FAIL: could not break the copy (labs/vlan.lua changed?)"
        exit 1
}
sort >"$TMP/leak.want" <<'EOW'
capture on netns5:eth0: no frame of green (netns1, netns2) arrived
capture on netns5:eth0: no frame of green (netns1, netns2) arrived
capture on netns5:eth0: no frame of green (netns6, netns1, netns2, netns1t) arrived
EOW
run_broken "$leak" leak "$TMP/leak.want"
# The point of the captures: the ping matrix did not notice.
expect "leak: the ping matrix still says netns1 does not reach netns5" \
        grep -Eq '^[[:space:]]*PASS +netns1 does not reach netns5$' "$TMP/$leak.out"

# --- nofw: experiment 6's firewall removed ---
nofw=tvnofw$$
f=$(copylab labs/vlan.lua "$nofw")
sed -i '/^bry:firewall({/,/^})/d' "$f"
grep -q '^bry:firewall' "$f" && {
        echo "FAIL: could not break the copy (labs/vlan.lua changed?)"
        exit 1
}
sort >"$TMP/nofw.want" <<'EOW'
capture on netns6:eth0: no VLAN-9 frame of netns7 (rosa) arrived
EOW
run_broken "$nofw" nofw "$TMP/nofw.want"

t1=$(total_of "$TMP/$leak.out") t2=$(total_of "$TMP/$nofw.out")
expect "both broken runs have the same number of checks ($t1, $t2)" test -n "$t1" -a "$t1" = "$t2"
finish
