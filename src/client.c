/* client.c — `netlab attach`: the terminal side of a lab server (server.h).
 *
 * The client puts its terminal in raw mode and relays: keys to the server,
 * the console's output to the terminal, its window size on SIGWINCH. It
 * knows nothing of the console's keys: prefix d is the console's, which
 * asks the server to detach the client that typed it. When the client ends,
 * the terminal is given back as it was (the alternate screen left, the
 * cursor shown). A SIGHUP (terminal closed, SSH lost) only ends the client;
 * SIGINT and SIGTERM sent to it go on to the console, as if sent to the
 * console itself. */
#include "server.h"
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

static int send_frame(int sock, uint8_t type, const void *data, size_t len)
{
        struct srv_hdr h = {.type = type, .len = (uint16_t)len};
        unsigned char buf[sizeof(h) + 4096];
        if (len > 4096)
                return -1;
        memcpy(buf, &h, sizeof(h));
        if (len)
                memcpy(buf + sizeof(h), data, len);
        size_t left = sizeof(h) + len, off = 0;
        while (left) {
                ssize_t n = send(sock, buf + off, left, MSG_NOSIGNAL);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return -1;
                off += (size_t)n;
                left -= (size_t)n;
        }
        return 0;
}

static void send_size(int sock)
{
        struct winsize ws;
        if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) < 0)
                return;
        struct srv_winsz w = {.rows = ws.ws_row, .cols = ws.ws_col};
        send_frame(sock, SRV_WINSZ, &w, sizeof(w));
}

/* What of the terminal's environment the console needs: whether it runs
 * inside tmux (whose prefix is Ctrl-b too) and the prefix this user asked for. */
