/* service.c — supervised processes in nodes (see service.h).
 *
 * The keeper is a fork of netlab that never execs: it forks, waits and
 * writes small files, so it stays a few pages of its parent. Its loop
 * (poll): the owner's messages, a signalfd for its children's ends and for
 * TERM, and the timers of each service (the second before a restart, the
 * grace before a KILL). */
#include "monotime.h"
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
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RESTARTS_MAX 5      /* within RESTART_WINDOW_S, then give up */
#define RESTART_WINDOW_S 60 /* seconds */
#define STOP_GRACE_MS 3000  /* TERM, then KILL */
#define SERVICE_MSG_MAX 65536 /* a start message: paths, command, environment */

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

/* ---- the keeper (a child of netlab) ---- */

static void sup_write_state(const char *path, const char *state, pid_t pid, int restarts,
                            int status)
{
        char tmp[PATH_MAX + 8], line[128];
        if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new", path) >= sizeof(tmp))
                return;
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

/* A service as the keeper holds it: the owner's start message (its
 * strings point into msg) and what runs. */
enum kwant { K_RUN, K_STOP, K_RESTART }; /* when the process ends */
struct kslot {
        bool used;
        char *msg;
        const char *name, *cmd, *state, *log, *net, *uts, *mnt, *nsname;
        char **env;
        enum service_restart restart;
        int log_fd;
        pid_t pid; /* the service's shell, leader of its group; 0: none */
        int restarts, status;
        time_t window[RESTARTS_MAX];
        long long restart_at; /* a start is due then (ms), 0: none */
        long long kill_at;    /* SIGKILL to the group then (ms), 0: none */
        enum kwant want;
};

struct keeper {
        struct kslot *slot;
        int nslot;
        bool eof;  /* the owner is gone (or let go): exit once nothing runs */
        bool kept; /* the owner left the lab up ("K"): the services run on */
};

/* The service's process: the node's namespaces (opened by path, so the
 * keeper holds none of them), its own process group, the log as its
 * output, then /bin/sh -c CMD. */
static void spawn_child(const struct kslot *k)
{
        setpgid(0, 0);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        for (int sig = 1; sig < NSIG; sig++)
                signal(sig, SIG_DFL);
        char e[ERRLEN] = "";
        int net = open(k->net, O_RDONLY | O_CLOEXEC);
        int uts = open(k->uts, O_RDONLY | O_CLOEXEC);
        int mnt = k->mnt[0] ? open(k->mnt, O_RDONLY | O_CLOEXEC) : -1;
        /* Into the node, or die (as proc.c's child_enter): never run on the host. */
        if (net < 0 || uts < 0 || (k->mnt[0] && mnt < 0))
                snprintf(e, sizeof(e), "Cannot open its namespaces (%s)", strerror(errno));
        if (e[0] || netns_enter_node(net, uts, mnt, -1, e) < 0) {
                sup_log(k->log_fd, "netlab: service %s: cannot enter its node: %s", k->name, e);
                _exit(127);
        }
        if (mnt < 0 && netns_bind_etc(k->nsname, e) < 0)
                sup_log(k->log_fd, "netlab: service %s: %s", k->name, e);
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0)
                dup2(nul, 0);
        dup2(k->log_fd, 1);
        dup2(k->log_fd, 2);
        for (char **v = k->env; v && *v; v++)
                putenv(*v);
        if (chdir("/") < 0)
                _exit(127);
        execl("/bin/sh", "sh", "-c", k->cmd, (char *)NULL);
        _exit(127);
}

static void k_spawn(struct kslot *k)
{
        k->restart_at = k->kill_at = 0;
        k->want = K_RUN;
        pid_t pid = fork();
        if (pid == 0)
                spawn_child(k);
        if (pid < 0) {
                sup_log(k->log_fd, "netlab: service %s: cannot fork: %s", k->name,
                        strerror(errno));
                sup_write_state(k->state, "failed", 0, k->restarts, -1);
                k->pid = 0;
                return;
        }
        setpgid(pid, pid); /* before any kill(-pid) of ours */
        k->pid = pid;
        sup_write_state(k->state, "running", pid, k->restarts, k->status);
}

/* TERM to the service's group now, KILL at kill_at if it is still there. */
static void k_term(struct kslot *k, enum kwant want)
{
        k->want = want;
        kill(-k->pid, SIGTERM);
        if (!k->kill_at)
                k->kill_at = monotime_ms() + STOP_GRACE_MS;
}

