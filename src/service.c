/* service.c — supervised processes in nodes (see service.h).
 *
 * The supervisor is a fork of netlab that never execs: it only forks,
 * waits and writes small files, so it stays a few pages of its parent. Its
 * loop: start the command, wait for it (a signal interrupts the wait: TERM
 * stops, HUP restarts), write the state after each change, decide by the
 * policy. */
#include "service.h"
#include "journal.h"
#include "netns.h"
#include "nodefs.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RESTARTS_MAX 5      /* within RESTART_WINDOW_S, then give up */
#define RESTART_WINDOW_S 60 /* seconds */
#define STOP_GRACE_MS 3000  /* TERM, then KILL */

static const char *const restart_names[] = {"no", "on-failure", "always"};

int service_restart_parse(const char *s, enum service_restart *r, char *err)
{
        for (int i = 0; i < 3; i++)
                if (s && !strcmp(s, restart_names[i])) {
                        *r = (enum service_restart)i;
                        return 0;
                }
        return errf(err, "restart = \"%s\": expected \"no\", \"on-failure\" or \"always\"",
                    s ? s : "?");
}

bool service_name_ok(const char *name)
{
        size_t n = strlen(name);
        if (n == 0 || n > SERVICE_NAME_MAX || !strcmp(name, ".") || !strcmp(name, ".."))
                return false;
        for (const char *c = name; *c; c++)
                if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                      (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '.'))
                        return false;
        return true;
}

int service_find(const struct lab *lab, int node, const char *name)
{
        for (int i = 0; i < lab->nsvcs; i++)
                if (lab->svcs[i].node == node && !strcmp(lab->svcs[i].name, name))
                        return i;
        return -1;
}

void service_state_path_in(const char *rundir, const char *node, const char *name, char *buf,
                           size_t len)
{
        snprintf(buf, len, "%s/svc/%s.%s", rundir, node, name);
}

static void state_path(const struct lab *lab, int node, const char *name, char *buf, size_t len)
{
        service_state_path_in(lab->rundir, lab->nodes[node].name, name, buf, len);
}

void service_log_dir(const struct lab *lab, int node, char *buf, size_t len)
{
        snprintf(buf, len, "%s/log/%s", lab->rundir, lab->nodes[node].name);
}

void service_log_path(const struct lab *lab, int node, const char *name, char *buf, size_t len)
{
        char dir[PATH_MAX + 64];
        service_log_dir(lab, node, dir, sizeof(dir));
        snprintf(buf, len, "%s/%s.log", dir, name);
}

/* ---- the supervisor (a child of netlab) ---- */

static void sup_write_state(const char *path, const char *state, pid_t pid, int restarts,
                            int status)
{
        char tmp[PATH_MAX + 8], line[128];
        snprintf(tmp, sizeof(tmp), "%s.new", path);
        int n = snprintf(line, sizeof(line), "%s %d %d %d\n", state, (int)pid, restarts, status);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return;
        if (write(fd, line, (size_t)n) != n) {
                close(fd);
                return;
        }
        close(fd);
        rename(tmp, path);
}

static void sup_log(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sup_log(int fd, const char *fmt, ...)
{
        char line[512];
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
        va_end(ap);
        if (n < 0)
                return;
        if ((size_t)n > sizeof(line) - 2)
                n = (int)sizeof(line) - 2;
        line[n++] = '\n';
        if (write(fd, line, (size_t)n) < 0)
                return;
}

static int status_of(int st)
{
        return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
}

static pid_t sup_spawn(const struct service *s, int log_fd)
{
        pid_t pid = fork();
        if (pid != 0)
                return pid;
        setpgid(0, 0);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        for (int sig = 1; sig < NSIG; sig++)
                signal(sig, SIG_DFL);
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0)
                dup2(nul, 0);
        dup2(log_fd, 1);
        dup2(log_fd, 2);
        for (char **e = s->env; e && *e; e++)
                putenv(*e);
        if (chdir("/") < 0)
                _exit(127);
        execl("/bin/sh", "sh", "-c", s->cmd, (char *)NULL);
        _exit(127);
}

/* Waits for pid's exit (its status), SIGTERM/SIGINT (-2) or SIGHUP (-3),
 * all blocked and taken with sigwaitinfo: none is lost between a check
 * and the wait. */
