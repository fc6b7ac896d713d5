/* lab.h — the lab model and its life cycle.
 *
 * A lab is plain data first: nodes, links, interfaces, addresses, VLAN
 * settings, all added through lab_add_* which validate each piece as it
 * comes (so a Lua script gets the error at the line that caused it). Nothing
 * touches the kernel until lab_build(), which validates the whole model once
 * more, then creates namespaces, links, addresses, routes, qdiscs and VLANs,
 * writing each owned object to the lab's journal before it is created. A
 * failed build rolls back through the same teardown as a normal stop.
 *
 * Objects are referred to by index (node, link, iface), never by pointer:
 * the arrays grow. The UI and the Lua bindings read the arrays directly. */
#ifndef NETLAB_LAB_H
#define NETLAB_LAB_H
#include <stdbool.h>
#include <stdint.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <sys/types.h>
#include "err.h"
#include "nettypes.h"
#include "probe.h"
#include "netns.h"
#include "kind.h"

#define LAB_NAME_MAX 24  /* lab names: [A-Za-z0-9_-], 1..24 */
/* `netlab --name NAME LAB.lua`: the name netlab.lab() takes instead of the
 * file's own. The environment carries it only across the lab server's exec:
 * lab_name_given() takes it out at once, so nothing run in a node inherits it. */
#define LAB_NAME_ENV "NETLAB_LAB_NAME"
#define NODE_NAME_MAX 24 /* node names: [A-Za-z0-9_-], 1..24, a letter first */
#define IFNAME_MAX 15    /* IFNAMSIZ - 1 */
#define IFACE_ADDR_MAX 8 /* addresses per interface */
#define LAB_MAX_IFACES 1023 /* per node: a Linux bridge takes 1023 ports */
#define LAB_RUN_DIR "/run/netlab"
#define NETNS_RUN_DIR "/run/netns"

struct fw_table;

struct iface {
        int node; /* owning node */
        int link; /* link index, or -1 for an 802.1Q subinterface */
        char name[IFNAME_MAX + 1];
        uint8_t mac[6];
        int mtu; /* 0 = default (1500) */
        struct ipaddr addr[IFACE_ADDR_MAX];
        int naddr;
        /* Switch ports: VLAN membership. nvlan == 0: a plain (VLAN-unaware)
         * port, i.e. the bridge default (PVID 1 untagged). */
        struct vlan_entry *vlan;
        int nvlan;
        struct vlan_entry *vlan_built; /* ... when the lab was built (or the link */
        int nvlan_built;               /* added live): what lab_reset restores */
        /* Subinterfaces (link == -1): parent iface and VID. */
        int parent;
        uint16_t vid;
        int ifindex; /* set by lab_build (0 before) */
};

struct link {
        int a, b; /* iface indices; a's node was named first in lab:link */
        struct link_params p;
        bool up;        /* administrative state netlab set */
        bool up_built;  /* ... when the lab was built: what lab_reset restores */
        char where[96]; /* "labs/x.lua:12", where it was defined */
        bool deleted;   /* removed from the running lab (live.h) */
        bool wired;     /* built as a datapath wire: it stays one while the lab runs,
                           impaired or not (plan_link_on_wire) */
        struct link_params pb; /* frames leaving b, when has_pb (a per-direction link); */
        bool has_pb;           /* ... otherwise p goes both ways (Mininet's TCLink) */
        struct link_params p_built, pb_built; /* p, pb, has_pb when the lab was built */
        bool has_pb_built;                    /* (or the link added): lab_reset restores */
};

/* The parameters of the frames that leave a link by end (0: a, 1: b). */
static inline const struct link_params *link_params_from(const struct link *l, int end)
{
        return end && l->has_pb ? &l->pb : &l->p;
}

struct route {
        struct ipaddr dst; /* family 0: default route */
        struct ipaddr via;
        int iface; /* -1: let the kernel pick by via */
        char dev[IFNAME_MAX + 1]; /* a link-local via's interface ("fe80::1%eth1"; "": */
                                  /* the node's only interface) */
};

