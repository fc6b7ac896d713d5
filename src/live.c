/* live.c — changes to a running lab (live.h): each checked against the
 * whole lab first, then made in the model (lab_add_*, under lab->editing)
 * and in the kernel (build.c's one-object steps), and undone in the model
 * when the kernel refuses. What the userspace datapath carries (its
 * switches, wires and subinterfaces) follows through dp_reload: the running
 * datapath takes its new configuration without a restart (or starts, for a
 * lab's first job for it). A plain link that gets impairments where only
 * the datapath has them is made again as a wire (its veth pair replaced by
 * two, into the datapath's namespace, with the same names, MACs, addresses
 * and routes); a switch that gets its first VLAN where only the datapath
 * does VLANs hands its ports from its kernel bridge to the datapath. */
#include "live.h"
#include "dp.h"
#include "hosts.h"
#include "journal.h"
#include "netns.h"
#include "nl.h"
#include "ovs.h"
#include "plan.h"
#include "proc.h"
#include "swclass.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

static int need_up(const struct lab *lab, const char *what, char *err)
{
        if (lab->state == LAB_UP)
                return 0;
        errno = ENOTCONN;
        return errf(err, "Cannot %s: lab \"%s\" is not running", what, lab->name);
}

static bool iface_on_datapath(const struct lab *lab, int iface)
{
        const struct iface *f = &lab->ifaces[iface];
        if (f->link < 0)
                return plan_subif_in_userspace(lab);
        return plan_link_on_wire(lab, f->link) ||
               (lab_node_has(lab, f->node, KIND_BRIDGE) && plan_switch_in_userspace(lab, f->node));
}

static bool link_on_datapath(const struct lab *lab, int link)
{
        const struct link *l = &lab->links[link];
        return iface_on_datapath(lab, l->a) || iface_on_datapath(lab, l->b);
}

bool live_node_on_datapath(const struct lab *lab, int node)
{
        const struct node *n = &lab->nodes[node];
        for (int k = 0; k < n->nifaces; k++) {
                int i = n->ifaces[k];
                if (iface_on_datapath(lab, i))
                        return true;
                int peer = lab_iface_peer(lab, i);
                if (peer >= 0 && iface_on_datapath(lab, peer))
                        return true;
        }
        return false;
}

/* The datapath takes the lab's new state (dp.h). */
static int dp_follow(struct lab *lab, const char *what, char *err)
{
        char e[ERRLEN];
        if (dp_reload(lab, NULL, e) < 0)
                return errf(err, "Cannot %s: %s", what, e);
        return 0;
}

/* Model helpers that run the model's own checks on a built lab. */
static int edit_begin(struct lab *lab)
{
        lab->editing = true;
        return 0;
}

static void edit_end(struct lab *lab)
{
        lab->editing = false;
}

int live_add_node(struct lab *lab, const char *kind, const char *name, const char *where,
                  char *err)
{
        char what[64];
        snprintf(what, sizeof(what), "add node \"%s\"", name);
        if (need_up(lab, what, err) < 0)
                return -1;
        const struct node_kind *k = node_kind_find(kind);
        if (!k) {
                errno = EINVAL;
                return errf(err, "Cannot add node \"%s\": no node kind \"%s\" (host, switch, router)",
                            name, kind);
        }
        edit_begin(lab);
        int n = lab_add_node(lab, name, k, where, err);
        edit_end(lab);
        if (n < 0)
                return -1;
        if (lab_build_node(lab, n, err) < 0) {
                int saved = errno;
                char e[ERRLEN];
                live_del_node(lab, n, e);
                errno = saved;
                return -1;
        }
        return n;
}

/* Unique MACs on a node whose interfaces came and went (the model derives
 * the last byte from the interface count). */
static void mac_unique(struct lab *lab, int iface)
{
        struct iface *f = &lab->ifaces[iface];
        const struct node *n = &lab->nodes[f->node];
        for (int tries = 0; tries < 256; tries++) {
                bool clash = false;
                for (int k = 0; k < n->nifaces && !clash; k++)
                        clash = n->ifaces[k] != iface &&
                                !memcmp(lab->ifaces[n->ifaces[k]].mac, f->mac, 6);
                if (!clash)
                        return;
                f->mac[5]++;
        }
}

