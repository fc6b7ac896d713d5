/* server.c — the lab server: a pty the console runs on, relayed to the
 * clients attached over the lab's Unix socket (see server.h).
 *
 * One process, one poll loop: the pty master, the console's control socket,
 * the listening socket (bound once the console says the lab is up), a
 * signalfd for SIGCHLD, and each client. Output is copied to every client's
 * own buffer (a client that stops reading is dropped past 4 MiB, never
 * allowed to stall the console); input from any client goes to the console,
 * and the client that typed last is the one prefix d detaches. The window
 * is as large as the smallest client (tmux's "smallest" window-size: one
 * byte stream cannot be clipped per client), and grows back when that
 * client leaves. The server exits when the console does, after telling
 * every client the console's exit status. */
#include "server.h"
#include "lab.h"
#include "rundir.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define MAXCLIENTS 16
#define CLIENT_BUF_MAX (4u << 20)

struct client {
        int fd;
        unsigned char *out; /* frames waiting to be written */
        size_t olen, ocap;
        struct srv_frames in;   /* what it sent, up to a partial frame */
        struct srv_winsz ws;    /* its terminal's size (0 x 0: not told yet) */
        unsigned long active;   /* when it last typed or resized (the server's count) */
        bool starter;           /* the terminal that started the lab (the console has its env) */
};

struct server {
        int master, ctl, lsock, sfd, ready;
        pid_t console;
        char name[LAB_NAME_MAX + 1];
        char ctlbuf[1024];
        size_t ctllen;
        struct client cl[MAXCLIENTS];
        int ncl;
        int last;    /* index of the client that typed last, -1 */
        unsigned long clock; /* counts inputs and resizes, for client.active */
        bool lab_up; /* the console said "up": there is a lab to keep */
        bool failed; /* it said "fail": its build failed (a build still
                        running is kept, as a detached one is) */
};

/* A console whose lab never came up (its build failed) keeps nothing: once
 * no terminal shows it, it is told to go, so no server outlives a failure.
 * One still building goes on, detached, and its lab stays up. */
static void idle_check(struct server *s)
{
        if (s->failed && !s->lab_up && s->ncl == 0 && s->console > 0)
                kill(s->console, SIGTERM);
}

/* Closes every descriptor above stderr but those in keep (-1 entries are
 * ignored). */
static void close_all_but(const int *keep, int n)
{
        unsigned lo = 3;
        for (;;) {
                unsigned next = ~0U; /* the lowest kept descriptor at or above lo */
                for (int i = 0; i < n; i++)
                        if (keep[i] >= (int)lo && (unsigned)keep[i] < next)
                                next = (unsigned)keep[i];
                if (next > lo)
                        close_range(lo, next == ~0U ? ~0U : next - 1, 0);
                if (next == ~0U)
                        return;
                lo = next + 1;
        }
}

