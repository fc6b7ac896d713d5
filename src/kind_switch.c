/* kind_switch.c — a switch (lab:switch): by default a Linux bridge in a
 * namespace of its own, named after the switch (or "br0" when the name is
 * too long for an interface), with ports p1, p2, ... Its VLAN settings go
 * to the kernel bridge here; a switch the kernel cannot do is the userspace
 * datapath's (plan.h, dp.h), and its firewall is applied for both paths by
 * dp_firewalls_apply. A switch's class (swclass.h: bridge, user, ovs)
 * decides the rest: this file calls the class's setup, start and stop. */
#include "kind.h"
#include "ovs.h"
#include "plan.h"
#include "lab.h"
#include "nl.h"
#include "swclass.h"
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* dirs: a switch's namespace may run services (an STP or LLDP daemon) that
 * want files of their own, as a host's. */
static const char *const switch_keys[] = {"class", "fail_mode", "stp", "dirs", NULL};
static const struct kind_sysctl switch_sysctls[] = {{NULL, NULL, false}};

static const char *switch_bridge_name(const struct lab *lab, int node)
{
        const char *name = lab->nodes[node].name;
        return strlen(name) <= IFNAME_MAX ? name : "br0";
}

static int switch_validate(const struct lab *lab, int node, char *err)
{
        const struct switch_class *c = swclass_get(swclass_of(lab, node));
        return c->setup ? c->setup(lab, node, err) : 0;
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
        if (c->master < 0)
                return -1;
        /* STP before any port: a ring never forwards a frame around unchecked */
        int fd = lab->nodes[c->node].stp;
        return fd ? nl_bridge_stp(c->nl, c->master, fd, err) : 0;
}

int lab_switch_flush_fdb(struct lab *lab, int node, char *err)
{
        const struct node *n = &lab->nodes[node];
        if (!lab_node_has(lab, node, KIND_BRIDGE)) {
                errno = EINVAL;
                return errf(err, "\"%s\" is a %s, not a switch", n->name, n->kind->name);
        }
        if (lab->state != LAB_UP) {
                errno = EAGAIN;
                return errf(err, "lab \"%s\" is not running", lab->name);
        }
        if (!swclass_kernel_bridge(lab, node)) {
                errno = EOPNOTSUPP;
                return errf(err,
                            "\"%s\" is not a kernel bridge here (%s): netlab flushes the FDB "
                            "of kernel bridges only",
                            n->name,
                            swclass_of(lab, node) == SWCLASS_OVS ? "Open vSwitch"
                                                                 : "the userspace datapath");
        }
        struct nl *nl = lab_nl_open(lab, n, err);
        if (!nl)
                return -1;
        int br = nl_link_index(nl, switch_bridge_name(lab, node), err);
        int rc = br > 0 ? nl_bridge_fdb_flush(nl, br, err) : -1;
        nl_close(nl);
        return rc;
}

/* VLAN filtering and the ports' VLANs on a kernel bridge; a class's own
 * start (OVS) otherwise. */
static int switch_configure(struct kind_ctx *c, char *err)
{
        struct lab *lab = c->lab;
        const struct switch_class *cls = swclass_get(swclass_of(lab, c->node));
        if (cls->start)
                return cls->start(c, err);
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

/* A class's stop, except at the lab's teardown for OVS: its bridges go
 * with the lab's OVS (its daemons die with LAB._ovs). */
static int switch_teardown(struct lab *lab, int node, char *err)
{
        const struct switch_class *cls = swclass_get(swclass_of(lab, node));
        if (!cls->stop || swclass_of(lab, node) == SWCLASS_OVS)
                return 0;
        return cls->stop(lab, node, err);
}

/* Ports of an OVS switch share the lab's OVS namespace: SWITCH-pN. */
static void switch_auto_ifname(const struct lab *lab, int node, int k, char *buf, size_t len)
{
        if (swclass_of(lab, node) == SWCLASS_OVS)
                ovs_port_name(lab, node, k, buf, len);
        else
                snprintf(buf, len, "p%d", 1 + k);
}

const struct node_kind kind_switch = {
    .name = "switch",
    .lua_keys = switch_keys,
    .ifprefix = "p",
    .ifbase = 1,
    .flags = KIND_BRIDGE,
    .sysctls = switch_sysctls,
    .validate = switch_validate,
    .inside = switch_inside,
    .configure = switch_configure,
    .teardown = switch_teardown,
    .own_ifname = switch_bridge_name,
    .auto_ifname = switch_auto_ifname,
};
