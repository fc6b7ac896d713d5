#!/usr/bin/env bash
# bad_values.sh — every bad value is refused with a message at the lab
# file's line (issue 8 §4), table-driven: each case is a lab whose LAST line
# is the bad call; the run must exit 1 (not 0, not a crash), name FILE:LINE
# and the expected text, and leave nothing behind.
. "$(dirname "$0")/../lib.sh"
need_root

n=0
# case_ EXPECTED-REGEX 'the last line of the lab'
case_() {
        local want=$1 line=$2 name f out rc last
        n=$((n + 1))
        name=tbv$n-$$
        f=$(mklab $name <<LAB
local lab = netlab.lab("LABNAME")
local h1 = lab:host("h1", { ip = "10.0.0.1/24" })
local h2 = lab:host("h2", { ip = "10.0.0.2/24" })
local s1 = lab:switch("s1")
lab:link(h1, s1)
lab:link(h2, s1)
$line
LAB
)
        last=7
        out=$(timeout 30 "$NETLAB" run "$f" 2>&1)
        rc=$?
        if [ $rc -ne 1 ]; then
                fail "[$line]: exit $rc, wanted 1: $out"
        elif ! grep -qE "$name\.lua:$last: .*$want" <<<"$out"; then
                fail "[$line]: no /$name.lua:$last: .*$want/ in: $out"
        elif grep -qE "lua_pushfstring|\[netlab\]|\[C\]" <<<"$out"; then
                fail "[$line]: Lua's or netlab's internals in the message: $out"
        elif ! nothing_left $name; then
                fail "[$line]: left something behind"
        else
                pass "[$line] → $(grep -oE "$name\.lua:$last: .*" <<<"$out" | head -1 | sed "s|.*$name.lua|lab.lua|")"
        fi
}