/* The service is stopped: its log and its state say so. */
static void k_stopped(struct kslot *k)
{
        sup_log(k->log_fd, "netlab: service %s stopped", k->name);
        sup_write_state(k->state, "stopped", 0, k->restarts, k->status);
}

/* Stops the service: TERM to its process (k_ended writes the stop once it
 * ends), or its restart called off. */
static void k_stop(struct kslot *k)
{
        if (k->pid > 0) {
                k_term(k, K_STOP);
        } else if (k->restart_at) {
                k->restart_at = 0;
                k_stopped(k);
        }
}

/* The service's process ended with status st: by the policy, or as asked. */
static void k_ended(struct kslot *k, int st)
{
        kill(-k->pid, SIGKILL); /* what it left in its group */
        k->pid = 0;
        k->kill_at = 0;
        if (k->want == K_STOP) {
                k_stopped(k);
                return;
        }
        if (k->want == K_RESTART) {
                k->restarts++;
                sup_log(k->log_fd, "netlab: service %s restarted", k->name);
                k_spawn(k);
                return;
        }
        k->status = status_of(st);
        bool again = k->restart == SERVICE_ALWAYS ||
                     (k->restart == SERVICE_ON_FAILURE && k->status != 0);
        if (!again) {
                sup_log(k->log_fd, "netlab: service %s exited with status %d", k->name, k->status);
                sup_write_state(k->state, k->status == 0 ? "exited" : "failed", 0, k->restarts,
                                k->status);
                return;
        }
        time_t now = time(NULL);
        int recent = 0;
        for (int i = 0; i < RESTARTS_MAX; i++)
                recent += k->window[i] && now - k->window[i] < RESTART_WINDOW_S;
        if (recent >= RESTARTS_MAX) {
                sup_log(k->log_fd,
                        "netlab: service %s exited with status %d; %d restarts within %d s: "
                        "given up",
                        k->name, k->status, RESTARTS_MAX, RESTART_WINDOW_S);
                sup_write_state(k->state, "gave-up", 0, k->restarts, k->status);
                return;
        }
        k->window[k->restarts % RESTARTS_MAX] = now;
        k->restarts++;
        sup_log(k->log_fd, "netlab: service %s exited with status %d; restarting (%d)", k->name,
                k->status, k->restarts);
        sup_write_state(k->state, "restarting", 0, k->restarts, k->status);
        k->restart_at = monotime_ms() + 1000; /* a second before the next start */
}

static bool k_active(const struct kslot *k)
{
        return k->used && (k->pid > 0 || k->restart_at);
}

static void k_clear(struct kslot *k)
{
        if (k->log_fd >= 0)
                close(k->log_fd);
        free(k->msg);
        free(k->env);
        memset(k, 0, sizeof(*k));
        k->log_fd = -1;
}

/* Every service stopped (TERM, KILL after the grace), none restarted. */
static void k_stop_all(struct keeper *kp)
{
        for (int i = 0; i < kp->nslot; i++)
                if (kp->slot[i].used)
                        k_stop(&kp->slot[i]);
}

/* "S" slot restart state log net uts mnt nsname name cmd env...: (re)defines
 * and starts slot; "T" slot: stop; "H" slot: restart; "K": the owner leaves
 * the lab up, the services outlive it. NUL-separated. */
static void k_message(struct keeper *kp, char *msg, size_t len)
{
        /* The fixed fields; a start's environment follows them, from env_at. */
        const char *f[11];
        int nf = 0, nenv = 0;
        size_t o = 0;
        for (; o < len && nf < (int)(sizeof(f) / sizeof(f[0])); o += strlen(msg + o) + 1)
                f[nf++] = msg + o;
        size_t env_at = o;
        for (; o < len; o += strlen(msg + o) + 1)
                nenv++;
        if (nf >= 1 && f[0][0] == 'K')
                kp->kept = true;
        if (nf < 2)
                goto drop;
        int i = atoi(f[1]);
        if (i < 0 || i > 100000)
                goto drop;
        if (i >= kp->nslot) {
                struct kslot *a = realloc(kp->slot, (size_t)(i + 1) * sizeof(*a));
                if (!a)
                        goto drop;
                for (int j = kp->nslot; j <= i; j++) {
                        memset(&a[j], 0, sizeof(a[j]));
                        a[j].log_fd = -1;
                }
                kp->slot = a;
                kp->nslot = i + 1;
        }
        struct kslot *k = &kp->slot[i];
        if (f[0][0] == 'S' && nf >= 11 && !k_active(k)) {
                k_clear(k);
                k->msg = msg;
                k->restart = (enum service_restart)atoi(f[2]);
                k->state = f[3], k->log = f[4], k->net = f[5], k->uts = f[6], k->mnt = f[7];
                k->nsname = f[8], k->name = f[9], k->cmd = f[10];
                k->env = calloc((size_t)nenv + 1, sizeof(char *));
                for (int j = 0; k->env && j < nenv; j++, env_at += strlen(msg + env_at) + 1)
                        k->env[j] = msg + env_at;
                k->log_fd = open(k->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW,
                                 0600);
                k->used = true;
                k->status = -1;
                if (k->log_fd < 0 || !k->env) {
                        sup_write_state(k->state, "failed", 0, 0, -1);
                        k->used = false;
                        return;
                }
                k_spawn(k);
                return;
        }
        if (f[0][0] == 'T' && k->used) {
                k_stop(k);
        } else if (f[0][0] == 'H' && k->used) {
                if (k->pid > 0) {
                        k_term(k, K_RESTART);
                } else if (k->restart_at) {
                        k_spawn(k);
                }
        }
drop:
        free(msg);
}

