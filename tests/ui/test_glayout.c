/* test_glayout.c — unit tests of the graph auto-layout (ui/glayout.c):
 * labels never overlap, every route is orthogonal, starts and ends on its
 * two labels and crosses no other label, each link's own part shares no
 * cell with another link (they cross at right angles only) and has a cell
 * between the labels for the down mark, and the usual topologies fit.
 * GLAYOUT_SHOW=1 prints each layout. */
#include "check.h"
#include "glayout.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define MAXN 256
static struct gl_node N[MAXN];
static struct gl_edge E[MAXN * 2];
static int nn, ne;

static int add(int kind, const char *name)
{
        N[nn].end = kind == 0; /* 0: a host */
        N[nn].w = (int)strlen(name) + 2; /* "[h1]" */
        return nn++;
}
static void link2(int a, int b)
{
        E[ne].a = a;
        E[ne].b = b;
        ne++;
}
static bool on_label(int v, int x, int y)
{
        return y == N[v].y && x >= N[v].x && x < N[v].x + N[v].w;
}

/* Who uses each cell: a link's own part straight through (H, V), turning
 * (CORNER), leaving a port strip (DROP), or a node's port strip (STRIP). */
#define GW 400
#define GH 200
enum { U_H, U_V, U_CORNER, U_DROP, U_STRIP };
#define MAXU 12
static struct {
        int n;
        int e[MAXU], kind[MAXU];
} cells[GH][GW];

static bool is_label(int x, int y)
{
        for (int v = 0; v < nn; v++)
                if (on_label(v, x, y))
                        return true;
        return false;
}

static int own_cells;
static void claim(int e)
{
        struct gl_edge *g = &E[e];
        for (int k = 0; k + 1 < g->npts; k++) {
                int x = g->px[k], y = g->py[k];
                bool strip = k < g->own;
                for (;;) {
                        bool at_pt = (x == g->px[k] && y == g->py[k]);
                        bool at_next = (x == g->px[k + 1] && y == g->py[k + 1]);
                        int kind = strip                                   ? U_STRIP
                                   : at_pt && k == g->own && k > 0         ? U_DROP
                                   : at_pt || (at_next && k + 2 < g->npts) ? U_CORNER
                                   : g->py[k] == g->py[k + 1]              ? U_H
                                                                           : U_V;
                        if (at_next && k + 1 == g->own)
                                kind = U_DROP;
                        if (x >= 0 && y >= 0 && x < GW && y < GH && !is_label(x, y) &&
                            cells[y][x].n < MAXU) {
                                cells[y][x].e[cells[y][x].n] = e;
                                cells[y][x].kind[cells[y][x].n++] = kind;
                                own_cells += kind != U_STRIP;
                        }
                        if (at_next)
                                break;
                        x += x < g->px[k + 1] ? 1 : x > g->px[k + 1] ? -1 : 0;
                        y += y < g->py[k + 1] ? 1 : y > g->py[k + 1] ? -1 : 0;
                }
        }
}

/* Two different links in one cell: only straight across each other, or a
 * strip with the drops of its own node. */
static void check_cells(const char *what)
{
        for (int y = 0; y < GH; y++)
                for (int x = 0; x < GW; x++)
                        for (int i = 0; i < cells[y][x].n; i++)
                                for (int j = 0; j < cells[y][x].n; j++) {
                                        int e = cells[y][x].e[i], f = cells[y][x].e[j];
                                        int ki = cells[y][x].kind[i], kj = cells[y][x].kind[j];
                                        if (e == f || i >= j)
                                                continue;
                                        if ((ki == U_H && kj == U_V) || (ki == U_V && kj == U_H))
                                                continue;
                                        if ((ki == U_STRIP || ki == U_DROP) &&
                                            (kj == U_STRIP || kj == U_DROP) && E[e].strip >= 0 &&
                                            E[e].strip == E[f].strip &&
                                            !(ki == U_DROP && kj == U_DROP))
                                                continue;
                                        CHECK(false, "%s: edges %d and %d share cell %d,%d", what,
                                              e, f, x, y);
                                }
}

