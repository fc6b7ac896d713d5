/* hostview.c — a scan of the machine's namespaces as a lab model that is
 * only a view (hostview.h): nodes for namespaces and bridges, links for veth
 * pairs, updated in place from scan to scan.
 *
 * A bridge is drawn as a switch. A namespace that holds one bridge and
 * nothing else (every other interface but lo is one of its ports) IS that
 * switch: one node, as a netlab switch or an `ip netns add sw` with a bridge
 * reads, which keeps the graph small at 80x24. A namespace that holds a
 * bridge beside other things (the machine's own, a container with docker0)
 * keeps its node, with each bridge as a switch node joined to it by a link
 * named after the bridge: its ports' veths end on the switch, not on the
 * namespace, so the drawing shows which namespaces share a segment. */
#include "hostview.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* lab_ns_open of the view's nodes: the namespace opened again from the
 * last scan's facts, its inode checked (ns_open_net); nothing is held per
 * node, so ten thousand namespaces cost no descriptor (lab_ns_fd's cache
 * keeps a few). */
static int view_ns_open(const struct lab *lab, const struct node *n, int nstype, char *err)
{
        const struct hostview *hv = lab->ns_opener_ud;
        const struct ns_entry *e = hostview_entry(hv, (int)(n - lab->nodes));
        const char *what = nstype == CLONE_NEWUTS ? "UTS namespace" : "namespace";
        if (!e) {
                errno = ENOENT;
                return errf(err, "Cannot open %s of \"%s\": it is gone", what, n->name);
        }
        int fd = nstype == CLONE_NEWUTS ? ns_open_uts(e) : ns_open_net(e);
        if (fd < 0)
                return errf_sys(err, NULL, "Cannot open %s of \"%s\"", what, n->name);
        return fd;
}

int hostview_init(struct hostview *hv, char *err)
{
        memset(hv, 0, sizeof(*hv));
        hv->lab = lab_new("host", err);
        if (!hv->lab)
                return -1;
        /* Never built, never torn down: running as far as the console asks,
         * and open to lab_add_* as the scans come. */
        hv->lab->state = LAB_UP;
        hv->lab->editing = true;
        hv->lab->ns_opener = view_ns_open;
        hv->lab->ns_opener_ud = hv;
        return 0;
}

/* A node that went: lab_ns_fd's cached descriptors on it are closed. */
static void close_node(struct node *n)
{
        if (n->nsfd_net >= 0)
                close(n->nsfd_net);
        if (n->nsfd_uts >= 0)
                close(n->nsfd_uts);
        n->nsfd_net = n->nsfd_uts = -1;
        n->made = false;
}

void hostview_free(struct hostview *hv)
{
        if (hv->lab) {
                for (int i = 0; i < hv->lab->nnodes; i++)
                        close_node(&hv->lab->nodes[i]);
                lab_free(hv->lab);
        }
        free(hv->nodes);
        ns_scan_free(&hv->scan);
        memset(hv, 0, sizeof(*hv));
}

const struct ns_entry *hostview_entry(const struct hostview *hv, int node)
{
        if (!lab_node_live(hv->lab, node) || node >= hv->cap)
                return NULL;
        int i = hv->nodes[node].scan;
        return i >= 0 && i < hv->scan.n ? &hv->scan.ns[i] : NULL;
}

static const struct ns_iface *iface_at(const struct ns_entry *e, int ifindex)
{
        for (int i = 0; i < e->nifs; i++)
                if (e->ifs[i].li.ifindex == ifindex)
                        return &e->ifs[i];
        return NULL;
}

static const struct ns_iface *iface_named(const struct ns_entry *e, const char *name)
{
        for (int i = 0; i < e->nifs; i++)
                if (!strcmp(e->ifs[i].li.name, name))
                        return &e->ifs[i];
        return NULL;
}

static bool is_bridge(const struct ns_iface *f)
{
        return f && !strcmp(f->li.kind, "bridge");
}

/* A bridge with ports: drawn as a switch. One without (a netlab switch whose
 * ports the userspace datapath carries, a docker0 with no container) joins
 * nothing: the inspector lists it, the graph stays small. */
static bool bridge_with_ports(const struct ns_entry *e, const struct ns_iface *b)
{
        if (!is_bridge(b))
                return false;
        for (int i = 0; i < e->nifs; i++)
                if (e->ifs[i].li.master == b->li.ifindex)
                        return true;
        return false;
}