/* The keeper's loop: the owner's messages, its children's ends, the
 * restart and kill timers. TERM/INT stop every service, then it exits. So
 * does the end of the owner's socket, unless the owner left the lab up
 * ("K"): a netlab killed with -9 leaves no daemon running. */
static void keeper_main(int sock)
{
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGCHLD);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGHUP);
        sigprocmask(SIG_SETMASK, &set, NULL); /* the children unblock them */
        signal(SIGPIPE, SIG_IGN);
        int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
        if (sfd < 0 || fcntl(sock, F_SETFD, FD_CLOEXEC) < 0)
                _exit(1);
        struct keeper kp = {0};
        for (;;) {
                int st;
                pid_t pid;
                while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
                        for (int i = 0; i < kp.nslot; i++)
                                if (kp.slot[i].used && kp.slot[i].pid == pid)
                                        k_ended(&kp.slot[i], st);
                long long now = monotime_ms(), next = -1;
                bool active = false;
                for (int i = 0; i < kp.nslot; i++) {
                        struct kslot *k = &kp.slot[i];
                        if (k->restart_at && k->restart_at <= now)
                                k_spawn(k);
                        if (k->kill_at && k->kill_at <= now && k->pid > 0) {
                                kill(-k->pid, SIGKILL);
                                k->kill_at = 0;
                        }
                        long long t = k->restart_at ? k->restart_at : k->kill_at;
                        if (t && (next < 0 || t < next))
                                next = t;
                        active = active || k_active(k);
                }
                if (kp.eof && !active)
                        _exit(0);
                struct pollfd p[2] = {{.fd = sfd, .events = POLLIN},
                                      {.fd = kp.eof ? -1 : sock, .events = POLLIN}};
                int timeout = next < 0 ? -1 : (int)(next > now ? next - now : 0);
                if (poll(p, 2, timeout) < 0 && errno != EINTR)
                        _exit(1);
                struct signalfd_siginfo si;
                while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
                        if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
                                kp.eof = true;
                                k_stop_all(&kp);
                        }
                if (p[1].revents) {
                        char *buf = malloc(SERVICE_MSG_MAX);
                        ssize_t n = buf ? recv(sock, buf, SERVICE_MSG_MAX - 1, MSG_DONTWAIT) : -1;
                        if (n > 0) {
                                buf[n] = '\0';
                                char *fit = realloc(buf, (size_t)n + 1); /* a start keeps it */
                                k_message(&kp, fit ? fit : buf, (size_t)n);
                        } else {
                                free(buf);
                                if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                                        kp.eof = true;
                                        if (!kp.kept)
                                                k_stop_all(&kp);
                                }
                        }
                }
        }
}

/* ---- the owner's side ---- */

/* The lab's keeper: its pid and the owner's end of its socket. */
struct service_keeper {
        pid_t pid, old; /* old: the one before, let go, not reaped yet */
        int fd; /* -1: let go (it exits once nothing runs) */
};

static int mkdir_in_run(const struct lab *lab, const char *rel, char *err)
{
        char p[PATH_MAX + 64];
        snprintf(p, sizeof(p), "%s/%s", lab->rundir, rel);
        if (mkdir(p, 0700) < 0 && errno != EEXIST)
                return errf_sys(err, NULL, "Cannot create \"%s\"", p);
        return 0;
}