/* A private directory of a node (nodefs.h): src NULL is an empty tmpfs;
 * otherwise a copy-on-write overlay whose lower layers are src and, when
 * over is set, path itself beneath it (the lab's files over the host's). */
struct node_dir {
        char *path; /* absolute, as seen inside the node */
        char *src;  /* absolute directory on the host, or NULL */
        bool over;
};

struct node {
        char name[NODE_NAME_MAX + 1];
        const struct node_kind *kind; /* kind.h: what the node is and how it is built */
        int *ifaces; /* iface indices, in creation order */
        int nifaces;
        struct ipaddr gw4, gw6; /* default gateways (family 0 = none) */
        char gw6_dev[IFNAME_MAX + 1]; /* a link-local gw6's interface ("fe80::1%eth0"; "": */
                                      /* the node's only interface, found by validate) */
        struct route *routes;
        int nroutes;
        bool ipv6;           /* enable IPv6 (automatically on when it has an IPv6 address) */
        struct fw_table *fw; /* switches: firewall on bridge ports (fw.h), or NULL */
        char nat_out[IFNAME_MAX + 1]; /* routers: masquerade out of this interface ("": none) */
        bool nat_drop_inbound;        /* ... and drop what comes in there unasked (nat.h) */
        int stp;                      /* switches: the kernel's STP with this forward delay (s); 0 off */
        char where[96];
        bool deleted; /* removed from the running lab (live.h): lab_node_live */
        struct node_dir *dirs; /* private directories: a mount namespace of its own */
        int ndirs;
        /* Switches (swclass.h): the class (SWCLASS_AUTO: a kernel bridge,
         * the userspace datapath for what the kernel lacks) and, for Open
         * vSwitch, the fail mode (enum ovs_fail_mode, ovs.h). */
        int swclass;
        int fail_mode;
        /* Runtime. made: lab_build made its namespaces (they are held by
         * their bind mounts, not by this process). nsfd_net, nsfd_uts: the
         * cache of lab_ns_fd (-1: not open); never read them, ask lab_ns_fd.
         * A node with dirs has a mount namespace too, held by its bind
         * mount (nodefs_open; no descriptor is kept). */
        bool made;
        int nsfd_net, nsfd_uts;
        char netns_name[LAB_NAME_MAX + NODE_NAME_MAX + 2]; /* "LAB.NODE" */
};

/* Nodes whose namespace fds lab_ns_fd keeps open at once. */
#define LAB_NSFD_CACHE 64

enum lab_state { LAB_DEFINED, LAB_BUILDING, LAB_UP, LAB_DOWN };

struct journal;
struct uplink;
struct lab;
struct dp_run;
struct service;
struct ovs_run;
struct ovs_ctl;

/* Progress of a long operation: stage ("namespaces", "links", ...), done of total. */
typedef void (*lab_progress_fn)(void *ud, const char *stage, int done, int total);