static int need_live_node(const struct lab *lab, int node, char *err)
{
        if (lab_node_live(lab, node))
                return 0;
        errno = ENOENT;
        return errf(err, "node \"%s\" was deleted",
                    node >= 0 && node < lab->nnodes ? lab->nodes[node].name : "?");
}

/* Removes a link's veth pair (deleting one end takes the other): what a
 * node's removal does first, so that the other end is gone at once and its
 * name free again. */
static void link_kernel_del(struct lab *lab, int link)
{
        const struct link *l = &lab->links[link];
        int ends[2] = {l->a, l->b};
        for (int k = 0; k < 2; k++) {
                const struct iface *f = &lab->ifaces[ends[k]];
                const struct node *n = &lab->nodes[f->node];
                char e[ERRLEN];
                if (!n->made)
                        continue;
                /* Open vSwitch keeps a port bound to the device it opened:
                 * the port goes first, or a link made again under the same
                 * name would never be read by it. */
                if (swclass_of(lab, f->node) == SWCLASS_OVS)
                        ovs_port_del(lab, ends[k], e);
                struct nl *nl = lab_nl_open(lab, n, e);
                if (!nl)
                        continue;
                int ix = nl_link_index(nl, f->name, e);
                if (ix > 0)
                        nl_link_del(nl, ix, e);
                nl_close(nl);
        }
}

static bool node_reaches(const struct lab *lab, int node, const struct ipaddr *gw)
{
        const struct node *n = &lab->nodes[node];
        for (int k = 0; k < n->nifaces; k++) {
                const struct iface *f = &lab->ifaces[n->ifaces[k]];
                for (int a = 0; a < f->naddr; a++)
                        if (ipaddr_same_subnet(&f->addr[a], gw))
                                return true;
        }
        return false;
}

/* The kernel drops the routes through an interface that goes: so does the
 * model (a saved lab must validate). */
static void prune_routes(struct lab *lab, int node)
{
        struct node *n = &lab->nodes[node];
        if (n->gw4.family && !node_reaches(lab, node, &n->gw4))
                n->gw4.family = 0;
        bool ll6 = n->gw6.family == AF_INET6 && n->gw6.a[0] == 0xfe && (n->gw6.a[1] & 0xc0) == 0x80;
        if (ll6 ? (n->gw6_dev[0] ? lab_find_iface(lab, node, n->gw6_dev) < 0 : !n->nifaces)
                : n->gw6.family && !node_reaches(lab, node, &n->gw6))
                n->gw6.family = 0; /* a link-local one goes with its interface */
        int k = 0;
        for (int r = 0; r < n->nroutes; r++)
                if (node_reaches(lab, node, &n->routes[r].via))
                        n->routes[k++] = n->routes[r];
        n->nroutes = k;
}

/* The model forgets a link: its interfaces leave their nodes' lists. */
static void model_del_link(struct lab *lab, int link)
{
        struct link *l = &lab->links[link];
        int ends[2] = {l->a, l->b};
        for (int k = 0; k < 2; k++) {
                lab_iface_drop(lab, ends[k]);
                /* Nothing of it is the lab's any more (the model's own checks
                 * walk every interface). */
                struct iface *f = &lab->ifaces[ends[k]];
                f->ifindex = 0;
                f->naddr = 0;
                free(f->vlan);
                f->vlan = NULL;
                f->nvlan = 0;
                free(f->vlan_built);
                f->vlan_built = NULL;
                f->nvlan_built = 0;
        }
        l->deleted = true;
        for (int k = 0; k < 2; k++)
                prune_routes(lab, lab->ifaces[ends[k]].node);
}

