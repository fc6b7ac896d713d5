#!/usr/bin/env bash
# lab:nat, Mininet's --nat, tested without touching the real network: netlab
# runs inside a sandbox (a network and mount namespace this test makes) with
# a fake internet beside it (natbox.sh); the machine's own links, nft ruleset
# and sysctls are compared before and after.
. "$(dirname "$0")/../lib.sh"
need_root
command -v nft >/dev/null || { echo "SKIP: no nft"; exit 77; }
host_before=$(ip -br link | awk '{print $1}' | sort; cat /proc/sys/net/ipv4/ip_forward)
unshare --net --mount bash "$(dirname "$0")/natbox.sh" "$NETLAB" "$TMP" $$
rc=$?
host_after=$(ip -br link | awk '{print $1}' | sort; cat /proc/sys/net/ipv4/ip_forward)
[ "$host_before" = "$host_after" ] || { echo "FAIL: the machine's own namespace changed"; rc=1; }
exit $rc
