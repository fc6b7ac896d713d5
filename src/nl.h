/* nl.h — rtnetlink requests over libmnl: links, addresses, routes, bridges,
 * VLANs, qdiscs, plus dumps and a link monitor for the console.
 *
 * A `struct nl` is a NETLINK_ROUTE socket bound for life to the network
 * namespace it was opened in (nl_open enters the namespace, opens the
 * socket, and returns). Every request asks for an ACK and, on failure,
 * returns -1 with errno and fills err with a message in iproute2's words,
 * carrying the kernel's extack text when there is one:
 *     Cannot create bridge "br0": Operation not supported
 * Nothing here forks `ip`, `bridge` or `tc`. */
#ifndef NETLAB_NL_H
#define NETLAB_NL_H
#include <stdbool.h>
#include <stdint.h>
#include "err.h"
#include "nettypes.h"

struct nl;

/* netns_fd < 0: the calling thread's current namespace. */
struct nl *nl_open(int netns_fd, char *err);
/* Names nl's namespace in messages: devices become "h1:eth0", dumps and
 * routes say `of "h1"` / `in "h1"`. Without it devices are named alone. */
void nl_set_label(struct nl *nl, const char *label);
void nl_close(struct nl *nl);
int nl_fd(const struct nl *nl);

/* One end of a veth pair. */
struct veth_end {
        const char *name;   /* interface name inside its namespace */
        const char *label;  /* for messages: "h1:eth0" */
        int netns_fd;       /* namespace to create it in; < 0: nl's namespace */
        const uint8_t *mac; /* NULL: kernel random */
        int mtu;            /* 0: default */
        int master;         /* ifindex of a bridge in that namespace; 0: none.
                               (Only honoured on end a; set b's master after.) */
        bool up;
};

/* Creates the pair with each end directly in its namespace (IFLA_NET_NS_FD on
 * both ends), so nothing passes through the namespace of nl's socket. On
 * success *ifindex_a and *ifindex_b (each may be NULL) get the two ifindexes.
 * Kernels refuse to bring the peer up while creating it (ENOTCONN), so b is
 * set up by a second request in b's namespace, batched with the ifindex
 * lookup; nl keeps sockets open in up to 16 recently used namespaces for
 * that, and an open socket keeps its namespace alive: close nl (as a build
 * does when it is done) before expecting a torn-down lab's namespaces, and
 * the links in them, to be freed. If the second step fails the pair exists
 * (b down) and -1 is returned. */
int nl_veth_add(struct nl *nl, const struct veth_end *a, const struct veth_end *b,
                int *ifindex_a, int *ifindex_b, char *err);

/* A bridge in nl's namespace; returns its ifindex, or -1. STP off,
 * forward delay 0, so ports forward as soon as they are up. */
int nl_bridge_add(struct nl *nl, const char *name, const uint8_t *mac, bool up, char *err);

/* ifindex of name in nl's namespace, or -1 (errno ENODEV) with err. */
int nl_link_index(struct nl *nl, const char *name, char *err);
/* ifindex of name, with its alias (IFLA_IFALIAS, "" when none) in alias. */
int nl_link_alias(struct nl *nl, const char *name, char *alias, size_t len, char *err);
int nl_link_set_alias(struct nl *nl, int ifindex, const char *alias, char *err);
int nl_link_set_up(struct nl *nl, int ifindex, bool up, char *err);
int nl_link_set_master(struct nl *nl, int ifindex, int master_ifindex, char *err);
int nl_link_set_mtu(struct nl *nl, int ifindex, int mtu, char *err);
int nl_link_del(struct nl *nl, int ifindex, char *err);

/* Addresses (IFA_F_NODAD for IPv6, so they are usable at once). */
int nl_addr_add(struct nl *nl, int ifindex, const struct ipaddr *addr, char *err);
/* Route to dst (NULL or family 0: default) via gw (may be NULL) out of ifindex (0: any). */
int nl_route_add(struct nl *nl, const struct ipaddr *dst, const struct ipaddr *gw,
                 int ifindex, char *err);

/* Qdiscs. Link parameters become: netem at the root (handle 1:) when delay,
 * jitter or loss are set, with tbf below it (parent 1:1) when a rate is set;
 * tbf alone at the root otherwise. A kernel without tbf gets htb instead. Returns -1 (errno EOPNOTSUPP) when the
 * kernel lacks the qdisc, with err naming the config option:
 *     Cannot add netem qdisc on "h1:eth0": kernel has no netem (CONFIG_NET_SCH_NETEM)
 * label is used in messages (NULL: "#ifindex"). Replaces what an earlier
 * call set (the root qdisc is deleted first); all-zero params restore the
 * device default. p->mtu only sizes the burst (the device MTU is set with
 * the link: veth_end.mtu or nl_link_set_mtu). */
int nl_link_params_apply(struct nl *nl, int ifindex, const char *label,
                         const struct link_params *p, char *err);
/* The same with the rate's qdisc chosen: tbf, or htb where the kernel has
 * no tbf (AUTO, what nl_link_params_apply does); TBF or HTB force one (the
 * probe, the tests). */
enum nl_rate { NL_RATE_AUTO, NL_RATE_TBF, NL_RATE_HTB };
int nl_link_params_apply_with(struct nl *nl, int ifindex, const char *label,
                              const struct link_params *p, enum nl_rate how, char *err);

/* The kernel's STP on a bridge (stp_state 1) with forward_delay_s (2..30)
 * seconds in listening and in learning; off when forward_delay_s is 0
 * (then forward delay 0, as nl_bridge_add makes it). */
