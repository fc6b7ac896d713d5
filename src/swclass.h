/* swclass.h — switch classes: how a switch node (kind_switch.c) switches.
 *
 * Mininet's switch classes (LinuxBridge, OVSSwitch, UserSwitch) each answer
 * five questions; here each class is one table of them:
 *   setup   before anything exists: are its prerequisites here? The
 *           message names the package or kernel option that is missing.
 *   start   its ports exist (links built): configure the switch.
 *   ready   Mininet's connected(): forwarding (a bridge, the datapath) or
 *           its OpenFlow controllers connected (OVS). 1 ready, 0 not yet,
 *           with the switch's state in words either way.
 *   stop    before the lab's namespaces close.
 *   dpctl   the class's own inspection command, as a shell command line
 *           the caller runs on the host (never on the console's loop);
 *           only an OpenFlow class (openflow) takes ovs-ofctl's commands
 *           that change the switch (add-flow, del-flows, mod-port...).
 * The classes are "bridge" (the kernel bridge; refused where the kernel
 * lacks what the switch asks for), "user" (netlab's userspace datapath,
 * dp.h) and "ovs" (Open vSwitch run by the lab itself, ovs.h). A switch of
 * no class (SWCLASS_AUTO) is a kernel bridge whose VLAN job the datapath
 * takes where the kernel cannot (plan.h): netlab's behaviour before classes. */
#ifndef NETLAB_SWCLASS_H
#define NETLAB_SWCLASS_H
#include <stdbool.h>
#include <stddef.h>
#include "err.h"

struct lab;
struct kind_ctx;

enum swclass_id { SWCLASS_AUTO, SWCLASS_BRIDGE, SWCLASS_USER, SWCLASS_OVS, SWCLASS_N };

struct switch_class {
        const char *name; /* "bridge", "user", "ovs" */
        const char *what; /* "Linux bridge (kernel)" */
        bool openflow;    /* dpctl runs ovs-ofctl: any of its commands */
        int (*setup)(const struct lab *lab, int node, char *err);
        int (*start)(struct kind_ctx *c, char *err);
        int (*ready)(struct lab *lab, int node, char *state, size_t len);
        int (*stop)(struct lab *lab, int node, char *err);
        int (*dpctl)(struct lab *lab, int node, const char *cmd, char *sh, size_t len,
                     char *err);
};

/* The class of id (SWCLASS_AUTO reads as "bridge" with the fallback). */
const struct switch_class *swclass_get(int id);
/* "bridge" → SWCLASS_BRIDGE; -1 with err listing the classes. */
int swclass_parse(const char *name, char *err);
/* The class of a switch node (its own, resolved). */
int swclass_of(const struct lab *lab, int node);
/* True when node is a switch whose ports are enslaved to a kernel bridge
 * of its namespace (auto or bridge class, not taken by the datapath). */
bool swclass_kernel_bridge(const struct lab *lab, int node);
/* How node's class switches on this machine, for `netlab doctor LAB`:
 * "ovs: Open vSwitch of the lab's own, userspace (netdev) datapath". */
void swclass_describe(const struct lab *lab, int node, char *buf, size_t len);
/* True when the lab has a switch of class id. */
bool swclass_lab_has(const struct lab *lab, int id);

extern const struct switch_class swclass_ovs; /* kind_ovs.c */

#endif
