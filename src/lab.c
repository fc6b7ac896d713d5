/* lab.c — the lab model: nodes, links, interfaces and their validation.
 *
 * Pure data: nothing here touches the kernel (see build.c for that). Every
 * lab_add_* checks its own piece at once, so the Lua layer can raise the
 * error at the script line that caused it; lab_validate checks what only
 * the whole model can tell (gateways reachable, VLAN tables consistent). */
#include "lab.h"
#include "uplink.h"
#include "ovs.h"
#include "dp.h"
#include "fw.h"
#include "journal.h"
#include "service.h"
#include "nl.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <unistd.h>

static bool name_ok(const char *s, size_t max, bool letter_first)
{
        size_t n = strlen(s);
        if (n == 0 || n > max)
                return false;
        if (letter_first && !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
                return false;
        for (size_t i = 0; i < n; i++) {
                char c = s[i];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-'))
                        return false;
        }
        return true;
}

static bool ifname_ok(const char *s)
{
        size_t n = strlen(s);
        if (n == 0 || n > IFNAME_MAX || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
                return false;
        for (size_t i = 0; i < n; i++)
                if (s[i] == '/' || s[i] == ':' || s[i] <= ' ' || s[i] == 0x7f)
                        return false;
        return true;
}

/* Grows *arr (of elem bytes) so that it holds at least need elements. */
static int grow(void **arr, int *cap, int need, size_t elem)
{
        if (need <= *cap)
                return 0;
        int ncap = *cap ? *cap * 2 : 16;
        while (ncap < need)
                ncap *= 2;
        void *p = realloc(*arr, (size_t)ncap * elem);
        if (!p)
                return -1;
        memset((char *)p + (size_t)*cap * elem, 0, (size_t)(ncap - *cap) * elem);
        *arr = p;
        *cap = ncap;
        return 0;
}

/* The model is closed once built, except while live.c changes it (and
 * then the kernel follows at once). */
static bool model_closed(const struct lab *lab)
{
        return lab->state != LAB_DEFINED && !lab->editing;
}

static uint16_t name_hash16(const char *s)
{
        uint32_t h = 2166136261u; /* FNV-1a */
        for (; *s; s++)
                h = (h ^ (uint8_t)*s) * 16777619u;
        return (uint16_t)(h ^ (h >> 16));
}

bool lab_name_ok(const char *name)
{
        return name_ok(name, LAB_NAME_MAX, false);
}

static char name_given[LAB_NAME_MAX + 1];
static bool name_given_read;

const char *lab_name_given(void)
{
        if (!name_given_read) {
                name_given_read = true;
                const char *v = getenv(LAB_NAME_ENV);
                if (v && lab_name_ok(v))
                        snprintf(name_given, sizeof(name_given), "%s", v);
                unsetenv(LAB_NAME_ENV);
        }
        return name_given[0] ? name_given : NULL;
}

void lab_name_give(const char *name)
{
        lab_name_given();
        snprintf(name_given, sizeof(name_given), "%s", name);
}

struct lab *lab_new(const char *name, char *err)
{
        if (!lab_name_ok(name)) {
                errf(err, "invalid lab name \"%s\": use 1 to %d letters, digits, '_' or '-'", name,
                     LAB_NAME_MAX);
                errno = EINVAL;
                return NULL;
        }
        struct lab *lab = calloc(1, sizeof(*lab));
        if (!lab) {
                errf_sys(err, NULL, "Cannot allocate lab \"%s\"", name);
                return NULL;
        }
        snprintf(lab->name, sizeof(lab->name), "%s", name);
        snprintf(lab->rundir, sizeof(lab->rundir), "%s/%s", LAB_RUN_DIR, name);
        lab->mac_prefix = name_hash16(name);
        lab->lock_fd = -1;
        lab->state = LAB_DEFINED;
        return lab;
}

void lab_free(struct lab *lab)
{
        if (!lab)
                return;
        /* A lab kept up (--keep) is freed while built: let go of what this
         * process holds; the namespaces stay, held by their mounts. */
        journal_close(lab->journal);
        dp_release(lab);
        service_free_all(lab);
        uplinks_free(lab);
        ovs_free(lab);
        if (lab->lock_fd >= 0)
                close(lab->lock_fd);
        lab_ns_release(lab);
        for (int i = 0; i < lab->nnodes; i++) {
                for (int d = 0; d < lab->nodes[i].ndirs; d++) {
                        free(lab->nodes[i].dirs[d].path);
                        free(lab->nodes[i].dirs[d].src);
                }
                free(lab->nodes[i].dirs);
                free(lab->nodes[i].ifaces);
                free(lab->nodes[i].routes);
                if (lab->nodes[i].fw) {
                        fw_free(lab->nodes[i].fw);
                        free(lab->nodes[i].fw);
                }
        }
        for (int i = 0; i < lab->nifaces; i++) {
                free(lab->ifaces[i].vlan);
                free(lab->ifaces[i].vlan_built);
        }
        free(lab->nodes);
        free(lab->links);
        free(lab->ifaces);
        free(lab->name_ix);
        free(lab->addr_ix);
        free(lab->ifname_ix);
        free(lab);
}

static uint64_t hash_bytes(const void *p, size_t len)
{
        const unsigned char *b = p;
        uint64_t h = 1469598103934665603ull; /* FNV-1a */
        for (size_t i = 0; i < len; i++)
                h = (h ^ b[i]) * 1099511628211ull;
        return h | 1; /* never 0: 0 is an empty slot */
}

/* Puts node i in the name index, growing it (kept at most half full). On
 * no memory the index is dropped and lookups scan. */
static void name_index_add(struct lab *lab, int node)
{
        if (2 * (lab->name_used + 1) > lab->name_cap) {
                int cap = lab->name_cap ? 2 * lab->name_cap : 64;
                int *ix = calloc((size_t)cap, sizeof(*ix));
                free(lab->name_ix);
                lab->name_ix = ix;
                lab->name_cap = ix ? cap : 0;
                lab->name_used = 0;
                /* Every other node, before it or after (a rename grows it too). */
                for (int i = 0; ix && i < lab->nnodes; i++)
                        if (i != node)
                                name_index_add(lab, i);
                if (!ix)
                        return;
        }
        size_t mask = (size_t)lab->name_cap - 1;
        size_t s = hash_bytes(lab->nodes[node].name, strlen(lab->nodes[node].name)) & mask;
        while (lab->name_ix[s])
                s = (s + 1) & mask;
        lab->name_ix[s] = node + 1;
        lab->name_used++;
}

void lab_node_set_name(struct lab *lab, int node, const char *name)
{
        snprintf(lab->nodes[node].name, sizeof(lab->nodes[node].name), "%s", name);
        name_index_add(lab, node); /* the old name's entry stays, skipped */
}

int lab_find_node(const struct lab *lab, const char *name)
{
        if (!lab->name_ix) {
                for (int i = 0; i < lab->nnodes; i++)
                        if (lab_node_live(lab, i) && strcmp(lab->nodes[i].name, name) == 0)
                                return i;
                return -1;
        }
        size_t mask = (size_t)lab->name_cap - 1;
        for (size_t s = hash_bytes(name, strlen(name)) & mask; lab->name_ix[s];
             s = (s + 1) & mask) {
                int i = lab->name_ix[s] - 1; /* a deleted node's entry stays, skipped */
                if (lab_node_live(lab, i) && strcmp(lab->nodes[i].name, name) == 0)
                        return i;
        }
        return -1;
}

bool lab_node_live(const struct lab *lab, int node)
{
        return node >= 0 && node < lab->nnodes && !lab->nodes[node].deleted;
}

bool lab_link_live(const struct lab *lab, int link)
{
        return link >= 0 && link < lab->nlinks && !lab->links[link].deleted;
}

bool lab_node_has(const struct lab *lab, int node, unsigned flag)
{
        return lab_node_live(lab, node) && (lab->nodes[node].kind->flags & flag);
}

int lab_add_node(struct lab *lab, const char *name, const struct node_kind *kind, const char *where,
                 char *err)
{
        if (model_closed(lab))
                return errf(err, "Cannot add node \"%s\": lab \"%s\" is already built", name,
                            lab->name);
        if (!name_ok(name, NODE_NAME_MAX, true)) {
                errno = EINVAL;
                return errf(err,
                            "invalid node name \"%s\": use 1 to %d letters, digits, '_' or '-', "
                            "starting with a letter",
                            name, NODE_NAME_MAX);
        }
        int dup = lab_find_node(lab, name);
        if (dup >= 0) {
                errno = EEXIST;
                return errf(err, "duplicate node name \"%s\" (first defined at %s)", name,
                            lab->nodes[dup].where);
        }
        if (lab->nnodes >= 65535)
                return errf(err, "too many nodes in lab \"%s\" (at most 65535)", lab->name);
        if (grow((void **)&lab->nodes, &lab->capnodes, lab->nnodes + 1, sizeof(struct node)))
                return errf_sys(err, NULL, "Cannot add node \"%s\"", name);
        struct node *n = &lab->nodes[lab->nnodes];
        memset(n, 0, sizeof(*n));
        snprintf(n->name, sizeof(n->name), "%s", name);
        n->kind = kind;
        n->swclass = lab->switch_class; /* lab:defaults{switch = ...} (swclass.h) */
        n->fail_mode = lab->fail_mode;
        n->nsfd_net = n->nsfd_uts = -1;
        snprintf(n->where, sizeof(n->where), "%s", where ? where : "?");
        snprintf(n->netns_name, sizeof(n->netns_name), "%s.%s", lab->name, name);
        name_index_add(lab, lab->nnodes);
        return lab->nnodes++;
}

/* The interface index's first slot for node's interface name. */
static size_t ifname_slot(const struct lab *lab, int node, const char *name)
{
        uint64_t h =
            hash_bytes(name, strlen(name)) ^ (uint64_t)(unsigned)node * 0x9e3779b97f4a7c15ull;
        return (size_t)(h ^ h >> 32) & ((size_t)lab->ifname_cap - 1);
}

static void ifname_index_put(struct lab *lab, int iface)
{
        const struct iface *f = &lab->ifaces[iface];
        size_t mask = (size_t)lab->ifname_cap - 1, s = ifname_slot(lab, f->node, f->name);
        while (lab->ifname_ix[s])
                s = (s + 1) & mask;
        lab->ifname_ix[s] = iface + 1;
        lab->ifname_used++;
}

/* Puts iface (just listed on its node) in the interface index, made anew
 * from the nodes' lists when it would be more than half full (its dropped
 * entries go then). On no memory the index is dropped and lookups scan. */
static void ifname_index_add(struct lab *lab, int iface)
{
        if (2 * (lab->ifname_used + 1) > lab->ifname_cap) {
                int listed = 0, cap = 64;
                for (int i = 0; i < lab->nnodes; i++)
                        listed += lab->nodes[i].nifaces;
                while (cap < 4 * listed)
                        cap *= 2;
                free(lab->ifname_ix);
                lab->ifname_ix = calloc((size_t)cap, sizeof(int));
                lab->ifname_cap = lab->ifname_ix ? cap : 0;
                lab->ifname_used = 0;
                for (int i = 0; lab->ifname_ix && i < lab->nnodes; i++)
                        for (int k = 0; k < lab->nodes[i].nifaces; k++)
                                ifname_index_put(lab, lab->nodes[i].ifaces[k]);
                return; /* iface was listed: it is in */
        }
        ifname_index_put(lab, iface);
}

int lab_find_iface(const struct lab *lab, int node, const char *ifname)
{
        const struct node *n = &lab->nodes[node];
        if (!lab->ifname_ix) {
                for (int i = 0; i < n->nifaces; i++)
                        if (strcmp(lab->ifaces[n->ifaces[i]].name, ifname) == 0)
                                return n->ifaces[i];
                return -1;
        }
        size_t mask = (size_t)lab->ifname_cap - 1;
        for (size_t s = ifname_slot(lab, node, ifname); lab->ifname_ix[s]; s = (s + 1) & mask) {
                int i = lab->ifname_ix[s] - 1;
                if (i >= 0 && lab->ifaces[i].node == node &&
                    strcmp(lab->ifaces[i].name, ifname) == 0)
                        return i;
        }
        return -1;
}

void lab_iface_drop(struct lab *lab, int iface)
{
        struct iface *f = &lab->ifaces[iface];
        struct node *n = &lab->nodes[f->node];
        for (int i = 0; i < n->nifaces; i++)
                if (n->ifaces[i] == iface) {
                        memmove(&n->ifaces[i], &n->ifaces[i + 1],
                                (size_t)(n->nifaces - i - 1) * sizeof(int));
                        n->nifaces--;
                        break;
                }
        if (!lab->ifname_ix)
                return;
        size_t mask = (size_t)lab->ifname_cap - 1;
        for (size_t s = ifname_slot(lab, f->node, f->name); lab->ifname_ix[s]; s = (s + 1) & mask)
                if (lab->ifname_ix[s] == iface + 1) {
                        lab->ifname_ix[s] = -1; /* probes go on past it */
                        return;
                }
}

void lab_netns_path(const struct lab *lab, const char *name, char *buf, size_t len)
{
        snprintf(buf, len, "%s/%s.%s", NETNS_RUN_DIR, lab->name, name);
}

/* ---- namespace descriptors on demand ------------------------------------ */

int lab_ns_open(const struct lab *lab, const struct node *n, int nstype, char *err)
{
        char path[PATH_MAX + 64];
        if (nstype == CLONE_NEWUTS)
                snprintf(path, sizeof(path), "%s/uts/%s", lab->rundir, n->name);
        else
                snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, n->netns_name);
        if (!n->made) {
                errno = ENOENT;
                return errf(err, "node \"%s\" has no namespace (the lab is not built)", n->name);
        }
        int held = nstype == CLONE_NEWUTS ? n->nsfd_uts : n->nsfd_net;
        if (held < 0 && lab->ns_opener)
                return lab->ns_opener(lab, n, nstype, err);
        int fd = held >= 0 ? fcntl(held, F_DUPFD_CLOEXEC, 0) : open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                if (errno == EMFILE || errno == ENFILE)
                        return errf_sys(err, NULL,
                                        "Cannot open namespace \"%s\" (raise the descriptor "
                                        "limit: ulimit -n)",
                                        path);
                return errf_sys(err, NULL, "Cannot open namespace \"%s\"", path);
        }
        return fd;
}

