/* kind_switch.c — a switch (lab:switch): a Linux bridge in a namespace of
 * its own, named after the switch (or "br0" when the name is too long for
 * an interface), with ports p1, p2, ... Its VLAN settings go to the kernel
 * bridge here; a switch the kernel cannot do is the userspace datapath's
 * (plan.h, dp.h), and its firewall is applied for both paths by dp_firewalls_apply. */
#include "kind.h"
#include "plan.h"
#include "lab.h"
#include "nl.h"
#include <stddef.h>
#include <string.h>

static const char *const switch_keys[] = {NULL};
static const struct kind_sysctl switch_sysctls[] = {{NULL, NULL, false}};

static const char *switch_bridge_name(const struct lab *lab, int node)
{
        const char *name = lab->nodes[node].name;
        return strlen(name) <= IFNAME_MAX ? name : "br0";
}

static int switch_inside(struct kind_ctx *c, char *err)
{
        const struct lab *lab = c->lab;
        uint8_t mac[6] = {0x02,
                          (uint8_t)(lab->mac_prefix >> 8),
                          (uint8_t)lab->mac_prefix,
                          (uint8_t)(c->node >> 8),
                          (uint8_t)c->node,
                          0};
        c->master = nl_bridge_add(c->nl, switch_bridge_name(lab, c->node), mac, true, err);
        return c->master < 0 ? -1 : 0;
}

/* VLAN filtering and the ports' VLANs on a kernel bridge. */
static int switch_configure(struct kind_ctx *c, char *err)
{
        struct lab *lab = c->lab;
        if (plan_switch_in_userspace(lab, c->node) || !lab_switch_uses_vlan(lab, c->node))
                return 0;
        if (nl_bridge_vlan_filtering(c->nl, c->master, true, err) < 0)
                return -1;
        const struct node *n = &lab->nodes[c->node];
        for (int k = 0; k < n->nifaces; k++) {
                struct iface *f = &lab->ifaces[n->ifaces[k]];
                if (f->nvlan && nl_bridge_vlan_set(c->nl, f->ifindex, f->vlan, f->nvlan, err) < 0)
                        return -1; /* the message names the port: "s1:p1" */
        }
        return 0;
}

const struct node_kind kind_switch = {
    .name = "switch",
    .lua_keys = switch_keys,
    .ifprefix = "p",
    .ifbase = 1,
    .flags = KIND_BRIDGE,
    .sysctls = switch_sysctls,
    .inside = switch_inside,
    .configure = switch_configure,
    .own_ifname = switch_bridge_name,
};
