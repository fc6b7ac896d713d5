/* fw.h — a switch firewall that matches bridge ports (experiment 6): part of
 * the lab model, applied by either datapath.
 *
 * A table is an ordered list of rules; the first rule that matches a frame
 * decides, and the table's policy decides when none does. A rule matches
 * on the ingress port, the egress port (sets of switch port names; empty
 * means any), the EtherType of the frame (after its 802.1Q tag, so "ARP" is
 * ARP whether it travels tagged or not) and its VID. This is what an nft
 * bridge-family table in the switch's namespace expresses as
 *     chain forward { type filter hook forward priority 0; policy accept;
 *         iifname { "p1", "p2" } oifname { "p4", "p5" } ether type arp accept
 *         iifname { "p1", "p2" } oifname { "p4", "p5" } drop }
 * and it is applied in both datapaths: by the kernel bridge (an nft table,
 * below; fw_nft_script renders it as nft text) and by the userspace datapath
 * (fw_match, called for each (ingress, egress) pair of a frame).
 * dp.h's fw_nft_install (dp_nft.c) puts the table into a namespace over
 * nfnetlink.
 *
 * "Drop frames from ports {p1,p2} to ports {p4,p5} except ARP" is two rules:
 *     { in = {p1,p2}, out = {p4,p5}, ethertype = 0x0806, action = FW_ACCEPT }
 *     { in = {p1,p2}, out = {p4,p5}, action = FW_DROP } */
#ifndef NETLAB_FW_H
#define NETLAB_FW_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "err.h"

#define FW_PORTS_MAX 32
#define FW_IFNAME_LEN 16

enum fw_action { FW_ACCEPT, FW_DROP };

struct fw_rule {
        char in[FW_PORTS_MAX][FW_IFNAME_LEN]; /* ingress ports; nin == 0: any */
        int nin;
        char out[FW_PORTS_MAX][FW_IFNAME_LEN]; /* egress ports; nout == 0: any */
        int nout;
        uint16_t ethertype; /* 0: any */
        bool not_ethertype; /* match every EtherType except ethertype */
        uint16_t vid;       /* 0: any */
        enum fw_action action;
};

struct fw_table {
        struct fw_rule *rules;
        int n, cap;
        enum fw_action policy; /* FW_ACCEPT by default (zeroed table) */
};

/* Appends a copy of r (validated: port names, set sizes). */
int fw_add(struct fw_table *t, const struct fw_rule *r, char *err);
/* Adds a port name to a rule's in (is_out false) or out set. */
int fw_rule_port(struct fw_rule *r, bool is_out, const char *ifname, char *err);
void fw_free(struct fw_table *t);
int fw_copy(struct fw_table *dst, const struct fw_table *src, char *err);

/* Parses "arp", "ipv4", "ipv6", "0x88cc" into an EtherType. */
int fw_ethertype_parse(const char *s, uint16_t *out, char *err);

/* The verdict for a frame of ethertype/vid going from port in to port out
 * (port names). */
enum fw_action fw_match(const struct fw_table *t, const char *in, const char *out,
                        uint16_t ethertype, uint16_t vid);

/* One rule as a line of text (the datapath config's form, read back by
 * fw_rule_parse): "drop in=p1,p2 out=p4,p5 type=!arp vid=10". */
int fw_rule_format(const struct fw_rule *r, char *buf, size_t len);
int fw_rule_parse(const char *line, struct fw_rule *r, char *err);

/* The nft script for the kernel path: a bridge-family table named table
 * with a forward chain holding the rules, for `nft -f` in the switch's
 * namespace. Returns the length written (truncated like snprintf). */
int fw_nft_script(const struct fw_table *t, const char *table, char *buf, size_t len);

/* A switch's firewall (kept in its struct node; lab_free frees it).
 * fw_for returns NULL when the switch has none. */
struct lab;
int fw_set(struct lab *lab, int node, const struct fw_table *t, char *err);
const struct fw_table *fw_for(const struct lab *lab, int node);

#endif
