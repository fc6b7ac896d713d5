/* layout.c — the pane layout tree: split, close, resize, zoom, cycle.
 *
 * A binary tree in one array (indices, not pointers: the array grows). Sizes
 * are kept as ratios so that a terminal resize scales every pane; a resize
 * command changes the ratio of the nearest ancestor split in that direction.
 * layout_compute walks the tree once and gives every leaf its rectangle. */
#include "layout.h"
#include "err.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int node_alloc(struct layout *L)
{
        for (int i = 0; i < L->cap; i++)
                if (!L->n[i].used) {
                        memset(&L->n[i], 0, sizeof(L->n[i]));
                        L->n[i].used = true;
                        L->n[i].parent = -1;
                        return i;
                }
        int ncap = L->cap ? L->cap * 2 : 16;
        struct lay_node *nn = realloc(L->n, sizeof(*nn) * (size_t)ncap);
        if (!nn)
                return -1;
        memset(nn + L->cap, 0, sizeof(*nn) * (size_t)(ncap - L->cap));
        L->n = nn;
        int i = L->cap;
        L->cap = ncap;
        L->n[i].used = true;
        L->n[i].parent = -1;
        return i;
}

static int find_leaf(const struct layout *L, int pane)
{
        for (int i = 0; i < L->cap; i++)
                if (L->n[i].used && L->n[i].kind == LAY_LEAF && L->n[i].pane == pane)
                        return i;
        return -1;
}

bool layout_has(const struct layout *L, int pane)
{
        return find_leaf(L, pane) >= 0;
}

int layout_init(struct layout *L, int pane)
{
        memset(L, 0, sizeof(*L));
        L->zoomed = -1;
        int i = node_alloc(L);
        if (i < 0)
                return -1;
        L->n[i].kind = LAY_LEAF;
        L->n[i].pane = pane;
        L->root = i;
        return 0;
}

void layout_free(struct layout *L)
{
        free(L->n);
        memset(L, 0, sizeof(*L));
}

int layout_split(struct layout *L, int pane, enum lay_kind dir, int newpane, int ratio, char *err)
{
        int leaf = find_leaf(L, pane);
        if (leaf < 0) {
                errno = ENOENT;
                return errf(err, "No such pane");
        }
        struct rect r = L->n[leaf].r;
        if (r.w > 0 && r.h > 0 &&
            ((dir == LAY_H && r.w < 2 * LAY_MIN_W + 1) || (dir == LAY_V && r.h < 2 * LAY_MIN_H))) {
                errno = ENOSPC;
                return errf(err, "Pane too small to split (%dx%d)", r.w, r.h);
        }
        int inner = node_alloc(L);
        int nl = inner < 0 ? -1 : node_alloc(L);
        if (nl < 0)
                return errf(err, "Out of memory");
        /* node_alloc may have moved the array: re-read through indices only. */
        int parent = L->n[leaf].parent;
        L->n[inner].kind = dir;
        L->n[inner].ratio = ratio > 0 && ratio < 1000 ? ratio : 500;
        L->n[inner].parent = parent;
        L->n[inner].child[0] = leaf;
        L->n[inner].child[1] = nl;
        L->n[inner].r = r;
        L->n[nl].kind = LAY_LEAF;
        L->n[nl].pane = newpane;
        L->n[nl].parent = inner;
        L->n[leaf].parent = inner;
        if (parent < 0)
                L->root = inner;
        else if (L->n[parent].child[0] == leaf)
                L->n[parent].child[0] = inner;
        else
                L->n[parent].child[1] = inner;
        if (L->zoomed == pane)
                L->zoomed = -1;
        if (L->area.w > 0)
                layout_compute(L, L->area);
        return 0;
}

int layout_close(struct layout *L, int pane, char *err)
{
        int leaf = find_leaf(L, pane);
        if (leaf < 0) {
                errno = ENOENT;
                return errf(err, "No such pane");
        }
        int parent = L->n[leaf].parent;
        if (parent < 0) {
                errno = EBUSY;
                return errf(err, "The last pane cannot be closed");
        }
        int sib = L->n[parent].child[0] == leaf ? L->n[parent].child[1] : L->n[parent].child[0];
        int gp = L->n[parent].parent;
        L->n[sib].parent = gp;
        if (gp < 0)
                L->root = sib;
        else if (L->n[gp].child[0] == parent)
                L->n[gp].child[0] = sib;
        else
                L->n[gp].child[1] = sib;
        L->n[leaf].used = false;
        L->n[parent].used = false;
        if (L->zoomed == pane)
                L->zoomed = -1;
        if (L->area.w > 0)
                layout_compute(L, L->area);
        return 0;
}

