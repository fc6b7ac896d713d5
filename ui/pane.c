/* pane.c — panes and their ptys.
 *
 * A pane is a slot in the console's array, placed by the layout tree. The
 * graph, inspector and experiments panes are drawn from the console's
 * state; terminal panes hold a libvterm screen fed from a pty whose other
 * end runs a shell inside a node, and the output pane holds a libvterm
 * screen fed by commands and scripts. A pane's content size is given to
 * libvterm and to the pty (TIOCSWINSZ) whenever the layout changes. */
#include "console.h"
#include "monotime.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <curses.h>

struct rect pane_work_area(void)
{
        struct rect r = {0, 1, COLS, LINES - 3};
        if (r.h < 1)
                r.h = 1;
        return r;
}

#define PANE_OUT_MAX (4 << 20)

/* Writes what the pty takes; returns the bytes written. */
static size_t write_some(int fd, const char *buf, size_t len)
{
        size_t done = 0;
        while (done < len) {
                ssize_t n = write(fd, buf + done, len - done);
                if (n <= 0)
                        break;
                done += (size_t)n;
        }
        return done;
}

static void want_out(struct pane *p, bool on)
{
        struct console *c = p->con;
        if (!c || p->fd < 0)
                return;
        struct epoll_event ev = {.events = EPOLLIN | (on ? EPOLLOUT : 0),
                                 .data.u64 = ((uint64_t)EV_PTY << 32) | (uint64_t)(p - c->panes)};
        epoll_ctl(c->ep, EPOLL_CTL_MOD, p->fd, &ev);
}

void pane_write(struct pane *p, const char *buf, size_t len)
{
        if (p->fd < 0 || len == 0)
                return;
        if (p->outlen == 0) {
                size_t n = write_some(p->fd, buf, len);
                buf += n;
                len -= n;
                if (len == 0)
                        return;
        }
        if (p->outlen + len > PANE_OUT_MAX) {
                if (p->con)
                        con_msg(p->con, true, "%s: not taking input, %zu bytes dropped", p->title,
                                len);
                return;
        }
        char *o = realloc(p->out, p->outlen + len);
        if (!o)
                return;
        memcpy(o + p->outlen, buf, len);
        p->out = o;
        p->outlen += len;
        want_out(p, true);
}

void pane_flush(struct console *c, int id)
{
        struct pane *p = &c->panes[id];
        if (!p->used || p->fd < 0 || p->outlen == 0)
                return;
        size_t n = write_some(p->fd, p->out, p->outlen);
        memmove(p->out, p->out + n, p->outlen - n);
        p->outlen -= n;
        if (p->outlen == 0)
                want_out(p, false);
}

/* libvterm's answers (device status, key encodings) go to the pty. */
static void vt_answer(void *ud, const char *buf, size_t len)
{
        pane_write(ud, buf, len);
}

/* Keeps what the output pane was given, up to PANE_TEXT_MAX (the oldest
 * lines go first, whole). */
static void text_keep(struct pane *p, const char *buf, size_t len)
{
        if (len > PANE_TEXT_MAX)
                return;
        if (p->textlen + len > PANE_TEXT_MAX) {
                size_t drop = p->textlen + len - PANE_TEXT_MAX / 2;
                const char *nl = drop < p->textlen ? memchr(p->text + drop, '\n', p->textlen - drop)
                                                   : NULL;
                drop = nl ? (size_t)(nl - p->text) + 1 : p->textlen;
                memmove(p->text, p->text + drop, p->textlen - drop);
                p->textlen -= drop;
        }
        if (p->textlen + len > p->textcap) {
                size_t cap = p->textcap ? p->textcap : 16384;
                while (cap < p->textlen + len)
                        cap *= 2;
                char *t = realloc(p->text, cap);
                if (!t)
                        return;
                p->text = t;
                p->textcap = cap;
        }
        memcpy(p->text + p->textlen, buf, len);
        p->textlen += len;
}

/* The output pane at a new width: its text wrapped again (libvterm 0.1.4
 * does not reflow), in a new vt; copy mode ends. */
