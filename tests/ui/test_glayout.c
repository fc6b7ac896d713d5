/* test_glayout.c — unit tests of the graph auto-layout (ui/glayout.c):
 * labels never overlap, every route is orthogonal, starts and ends on its
 * two labels and crosses no other label, and the usual topologies fit. */
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
        N[nn].kind = kind;
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

static void verify(const char *what, int maxw, int maxh, bool all_drawn)
{
        struct gl_result res;
        CHECK(glayout(N, nn, E, ne, maxw, &res) == 0);
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
        verify("ring,6", 0, 12, false);
        int drawn = 0;
        for (int e = 0; e < ne; e++)
                drawn += E[e].npts > 0;
        CHECK(drawn >= ne - 1); /* at most the ring's closing link is listed instead */

        reset(); /* two hosts on a wire, plus an isolated router */
        link2(add(0, "h1"), add(0, "h2"));
        add(2, "r1");
        verify("pair", 80, 6, true);
        return check_done("ui_unit_glayout");
}