static void show(const char *what, const struct gl_result *res)
{
        static char cv[GH][GW];
        memset(cv, ' ', sizeof(cv));
        for (int e = 0; e < ne; e++) {
                struct gl_edge *g = &E[e];
                for (int k = 0; k + 1 < g->npts; k++) {
                        int x = g->px[k], y = g->py[k];
                        for (;;) {
                                if (x < GW && y < GH)
                                        cv[y][x] = k < g->own                 ? '='
                                                   : g->py[k] == g->py[k + 1] ? '-'
                                                                              : '|';
                                if (x == g->px[k + 1] && y == g->py[k + 1])
                                        break;
                                x += x < g->px[k + 1] ? 1 : x > g->px[k + 1] ? -1 : 0;
                                y += y < g->py[k + 1] ? 1 : y > g->py[k + 1] ? -1 : 0;
                        }
                }
        }
        for (int v = 0; v < nn; v++)
                for (int i = 0; i < N[v].w && N[v].x + i < GW; i++)
                        cv[N[v].y][N[v].x + i] = i == 0            ? '['
                                                 : i == N[v].w - 1 ? ']'
                                                                   : 'a' + v % 26;
        fprintf(stderr, "--- %s (%dx%d)\n", what, res->width, res->height);
        for (int y = 0; y < res->height + 1 && y < GH; y++) {
                int w = res->width + 2 < GW ? res->width + 2 : GW;
                while (w > 0 && cv[y][w - 1] == ' ')
                        w--;
                fprintf(stderr, "%.*s\n", w, cv[y]);
        }
}

static void verify(const char *what, int maxw, int maxh, bool all_drawn)
{
        struct gl_result res;
        CHECK(glayout(N, nn, E, ne, maxw, &res) == 0);
        if (getenv("GLAYOUT_SHOW"))
                show(what, &res);
        memset(cells, 0, sizeof(cells));
        for (int e = 0; e < ne; e++) {
                own_cells = 0;
                claim(e);
                CHECK(E[e].npts == 0 || own_cells > 0, "%s: edge %d has no cell of its own", what,
                      e);
        }
        check_cells(what);
        for (int i = 0; i < nn; i++) {
                CHECK(N[i].x >= 0 && N[i].y >= 0);
                for (int j = i + 1; j < nn; j++)
                        CHECK(!(N[i].y == N[j].y && N[i].x < N[j].x + N[j].w + 1 &&
                                N[j].x < N[i].x + N[i].w + 1),
                              "%s: nodes %d and %d overlap", what, i, j);
        }
        for (int e = 0; e < ne; e++) {
                struct gl_edge *g = &E[e];
                if (g->npts == 0) {
                        CHECK(!all_drawn, "%s: edge %d not drawn", what, e);
                        continue;
                }
                CHECK(g->npts >= 2);
                CHECK(on_label(g->a, g->px[0], g->py[0]) || on_label(g->b, g->px[0], g->py[0]));
                int l = g->npts - 1;
                CHECK(on_label(g->a, g->px[l], g->py[l]) || on_label(g->b, g->px[l], g->py[l]));
                for (int k = 0; k < l; k++) {
                        CHECK(g->px[k] == g->px[k + 1] || g->py[k] == g->py[k + 1]);
                        int x = g->px[k], y = g->py[k];
                        for (;;) {
                                for (int v = 0; v < nn; v++)
                                        CHECK(v == g->a || v == g->b || !on_label(v, x, y),
                                              "%s: edge %d crosses node %d", what, e, v);
                                if (x == g->px[k + 1] && y == g->py[k + 1])
                                        break;
                                x += x < g->px[k + 1] ? 1 : x > g->px[k + 1] ? -1 : 0;
                                y += y < g->py[k + 1] ? 1 : y > g->py[k + 1] ? -1 : 0;
                        }
                }
        }
        if (maxw)
                CHECK(res.width <= maxw + 2);
        if (maxh)
                CHECK(res.height <= maxh, "%s: height %d > %d", what, res.height, maxh);
        for (int i = 0; i < nn; i++)
                CHECK(N[i].x + N[i].w <= res.width + 1 && N[i].y < res.height + 1);
}

static void reset(void)
{
        memset(N, 0, sizeof(N));
        memset(E, 0, sizeof(E));
        nn = ne = 0;
}

static void linear(int k)
{
        reset();
        char nm[16];
        int prev = -1;
        for (int i = 1; i <= k; i++) {
                snprintf(nm, sizeof(nm), "s%d", i);
                int s = add(1, nm);
                snprintf(nm, sizeof(nm), "h%d", i);
                int h = add(0, nm);
                link2(h, s);
                if (prev >= 0)
                        link2(prev, s);
                prev = s;
        }
}

static int tree(int depth, int fanout, int *hc, int *sc)
{
        char nm[16];
        if (depth == 0) {
                snprintf(nm, sizeof(nm), "h%d", ++*hc);
                return add(0, nm);
        }
        snprintf(nm, sizeof(nm), "s%d", ++*sc);
        int s = add(1, nm);
        for (int i = 0; i < fanout; i++)
                link2(s, tree(depth - 1, fanout, hc, sc));
        return s;
}

