/* dp_nft.c — the switch firewall (dp_fw.h) on the kernel path: an nftables
 * bridge-family table in the switch's namespace, installed as one nfnetlink
 * batch over libmnl (never by forking nft). Each rule of the model becomes
 * one nft rule per (ingress, egress) port pair, built from the expressions
 * nft itself would generate:
 *     meta iifname "p1"  meta oifname "p4"  meta protocol 0x0806
 *     [ether type 8021q] vlan id 10  accept|drop
 * (meta iifname/oifname are bridge ports in the bridge family; meta
 * protocol is the EtherType after the tag, which the bridge keeps out of the
 * frame). The chain hooks forward at priority 0 with the table's policy. */
#include "dp_fw.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter_bridge.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NFT_BUF (256 * 1024)

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

static void expr_meta(struct nlmsghdr *nlh, uint32_t key)
{
        struct nlattr *e = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
        mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "meta");
        struct nlattr *d = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
        mnl_attr_put_u32(nlh, NFTA_META_KEY, htonl(key));
        mnl_attr_put_u32(nlh, NFTA_META_DREG, htonl(NFT_REG_1));
        mnl_attr_nest_end(nlh, d);
        mnl_attr_nest_end(nlh, e);
}

static void expr_payload(struct nlmsghdr *nlh, uint32_t offset, uint32_t len)
{
        struct nlattr *e = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
        mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "payload");
        struct nlattr *d = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
        mnl_attr_put_u32(nlh, NFTA_PAYLOAD_DREG, htonl(NFT_REG_1));
        mnl_attr_put_u32(nlh, NFTA_PAYLOAD_BASE, htonl(NFT_PAYLOAD_LL_HEADER));
        mnl_attr_put_u32(nlh, NFTA_PAYLOAD_OFFSET, htonl(offset));
        mnl_attr_put_u32(nlh, NFTA_PAYLOAD_LEN, htonl(len));
        mnl_attr_nest_end(nlh, d);
        mnl_attr_nest_end(nlh, e);
}

static void expr_mask16(struct nlmsghdr *nlh, uint16_t mask)
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

static void expr_cmp(struct nlmsghdr *nlh, uint32_t op, const void *data, size_t len)
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

static void expr_verdict(struct nlmsghdr *nlh, uint32_t code)
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

static void match_ifname(struct nlmsghdr *nlh, uint32_t key, const char *name)
{
        char v[16] = {0};
        snprintf(v, sizeof(v), "%s", name);
        expr_meta(nlh, key);
        expr_cmp(nlh, NFT_CMP_EQ, v, sizeof(v));
}

static void put_rule(char *buf, size_t *off, uint32_t seq, const char *table,
                     const struct fw_rule *r, const char *in, const char *out)
{
        struct nlmsghdr *nlh =
            put_msg(buf, off, nft_type(NFT_MSG_NEWRULE), NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK,
                    seq, NFPROTO_BRIDGE, 0);
        mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, table);
        mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, "forward");
        struct nlattr *list = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
        if (in)
                match_ifname(nlh, NFT_META_IIFNAME, in);
        if (out)
                match_ifname(nlh, NFT_META_OIFNAME, out);
        if (r->ethertype) {
                uint16_t t = htons(r->ethertype);
                expr_meta(nlh, NFT_META_PROTOCOL);
                expr_cmp(nlh, r->not_ethertype ? NFT_CMP_NEQ : NFT_CMP_EQ, &t, 2);
        }
        if (r->vid) {
                uint16_t tpid = htons(0x8100), vid = htons(r->vid);
                expr_payload(nlh, 12, 2);
                expr_cmp(nlh, NFT_CMP_EQ, &tpid, 2);
                expr_payload(nlh, 14, 2);
                expr_mask16(nlh, 0x0fff);
                expr_cmp(nlh, NFT_CMP_EQ, &vid, 2);
        }
        expr_verdict(nlh, r->action == FW_DROP ? NF_DROP : NF_ACCEPT);
        mnl_attr_nest_end(nlh, list);
        end_msg(nlh, off);
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

static int send_batch(int netns_fd, char *buf, size_t len, uint32_t seq0, uint32_t nmsg,
                      char *extack)
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
                setns(self, CLONE_NEWNET);
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
        (void)seq0;
        (void)portid;
        saved = errno;
        mnl_socket_close(nl);
        errno = saved;
        if (extack)
                snprintf(extack, 256, "%s", a.extack);
        return rc;
}

int fw_nft_install(int netns_fd, const char *table, const struct fw_table *t, char *err)
{
        char *buf = malloc(NFT_BUF);
        if (!buf)
                return errf_sys(err, NULL, "Cannot install firewall table \"%s\"", table);
        size_t off = 0;
        uint32_t seq = (uint32_t)time(NULL), seq0 = seq, nmsg = 0;
        struct nlmsghdr *nlh =
            put_msg(buf, &off, NFNL_MSG_BATCH_BEGIN, 0, seq++, AF_UNSPEC, NFNL_SUBSYS_NFTABLES);
        end_msg(nlh, &off);
        nlh = put_msg(buf, &off, nft_type(NFT_MSG_NEWTABLE), NLM_F_CREATE | NLM_F_ACK, seq++,
                      NFPROTO_BRIDGE, 0);
        mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, table);
        end_msg(nlh, &off);
        nmsg++;
        nlh = put_msg(buf, &off, nft_type(NFT_MSG_NEWCHAIN), NLM_F_CREATE | NLM_F_ACK, seq++,
                      NFPROTO_BRIDGE, 0);
        mnl_attr_put_strz(nlh, NFTA_CHAIN_TABLE, table);
        mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, "forward");
        struct nlattr *hook = mnl_attr_nest_start(nlh, NFTA_CHAIN_HOOK);
        mnl_attr_put_u32(nlh, NFTA_HOOK_HOOKNUM, htonl(NF_BR_FORWARD));
        mnl_attr_put_u32(nlh, NFTA_HOOK_PRIORITY, htonl(0));
        mnl_attr_nest_end(nlh, hook);
        mnl_attr_put_u32(nlh, NFTA_CHAIN_POLICY, htonl(t->policy == FW_DROP ? NF_DROP : NF_ACCEPT));
        mnl_attr_put_strz(nlh, NFTA_CHAIN_TYPE, "filter");
        end_msg(nlh, &off);
        nmsg++;
        for (int i = 0; i < t->n; i++) {
                const struct fw_rule *r = &t->rules[i];
                int ni = r->nin ? r->nin : 1, no = r->nout ? r->nout : 1;
                for (int a = 0; a < ni; a++)
                        for (int b = 0; b < no; b++) {
                                if (off + 4096 > NFT_BUF) {
                                        free(buf);
                                        errno = E2BIG;
                                        return errf(err, "firewall of table \"%s\" is too large",
                                                    table);
                                }
                                put_rule(buf, &off, seq++, table, r, r->nin ? r->in[a] : NULL,
                                         r->nout ? r->out[b] : NULL);
                                nmsg++;
                        }
        }
        nlh = put_msg(buf, &off, NFNL_MSG_BATCH_END, 0, seq++, AF_UNSPEC, NFNL_SUBSYS_NFTABLES);
        end_msg(nlh, &off);
        char extack[256] = "";
        int rc = send_batch(netns_fd, buf, off, seq0, nmsg, extack);
        free(buf);
        if (rc < 0)
                return errf_sys(err, extack, "Cannot install nft bridge table \"%s\"", table);
        return 0;
}
