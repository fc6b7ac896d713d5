#!/usr/bin/env bash
# ui_link_rules.sh — the console at 80x24 checks a link's parameters with
# the lab file's rules (link_params_check) before anything changes: jitter
# without a delay is refused in `link A B set`, `set link A B` and `add
# link`, and the datapath's wire keeps what it had; `set link A B ...` is
# `link A B set ...` (from words and all, nothing given: the same usage),
# and `help set` says so; Gilbert-Elliott's four numbers (p, r, h, k) show,
# are saved and export with all four.
. "$(dirname "$0")/lib.sh"
cat >"$TMP/lab.lua" <<LUA
local lab = netlab.lab("$LAB")
local h1 = lab:host("h1", { ip = "10.9.0.1/24" })
local h2 = lab:host("h2", { ip = "10.9.0.2/24" })
lab:link(h1, h2, { delay = "10ms" })
LUA
start 80 24
conf=/run/netlab/$LAB/datapath.conf
# What the link's wire has now: the datapath's own file, or the kernel's netem.
wire() { { grep '^impair' "$conf" 2>/dev/null; tc -n "$LAB.h1" qdisc show dev eth0 2>/dev/null | grep netem; } | sort; }
before=$(wire)
echo "$before" | grep -q 'delay' || fail "the link's delay is not on its wire: $before"

cmd "link h1 h2 set jitter 5ms"
wait_for 'link h1:eth0-h2:eth0: jitter: needs a delay, as netem \(delay 20ms jitter 5ms\)'
cmd "set link h1 h2 jitter=5ms"
log=$TMP/state/netlab/console.log
refused() { grep -c 'error: link h1:eth0-h2:eth0: jitter: needs a delay, as netem' "$log"; }
for i in $(seq 100); do [ "$(refused)" -ge 2 ] && break; sleep 0.1; done
[ "$(refused)" -ge 2 ] || fail "set link h1 h2 jitter=5ms was not refused"
cmd "add link h1 h2 jitter=3ms"
wait_for 'link h1-h2: jitter: needs a delay, as netem'
cmd "link h1 h2 set gap 2"
wait_for 'link h1:eth0-h2:eth0: gap: needs reorder'
[ "$(wire)" = "$before" ] || fail "a refused change reached the wire: $(wire) (was $before)"
cmd "link h1 h2 show"
wait_for 'link h1-h2: delay 10ms$'

# The other spelling takes the same words, from and all.
cmd "set link h1 h2 delay 5ms from h2 delay 40ms jitter 3ms"
wait_for 'link h1-h2: from h1: delay 5ms; from h2: delay 40ms jitter 3ms'
cmd "link h1 h2 show"
wait_for 'link h1-h2: from h1: delay 5ms; from h2: delay 40ms jitter 3ms'
cmd "set link h1 h2"
wait_for 'Usage: link A B set \[bw R\]'
cmd "help set"
wait_for 'set link A B K V\.\.\.'
for i in $(seq 50); do joined | grep -q "trunk V,V: same as link A B set; port: a switch port's VLANs" && break; sleep 0.1; done
joined | grep -q "trunk V,V: same as link A B set; port: a switch port's VLANs" ||
  fail "help set does not say it is link A B set"

# Gilbert-Elliott: all four numbers in show, save and export.
cmd "set link h1 h2 delay 1ms loss gemodel 5 40 1 90"
wait_for 'link h1-h2: delay 1ms loss gemodel p 5% r 40% h 1% k 90% \(no longer: jitter\)'
cmd "link h1 h2 show"
wait_for 'loss gemodel p 5% r 40% h 1% k 90%'
cmd "save $TMP/saved.lua"
for i in $(seq 100); do grep -q 'lab:link' "$TMP/saved.lua" 2>/dev/null && break; sleep 0.1; done
grep -q 'loss = {p = 5, r = 40, h = 1, k = 90}' "$TMP/saved.lua" ||
  fail "save lost Gilbert-Elliott's h or k: $(grep lab:link "$TMP/saved.lua")"
cmd "export dot $TMP/live.dot"
for i in $(seq 100); do grep -q 'h1' "$TMP/live.dot" 2>/dev/null && break; sleep 0.1; done
grep -qF 'loss gemodel p 5% r 40% h 1% k 90%' "$TMP/live.dot" ||
  fail "export's label lacks h or k: $(grep -- '--' "$TMP/live.dot")"
cmd "quit"
wait_for 'NETLAB-EXIT=0' 30
[ -e "/run/netlab/$LAB" ] && fail "the lab's run directory is left"
echo "ok"
