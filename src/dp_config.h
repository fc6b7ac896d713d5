/* dp_config.h — what the userspace datapath switches, as plain data.
 *
 * dp_start fills it from the lab model and writes it to
 * /run/netlab/LAB/datapath.conf; the datapath process (`netlab datapath LAB`)
 * reads it back, so the engine never needs the lab model. The engine knows
 * one thing only: VLAN-aware switches whose ports are (namespace, ifname,
 * VLAN entries). A subinterface is such a switch too: its ports are the
 * host's parent (`eth0`, VID tagged) and the peer of `eth0.10` in the lab's
 * datapath namespace (the same VID, PVID + untagged); all subinterfaces of
 * one parent share one switch.
 *
 * Text form, one item a line, '#' comments:
 *     ageing 300
 *     switch s1
 *     port /run/netns/lab.s1 p1 10pu,20
 *     fw drop in=p1,p2 out=p4 type=!arp
 *     fwpolicy accept
 * A port's namespace "-" means the datapath's own; its VLAN list is
 * VID[p][u],... ("p" PVID, "u" egress untagged), "-" for none.
 *
 * A wire is a link the datapath carries between two ports, frame for frame,
 * with netem's impairments in each direction ("ab": from the first port to
 * the second):
 *     wire l3 /run/netns/lab._dp w3a /run/netns/lab._dp w3b
 *     impair ab delay=20000 jitter=2000 dist=normal loss=10000 limit=1000
 * Times in microseconds, probabilities in parts per million, correlations in
 * ppm too (netem's "25%" is 250000), rate in bit/s; a key left out is 0
 * (none), except limit (1000 packets, netem's default). "ge=1 ge_p= ge_r=
 * ge_h= ge_k=" is Gilbert-Elliott loss in place of "loss" (dp_wire.h). */
#ifndef NETLAB_DP_CONFIG_H
#define NETLAB_DP_CONFIG_H
#include <limits.h>
#include <stdio.h>
#include "fw.h"
#include "err.h"

struct dp_vlan {
        uint16_t vid;
        bool pvid, untagged;
};

struct dp_port_conf {
        char netns[PATH_MAX]; /* "" or "-": the datapath's namespace */
        char ifname[16];
        struct dp_vlan *vlan;
        int nvlan;
};

struct dp_switch_conf {
        char name[64];
        struct dp_port_conf *ports;
        int nports;
        struct fw_table fw;
};

/* One direction of a wire: netem's parameters (sch_netem.c semantics). */
enum dp_dist { DP_DIST_UNIFORM, DP_DIST_NORMAL, DP_DIST_PARETO, DP_DIST_PARETONORMAL };
struct dp_impair {
        uint32_t delay_us, jitter_us, delay_corr; /* corr: ppm */
        enum dp_dist dist;                        /* of the jitter; uniform without a table */
        uint32_t loss_ppm, loss_corr;
        uint32_t dup_ppm, dup_corr;
        uint32_t corrupt_ppm, corrupt_corr;
        uint32_t reorder_ppm, reorder_corr, gap; /* reorder without gap: gap 1, as tc */
        uint32_t limit;                          /* queue, packets; 0 = 1000 */
        uint32_t ge; /* 1: Gilbert-Elliott loss (netem's gemodel) instead of loss_ppm */
        uint32_t ge_p, ge_r, ge_h, ge_k; /* ppm: good->bad, bad->good, delivered in bad, in good */
        uint64_t rate_bps;                       /* 0 = unlimited */
};

struct dp_wire_conf {
        char name[64];
        struct dp_port_conf end[2]; /* no VLAN entries */
        struct dp_impair dir[2];    /* dir[0]: frames from end[0] to end[1] */
};

#define DP_CONFIG_MAX 4096 /* switches, ports of a switch, wires: what a config may hold */

struct dp_config {
        unsigned ageing_s; /* learning table ageing, 300 by default */
        struct dp_switch_conf *sw;
        int nsw;
        struct dp_wire_conf *wire;
        int nwire;
        uint64_t seed; /* the wires' random choices; 0: random ("seed N" in the text) */
};

void dp_config_init(struct dp_config *c);
void dp_config_free(struct dp_config *c);
/* Returns the new switch's index. */
int dp_config_add_switch(struct dp_config *c, const char *name, char *err);
/* Returns the new port's index in switch sw. */
int dp_config_add_port(struct dp_config *c, int sw, const char *netns, const char *ifname,
                       char *err);
/* Adds or replaces a VLAN entry (one PVID per port: a new PVID clears the old). */
int dp_config_port_vlan(struct dp_config *c, int sw, int port, uint16_t vid, bool pvid,
                        bool untagged, char *err);
/* Returns the new wire's index. */
int dp_config_add_wire(struct dp_config *c, const char *name, const char *netns_a,
                       const char *ifname_a, const char *netns_b, const char *ifname_b,
                       char *err);
/* Parses "delay=20000 loss=10000 ..." into *p (keys as in the text form). */
int dp_impair_parse(const char *text, struct dp_impair *p, char *err);
int dp_impair_format(const struct dp_impair *p, char *buf, size_t len);
/* Checks ports are unique and rules name existing ports. */
int dp_config_validate(const struct dp_config *c, char *err);

int dp_config_write(const struct dp_config *c, FILE *f);
/* Writes atomically (temp file + rename). */
int dp_config_save(const struct dp_config *c, const char *path, char *err);
int dp_config_load(struct dp_config *c, const char *path, char *err);
/* The same from an open stream; path names it in messages ("PATH:LINE: ..."). */
int dp_config_read(struct dp_config *c, FILE *f, const char *path, char *err);

#endif
