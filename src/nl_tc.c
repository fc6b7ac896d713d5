/* nl_tc.c — link parameters as qdiscs: tbf for a rate, netem for delay,
 * jitter and loss (with tbf as its child 1:1 when both are asked for).
 *
 * Times go to the kernel in psched ticks (read from /proc/net/psched, as tc
 * does) and, where the kernel has them, as 64-bit nanosecond attributes
 * too. A kernel without the qdisc answers ENOENT ("Specified qdisc kind is
 * unknown"); that becomes EOPNOTSUPP with a message naming the option.
 * Without tbf, a rate is made with htb (one class, rate = ceil). */
#include "nl_int.h"
#include "distrib.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/pkt_sched.h>

#define TBF_LATENCY_US 50000u

/* psched ticks per microsecond (15.625 on current kernels). */
static double tick_per_us(void)
{
        static double t;
        if (t > 0)
                return t;
        unsigned t2us = 0, us2t = 0, clock_res = 0, hz = 0;
        FILE *f = fopen("/proc/net/psched", "re");
        if (f) {
                if (fscanf(f, "%08x%08x%08x%08x", &t2us, &us2t, &clock_res, &hz) != 4)
                        t2us = 0;
                fclose(f);
        }
        if (t2us && us2t && clock_res) {
                if (clock_res == 1000000000u) /* ns clock: as tc's tc_core_init */
                        t2us = us2t;
                t = (double)t2us / us2t * ((double)clock_res / 1000000.0);
        } else {
                t = 15.625;
        }
        return t;
}

static uint32_t us2tick(double us)
{
        double t = us * tick_per_us();
        return t > 4294967295.0 ? 0xffffffffu : (uint32_t)t;
}

static int qdisc_fail(struct nl *nl, const char *kind, const char *config, const char *label,
                      char *err)
{
        if (errno == ENOENT || (errno == EINVAL && strstr(nl->s.extack, "unknown"))) {
                errno = EOPNOTSUPP;
                return errf(err, "Cannot add %s qdisc on \"%s\": kernel has no %s (%s)", kind,
                            label, kind, config);
        }
        return errf_sys(err, nl->s.extack, "Cannot add %s qdisc on \"%s\"", kind, label);
}

static struct nlmsghdr *qdisc_req(struct nl *nl, uint16_t type, uint16_t flags, int ifindex,
                                  uint32_t parent, uint32_t handle)
{
        struct nlmsghdr *nlh = nl_req(nl, type, flags | NLM_F_ACK);
        struct tcmsg *tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
        tcm->tcm_family = AF_UNSPEC;
        tcm->tcm_ifindex = ifindex;
        tcm->tcm_parent = parent;
        tcm->tcm_handle = handle;
        return nlh;
}

/* TCA_OPTIONS as a plain attribute header (no NLA_F_NESTED): netem's options
 * start with a struct, and tc sends them this way. */
static struct nlattr *opts_start(struct nlmsghdr *nlh, const void *head, size_t len)
{
        struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);
        mnl_attr_put(nlh, TCA_OPTIONS, len, head);
        return a;
}

static void opts_end(struct nlmsghdr *nlh, struct nlattr *a)
{
        a->nla_len = (uint16_t)((char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)a);
}

static int add_tbf(struct nl *nl, int ifindex, uint32_t parent, uint32_t handle, const char *label,
                   const struct link_params *p, char *err)
{
        uint64_t rate = p->rate_bps / 8; /* bytes per second */
        if (rate == 0)
                rate = 1;
        int mtu = p->mtu > 0 ? p->mtu : 1500;
        /* Burst: 4 ms of traffic (one jiffy at HZ=250), at least two full frames. */
        uint64_t burst = rate / 250;
        uint64_t minburst = 2 * (uint64_t)(mtu + 14) + 64;
        if (burst < minburst)
                burst = minburst;
        if (burst > 0x3fffffff)
                burst = 0x3fffffff;
        uint64_t limit = rate * TBF_LATENCY_US / 1000000 + burst;
        if (limit > 0xffffffffu)
                limit = 0xffffffffu;

        struct tc_tbf_qopt q;
        memset(&q, 0, sizeof(q));
        q.rate.rate = rate >= (1ull << 32) ? 0xffffffffu : (uint32_t)rate;
        q.rate.linklayer = TC_LINKLAYER_ETHERNET;
        q.rate.mpu = 0;
        q.limit = (uint32_t)limit;
        q.buffer = us2tick((double)burst * 1000000.0 / (double)rate);
        q.mtu = 0;

        struct nlmsghdr *nlh =
            qdisc_req(nl, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, ifindex, parent, handle);
        mnl_attr_put_strz(nlh, TCA_KIND, "tbf");
        struct nlattr *o = opts_start(nlh, NULL, 0);
        mnl_attr_put(nlh, TCA_TBF_PARMS, sizeof(q), &q);
        if (rate >= (1ull << 32))
                mnl_attr_put_u64(nlh, TCA_TBF_RATE64, rate);
        mnl_attr_put_u32(nlh, TCA_TBF_BURST, (uint32_t)burst);
        opts_end(nlh, o);
        if (nl_talk(nl, NULL, NULL) < 0)
                return qdisc_fail(nl, "tbf", "CONFIG_NET_SCH_TBF", label, err);
        return 0;
}