static void output_reflow(struct pane *p, int rows, int cols)
{
        struct vt *vt = vt_new(rows, cols, vt_answer, p);
        if (!vt) {
                vt_resize(p->vt, rows, cols);
                return;
        }
        vt_free(p->vt);
        p->vt = vt;
        p->copy = false;
        p->scroll = 0;
        if (p->textlen)
                vt_feed(vt, p->text, p->textlen);
}

void pane_apply_sizes(struct console *c)
{
        layout_compute(&c->lay, pane_work_area());
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
                bool wider_or_narrower = cols != p->cols;
                p->rows = rows;
                p->cols = cols;
                if (p->kind == P_OUTPUT && wider_or_narrower) {
                        output_reflow(p, rows, cols);
                } else {
                        int sb = vt_scrollback(p->vt);
                        vt_resize(p->vt, rows, cols);
                        copy_resized(p, sb);
                }
                if (p->fd >= 0) {
                        struct winsize ws = {.ws_row = (unsigned short)rows,
                                             .ws_col = (unsigned short)cols};
                        ioctl(p->fd, TIOCSWINSZ, &ws);
                }
        }
        c->relayout = true;
        c->dirty = true;
}

int pane_alloc(struct console *c)
{
        for (int i = 0; i < MAXPANES; i++)
                if (!c->panes[i].used) {
                        memset(&c->panes[i], 0, sizeof(c->panes[i]));
                        c->panes[i].used = true;
                        c->panes[i].fd = -1;
                        c->panes[i].node = -1;
                        c->panes[i].con = c;
                        return i;
                }
        return -1;
}

int con_split(struct console *c, enum pane_kind kind, int node, enum lay_kind dir, char *err)
{
        return con_split_at(c, kind, node, -1, dir, err);
}

/* The pane a new terminal or output pane splits when none is named: the
 * active terminal pane, unless another terminal pane is much bigger (then
 * that one: eight shells stay usable); the graph the first time. */
static int split_target(struct console *c)
{
        struct rect r;
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
        return target;
}

int con_split_at(struct console *c, enum pane_kind kind, int node, int target, enum lay_kind dir,
                 char *err)
{
        struct rect r;
        layout_compute(&c->lay, pane_work_area());
        if (target < 0 || !c->panes[target].used || !layout_has(&c->lay, target))
                target = split_target(c);
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
        layout_compute(&c->lay, pane_work_area());
        layout_rect(&c->lay, id, &r);
        p->rows = r.h - 1 > 0 ? r.h - 1 : 1;
        p->cols = r.w > 0 ? r.w : 1;
        p->vt = vt_new(p->rows, p->cols, vt_answer, p);
        if (!p->vt) {
                layout_close(&c->lay, id, NULL);
                p->used = false;
                return errf(err, "Cannot create a terminal: out of memory");
        }
        pane_apply_sizes(c);
        return id;
}

int con_open_term(struct console *c, int node, char *err)
{
        return con_open_term_dir(c, node, 0, err);
}

/* "h1: shell", or "h1: shell 2" when h1 already has a shell pane: titles stay distinct. */
static void default_title(struct console *c, int id, int node)
{
        const char *name = c->lab->nodes[node].name;
        for (int n = 1; n <= MAXPANES; n++) {
                char t[sizeof(c->panes[0].title)];
                if (n == 1)
                        snprintf(t, sizeof(t), "%s: shell", name);
                else
                        snprintf(t, sizeof(t), "%s: shell %d", name, n);
                bool taken = false;
                for (int i = 0; i < MAXPANES && !taken; i++)
                        taken = i != id && c->panes[i].used && !strcmp(c->panes[i].title, t);
                if (!taken) {
                        snprintf(c->panes[id].title, sizeof(c->panes[id].title), "%s", t);
                        return;
                }
        }
}

int con_open_term_dir(struct console *c, int node, enum lay_kind dir, char *err)
{
        return con_open_term_at(c, node, -1, dir, err);
}

