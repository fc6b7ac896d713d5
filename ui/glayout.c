/* glayout.c — automatic graph layout in character cells.
 *
 * Two shapes cover the labs people build. A chain of switches/routers (the
 * "linear" topology) is laid out as a snake: blocks of one core node with
 * its hosts below it, left to right, wrapping to the next band and coming
 * back right to left, the wrap links running in the margins. Everything else
 * is a layered tree: a BFS tree from the graph's centre (smallest
 * eccentricity), each subtree as wide as its children (tidy tree), parents
 * centred above them.
 *
 * Each link is routed as its own. A node with one link down has a plain
 * route; a node with several has a port strip (on its own row, or one row
 * below it in the snake) and each link drops from the strip to its child on
 * a column of its own, so one link's state never paints another's cells.
 * Parallel links to a child drop on distinct columns of the child's label.
 * Every other link (ring-closing, cross links) is routed last through the
 * free cells by a shortest-path search with a cost per bend, crossing
 * others only at right angles; a link left without a route (npts 0) means
 * the search found no way at all. Each connected component is laid out on
 * its own and stacked below the previous one. */
#include "glayout.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define HGAP 2

struct ctx {
        struct gl_node *nodes;
        int n;
        struct gl_edge *edges;
        int m;
        int *adj, *adjoff; /* CSR: edge indices per node */
        int *comp;         /* component of each node */
        int *depth, *parent, *pedge, *order;
        int *sub;       /* subtree width */
        bool *wrapped;  /* children laid out in rows */
        int *hgt;       /* subtree height in rows */
        int *ses, *sdx; /* scratch: links of one fan and their drop columns */
        int maxw;
};

static int is_core(const struct ctx *c, int v)
{
        return !c->nodes[v].end || (c->adjoff[v + 1] - c->adjoff[v]) > 1;
}

static int other(const struct ctx *c, int e, int v)
{
        return c->edges[e].a == v ? c->edges[e].b : c->edges[e].a;
}

static int label_w(const struct ctx *c, int v)
{
        return c->nodes[v].w > 0 ? c->nodes[v].w : 1;
}

static int centre(const struct ctx *c, int v)
{
        return c->nodes[v].x + label_w(c, v) / 2;
}

/* ---- routes: built point by point, collinear points merged ---- */

static void rt_start(struct gl_edge *e, int x, int y)
{
        e->npts = 1;
        e->px[0] = x, e->py[0] = y;
        e->own = -1;
        e->strip = -1;
}

static void rt_to(struct gl_edge *e, int x, int y)
{
        int n = e->npts;
        if (n <= 0 || (e->px[n - 1] == x && e->py[n - 1] == y))
                return;
        if (n >= 2 && n - 1 > e->own) {
                int x0 = e->px[n - 2], y0 = e->py[n - 2], x1 = e->px[n - 1], y1 = e->py[n - 1];
                if ((x0 == x1 && x1 == x) || (y0 == y1 && y1 == y)) {
                        e->px[n - 1] = x, e->py[n - 1] = y;
                        return;
                }
        }
        if (n >= GL_MAXPTS) {
                e->npts = -1; /* too many bends: not drawn */
                return;
        }
        e->px[n] = x, e->py[n] = y;
        e->npts = n + 1;
}

/* From here on the route is the link's own (before: node's port strip). */
static void rt_own(struct gl_edge *e, int strip_node)
{
        if (e->npts > 0) {
                e->own = e->npts - 1;
                e->strip = e->own > 0 ? strip_node : -1;
        }
}

static void rt_end(struct gl_edge *e)
{
        if (e->npts < 2) {
                e->npts = 0;
                e->own = 0;
                e->strip = -1;
        }
        if (e->own < 0)
                e->own = 0;
}

/* k distinct columns on v's label for k links arriving there. */
static int drop_cols(const struct ctx *c, int v, int k, int *out)
{
        int w = label_w(c, v), x = c->nodes[v].x;
        if (k <= 1) {
                out[0] = x + w / 2;
                return 1;
        }
        int inner = w > 2 ? w - 2 : w, x0 = w > 2 ? x + 1 : x;
        if (k > inner)
                k = inner;
        for (int i = 0; i < k; i++)
                out[i] = x0 + (2 * i + 1) * inner / (2 * k);
        return k;
}

/* Routes links es[0..k) from p down to the labels at row cy, each dropping
 * at column dx[i]. With one link: a plain route from p's centre. With more:
 * a port strip on p's row (stem false) or one row below p (stem true). */