static int set_nonblock(int fd)
{
        int fl = fcntl(fd, F_GETFL);
        return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void set_size(struct server *s, const struct srv_winsz *w);

/* A client is a terminal that shows the console once it told its size. A
 * connection that has not (`netlab ls` asking, an attach still starting)
 * shows nothing. */
static bool is_terminal(const struct client *c)
{
        return c->ws.rows && c->ws.cols;
}

/* How many terminals show the console, but client except (-1: none). */
static int terminals(const struct server *s, int except)
{
        int n = 0;
        for (int k = 0; k < s->ncl; k++)
                n += k != except && is_terminal(&s->cl[k]);
        return n;
}

/* The console is as large as the smallest terminal that shows it (tmux's
 * window-size smallest): one byte stream goes to every client, and a
 * screen laid out for 200 columns is garbage on an 80-column terminal. */
static void size_to_clients(struct server *s)
{
        struct srv_winsz w = {0};
        for (int k = 0; k < s->ncl; k++) {
                const struct srv_winsz *c = &s->cl[k].ws;
                if (!is_terminal(&s->cl[k]))
                        continue;
                if (!w.rows || c->rows < w.rows)
                        w.rows = c->rows;
                if (!w.cols || c->cols < w.cols)
                        w.cols = c->cols;
        }
        if (w.rows)
                set_size(s, &w);
}

/* The console is told how many terminals show it ("clients N"): quit asks
 * first when it would take the lab down under another one. */
static void tell_clients(struct server *s)
{
        char line[32];
        int n = snprintf(line, sizeof(line), "clients %d\n", terminals(s, -1));
        if (s->ctl >= 0 && send(s->ctl, line, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
                /* a console that does not read them does not need them */
        }
}

static void client_drop(struct server *s, int i)
{
        close(s->cl[i].fd);
        free(s->cl[i].out);
        s->cl[i] = s->cl[--s->ncl];
        if (s->last == i)
                s->last = -1;
        else if (s->last == s->ncl)
                s->last = i;
        /* The client that typed last left: the one active before it is the
         * one prefix d detaches. */
        if (s->last < 0)
                for (int k = 0; k < s->ncl; k++)
                        if (s->last < 0 || s->cl[k].active > s->cl[s->last].active)
                                s->last = k;
        size_to_clients(s); /* a smaller one left: the console grows back */
        tell_clients(s);
        idle_check(s);
}

static int client_queue(struct client *c, uint8_t type, const void *data, size_t len)
{
        if (c->olen + len + sizeof(struct srv_hdr) > CLIENT_BUF_MAX)
                return -1;
        if (c->olen + len + sizeof(struct srv_hdr) > c->ocap) {
                size_t cap = (c->olen + len + sizeof(struct srv_hdr)) * 2;
                unsigned char *nb = realloc(c->out, cap);
                if (!nb)
                        return -1;
                c->out = nb;
                c->ocap = cap;
        }
        struct srv_hdr h = {.type = type, .len = (uint16_t)len};
        memcpy(c->out + c->olen, &h, sizeof(h));
        memcpy(c->out + c->olen + sizeof(h), data, len);
        c->olen += sizeof(h) + len;
        return 0;
}

static int client_flush(struct client *c)
{
        while (c->olen) {
                ssize_t n = send(c->fd, c->out, c->olen, MSG_NOSIGNAL);
                if (n < 0)
                        return errno == EAGAIN || errno == EINTR ? 0 : -1;
                memmove(c->out, c->out + n, c->olen - (size_t)n);
                c->olen -= (size_t)n;
        }
        return 0;
}

static void broadcast(struct server *s, uint8_t type, const void *data, size_t len)
{
        for (int i = 0; i < s->ncl; i++)
                if (client_queue(&s->cl[i], type, data, len) < 0 || client_flush(&s->cl[i]) < 0)
                        client_drop(s, i--);
}

static void set_size(struct server *s, const struct srv_winsz *w)
{
        struct winsize ws = {.ws_row = w->rows, .ws_col = w->cols};
        if (ws.ws_row < 2 || ws.ws_col < 2)
                return;
        struct winsize cur;
        bool same = ioctl(s->master, TIOCGWINSZ, &cur) == 0 && cur.ws_row == ws.ws_row &&
                    cur.ws_col == ws.ws_col;
        if (!same)
                ioctl(s->master, TIOCSWINSZ, &ws); /* the kernel signals the console */
}

/* The server's socket in the lab's run directory, reached by descriptor. */
static int listen_on(struct server *s)
{
        char err[ERRLEN];
        int root = rundir_root(false, err);
        int dir = root >= 0 ? rundir_open(root, s->name, err) : -1;
        if (root >= 0)
                close(root);
        if (dir < 0)
                return -1;
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        rundir_fd_path(dir, SERVER_SOCK, sa.sun_path, sizeof(sa.sun_path));
        unlinkat(dir, SERVER_SOCK, 0);
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        mode_t old = umask(077);
        int rc = fd < 0 ? -1 : bind(fd, (struct sockaddr *)&sa, sizeof(sa));
        umask(old);
        if (rc < 0 || listen(fd, 8) < 0) {
                if (fd >= 0)
                        close(fd);
                close(dir);
                return -1;
        }
        close(dir);
        s->lsock = fd;
        return 0;
}

static void ready_say(struct server *s, const char *line)
{
        if (s->ready < 0)
                return;
        ssize_t n = write(s->ready, line, strlen(line));
        (void)n;
        close(s->ready);
        s->ready = -1;
}

/* The build's progress, for `netlab up` to show: dropped rather than
 * waited for when its reader is slow (the pipe half full). */
static void ready_progress(struct server *s, const char *line)
{
        int queued = 0;
        if (s->ready < 0 || ioctl(s->ready, FIONREAD, &queued) < 0 || queued > 32768)
                return;
        char msg[256];
        int n = snprintf(msg, sizeof(msg), "%.250s\n", line);
        ssize_t w = write(s->ready, msg, (size_t)n);
        (void)w;
}

static void on_ctl_line(struct server *s, char *line)
{
        if (!strncmp(line, "lab ", 4)) {
                snprintf(s->name, sizeof(s->name), "%.24s", line + 4);
                broadcast(s, SRV_NAME, s->name, strlen(s->name));
        } else if (!strncmp(line, "progress ", 9)) {
                ready_progress(s, line);
        } else if (!strcmp(line, "up") || !strncmp(line, "up ", 3)) {
                s->lab_up = true;
                s->failed = false;
                char msg[96];
                if (s->name[0] && s->lsock < 0)
                        listen_on(s);
                snprintf(msg, sizeof(msg), "up %s%.40s\n", s->name, line + 2);
                ready_say(s, msg);
        } else if (!strcmp(line, "relisten")) {
                /* The console rebuilt the lab (reload): the teardown removed
                 * the run directory and the socket in it. */
                if (s->lsock >= 0)
                        close(s->lsock);
                s->lsock = -1;
                if (s->name[0])
                        listen_on(s);
        } else if (!strncmp(line, "fail ", 5)) {
                char msg[1100];
                snprintf(msg, sizeof(msg), "%s\n", line);
                ready_say(s, msg);
                s->lab_up = false;
                s->failed = true;
                idle_check(s);
        } else if (!strcmp(line, "detach") && s->ncl > 0) {
                int i = s->last >= 0 ? s->last : s->ncl - 1;
                client_queue(&s->cl[i], SRV_DETACHED, s->name, strlen(s->name));
                client_flush(&s->cl[i]);
                client_drop(s, i);
        }
}

static void on_client_frame(struct server *s, int i, const struct srv_hdr *h, const void *data)
{
        switch (h->type) {
        case SRV_INPUT: {
                s->last = i;
                s->cl[i].active = ++s->clock;
                const char *p = data;
                size_t left = h->len;
                while (left) { /* the console reads its terminal promptly */
                        ssize_t n = write(s->master, p, left);
                        if (n < 0 && errno == EAGAIN) {
                                struct pollfd pf = {.fd = s->master, .events = POLLOUT};
                                if (poll(&pf, 1, 200) <= 0)
                                        break;
                                continue;
                        }
                        if (n <= 0)
                                break;
                        p += n;
                        left -= (size_t)n;
                }
                break;
        }
        case SRV_WINSZ:
                if (h->len == sizeof(struct srv_winsz)) {
                        int before = terminals(s, -1);
                        s->last = i;
                        s->cl[i].active = ++s->clock;
                        memcpy(&s->cl[i].ws, data, sizeof(s->cl[i].ws));
                        size_to_clients(s);
                        if (terminals(s, -1) != before)
                                tell_clients(s);
                }
                break;
        case SRV_REDRAW:
                kill(s->console, SIGWINCH);
                break;
        case SRV_COUNT: { /* `netlab ls`: the terminals but the asker */
                int32_t n = terminals(s, i);
                client_queue(&s->cl[i], SRV_COUNT, &n, sizeof(n));
                client_flush(&s->cl[i]);
                shutdown(s->cl[i].fd, SHUT_WR); /* its EOF drops it */
                break;
        }
        case SRV_SIGNAL: /* the client's own SIGINT/SIGTERM, for the console */
                if (h->len == sizeof(int32_t)) {
                        int32_t sig;
                        memcpy(&sig, data, sizeof(sig));
                        if (sig == SIGINT || sig == SIGTERM)
                                kill(s->console, sig);
                }
                break;
        case SRV_ENV: { /* one line for the console, nothing but printable text */
                char line[160];
                size_t n = h->len < 100 ? h->len : 100;
                int o = snprintf(line, sizeof(line), "env %s", s->cl[i].starter ? "starter " : "");
                for (size_t k = 0; k < n; k++) {
                        char ch = ((const char *)data)[k];
                        line[o++] = ch >= ' ' && ch < 0x7f ? ch : ' ';
                }
                line[o++] = '\n';
                if (s->ctl >= 0 && send(s->ctl, line, (size_t)o, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
                        /* a console that does not read it does not need it */
                }
                break;
        }
        default:
                break;
        }
}

ssize_t srv_frames_read(int fd, struct srv_frames *f)
{
        memmove(f->buf, f->buf + f->off, f->have - f->off);
        f->have -= f->off;
        f->off = 0;
        ssize_t n = read(fd, f->buf + f->have, sizeof(f->buf) - f->have);
        if (n > 0)
                f->have += (size_t)n;
        return n;
}

const unsigned char *srv_frame_next(struct srv_frames *f, struct srv_hdr *h)
{
        if (f->have - f->off < sizeof(*h))
                return NULL;
        memcpy(h, f->buf + f->off, sizeof(*h));
        if (f->have - f->off < sizeof(*h) + h->len)
                return NULL;
        const unsigned char *d = f->buf + f->off + sizeof(*h);
        f->off += sizeof(*h) + h->len;
        return d;
}

static int client_read(struct server *s, int i)
{
        struct client *c = &s->cl[i];
        ssize_t n = srv_frames_read(c->fd, &c->in);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
                return -1;
        struct srv_hdr h;
        const unsigned char *d;
        while (n > 0 && (d = srv_frame_next(&c->in, &h))) {
                on_client_frame(s, i, &h, d);
                if (i >= s->ncl || &s->cl[i] != c || c->fd < 0)
                        return 0;
        }
        return 0;
}

static void server_loop(struct server *s)
{
        int status = 255;
        bool console_gone = false;
        for (;;) {
                struct pollfd pf[4 + MAXCLIENTS];
                int n = 0;
                pf[n++] = (struct pollfd){.fd = console_gone ? -1 : s->master, .events = POLLIN};
                pf[n++] = (struct pollfd){.fd = s->ctl, .events = POLLIN};
                pf[n++] = (struct pollfd){.fd = s->sfd, .events = POLLIN};
                pf[n++] = (struct pollfd){.fd = s->lsock, .events = POLLIN};
                for (int i = 0; i < s->ncl; i++)
                        pf[n++] = (struct pollfd){.fd = s->cl[i].fd,
                                                  .events = POLLIN | (s->cl[i].olen ? POLLOUT : 0)};
                if (poll(pf, (nfds_t)n, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }
                if (pf[0].revents) {
                        unsigned char buf[16384];
                        ssize_t r = read(s->master, buf, sizeof(buf));
                        if (r > 0)
                                broadcast(s, SRV_OUTPUT, buf, (size_t)r);
                        else if (r == 0 || (errno != EAGAIN && errno != EINTR))
                                console_gone = true; /* EIO: the slave side closed */
                }
                if (pf[1].revents) {
                        ssize_t r = read(s->ctl, s->ctlbuf + s->ctllen, sizeof(s->ctlbuf) - 1 - s->ctllen);
                        if (r > 0) {
                                s->ctllen += (size_t)r;
                                s->ctlbuf[s->ctllen] = '\0';
                                char *nl;
                                while ((nl = strchr(s->ctlbuf, '\n'))) {
                                        *nl = '\0';
                                        on_ctl_line(s, s->ctlbuf);
                                        size_t used = (size_t)(nl + 1 - s->ctlbuf);
                                        memmove(s->ctlbuf, nl + 1, s->ctllen - used + 1);
                                        s->ctllen -= used;
                                }
                                if (s->ctllen == sizeof(s->ctlbuf) - 1)
                                        s->ctllen = 0; /* a line too long: dropped */
                        } else {
                                close(s->ctl);
                                s->ctl = -1;
                        }
                }
                if (pf[2].revents) {
                        struct signalfd_siginfo si;
                        while (read(s->sfd, &si, sizeof(si)) == sizeof(si))
                                if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
                                        kill(s->console, (int)si.ssi_signo); /* stop the lab */
                        int st;
                        if (waitpid(s->console, &st, WNOHANG) == s->console) {
                                status = WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
                                break;
                        }
                }
                if (pf[3].revents & POLLIN) {
                        int fd = accept4(s->lsock, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
                        if (fd >= 0 && s->ncl < MAXCLIENTS) {
                                s->cl[s->ncl++] = (struct client){.fd = fd};
                                if (s->name[0])
                                        client_queue(&s->cl[s->ncl - 1], SRV_NAME, s->name,
                                                     strlen(s->name));
                        } else if (fd >= 0) {
                                close(fd);
                        }
                }
                for (int i = 0, k = 4; i < s->ncl; i++, k++) {
                        if (k >= n)
                                break;
                        int fd = s->cl[i].fd;
                        if (pf[k].fd != fd)
                                continue;
                        if ((pf[k].revents & (POLLIN | POLLHUP | POLLERR)) &&
                            client_read(s, i) < 0) {
                                client_drop(s, i--);
                                continue;
                        }
                        if ((pf[k].revents & POLLOUT) && client_flush(&s->cl[i]) < 0)
                                client_drop(s, i--);
                }
        }
        /* Drain what the console wrote last, then tell every client. */
        unsigned char buf[16384];
        ssize_t r;
        while ((r = read(s->master, buf, sizeof(buf))) > 0)
                broadcast(s, SRV_OUTPUT, buf, (size_t)r);
        unsigned char ex[sizeof(int32_t) + sizeof(s->name)];
        int32_t st32 = status;
        size_t nl = strnlen(s->name, sizeof(s->name) - 1);
        memcpy(ex, &st32, sizeof(st32));
        memcpy(ex + sizeof(st32), s->name, nl);
        broadcast(s, SRV_EXIT, ex, sizeof(st32) + nl);
        for (int tries = 0; tries < 20; tries++) { /* at most 2 s for slow clients */
                bool left = false;
                for (int i = 0; i < s->ncl; i++) {
                        set_nonblock(s->cl[i].fd);
                        if (client_flush(&s->cl[i]) < 0)
                                client_drop(s, i--);
                        else
                                left = left || s->cl[i].olen;
                }
                if (!left)
                        break;
                usleep(100000);
        }
        ready_say(s, "fail the console exited before the lab was up\n");
}

pid_t server_start(char *const argv[], int rows, int cols, int client_fd, int *ready_fd,
                   char *err)
{
        char exe[PATH_MAX];
        ssize_t el = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        if (el <= 0)
                return errf_sys(err, NULL, "Cannot find netlab's own binary");
        exe[el] = '\0';
        int rp[2] = {-1, -1};
        if (ready_fd && pipe2(rp, O_CLOEXEC) < 0)
                return errf_sys(err, NULL, "pipe");
        pid_t mid = fork();
        if (mid < 0) {
                if (ready_fd) {
                        close(rp[0]);
                        close(rp[1]);
                }
                return errf_sys(err, NULL, "fork");
        }
        if (mid > 0) {
                if (ready_fd) {
                        close(rp[1]);
                        *ready_fd = rp[0];
                }
                int st;
                waitpid(mid, &st, 0); /* the middle child exits at once: no zombie */
                return mid;
        }
        /* The middle child: a new session, then the server proper. */
        if (ready_fd)
                close(rp[0]);
        setsid();
        if (fork() != 0)
                _exit(0);
        /* The server keeps only what it was given: an inherited descriptor
         * (the caller's own end of the client socketpair, above all) would
         * keep a closed terminal's connection open, and the server would
         * never see that client go. */
        int keep[] = {client_fd, ready_fd ? rp[1] : -1};
        close_all_but(keep, 2);
        if (ready_fd) { /* the caller may need to stop the build: the server's pid first */
                char pl[32];
                int n = snprintf(pl, sizeof(pl), "pid %d\n", (int)getpid());
                if (write(rp[1], pl, (size_t)n) != n)
                        _exit(1);
        }
        struct server s = {.ctl = -1, .lsock = -1, .ready = ready_fd ? rp[1] : -1, .last = -1};
        int devnull = open("/dev/null", O_RDWR);
        int ctl[2];
        s.master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (s.master < 0 || grantpt(s.master) < 0 || unlockpt(s.master) < 0 ||
            socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ctl) < 0)
                _exit(1);
        struct winsize ws = {.ws_row = (unsigned short)(rows > 1 ? rows : 24),
                             .ws_col = (unsigned short)(cols > 1 ? cols : 80)};
        ioctl(s.master, TIOCSWINSZ, &ws);
        const char *slave = ptsname(s.master);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGCHLD);
        /* A stop signal sent to the server is the console's: it tears the lab
         * down and exits, and the server follows it. */
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGINT);
        sigprocmask(SIG_BLOCK, &set, NULL);
        s.sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
        s.console = fork();
        if (s.console == 0) {
                sigprocmask(SIG_UNBLOCK, &set, NULL);
                setsid();
                int sl = slave ? open(slave, O_RDWR) : -1;
                if (sl < 0)
                        _exit(126);
                ioctl(sl, TIOCSCTTY, 0);
                dup2(sl, 0);
                dup2(sl, 1);
                dup2(sl, 2);
                if (sl > 2)
                        close(sl);
                int cfd = dup(ctl[1]); /* without O_CLOEXEC: the console keeps it */
                char v[16];
                snprintf(v, sizeof(v), "%d", cfd);
                setenv("NETLAB_SERVER_FD", v, 1);
                if (client_fd >= 0)
                        close(client_fd);
                signal(SIGHUP, SIG_DFL);
                if (lab_name_given()) /* netlab --name: the exec'd console takes it too */
                        setenv(LAB_NAME_ENV, lab_name_given(), 1);
                execv(exe, argv);
                _exit(127);
        }
        close(ctl[1]);
        s.ctl = ctl[0];
        if (s.console < 0)
                _exit(1);
        if (devnull >= 0) {
                dup2(devnull, 0);
                dup2(devnull, 1);
                dup2(devnull, 2);
                if (devnull > 2)
                        close(devnull);
        }
        signal(SIGHUP, SIG_IGN);
        signal(SIGPIPE, SIG_IGN);
        set_nonblock(s.master);
        if (client_fd >= 0) {
                set_nonblock(client_fd);
                s.cl[s.ncl++] = (struct client){.fd = client_fd, .starter = true};
        }
        server_loop(&s);
        _exit(0);
}

int server_connect(const char *name, char *err)
{
        int root = rundir_root(false, err);
        if (root < 0) {
                if (errno == ENOENT)
                        return errf(err, "No lab \"%s\" is running (netlab ls lists them)", name);
                return -1;
        }
        int dir = rundir_open(root, name, err);
        close(root);
        if (dir < 0) {
                if (errno == ENOENT)
                        return errf(err, "No lab \"%s\" is running (netlab ls lists them)", name);
                return -1;
        }
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        rundir_fd_path(dir, SERVER_SOCK, sa.sun_path, sizeof(sa.sun_path));
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
                int e = errno;
                if (fd >= 0)
                        close(fd);
                close(dir);
                errno = e == ECONNREFUSED ? ENOENT : e;
                if (errno == ENOENT)
                        return errf(err, "Lab \"%s\" has no console server (it was kept up by run "
                                         "--keep, or its netlab crashed)",
                                    name);
                return errf_sys(err, NULL, "Cannot connect to lab \"%s\"", name);
        }
        close(dir);
        return fd;
}

static int ctl_fd(void)
{
        const char *v = getenv("NETLAB_SERVER_FD");
        if (!v || !*v)
                return -1;
        char *end;
        long fd = strtol(v, &end, 10);
        if (*end || fd < 3 || fd > INT_MAX)
                return -1;
        if (fcntl((int)fd, F_GETFD) < 0)
                return -1;
        fcntl((int)fd, F_SETFD, FD_CLOEXEC); /* not for the shells of the panes */
        return (int)fd;
}

int server_fd(void)
{
        return ctl_fd();
}

int server_read_clients(int fd, char *env, size_t envlen)
{
        char buf[512];
        env[0] = '\0';
        ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
        if (n == 0)
                return -2; /* the server is gone */
        if (n < 0)
                return -1;
        buf[n] = '\0';
        int last = -1;
        for (char *p = buf; (p = strstr(p, "clients ")); p += 8)
                last = atoi(p + 8);
        for (char *p = buf; (p = strstr(p, "env ")); p += 4)
                snprintf(env, envlen, "%.*s", (int)strcspn(p + 4, "\n"), p + 4);
        return last;
}

bool server_present(void)
{
        return ctl_fd() >= 0;
}

int server_tell(const char *fmt, ...)
{
        int fd = ctl_fd();
        if (fd < 0) {
                errno = ENOTCONN;
                return -1;
        }
        char line[1024];
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
        va_end(ap);
        if (n < 0)
                return -1;
        if ((size_t)n > sizeof(line) - 2)
                n = (int)sizeof(line) - 2;
        for (int i = 0; i < n; i++)
                if (line[i] == '\n')
                        line[i] = ' ';
        line[n++] = '\n';
        return write(fd, line, (size_t)n) == n ? 0 : -1;
}
