/* nl_probe.c — the kernel probe: its answers agree with what `ip`/`tc`/`nft`
 * can do on this machine, it leaves nothing behind, and doctor's rows say
 * what netlab uses. */
#include "probe.h"
#include "nlt.h"

/* Does the kernel accept this, tried with iproute2 in a scratch namespace? */
static bool try_ip(const char *ns, const char *cmd)
{
        return run("ip -n %s %s >/dev/null 2>&1", ns, cmd) == 0;
}

int main(void)
{
        nlt_init();
        char err[ERRLEN], ns[32];
        struct features f;
        double t0 = now_us();
        CHECK(probe_features(&f, err) == 0, "probe: %s", err);
        double t1 = now_us();
        printf("probe took %.1f ms\n", (t1 - t0) / 1000);
        CHECK(f.probed, "not marked probed");
        struct features g;
        double t2 = now_us();
        int rc = probe_features(&g, err);
        double t3 = now_us();
        CHECK(rc == 0 && !memcmp(&f, &g, sizeof(f)), "cache differs");
        CHECK(t3 - t2 < (t1 - t0) / 4, "second call not cached (%.0f us)", t3 - t2);

        /* Nothing left behind: none of the probe's links in this namespace,
         * and its child (whose unnamed namespace held them) was reaped. */
        CHECK(!*sh("ip -o link show 2>/dev/null | grep -E ': (pa|pb|pbr|pa\\.10)[@:]'"),
              "probe links in the host namespace");
        CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD, "probe child left");

        /* Cross-check each answer with the real tools. */
        nlt_netns("p", ns, sizeof(ns));
        run("ip -n %s link add x1 type veth peer x2", ns);
        CHECK(f.veth == try_ip(ns, "link show x1"), "veth %d", f.veth);
        CHECK(f.bridge == try_ip(ns, "link add b0 type bridge"), "bridge %d", f.bridge);
        CHECK(f.bridge_vlan == try_ip(ns, "link set b0 type bridge vlan_filtering 1"),
              "bridge_vlan %d", f.bridge_vlan);
        CHECK(f.vlan8021q == try_ip(ns, "link add link x1 name x1.5 type vlan id 5"),
              "vlan8021q %d", f.vlan8021q);
        CHECK(f.tbf == (run("tc -n %s qdisc add dev x1 root tbf rate 1mbit burst 32k latency "
                            "50ms >/dev/null 2>&1",
                            ns) == 0),
              "tbf %d", f.tbf);
        CHECK(f.netem ==
                  (run("tc -n %s qdisc add dev x2 root netem delay 1ms >/dev/null 2>&1", ns) == 0),
              "netem %d", f.netem);
        run("tc -n %s qdisc del dev x1 root >/dev/null 2>&1", ns);
        CHECK(f.htb == (run("tc -n %s qdisc add dev x1 root htb >/dev/null 2>&1", ns) == 0),
              "htb %d", f.htb);
        CHECK(f.nftables == (run("ip netns exec %s nft list tables >/dev/null 2>&1", ns) == 0),
              "nftables %d", f.nftables);
        if (run("setpriv --version 2>/dev/null | grep -q util-linux && unshare --version "
                "2>/dev/null | grep -q util-linux") == 0)
                CHECK(f.userns ==
                          (run("setpriv --reuid=65534 --regid=65534 --clear-groups unshare -U "
                               "true >/dev/null 2>&1") == 0),
                      "userns %d", f.userns);

        struct feature_row rows[16];
        int n = probe_rows(&f, rows, 16);
        CHECK(n >= 9, "%d rows", n);
        for (int i = 0; i < n; i++) {
                printf("  %-24s %-30s %-3s %s\n", rows[i].name, rows[i].config,
                       rows[i].have ? "yes" : "no", rows[i].use);
                if (!strcmp(rows[i].config, "CONFIG_BRIDGE_VLAN_FILTERING"))
                        CHECK(!strcmp(rows[i].use, f.bridge_vlan ? "kernel" : "userspace datapath"),
                              "vlan row: %s", rows[i].use);
                if (!strcmp(rows[i].config, "CONFIG_NET_SCH_NETEM"))
                        CHECK(f.netem ? !strcmp(rows[i].use, "kernel")
                                      : !strcmp(rows[i].use, "userspace datapath (wires)"),
                              "netem row: %s", rows[i].use);
        }
        CHECK(probe_rows(&f, rows, 3) == 3, "max not honoured");
        return nlt_done("nl_probe");
}
