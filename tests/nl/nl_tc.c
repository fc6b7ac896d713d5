/* nl_tc.c — link parameters as qdiscs: tbf alone at the root for a rate
 * (and traffic really limited), netem at the root with tbf as child 1:1 for
 * delay/loss with a rate where the kernel has netem, and the EOPNOTSUPP
 * message naming CONFIG_NET_SCH_NETEM where it has not; and the htb form
 * of a rate (for kernels without tbf). */
#include "nl.h"
#include "probe.h"
#include "nlt.h"

int main(void)
{
        nlt_init();
        char err[ERRLEN], n1[32], n2[32];
        struct features f;
        CHECK(probe_features(&f, err) == 0, "probe: %s", err);
        int fd1 = nlt_netns("a", n1, sizeof(n1));
        int fd2 = nlt_netns("b", n2, sizeof(n2));
        struct nl *nl = nl_open(fd1, err);
        CHECK(nl, "open: %s", err);
        if (!nl)
                return nlt_done("nl_tc");
        struct veth_end a = {.name = "eth0", .label = "h1:eth0", .netns_fd = fd1, .up = true};
        struct veth_end b = {.name = "eth0", .label = "h2:eth0", .netns_fd = fd2, .up = true};
        int ia, ib;
        CHECK(nl_veth_add(nl, &a, &b, &ia, &ib, err) == 0, "veth: %s", err);
        run("ip -n %s addr add 10.66.0.1/24 dev eth0", n1);
        run("ip -n %s addr add 10.66.0.2/24 dev eth0", n2);

        /* Rate only: tbf at the root. */
        struct link_params p = {.rate_bps = 10000000};
        CHECK(nl_link_params_apply(nl, ia, "h1:eth0", &p, err) == 0, "tbf: %s", err);
        const char *o = sh("tc -n %s qdisc show dev eth0", n1);
        printf("%s", o);
        CHECK(strstr(o, "qdisc tbf 1: root") && strstr(o, "rate 10Mbit"), "tbf: %s", o);
        /* The rate holds: iperf3 h1 -> h2 for 2 s stays under 10 Mbit/s (+10%). */
        if (run("command -v iperf3 >/dev/null") == 0) {
                run("ip netns exec %s iperf3 -s -1 -D -B 10.66.0.2 >/dev/null 2>&1", n2);
                usleep(300000);
                o = sh("ip netns exec %s iperf3 -c 10.66.0.2 -t 2 -f m 2>&1 | grep receiver", n1);
                double mbit = 0;
                const char *m = strstr(o, "MBytes");
                if (m)
                        mbit = atof(m + 6);
                printf("iperf3 through tbf 10mbit: %.2f Mbit/s\n", mbit);
                CHECK(mbit > 5 && mbit < 11, "rate not enforced: %s", o);
        }
        /* Applying again replaces (no "File exists"); a bigger rate uses RATE64. */
        p.rate_bps = 40000000000ull;
        CHECK(nl_link_params_apply(nl, ia, "h1:eth0", &p, err) == 0, "tbf 40g: %s", err);
        o = sh("tc -n %s qdisc show dev eth0", n1);
        CHECK(strstr(o, "rate 40Gbit"), "tbf 40g: %s", o);
        /* No parameters: back to the default. */
        struct link_params none = {0};
        CHECK(nl_link_params_apply(nl, ia, "h1:eth0", &none, err) == 0, "none: %s", err);
        o = sh("tc -n %s qdisc show dev eth0", n1);
        CHECK(!strstr(o, "tbf"), "tbf left: %s", o);

        /* The htb form of a rate (used where the kernel has no tbf). */
        struct link_params r = {.rate_bps = 20000000};
        CHECK(nl_link_params_apply_with(nl, ia, "h1:eth0", &r, NL_RATE_HTB, err) == 0,
              "htb: %s", err);
        o = sh("tc -n %s qdisc show dev eth0; tc -n %s class show dev eth0", n1, n1);
        CHECK(strstr(o, "qdisc htb 1: root") && strstr(o, "default 0x1") &&
                  strstr(o, "class htb 1:1 root prio 0 rate 20Mbit ceil 20Mbit"),
              "htb: %s", o);
        CHECK(nl_link_params_apply(nl, ia, "h1:eth0", &none, err) == 0, "none: %s", err);

        /* Delay + loss + rate: netem 1: with tbf under 1:1, or the message. */
        struct link_params q = {
            .rate_bps = 10000000, .delay_us = 20000, .jitter_us = 1000, .loss_ppm = 10000};
        int rc = nl_link_params_apply(nl, ia, "h1:eth0", &q, err);
        o = sh("tc -n %s qdisc show dev eth0", n1);
        if (f.netem) {
                CHECK(rc == 0, "netem: %s", err);
                CHECK(strstr(o, "qdisc netem 1: root") && strstr(o, "delay 20ms") &&
                          strstr(o, "loss 1%") && strstr(o, "parent 1:1"),
                      "netem: %s", o);
        } else {
                CHECK(rc == -1 && errno == EOPNOTSUPP, "netem rc %d errno %d", rc, errno);
                CHECK(!strcmp(err, "Cannot add netem qdisc on \"h1:eth0\": kernel has no netem "
                                   "(CONFIG_NET_SCH_NETEM)"),
                      "message: %s", err);
                printf("netem: %s\n", err);
                CHECK(!strstr(o, "netem"), "netem appeared: %s", o);
        }
        nl_close(nl);
        return nlt_done("nl_tc");
}
