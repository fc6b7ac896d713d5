/* inspect.h — the inspector pane: the selected node's interfaces,
 * addresses, VLANs, routes, neighbours, forwarding and NAT, a switch's
 * firewall and FDB, and counters, from netlink dumps in its namespace.
 * inspect_refresh fetches (the only part that talks to the kernel);
 * draw_inspector only renders what was fetched. */
#ifndef NETLAB_UI_INSPECT_H
#define NETLAB_UI_INSPECT_H
#include <stdint.h>
#include "err.h"
#include "nl.h"
#include "service.h"
#include "ovs.h"
#include "vlanview.h"

struct console;

#define INSPECT_SVCS 64 /* services shown (scrolled); "... N more" past them */
#define INSPECT_SPARK 30 /* throughput samples kept per interface (one a read) */

/* A service of the node as its supervisor's state file says. */
struct inspect_svc {
        char name[SERVICE_NAME_MAX + 1];
        bool known; /* the state file was read */
        struct service_state st;
};

struct inspect {
        int node; /* cached for this node, -1 none */
        long long busy_since; /* a read is on the kernel worker since (ms), or 0 */
        struct nl_link_info *li;
        int nli;
        struct nl_addr_info *ai;
        int nai;
        struct nl_route_info *ri;
        int nri;
        struct port_vlan *vi; /* lab_vlan_view: the same on both paths */
        int nvi;
        struct nl_neigh_info *ne; /* ARP/NDP */
        int nne;
        struct nl_neigh_info *fdb; /* switches on a kernel bridge */
        int nfdb;
        int fwd4, fwd6; /* forwarding: 1 on, 0 off, -1 unknown */
        /* The nft tables of the node's NAT and firewall: 1 in the kernel, 0
         * missing, -1 unknown, 2 not the kernel's job (userspace datapath). */
        int nat_table, fw_table;
        uint64_t *prev_rx, *prev_tx; /* per li entry, for rates */
        double rx_rate[64], tx_rate[64];
        /* Each interface's throughput (rx + tx, bytes/s) at the last
         * INSPECT_SPARK reads, oldest first: the inspector's sparkline. */
        struct inspect_spark {
                int ifindex;
                int n;
                double v[INSPECT_SPARK];
        } spark[64];
        long long at_ms;
        struct inspect_svc svc[INSPECT_SVCS];
        int nsvc, nsvc_all; /* shown, registered */
        /* An OVS switch (ovs.h): its fail mode, controllers and flows, as
         * ovs-vsctl and ovs-ofctl told the worker; ovs_known 1 read, -1 the
         * tools failed (ovs_err), 0 not an OVS switch. */
        struct ovs_status ovs;
        int ovs_known;
        char ovs_err[160];
        char err[ERRLEN];
};

void inspect_refresh(struct console *c, int node);
void inspect_free(struct inspect *in);
void draw_inspector(struct console *c, int y, int x, int h, int w);

#endif
