/* graph.c — the graph pane.
 *
 * The layout (glayout.c) gives each link a route of its own; this file
 * paints them on a canvas of line directions per cell, so crossings and
 * corners get the right box-drawing characters. A link's own cells carry
 * its own state (down: dashed, red, a ✗ on a cell no other link uses) and
 * its own colour (its access VLAN, "trunk" or plain); a node's port strip
 * is drawn in double lines in the node's colour, as part of the node.
 *
 * The view pans over graphs larger than the pane: it follows the selected
 * node when the selection changes, is moved by graph_pan, and returns to 0
 * on each axis where the graph fits. The last row tells what is off-screen
 * in each direction and shows the VLAN colours; `legend` adds a box with
 * every glyph and colour; `vlan N` dims all but VLAN N's ports and links. */
#include "console.h"
#include "graph.h"
#include <stdlib.h>
#include <string.h>
#include <curses.h>

enum { DN = 1, DE = 2, DS = 4, DW = 8 };

static attr_t fg(short colour)
{
        if (!has_colors())
                return 0;
        int p = alloc_pair(colour, -1);
        return p < 0 ? 0 : (attr_t)COLOR_PAIR(p);
}

/* ---- VLANs of the model ---- */

static bool has_vid(const struct iface *f, int vid)
{
        for (int v = 0; v < f->nvlan; v++)
                if (f->vlan[v].vid == vid)
                        return true;
        return false;
}

static bool subif_tags(const struct lab *lab, int iface, int vid)
{
        const struct node *n = &lab->nodes[lab->ifaces[iface].node];
        for (int k = 0; k < n->nifaces; k++) { /* a subinterface is its parent's node's */
                const struct iface *f = &lab->ifaces[n->ifaces[k]];
                if (f->link < 0 && f->parent == iface && f->vid == vid)
                        return true;
        }
        return false;
}

int graph_lab_vlans(const struct lab *lab, int *out, int max)
{
        int n = 0;
        if (!lab->uses_vlan) /* no VLAN anywhere: no walk over every interface */
                return 0;
        for (int i = 0; i < lab->nifaces; i++) {
                const struct iface *f = &lab->ifaces[i];
                for (int v = -1; v < f->nvlan; v++) {
                        int vid = v < 0 ? (f->link < 0 ? f->vid : 0) : f->vlan[v].vid;
                        if (vid <= 0 || !lab_node_live(lab, f->node))
                                continue;
                        int k = 0;
                        while (k < n && out[k] < vid)
                                k++;
                        if ((k < n && out[k] == vid) || n >= max)
                                continue;
                        memmove(out + k + 1, out + k, sizeof(int) * (size_t)(n - k));
                        out[k] = vid;
                        n++;
                }
        }
        return n;
}

bool graph_link_in_vlan(const struct lab *lab, int l, int vid)
{
        if (!lab_link_live(lab, l))
                return false;
        const struct link *k = &lab->links[l];
        for (int e = 0; e < 2; e++) {
                int i = e ? k->b : k->a;
                if (has_vid(&lab->ifaces[i], vid) || subif_tags(lab, i, vid))
                        return true;
        }
        return false;
}

int graph_link_vlan(const struct lab *lab, int l)
{
        const struct link *k = &lab->links[l];
        bool tagged = false;
        for (int e = 0; e < 2; e++) {
                const struct iface *f = &lab->ifaces[e ? k->b : k->a];
                for (int v = 0; v < f->nvlan; v++)
                        if (f->vlan[v].pvid)
                                return f->vlan[v].vid;
                tagged |= f->nvlan > 0;
        }
        return tagged ? -1 : 0;
}

/* VLAN colours, in the order of the lab's VLAN ids: away from the kinds'
 * colours and from green (up) and red (down) where the terminal has 256. */
static struct {
        bool on; /* inside a paint: the list below is the lab's */
        int ids[GRAPH_MAXVLANS], n;
} paint_vlans;

static short vlan_colour(const struct lab *lab, int vid)
{
        static const short c256[] = {33, 208, 171, 118, 226, 45, 141, 216};
        static const short c8[] = {COLOR_BLUE, COLOR_MAGENTA, COLOR_CYAN, COLOR_YELLOW};
        int own[GRAPH_MAXVLANS], *ids = paint_vlans.ids, n = paint_vlans.n, k = 0;
        if (!paint_vlans.on) {
                n = graph_lab_vlans(lab, own, GRAPH_MAXVLANS);
                ids = own;
        }
        while (k < n && ids[k] != vid)
                k++;
        if (COLORS >= 256)
                return c256[k % (int)(sizeof(c256) / sizeof(c256[0]))];
        return c8[k % (int)(sizeof(c8) / sizeof(c8[0]))];
}

/* ---- link state and colour ---- */