static void fan(struct ctx *c, int p, const int *es, const int *dx, int k, int cy, bool stem)
{
        int px = c->nodes[p].x, y = c->nodes[p].y, w = label_w(c, p), pcx = centre(c, p);
        for (int i = 0; i < k; i++) {
                struct gl_edge *E = &c->edges[es[i]];
                if (k == 1) {
                        if (dx[i] >= px && dx[i] < px + w) {
                                rt_start(E, dx[i], y);
                        } else {
                                rt_start(E, pcx, y);
                                rt_to(E, pcx, y + 1);
                                rt_to(E, dx[i], y + 1);
                        }
                } else if (stem) {
                        rt_start(E, pcx, y);
                        rt_to(E, pcx, y + 1);
                        rt_to(E, dx[i], y + 1);
                        rt_own(E, p);
                } else if (dx[i] >= px && dx[i] < px + w) {
                        rt_start(E, dx[i], y);
                } else {
                        rt_start(E, dx[i] < px ? px : px + w - 1, y);
                        rt_to(E, dx[i], y);
                        rt_own(E, p);
                }
                rt_to(E, dx[i], cy);
                rt_end(E);
        }
}

/* The links between p and its tree children (parallel links too), each
 * with its drop column; returns how many. */
static int child_links(struct ctx *c, int p, int *es, int *dx)
{
        int k = 0;
        for (int q = c->adjoff[p]; q < c->adjoff[p + 1]; q++) {
                int e = c->adj[q], u = other(c, e, p);
                if (u == p || c->parent[u] != p || c->pedge[u] != e)
                        continue;
                /* u's links to p: the tree link first, then parallel ones. */
                int mine[GL_MAXPTS], nm = 0;
                mine[nm++] = e;
                for (int r = c->adjoff[u]; r < c->adjoff[u + 1] && nm < GL_MAXPTS; r++) {
                        int f = c->adj[r];
                        if (f != e && other(c, f, u) == p && c->edges[f].npts == 0)
                                mine[nm++] = f;
                }
                int cols[GL_MAXPTS];
                nm = drop_cols(c, u, nm, cols);
                for (int i = 0; i < nm; i++) {
                        es[k] = mine[i];
                        dx[k++] = cols[i];
                }
        }
        return k;
}

/* BFS over the component of s (restricted to core nodes when core_only);
 * fills depth; returns the farthest depth, writes visit order in out. */
static int bfs(struct ctx *c, int s, bool core_only, int *out, int *nout)
{
        for (int i = 0; i < c->n; i++)
                c->depth[i] = -1;
        int head = 0, tail = 0, maxd = 0;
        out[tail++] = s;
        c->depth[s] = 0;
        c->parent[s] = -1;
        c->pedge[s] = -1;
        while (head < tail) {
                int v = out[head++];
                for (int k = c->adjoff[v]; k < c->adjoff[v + 1]; k++) {
                        int e = c->adj[k], u = other(c, e, v);
                        if (c->depth[u] >= 0 || (core_only && !is_core(c, u)))
                                continue;
                        c->depth[u] = c->depth[v] + 1;
                        c->parent[u] = v;
                        c->pedge[u] = e;
                        if (c->depth[u] > maxd)
                                maxd = c->depth[u];
                        out[tail++] = u;
                }
        }
        *nout = tail;
        return maxd;
}

static bool tree_child(const struct ctx *c, int v, int e, int u)
{
        return c->parent[u] == v && c->pedge[u] == e;
}

/* Width available for one row of leaves (a star of 50 hosts wraps). */
static int wrap_width(const struct ctx *c)
{
        return c->maxw > 0 ? (c->maxw - 6 > 24 ? c->maxw - 6 : 24) : 1 << 20;
}

static void place_tree(struct ctx *c, int v, int x, int y);

/* Packs v's subtrees in rows of at most wrap_width (a star of 50 hosts, or
 * a switch whose subtrees are too wide side by side); the first row hangs 3
 * rows below v, each next one 2 rows below the previous row's bottom (its
 * strip row, then its drop row). Returns the widest row; *height is the
 * rows from v's to the bottom; with place, places the subtrees from x. */
static int pack_rows(struct ctx *c, int v, int x, int y, bool place, int *height)
{
        int W = wrap_width(c), cx = 0, widest = 0, rowh = 0, uy = y + 3;
        for (int k = c->adjoff[v]; k < c->adjoff[v + 1]; k++) {
                int e = c->adj[k], u = other(c, e, v);
                if (!tree_child(c, v, e, u))
                        continue;
                int w = c->sub[u];
                if (cx > 0 && cx + HGAP + w > W) {
                        uy += rowh + 2;
                        cx = 0;
                        rowh = 0;
                }
                if (cx > 0)
                        cx += HGAP;
                if (place)
                        place_tree(c, u, x + cx, uy);
                cx += w;
                if (cx > widest)
                        widest = cx;
                if (c->hgt[u] > rowh)
                        rowh = c->hgt[u];
        }
        *height = uy + rowh - y;
        return widest;
}

