/* monitor.c — the kernel's link state for the graph and the commands.
 *
 * Once the lab is built, one netlink link monitor (RTMGRP_LINK) in the
 * console's namespace hears every node's (NETLINK_LISTEN_ALL_NSID: each node's
 * namespace gets an id there), read by the event loop; a dump at start gives the state
 * the events then update (made on the kernel worker, kwork.h, as the loop
 * must never wait for the rtnl lock). A link set down anywhere (the console, a script,
 * `ip link` in a pane) shows on the graph on the next redraw. */
#include "console.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include "nl.h"
#include "kwork.h"
#include "monotime.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int monitors_init(struct console *c)
{
        size_t n = (size_t)(c->lab->nifaces > 0 ? c->lab->nifaces : 1);
        c->mon.ifup = malloc(n);
        if (!c->mon.ifup)
                return -1;
        memset(c->mon.ifup, -1, n);
        c->mon.nifup = (int)n;
        return 0;
}

void monitors_free(struct console *c)
{
        free(c->mon.ifup);
        c->mon.ifup = NULL;
        free(c->mon.node_of);
        c->mon.node_of = NULL;
        c->mon.nids = 0;
}

bool mon_link_up(const struct console *c, int l)
{
        const struct link *k = &c->lab->links[l];
        signed char a = c->mon.ifup[k->a], b = c->mon.ifup[k->b];
        if (a < 0 && b < 0)
                return k->up;
        return a != 0 && b != 0;
}

static void set_ifup(struct console *c, int node, const struct nl_link_info *info, bool deleted)
{
        int i = lab_find_iface(c->lab, node, info->name);
        if (i < 0)
                return;
        signed char v = deleted ? 0 : ((info->flags & IFF_UP) && info->oper_up) ? 1 : 0;
        if (c->mon.ifup[i] != v) {
                /* A change is logged; the first state is not (20,000 lines,
                 * 55 ms on the loop, when a console opens on 10,000 nodes). */
                if (c->mon.ifup[i] >= 0)
                        con_log(c, "link %s:%s %s", c->lab->nodes[node].name, info->name,
                                v ? "up" : "down");
                c->mon.ifup[i] = v;
                c->dirty = true;
        }
}

static void on_link_event(void *ud, int nsid, bool deleted, const struct nl_link_info *info)
{
        struct console *c = ud;
        int node = nsid < 0 ? c->mon.self : nsid < c->mon.nids ? c->mon.node_of[nsid] : -1;
        if (node >= 0 && lab_node_live(c->lab, node))
                set_ifup(c, node, info, deleted);
}

/* The first state of many nodes, dumped on the kernel worker in one job: a
 * console opening on 10,000 nodes answers its keys at once (a dump per node
 * in the loop held it for seconds). The namespaces' paths are copied here:
 * the worker never reads the lab, which live edits change. */
static unsigned mon_gen; /* bumped by monitors_stop: older dumps are void */

struct bulk_dump {
        struct console *c;
        unsigned gen;
        int n, cap;
        int *node;
        char **path;
        struct nl_link_info **li;
        int *nli;
};

static void bulk_add(struct bulk_dump *b, int node, const char *path)
{
        if (b->n == b->cap) {
                int cap = b->cap ? 2 * b->cap : 256;
                int *nd = realloc(b->node, (size_t)cap * sizeof(int));
                if (nd)
                        b->node = nd;
                char **pa = nd ? realloc(b->path, (size_t)cap * sizeof(char *)) : NULL;
                if (pa)
                        b->path = pa;
                if (!nd || !pa)
                        return;
                b->cap = cap;
        }
        b->path[b->n] = strdup(path);
        if (b->path[b->n])
                b->node[b->n++] = node;
}

