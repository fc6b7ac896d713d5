/* console.c — `netlab [LAB.lua]`: the console's event loop and panes.
 *
 * One thread, one epoll set: the keyboard (raw bytes from fd 0), every
 * pane's pty, one netlink link monitor per node, a signalfd (CHLD, WINCH,
 * INT, TERM, HUP), the running experiment's wait fd, command jobs' output
 * pipes, and one timerfd armed to the nearest deadline (throttled redraw,
 * Lua wait timeout, inspector refresh). Handlers only change state and mark
 * the screen dirty; the loop redraws at most once per turn (and at most
 * ~60 times a second), with one doupdate(). Nothing is written to stderr
 * while curses is up: messages go to the status line and to a log file
 * ($XDG_STATE_HOME/netlab/console.log). */
#include "console.h"
#include "ui.h"
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <curses.h>
#include <net/if.h>

static struct console *g_con; /* for the fatal path only */

long long now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void con_log(struct console *c, const char *fmt, ...)
{
        if (!c->log)
                return;
        time_t t = time(NULL);
        struct tm tm;
        char ts[32];
        localtime_r(&t, &tm);
        strftime(ts, sizeof(ts), "%F %T", &tm);
        fprintf(c->log, "%s ", ts);
        va_list ap;
        va_start(ap, fmt);
        vfprintf(c->log, fmt, ap);
        va_end(ap);
        fputc('\n', c->log);
        fflush(c->log);
}

void con_msg(struct console *c, bool error, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
        va_end(ap);
        for (char *p = c->msg; *p; p++)
                if (*p == '\n' || *p == '\r' || *p == '\t')
                        *p = ' ';
        c->msg_err = error;
        c->dirty = true;
        con_log(c, "%s%s", error ? "error: " : "", c->msg);
}