/* Tidy tree: subtree widths and heights bottom-up (reverse BFS order). */
static void subtree_widths(struct ctx *c, const int *ord, int cnt)
{
        for (int i = cnt - 1; i >= 0; i--) {
                int v = ord[i], sum = 0, nch = 0, h = 0;
                for (int k = c->adjoff[v]; k < c->adjoff[v + 1]; k++) {
                        int e = c->adj[k], u = other(c, e, v);
                        if (tree_child(c, v, e, u)) {
                                sum += c->sub[u];
                                nch++;
                                if (c->hgt[u] > h)
                                        h = c->hgt[u];
                        }
                }
                if (nch)
                        sum += HGAP * (nch - 1);
                c->hgt[v] = nch ? h + 2 : 1;
                c->wrapped[v] = nch > 1 && sum > wrap_width(c);
                if (c->wrapped[v])
                        sum = pack_rows(c, v, 0, 0, false, &c->hgt[v]) + 2;
                c->sub[v] = sum > label_w(c, v) ? sum : label_w(c, v);
        }
}

/* v's subtrees in rows below it. v's port strip runs one row below v, then
 * down a trunk on the left and along the row above each row of children;
 * each child's link drops from it on the child's column. */
static void place_wrapped(struct ctx *c, int v, int x, int y)
{
        int h;
        int widest = pack_rows(c, v, x + 2, y, true, &h);
        int w = label_w(c, v);
        c->nodes[v].x = x + 2 + (widest - w) / 2;
        c->nodes[v].y = y;
        int pcx = centre(c, v), tx = x;
        for (int k = c->adjoff[v]; k < c->adjoff[v + 1]; k++) {
                int e = c->adj[k], u = other(c, e, v);
                if (!tree_child(c, v, e, u))
                        continue;
                struct gl_edge *E = &c->edges[e];
                int ucx = centre(c, u), uy = c->nodes[u].y;
                rt_start(E, pcx, y);
                rt_to(E, pcx, y + 1);
                rt_to(E, tx, y + 1);
                rt_to(E, tx, uy - 2);
                rt_to(E, ucx, uy - 2);
                rt_own(E, v);
                rt_to(E, ucx, uy);
                rt_end(E);
        }
}

static void place_tree(struct ctx *c, int v, int x, int y)
{
        if (c->wrapped[v]) {
                place_wrapped(c, v, x, y);
                return;
        }
        int nch = 0, sum = 0;
        for (int k = c->adjoff[v]; k < c->adjoff[v + 1]; k++) {
                int e = c->adj[k], u = other(c, e, v);
                if (c->parent[u] == v && c->pedge[u] == e) {
                        nch++;
                        sum += c->sub[u];
                }
        }
        if (nch)
                sum += HGAP * (nch - 1);
        int cx = x + (c->sub[v] - sum) / 2;
        int first = -1, last = -1;
        for (int k = c->adjoff[v]; k < c->adjoff[v + 1]; k++) {
                int e = c->adj[k], u = other(c, e, v);
                if (c->parent[u] == v && c->pedge[u] == e) {
                        place_tree(c, u, cx, y + 2);
                        cx += c->sub[u] + HGAP;
                        if (first < 0)
                                first = u;
                        last = u;
                }
        }
        int w = label_w(c, v);
        if (first >= 0) {
                int l = c->nodes[first].x + label_w(c, first) / 2;
                int r = c->nodes[last].x + label_w(c, last) / 2;
                c->nodes[v].x = (l + r) / 2 - w / 2;
        } else {
                c->nodes[v].x = x + (c->sub[v] - w) / 2;
        }
        c->nodes[v].y = y;
}

static void tree_routes(struct ctx *c, const int *ord, int cnt)
{
        for (int i = 0; i < cnt; i++) {
                int p = ord[i];
                if (c->wrapped[p])
                        continue; /* routed by place_wrapped */
                int k = child_links(c, p, c->ses, c->sdx);
                if (k > 0)
                        fan(c, p, c->ses, c->sdx, k, c->nodes[p].y + 2, false);
        }
}

/* An end of the chain when the core nodes of this component form a simple
 * path worth a snake (>= 3, hosts hanging off it), else -1. */
