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

static bool node_ipv4(struct console *c, int node, char *buf, size_t len)
{
        const struct node *n = &c->lab->nodes[node];
        for (int k = 0; k < n->nifaces; k++) {
                const struct iface *f = &c->lab->ifaces[n->ifaces[k]];
                for (int a = 0; a < f->naddr; a++)
                        if (f->addr[a].family == 2 /* AF_INET */) {
                                ipaddr_format(&f->addr[a], false, buf, len);
                                return true;
                        }
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
        if (!node_ipv4(c, b, ip, sizeof(ip)))
                return errf(err, "%s has no IPv4 address", argv[1]);
        snprintf(cmd, sizeof(cmd), "ping -c1 -W2 %s", ip);
        return job_start(c, a, b, cmd, false, ping_done, err) < 0 ? -1 : 0;
}

/* ---- pingall ---- */

static void pingall_next(struct console *c);

static void pingall_done(struct console *c, struct job *j)
{
        struct jobs *q = &c->jobs;
        int st = j->j.status;
        q->pq_done++;
        if (st == 0)
                q->pq_ok++;
        char *line = q->pq_line[j->a];
        size_t l = strlen(line);
        snprintf(line + l, 512 - l, " %s", st == 0 ? c->lab->nodes[j->b].name : "X");
        pingall_next(c);
}

static void pingall_next(struct console *c)
{
        struct jobs *q = &c->jobs;
        char err[ERRLEN], ip[64], cmd[128];
        int running = jobs_running(c, pingall_done);
        while (q->pq_next < q->pq_n && running < PINGALL_PARALLEL) {
                int a = q->pq_a[q->pq_next], b = q->pq_b[q->pq_next];
                q->pq_next++;
                node_ipv4(c, b, ip, sizeof(ip));
                snprintf(cmd, sizeof(cmd), "ping -c1 -W1 %s >/dev/null 2>&1", ip);
                if (job_start(c, a, b, cmd, true, pingall_done, err) < 0) {
                        q->pq_done++;
                        con_msg(c, true, "%s", err);
                        continue;
                }
                running++;
        }
        if (q->pq_n > 0 && q->pq_done == q->pq_n) {
                con_output(c, "*** Ping: testing ping reachability\n", 37);
                for (int n = 0; n < c->lab->nnodes; n++)
                        if (q->pq_line[n] && q->pq_line[n][0]) {
                                con_output(c, q->pq_line[n], strlen(q->pq_line[n]));
                                con_output(c, "\n", 1);
                        }
                char sum[160];
                int drop = 100 - q->pq_ok * 100 / q->pq_n;
                int l = snprintf(sum, sizeof(sum), "*** Results: %d%% dropped (%d/%d received)\n",
                                 drop, q->pq_ok, q->pq_n);
                con_output(c, sum, (size_t)l);
                con_msg(c, q->pq_ok != q->pq_n, "pingall: %d%% dropped (%d/%d received)", drop,
                        q->pq_ok, q->pq_n);
                for (int n = 0; n < c->lab->nnodes; n++)
                        free(q->pq_line[n]);
                free(q->pq_line);
                free(q->pq_a);
                free(q->pq_b);
                q->pq_line = NULL;
                q->pq_a = q->pq_b = NULL;
                q->pq_n = 0;
        }
}

int c_pingall(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest;
        struct jobs *q = &c->jobs;
        if (cmd_need_up(c, err) < 0)
                return -1;
        if (!in_path("ping"))
                return errf(err, "ping is not installed (apt-get install iputils-ping)");
        if (q->pq_n > 0)
                return errf(err, "pingall is already running");
        int N = c->lab->nnodes;
        int *cand = calloc((size_t)N + 1, sizeof(int));
        int nc = 0;
        char ip[64];
        if (!cand)
                return errf(err, "Out of memory");
        for (int i = 0; i < N; i++)
                if (lab_node_live(c->lab, i) && c->lab->nodes[i].kind == &kind_host &&
                    node_ipv4(c, i, ip, sizeof(ip)))
                        cand[nc++] = i;
        if (nc < 2) {
                free(cand);
                return errf(err, "pingall needs two hosts with IPv4 addresses");
        }
        q->pq_a = calloc((size_t)(nc * nc), sizeof(int));
        q->pq_b = calloc((size_t)(nc * nc), sizeof(int));
        q->pq_line = calloc((size_t)N, sizeof(char *));
        if (!q->pq_a || !q->pq_b || !q->pq_line) {
                free(cand);
                return errf(err, "Out of memory");
        }
        q->pq_n = q->pq_next = q->pq_ok = q->pq_done = 0;
        for (int i = 0; i < nc; i++) {
                q->pq_line[cand[i]] = calloc(512, 1);
                if (q->pq_line[cand[i]])
                        snprintf(q->pq_line[cand[i]], 512, "%s ->", c->lab->nodes[cand[i]].name);
                for (int k = 0; k < nc; k++)
                        if (k != i) {
                                q->pq_a[q->pq_n] = cand[i];
                                q->pq_b[q->pq_n] = cand[k];
                                q->pq_n++;
                        }
        }
        free(cand);
        con_msg(c, false, "pingall: %d pings...", q->pq_n);
        pingall_next(c);
        return 0;
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
        }
        con_msg(c, st != 0, "iperf %s -> %s: %s", c->lab->nodes[j->a].name,
                c->lab->nodes[j->b].name, st == 0 ? res : "FAILED (see output)");
}

static void iperf_client_start(struct console *c)
{
        char ip[64], cmd[160], err[ERRLEN];
        node_ipv4(c, c->jobs.iperf_b, ip, sizeof(ip));
        snprintf(cmd, sizeof(cmd), "iperf3 -c %s -t 3 -f m", ip);
        if (job_start(c, c->jobs.iperf_a, c->jobs.iperf_b, cmd, false, iperf_client_done, err) <
            0)
                con_msg(c, true, "%s", err);
}

int c_iperf(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)rest;
        char ip[64];
        int a = cmd_need_node(c, argv[0], err), b = a < 0 ? -1 : cmd_need_node(c, argv[1], err);
        if (a < 0 || b < 0 || cmd_need_up(c, err) < 0)
                return -1;
        if (!in_path("iperf3"))
                return errf(err, "iperf3 is not installed (apt-get install iperf3)");
        if (!node_ipv4(c, b, ip, sizeof(ip)))
                return errf(err, "%s has no IPv4 address", argv[1]);
        if (job_start(c, b, a, "iperf3 -s -1", true, NULL, err) < 0)
                return -1;
        c->jobs.iperf_a = a;
        c->jobs.iperf_b = b;
        c->jobs.wake_at = monotime_ms() + 300;
        c->jobs.wake = iperf_client_start;
        con_msg(c, false, "iperf %s -> %s: running (3 s)...", argv[0], argv[1]);
        return 0;
}