static void bulk_run(void *arg)
{
        struct bulk_dump *b = arg;
        b->li = calloc((size_t)b->n + 1, sizeof(*b->li));
        b->nli = calloc((size_t)b->n + 1, sizeof(*b->nli));
        if (!b->li || !b->nli)
                return;
        for (int k = 0; k < b->n; k++) {
                char err[ERRLEN];
                int fd = open(b->path[k], O_RDONLY | O_CLOEXEC);
                struct nl *nl = fd < 0 ? NULL : nl_open(fd, err);
                if (nl && nl_link_dump(nl, &b->li[k], &b->nli[k], err) < 0)
                        b->nli[k] = 0;
                nl_close(nl);
                if (fd >= 0)
                        close(fd);
        }
}

static void bulk_done(void *arg)
{
        struct bulk_dump *b = arg;
        struct console *c = b->c;
        if (b->gen != mon_gen || !c->mon.all || !b->li || !b->nli)
                return; /* the monitors stopped (or the lab was reloaded) meanwhile */
        for (int k = 0; k < b->n; k++)
                if (b->node[k] < c->lab->nnodes && lab_node_live(c->lab, b->node[k]))
                        for (int j = 0; j < b->nli[k]; j++)
                                set_ifup(c, b->node[k], &b->li[k][j], false);
}

static void bulk_release(void *arg)
{
        struct bulk_dump *b = arg;
        for (int k = 0; k < b->n; k++) {
                free(b->path[k]);
                if (b->li)
                        free(b->li[k]);
        }
        free(b->path);
        free(b->node);
        free(b->li);
        free(b->nli);
        free(b);
}

/* The state now (events only tell changes), dumped on the kernel worker:
 * at start, and again when the monitor lost events (ENOBUFS). */

struct link_dump {
        struct console *c;
        unsigned gen;
        int node, netns_fd, n;
        struct nl_link_info *li;
        char err[ERRLEN];
};

static void dump_run(void *arg)
{
        struct link_dump *d = arg;
        struct nl *nl = nl_open(d->netns_fd, d->err);
        if (nl && nl_link_dump(nl, &d->li, &d->n, d->err) < 0)
                d->n = 0;
        nl_close(nl);
}

static void dump_done(void *arg)
{
        struct link_dump *d = arg;
        if (d->gen != mon_gen || !d->c->mon.all || d->node >= d->c->lab->nnodes)
                return; /* the monitors stopped (or the lab was reloaded) meanwhile */
        for (int k = 0; k < d->n; k++)
                set_ifup(d->c, d->node, &d->li[k], false);
}

static void dump_release(void *arg)
{
        struct link_dump *d = arg;
        if (d->netns_fd >= 0)
                close(d->netns_fd);
        free(d->li);
        free(d);
}

static void dump_links(struct console *c, int node)
{
        struct link_dump *d = calloc(1, sizeof(*d));
        if (!d || !c->kw) {
                free(d);
                return;
        }
        d->c = c;
        d->gen = mon_gen;
        d->node = node;
        d->netns_fd = lab_ns_open(c->lab, &c->lab->nodes[node], CLONE_NEWNET, NULL); /* the worker's own */
        char err[ERRLEN];
        if (d->netns_fd < 0 ||
            kwork_submit(c->kw, &(struct kwork_job){dump_run, dump_done, dump_release, d}, err) < 0)
                dump_release(d);
}

void monitors_start(struct console *c)
{
        char err[ERRLEN];
        c->mon.self = -1;
        c->mon.nnodes = 0;
        c->mon.all = nl_monitor_all_open(err);
        if (!c->mon.all) {
                con_log(c, "monitor: %s", err);
                return;
        }
        con_ep_add(c, nl_fd(c->mon.all), EV_MON, 0);
        monitors_follow(c);
}

/* The namespace ids of many nodes, asked for on the kernel worker too: at
 * 5,000 nodes they held the loop for 0.8 s. The ids found are put in the
 * map on the loop (ids_done), and only then is the first state dumped (a
 * second job): an event the monitor heard before its id was in the map was
 * dropped, but the dump, made after, shows what it changed. */