static short link_colour(struct console *c, int l, bool up)
{
        if (!up)
                return COLOR_RED;
        int v = graph_link_vlan(c->lab, l);
        return v > 0 ? vlan_colour(c->lab, v) : v < 0 ? COLOR_WHITE : COLOR_GREEN;
}

static bool node_in_vlan(const struct lab *lab, int node, int vid)
{
        const struct node *n = &lab->nodes[node];
        for (int k = 0; k < n->nifaces; k++) {
                int l = lab->ifaces[n->ifaces[k]].link;
                if (l >= 0 && graph_link_in_vlan(lab, l, vid))
                        return true;
        }
        return false;
}

/* ---- glyphs ---- */

/* Single lines m, double lines (a port strip) d, both in one cell. */
static const char *glyph(const struct console *c, int m, int d, bool dashed)
{
        static const char *u[16] = {" ", "│", "─", "└", "│", "│", "┌", "├",
                                    "─", "┘", "─", "┴", "┐", "┤", "┬", "┼"};
        static const char *a[16] = {" ", "|", "-", "+", "|", "|", "+", "+",
                                    "-", "+", "-", "+", "+", "+", "+", "+"};
        static const char *dd[16] = {" ", "║", "═", "╚", "║", "║", "╔", "╠",
                                     "═", "╝", "═", "╩", "╗", "╣", "╦", "╬"};
        if (!c->utf8) {
                if (d && !m)
                        return (d & (DE | DW)) && !(d & (DN | DS)) ? "="
                               : d == (d & (DN | DS))              ? "\""
                                                                   : "#";
                return d                                                  ? "+"
                       : dashed && (m == (DN | DS) || m == DN || m == DS) ? ":"
                       : dashed && (m == (DE | DW) || m == DE || m == DW) ? "."
                                                                          : a[m & 15];
        }
        if (!d) {
                if (dashed && (m == (DN | DS) || m == DN || m == DS))
                        return "╎";
                if (dashed && (m == (DE | DW) || m == DE || m == DW))
                        return "╌";
                return u[m & 15];
        }
        if (!m)
                return dd[d & 15];
        /* A strip (double, horizontal) with drops (single, vertical), or the
         * reverse: the mixed box-drawing characters. */
        if (!(d & (DN | DS)) && !(m & (DE | DW))) {
                static const char *hv[4][4] = {
                    /* d: -, E, W, EW; m: -, N, S, NS */
                    {" ", "│", "│", "│"},
                    {"═", "╘", "╒", "╞"},
                    {"═", "╛", "╕", "╡"},
                    {"═", "╧", "╤", "╪"},
                };
                int di = ((d & DE) ? 1 : 0) | ((d & DW) ? 2 : 0);
                int mi = ((m & DN) ? 1 : 0) | ((m & DS) ? 2 : 0);
                return hv[di][mi];
        }
        if (!(d & (DE | DW)) && !(m & (DN | DS))) {
                static const char *vh[4][4] = {
                    /* d: -, N, S, NS; m: -, E, W, EW */
                    {" ", "─", "─", "─"},
                    {"║", "╙", "╜", "╨"},
                    {"║", "╓", "╖", "╥"},
                    {"║", "╟", "╢", "╫"},
                };
                int di = ((d & DN) ? 1 : 0) | ((d & DS) ? 2 : 0);
                int mi = ((m & DE) ? 1 : 0) | ((m & DW) ? 2 : 0);
                return vh[di][mi];
        }
        return dd[(d | m) & 15];
}

/* ---- the canvas ---- */

struct canvas {
        int ox, oy; /* the layout's cell at the canvas's top-left */
        int w, h;
        unsigned char *m, *d; /* single / double line directions */
        unsigned char *cnt;   /* links whose own part passes the cell */
        unsigned char *down;  /* 1: a down link's cell, 2: its ✗ */
        unsigned char *lab;   /* 1: a label's cell */
        short *col;
        attr_t *at;
};

/* The canvas covers the cells shown (and one around), not the whole layout. */
static bool canvas_new(struct canvas *k, int ox, int oy, int w, int h)
{
        size_t n = (size_t)w * (size_t)h;
        k->ox = ox, k->oy = oy;
        k->w = w, k->h = h;
        k->m = calloc(n, 1);
        k->d = calloc(n, 1);
        k->cnt = calloc(n, 1);
        k->down = calloc(n, 1);
        k->lab = calloc(n, 1);
        k->col = calloc(n, sizeof(short));
        k->at = calloc(n, sizeof(attr_t));
        return k->m && k->d && k->cnt && k->down && k->lab && k->col && k->at;
}

static void canvas_free(struct canvas *k)
{
        free(k->m);
        free(k->d);
        free(k->cnt);
        free(k->down);
        free(k->lab);
        free(k->col);
        free(k->at);
}

/* The canvas index of layout cell (x, y), -1 when off the canvas. */
static long cell(const struct canvas *k, int x, int y)
{
        x -= k->ox, y -= k->oy;
        if (x < 0 || y < 0 || x >= k->w || y >= k->h)
                return -1;
        return (long)y * k->w + x;
}

