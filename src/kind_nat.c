/* kind_nat.c — a NAT node (lab:nat), Mininet's --nat: the lab's way out to
 * whatever the namespace netlab runs in reaches (the real network, on a real
 * machine; apt-get inside a node).
 *
 * The node has its lab links like any router, plus one more leg, "uplink",
 * a veth whose other end is in netlab's own namespace (the host). The two
 * ends share a /30 of 100.64.0.0/10 chosen from the lab's name. Inside, the
 * node forwards and masquerades what leaves by uplink; its default route
 * goes to the host end. On the host, the lab's traffic (now from the node's
 * uplink address alone) is masqueraded once more out of the interface that
 * carries the host's default route, and IPv4 forwarding is turned on. Each
 * host-side object is journaled with its identity before it exists
 * (hostobj.h: the veth end, the nft table netlab_LAB, the forwarding sysctl
 * with its value before), so `netlab clean` takes them back after a crash.
 * Hosts of the lab with no default gateway that share a subnet with the NAT
 * node's lab side get it as their gateway, as Mininet's configDefault does. */
#include "hostobj.h"
#include "kind.h"
#include "lab.h"
#include "nat.h"
#include "nl.h"
#include <errno.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const nat_keys[] = {NULL};
static const struct kind_sysctl nat_sysctls[] = {
    {"net/ipv4/ip_forward", "1", false},
    {NULL, NULL, false},
};

/* The host end's name: "nl" and 8 hex digits of the lab and node names. */
static void host_ifname(const struct lab *lab, int node, char *buf, size_t len)
{
        snprintf(buf, len, "nl%08x", hostobj_node_hash(lab->name, lab->nodes[node].name));
}

/* 100.64.0.0/10: the /30 of this NAT node; host end .1, node end .2. */
static void uplink_addrs(const struct lab *lab, int node, struct ipaddr *host, struct ipaddr *nat)
{
        uint32_t h = hostobj_node_hash(lab->name, lab->nodes[node].name);
        uint8_t net[4] = {100, (uint8_t)(64 | ((h >> 16) & 63)), (uint8_t)(h >> 8),
                          (uint8_t)(h & 0xfc)};
        memset(host, 0, sizeof(*host));
        host->family = AF_INET;
        host->prefix = 30;
        memcpy(host->a, net, 4);
        *nat = *host;
        host->a[3] |= 1;
        nat->a[3] |= 2;
}

/* Hosts of the lab that have no gateway and share a subnet with the NAT
 * node's lab side: the NAT node becomes their gateway. */
static int be_the_gateway(struct lab *lab, int node, char *err)
{
        const struct node *nat = &lab->nodes[node];
        for (int k = 0; k < nat->nifaces; k++) {
                const struct iface *nf = &lab->ifaces[nat->ifaces[k]];
                for (int a = 0; a < nf->naddr; a++) {
                        if (nf->addr[a].family != AF_INET)
                                continue;
                        for (int i = 0; i < lab->nnodes; i++) {
                                struct node *h = &lab->nodes[i];
                                if (i == node || !lab_node_live(lab, i) || h->gw4.family ||
                                    !(h->kind->flags & KIND_L3) || h->kind == &kind_router)
                                        continue;
                                bool same = false;
                                for (int j = 0; j < h->nifaces && !same; j++) {
                                        const struct iface *hf = &lab->ifaces[h->ifaces[j]];
                                        for (int b = 0; b < hf->naddr && !same; b++)
                                                same = hf->addr[b].family == AF_INET &&
                                                       ipaddr_same_subnet(&nf->addr[a], &hf->addr[b]);
                                }
                                if (!same)
                                        continue;
                                int hfd = lab_ns_fd(lab, h, CLONE_NEWNET, err);
                                struct nl *hn = hfd < 0 ? NULL : nl_open(hfd, err);
                                if (!hn)
                                        return -1;
                                struct ipaddr gw = nf->addr[a];
                                gw.prefix = 32;
                                int rc = nl_route_add(hn, NULL, &gw, 0, err);
                                nl_close(hn);
                                if (rc < 0 && errno != EEXIST)
                                        return -1;
                                h->gw4 = gw;
                        }
                }
        }
        return 0;
}

static const char *nat_own_ifname(const struct lab *lab, int node)
{
        (void)lab, (void)node;
        return "uplink";
}

static int nat_configure(struct kind_ctx *c, char *err)
{
        struct lab *lab = c->lab;
        const struct node *n = &lab->nodes[c->node];
        char hname[16], oif[IF_NAMESIZE], table[64], e[ERRLEN];
        host_ifname(lab, c->node, hname, sizeof(hname));
        struct ipaddr host_a, nat_a;
        uplink_addrs(lab, c->node, &host_a, &nat_a);
        struct nl *host = nl_open(-1, err);
        if (!host)
                return -1;
        int rc = -1, hidx = 0, nidx = 0;
        if (hostobj_default_route_if(host, oif, sizeof(oif), e) < 0) {
                errf(err, "%s%s", e,
                     errno == ENETUNREACH ? ": a NAT node has nowhere to send the lab's traffic" : "");
                goto out;
        }
        /* The host end: journaled, made, given its identity. */
        if (hostobj_link_claim(lab, hname, err) < 0)
                goto out;
        struct veth_end he = {.name = hname, .label = hname, .netns_fd = -1, .up = true};
        int nfd = lab_ns_fd(c->lab, n, CLONE_NEWNET, err);
        if (nfd < 0)
                goto out;
        struct veth_end ne = {.name = "uplink", .label = "uplink", .netns_fd = nfd,
                              .up = true};
        if (nl_veth_add(host, &he, &ne, &hidx, &nidx, err) < 0 ||
            hostobj_link_commit(lab, host, hname, hidx, err) < 0)
                goto out;
        if (nl_addr_add(host, hidx, &host_a, err) < 0)
                goto out;
        nidx = nl_link_index(c->nl, "uplink", err);
        if (nidx < 0 || nl_link_set_up(c->nl, nidx, true, err) < 0 ||
            nl_addr_add(c->nl, nidx, &nat_a, err) < 0)
                goto out;
        struct ipaddr gw = host_a;
        gw.prefix = 32;
        if (nl_route_add(c->nl, NULL, &gw, nidx, err) < 0)
                goto out;
        /* Inside: the lab's traffic leaves with the uplink's address. */
        if ((nfd = lab_ns_fd(c->lab, n, CLONE_NEWNET, err)) < 0 ||
            nat_masquerade(nfd, "uplink", err) < 0)
                goto out;
        /* The host: forwarding (journaled with its value before), then the
         * uplink's address masqueraded out of the default route's interface. */
        if (hostobj_sysctl_set(lab, "net/ipv4/ip_forward", "1", err) < 0)
                goto out;
        hostobj_nft_table(lab->name, NULL, table, sizeof(table));
        if (hostobj_nft_claim(lab, NFPROTO_IPV4, table, err) < 0)
                goto out;
        if (nat_masquerade_in(-1, table, oif, nat_a.a, e) < 0) {
                errf(err, "on the host: %s", e);
                goto out;
        }
        if (hostobj_nft_commit(lab, NFPROTO_IPV4, table, err) < 0)
                goto out;
        rc = be_the_gateway(lab, c->node, err);
out:
        nl_close(host);
        return rc;
}

const struct node_kind kind_nat = {
    .name = "nat",
    .lua_keys = nat_keys,
    .ifprefix = "eth",
    .ifbase = 0,
    .flags = KIND_L3,
    .sysctls = nat_sysctls,
    .configure = nat_configure,
    .own_ifname = nat_own_ifname,
};