struct ids_job {
        struct bulk_dump *b; /* node[] and path[]; id[] found by ids_run */
        int *id;             /* -1: none (err), -2: the console's own namespace */
        int nerr;
        char err[ERRLEN];
};

static void ids_run(void *arg)
{
        struct ids_job *j = arg;
        struct bulk_dump *b = j->b;
        struct stat self;
        bool has_self = stat("/proc/self/ns/net", &self) == 0;
        char err[ERRLEN] = "";
        struct nl *ctl = nl_open(-1, err); /* in the console's namespace */
        for (int k = 0; k < b->n; k++) {
                struct stat st;
                int fd = open(b->path[k], O_RDONLY | O_CLOEXEC);
                j->id[k] = -1;
                if (fd >= 0 && has_self && fstat(fd, &st) == 0 && st.st_ino == self.st_ino &&
                    st.st_dev == self.st_dev)
                        j->id[k] = -2; /* its events come without an id */
                else if (fd >= 0 && ctl)
                        j->id[k] = nl_netns_id_assign(ctl, fd, err);
                else if (fd < 0)
                        errf_sys(err, NULL, "Cannot open namespace \"%s\"", b->path[k]);
                if (j->id[k] == -1 && j->nerr++ == 0)
                        snprintf(j->err, sizeof(j->err), "%s", err[0] ? err : "no namespace id");
                if (fd >= 0)
                        close(fd);
        }
        nl_close(ctl);
}

static bool map_id(struct console *c, int id, int n)
{
        if (id >= c->mon.nids) {
                int nn = id + 1 > 2 * c->mon.nids ? id + 1 : 2 * c->mon.nids;
                int *m = realloc(c->mon.node_of, (size_t)nn * sizeof(int));
                if (!m)
                        return false;
                for (int k = c->mon.nids; k < nn; k++)
                        m[k] = -1;
                c->mon.node_of = m;
                c->mon.nids = nn;
        }
        c->mon.node_of[id] = n;
        return true;
}

static void ids_done(void *arg)
{
        struct ids_job *j = arg;
        struct bulk_dump *b = j->b;
        struct console *c = b->c;
        if (b->gen != mon_gen || !c->mon.all)
                return; /* the monitors stopped (or the lab was reloaded) meanwhile */
        for (int k = 0; k < b->n; k++) {
                if (j->id[k] == -2)
                        c->mon.self = b->node[k];
                else if (j->id[k] >= 0)
                        map_id(c, j->id[k], b->node[k]);
        }
        if (j->nerr)
                con_log(c, "monitor: %d of %d nodes unheard: %s", j->nerr, b->n, j->err);
        char err[ERRLEN];
        if (kwork_submit(c->kw, &(struct kwork_job){bulk_run, bulk_done, bulk_release, b}, err) == 0)
                j->b = NULL; /* the dump's now */
}

static void ids_release(void *arg)
{
        struct ids_job *j = arg;
        if (j->b)
                bulk_release(j->b);
        free(j->id);
        free(j);
}

/* New nodes (netlab host's, with no path, here on the loop; a lab's on the
 * worker, ids then dumps). */
static void follow_on_worker(struct console *c, int from)
{
        struct lab *lab = c->lab;
        struct bulk_dump *b = calloc(1, sizeof(*b));
        struct ids_job *j = b ? calloc(1, sizeof(*j)) : NULL;
        if (!j) {
                free(b);
                con_log(c, "monitor: %s", strerror(ENOMEM));
                return;
        }
        b->c = c;
        b->gen = mon_gen;
        j->b = b;
        for (int n = from; n < lab->nnodes; n++) {
                char path[PATH_MAX];
                if (!lab_node_live(lab, n) || !lab->nodes[n].made)
                        continue;
                lab_netns_path(lab, lab->nodes[n].name, path, sizeof(path));
                bulk_add(b, n, path);
        }
        j->id = calloc((size_t)b->n + 1, sizeof(int));
        char err[ERRLEN];
        if (b->n == 0 || !j->id ||
            kwork_submit(c->kw, &(struct kwork_job){ids_run, ids_done, ids_release, j}, err) < 0)
                ids_release(j);
}