/* Calls fn for each step of e's route from point `from` to point `to`. */
struct step_ctx {
        struct canvas *k;
        bool strip, down;
        short col;
        attr_t at;
};

static void paint_step(struct step_ctx *s, int x, int y, int nx, int ny, int dir, int back)
{
        struct canvas *k = s->k;
        long a = cell(k, x, y), b = cell(k, nx, ny);
        unsigned char *plane = s->strip ? k->d : k->m;
        if (a >= 0)
                plane[a] |= (unsigned char)dir;
        if (b >= 0)
                plane[b] |= (unsigned char)back;
        long cells[2] = {a, b};
        for (int i = 0; i < 2; i++) {
                long q = cells[i];
                if (q < 0)
                        continue;
                /* A down link wins its cells' colour; a strip never paints a link's. */
                if (s->strip && k->m[q])
                        continue;
                if (!s->strip || !k->col[q]) {
                        if (!k->down[q] || s->down) {
                                k->col[q] = s->col;
                                k->at[q] = s->at;
                        }
                }
                if (!s->strip && s->down)
                        k->down[q] = 1;
        }
}

static void paint_route(struct canvas *k, const struct gl_edge *e, int from, int to,
                        struct step_ctx *s)
{
        for (int p = from; p < to; p++) {
                int x = e->px[p], y = e->py[p];
                int dx = e->px[p + 1] > x ? 1 : e->px[p + 1] < x ? -1 : 0;
                int dy = e->py[p + 1] > y ? 1 : e->py[p + 1] < y ? -1 : 0;
                int dir = dx > 0 ? DE : dx < 0 ? DW : dy > 0 ? DS : DN;
                int back = dx > 0 ? DW : dx < 0 ? DE : dy > 0 ? DN : DS;
                while (x != e->px[p + 1] || y != e->py[p + 1]) {
                        paint_step(s, x, y, x + dx, y + dy, dir, back);
                        x += dx, y += dy;
                }
        }
        (void)k;
}

/* Marks the cells of the labels (once per paint: the walks below ask per cell). */
static void mark_labels(struct console *c, struct canvas *k, const int *nodes, int nn)
{
        for (int i = 0; i < nn; i++) {
                const struct gl_node *n = &c->gn[nodes[i]];
                for (int x = n->x; x < n->x + n->w; x++) {
                        long q = cell(k, x, n->y);
                        if (q >= 0)
                                k->lab[q] = 1;
                }
        }
}

/* Counts, per cell, the links whose own part passes there (labels aside). */
static void count_own(struct canvas *k, const struct gl_edge *e)
{
        for (int p = e->own; p + 1 < e->npts; p++) {
                int x = e->px[p], y = e->py[p];
                for (;;) {
                        long q = cell(k, x, y);
                        if (q >= 0 && !k->lab[q] && k->cnt[q] < 255)
                                k->cnt[q]++;
                        if (x == e->px[p + 1] && y == e->py[p + 1])
                                break;
                        x += e->px[p + 1] > x ? 1 : e->px[p + 1] < x ? -1 : 0;
                        y += e->py[p + 1] > y ? 1 : e->py[p + 1] < y ? -1 : 0;
                }
        }
}

/* The ✗ of a down link (mark 2), or the ≈ of a link with parameters in
 * force (mark 3: delay, loss, a rate, ...): its own straight cell nearest
 * the middle of its own part that no other link uses (of the cells shown). */
static void mark_down(struct canvas *k, const struct gl_edge *e, unsigned char mark)
{
        int total = 0;
        for (int p = e->own; p + 1 < e->npts; p++)
                total += abs(e->px[p + 1] - e->px[p]) + abs(e->py[p + 1] - e->py[p]);
        long best = -1, bestd = 0;
        int step = 0;
        for (int p = e->own; p + 1 < e->npts; p++) {
                int x = e->px[p], y = e->py[p];
                for (;;) {
                        long q = cell(k, x, y);
                        bool shown = x > k->ox && y > k->oy && x < k->ox + k->w - 1 &&
                                     y < k->oy + k->h - 1; /* not the margin */
                        if (q >= 0 && shown && !k->lab[q]) {
                                int m = k->m[q];
                                bool straight = m == (DN | DS) || m == (DE | DW);
                                long d = labs(2L * step - total);
                                if (k->cnt[q] == 1 && straight && !k->d[q] &&
                                    (best < 0 || d < bestd)) {
                                        best = q;
                                        bestd = d;
                                }
                        }
                        if (x == e->px[p + 1] && y == e->py[p + 1])
                                break;
                        x += e->px[p + 1] > x ? 1 : e->px[p + 1] < x ? -1 : 0;
                        y += e->py[p + 1] > y ? 1 : e->py[p + 1] < y ? -1 : 0;
                        step++;
                }
        }
        if (best >= 0)
                k->down[best] = mark;
}

