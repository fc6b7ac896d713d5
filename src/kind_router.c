/* kind_router.c — a router (lab:router): a host that forwards IPv4 (and
 * IPv6 when it has IPv6), and may masquerade out of one interface
 * ({nat = "eth1"}: an nft table in its own namespace, nat.h), dropping
 * what comes in there unasked ({nat = {out = "eth1", inbound = "drop"}}). */
#include "kind.h"
#include "lab.h"
#include "nat.h"
#include <errno.h>
#include <stddef.h>

static const char *const router_keys[] = {"gw", "ipv6", "routes", "nat", "dirs", NULL};
static const struct kind_sysctl router_sysctls[] = {
    {"net/ipv4/ip_forward", "1", false},
    {"net/ipv6/conf/all/forwarding", "1", true},
    {NULL, NULL, false},
};

static int router_validate(const struct lab *lab, int node, char *err)
{
        const struct node *n = &lab->nodes[node];
        if (n->nat_drop_inbound && !n->nat_out[0]) {
                errno = EINVAL;
                return errf(err, "nat: router \"%s\" drops inbound traffic but has no nat "
                                 "interface (nat = {out = \"eth1\", inbound = \"drop\"})", n->name);
        }
        if (n->nat_out[0] && lab_find_iface(lab, node, n->nat_out) < 0) {
                errno = EINVAL;
                return errf(err, "nat: router \"%s\" has no interface \"%s\"", n->name, n->nat_out);
        }
        return 0;
}

static int router_configure(struct kind_ctx *c, char *err)
{
        const struct node *n = &c->lab->nodes[c->node];
        if (!n->nat_out[0])
                return 0;
        int fd = lab_ns_fd(c->lab, n, CLONE_NEWNET, err);
        if (fd < 0 || nat_masquerade(fd, n->nat_out, err) < 0)
                return -1;
        return n->nat_drop_inbound ? nat_drop_inbound(fd, n->nat_out, err) : 0;
}

const struct node_kind kind_router = {
    .name = "router",
    .lua_keys = router_keys,
    .ifprefix = "eth",
    .ifbase = 0,
    .flags = KIND_L3,
    .sysctls = router_sysctls,
    .validate = router_validate,
    .configure = router_configure,
};
