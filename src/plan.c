/* plan.c — the datapath plan (see plan.h): one table of jobs, and the
 * per-object answers derived from it. */
#include "plan.h"
#include "swclass.h"
#include "lab.h"
#include <errno.h>
#include <string.h>

static bool has_bridge_vlan(const struct features *f)
{
        return f->bridge_vlan;
}

static bool has_8021q(const struct features *f)
{
        return f->vlan8021q;
}

static bool has_netem(const struct features *f)
{
        return f->netem;
}

static bool has_shaper(const struct features *f)
{
        return f->tbf || f->htb;
}

static const struct job_row {
        const char *name;
        bool (*kernel_has)(const struct features *f);
        const char *kernel_how;
        const char *config; /* the kernel option that gives the kernel path */
        enum plan_path fallback;
        const char *user_how; /* the fallback's way, when it is PLAN_USER */
} jobs[PLAN_NJOBS] = {
    [PLAN_VLAN_SWITCH] = {"VLAN-aware switch", has_bridge_vlan, "bridge vlan_filtering",
                          "CONFIG_BRIDGE_VLAN_FILTERING", PLAN_USER, "AF_PACKET ports"},
    [PLAN_SUBIF] = {"802.1Q subinterface", has_8021q, "vlan link", "CONFIG_VLAN_8021Q", PLAN_USER,
                    "a veth tagged by the datapath"},
    [PLAN_IMPAIR] = {"delay, jitter, loss, ...", has_netem, "netem qdisc", "CONFIG_NET_SCH_NETEM",
                     PLAN_USER, "a wire: the link's ends meet in the datapath"},
    [PLAN_RATE] = {"rate limit", has_shaper, "tbf/htb qdisc",
                   "CONFIG_NET_SCH_TBF or CONFIG_NET_SCH_HTB", PLAN_UNAVAILABLE, NULL},
};

enum plan_path plan_job_path(const struct features *f, enum plan_job job)
{
        return jobs[job].kernel_has(f) ? PLAN_KERNEL : jobs[job].fallback;
}

const char *plan_job_name(enum plan_job job)
{
        return jobs[job].name;
}

void plan_job_text(const struct features *f, enum plan_job job, char *buf, size_t len)
{
        const struct job_row *j = &jobs[job];
        switch (plan_job_path(f, job)) {
        case PLAN_KERNEL:
                snprintf(buf, len, "kernel (%s)", j->kernel_how);
                break;
        case PLAN_USER:
                snprintf(buf, len, "userspace datapath (%s; the kernel lacks %s)", j->user_how,
                         j->config);
                break;
        default:
                snprintf(buf, len, "unavailable (the kernel lacks %s)", j->config);
        }
}

bool plan_switch_in_userspace(const struct lab *lab, int node)
{
        if (!lab_node_has(lab, node, KIND_BRIDGE))
                return false;
        /* A switch's class (swclass.h) decides first: "user" is always the
         * datapath's, "bridge" and "ovs" never are. */
        int cls = swclass_of(lab, node);
        if (cls != SWCLASS_AUTO)
                return cls == SWCLASS_USER;
        return lab_switch_uses_vlan(lab, node) &&
               plan_job_path(&lab->feat, PLAN_VLAN_SWITCH) == PLAN_USER;
}

static bool has_subifs(const struct lab *lab)
{
        for (int i = 0; i < lab->nifaces; i++)
                if (lab->ifaces[i].link < 0 && lab_node_live(lab, lab->ifaces[i].node))
                        return true;
        return false;
}

bool plan_subif_in_userspace(const struct lab *lab)
{
        return plan_job_path(&lab->feat, PLAN_SUBIF) == PLAN_USER;
}

static bool link_impaired(const struct link *l)
{
        return link_params_impaired(&l->p) || (l->has_pb && link_params_impaired(&l->pb));
}

static bool link_rate(const struct link *l)
{
        return l->p.rate_bps || (l->has_pb && l->pb.rate_bps);
}

bool plan_link_on_wire(const struct lab *lab, int link)
{
        if (!lab_link_live(lab, link))
                return false;
        const struct link *l = &lab->links[link];
        /* Once a wire, always a wire: a live change never remakes its veths
         * (its queued frames would go), a cleared one passes frames as they come. */
        return l->wired ||
               (link_impaired(l) && plan_job_path(&lab->feat, PLAN_IMPAIR) == PLAN_USER);
}

bool plan_needs_datapath(const struct lab *lab)
{
        for (int i = 0; i < lab->nnodes; i++)
                if (plan_switch_in_userspace(lab, i))
                        return true;
        for (int i = 0; i < lab->nlinks; i++)
                if (plan_link_on_wire(lab, i))
                        return true;
        return plan_subif_in_userspace(lab) && has_subifs(lab);
}