/* ---- where the layout's things are ----
 * Built once per layout: the nodes and links by bands of BAND rows (a link
 * in each band its route crosses), so a paint looks only at what crosses the
 * rows shown; and the live nodes' edges sorted, for the off-screen counts.
 * A 10,000-node lab paints as fast as a small one. */
#define BAND 16

struct graph_index {
        unsigned gen; /* the layout it indexes (graph_view.layout_gen) */
        int nbands;
        int *nfirst, *nitem; /* nodes of band b: nitem[nfirst[b] .. nfirst[b + 1]) */
        int *efirst, *eitem; /* the same for links */
        int *ebox;           /* per link: x0, y0, x1, y1 of its route */
        int *xs, *xe, *ys;   /* live nodes' left, right (x + w) and row, sorted */
        int nlive, nlinks_live;
        int *undrawn, nundrawn; /* live links the layout found no way for */
        unsigned *seen;         /* per link: the paint that picked it */
        unsigned stamp;
        int *epick, *npick; /* one paint's links and nodes */
};

static int cmp_int(const void *a, const void *b)
{
        int x = *(const int *)a, y = *(const int *)b;
        return (x > y) - (x < y);
}

static void index_free(struct graph_index *ix)
{
        if (!ix)
                return;
        free(ix->nfirst);
        free(ix->nitem);
        free(ix->efirst);
        free(ix->eitem);
        free(ix->ebox);
        free(ix->xs);
        free(ix->xe);
        free(ix->ys);
        free(ix->undrawn);
        free(ix->seen);
        free(ix->epick);
        free(ix->npick);
        free(ix);
}

void graph_free(struct console *c)
{
        index_free(c->gv.ix);
        c->gv.ix = NULL;
}

static int band_of(const struct graph_index *ix, int y)
{
        int b = y < 0 ? 0 : y / BAND;
        return b < ix->nbands ? b : ix->nbands - 1;
}

static bool edge_drawn(const struct console *c, int l)
{
        const struct gl_edge *e = &c->ge[l];
        return e->npts >= 2 && lab_node_live(c->lab, e->a) && lab_node_live(c->lab, e->b);
}

static struct graph_index *index_build(struct console *c)
{
        const struct lab *lab = c->lab;
        int nn = lab->nnodes, ne = lab->nlinks;
        size_t un = (size_t)nn + 1, ue = (size_t)ne + 1;
        struct graph_index *ix = calloc(1, sizeof(*ix));
        if (!ix)
                return NULL;
        ix->gen = c->gv.layout_gen;
        ix->nbands = (c->gres.height + 2) / BAND + 1;
        size_t nb = (size_t)ix->nbands + 1;
        ix->nfirst = calloc(nb, sizeof(int));
        ix->efirst = calloc(nb, sizeof(int));
        ix->nitem = malloc(un * sizeof(int));
        ix->ebox = malloc(4 * ue * sizeof(int));
        ix->xs = malloc(un * sizeof(int));
        ix->xe = malloc(un * sizeof(int));
        ix->ys = malloc(un * sizeof(int));
        ix->undrawn = malloc(ue * sizeof(int));
        ix->seen = calloc(ue, sizeof(unsigned));
        /* Also each band's next slot while the index is built: a tall
         * layout (a thousand unlinked namespaces on netlab host) has more
         * bands than links. */
        ix->epick = malloc((ue > nb ? ue : nb) * sizeof(int));
        ix->npick = malloc((un > nb ? un : nb) * sizeof(int));
        if (!ix->nfirst || !ix->efirst || !ix->nitem || !ix->ebox || !ix->xs || !ix->xe ||
            !ix->ys || !ix->undrawn || !ix->seen || !ix->epick || !ix->npick)
                goto fail;
        /* Nodes: a counting sort by band. */
        for (int v = 0; v < nn; v++)
                if (lab_node_live(lab, v)) {
                        const struct gl_node *n = &c->gn[v];
                        ix->nfirst[band_of(ix, n->y) + 1]++;
                        ix->xs[ix->nlive] = n->x;
                        ix->xe[ix->nlive] = n->x + n->w;
                        ix->ys[ix->nlive++] = n->y;
                }
        for (int b = 0; b < ix->nbands; b++)
                ix->nfirst[b + 1] += ix->nfirst[b];
        int *at = ix->npick; /* scratch: each band's next slot */
        memcpy(at, ix->nfirst, (size_t)ix->nbands * sizeof(int));
        for (int v = 0; v < nn; v++)
                if (lab_node_live(lab, v))
                        ix->nitem[at[band_of(ix, c->gn[v].y)]++] = v;
        qsort(ix->xs, (size_t)ix->nlive, sizeof(int), cmp_int);
        qsort(ix->xe, (size_t)ix->nlive, sizeof(int), cmp_int);
        qsort(ix->ys, (size_t)ix->nlive, sizeof(int), cmp_int);
        /* Links: their boxes, then each in every band it crosses. */
        long total = 0;
        for (int l = 0; l < ne; l++) {
                int *bx = &ix->ebox[4 * l];
                const struct gl_edge *e = &c->ge[l];
                ix->nlinks_live += lab_link_live(lab, l);
                if (!edge_drawn(c, l)) {
                        bx[0] = bx[1] = 1, bx[2] = bx[3] = 0; /* empty */
                        if (e->npts < 2 && e->a >= 0 && lab_node_live(lab, e->a) &&
                            lab_node_live(lab, e->b))
                                ix->undrawn[ix->nundrawn++] = l;
                        continue;
                }
                bx[0] = bx[2] = e->px[0], bx[1] = bx[3] = e->py[0];
                for (int p = 1; p < e->npts; p++) {
                        bx[0] = e->px[p] < bx[0] ? e->px[p] : bx[0];
                        bx[2] = e->px[p] > bx[2] ? e->px[p] : bx[2];
                        bx[1] = e->py[p] < bx[1] ? e->py[p] : bx[1];
                        bx[3] = e->py[p] > bx[3] ? e->py[p] : bx[3];
                }
                for (int b = band_of(ix, bx[1]); b <= band_of(ix, bx[3]); b++, total++)
                        ix->efirst[b + 1]++;
        }
        ix->eitem = malloc((size_t)(total + 1) * sizeof(int));
        if (!ix->eitem)
                goto fail;
        for (int b = 0; b < ix->nbands; b++)
                ix->efirst[b + 1] += ix->efirst[b];
        at = ix->epick;
        memcpy(at, ix->efirst, (size_t)ix->nbands * sizeof(int));
        for (int l = 0; l < ne; l++) {
                const int *bx = &ix->ebox[4 * l];
                if (bx[0] > bx[2])
                        continue;
                for (int b = band_of(ix, bx[1]); b <= band_of(ix, bx[3]); b++)
                        ix->eitem[at[b]++] = l;
        }
        return ix;
fail:
        index_free(ix);
        return NULL;
}