/* Node n of netlab host heard by the monitor, on the loop: its namespace
 * gets an id in the console's (the monitor passes it with each event), if
 * it has one already (the machine's view changes nothing); then the state
 * now (events only tell changes). */
static void monitor_open(struct console *c, struct nl *ctl, int n)
{
        char err[ERRLEN] = "";
        struct node *nd = &c->lab->nodes[n];
        if (!lab_node_live(c->lab, n) || !nd->made)
                return;
        int fd = lab_ns_fd(c->lab, nd, CLONE_NEWNET, err);
        struct stat a, b;
        if (fd >= 0 && fstat(fd, &a) == 0 && stat("/proc/self/ns/net", &b) == 0 &&
            a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
                c->mon.self = n; /* its events come without an id */
        } else {
                /* On the machine's view (netlab host) nothing is changed:
                 * a namespace with no id yet is followed by the rescans. */
                int id = fd < 0 || !ctl ? -1
                         : c->host     ? nl_netns_id(ctl, fd, err)
                                       : nl_netns_id_assign(ctl, fd, err);
                if (id < 0 && c->host)
                        return;
                if (id < 0) {
                        con_log(c, "monitor %s: %s", nd->name, err[0] ? err : "no namespace id");
                        return;
                }
                map_id(c, id, n);
        }
        struct nl *q = lab_nl_open(c->lab, nd, err);
        struct nl_link_info *li = NULL;
        int nli = 0;
        if (q && nl_link_dump(q, &li, &nli, err) == 0)
                for (int k = 0; k < nli; k++)
                        set_ifup(c, n, &li[k], false);
        free(li);
        if (q)
                nl_close(q);
}

void monitors_follow(struct console *c)
{
        struct lab *lab = c->lab;
        if (lab->nifaces > c->mon.nifup) {
                signed char *u = realloc(c->mon.ifup, (size_t)lab->nifaces);
                if (!u)
                        return;
                memset(u + c->mon.nifup, -1, (size_t)(lab->nifaces - c->mon.nifup));
                c->mon.ifup = u;
                c->mon.nifup = lab->nifaces;
        }
        if (!c->mon.all || lab->nnodes <= c->mon.nnodes)
                return; /* a deleted node's events are dropped (on_link_event) */
        double t0 = monotime_s();
        int from = c->mon.nnodes;
        c->mon.nnodes = lab->nnodes;
        if (c->kw && !c->host) {
                follow_on_worker(c, from);
        } else {
                char err[ERRLEN];
                struct nl *ctl = nl_open(-1, err); /* asks for the namespace ids */
                if (!ctl)
                        con_log(c, "monitor: %s", err);
                for (int n = from; n < lab->nnodes; n++)
                        monitor_open(c, ctl, n);
                nl_close(ctl);
        }
        if (getenv("NETLAB_UI_TIMING"))
                con_log(c, "monitor: %d nodes followed, %.1f ms on the loop", lab->nnodes - from,
                        (monotime_s() - t0) * 1000);
}

void monitors_stop(struct console *c)
{
        mon_gen++;
        if (c->mon.all) {
                con_ep_del(c, nl_fd(c->mon.all));
                nl_close(c->mon.all);
                c->mon.all = NULL;
        }
        free(c->mon.node_of);
        c->mon.node_of = NULL;
        c->mon.nids = 0;
        c->mon.nnodes = 0;
        c->mon.self = -1;
}

void monitors_event(struct console *c, int node)
{
        (void)node;
        if (!c->mon.all)
                return;
        if (nl_monitor_read_all(c->mon.all, on_link_event, c) < 0 && errno == ENOBUFS)
                for (int n = 0; n < c->lab->nnodes; n++) /* events were lost: read the state again */
                        if (lab_node_live(c->lab, n) && c->lab->nodes[n].made)
                                dump_links(c, n);
}