int live_add_link(struct lab *lab, int node_a, int node_b, const struct link_params *p,
                  const char *where, char *err)
{
        if (need_up(lab, "add a link", err) < 0 || need_live_node(lab, node_a, err) < 0 ||
            need_live_node(lab, node_b, err) < 0)
                return -1;
        char bad[ERRLEN];
        if (link_params_check(p, bad) < 0)
                return errf(err, "link %s-%s: %s", lab->nodes[node_a].name,
                            lab->nodes[node_b].name, bad);
        edit_begin(lab);
        int li = lab_add_link(lab, node_a, node_b, p, NULL, NULL, where, err);
        edit_end(lab);
        if (li < 0)
                return -1;
        struct link *l = &lab->links[li];
        mac_unique(lab, l->a);
        mac_unique(lab, l->b);
        char name[160], a[64], b[64];
        iface_label(lab, l->a, a, sizeof(a));
        iface_label(lab, l->b, b, sizeof(b));
        snprintf(name, sizeof(name), "add link %s-%s", a, b);
        bool dp = link_on_datapath(lab, li);
        if (lab_build_link(lab, li, err) < 0 || (dp && dp_follow(lab, name, err) < 0)) {
                int saved = errno;
                char e[ERRLEN];
                link_kernel_del(lab, li);
                model_del_link(lab, li);
                if (dp)
                        dp_reload(lab, NULL, e); /* the datapath's file as before */
                errno = saved;
                return -1;
        }
        char e[ERRLEN];
        lab_note_built(lab, li, e); /* out of memory: reset leaves it as it is */
        return li;
}

int live_del_link(struct lab *lab, int link, char *err)
{
        if (need_up(lab, "remove a link", err) < 0)
                return -1;
        if (!lab_link_live(lab, link)) {
                errno = ENOENT;
                return errf(err, "no such link (it was deleted)");
        }
        const struct link *l = &lab->links[link];
        char a[64], b[64], name[160];
        iface_label(lab, l->a, a, sizeof(a));
        iface_label(lab, l->b, b, sizeof(b));
        snprintf(name, sizeof(name), "%s-%s", a, b);
        bool dp = link_on_datapath(lab, link);
        for (int i = 0; i < lab->nifaces; i++)
                if (lab->ifaces[i].link < 0 &&
                    (lab->ifaces[i].parent == l->a || lab->ifaces[i].parent == l->b) &&
                    lab_node_live(lab, lab->ifaces[i].node)) {
                        errno = EBUSY;
                        return errf(err, "Cannot remove link %s: subinterface %s.%u rides on it",
                                    name, lab->ifaces[lab->ifaces[i].parent].name,
                                    lab->ifaces[i].vid);
                }
        link_kernel_del(lab, link);
        model_del_link(lab, link);
        char what[192];
        snprintf(what, sizeof(what), "remove link %s from the datapath", name);
        return dp ? dp_follow(lab, what, err) : 0;
}

int live_del_node(struct lab *lab, int node, char *err)
{
        if (need_up(lab, "remove a node", err) < 0 || need_live_node(lab, node, err) < 0)
                return -1;
        struct node *n = &lab->nodes[node];
        bool dp = live_node_on_datapath(lab, node);
        if (n->ndirs) {
                errno = EOPNOTSUPP;
                return errf(err,
                            "Cannot remove node \"%s\" while the lab runs: it has private "
                            "directories (a mount namespace); change the lab file and reload",
                            n->name);
        }
        for (int l = 0; l < lab->nlinks; l++)
                if (lab_link_live(lab, l) && (lab->ifaces[lab->links[l].a].node == node ||
                                              lab->ifaces[lab->links[l].b].node == node)) {
                        link_kernel_del(lab, l);
                        model_del_link(lab, l);
                }
        char e[ERRLEN], np[PATH_MAX], up[PATH_MAX + 64];
        int rc = 0;
        if (n->kind->teardown && n->kind->teardown(lab, node, e) < 0)
                rc = errf(err, "%s \"%s\": %s", n->kind->name, n->name, e);
        lab_netns_path(lab, n->name, np, sizeof(np));
        snprintf(up, sizeof(up), "%s/uts/%s", lab->rundir, n->name);
        unsigned long ino = netns_inode(np);
        if (ino)
                proc_kill_in_netns(&ino, 1);
        lab_ns_release(lab);
        n->made = false;
        if (netns_remove(np, e) < 0 && rc == 0)
                rc = errf(err, "%s", e);
        if (netns_remove(up, e) < 0 && rc == 0)
                rc = errf(err, "%s", e);
        n->deleted = true;
        if (lab_hosts_write(lab, e) < 0 && rc == 0)
                rc = errf(err, "%s", e);
        char what[96];
        snprintf(what, sizeof(what), "remove node \"%s\" from the datapath", n->name);
        if (dp && dp_follow(lab, what, rc == 0 ? err : e) < 0)
                rc = -1;
        return rc;
}

