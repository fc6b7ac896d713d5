/* exp.c — the lab's experiments in the console.
 *
 * `exp run NAME` starts an experiment as a Lua coroutine (lua/nlua). When
 * it waits (a command's output, a sleep), nlua hands back an fd and/or a
 * timeout: the fd joins the epoll set (EV_LUA) and the timeout becomes the
 * loop's deadline; either resumes it through exp_step. Checks arrive
 * through the on_check hook and are kept per experiment for the pane. */
#include "console.h"
#include "monotime.h"
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

int exp_init(struct console *c)
{
        c->exp.n = nlua_exp_count(c->L);
        c->exp.last = -1;
        c->exp.after_up = -1;
        c->exp.shown = -1;
        c->exp.fd = -1;
        c->exp.ev = calloc((size_t)(c->exp.n > 0 ? c->exp.n : 1), sizeof(*c->exp.ev));
        return c->exp.ev ? 0 : -1;
}

void exp_free(struct console *c)
{
        for (int i = 0; i < c->exp.n && c->exp.ev; i++)
                free(c->exp.ev[i].checks);
        free(c->exp.ev);
        c->exp.ev = NULL;
}

const char *con_exp_name(void *ud, int i)
{
        struct console *c = ud;
        return i < c->exp.n ? nlua_exp_name(c->L, i) : NULL;
}

void exp_on_check(void *ud, int exp, bool ok, const char *msg, const char *where)
{
        struct console *c = ud;
        if (exp < 0 || exp >= c->exp.n)
                return;
        struct exp_view *e = &c->exp.ev[exp];
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
        /* The lab file's name and line: the directory is known and long. */
        const char *w = where ? where : "", *slash = strrchr(w, '/');
        snprintf(e->checks[e->n].where, sizeof(e->checks[e->n].where), "%s", slash ? slash + 1 : w);
        e->n++;
        con_log(c, "check %s: %s (%s)", ok ? "ok" : "FAILED", msg ? msg : "", where ? where : "");
        /* The pane follows the newest check unless scrolled up. */
        if (c->exp_pane >= 0) {
                struct pane *p = &c->panes[c->exp_pane];
                if (p->scroll >= p->lines - p->rows)
                        p->scroll = INT_MAX / 2; /* the end, clamped when painted */
        }
        c->dirty = true;
}

int exp_run(struct console *c, int idx, char *err)
{
        if (cmd_need_up(c, err) < 0)
                return -1;
        int r = nlua_exp_running(c->L);
        if (r >= 0 && r == nlua_up_exp(c->L) && idx != r) {
                /* The lab's services are still starting: this one follows. */
                c->exp.after_up = idx;
                con_msg(c, false, "exp %s: runs once %s is done", nlua_exp_name(c->L, idx),
                        NLUA_UP_NAME);
                return 0;
        }
        if (r >= 0) {
                errno = EBUSY;
                return errf(err, "Experiment \"%s\" is running", nlua_exp_name(c->L, r));
        }
        if (nlua_exp_start(c->L, idx, err) < 0)
                return -1;
        c->exp.last = idx;
        c->exp.shown = -1;
        c->exp.ev[idx].n = 0;
        c->exp.ev[idx].ran = true;
        con_msg(c, false, "exp %s: running", nlua_exp_name(c->L, idx));
        exp_step(c);
        return 0;
}

void exp_on_up(struct console *c)
{
        char err[ERRLEN];
        int up = nlua_up_exp(c->L);
        if (up < 0)
                return;
        if (exp_run(c, up, err) < 0)
                con_msg(c, true, "exp %s: %s", NLUA_UP_NAME, err);
        else if (nlua_exp_running(c->L) == up)
                con_msg(c, false, "Lab %s is up; %s is starting its services...", c->lab->name,
                        NLUA_UP_NAME);
}

/* The message line after a failed experiment: the first failing check,
 * its cause and its file:line, as `netlab run` prints it. */
static void exp_failed_msg(struct console *c, int idx, const struct nlua_exp_result *res)
{
        const struct exp_view *e = &c->exp.ev[idx];
        /* A lab changed live (link set, down) may fail what its file passes: say so. */
        char changed[224] = "", first[96];
        int nch = c->lab ? lab_changed_links(c->lab, first, sizeof(first)) : 0;
        if (nch > 0)
                snprintf(changed, sizeof(changed), " (%s%s now differ%s from the file: reset puts it back)",
                         first, nch > 1 ? " and others" : "", nch > 1 ? "" : "s");
        for (int k = 0; k < e->n; k++)
                if (!e->checks[k].ok) {
                        con_msg(c, true, "exp %s: %d passed, %d failed; FAIL %s%s%s%s%s",
                                nlua_exp_name(c->L, idx), res->passed, res->failed,
                                e->checks[k].msg, e->checks[k].where[0] ? "  (" : "",
                                e->checks[k].where, e->checks[k].where[0] ? ")" : "", changed);
                        return;
                }
        con_msg(c, true, "exp %s: %d passed, %d failed%s", nlua_exp_name(c->L, idx), res->passed,
                res->failed, changed);
}