int nl_bridge_stp(struct nl *nl, int bridge_ifindex, int forward_delay_s, char *err);
/* Empties the bridge's forwarding database (its learnt MACs). */
int nl_bridge_fdb_flush(struct nl *nl, int bridge_ifindex, char *err);

/* Kernel VLAN path. */
int nl_bridge_vlan_filtering(struct nl *nl, int bridge_ifindex, bool on, char *err);
/* Replaces the port's VLAN table with entries (deletes the default VID 1
 * entry when it is not among them). */
int nl_bridge_vlan_set(struct nl *nl, int port_ifindex, const struct vlan_entry *v, int n,
                       char *err);
/* 802.1Q subinterface `name` on parent with vid; returns its ifindex or -1. */
/* A macvlan (bridge mode) of parent_ifindex (in nl's namespace) named name,
 * created straight into the namespace netns_fd (< 0: nl's), down. */
int nl_macvlan_add(struct nl *nl, int parent_ifindex, const char *name, int netns_fd,
                   char *err);
int nl_vlan_add(struct nl *nl, int parent_ifindex, const char *name, uint16_t vid,
                const uint8_t *mac, bool up, char *err);

/* Dumps, for the inspector and the tests. Arrays are malloc'd; free with free(). */
struct nl_link_info {
        int ifindex;
        char name[16];
        char kind[16]; /* "veth", "bridge", "vlan", "" */
        uint8_t mac[6];
        int mtu;
        unsigned flags; /* IFF_* */
        bool oper_up;   /* operstate UP (or UNKNOWN for lo) */
        int master;     /* ifindex, 0 = none */
        int link;       /* peer/parent ifindex (IFLA_LINK), 0 = none */
        int link_netnsid; /* the peer's namespace, as an id of this one (-1: the same) */
        uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets, rx_dropped, tx_dropped;
};
int nl_link_dump(struct nl *nl, struct nl_link_info **out, int *n, char *err);

/* The id nl's namespace gives the namespace target_fd (what IFLA_LINK_NETNSID
 * names), or -1 when it has none: a lookup that never assigns one. Failure
 * is -1 with err filled too; a caller that only matches ids may ignore it. */
int nl_netns_id(struct nl *nl, int target_fd, char *err);
/* Link ifindex of the namespace that nl's namespace calls nsid (what a
 * veth's IFLA_LINK and IFLA_LINK_NETNSID name): one question, whatever the
 * number of namespaces on the machine (IFLA_TARGET_NETNSID, Linux 4.20). */
int nl_link_get_in(struct nl *nl, int nsid, int ifindex, struct nl_link_info *li, char *err);

struct nl_addr_info {
        int ifindex;
        struct ipaddr addr;
};
int nl_addr_dump(struct nl *nl, struct nl_addr_info **out, int *n, char *err);

struct nl_route_info {
        int family;
        struct ipaddr dst; /* family 0 or prefix 0: default */
        struct ipaddr gw;  /* family 0: none */
        int oif;
        int table;
};
/* Main table only. */
int nl_route_dump(struct nl *nl, struct nl_route_info **out, int *n, char *err);

/* Per-port VLAN view of a bridge (RTM_GETLINK, AF_BRIDGE, RTEXT_FILTER_BRVLAN).
 * On a kernel without VLAN filtering this succeeds with no entries. */
struct nl_port_vlan {
        int ifindex;
        struct vlan_entry v;
};
int nl_bridge_vlan_dump(struct nl *nl, struct nl_port_vlan **out, int *n, char *err);

/* Neighbours: family AF_UNSPEC (ARP and NDP entries) or AF_BRIDGE (a
 * bridge's forwarding database: MAC, port, VID). */
struct nl_neigh_info {
        int family;
        int ifindex;
        struct ipaddr addr; /* IP neighbours */
        uint8_t mac[6];
        bool has_mac;
        uint16_t state; /* NUD_* */
        uint8_t flags;  /* NTF_* */
        int master;     /* FDB: the bridge */
        uint16_t vid;   /* FDB: 0 = none */
};
int nl_neigh_dump(struct nl *nl, int family, struct nl_neigh_info **out, int *n, char *err);
/* IP forwarding of the namespace (family AF_INET or AF_INET6): 1 on, 0 off, -1 error. */
int nl_forwarding(struct nl *nl, int family, char *err);

/* Link monitor: a non-blocking socket in netns_fd subscribed to
 * RTNLGRP_LINK (and address groups). Poll its fd; nl_monitor_read calls fn
 * for each link event (RTM_NEWLINK/RTM_DELLINK) it has queued. Returns the
 * number of events read (address events are counted but not passed to fn),
 * 0 when none was queued, or -1 with errno (ENOBUFS: the kernel dropped
 * events because the socket was full; dump again to resynchronise). */
typedef void (*nl_link_event_fn)(void *ud, bool deleted, const struct nl_link_info *info);
struct nl *nl_monitor_open(int netns_fd, char *err);
int nl_monitor_read(struct nl *nl, nl_link_event_fn fn, void *ud);

/* One monitor for many namespaces: a monitor in the caller's namespace that
 * also hears every namespace having an id there (NETLINK_LISTEN_ALL_NSID;
 * nl_netns_id_assign gives one). nl_monitor_read_all passes each link
 * event's namespace id, -1 for the monitor's own namespace. */
typedef void (*nl_link_nsid_fn)(void *ud, int nsid, bool deleted, const struct nl_link_info *info);
struct nl *nl_monitor_all_open(char *err);
int nl_monitor_read_all(struct nl *nl, nl_link_nsid_fn fn, void *ud);
/* The id nl's namespace gives target_fd's, assigned first when it has none. */
int nl_netns_id_assign(struct nl *nl, int target_fd, char *err);

#endif