static int core_path_end(struct ctx *c, const int *ord, int cnt, int *ncore)
{
        int end = -1, nc = 0, sumdeg = 0, bare = 0, first = -1;
        bool two_nb = true; /* every core's core links go to two different cores */
        for (int i = 0; i < cnt; i++) {
                int v = ord[i];
                if (!is_core(c, v))
                        continue;
                nc++;
                if (first < 0)
                        first = v;
                int d = 0, leaves = 0, nb = -1;
                for (int k = c->adjoff[v]; k < c->adjoff[v + 1]; k++) {
                        int u = other(c, c->adj[k], v);
                        if (u == v)
                                return -1;
                        if (is_core(c, u)) {
                                two_nb &= u != nb;
                                nb = u;
                                d++;
                        } else {
                                leaves++;
                        }
                }
                if (!leaves)
                        bare++;
                if (d > 2)
                        return -1;
                if (d <= 1 && end < 0)
                        end = v;
                sumdeg += d;
        }
        *ncore = nc;
        /* A ring (ring,N): the snake from any core; its closing link is routed
         * with the other links. */
        if (end < 0 && two_nb && nc >= 3 && sumdeg / 2 == nc && !bare)
                return first;
        /* A short chain whose middle has no hosts is a tree (tree,2,2): draw it so. */
        if (nc < 3 || sumdeg / 2 != nc - 1 || (bare && nc < 6))
                return -1;
        return end;
}

/* Snake layout of a core path starting at end; returns the height used. */
static int place_snake(struct ctx *c, int end, int ncore, int y0, int *maxx)
{
        int *path = malloc(sizeof(int) * (size_t)ncore);
        if (!path)
                return -1;
        int prev = -1, v = end, np = 0;
        while (v >= 0 && np < ncore) {
                path[np++] = v;
                int next = -1;
                for (int k = c->adjoff[v]; k < c->adjoff[v + 1]; k++) {
                        int u = other(c, c->adj[k], v);
                        if (u != prev && is_core(c, u) && u != v) {
                                next = u;
                                break;
                        }
                }
                prev = v;
                v = next;
        }
        /* Block widths: the core label or its leaves side by side. */
        int *bw = calloc((size_t)np, sizeof(int));
        if (!bw) {
                free(path);
                return -1;
        }
        bool any_leaf = false;
        int lr = 2; /* leaves' row below their core: 3 when some core has a strip */
        for (int i = 0; i < np; i++) {
                int s = path[i], lw = 0, nl = 0;
                for (int k = c->adjoff[s]; k < c->adjoff[s + 1]; k++) {
                        int u = other(c, c->adj[k], s);
                        if (!is_core(c, u)) {
                                lw += label_w(c, u);
                                nl++;
                        }
                }
                if (nl) {
                        lw += HGAP * (nl - 1);
                        any_leaf = true;
                }
                if (nl > 1)
                        lr = 3;
                bw[i] = lw > label_w(c, s) ? lw : label_w(c, s);
        }
        int band_h = any_leaf ? lr + 2 : 2;
        int left = 2, avail = c->maxw > 0 ? c->maxw - 4 : 1 << 20;
        if (avail < 10)
                avail = 10;
        int i = 0, band = 0, y = y0, right_edge = left;
        int *bandof = calloc((size_t)np, sizeof(int));
        if (!bandof) {
                free(path);
                free(bw);
                return -1;
        }
        while (i < np) {
                /* How many blocks fit in this band. */
                int j = i, w = 0;
                while (j < np && (j == i || w + HGAP + 1 + bw[j] <= avail)) {
                        w += (j == i ? 0 : HGAP + 1) + bw[j];
                        j++;
                }
                int x = left;
                for (int k = i; k < j; k++) {
                        int idx = band % 2 == 0 ? k : i + (j - 1 - k);
                        int s = path[idx];
                        c->nodes[s].x = x + (bw[idx] - label_w(c, s)) / 2;
                        c->nodes[s].y = y;
                        bandof[idx] = band;
                        /* Its leaves below it. */
                        int lw = 0, nl = 0;
                        for (int q = c->adjoff[s]; q < c->adjoff[s + 1]; q++) {
                                int u = other(c, c->adj[q], s);
                                if (!is_core(c, u)) {
                                        lw += label_w(c, u) + (nl ? HGAP : 0);
                                        nl++;
                                }
                        }
                        int lx = x + (bw[idx] - lw) / 2, nf = 0;
                        for (int q = c->adjoff[s]; q < c->adjoff[s + 1]; q++) {
                                int e = c->adj[q], u = other(c, e, s);
                                if (is_core(c, u))
                                        continue;
                                c->nodes[u].x = lx;
                                c->nodes[u].y = y + lr;
                                lx += label_w(c, u) + HGAP;
                                c->ses[nf] = e;
                                c->sdx[nf++] = centre(c, u);
                        }
                        fan(c, s, c->ses, c->sdx, nf, y + lr, true);
                        x += bw[idx] + HGAP + 1;
                }
                if (x - HGAP - 1 > right_edge)
                        right_edge = x - HGAP - 1;
                i = j;
                band++;
                y += band_h;
        }
        /* Core-to-core links: straight within a band, through a margin across bands. */
        for (int k = 0; k + 1 < np; k++) {
                int a = path[k], b = path[k + 1];
                int e = -1;
                for (int q = c->adjoff[a]; q < c->adjoff[a + 1]; q++)
                        if (other(c, c->adj[q], a) == b) {
                                e = c->adj[q];
                                break;
                        }
                if (e < 0)
                        continue;
                struct gl_edge *E = &c->edges[e];
                int ay = c->nodes[a].y, by = c->nodes[b].y;
                if (bandof[k] == bandof[k + 1]) {
                        bool ltr = c->nodes[a].x < c->nodes[b].x;
                        int l = ltr ? a : b, r = ltr ? b : a;
                        rt_start(E, c->nodes[l].x + label_w(c, l) - 1, ay);
                        rt_to(E, c->nodes[r].x, ay);
                } else if (bandof[k] % 2 == 0) { /* right margin */
                        int mx = right_edge + 1;
                        rt_start(E, c->nodes[a].x + label_w(c, a) - 1, ay);
                        rt_to(E, mx, ay);
                        rt_to(E, mx, by);
                        rt_to(E, c->nodes[b].x + label_w(c, b) - 1, by);
                } else { /* left margin */
                        int mx = left - 2;
                        rt_start(E, c->nodes[a].x, ay);
                        rt_to(E, mx, ay);
                        rt_to(E, mx, by);
                        rt_to(E, c->nodes[b].x, by);
                }
                rt_end(E);
        }
        if (right_edge + 2 > *maxx)
                *maxx = right_edge + 2;
        free(path);
        free(bw);
        free(bandof);
        return y - y0 - (band_h - (any_leaf ? lr + 1 : 1));
}