/* A pane running argv (NULL: a shell) in node, titled title (NULL: "NODE: shell"). */
static int open_at(struct console *c, int node, int target, enum lay_kind dir, char *const argv[],
                   const char *title, char *err)
{
        if (!c->built) {
                errno = ENOTCONN;
                return errf(err, "The lab is not up");
        }
        if (!lab_node_live(c->lab, node)) {
                errno = ENOENT;
                return errf(err, "No node selected (select one in the graph)");
        }
        int id = con_split_at(c, P_TERM, node, target, dir, err);
        if (id < 0)
                return -1;
        struct pane *p = &c->panes[id];
        if (proc_spawn_pty(c->lab, node, argv, p->rows, p->cols, &p->fd, &p->pid, err) < 0) {
                vt_free(p->vt);
                layout_close(&c->lay, id, NULL);
                p->used = false;
                pane_apply_sizes(c);
                return -1;
        }
        if (title)
                snprintf(p->title, sizeof(p->title), "%s", title);
        else
                default_title(c, id, node);
        con_ep_add(c, p->fd, EV_PTY, (uint32_t)id);
        c->active = id;
        p->readonly = argv != NULL;
        c->focus_cmd = p->readonly; /* a shell takes the keys; a program's output never */
        con_log(c, "%s %s: pid %d", argv ? argv[0] : "term", c->lab->nodes[node].name,
                (int)p->pid);
        return id;
}

bool pane_takes_typing(const struct pane *p)
{
        return p->kind == P_TERM && !p->readonly;
}

int con_open_term_at(struct console *c, int node, int target, enum lay_kind dir, char *err)
{
        return open_at(c, node, target, dir, NULL, NULL, err) < 0 ? -1 : 0;
}

int con_open_cmd(struct console *c, int node, char *const argv[], const char *title, char *err)
{
        return open_at(c, node, -1, 0, argv, title, err);
}

#define DYING_GRACE_MS 300

/* A closed pane's shell that has not exited yet. */
static void dying_add(struct console *c, pid_t pid)
{
        for (int i = 0; i < MAXPANES; i++)
                if (c->dying[i].pid == 0) {
                        c->dying[i].pid = pid;
                        c->dying[i].kill_at = monotime_ms() + DYING_GRACE_MS;
                        return;
                }
        kill(pid, SIGKILL); /* no room to wait: it goes now (reaped by pane_reap) */
}

long long pane_dying_tick(struct console *c, long long now, bool wait)
{
        long long next = 0;
        for (int i = 0; i < MAXPANES; i++) {
                struct dying *d = &c->dying[i];
                if (d->pid == 0)
                        continue;
                if (waitpid(d->pid, NULL, WNOHANG) != 0) {
                        d->pid = 0;
                        continue;
                }
                if (now >= d->kill_at && d->kill_at) {
                        kill(d->pid, SIGKILL);
                        d->kill_at = 0;
                }
                if (wait) {
                        waitpid(d->pid, NULL, 0);
                        d->pid = 0;
                        continue;
                }
                if (d->kill_at && (next == 0 || d->kill_at < next))
                        next = d->kill_at;
        }
        return next;
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
                /* Hung up; reaped on SIGCHLD, killed if it lingers (never waited for here). */
                kill(p->pid, SIGHUP);
                if (waitpid(p->pid, NULL, WNOHANG) == 0)
                        dying_add(c, p->pid);
                p->pid = 0;
        }
        free(p->out);
        free(p->text);
        free(p->chart);
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
                if (!pane_takes_typing(&c->panes[c->active]))
                        c->focus_cmd = true;
        }
        if (note)
                con_msg(c, false, "%s", note);
        pane_apply_sizes(c);
}

int con_running_shells(const struct console *c)
{
        int n = 0;
        for (int i = 0; i < MAXPANES; i++)
                if (c->panes[i].used && pane_takes_typing(&c->panes[i]) && c->panes[i].pid > 0)
                        n++; /* a shell, not a logs pane's tail */
        return n;
}