static void send_env(int sock)
{
        char buf[96];
        const char *pk = getenv("NETLAB_PREFIX"), *tmux = getenv("TMUX");
        int n = snprintf(buf, sizeof(buf), "tmux=%d prefix=%.8s", tmux && *tmux ? 1 : 0,
                         pk ? pk : "");
        if (n > 0)
                send_frame(sock, SRV_ENV, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static void write_all(int fd, const void *buf, size_t len)
{
        const char *p = buf;
        while (len) {
                ssize_t n = write(fd, p, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return;
                p += n;
                len -= (size_t)n;
        }
}

/* The lab's name as the server sends it (len bytes at d), into *name. */
static void lab_name(size_t len, const unsigned char *d, const char **name)
{
        static char nm[64];
        if (len > 0 && len < sizeof(nm)) {
                memcpy(nm, d, len);
                nm[len] = '\0';
                *name = nm;
        }
}

int client_count(int sock, int timeout_ms)
{
        int n = -1;
        static struct srv_frames in; /* the console's output may come first */
        in.have = in.off = 0;
        if (send_frame(sock, SRV_COUNT, NULL, 0) < 0) {
                close(sock);
                return -1;
        }
        while (n < 0) {
                struct pollfd pf = {.fd = sock, .events = POLLIN};
                if (poll(&pf, 1, timeout_ms) <= 0)
                        break;
                ssize_t r = srv_frames_read(sock, &in);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r <= 0)
                        break;
                struct srv_hdr h;
                const unsigned char *d;
                while ((d = srv_frame_next(&in, &h)))
                        if (h.type == SRV_COUNT && h.len == sizeof(int32_t)) {
                                int32_t v;
                                memcpy(&v, d, sizeof(v));
                                n = v;
                        }
        }
        close(sock);
        return n;
}

int client_attach(int sock, const char *name)
{
        struct termios saved, raw;
        bool tty = tcgetattr(STDIN_FILENO, &saved) == 0;
        if (!tty) {
                fprintf(stderr, "netlab: attaching needs a terminal\n");
                return 2;
        }
        raw = saved;
        cfmakeraw(&raw);
        tcsetattr(STDIN_FILENO, TCSADRAIN, &raw);
        sigset_t set, old;
        sigemptyset(&set);
        sigaddset(&set, SIGWINCH);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGHUP);
        sigprocmask(SIG_BLOCK, &set, &old);
        int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
        send_size(sock);
        send_env(sock);
        send_frame(sock, SRV_REDRAW, NULL, 0);
        int rc = 1;
        const char *why = "lost the lab server";
        char killed[64];
        struct srv_frames in = {.have = 0};
        for (;;) {
                struct pollfd pf[3] = {{.fd = STDIN_FILENO, .events = POLLIN},
                                       {.fd = sock, .events = POLLIN},
                                       {.fd = sfd, .events = POLLIN}};
                if (poll(pf, 3, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }
                if (pf[2].revents) {
                        struct signalfd_siginfo si;
                        bool hup = false;
                        while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
                                if (si.ssi_signo == SIGWINCH)
                                        send_size(sock);
                                else if (si.ssi_signo == SIGHUP)
                                        hup = true;
                                else {
                                        int32_t sig = (int32_t)si.ssi_signo;
                                        send_frame(sock, SRV_SIGNAL, &sig, sizeof(sig));
                                }
                        }
                        if (hup) { /* no terminal to give back: just go */
                                close(sock);
                                return 0;
                        }
                }
                if (pf[0].revents & POLLIN) {
                        unsigned char buf[4096];
                        ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
                        if (n > 0)
                                send_frame(sock, SRV_INPUT, buf, (size_t)n);
                        else if (n == 0 || errno != EINTR) {
                                why = "the terminal went away";
                                rc = 0;
                                break;
                        }
                } else if (pf[0].revents & (POLLHUP | POLLERR)) {
                        rc = 0;
                        why = "the terminal went away";
                        break;
                }
                if (pf[1].revents) {
                        ssize_t n = srv_frames_read(sock, &in);
                        if (n <= 0 && !(n < 0 && errno == EINTR))
                                break;
                        if (n < 0)
                                continue;
                        bool done = false;
                        struct srv_hdr h;
                        const unsigned char *d;
                        while (!done && (d = srv_frame_next(&in, &h))) {
                                if (h.type == SRV_OUTPUT)
                                        write_all(STDOUT_FILENO, d, h.len);
                                else if (h.type == SRV_EXIT && h.len >= sizeof(int32_t)) {
                                        int32_t st;
                                        memcpy(&st, d, sizeof(st));
                                        lab_name(h.len - sizeof(st), d + sizeof(st), &name);
                                        rc = st < 0 ? 128 - st : st;
                                        why = NULL; /* the console said goodbye itself */
                                        if (st < 0) { /* ... unless a signal killed it */
                                                snprintf(killed, sizeof(killed),
                                                         "the lab's console was killed (%s)",
                                                         sigabbrev_np(-st) ? sigabbrev_np(-st) : "?");
                                                why = killed;
                                        }
                                        done = true;
                                } else if (h.type == SRV_NAME) {
                                        lab_name(h.len, d, &name);
                                } else if (h.type == SRV_DETACHED) {
                                        lab_name(h.len, d, &name);
                                        rc = 0;
                                        why = "detached";
                                        done = true;
                                }
                        }
                        if (done) {
                                /* The server exits right after: wait for it to go,
                                 * so nothing of the lab outlives this command. */
                                struct pollfd eof = {.fd = sock, .events = POLLIN};
                                char sink[4096];
                                while (poll(&eof, 1, 2000) > 0 && read(sock, sink, sizeof(sink)) > 0)
                                        ;
                                break;
                        }
                }
        }
        close(sock);
        /* Detached or lost: the console still holds its screen modes; give the
         * terminal back as it was. (A console that exited reset it itself.) */
        static const char leave[] = "\033[0m\033[?25h\033[?1000l\033[?1002l\033[?1006l\033[?1049l";
        if (why)
                write_all(STDOUT_FILENO, leave, sizeof(leave) - 1);
        tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
        sigprocmask(SIG_SETMASK, &old, NULL);
        close(sfd);
        if (why && !strcmp(why, "detached"))
                printf("[detached from lab %s: netlab attach %s]\n", name, name);
        else if (why == killed)
                printf("[%s: lab %s is left up: netlab attach %s takes it back, netlab down %s "
                       "removes it]\n",
                       why, name, name, name);
        else if (why)
                printf("[%s: lab %s]\n", why, name);
        fflush(stdout);
        return rc;
}