static uint32_t ppm_scale(uint32_t ppm)
{
        if (ppm >= 1000000)
                return 0xffffffffu;
        return (uint32_t)((double)ppm / 1000000.0 * 4294967295.0 + 0.5);
}

/* netem's distribution tables, as iproute2's maketable makes them: the
 * inverse CDF at (i + 0.5) / size, scaled by NETEM_DIST_SCALE (the mean 0,
 * standard deviation 1 form that tabledist expects). */
#define NETEM_TABLE_SIZE 4096
#define NETEM_DIST_SCALE 8192
static void netem_dist_table(uint8_t dist, int16_t *t)
{
        for (int i = 0; i < NETEM_TABLE_SIZE; i++) {
                double u = (i + 0.5) / NETEM_TABLE_SIZE;
                double x = dist_inverse(dist, u, (i * 2654435761u % NETEM_TABLE_SIZE + 0.5) /
                                                    NETEM_TABLE_SIZE);
                x *= NETEM_DIST_SCALE;
                t[i] = (int16_t)(x > 32767 ? 32767 : x < -32768 ? -32768 : x);
        }
}

static int add_netem(struct nl *nl, int ifindex, const char *label, const struct link_params *p,
                     char *err)
{
        struct tc_netem_qopt q;
        memset(&q, 0, sizeof(q));
        q.latency = us2tick(p->delay_us);
        q.jitter = us2tick(p->jitter_us);
        q.limit = p->limit ? p->limit : 1000;
        q.loss = ppm_scale(p->loss_ppm);
        q.duplicate = ppm_scale(p->dup_ppm);
        q.gap = p->reorder_ppm && !p->gap ? 1 : p->gap; /* as tc: reorder without gap is gap 1 */

        struct nlmsghdr *nlh = qdisc_req(nl, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, ifindex,
                                         TC_H_ROOT, TC_H_MAKE(1u << 16, 0));
        mnl_attr_put_strz(nlh, TCA_KIND, "netem");
        struct nlattr *o = opts_start(nlh, &q, sizeof(q));
        if (p->delay_us)
                mnl_attr_put_u64(nlh, TCA_NETEM_LATENCY64, (uint64_t)p->delay_us * 1000);
        if (p->jitter_us)
                mnl_attr_put_u64(nlh, TCA_NETEM_JITTER64, (uint64_t)p->jitter_us * 1000);
        if (p->delay_corr || p->loss_corr || p->dup_corr) {
                struct tc_netem_corr c = {ppm_scale(p->delay_corr), ppm_scale(p->loss_corr),
                                          ppm_scale(p->dup_corr)};
                mnl_attr_put(nlh, TCA_NETEM_CORR, sizeof(c), &c);
        }
        if (p->reorder_ppm) {
                struct tc_netem_reorder r = {ppm_scale(p->reorder_ppm), ppm_scale(p->reorder_corr)};
                mnl_attr_put(nlh, TCA_NETEM_REORDER, sizeof(r), &r);
        }
        if (p->corrupt_ppm) {
                struct tc_netem_corrupt c = {ppm_scale(p->corrupt_ppm), ppm_scale(p->corrupt_corr)};
                mnl_attr_put(nlh, TCA_NETEM_CORRUPT, sizeof(c), &c);
        }
        if (p->ge) { /* tc's `loss gemodel p r 1-h 1-k`: the kernel's a3 is the
                      * delivery chance in the bad state, k1 the loss chance in the good one */
                struct tc_netem_gemodel ge = {ppm_scale(p->ge_p), ppm_scale(p->ge_r),
                                              ppm_scale(p->ge_h),
                                              ppm_scale(1000000 - (p->ge_k > 1000000 ? 1000000 : p->ge_k))};
                struct nlattr *l = mnl_attr_nest_start(nlh, TCA_NETEM_LOSS);
                mnl_attr_put(nlh, NETEM_LOSS_GE, sizeof(ge), &ge);
                mnl_attr_nest_end(nlh, l);
        }
        if (p->jitter_us && p->dist) {
                static int16_t table[NETEM_TABLE_SIZE];
                netem_dist_table(p->dist, table);
                mnl_attr_put(nlh, TCA_NETEM_DELAY_DIST, sizeof(table), table);
        }
        opts_end(nlh, o);
        if (nl_talk(nl, NULL, NULL) < 0)
                return qdisc_fail(nl, "netem", "CONFIG_NET_SCH_NETEM", label, err);
        return 0;
}

/* The same rate with htb, for kernels without tbf: an htb qdisc (default
 * class 1) and its one class carrying rate = ceil. */