/* ---- the other links: a shortest path through the free cells ---- */

enum { O_H = 1, O_V = 2, O_BLK = 4 };
enum { D_N, D_E, D_S, D_W };
static const int DXS[4] = {0, 1, 0, -1}, DYS[4] = {-1, 0, 1, 0};
#define COST_BEND 3
#define COST_CROSS 6

struct grid {
        int w, h;
        unsigned char *o; /* O_* per cell */
        int *lab;         /* node + 1 whose label covers the cell, 0 */
        int *near;        /* node + 1 beside whose label the cell is (left/right), 0 */
        int *dist, *prev; /* per state (cell * 4 + dir) */
        int *heap, nheap, capheap;
};

static void grid_mark(struct grid *g, const struct gl_edge *e)
{
        for (int k = 0; k + 1 < e->npts; k++) {
                int x = e->px[k], y = e->py[k];
                int dx = e->px[k + 1] > x ? 1 : e->px[k + 1] < x ? -1 : 0;
                int dy = e->py[k + 1] > y ? 1 : e->py[k + 1] < y ? -1 : 0;
                for (;;) {
                        if (x >= 0 && y >= 0 && x < g->w && y < g->h) {
                                size_t i = (size_t)y * (size_t)g->w + (size_t)x;
                                bool corner = (x == e->px[k] && y == e->py[k] && k > 0) ||
                                              (x == e->px[k + 1] && y == e->py[k + 1]);
                                if (!g->lab[i])
                                        g->o[i] |= (k < e->own || corner) ? O_BLK : dx ? O_H : O_V;
                        }
                        if (x == e->px[k + 1] && y == e->py[k + 1])
                                break;
                        x += dx, y += dy;
                }
        }
}

static void heap_push(struct grid *g, int cost, int st)
{
        if (g->nheap + 2 > g->capheap) {
                int cap = g->capheap ? g->capheap * 2 : 4096;
                int *h = realloc(g->heap, sizeof(int) * 2 * (size_t)cap);
                if (!h)
                        return;
                g->heap = h;
                g->capheap = cap;
        }
        int i = g->nheap++;
        while (i > 0) {
                int p = (i - 1) / 2;
                if (g->heap[2 * p] <= cost)
                        break;
                g->heap[2 * i] = g->heap[2 * p], g->heap[2 * i + 1] = g->heap[2 * p + 1];
                i = p;
        }
        g->heap[2 * i] = cost, g->heap[2 * i + 1] = st;
}

