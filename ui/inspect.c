/* inspect.c — the inspector: the selected node's interfaces (MAC, state,
 * MTU, addresses, the VLANs of switch ports and of host ports, peer),
 * routes, neighbours (ARP/NDP), IP forwarding and NAT, a switch's firewall
 * rules and FDB, and rx/tx counters with rates. Read from the kernel with
 * netlink dumps on a socket opened in the node's namespace, refreshed once a
 * second while the pane is shown (inspect_refresh: fetch only); drawing
 * (draw_inspector: render only) reads what the last fetch kept, as lines of
 * a pane that scrolls. Before the lab is built it shows the model instead. */
#include "console.h"
#include "dp.h"
#include "fw.h"
#include "nat.h"
#include "nft.h"
#include "plan.h"
#include "live.h"
#include "swclass.h"
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "kwork.h"
#include "vlanview.h"
#include "plot.h"
#include "monotime.h"
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include <net/if.h>
#include <linux/netfilter.h> /* after netinet: NFPROTO_* */

static unsigned fetch_gen; /* bumped by inspect_free (a reload): older reads are void */

void inspect_free(struct inspect *in)
{
        fetch_gen++;
        free(in->li);
        free(in->ai);
        free(in->ri);
        free(in->vi);
        free(in->ne);
        free(in->fdb);
        free(in->prev_rx);
        free(in->prev_tx);
        memset(in, 0, sizeof(*in));
        in->node = -1;
}

/* 1 when table is in the namespace's nftables, 0 when it is not, -1 unknown. */
static int nft_table_state(int netns_fd, uint8_t family, const char *table)
{
        uint64_t handle;
        char extack[NLSOCK_EXTACKLEN];
        if (nft_table_handle(netns_fd, family, table, &handle, extack) == 0)
                return 1;
        return errno == ENOENT ? 0 : -1;
}

/* What one refresh reads, made on the kernel worker (kwork.h): a dump can
 * wait seconds for the rtnl lock while another lab builds, and the loop
 * must not. The job has its own namespace fd and copies of what it needs
 * from the model; the results are moved into c->in on the loop's thread. */
struct fetch {
        struct console *c;
        unsigned gen;
        int node, netns_fd;
        char name[32];
        bool bridge, vlan_kernel, nat, fw_kernel;
        int fw;                       /* -1 none, 2 userspace, 0 kernel */
        struct nl_link_info *li;
        int nli;
        struct nl_addr_info *ai;
        int nai;
        struct nl_route_info *ri;
        int nri;
        struct nl_port_vlan *kv;
        int nkv;
        struct nl_neigh_info *ne, *fdb;
        int nne, nfdb;
        int fwd4, fwd6, nat_table, fw_table;
        bool ok;
        int delay_ms; /* NETLAB_TEST_KERNEL_DELAY_MS: a kernel slow to answer, for tests */
        /* The node's services: names copied on the loop, states read here
         * (files a supervisor may be rewriting: never on the loop). */
        char rundir[PATH_MAX];
        struct inspect_svc svc[INSPECT_SVCS];
        int nsvc, nsvc_all;
        bool ovs; /* an OVS switch: its status from the lab's OVS (ovs.h) */
        struct ovs_status ost;
        int ost_known;
        char ost_err[ERRLEN];
        char err[ERRLEN];
};