static int add_htb(struct nl *nl, int ifindex, uint32_t parent, uint32_t handle, const char *label,
                   const struct link_params *p, char *err)
{
        struct tc_htb_glob g;
        memset(&g, 0, sizeof(g));
        g.version = 3;
        g.rate2quantum = 10;
        g.defcls = 1;
        struct nlmsghdr *nlh =
            qdisc_req(nl, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, ifindex, parent, handle);
        mnl_attr_put_strz(nlh, TCA_KIND, "htb");
        struct nlattr *o = opts_start(nlh, NULL, 0);
        mnl_attr_put(nlh, TCA_HTB_INIT, sizeof(g), &g);
        opts_end(nlh, o);
        if (nl_talk(nl, NULL, NULL) < 0)
                return qdisc_fail(nl, "htb", "CONFIG_NET_SCH_HTB", label, err);

        uint64_t rate = p->rate_bps / 8 ? p->rate_bps / 8 : 1;
        int mtu = p->mtu > 0 ? p->mtu : 1500;
        uint64_t burst = rate / 250 > (uint64_t)mtu + 14 ? rate / 250 : (uint64_t)mtu + 14;
        struct tc_htb_opt h;
        memset(&h, 0, sizeof(h));
        h.rate.rate = h.ceil.rate = rate >= (1ull << 32) ? 0xffffffffu : (uint32_t)rate;
        h.rate.linklayer = h.ceil.linklayer = TC_LINKLAYER_ETHERNET;
        h.buffer = h.cbuffer = us2tick((double)burst * 1000000.0 / (double)rate);
        nlh = qdisc_req(nl, RTM_NEWTCLASS, NLM_F_CREATE | NLM_F_EXCL, ifindex, handle, handle | 1);
        mnl_attr_put_strz(nlh, TCA_KIND, "htb");
        o = opts_start(nlh, NULL, 0);
        mnl_attr_put(nlh, TCA_HTB_PARMS, sizeof(h), &h);
        if (rate >= (1ull << 32)) {
                mnl_attr_put_u64(nlh, TCA_HTB_RATE64, rate);
                mnl_attr_put_u64(nlh, TCA_HTB_CEIL64, rate);
        }
        opts_end(nlh, o);
        if (nl_talk(nl, NULL, NULL) < 0)
                return errf_sys(err, nl->s.extack, "Cannot add htb class on \"%s\"", label);
        return 0;
}

/* The rate part of link params under parent with handle: tbf; with
 * NL_RATE_AUTO, htb (qdisc + class handle|1) when the kernel lacks tbf. */
static int rate_add(struct nl *nl, int ifindex, uint32_t parent, uint32_t handle, const char *label,
                const struct link_params *p, enum nl_rate how, char *err)
{
        if (how == NL_RATE_HTB)
                return add_htb(nl, ifindex, parent, handle, label, p, err);
        if (add_tbf(nl, ifindex, parent, handle, label, p, err) == 0)
                return 0;
        if (errno != EOPNOTSUPP || how == NL_RATE_TBF)
                return -1;
        char tbf_err[ERRLEN] = "";
        if (err)
                memcpy(tbf_err, err, ERRLEN);
        if (add_htb(nl, ifindex, parent, handle, label, p, err) == 0)
                return 0;
        if (errno == EOPNOTSUPP && err) /* neither: name tbf, the one we prefer */
                memcpy(err, tbf_err, ERRLEN);
        errno = EOPNOTSUPP;
        return -1;
}

int nl_link_params_apply_with(struct nl *nl, int ifindex, const char *label,
                              const struct link_params *p, enum nl_rate how, char *err)
{
        char lbuf[64];
        if (!label)
                label = nl_dev(nl, ifindex, lbuf, sizeof(lbuf));
        /* Start from the device's default: remove whatever root qdisc we set
         * before (ENOENT/EINVAL: there was none). */
        qdisc_req(nl, RTM_DELQDISC, 0, ifindex, TC_H_ROOT, 0);
        if (nl_talk(nl, NULL, NULL) < 0 && errno != ENOENT && errno != EINVAL)
                return errf_sys(err, nl->s.extack, "Cannot delete root qdisc on \"%s\"", label);
        bool impair = link_params_impaired(p);
        if (impair) {
                if (add_netem(nl, ifindex, label, p, err) < 0)
                        return -1;
                if (p->rate_bps)
                        return rate_add(nl, ifindex, TC_H_MAKE(1u << 16, 1),
                                        TC_H_MAKE(10u << 16, 0), label, p, how, err);
                return 0;
        }
        if (p->rate_bps)
                return rate_add(nl, ifindex, TC_H_ROOT, TC_H_MAKE(1u << 16, 0), label, p, how,
                                err);
        return 0;
}

int nl_link_params_apply(struct nl *nl, int ifindex, const char *label, const struct link_params *p,
                         char *err)
{
        return nl_link_params_apply_with(nl, ifindex, label, p, NL_RATE_AUTO, err);
}