static void ns_close_node(struct node *n)
{
        if (n->nsfd_net >= 0)
                close(n->nsfd_net);
        if (n->nsfd_uts >= 0)
                close(n->nsfd_uts);
        n->nsfd_net = n->nsfd_uts = -1;
}

/* Node i was asked for again: it becomes the newest of the cache, so a
 * node asked for over and over (a star's switch, once per link) is never
 * the one that leaves it while its descriptor is in use. */
static void ns_ring_touch(struct lab *lab, int i)
{
        int newest = (lab->nsfd_next + LAB_NSFD_CACHE - 1) % LAB_NSFD_CACHE;
        int p = newest;
        for (int k = 0; k < LAB_NSFD_CACHE && lab->nsfd_ring[p] != i + 1; k++)
                p = (p + LAB_NSFD_CACHE - 1) % LAB_NSFD_CACHE;
        if (lab->nsfd_ring[p] != i + 1)
                return; /* not in the cache */
        for (; p != newest; p = (p + 1) % LAB_NSFD_CACHE)
                lab->nsfd_ring[p] = lab->nsfd_ring[(p + 1) % LAB_NSFD_CACHE];
        lab->nsfd_ring[newest] = i + 1;
}

int lab_ns_fd(struct lab *lab, const struct node *cn, int nstype, char *err)
{
        ptrdiff_t i = cn - lab->nodes;
        if (i < 0 || i >= lab->nnodes) {
                errno = EINVAL;
                return errf(err, "no such node");
        }
        struct node *n = &lab->nodes[i];
        int *slot = nstype == CLONE_NEWUTS ? &n->nsfd_uts : &n->nsfd_net;
        if (n->nsfd_net >= 0 || n->nsfd_uts >= 0)
                ns_ring_touch(lab, (int)i);
        if (*slot >= 0)
                return *slot;
        int fd = lab_ns_open(lab, n, nstype, err);
        if (fd < 0)
                return -1;
        if (n->nsfd_net < 0 && n->nsfd_uts < 0) {
                /* A new node in the cache: the oldest one leaves it. */
                int *r = &lab->nsfd_ring[lab->nsfd_next];
                if (*r > 0 && *r - 1 < lab->nnodes)
                        ns_close_node(&lab->nodes[*r - 1]);
                *r = (int)i + 1;
                lab->nsfd_next = (lab->nsfd_next + 1) % LAB_NSFD_CACHE;
        }
        *slot = fd;
        return fd;
}