static int heap_pop(struct grid *g, int *st)
{
        int cost = g->heap[0];
        *st = g->heap[1];
        int lc = g->heap[2 * (g->nheap - 1)], ls = g->heap[2 * (g->nheap - 1) + 1];
        int n = --g->nheap, i = 0;
        while (2 * i + 1 < n) {
                int k = 2 * i + 1;
                if (k + 1 < n && g->heap[2 * (k + 1)] < g->heap[2 * k])
                        k++;
                if (g->heap[2 * k] >= lc)
                        break;
                g->heap[2 * i] = g->heap[2 * k], g->heap[2 * i + 1] = g->heap[2 * k + 1];
                i = k;
        }
        g->heap[2 * i] = lc, g->heap[2 * i + 1] = ls;
        return cost;
}

/* A cell where a route may turn, start or end beside a label: nothing there. */
static bool cell_free(const struct grid *g, size_t i, int a, int b)
{
        return !g->o[i] && !g->lab[i] &&
               (!g->near[i] || g->near[i] == a + 1 || g->near[i] == b + 1);
}

/* Cells from (x, y) to b's label at least (A*'s estimate: never too high). */
static int to_b(const struct gl_node *B, int bw, int x, int y)
{
        int dx = x < B->x ? B->x - x : x >= B->x + bw ? x - (B->x + bw - 1) : 0;
        return dx + (y > B->y ? y - B->y : B->y - y);
}

/* Routes edge e (a to b) through the grid (A* over cell and direction);
 * false when there is no way. */
static bool maze_route(struct ctx *c, struct grid *g, struct gl_edge *E)
{
        int a = E->a, b = E->b, W = g->w;
        size_t ns = (size_t)W * (size_t)g->h * 4;
        for (size_t i = 0; i < ns; i++)
                g->dist[i] = -1;
        g->nheap = 0;
        const struct gl_node *A = &c->nodes[a], *B = &c->nodes[b];
        int bw = label_w(c, b);
        for (int x = A->x; x < A->x + label_w(c, a); x++)
                for (int d = 0; d < 4; d++) {
                        if ((d == D_E && x != A->x + label_w(c, a) - 1) || (d == D_W && x != A->x))
                                continue;
                        int st = (A->y * W + x) * 4 + d;
                        g->dist[st] = 0;
                        g->prev[st] = -1;
                        heap_push(g, to_b(B, bw, x, A->y), st);
                }
        int goal = -1;
        while (g->nheap > 0) {
                int st, f = heap_pop(g, &st);
                int cell = st / 4, d = st % 4, x = cell % W, y = cell / W;
                int cost = g->dist[st];
                if (f > cost + to_b(B, bw, x, y))
                        continue; /* a stale entry */
                size_t ci = (size_t)cell;
                if (g->lab[ci] == b + 1) {
                        goal = st;
                        break;
                }
                bool on_a = g->lab[ci] == a + 1;
                for (int nd = 0; nd < 4; nd++) {
                        if (nd == (d + 2) % 4)
                                continue;
                        bool bend = nd != d;
                        if (bend && (on_a || !cell_free(g, ci, a, b)))
                                continue;
                        int nx = x + DXS[nd], ny = y + DYS[nd];
                        if (nx < 0 || ny < 0 || nx >= W || ny >= g->h)
                                continue;
                        size_t ni = (size_t)ny * (size_t)W + (size_t)nx;
                        int add = 1 + (bend ? COST_BEND : 0);
                        bool horiz = nd == D_E || nd == D_W;
                        if (g->lab[ni]) {
                                /* Only into b's label, from a cell with nothing else. */
                                if (g->lab[ni] != b + 1 || on_a || !cell_free(g, ci, a, b))
                                        continue;
                        } else {
                                unsigned char o = g->o[ni];
                                if ((o & O_BLK) || (o & (O_H | O_V)) == (O_H | O_V) ||
                                    (horiz && (o & O_H)) || (!horiz && (o & O_V)))
                                        continue;
                                if (o) {
                                        if (on_a) /* never cross right beside a label */
                                                continue;
                                        add += COST_CROSS;
                                }
                                if (g->near[ni] && g->near[ni] != a + 1 && g->near[ni] != b + 1 &&
                                    horiz)
                                        continue;
                        }
                        int nst = (int)ni * 4 + nd;
                        if (g->dist[nst] < 0 || cost + add < g->dist[nst]) {
                                g->dist[nst] = cost + add;
                                g->prev[nst] = st;
                                heap_push(g, cost + add + to_b(B, bw, nx, ny), nst);
                        }
                }
        }
        if (goal < 0)
                return false;
        /* Walk back, then emit the corners from a's end. */
        int len = 0;
        for (int st = goal; st >= 0; st = g->prev[st])
                len++;
        int *path = malloc(sizeof(int) * (size_t)len);
        if (!path)
                return false;
        int k = len;
        for (int st = goal; st >= 0; st = g->prev[st])
                path[--k] = st / 4;
        rt_start(E, path[0] % W, path[0] / W);
        for (int i = 1; i < len; i++)
                rt_to(E, path[i] % W, path[i] / W);
        free(path);
        rt_end(E);
        return E->npts >= 2;
}