static void fetch_run(void *arg)
{
        struct fetch *f = arg;
        for (int i = 0; i < f->nsvc; i++) {
                char p[PATH_MAX + 128];
                service_state_path_in(f->rundir, f->name, f->svc[i].name, p, sizeof(p));
                f->svc[i].known = service_state_read(p, &f->svc[i].st) == 0;
        }
        if (f->ovs) { /* two short-lived tools, on this worker: never on the loop */
                char dir[PATH_MAX + 8];
                snprintf(dir, sizeof(dir), "%s/ovs", f->rundir);
                f->ost_known = ovs_switch_status(dir, f->name, &f->ost, f->ost_err) == 0 ? 1 : -1;
        }
        if (f->delay_ms > 0)
                usleep((useconds_t)f->delay_ms * 1000); /* as if the rtnl lock were held */
        struct nl *nl = nl_open(f->netns_fd, f->err);
        if (!nl)
                return;
        nl_set_label(nl, f->name);
        if (nl_link_dump(nl, &f->li, &f->nli, f->err) == 0) {
                f->ok = true;
                nl_addr_dump(nl, &f->ai, &f->nai, f->err);
                nl_route_dump(nl, &f->ri, &f->nri, f->err);
                if (f->vlan_kernel)
                        nl_bridge_vlan_dump(nl, &f->kv, &f->nkv, f->err);
                nl_neigh_dump(nl, AF_UNSPEC, &f->ne, &f->nne, f->err);
                if (f->bridge)
                        nl_neigh_dump(nl, AF_BRIDGE, &f->fdb, &f->nfdb, f->err);
                f->fwd4 = nl_forwarding(nl, AF_INET, f->err);
                f->fwd6 = nl_forwarding(nl, AF_INET6, f->err);
                f->nat_table = f->nat ? nft_table_state(f->netns_fd, NFPROTO_IPV4, NAT_TABLE) : -1;
                f->fw_table = f->fw != 0 ? f->fw
                                         : nft_table_state(f->netns_fd, NFPROTO_BRIDGE, DP_FW_TABLE);
        }
        nl_close(nl);
}

#define TAKE(dst, src)                                                                             \
        do {                                                                                       \
                free(dst);                                                                         \
                (dst) = (src);                                                                     \
                (src) = NULL;                                                                      \
        } while (0)

/* Appends each interface's throughput to its sparkline (by ifindex: the
 * dump's order may change); an interface gone loses its line. */
static void spark_add(struct inspect *in, const struct nl_link_info *li, int nli, bool rated)
{
        struct inspect_spark old[64];
        memcpy(old, in->spark, sizeof(old));
        memset(in->spark, 0, sizeof(in->spark));
        for (int i = 0; i < nli && i < 64; i++) {
                in->spark[i].ifindex = li[i].ifindex;
                for (int k = 0; k < 64; k++)
                        if (old[k].n && old[k].ifindex == li[i].ifindex) {
                                in->spark[i] = old[k];
                                break;
                        }
                if (!rated)
                        continue;
                if (in->spark[i].n == INSPECT_SPARK) {
                        memmove(in->spark[i].v, in->spark[i].v + 1,
                                (INSPECT_SPARK - 1) * sizeof(double));
                        in->spark[i].n--;
                }
                in->spark[i].v[in->spark[i].n++] = in->rx_rate[i] + in->tx_rate[i];
        }
}

static void fetch_done(void *arg)
{
        struct fetch *f = arg;
        struct console *c = f->c;
        struct inspect *in = &c->in;
        if (f->gen != fetch_gen)
                return;
        in->busy_since = 0;
        if (f->node != c->sel || !c->built || f->node >= c->lab->nnodes) {
                c->inspect_at = 0; /* the selection moved on: read the new one now */
                return;
        }
        if (in->node != f->node) {
                inspect_free(in);
                f->gen = fetch_gen;
                in->node = f->node;
                if (c->inspect_pane >= 0)
                        c->panes[c->inspect_pane].scroll = 0;
        }
        memcpy(in->err, f->err, sizeof(in->err));
        in->ovs = f->ost;
        in->ovs_known = f->ovs ? f->ost_known : 0;
        snprintf(in->ovs_err, sizeof(in->ovs_err), "%.150s", f->ost_err);
        memcpy(in->svc, f->svc, sizeof(in->svc));
        in->nsvc = f->nsvc;
        in->nsvc_all = f->nsvc_all;
        c->dirty = true;
        if (!f->ok)
                return;
        if (f->ovs) { /* the lab's OVS namespace holds every OVS switch: show this one's */
                int k = 0;
                for (int i = 0; i < f->nli; i++)
                        if (lab_find_iface(c->lab, f->node, f->li[i].name) >= 0)
                                f->li[k++] = f->li[i];
                f->nli = k;
        }
        long long now = monotime_ms();
        double dt = in->at_ms ? (double)(now - in->at_ms) / 1000.0 : 0;
        for (int i = 0; i < f->nli && i < 64; i++) {
                in->rx_rate[i] = in->tx_rate[i] = 0;
                for (int k = 0; k < in->nli && dt > 0; k++)
                        if (in->li[k].ifindex == f->li[i].ifindex) {
                                in->rx_rate[i] =
                                    (double)(f->li[i].rx_bytes - in->li[k].rx_bytes) / dt;
                                in->tx_rate[i] =
                                    (double)(f->li[i].tx_bytes - in->li[k].tx_bytes) / dt;
                        }
        }
        in->at_ms = now;
        spark_add(in, f->li, f->nli, dt > 0);
        TAKE(in->li, f->li);
        in->nli = f->nli;
        TAKE(in->ai, f->ai);
        in->nai = f->nai;
        TAKE(in->ri, f->ri);
        in->nri = f->nri;
        TAKE(in->ne, f->ne);
        in->nne = f->nne;
        TAKE(in->fdb, f->fdb);
        in->nfdb = f->nfdb;
        free(in->vi);
        in->vi = NULL;
        in->nvi = 0;
        if (f->bridge)
                lab_vlan_view_of(c->lab, f->node, f->kv, f->nkv, &in->vi, &in->nvi, in->err);
        in->fwd4 = f->fwd4;
        in->fwd6 = f->fwd6;
        in->nat_table = f->nat_table;
        in->fw_table = f->fw_table;
}