struct nl *lab_nl_open(struct lab *lab, const struct node *n, char *err)
{
        int fd = lab_ns_fd(lab, n, CLONE_NEWNET, err);
        return fd < 0 ? NULL : nl_open(fd, err);
}

void lab_ns_release(struct lab *lab)
{
        for (int i = 0; i < lab->nnodes; i++)
                ns_close_node(&lab->nodes[i]);
        memset(lab->nsfd_ring, 0, sizeof(lab->nsfd_ring));
        lab->nsfd_next = 0;
}

bool lab_switch_uses_vlan(const struct lab *lab, int node)
{
        const struct node *n = &lab->nodes[node];
        for (int i = 0; i < n->nifaces; i++)
                if (lab->ifaces[n->ifaces[i]].nvlan > 0)
                        return true;
        return false;
}

int lab_iface_peer(const struct lab *lab, int iface)
{
        const struct iface *f = &lab->ifaces[iface];
        if (f->link < 0)
                return -1;
        const struct link *l = &lab->links[f->link];
        return l->a == iface ? l->b : l->a;
}

void iface_label(const struct lab *lab, int iface, char *buf, size_t len)
{
        const struct iface *f = &lab->ifaces[iface];
        snprintf(buf, len, "%s:%s", lab->nodes[f->node].name, f->name);
}