int main(void)
{
        linear(3);
        verify("linear,3", 76, 10, true);
        linear(25); /* 50 nodes: must fit a 120x40 graph pane */
        verify("linear,25", 76, 30, true);
        linear(50);
        verify("linear,50", 116, 40, true);

        reset();
        int hc = 0, sc = 0;
        tree(2, 2, &hc, &sc);
        verify("tree,2,2", 80, 6, true);
        /* The root is on top, centred above its two children. */
        CHECK(N[0].y == 0 && N[1].y == 2 && N[0].x > N[1].x);

        reset();
        hc = sc = 0;
        tree(3, 3, &hc, &sc); /* 40 nodes */
        verify("tree,3,3", 0, 8, true);

        reset(); /* star */
        int s = add(1, "s1");
        char nm[16];
        for (int i = 1; i <= 8; i++) {
                snprintf(nm, sizeof(nm), "h%d", i);
                link2(s, add(0, nm));
        }
        verify("star,8", 0, 4, true);

        reset(); /* star,48 wraps its hosts into rows under a 76-column pane */
        s = add(1, "s1");
        for (int i = 1; i <= 48; i++) {
                snprintf(nm, sizeof(nm), "h%d", i);
                link2(s, add(0, nm));
        }
        verify("star,48", 76, 16, true);

        reset(); /* ring of 6 switches with a host each */
        for (int i = 1; i <= 6; i++) {
                snprintf(nm, sizeof(nm), "s%d", i);
                add(1, nm);
        }
        for (int i = 0; i < 6; i++)
                link2(i, (i + 1) % 6);
        for (int i = 1; i <= 6; i++) {
                snprintf(nm, sizeof(nm), "h%d", i);
                link2(i - 1, add(0, nm));
        }
        verify("ring,6", 0, 12, true); /* the ring's closing link too */

        reset(); /* labs/vlan.lua: parallel links, a direct veth beside the bridge */
        int brx = add(1, "brx"), bry = add(1, "bry"), brz = add(1, "brz");
        int n1 = add(0, "netns1"), n2 = add(0, "netns2"), n4 = add(0, "netns4");
        int n5 = add(0, "netns5");
        link2(n1, brx), link2(n2, brx), link2(n4, brx), link2(n5, brx);
        link2(n1, n2);
        int n1t = add(0, "netns1t"), n4t = add(0, "netns4t");
        link2(n1t, brx), link2(n4t, brx);
        int n6 = add(0, "netns6"), n7 = add(0, "netns7"), n9 = add(2, "netns9");
        link2(brx, bry), link2(n6, bry), link2(n7, bry), link2(n9, bry), link2(n9, bry);
        int n10 = add(2, "netns10"), n11 = add(0, "netns11");
        link2(brx, brz), link2(n10, brz), link2(n10, n11);
        verify("vlan.lua", 0, 8, true);
        verify("vlan.lua in 76 columns", 76, 14, true); /* the graph pane at 120x40 */
        verify("vlan.lua in 47 columns", 47, 0, true);  /* at 80x24: it pans down */

        reset(); /* two links between the same host and switch, and a triangle */
        int s1 = add(1, "s1"), h1 = add(0, "h1"), s2 = add(1, "s2"), s3 = add(1, "s3");
        link2(h1, s1), link2(h1, s1), link2(s1, s2), link2(s2, s3), link2(s3, s1);
        link2(s2, s3);
        verify("parallel", 80, 0, true);

        reset(); /* a full mesh of 10 routers: what is drawn is drawn right, most is drawn */
        for (int i = 0; i < 10; i++) {
                snprintf(nm, sizeof(nm), "r%d", i + 1);
                add(2, nm);
        }
        for (int i = 0; i < 10; i++)
                for (int j = i + 1; j < 10; j++)
                        link2(i, j);
        verify("mesh,10", 76, 0, false);
        int drawn = 0;
        for (int e = 0; e < ne; e++)
                drawn += E[e].npts > 0;
        CHECK(drawn * 3 >= ne * 2, "mesh,10: only %d of %d links drawn", drawn, ne);

        reset(); /* two hosts on a wire, plus an isolated router */
        link2(add(0, "h1"), add(0, "h2"));
        add(2, "r1");
        verify("pair", 80, 6, true);
        return check_done("ui_unit_glayout");
}