struct lab {
        char name[LAB_NAME_MAX + 1];
        char rundir[PATH_MAX]; /* /run/netlab/NAME */
        char file[PATH_MAX];   /* the lab file, absolute ("" unknown): `attach` of a kept lab */
        long long up_since;    /* when it first came up (epoch s, 0: not yet): kept by a
                                  rebuild (reload) and a take-over, netlab ls's AGE */
        struct node *nodes;
        int nnodes, capnodes;
        struct link *links;
        int nlinks, caplinks;
        struct iface *ifaces;
        int nifaces, capifaces;
        uint16_t mac_prefix; /* bytes 1-2 of every MAC of this lab */
        enum lab_state state;
        struct features feat; /* probed at build */
        struct journal *journal;
        int lock_fd;
        bool uses_vlan;    /* some port or subinterface has VLAN settings */
        uint64_t seed;     /* netlab.seed(n): the datapath's random choices; 0: random */
        bool editing;      /* live.c is changing the built lab's model (lab_add_* allowed) */
        struct service *svcs; /* services started in nodes (service.h) */
        int nsvcs;
        struct service_keeper *svk; /* their supervisor (service.c), NULL: none yet */
        struct dp_run *dp; /* the userspace datapath process (dp.h), or NULL */
        lab_progress_fn progress;
        void *progress_ud;
        struct uplink *uplinks; /* lab:uplink (uplink.h) */
        int nuplinks;
        int switch_class;    /* lab:defaults{switch = ...}: the class of switches made after */
        int fail_mode;       /* ... and their OVS fail mode */
        struct ovs_ctl *ctls; /* lab:controller (ovs.h) */
        int nctls;
        struct ovs_run *ovs; /* the lab's private Open vSwitch (ovs.h), or NULL */
        int nsfd_ring[LAB_NSFD_CACHE]; /* lab_ns_fd's open nodes, index + 1 (0: free) */
        int nsfd_next;
        /* A lab that is only a view (netlab host, hostview.h) has no bind
         * mounts of its own to open: lab_ns_open asks this instead. */
        int (*ns_opener)(const struct lab *lab, const struct node *n, int nstype, char *err);
        void *ns_opener_ud;
        int nsfile; /* during the build: 0 off, -1 on, else 1 + an O_PATH fd of the
                       first node's /run/netns file, the others' hard links (build.c) */
        /* Defining N nodes is O(N): node names hashed (lab_find_node), and
         * every address given so far in a filter that spares the duplicate
         * check its scan (lab.c). Open addressing; NULL until first used. */
        int *name_ix;      /* node index + 1, 0 empty */
        uint64_t *addr_ix; /* address hashes (never 0); stale after a removal */
        int name_cap, name_used, addr_cap, addr_used;
        /* A node's interfaces by name (lab_find_iface): iface index + 1, 0
         * empty, -1 one taken off its node (lab_iface_drop). */
        int *ifname_ix;
        int ifname_cap, ifname_used;
};

/* Model. Each returns the new object's index, or -1 with err filled. */
struct lab *lab_new(const char *name, char *err);
/* The interface that already has address ip, or -1 (a scan of every
 * interface). iface: the one it would go on (a link-local address clashes
 * only on its own link), -1: none. */
int lab_addr_holder(const struct lab *lab, const struct ipaddr *ip, int iface);
/* A valid lab name: 1 to LAB_NAME_MAX of [A-Za-z0-9_-]. */
bool lab_name_ok(const char *name);
/* The name given on the command line (or by the exec'ing server, LAB_NAME_ENV),
 * NULL if none; lab_name_give sets it (before any thread starts). */
const char *lab_name_given(void);
void lab_name_give(const char *name);
void lab_free(struct lab *lab);
int lab_add_node(struct lab *lab, const char *name, const struct node_kind *kind,
                 const char *where, char *err);
/* Renames a node of a view (hostview.c); a lab's nodes keep their names. */
void lab_node_set_name(struct lab *lab, int node, const char *name);
int lab_find_node(const struct lab *lab, const char *name);
/* A descriptor of node's namespace (nstype CLONE_NEWNET or CLONE_NEWUTS),
 * opened from its bind mount on demand: a lab holds no descriptor per idle
 * node. Borrowed: valid until LAB_NSFD_CACHE other nodes are asked for, or
 * lab_ns_release; for the calling (loop) thread only. -1 with errno (ENOENT:
 * the node has no namespace yet) and err filled: never pass -1 on as "the
 * current namespace". */
int lab_ns_fd(struct lab *lab, const struct node *n, int nstype, char *err);
/* The same, owned by the caller (close it): for another thread. */
int lab_ns_open(const struct lab *lab, const struct node *n, int nstype, char *err);
/* nl_open (nl.h) in node's network namespace, through lab_ns_fd. */
struct nl;
struct nl *lab_nl_open(struct lab *lab, const struct node *n, char *err);
/* Closes every descriptor lab_ns_fd holds (the end of the build, teardown). */
void lab_ns_release(struct lab *lab);
/* True when node is a node of the lab (an index in range, not deleted):
 * the one test every reader of the node array makes. */