/* The index of the layout shown, built again after each layout. */
static struct graph_index *index_get(struct console *c)
{
        struct graph_view *g = &c->gv;
        if (g->ix && g->ix->gen == g->layout_gen)
                return g->ix;
        index_free(g->ix);
        g->ix = index_build(c);
        return g->ix;
}

void graph_live_counts(struct console *c, int *nodes, int *links)
{
        struct graph_index *ix = c->gn && c->ge ? index_get(c) : NULL;
        if (ix) {
                *nodes = ix->nlive, *links = ix->nlinks_live;
                return;
        }
        *nodes = *links = 0;
        for (int i = 0; i < c->lab->nnodes; i++) /* live edits leave deleted ones behind */
                *nodes += lab_node_live(c->lab, i);
        for (int i = 0; i < c->lab->nlinks; i++)
                *links += lab_link_live(c->lab, i);
}

/* The links whose route's box meets cells x0..x1, y0..y1, in index order
 * (a later link paints over an earlier one, as on the whole layout). */
static int pick_links(struct graph_index *ix, int x0, int y0, int x1, int y1)
{
        if (++ix->stamp == 0) {
                /* wrapped: forget every older paint */
                for (int b = 0, n = ix->efirst[ix->nbands]; b < n; b++)
                        ix->seen[ix->eitem[b]] = 0;
                ix->stamp = 1;
        }
        int n = 0;
        for (int b = band_of(ix, y0); b <= band_of(ix, y1); b++)
                for (int k = ix->efirst[b]; k < ix->efirst[b + 1]; k++) {
                        int l = ix->eitem[k];
                        const int *bx = &ix->ebox[4 * l];
                        if (ix->seen[l] == ix->stamp)
                                continue;
                        ix->seen[l] = ix->stamp;
                        if (bx[2] >= x0 && bx[0] <= x1 && bx[3] >= y0 && bx[1] <= y1)
                                ix->epick[n++] = l;
                }
        qsort(ix->epick, (size_t)n, sizeof(int), cmp_int);
        return n;
}

/* The live nodes whose label meets cells x0..x1, y0..y1, in index order. */
static int pick_nodes(const struct console *c, struct graph_index *ix, int x0, int y0, int x1,
                      int y1)
{
        int n = 0;
        for (int b = band_of(ix, y0); b <= band_of(ix, y1); b++)
                for (int k = ix->nfirst[b]; k < ix->nfirst[b + 1]; k++) {
                        const struct gl_node *v = &c->gn[ix->nitem[k]];
                        if (v->y >= y0 && v->y <= y1 && v->x + v->w - 1 >= x0 && v->x <= x1)
                                ix->npick[n++] = ix->nitem[k];
                }
        qsort(ix->npick, (size_t)n, sizeof(int), cmp_int);
        return n;
}

