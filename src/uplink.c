/* uplink.c — lab nodes on real interfaces of the machine (see uplink.h). */
#include "uplink.h"
#include "hostobj.h"
#include "kind.h"
#include "lab.h"
#include "nl.h"
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define UPLINK_IF "up0"

int lab_add_uplink(struct lab *lab, int node, const char *host_if, const char *mode,
                   const char *ip, const char *where, char *err)
{
        struct uplink u = {.node = node};
        snprintf(u.where, sizeof(u.where), "%s", where ? where : "");
        const char *nn = lab->nodes[node].name;
        if (!host_if || !*host_if || strlen(host_if) >= sizeof(u.host_if)) {
                errno = EINVAL;
                return errf(err, "uplink of \"%s\": host_if must name an interface of the machine "
                                 "(host_if = \"enp1s0\")",
                            nn);
        }
        snprintf(u.host_if, sizeof(u.host_if), "%s", host_if);
        if (!mode || !strcmp(mode, "macvlan"))
                u.mode = UPLINK_MACVLAN;
        else if (!strcmp(mode, "bridge"))
                u.mode = UPLINK_BRIDGE;
        else {
                errno = EINVAL;
                return errf(err, "uplink of \"%s\": mode \"%s\" is not macvlan or bridge", nn, mode);
        }
        if (ip) {
                if (!(lab->nodes[node].kind->flags & KIND_L3)) {
                        errno = EINVAL;
                        return errf(err, "uplink of \"%s\": a %s takes no address", nn,
                                    lab->nodes[node].kind->name);
                }
                if (ipaddr_parse(ip, true, &u.ip, err) < 0)
                        return -1;
        }
        for (int i = 0; i < lab->nuplinks; i++)
                if (lab->uplinks[i].node == node) {
                        errno = EEXIST;
                        return errf(err, "\"%s\" has an uplink already (one per node)", nn);
                }
        if (!if_nametoindex(host_if)) {
                errno = ENODEV;
                return errf(err, "uplink of \"%s\": the machine has no interface \"%s\" (ip link "
                                 "lists them)",
                            nn, host_if);
        }
        if (u.mode == UPLINK_BRIDGE) {
                struct nl *host = nl_open(-1, err);
                if (!host)
                        return -1;
                char def[IF_NAMESIZE], e[ERRLEN];
                hostobj_default_route_if(host, def, sizeof(def), e); /* none: "" */
                nl_close(host);
                if (!strcmp(def, host_if)) {
                        errno = EBUSY;
                        return errf(err, "uplink of \"%s\": \"%s\" carries the machine's default "
                                         "route; in bridge mode it would be taken off the machine "
                                         "(use mode = \"macvlan\", or another interface)",
                                    nn, host_if);
                }
        }
        struct uplink *nv = realloc(lab->uplinks, (size_t)(lab->nuplinks + 1) * sizeof(*nv));
        if (!nv)
                return errf_sys(err, NULL, "realloc");
        lab->uplinks = nv;
        lab->uplinks[lab->nuplinks++] = u;
        return 0;
}

void uplinks_free(struct lab *lab)
{
        free(lab->uplinks);
        lab->uplinks = NULL;
        lab->nuplinks = 0;
}

/* The bridge mode's two host objects: bridge "nbXXXXXXXX" taking host_if,
 * and veth "nvXXXXXXXX" whose other end is up0 in the node. */
static int bridge_up(struct lab *lab, const struct uplink *u, struct nl *host, int hidx,
                     char *err)
{
        const struct node *n = &lab->nodes[u->node];
        uint32_t h = hostobj_node_hash(lab->name, n->name);
        char br[16], ve[16];
        snprintf(br, sizeof(br), "nb%08x", h);
        snprintf(ve, sizeof(ve), "nv%08x", h);
        if (hostobj_link_claim(lab, br, err) < 0)
                return -1;
        int bidx = nl_bridge_add(host, br, NULL, true, err);
        if (bidx < 0 || hostobj_link_commit(lab, host, br, bidx, err) < 0)
                return -1;
        if (hostobj_link_claim(lab, ve, err) < 0)
                return -1;
        struct veth_end a = {.name = ve, .label = ve, .netns_fd = -1, .master = bidx, .up = true};
        int nfd = lab_ns_fd(lab, n, CLONE_NEWNET, err);
        if (nfd < 0)
                return -1;
        struct veth_end b = {.name = UPLINK_IF, .label = UPLINK_IF, .netns_fd = nfd};
        int vidx = 0, pidx = 0;
        if (nl_veth_add(host, &a, &b, &vidx, &pidx, err) < 0 ||
            hostobj_link_commit(lab, host, ve, vidx, err) < 0)
                return -1;
        if (nl_link_set_master(host, hidx, bidx, err) < 0)
                return -1;
        return nl_link_set_up(host, hidx, true, err);
}

int uplinks_build(struct lab *lab, char *err)
{
        if (!lab->nuplinks)
                return 0;
        struct nl *host = nl_open(-1, err);
        if (!host)
                return -1;
        int rc = 0;
        for (int i = 0; i < lab->nuplinks && rc == 0; i++) {
                const struct uplink *u = &lab->uplinks[i];
                const struct node *n = &lab->nodes[u->node];
                char e[ERRLEN];
                int hidx = (int)if_nametoindex(u->host_if);
                if (!hidx) {
                        errno = ENODEV;
                        rc = errf(err, "%s: uplink of \"%s\": the machine has no interface \"%s\"",
                                  u->where, n->name, u->host_if);
                        break;
                }
                if (u->mode == UPLINK_MACVLAN) {
                        int nfd = lab_ns_fd(lab, n, CLONE_NEWNET, e);
                        rc = nfd < 0 ? -1 : nl_macvlan_add(host, hidx, UPLINK_IF, nfd, e);
                } else {
                        rc = bridge_up(lab, u, host, hidx, e);
                }
                int infd = rc == 0 ? lab_ns_fd(lab, n, CLONE_NEWNET, e) : -1;
                struct nl *in = infd >= 0 ? nl_open(infd, e) : NULL;
                int idx = in ? nl_link_index(in, UPLINK_IF, e) : -1;
                if (idx < 0 || nl_link_set_up(in, idx, true, e) < 0 ||
                    (u->ip.family && nl_addr_add(in, idx, &u->ip, e) < 0))
                        rc = -1;
                /* On a switch the uplink is one more port of its bridge. */
                if (rc == 0 && (n->kind->flags & KIND_BRIDGE) && n->kind->own_ifname) {
                        int br = nl_link_index(in, n->kind->own_ifname(lab, u->node), e);
                        if (br < 0 || nl_link_set_master(in, idx, br, e) < 0)
                                rc = -1;
                }
                if (in)
                        nl_close(in);
                if (rc < 0)
                        errf(err, "%s: uplink of \"%s\" on \"%s\": %s", u->where, n->name,
                             u->host_if, e);
        }
        nl_close(host);
        return rc;
}