/* Appends an interface to node; name NULL picks the next default name. */
static int iface_new(struct lab *lab, int node, int link, const char *name, char *err)
{
        struct node *n = &lab->nodes[node];
        char auto_name[IFNAME_MAX + 1];
        if (!name) {
                int k = 0;
                for (int i = 0; i < n->nifaces; i++)
                        if (lab->ifaces[n->ifaces[i]].link >= 0)
                                k++;
                for (;; k++) {
                        if (n->kind->auto_ifname)
                                n->kind->auto_ifname(lab, node, k, auto_name, sizeof(auto_name));
                        else
                                snprintf(auto_name, sizeof(auto_name), "%s%d", n->kind->ifprefix,
                                         n->kind->ifbase + k);
                        if (lab_find_iface(lab, node, auto_name) < 0)
                                break;
                }
                name = auto_name;
        } else if (!ifname_ok(name)) {
                errno = EINVAL;
                return errf(err,
                            "invalid interface name \"%s\" on node \"%s\": at most %d characters, "
                            "no '/', ':' or spaces",
                            name, n->name, IFNAME_MAX);
        }
        if (lab_find_iface(lab, node, name) >= 0 ||
            (n->kind->own_ifname && strcmp(name, n->kind->own_ifname(lab, node)) == 0) ||
            strcmp(name, "lo") == 0) {
                errno = EEXIST;
                return errf(err, "node \"%s\" already has an interface \"%s\"", n->name, name);
        }
        if (n->nifaces >= LAB_MAX_IFACES) {
                errno = ENOSPC;
                return errf(err,
                            "node \"%s\" has too many interfaces (at most %d, a Linux bridge's "
                            "port limit): split it into switches linked together",
                            n->name, LAB_MAX_IFACES);
        }
        if (grow((void **)&lab->ifaces, &lab->capifaces, lab->nifaces + 1, sizeof(struct iface)))
                return errf_sys(err, NULL, "Cannot add interface \"%s\"", name);
        int *ni = realloc(n->ifaces, (size_t)(n->nifaces + 1) * sizeof(int));
        if (!ni)
                return errf_sys(err, NULL, "Cannot add interface \"%s\"", name);
        n->ifaces = ni;
        int idx = lab->nifaces++;
        struct iface *f = &lab->ifaces[idx];
        memset(f, 0, sizeof(*f));
        f->node = node;
        f->link = link;
        f->parent = -1;
        snprintf(f->name, sizeof(f->name), "%s", name);
        /* Locally administered, unicast, deterministic: 02:LL:LL:NN:NN:II.
         * Past a node's 255th interface (a star's bridge) or node 32767,
         * 02:LL:LL:8X:XX:XX with X the interface's index in the lab, a space
         * the first form never reaches. */
        f->mac[0] = 0x02;
        f->mac[1] = (uint8_t)(lab->mac_prefix >> 8);
        f->mac[2] = (uint8_t)lab->mac_prefix;
        if (n->nifaces < 255 && node < 0x8000) {
                f->mac[3] = (uint8_t)(node >> 8);
                f->mac[4] = (uint8_t)node;
                f->mac[5] = (uint8_t)(n->nifaces + 1);
        } else {
                f->mac[3] = (uint8_t)(0x80 | ((idx >> 16) & 0x7f));
                f->mac[4] = (uint8_t)(idx >> 8);
                f->mac[5] = (uint8_t)idx;
        }
        n->ifaces[n->nifaces++] = idx;
        ifname_index_add(lab, idx);
        return idx;
}

int lab_add_link(struct lab *lab, int node_a, int node_b, const struct link_params *p,
                 const char *ifname_a, const char *ifname_b, const char *where, char *err)
{
        if (model_closed(lab))
                return errf(err, "Cannot add a link: lab \"%s\" is already built", lab->name);
        if (node_a == node_b) {
                errno = EINVAL;
                return errf(err, "Cannot link node \"%s\" to itself", lab->nodes[node_a].name);
        }
        if (p && p->mtu && (p->mtu < 68 || p->mtu > 65535)) {
                errno = EINVAL;
                return errf(err, "invalid mtu %d: must be 68..65535", p->mtu);
        }
        if (grow((void **)&lab->links, &lab->caplinks, lab->nlinks + 1, sizeof(struct link)))
                return errf_sys(err, NULL, "Cannot add link");
        int li = lab->nlinks;
        int a = iface_new(lab, node_a, li, ifname_a, err);
        if (a < 0)
                return -1;
        int b = iface_new(lab, node_b, li, ifname_b, err);
        if (b < 0) {
                /* undo a */
                lab_iface_drop(lab, a);
                lab->nifaces--;
                return -1;
        }
        struct link *l = &lab->links[li];
        memset(l, 0, sizeof(*l));
        l->a = a;
        l->b = b;
        if (p)
                l->p = *p;
        l->up = l->up_built = true;
        lab->ifaces[a].mtu = lab->ifaces[b].mtu = l->p.mtu;
        snprintf(l->where, sizeof(l->where), "%s", where ? where : "?");
        return lab->nlinks++;
}

int lab_find_link(const struct lab *lab, int node_a, int node_b)
{
        for (int i = 0; i < lab->nlinks; i++) {
                int na = lab->ifaces[lab->links[i].a].node, nb = lab->ifaces[lab->links[i].b].node;
                if ((na == node_a && nb == node_b) || (na == node_b && nb == node_a))
                        return i;
        }
        return -1;
}

static bool is_link_local6(const struct ipaddr *a)
{
        return a->family == AF_INET6 && a->a[0] == 0xfe && (a->a[1] & 0xc0) == 0x80;
}

/* An address of another interface of iface's node whose subnet overlaps
 * ip's (as iface * IFACE_ADDR_MAX + k), or -1. The kernel takes both, then
 * routes the subnet out of one of them only: Cisco's IOS refuses it too.
 * Link-local and host (/32, /128) addresses overlap nothing. */