static void shift(struct ctx *c, int dx, int dy)
{
        for (int v = 0; v < c->n; v++)
                c->nodes[v].x += dx, c->nodes[v].y += dy;
        for (int e = 0; e < c->m; e++)
                for (int k = 0; k < c->edges[e].npts; k++)
                        c->edges[e].px[k] += dx, c->edges[e].py[k] += dy;
}

/* Routes every link still without a route. Returns -1 when out of memory. */
static int route_rest(struct ctx *c, int width, int height)
{
        int todo = 0;
        for (int e = 0; e < c->m; e++)
                todo += c->edges[e].npts == 0 && c->edges[e].a != c->edges[e].b;
        if (!todo)
                return 0;
        /* Room around the graph for links that find no way through it: a row
         * and a column on each side per link still to route (the graph moves
         * into the middle of the grid, and back to the corner after). */
        int extra = todo < 16 ? todo : 16;
        shift(c, extra, extra);
        struct grid g = {.w = width + 4 + 2 * extra, .h = height + 3 + 2 * extra};
        size_t cells = (size_t)g.w * (size_t)g.h;
        g.o = calloc(cells, 1);
        g.lab = calloc(cells, sizeof(int));
        g.near = calloc(cells, sizeof(int));
        g.dist = calloc(cells * 4, sizeof(int));
        g.prev = calloc(cells * 4, sizeof(int));
        int rc = -1;
        if (!g.o || !g.lab || !g.near || !g.dist || !g.prev)
                goto out;
        for (int v = 0; v < c->n; v++) {
                const struct gl_node *N = &c->nodes[v];
                int w = label_w(c, v);
                for (int x = N->x - 1; x <= N->x + w; x++) {
                        if (x < 0 || x >= g.w || N->y >= g.h)
                                continue;
                        size_t i = (size_t)N->y * (size_t)g.w + (size_t)x;
                        if (x == N->x - 1 || x == N->x + w)
                                g.near[i] = g.near[i] ? -1 : v + 1;
                        else
                                g.lab[i] = v + 1;
                }
        }
        for (int e = 0; e < c->m; e++)
                if (c->edges[e].npts > 0)
                        grid_mark(&g, &c->edges[e]);
        /* Short links first: they have the fewest ways around. */
        long budget = 40000000L;
        for (int pass = 0; pass < 2; pass++)
                for (int e = 0; e < c->m; e++) {
                        struct gl_edge *E = &c->edges[e];
                        if (E->npts != 0 || E->a == E->b)
                                continue;
                        const struct gl_node *A = &c->nodes[E->a], *B = &c->nodes[E->b];
                        bool near_row = A->y == B->y;
                        if ((pass == 0) != near_row)
                                continue;
                        if (budget < (long)cells * 4)
                                continue; /* a huge graph: the rest stay undrawn */
                        budget -= (long)cells * 4;
                        if (maze_route(c, &g, E))
                                grid_mark(&g, E);
                        else
                                E->npts = 0;
                }
        rc = 0;
out:;
        /* Back to the corner, as far as the routes outside the graph let it. */
        int mx = extra, my = extra;
        for (int v = 0; v < c->n; v++) {
                mx = c->nodes[v].x < mx ? c->nodes[v].x : mx;
                my = c->nodes[v].y < my ? c->nodes[v].y : my;
        }
        for (int e = 0; e < c->m; e++)
                for (int k = 0; k < c->edges[e].npts; k++) {
                        mx = c->edges[e].px[k] < mx ? c->edges[e].px[k] : mx;
                        my = c->edges[e].py[k] < my ? c->edges[e].py[k] : my;
                }
        shift(c, -mx, -my);
        free(g.o);
        free(g.lab);
        free(g.near);
        free(g.dist);
        free(g.prev);
        free(g.heap);
        return rc;
}

