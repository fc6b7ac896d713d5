#!/bin/bash
# The switch firewall on the kernel path: fw_nft_install puts "drop p1 -> p2
# except ARP" into a kernel bridge's namespace as an nft bridge table over
# nfnetlink. nft(8) lists the table; h1's IPv4 no longer reaches h2 while its
# ARP does, h1 still reaches h3, and an invalid table is refused with the
# kernel's message.
TAG=nft
. "$(dirname "$0")/lib.sh"
command -v nft >/dev/null || { echo "SKIP: nft not installed"; exit 77; }
ns s1
ip -n dpt-$TAG-s1 link add br0 type bridge && ip -n dpt-$TAG-s1 link set br0 up
for i in 1 2 3; do
        ns h$i; link h$i eth0 s1 p$i 02:00:00:00:07:0$i; addr h$i eth0 10.9.7.$i/24
        ip -n dpt-$TAG-s1 link set p$i master br0
done
must_ping h1 10.9.7.2
"$DPDRV" nft "$(nspath s1)" netlab_fw "accept in=p1 out=p2 type=arp" "drop in=p1 out=p2" ||
        fail "fw_nft_install failed"
nsx s1 nft list table bridge netlab_fw >"$WORK/list" || fail "nft does not see the table"
grep -q 'iifname "p1" oifname "p2" meta protocol arp accept' "$WORK/list" ||
        grep -q 'iifname "p1" oifname "p2" ether type arp accept' "$WORK/list" ||
        { cat "$WORK/list"; fail "the ARP rule is not as expected"; }
grep -Eq 'hook forward priority (filter|0); policy accept;' "$WORK/list" || { cat "$WORK/list"; fail "chain"; }
ok "nft lists the table"
nsx h1 ip neigh flush all
capture h2 eth0 2500 "$WORK/c2"
must_not_ping h1 10.9.7.2 2
must_ping h1 10.9.7.3
wait $CAP_PID
grep -q "type=0x0806 src=02:00:00:00:07:01" "$WORK/c2" || fail "h1's ARP did not reach h2"
grep -q "type=0x0800 src=02:00:00:00:07:01" "$WORK/c2" && fail "h1's IPv4 reached h2 through the drop rule"
ok "kernel bridge: p1 -> p2 drops IPv4 and lets ARP through"
long=$(printf 'x%.0s' $(seq 300))
"$DPDRV" nft "$(nspath s1)" "$long" "drop" 2>"$WORK/err" && fail "a 300-byte table name was accepted"
cat "$WORK/err"
grep -q "Cannot install nft bridge table" "$WORK/err" || fail "no clear message"
echo PASS
