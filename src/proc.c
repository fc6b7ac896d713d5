/* proc.c — running commands and shells inside nodes (see proc.h).
 *
 * Children fork, reset signal state, enter the node's namespaces with
 * netns_enter and exec. Each gets its own process group so that a job can
 * be killed whole. Every child is journaled ("proc PID STARTTIME"); lab
 * teardown and `netlab clean` additionally kill anything found inside the
 * lab's namespaces, which catches grandchildren and daemons. */
#include "proc.h"
#include "journal.h"
#include "netns.h"
#include "nodefs.h"
#include "monotime.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROC_MAX_OUT_DEFAULT (1u << 20)

/* In the child: default signal dispositions and an empty mask. */
static void child_reset_signals(void)
{
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        for (int s = 1; s < NSIG; s++)
                signal(s, SIG_DFL);
}

/* In the child: into the node as `ip netns exec` goes (net, uts, a private
 * mount namespace with /sys and the node's /etc/netns files), or die. */
static void child_enter(const struct lab *lab, const struct node *n)
{
        char e[ERRLEN];
        /* Opened here, in the child: the owner holds none per node. */
        int net = lab_ns_open(lab, n, CLONE_NEWNET, e);
        int uts = net < 0 ? -1 : lab_ns_open(lab, n, CLONE_NEWUTS, e);
        int mnt = net < 0 || !n->ndirs ? -1 : nodefs_open(lab, n, e);
        int base = net < 0 || n->ndirs ? -1 : nodefs_base_open(lab);
        if (net < 0 || (n->ndirs && mnt < 0) || netns_enter_node(net, uts, mnt, base, e) < 0) {
                dprintf(2, "netlab: cannot enter node \"%s\": %s\n", n->name, e);
                _exit(127);
        }
        if (mnt < 0 && netns_bind_etc(n->netns_name, e) < 0)
                dprintf(2, "netlab: node \"%s\": %s\n", n->name, e);
}

static int node_check(struct lab *lab, int node, char *err)
{
        if (!lab_node_live(lab, node))
                return errf(err, "Cannot run in node #%d: no such node", node);
        if (!lab->nodes[node].made)
                return errf(err, "Cannot run in \"%s\": lab \"%s\" is not running",
                            lab->nodes[node].name, lab->name);
        return 0;
}

/* Output pipes of commands whose shell exited while children it left in
 * the background still hold the write end. Closing them would kill those
 * children with SIGPIPE at their next write, so they stay open and are
 * drained (read and dropped) at each job start and poll, until the last
 * writer is gone. */
#define ORPHANS_MAX 256
static int orphans[ORPHANS_MAX];
static int norphans;

