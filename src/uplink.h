/* uplink.h — a lab node on a real interface of the machine (lab:uplink).
 *
 *   lab:uplink(node, {host_if = "enp1s0", mode = "macvlan" | "bridge", ip = CIDR})
 *
 * The node gets one more interface, "up0", on the machine's interface
 * host_if (on a switch it becomes a bridge port; on a host it may take an
 * address):
 *   macvlan  a macvlan of host_if made straight inside the node: nothing is
 *            made in the machine's namespace, and it dies with the node.
 *            (The machine itself cannot talk to its own macvlans: that is
 *            macvlan, not netlab.)
 *   bridge   a bridge in the machine's namespace takes host_if and one end
 *            of a veth whose other end is up0: the node is on host_if's
 *            segment as a peer of the machine. The bridge and the veth end
 *            are journaled with their identity (hostobj.h); host_if itself is
 *            only released when the bridge goes. The interface of the
 *            machine's default route is refused (taking it into a bridge
 *            would cut the machine off).
 * Nothing of the machine changes unless a lab names host_if. */
#ifndef NETLAB_UPLINK_H
#define NETLAB_UPLINK_H
#include "err.h"
#include "nettypes.h"

struct lab;

enum uplink_mode { UPLINK_NONE, UPLINK_MACVLAN, UPLINK_BRIDGE };

struct uplink {
        int node;
        char host_if[16];
        enum uplink_mode mode;
        struct ipaddr ip; /* family 0: none */
        char where[96];
};

/* The model: checks the names now (host_if must exist on the machine), so a
 * typo stops the lab at its line. -1 with err. */
int lab_add_uplink(struct lab *lab, int node, const char *host_if, const char *mode,
                   const char *ip, const char *where, char *err);
/* The build's step, after the nodes are configured. */
int uplinks_build(struct lab *lab, char *err);
void uplinks_free(struct lab *lab);

#endif
