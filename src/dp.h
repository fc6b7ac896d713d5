/* dp.h — netlab's userspace datapath: the VLAN jobs the kernel cannot do here.
 *
 * When the kernel lacks bridge VLAN filtering or 802.1Q (probe.h), one
 * process per lab (`netlab datapath LAB`, started by dp_start, journaled,
 * never the UI's loop) does that job with the kernel bridge's semantics:
 *  - VLAN-aware switches: switch ports with VLAN settings are not enslaved to
 *    the node's bridge; the datapath opens an AF_PACKET socket on each
 *    (PACKET_AUXDATA, PACKET_VNET_HDR) and switches frames: PVID ingress
 *    tagging, VID filtering, egress untagging, learning per (VID, MAC) with
 *    ageing, flooding only within a VLAN.
 *  - 802.1Q subinterfaces: `eth0.10` is a veth end in the host whose peer the
 *    datapath tags into / untags from eth0.
 * The lab's build calls dp_prepare (interfaces that must exist before
 * addresses are set) and dp_start (after everything else); teardown calls
 * dp_stop. The kernel path (nl_bridge_vlan_*, nl_vlan_add) is used instead
 * wherever the kernel has the feature. */
#ifndef NETLAB_DP_H
#define NETLAB_DP_H
#include <stdbool.h>
#include "err.h"
#include "lab.h"

/* The nftables table (family bridge) of a switch firewall on the kernel path. */
#define DP_FW_TABLE "netlab_fw"

/* Which switches and subinterfaces the datapath takes is plan.h's call. */

/* The datapath's namespace LAB._dp (made, journaled, at the first call;
 * held until teardown: the caller does not close it). */
int dp_netns_fd(struct lab *lab, char *err);
/* A wire's ports in LAB._dp: the peers of link's end a (end 0) and b. */
void dp_wire_peer_name(int link, int end, char *buf, size_t len);
/* A link's parameters as a wire direction's impairments. */
struct dp_impair;
struct link_params;
void dp_impair_from_link(const struct link_params *p, struct dp_impair *d);

/* Creates the userspace subinterfaces (sets their ifindex in the model). */
int dp_prepare(struct lab *lab, char *err);
/* Starts the datapath process; returns once it has opened every port. */
int dp_start(struct lab *lab, char *err);
/* A running lab's change reaches the datapath: its configuration is
 * written again from the model, and the running process takes it over its
 * control socket (/run/netlab/LAB/datapath.sock) without a restart (queued
 * frames keep their departure times; see dp_engine.c); a lab whose datapath
 * is not running and now needs it gets it started. *us (if set): how long
 * the datapath took to apply it (or to start). */
int dp_reload(struct lab *lab, long long *us, char *err);
/* Stops it (SIGTERM, then SIGKILL after 1 s). Safe when not running. */
void dp_stop(struct lab *lab);
/* Lets go of it without stopping it (lab_free). */
void dp_release(struct lab *lab);

/* Supervision. The datapath is this process's child, watched through a
 * pidfd: lab_dp_state notices a death at once (it reaps without blocking)
 * and restarts the datapath, at most DP_RESTART_MAX times within
 * DP_RESTART_WINDOW_S seconds; after that it stays DP_DEAD and says why
 * ("datapath died (signal 9); not restarted: it died 4 times within 60 s").
 * A restart is asynchronous (DP_STARTING until its ports are open), so no
 * caller ever blocks. What a lab experiment makes of it (nlua.c): the
 * experiment during which it died fails with that text, and no check passes
 * while it is not running. */
#define DP_RESTART_MAX 3
#define DP_RESTART_WINDOW_S 60
enum dp_state { DP_NONE, DP_STARTING, DP_RUNNING, DP_DEAD };
struct dp_status {
        enum dp_state state; /* DP_NONE: the lab has no datapath */
        int pid;             /* 0 when not running */
        int deaths;          /* deaths since the build: an experiment compares counts */
        int restarts;
        char why[160]; /* the last death: "datapath died (signal 9)[; ...]", "" if none */
};
void lab_dp_state(struct lab *lab, struct dp_status *st);
/* A descriptor that becomes readable when lab_dp_state may have news (the
 * datapath exited, or a restart is ready); -1 when there is no datapath.
 * For the console's epoll and `netlab run`'s poll; it changes after a
 * restart, so ask again after each lab_dp_state. */
int lab_dp_fd(const struct lab *lab);
const char *dp_state_name(enum dp_state s);
/* For --keep: the running datapath stops watching this process and outlives
 * it (the journal still owns it: `netlab clean` stops it). -1 with the
 * reason when it is not running: the lab cannot forward. */
int dp_detach(struct lab *lab, char *err);
/* A lab taken over (lab_adopt): its datapath's namespace held again, the
 * links that are wires there marked so, and a datapath started when the
 * lab needs one and none runs (it died with the netlab that built it; a
 * kept one is told the model instead). 0 when the lab has none. */
int dp_adopt(struct lab *lab, char *err);

/* Switch firewalls (fw.h, set with fw_set): checks that their rules name
 * ports the switch has, and installs them as an nft bridge table
 * "netlab_fw" in each kernel-path switch's namespace. Userspace switches get
 * theirs through dp_start. Call after the links exist (before dp_start). */
int dp_firewalls_apply(struct lab *lab, char *err);

/* The datapath's configuration (dp_config.h) for this lab: its userspace
 * switches (every port; a port without VLAN settings is PVID 1 untagged, the
 * bridge's default) with their firewalls (fw.h), and one switch per
 * parent of userspace subinterfaces. dp_start writes it to
 * /run/netlab/LAB/datapath.conf. */
struct dp_config;
int dp_config_from_lab(const struct lab *lab, struct dp_config *c, char *err);

/* Installs t as bridge-family table `table` (chain "forward") in the
 * network namespace netns_fd (-1: the current one), in one nfnetlink batch;
 * errors carry the kernel's extack text. (dp_nft.c) */
struct fw_table;
int fw_nft_install(int netns_fd, const char *table, const struct fw_table *t, char *err);

/* Entry point of `netlab datapath LAB` (internal). */
int dp_main(int argc, char **argv);

#endif