static uint64_t addr_hash(const struct ipaddr *ip)
{
        unsigned char key[17];
        key[0] = (unsigned char)ip->family;
        memcpy(key + 1, ip->a, 16);
        return hash_bytes(key, sizeof(key));
}

/* Whether an address equal to ip may have been given (false: surely not).
 * With add, records it. Without an index (no memory) always "may". */
static bool addr_seen(struct lab *lab, const struct ipaddr *ip, bool add)
{
        if (lab->addr_cap < 0)
                return true; /* no memory once: the check always scans */
        if (add && 2 * (lab->addr_used + 1) > lab->addr_cap) {
                int cap = lab->addr_cap ? 2 * lab->addr_cap : 64;
                uint64_t *ix = calloc((size_t)cap, sizeof(*ix));
                for (int i = 0; ix && i < lab->addr_cap; i++) {
                        size_t s = lab->addr_ix[i] & ((size_t)cap - 1);
                        while (lab->addr_ix[i] && ix[s])
                                s = (s + 1) & ((size_t)cap - 1);
                        if (lab->addr_ix[i])
                                ix[s] = lab->addr_ix[i];
                }
                free(lab->addr_ix);
                lab->addr_ix = ix;
                lab->addr_cap = ix ? cap : -1;
                if (!ix)
                        return true;
        }
        if (!lab->addr_ix)
                return false; /* none given yet */
        uint64_t h = addr_hash(ip);
        size_t mask = (size_t)lab->addr_cap - 1, s = h & mask;
        for (; lab->addr_ix[s]; s = (s + 1) & mask)
                if (lab->addr_ix[s] == h)
                        return true;
        if (add) {
                lab->addr_ix[s] = h;
                lab->addr_used++;
        }
        return false;
}

int lab_addr_holder(const struct lab *lab, const struct ipaddr *ip, int iface)
{
        for (int i = 0; i < lab->nifaces; i++)
                for (int k = 0; k < lab->ifaces[i].naddr; k++) {
                        const struct ipaddr *o = &lab->ifaces[i].addr[k];
                        /* fe80::1 on each of a router's links is the norm: a
                         * link-local address clashes only on its own link */
                        if (iface >= 0 && is_link_local6(ip) && i != iface &&
                            !(lab->ifaces[iface].link >= 0 && lab_iface_peer(lab, iface) == i))
                                continue;
                        if (o->family == ip->family && !memcmp(o->a, ip->a, 16))
                                return i;
                }
        return -1;
}

static int overlapping(const struct lab *lab, int iface, const struct ipaddr *ip)
{
        const struct node *n = &lab->nodes[lab->ifaces[iface].node];
        int full = ip->family == AF_INET ? 32 : 128;
        if (is_link_local6(ip) || ip->prefix >= full)
                return -1;
        for (int i = 0; i < n->nifaces; i++) {
                const struct iface *g = &lab->ifaces[n->ifaces[i]];
                if (n->ifaces[i] == iface)
                        continue;
                for (int k = 0; k < g->naddr; k++) {
                        const struct ipaddr *o = &g->addr[k];
                        if (o->family != ip->family || is_link_local6(o) || o->prefix >= full)
                                continue;
                        if (o->prefix <= ip->prefix ? ipaddr_same_subnet(o, ip)
                                                    : ipaddr_same_subnet(ip, o))
                                return n->ifaces[i] * IFACE_ADDR_MAX + k;
                }
        }
        return -1;
}

int lab_iface_add_addr(struct lab *lab, int iface, const char *cidr, char *err)
{
        struct iface *f = &lab->ifaces[iface];
        struct node *n = &lab->nodes[f->node];
        char label[64];
        iface_label(lab, iface, label, sizeof(label));
        if (model_closed(lab)) {
                errno = EBUSY;
                return errf(err, "Cannot add address %s to %s: lab \"%s\" is already built", cidr,
                            label, lab->name);
        }
        struct ipaddr ip;
        char e[ERRLEN];
        if (ipaddr_parse(cidr, true, &ip, e) < 0) {
                errno = EINVAL;
                return errf(err, "%s (on %s)", e, label);
        }
        if (!(n->kind->flags & KIND_L3))
                return errf(err,
                            "Cannot put address %s on %s: \"%s\" is a %s (give "
                            "addresses to hosts and routers)",
                            cidr, label, n->name, n->kind->name);
        if (f->naddr >= IFACE_ADDR_MAX)
                return errf(err, "Cannot add address %s to %s: at most %d addresses", cidr, label,
                            IFACE_ADDR_MAX);
        /* The model's addresses are in the filter (those an adopted lab's
         * scan found are not: lab_addr_holder alone, live, sees them too). */
        int holder = addr_seen(lab, &ip, false) ? lab_addr_holder(lab, &ip, iface) : -1;
        if (holder >= 0) {
                char other[64];
                iface_label(lab, holder, other, sizeof(other));
                errno = EEXIST;
                return errf(err, "Cannot add address %s to %s: %s already has it", cidr, label,
                            other);
        }
        int o = overlapping(lab, iface, &ip);
        if (o >= 0) {
                char other[64], oa[64];
                iface_label(lab, o / IFACE_ADDR_MAX, other, sizeof(other));
                ipaddr_format(&lab->ifaces[o / IFACE_ADDR_MAX].addr[o % IFACE_ADDR_MAX], true, oa,
                              sizeof(oa));
                errno = EINVAL;
                return errf(err,
                            "Cannot add address %s to %s: its subnet overlaps %s on %s (a node "
                            "has one interface per subnet; give %s another subnet)",
                            cidr, label, oa, other, label);
        }
        f->addr[f->naddr++] = ip;
        addr_seen(lab, &ip, true);
        if (ip.family == AF_INET6)
                n->ipv6 = true;
        return 0;
}

