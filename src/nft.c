/* nft.c — building nftables batches and sending them over nfnetlink
 * through the common transport (nlsock.h); see nft.h. */
#include "nft.h"
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* nfnetlink's header after the netlink one. */
static void put_nfgen(struct nlmsghdr *nlh, uint8_t family, uint16_t res_id)
{
        struct nfgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
        g->nfgen_family = family;
        g->version = NFNETLINK_V0;
        g->res_id = htons(res_id);
}

static uint16_t nft_type(int msg)
{
        return (uint16_t)((NFNL_SUBSYS_NFTABLES << 8) | msg);
}

void nft_expr_meta(struct nlmsghdr *nlh, uint32_t key)
{
        struct nlattr *e = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
        mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "meta");
        struct nlattr *d = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
        mnl_attr_put_u32(nlh, NFTA_META_KEY, htonl(key));
        mnl_attr_put_u32(nlh, NFTA_META_DREG, htonl(NFT_REG_1));
        mnl_attr_nest_end(nlh, d);
        mnl_attr_nest_end(nlh, e);
}

void nft_expr_payload(struct nlmsghdr *nlh, uint32_t base, uint32_t offset, uint32_t len)
{
        struct nlattr *e = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
        mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "payload");
        struct nlattr *d = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
        mnl_attr_put_u32(nlh, NFTA_PAYLOAD_DREG, htonl(NFT_REG_1));
        mnl_attr_put_u32(nlh, NFTA_PAYLOAD_BASE, htonl(base));
        mnl_attr_put_u32(nlh, NFTA_PAYLOAD_OFFSET, htonl(offset));
        mnl_attr_put_u32(nlh, NFTA_PAYLOAD_LEN, htonl(len));
        mnl_attr_nest_end(nlh, d);
        mnl_attr_nest_end(nlh, e);
}

/* reg1 = reg1 & MASK (len bytes, as given). */
static void expr_bitwise(struct nlmsghdr *nlh, const void *mask, uint32_t len)
{
        static const uint8_t zero[16];
        struct nlattr *e = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
        mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "bitwise");
        struct nlattr *d = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
        mnl_attr_put_u32(nlh, NFTA_BITWISE_SREG, htonl(NFT_REG_1));
        mnl_attr_put_u32(nlh, NFTA_BITWISE_DREG, htonl(NFT_REG_1));
        mnl_attr_put_u32(nlh, NFTA_BITWISE_LEN, htonl(len));
        struct nlattr *v = mnl_attr_nest_start(nlh, NFTA_BITWISE_MASK);
        mnl_attr_put(nlh, NFTA_DATA_VALUE, len, mask);
        mnl_attr_nest_end(nlh, v);
        v = mnl_attr_nest_start(nlh, NFTA_BITWISE_XOR);
        mnl_attr_put(nlh, NFTA_DATA_VALUE, len, zero);
        mnl_attr_nest_end(nlh, v);
        mnl_attr_nest_end(nlh, d);
        mnl_attr_nest_end(nlh, e);
}

void nft_expr_mask16(struct nlmsghdr *nlh, uint16_t mask)
{
        uint16_t m = htons(mask);
        expr_bitwise(nlh, &m, 2);
}

void nft_expr_cmp(struct nlmsghdr *nlh, uint32_t op, const void *data, size_t len)
{
        struct nlattr *e = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
        mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "cmp");
        struct nlattr *d = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
        mnl_attr_put_u32(nlh, NFTA_CMP_SREG, htonl(NFT_REG_1));
        mnl_attr_put_u32(nlh, NFTA_CMP_OP, htonl(op));
        struct nlattr *v = mnl_attr_nest_start(nlh, NFTA_CMP_DATA);
        mnl_attr_put(nlh, NFTA_DATA_VALUE, len, data);
        mnl_attr_nest_end(nlh, v);
        mnl_attr_nest_end(nlh, d);
        mnl_attr_nest_end(nlh, e);
}