/* A fatal error: leave curses first, then say why. */
static void __attribute__((noreturn)) fatal(const char *fmt, ...)
{
        if (!isendwin())
                endwin();
        va_list ap;
        va_start(ap, fmt);
        fputs("netlab: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
        if (g_con && g_con->L && !g_con->keep) {
                char err[ERRLEN];
                nlua_teardown(g_con->L, err);
        }
        exit(1);
}

static void on_stop(int sig)
{
        (void)sig;
        lab_stop_requested = 1;
}

static void crash_handler(int sig)
{
        if (!isendwin())
                endwin();
        signal(sig, SIG_DFL);
        raise(sig);
}

void con_ep_add(struct console *c, int fd, uint32_t type, uint32_t idx)
{
        struct epoll_event ev = {.events = EPOLLIN, .data.u64 = ((uint64_t)type << 32) | idx};
        if (epoll_ctl(c->ep, EPOLL_CTL_ADD, fd, &ev) < 0 && errno != EEXIST)
                con_log(c, "epoll add fd %d: %s", fd, strerror(errno));
}

void con_ep_del(struct console *c, int fd)
{
        if (fd >= 0)
                epoll_ctl(c->ep, EPOLL_CTL_DEL, fd, NULL);
}

/* ---- panes ---- */

static struct rect work_area(void)
{
        struct rect r = {0, 1, COLS, LINES - 3};
        if (r.h < 1)
                r.h = 1;
        return r;
}

static void pane_out(void *ud, const char *buf, size_t len)
{
        struct pane *p = ud;
        if (p->fd >= 0)
                while (len > 0) {
                        ssize_t n = write(p->fd, buf, len);
                        if (n <= 0)
                                break;
                        buf += n;
                        len -= (size_t)n;
                }
}

/* Gives every visible terminal pane its size (libvterm and TIOCSWINSZ). */
static void apply_sizes(struct console *c)
{
        layout_compute(&c->lay, work_area());
        for (int i = 0; i < MAXPANES; i++) {
                struct pane *p = &c->panes[i];
                struct rect r;
                if (!p->used || !p->vt || !layout_rect(&c->lay, i, &r))
                        continue;
                int rows = r.h - 1, cols = r.w;
                if (rows < 1)
                        rows = 1;
                if (rows == p->rows && cols == p->cols)
                        continue;
                p->rows = rows;
                p->cols = cols;
                vt_resize(p->vt, rows, cols);
                if (p->fd >= 0) {
                        struct winsize ws = {.ws_row = (unsigned short)rows,
                                             .ws_col = (unsigned short)cols};
                        ioctl(p->fd, TIOCSWINSZ, &ws);
                }
        }
        c->relayout = true;
        c->dirty = true;
}

static int pane_alloc(struct console *c)
{
        for (int i = 0; i < MAXPANES; i++)
                if (!c->panes[i].used) {
                        memset(&c->panes[i], 0, sizeof(c->panes[i]));
                        c->panes[i].used = true;
                        c->panes[i].fd = -1;
                        c->panes[i].node = -1;
                        return i;
                }
        return -1;
}

/* Splits a pane for a new one of kind: terminals split the active terminal
 * (or the graph the first time); returns the new pane's id. */
int con_split(struct console *c, enum pane_kind kind, int node, enum lay_kind dir, char *err)
{
        /* The active terminal pane, unless another terminal pane is much
         * bigger (then that one: eight shells stay usable); the graph the
         * first time. */
        struct rect r;
        layout_compute(&c->lay, work_area());
        int target = -1, best = 0;
        for (int i = 0; i < MAXPANES; i++)
                if (c->panes[i].used &&
                    (c->panes[i].kind == P_TERM || c->panes[i].kind == P_OUTPUT) &&
                    layout_rect(&c->lay, i, &r) && r.w * r.h * 2 > best) {
                        best = r.w * r.h * 2;
                        target = i;
                }
        if ((c->panes[c->active].kind == P_TERM || c->panes[c->active].kind == P_OUTPUT) &&
            layout_rect(&c->lay, c->active, &r) && r.w * r.h * 2 * 10 >= best * 6)
                target = c->active;
        if (target < 0) {
                target = c->graph_pane;
                dir = LAY_V;
        }
        if ((int)dir == 0) {
                dir = LAY_V;
                if (layout_rect(&c->lay, target, &r) && r.w > r.h * 3)
                        dir = LAY_H;
        }
        int id = pane_alloc(c);
        if (id < 0) {
                errno = ENOSPC;
                return errf(err, "Too many panes (at most %d)", MAXPANES);
        }
        if (c->lay.zoomed >= 0)
                layout_zoom(&c->lay, c->lay.zoomed);
        int ratio = target == c->graph_pane ? 450 : 0;
        if (layout_split(&c->lay, target, dir, id, ratio, err) < 0) {
                c->panes[id].used = false;
                return -1;
        }
        struct pane *p = &c->panes[id];
        p->kind = kind;
        p->node = node;
        layout_compute(&c->lay, work_area());
        layout_rect(&c->lay, id, &r);
        p->rows = r.h - 1 > 0 ? r.h - 1 : 1;
        p->cols = r.w > 0 ? r.w : 1;
        p->vt = vt_new(p->rows, p->cols, pane_out, p);
        if (!p->vt) {
                layout_close(&c->lay, id, NULL);
                p->used = false;
                return errf(err, "Cannot create a terminal: out of memory");
        }
        apply_sizes(c);
        return id;
}

int con_open_term(struct console *c, int node, char *err)
{
        return con_open_term_dir(c, node, 0, err);
}

int con_open_term_dir(struct console *c, int node, enum lay_kind dir, char *err)
{
        if (!c->built) {
                errno = ENOTCONN;
                return errf(err, "The lab is not up");
        }
        int id = con_split(c, P_TERM, node, dir, err);
        if (id < 0)
                return -1;
        struct pane *p = &c->panes[id];
        if (proc_spawn_pty(c->lab, node, NULL, p->rows, p->cols, &p->fd, &p->pid, err) < 0) {
                vt_free(p->vt);
                layout_close(&c->lay, id, NULL);
                p->used = false;
                apply_sizes(c);
                return -1;
        }
        snprintf(p->title, sizeof(p->title), "%s: shell", c->lab->nodes[node].name);
        con_ep_add(c, p->fd, EV_PTY, (uint32_t)id);
        c->active = id;
        c->focus_cmd = false;
        con_log(c, "term %s: pid %d", c->lab->nodes[node].name, (int)p->pid);
        return 0;
}

void con_close_pane(struct console *c, int id, const char *note)
{
        struct pane *p = &c->panes[id];
        if (!p->used || id == c->graph_pane)
                return;
        if (p->fd >= 0) {
                con_ep_del(c, p->fd);
                close(p->fd);
                p->fd = -1;
        }
        if (p->pid > 0) {
                kill(p->pid, SIGHUP);
                if (waitpid(p->pid, NULL, WNOHANG) == 0) {
                        usleep(20000);
                        if (waitpid(p->pid, NULL, WNOHANG) == 0) {
                                kill(p->pid, SIGKILL);
                                waitpid(p->pid, NULL, 0);
                        }
                }
                p->pid = 0;
        }
        if (c->lay.zoomed == id)
                layout_zoom(&c->lay, id);
        int next = layout_cycle(&c->lay, id, -1);
        layout_close(&c->lay, id, NULL);
        vt_free(p->vt);
        if (id == c->output_pane)
                c->output_pane = -1;
        if (id == c->inspect_pane)
                c->inspect_pane = -1;
        if (id == c->exp_pane)
                c->exp_pane = -1;
        memset(p, 0, sizeof(*p));
        p->fd = -1;
        if (c->active == id) {
                c->active = next >= 0 && c->panes[next].used ? next : c->graph_pane;
                if (c->panes[c->active].kind != P_TERM)
                        c->focus_cmd = true;
        }
        if (note)
                con_msg(c, false, "%s", note);
        apply_sizes(c);
}

int con_running_shells(const struct console *c)
{
        int n = 0;
        for (int i = 0; i < MAXPANES; i++)
                if (c->panes[i].used && c->panes[i].kind == P_TERM && c->panes[i].pid > 0)
                        n++;
        return n;
}

/* Text for the output pane (command output, script prints): \n becomes \r\n. */
void con_output(struct console *c, const char *buf, size_t len)
{
        if (c->output_pane < 0) {
                char err[ERRLEN];
                int keep = c->active;
                bool fc = c->focus_cmd;
                int id = con_split(c, P_OUTPUT, -1, 0, err);
                if (id < 0) {
                        con_msg(c, true, "%s", err);
                        return;
                }
                snprintf(c->panes[id].title, sizeof(c->panes[id].title), "output");
                c->output_pane = id;
                c->active = keep;
                c->focus_cmd = fc;
        }
        struct pane *p = &c->panes[c->output_pane];
        size_t s = 0;
        for (size_t i = 0; i < len; i++)
                if (buf[i] == '\n') {
                        if (i > s)
                                vt_feed(p->vt, buf + s, i - s);
                        vt_feed(p->vt, "\r\n", 2);
                        s = i + 1;
                }
        if (len > s)
                vt_feed(p->vt, buf + s, len - s);
        p->scroll = 0;
        c->dirty = true;
}

void con_select_node(struct console *c, int node)
{
        if (node < 0 || node >= c->lab->nnodes)
                return;
        c->sel = node;
        c->inspect_at = 0; /* refresh now */
        c->dirty = true;
}

static void pty_event(struct console *c, int id)
{
        struct pane *p = &c->panes[id];
        if (!p->used || p->fd < 0)
                return;
        char buf[16384];
        for (int k = 0; k < 4; k++) {
                ssize_t n = read(p->fd, buf, sizeof(buf));
                if (n > 0) {
                        vt_feed(p->vt, buf, (size_t)n);
                        c->dirty = true;
                        if ((size_t)n < sizeof(buf))
                                return;
                        continue;
                }
                if (n < 0 && (errno == EAGAIN || errno == EINTR))
                        return;
                break; /* EOF or EIO: the shell is gone */
        }
        int st = 0;
        char note[160];
        const char *name = p->node >= 0 ? c->lab->nodes[p->node].name : "?";
        if (p->pid > 0 && waitpid(p->pid, &st, 0) == p->pid) {
                p->pid = 0;
                if (WIFSIGNALED(st))
                        snprintf(note, sizeof(note), "%s: shell killed by signal %d", name,
                                 WTERMSIG(st));
                else
                        snprintf(note, sizeof(note), "%s: shell exited (status %d)", name,
                                 WEXITSTATUS(st));
        } else {
                snprintf(note, sizeof(note), "%s: shell exited", name);
        }
        con_close_pane(c, id, note);
}

/* ---- link state (netlink monitors) ---- */

struct mon_ud {
        struct console *c;
        int node;
};

static void set_ifup(struct console *c, int node, const struct nl_link_info *info, bool deleted)
{
        int i = lab_find_iface(c->lab, node, info->name);
        if (i < 0)
                return;
        signed char v = deleted ? 0 : ((info->flags & IFF_UP) && info->oper_up) ? 1 : 0;
        if (c->ifup[i] != v) {
                c->ifup[i] = v;
                c->dirty = true;
                con_log(c, "link %s:%s %s", c->lab->nodes[node].name, info->name,
                        v ? "up" : "down");
        }
}

static void on_link_event(void *ud, bool deleted, const struct nl_link_info *info)
{
        struct mon_ud *m = ud;
        set_ifup(m->c, m->node, info, deleted);
}

static void monitors_start(struct console *c)
{
        char err[ERRLEN];
        c->mon = calloc((size_t)c->lab->nnodes, sizeof(*c->mon));
        if (!c->mon)
                return;
        for (int n = 0; n < c->lab->nnodes; n++) {
                struct node *nd = &c->lab->nodes[n];
                if (nd->deleted || nd->netns_fd < 0)
                        continue;
                c->mon[n] = nl_monitor_open(nd->netns_fd, err);
                if (!c->mon[n]) {
                        con_log(c, "monitor %s: %s", nd->name, err);
                        continue;
                }
                con_ep_add(c, nl_fd(c->mon[n]), EV_MON, (uint32_t)n);
                /* The state now (events only tell changes). */
                struct nl *q = nl_open(nd->netns_fd, err);
                struct nl_link_info *li = NULL;
                int nli = 0;
                if (q && nl_link_dump(q, &li, &nli, err) == 0)
                        for (int k = 0; k < nli; k++)
                                set_ifup(c, n, &li[k], false);
                free(li);
                if (q)
                        nl_close(q);
        }
}

static void monitors_stop(struct console *c)
{
        if (!c->mon)
                return;
        for (int n = 0; n < c->lab->nnodes; n++)
                if (c->mon[n]) {
                        con_ep_del(c, nl_fd(c->mon[n]));
                        nl_close(c->mon[n]);
                }
        free(c->mon);
        c->mon = NULL;
}

/* ---- keyboard ---- */

/* Length of an escape sequence starting at s[0] == ESC, and its key:
 * 0..5 up down right left home end, 10 pgup, 11 pgdn, -1 other. */
static size_t esc_seq(const unsigned char *s, size_t n, int *key)
{
        *key = -1;
        if (n < 2)
                return 1;
        if (s[1] != '[' && s[1] != 'O')
                return 1;
        size_t i = 2;
        while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == ';'))
                i++;
        if (i >= n)
                return n;
        unsigned char f = s[i];
        const char *arrows = "ABCD";
        const char *p = strchr(arrows, f);
        if (p && f)
                *key = (int)(p - arrows); /* A up, B down, C right, D left */
        else if (f == 'H')
                *key = 4;
        else if (f == 'F')
                *key = 5;
        else if (f == '~' && i == 3 && s[2] == '5')
                *key = 10;
        else if (f == '~' && i == 3 && s[2] == '6')
                *key = 11;
        else if (f == '~' && i == 3 && (s[2] == '1' || s[2] == '7'))
                *key = 4;
        else if (f == '~' && i == 3 && (s[2] == '4' || s[2] == '8'))
                *key = 5;
        return i + 1;
}