int live_add_addr(struct lab *lab, int node, const char *ifname, const char *cidr, char *err)
{
        if (need_up(lab, "add an address", err) < 0 || need_live_node(lab, node, err) < 0)
                return -1;
        struct node *n = &lab->nodes[node];
        int i = lab_find_iface(lab, node, ifname);
        if (i < 0) {
                errno = ENODEV;
                return errf(err, "node \"%s\" has no interface \"%s\"", n->name, ifname);
        }
        struct ipaddr ip;
        char e[ERRLEN], who[64];
        if (ipaddr_parse(cidr, true, &ip, e) < 0) {
                errno = EINVAL;
                return errf(err, "%s (on %s:%s)", e, n->name, ifname);
        }
        int holder = lab_addr_holder(lab, &ip, -1);
        if (holder >= 0) {
                iface_label(lab, holder, who, sizeof(who));
                errno = EADDRINUSE;
                return errf(err, "Cannot add address %s to %s:%s: %s already has it", cidr,
                            n->name, ifname, who);
        }
        if (ip.family == AF_INET6 && !n->ipv6) {
                errno = EOPNOTSUPP;
                return errf(err,
                            "Cannot add %s to %s:%s: IPv6 is off in \"%s\" (give it an IPv6 "
                            "address in the lab file, or ipv6 = true, and reload)",
                            cidr, n->name, ifname, n->name);
        }
        edit_begin(lab);
        int r = lab_iface_add_addr(lab, i, cidr, err);
        edit_end(lab);
        if (r < 0)
                return -1;
        struct iface *f = &lab->ifaces[i];
        struct nl *nl = lab_nl_open(lab, n, e);
        if (!nl || nl_addr_add(nl, f->ifindex, &f->addr[f->naddr - 1], e) < 0) {
                int saved = errno;
                f->naddr--;
                if (nl)
                        nl_close(nl);
                errno = saved;
                return errf(err, "Cannot add address %s to %s:%s: %s", cidr, n->name, ifname, e);
        }
        nl_close(nl);
        lab_hosts_write(lab, e);
        return 0;
}

int live_add_route(struct lab *lab, int node, const char *dst, const char *via, char *err)
{
        if (need_up(lab, "add a route", err) < 0 || need_live_node(lab, node, err) < 0)
                return -1;
        struct node *n = &lab->nodes[node];
        if (!(n->kind->flags & KIND_L3)) {
                errno = EINVAL;
                return errf(err, "Cannot add a route to \"%s\": it is a %s (routes are for "
                                 "hosts and routers)",
                            n->name, n->kind->name);
        }
        edit_begin(lab);
        int r = lab_node_add_route(lab, node, dst, via, err);
        edit_end(lab);
        if (r < 0)
                return -1;
        char e[ERRLEN];
        if (lab_validate(lab, e) < 0) {
                n->nroutes--;
                errno = EINVAL;
                return errf(err, "Cannot add route %s via %s to \"%s\": %s", dst, via, n->name, e);
        }
        struct nl *nl = lab_nl_open(lab, n, e);
        const struct route *rt = &n->routes[n->nroutes - 1];
        int ll = lab_route_iface(lab, node, n->nroutes - 1, e);
        if (!nl || nl_route_add(nl, rt->dst.family ? &rt->dst : NULL, &rt->via,
                                ll >= 0 ? lab->ifaces[ll].ifindex : 0, e) < 0) {
                int saved = errno;
                n->nroutes--;
                if (nl)
                        nl_close(nl);
                errno = saved;
                return errf(err, "Cannot add route %s via %s to \"%s\": %s", dst, via, n->name, e);
        }
        nl_close(nl);
        return 0;
}

/* A plain veth pair becomes a wire (its impairments need the datapath on
 * this kernel): the pair is removed and the link made again by the build's
 * own step, which now makes a wire, with the same names, MACs, MTU and state,
 * and puts back its ends' addresses, gateways and routes, a kernel switch's
 * port in its bridge with its VLANs. Frames in flight on it are lost, and
 * a program bound to one of its interfaces sees it go and come back. */
