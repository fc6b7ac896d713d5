/* plan.h — which path each job of a lab takes: the kernel, or netlab's
 * userspace datapath, decided in one place from the probed features.
 *
 * A job is something a lab asks of the network (a VLAN-aware switch, an
 * 802.1Q subinterface, delay/jitter/loss on a link, a rate limit). Each job
 * has one row in plan.c's table: the kernel feature that does it, and the
 * fallback where the kernel lacks it (the userspace datapath, or nothing:
 * then the lab is refused with the kernel option to enable). The build
 * (build.c), the datapath's configuration (dp.c) and `netlab doctor [LAB]`
 * all read the plan from here, so what doctor prints is what a build does. */
#ifndef NETLAB_PLAN_H
#define NETLAB_PLAN_H
#include <stdbool.h>
#include <stdio.h>
#include "err.h"
#include "probe.h"

struct lab;

enum plan_job { PLAN_VLAN_SWITCH, PLAN_SUBIF, PLAN_IMPAIR, PLAN_RATE, PLAN_NJOBS };
enum plan_path {
        PLAN_UNAVAILABLE, /* neither the kernel nor the datapath: the lab is refused */
        PLAN_KERNEL,
        PLAN_USER, /* the userspace datapath */
};

/* The path of a job on a kernel with features f. */
enum plan_path plan_job_path(const struct features *f, enum plan_job job);
/* "VLAN-aware switch", ... */
const char *plan_job_name(enum plan_job job);
/* How the job is done on f: "kernel (bridge vlan_filtering)", "userspace
 * datapath (AF_PACKET ports)", "unavailable (CONFIG_NET_SCH_NETEM)". */
void plan_job_text(const struct features *f, enum plan_job job, char *buf, size_t len);

/* Per object of a lab whose features are probed (lab->feat). */
bool plan_switch_in_userspace(const struct lab *lab, int node);
bool plan_subif_in_userspace(const struct lab *lab);
/* True when link's impairments are carried by a datapath wire (its two
 * ends then meet in LAB._dp; the wire does its rate too). A link built as
 * a wire stays one while the lab runs, even when its impairments are
 * cleared (link->wired). */
bool plan_link_on_wire(const struct lab *lab, int link);
/* True when the lab needs its datapath process at all. */
bool plan_needs_datapath(const struct lab *lab);

/* Refuses, before anything exists, a job this kernel cannot do by any path
 * (message: the link's file:line, the kernel option, the fix). */
int plan_check(const struct lab *lab, char *err);

/* The plan as text: without a lab, one line per job (its path on a kernel
 * with features f); with a lab, one line per object that has a job, on the
 * lab's features (lab->feat, which the caller probes; f is then unused). */
void plan_print(const struct lab *lab, const struct features *f, FILE *out);

#endif