int lab_port_add_vlan(struct lab *lab, int iface, uint16_t vid, bool pvid, bool untagged, char *err)
{
        struct iface *f = &lab->ifaces[iface];
        char label[64];
        iface_label(lab, iface, label, sizeof(label));
        if (model_closed(lab)) {
                errno = EBUSY;
                return errf(err, "Cannot add VLAN %u to %s: lab \"%s\" is already built", vid,
                            label, lab->name);
        }
        if (vid < 1 || vid > 4094) {
                errno = EINVAL;
                return errf(err, "invalid VLAN %u on %s: VIDs are 1..4094", vid, label);
        }
        if (!lab_node_has(lab, f->node, KIND_BRIDGE)) {
                errno = EINVAL;
                return errf(err,
                            "Cannot set VLAN %u on %s: \"%s\" is not a switch (use node:vlan() "
                            "for a subinterface on a host)",
                            vid, label, lab->nodes[f->node].name);
        }
        int slot = -1;
        for (int i = 0; i < f->nvlan; i++) {
                if (f->vlan[i].vid == vid)
                        slot = i;
                else if (pvid && f->vlan[i].pvid) {
                        errno = EINVAL;
                        return errf(err,
                                    "Cannot make VLAN %u the PVID of %s: it already has "
                                    "PVID %u (a port has one PVID)",
                                    vid, label, f->vlan[i].vid);
                }
        }
        if (slot < 0) {
                struct vlan_entry *v = realloc(f->vlan, (size_t)(f->nvlan + 1) * sizeof(*v));
                if (!v)
                        return errf_sys(err, NULL, "Cannot add VLAN %u to %s", vid, label);
                f->vlan = v;
                slot = f->nvlan++;
        }
        f->vlan[slot] = (struct vlan_entry){.vid = vid, .pvid = pvid, .untagged = untagged};
        lab->uses_vlan = true;
        return 0;
}

int lab_add_subif(struct lab *lab, int parent_iface, uint16_t vid, const char *where, char *err)
{
        struct iface *p = &lab->ifaces[parent_iface];
        int node = p->node;
        char label[64];
        iface_label(lab, parent_iface, label, sizeof(label));
        if (model_closed(lab)) {
                errno = EBUSY;
                return errf(err, "Cannot add %s.%u: lab \"%s\" is already built", label, vid,
                            lab->name);
        }
        if (vid < 1 || vid > 4094) {
                errno = EINVAL;
                return errf(err, "invalid VLAN %u for a subinterface of %s: VIDs are 1..4094", vid,
                            label);
        }
        if (!lab_node_has(lab, node, KIND_L3)) {
                errno = EINVAL;
                return errf(err,
                            "Cannot add a subinterface to %s: \"%s\" is a %s (set "
                            "VLANs on its ports instead)",
                            label, lab->nodes[node].name, lab->nodes[node].kind->name);
        }
        if (p->link < 0) {
                errno = EINVAL;
                return errf(err, "Cannot add a subinterface to %s: it is itself a subinterface",
                            label);
        }
        char name[32];
        snprintf(name, sizeof(name), "%s.%u", p->name, vid);
        if (strlen(name) > IFNAME_MAX) {
                errno = ENAMETOOLONG;
                return errf(err, "subinterface name \"%s\" is too long (at most %d characters)",
                            name, IFNAME_MAX);
        }
        int idx = iface_new(lab, node, -1, name, err);
        if (idx < 0)
                return -1;
        struct iface *f = &lab->ifaces[idx];
        p = &lab->ifaces[parent_iface]; /* the array may have moved */
        f->parent = parent_iface;
        f->vid = vid;
        memcpy(f->mac, p->mac, 6); /* a vlan device shares its parent's MAC */
        f->mtu = p->mtu;
        (void)where;
        lab->uses_vlan = true;
        return idx;
}

/* "trunk 100,200", "access VLAN 10", "native 1, trunk 10,20": a port's VLANs. */
static void port_vlans_text(const struct iface *p, char *buf, size_t len)
{
        size_t o = 0;
        int tagged = 0;
        buf[0] = '\0';
        for (int i = 0; i < p->nvlan; i++)
                tagged += !p->vlan[i].untagged;
        for (int i = 0; i < p->nvlan && o < len; i++) {
                const struct vlan_entry *v = &p->vlan[i];
                if (!v->untagged)
                        continue;
                o += (size_t)snprintf(buf + o, len - o, "%s%s %u", o ? ", " : "",
                                      !v->pvid   ? "untagged"
                                      : tagged   ? "native"
                                                 : "access VLAN",
                                      v->vid);
        }
        for (int i = 0, k = 0; i < p->nvlan && o < len; i++)
                if (!p->vlan[i].untagged)
                        o += (size_t)snprintf(buf + o, len - o, "%s%u",
                                              k++ ? "," : o ? ", trunk " : "trunk ",
                                              p->vlan[i].vid);
}

int lab_subif_check(const struct lab *lab, int subif, char *msg, size_t len)
{
        const struct iface *f = &lab->ifaces[subif];
        if (f->link >= 0 || f->parent < 0)
                return 0;
        int port = lab_iface_peer(lab, f->parent);
        if (port < 0 || !lab_node_has(lab, lab->ifaces[port].node, KIND_BRIDGE))
                return 0;
        const struct iface *p = &lab->ifaces[port];
        if (p->nvlan == 0) /* a VLAN-unaware port passes every tag */
                return 0;
        char me[64], sw[64], vl[160];
        iface_label(lab, subif, me, sizeof(me));
        iface_label(lab, port, sw, sizeof(sw));
        port_vlans_text(p, vl, sizeof(vl));
        for (int i = 0; i < p->nvlan; i++) {
                if (p->vlan[i].vid != f->vid)
                        continue;
                if (!p->vlan[i].untagged)
                        return 0;
                snprintf(msg, len,
                         "%s: VLAN %u leaves %s untagged (%s): the tagged frames of %s get "
                         "no answer (make %u tagged on the port, or use the parent interface)",
                         me, f->vid, sw, vl, me, f->vid);
                return 1;
        }
        snprintf(msg, len, "%s: VLAN %u is not carried by %s (%s)", me, f->vid, sw, vl);
        return 1;
}

