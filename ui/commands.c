/* commands.c — the console's commands (one cmd_entry each), the jobs they
 * start (`h1 ping -c1 h2`, ping, pingall, iperf) and experiment stepping.
 *
 * Jobs run through proc_job_start: their output pipe is in the epoll set,
 * output streams into the output pane, and completion is noticed by
 * proc_job_poll (on EOF or SIGCHLD). Nothing here blocks the loop, except
 * `clean`, which removes other labs' leftovers. */
#include "console.h"
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PINGALL_PARALLEL 8

const char *con_node_name(void *ud, int i)
{
        struct console *c = ud;
        return i < c->lab->nnodes ? c->lab->nodes[i].name : NULL;
}

const char *con_exp_name(void *ud, int i)
{
        struct console *c = ud;
        return i < c->nexp ? nlua_exp_name(c->L, i) : NULL;
}

static int need_node(struct console *c, const char *name, char *err)
{
        int n = lab_find_node(c->lab, name);
        if (n < 0 || c->lab->nodes[n].deleted) {
                errno = ENOENT;
                return errf(err, "No node \"%s\" (nodes: type nodes)", name);
        }
        return n;
}

static int need_up(struct console *c, char *err)
{
        if (!c->built) {
                errno = ENOTCONN;
                return errf(err, "The lab is not up");
        }
        return 0;
}

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

/* ---- jobs ---- */

static int job_start(struct console *c, enum job_kind kind, int a, int b, const char *cmd,
                     bool quiet, char *err)
{
        int idx = -1;
        for (int i = 0; i < MAXJOBS; i++)
                if (!c->jobs[i].used) {
                        idx = i;
                        break;
                }
        if (idx < 0) {
                errno = EBUSY;
                return errf(err, "Too many commands running (at most %d)", MAXJOBS);
        }
        struct job *j = &c->jobs[idx];
        memset(j, 0, sizeof(*j));
        if (proc_job_start(c->lab, a, cmd, &j->j, err) < 0)
                return -1;
        j->used = true;
        j->kind = kind;
        j->a = a;
        j->b = b;
        j->quiet = quiet;
        snprintf(j->label, sizeof(j->label), "%s$ %s", c->lab->nodes[a].name, cmd);
        if (!quiet) {
                char hdr[200];
                int n = snprintf(hdr, sizeof(hdr), "%s\n", j->label);
                con_output(c, hdr, (size_t)n);
        }
        if (j->j.fd >= 0)
                con_ep_add(c, j->j.fd, EV_JOB, (uint32_t)idx);
        return idx;
}

static void pingall_next(struct console *c);

static void job_done(struct console *c, int idx)
{
        struct job *j = &c->jobs[idx];
        int st = j->j.status;
        const char *an = c->lab->nodes[j->a].name;
        switch (j->kind) {
        case J_CMD: {
                char t[64];
                int n = snprintf(t, sizeof(t), "[exit %d]\n", st);
                con_output(c, t, (size_t)n);
                con_msg(c, st != 0, "%s: exit %d", j->label, st);
                break;
        }
        case J_PING:
                if (j->quiet) {
                        c->pq_done++;
                        if (st == 0)
                                c->pq_ok++;
                        char *line = c->pq_line[j->a];
                        size_t l = strlen(line);
                        snprintf(line + l, 512 - l, " %s",
                                 st == 0 ? c->lab->nodes[j->b].name : "X");
                        pingall_next(c);
                } else {
                        con_msg(c, st != 0, "ping %s -> %s: %s", an, c->lab->nodes[j->b].name,
                                st == 0 ? "ok (1/1 received)" : "FAILED (0/1 received)");
                }
                break;
        case J_IPERF_S:
                break;
        case J_IPERF_C: {
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
                con_msg(c, st != 0, "iperf %s -> %s: %s", an, c->lab->nodes[j->b].name,
                        st == 0 ? res : "FAILED (see output)");
                break;
        }
        }
        proc_job_free(&j->j);
        j->used = false;
}