static void fetch_release(void *arg)
{
        struct fetch *f = arg;
        if (f->netns_fd >= 0)
                close(f->netns_fd);
        free(f->li);
        free(f->ai);
        free(f->ri);
        free(f->kv);
        free(f->ne);
        free(f->fdb);
        free(f);
}

void inspect_refresh(struct console *c, int node)
{
        struct inspect *in = &c->in;
        if (node < 0 || node >= c->lab->nnodes || !c->built || !c->kw)
                return;
        if (in->busy_since)
                return; /* one read at a time; the last one is still in the kernel */
        const struct node *n = &c->lab->nodes[node];
        struct fetch *f = calloc(1, sizeof(*f));
        if (!f)
                return;
        f->c = c;
        f->gen = fetch_gen;
        f->node = node;
        f->netns_fd = lab_ns_open(c->lab, n, CLONE_NEWNET, NULL); /* the worker's own */
        snprintf(f->name, sizeof(f->name), "%s", n->name);
        f->bridge = lab_node_has(c->lab, node, KIND_BRIDGE);
        f->vlan_kernel = f->bridge && lab_vlan_view_reads_kernel(c->lab, node);
        f->nat = n->nat_out[0] != '\0';
        f->fw = !fw_for(c->lab, node) ? -1 : plan_switch_in_userspace(c->lab, node) ? 2 : 0;
        f->fwd4 = f->fwd6 = f->nat_table = f->fw_table = -1;
        snprintf(f->rundir, sizeof(f->rundir), "%s", c->lab->rundir);
        f->ovs = f->bridge && swclass_of(c->lab, node) == SWCLASS_OVS;
        for (int i = 0; i < c->lab->nsvcs; i++) {
                if (c->lab->svcs[i].node != node)
                        continue;
                if (f->nsvc < INSPECT_SVCS)
                        snprintf(f->svc[f->nsvc++].name, sizeof(f->svc[0].name), "%s",
                                 c->lab->svcs[i].name);
                f->nsvc_all++;
        }
        const char *delay = getenv("NETLAB_TEST_KERNEL_DELAY_MS");
        f->delay_ms = delay ? atoi(delay) : 0;
        if (f->netns_fd < 0) {
                errf_sys(in->err, NULL, "node \"%s\": Cannot read its namespace", n->name);
                fetch_release(f);
                return;
        }
        struct kwork_job job = {fetch_run, fetch_done, fetch_release, f};
        if (kwork_submit(c->kw, &job, in->err) < 0) {
                fetch_release(f);
                return;
        }
        in->busy_since = monotime_ms();
}

static void human(double v, char *buf, size_t len)
{
        const char *u[] = {"B", "kB", "MB", "GB", "TB"};
        int i = 0;
        while (v >= 1000 && i < 4) {
                v /= 1000;
                i++;
        }
        snprintf(buf, len, i ? "%.1f%s" : "%.0f%s", v, u[i]);
}