/* One bridge with ports and only its ports beside it (lo aside): the
 * namespace is the switch. */
static bool only_a_bridge(const struct ns_entry *e)
{
        int bridges = 0;
        for (int i = 0; i < e->nifs; i++) {
                const struct ns_iface *f = &e->ifs[i];
                if (is_bridge(f))
                        bridges += bridge_with_ports(e, f) ? 1 : 2;
                else if (strcmp(f->li.name, "lo") && !is_bridge(iface_at(e, f->li.master)))
                        return false;
        }
        return !e->host && bridges == 1;
}

static size_t node_hash(unsigned long ino, int br)
{
        return (size_t)((ino * 31 + (unsigned)br) * 0x9e3779b97f4a7c15ull >> 7);
}

static bool node_is(const struct hostview *hv, int i, unsigned long ino, int br)
{
        return lab_node_live(hv->lab, i) && hv->nodes[i].ino == ino && hv->nodes[i].br == br;
}

static int find_node(const struct hostview *hv, unsigned long ino, int br)
{
        if (hv->nix) {
                size_t mask = (size_t)hv->nix_cap - 1;
                for (size_t h = node_hash(ino, br); hv->nix[h & mask]; h++)
                        if (node_is(hv, hv->nix[h & mask] - 1, ino, br))
                                return hv->nix[h & mask] - 1;
                return -1;
        }
        for (int i = 0; i < hv->lab->nnodes && i < hv->cap; i++)
                if (node_is(hv, i, ino, br))
                        return i;
        return -1;
}

static void nix_put(struct hostview *hv, int i)
{
        size_t mask = (size_t)hv->nix_cap - 1, h = node_hash(hv->nodes[i].ino, hv->nodes[i].br);
        while (hv->nix[h & mask])
                h++;
        hv->nix[h & mask] = i + 1;
}

static size_t pair_hash(int a, int b)
{
        return (size_t)(((unsigned)(a < b ? a : b) * 65599u + (unsigned)(a < b ? b : a)) *
                            0x9e3779b97f4a7c15ull >>
                        7);
}

static size_t link_hash(const struct lab *lab, int l)
{
        return pair_hash(lab->ifaces[lab->links[l].a].node, lab->ifaces[lab->links[l].b].node);
}

static void lix_put(struct hostview *hv, int l)
{
        size_t mask = (size_t)hv->lix_cap - 1, h = link_hash(hv->lab, l);
        while (hv->lix[h & mask])
                h++;
        hv->lix[h & mask] = l + 1;
}

/* The indexes of one apply, sized for what it may add (the scan's
 * namespaces and interfaces); without memory, the scans walk the lists. */
static void index_build(struct hostview *hv, const struct ns_scan *s)
{
        struct lab *lab = hv->lab;
        size_t more = (size_t)s->n;
        for (int i = 0; i < s->n; i++)
                more += (size_t)s->ns[i].nifs;
        hv->nix_cap = hv->lix_cap = 64;
        while ((size_t)hv->nix_cap < 2 * ((size_t)lab->nnodes + more))
                hv->nix_cap *= 2;
        while ((size_t)hv->lix_cap < 2 * ((size_t)lab->nlinks + more))
                hv->lix_cap *= 2;
        hv->nix = calloc((size_t)hv->nix_cap, sizeof(int));
        hv->lix = calloc((size_t)hv->lix_cap, sizeof(int));
        if (!hv->nix || !hv->lix) {
                free(hv->nix);
                free(hv->lix);
                hv->nix = hv->lix = NULL;
                return;
        }
        for (int i = 0; i < lab->nnodes && i < hv->cap; i++)
                if (lab_node_live(lab, i))
                        nix_put(hv, i);
        for (int l = 0; l < lab->nlinks; l++)
                lix_put(hv, l);
}

static void index_free(struct hostview *hv)
{
        free(hv->nix);
        free(hv->lix);
        hv->nix = hv->lix = NULL;
}

/* Names are what a person reads: "(host)", "sleep 300 (pid 4242)", "br0";
 * cut to fit a node's name (the pid kept), and made unique with "~N". */
