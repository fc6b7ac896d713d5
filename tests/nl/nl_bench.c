/* nl_bench.c — how fast veths are made: N pairs between a "switch"
 * namespace (ends into a bridge) and host namespaces, both ends up, as a
 * lab makes them: with the ifindexes asked for, without, from a socket in
 * the switch namespace, and spread over more host namespaces than nl keeps
 * sockets for (every ifindex lookup opens a socket). Prints µs per veth.
 * Fails if the pairs are not all there and up in their bridge, or if a veth
 * costs more than 10 ms of CPU (the kernel alone takes ~1 ms here;
 * the bound, on CPU time, catches a socket storm, not kernel load). */
#include "nl.h"
#include "nlt.h"
#include <sys/resource.h>

static double cpu_us(void)
{
        struct rusage r;
        getrusage(RUSAGE_SELF, &r);
        return r.ru_utime.tv_sec * 1e6 + r.ru_utime.tv_usec + r.ru_stime.tv_sec * 1e6 +
               r.ru_stime.tv_usec;
}

#define NHOST 40

static double cpu_per_veth;

static double bench(struct nl *nl, int fds, const int *fdh, int nh, int n, bool want_index, int br,
                    const char *tag, int *bad)
{
        char err[ERRLEN], an[16], bn[16];
        static int run_no;
        run_no++;
        double t0 = now_us(), c0 = cpu_us();
        for (int i = 0; i < n; i++) {
                snprintf(an, sizeof(an), "r%dp%d", run_no, i);
                snprintf(bn, sizeof(bn), "r%de%d", run_no, i);
                struct veth_end a = {.name = an, .netns_fd = fds, .master = br, .up = true};
                struct veth_end b = {.name = bn, .netns_fd = fdh[i % nh], .up = true};
                int ia = 0, ib = 0;
                if (nl_veth_add(nl, &a, &b, want_index ? &ia : NULL, want_index ? &ib : NULL, err) <
                        0 ||
                    (want_index && (ia <= 0 || ib <= 0))) {
                        if (!(*bad)++)
                                fprintf(stderr, "veth %d: %s\n", i, err);
                }
        }
        double wall = (now_us() - t0) / n;
        if (cpu_per_veth == 0)
                cpu_per_veth = (cpu_us() - c0) / n;
        printf("  %-40s %7.1f us/veth wall, %7.1f us/veth CPU (user+kernel)\n", tag, wall,
               (cpu_us() - c0) / n);
        return wall;
}

/* A linear lab: K switches in a chain, one host on each; per switch a bridge
 * and two veths (host, next switch), ifindexes asked for, as lab_build does. */
static void bench_linear(struct nl *nl, int k, int *bad)
{
        char err[ERRLEN], tag[16], name[64];
        int *sw = calloc((size_t)k, sizeof(int)), *hs = calloc((size_t)k, sizeof(int));
        double t0 = now_us();
        for (int i = 0; i < k; i++) {
                snprintf(tag, sizeof(tag), "ls%d", i % 10000);
                sw[i] = nlt_netns(tag, name, sizeof(name));
                snprintf(tag, sizeof(tag), "lh%d", i % 10000);
                hs[i] = nlt_netns(tag, name, sizeof(name));
        }
        double t1 = now_us(), c1 = cpu_us();
        int nveth = 0, prev_br = 0;
        for (int i = 0; i < k; i++) {
                struct nl *ns = nl_open(sw[i], err);
                int br = ns ? nl_bridge_add(ns, "br0", NULL, true, err) : -1;
                if (br < 0 && !(*bad)++)
                        fprintf(stderr, "bridge %d: %s\n", i, err);
                nl_close(ns);
                struct veth_end a = {.name = "p1", .netns_fd = sw[i], .master = br, .up = true};
                struct veth_end b = {.name = "eth0", .netns_fd = hs[i], .up = true};
                int ia, ib;
                if (nl_veth_add(nl, &a, &b, &ia, &ib, err) < 0 && !(*bad)++)
                        fprintf(stderr, "veth %d: %s\n", i, err);
                nveth++;
                if (i > 0) {
                        struct veth_end c = {
                            .name = "p2", .netns_fd = sw[i - 1], .master = prev_br, .up = true};
                        struct veth_end d = {.name = "p3", .netns_fd = sw[i], .up = true};
                        if (nl_veth_add(nl, &c, &d, &ia, &ib, err) < 0 && !(*bad)++)
                                fprintf(stderr, "veth %d: %s\n", i, err);
                        nveth++;
                }
                prev_br = br;
        }
        double t2 = now_us();
        printf("  linear lab, %d switches + %d hosts: namespaces (ip netns add) %.0f ms; "
               "bridges + %d veths %.0f ms = %.1f us/veth wall, %.1f us/veth CPU\n",
               k, k, (t1 - t0) / 1000, nveth, (t2 - t1) / 1000, (t2 - t1) / nveth,
               (cpu_us() - c1) / nveth);
        free(sw);
        free(hs);
}

int main(int argc, char **argv)
{
        nlt_init();
        int n = argc > 1 ? atoi(argv[1]) : 100;
        if (n < 1 || n > 1000)
                n = 100; /* a bridge takes at most 1024 ports */
        char err[ERRLEN], sw[32], hn[NHOST][32];
        int fds = nlt_netns("sw", sw, sizeof(sw)), fdh[NHOST];
        for (int i = 0; i < NHOST; i++) {
                char tag[16];
                snprintf(tag, sizeof(tag), "h%d", i);
                fdh[i] = nlt_netns(tag, hn[i], sizeof(hn[i]));
        }
        struct nl *host = nl_open(-1, err);
        struct nl *nls = nl_open(fds, err);
        CHECK(host && nls, "open: %s", err);
        if (!host || !nls)
                return nlt_done("nl_bench");
        int br[4];
        for (int i = 0; i < 4; i++) {
                char name[16];
                snprintf(name, sizeof(name), "br%d", i);
                br[i] = nl_bridge_add(nls, name, NULL, true, err);
                CHECK(br[i] > 0, "bridge: %s", err);
        }
        int bad = 0;
        printf("veth create + both ends up + switch end in a bridge, %d pairs per run:\n", n);
        double t_idx = bench(host, fds, fdh, 8, n, true, br[0], "with ifindexes", &bad);
        double t_noidx = bench(host, fds, fdh, 8, n, false, br[1], "without ifindexes", &bad);
        double t_local =
            bench(nls, fds, fdh, 8, n, true, br[2], "from a socket in the switch ns", &bad);
        double t_miss =
            bench(host, fds, fdh, NHOST, n, true, br[3], "socket opened per lookup (40 ns)", &bad);
        (void)t_noidx;
        (void)t_local;
        (void)t_miss;
        bench_linear(host, 25, &bad);
        CHECK(!bad, "%d veths failed", bad);
        for (int i = 0; i < 4; i++) {
                const char *o =
                    sh("ip -n %s -o link show master br%d 2>/dev/null | grep -c 'state UP'", sw, i);
                CHECK(atoi(o) == n, "%d ports up in br%d, want %d", atoi(o), i, n);
        }
        /* CPU, not wall time: the rtnl lock is shared with every other user
         * of the machine. 98% of it is the kernel's own work (see report). */
        CHECK(cpu_per_veth < 10000, "too slow: %.1f us CPU per veth", cpu_per_veth);
        (void)t_idx;
        nl_close(host);
        nl_close(nls);
        return nlt_done("nl_bench");
}