static int link_rewire(struct lab *lab, int link, char *err)
{
        const struct link *l = &lab->links[link];
        for (int i = 0; i < lab->nifaces; i++) {
                const struct iface *f = &lab->ifaces[i];
                if (f->link < 0 && (f->parent == l->a || f->parent == l->b) &&
                    lab_node_live(lab, f->node) && !plan_subif_in_userspace(lab)) {
                        errno = EBUSY;
                        return errf(err,
                                    "Cannot make link %s.%u's parent a datapath wire: the kernel "
                                    "subinterface would go with it; set it in the lab file and "
                                    "reload",
                                    lab->ifaces[f->parent].name, f->vid);
                }
        }
        link_kernel_del(lab, link);
        return lab_build_link(lab, link, err);
}

int link_params_check(const struct link_params *p, char *err)
{
        errno = EINVAL;
        if (p->jitter_us && !p->delay_us)
                return errf(err, "jitter: needs a delay, as netem (delay 20ms jitter 5ms)");
        if (p->gap && !p->reorder_ppm)
                return errf(err, "gap: needs reorder");
        if (p->reorder_ppm && !p->delay_us)
                return errf(err, "reorder: needs a delay (a reordered frame is one sent before "
                                 "the delayed ones), as netem");
        if (p->dist && !p->jitter_us)
                return errf(err, "distribution: needs a jitter (it is the jitter's shape)");
        errno = 0;
        return 0;
}

/* link_params_check for the console and link:set, before anything changes. */
static int params_ok(const struct lab *lab, int link, const struct link_params *p,
                     const struct link_params *pb, char *err)
{
        const struct link *l = &lab->links[link];
        char e[ERRLEN], a[64], b[64];
        for (int k = 0; k < 2; k++) {
                const struct link_params *q = k ? pb : p;
                if (!q || link_params_check(q, e) == 0)
                        continue;
                iface_label(lab, l->a, a, sizeof(a));
                iface_label(lab, l->b, b, sizeof(b));
                return errf(err, "link %s-%s: %s", a, b, e);
        }
        return 0;
}

int live_set_params(struct lab *lab, int link, const struct link_params *p, char *err)
{
        return live_set_params_dir(lab, link, p, NULL, err);
}

int live_set_params_dir(struct lab *lab, int link, const struct link_params *p,
                        const struct link_params *pb, char *err)
{
        if (need_up(lab, "change a link", err) < 0)
                return -1;
        if (!lab_link_live(lab, link)) {
                errno = ENOENT;
                return errf(err, "no such link (it was deleted)");
        }
        if (params_ok(lab, link, p, pb, err) < 0)
                return -1;
        struct link *l = &lab->links[link];
        char a[64], b[64], name[160];
        iface_label(lab, l->a, a, sizeof(a));
        iface_label(lab, l->b, b, sizeof(b));
        snprintf(name, sizeof(name), "%s-%s", a, b);
        struct link_params old = l->p, old_b = l->pb;
        bool old_has_b = l->has_pb;
        l->p = *p;
        l->p.mtu = old.mtu;
        l->has_pb = pb != NULL;
        if (pb)
                l->pb = *pb;
        if (plan_link_on_wire(lab, link)) {
                bool was_wired = l->wired;
                char what[192], e[ERRLEN];
                snprintf(what, sizeof(what), "change link %s", name);
                int r = was_wired ? 0 : link_rewire(lab, link, err);
                if (r == 0)
                        r = dp_follow(lab, what, err);
                if (r < 0) {
                        int saved = errno;
                        l->p = old;
                        l->pb = old_b;
                        l->has_pb = old_has_b;
                        if (!was_wired && l->wired) { /* back to the plain veth pair */
                                link_kernel_del(lab, link);
                                l->wired = false;
                                lab_build_link(lab, link, e);
                        }
                        dp_reload(lab, NULL, e); /* the datapath's file as before */
                        errno = saved;
                        return -1;
                }
                return 0;
        }
        int ends[2] = {l->a, l->b};
        for (int k = 0; k < 2; k++) {
                const struct iface *f = &lab->ifaces[ends[k]];
                char e[ERRLEN], lbl[64];
                iface_label(lab, ends[k], lbl, sizeof(lbl));
                struct nl *nl = lab_nl_open(lab, &lab->nodes[f->node], e);
                if (!nl || nl_link_params_apply(nl, f->ifindex, lbl, link_params_from(l, k), e) < 0) {
                        int saved = errno;
                        if (nl)
                                nl_close(nl);
                        l->p = old;
                        l->pb = old_b;
                        l->has_pb = old_has_b;
                        errno = saved;
                        return errf(err, "Cannot change link %s: %s", name, e);
                }
                nl_close(nl);
        }
        return 0;
}