static void line(struct lines *s, int indent, attr_t a, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void line(struct lines *s, int indent, attr_t a, const char *fmt, ...)
{
        int y = lines_row(s);
        if (y < 0)
                return;
        char buf[512];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        put_str(y, s->x + indent, s->w - indent, buf, a);
}

static void peer_of(struct console *c, int i, char *buf, size_t len)
{
        buf[0] = '\0';
        int p = i < 0 ? -1 : lab_iface_peer(c->lab, i);
        if (p >= 0)
                iface_label(c->lab, p, buf, len);
}

/* The VLAN highlighted in the graph (`vlan N`) stands out here too. */
static attr_t hl(const struct console *c, int vid)
{
        return c->gv.vlan && c->gv.vlan == vid ? A_BOLD | A_UNDERLINE : 0;
}

/* A host's or router's port: the VLAN its frames travel in, as the switch
 * port at the other end decides (access: its PVID; trunk: tagged VLANs),
 * or, for a subinterface, the VID it tags. */
static void host_port_vlan(struct console *c, struct lines *s, int i)
{
        const struct lab *lab = c->lab;
        if (i < 0)
                return;
        const struct iface *f = &lab->ifaces[i];
        if (f->link < 0) {
                line(s, 2, hl(c, f->vid), "vlan %u, tagged on %s", f->vid,
                     f->parent >= 0 ? lab->ifaces[f->parent].name : "?");
                return;
        }
        int p = lab_iface_peer(lab, i);
        if (p < 0 || !lab_node_has(lab, lab->ifaces[p].node, KIND_BRIDGE))
                return;
        const struct iface *sp = &lab->ifaces[p];
        char peer[64], tagged[128] = "";
        iface_label(lab, p, peer, sizeof(peer));
        int access = 0, o = 0;
        for (int v = 0; v < sp->nvlan; v++) {
                if (sp->vlan[v].pvid)
                        access = sp->vlan[v].vid;
                else if (!sp->vlan[v].untagged && o < (int)sizeof(tagged) - 8)
                        o += snprintf(tagged + o, sizeof(tagged) - (size_t)o, " %u",
                                      sp->vlan[v].vid);
        }
        if (access)
                line(s, 2, hl(c, access), "vlan %d access (port %s)%s%s", access, peer,
                     tagged[0] ? ", tagged" : "", tagged);
        else if (tagged[0])
                line(s, 2, 0, "trunk, tagged%s (port %s)", tagged, peer);
}

static const char *nud_name(uint16_t st)
{
        static const struct {
                uint16_t bit;
                const char *name;
        } t[] = {{0x80, "PERMANENT"}, {0x02, "REACHABLE"}, {0x04, "STALE"},      {0x08, "DELAY"},
                 {0x10, "PROBE"},     {0x20, "FAILED"},    {0x01, "INCOMPLETE"}, {0x40, "NOARP"}};
        for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++)
                if (st & t[k].bit)
                        return t[k].name;
        return "NONE";
}

static const char *ifname_of(const struct inspect *in, int ifindex)
{
        for (int i = 0; i < in->nli; i++)
                if (in->li[i].ifindex == ifindex)
                        return in->li[i].name;
        return "?";
}

