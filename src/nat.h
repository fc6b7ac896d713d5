/* nat.h — source NAT (masquerade) of a router's outgoing interface.
 *
 * `lab:router("r", {nat = "eth1"})`: traffic the router forwards out of
 * eth1 leaves with eth1's address, as a home router does towards its
 * uplink. Installed over nfnetlink (an nftables table "netlab_nat" of the
 * ip family in the router's namespace, with a postrouting nat chain), never
 * by forking nft; errors carry the kernel's extack text and name the kernel
 * options when NAT support is missing (CONFIG_NF_TABLES, CONFIG_NFT_NAT,
 * CONFIG_NFT_MASQ). */
#ifndef NETLAB_NAT_H
#define NETLAB_NAT_H
#include "err.h"
#include <stdint.h>

/* The nftables table (family ip) that holds a router's masquerade rule. */
#define NAT_TABLE "netlab_nat"

int nat_masquerade(int netns_fd, const char *oifname, char *err);
/* The same in table (family ip) of the namespace netns_fd (< 0: the calling
 * thread's), for traffic from saddr only when saddr is not NULL (4 bytes). */
int nat_masquerade_in(int netns_fd, const char *table, const char *oifname,
                      const uint8_t *saddr, char *err);

/* `nat = {out = OIF, inbound = "drop"}`: a table inet NAT_FW_TABLE with a
 * forward chain: `iifname OIF ct state established,related accept;
 * iifname OIF drop` (IPv4 and IPv6: what the router forwards in through its
 * outside interface passes only as the answer to something sent out). */
#define NAT_FW_TABLE "netlab_natfw"
int nat_drop_inbound(int netns_fd, const char *oifname, char *err);

#endif
