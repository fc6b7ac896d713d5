#!/usr/bin/env bash
# missing.sh — FRR absent or broken, simulated with NETLAB_FRR_DIR (where
# netlab.frr and `netlab doctor` look for the daemons), never by
# uninstalling anything:
#   - not installed: the lab stops at the frr.router line with a message
#     naming the package, `netlab doctor` lists FRR as missing with the
#     command that installs it, and nothing is left;
#   - a daemon that cannot start (a fake zebra that fails): frr.converged
#     returns the failure with the tail of its log, and nothing is left.
. "$(dirname "$0")/../lib.sh"
need_root

# Not installed.
n=tfm$$
f=$(mklab $n <<'LAB'
local lab = netlab.lab("LABNAME")
local r1 = netlab.frr.router(lab, "r1", { ospf = {} })
LAB
)
o=$(NETLAB_FRR_DIR=$TMP/nofrr "$NETLAB" run "$f" 2>&1)
r=$?
echo "$o"
expect "netlab run fails (rc $r)" [ $r -ne 0 ]
expect "the message names the line and the package" \
        grep -qE "$n.lua:2: frr: FRR is not installed \($TMP/nofrr/zebra is missing\): install the Debian package 'frr' \(apt-get install frr\)" <<<"$o"
expect "nothing left" nothing_left $n
o=$(NETLAB_FRR_DIR=$TMP/nofrr "$NETLAB" doctor 2>&1)
echo "$o" | grep -E "^FRR|FRR:"
expect "doctor lists FRR as not found, with its package" grep -qE "^FRR +no +frr " <<<"$o"
expect "doctor says how to install it" grep -qF "FRR: $TMP/nofrr/zebra is missing: apt-get install frr" <<<"$o"
o=$(NETLAB_FRR_DIR=$TMP/nofrr "$NETLAB" doctor "$f" 2>&1)
expect "doctor LAB.lua names the missing package too" grep -qF "install the Debian package 'frr'" <<<"$o"
if [ -x /usr/lib/frr/zebra ]; then
        expect "doctor finds Debian's FRR without the override" \
                grep -qE "^FRR +yes +frr " <<<"$("$NETLAB" doctor 2>&1)"
fi

# A daemon that fails to start: a fake FRR whose zebra says why and exits
# (the routers still need the package's /etc/frr and user frr).
if [ ! -d /etc/frr ] || ! id frr >/dev/null 2>&1; then
        echo "SKIP (the rest): Debian's frr package is not installed"
        finish
fi
mkdir -p "$TMP/fakefrr"
for d in zebra staticd ospfd; do
        printf '#!/bin/sh\necho "%s: cannot bind the zserv socket: Address in use (fake)" >&2\nexit 1\n' \
                "$d" >"$TMP/fakefrr/$d"
        chmod +x "$TMP/fakefrr/$d"
done
n=tff$$
f=$(mklab $n <<'LAB'
local lab = netlab.lab("LABNAME")
local r1 = netlab.frr.router(lab, "r1", { ospf = {} })
local r2 = netlab.frr.router(lab, "r2", { ospf = {} })
lab:link(r1, r2, { ip = { "10.0.0.1/30", "10.0.0.2/30" } })
experiment("fails", function()
  local t0 = netlab.now()
  local ok, err = netlab.frr.converged(lab, { timeout = 60 })
  print(("took %.0f s"):format(netlab.now() - t0))
  check(not ok, "frr.converged fails")
  print("ERR<<" .. tostring(err) .. ">>")
end)
LAB
)
o=$(NETLAB_FRR_DIR=$TMP/fakefrr "$NETLAB" run "$f" 2>&1)
r=$?
echo "$o"
expect "the lab ran its experiment (rc $r)" grep -q "1 passed, 0 failed" <<<"$o"
expect "the error names the daemon, the router and its state" \
        grep -qE "ERR<<frr: service zebra in r[12] (gave up|failed) \(status 1\); its log ends:" <<<"$o"
expect "... and carries the log's tail" \
        grep -qF "zebra: cannot bind the zserv socket: Address in use (fake)" <<<"$o"
expect "... and the supervisor's verdict" grep -qE "netlab: service zebra exited with status 1" <<<"$o"
expect "nothing left" nothing_left $n
finish