static void set_name(struct lab *lab, int node, const char *want)
{
        char base[NODE_NAME_MAX + 1], name[NODE_NAME_MAX + 1];
        const char *pid = strstr(want, " (pid ");
        if (strlen(want) > NODE_NAME_MAX && pid && strlen(pid) < NODE_NAME_MAX)
                snprintf(base, sizeof(base), "%.*s%s", (int)(NODE_NAME_MAX - strlen(pid)), want,
                         pid);
        else
                snprintf(base, sizeof(base), "%.*s", NODE_NAME_MAX, want);
        snprintf(name, sizeof(name), "%s", base);
        for (int k = 2;; k++) {
                int other = lab_find_node(lab, name);
                if (other < 0 || other == node)
                        break;
                char suf[16];
                int sl = snprintf(suf, sizeof(suf), "~%d", k);
                snprintf(name, sizeof(name), "%.*s%s", NODE_NAME_MAX - sl, base, suf);
        }
        if (strcmp(lab->nodes[node].name, name))
                lab_node_set_name(lab, node, name);
}

static int add_node(struct hostview *hv, const struct ns_entry *e, int scan, int br,
                    const char *label, const struct node_kind *kind, char *err)
{
        char tmp[32];
        snprintf(tmp, sizeof(tmp), "n%d", hv->lab->nnodes);
        int n = lab_add_node(hv->lab, tmp, kind, "the scan", err);
        if (n < 0)
                return -1;
        if (n >= hv->cap) {
                int cap = hv->cap ? hv->cap * 2 : 32;
                while (cap <= n)
                        cap *= 2;
                struct hv_node *nv = realloc(hv->nodes, (size_t)cap * sizeof(*nv));
                if (!nv) {
                        hv->lab->nodes[n].deleted = true;
                        return errf_sys(err, NULL, "Cannot add namespace %lu", e->ino);
                }
                hv->nodes = nv;
                hv->cap = cap;
        }
        hv->nodes[n] = (struct hv_node){.ino = e->ino, .br = br, .scan = scan};
        if (hv->nix)
                nix_put(hv, n);
        struct node *nd = &hv->lab->nodes[n];
        /* A named namespace takes its /etc/netns/NAME files as `ip netns
         * exec` gives them; the others a name no such directory has. */
        if (e->nnames && !strncmp(e->names[0], NETNS_RUN_DIR "/", strlen(NETNS_RUN_DIR) + 1) &&
            !strchr(e->names[0] + strlen(NETNS_RUN_DIR) + 1, '/'))
                snprintf(nd->netns_name, sizeof(nd->netns_name), "%.48s",
                         e->names[0] + strlen(NETNS_RUN_DIR) + 1);
        else
                snprintf(nd->netns_name, sizeof(nd->netns_name), "host.%lu", e->ino);
        nd->made = e->path != NULL; /* the scan could open it: view_ns_open can */
        set_name(hv->lab, n, label);
        return n;
}

/* The node a namespace's interface ends on: its bridge's, else the namespace's. */
static int end_node(const struct hostview *hv, const struct ns_entry *e, const struct ns_iface *f)
{
        const struct ns_iface *m = f->li.master ? iface_at(e, f->li.master) : NULL;
        if (bridge_with_ports(e, m) && !only_a_bridge(e)) {
                int n = find_node(hv, e->ino, m->li.ifindex);
                if (n >= 0)
                        return n;
        }
        return find_node(hv, e->ino, 0);
}

static bool link_is(const struct lab *lab, int l, int na, const char *ia, int nb, const char *ib)
{
        const struct iface *a = &lab->ifaces[lab->links[l].a], *b = &lab->ifaces[lab->links[l].b];
        return (a->node == na && b->node == nb && !strcmp(a->name, ia) && !strcmp(b->name, ib)) ||
               (a->node == nb && b->node == na && !strcmp(a->name, ib) && !strcmp(b->name, ia));
}

/* The link na:ia - nb:ib, kept (seen), brought back, or added. */
static int want_link(struct hostview *hv, bool *seen, int nseen, int na, const char *ia, int nb,
                     const char *ib, int *changed)
{
        struct lab *lab = hv->lab;
        if (na < 0 || nb < 0 || na == nb)
                return 0;
        size_t mask = (size_t)hv->lix_cap - 1;
        size_t h = pair_hash(na, nb);
        for (int k = 0, l;
             hv->lix ? (l = hv->lix[(h + (size_t)k) & mask] - 1) >= 0 : (l = k) < lab->nlinks; k++)
                if (link_is(lab, l, na, ia, nb, ib)) {
                        if (l < nseen)
                                seen[l] = true;
                        if (lab->links[l].deleted) {
                                lab->links[l].deleted = false;
                                *changed = 1;
                        }
                        return 0;
                }
        char err[ERRLEN];
        struct link_params p = {0};
        /* A name taken on a node (a veth renamed or moved) is left out of
         * the drawing rather than stopping the view. */
        int l = lab_add_link(lab, na, nb, &p, ia, ib, "the scan", err);
        if (l >= 0)
                *changed = 1;
        if (l >= 0 && hv->lix)
                lix_put(hv, l);
        return 0;
}