/* "10.0.0.1", "2001:db8::1", or a link-local "fe80::1" with its interface
 * ("fe80::1%eth0"; without it, the node's only interface). */
int lab_node_set_gw(struct lab *lab, int node, const char *ip, char *err)
{
        struct node *n = &lab->nodes[node];
        struct ipaddr gw;
        char e[ERRLEN], addr[64];
        const char *dev = strchr(ip, '%');
        snprintf(addr, sizeof(addr), "%.*s", dev ? (int)(dev - ip) : (int)strlen(ip), ip);
        if (ipaddr_parse(addr, false, &gw, e) < 0) {
                errno = EINVAL;
                return errf(err, "invalid gateway for \"%s\": %s", n->name, e);
        }
        if (dev && (!is_link_local6(&gw) || !dev[1] || strlen(dev + 1) > IFNAME_MAX)) {
                errno = EINVAL;
                return errf(err,
                            "invalid gateway \"%s\" for \"%s\": only a link-local IPv6 gateway "
                            "takes an interface, as \"fe80::1%%eth0\"",
                            ip, n->name);
        }
        gw.prefix = gw.family == AF_INET ? 32 : 128;
        if (gw.family == AF_INET) {
                n->gw4 = gw;
        } else {
                n->gw6 = gw;
                snprintf(n->gw6_dev, sizeof(n->gw6_dev), "%s", dev ? dev + 1 : "");
                n->ipv6 = true;
        }
        return 0;
}

/* A link-local next hop's interface: dev, or the node's only one; what
 * names it in messages ("gateway", "route via"). */
static int ll_iface(const struct lab *lab, int node, const struct ipaddr *via, const char *dev,
                    const char *what, char *err)
{
        const struct node *n = &lab->nodes[node];
        char a[64];
        ipaddr_format(via, false, a, sizeof(a));
        if (dev[0]) {
                int f = lab_find_iface(lab, node, dev);
                if (f < 0) {
                        errno = ENODEV;
                        return errf(err, "%s: %s %s%%%s of \"%s\": no interface %s on \"%s\"",
                                    n->where, what, a, dev, n->name, dev, n->name);
                }
                return f;
        }
        if (n->nifaces != 1) {
                errno = EINVAL;
                return errf(err,
                            "%s: %s %s of \"%s\" is link-local and \"%s\" has %d "
                            "interfaces: name one, as \"%s%%eth0\"",
                            n->where, what, a, n->name, n->name, n->nifaces, a);
        }
        return n->ifaces[0];
}

/* A link-local gw6's interface: the one named, or the node's only one. */
static int gw6_iface(const struct lab *lab, int node, char *err)
{
        const struct node *n = &lab->nodes[node];
        return ll_iface(lab, node, &n->gw6, n->gw6_dev, "gateway", err);
}

int lab_route_iface(const struct lab *lab, int node, int r, char *err)
{
        const struct route *rt = &lab->nodes[node].routes[r];
        if (!is_link_local6(&rt->via))
                return -2;
        return ll_iface(lab, node, &rt->via, rt->dev, "route via", err);
}

int lab_node_gw6_iface(const struct lab *lab, int node, char *err)
{
        if (!is_link_local6(&lab->nodes[node].gw6))
                return -2;
        return gw6_iface(lab, node, err);
}

/* The model's settings change only before the build: after it, the kernel
 * holds them, and a silent change of the model would lie. */
static int still_defined(const struct lab *lab, const char *what, const char *name, char *err)
{
        if (!model_closed(lab))
                return 0;
        errno = EBUSY;
        return errf(err, "Cannot set %s of \"%s\": lab \"%s\" is already built", what, name,
                    lab->name);
}

int lab_node_set_ipv6(struct lab *lab, int node, bool on, char *err)
{
        if (still_defined(lab, "ipv6", lab->nodes[node].name, err) < 0)
                return -1;
        lab->nodes[node].ipv6 = on;
        return 0;
}

int lab_node_set_nat(struct lab *lab, int node, const char *ifname, char *err)
{
        struct node *n = &lab->nodes[node];
        if (still_defined(lab, "nat", n->name, err) < 0)
                return -1;
        if (!ifname_ok(ifname)) {
                errno = EINVAL;
                return errf(err,
                            "invalid nat interface \"%s\" for \"%s\": expected the name of its "
                            "outgoing interface, e.g. \"eth1\"",
                            ifname, n->name);
        }
        snprintf(n->nat_out, sizeof(n->nat_out), "%s", ifname);
        return 0;
}

int lab_node_set_nat_inbound(struct lab *lab, int node, bool drop, char *err)
{
        struct node *n = &lab->nodes[node];
        if (still_defined(lab, "nat", n->name, err) < 0)
                return -1;
        n->nat_drop_inbound = drop;
        return 0;
}

int lab_node_set_stp(struct lab *lab, int node, int forward_delay_s, char *err)
{
        struct node *n = &lab->nodes[node];
        if (still_defined(lab, "stp", n->name, err) < 0)
                return -1;
        if (!(n->kind->flags & KIND_BRIDGE)) {
                errno = EINVAL;
                return errf(err, "stp: \"%s\" is a %s (STP runs on switches)", n->name,
                            n->kind->name);
        }
        if (forward_delay_s && (forward_delay_s < 2 || forward_delay_s > 30)) {
                errno = EINVAL;
                return errf(err, "stp: forward_delay %d is outside 2..30 seconds (the kernel's range)",
                            forward_delay_s);
        }
        n->stp = forward_delay_s;
        return 0;
}

int lab_link_set_initial_up(struct lab *lab, int link, bool up, char *err)
{
        char label[64];
        snprintf(label, sizeof(label), "link %d", link + 1);
        if (still_defined(lab, "the state", label, err) < 0)
                return -1;
        lab->links[link].up = up;
        return 0;
}

