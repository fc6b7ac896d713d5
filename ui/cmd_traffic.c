/* cmd_traffic.c — the commands that send traffic between nodes: ping,
 * pingall, iperf. Each runs as jobs (jobs.c) and reads their exit status
 * or output in its done callback; none blocks the loop. */
#include "console.h"
#include "monotime.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PINGALL_PARALLEL 8

static bool in_path(const char *prog)
{
        const char *path = getenv("PATH");
        char buf[PATH_MAX];
        if (!path)
                path = "/usr/sbin:/usr/bin:/sbin:/bin";
        while (*path) {
                size_t l = strcspn(path, ":");
                snprintf(buf, sizeof(buf), "%.*s/%s", (int)l, path, prog);
                if (access(buf, X_OK) == 0)
                        return true;
                path += l;
                if (*path == ':')
                        path++;
        }
        return false;
}

/* ---- ping ---- */

static void ping_done(struct console *c, struct job *j)
{
        int st = j->j.status;
        con_msg(c, st != 0, "ping %s -> %s: %s", c->lab->nodes[j->a].name,
                c->lab->nodes[j->b].name, st == 0 ? "ok (1/1 received)" : "FAILED (0/1 received)");
}

int c_ping(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)rest;
        char ip[64], cmd[128];
        int a = cmd_need_node(c, argv[0], err), b = a < 0 ? -1 : cmd_need_node(c, argv[1], err);
        if (a < 0 || b < 0 || cmd_need_up(c, err) < 0)
                return -1;
        if (!in_path("ping"))
                return errf(err, "ping is not installed (apt-get install iputils-ping)");
        if (!con_node_ipv4(c, b, ip, sizeof(ip)))
                return errf(err, "%s has no IPv4 address", argv[1]);
        snprintf(cmd, sizeof(cmd), "ping -c1 -W2 %s", ip);
        return job_start(c, a, b, cmd, false, ping_done, err) < 0 ? -1 : 0;
}

/* ---- pingall, pingallfull, pingpair ---- */

/* A node Mininet's pingall and bare iperf take: a live host with IPv4. */
static bool traffic_host(struct console *c, int i)
{
        char ip[64];
        return lab_node_live(c->lab, i) && c->lab->nodes[i].kind == &kind_host &&
               con_node_ipv4(c, i, ip, sizeof(ip));
}

static void pingall_next(struct console *c);

static void pingall_free(struct jobs *q)
{
        free(q->pq_a);
        free(q->pq_b);
        free(q->pq_hosts);
        free(q->pq_res);
        q->pq_a = q->pq_b = q->pq_hosts = NULL;
        q->pq_res = NULL;
        q->pq_n = q->pq_nh = 0;
}

/* Each ping's result lands in its own cell, whatever order they end in. */
static void pingall_cell(struct console *c, struct job *j)
{
        struct jobs *q = &c->jobs;
        int ha = -1, hb = -1;
        for (int i = 0; i < q->pq_nh; i++) {
                if (q->pq_hosts[i] == j->a)
                        ha = i;
                if (q->pq_hosts[i] == j->b)
                        hb = i;
        }
        if (ha < 0 || hb < 0)
                return;
        struct ping_result *r = &q->pq_res[ha * q->pq_nh + hb];
        if (ping_parse(j->j.out, r) < 0) { /* no summary: the exit status says it */
                r->sent = 1;
                r->received = j->j.status == 0;
        }
}

static void pingall_job_done(struct console *c, struct job *j)
{
        pingall_cell(c, j);
        c->jobs.pq_done++;
        pingall_next(c);
}