void nft_expr_verdict(struct nlmsghdr *nlh, uint32_t code)
{
        struct nlattr *e = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
        mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "immediate");
        struct nlattr *d = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
        mnl_attr_put_u32(nlh, NFTA_IMMEDIATE_DREG, htonl(NFT_REG_VERDICT));
        struct nlattr *v = mnl_attr_nest_start(nlh, NFTA_IMMEDIATE_DATA);
        struct nlattr *vv = mnl_attr_nest_start(nlh, NFTA_DATA_VERDICT);
        mnl_attr_put_u32(nlh, NFTA_VERDICT_CODE, htonl(code));
        mnl_attr_nest_end(nlh, vv);
        mnl_attr_nest_end(nlh, v);
        mnl_attr_nest_end(nlh, d);
        mnl_attr_nest_end(nlh, e);
}

void nft_match_ifname(struct nlmsghdr *nlh, uint32_t key, const char *name)
{
        char v[16] = {0};
        snprintf(v, sizeof(v), "%s", name);
        nft_expr_meta(nlh, key);
        nft_expr_cmp(nlh, NFT_CMP_EQ, v, sizeof(v));
}

void nft_expr_ct(struct nlmsghdr *nlh, uint32_t key)
{
        struct nlattr *e = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
        mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "ct");
        struct nlattr *d = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
        mnl_attr_put_u32(nlh, NFTA_CT_KEY, htonl(key));
        mnl_attr_put_u32(nlh, NFTA_CT_DREG, htonl(NFT_REG_1));
        mnl_attr_nest_end(nlh, d);
        mnl_attr_nest_end(nlh, e);
}

void nft_expr_bitwise32(struct nlmsghdr *nlh, uint32_t mask)
{
        expr_bitwise(nlh, &mask, 4);
}

void nft_expr_masq(struct nlmsghdr *nlh)
{
        struct nlattr *e = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
        mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "masq");
        mnl_attr_nest_end(nlh, e);
}

#define NFT_MSG_ROOM 8192 /* the largest message (one rule) */

int nft_batch_init(struct nft_batch *b, size_t cap)
{
        memset(b, 0, sizeof(*b));
        b->buf = malloc(cap + NFT_MSG_ROOM);
        if (!b->buf)
                return -1;
        /* The sequence numbers are checked against the socket opened at
         * send time; time() keeps them apart from an earlier batch's. */
        nlbatch_init(&b->nb, b->buf, cap + NFT_MSG_ROOM, NFT_MSG_ROOM, (unsigned)time(NULL));
        struct nlmsghdr *nlh = nlbatch_add(&b->nb, NFNL_MSG_BATCH_BEGIN, 0);
        put_nfgen(nlh, AF_UNSPEC, NFNL_SUBSYS_NFTABLES);
        return 0;
}

void nft_batch_free(struct nft_batch *b)
{
        free(b->buf);
        b->buf = NULL;
}

struct nlmsghdr *nft_msg(struct nft_batch *b, int msg, uint16_t flags, uint8_t family)
{
        struct nlmsghdr *nlh = nlbatch_add(&b->nb, nft_type(msg), flags | NLM_F_ACK);
        b->overflow = b->nb.overflow;
        put_nfgen(nlh, family, 0);
        return nlh;
}

void nft_msg_end(struct nft_batch *b, struct nlmsghdr *nlh)
{
        (void)b; /* the batch measures each message when the next one starts */
        (void)nlh;
}