static int sup_wait(pid_t pid, const sigset_t *set)
{
        for (;;) {
                int st;
                if (waitpid(pid, &st, WNOHANG) == pid)
                        return status_of(st);
                int sig = sigwaitinfo(set, NULL);
                if (sig == SIGTERM || sig == SIGINT)
                        return -2;
                if (sig == SIGHUP)
                        return -3;
        }
}

static void sup_kill_group(pid_t pid)
{
        kill(-pid, SIGTERM);
        for (int ms = 0; ms < STOP_GRACE_MS; ms += 50) {
                int st;
                if (waitpid(pid, &st, WNOHANG) == pid) {
                        kill(-pid, SIGKILL); /* what it left in its group */
                        return;
                }
                struct timespec ts = {0, 50 * 1000000L};
                nanosleep(&ts, NULL);
        }
        kill(-pid, SIGKILL);
        waitpid(pid, NULL, 0);
}

static void supervise(const struct service *s, const char *state_file, int log_fd)
{
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGCHLD);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGHUP);
        sigprocmask(SIG_SETMASK, &set, NULL); /* the children unblock them */
        signal(SIGPIPE, SIG_IGN);
        int restarts = 0, status = -1;
        time_t window[RESTARTS_MAX] = {0};
        for (;;) {
                pid_t pid = sup_spawn(s, log_fd);
                if (pid < 0) {
                        sup_log(log_fd, "netlab: service %s: cannot fork: %s", s->name,
                                strerror(errno));
                        sup_write_state(state_file, "failed", 0, restarts, -1);
                        _exit(1);
                }
                sup_write_state(state_file, "running", pid, restarts, status);
                int st = sup_wait(pid, &set);
                if (st == -2 || st == -3) {
                        sup_kill_group(pid);
                        if (st == -2) {
                                sup_log(log_fd, "netlab: service %s stopped", s->name);
                                sup_write_state(state_file, "stopped", 0, restarts, status);
                                _exit(0);
                        }
                        restarts++;
                        sup_log(log_fd, "netlab: service %s restarted", s->name);
                        continue;
                }
                kill(-pid, SIGKILL); /* what it left in its group */
                status = st;
                bool again = s->restart == SERVICE_ALWAYS ||
                             (s->restart == SERVICE_ON_FAILURE && status != 0);
                if (!again) {
                        sup_log(log_fd, "netlab: service %s exited with status %d", s->name,
                                status);
                        sup_write_state(state_file, status == 0 ? "exited" : "failed", 0,
                                        restarts, status);
                        _exit(0);
                }
                time_t now = time(NULL);
                int recent = 0;
                for (int i = 0; i < RESTARTS_MAX; i++)
                        recent += window[i] && now - window[i] < RESTART_WINDOW_S;
                if (recent >= RESTARTS_MAX) {
                        sup_log(log_fd,
                                "netlab: service %s exited with status %d; %d restarts within "
                                "%d s: given up",
                                s->name, status, RESTARTS_MAX, RESTART_WINDOW_S);
                        sup_write_state(state_file, "gave-up", 0, restarts, status);
                        _exit(0);
                }
                window[restarts % RESTARTS_MAX] = now;
                restarts++;
                sup_log(log_fd, "netlab: service %s exited with status %d; restarting (%d)",
                        s->name, status, restarts);
                sup_write_state(state_file, "restarting", 0, restarts, status);
                /* A second before the next start; a stop meanwhile is kept. */
                struct timespec ts = {1, 0};
                long long end = (long long)time(NULL) + 2;
                for (;;) {
                        int sig = sigtimedwait(&set, NULL, &ts);
                        if (sig == SIGTERM || sig == SIGINT) {
                                sup_write_state(state_file, "stopped", 0, restarts, status);
                                _exit(0);
                        }
                        if (sig < 0 && errno == EAGAIN)
                                break;
                        if (sig == SIGHUP || (long long)time(NULL) >= end)
                                break;
                }
        }
}

/* ---- the owner's side ---- */

static int mkdir_in_run(const struct lab *lab, const char *rel, char *err)
{
        char p[PATH_MAX + 64];
        snprintf(p, sizeof(p), "%s/%s", lab->rundir, rel);
        if (mkdir(p, 0700) < 0 && errno != EEXIST)
                return errf_sys(err, NULL, "Cannot create \"%s\"", p);
        return 0;
}