void jobs_event(struct console *c, int idx)
{
        if (idx < 0 || idx >= MAXJOBS || !c->jobs[idx].used)
                return;
        struct job *j = &c->jobs[idx];
        int fd = j->j.fd;
        int r = proc_job_poll(&j->j);
        if (j->j.fd < 0 && fd >= 0)
                con_ep_del(c, fd);
        if (!j->quiet && j->j.len > j->shown) {
                con_output(c, j->j.out + j->shown, j->j.len - j->shown);
                j->shown = j->j.len;
        }
        if (r == 0 || r < 0) {
                if (r < 0 && !j->j.done)
                        proc_job_kill(&j->j);
                job_done(c, idx);
        }
        c->dirty = true;
}

void jobs_tick(struct console *c, long long now)
{
        for (int i = 0; i < MAXJOBS; i++)
                if (c->jobs[i].used && c->jobs[i].j.fd < 0)
                        jobs_event(c, i);
        if (c->iperf_client_at && now >= c->iperf_client_at) {
                c->iperf_client_at = 0;
                char ip[64], cmd[160], err[ERRLEN];
                node_ipv4(c, c->iperf_b, ip, sizeof(ip));
                snprintf(cmd, sizeof(cmd), "iperf3 -c %s -t 3 -f m", ip);
                if (job_start(c, J_IPERF_C, c->iperf_a, c->iperf_b, cmd, false, err) < 0)
                        con_msg(c, true, "%s", err);
        }
}

static void pingall_next(struct console *c)
{
        char err[ERRLEN], ip[64], cmd[128];
        int running = 0;
        for (int i = 0; i < MAXJOBS; i++)
                if (c->jobs[i].used && c->jobs[i].kind == J_PING && c->jobs[i].quiet)
                        running++;
        while (c->pq_next < c->pq_n && running < PINGALL_PARALLEL) {
                int a = c->pq_a[c->pq_next], b = c->pq_b[c->pq_next];
                c->pq_next++;
                node_ipv4(c, b, ip, sizeof(ip));
                snprintf(cmd, sizeof(cmd), "ping -c1 -W1 %s >/dev/null 2>&1", ip);
                if (job_start(c, J_PING, a, b, cmd, true, err) < 0) {
                        c->pq_done++;
                        con_msg(c, true, "%s", err);
                        continue;
                }
                running++;
        }
        if (c->pq_n > 0 && c->pq_done == c->pq_n) {
                con_output(c, "*** Ping: testing ping reachability\n", 37);
                for (int n = 0; n < c->lab->nnodes; n++)
                        if (c->pq_line[n] && c->pq_line[n][0]) {
                                con_output(c, c->pq_line[n], strlen(c->pq_line[n]));
                                con_output(c, "\n", 1);
                        }
                char sum[160];
                int drop = 100 - c->pq_ok * 100 / c->pq_n;
                int l = snprintf(sum, sizeof(sum), "*** Results: %d%% dropped (%d/%d received)\n",
                                 drop, c->pq_ok, c->pq_n);
                con_output(c, sum, (size_t)l);
                con_msg(c, c->pq_ok != c->pq_n, "pingall: %d%% dropped (%d/%d received)", drop,
                        c->pq_ok, c->pq_n);
                for (int n = 0; n < c->lab->nnodes; n++)
                        free(c->pq_line[n]);
                free(c->pq_line);
                free(c->pq_a);
                free(c->pq_b);
                c->pq_line = NULL;
                c->pq_a = c->pq_b = NULL;
                c->pq_n = 0;
        }
}

/* ---- commands ---- */

static int c_help(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)rest;
        if (argc == 1) {
                const struct cmd_entry *e = cmd_find(con_commands, argv[0], err);
                if (!e)
                        return -1;
                con_msg(c, false, "%s %s: %s", e->name, e->usage, e->help);
                return 0;
        }
        c->help = true;
        return 0;
}

