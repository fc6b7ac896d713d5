/* probe.c — which kernel features this machine has, found by trying them.
 *
 * A forked child unshares a fresh network namespace and makes each object
 * for real through nl.c (veth pair, bridge, vlan_filtering, a vlan link,
 * tbf/htb/netem qdiscs), asks nf_tables for its generation over
 * NETLINK_NETFILTER, and tries a user namespace in a grandchild that gave up
 * root. The booleans come back through a pipe; the namespace, and all it
 * held, dies with the child. The answer is cached for the process. */
#include "probe.h"
#include "nl.h"
#include "nlsock.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/pkt_sched.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

static struct features cache;

static int gen_cb(const struct nlmsghdr *h, void *data)
{
        if (h->nlmsg_type == ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWGEN))
                *(bool *)data = true;
        return 0;
}

/* nf_tables answers NFT_MSG_GETGEN with its generation, then the ACK. */
static bool probe_nftables(void)
{
        struct nlsock s;
        if (nlsock_open(&s, NETLINK_NETFILTER, -1, 0, NULL) < 0)
                return false;
        char buf[8192] __attribute__((aligned(8)));
        struct nlbatch b;
        nlbatch_init(&b, buf, sizeof(buf), 1024, nlsock_seq(&s));
        struct nlmsghdr *nlh =
            nlbatch_add(&b, (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETGEN, NLM_F_ACK);
        struct nfgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
        g->nfgen_family = AF_UNSPEC;
        g->version = NFNETLINK_V0;
        bool got_gen = false;
        bool ok = nlsock_talk(&s, &b, buf, sizeof(buf), gen_cb, &got_gen) == 0 && got_gen;
        nlsock_close(&s);
        return ok;
}

static bool probe_userns(void)
{
        FILE *f = fopen("/proc/sys/user/max_user_namespaces", "re");
        long max = 0;
        if (f) {
                if (fscanf(f, "%ld", &max) != 1)
                        max = 0;
                fclose(f);
        }
        if (max <= 0)
                return false;
        pid_t pid = fork();
        if (pid < 0)
                return false;
        if (pid == 0) {
                /* Unprivileged: give up root first. */
                if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
                        _exit(2);
                _exit(unshare(CLONE_NEWUSER) == 0 ? 0 : 1);
        }
        int st;
        while (waitpid(pid, &st, 0) < 0)
                if (errno != EINTR)
                        return false;
        return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Runs in the child, inside its own fresh network namespace. */
static void probe_child(struct features *f)
{
        char err[ERRLEN];
        memset(f, 0, sizeof(*f));
        f->probed = true;
        f->nftables = probe_nftables();
        f->userns = probe_userns();
        struct nl *nl = nl_open(-1, err);
        if (!nl)
                return;
        struct veth_end a = {.name = "pa", .label = "probe:pa", .netns_fd = -1};
        struct veth_end b = {.name = "pb", .label = "probe:pb", .netns_fd = -1};
        int ia = 0, ib = 0;
        f->veth = nl_veth_add(nl, &a, &b, &ia, &ib, err) == 0;
        int br = nl_bridge_add(nl, "pbr", NULL, false, err);
        f->bridge = br > 0;
        if (f->bridge)
                f->bridge_vlan = nl_bridge_vlan_filtering(nl, br, true, err) == 0;
        if (f->veth) {
                f->vlan8021q = nl_vlan_add(nl, ia, "pa.10", 10, NULL, false, err) > 0;
                struct link_params p = {.rate_bps = 10000000};
                f->tbf =
                    nl_link_params_apply_with(nl, ia, "probe:pa", &p, NL_RATE_TBF, err) == 0;
                f->htb =
                    nl_link_params_apply_with(nl, ia, "probe:pa", &p, NL_RATE_HTB, err) == 0;
                struct link_params q = {.delay_us = 1000};
                f->netem = nl_link_params_apply(nl, ib, "probe:pb", &q, err) == 0;
        }
        nl_close(nl);
}

int probe_features(struct features *f, char *err)
{
        if (cache.probed) {
                *f = cache;
                return 0;
        }
        int p[2];
        if (pipe2(p, O_CLOEXEC) < 0)
                return errf_sys(err, NULL, "Cannot probe kernel features: pipe");
        pid_t pid = fork();
        if (pid < 0) {
                int e = errno;
                close(p[0]);
                close(p[1]);
                errno = e;
                return errf_sys(err, NULL, "Cannot probe kernel features: fork");
        }
        if (pid == 0) {
                close(p[0]);
                struct features r;
                memset(&r, 0, sizeof(r));
                if (unshare(CLONE_NEWNET) < 0)
                        _exit(1);
                probe_child(&r);
                ssize_t w = write(p[1], &r, sizeof(r));
                _exit(w == (ssize_t)sizeof(r) ? 0 : 1);
        }
        close(p[1]);
        struct features r;
        memset(&r, 0, sizeof(r));
        size_t got = 0;
        while (got < sizeof(r)) {
                ssize_t n = read(p[0], (char *)&r + got, sizeof(r) - got);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                got += (size_t)n;
        }
        close(p[0]);
        int st = 0;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
                ;
        if (got != sizeof(r) || !r.probed) {
                errno = EPERM;
                if (geteuid() != 0)
                        return errf(err, "Cannot probe kernel features: needs root "
                                         "(a network namespace is made for the probe)");
                errno = EIO;
                return errf(err, "Cannot probe kernel features: the probe process failed");
        }
        cache = r;
        *f = r;
        return 0;
}

int probe_rows(const struct features *f, struct feature_row *rows, int max)
{
        const char *netem_use =
            f->netem ? "kernel" : "userspace datapath (wires)";
        const char *tbf_use = f->tbf   ? "kernel"
                              : f->htb ? "htb"
                                       : "unavailable: labs asking for a rate fail";
        struct feature_row all[] = {
            {"veth pairs", "CONFIG_VETH", f->veth,
             f->veth ? "kernel" : "unavailable: no lab can be built"},
            {"bridge", "CONFIG_BRIDGE", f->bridge,
             f->bridge ? "kernel" : "unavailable: labs with switches fail"},
            {"bridge VLAN filtering", "CONFIG_BRIDGE_VLAN_FILTERING", f->bridge_vlan,
             f->bridge_vlan ? "kernel" : "userspace datapath"},
            {"802.1Q VLAN links", "CONFIG_VLAN_8021Q", f->vlan8021q,
             f->vlan8021q ? "kernel" : "userspace datapath"},
            {"netem qdisc", "CONFIG_NET_SCH_NETEM", f->netem, netem_use},
            {"tbf qdisc", "CONFIG_NET_SCH_TBF", f->tbf, tbf_use},
            {"htb qdisc", "CONFIG_NET_SCH_HTB", f->htb, f->htb ? "kernel" : "not used"},
            {"nftables", "CONFIG_NF_TABLES", f->nftables,
             f->nftables ? "kernel" : "unavailable: NAT nodes fail"},
            {"user namespaces", "CONFIG_USER_NS", f->userns, f->userns ? "kernel" : "not used"},
        };
        int n = 0;
        for (size_t i = 0; i < sizeof(all) / sizeof(all[0]) && n < max; i++)
                rows[n++] = all[i];
        return n;
}
