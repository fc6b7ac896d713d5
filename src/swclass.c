/* swclass.c — the switch classes' table (swclass.h), and the two classes
 * made of what netlab had before classes: "bridge" (the kernel bridge that
 * kind_switch.c creates) and "user" (the userspace datapath, dp.h). The
 * "ovs" class is kind_ovs.c's. */
#include "swclass.h"
#include "dp.h"
#include "kind.h"
#include "lab.h"
#include "ovs.h"
#include "plan.h"
#include "probe.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int bridge_setup(const struct lab *lab, int node, char *err)
{
        if (!lab_switch_uses_vlan(lab, node))
                return 0;
        static struct features probed; /* before the build probes the lab's */
        char e[ERRLEN];
        const struct features *f = lab->feat.probed ? &lab->feat : &probed;
        if (!f->probed && probe_features(&probed, e) < 0)
                return 0; /* the build's own probe reports it */
        if (!f->bridge_vlan) {
                errno = EOPNOTSUPP;
                return errf(err,
                            "switch \"%s\" of class bridge has VLAN ports, and this kernel's "
                            "bridge has no VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING): use "
                            "class \"user\" (netlab's userspace datapath) or no class",
                            lab->nodes[node].name);
        }
        return 0;
}

static int bridge_ready(struct lab *lab, int node, char *state, size_t len)
{
        (void)lab, (void)node;
        snprintf(state, len, "kernel bridge, forwarding");
        return 1;
}

/* `dpctl` on a bridge: its forwarding database and VLANs, in the switch.
 * The console runs it on the host (bridge -n LAB.NODE), switch:dpctl in the
 * switch itself, where /run/netns holds no namespace (a node is entered
 * from its lab's base, nodefs.h): there, `-n` fails and the switch's own
 * namespace is the one. */
static int bridge_dpctl(struct lab *lab, int node, const char *cmd, char *sh, size_t len,
                        char *err)
{
        (void)cmd, (void)err;
        const char *br = lab->nodes[node].kind->own_ifname(lab, node);
        const struct node *n = &lab->nodes[node];
        snprintf(sh, len,
                 "echo '*** %s: bridge fdb (learned)'; { bridge -n %s fdb show br %s 2>/dev/null "
                 "|| bridge fdb show br %s; } | grep -v permanent; echo '*** %s: bridge vlan'; "
                 "bridge -n %s vlan show 2>/dev/null || bridge vlan show",
                 n->name, n->netns_name, br, br, n->name, n->netns_name);
        return 0;
}

static int user_ready(struct lab *lab, int node, char *state, size_t len)
{
        (void)node;
        struct dp_status st;
        lab_dp_state(lab, &st);
        snprintf(state, len, "userspace datapath %s%s%s", dp_state_name(st.state),
                 st.why[0] ? ": " : "", st.why);
        return st.state == DP_RUNNING;
}

/* `dpctl` on the userspace datapath: its ports and table as it reports
 * them (datapath.stats, rewritten by the datapath each second). */
static int user_dpctl(struct lab *lab, int node, const char *cmd, char *sh, size_t len,
                      char *err)
{
        (void)cmd, (void)err;
        snprintf(sh, len,
                 "echo '*** %s: userspace datapath (ports: rx tx drops; fdb: learned entries)'; "
                 "grep '^%s ' %s/datapath.stats || echo '(the datapath has not reported yet)'",
                 lab->nodes[node].name, lab->nodes[node].name, lab->rundir);
        return 0;
}

static const struct switch_class swclass_bridge = {
    .name = "bridge",
    .what = "Linux bridge (kernel)",
    .setup = bridge_setup,
    .ready = bridge_ready,
    .dpctl = bridge_dpctl,
};

static const struct switch_class swclass_user = {
    .name = "user",
    .what = "netlab's userspace datapath",
    .ready = user_ready,
    .dpctl = user_dpctl,
};

/* No class: a kernel bridge, the datapath's where the kernel lacks what
 * it asks for (plan.h); each question goes to the path it takes. */
static int auto_ready(struct lab *lab, int node, char *state, size_t len)
{
        return plan_switch_in_userspace(lab, node) ? user_ready(lab, node, state, len)
                                                   : bridge_ready(lab, node, state, len);
}

static int auto_dpctl(struct lab *lab, int node, const char *cmd, char *sh, size_t len,
                      char *err)
{
        return plan_switch_in_userspace(lab, node) ? user_dpctl(lab, node, cmd, sh, len, err)
                                                   : bridge_dpctl(lab, node, cmd, sh, len, err);
}

static const struct switch_class swclass_auto = {
    .name = "bridge",
    .what = "Linux bridge (kernel), the userspace datapath where the kernel lacks a feature",
    .ready = auto_ready,
    .dpctl = auto_dpctl,
};

static const struct switch_class *const classes[SWCLASS_N] = {
    [SWCLASS_AUTO] = &swclass_auto,
    [SWCLASS_BRIDGE] = &swclass_bridge,
    [SWCLASS_USER] = &swclass_user,
    [SWCLASS_OVS] = &swclass_ovs,
};

const struct switch_class *swclass_get(int id)
{
        return id >= 0 && id < SWCLASS_N ? classes[id] : classes[SWCLASS_AUTO];
}

int swclass_parse(const char *name, char *err)
{
        for (int i = SWCLASS_BRIDGE; i < SWCLASS_N; i++)
                if (!strcmp(classes[i]->name, name))
                        return i;
        errno = EINVAL;
        return errf(err, "unknown switch class \"%s\" (expected bridge, user or ovs)", name);
}

int swclass_of(const struct lab *lab, int node)
{
        if (node < 0 || node >= lab->nnodes || !(lab->nodes[node].kind->flags & KIND_BRIDGE))
                return SWCLASS_AUTO;
        return lab->nodes[node].swclass;
}

bool swclass_kernel_bridge(const struct lab *lab, int node)
{
        if (!lab_node_has(lab, node, KIND_BRIDGE) || swclass_of(lab, node) == SWCLASS_OVS)
                return false;
        return !plan_switch_in_userspace(lab, node);
}

bool swclass_lab_has(const struct lab *lab, int id)
{
        for (int i = 0; i < lab->nnodes; i++)
                if (lab_node_live(lab, i) && lab_node_has(lab, i, KIND_BRIDGE) &&
                    swclass_of(lab, i) == id)
                        return true;
        return false;
}

void swclass_describe(const struct lab *lab, int node, char *buf, size_t len)
{
        int id = swclass_of(lab, node);
        if (id == SWCLASS_OVS) {
                char dp[160];
                ovs_datapath_text(dp, sizeof(dp));
                snprintf(buf, len, "ovs: Open vSwitch of the lab's own (fail mode %s), %s",
                         ovs_fail_mode_name(lab->nodes[node].fail_mode), dp);
                return;
        }
        const struct switch_class *c = swclass_get(id);
        snprintf(buf, len, "%s: %s", c->name, c->what);
}