static void graph_move(struct console *c, int key)
{
        if (!c->gn || c->lab->nnodes == 0)
                return;
        int dx = key == 2 ? 1 : key == 3 ? -1 : 0, dy = key == 1 ? 1 : key == 0 ? -1 : 0;
        const struct gl_node *s = &c->gn[c->sel];
        int best = -1;
        long bestd = 0;
        for (int i = 0; i < c->lab->nnodes; i++) {
                if (i == c->sel || c->lab->nodes[i].deleted)
                        continue;
                long ddx = (c->gn[i].x + c->gn[i].w / 2) - (s->x + s->w / 2);
                long ddy = (c->gn[i].y - s->y) * 3;
                if ((dx > 0 && ddx <= 0) || (dx < 0 && ddx >= 0) || (dy > 0 && ddy <= 0) ||
                    (dy < 0 && ddy >= 0))
                        continue;
                long d = dx ? ddx * ddx + 4 * ddy * ddy : ddy * ddy + 4 * ddx * ddx;
                if (best < 0 || d < bestd) {
                        best = i;
                        bestd = d;
                }
        }
        if (best >= 0)
                con_select_node(c, best);
}

static void toggle_help(struct console *c)
{
        c->help = !c->help;
        c->dirty = true;
}

static void prefix_key(struct console *c, const unsigned char *s, size_t n, size_t *used)
{
        char err[ERRLEN];
        int key = -1;
        *used = 1;
        if (s[0] == 0x1b) {
                *used = esc_seq(s, n, &key);
                if (key >= 0 && key <= 3) {
                        int dx = key == 2 ? 1 : key == 3 ? -1 : 0;
                        int dy = key == 1 ? 1 : key == 0 ? -1 : 0;
                        int nb = layout_neighbour(&c->lay, c->active, dx, dy);
                        if (nb >= 0) {
                                c->active = nb;
                                c->focus_cmd = false;
                        }
                }
                c->dirty = true;
                return;
        }
        int node = c->panes[c->active].kind == P_TERM ? c->panes[c->active].node : c->sel;
        switch (s[0]) {
        case ':':
                c->focus_cmd = true;
                break;
        case '?':
                toggle_help(c);
                break;
        case '%':
        case '"':
        case 'c': {
                enum lay_kind dir = s[0] == '%' ? LAY_H : s[0] == '"' ? LAY_V : 0;
                if (con_open_term_dir(c, node, dir, err) < 0)
                        con_msg(c, true, "%s", err);
                break;
        }
        case 'o':
        case '\t':
                c->active = layout_cycle(&c->lay, c->active, 1);
                c->focus_cmd = false;
                break;
        case ';':
        case 'O':
                c->active = layout_cycle(&c->lay, c->active, -1);
                c->focus_cmd = false;
                break;
        case 'z':
                layout_zoom(&c->lay, c->active);
                apply_sizes(c);
                break;
        case 'x':
                if (c->active == c->graph_pane)
                        con_msg(c, true, "The graph pane stays (Ctrl-b z zooms another pane)");
                else
                        con_close_pane(c, c->active, "Pane closed");
                break;
        case '[':
                if (c->panes[c->active].vt) {
                        c->panes[c->active].copy = true;
                        c->focus_cmd = false;
                }
                break;
        case 'g':
                c->active = c->graph_pane;
                c->focus_cmd = false;
                break;
        case 'n':
                con_select_node(c, (c->sel + 1) % c->lab->nnodes);
                break;
        case 'p':
                con_select_node(c, (c->sel + c->lab->nnodes - 1) % c->lab->nnodes);
                break;
        case '<':
        case '>':
                if (layout_resize(&c->lay, c->active, LAY_H, s[0] == '>' ? 4 : -4, err) < 0)
                        con_msg(c, true, "%s", err);
                apply_sizes(c);
                break;
        case '+':
        case '-':
                if (layout_resize(&c->lay, c->active, LAY_V, s[0] == '+' ? 2 : -2, err) < 0)
                        con_msg(c, true, "%s", err);
                apply_sizes(c);
                break;
        case 'q':
                con_exec_line(c, "quit");
                break;
        default:
                if (s[0] == c->prefix_key && c->panes[c->active].fd >= 0)
                        pane_out(&c->panes[c->active], (const char *)s, 1);
                break;
        }
        c->dirty = true;
}