static int c_nodes(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest, (void)err;
        char buf[4096];
        size_t o = (size_t)snprintf(buf, sizeof(buf), "available nodes are:");
        for (int i = 0; i < c->lab->nnodes && o + 32 < sizeof(buf); i++)
                if (!c->lab->nodes[i].deleted)
                        o += (size_t)snprintf(buf + o, sizeof(buf) - o, " %s",
                                              c->lab->nodes[i].name);
        con_msg(c, false, "%s", buf);
        buf[o++] = '\n';
        con_output(c, buf, o);
        return 0;
}

static bool is_up(struct console *c, int l)
{
        const struct link *k = &c->lab->links[l];
        signed char a = c->ifup[k->a], b = c->ifup[k->b];
        if (a < 0 && b < 0)
                return k->up;
        return a != 0 && b != 0;
}

static int c_links(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest, (void)err;
        int down = 0;
        for (int l = 0; l < c->lab->nlinks; l++) {
                char a[64], b[64], line[200];
                iface_label(c->lab, c->lab->links[l].a, a, sizeof(a));
                iface_label(c->lab, c->lab->links[l].b, b, sizeof(b));
                bool up = is_up(c, l);
                down += !up;
                int n = snprintf(line, sizeof(line), "%s<->%s (%s)\n", a, b, up ? "OK OK" : "down");
                con_output(c, line, (size_t)n);
        }
        con_msg(c, false, "%d links, %d down", c->lab->nlinks, down);
        return 0;
}

static int c_net(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest, (void)err;
        for (int i = 0; i < c->lab->nnodes; i++) {
                const struct node *n = &c->lab->nodes[i];
                if (n->deleted)
                        continue;
                char line[2048];
                size_t o = (size_t)snprintf(line, sizeof(line), "%s", n->name);
                for (int k = 0; k < n->nifaces && o + 80 < sizeof(line); k++) {
                        const struct iface *f = &c->lab->ifaces[n->ifaces[k]];
                        char peer[64] = "";
                        int p = lab_iface_peer(c->lab, n->ifaces[k]);
                        if (p >= 0)
                                iface_label(c->lab, p, peer, sizeof(peer));
                        o += (size_t)snprintf(line + o, sizeof(line) - o, " %s:%s", f->name, peer);
                }
                line[o++] = '\n';
                con_output(c, line, o);
        }
        return 0;
}

static int c_dump(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest, (void)err;
        for (int i = 0; i < c->lab->nnodes; i++) {
                const struct node *n = &c->lab->nodes[i];
                if (n->deleted)
                        continue;
                char line[2048];
                size_t o = (size_t)snprintf(line, sizeof(line), "<%s %s:", node_kind_name(n->kind),
                                            n->name);
                for (int k = 0; k < n->nifaces && o + 80 < sizeof(line); k++) {
                        const struct iface *f = &c->lab->ifaces[n->ifaces[k]];
                        char ip[64] = "None";
                        if (f->naddr > 0)
                                ipaddr_format(&f->addr[0], true, ip, sizeof(ip));
                        o += (size_t)snprintf(line + o, sizeof(line) - o, "%s%s:%s", k ? "," : " ",
                                              f->name, ip);
                }
                o += (size_t)snprintf(line + o, sizeof(line) - o, " netns=%s>\n",
                                      n->netns_name[0] ? n->netns_name : "-");
                con_output(c, line, o);
        }
        return 0;
}

static int c_ping(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)rest;
        char ip[64], cmd[128];
        int a = need_node(c, argv[0], err), b = a < 0 ? -1 : need_node(c, argv[1], err);
        if (a < 0 || b < 0 || need_up(c, err) < 0)
                return -1;
        if (!in_path("ping"))
                return errf(err, "ping is not installed (apt-get install iputils-ping)");
        if (!node_ipv4(c, b, ip, sizeof(ip)))
                return errf(err, "%s has no IPv4 address", argv[1]);
        snprintf(cmd, sizeof(cmd), "ping -c1 -W2 %s", ip);
        return job_start(c, J_PING, a, b, cmd, false, err) < 0 ? -1 : 0;
}

