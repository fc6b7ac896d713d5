/* vlanview.h — the VLAN table of a switch's ports, the same on both paths.
 *
 * On the kernel path it is read back from the bridge (netlink dump, the
 * bridge device's own entries left out); on the userspace path it is the
 * table the datapath was given. A port without VLAN settings on a VLAN
 * switch shows as the kernel shows it: VID 1, PVID, untagged. A switch with
 * no VLAN settings at all is VLAN-unaware: an empty table. */
#ifndef NETLAB_VLANVIEW_H
#define NETLAB_VLANVIEW_H
#include "lab.h"

struct port_vlan {
        char port[IFNAME_MAX + 1];
        int ifindex;
        struct vlan_entry v;
};

/* *out is malloc'd (free it), sorted by port order, then VID. */
int lab_vlan_view(const struct lab *lab, int node, struct port_vlan **out, int *n, char *err);

/* The same from a bridge VLAN dump made elsewhere (the console's kernel
 * worker): lab_vlan_view_reads_kernel says whether one is needed. */
struct nl_port_vlan;
bool lab_vlan_view_reads_kernel(const struct lab *lab, int node);
int lab_vlan_view_of(const struct lab *lab, int node, const struct nl_port_vlan *kv, int nkv,
                     struct port_vlan **out, int *n, char *err);

#endif