/* How many of a sorted list are below v. */
static int below(const int *a, int n, int v)
{
        int lo = 0, hi = n;
        while (lo < hi) {
                int m = (lo + hi) / 2;
                if (a[m] < v)
                        lo = m + 1;
                else
                        hi = m;
        }
        return lo;
}

/* ---- the view ---- */

static int clampi(int v, int lo, int hi)
{
        return v < lo ? lo : v > hi ? hi : v;
}

static void clamp_view(struct console *c)
{
        struct graph_view *g = &c->gv;
        int GW = c->gres.width + 1, GH = c->gres.height + 1;
        g->gx = clampi(g->gx, 0, GW > g->w ? GW - g->w : 0);
        g->gy = clampi(g->gy, 0, GH > g->h ? GH - g->h : 0);
}

void graph_pan(struct console *c, int dx, int dy)
{
        c->gv.gx += dx;
        c->gv.gy += dy;
        clamp_view(c);
        c->dirty = true;
}

int graph_set_vlan(struct console *c, int vid, char *err)
{
        if (vid != 0) {
                int ids[GRAPH_MAXVLANS], n = graph_lab_vlans(c->lab, ids, GRAPH_MAXVLANS);
                bool found = false;
                for (int i = 0; i < n; i++)
                        found |= ids[i] == vid;
                if (!found) {
                        int o = snprintf(err, ERRLEN, "No port of lab %s is in VLAN %d",
                                         c->lab->name, vid);
                        for (int i = 0; i < n && o < ERRLEN - 16; i++)
                                o += snprintf(err + o, (size_t)(ERRLEN - o), "%s%d",
                                              i ? ", " : " (its VLANs: ", ids[i]);
                        if (n && o < ERRLEN - 2)
                                snprintf(err + o, (size_t)(ERRLEN - o), ")");
                        return -1;
                }
        }
        c->gv.vlan = vid;
        c->dirty = true;
        return 0;
}

void graph_toggle_legend(struct console *c)
{
        c->gv.legend = !c->gv.legend;
        c->dirty = true;
}

static void scroll_to_selection(struct console *c)
{
        struct graph_view *g = &c->gv;
        if (c->sel < 0 || c->sel >= c->lab->nnodes || c->sel == g->sel_shown)
                return;
        g->sel_shown = c->sel;
        const struct gl_node *s = &c->gn[c->sel];
        bool room = s->w + 2 <= g->w; /* a margin of 2 beside the label */
        if (s->x + s->w > g->gx + g->w)
                g->gx = s->x + s->w - g->w + (room ? 2 : 0);
        if (s->x < g->gx) /* its start wins when it is wider than the pane */
                g->gx = s->x > 2 && room ? s->x - 2 : s->x;
        if (s->y < g->gy)
                g->gy = s->y > 1 ? s->y - 1 : 0;
        if (s->y + 3 > g->gy + g->h)
                g->gy = s->y + 3 - g->h;
}

