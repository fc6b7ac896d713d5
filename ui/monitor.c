/* monitor.c — the kernel's link state for the graph and the commands.
 *
 * Once the lab is built, each node gets a netlink link monitor (RTMGRP_LINK)
 * in its namespace, read by the event loop; a dump at start gives the state
 * the events then update (made on the kernel worker, kwork.h, as the loop
 * must never wait for the rtnl lock). A link set down anywhere (the console, a script,
 * `ip link` in a pane) shows on the graph on the next redraw. */
#include "console.h"
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include "nl.h"
#include "kwork.h"
#include <errno.h>
#include <fcntl.h>
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
}

bool mon_link_up(const struct console *c, int l)
{
        const struct link *k = &c->lab->links[l];
        signed char a = c->mon.ifup[k->a], b = c->mon.ifup[k->b];
        if (a < 0 && b < 0)
                return k->up;
        return a != 0 && b != 0;
}

struct mon_ud {
        struct console *c;
        int node;
};

static void set_ifup(struct console *c, int node, const struct nl_link_info *info, bool deleted)
{
        int i = lab_find_iface(c->lab, node, info->name);
        if (i < 0)
                return;
        signed char v = deleted ? 0 : ((info->flags & IFF_UP) && info->oper_up) ? 1 : 0;
        if (c->mon.ifup[i] != v) {
                c->mon.ifup[i] = v;
                c->dirty = true;
                con_log(c, "link %s:%s %s", c->lab->nodes[node].name, info->name,
                        v ? "up" : "down");
        }
}

static void on_link_event(void *ud, bool deleted, const struct nl_link_info *info)
{
        struct mon_ud *m = ud;
        set_ifup(m->c, m->node, info, deleted);
}

/* Node n's monitor, and the state now (events only tell changes). */
static void monitor_open(struct console *c, int n)
{
        char err[ERRLEN];
        struct node *nd = &c->lab->nodes[n];
        if (!lab_node_live(c->lab, n) || !nd->made)
                return;
        int fd = lab_ns_fd(c->lab, nd, CLONE_NEWNET, err);
        c->mon.nl[n] = fd < 0 ? NULL : nl_monitor_open(fd, err);
        if (!c->mon.nl[n]) {
                con_log(c, "monitor %s: %s", nd->name, err);
                return;
        }
        con_ep_add(c, nl_fd(c->mon.nl[n]), EV_MON, (uint32_t)n);
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

/* The state now (events only tell changes), dumped on the kernel worker:
 * at start, and again when the monitor lost events (ENOBUFS). */
static unsigned mon_gen; /* bumped by monitors_stop: older dumps are void */

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
        if (d->gen != mon_gen || !d->c->mon.nl || d->node >= d->c->lab->nnodes)
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
        c->mon.nl = calloc((size_t)c->lab->nnodes + 1, sizeof(*c->mon.nl));
        if (!c->mon.nl)
                return;
        c->mon.nnl = c->lab->nnodes;
        for (int n = 0; n < c->lab->nnodes; n++)
                monitor_open(c, n);
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
        if (!c->mon.nl)
                return;
        for (int n = 0; n < c->mon.nnl; n++)
                if (c->mon.nl[n] && !lab_node_live(lab, n)) {
                        con_ep_del(c, nl_fd(c->mon.nl[n]));
                        nl_close(c->mon.nl[n]);
                        c->mon.nl[n] = NULL;
                }
        if (lab->nnodes > c->mon.nnl) {
                struct nl **m = realloc(c->mon.nl, (size_t)lab->nnodes * sizeof(*m));
                if (!m)
                        return;
                memset(m + c->mon.nnl, 0, (size_t)(lab->nnodes - c->mon.nnl) * sizeof(*m));
                c->mon.nl = m;
                int from = c->mon.nnl;
                c->mon.nnl = lab->nnodes;
                for (int n = from; n < lab->nnodes; n++)
                        monitor_open(c, n);
        }
}

void monitors_stop(struct console *c)
{
        mon_gen++;
        if (!c->mon.nl)
                return;
        for (int n = 0; n < c->mon.nnl; n++)
                if (c->mon.nl[n]) {
                        con_ep_del(c, nl_fd(c->mon.nl[n]));
                        nl_close(c->mon.nl[n]);
                }
        free(c->mon.nl);
        c->mon.nl = NULL;
        c->mon.nnl = 0;
}

void monitors_event(struct console *c, int node)
{
        if (!c->mon.nl || node < 0 || node >= c->mon.nnl || !c->mon.nl[node])
                return;
        struct mon_ud m = {c, node};
        if (nl_monitor_read(c->mon.nl[node], on_link_event, &m) < 0 && errno == ENOBUFS)
                dump_links(c, node); /* events were lost: read the state again */
}
