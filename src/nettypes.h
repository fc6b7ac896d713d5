/* nettypes.h — the network values the model, the netlink layer and the
 * datapath share: an IP address with its prefix, a link's parameters and a
 * bridge port's VLAN entry. Plain data with no owner, so nl.h and dp need
 * not include the lab model (lab.h) to speak about them. */
#ifndef NETLAB_NETTYPES_H
#define NETLAB_NETTYPES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ipaddr {
        int family; /* AF_INET or AF_INET6; 0 = unset */
        uint8_t a[16];
        uint8_t prefix;
};

/* Parses "10.0.0.1/24", "fd00::1/64"; with want_prefix false a bare
 * address is accepted too (prefix = 32 or 128). */
int ipaddr_parse(const char *s, bool want_prefix, struct ipaddr *out, char *err);
/* "10.0.0.1/24" (with_prefix) or "10.0.0.1". */
void ipaddr_format(const struct ipaddr *ip, bool with_prefix, char *buf, size_t len);
/* True when a and b are in the same prefix (a's prefix length). */
bool ipaddr_same_subnet(const struct ipaddr *a, const struct ipaddr *b);

/* One VLAN membership of a switch port, as the kernel bridge has it:
 * `bridge vlan add dev PORT vid VID [pvid] [untagged]`. */
struct vlan_entry {
        uint16_t vid;  /* 1..4094 */
        bool pvid;     /* untagged ingress is classified into this VID (one per port) */
        bool untagged; /* egress of this VID leaves untagged */
};

struct link_params {
        uint64_t rate_bps;  /* 0 = unlimited */
        uint32_t delay_us;  /* 0 = none */
        uint32_t jitter_us; /* 0 = none */
        uint32_t loss_ppm;  /* parts per million, 0 = none (1% = 10000) */
        int mtu;            /* 0 = default */
        /* netem's other knobs (sch_netem.c semantics on both paths) */
        uint32_t dup_ppm;     /* duplicate, ppm */
        uint32_t corrupt_ppm; /* one flipped bit, ppm of frames */
        uint32_t reorder_ppm; /* sent at once instead of delayed, ppm (needs delay) */
        uint32_t gap;         /* reorder one frame in gap at most; 0 = 1 */
        uint32_t limit;       /* queue, packets; 0 = netem's 1000 */
        uint8_t dist;         /* jitter: 0 uniform, 1 normal, 2 pareto, 3 paretonormal */
        /* Gilbert-Elliott loss (netem's gemodel) in place of loss_ppm, when ge is set; ppm:
         * good->bad and bad->good per frame, a frame delivered in the bad / the good state */
        bool ge;
        uint32_t ge_p, ge_r, ge_h, ge_k;
        /* netem's correlations (get_crandom), ppm: each draw leans on the last */
        uint32_t delay_corr, loss_corr, dup_corr, corrupt_corr, reorder_corr;
};

/* True when a link's parameters ask for netem's work (not just a rate). */
static inline bool link_params_impaired(const struct link_params *p)
{
        return p->delay_us || p->jitter_us || p->loss_ppm || p->dup_ppm || p->corrupt_ppm ||
               p->reorder_ppm || p->ge;
}

#endif
