/* dp_nft.c — the switch firewall (fw.h) on the kernel path: an nftables
 * bridge-family table in the switch's namespace, installed as one nfnetlink
 * batch over libmnl (never by forking nft). Each rule of the model becomes
 * one nft rule per (ingress, egress) port pair, built from the expressions
 * nft itself would generate:
 *     meta iifname "p1"  meta oifname "p4"  meta protocol 0x0806
 *     [ether type 8021q] vlan id 10  accept|drop
 * (meta iifname/oifname are bridge ports in the bridge family; meta
 * protocol is the EtherType after the tag, which the bridge keeps out of the
 * frame). The chain hooks forward at priority 0 with the table's policy. */
#include "dp.h"
#include "fw.h"
#include "nft.h"
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

static void put_rule(struct nft_batch *bt, const char *table, const struct fw_rule *r,
                     const char *in, const char *out)
{
        struct nlmsghdr *nlh =
            nft_msg(bt, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND, NFPROTO_BRIDGE);
        mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, table);
        mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, "forward");
        struct nlattr *list = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
        if (in)
                nft_match_ifname(nlh, NFT_META_IIFNAME, in);
        if (out)
                nft_match_ifname(nlh, NFT_META_OIFNAME, out);
        if (r->ethertype) {
                uint16_t t = htons(r->ethertype);
                nft_expr_meta(nlh, NFT_META_PROTOCOL);
                nft_expr_cmp(nlh, r->not_ethertype ? NFT_CMP_NEQ : NFT_CMP_EQ, &t, 2);
        }
        if (r->vid) {
                uint16_t tpid = htons(0x8100), vid = htons(r->vid);
                nft_expr_payload(nlh, NFT_PAYLOAD_LL_HEADER, 12, 2);
                nft_expr_cmp(nlh, NFT_CMP_EQ, &tpid, 2);
                nft_expr_payload(nlh, NFT_PAYLOAD_LL_HEADER, 14, 2);
                nft_expr_mask16(nlh, 0x0fff);
                nft_expr_cmp(nlh, NFT_CMP_EQ, &vid, 2);
        }
        nft_expr_verdict(nlh, r->action == FW_DROP ? NF_DROP : NF_ACCEPT);
        mnl_attr_nest_end(nlh, list);
        nft_msg_end(bt, nlh);
}

int fw_nft_install(int netns_fd, const char *table, const struct fw_table *t, char *err)
{
        struct nft_batch b;
        if (nft_batch_init(&b, 256 * 1024) < 0)
                return errf_sys(err, NULL, "Cannot install firewall table \"%s\"", table);
        nft_table(&b, NFPROTO_BRIDGE, table);
        nft_base_chain(&b, NFPROTO_BRIDGE, table, "forward", NF_BR_FORWARD, 0, "filter",
                       t->policy == FW_DROP ? NF_DROP : NF_ACCEPT);
        for (int i = 0; i < t->n; i++) {
                const struct fw_rule *r = &t->rules[i];
                int ni = r->nin ? r->nin : 1, no = r->nout ? r->nout : 1;
                for (int a = 0; a < ni; a++)
                        for (int o = 0; o < no; o++)
                                put_rule(&b, table, r, r->nin ? r->in[a] : NULL,
                                         r->nout ? r->out[o] : NULL);
        }
        char extack[256];
        bool too_big = b.overflow;
        int rc = nft_batch_send(&b, netns_fd, extack);
        nft_batch_free(&b);
        if (too_big)
                return errf(err, "firewall of table \"%s\" is too large", table);
        if (rc < 0)
                return errf_sys(err, extack, "Cannot install nft bridge table \"%s\"", table);
        return 0;
}
