#!/usr/bin/env bash
# Mininet's one-liners: netlab [run] --topo ... --link ... --test ... builds
# a lab with no file, --save writes it as a lab file, --custom adds
# topologies; bad options are refused before anything is made.
. "$(dirname "$0")/../lib.sh"
need_root
n=$$
LABS+=("tc1$n" "tc2$n" "tc3$n" "tc4$n" "tc5$n" "tc6$n" "tc7$n" "tc8$n" "tc9$n")
# The made lab files go to $TMPDIR: a directory of this test's own, so that
# other runs beside it cannot change what it counts.
TMPDIR=$(mktemp -d /tmp/topo_cli.XXXXXX)
export TMPDIR
trap 'rm -rf "$TMPDIR"; cleanup' EXIT

out=$("$NETLAB" run --topo single,3 --name "tc1$n" 2>&1)
expect "run --topo single,3: pingall passes by default (exit 0)" sh -c "echo '$out' | grep -q 'PASS  every host reaches every other host (6/6 answered)' && echo '$out' | grep -q '^1 passed, 0 failed'"
expect "nothing of it is left" nothing_left "tc1$n"

out=$("$NETLAB" run --topo tree,2,2 --test pingpair --name "tc2$n" 2>&1)
expect "tree,2,2 --test pingpair: h1 and h2 reach each other" sh -c "echo '$out' | grep -q 'PASS  h1 reaches h2' && echo '$out' | grep -q 'PASS  h2 reaches h1'"
expect "tree,2,2 has 7 nodes and 6 links" sh -c "echo '$out' | grep -q 'lab tc2$n: 7 nodes, 6 links'"

out=$("$NETLAB" run --topo torus,3,3 --name "tc3$n" 2>&1)
expect "torus,3,3: 18 nodes, a spanning tree up, pingall passes" sh -c "echo '$out' | grep -q 'lab tc3$n: 18 nodes, 27 links' && echo '$out' | grep -q '(72/72 answered)'"

# fattree,K and clos,SPINES,LEAVES[,HOSTS]: the loops' links start standby.
out=$("$NETLAB" run --topo fattree,4 --name "tc8$n" 2>&1)
expect "fattree,4: 16 hosts and 20 switches, pingall passes" sh -c "echo '$out' | grep -q 'lab tc8$n: 36 nodes, 48 links' && echo '$out' | grep -q '(240/240 answered)'"
out=$("$NETLAB" run --topo clos,2,3,2 --name "tc9$n" 2>&1)
expect "clos,2,3,2: 2 spines, 3 leaves of 2 hosts, pingall passes" sh -c "echo '$out' | grep -q 'lab tc9$n: 11 nodes, 12 links' && echo '$out' | grep -q '(30/30 answered)'"

out=$("$NETLAB" run --topo linear,2 --link bw=5mbit --test iperf --name "tc4$n" 2>&1)
mbit=$(echo "$out" | sed -n 's/^iperf h1 -> h2: \([0-9.]*\) Mbit\/s$/\1/p')
expect "--link bw=5mbit shapes every link (iperf: ${mbit:-none} Mbit/s)" sh -c "[ -n '$mbit' ] && awk 'BEGIN { exit !($mbit > 0.3 && $mbit < 5.5) }'"

# --save: a lab file to start from; it runs on its own; no silent overwrite.
f=$TMP/saved.lua
expect "--save writes the lab file" sh -c "'$NETLAB' run --topo ring,3 --name tc5$n --save '$f' >/dev/null 2>&1 && grep -q 'topo.ring(lab, 3)' '$f'"
expect "the saved file runs as a lab" sh -c "'$NETLAB' run '$f' 2>&1 | grep -q '^1 passed, 0 failed'"
out=$("$NETLAB" run --topo ring,3 --name "tc5$n" --save "$f" 2>&1)
rc=$?
expect "--save over an existing file is refused (exit $rc)" sh -c "[ $rc -eq 2 ] && echo '$out' | grep -q 'the file exists (add --force'"
expect "--force replaces it" sh -c "'$NETLAB' run --topo single,2 --name tc5$n --save '$f' --force >/dev/null 2>&1 && grep -q 'topo.single(lab, 2)' '$f'"

# --custom: topologies of one's own.
cat >"$TMP/custom.lua" <<'LUA'
topos = {
  pair = function(lab, n)
    local hosts = {}
    for i = 1, n do hosts[i] = lab:host("x" .. i, { ip = "10.9.0." .. i .. "/24" }) end
    for i = 2, n do lab:link(hosts[1], hosts[i], { ip = { "10.9." .. i .. ".1/24", "10.9." .. i .. ".2/24" } }) end
    return hosts
  end,
}
LUA
out=$("$NETLAB" run --custom "$TMP/custom.lua" --topo pair,2 --test pingpair --name "tc6$n" 2>&1)
expect "--custom FILE --topo pair,2 builds the file's topology" sh -c "echo '$out' | grep -q 'lab tc6$n: 2 nodes, 1 links' && echo '$out' | grep -q 'PASS  x1 reaches x2'"