/* \n becomes \r\n. */
void con_output(struct console *c, const char *buf, size_t len)
{
        if (cmdwork_on_worker()) { /* shown when the command ends */
                cmdwork_keep(CMDW_OUTPUT, buf, len);
                return;
        }
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
                        if (i > s) {
                                copy_feed(p, buf + s, i - s);
                                text_keep(p, buf + s, i - s);
                        }
                        copy_feed(p, "\r\n", 2);
                        text_keep(p, "\r\n", 2);
                        s = i + 1;
                }
        if (len > s) {
                copy_feed(p, buf + s, len - s);
                text_keep(p, buf + s, len - s);
        }
        c->dirty = true;
}
void pane_pty_event(struct console *c, int id)
{
        struct pane *p = &c->panes[id];
        if (!p->used || p->fd < 0)
                return;
        char buf[16384];
        for (int k = 0; k < 4; k++) {
                ssize_t n = read(p->fd, buf, sizeof(buf));
                if (n > 0) {
                        copy_feed(p, buf, (size_t)n);
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
        /* A command may be changing the lab (cmdwork.h): the title has the name. */
        const char *name = p->node >= 0 && !cmdwork_busy(c) ? c->lab->nodes[p->node].name
                                                             : p->title;
        if (p->pid > 0 && waitpid(p->pid, &st, WNOHANG) == p->pid) {
                p->pid = 0;
                if (WIFSIGNALED(st))
                        snprintf(note, sizeof(note), "%s: shell killed by signal %d", name,
                                 WTERMSIG(st));
                else
                        snprintf(note, sizeof(note), "%s: shell exited (status %d)", name,
                                 WEXITSTATUS(st));
        } else if (p->pid > 0) {
                /* The pty closed a moment before the shell is reaped: stop
                 * reading; pane_reap closes the pane with its status on SIGCHLD. */
                con_ep_del(c, p->fd);
                close(p->fd);
                p->fd = -1;
                return;
        } else {
                snprintf(note, sizeof(note), "%s: shell exited", name);
        }
        con_close_pane(c, id, note);
}

void pane_reap(struct console *c)
{
        pane_dying_tick(c, monotime_ms(), false);
        for (int i = 0; i < MAXPANES; i++) {
                struct pane *p = &c->panes[i];
                int st;
                if (!p->used || p->pid <= 0 || waitpid(p->pid, &st, WNOHANG) != p->pid)
                        continue;
                /* Show what it printed last, then close the pane even if a
                 * background job still holds the pty open. The drain sees
                 * the shell still named (its pid is reaped: it only stops
                 * reading), so the note with the status is this one; with
                 * the pid cleared first, a drain that met EOF closed the
                 * pane as "shell exited" without it (ui_term). */
                if (p->fd >= 0)
                        pane_pty_event(c, i);
                p->pid = 0;
                if (p->used) {
                        char note[160];
                        snprintf(note, sizeof(note), "%s: shell exited (status %d)",
                                 p->node >= 0 && !cmdwork_busy(c) ? c->lab->nodes[p->node].name
                                                                  : p->title,
                                 WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
                        con_close_pane(c, i, note);
                }
        }
}

int pane_number(const struct console *c, int id)
{
        int ids[MAXPANES];
        int n = layout_panes(&c->lay, ids, MAXPANES);
        for (int k = 0; k < n; k++)
                if (ids[k] == id)
                        return k;
        return -1;
}

int pane_by_number(const struct console *c, int num)
{
        int ids[MAXPANES];
        int n = layout_panes(&c->lay, ids, MAXPANES);
        return num >= 0 && num < n ? ids[num] : -1;
}

bool pane_running(const struct console *c, int id, char *name, size_t len)
{
        const struct pane *p = &c->panes[id];
        if (!p->used || p->fd < 0 || p->pid <= 0)
                return false;
        pid_t fg = tcgetpgrp(p->fd);
        if (fg <= 0 || fg == p->pid)
                return false;
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/comm", (int)fg);
        snprintf(name, len, "a program");
        FILE *f = fopen(path, "re");
        if (f) {
                if (fgets(name, (int)len, f))
                        name[strcspn(name, "\n")] = '\0';
                fclose(f);
        }
        return true;
}

void pane_set_sync(struct console *c, bool on)
{
        c->sync = on;
        con_msg(c, false, "synchronize-panes %s%s%s%s", on ? "on" : "off",
                on ? ": typing goes to every shell (" : "", on ? keys_prefix(c) : "",
                on ? " S again: off)" : "");
        c->dirty = true;
}