static int c_pingall(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest;
        if (need_up(c, err) < 0)
                return -1;
        if (!in_path("ping"))
                return errf(err, "ping is not installed (apt-get install iputils-ping)");
        if (c->pq_n > 0)
                return errf(err, "pingall is already running");
        int N = c->lab->nnodes;
        int *cand = calloc((size_t)N + 1, sizeof(int));
        int nc = 0;
        char ip[64];
        if (!cand)
                return errf(err, "Out of memory");
        for (int i = 0; i < N; i++)
                if (!c->lab->nodes[i].deleted && c->lab->nodes[i].kind == NODE_HOST &&
                    node_ipv4(c, i, ip, sizeof(ip)))
                        cand[nc++] = i;
        if (nc < 2) {
                free(cand);
                return errf(err, "pingall needs two hosts with IPv4 addresses");
        }
        c->pq_a = calloc((size_t)(nc * nc), sizeof(int));
        c->pq_b = calloc((size_t)(nc * nc), sizeof(int));
        c->pq_line = calloc((size_t)N, sizeof(char *));
        if (!c->pq_a || !c->pq_b || !c->pq_line) {
                free(cand);
                return errf(err, "Out of memory");
        }
        c->pq_n = c->pq_next = c->pq_ok = c->pq_done = 0;
        for (int i = 0; i < nc; i++) {
                c->pq_line[cand[i]] = calloc(512, 1);
                if (c->pq_line[cand[i]])
                        snprintf(c->pq_line[cand[i]], 512, "%s ->", c->lab->nodes[cand[i]].name);
                for (int k = 0; k < nc; k++)
                        if (k != i) {
                                c->pq_a[c->pq_n] = cand[i];
                                c->pq_b[c->pq_n] = cand[k];
                                c->pq_n++;
                        }
        }
        free(cand);
        con_msg(c, false, "pingall: %d pings...", c->pq_n);
        pingall_next(c);
        return 0;
}

static int c_iperf(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)rest;
        char ip[64];
        int a = need_node(c, argv[0], err), b = a < 0 ? -1 : need_node(c, argv[1], err);
        if (a < 0 || b < 0 || need_up(c, err) < 0)
                return -1;
        if (!in_path("iperf3"))
                return errf(err, "iperf3 is not installed (apt-get install iperf3)");
        if (!node_ipv4(c, b, ip, sizeof(ip)))
                return errf(err, "%s has no IPv4 address", argv[1]);
        if (job_start(c, J_IPERF_S, b, a, "iperf3 -s -1", true, err) < 0)
                return -1;
        c->iperf_a = a;
        c->iperf_b = b;
        c->iperf_client_at = now_ms() + 300;
        con_msg(c, false, "iperf %s -> %s: running (3 s)...", argv[0], argv[1]);
        return 0;
}

static int c_link(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)rest;
        int a = need_node(c, argv[0], err), b = a < 0 ? -1 : need_node(c, argv[1], err);
        if (a < 0 || b < 0 || need_up(c, err) < 0)
                return -1;
        bool up;
        if (strcmp(argv[2], "up") == 0)
                up = true;
        else if (strcmp(argv[2], "down") == 0)
                up = false;
        else {
                errno = EINVAL;
                return errf(err, "Usage: link A B up|down (not \"%s\")", argv[2]);
        }
        int l = lab_find_link(c->lab, a, b);
        if (l < 0) {
                errno = ENOENT;
                return errf(err, "No link between %s and %s", argv[0], argv[1]);
        }
        if (lab_link_set_up(c->lab, l, up, err) < 0)
                return -1;
        con_msg(c, false, "link %s %s %s", argv[0], argv[1], up ? "up" : "down");
        return 0;
}

static int c_term(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)rest;
        int n = need_node(c, argv[0], err);
        if (n < 0)
                return -1;
        con_select_node(c, n);
        return con_open_term(c, n, err);
}

