/* glayout.c — automatic graph layout in character cells.
 *
 * Two shapes cover the labs people build. A chain of switches/routers (the
 * "linear" topology) is laid out as a snake: blocks of one core node with
 * its hosts below it, left to right, wrapping to the next band and coming
 * back right to left, the wrap links running in the margins. Everything else
 * is a layered tree: a BFS tree from the graph's centre (smallest
 * eccentricity), each subtree as wide as its children (tidy tree), parents
 * centred above them, tree links drawn as buses (┌─┴─┐). Links that are not
 * tree links are drawn straight when both ends are neighbours on one row,
 * and otherwise left undrawn (npts 0) for the caller to list. Each connected
 * component is laid out on its own and stacked below the previous one. */
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
        int *sub; /* subtree width */
        bool *tree_edge;
        bool *wrapped; /* children (all leaves) laid out in rows */
        int maxw;
};

static int is_core(const struct ctx *c, int v)
{
        return c->nodes[v].kind != 0 || (c->adjoff[v + 1] - c->adjoff[v]) > 1;
}

static int other(const struct ctx *c, int e, int v)
{
        return c->edges[e].a == v ? c->edges[e].b : c->edges[e].a;
}

static void set_route2(struct gl_edge *e, int x0, int y0, int x1, int y1)
{
        e->npts = 2;
        e->px[0] = x0, e->py[0] = y0, e->px[1] = x1, e->py[1] = y1;
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

static int label_w(const struct ctx *c, int v)
{
        return c->nodes[v].w > 0 ? c->nodes[v].w : 1;
}

/* Tidy tree: subtree widths bottom-up (reverse BFS order). */
static bool tree_child(const struct ctx *c, int v, int e, int u)
{
        return c->parent[u] == v && c->pedge[u] == e;
}

/* Width available for one row of leaves (a star of 50 hosts wraps). */
static int wrap_width(const struct ctx *c)
{
        return c->maxw > 0 ? (c->maxw - 6 > 24 ? c->maxw - 6 : 24) : 1 << 20;
}

/* Packs v's children in rows of at most wrap_width; returns the widest row
 * and, when y is not NULL, places them from (x, *y) down. */
static int pack_leaves(struct ctx *c, int v, int x, const int *y)
{
        int W = wrap_width(c), row = 0, cx = 0, widest = 0;
        for (int k = c->adjoff[v]; k < c->adjoff[v + 1]; k++) {
                int e = c->adj[k], u = other(c, e, v);
                if (!tree_child(c, v, e, u))
                        continue;
                int w = label_w(c, u);
                if (cx > 0 && cx + HGAP + w > W) {
                        row++;
                        cx = 0;
                }
                if (cx > 0)
                        cx += HGAP;
                if (y) {
                        c->nodes[u].x = x + cx;
                        c->nodes[u].y = *y + 2 * row;
                }
                cx += w;
                if (cx > widest)
                        widest = cx;
        }
        return widest;
}

/* Tidy tree: subtree widths bottom-up (reverse BFS order). */
static void subtree_widths(struct ctx *c, const int *ord, int cnt)
{
        for (int i = cnt - 1; i >= 0; i--) {
                int v = ord[i], sum = 0, nch = 0;
                bool leaves = true;
                for (int k = c->adjoff[v]; k < c->adjoff[v + 1]; k++) {
                        int e = c->adj[k], u = other(c, e, v);
                        if (tree_child(c, v, e, u)) {
                                sum += c->sub[u];
                                nch++;
                                for (int q = c->adjoff[u]; q < c->adjoff[u + 1]; q++)
                                        if (tree_child(c, u, c->adj[q], other(c, c->adj[q], u)))
                                                leaves = false;
                        }
                }
                if (nch)
                        sum += HGAP * (nch - 1);
                c->wrapped[v] = leaves && nch > 2 && sum > wrap_width(c);
                if (c->wrapped[v])
                        sum = pack_leaves(c, v, 0, NULL) + 2;
                c->sub[v] = sum > label_w(c, v) ? sum : label_w(c, v);
        }
}

/* v's leaves in rows below it; a trunk on the left joins the rows' buses. */
static void place_wrapped(struct ctx *c, int v, int x, int y)
{
        int cy = y + 2;
        int widest = pack_leaves(c, v, x + 2, &cy);
        int w = label_w(c, v);
        c->nodes[v].x = x + 2 + (widest - w) / 2;
        c->nodes[v].y = y;
        int pcx = c->nodes[v].x + w / 2, tx = x;
        for (int k = c->adjoff[v]; k < c->adjoff[v + 1]; k++) {
                int e = c->adj[k], u = other(c, e, v);
                if (!tree_child(c, v, e, u))
                        continue;
                struct gl_edge *E = &c->edges[e];
                int ucx = c->nodes[u].x + label_w(c, u) / 2, uy = c->nodes[u].y;
                c->tree_edge[e] = true;
                E->px[0] = pcx, E->py[0] = y;
                E->px[1] = pcx, E->py[1] = y + 1;
                if (uy == y + 2) {
                        E->npts = 4;
                        E->px[2] = ucx, E->py[2] = y + 1;
                        E->px[3] = ucx, E->py[3] = uy;
                        continue;
                }
                E->npts = 6;
                E->px[2] = tx, E->py[2] = y + 1;
                E->px[3] = tx, E->py[3] = uy - 1;
                E->px[4] = ucx, E->py[4] = uy - 1;
                E->px[5] = ucx, E->py[5] = uy;
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
                int u = ord[i], e = c->pedge[u];
                if (e < 0 || c->edges[e].npts > 0) /* routed by place_wrapped */
                        continue;
                int p = c->parent[u];
                int px = c->nodes[p].x + label_w(c, p) / 2, py = c->nodes[p].y;
                int ux = c->nodes[u].x + label_w(c, u) / 2, uy = c->nodes[u].y;
                struct gl_edge *E = &c->edges[e];
                E->npts = 4;
                E->px[0] = px, E->py[0] = py;
                E->px[1] = px, E->py[1] = py + 1;
                E->px[2] = ux, E->py[2] = py + 1;
                E->px[3] = ux, E->py[3] = uy;
                c->tree_edge[e] = true;
        }
}

/* An end of the chain when the core nodes of this component form a simple
 * path worth a snake (>= 3, hosts hanging off it), else -1. */
static int core_path_end(struct ctx *c, const int *ord, int cnt, int *ncore)
{
        int end = -1, nc = 0, sumdeg = 0, bare = 0;
        for (int i = 0; i < cnt; i++) {
                int v = ord[i];
                if (!is_core(c, v))
                        continue;
                nc++;
                int d = 0, leaves = 0;
                for (int k = c->adjoff[v]; k < c->adjoff[v + 1]; k++) {
                        int u = other(c, c->adj[k], v);
                        if (u == v)
                                return -1;
                        if (is_core(c, u))
                                d++;
                        else
                                leaves++;
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
                bw[i] = lw > label_w(c, s) ? lw : label_w(c, s);
        }
        int band_h = any_leaf ? 4 : 2;
        int left = 2, avail = c->maxw - 4;
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
                        int lx = x + (bw[idx] - lw) / 2;
                        for (int q = c->adjoff[s]; q < c->adjoff[s + 1]; q++) {
                                int e = c->adj[q], u = other(c, e, s);
                                if (is_core(c, u))
                                        continue;
                                c->nodes[u].x = lx;
                                c->nodes[u].y = y + 2;
                                lx += label_w(c, u) + HGAP;
                                int sx = c->nodes[s].x + label_w(c, s) / 2;
                                int ux = c->nodes[u].x + label_w(c, u) / 2;
                                struct gl_edge *E = &c->edges[e];
                                E->npts = 4;
                                E->px[0] = sx, E->py[0] = y;
                                E->px[1] = sx, E->py[1] = y + 1;
                                E->px[2] = ux, E->py[2] = y + 1;
                                E->px[3] = ux, E->py[3] = y + 2;
                                c->tree_edge[e] = true;
                        }
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
                c->tree_edge[e] = true;
                int ay = c->nodes[a].y, by = c->nodes[b].y;
                if (bandof[k] == bandof[k + 1]) {
                        bool ltr = c->nodes[a].x < c->nodes[b].x;
                        int l = ltr ? a : b, r = ltr ? b : a;
                        set_route2(E, c->nodes[l].x + label_w(c, l) - 1, ay, c->nodes[r].x, ay);
                } else if (bandof[k] % 2 == 0) { /* right margin */
                        int mx = right_edge + 1;
                        E->npts = 4;
                        E->px[0] = c->nodes[a].x + label_w(c, a) - 1, E->py[0] = ay;
                        E->px[1] = mx, E->py[1] = ay;
                        E->px[2] = mx, E->py[2] = by;
                        E->px[3] = c->nodes[b].x + label_w(c, b) - 1, E->py[3] = by;
                } else { /* left margin */
                        int mx = left - 2;
                        E->npts = 4;
                        E->px[0] = c->nodes[a].x, E->py[0] = ay;
                        E->px[1] = mx, E->py[1] = ay;
                        E->px[2] = mx, E->py[2] = by;
                        E->px[3] = c->nodes[b].x, E->py[3] = by;
                }
        }
        if (right_edge + 2 > *maxx)
                *maxx = right_edge + 2;
        free(path);
        free(bw);
        free(bandof);
        return y - y0 - (band_h - (any_leaf ? 3 : 1));
}

int glayout(struct gl_node *nodes, int n, struct gl_edge *edges, int m, int maxw,
            struct gl_result *res)
{
        struct ctx c = {.nodes = nodes, .n = n, .edges = edges, .m = m, .maxw = maxw};
        memset(res, 0, sizeof(*res));
        for (int e = 0; e < m; e++)
                edges[e].npts = 0;
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
        c.tree_edge = calloc((size_t)m + 1, sizeof(bool));
        c.wrapped = calloc(N, sizeof(bool));
        int *tmp = calloc(N, sizeof(int));
        int *fill = calloc(N + 1, sizeof(int));
        int rc = -1;
        if (!c.adjoff || !c.adj || !c.depth || !c.parent || !c.pedge || !c.order || !c.sub ||
            !c.comp || !c.tree_edge || !c.wrapped || !tmp || !fill) {
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
        /* Non-tree links between neighbours on one row: a straight line. */
        for (int e = 0; e < m; e++) {
                if (c.tree_edge[e])
                        continue;
                int a = edges[e].a, b = edges[e].b;
                if (a < 0 || a >= n || b < 0 || b >= n || a == b)
                        continue;
                if (nodes[a].y != nodes[b].y)
                        continue;
                int l = nodes[a].x < nodes[b].x ? a : b, r = l == a ? b : a;
                bool clear = true;
                for (int v = 0; v < n; v++)
                        if (v != l && v != r && nodes[v].y == nodes[l].y &&
                            nodes[v].x > nodes[l].x && nodes[v].x < nodes[r].x)
                                clear = false;
                if (clear)
                        set_route2(&edges[e], nodes[l].x + label_w(&c, l) - 1, nodes[l].y,
                                   nodes[r].x, nodes[r].y);
        }
        res->width = maxx;
        res->height = y > 0 ? y - 2 : 0;
        for (int v = 0; v < n; v++)
                if (nodes[v].y + 1 > res->height)
                        res->height = nodes[v].y + 1;
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
        free(c.tree_edge);
        free(c.wrapped);
        free(tmp);
        free(fill);
        return rc;
}
