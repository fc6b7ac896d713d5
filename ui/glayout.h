/* glayout.h — automatic layout of a lab's graph in character cells (pure).
 *
 * Input: nodes (end or not, label width) and links (node pairs). Output: each
 * node's label position and each link's route as an orthogonal polyline
 * whose first and last points are on the two labels. Nothing here draws.
 *
 * Every link gets a route of its own: no cell of one link's own part runs
 * along another's (they may only cross at right angles), so each link can
 * be painted with its own state and colour. Where a node has many links
 * below it, the first part of their routes runs along the node's "port
 * strip" (points before `own`), which belongs to the node and is drawn as
 * part of it; each link then leaves the strip on a column of its own. */
#ifndef NETLAB_UI_GLAYOUT_H
#define NETLAB_UI_GLAYOUT_H
#include <stdbool.h>

struct gl_node {
        bool end; /* an end node (a host): a leaf of the layout when it has one link */
        int w;    /* label width in cells */
        /* Output: top-left of the label (one row high). */
        int x, y;
};

#define GL_MAXPTS 24
struct gl_edge {
        int a, b; /* node indices */
        /* Output: route; npts == 0 means "not drawn" (no room for it). */
        int npts;
        /* Points 0..own run along the port strip of node strip (-1: none);
         * the link's own part is from point own to the end. */
        int own, strip;
        int px[GL_MAXPTS], py[GL_MAXPTS];
};

struct gl_result {
        int width, height; /* bounding box of everything placed */
};

/* Lays out n nodes and m edges, wrapping long chains to about maxw columns.
 * Returns 0, or -1 (ENOMEM). */
int glayout(struct gl_node *nodes, int n, struct gl_edge *edges, int m, int maxw,
            struct gl_result *res);

#endif
