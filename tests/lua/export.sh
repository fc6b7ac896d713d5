#!/usr/bin/env bash
# netlab graph LAB.lua --format dot|mermaid|d2: every node and link of the
# shipped labs, with interfaces, addresses and VLANs; the dot text is
# accepted by Graphviz. The console's export writes the running lab,
# a link set down included.
. "$(dirname "$0")/../lib.sh"
need_root

for lab in veth linear router vlan; do
        "$NETLAB" graph "$SRC/labs/$lab.lua" >"$TMP/$lab.dot" 2>"$TMP/err" || fail "graph $lab (dot): $(cat "$TMP/err")"
        if command -v dot >/dev/null; then
                expect "Graphviz reads labs/$lab.lua's drawing" sh -c "dot -Tsvg '$TMP/$lab.dot' >/dev/null"
        fi
done
expect "vlan: every node is drawn" sh -c "[ \$(grep -c 'shape=' '$TMP/vlan.dot') -eq 14 ]"
expect "vlan: every link is drawn" sh -c "[ \$(grep -c ' -- \"' '$TMP/vlan.dot') -eq 15 ]"
expect "vlan: an access port shows its VLAN" grep -q 'p1 vlan 10' "$TMP/vlan.dot"
expect "vlan: a trunk shows its VLANs" grep -qE 'trunk [0-9]+,[0-9]+' "$TMP/vlan.dot"
expect "vlan: a subinterface is shown with its VID's address" grep -q 'eth0.10' "$TMP/vlan.dot"
"$NETLAB" graph "$SRC/labs/router.lua" --format mermaid >"$TMP/r.mmd" || fail "mermaid"
expect "mermaid: a flowchart with the router and both links" sh -c "head -2 '$TMP/r.mmd' | grep -q '^graph LR' && grep -q 'n_r1{' '$TMP/r.mmd' && [ \$(grep -c -- '---|' '$TMP/r.mmd') -eq 2 ]"
"$NETLAB" graph "$SRC/labs/linear.lua" -f d2 -o "$TMP/l.d2" || fail "d2 -o"
expect "d2 -o writes the file, links between ids" grep -q '^n_s2 -- n_s1: "p2 -- p2"' "$TMP/l.d2"

out=$("$NETLAB" graph "$SRC/labs/router.lua" --format png 2>&1)
rc=$?
expect "an unknown format is refused with the choices (exit $rc)" sh -c "[ $rc -eq 2 ] && echo '$out' | grep -q 'Unknown format \"png\" (dot, mermaid, d2)'"
out=$("$NETLAB" graph /nonexistent.lua 2>&1)
expect "a missing lab file is named" sh -c "echo '$out' | grep -q nonexistent.lua"

# The console's export: the running lab, a link down dashed.
if command -v tmux >/dev/null; then
        f=$(mklab "tex$$" <<'LUA'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2, { bw = "10mbit" })
LUA
)
        expect "link parameters appear" sh -c "'$NETLAB' graph '$f' | grep -q '10Mbit'"
        g=$(mklab "tey$$" <<'LUA'
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
lab:link(h1, h2, { delay = "5ms", from = { h2 = { delay = "40ms", loss = { p = 5, r = 50, h = 1, k = 90 } } } })
LUA
)
        "$NETLAB" graph "$g" >"$TMP/dir.dot" 2>&1
        expect "per-direction parameters appear, each end's own" \
                grep -qF 'from h1: 5ms\nfrom h2: 40ms loss gemodel p 5% r 50% h 1% k 90%' "$TMP/dir.dot"
        "$NETLAB" graph "$g" -f mermaid >"$TMP/dir.mmd" 2>&1
        expect "... in mermaid too" grep -qF 'from h1: 5ms<br/>from h2: 40ms' "$TMP/dir.mmd"
        tmux -L "tex$$" -f /dev/null new-session -d -s t -x 120 -y 40 \
                "env HOME=$TMP LANG=C.UTF-8 TERM=screen-256color '$NETLAB' '$f'; sleep 60"
        wait_for "tmux -L tex$$ capture-pane -p -t t | grep -q 'Lab tex$$ is up'" 30 || fail "console up"
        tmux -L "tex$$" send-keys -t t "link h1 h2 down" Enter
        sleep 0.5
        tmux -L "tex$$" send-keys -t t "export dot $TMP/live.dot" Enter
        expect "export writes the running lab" wait_for "grep -q 'h1' '$TMP/live.dot'" 10
        expect "the down link is dashed" grep -q 'style=dashed' "$TMP/live.dot"
        tmux -L "tex$$" kill-server # the console is detached, not stopped: take the lab down
        "$NETLAB" down "tex$$" >/dev/null 2>&1
fi
finish