static void fmt_mac(const uint8_t *m, char *buf, size_t len)
{
        snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static attr_t red(void)
{
        return has_colors() ? (attr_t)COLOR_PAIR(alloc_pair(COLOR_RED, -1)) : 0;
}

/* Neighbours, forwarding, NAT, and a switch's firewall and FDB. */
static void draw_state(struct console *c, struct lines *s, int node)
{
        const struct inspect *in = &c->in;
        const struct node *n = &c->lab->nodes[node];
        char ip[64], mac[32];
        int shown = 0;
        for (int k = 0; k < in->nne; k++)
                if (in->ne[k].addr.family && !(in->ne[k].state & 0x40))
                        shown++;
        if (shown)
                line(s, 0, A_BOLD, "neighbours");
        for (int k = 0; k < in->nne; k++) {
                const struct nl_neigh_info *e = &in->ne[k];
                if (!e->addr.family || (e->state & 0x40))
                        continue;
                ipaddr_format(&e->addr, false, ip, sizeof(ip));
                if (e->has_mac)
                        fmt_mac(e->mac, mac, sizeof(mac));
                line(s, 1, 0, "%s %s %s %s", ip, e->has_mac ? mac : "-", ifname_of(in, e->ifindex),
                     nud_name(e->state));
        }
        if (!(n->kind->flags & KIND_BRIDGE)) {
                const char *st[] = {"off", "on"};
                line(s, 0, A_BOLD, "forwarding ipv4 %s, ipv6 %s",
                     in->fwd4 >= 0 ? st[in->fwd4 != 0] : "?",
                     in->fwd6 >= 0 ? st[in->fwd6 != 0] : "?");
        }
        if (n->nat_out[0])
                line(s, 0, in->nat_table == 0 ? A_BOLD | red() : A_BOLD,
                     "nat: masquerade out of %s%s%s", n->nat_out,
                     in->nat_table == 1   ? " (nft table " NAT_TABLE ")"
                     : in->nat_table == 0 ? ", but the kernel has no table " NAT_TABLE
                                          : "",
                     n->nat_drop_inbound ? "; new inbound dropped" : "");
        if (!(n->kind->flags & KIND_BRIDGE))
                return;
        const struct fw_table *fw = fw_for(c->lab, node);
        if (fw) {
                line(s, 0, in->fw_table == 0 ? A_BOLD | red() : A_BOLD, "firewall (policy %s)%s",
                     fw->policy == FW_DROP ? "drop" : "accept",
                     in->fw_table == 1   ? ", nft table bridge " DP_FW_TABLE
                     : in->fw_table == 2 ? ", in the userspace datapath"
                     : in->fw_table == 0 ? ", but the kernel has no table " DP_FW_TABLE
                                         : "");
                for (int r = 0; r < fw->n; r++) {
                        char rule[256];
                        fw_rule_format(&fw->rules[r], rule, sizeof(rule));
                        line(s, 1, 0, "%d %s", r + 1, rule);
                }
        }
        if (in->ovs_known) {
                const struct ovs_status *o = &in->ovs;
                if (in->ovs_known < 0) {
                        line(s, 0, A_BOLD | red(), "Open vSwitch: %s", in->ovs_err);
                        return;
                }
                line(s, 0, A_BOLD, "Open vSwitch, fail mode %s, %d flow%s", o->fail_mode,
                     o->nflows, o->nflows == 1 ? "" : "s");
                if (!o->nctl)
                        line(s, 1, 0, "no controller");
                char ctl[sizeof(o->ctl)];
                snprintf(ctl, sizeof(ctl), "%s", o->ctl);
                char *save = NULL;
                for (char *t = strtok_r(ctl, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
                        t += strspn(t, " ");
                        line(s, 1, strstr(t, "not connected") ? red() : 0, "controller %s", t);
                }
                return;
        }
        bool bridge = false;
        for (int i = 0; i < in->nli; i++)
                bridge |= strcmp(in->li[i].kind, "bridge") == 0;
        if (!bridge || plan_switch_in_userspace(c->lab, node)) {
                line(s, 0, A_BOLD, "fdb");
                line(s, 1, A_DIM, "kept by the userspace datapath (not shown)");
                return;
        }
        int learned = 0;
        for (int k = 0; k < in->nfdb; k++)
                learned += in->fdb[k].master && !(in->fdb[k].state & 0x80);
        line(s, 0, A_BOLD, "fdb (%d learned)", learned);
        for (int k = 0; k < in->nfdb; k++) {
                const struct nl_neigh_info *e = &in->fdb[k];
                if (!e->master || (e->state & 0x80) || !e->has_mac)
                        continue;
                fmt_mac(e->mac, mac, sizeof(mac));
                char vid[16] = "";
                if (e->vid)
                        snprintf(vid, sizeof(vid), " vlan %u", e->vid);
                line(s, 1, 0, "%s %s%s", mac, ifname_of(in, e->ifindex), vid);
        }
}

/* The host view (host.h): what the scan found of the namespace. */
static void host_facts(struct console *c, struct lines *s, int node)
{
        const struct ns_entry *e = host_entry(c, node);
        if (!e)
                return;
        const struct ns_scan *all = host_scan(c);
        line(s, 0, A_DIM, "netns %lu%s", e->ino, e->host ? " (the machine's own)" : "");
        for (int i = 0; i < e->nnames; i++)
                line(s, 1, 0, "name %s", e->names[i]);
        if (e->lab[0])
                line(s, 1, 0, "netlab lab %s node %s", e->lab, e->node);
        if (e->holder[0])
                line(s, 1, 0, "held by %s", e->holder);
        line(s, 0, A_BOLD, "processes (%d)", e->nprocs);
        for (int i = 0; i < e->nprocs && i < 8; i++)
                line(s, 1, 0, "%d %s", (int)e->procs[i].pid, e->procs[i].comm);
        if (e->nprocs > 8)
                line(s, 1, A_DIM, "... %d more (netlab ns pids %lu)", e->nprocs - 8, e->ino);
        for (int i = 0; i < e->nifs; i++) {
                const struct ns_iface *f = &e->ifs[i];
                if (f->peer_ns < 0 || f->peer_ns >= all->n)
                        continue;
                char lbl[96];
                ns_label(&all->ns[f->peer_ns], lbl, sizeof(lbl));
                line(s, 1, 0, "%s peer %s in %s", f->li.name, f->peer, lbl);
        }
        if (e->err[0])
                line(s, 1, A_DIM, "%s", e->err);
}

/* The node's services, as their supervisors last wrote their state:
 * running green, restarting yellow, failed or given up red. */
static void draw_services(struct lines *s, const struct inspect *in)
{
        if (in->nsvc_all == 0)
                return;
        line(s, 0, A_BOLD, "services (%d)", in->nsvc_all);
        for (int i = 0; i < in->nsvc; i++) {
                const struct inspect_svc *v = &in->svc[i];
                const char *st = v->known ? v->st.state : "unknown";
                int col = !strcmp(st, "running")                               ? COLOR_GREEN
                          : !strcmp(st, "restarting") || !strcmp(st, "starting") ? COLOR_YELLOW
                          : !strcmp(st, "failed") || !strcmp(st, "gave-up")      ? COLOR_RED
                                                                                 : -2;
                attr_t a = col == -2 ? A_DIM : has_colors() ? COLOR_PAIR(alloc_pair(col, -1)) : 0;
                char pid[24] = "", rs[32] = "", status[32] = "";
                if (v->known && v->st.pid > 0)
                        snprintf(pid, sizeof(pid), " pid %d", (int)v->st.pid);
                if (v->known && v->st.restarts > 0)
                        snprintf(rs, sizeof(rs), " %d restart%s", v->st.restarts,
                                 v->st.restarts == 1 ? "" : "s");
                if (v->known && v->st.status >= 0 && strcmp(st, "running"))
                        snprintf(status, sizeof(status), " status %d", v->st.status);
                line(s, 1, a, "%-10s %s%s%s%s", v->name, st, pid, rs, status);
        }
        if (in->nsvc_all > in->nsvc)
                line(s, 1, A_DIM, "... %d more (logs NODE)", in->nsvc_all - in->nsvc);
}

/* What the kernel does not show: the parameters in force on the
 * interface's link (on the kernel's qdiscs or a datapath wire; a switch
 * port's VLANs come from vlanview, on both paths). */
static void model_port_facts(struct console *c, struct lines *s, int i)
{
        const struct lab *lab = c->lab;
        if (i < 0)
                return;
        const struct iface *f = &lab->ifaces[i];
        if (f->link < 0 || !lab_link_live(lab, f->link))
                return;
        const struct link *l = &lab->links[f->link];
        char p[256];
        link_params_text(link_params_from(l, l->b == i), p, sizeof(p));
        if (p[0])
                line(s, 2, 0, "%s%s%s", l->has_pb ? "out:" : "", p + !l->has_pb,
                     plan_link_on_wire(lab, f->link) ? " (datapath wire)" : "");
}

void draw_inspector(struct console *c, int y, int x, int h, int w)
{
        int node = c->sel;
        if (node < 0 || node >= c->lab->nnodes)
                return;
        const struct node *n = &c->lab->nodes[node];
        struct inspect *in = &c->in;
        struct lines s = {y, x, w, h, c->inspect_pane >= 0 ? c->panes[c->inspect_pane].scroll : 0,
                          0};
        line(&s, 0, A_BOLD, "%s (%s)%s%s", n->name, n->kind->name,
             n->netns_name[0] && !c->host ? "  netns " : "", c->host ? "" : n->netns_name);
        host_facts(c, &s, node);
        char peer[64], mac[32], rx[16], tx[16], rxr[16], txr[16], ip[64];
        if (!c->built || in->node != node || !in->li) {
                for (int k = 0; k < n->nifaces; k++) {
                        const struct iface *f = &c->lab->ifaces[n->ifaces[k]];
                        peer_of(c, n->ifaces[k], peer, sizeof(peer));
                        line(&s, 0, 0, "%s -> %s", f->name, peer);
                        for (int a = 0; a < f->naddr; a++) {
                                ipaddr_format(&f->addr[a], true, ip, sizeof(ip));
                                line(&s, 2, 0, "%s", ip);
                        }
                        if (!(n->kind->flags & KIND_BRIDGE))
                                host_port_vlan(c, &s, n->ifaces[k]);
                        model_port_facts(c, &s, n->ifaces[k]);
                }
                if (in->err[0])
                        line(&s, 0, A_DIM, "%s", in->err);
                if (c->built && in->node == node)
                        draw_services(&s, in);
                if (c->inspect_pane >= 0)
                        lines_done(c, c->inspect_pane, &s);
                return;
        }
        draw_services(&s, in);
        for (int i = 0; i < in->nli; i++) {
                const struct nl_link_info *l = &in->li[i];
                if (strcmp(l->name, "lo") == 0)
                        continue;
                fmt_mac(l->mac, mac, sizeof(mac));
                bool up = (l->flags & IFF_UP) && l->oper_up;
                int fi = lab_find_iface(c->lab, node, l->name);
                peer_of(c, fi, peer, sizeof(peer));
                attr_t a =
                    A_BOLD |
                    (has_colors() ? COLOR_PAIR(alloc_pair(up ? COLOR_GREEN : COLOR_RED, -1)) : 0);
                line(&s, 0, a, "%s %s mtu %d%s%s", l->name,
                     up ? "UP" : ((l->flags & IFF_UP) ? "NO-CARRIER" : "DOWN"), l->mtu,
                     peer[0] ? " -> " : (l->kind[0] ? " " : ""), peer[0] ? peer : l->kind);
                line(&s, 2, 0, "%s", mac);
                for (int k = 0; k < in->nai; k++)
                        if (in->ai[k].ifindex == l->ifindex) {
                                ipaddr_format(&in->ai[k].addr, true, ip, sizeof(ip));
                                line(&s, 2, 0, "%s", ip);
                        }
                for (int k = 0; k < in->nvi; k++)
                        if (in->vi[k].ifindex == l->ifindex)
                                line(&s, 2, hl(c, in->vi[k].v.vid), "vlan %u%s%s", in->vi[k].v.vid,
                                     in->vi[k].v.pvid ? " pvid" : "",
                                     in->vi[k].v.untagged ? " untagged" : "");
                if (!(n->kind->flags & KIND_BRIDGE))
                        host_port_vlan(c, &s, fi);
                model_port_facts(c, &s, fi);
                human((double)l->rx_bytes, rx, sizeof(rx));
                human((double)l->tx_bytes, tx, sizeof(tx));
                human(i < 64 ? in->rx_rate[i] : 0, rxr, sizeof(rxr));
                human(i < 64 ? in->tx_rate[i] : 0, txr, sizeof(txr));
                line(&s, 2, A_DIM, "rx %s %s/s  tx %s %s/s", rx, rxr, tx, txr);
                if (i < 64 && in->spark[i].n > 1) { /* throughput over the last reads */
                        char sp[INSPECT_SPARK * 4 + 1], peak[32];
                        double hi = 0;
                        for (int k = 0; k < in->spark[i].n; k++)
                                hi = in->spark[i].v[k] > hi ? in->spark[i].v[k] : hi;
                        plot_spark(in->spark[i].v, (size_t)in->spark[i].n, INSPECT_SPARK, c->utf8,
                                   sp, sizeof(sp));
                        human(hi, peak, sizeof(peak));
                        line(&s, 2, 0, "%s %s/s peak", sp, peak);
                }
        }
        if (in->nri > 0)
                line(&s, 0, A_BOLD, "routes");
        for (int k = 0; k < in->nri; k++) {
                const struct nl_route_info *r = &in->ri[k];
                char dst[64] = "default", gw[64] = "";
                if (r->dst.family && r->dst.prefix > 0)
                        ipaddr_format(&r->dst, true, dst, sizeof(dst));
                if (r->gw.family)
                        ipaddr_format(&r->gw, false, gw, sizeof(gw));
                const char *dev = ifname_of(in, r->oif);
                line(&s, 1, 0, "%s%s%s dev %s", dst, gw[0] ? " via " : "", gw, dev);
        }
        draw_state(c, &s, node);
        if (c->inspect_pane >= 0)
                lines_done(c, c->inspect_pane, &s);
}
