/* nft.h — nftables over nfnetlink: building and sending one batch.
 *
 * A batch is a buffer of netlink messages between NFNL_MSG_BATCH_BEGIN and
 * _END, applied by the kernel atomically. Each message asks for an ACK;
 * nft_batch_send sends it through the common netlink transport (nlsock.h)
 * from a socket in the given network namespace and reports the first error
 * with the kernel's extack text. The expression
 * helpers write what nft itself generates for `meta oifname "eth1"`,
 * `ether type arp`, `accept`, `masquerade`. Users: the switch firewall
 * (dp_nft.c) and router NAT (nat.c). */
#ifndef NETLAB_NFT_H
#define NETLAB_NFT_H
#include <libmnl/libmnl.h>
#include "nlsock.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nft_batch {
        char *buf;
        struct nlbatch nb;
        bool overflow; /* a message did not fit: nft_batch_send fails with E2BIG */
};

/* Starts a batch of at most cap bytes. Returns -1 (ENOMEM) on failure. */
int nft_batch_init(struct nft_batch *b, size_t cap);
void nft_batch_free(struct nft_batch *b);
/* Begins an NFT_MSG_* message (NLM_F_ACK added) for family (NFPROTO_*). When
 * the batch is full it returns a scratch message and sets overflow. */
struct nlmsghdr *nft_msg(struct nft_batch *b, int msg, uint16_t flags, uint8_t family);
void nft_msg_end(struct nft_batch *b, struct nlmsghdr *nlh);
/* Ends the batch and sends it in netns_fd (-1: the current namespace).
 * Returns 0, or -1 with errno and extack (NLSOCK_EXTACKLEN bytes, may be
 * NULL) filled with the kernel's text or "". */
int nft_batch_send(struct nft_batch *b, int netns_fd, char *extack);

/* Expressions, appended inside an NFTA_RULE_EXPRESSIONS nest. */
void nft_expr_meta(struct nlmsghdr *nlh, uint32_t key);
void nft_expr_payload(struct nlmsghdr *nlh, uint32_t base, uint32_t offset, uint32_t len);
void nft_expr_mask16(struct nlmsghdr *nlh, uint16_t mask);
void nft_expr_cmp(struct nlmsghdr *nlh, uint32_t op, const void *data, size_t len);
void nft_expr_verdict(struct nlmsghdr *nlh, uint32_t code);
void nft_expr_masq(struct nlmsghdr *nlh);
/* ct KEY (NFT_CT_*) into register 1. */
void nft_expr_ct(struct nlmsghdr *nlh, uint32_t key);
/* register 1 = register 1 & mask (4 bytes, host order as the ct state). */
void nft_expr_bitwise32(struct nlmsghdr *nlh, uint32_t mask);
/* meta iifname/oifname == name */
void nft_match_ifname(struct nlmsghdr *nlh, uint32_t key, const char *name);
/* A base chain: table, name, hook, priority, type ("filter", "nat"), policy. */
void nft_base_chain(struct nft_batch *b, uint8_t family, const char *table, const char *chain,
                    uint32_t hook, int32_t prio, const char *type, uint32_t policy);
void nft_table(struct nft_batch *b, uint8_t family, const char *table);
/* Deletes the table with this handle (handles are never reused in a
 * namespace: the exact table that was looked up, whatever its name now). */
void nft_table_del_handle(struct nft_batch *b, uint8_t family, uint64_t handle);
/* The handle of table in family, in netns_fd (-1: the current namespace).
 * 0, or -1 with errno (ENOENT: no such table) and extack. */
int nft_table_handle(int netns_fd, uint8_t family, const char *table, uint64_t *handle,
                     char *extack);

#endif
