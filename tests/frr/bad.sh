#!/usr/bin/env bash
# bad.sh — bad FRR options stop the lab at their line, naming the option,
# with nothing left behind.
. "$(dirname "$0")/../lib.sh"
need_root
if [ ! -x /usr/lib/frr/zebra ]; then echo "SKIP: FRR is not installed"; exit 77; fi
bad() { # bad NAME REGEX LINE
        local n=$1 re=$2 lf o r
        lf=$(mklab "$n" <<LAB
local lab = netlab.lab("LABNAME")
$3
LAB
)
        o=$("$NETLAB" run "$lf" 2>&1)
        r=$?
        if [ $r -ne 0 ] && echo "$o" | grep -qE "$n.lua:2: $re"; then pass "refused: $3"; else
                fail "$3 (rc $r): $o"; fi
        expect "... nothing left" nothing_left "$n"
}
bad tfb1$$ "frr: ospf hello must be an integer" 'netlab.frr.router(lab, "r1", {ospf = {hello = 0}})'
bad tfb2$$ "frr: ospf dead \\(2 s\\) must be longer than hello \\(3 s\\)" 'netlab.frr.router(lab, "r1", {ospf = {hello = 3, dead = 2}})'
bad tfb3$$ "frr ospf: unknown option 'helo'" 'netlab.frr.router(lab, "r1", {ospf = {helo = 1}})'
bad tfb4$$ "frr: bgp as must be an AS number" 'netlab.frr.router(lab, "r1", {bgp = {as = 0}})'
bad tfb5$$ "frr: bgp neighbors\\[1\\].ip must be an IPv4 address" 'netlab.frr.router(lab, "r1", {bgp = {as = 1, neighbors = {{ip = "10.0.0", as = 2}}}})'
bad tfb6$$ "frr: bgp networks\\[1\\] must be an IPv4 prefix" 'netlab.frr.router(lab, "r1", {bgp = {as = 1, networks = {"10.1.0.0/33"}}})'
bad tfb7$$ "frr: conf: cannot read" 'netlab.frr.router(lab, "r1", {conf = "nonexistent.conf"})'
bad tfb8$$ "frr.link: cost must be an integer" 'local a, b = netlab.frr.router(lab, "a"), netlab.frr.router(lab, "b") netlab.frr.link(lab, a, b, {cost = 0})'
bad tfb9$$ "frr: static\\[1\\] via must be an IPv4 address" 'netlab.frr.router(lab, "r1", {static = {{"10.0.0.0/8", "x"}}})'
finish