int hostview_apply(struct hostview *hv, struct ns_scan *s, char *err)
{
        struct lab *lab = hv->lab;
        int changed = 0;
        for (int i = 0; i < lab->nnodes && i < hv->cap; i++)
                hv->nodes[i].scan = -1;
        index_build(hv, s);
        /* Nodes: namespaces, and bridges beside other things. */
        for (int i = 0; i < s->n; i++) {
                const struct ns_entry *e = &s->ns[i];
                bool sw = only_a_bridge(e);
                const struct node_kind *kind = sw ? &kind_switch : &kind_host;
                char label[96];
                ns_label(e, label, sizeof(label));
                int n = find_node(hv, e->ino, 0);
                if (n < 0) {
                        if ((n = add_node(hv, e, i, 0, label, kind, err)) < 0)
                                goto fail;
                        changed = 1;
                } else {
                        hv->nodes[n].scan = i;
                        lab->nodes[n].made = e->path != NULL;
                        char old[NODE_NAME_MAX + 1];
                        snprintf(old, sizeof(old), "%s", lab->nodes[n].name);
                        set_name(lab, n, label);
                        changed |= strcmp(old, lab->nodes[n].name) || lab->nodes[n].kind != kind;
                        lab->nodes[n].kind = kind;
                }
                for (int k = 0; !sw && k < e->nifs; k++) {
                        const struct ns_iface *f = &e->ifs[k];
                        if (!bridge_with_ports(e, f))
                                continue;
                        int b = find_node(hv, e->ino, f->li.ifindex);
                        if (b >= 0) {
                                hv->nodes[b].scan = i;
                                continue;
                        }
                        char bl[160];
                        snprintf(bl, sizeof(bl), "%s", f->li.name);
                        if (lab_find_node(lab, bl) >= 0)
                                snprintf(bl, sizeof(bl), "%s@%s", f->li.name, label);
                        if (add_node(hv, e, i, f->li.ifindex, bl, &kind_switch, err) < 0)
                                goto fail;
                        changed = 1;
                }
        }
        for (int i = 0; i < lab->nnodes && i < hv->cap; i++)
                if (lab_node_live(lab, i) && hv->nodes[i].scan < 0) {
                        lab->nodes[i].deleted = true;
                        close_node(&lab->nodes[i]);
                        changed = 1;
                }
        /* Links: each veth pair once, and each bridge to its namespace. */
        int nseen = lab->nlinks;
        bool *seen = calloc((size_t)nseen + 1, sizeof(*seen));
        if (!seen) {
                errf_sys(err, NULL, "Cannot apply the scan");
                goto fail;
        }
        for (int a = 0; a < s->n; a++) {
                const struct ns_entry *e = &s->ns[a];
                bool sw = only_a_bridge(e);
                for (int k = 0; k < e->nifs; k++) {
                        const struct ns_iface *f = &e->ifs[k];
                        if (bridge_with_ports(e, f) && !sw)
                                want_link(hv, seen, nseen, find_node(hv, e->ino, 0), f->li.name,
                                          find_node(hv, e->ino, f->li.ifindex), f->li.name,
                                          &changed);
                        int b = f->peer_ns;
                        if (strcmp(f->li.kind, "veth") || b < 0 || !f->peer[0] ||
                            b > a || (b == a && strcmp(f->li.name, f->peer) <= 0))
                                continue; /* each pair from its second end */
                        const struct ns_iface *p = iface_named(&s->ns[b], f->peer);
                        if (!p)
                                continue;
                        want_link(hv, seen, nseen, end_node(hv, &s->ns[b], p), p->li.name,
                                  end_node(hv, e, f), f->li.name, &changed);
                }
        }
        for (int l = 0; l < nseen; l++)
                if (!seen[l] && !lab->links[l].deleted) {
                        lab->links[l].deleted = true;
                        changed = 1;
                }
        free(seen);
        index_free(hv);
        ns_scan_free(&hv->scan);
        hv->scan = *s;
        memset(s, 0, sizeof(*s));
        return changed;
fail:
        index_free(hv);
        ns_scan_free(s);
        return -1;
}