/* Forks the keeper, journaled; the owner keeps one end of a socket pair. */
static int keeper_start(struct lab *lab, char *err)
{
        struct service_keeper *kp = lab->svk;
        if (!kp && !(kp = lab->svk = calloc(1, sizeof(*kp))))
                return errf_sys(err, NULL, "Cannot start the service keeper");
        if (kp->pid > 0 && waitpid(kp->pid, NULL, WNOHANG) == 0)
                kp->old = kp->pid; /* let go, and still exiting: reaped later */
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
                return errf_sys(err, NULL, "Cannot start the service keeper");
        pid_t pid = fork();
        if (pid < 0) {
                close(sv[0]);
                close(sv[1]);
                return errf_sys(err, NULL, "Cannot start the service keeper");
        }
        if (pid == 0) {
                /* Detached from the owner's terminal and process group (a
                 * Ctrl-C in the console is not its), holding nothing of the
                 * owner's: not its lab lock, sockets, ptys or journal. */
                setsid();
                int nul = open("/dev/null", O_RDWR);
                if (nul < 0 || dup2(sv[1], 3) < 0 || dup2(nul, 0) < 0 || dup2(nul, 1) < 0 ||
                    dup2(nul, 2) < 0)
                        _exit(1);
                close_range(4, ~0U, 0);
                keeper_main(3);
                _exit(0);
        }
        close(sv[1]);
        kp->pid = pid;
        unsigned long long start = proc_starttime(pid);
        kp->fd = sv[0];
        journal_add(lab->journal, "proc %d %llu", (int)pid, start);
        return 0;
}

/* Sends one message to the keeper, starting one when none listens. */
static int keeper_send(struct lab *lab, const char *msg, size_t len, char *err)
{
        for (int attempt = 0; attempt < 2; attempt++) {
                struct service_keeper *kp = lab->svk;
                if ((!kp || kp->fd < 0) && keeper_start(lab, err) < 0)
                        return -1;
                kp = lab->svk;
                ssize_t r;
                /* A full socket (hundreds of starts at once) drains as the
                 * keeper forks: wait for it, a few seconds at most. */
                for (int w = 0;
                     (r = send(kp->fd, msg, len, MSG_NOSIGNAL | MSG_DONTWAIT)) < 0 &&
                     (errno == EAGAIN || errno == EINTR) && w < 50;
                     w++) {
                        struct pollfd p = {.fd = kp->fd, .events = POLLOUT};
                        poll(&p, 1, 100);
                }
                if (r == (ssize_t)len)
                        return 0;
                int e = errno;
                if (r >= 0 || e == EAGAIN) {
                        errno = e == EAGAIN ? EAGAIN : EMSGSIZE;
                        return errf_sys(err, NULL, "Cannot reach the service keeper");
                }
                close(kp->fd); /* gone: the next attempt starts another */
                kp->fd = -1;
                if (e != EPIPE && e != ECONNRESET && e != ECONNREFUSED) {
                        errno = e;
                        return errf_sys(err, NULL, "Cannot reach the service keeper");
                }
        }
        return errf(err, "the service keeper exited at once");
}

/* The message that defines and starts s. */
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
        char net[PATH_MAX + 64], uts[PATH_MAX + 64], mnt[PATH_MAX + 64] = "";
        snprintf(net, sizeof(net), "%s/%s", NETNS_RUN_DIR, n->netns_name);
        snprintf(uts, sizeof(uts), "%s/uts/%s", lab->rundir, n->name);
        if (n->ndirs)
                snprintf(mnt, sizeof(mnt), "%s/%s/%s", lab->rundir, NODEFS_DIR, n->name);
        char *msg = malloc(SERVICE_MSG_MAX);
        if (!msg)
                return errf_sys(err, NULL, "Cannot start service \"%s\"", s->name);
        const char *field[] = {"S", NULL, NULL, statep, logp, net, uts, mnt, n->netns_name,
                               s->name, s->cmd};
        char idx[16], rs[4];
        snprintf(idx, sizeof(idx), "%d", (int)(s - lab->svcs));
        snprintf(rs, sizeof(rs), "%d", (int)s->restart);
        field[1] = idx;
        field[2] = rs;
        size_t o = 0;
        bool fits = true;
        for (size_t i = 0; i < sizeof(field) / sizeof(field[0]); i++) {
                size_t l = strlen(field[i]) + 1;
                fits = fits && o + l < SERVICE_MSG_MAX;
                if (fits)
                        memcpy(msg + o, field[i], l), o += l;
        }
        for (char **e = s->env; fits && e && *e; e++) {
                size_t l = strlen(*e) + 1;
                fits = o + l < SERVICE_MSG_MAX;
                if (fits)
                        memcpy(msg + o, *e, l), o += l;
        }
        if (!fits) {
                free(msg);
                errno = E2BIG;
                return errf(err, "service \"%s\": its command and environment are too long (%d "
                                 "bytes at most)",
                            s->name, SERVICE_MSG_MAX);
        }
        sup_write_state(statep, "starting", 0, 0, -1);
        int rc = keeper_send(lab, msg, o, err);
        free(msg);
        if (rc < 0)
                return errf(err, "Cannot start service \"%s\" in \"%s\": %s", s->name, n->name,
                            err);
        return 0;
}