/* A switch whose ports the datapath takes from its kernel bridge (its first
 * VLAN where the kernel has no VLAN filtering), or gives back (to_dp false). */
static int ports_to_datapath(struct lab *lab, int node, bool to_dp, char *err)
{
        const struct node *n = &lab->nodes[node];
        char e[ERRLEN];
        struct nl *nl = lab_nl_open(lab, n, e);
        const struct node_kind *k = n->kind;
        int br = nl && k->own_ifname ? nl_link_index(nl, k->own_ifname(lab, node), e) : -1;
        int rc = !nl || br <= 0 ? errf(err, "switch \"%s\": %s", n->name, e) : 0;
        for (int i = 0; rc == 0 && i < n->nifaces; i++) {
                const struct iface *f = &lab->ifaces[n->ifaces[i]];
                if (f->link >= 0 && nl_link_set_master(nl, f->ifindex, to_dp ? 0 : br, e) < 0)
                        rc = errf(err, "switch \"%s\": %s", n->name, e);
        }
        if (nl)
                nl_close(nl);
        return rc;
}

/* The VLAN entries now in the model for iface reach the switch: the
 * datapath (which may take the switch from its kernel bridge now), or the
 * kernel bridge. was_user: the datapath had the switch before; used: the
 * switch had VLANs before. */
static int vlan_apply(struct lab *lab, int iface, bool was_user, bool used, const char *lbl,
                      char *err)
{
        struct iface *f = &lab->ifaces[iface];
        int node = f->node;
        char e[ERRLEN], what[96];
        snprintf(what, sizeof(what), "change the VLANs of %s", lbl);
        if (plan_switch_in_userspace(lab, node)) {
                if (!was_user && ports_to_datapath(lab, node, true, err) < 0)
                        return -1;
                if (dp_follow(lab, what, err) < 0) {
                        int saved = errno;
                        if (!was_user)
                                ports_to_datapath(lab, node, false, e);
                        errno = saved;
                        return -1;
                }
                return 0;
        }
        struct nl *nl = lab_nl_open(lab, &lab->nodes[node], e);
        const struct node_kind *k = lab->nodes[node].kind;
        int br = nl && k->own_ifname ? nl_link_index(nl, k->own_ifname(lab, node), e) : -1;
        int r = 0;
        if (!nl || br <= 0 || (!used && nl_bridge_vlan_filtering(nl, br, true, e) < 0) ||
            nl_bridge_vlan_set(nl, f->ifindex, f->vlan, f->nvlan, e) < 0)
                r = errf(err, "Cannot %s: %s", what, e);
        if (nl)
                nl_close(nl);
        return r;
}

/* The common part of live_set_vlan and live_set_port_vlans: edit (on the
 * model, in edit mode) then apply; the model is put back on any failure. */
static int vlan_change(struct lab *lab, int iface, const struct vlan_entry *set, int nset,
                       bool replace, char *err)
{
        if (need_up(lab, "change a VLAN", err) < 0)
                return -1;
        struct iface *f = &lab->ifaces[iface];
        int node = f->node;
        if (need_live_node(lab, node, err) < 0)
                return -1;
        char lbl[64], e[ERRLEN];
        iface_label(lab, iface, lbl, sizeof(lbl));
        if (!lab_node_has(lab, node, KIND_BRIDGE) || f->link < 0) {
                errno = EINVAL;
                return errf(err, "Cannot set VLANs on %s: VLANs are set on switch ports", lbl);
        }
        bool used = lab_switch_uses_vlan(lab, node);
        bool was_user = plan_switch_in_userspace(lab, node);
        struct vlan_entry *old = NULL;
        int nold = f->nvlan;
        if (nold && !(old = malloc((size_t)nold * sizeof(*old))))
                return errf_sys(err, NULL, "Cannot change the VLANs of %s", lbl);
        if (nold)
                memcpy(old, f->vlan, (size_t)nold * sizeof(*old));
        bool was_uses = lab->uses_vlan;
        int r = 0;
        edit_begin(lab);
        if (replace) {
                free(f->vlan); /* old has a copy */
                f->vlan = NULL;
                f->nvlan = 0;
        }
        for (int i = 0; r == 0 && i < nset; i++)
                r = lab_port_add_vlan(lab, iface, set[i].vid, set[i].pvid, set[i].untagged, err);
        /* None left: the bridge's default, written out (the switch keeps VLAN
         * filtering on, as the kernel's does once set). */
        if (r == 0 && f->nvlan == 0)
                r = lab_port_add_vlan(lab, iface, 1, true, true, err);
        edit_end(lab);
        if (r == 0 && lab_validate(lab, e) < 0)
                r = errf(err, "Cannot change the VLANs of %s: %s", lbl, e);
        if (r == 0)
                r = vlan_apply(lab, iface, was_user, used, lbl, err);
        if (r < 0) {
                int saved = errno;
                free(f->vlan);
                f->vlan = old;
                f->nvlan = nold;
                lab->uses_vlan = was_uses;
                if (was_user)
                        dp_reload(lab, NULL, e); /* the datapath's file as before */
                errno = saved;
                return -1;
        }
        free(old);
        return 0;
}