bool lab_node_live(const struct lab *lab, int node);
/* The same for links (a link of a deleted node is deleted too). */
bool lab_link_live(const struct lab *lab, int link);
/* True when node's kind has flag (enum kind_flags). */
bool lab_node_has(const struct lab *lab, int node, unsigned flag);
/* ifname_a/b may be NULL: hosts/routers get eth0, eth1, ...; switches p1, p2, ... */
int lab_add_link(struct lab *lab, int node_a, int node_b, const struct link_params *p,
                 const char *ifname_a, const char *ifname_b, const char *where, char *err);
int lab_find_iface(const struct lab *lab, int node, const char *ifname);
/* Takes iface off its node's interfaces (a deleted link's ends): no longer
 * found by name, its name free again on that node. */
void lab_iface_drop(struct lab *lab, int iface);
int lab_iface_add_addr(struct lab *lab, int iface, const char *cidr, char *err);
/* Adds or replaces one VLAN entry on a switch port. */
int lab_port_add_vlan(struct lab *lab, int iface, uint16_t vid, bool pvid, bool untagged,
                      char *err);
/* An 802.1Q subinterface PARENT.VID on a host/router; returns its iface index. */
int lab_add_subif(struct lab *lab, int parent_iface, uint16_t vid, const char *where, char *err);
/* A model check of subinterface subif whose parent is linked to a switch
 * port: 1 with msg "h1:eth0.2000: VLAN 2000 is not carried by sw2:p2
 * (trunk 100,200)" when the port does not carry its VID tagged, else 0.
 * A warning, not an error: a lab may model that mistake on purpose. */
int lab_subif_check(const struct lab *lab, int subif, char *msg, size_t len);
int lab_node_set_gw(struct lab *lab, int node, const char *ip, char *err);
/* The interface a link-local IPv6 gateway leaves by; -2 when gw6 is not
 * link-local; -1 with err when it cannot be told. */
int lab_node_gw6_iface(const struct lab *lab, int node, char *err);
/* Before the build only (after it, -1 with EBUSY): IPv6 on or off; a
 * router's masquerading interface; a link's state once built. */
int lab_node_set_ipv6(struct lab *lab, int node, bool on, char *err);
int lab_node_set_nat(struct lab *lab, int node, const char *ifname, char *err);
/* A NAT router's inbound policy: drop true drops new connections coming in
 * through its nat interface (replies to what went out pass). */
int lab_node_set_nat_inbound(struct lab *lab, int node, bool drop, char *err);
/* A switch's STP: forward_delay_s 2..30 seconds, or 0 (off). */
int lab_node_set_stp(struct lab *lab, int node, int forward_delay_s, char *err);
/* Runtime: empties a switch's forwarding database (kind_switch.c). */
int lab_switch_flush_fdb(struct lab *lab, int node, char *err);
int lab_link_set_initial_up(struct lab *lab, int link, bool up, char *err);
/* via may be link-local with its interface ("fe80::1%eth1"; without it, the
 * node's only interface). */
int lab_node_add_route(struct lab *lab, int node, const char *dst, const char *via, char *err);
/* The interface route r of node leaves by when its via is link-local; -2
 * when it is not; -1 with err when it cannot be told. */
int lab_route_iface(const struct lab *lab, int node, int r, char *err);
/* Adds a private directory to node (before the build): path absolute and
 * an existing directory on the host; src NULL (tmpfs) or an existing
 * directory; over: src's files over the host's own path. */
int lab_node_add_dir(struct lab *lab, int node, const char *path, const char *src, bool over,
                     char *err);
/* The link joining two nodes (first one found), or -1. */
int lab_find_link(const struct lab *lab, int node_a, int node_b);
/* /run/netns/LAB.NAME, the network namespace file of node (or part) NAME. */
void lab_netns_path(const struct lab *lab, const char *name, char *buf, size_t len);
/* True when some port of switch node has VLAN settings. */
bool lab_switch_uses_vlan(const struct lab *lab, int node);
/* The interface at the other end of iface's link, or -1 (a subinterface). */
int lab_iface_peer(const struct lab *lab, int iface);
/* "h1:eth0" */
void iface_label(const struct lab *lab, int iface, char *buf, size_t len);