static void pingall_next(struct console *c)
{
        struct jobs *q = &c->jobs;
        char err[ERRLEN], ip[64], cmd[128];
        int running = jobs_running(c, pingall_job_done);
        while (q->pq_next < q->pq_n && running < PINGALL_PARALLEL) {
                int a = q->pq_hosts[q->pq_a[q->pq_next]], b = q->pq_hosts[q->pq_b[q->pq_next]];
                q->pq_next++;
                con_node_ipv4(c, b, ip, sizeof(ip));
                snprintf(cmd, sizeof(cmd), "ping -c1 -W1 %s 2>&1", ip);
                if (job_start(c, a, b, cmd, true, pingall_job_done, err) < 0) {
                        q->pq_done++;
                        con_msg(c, true, "%s", err);
                        continue;
                }
                running++;
        }
        if (q->pq_n > 0 && q->pq_done == q->pq_n) {
                const char **names = calloc((size_t)q->pq_nh, sizeof(char *));
                for (int i = 0; names && i < q->pq_nh; i++)
                        names[i] = c->lab->nodes[q->pq_hosts[i]].name;
                int ok = 0, all = 0;
                char *text =
                    names ? ping_matrix_format(names, q->pq_nh, q->pq_res, q->pq_full, &ok, &all)
                          : NULL;
                if (text) {
                        con_output(c, text, strlen(text));
                        con_msg(c, ok != all, "%s: %d%% dropped (%d/%d received)", q->pq_what,
                                all ? (all - ok) * 100 / all : 0, ok, all);
                } else {
                        con_msg(c, true, "pingall: out of memory");
                }
                free(text);
                free(names);
                pingall_free(q);
        }
}

/* Pings between the first `limit` hosts with IPv4 (all when limit is 0). */
static int pingall_start(struct console *c, int limit, bool full, const char *what, char *err)
{
        struct jobs *q = &c->jobs;
        if (cmd_need_up(c, err) < 0)
                return -1;
        if (!in_path("ping"))
                return errf(err, "ping is not installed (apt-get install iputils-ping)");
        if (q->pq_n > 0) {
                errno = EBUSY;
                return errf(err, "pingall is already running (Ctrl-C stops it)");
        }
        int N = c->lab->nnodes, nh = 0;
        q->pq_hosts = calloc((size_t)N + 1, sizeof(int));
        if (!q->pq_hosts)
                return errf(err, "Out of memory");
        for (int i = 0; i < N && (!limit || nh < limit); i++)
                if (traffic_host(c, i))
                        q->pq_hosts[nh++] = i;
        if (nh < 2) {
                pingall_free(q);
                return errf(err, "%s needs two hosts with IPv4 addresses", what);
        }
        q->pq_nh = nh;
        q->pq_a = calloc((size_t)(nh * nh), sizeof(int));
        q->pq_b = calloc((size_t)(nh * nh), sizeof(int));
        q->pq_res = calloc((size_t)(nh * nh), sizeof(*q->pq_res));
        if (!q->pq_a || !q->pq_b || !q->pq_res) {
                pingall_free(q);
                return errf(err, "Out of memory");
        }
        q->pq_n = q->pq_next = q->pq_done = 0;
        q->pq_full = full;
        q->pq_what = what;
        for (int i = 0; i < nh; i++)
                for (int k = 0; k < nh; k++)
                        if (k != i) {
                                q->pq_a[q->pq_n] = i;
                                q->pq_b[q->pq_n] = k;
                                q->pq_n++;
                        }
        con_msg(c, false, "%s: %d pings...", what, q->pq_n);
        pingall_next(c);
        return 0;
}

int c_pingall(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest;
        return pingall_start(c, 0, false, "pingall", err);
}

int c_pingallfull(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest;
        return pingall_start(c, 0, true, "pingallfull", err);
}

int c_pingpair(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest;
        return pingall_start(c, 2, true, "pingpair", err);
}

/* ---- iperf ---- */

static void iperf_client_done(struct console *c, struct job *j)
{
        int st = j->j.status;
        /* The receiver's summary line. */
        const char *o = j->j.out ? j->j.out : "";
        const char *r = strstr(o, "receiver");
        char res[160] = "done";
        if (r) {
                const char *ls = r;
                while (ls > o && ls[-1] != '\n')
                        ls--;
                const char *bw = strstr(ls, "/sec");
                if (bw && bw < r) {
                        const char *s = bw;
                        while (s > ls && s[-1] != ' ')
                                s--;
                        while (s > ls && s[-1] == ' ')
                                s--;
                        while (s > ls && s[-1] != ' ')
                                s--;
                        snprintf(res, sizeof(res), "%.*s", (int)(bw + 4 - s), s);
                }
                /* UDP: "0.012 ms  3/2589 (0.12%)  receiver": what was lost. */
                const char *lost = strchr(ls, '(');
                if (c->jobs.iperf_udp_bw[0] && lost && lost < r) {
                        const char *s = lost;
                        while (s > ls && s[-1] == ' ')
                                s--;
                        while (s > ls && s[-1] != ' ')
                                s--;
                        size_t l = strlen(res);
                        snprintf(res + l, sizeof(res) - l, ", lost %.*s",
                                 (int)(strchr(lost, ')') ? strchr(lost, ')') + 1 - s : 0), s);
                }
        }
        con_msg(c, st != 0, "%s %s -> %s: %s", c->jobs.iperf_udp_bw[0] ? "iperfudp" : "iperf",
                c->lab->nodes[j->a].name, c->lab->nodes[j->b].name,
                st == 0 ? res : "FAILED (see output)");
}

