#!/usr/bin/env bash
# lab:nat, Mininet's --nat, tested without touching the real network: netlab
# runs inside a sandbox (a network and mount namespace this test makes) with
# a fake internet beside it (natbox.sh); the machine's own links, nft ruleset
# and sysctls are compared before and after.
. "$(dirname "$0")/../lib.sh"
need_root
command -v nft >/dev/null || { echo "SKIP: no nft"; exit 77; }
# The machine's own namespace: the links this test's sandbox makes (its
# fake internet and LANs, the NAT's nl*, the uplink's nb*/nv*) must not reach
# it, nor its forwarding change. Other tests run beside this one (ctest -j2)
# and may add links of their own meanwhile: those are not compared.
mine() {
        ip -br link | awk '{print $1}' | grep -E '^(vi0|vo0|lan[01]|l[01]|n[lbv][0-9a-f]+)(@|$)' | sort
        cat /proc/sys/net/ipv4/ip_forward
}
host_before=$(mine)
unshare --net --mount bash "$(dirname "$0")/natbox.sh" "$NETLAB" "$TMP" $$
rc=$?
host_after=$(mine)
[ "$host_before" = "$host_after" ] ||
        { echo "FAIL: the machine's own namespace changed: $(diff <(echo "$host_before") <(echo "$host_after") | tr '\n' ' ')"; rc=1; }
exit $rc