# The console opens on a one-liner.
if command -v tmux >/dev/null; then
        tmux -L "tc$n" -f /dev/null new-session -d -s t -x 100 -y 30 \
                "env HOME=$TMP LANG=C.UTF-8 TERM=screen-256color '$NETLAB' --topo linear,3 --name tc7$n; sleep 60"
        expect "netlab --topo linear,3 opens the console" wait_for \
                "tmux -L tc$n capture-pane -p -t t | grep -q 'Lab tc7$n is up'" 30
        tmux -L "tc$n" send-keys -t t reload Enter
        expect "... reload names the command line, not a temporary file" wait_for \
                "tmux -L tc$n capture-pane -p -t t | grep -q 'up again from --topo linear,3'" 20
        tmux -L "tc$n" kill-server # the console is detached, not stopped: take the lab down
        sleep 1 # the console has gone by now
        expect "... its detached lab keeps the made lab file (reload reads it)" \
                sh -c "ls '$TMPDIR'/netlab-topo.*/lab.lua"
        "$NETLAB" down "tc7$n" >/dev/null 2>&1
        expect "... and removes it when it is down" wait_for \
                "! ls -d '$TMPDIR'/netlab-topo.* 2>/dev/null" 10
fi

# Bad options: exit 2, a message naming the option and the fix, nothing made.
bad() { # bad DESCRIPTION PATTERN ARGS...
        local what=$1 pat=$2
        shift 2
        local o rc
        o=$("$NETLAB" run "$@" 2>&1)
        rc=$?
        if [ $rc -eq 2 ] && echo "$o" | grep -q -- "$pat"; then pass "$what"; else
                fail "$what (exit $rc: $o)"; fi
}
bad "an unknown topology lists the known ones" 'unknown topology "bogus"; netlab knows:' --topo bogus,2
bad "a zero count" '"0" is not a count from 1 to 100000' --topo linear,0
bad "a missing count" 'expected tree,DEPTH\[,FANOUT\]' --topo tree
bad "too many counts" 'expected linear,N' --topo linear,2,3
bad "the known topologies include fattree and clos" 'clos,SPINES,LEAVES\[,HOSTS\]' --topo bogus,2
bad "fattree with an odd K" 'the first count must be even (e.g. fattree,4); expected fattree,K' --topo fattree,3
bad "fattree past 100000 hosts" 'the first count is at most 72' --topo fattree,74
bad "clos without its leaves" 'expected clos,SPINES,LEAVES\[,HOSTS\]' --topo clos,2
bad "a --link without =" '"bw" is not KEY=VALUE' --topo linear,2 --link bw
bad "a --link value that is code" 'bad value' --topo linear,2 --link 'bw=1");os.exit(3)--'
bad "an unknown test" 'unknown test (pingall, pingpair, iperf, all, none)' --topo linear,2 --test bogus
bad "an unknown switch class" '--switch lxbr: unknown switch class "lxbr"' --topo linear,2 --switch lxbr
"$NETLAB" run --topo ring,3 --switch bridge,stp=1 --name "tcstp$n" >"$TMP/stp.out" 2>&1
rc=$?
LABS+=("tcstp$n")
expect "--switch bridge,stp=1: a ring converges and pingall passes (rc $rc)" [ $rc -eq 0 ]
expect "... with every link up (STP, not a standby link)" grep -q "once STP converged" "$TMP/stp.out"
bad "an unknown switch option" '--switch bridge,stp=2: the one switch option is stp=1' --topo linear,2 --switch bridge,stp=2
bad "a controller without an OVS switch" '--controller goes with --switch ovs' --topo linear,2 --controller ref
bad "a bad controller option" '"ip=1.2.3.4;x" is not ip=A.B.C.D or port=N' --topo linear,2 --switch ovs --controller remote,ip=1.2.3.4\;x
bad "--link without --topo" 'go with --topo' --link bw=1mbit x.lua
bad "a custom file that is not there" '--custom' --topo x,1 --custom /nonexistent/c.lua
bad "--topo without a value" '--topo needs a value' --topo
"$NETLAB" run --custom "$TMP/custom.lua" --topo nosuch,2 --name "tc6$n" >"$TMP/nosuch.out" 2>&1
expect "a custom topology the file lacks is named" grep -q "defines no topology 'nosuch'" "$TMP/nosuch.out"
expect "... at the command line typed, not at a temporary file's line" sh -c "grep -q \"^netlab: --topo nosuch,2 --custom $TMP/custom.lua: \" '$TMP/nosuch.out' && ! grep -q netlab-topo '$TMP/nosuch.out'"
"$NETLAB" run --topo linear,2 --link jitter=5ms --name "tc10$n" >"$TMP/jit.out" 2>&1
rc=$?
expect "a bad --link value is named with the command line (rc $rc)" sh -c "[ $rc -eq 1 ] && grep -q '^netlab: --topo linear,2 --link jitter=5ms: jitter: needs a delay' '$TMP/jit.out' && ! grep -q netlab-topo '$TMP/jit.out'"
LABS+=("tc10$n")
out=$("$NETLAB" --topo linear,2 --link delay=5ms </dev/null 2>&1)
expect "no terminal: the hint is the command line, not a temporary file" sh -c "echo '$out' | grep -qF 'try: netlab run --topo linear,2 --link delay=5ms)'"
expect "no temporary lab file is left behind" test "$(ls -d "$TMPDIR"/netlab-topo.* 2>/dev/null | wc -l)" -eq 0
for l in "${LABS[@]}"; do nothing_left "$l" >/dev/null || fail "lab $l left something"; done
finish