static int c_select(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)rest;
        int n = need_node(c, argv[0], err);
        if (n < 0)
                return -1;
        con_select_node(c, n);
        return 0;
}

static int exp_run(struct console *c, int idx, char *err)
{
        if (need_up(c, err) < 0)
                return -1;
        int r = nlua_exp_running(c->L);
        if (r >= 0) {
                errno = EBUSY;
                return errf(err, "Experiment \"%s\" is running", nlua_exp_name(c->L, r));
        }
        if (nlua_exp_start(c->L, idx, err) < 0)
                return -1;
        c->exp_last = idx;
        c->ev[idx].n = 0;
        c->ev[idx].ran = true;
        con_msg(c, false, "exp %s: running", nlua_exp_name(c->L, idx));
        exp_step(c);
        return 0;
}

void exp_step(struct console *c)
{
        char err[ERRLEN];
        if (c->exp_fd_in_ep) {
                con_ep_del(c, c->exp_fd);
                c->exp_fd_in_ep = false;
        }
        c->exp_deadline = 0;
        if (nlua_exp_running(c->L) < 0)
                return;
        struct nlua_wait w = {-1, -1};
        int idx = nlua_exp_running(c->L);
        enum nlua_status st = nlua_exp_resume(c->L, &w, err);
        if (st == NLUA_WAIT) {
                if (w.fd >= 0) {
                        con_ep_add(c, w.fd, EV_LUA, 0);
                        c->exp_fd = w.fd;
                        c->exp_fd_in_ep = true;
                }
                if (w.timeout_ms >= 0)
                        c->exp_deadline = now_ms() + (w.timeout_ms > 0 ? w.timeout_ms : 1);
                else if (w.fd < 0)
                        c->exp_deadline = now_ms() + 1;
        } else {
                struct nlua_exp_result res;
                nlua_exp_result(c->L, idx, &res);
                if (st == NLUA_ERROR)
                        con_msg(c, true, "exp %s: %s", nlua_exp_name(c->L, idx), err);
                else
                        con_msg(c, res.failed > 0, "exp %s: %d passed, %d failed",
                                nlua_exp_name(c->L, idx), res.passed, res.failed);
        }
        c->dirty = true;
}

static int c_exp(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)rest;
        if (argc == 0) {
                char buf[1024];
                size_t o = (size_t)snprintf(buf, sizeof(buf), "%d experiments:", c->nexp);
                for (int i = 0; i < c->nexp && o + 40 < sizeof(buf); i++)
                        o += (size_t)snprintf(buf + o, sizeof(buf) - o, " %d.%s", i + 1,
                                              nlua_exp_name(c->L, i));
                con_msg(c, false, "%s", buf);
                return 0;
        }
        if (strcmp(argv[0], "next") == 0 && argc == 1) {
                int next = c->exp_last + 1;
                if (next >= c->nexp) {
                        errno = ENOENT;
                        return errf(err, c->nexp ? "No more experiments (exp run NAME reruns one)"
                                                 : "This lab has no experiments");
                }
                return exp_run(c, next, err);
        }
        if (strcmp(argv[0], "run") == 0 && argc == 2) {
                for (int i = 0; i < c->nexp; i++)
                        if (strcmp(nlua_exp_name(c->L, i), argv[1]) == 0)
                                return exp_run(c, i, err);
                char *end;
                long k = strtol(argv[1], &end, 10);
                if (*end == '\0' && k >= 1 && k <= c->nexp)
                        return exp_run(c, (int)k - 1, err);
                errno = ENOENT;
                return errf(err, "No experiment \"%s\" (exp lists them)", argv[1]);
        }
        errno = EINVAL;
        return errf(err, "Usage: exp [run NAME|next]");
}