static void orphans_sweep(void)
{
        for (int i = 0; i < norphans;) {
                char buf[4096];
                ssize_t n;
                while ((n = read(orphans[i], buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
                        ;
                if (n < 0 && errno == EAGAIN) {
                        i++;
                        continue;
                }
                close(orphans[i]); /* EOF: nobody writes any more */
                orphans[i] = orphans[--norphans];
        }
}

static void orphan_keep(int fd)
{
        if (norphans < ORPHANS_MAX)
                orphans[norphans++] = fd;
        else
                close(fd);
}

static void journal_child(struct lab *lab, pid_t pid)
{
        if (lab->journal)
                journal_add(lab->journal, "proc %d %llu", (int)pid, proc_starttime(pid));
}

int proc_job_start(struct lab *lab, int node, const char *cmd, struct proc_job *job, char *err)
{
        memset(job, 0, sizeof(*job));
        job->fd = job->pidfd = job->wfd = -1;
        job->pid = -1;
        orphans_sweep();
        if (node != PROC_HOST && node_check(lab, node, err) < 0)
                return -1;
        /* PROC_HOST: netlab's own namespaces (the console's `sh`). */
        static const struct node host = {.name = "the host"};
        const struct node *n = node == PROC_HOST ? &host : &lab->nodes[node];
        int p[2];
        if (pipe2(p, O_CLOEXEC) < 0)
                return errf_sys(err, NULL, "Cannot run in \"%s\"", n->name);
        pid_t pid = fork();
        if (pid < 0) {
                close(p[0]);
                close(p[1]);
                return errf_sys(err, NULL, "Cannot run in \"%s\"", n->name);
        }
        if (pid == 0) {
                setpgid(0, 0);
                child_reset_signals();
                int devnull = open("/dev/null", O_RDONLY);
                if (devnull >= 0 && devnull != 0) {
                        dup2(devnull, 0);
                        close(devnull);
                }
                dup2(p[1], 1);
                dup2(p[1], 2);
                if (node != PROC_HOST)
                        child_enter(lab, n);
                execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
                dprintf(2, "netlab: cannot run /bin/sh: %s\n", strerror(errno));
                _exit(127);
        }
        close(p[1]);
        setpgid(pid, pid); /* also from here: no race with kill() */
        fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
        journal_child(lab, pid);
        job->pid = pid;
        job->fd = p[0];
        job->max_out = PROC_MAX_OUT_DEFAULT;
        job->cap = 4096;
        job->out = malloc(job->cap);
        if (!job->out) {
                proc_job_kill(job);
                return errf_sys(err, NULL, "Cannot run in \"%s\"", n->name);
        }
        job->out[0] = '\0';
        /* One fd to wait on: the output, and the shell's exit (pidfd), since
         * children in the background may keep the pipe open after it. */
        job->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
        job->wfd = epoll_create1(EPOLL_CLOEXEC);
        struct epoll_event ev = {.events = EPOLLIN};
        if (job->pidfd < 0 || job->wfd < 0 ||
            epoll_ctl(job->wfd, EPOLL_CTL_ADD, job->fd, &ev) < 0 ||
            epoll_ctl(job->wfd, EPOLL_CTL_ADD, job->pidfd, &ev) < 0) {
                int e = errno;
                proc_job_free(job);
                errno = e;
                return errf_sys(err, NULL, "Cannot run in \"%s\"", n->name);
        }
        return 0;
}

/* Collects the shell's status; with block false only if it has exited.
 * Returns true once it is known. */
static bool job_reap(struct proc_job *job, bool block)
{
        int st = 0;
        pid_t r;
        if (job->reaped)
                return true;
        while ((r = waitpid(job->pid, &st, block ? 0 : WNOHANG)) < 0 && errno == EINTR)
                ;
        if (r == 0)
                return false;
        /* Reaped by someone else (ECHILD): its status is unknown, not 0. */
        job->status = r < 0 ? 255 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        job->reaped = true;
        if (job->pidfd >= 0) {
                close(job->pidfd);
                job->pidfd = -1;
        }
        return true;
}

int proc_job_poll(struct proc_job *job)
{
        if (job->done)
                return 0;
        orphans_sweep();
        while (job->fd >= 0) {
                char buf[16384];
                ssize_t n = read(job->fd, buf, sizeof(buf));
                if (n > 0) {
                        size_t keep = (size_t)n;
                        if (job->len + keep > job->max_out)
                                keep = job->max_out > job->len ? job->max_out - job->len : 0;
                        job->dropped += (size_t)n - keep;
                        if (job->len + keep + 1 > job->cap) {
                                size_t ncap = job->cap;
                                while (job->len + keep + 1 > ncap)
                                        ncap *= 2;
                                char *o = realloc(job->out, ncap);
                                if (!o)
                                        return -1;
                                job->out = o;
                                job->cap = ncap;
                        }
                        memcpy(job->out + job->len, buf, keep);
                        job->len += keep;
                        job->out[job->len] = '\0';
                        continue;
                }
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 && errno == EAGAIN) {
                        /* Nothing now. Has the shell exited? Then what it
                         * wrote is read once more, and the rest belongs to
                         * its background children. */
                        if (job->reaped) {
                                orphan_keep(job->fd);
                                job->fd = -1;
                                break;
                        }
                        if (job_reap(job, false))
                                continue;
                        return 1;
                }
                /* EOF (or a read error): nobody holds the output any more. */
                close(job->fd);
                job->fd = -1;
        }
        /* The output is closed: the shell is exiting (or closed its output
         * and goes on: the pidfd wakes the caller when it exits). */
        if (!job_reap(job, false))
                return 1;
        job->done = true;
        return 0;
}

void proc_job_kill(struct proc_job *job)
{
        if (job->pid > 0 && !job->done && !job->reaped) {
                kill(-job->pid, SIGKILL);
                kill(job->pid, SIGKILL);
                job_reap(job, true);
        }
        job->done = job->done || job->reaped;
        int *fds[] = {&job->fd, &job->pidfd, &job->wfd};
        for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
                if (*fds[i] >= 0) {
                        close(*fds[i]);
                        *fds[i] = -1;
                }
}

void proc_job_free(struct proc_job *job)
{
        proc_job_kill(job);
        free(job->out);
        job->out = NULL;
}

int proc_run(struct lab *lab, int node, const char *cmd, int timeout_ms, char **out, int *status,
             char *err)
{
        struct proc_job job;
        if (proc_job_start(lab, node, cmd, &job, err) < 0)
                return -1;
        long long deadline = timeout_ms > 0 ? monotime_ms() + timeout_ms : 0;
        int r;
        while ((r = proc_job_poll(&job)) == 1) {
                int wait = -1;
                if (deadline) {
                        long long left = deadline - monotime_ms();
                        if (left <= 0) {
                                proc_job_free(&job);
                                errno = ETIMEDOUT;
                                return errf(err, "\"%s\" in \"%s\" timed out after %d ms", cmd,
                                            lab->nodes[node].name, timeout_ms);
                        }
                        wait = (int)left;
                }
                struct pollfd pfd = {.fd = job.wfd, .events = POLLIN};
                poll(&pfd, 1, wait);
        }
        if (r < 0) {
                proc_job_free(&job);
                return errf_sys(err, NULL, "Cannot read the output of \"%s\"", cmd);
        }
        *status = job.status;
        *out = job.out;
        job.out = NULL;
        return 0;
}

int proc_spawn_pty(struct lab *lab, int node, char *const argv[], int rows, int cols,
                   int *master_fd, pid_t *pid_out, char *err)
{
        if (node_check(lab, node, err) < 0)
                return -1;
        const struct node *n = &lab->nodes[node];
        struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
        int master;
        pid_t pid = forkpty(&master, NULL, NULL, &ws);
        if (pid < 0)
                return errf_sys(err, NULL, "Cannot open a terminal in \"%s\"", n->name);
        if (pid == 0) {
                child_reset_signals();
                child_enter(lab, n);
                setenv("TERM", "xterm-256color", 1);
                setenv("NETLAB_NODE", n->name, 1);
                setenv("NETLAB_LAB", lab->name, 1);
                const char *home = getenv("HOME");
                if (!home || chdir(home) < 0)
                        if (chdir("/") < 0)
                                _exit(127);
                if (argv && argv[0]) {
                        execvp(argv[0], argv);
                } else {
                        const char *sh = access("/bin/bash", X_OK) == 0 ? "/bin/bash" : "/bin/sh";
                        /* A prompt that names the node, whatever the user's rc files do. */
                        char ps1[128];
                        snprintf(ps1, sizeof(ps1), "%s# ", n->name);
                        setenv("PS1", ps1, 1);
                        execl(sh, sh, "--norc", "-i", (char *)NULL);
                        execl(sh, sh, "-i", (char *)NULL);
                }
                dprintf(2, "netlab: cannot start a shell: %s\n", strerror(errno));
                _exit(127);
        }
        fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
        fcntl(master, F_SETFD, FD_CLOEXEC);
        journal_child(lab, pid);
        *master_fd = master;
        *pid_out = pid;
        return 0;
}

int proc_kill_in_netns(const unsigned long *inodes, int n)
{
        if (n <= 0)
                return 0;
        int killed = 0;
        /* Repeat: a dying shell's children may fork meanwhile. */
        for (int round = 0; round < 5; round++) {
                int found = 0;
                DIR *d = opendir("/proc");
                if (!d)
                        return -1;
                struct dirent *de;
                pid_t self = getpid();
                while ((de = readdir(d))) {
                        char *end;
                        long pid = strtol(de->d_name, &end, 10);
                        if (*end || pid <= 0 || pid == self)
                                continue;
                        char path[64];
                        struct stat st;
                        snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
                        if (stat(path, &st) < 0)
                                continue;
                        for (int i = 0; i < n; i++)
                                if ((unsigned long)st.st_ino == inodes[i]) {
                                        if (kill((pid_t)pid, SIGKILL) == 0) {
                                                killed++;
                                                found++;
                                        }
                                        break;
                                }
                }
                closedir(d);
                if (!found)
                        break;
                struct timespec ts = {0, 10 * 1000 * 1000};
                nanosleep(&ts, NULL);
        }
        return killed;
}