/* Whole-model check: called by lab_build, usable alone. */
int lab_validate(struct lab *lab, char *err);

/* Life cycle. lab_build takes the lab's lock (a second lab of the same name
 * is refused), probes the kernel, builds, and rolls back on failure.
 * lab_teardown kills the lab's processes, stops the datapath, closes the
 * namespaces (the kernel then removes every link inside them at once), and
 * removes the run directory. Both are safe to call in any state. */
int lab_build(struct lab *lab, char *err);
int lab_teardown(struct lab *lab, char *err);
/* Takes over a built lab whose netlab has gone (run --keep, up after a
 * crash of its console): the same file's model is matched to the kernel's
 * namespaces and interfaces, the lab's lock and journal become this
 * process's (adopt.c). A lab whose owner is alive is refused. */
int lab_adopt(struct lab *lab, char *err);

/* The number of the stop signal received (SIGINT, SIGTERM, SIGHUP), 0 none:
 * a build in progress stops at the next step and rolls back; a run stops
 * and tears down. */
extern volatile sig_atomic_t lab_stop_requested;
/* The one stop-signal setup (netlab run and the console): SIGINT, SIGTERM
 * and SIGHUP set lab_stop_requested to the signal's number and interrupt
 * system calls (no SA_RESTART), so the build or the run stops at its next
 * step and tears down in order; SIGPIPE is ignored (a closed pipe is an EPIPE to report,
 * not a death that leaves the lab behind). Children get the defaults back
 * (proc.c). */
void lab_catch_stop_signals(void);

/* For the core's modules (build.c, dp.c): makes the namespaces NAME of the
 * lab (/run/netns/LAB.NAME and its UTS twin), journaled so that a crash at
 * any point leaves nothing `netlab clean` cannot find, and a name that is
 * already someone else's is refused and never touched. */
int lab_make_namespace(struct lab *lab, const char *name, const char *hostname,
                       netns_inside_fn inside, void *ud, int *net_fd, int *uts_fd, char *err);

/* The same with an existing network namespace (share_net_fd) bound at
 * LAB.NAME too, and a UTS namespace of its own (ovs.h). */
int lab_make_namespace_sharing(struct lab *lab, int share_net_fd, const char *name,
                               const char *hostname, netns_inside_fn inside, void *ud,
                               int *net_fd, int *uts_fd, char *err);

/* For live.c: one node (its namespaces, its kind's objects, the hosts
 * file) or one link (veth pair, parameters, its ends' addresses, routes and
 * VLANs) of a running lab, made as the build makes them. */
int lab_build_node(struct lab *lab, int node, char *err);
int lab_build_link(struct lab *lab, int link, char *err);

/* Runtime changes to a built lab. Up restores what the lab configured on
 * both ends (addresses, gateways, routes, MTU, parameters): the kernel
 * drops routes through a link that goes down. */
int lab_link_set_up(struct lab *lab, int link, bool up, char *err);
/* Carrier loss, as a pulled cable (one end down; lab_link_set_up restores). */
int lab_link_cut(struct lab *lab, int link, char *err);
/* Puts a running lab back to what its file says, without a rebuild: each
 * link in its built state, addresses, gateways, routes, parameters, router
 * forwarding, switch port VLANs. What is missing comes back; what the user
 * added is left alone. */
int lab_reset(struct lab *lab, char *err);
/* The links a running lab has changed since its build (parameters, VLANs,
 * up or down): how many, and the first one named in buf ("link d1-d2"). */
int lab_changed_links(const struct lab *lab, char *buf, size_t len);
/* Records the link's state, parameters and its ends' VLANs as what
 * lab_reset restores (link -1: every link); at build, adoption, live add. */
int lab_note_built(struct lab *lab, int link, char *err);
/* For build.c and lab_reset: one node's addresses, gateways and routes over
 * nl (a socket in the node). restore: present ones, and routes whose way out
 * is still down, are not errors. */
struct nl;
int lab_node_apply_l3(struct lab *lab, struct nl *nl, int node, bool restore, char *err);

#endif