static int c_clean(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest;
        DIR *d = opendir(LAB_RUN_DIR);
        int n = 0;
        if (d) {
                struct dirent *de;
                while ((de = readdir(d)) != NULL) {
                        if (de->d_name[0] == '.' || strcmp(de->d_name, c->lab->name) == 0)
                                continue;
                        if (lab_clean(de->d_name, err) < 0) {
                                closedir(d);
                                return -1;
                        }
                        n++;
                }
                closedir(d);
        }
        con_msg(c, false, "clean: %d other lab%s cleaned (this one stays up until quit)", n,
                n == 1 ? "" : "s");
        return 0;
}

static int c_quit(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest, (void)err;
        int n = con_running_shells(c);
        if (n > 0 && !c->quit_confirm) {
                c->quit_confirm = true;
                con_msg(c, true, "%d shell%s still running: quit again to close %s", n,
                        n == 1 ? " is" : "s are", n == 1 ? "it" : "them");
                return 0;
        }
        c->quit = true;
        return 0;
}

const struct cmd_entry con_commands[] = {
    {"help", "[COMMAND]", "the keys and commands", 0, 1, "-", NULL, c_help},
    {"nodes", "", "list the nodes", 0, 0, "", NULL, c_nodes},
    {"links", "", "list the links and their state", 0, 0, "", NULL, c_links},
    {"net", "", "each node's interfaces and what they connect to", 0, 0, "", NULL, c_net},
    {"dump", "", "each node's addresses", 0, 0, "", NULL, c_dump},
    {"pingall", "", "ping between every pair of hosts", 0, 0, "", NULL, c_pingall},
    {"ping", "A B", "one ping from A to B", 2, 2, "nn", NULL, c_ping},
    {"iperf", "A B", "TCP throughput from A to B (iperf3)", 2, 2, "nn", NULL, c_iperf},
    {"link", "A B up|down", "set the link between A and B up or down", 3, 3, "nns", "up down",
     c_link},
    {"term", "NODE", "a shell inside NODE in a new pane", 1, 1, "n", NULL, c_term},
    {"select", "NODE", "select NODE in the graph and the inspector", 1, 1, "n", NULL, c_select},
    {"exp", "[run NAME|next]", "the lab's experiments", 0, 2, "sx", "run next", c_exp},
    {"clean", "", "remove what other (crashed) labs left behind", 0, 0, "", NULL, c_clean},
    {"quit", "", "leave (tears the lab down unless --keep)", 0, 0, "", NULL, c_quit},
    {"exit", "", "same as quit", 0, 0, "", NULL, c_quit},
    {NULL, NULL, NULL, 0, 0, NULL, NULL, NULL},
};

void con_exec_line(struct console *c, const char *line)
{
        struct cmd_parsed p;
        char err[ERRLEN] = "";
        int argc = cmd_split(line, &p, err);
        if (argc < 0) {
                con_msg(c, true, "%s", err);
                return;
        }
        if (argc == 0)
                return;
        con_log(c, "> %s", line);
        const struct cmd_entry *e = NULL;
        for (const struct cmd_entry *k = con_commands; k->name; k++)
                if (strcmp(k->name, p.argv[0]) == 0)
                        e = k;
        if (!e || e->exec != c_quit)
                c->quit_confirm = false;
        if (!e) {
                int n = lab_find_node(c->lab, p.argv[0]);
                if (n >= 0 && !c->lab->nodes[n].deleted) {
                        if (argc == 1) {
                                con_select_node(c, n);
                                return;
                        }
                        if (need_up(c, err) < 0 ||
                            job_start(c, J_CMD, n, -1, p.rest, false, err) < 0)
                                con_msg(c, true, "%s", err);
                        return;
                }
                e = cmd_find(con_commands, p.argv[0], err);
                if (!e) {
                        con_msg(c, true, "%s", err);
                        return;
                }
        }
        if (cmd_check_args(e, argc - 1, err) < 0) {
                con_msg(c, true, "%s", err);
                return;
        }
        if (e->exec(c, argc - 1, p.argv + 1, p.rest, err) < 0)
                con_msg(c, true, "%s", err);
        c->dirty = true;
}