/* An experiment by its whole name (several words, quoted or not) or its
 * number; -1 with err when there is none. */
static int exp_by_name(struct console *c, const char *name, char *err)
{
        for (int i = 0; i < c->exp.n; i++)
                if (strcmp(nlua_exp_name(c->L, i), name) == 0)
                        return i;
        char *end;
        long k = strtol(name, &end, 10);
        if (*name && *end == '\0' && k >= 1 && k <= c->exp.n)
                return (int)k - 1;
        errno = ENOENT;
        return errf(err, "No experiment \"%s\" (exp lists them)", name);
}

/* The name after "exp run" or "exp show": the one word as typed (quotes
 * removed), or the raw rest of the line ("exp run a link down cuts the chain"). */
static void exp_name_arg(int argc, char **argv, const char *rest, char *name, size_t len)
{
        if (argc == 2) {
                snprintf(name, len, "%s", argv[1]);
                return;
        }
        const char *r = rest + strspn(rest, " \t");
        r += strcspn(r, " \t"); /* the subcommand */
        r += strspn(r, " \t");
        snprintf(name, len, "%s", r);
        size_t l = strlen(name);
        while (l > 0 && (name[l - 1] == ' ' || name[l - 1] == '\t'))
                name[--l] = '\0';
}

/* exp show N|NAME: the pane shows that experiment's checks again. */
static int exp_show(struct console *c, const char *which, char *err)
{
        int idx = exp_by_name(c, which, err);
        if (idx < 0)
                return -1;
        c->exp.shown = idx;
        if (c->exp_pane >= 0)
                c->panes[c->exp_pane].scroll = 0;
        const struct exp_view *e = &c->exp.ev[idx];
        struct nlua_exp_result res;
        nlua_exp_result(c->L, idx, &res);
        if (!e->ran)
                con_msg(c, false, "exp %s: not run yet (exp run %d)", nlua_exp_name(c->L, idx),
                        idx + 1);
        else if (res.failed > 0)
                exp_failed_msg(c, idx, &res);
        else
                con_msg(c, false, "exp %s: %d passed, %d failed", nlua_exp_name(c->L, idx),
                        res.passed, res.failed);
        c->dirty = true;
        return 0;
}

/* Forgets what the running experiment waits for (its fd, its deadline). */
static void exp_unwait(struct console *c)
{
        if (c->exp.fd_in_ep) {
                con_ep_del(c, c->exp.fd);
                c->exp.fd_in_ep = false;
        }
        c->exp.deadline = 0;
}

void exp_stop(struct console *c)
{
        if (cmdwork_is_step(c)) { /* the coroutine is on the worker: after its step */
                c->exp.stop_after_step = true;
                return;
        }
        int idx = nlua_exp_running(c->L);
        bool eval = nlua_eval_running(c->L);
        exp_unwait(c);
        c->exp.after_up = -1;
        if (idx < 0 && !eval)
                return;
        nlua_exp_abort(c->L);
        if (eval)
                script_tag_done(c, c->script.eval_tag);
        else
                con_msg(c, false, "exp %s: stopped", nlua_exp_name(c->L, idx));
        c->dirty = true;
}

/* One resume of the coroutine: on the command worker (cmdwork_run), so
 * that a kernel call in the experiment (link:down() while another lab holds
 * the rtnl lock) never holds the loop; then exp_step_end on the loop. */
struct exp_resume {
        int idx;
        bool eval;
        enum nlua_status st;
        struct nlua_wait w;
        char err[ERRLEN];
};

static int step_run(struct console *c, void *arg, char *err)
{
        (void)err;
        struct exp_resume *r = arg;
        r->st = nlua_exp_resume(c->L, &r->w, r->err);
        return 0;
}