# Link parameters (lab:link options).
case_ "bw: invalid rate 0"                 'lab:link(h1, h2, { bw = 0 })'
case_ "bw: invalid rate -1"                'lab:link(h1, h2, { bw = -1 })'
case_ "bw: invalid rate nan"               'lab:link(h1, h2, { bw = 0/0 })'
case_ "bw: invalid rate inf"               'lab:link(h1, h2, { bw = math.huge })'
case_ "bw: rate 1e\+30 is out of range"    'lab:link(h1, h2, { bw = 1e30 })'
case_ "bw: invalid rate \"1e300gbit\""     'lab:link(h1, h2, { bw = "1e300gbit" })'
case_ "bw: invalid rate \"fast\""          'lab:link(h1, h2, { bw = "fast" })'
case_ "bw: invalid rate \"nanmbit\""       'lab:link(h1, h2, { bw = "nanmbit" })'
case_ "bw: rate 1e-06 is out of range"     'lab:link(h1, h2, { bw = 0.000001 })'
case_ "delay: invalid time -1"             'lab:link(h1, h2, { delay = -1 })'
case_ "delay: invalid time \"-5ms\""       'lab:link(h1, h2, { delay = "-5ms" })'
case_ "delay: invalid time nan"            'lab:link(h1, h2, { delay = 0/0 })'
case_ "delay: time 1e\+12 is out of range" 'lab:link(h1, h2, { delay = 1e12 })'
case_ "delay: invalid time \"infs\""       'lab:link(h1, h2, { delay = "infs" })'
case_ "jitter: invalid time -2"            'lab:link(h1, h2, { delay = 5, jitter = -2 })'
case_ "jitter: needs a delay, as netem"    'lab:link(h1, h2, { jitter = "5ms" })'
case_ "gap: needs reorder"                 'lab:link(h1, h2, { gap = 2 })'
case_ "jitter: needs a delay, as netem"    'lab:link(h1, h2, { delay = "5ms", from = { h2 = { delay = 0, jitter = "1ms" } } })'
case_ "loss: expected a percentage from 0 to 100, got 101" 'lab:link(h1, h2, { loss = 101 })'
case_ "loss: .* got -1"                    'lab:link(h1, h2, { loss = -1 })'
case_ "loss: .* got nan"                   'lab:link(h1, h2, { loss = 0/0 })'
case_ "loss: .* got \"lots\""              'lab:link(h1, h2, { loss = "lots" })'
case_ "mtu: 9223372036854775807 is out of range" 'lab:link(h1, h2, { mtu = math.maxinteger })'
case_ "mtu: -1 is out of range"            'lab:link(h1, h2, { mtu = -1 })'
case_ "mtu: expected an integer .* got 1e\+300" 'lab:link(h1, h2, { mtu = 1e300 })'
# Waits.
case_ "netlab.sleep: expected seconds >= 0 .* got nan"  'netlab.sleep(0/0)'
case_ "netlab.sleep: expected seconds >= 0 .* got -1"   'netlab.sleep(-1)'
case_ "netlab.sleep: .* got inf"                        'netlab.sleep(math.huge)'
case_ "node:cmd: timeout: .* got 1e\+300"               'h1:cmd("true", { timeout = 1e300 })'
case_ "node:cmd: timeout: .* got 0"                     'h1:cmd("true", { timeout = 0 })'
case_ "node:cmd: timeout: .* got nan"                   'h1:cmd("true", { timeout = 0/0 })'
case_ "proc:wait: timeout: .* got -1"                   'h1:spawn("true"):wait({ timeout = -1 })'
# NUL bytes are never cut silently.
case_ "contains a NUL byte"                'lab:host("h3\0x")'
case_ "contains a NUL byte"                'lab:link(h1, h2, { ip = { "10.1.0.1/24\0junk", false } })'
case_ "contains a NUL byte"                'h1:cmd("echo a\0; reboot")'
case_ "contains a NUL byte"                'lab:node("h1\0")'
case_ "contains a NUL byte"                'experiment("e\0x", function() end)'
# After the build, the model cannot change behind the kernel's back.
case_ "Cannot add h1:eth0.10: lab .* is already built" 'lab:build(); h1:vlan("eth0", 10)'
# netlab's own Lua library names the lab's line, not its own.
case_ "node:ping: count must be an integer from 1 to 100000, got 0" 'h1:ping(h2, { count = 0 })'
case_ "node:ping: timeout must be .* got -?nan"                  'h1:ping(h2, { timeout = 0/0 })'
case_ "node:ping: size must be an integer .* got 1.5"          'h1:ping(h2, { size = 1.5 })'
case_ "node:ping: unknown option 'cnt'"                        'h1:ping(h2, { cnt = 1 })'
case_ "ping: \"10.0.0.2; touch /tmp/pwned$$\" is neither an IP address nor a node" \
        'h1:ping("10.0.0.2; touch /tmp/pwned'$$'")'
case_ "ping: node 's1' has no IPv4 address"                    'h1:ping(s1)'
case_ "lab:pingall: timeout must be .* got -1"                 'lab:pingall({ timeout = -1 })'
case_ "netlab.topo.linear: expected a positive integer, got 0" 'netlab.topo.linear(lab, 0)'
case_ "netlab.topo.ring: a ring needs at least 3 switches"     'netlab.topo.ring(lab, 2)'
case_ "netlab.topo.linear: 100000000 is more than 100000"      'netlab.topo.linear(lab, 100000000)'
case_ "netlab.topo.tree: 20\^20 hosts is more than 100000"      'netlab.topo.tree(lab, 20, 20)'
case_ "netlab.topo.tree \(depth\): expected a positive integer, got inf" 'netlab.topo.tree(lab, math.huge)'
case_ "duplicate node name \"h1\""                             'netlab.topo.linear(lab, 2)'

expect "no command ran from a ping target" [ ! -e /tmp/pwned$$ ]
rm -f /tmp/pwned$$
echo "$n bad values tried"
finish
