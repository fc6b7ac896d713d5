/* ovs.h — the lab's own Open vSwitch, and its OpenFlow controllers.
 *
 * A lab with switches of class "ovs" (swclass.h) runs a private
 * ovsdb-server and ovs-vswitchd, never the machine's: their database,
 * sockets, pid files and logs live in /run/netlab/LAB/ovs/ (OVS_RUNDIR,
 * OVS_DBDIR and OVS_LOGDIR point there), and both run in the lab's
 * namespace LAB._ovs, so `netlab clean` kills them with the lab's other
 * processes after a kill -9 as after a stop, and two labs never share one.
 * vswitchd opens its ports by name in its own network namespace, so every
 * OVS switch of the lab shares LAB._ovs as its network namespace (each has
 * its own UTS namespace and name), and OVS switch ports are named
 * SWITCH-pN to be unique there. The datapath is the kernel's (openvswitch
 * module) where it is loaded, else OVS's userspace "netdev" datapath.
 *
 * Controllers (lab:controller) are "ref", Open vSwitch's reference learning
 * controller (ovs-testcontroller) run per lab on a Unix socket in the same
 * directory, logging to ovs/NAME.log, or "remote" (tcp:IP:PORT, reached
 * from LAB._ovs). Every OVS switch connects to every controller of the lab,
 * as in Mininet; its fail mode is "secure" (no controller: no new flows) or
 * "standalone" (no controller: a learning switch). */
#ifndef NETLAB_OVS_H
#define NETLAB_OVS_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "err.h"

struct lab;

enum ovs_fail_mode { OVS_FAIL_DEFAULT, OVS_FAIL_SECURE, OVS_FAIL_STANDALONE };
enum ovs_ctl_kind { OVS_CTL_REF, OVS_CTL_REMOTE };

#define OVS_CTL_PORT 6653
#define OVS_CONNECT_WAIT_S 8 /* the build waits for controllers that long at most */

struct ovs_ctl {
        char name[25];
        enum ovs_ctl_kind kind;
        char ip[64]; /* remote */
        int port;    /* remote */
        char where[96];
        bool stopped; /* ref: stopped by ctl:stop() */
};

/* Prerequisites, with the package to install in the message. */
int ovs_check_installed(char *err);
int ovs_check_controller_installed(char *err);
/* True when the kernel's openvswitch module is loaded. */
bool ovs_kernel_datapath(void);
/* "userspace (netdev): no openvswitch kernel module loaded (CONFIG_OPENVSWITCH)" */
void ovs_datapath_text(char *buf, size_t len);

/* Model. */
int ovs_fail_mode_parse(const char *s, int *mode, char *err);
const char *ovs_fail_mode_name(int mode); /* the switch's effective one */
int ovs_add_controller(struct lab *lab, const char *name, enum ovs_ctl_kind kind, const char *ip,
                       int port, const char *where, char *err);
int ovs_find_controller(const struct lab *lab, const char *name);
/* A switch port's automatic name: SWITCH-pN, or oNODE-pN when too long. */
void ovs_port_name(const struct lab *lab, int node, int k, char *buf, size_t len);
/* Whole-lab checks (names unique in LAB._ovs, nothing OVS cannot do here). */
int ovs_validate(const struct lab *lab, int node, char *err);

/* Runtime. ovs_prepare makes LAB._ovs (journaled) and the lab's OVS
 * directory, before the build makes node namespaces (several threads at
 * once). ovs_switch_namespaces makes node's namespaces with LAB._ovs's
 * network namespace. */
int ovs_prepare(struct lab *lab, char *err);
int ovs_switch_namespaces(struct lab *lab, int node, char *err);
/* Starts the daemons (once) and the controllers, then the bridge of node
 * with its ports, fail mode and controllers. */
int ovs_switch_start(struct lab *lab, int node, char *err);
int ovs_switch_stop(struct lab *lab, int node, char *err);
/* A port linked to a running lab's OVS switch (live.h): onto its bridge. */
int ovs_port_add(struct lab *lab, int iface, char *err);
/* Takes iface's port out of its switch's bridge (before its veth goes). */
int ovs_port_del(struct lab *lab, int iface, char *err);
/* Each controller: start or stop (ref), or what it is. */
int ovs_ctl_start(struct lab *lab, int ctl, char *err);
int ovs_ctl_stop(struct lab *lab, int ctl, char *err);
/* "running (pid 123)", "stopped", "remote tcp:10.0.0.9:6653" */
void ovs_ctl_state(struct lab *lab, int ctl, char *buf, size_t len);
/* The target a switch connects to: "unix:/run/netlab/LAB/ovs/c0.sock" (a
 * ref controller's 17th to 32nd switches: c0-1.sock, and so on: Open
 * vSwitch's test controller serves 16 switches); node -1: the first. */
void ovs_ctl_target(const struct lab *lab, int ctl, char *buf, size_t len);
void ovs_ctl_target_for(const struct lab *lab, int ctl, int node, char *buf, size_t len);
/* The lab's OVS directory, /run/netlab/LAB/ovs. */
void ovs_dir(const struct lab *lab, char *buf, size_t len);
void ovs_free(struct lab *lab);

/* What a switch is doing, from any thread (it runs ovs-vsctl and ovs-ofctl
 * against the lab's directory dir: call it off the console's loop). */
struct ovs_status {
        int nctl, nconnected; /* controllers, and how many are connected */
        int nfailed;          /* ... and how many refused or failed (vswitchd retries them) */
        int nflows;           /* OpenFlow flows in its tables; -1 unknown */
        char fail_mode[16];
        char ctl[160]; /* "unix:...c0.sock connected", "tcp:... not connected (Connection refused)" */
};
int ovs_switch_status(const char *dir, const char *bridge, struct ovs_status *st, char *err);
/* The same for n bridges in one ovs-vsctl call (flows: one ovs-ofctl each). */
int ovs_status_all(const char *dir, const char *const *bridges, int n, bool flows,
                   struct ovs_status *st, char *err);
/* After the build: waits (at most timeout_s) for every OVS switch of a lab
 * with controllers to have one connected; warn gets one line for each that
 * has not ("labs/x.lua:3: switch s1: no controller connected after 6 s:
 * tcp:10.0.0.9:6653 not connected (Connection refused); fail mode secure:
 * it forwards nothing meanwhile"), and for a secure switch with no
 * controller at all. The controllers' state reaches Open vSwitch's database
 * within about 5 s. */
void ovs_wait_connected(struct lab *lab, double timeout_s,
                        void (*warn)(void *ud, const char *line), void *ud);

#endif
