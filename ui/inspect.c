/* inspect.c — the inspector: the selected node's interfaces (MAC, state,
 * MTU, addresses, VLANs per port, peer), routes, and rx/tx counters with
 * rates. Read from the kernel with netlink dumps on a socket opened in the
 * node's namespace, refreshed once a second while the pane is shown. Before
 * the lab is built it shows the model instead. */
#include "console.h"
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include <net/if.h>

void inspect_free(struct inspect *in)
{
        if (in->nl)
                nl_close(in->nl);
        free(in->li);
        free(in->ai);
        free(in->ri);
        free(in->vi);
        free(in->prev_rx);
        free(in->prev_tx);
        memset(in, 0, sizeof(*in));
        in->node = -1;
}

void inspect_refresh(struct console *c, int node)
{
        struct inspect *in = &c->in;
        if (node < 0 || node >= c->lab->nnodes || !c->built)
                return;
        if (in->node != node) {
                inspect_free(in);
                in->node = node;
                in->nl = nl_open(c->lab->nodes[node].netns_fd, in->err);
        }
        if (!in->nl)
                return;
        struct nl_link_info *li = NULL;
        int nli = 0;
        if (nl_link_dump(in->nl, &li, &nli, in->err) < 0)
                return;
        long long now = now_ms();
        double dt = in->at_ms ? (double)(now - in->at_ms) / 1000.0 : 0;
        for (int i = 0; i < nli && i < 64; i++) {
                in->rx_rate[i] = in->tx_rate[i] = 0;
                for (int k = 0; k < in->nli && dt > 0; k++)
                        if (in->li[k].ifindex == li[i].ifindex) {
                                in->rx_rate[i] = (double)(li[i].rx_bytes - in->li[k].rx_bytes) / dt;
                                in->tx_rate[i] = (double)(li[i].tx_bytes - in->li[k].tx_bytes) / dt;
                        }
        }
        free(in->li);
        in->li = li;
        in->nli = nli;
        in->at_ms = now;
        free(in->ai);
        in->ai = NULL;
        in->nai = 0;
        nl_addr_dump(in->nl, &in->ai, &in->nai, in->err);
        free(in->ri);
        in->ri = NULL;
        in->nri = 0;
        nl_route_dump(in->nl, &in->ri, &in->nri, in->err);
        free(in->vi);
        in->vi = NULL;
        in->nvi = 0;
        if (c->lab->nodes[node].kind == NODE_SWITCH)
                lab_vlan_view(c->lab, node, &in->vi, &in->nvi, in->err);
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

static int line(int *y, int end, int x, int w, attr_t a, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static int line(int *y, int end, int x, int w, attr_t a, const char *fmt, ...)
{
        if (*y >= end)
                return -1;
        char buf[512];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        attrset(a);
        mvaddnstr(*y, x, buf, w);
        attrset(A_NORMAL);
        (*y)++;
        return 0;
}

static void peer_of(struct console *c, int node, const char *ifname, char *buf, size_t len)
{
        buf[0] = '\0';
        int i = lab_find_iface(c->lab, node, ifname);
        int p = i < 0 ? -1 : lab_iface_peer(c->lab, i);
        if (p >= 0)
                iface_label(c->lab, p, buf, len);
}

void draw_inspector(struct console *c, int y, int x, int h, int w)
{
        int end = y + h, node = c->sel;
        if (node < 0 || node >= c->lab->nnodes)
                return;
        const struct node *n = &c->lab->nodes[node];
        struct inspect *in = &c->in;
        line(&y, end, x, w, A_BOLD, "%s (%s)%s%s", n->name, node_kind_name(n->kind),
             n->netns_name[0] ? "  netns " : "", n->netns_name);
        char peer[64], mac[32], rx[16], tx[16], rxr[16], txr[16], ip[64];
        if (!c->built || in->node != node || !in->li) {
                for (int k = 0; k < n->nifaces; k++) {
                        const struct iface *f = &c->lab->ifaces[n->ifaces[k]];
                        peer_of(c, node, f->name, peer, sizeof(peer));
                        line(&y, end, x, w, 0, "%s -> %s", f->name, peer);
                        for (int a = 0; a < f->naddr; a++) {
                                ipaddr_format(&f->addr[a], true, ip, sizeof(ip));
                                line(&y, end, x + 2, w - 2, 0, "%s", ip);
                        }
                }
                if (in->err[0])
                        line(&y, end, x, w, A_DIM, "%s", in->err);
                return;
        }
        for (int i = 0; i < in->nli; i++) {
                const struct nl_link_info *l = &in->li[i];
                if (strcmp(l->name, "lo") == 0)
                        continue;
                const uint8_t *m = l->mac;
                snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
                         m[4], m[5]);
                bool up = (l->flags & IFF_UP) && l->oper_up;
                peer_of(c, node, l->name, peer, sizeof(peer));
                attr_t a =
                    A_BOLD |
                    (has_colors() ? COLOR_PAIR(alloc_pair(up ? COLOR_GREEN : COLOR_RED, -1)) : 0);
                line(&y, end, x, w, a, "%s %s mtu %d%s%s", l->name,
                     up ? "UP" : ((l->flags & IFF_UP) ? "NO-CARRIER" : "DOWN"), l->mtu,
                     peer[0] ? " -> " : (l->kind[0] ? " " : ""), peer[0] ? peer : l->kind);
                line(&y, end, x + 2, w - 2, 0, "%s", mac);
                for (int k = 0; k < in->nai; k++)
                        if (in->ai[k].ifindex == l->ifindex) {
                                ipaddr_format(&in->ai[k].addr, true, ip, sizeof(ip));
                                line(&y, end, x + 2, w - 2, 0, "%s", ip);
                        }
                for (int k = 0; k < in->nvi; k++)
                        if (in->vi[k].ifindex == l->ifindex)
                                line(&y, end, x + 2, w - 2, 0, "vlan %u%s%s", in->vi[k].v.vid,
                                     in->vi[k].v.pvid ? " pvid" : "",
                                     in->vi[k].v.untagged ? " untagged" : "");
                human((double)l->rx_bytes, rx, sizeof(rx));
                human((double)l->tx_bytes, tx, sizeof(tx));
                human(i < 64 ? in->rx_rate[i] : 0, rxr, sizeof(rxr));
                human(i < 64 ? in->tx_rate[i] : 0, txr, sizeof(txr));
                line(&y, end, x + 2, w - 2, A_DIM, "rx %s %s/s  tx %s %s/s", rx, rxr, tx, txr);
        }
        if (in->nri > 0)
                line(&y, end, x, w, A_BOLD, "routes");
        for (int k = 0; k < in->nri; k++) {
                const struct nl_route_info *r = &in->ri[k];
                char dst[64] = "default", gw[64] = "";
                if (r->dst.family && r->dst.prefix > 0)
                        ipaddr_format(&r->dst, true, dst, sizeof(dst));
                if (r->gw.family)
                        ipaddr_format(&r->gw, false, gw, sizeof(gw));
                const char *dev = "";
                for (int i = 0; i < in->nli; i++)
                        if (in->li[i].ifindex == r->oif)
                                dev = in->li[i].name;
                line(&y, end, x + 1, w - 1, 0, "%s%s%s%s%s", dst, gw[0] ? " via " : "", gw,
                     dev[0] ? " dev " : "", dev);
        }
}