static void iperf_client_start(struct console *c)
{
        char ip[64], cmd[160], err[ERRLEN];
        con_node_ipv4(c, c->jobs.iperf_b, ip, sizeof(ip));
        if (c->jobs.iperf_udp_bw[0])
                snprintf(cmd, sizeof(cmd), "iperf3 -c %s -t 3 -f m -u -b %s", ip,
                         c->jobs.iperf_udp_bw);
        else
                snprintf(cmd, sizeof(cmd), "iperf3 -c %s -t 3 -f m", ip);
        unsigned saved = c->jobs.tag;
        c->jobs.tag = c->jobs.iperf_tag; /* the line that asked for it (time, source) */
        if (job_start(c, c->jobs.iperf_a, c->jobs.iperf_b, cmd, false, iperf_client_done, err) <
            0)
                con_msg(c, true, "%s", err);
        c->jobs.tag = saved;
}

static int iperf_start(struct console *c, char **argv, const char *udp_bw, char *err)
{
        char ip[64];
        if (c->jobs.wake == iperf_client_start || jobs_running(c, iperf_client_done)) {
                errno = EBUSY;
                return errf(err, "iperf is already running (Ctrl-C stops it)");
        }
        int a = cmd_need_node(c, argv[0], err), b = a < 0 ? -1 : cmd_need_node(c, argv[1], err);
        if (a < 0 || b < 0 || cmd_need_up(c, err) < 0)
                return -1;
        if (!in_path("iperf3"))
                return errf(err, "iperf3 is not installed (apt-get install iperf3)");
        if (!con_node_ipv4(c, b, ip, sizeof(ip)))
                return errf(err, "%s has no IPv4 address", argv[1]);
        if (job_start(c, b, a, "iperf3 -s -1", true, NULL, err) < 0)
                return -1;
        c->jobs.iperf_a = a;
        c->jobs.iperf_b = b;
        c->jobs.iperf_tag = c->jobs.tag;
        snprintf(c->jobs.iperf_udp_bw, sizeof(c->jobs.iperf_udp_bw), "%s", udp_bw);
        c->jobs.wake_at = monotime_ms() + 300;
        c->jobs.wake = iperf_client_start;
        con_msg(c, false, "%s %s -> %s: running (3 s)...", udp_bw[0] ? "iperfudp" : "iperf",
                argv[0], argv[1]);
        return 0;
}

int c_iperf(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)rest;
        if (argc == 2)
                return iperf_start(c, argv, "", err);
        if (argc == 1) {
                errno = EINVAL;
                return errf(err, "Usage: iperf [A B] (none: the first and the last host)");
        }
        /* No hosts named: Mininet's, the first and the last host. */
        char *ends[2] = {NULL, NULL};
        for (int i = 0; i < c->lab->nnodes; i++)
                if (traffic_host(c, i))
                        ends[!!ends[0]] = c->lab->nodes[i].name;
        if (!ends[1]) {
                errno = EINVAL;
                return errf(err, "iperf needs two hosts with IPv4 addresses (or: iperf A B)");
        }
        return iperf_start(c, ends, "", err);
}

/* `iperfudp BW A B`, as Mininet's: UDP at BW ("10M", "500K"). */
int c_iperfudp(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)rest;
        const char *bw = argv[0];
        size_t d = strspn(bw, "0123456789.");
        if (d == 0 || strlen(bw) > 12 ||
            (bw[d] && (strchr("KkMmGg", bw[d]) == NULL || bw[d + 1]))) {
                errno = EINVAL;
                return errf(err, "iperfudp: bandwidth \"%s\" is not a rate like 10M, 500K or 1G",
                            bw);
        }
        return iperf_start(c, argv + 1, bw, err);
}