static void copy_key(struct console *c, struct pane *p, int key, unsigned char ch)
{
        int page = p->rows > 2 ? p->rows - 1 : 1;
        if (key == 0 || ch == 'k')
                p->scroll++;
        else if (key == 1 || ch == 'j')
                p->scroll--;
        else if (key == 10 || ch == 'b' || ch == 0x02)
                p->scroll += page;
        else if (key == 11 || ch == ' ' || ch == 'f' || ch == 0x06)
                p->scroll -= page;
        else if (ch == 'g' || key == 4)
                p->scroll = vt_scrollback(p->vt);
        else if (ch == 'G' || key == 5)
                p->scroll = 0;
        else if (ch == 'q' || (ch == 0x1b && key < 0)) {
                p->scroll = 0;
                p->copy = false;
        }
        if (p->scroll > vt_scrollback(p->vt))
                p->scroll = vt_scrollback(p->vt);
        if (p->scroll < 0)
                p->scroll = 0;
        c->dirty = true;
}

static void keyboard(struct console *c, const unsigned char *s, size_t n)
{
        size_t i = 0;
        while (i < n) {
                if (c->help) {
                        c->help = false;
                        c->dirty = true;
                        int k;
                        i += s[i] == 0x1b ? esc_seq(s + i, n - i, &k) : 1;
                        continue;
                }
                if (c->prefix) {
                        size_t used;
                        c->prefix = false;
                        prefix_key(c, s + i, n - i, &used);
                        i += used;
                        continue;
                }
                if (s[i] == c->prefix_key) {
                        c->prefix = true;
                        c->dirty = true;
                        i++;
                        continue;
                }
                /* A run of bytes up to the next prefix key. */
                size_t j = i;
                while (j < n && s[j] != c->prefix_key)
                        j++;
                struct pane *p = &c->panes[c->active];
                if (c->focus_cmd) {
                        rl_feed(c, s + i, j - i);
                        i = j;
                        continue;
                }
                if (p->kind == P_TERM && !p->copy) {
                        /* Cursor keys go through libvterm (application mode aware). */
                        size_t k = i;
                        while (k < j) {
                                if (s[k] == 0x1b) {
                                        int key;
                                        size_t l = esc_seq(s + k, j - k, &key);
                                        if (key >= 0 && key <= 5) {
                                                vt_key(p->vt, key);
                                                k += l;
                                                continue;
                                        }
                                        pane_out(p, (const char *)s + k, l);
                                        k += l;
                                        continue;
                                }
                                size_t m = k;
                                while (m < j && s[m] != 0x1b)
                                        m++;
                                pane_out(p, (const char *)s + k, m - k);
                                k = m;
                        }
                        p->scroll = 0;
                        i = j;
                        continue;
                }
                int key = -1;
                size_t l = 1;
                if (s[i] == 0x1b)
                        l = esc_seq(s + i, j - i, &key);
                if (p->vt && (p->copy || p->kind == P_OUTPUT) &&
                    (p->copy || key >= 0 || s[i] == 'q')) {
                        copy_key(c, p, key, s[i]);
                        i += l;
                        continue;
                }
                if (p->kind == P_GRAPH) {
                        if (key >= 0 && key <= 3) {
                                graph_move(c, key);
                                i += l;
                                continue;
                        }
                        if (s[i] == '\r' || s[i] == '\n') {
                                char err[ERRLEN];
                                if (con_open_term(c, c->sel, err) < 0)
                                        con_msg(c, true, "%s", err);
                                i++;
                                continue;
                        }
                        if (s[i] == '\t') {
                                con_select_node(c, (c->sel + 1) % c->lab->nnodes);
                                i++;
                                continue;
                        }
                }
                if (key >= 0) {
                        i += l;
                        continue;
                }
                /* Anything else starts a command. */
                c->focus_cmd = true;
                c->dirty = true;
        }
}