int layout_resize(struct layout *L, int pane, enum lay_kind dir, int delta, char *err)
{
        int i = find_leaf(L, pane);
        if (i < 0) {
                errno = ENOENT;
                return errf(err, "No such pane");
        }
        for (int p = L->n[i].parent; p >= 0; i = p, p = L->n[p].parent) {
                if (L->n[p].kind != dir)
                        continue;
                int total = dir == LAY_H ? L->n[p].r.w - 1 : L->n[p].r.h;
                if (total <= 0)
                        total = 100;
                int first = L->n[p].child[0] == i;
                int cur = total * L->n[p].ratio / 1000;
                cur += first ? delta : -delta;
                int min = dir == LAY_H ? LAY_MIN_W : LAY_MIN_H;
                if (cur < min)
                        cur = min;
                if (cur > total - min)
                        cur = total - min;
                if (cur < 1)
                        cur = 1;
                L->n[p].ratio = (cur * 1000 + total / 2) / total;
                if (L->n[p].ratio < 1)
                        L->n[p].ratio = 1;
                if (L->n[p].ratio > 999)
                        L->n[p].ratio = 999;
                if (L->area.w > 0)
                        layout_compute(L, L->area);
                return 0;
        }
        errno = EINVAL;
        return errf(err, "No %s split to resize", dir == LAY_H ? "left|right" : "top/bottom");
}

void layout_zoom(struct layout *L, int pane)
{
        if (find_leaf(L, pane) < 0)
                return;
        L->zoomed = L->zoomed == pane ? -1 : pane;
        if (L->area.w > 0)
                layout_compute(L, L->area);
}

static void compute(struct layout *L, int i, struct rect r)
{
        struct lay_node *n = &L->n[i];
        n->r = r;
        if (n->kind == LAY_LEAF)
                return;
        struct rect a = r, b = r;
        if (n->kind == LAY_H) {
                int avail = r.w - 1;
                int w0 = avail * n->ratio / 1000;
                if (avail >= 2 && w0 < 1)
                        w0 = 1;
                if (avail >= 2 && w0 > avail - 1)
                        w0 = avail - 1;
                if (w0 < 0)
                        w0 = 0;
                a.w = w0;
                b.x = r.x + w0 + 1;
                b.w = r.w - w0 - 1;
                if (b.w < 0)
                        b.w = 0;
        } else {
                int h0 = r.h * n->ratio / 1000;
                if (r.h >= 2 && h0 < 1)
                        h0 = 1;
                if (r.h >= 2 && h0 > r.h - 1)
                        h0 = r.h - 1;
                a.h = h0;
                b.y = r.y + h0;
                b.h = r.h - h0;
        }
        int c0 = n->child[0], c1 = n->child[1];
        compute(L, c0, a);
        compute(L, c1, b);
}

void layout_compute(struct layout *L, struct rect area)
{
        L->area = area;
        compute(L, L->root, area);
        if (L->zoomed >= 0) {
                int z = find_leaf(L, L->zoomed);
                if (z >= 0)
                        L->n[z].r = area;
        }
}

bool layout_rect(const struct layout *L, int pane, struct rect *r)
{
        int i = find_leaf(L, pane);
        if (i < 0)
                return false;
        if (L->zoomed >= 0 && L->zoomed != pane)
                return false;
        *r = L->n[i].r;
        return r->w > 0 && r->h > 0;
}

static void collect(const struct layout *L, int i, int *out, int max, int *n)
{
        const struct lay_node *x = &L->n[i];
        if (x->kind == LAY_LEAF) {
                if (*n < max)
                        out[*n] = x->pane;
                (*n)++;
                return;
        }
        collect(L, x->child[0], out, max, n);
        collect(L, x->child[1], out, max, n);
}

int layout_panes(const struct layout *L, int *out, int max)
{
        int n = 0;
        if (L->n)
                collect(L, L->root, out, max, &n);
        return n;
}

int layout_cycle(const struct layout *L, int pane, int step)
{
        int ids[256];
        int n = layout_panes(L, ids, 256);
        if (n > 256)
                n = 256;
        for (int i = 0; i < n; i++)
                if (ids[i] == pane)
                        return ids[((i + step) % n + n) % n];
        return n > 0 ? ids[0] : -1;
}

int layout_neighbour(const struct layout *L, int pane, int dx, int dy)
{
        struct rect a;
        if (!layout_rect(L, pane, &a))
                return -1;
        int ids[256];
        int n = layout_panes(L, ids, 256);
        if (n > 256)
                n = 256;
        int best = -1;
        long bestd = 0;
        int acx = a.x + a.w / 2, acy = a.y + a.h / 2;
        for (int i = 0; i < n; i++) {
                struct rect b;
                if (ids[i] == pane || !layout_rect(L, ids[i], &b))
                        continue;
                if ((dx > 0 && b.x < a.x + a.w) || (dx < 0 && b.x + b.w > a.x) ||
                    (dy > 0 && b.y < a.y + a.h) || (dy < 0 && b.y + b.h > a.y))
                        continue;
                long ddx = b.x + b.w / 2 - acx, ddy = b.y + b.h / 2 - acy;
                /* Prefer panes that overlap on the other axis. */
                bool overlap = dx ? (b.y < a.y + a.h && b.y + b.h > a.y)
                                  : (b.x < a.x + a.w && b.x + b.w > a.x);
                long d = ddx * ddx + ddy * ddy + (overlap ? 0 : 100000);
                if (best < 0 || d < bestd) {
                        best = ids[i];
                        bestd = d;
                }
        }
        return best;
}