int lab_node_add_route(struct lab *lab, int node, const char *dst, const char *via, char *err)
{
        struct node *n = &lab->nodes[node];
        struct route r = {.iface = -1};
        char e[ERRLEN], addr[64];
        if (strcmp(dst, "default") != 0 && ipaddr_parse(dst, true, &r.dst, e) < 0) {
                errno = EINVAL;
                return errf(err, "invalid route destination for \"%s\": %s", n->name, e);
        }
        const char *dev = strchr(via, '%');
        snprintf(addr, sizeof(addr), "%.*s", dev ? (int)(dev - via) : (int)strlen(via), via);
        if (ipaddr_parse(addr, false, &r.via, e) < 0) {
                errno = EINVAL;
                return errf(err, "invalid route gateway for \"%s\": %s", n->name, e);
        }
        if (dev && (!is_link_local6(&r.via) || !dev[1] || strlen(dev + 1) > IFNAME_MAX)) {
                errno = EINVAL;
                return errf(err,
                            "invalid route gateway \"%s\" for \"%s\": only a link-local IPv6 "
                            "next hop takes an interface, as \"fe80::1%%eth0\"",
                            via, n->name);
        }
        snprintf(r.dev, sizeof(r.dev), "%s", dev ? dev + 1 : "");
        if (r.dst.family && r.dst.family != r.via.family) {
                errno = EINVAL;
                return errf(err, "route %s via %s on \"%s\": address families differ", dst, via,
                            n->name);
        }
        struct route *rs = realloc(n->routes, (size_t)(n->nroutes + 1) * sizeof(*rs));
        if (!rs)
                return errf_sys(err, NULL, "Cannot add route");
        n->routes = rs;
        n->routes[n->nroutes++] = r;
        return 0;
}

/* True when some address of node is in the same subnet as gw. */
static bool node_reaches(const struct lab *lab, int node, const struct ipaddr *gw)
{
        const struct node *n = &lab->nodes[node];
        for (int i = 0; i < n->nifaces; i++) {
                const struct iface *f = &lab->ifaces[n->ifaces[i]];
                for (int k = 0; k < f->naddr; k++)
                        if (ipaddr_same_subnet(&f->addr[k], gw))
                                return true;
        }
        return false;
}

int lab_validate(struct lab *lab, char *err)
{
        char a[64];
        for (int i = 0; i < lab->nnodes; i++) {
                struct node *n = &lab->nodes[i];
                if (!lab_node_live(lab, i))
                        continue;
                char e[ERRLEN];
                if (n->kind->validate && n->kind->validate(lab, i, e) < 0)
                        return errf(err, "%s: %s", n->where, e);
                if (is_link_local6(&n->gw6) && gw6_iface(lab, i, err) < 0)
                        return -1;
                const struct ipaddr *gws[2] = {&n->gw4, &n->gw6};
                for (int g = 0; g < 2; g++) {
                        if (!gws[g]->family || node_reaches(lab, i, gws[g]) ||
                            is_link_local6(gws[g]))
                                continue;
                        ipaddr_format(gws[g], false, a, sizeof(a));
                        errno = EINVAL;
                        return errf(err,
                                    "%s: gateway %s of \"%s\" is not in the subnet of any of its "
                                    "addresses",
                                    n->where, a, n->name);
                }
                for (int r = 0; r < n->nroutes; r++) {
                        int ll = lab_route_iface(lab, i, r, err);
                        if (ll == -1)
                                return -1;
                        if (ll >= 0 || node_reaches(lab, i, &n->routes[r].via))
                                continue;
                        ipaddr_format(&n->routes[r].via, false, a, sizeof(a));
                        errno = EINVAL;
                        return errf(err,
                                    "%s: route via %s on \"%s\": no interface of \"%s\" is in "
                                    "that subnet",
                                    n->where, a, n->name, n->name);
                }
        }
        for (int i = 0; i < lab->nlinks; i++) { /* RFC 8200 §5: IPv6 needs 1280 */
                const struct link *l = &lab->links[i];
                if (l->deleted || !l->p.mtu || l->p.mtu >= 1280)
                        continue;
                for (int e = 0; e < 2; e++) {
                        const struct node *n = &lab->nodes[lab->ifaces[e ? l->b : l->a].node];
                        if (!n->ipv6 || !(n->kind->flags & KIND_L3))
                                continue;
                        char b[64];
                        iface_label(lab, l->a, a, sizeof(a));
                        iface_label(lab, l->b, b, sizeof(b));
                        errno = EINVAL;
                        return errf(err,
                                    "%s: link %s -- %s: mtu %d is below IPv6's minimum of 1280 "
                                    "and \"%s\" has IPv6 (an mtu of 1280 or more, or no IPv6 "
                                    "on \"%s\")",
                                    l->where, a, b, l->p.mtu, n->name, n->name);
                }
        }
        for (int i = 0; i < lab->nifaces; i++) {
                const struct iface *f = &lab->ifaces[i];
                int npvid = 0;
                for (int k = 0; k < f->nvlan; k++)
                        npvid += f->vlan[k].pvid;
                if (npvid > 1) {
                        iface_label(lab, i, a, sizeof(a));
                        errno = EINVAL;
                        return errf(err, "%s has %d PVIDs (a port has at most one)", a, npvid);
                }
        }
        return 0;
}

static int note_vlans(struct iface *f, char *err)
{
        struct vlan_entry *v = NULL;
        if (f->nvlan && !(v = malloc((size_t)f->nvlan * sizeof(*v))))
                return errf_sys(err, NULL, "Cannot record the VLANs of %s", f->name);
        if (f->nvlan)
                memcpy(v, f->vlan, (size_t)f->nvlan * sizeof(*v));
        free(f->vlan_built);
        f->vlan_built = v;
        f->nvlan_built = f->nvlan;
        return 0;
}

int lab_note_built(struct lab *lab, int link, char *err)
{
        for (int i = link < 0 ? 0 : link; i < (link < 0 ? lab->nlinks : link + 1); i++) {
                struct link *l = &lab->links[i];
                l->up_built = l->up;
                l->p_built = l->p;
                l->pb_built = l->pb;
                l->has_pb_built = l->has_pb;
                if (note_vlans(&lab->ifaces[l->a], err) < 0 ||
                    note_vlans(&lab->ifaces[l->b], err) < 0)
                        return -1;
        }
        return 0;
}