/* The last row: the VLAN colours on the left, what is off-screen on the right. */
static void status_row(struct console *c, int y, int x0, int w)
{
        struct graph_view *g = &c->gv;
        struct graph_index *ix = g->ix;
        int left = 0, right = 0, up = 0, down = 0;
        if (ix && g->w >= NODE_NAME_MAX + 2) { /* no label is wider than the pane */
                left = below(ix->xs, ix->nlive, g->gx);
                right = ix->nlive - below(ix->xe, ix->nlive, g->gx + g->w + 1);
                up = below(ix->ys, ix->nlive, g->gy);
                down = ix->nlive - below(ix->ys, ix->nlive, g->gy + g->h);
        } else {
                for (int i = 0; i < c->lab->nnodes; i++) {
                        const struct gl_node *n = &c->gn[i];
                        if (!lab_node_live(c->lab, i))
                                continue;
                        if (n->x < g->gx) /* a label cut at the edge counts too */
                                left++;
                        else if (n->x + n->w > g->gx + g->w)
                                right++;
                        if (n->y < g->gy)
                                up++;
                        else if (n->y >= g->gy + g->h)
                                down++;
                }
        }
        char off[96] = "";
        if (left + right + up + down) {
                int o = 0;
                const char *arrow[4] = {c->utf8 ? "◀" : "<", c->utf8 ? "▶" : ">",
                                        c->utf8 ? "▲" : "^", c->utf8 ? "▼" : "v"};
                int cnt[4] = {left, right, up, down};
                for (int i = 0; i < 4; i++)
                        if (cnt[i])
                                o += snprintf(off + o, sizeof(off) - (size_t)o, "%s%d ", arrow[i],
                                              cnt[i]);
                snprintf(off + o, sizeof(off) - (size_t)o, "more");
        }
        int offw = 0;
        for (const char *p = off; *p; p++)
                offw += (*p & 0xC0) != 0x80;
        if (offw > w) { /* a narrow pane: the counts without " more" */
                size_t l = strlen(off);
                if (l > 5) {
                        off[l - 5] = '\0';
                        offw -= 5;
                }
                if (offw > w)
                        offw = w;
        }
        int x = x0, end = x0 + w - (offw ? offw + 1 : 0);
        /* Links the layout found no way for (a dense mesh): named here, first. */
        for (int u = 0; ix && u < ix->nundrawn && x + 8 < end; u++) {
                int l = ix->undrawn[u];
                const struct gl_edge *e = &c->ge[l];
                if (x == x0)
                        x += put_str(y, x, end - x, "not drawn:", A_BOLD);
                char name[2 * NODE_NAME_MAX + 16];
                bool lup = mon_link_up(c, l);
                snprintf(name, sizeof(name), " %s%s%s%s", c->lab->nodes[e->a].name,
                         c->utf8 ? "─" : "-", c->lab->nodes[e->b].name,
                         lup ? "" : (c->utf8 ? "✗" : "X"));
                x += put_str(y, x, end - x, name, fg(link_colour(c, l, lup)));
        }
        if (x > x0)
                x += put_str(y, x, end - x, " ", 0);
        const int *ids = paint_vlans.ids;
        int n = paint_vlans.n;
        const char *bar = c->utf8 ? "━━" : "==";
        if (n > 0 && x + 6 < end)
                x += put_str(y, x, end - x, "vlan ", A_DIM);
        for (int i = 0; i < n && x + 5 < end; i++) {
                char num[16];
                snprintf(num, sizeof(num), "%d ", ids[i]);
                attr_t hl = g->vlan == ids[i] ? A_BOLD | A_UNDERLINE : 0;
                x += put_str(y, x, end - x, bar, fg(vlan_colour(c->lab, ids[i])) | A_BOLD);
                x += put_str(y, x, end - x, num, hl);
        }
        if (n > 0 && x + 9 < end) {
                x += put_str(y, x, end - x, bar, fg(COLOR_WHITE) | A_BOLD);
                x += put_str(y, x, end - x, "trunk ", 0);
        }
        if (x + 8 < end) {
                x += put_str(y, x, end - x, c->utf8 ? "╌╌" : "..", fg(COLOR_RED) | A_BOLD);
                x += put_str(y, x, end - x, "down", 0);
        }
        if (offw)
                put_str(y, x0 + w - offw, offw, off, A_REVERSE);
}

static void legend_box(struct console *c, struct rect r)
{
        char lines[12 + GRAPH_MAXVLANS][64];
        short cols[12 + GRAPH_MAXVLANS];
        int n = 0;
        for (int i = 0; node_kinds[i] && n < 8; i++) {
                const char *br = node_label_fmt(node_kinds[i]);
                snprintf(lines[n], sizeof(lines[n]), "%c%s%c", br[0], node_kinds[i]->name, br[1]);
                cols[n++] = node_kind_colour(node_kinds[i]);
        }
        const char *u = c->utf8 ? "──" : "--";
        snprintf(lines[n], sizeof(lines[n]), "%s up, no VLAN", u), cols[n++] = COLOR_GREEN;
        snprintf(lines[n], sizeof(lines[n]), "%s down", c->utf8 ? "╌✗" : ".X"),
            cols[n++] = COLOR_RED;
        snprintf(lines[n], sizeof(lines[n]), "%s delay, loss, rate...", c->utf8 ? "─≈" : "-~"),
            cols[n++] = COLOR_GREEN;
        snprintf(lines[n], sizeof(lines[n]), "%s ports of a node", c->utf8 ? "═╤" : "=+"),
            cols[n++] = node_kind_colour(&kind_switch);
        int ids[GRAPH_MAXVLANS], nv = graph_lab_vlans(c->lab, ids, GRAPH_MAXVLANS);
        for (int i = 0; i < nv && n < 12 + GRAPH_MAXVLANS - 1; i++) {
                snprintf(lines[n], sizeof(lines[n]), "%s VLAN %d (access)", u, ids[i]);
                cols[n++] = vlan_colour(c->lab, ids[i]);
        }
        if (nv)
                snprintf(lines[n], sizeof(lines[n]), "%s trunk (tagged)", u),
                    cols[n++] = COLOR_WHITE;
        int bw = 24, bh = n + 2;
        if (bw > r.w)
                bw = r.w;
        if (bh > r.h)
                bh = r.h;
        int x0 = r.x + r.w - bw, y0 = r.y;
        for (int y = 0; y < bh; y++)
                for (int x = 0; x < bw; x++)
                        put_str(y0 + y, x0 + x, 1, " ", A_REVERSE);
        put_str(y0, x0 + 1, bw - 2, "legend", A_REVERSE | A_BOLD);
        for (int i = 0; i < n && i + 1 < bh - 1; i++) {
                attr_t a = fg(cols[i]) | A_BOLD;
                put_str(y0 + 1 + i, x0 + 1, bw - 2, lines[i], a);
        }
}