int glayout(struct gl_node *nodes, int n, struct gl_edge *edges, int m, int maxw,
            struct gl_result *res)
{
        struct ctx c = {.nodes = nodes, .n = n, .edges = edges, .m = m, .maxw = maxw};
        memset(res, 0, sizeof(*res));
        for (int e = 0; e < m; e++) {
                edges[e].npts = 0;
                edges[e].own = 0;
                edges[e].strip = -1;
        }
        if (n == 0)
                return 0;
        size_t N = (size_t)n;
        c.adjoff = calloc(N + 1, sizeof(int));
        c.adj = calloc((size_t)m * 2 + 1, sizeof(int));
        c.depth = calloc(N, sizeof(int));
        c.parent = calloc(N, sizeof(int));
        c.pedge = calloc(N, sizeof(int));
        c.order = calloc(N, sizeof(int));
        c.sub = calloc(N, sizeof(int));
        c.comp = calloc(N, sizeof(int));
        c.ses = calloc((size_t)m + 1, sizeof(int));
        c.sdx = calloc((size_t)m + 1, sizeof(int));
        c.wrapped = calloc(N, sizeof(bool));
        c.hgt = calloc(N, sizeof(int));
        int *tmp = calloc(N, sizeof(int));
        int *fill = calloc(N + 1, sizeof(int));
        int rc = -1;
        if (!c.adjoff || !c.adj || !c.depth || !c.parent || !c.pedge || !c.order || !c.sub ||
            !c.comp || !c.ses || !c.sdx || !c.wrapped || !c.hgt || !tmp || !fill) {
                errno = ENOMEM;
                goto out;
        }
        for (int e = 0; e < m; e++) {
                if (edges[e].a < 0 || edges[e].a >= n || edges[e].b < 0 || edges[e].b >= n)
                        continue;
                c.adjoff[edges[e].a + 1]++;
                if (edges[e].b != edges[e].a)
                        c.adjoff[edges[e].b + 1]++;
        }
        for (int i = 0; i < n; i++)
                c.adjoff[i + 1] += c.adjoff[i];
        for (int e = 0; e < m; e++) {
                int a = edges[e].a, b = edges[e].b;
                if (a < 0 || a >= n || b < 0 || b >= n)
                        continue;
                c.adj[c.adjoff[a] + fill[a]++] = e;
                if (b != a)
                        c.adj[c.adjoff[b] + fill[b]++] = e;
        }
        for (int i = 0; i < n; i++)
                c.comp[i] = -1;
        int y = 0, maxx = 0;
        for (int s0 = 0; s0 < n; s0++) {
                if (c.comp[s0] >= 0)
                        continue;
                int cnt;
                bfs(&c, s0, false, c.order, &cnt);
                for (int i = 0; i < cnt; i++)
                        c.comp[c.order[i]] = s0;
                int ncore = 0;
                int end = core_path_end(&c, c.order, cnt, &ncore);
                if (end >= 0) {
                        int h = place_snake(&c, end, ncore, y, &maxx);
                        if (h < 0)
                                goto out;
                        y += h + 2;
                        continue;
                }
                /* Centre: the node of smallest eccentricity (prefer core nodes). */
                int best = s0, beste = -1;
                int comp_n = cnt;
                memcpy(tmp, c.order, sizeof(int) * (size_t)cnt);
                for (int i = 0; i < comp_n && comp_n <= 400; i++) {
                        int v = tmp[i], k;
                        int ecc = bfs(&c, v, false, c.order, &k);
                        ecc = ecc * 2 + (is_core(&c, v) ? 0 : 1);
                        if (beste < 0 || ecc < beste) {
                                beste = ecc;
                                best = v;
                        }
                }
                bfs(&c, best, false, c.order, &cnt);
                subtree_widths(&c, c.order, cnt);
                place_tree(&c, best, 1, y);
                tree_routes(&c, c.order, cnt);
                int maxy = y;
                for (int i = 0; i < cnt; i++) {
                        int v = c.order[i];
                        if (nodes[v].y > maxy)
                                maxy = nodes[v].y;
                        if (nodes[v].x + label_w(&c, v) + 1 > maxx)
                                maxx = nodes[v].x + label_w(&c, v) + 1;
                }
                y = maxy + 3;
        }
        int height = y > 0 ? y - 2 : 0;
        for (int v = 0; v < n; v++)
                if (nodes[v].y + 1 > height)
                        height = nodes[v].y + 1;
        if (route_rest(&c, maxx, height) < 0) {
                errno = ENOMEM;
                goto out;
        }
        /* The box holds every label and every route. */
        res->width = maxx;
        res->height = height;
        for (int e = 0; e < m; e++) {
                if (edges[e].npts < 0)
                        edges[e].npts = 0;
                for (int k = 0; k < edges[e].npts; k++) {
                        if (edges[e].px[k] + 2 > res->width)
                                res->width = edges[e].px[k] + 2;
                        if (edges[e].py[k] + 1 > res->height)
                                res->height = edges[e].py[k] + 1;
                }
        }
        rc = 0;
out:
        free(c.adjoff);
        free(c.adj);
        free(c.depth);
        free(c.parent);
        free(c.pedge);
        free(c.order);
        free(c.sub);
        free(c.comp);
        free(c.ses);
        free(c.sdx);
        free(c.wrapped);
        free(c.hgt);
        free(tmp);
        free(fill);
        return rc;
}