/* ---- signals, timer ---- */

static void on_winch(struct console *c)
{
        struct winsize ws;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
                resizeterm(ws.ws_row, ws.ws_col);
        clearok(curscr, TRUE);
        apply_sizes(c);
}

static void signals(struct console *c)
{
        struct signalfd_siginfo si;
        while (read(c->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
                switch (si.ssi_signo) {
                case SIGWINCH:
                        on_winch(c);
                        break;
                case SIGCHLD:
                        for (int i = 0; i < MAXPANES; i++) {
                                struct pane *p = &c->panes[i];
                                int st;
                                if (p->used && p->pid > 0 &&
                                    waitpid(p->pid, &st, WNOHANG) == p->pid) {
                                        /* Show what it printed last, then close the
                                         * pane even if a background job still holds
                                         * the pty open. */
                                        p->pid = 0;
                                        if (p->fd >= 0)
                                                pty_event(c, i);
                                        if (p->used) {
                                                char note[160];
                                                snprintf(note, sizeof(note),
                                                         "%s: shell exited (status %d)",
                                                         p->node >= 0 ? c->lab->nodes[p->node].name
                                                                      : "?",
                                                         WIFEXITED(st) ? WEXITSTATUS(st)
                                                                       : 128 + WTERMSIG(st));
                                                con_close_pane(c, i, note);
                                        }
                                }
                        }
                        break;
                default: /* INT, TERM, HUP: leave now */
                        con_log(c, "signal %d: quitting", (int)si.ssi_signo);
                        c->quit = true;
                        break;
                }
        }
}

static void arm_timer(struct console *c)
{
        long long t = 0;
        long long cand[4] = {
            c->draw_pending ? c->next_draw_ms : 0, c->exp_deadline, c->iperf_client_at,
            c->inspect_pane >= 0 && c->built && c->lay.zoomed < 0 ? c->inspect_at : 0};
        for (int i = 0; i < 4; i++)
                if (cand[i] > 0 && (t == 0 || cand[i] < t))
                        t = cand[i];
        struct itimerspec its = {0};
        if (t > 0) {
                if (t <= now_ms())
                        t = now_ms() + 1;
                its.it_value.tv_sec = t / 1000;
                its.it_value.tv_nsec = (t % 1000) * 1000000;
        }
        timerfd_settime(c->tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void deadlines(struct console *c)
{
        long long now = now_ms();
        if (c->exp_deadline && now >= c->exp_deadline) {
                c->exp_deadline = 0;
                exp_step(c);
        }
        jobs_tick(c, now);
        struct rect ir;
        if (c->inspect_pane >= 0 && c->built && now >= c->inspect_at &&
            layout_rect(&c->lay, c->inspect_pane, &ir)) {
                inspect_refresh(c, c->sel);
                c->inspect_at = now + 1000;
                c->dirty = true;
        }
}

/* ---- life cycle ---- */

static void hook_check(void *ud, int exp, bool ok, const char *msg, const char *where)
{
        struct console *c = ud;
        if (exp < 0 || exp >= c->nexp)
                return;
        struct exp_view *e = &c->ev[exp];
        if (e->n == e->cap) {
                int nc = e->cap ? e->cap * 2 : 8;
                struct check *nk = realloc(e->checks, sizeof(*nk) * (size_t)nc);
                if (!nk)
                        return;
                e->checks = nk;
                e->cap = nc;
        }
        e->checks[e->n].ok = ok;
        snprintf(e->checks[e->n].msg, sizeof(e->checks[e->n].msg), "%s", msg ? msg : "");
        e->n++;
        con_log(c, "check %s: %s (%s)", ok ? "ok" : "FAILED", msg ? msg : "", where ? where : "");
        c->dirty = true;
}

static void hook_print(void *ud, const char *line)
{
        struct console *c = ud;
        con_log(c, "lua: %s", line);
        if (isendwin())
                return;
        con_output(c, line, strlen(line));
        con_output(c, "\n", 1);
}

static void hook_progress(void *ud, const char *stage, int done, int total)
{
        struct console *c = ud;
        if (isendwin())
                return;
        con_msg(c, false, "Lab %s: %s %d/%d", c->lab->name, stage, done, total);
        draw_all(c);
}

static void default_lab(char *out, size_t len)
{
        const char *cands[] = {NETLAB_SOURCE_DIR "/labs/linear.lua",
                               NETLAB_SHARE_DIR "/labs/linear.lua",
                               "/usr/share/netlab/labs/linear.lua", "labs/linear.lua"};
        for (size_t i = 0; i < sizeof(cands) / sizeof(cands[0]); i++)
                if (access(cands[i], R_OK) == 0) {
                        snprintf(out, len, "%s", cands[i]);
                        return;
                }
        snprintf(out, len, "%s", cands[0]);
}

static FILE *open_log(void)
{
        char dir[PATH_MAX], path[PATH_MAX];
        const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
        if (x && *x)
                snprintf(dir, sizeof(dir), "%s/netlab", x);
        else if (home && *home)
                snprintf(dir, sizeof(dir), "%s/.local/state/netlab", home);
        else
                return NULL;
        char tmp[PATH_MAX];
        snprintf(tmp, sizeof(tmp), "%s", dir);
        for (char *p = tmp + 1; *p; p++)
                if (*p == '/') {
                        *p = '\0';
                        mkdir(tmp, 0755);
                        *p = '/';
                }
        mkdir(tmp, 0755);
        if (snprintf(path, sizeof(path), "%.4000s/console.log", dir) >= (int)sizeof(path))
                return NULL;
        FILE *f = fopen(path, "ae");
        return f;
}

static void setup_curses(struct console *c)
{
        initscr();
        raw();
        noecho();
        nonl();
        intrflush(stdscr, FALSE);
        keypad(stdscr, FALSE);
        if (has_colors()) {
                start_color();
                use_default_colors();
        }
        curs_set(0);
        c->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}

static void loop(struct console *c)
{
        struct epoll_event evs[64];
        while (!c->quit) {
                arm_timer(c);
                int n = epoll_wait(c->ep, evs, 64, -1);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        fatal("epoll_wait: %s", strerror(errno));
                }
                for (int i = 0; i < n && !c->quit; i++) {
                        uint32_t type = (uint32_t)(evs[i].data.u64 >> 32);
                        uint32_t idx = (uint32_t)evs[i].data.u64;
                        switch (type) {
                        case EV_STDIN: {
                                unsigned char buf[4096];
                                ssize_t r = read(STDIN_FILENO, buf, sizeof(buf));
                                if (r > 0)
                                        keyboard(c, buf, (size_t)r);
                                else if (r == 0 || (errno != EAGAIN && errno != EINTR))
                                        c->quit = true; /* the terminal went away */
                                break;
                        }
                        case EV_SIG:
                                signals(c);
                                break;
                        case EV_TIMER: {
                                uint64_t x;
                                if (read(c->tfd, &x, sizeof(x)) < 0) {
                                        /* spurious */
                                }
                                break;
                        }
                        case EV_PTY:
                                pty_event(c, (int)idx);
                                break;
                        case EV_MON:
                                if (c->mon && (int)idx < c->lab->nnodes && c->mon[idx]) {
                                        struct mon_ud m = {c, (int)idx};
                                        nl_monitor_read(c->mon[idx], on_link_event, &m);
                                }
                                break;
                        case EV_JOB:
                                jobs_event(c, (int)idx);
                                break;
                        case EV_LUA:
                                exp_step(c);
                                break;
                        }
                }
                deadlines(c);
                if (c->quit)
                        break;
                if (c->dirty || c->draw_pending) {
                        long long now = now_ms();
                        if (now >= c->next_draw_ms) {
                                draw_all(c);
                                c->next_draw_ms = now + 16;
                                c->draw_pending = false;
                        } else {
                                c->draw_pending = true;
                        }
                }
        }
}

int ui_main(const char *lab_path, bool keep)
{
        static struct console con;
        struct console *c = &con;
        char err[ERRLEN];
        memset(c, 0, sizeof(*c));
        g_con = c;
        c->keep = keep;
        c->prefix_key = 2;
        c->output_pane = c->inspect_pane = c->exp_pane = -1;
        c->exp_last = -1;
        c->exp_fd = -1;
        const char *pk = getenv("NETLAB_PREFIX"); /* "C-a" style, or a letter */
        if (pk && strlen(pk) == 3 && pk[0] == 'C' && pk[1] == '-' && pk[2] >= 'a' && pk[2] <= 'z')
                c->prefix_key = pk[2] - 'a' + 1;
        setlocale(LC_ALL, "");
        if (lab_path)
                snprintf(c->lab_path, sizeof(c->lab_path), "%s", lab_path);
        else
                default_lab(c->lab_path, sizeof(c->lab_path));
        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
                fprintf(stderr, "netlab: the console needs a terminal (try: netlab run %s)\n",
                        c->lab_path);
                return 2;
        }
        c->log = open_log();
        struct nlua_hooks hooks = {
            .on_check = hook_check, .on_print = hook_print, .on_progress = hook_progress, .ud = c};
        c->L = nlua_new(&hooks, err);
        if (!c->L) {
                fprintf(stderr, "netlab: %s\n", err);
                return 1;
        }
        if (nlua_load(c->L, c->lab_path, err) < 0) {
                fprintf(stderr, "netlab: %s\n", err);
                nlua_free(c->L);
                return 1;
        }
        c->lab = nlua_lab(c->L);
        if (!c->lab) {
                fprintf(stderr, "netlab: %s declares no lab (netlab.lab(\"name\"))\n", c->lab_path);
                nlua_free(c->L);
                return 1;
        }
        con_log(c, "console on %s (lab %s)", c->lab_path, c->lab->name);
        c->nexp = nlua_exp_count(c->L);
        c->ev = calloc((size_t)(c->nexp > 0 ? c->nexp : 1), sizeof(*c->ev));
        c->ifup = malloc((size_t)(c->lab->nifaces > 0 ? c->lab->nifaces : 1));
        if (!c->ev || !c->ifup) {
                fprintf(stderr, "netlab: out of memory\n");
                return 1;
        }
        memset(c->ifup, -1, (size_t)(c->lab->nifaces > 0 ? c->lab->nifaces : 1));
        c->in.node = -1;

        /* CHLD and WINCH go to the signalfd from now on; INT, TERM and HUP
         * only once the lab is built, so that they still stop a build that
         * hangs (netlab clean then removes what the journal names). */
        sigset_t set, early;
        sigemptyset(&set);
        sigaddset(&set, SIGCHLD);
        sigaddset(&set, SIGWINCH);
        early = set;
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGHUP);
        sigprocmask(SIG_BLOCK, &early, NULL);
        c->sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
        c->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        c->ep = epoll_create1(EPOLL_CLOEXEC);
        if (c->sfd < 0 || c->tfd < 0 || c->ep < 0) {
                fprintf(stderr, "netlab: cannot set up the event loop: %s\n", strerror(errno));
                return 1;
        }
        signal(SIGSEGV, crash_handler);
        signal(SIGABRT, crash_handler);
        signal(SIGBUS, crash_handler);
        signal(SIGFPE, crash_handler);
        con_ep_add(c, STDIN_FILENO, EV_STDIN, 0);
        con_ep_add(c, c->sfd, EV_SIG, 0);
        con_ep_add(c, c->tfd, EV_TIMER, 0);

        setup_curses(c);
        /* Panes: graph | (inspector / experiments). */
        c->graph_pane = pane_alloc(c);
        c->panes[c->graph_pane].kind = P_GRAPH;
        layout_init(&c->lay, c->graph_pane);
        layout_compute(&c->lay, work_area());
        c->inspect_pane = pane_alloc(c);
        c->panes[c->inspect_pane].kind = P_INSPECT;
        layout_split(&c->lay, c->graph_pane, LAY_H, c->inspect_pane, COLS >= 110 ? 640 : 600, NULL);
        c->exp_pane = pane_alloc(c);
        c->panes[c->exp_pane].kind = P_EXP;
        layout_split(&c->lay, c->inspect_pane, LAY_V, c->exp_pane, 600, NULL);
        c->active = c->graph_pane;
        c->focus_cmd = true;
        c->relayout = true;
        rl_setup(c);
        apply_sizes(c);
        draw_all(c);

        /* A stop signal during the build asks the build to roll back. */
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_stop;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        con_msg(c, false, "Building lab %s...", c->lab->name);
        draw_all(c);
        if (nlua_build(c->L, err) < 0) {
                con_msg(c, true, "Build failed: %s", err);
        } else {
                c->built = true;
                monitors_start(c);
                con_msg(c, false,
                        "Lab %s is up: %d nodes, %d links. Type help, or Ctrl-b ? for keys.",
                        c->lab->name, c->lab->nnodes, c->lab->nlinks);
        }
        sigprocmask(SIG_BLOCK, &set, NULL);
        if (lab_stop_requested)
                c->quit = true;
        c->dirty = true;
        draw_all(c);
        loop(c);

        /* Quit: shells first, then the lab. */
        for (int i = 0; i < MAXPANES; i++)
                if (c->panes[i].used && c->panes[i].kind == P_TERM)
                        con_close_pane(c, i, NULL);
        if (nlua_exp_running(c->L) >= 0)
                nlua_exp_abort(c->L);
        for (int i = 0; i < MAXJOBS; i++)
                if (c->jobs[i].used) {
                        proc_job_kill(&c->jobs[i].j);
                        proc_job_free(&c->jobs[i].j);
                        c->jobs[i].used = false;
                }
        monitors_stop(c);
        inspect_free(&c->in);
        int status = c->exit_status;
        if (c->built && !c->keep) {
                if (nlua_teardown(c->L, err) < 0) {
                        con_log(c, "teardown: %s", err);
                        rl_finish(c);
                        endwin();
                        fprintf(stderr, "netlab: %s\n", err);
                        status = 1;
                        goto out;
                }
        }
        rl_finish(c);
        endwin();
        if (c->built && c->keep)
                printf("Lab %s left up (netlab clean %s removes it).\n", c->lab->name,
                       c->lab->name);
out:
        con_log(c, "console closed");
        nlua_free(c->L);
        c->L = NULL;
        for (int i = 0; i < c->nexp; i++)
                free(c->ev[i].checks);
        free(c->ev);
        free(c->ifup);
        free(c->gn);
        free(c->ge);
        layout_free(&c->lay);
        close(c->ep);
        close(c->sfd);
        close(c->tfd);
        if (c->log)
                fclose(c->log);
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        g_con = NULL;
        return status;
}