static int launch(struct lab *lab, struct service *s, char *err)
{
        char rel[NODE_NAME_MAX + 8], logp[PATH_MAX + 128], statep[PATH_MAX + 128];
        const struct node *n = &lab->nodes[s->node];
        snprintf(rel, sizeof(rel), "log/%s", n->name);
        if (mkdir_in_run(lab, "svc", err) < 0 || mkdir_in_run(lab, "log", err) < 0 ||
            mkdir_in_run(lab, rel, err) < 0)
                return -1;
        service_log_path(lab, s->node, s->name, logp, sizeof(logp));
        state_path(lab, s->node, s->name, statep, sizeof(statep));
        int log_fd = open(logp, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (log_fd < 0)
                return errf_sys(err, NULL, "Cannot open \"%s\"", logp);
        sup_write_state(statep, "starting", 0, 0, -1);
        pid_t pid = fork();
        if (pid < 0) {
                close(log_fd);
                return errf_sys(err, NULL, "Cannot start service \"%s\" in \"%s\"", s->name,
                                n->name);
        }
        if (pid == 0) {
                /* Detach from the owner's terminal and process group: a
                 * Ctrl-C in the console is not the service's. */
                setsid();
                char e[ERRLEN];
                int net = lab_ns_open(lab, n, CLONE_NEWNET, e);
                int uts = net < 0 ? -1 : lab_ns_open(lab, n, CLONE_NEWUTS, e);
                int mnt = net < 0 || !n->ndirs ? -1 : nodefs_open(lab, n, e);
                if (net < 0 || (n->ndirs && mnt < 0) || netns_enter_node(net, uts, mnt, e) < 0) {
                        sup_log(log_fd, "netlab: cannot enter node \"%s\": %s", n->name, e);
                        sup_write_state(statep, "failed", 0, 0, 127);
                        _exit(1);
                }
                if (mnt < 0)
                        netns_bind_etc(n->netns_name, e);
                /* Nothing of the owner's stays open here: not its lab lock
                 * (a supervisor holding it would block the teardown), not
                 * its sockets, ptys or journal. */
                if (log_fd != 3 && dup2(log_fd, 3) < 0)
                        _exit(1);
                int nul = open("/dev/null", O_RDWR);
                if (nul < 0 || dup2(nul, 0) < 0 || dup2(3, 1) < 0 || dup2(3, 2) < 0)
                        _exit(1);
                close_range(4, ~0U, 0);
                supervise(s, statep, 3);
                _exit(0);
        }
        close(log_fd);
        s->sup = pid;
        s->sup_start = proc_starttime(pid);
        journal_add(lab->journal, "proc %d %llu", (int)pid, s->sup_start);
        return 0;
}

static void service_clear(struct service *s)
{
        free(s->cmd);
        for (char **e = s->env; e && *e; e++)
                free(*e);
        free(s->env);
        memset(s, 0, sizeof(*s));
}

void service_reap(struct lab *lab)
{
        for (int i = 0; i < lab->nsvcs; i++) {
                struct service *s = &lab->svcs[i];
                if (s->sup > 0 && waitpid(s->sup, NULL, WNOHANG) == s->sup)
                        s->sup = 0;
        }
}

int service_start(struct lab *lab, int node, const char *name, const char *cmd,
                  enum service_restart restart, char *const env[], char *err)
{
        if (!lab_node_live(lab, node))
                return errf(err, "no such node");
        const struct node *n = &lab->nodes[node];
        if (!service_name_ok(name))
                return errf(err, "\"%s\" is not a service name ([A-Za-z0-9_.-], 1 to %d)", name,
                            SERVICE_NAME_MAX);
        if (lab->state != LAB_UP || !n->made)
                return errf(err, "Cannot start service \"%s\" in \"%s\": lab \"%s\" is not running",
                            name, n->name, lab->name);
        service_reap(lab);
        int i = service_find(lab, node, name);
        if (i >= 0 && lab->svcs[i].sup > 0)
                return errf(err, "service \"%s\" already runs in \"%s\"", name, n->name);
        if (i < 0) {
                struct service *a = realloc(lab->svcs, (size_t)(lab->nsvcs + 1) * sizeof(*a));
                if (!a)
                        return errf_sys(err, NULL, "Cannot add service \"%s\"", name);
                lab->svcs = a;
                i = lab->nsvcs++;
        } else {
                service_clear(&lab->svcs[i]);
        }
        struct service *s = &lab->svcs[i];
        memset(s, 0, sizeof(*s));
        s->node = node;
        snprintf(s->name, sizeof(s->name), "%s", name);
        s->restart = restart;
        s->cmd = strdup(cmd);
        size_t ne = 0;
        while (env && env[ne])
                ne++;
        s->env = ne ? calloc(ne + 1, sizeof(char *)) : NULL;
        bool oom = !s->cmd || (ne && !s->env);
        for (size_t k = 0; !oom && k < ne; k++)
                oom = !(s->env[k] = strdup(env[k]));
        if (oom) {
                service_clear(s);
                lab->nsvcs--;
                return errf_sys(err, NULL, "Cannot add service \"%s\"", name);
        }
        return launch(lab, s, err);
}

int service_start_again(struct lab *lab, int node, const char *name, char *err)
{
        service_reap(lab);
        int i = service_find(lab, node, name);
        if (i < 0)
                return errf(err, "no service \"%s\" in \"%s\"", name, lab->nodes[node].name);
        if (lab->svcs[i].sup > 0)
                return errf(err, "service \"%s\" already runs in \"%s\"", name,
                            lab->nodes[node].name);
        return launch(lab, &lab->svcs[i], err);
}

/* SIGTERM to the supervisor, which stops its service (TERM, KILL after
 * STOP_GRACE_MS) and exits; service_reap collects it. Never waits: the
 * console's loop calls this. */
static void stop_sup(struct service *s)
{
        if (s->sup > 0 && proc_starttime(s->sup) == s->sup_start)
                kill(s->sup, SIGTERM);
}

int service_stop(struct lab *lab, int node, const char *name, char *err)
{
        service_reap(lab);
        int i = service_find(lab, node, name);
        if (i < 0)
                return errf(err, "no service \"%s\" in \"%s\"", name, lab->nodes[node].name);
        stop_sup(&lab->svcs[i]);
        return 0;
}

/* SIGHUP to a running supervisor (it restarts its service), a new
 * supervisor for a stopped one. */
static int restart_one(struct lab *lab, struct service *s, char *err)
{
        if (s->sup > 0 && proc_starttime(s->sup) == s->sup_start) {
                kill(s->sup, SIGHUP);
                return 0;
        }
        return launch(lab, s, err);
}

int service_restart_node(struct lab *lab, int node, char *err)
{
        service_reap(lab);
        int n = 0;
        for (int i = 0; i < lab->nsvcs; i++) {
                struct service *s = &lab->svcs[i];
                if (s->node != node)
                        continue;
                if (restart_one(lab, s, err) < 0)
                        return -1;
                n++;
        }
        return n;
}

int service_restart(struct lab *lab, int node, const char *name, char *err)
{
        service_reap(lab);
        int i = service_find(lab, node, name);
        if (i < 0)
                return errf(err, "no service \"%s\" in \"%s\"", name, lab->nodes[node].name);
        return restart_one(lab, &lab->svcs[i], err);
}

int service_state_read(const char *path, struct service_state *st)
{
        char line[128];
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return -1;
        ssize_t r = read(fd, line, sizeof(line) - 1);
        close(fd);
        if (r <= 0)
                return -1;
        line[r] = '\0';
        int pid = 0;
        memset(st, 0, sizeof(*st));
        if (sscanf(line, "%15s %d %d %d", st->state, &pid, &st->restarts, &st->status) != 4)
                return -1;
        st->pid = pid;
        return 0;
}

int service_state(const struct lab *lab, int node, const char *name, struct service_state *st)
{
        char p[PATH_MAX + 128];
        state_path(lab, node, name, p, sizeof(p));
        return service_state_read(p, st);
}

void service_log_tail(const struct lab *lab, int node, const char *name, char *buf, size_t len)
{
        char p[PATH_MAX + 128];
        buf[0] = '\0';
        service_log_path(lab, node, name, p, sizeof(p));
        int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0 || len < 2) {
                if (fd >= 0)
                        close(fd);
                return;
        }
        off_t end = lseek(fd, 0, SEEK_END);
        off_t from = end > (off_t)len - 1 ? end - (off_t)len + 1 : 0;
        ssize_t r = pread(fd, buf, len - 1, from);
        close(fd);
        if (r <= 0)
                return;
        buf[r] = '\0';
        if (from > 0) { /* from the first whole line */
                char *nl = strchr(buf, '\n');
                if (nl)
                        memmove(buf, nl + 1, strlen(nl + 1) + 1);
        }
}

void service_free_all(struct lab *lab)
{
        for (int i = 0; i < lab->nsvcs; i++)
                service_clear(&lab->svcs[i]);
        free(lab->svcs);
        lab->svcs = NULL;
        lab->nsvcs = 0;
}
