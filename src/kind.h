/* kind.h — node kinds: each kind of node is one table of operations.
 *
 * What makes a host a host and a switch a switch lives in one file per kind
 * (kind_host.c, kind_switch.c, kind_router.c), each defining one struct
 * node_kind, as iproute2 has one struct link_util per link kind; kind.c
 * lists them. The rest of netlab asks the table (its name, flags, hooks)
 * and never switches on a kind. Adding a node kind is one file and one
 * entry in kind.c's list: lab:NAME() in Lua, node.kind, the build and the
 * console (ui/draw.c's style table has a default) follow from the table.
 *
 * A build calls a kind's hooks in this order, per node:
 *   sysctls, inside   in the node's new namespace (from a worker thread:
 *                     touch only this node), after lo is up
 *   configure         once links, addresses, routes, qdiscs and firewalls
 *                     exist, before the datapath starts
 *   teardown          at lab_teardown, before the namespaces close
 * and lab_validate calls validate before anything exists.
 *
 * Everything a kind makes inside its node's namespaces goes away with them.
 * What a kind makes in the host's namespace (issue 14's NAT and uplink) it
 * makes through hostobj.h, which journals each object with its identity:
 * `netlab clean` removes those from the journal alone, after a crash as
 * after a stop, so a kind has no clean hook of its own. */
#ifndef NETLAB_KIND_H
#define NETLAB_KIND_H
#include <stdbool.h>
#include <stddef.h>

struct lab;
struct nl;

enum kind_flags {
        KIND_L3 = 1 << 0,    /* interfaces carry addresses; gateways, routes, IPv6,
                                802.1Q subinterfaces (hosts, routers) */
        KIND_BRIDGE = 1 << 1 /* a bridge joins the ports: VLAN entries on ports, a
                                firewall, switch:vlans() (switches) */
};

/* A sysctl written inside the node's namespace at creation. */
struct kind_sysctl {
        const char *path; /* under /proc/sys: "net/ipv4/ip_forward" */
        const char *value;
        bool ipv6; /* only when the node has IPv6 */
};

/* What a build hook works on. */
struct kind_ctx {
        struct lab *lab;
        int node;
        struct nl *nl; /* a netlink socket in the node's namespace */
        int master;    /* ifindex the node's ports are enslaved to (0: none);
                          inside() sets it, configure() reads it */
};

struct node_kind {
        const char *name;                  /* "host": lab:host(), node.kind, messages */
        const char *const *lua_keys;       /* options lab:NAME(name, {...}) takes */
        const char *ifprefix;              /* automatic interface names: prefix ... */
        int ifbase;                        /* ... and first number: eth0, p1 */
        unsigned flags;                    /* enum kind_flags */
        const struct kind_sysctl *sysctls; /* ends with {NULL} */
        /* Each hook may be NULL; each returns 0 or -1 with err naming what
         * failed (the caller adds the node and the place in the lab file). */
        int (*validate)(const struct lab *lab, int node, char *err);
        int (*inside)(struct kind_ctx *c, char *err);
        int (*configure)(struct kind_ctx *c, char *err);
        int (*teardown)(struct lab *lab, int node, char *err);
        /* An interface name the kind takes for itself in the node (the
         * switch's bridge), which no port may take; NULL: none. */
        const char *(*own_ifname)(const struct lab *lab, int node);
        /* The automatic name of node's k-th port (from 0), when it is not
         * ifprefix followed by ifbase + k; NULL: that. */
        void (*auto_ifname)(const struct lab *lab, int node, int k, char *buf, size_t len);
};

extern const struct node_kind kind_host, kind_switch, kind_router, kind_nat;

/* Every kind, ending with NULL. */
extern const struct node_kind *const node_kinds[];

/* The kind called name, or NULL. */
const struct node_kind *node_kind_find(const char *name);

#endif
