/* monitor.h — the kernel's link state as the console knows it: one netlink
 * link monitor for all the nodes in the event loop, and the up/down state of
 * every interface that the graph and the commands read. */
#ifndef NETLAB_UI_MONITOR_H
#define NETLAB_UI_MONITOR_H
#include <stdbool.h>

struct console;
struct nl;

struct monitors {
        signed char *ifup; /* per lab iface: -1 unknown, 0 down, 1 up */
        int nifup;         /* its length */
        struct nl *all;    /* one monitor hearing every node's namespace, or NULL */
        int *node_of;      /* per namespace id (as the console's namespace names it): node, -1 */
        int nids;          /* its length */
        int self;          /* the node that is the console's own namespace (-1: none) */
        int nnodes;        /* the nodes looked at so far (monitors_follow adds the new ones) */
};

int monitors_init(struct console *c); /* -1 when out of memory */
/* Opens the monitors once the lab is built and reads the state now. */
void monitors_start(struct console *c);
/* The monitor is readable (node: ignored, one monitor hears them all). */
void monitors_event(struct console *c, int node);
void monitors_stop(struct console *c);
/* After a live edit (live.h): room for new interfaces, a monitor for each
 * new node, none for a deleted one. */
void monitors_follow(struct console *c);
void monitors_free(struct console *c);

/* Is link l up: both ends as the kernel reports them, or what the lab says
 * while the kernel has not been heard from. */
bool mon_link_up(const struct console *c, int l);

#endif