static void exp_step_end(struct console *c, struct exp_resume *r)
{
        enum nlua_status st = r->st;
        struct nlua_wait w = r->w;
        const char *err = r->err;
        bool eval = r->eval;
        int idx = r->idx;
        if (c->exp.stop_after_step) { /* Ctrl-C or exp stop during the step */
                c->exp.stop_after_step = false;
                if (st == NLUA_WAIT) {
                        exp_stop(c);
                        return;
                }
        }
        if (st == NLUA_WAIT) {
                if (w.fd >= 0) {
                        con_ep_add(c, w.fd, EV_LUA, 0);
                        c->exp.fd = w.fd;
                        c->exp.fd_in_ep = true;
                }
                if (w.timeout_ms >= 0)
                        c->exp.deadline = monotime_ms() + (w.timeout_ms > 0 ? w.timeout_ms : 1);
                else if (w.fd < 0)
                        c->exp.deadline = monotime_ms() + 1;
        } else if (eval) {
                if (st == NLUA_ERROR) {
                        con_output(c, err, strlen(err));
                        con_output(c, "\n", 1);
                        con_msg(c, true, "lua: %s", err);
                } else {
                        con_msg(c, false, "lua: done");
                }
                script_tag_done(c, c->script.eval_tag);
        } else {
                struct nlua_exp_result res;
                nlua_exp_result(c->L, idx, &res);
                if (st == NLUA_ERROR)
                        con_msg(c, true, "exp %s: %s", nlua_exp_name(c->L, idx), err);
                else if (res.failed > 0)
                        exp_failed_msg(c, idx, &res);
                else if (idx == nlua_up_exp(c->L))
                        con_msg(c, false,
                                "Lab %s is up; %s started its services. Type help, or %s ? "
                                "for keys.",
                                c->lab->name, NLUA_UP_NAME, keys_prefix(c));
                else
                        con_msg(c, false, "exp %s: %d passed, 0 failed", nlua_exp_name(c->L, idx),
                                res.passed);
        }
        if (st != NLUA_WAIT && !eval && idx == nlua_up_exp(c->L) && c->exp.after_up >= 0) {
                int next = c->exp.after_up;
                char e[ERRLEN];
                c->exp.after_up = -1;
                if (exp_run(c, next, e) < 0)
                        con_msg(c, true, "exp %s: %s", nlua_exp_name(c->L, next), e);
        }
        if (st != NLUA_WAIT && nlua_exit_status(c->L) >= 0) { /* os.exit: quit, as asked */
                c->exit_status = nlua_exit_status(c->L);
                c->quit = true;
        }
        c->dirty = true;
}

static void step_after(struct console *c, void *arg, int rc)
{
        (void)rc;
        struct exp_resume *r = arg;
        exp_step_end(c, r);
        free(r);
}

void exp_step(struct console *c)
{
        exp_unwait(c);
        bool eval = nlua_eval_running(c->L); /* a `lua` line (script.c) */
        if (nlua_exp_running(c->L) < 0 && !eval)
                return;
        if (cmdwork_busy(c)) { /* the worker has the lab: again right after */
                c->exp.deadline = monotime_ms() + 1;
                return;
        }
        struct exp_resume *r = calloc(1, sizeof(*r));
        if (!r) {
                c->exp.deadline = monotime_ms() + 10;
                return;
        }
        r->idx = nlua_exp_running(c->L);
        r->eval = eval;
        r->w = (struct nlua_wait){-1, -1};
        char what[200], err[ERRLEN];
        snprintf(what, sizeof(what), "%s %s", eval ? "lua" : "exp",
                 eval ? "line" : nlua_exp_name(c->L, r->idx));
        if (c->cw && cmdwork_run(c, what, step_run, step_after, r, err) == 0)
                return;
        step_run(c, r, err); /* no worker: here */
        step_after(c, r, 0);
}

int c_exp(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        char name[512];
        if (argc == 0) {
                char buf[1024];
                size_t o = (size_t)snprintf(buf, sizeof(buf), "%d experiments:", c->exp.n);
                for (int i = 0; i < c->exp.n && o + 40 < sizeof(buf); i++)
                        o += (size_t)snprintf(buf + o, sizeof(buf) - o, " %d.%s", i + 1,
                                              nlua_exp_name(c->L, i));
                con_msg(c, false, "%s", buf);
                return 0;
        }
        if (strcmp(argv[0], "stop") == 0 && argc == 1) {
                if (nlua_exp_running(c->L) < 0 && !nlua_eval_running(c->L)) {
                        errno = ENOENT;
                        return errf(err, "No experiment or lua line is running");
                }
                exp_stop(c); /* an experiment, or a `lua` line */
                return 0;
        }
        if (strcmp(argv[0], "next") == 0 && argc == 1) {
                int next = c->exp.last + 1;
                if (next >= c->exp.n) {
                        errno = ENOENT;
                        return errf(err, c->exp.n ? "No more experiments (exp run NAME reruns one)"
                                                  : "This lab has no experiments");
                }
                return exp_run(c, next, err);
        }
        if ((strcmp(argv[0], "run") == 0 || strcmp(argv[0], "show") == 0) && argc >= 2) {
                exp_name_arg(argc, argv, rest, name, sizeof(name));
                if (argv[0][0] == 's')
                        return exp_show(c, name, err);
                int i = exp_by_name(c, name, err);
                return i < 0 ? -1 : exp_run(c, i, err);
        }
        errno = EINVAL;
        return errf(err, "Usage: exp [run NAME|next|show N|stop]");
}