void graph_draw(struct console *c, struct rect r)
{
        struct graph_view *g = &c->gv;
        if (r.h <= 0 || r.w <= 0 || !c->gn)
                return;
        struct lab *lab = c->lab;
        bool status = r.h >= 4;
        g->w = r.w;
        g->h = r.h - (status ? 1 : 0);
        scroll_to_selection(c);
        clamp_view(c);
        struct graph_index *ix = index_get(c);
        if (!ix)
                return;
        paint_vlans.n = graph_lab_vlans(lab, paint_vlans.ids, GRAPH_MAXVLANS);
        paint_vlans.on = true;
        /* Only what meets the cells shown (and one around, for the joins). */
        int x0 = g->gx - 1, y0 = g->gy - 1, x1 = g->gx + r.w, y1 = g->gy + g->h;
        struct canvas k;
        if (!canvas_new(&k, x0, y0, x1 - x0 + 1, y1 - y0 + 1))
                goto out;
        int nn = pick_nodes(c, ix, x0, y0, x1, y1);
        int ne = pick_links(ix, x0, y0, x1, y1);
        g->painted_nodes = nn, g->painted_links = ne;
        mark_labels(c, &k, ix->npick, nn);
        for (int i = 0; i < ne; i++)
                count_own(&k, &c->ge[ix->epick[i]]);
        for (int i = 0; i < ne; i++) {
                int l = ix->epick[i];
                struct gl_edge *e = &c->ge[l];
                bool up = mon_link_up(c, l), hl = g->vlan && graph_link_in_vlan(lab, l, g->vlan);
                attr_t at = g->vlan ? (hl ? A_BOLD : A_DIM) : 0;
                if (e->own > 0 && e->strip >= 0) {
                        struct step_ctx s = {
                            &k, true, false, node_kind_colour(lab->nodes[e->strip].kind),
                            g->vlan && !node_in_vlan(lab, e->strip, g->vlan) ? A_DIM : 0};
                        paint_route(&k, e, 0, e->own, &s);
                }
                struct step_ctx s = {&k, false, !up, link_colour(c, l, up), at};
                paint_route(&k, e, e->own, e->npts - 1, &s);
        }
        for (int i = 0; i < ne; i++) {
                int l = ix->epick[i];
                const struct link_params *p = &lab->links[l].p;
                if (!mon_link_up(c, l))
                        mark_down(&k, &c->ge[l], 2);
                else if (p->rate_bps || link_params_impaired(p) ||
                         (lab->links[l].has_pb &&
                          (lab->links[l].pb.rate_bps || link_params_impaired(&lab->links[l].pb))))
                        mark_down(&k, &c->ge[l], 3);
        }
        for (int y = 0; y < g->h; y++)
                for (int x = 0; x < r.w; x++) {
                        long q = cell(&k, x + g->gx, y + g->gy);
                        if (q < 0 || (!k.m[q] && !k.d[q]))
                                continue;
                        attr_t at = fg(k.col[q]) | k.at[q];
                        if (k.down[q] == 2)
                                put_str(r.y + y, r.x + x, 1, c->utf8 ? "✗" : "X", at | A_BOLD);
                        else if (k.down[q] == 3)
                                put_str(r.y + y, r.x + x, 1, c->utf8 ? "≈" : "~", at | A_BOLD);
                        else
                                put_str(r.y + y, r.x + x, 1, glyph(c, k.m[q], k.d[q], k.down[q]),
                                        at);
                }
        for (int j = 0; j < nn; j++) {
                int i = ix->npick[j];
                struct gl_node *n = &c->gn[i];
                int y = n->y - g->gy, x = n->x - g->gx;
                if (y < 0 || y >= g->h || x + n->w <= 0 || x >= r.w)
                        continue;
                char lbl[NODE_NAME_MAX + 4];
                const struct node_kind *kind = lab->nodes[i].kind;
                const char *br = node_label_fmt(kind);
                snprintf(lbl, sizeof(lbl), "%c%s%c", br[0], lab->nodes[i].name, br[1]);
                attr_t at = fg(node_kind_colour(kind)) | A_BOLD;
                if (g->vlan && !node_in_vlan(lab, i, g->vlan))
                        at = fg(node_kind_colour(kind)) | A_DIM;
                if (i == c->sel)
                        at = A_REVERSE | A_BOLD;
                int skip = x < 0 ? -x : 0;
                put_str(r.y + y, r.x + x + skip, r.w - x - skip, lbl + skip, at);
        }
        if (status)
                status_row(c, r.y + r.h - 1, r.x, r.w);
        if (g->legend)
                legend_box(c, r);
out:
        canvas_free(&k);
        paint_vlans.on = false;
}
