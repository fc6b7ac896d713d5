/* kind_ovs.c — the "ovs" switch class (swclass.h): a bridge of the lab's
 * own Open vSwitch (ovs.h), connected to the lab's OpenFlow controllers. */
#include "swclass.h"
#include "kind.h"
#include "lab.h"
#include "ovs.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int ovs_setup(const struct lab *lab, int node, char *err)
{
        return ovs_validate(lab, node, err);
}

static int ovs_start(struct kind_ctx *c, char *err)
{
        return ovs_switch_start(c->lab, c->node, err);
}

/* Mininet's OVSSwitch.connected(): a controller is connected, or there is
 * none and the switch is standalone. */
static int ovs_ready(struct lab *lab, int node, char *state, size_t len)
{
        char dir[4200], e[ERRLEN];
        struct ovs_status st;
        ovs_dir(lab, dir, sizeof(dir));
        if (lab->state != LAB_UP) {
                snprintf(state, len, "not running");
                return 0;
        }
        if (ovs_switch_status(dir, lab->nodes[node].name, &st, e) < 0) {
                snprintf(state, len, "%s", e);
                return 0;
        }
        if (!st.nctl) {
                snprintf(state, len, "fail mode %s, no controller, %d flow%s", st.fail_mode,
                         st.nflows, st.nflows == 1 ? "" : "s");
                return strcmp(st.fail_mode, "secure") != 0;
        }
        snprintf(state, len, "fail mode %s, %s, %d flow%s", st.fail_mode, st.ctl, st.nflows,
                 st.nflows == 1 ? "" : "s");
        return st.nconnected > 0;
}

static int ovs_stop(struct lab *lab, int node, char *err)
{
        return ovs_switch_stop(lab, node, err);
}

/* `dpctl CMD [ARGS]` as Mininet's: ovs-ofctl CMD SWITCH ARGS, against the
 * lab's private OVS (OVS_RUNDIR finds SWITCH.mgmt there). */
static int ovs_dpctl(struct lab *lab, int node, const char *cmd, char *sh, size_t len, char *err)
{
        (void)err;
        char dir[4200];
        ovs_dir(lab, dir, sizeof(dir));
        size_t w = strcspn(cmd, " \t");
        const char *rest = cmd + w;
        rest += strspn(rest, " \t");
        snprintf(sh, len, "echo '*** %s ----------------------'; "
                 "OVS_RUNDIR=%s ovs-ofctl %.*s %s %s",
                 lab->nodes[node].name, dir, (int)w, cmd, lab->nodes[node].name, rest);
        return 0;
}

const struct switch_class swclass_ovs = {
    .name = "ovs",
    .what = "Open vSwitch of the lab's own",
    .openflow = true,
    .setup = ovs_setup,
    .start = ovs_start,
    .ready = ovs_ready,
    .stop = ovs_stop,
    .dpctl = ovs_dpctl,
};