/* "T" or "H" for service s. */
static int keeper_ctl(struct lab *lab, const struct service *s, char op, char *err)
{
        char msg[32];
        int n = snprintf(msg, sizeof(msg), "%c%c%d", op, '\0', (int)(s - lab->svcs));
        return keeper_send(lab, msg, (size_t)n + 1, err);
}

/* Whether s runs or is to restart, by its state file, and a keeper could
 * be doing it. */
static bool service_active(const struct lab *lab, const struct service *s)
{
        struct service_state st;
        if (!lab->svk || lab->svk->pid <= 0 || service_state(lab, s->node, s->name, &st) < 0)
                return false;
        return !strcmp(st.state, "running") || !strcmp(st.state, "restarting") ||
               !strcmp(st.state, "starting");
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
        struct service_keeper *kp = lab->svk;
        if (kp && kp->old > 0 && waitpid(kp->old, NULL, WNOHANG) != 0)
                kp->old = 0;
        if (!kp || kp->pid <= 0)
                return;
        int r = (int)waitpid(kp->pid, NULL, WNOHANG);
        if (r == kp->pid || (r < 0 && errno == ECHILD)) {
                if (kp->fd >= 0)
                        close(kp->fd);
                kp->fd = -1;
                kp->pid = 0;
                return;
        }
        if (kp->fd < 0)
                return;
        /* Nothing runs any more: let the keeper go (it exits), so that a lab
         * without running services has no such process. */
        for (int i = 0; i < lab->nsvcs; i++)
                if (service_active(lab, &lab->svcs[i]))
                        return;
        close(kp->fd);
        kp->fd = -1;
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
        if (i >= 0 && service_active(lab, &lab->svcs[i]))
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
        if (service_active(lab, &lab->svcs[i]))
                return errf(err, "service \"%s\" already runs in \"%s\"", name,
                            lab->nodes[node].name);
        return launch(lab, &lab->svcs[i], err);
}

/* The keeper stops it (TERM to its group, KILL after STOP_GRACE_MS) and
 * writes "stopped". Never waits: the console's loop calls this. */
int service_stop(struct lab *lab, int node, const char *name, char *err)
{
        service_reap(lab);
        int i = service_find(lab, node, name);
        if (i < 0)
                return errf(err, "no service \"%s\" in \"%s\"", name, lab->nodes[node].name);
        if (!service_active(lab, &lab->svcs[i]))
                return 0;
        return keeper_ctl(lab, &lab->svcs[i], 'T', err);
}

/* A running (or restarting) service is restarted by the keeper, which
 * counts it; a stopped or ended one is started again. */
static int restart_one(struct lab *lab, struct service *s, char *err)
{
        if (service_active(lab, s))
                return keeper_ctl(lab, s, 'H', err);
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

int service_detach(struct lab *lab, char *err)
{
        struct service_keeper *kp = lab->svk;
        if (!kp || kp->fd < 0)
                return 0; /* none runs, or it was let go with nothing to run */
        if (send(kp->fd, "K", 2, MSG_NOSIGNAL | MSG_DONTWAIT) != 2 && errno != EPIPE &&
            errno != ECONNRESET)
                return errf_sys(err, NULL, "Cannot tell the service keeper");
        return 0;
}

void service_free_all(struct lab *lab)
{
        for (int i = 0; i < lab->nsvcs; i++)
                service_clear(&lab->svcs[i]);
        free(lab->svcs);
        lab->svcs = NULL;
        lab->nsvcs = 0;
        if (lab->svk) {
                /* Our end closed: a keeper whose services still run (a lab
                 * kept up) goes on; one with nothing to do exits. */
                if (lab->svk->fd >= 0)
                        close(lab->svk->fd);
                free(lab->svk);
                lab->svk = NULL;
        }
}