int nft_batch_send(struct nft_batch *b, int netns_fd, char *extack)
{
        if (extack)
                extack[0] = '\0';
        struct nlmsghdr *nlh = nlbatch_add(&b->nb, NFNL_MSG_BATCH_END, 0);
        put_nfgen(nlh, AF_UNSPEC, NFNL_SUBSYS_NFTABLES);
        if (b->nb.overflow) {
                errno = E2BIG;
                return -1;
        }
        struct nlsock s;
        if (nlsock_open(&s, NETLINK_NETFILTER, netns_fd, 0, NULL) < 0)
                return -1;
        char rbuf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(8)));
        int rc = nlsock_talk(&s, &b->nb, rbuf, sizeof(rbuf), NULL, NULL);
        int e = errno;
        if (rc < 0 && extack)
                snprintf(extack, NLSOCK_EXTACKLEN, "%s", s.extack);
        nlsock_close(&s);
        errno = e;
        return rc;
}

void nft_table(struct nft_batch *b, uint8_t family, const char *table)
{
        struct nlmsghdr *nlh = nft_msg(b, NFT_MSG_NEWTABLE, NLM_F_CREATE, family);
        mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, table);
        nft_msg_end(b, nlh);
}

void nft_base_chain(struct nft_batch *b, uint8_t family, const char *table, const char *chain,
                    uint32_t hook, int32_t prio, const char *type, uint32_t policy)
{
        struct nlmsghdr *nlh = nft_msg(b, NFT_MSG_NEWCHAIN, NLM_F_CREATE, family);
        mnl_attr_put_strz(nlh, NFTA_CHAIN_TABLE, table);
        mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, chain);
        struct nlattr *h = mnl_attr_nest_start(nlh, NFTA_CHAIN_HOOK);
        mnl_attr_put_u32(nlh, NFTA_HOOK_HOOKNUM, htonl(hook));
        mnl_attr_put_u32(nlh, NFTA_HOOK_PRIORITY, htonl((uint32_t)prio));
        mnl_attr_nest_end(nlh, h);
        mnl_attr_put_u32(nlh, NFTA_CHAIN_POLICY, htonl(policy));
        mnl_attr_put_strz(nlh, NFTA_CHAIN_TYPE, type);
        nft_msg_end(b, nlh);
}

void nft_table_del_handle(struct nft_batch *b, uint8_t family, uint64_t handle)
{
        struct nlmsghdr *nlh = nft_msg(b, NFT_MSG_DELTABLE, 0, family);
        mnl_attr_put_u64(nlh, NFTA_TABLE_HANDLE, htobe64(handle));
        nft_msg_end(b, nlh);
}

static int table_cb(const struct nlmsghdr *h, void *data)
{
        uint64_t *handle = data;
        const struct nlattr *a;
        mnl_attr_for_each(a, h, sizeof(struct nfgenmsg))
        {
                if (mnl_attr_get_type(a) == NFTA_TABLE_HANDLE &&
                    mnl_attr_validate(a, MNL_TYPE_U64) == 0)
                        *handle = be64toh(mnl_attr_get_u64(a));
        }
        return 0;
}

int nft_table_handle(int netns_fd, uint8_t family, const char *table, uint64_t *handle,
                     char *extack)
{
        if (extack)
                extack[0] = '\0';
        struct nlsock s;
        if (nlsock_open(&s, NETLINK_NETFILTER, netns_fd, 0, NULL) < 0)
                return -1;
        char buf[MNL_SOCKET_BUFFER_SIZE] __attribute__((aligned(8)));
        struct nlbatch b;
        nlbatch_init(&b, buf, sizeof(buf), 1024, nlsock_seq(&s));
        struct nlmsghdr *nlh = nlbatch_add(&b, nft_type(NFT_MSG_GETTABLE), NLM_F_ACK);
        put_nfgen(nlh, family, 0);
        mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, table);
        *handle = 0;
        int rc = nlsock_talk(&s, &b, buf, sizeof(buf), table_cb, handle);
        int e = errno;
        if (rc < 0 && extack)
                snprintf(extack, NLSOCK_EXTACKLEN, "%s", s.extack);
        nlsock_close(&s);
        if (rc == 0 && *handle == 0) {
                rc = -1;
                e = ENOENT;
        }
        errno = e;
        return rc;
}
