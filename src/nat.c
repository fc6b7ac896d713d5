/* nat.c — masquerade out of a router's interface, as one nftables batch
 * (table ip netlab_nat, chain postrouting: `oifname "eth1" masquerade`). */
#include "nat.h"
#include "nft.h"
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_conntrack_common.h>

/* ct state & (established | related) != 0 (as nft: its bit per state). */
static void expr_ct_established(struct nlmsghdr *nlh)
{
        uint32_t mask = NF_CT_STATE_BIT(IP_CT_ESTABLISHED) | NF_CT_STATE_BIT(IP_CT_RELATED);
        uint32_t zero = 0;
        nft_expr_ct(nlh, NFT_CT_STATE);
        nft_expr_bitwise32(nlh, mask);
        nft_expr_cmp(nlh, NFT_CMP_NEQ, &zero, sizeof(zero));
}

/* Sends b (and frees it): "Cannot WHAT "IFNAME"", naming the kernel's
 * missing FEATURE when it answers as a kernel without it does. */
static int batch_send(struct nft_batch *b, int netns_fd, const char *what, const char *ifname,
                      const char *feature, char *err)
{
        char extack[256];
        int rc = nft_batch_send(b, netns_fd, extack);
        nft_batch_free(b);
        if (rc < 0 && (errno == ENOENT || errno == EOPNOTSUPP) && !extack[0])
                return errf(err, "Cannot %s \"%s\": the kernel lacks %s", what, ifname, feature);
        if (rc < 0)
                return errf_sys(err, extack, "Cannot %s \"%s\"", what, ifname);
        return 0;
}

int nat_drop_inbound(int netns_fd, const char *oifname, char *err)
{
        struct nft_batch b;
        if (nft_batch_init(&b, 16 * 1024) < 0)
                return errf_sys(err, NULL, "Cannot drop inbound traffic on \"%s\"", oifname);
        nft_table(&b, NFPROTO_INET, NAT_FW_TABLE);
        nft_base_chain(&b, NFPROTO_INET, NAT_FW_TABLE, "forward", NF_INET_FORWARD, 0, "filter",
                       NF_ACCEPT);
        for (int drop = 0; drop < 2; drop++) {
                struct nlmsghdr *nlh =
                    nft_msg(&b, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND, NFPROTO_INET);
                mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, NAT_FW_TABLE);
                mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, "forward");
                struct nlattr *list = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
                nft_match_ifname(nlh, NFT_META_IIFNAME, oifname);
                if (!drop)
                        expr_ct_established(nlh);
                nft_expr_verdict(nlh, drop ? NF_DROP : NF_ACCEPT);
                mnl_attr_nest_end(nlh, list);
                nft_msg_end(&b, nlh);
        }
        return batch_send(&b, netns_fd, "drop inbound traffic on", oifname,
                          "nftables connection tracking (CONFIG_NF_TABLES_INET, "
                          "CONFIG_NF_CONNTRACK, CONFIG_NFT_CT)",
                          err);
}

int nat_masquerade(int netns_fd, const char *oifname, char *err)
{
        return nat_masquerade_in(netns_fd, NAT_TABLE, oifname, NULL, err);
}

int nat_masquerade_in(int netns_fd, const char *table, const char *oifname,
                      const uint8_t *saddr, char *err)
{
        struct nft_batch b;
        if (nft_batch_init(&b, 16 * 1024) < 0)
                return errf_sys(err, NULL, "Cannot set up NAT on \"%s\"", oifname);
        nft_table(&b, NFPROTO_IPV4, table);
        nft_base_chain(&b, NFPROTO_IPV4, table, "postrouting", NF_INET_POST_ROUTING, 100, "nat",
                       NF_ACCEPT);
        struct nlmsghdr *nlh =
            nft_msg(&b, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND, NFPROTO_IPV4);
        mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, table);
        mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, "postrouting");
        struct nlattr *list = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
        if (saddr) { /* ip saddr == SADDR */
                nft_expr_payload(nlh, NFT_PAYLOAD_NETWORK_HEADER, 12, 4);
                nft_expr_cmp(nlh, NFT_CMP_EQ, saddr, 4);
        }
        nft_match_ifname(nlh, NFT_META_OIFNAME, oifname);
        nft_expr_masq(nlh);
        mnl_attr_nest_end(nlh, list);
        nft_msg_end(&b, nlh);
        return batch_send(&b, netns_fd, "set up NAT on", oifname,
                          "nftables NAT (CONFIG_NF_TABLES, CONFIG_NFT_NAT, CONFIG_NFT_MASQ)", err);
}
