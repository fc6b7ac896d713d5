/* hostview.h — the machine's namespaces as a lab model (`netlab host`).
 *
 * A scan (nsscan.h) becomes a struct lab that is only a view: one node per
 * namespace (named by ns_label, so "sleep 300 (pid 4242)"), one switch node
 * per bridge, one link per veth pair. Nothing is built, journaled or torn
 * down; a node's namespaces (net, and the UTS one to join) are opened again
 * when asked (lab_ns_open, through the lab's ns_opener) from the last
 * scan's paths, each checked to be the same namespace still, so that the
 * inspector and the panes reach it as they reach a lab node and the view
 * holds no descriptor per namespace. A namespace held only by lab_ns_fd's
 * cache is not found by the next scan (nsscan skips the process's own
 * descriptors) and goes.
 *
 * Each scan is applied in place: nodes and links keep their indices while
 * they live (panes and the selection point at them), those that went are
 * marked deleted, new ones are added. */
#ifndef NETLAB_HOSTVIEW_H
#define NETLAB_HOSTVIEW_H
#include <stdbool.h>
#include "lab.h"
#include "nsscan.h"

/* What a node of the view stands for. */
struct hv_node {
        unsigned long ino; /* the namespace */
        int br;            /* a bridge of it (ifindex) shown apart, 0: the namespace */
        int scan;          /* its entry in the last scan, -1 gone */
};

struct hostview {
        struct lab *lab;
        struct hv_node *nodes; /* parallel to lab->nodes */
        int cap;
        struct ns_scan scan; /* the last one applied (owned) */
        /* During hostview_apply: nodes by (ino, br) and links by their ends,
         * index + 1 (0 empty), so a scan of n namespaces costs O(n). */
        int *nix, *lix;
        int nix_cap, lix_cap;
};

/* An empty view: a lab named "host", marked running. 0 or -1 with err. */
int hostview_init(struct hostview *hv, char *err);
/* Applies a scan (taken over: hv frees it): returns 1 when nodes or links
 * came or went, 0 when not, -1 with err (the view stays as it was). */
int hostview_apply(struct hostview *hv, struct ns_scan *s, char *err);
void hostview_free(struct hostview *hv);
/* The scan entry a node shows, or NULL (gone, or not a node of the view). */
const struct ns_entry *hostview_entry(const struct hostview *hv, int node);

#endif
