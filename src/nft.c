/* nft.c — building and sending nftables batches over nfnetlink (see nft.h). */
#include "nft.h"
#include "netns.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct nlmsghdr *put_msg(char *buf, size_t *off, uint16_t type, uint16_t flags, uint32_t seq,
                                uint8_t family, uint16_t res_id)
{
        struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + *off);
        nlh->nlmsg_type = type;
        nlh->nlmsg_flags = NLM_F_REQUEST | flags;
        nlh->nlmsg_seq = seq;
        struct nfgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
        g->nfgen_family = family;
        g->version = NFNETLINK_V0;
        g->res_id = htons(res_id);
        return nlh;
}

static void end_msg(struct nlmsghdr *nlh, size_t *off)
{
        *off += NLMSG_ALIGN(nlh->nlmsg_len);
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

void nft_expr_mask16(struct nlmsghdr *nlh, uint16_t mask)
{
        uint16_t m = htons(mask), x = 0;
        struct nlattr *e = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
        mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "bitwise");
        struct nlattr *d = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
        mnl_attr_put_u32(nlh, NFTA_BITWISE_SREG, htonl(NFT_REG_1));
        mnl_attr_put_u32(nlh, NFTA_BITWISE_DREG, htonl(NFT_REG_1));
        mnl_attr_put_u32(nlh, NFTA_BITWISE_LEN, htonl(2));
        struct nlattr *v = mnl_attr_nest_start(nlh, NFTA_BITWISE_MASK);
        mnl_attr_put(nlh, NFTA_DATA_VALUE, 2, &m);
        mnl_attr_nest_end(nlh, v);
        v = mnl_attr_nest_start(nlh, NFTA_BITWISE_XOR);
        mnl_attr_put(nlh, NFTA_DATA_VALUE, 2, &x);
        mnl_attr_nest_end(nlh, v);
        mnl_attr_nest_end(nlh, d);
        mnl_attr_nest_end(nlh, e);
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

struct ack_ctx {
        char extack[256];
};

static int err_cb(const struct nlmsghdr *nlh, void *data)
{
        struct ack_ctx *a = data;
        const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
        if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
                return MNL_CB_ERROR;
        if (e->error == 0)
                return MNL_CB_STOP;
        if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
                size_t off = sizeof(*e);
                if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
                        off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
                const char *p = (const char *)e + off;
                const char *endp = (const char *)nlh + nlh->nlmsg_len;
                for (const struct nlattr *attr = (const void *)p;
                     mnl_attr_ok(attr, (int)(endp - (const char *)attr));
                     attr = mnl_attr_next(attr))
                        if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG)
                                snprintf(a->extack, sizeof(a->extack), "%s",
                                         mnl_attr_get_str(attr));
        }
        errno = -e->error;
        return MNL_CB_ERROR;
}

static int send_batch(int netns_fd, char *buf, size_t len, uint32_t nmsg, char *extack)
{
        int self = -1;
        if (netns_fd >= 0) {
                self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
                if (self < 0 || setns(netns_fd, CLONE_NEWNET) < 0) {
                        if (self >= 0)
                                close(self);
                        return -1;
                }
        }
        struct mnl_socket *nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
        int saved = errno;
        if (self >= 0) {
                netns_return(self, CLONE_NEWNET);
                close(self);
        }
        if (!nl) {
                errno = saved;
                return -1;
        }
        int one = 1, rc = 0;
        mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
        if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 || mnl_socket_sendto(nl, buf, len) < 0) {
                saved = errno;
                mnl_socket_close(nl);
                errno = saved;
                return -1;
        }
        uint32_t portid = mnl_socket_get_portid(nl);
        char rbuf[MNL_SOCKET_BUFFER_SIZE];
        struct ack_ctx a = {{0}};
        /* One ACK per message that asked for one; stop at the first error. */
        for (uint32_t got = 0; got < nmsg && rc == 0;) {
                ssize_t r = mnl_socket_recvfrom(nl, rbuf, sizeof(rbuf));
                if (r <= 0) {
                        rc = -1;
                        break;
                }
                int n = (int)r;
                for (const struct nlmsghdr *h = (const void *)rbuf; mnl_nlmsg_ok(h, n);
                     h = mnl_nlmsg_next(h, &n)) {
                        if (h->nlmsg_type == NLMSG_ERROR) {
                                got++;
                                if (err_cb(h, &a) == MNL_CB_ERROR) {
                                        rc = -1;
                                        break;
                                }
                        }
                }
        }
        (void)portid;
        saved = errno;
        mnl_socket_close(nl);
        errno = saved;
        if (extack)
                snprintf(extack, 256, "%s", a.extack);
        return rc;
}

void nft_expr_masq(struct nlmsghdr *nlh)
{
        struct nlattr *e = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
        mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "masq");
        mnl_attr_nest_end(nlh, e);
}

int nft_batch_init(struct nft_batch *b, size_t cap)
{
        memset(b, 0, sizeof(*b));
        /* Room for one scratch message past cap, used once the batch is full. */
        b->buf = malloc(cap + 8192);
        if (!b->buf)
                return -1;
        b->cap = cap;
        b->seq = (uint32_t)time(NULL);
        struct nlmsghdr *nlh = put_msg(b->buf, &b->off, NFNL_MSG_BATCH_BEGIN, 0, b->seq++,
                                       AF_UNSPEC, NFNL_SUBSYS_NFTABLES);
        end_msg(nlh, &b->off);
        return 0;
}

void nft_batch_free(struct nft_batch *b)
{
        free(b->buf);
        b->buf = NULL;
}

struct nlmsghdr *nft_msg(struct nft_batch *b, int msg, uint16_t flags, uint8_t family)
{
        if (b->off + 8192 > b->cap) {
                b->overflow = true;
                size_t scratch = b->cap;
                return put_msg(b->buf, &scratch, nft_type(msg), flags | NLM_F_ACK, 0, family, 0);
        }
        b->nmsg++;
        return put_msg(b->buf, &b->off, nft_type(msg), flags | NLM_F_ACK, b->seq++, family, 0);
}

void nft_msg_end(struct nft_batch *b, struct nlmsghdr *nlh)
{
        if ((char *)nlh == b->buf + b->off)
                end_msg(nlh, &b->off);
}

int nft_batch_send(struct nft_batch *b, int netns_fd, char *extack)
{
        if (extack)
                extack[0] = '\0';
        if (b->overflow) {
                errno = E2BIG;
                return -1;
        }
        struct nlmsghdr *nlh = put_msg(b->buf, &b->off, NFNL_MSG_BATCH_END, 0, b->seq++, AF_UNSPEC,
                                       NFNL_SUBSYS_NFTABLES);
        end_msg(nlh, &b->off);
        return send_batch(netns_fd, b->buf, b->off, b->nmsg, extack);
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