int live_set_vlan(struct lab *lab, int iface, uint16_t vid, bool pvid, bool untagged,
                  char *err)
{
        struct vlan_entry v = {.vid = vid, .pvid = pvid, .untagged = untagged};
        return vlan_change(lab, iface, &v, 1, false, err);
}

int live_set_port_vlans(struct lab *lab, int iface, const struct vlan_entry *v, int n,
                        char *err)
{
        return vlan_change(lab, iface, v, n, true, err);
}

const struct link_corr link_corrs[LINK_NCORR] = {
    {"delay", offsetof(struct link_params, delay_corr)},
    {"loss", offsetof(struct link_params, loss_corr)},
    {"duplicate", offsetof(struct link_params, dup_corr)},
    {"corrupt", offsetof(struct link_params, corrupt_corr)},
    {"reorder", offsetof(struct link_params, reorder_corr)},
};

void link_ge_text(const struct link_params *p, char *buf, size_t len)
{
        buf[0] = '\0';
        if (p->ge)
                snprintf(buf, len, " loss gemodel p %.6g%% r %.6g%% h %.6g%% k %.6g%%",
                         p->ge_p / 1e4, p->ge_r / 1e4, p->ge_h / 1e4, p->ge_k / 1e4);
}

void link_params_text(const struct link_params *p, char *s, size_t len)
{
        static const char *const dist[] = {"uniform", "normal", "pareto", "paretonormal"};
        size_t n = 0;
        s[0] = '\0';
#define ADD(...)                                                                                   \
        do {                                                                                       \
                if (n < len)                                                                       \
                        n += (size_t)snprintf(s + n, len - n, __VA_ARGS__);                        \
        } while (0)
        if (p->rate_bps)
                ADD(" bw %.6gMbit", p->rate_bps / 1e6);
        if (p->delay_us)
                ADD(" delay %.6gms", p->delay_us / 1e3);
        if (p->jitter_us)
                ADD(" jitter %.6gms", p->jitter_us / 1e3);
        if (p->dist && p->dist < 4)
                ADD(" distribution %s", dist[p->dist]);
        if (p->loss_ppm)
                ADD(" loss %.6g%%", p->loss_ppm / 1e4);
        if (p->ge) {
                char ge[128];
                link_ge_text(p, ge, sizeof(ge));
                ADD("%s", ge);
        }
        if (p->dup_ppm)
                ADD(" duplicate %.6g%%", p->dup_ppm / 1e4);
        if (p->corrupt_ppm)
                ADD(" corrupt %.6g%%", p->corrupt_ppm / 1e4);
        if (p->reorder_ppm)
                ADD(" reorder %.6g%%", p->reorder_ppm / 1e4);
        if (p->gap)
                ADD(" gap %u", p->gap);
        if (p->limit)
                ADD(" queue %u", p->limit);
        bool any = false;
        for (int i = 0; i < LINK_NCORR; i++)
                if (link_corr_of(p, i)) {
                        ADD("%s %s %.6g%%", any ? "," : " correlation", link_corrs[i].name,
                            link_corr_of(p, i) / 1e4);
                        any = true;
                }
#undef ADD
}
