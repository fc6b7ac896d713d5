/* graph.h — the graph pane: paints the laid-out graph (glayout.h) with each
 * link in its own state and VLAN colour, pans over labs larger than the
 * pane, shows what is off-screen, a legend, and one VLAN highlighted. */
#ifndef NETLAB_UI_GRAPH_H
#define NETLAB_UI_GRAPH_H
#include <stdbool.h>
#include "layout.h"

struct console;
struct lab;

#define GRAPH_MAXVLANS 64

/* The view of the graph pane (part of struct console). */
struct graph_view {
        int gx, gy;         /* pan offset: the top-left cell shown */
        int vlan;           /* the VLAN highlighted, 0: none */
        bool legend;        /* the legend box is shown */
        unsigned kinds;     /* bit k: the lab has a node of node_kinds[k] (at layout) */
        int sel_shown;      /* the selection last scrolled into view (-1: none) */
        int w, h;           /* the drawing area at the last paint */
        int nnodes, nlinks; /* the lab's size when it was laid out (a change lays it out again) */
        unsigned layout_gen;    /* bumped by each layout: the index below follows it */
        struct graph_index *ix; /* where the layout's nodes and links are (graph.c) */
        int painted_nodes, painted_links; /* looked at by the last paint */
};

void graph_draw(struct console *c, struct rect r);
/* Moves the view by dx, dy cells (clamped to the graph; back to 0 when it fits). */
void graph_pan(struct console *c, int dx, int dy);
/* Highlights VLAN vid's ports and links (0: none); -1 with err when no port
 * of the lab is in that VLAN. */
int graph_set_vlan(struct console *c, int vid, char *err);
void graph_toggle_legend(struct console *c);
/* The lab's nodes and links (deleted ones aside), as of its last layout. */
void graph_live_counts(struct console *c, int *nodes, int *links);
/* Frees the view's index (the console's end). */
void graph_free(struct console *c);

/* The lab's VLAN ids, ascending; returns how many (at most max). */
int graph_lab_vlans(const struct lab *lab, int *out, int max);
/* True when link l carries VLAN vid (a port of either end is in it, or a
 * subinterface of either end tags it). */
bool graph_link_in_vlan(const struct lab *lab, int l, int vid);
/* The link's access VLAN: the PVID of a switch end (>0), -1 when its VLAN
 * ports only carry tagged frames (a trunk), 0 when it has no VLAN. */
int graph_link_vlan(const struct lab *lab, int l);

#endif