int plan_check(const struct lab *lab, char *err)
{
        const struct features *f = &lab->feat;
        for (int i = 0; i < lab->nlinks; i++) {
                const struct link *l = &lab->links[i];
                if (link_impaired(l) && plan_job_path(f, PLAN_IMPAIR) == PLAN_UNAVAILABLE) {
                        errno = EOPNOTSUPP;
                        return errf(err,
                                    "%s: link delay/jitter/loss needs the kernel's netem qdisc, "
                                    "which this kernel lacks (CONFIG_NET_SCH_NETEM); load it "
                                    "with `modprobe sch_netem` or remove delay/jitter/loss",
                                    l->where);
                }
                for (int e = 0; e < 2; e++) {
                        int node = lab->ifaces[e ? l->b : l->a].node;
                        const struct node *n = &lab->nodes[node];
                        if (!n->stp || swclass_kernel_bridge(lab, node))
                                continue;
                        errno = EOPNOTSUPP;
                        int cls = swclass_of(lab, node);
                        if (cls != SWCLASS_AUTO)
                                return errf(err,
                                            "%s: stp: switch \"%s\" is of class \"%s\": netlab "
                                            "runs STP on kernel bridges only (class \"bridge\")",
                                            n->where, n->name, swclass_get(cls)->name);
                        return errf(err,
                                    "%s: stp: switch \"%s\" has VLANs, which this kernel's "
                                    "bridge cannot filter: it runs on the userspace datapath, "
                                    "which has no STP (drop stp, or its VLANs)",
                                    n->where, n->name);
                }
                if (link_rate(l) && plan_job_path(f, PLAN_RATE) == PLAN_UNAVAILABLE) {
                        errno = EOPNOTSUPP;
                        return errf(err,
                                    "%s: link bandwidth needs the tbf or htb qdisc, which this "
                                    "kernel lacks (CONFIG_NET_SCH_TBF, CONFIG_NET_SCH_HTB)",
                                    l->where);
                }
        }
        return 0;
}

static void row(FILE *out, const char *what, const struct features *f, enum plan_job job)
{
        char how[160];
        plan_job_text(f, job, how, sizeof(how));
        fprintf(out, "  %-32s %-22s %s\n", what, plan_job_name(job), how);
}

void plan_print(const struct lab *lab, const struct features *f, FILE *out)
{
        if (!lab) {
                fprintf(out, "plan (each job a lab may ask for, on this kernel):\n");
                for (int j = 0; j < PLAN_NJOBS; j++) {
                        char how[160];
                        plan_job_text(f, (enum plan_job)j, how, sizeof(how));
                        fprintf(out, "  %-22s %s\n", plan_job_name((enum plan_job)j), how);
                }
                return;
        }
        f = &lab->feat;
        fprintf(out, "plan for lab %s:\n", lab->name);
        int rows = 0;
        char what[160];
        for (int i = 0; i < lab->nnodes; i++) {
                const struct node *n = &lab->nodes[i];
                if (!lab_node_live(lab, i) || !lab_node_has(lab, i, KIND_BRIDGE))
                        continue;
                snprintf(what, sizeof(what), "switch %s", n->name);
                if (swclass_of(lab, i) != SWCLASS_AUTO) {
                        char how[200];
                        swclass_describe(lab, i, how, sizeof(how));
                        fprintf(out, "  %-32s %-22s %s\n", what, "switch class", how);
                        rows++;
                        continue;
                }
                if (!lab_switch_uses_vlan(lab, i))
                        continue;
                row(out, what, f, PLAN_VLAN_SWITCH);
                rows++;
        }
        for (int i = 0; i < lab->nifaces; i++) {
                if (lab->ifaces[i].link >= 0 || !lab_node_live(lab, lab->ifaces[i].node))
                        continue;
                char lbl[64];
                iface_label(lab, i, lbl, sizeof(lbl));
                snprintf(what, sizeof(what), "subinterface %s", lbl);
                row(out, what, f, PLAN_SUBIF);
                rows++;
        }
        for (int i = 0; i < lab->nlinks; i++) {
                const struct link *l = &lab->links[i];
                char a[64], b[64];
                iface_label(lab, l->a, a, sizeof(a));
                iface_label(lab, l->b, b, sizeof(b));
                snprintf(what, sizeof(what), "link %s -- %s", a, b);
                if (link_impaired(l))
                        row(out, what, f, PLAN_IMPAIR);
                if (link_rate(l) && plan_link_on_wire(lab, i))
                        fprintf(out, "  %-32s %-22s %s\n", what, plan_job_name(PLAN_RATE),
                                "userspace datapath (the link's wire paces it)");
                else if (link_rate(l))
                        row(out, what, f, PLAN_RATE);
                rows += link_impaired(l) || link_rate(l);
        }
        if (!rows)
                fprintf(out, "  (nothing beyond veth pairs and plain bridges: all kernel)\n");
        fprintf(out, "  datapath process: %s\n",
                plan_needs_datapath(lab) ? "yes (one for the lab)" : "not needed");
}
