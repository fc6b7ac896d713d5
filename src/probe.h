/* probe.h — which kernel features this machine has.
 *
 * Probed once per process in a throw-away network namespace of a forked
 * child (nothing is left behind: the namespace dies with the child). The
 * result decides, per job, between the kernel and netlab's fallback, and is
 * what `netlab doctor` prints. */
#ifndef NETLAB_PROBE_H
#define NETLAB_PROBE_H
#include <stdbool.h>
#include "err.h"

struct features {
        bool probed;
        bool veth;
        bool bridge;
        bool bridge_vlan; /* bridge vlan_filtering */
        bool vlan8021q;   /* "vlan" links (CONFIG_VLAN_8021Q) */
        bool netem;       /* CONFIG_NET_SCH_NETEM */
        bool tbf;         /* CONFIG_NET_SCH_TBF */
        bool htb;         /* CONFIG_NET_SCH_HTB */
        bool nftables;    /* CONFIG_NF_TABLES (netlink subsystem answers) */
        bool userns;      /* unprivileged user namespaces */
};

/* Fills f (cached after the first call). Needs root; returns -1 with err on failure. */
int probe_features(struct features *f, char *err);

/* For doctor: one row per feature. */
struct feature_row {
        const char *name;   /* "bridge VLAN filtering" */
        const char *config; /* "CONFIG_BRIDGE_VLAN_FILTERING" */
        bool have;
        const char *use; /* what netlab uses: "kernel", "userspace datapath", "unavailable: ..." */
};
/* Returns the number of rows written into rows (at most max). */
int probe_rows(const struct features *f, struct feature_row *rows, int max);

#endif
