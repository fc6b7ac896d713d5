/* layout.h — the pane layout tree (tmux-like), pure data, no curses.
 *
 * Leaves are panes (identified by caller-chosen ids); inner nodes split their
 * rectangle left|right (LAY_H) or top/bottom (LAY_V) at a ratio. Side-by-side
 * children are separated by one column (the border); stacked children by
 * nothing (each pane draws its own title row). One pane may be zoomed: it
 * then gets the whole rectangle and the others are hidden. */
#ifndef NETLAB_UI_LAYOUT_H
#define NETLAB_UI_LAYOUT_H
#include <stdbool.h>

enum lay_kind { LAY_LEAF, LAY_H, LAY_V };

struct rect {
        int x, y, w, h;
};

struct lay_node {
        enum lay_kind kind;
        int ratio; /* per mille of the space given to child[0] */
        int child[2];
        int parent; /* -1: root */
        int pane;   /* leaves */
        bool used;
        struct rect r;
};

struct layout {
        struct lay_node *n;
        int cap;
        int root;
        int zoomed; /* pane id, or -1 */
        struct rect area;
};

#define LAY_MIN_W 8
#define LAY_MIN_H 3

int layout_init(struct layout *L, int pane);
void layout_free(struct layout *L);
/* Splits pane: dir LAY_H puts newpane to its right, LAY_V below it. ratio:
 * per mille kept by pane (0: half). Fails (-1, err) when the pane is too small. */
int layout_split(struct layout *L, int pane, enum lay_kind dir, int newpane, int ratio, char *err);
/* Removes pane; its sibling takes the parent's place. The last pane cannot go. */
int layout_close(struct layout *L, int pane, char *err);
/* Grows (delta > 0) or shrinks pane by delta cells along dir (LAY_H: width). */
int layout_resize(struct layout *L, int pane, enum lay_kind dir, int delta, char *err);
/* Toggles zoom of pane. */
void layout_zoom(struct layout *L, int pane);
/* Computes every pane's rectangle inside area. */
void layout_compute(struct layout *L, struct rect area);
/* Rectangle of pane after layout_compute; false when hidden (zoom) or unknown. */
bool layout_rect(const struct layout *L, int pane, struct rect *r);
/* Panes in tree order (left/top first); returns the count. */
int layout_panes(const struct layout *L, int *out, int max);
/* Next (step 1) or previous (step -1) pane in tree order, cycling. */
int layout_cycle(const struct layout *L, int pane, int step);
/* The visible pane nearest to pane in direction (dx, dy), or -1. */
int layout_neighbour(const struct layout *L, int pane, int dx, int dy);
bool layout_has(const struct layout *L, int pane);

#endif
