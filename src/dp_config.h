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
 * VID[p][u],... ("p" PVID, "u" egress untagged), "-" for none. */
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

struct dp_config {
        unsigned ageing_s; /* learning table ageing, 300 by default */
        struct dp_switch_conf *sw;
        int nsw;
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
/* Checks ports are unique and rules name existing ports. */
int dp_config_validate(const struct dp_config *c, char *err);

int dp_config_write(const struct dp_config *c, FILE *f);
/* Writes atomically (temp file + rename). */
int dp_config_save(const struct dp_config *c, const char *path, char *err);
int dp_config_load(struct dp_config *c, const char *path, char *err);
/* The same from an open stream; path names it in messages ("PATH:LINE: ..."). */
int dp_config_read(struct dp_config *c, FILE *f, const char *path, char *err);

#endif
