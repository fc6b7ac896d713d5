/* cmdwork.c — the console's kernel-changing commands on a worker thread
 * (see cmdwork.h). One command at a time: the loop hands the lab to the
 * worker, keeps what the command prints, and takes the lab back when its
 * eventfd says the command ended. */
#include "cmdwork.h"
#include "console.h"
#include "kwork.h"
#include "monotime.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>

/* What the command printed, in order. */
struct kept {
        struct kept *next;
        int kind; /* CMDW_* */
        size_t len;
        char text[];
};

/* A line typed while busy. */
struct waiting {
        struct waiting *next;
        unsigned tag;
        char line[];
};

struct deferred {
        int fd;
        uint64_t data;
};

struct cmdwork {
        struct kwork *kw;
        bool busy;
        bool step; /* cmdwork_run's work, not a command line */
        long long since; /* monotime_ms when it was handed over */
        char what[160];
        struct waiting *wait, **wait_tail;
        struct deferred *defer;
        int ndefer, capdefer;
};

/* The commands that change the kernel, and what runs around them on the
 * loop (before: may refuse; after: always, with the result). */
static const struct kcmd {
        const char *name;
        int (*before)(struct console *c, void **state, char *err);
        int (*run)(struct console *c, void *state, char *err); /* NULL: the entry's exec */
        void (*after)(struct console *c, void *state, int rc);
} kcmds[] = {
    {"link", NULL, NULL, NULL},
    {"reset", NULL, NULL, NULL},
    {"reload", reload_begin, reload_run, reload_end},
    {"add", NULL, NULL, NULL},
    {"del", NULL, NULL, NULL},
    {"addr", NULL, NULL, NULL},
    {"route", NULL, NULL, NULL},
    {"set", NULL, NULL, NULL},
    {"clean", NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL},
};

struct cjob {
        struct console *c;
        const struct cmd_entry *e; /* NULL: cmdwork_run's */
        const struct kcmd *k;
        struct kcmd own; /* cmdwork_run's run and after */
        void *state;
        unsigned tag;
        struct cmd_parsed p;
        int rc;
        int delay_ms; /* NETLAB_TEST_KERNEL_DELAY_MS: a kernel slow to answer, for tests */
        char err[ERRLEN];
        struct kept *out, **tail;
        char line[];
};

static _Thread_local struct cjob *tl_job;

static void job_run(void *arg);
static void job_done(void *arg);
static void job_release(void *arg);

static const struct kcmd *kcmd_of(const struct cmd_entry *e)
{
        for (const struct kcmd *k = kcmds; k->name; k++)
                if (!strcmp(k->name, e->name))
                        return k;
        return NULL;
}

bool cmdwork_wants(const struct cmd_entry *e)
{
        return e && kcmd_of(e);
}

struct cmdwork *cmdwork_new(char *err)
{
        struct cmdwork *w = calloc(1, sizeof(*w));
        if (!w) {
                errf_sys(err, NULL, "Cannot start the command worker");
                return NULL;
        }
        w->kw = kwork_start(err);
        if (!w->kw) {
                free(w);
                return NULL;
        }
        w->wait_tail = &w->wait;
        return w;
}

static void free_waiting(struct cmdwork *w)
{
        while (w->wait) {
                struct waiting *n = w->wait->next;
                free(w->wait);
                w->wait = n;
        }
        w->wait_tail = &w->wait;
}

void cmdwork_free(struct cmdwork *w)
{
        if (!w)
                return;
        kwork_stop(w->kw);
        free_waiting(w);
        free(w->defer);
        free(w);
}

int cmdwork_fd(const struct cmdwork *w)
{
        return kwork_fd(w->kw);
}

bool cmdwork_busy(const struct console *c)
{
        return c->cw && c->cw->busy;
}

long long cmdwork_since(const struct console *c)
{
        return cmdwork_busy(c) ? c->cw->since : 0;
}

const char *cmdwork_what(const struct console *c)
{
        return c->cw ? c->cw->what : "";
}

bool cmdwork_is_step(const struct console *c)
{
        return cmdwork_busy(c) && c->cw->step;
}

int cmdwork_run(struct console *c, const char *what, int (*run)(struct console *, void *, char *),
                void (*after)(struct console *, void *, int), void *state, char *err)
{
        if (cmdwork_busy(c)) {
                errno = EBUSY;
                return errf(err, "Busy: %s", c->cw->what);
        }
        size_t n = strlen(what);
        struct cjob *j = calloc(1, sizeof(*j) + n + 1);
        if (!j)
                return errf_sys(err, NULL, "Cannot run %s", what);
        memcpy(j->line, what, n + 1);
        j->c = c;
        j->own = (struct kcmd){j->line, NULL, run, after};
        j->k = &j->own;
        j->state = state;
        const char *delay = getenv("NETLAB_TEST_KERNEL_DELAY_MS");
        j->delay_ms = delay ? atoi(delay) : 0;
        j->tail = &j->out;
        struct kwork_job kj = {job_run, job_done, job_release, j};
        if (kwork_submit(c->cw->kw, &kj, err) < 0) {
                free(j);
                return -1;
        }
        c->cw->busy = true;
        c->cw->step = true;
        c->cw->since = monotime_ms();
        snprintf(c->cw->what, sizeof(c->cw->what), "%.150s", what);
        return 0;
}

bool cmdwork_on_worker(void)
{
        return tl_job != NULL;
}

void cmdwork_keep(int kind, const char *text, size_t len)
{
        struct cjob *j = tl_job;
        if (!j)
                return;
        struct kept *k = malloc(sizeof(*k) + len + 1);
        if (!k)
                return;
        k->next = NULL;
        k->kind = kind;
        k->len = len;
        memcpy(k->text, text, len);
        k->text[len] = '\0';
        *j->tail = k;
        j->tail = &k->next;
}

bool cmdwork_refuse(struct console *c)
{
        if (!cmdwork_busy(c))
                return false;
        con_msg(c, false, "Busy: %s (the lab is being changed; this waits for it)", c->cw->what);
        return true;
}

void cmdwork_queue(struct console *c, const char *line)
{
        struct cmdwork *w = c->cw;
        size_t n = strlen(line);
        struct waiting *q = malloc(sizeof(*q) + n + 1);
        if (!q) {
                con_msg(c, true, "Out of memory: \"%s\" not run", line);
                return;
        }
        q->next = NULL;
        q->tag = c->jobs.tag;
        memcpy(q->line, line, n + 1);
        *w->wait_tail = q;
        w->wait_tail = &q->next;
        con_msg(c, false, "%s: runs after %s", line, w->what);
}

int cmdwork_drop_waiting(struct console *c)
{
        int n = 0;
        for (struct waiting *q = c->cw->wait; q; q = q->next)
                n++;
        free_waiting(c->cw);
        return n;
}

void cmdwork_defer(struct console *c, int fd, uint64_t data)
{
        struct cmdwork *w = c->cw;
        if (w->ndefer == w->capdefer) {
                int cap = w->capdefer ? 2 * w->capdefer : 16;
                struct deferred *d = realloc(w->defer, (size_t)cap * sizeof(*d));
                if (!d)
                        return; /* it stays in epoll: the loop comes back to it */
                w->defer = d;
                w->capdefer = cap;
        }
        struct epoll_event ev = {.events = 0, .data.u64 = data};
        if (epoll_ctl(c->ep, EPOLL_CTL_MOD, fd, &ev) < 0)
                return;
        w->defer[w->ndefer++] = (struct deferred){fd, data};
}

static void undefer(struct console *c)
{
        struct cmdwork *w = c->cw;
        for (int i = 0; i < w->ndefer; i++) {
                struct epoll_event ev = {.events = EPOLLIN, .data.u64 = w->defer[i].data};
                /* A descriptor closed meanwhile left epoll by itself. */
                epoll_ctl(c->ep, EPOLL_CTL_MOD, w->defer[i].fd, &ev);
        }
        w->ndefer = 0;
}

static void job_run(void *arg)
{
        struct cjob *j = arg;
        tl_job = j;
        if (j->delay_ms > 0) /* as if the rtnl lock were held that long */
                nanosleep(&(struct timespec){j->delay_ms / 1000, (j->delay_ms % 1000) * 1000000L},
                          NULL);
        if (j->k->run)
                j->rc = j->k->run(j->c, j->state, j->err);
        else
                j->rc = j->e->exec(j->c, j->p.argc - 1, j->p.argv + 1, j->p.rest, j->err);
        tl_job = NULL;
}

static void job_done(void *arg)
{
        struct cjob *j = arg;
        struct console *c = j->c;
        c->cw->busy = false;
        c->cw->step = false;
        undefer(c);
        c->relayout = c->relayout || j->e;
        c->dirty = true;
        c->next_draw_ms = 0; /* its result now, not after the busy grace */
        if (j->e)
                c->inspect_at = 0;
        for (struct kept *k = j->out; k; k = k->next) {
                if (k->kind == CMDW_OUTPUT)
                        con_output(c, k->text, k->len);
                else
                        con_msg(c, k->kind == CMDW_ERR, "%s", k->text);
        }
        if (j->k->after)
                j->k->after(c, j->state, j->rc);
        if (c->built) {
                if (j->e) /* a command: the lab may have new nodes */
                        monitors_follow(c);
                /* What the kernel said of the change, before a line typed
                 * after it reads the links' state. */
                monitors_event(c, -1);
        }
        if (j->rc < 0)
                con_msg(c, true, "%s", j->err);
        con_dp_watch(c);
        script_tag_done(c, j->tag);
}

static void job_release(void *arg)
{
        struct cjob *j = arg;
        while (j->out) {
                struct kept *n = j->out->next;
                free(j->out);
                j->out = n;
        }
        free(j);
}

int cmdwork_submit(struct console *c, const struct cmd_entry *e, const char *line, char *err)
{
        const struct kcmd *k = kcmd_of(e);
        size_t n = strlen(line);
        struct cjob *j = calloc(1, sizeof(*j) + n + 1);
        if (!j)
                return errf_sys(err, NULL, "Cannot run \"%s\"", e->name);
        memcpy(j->line, line, n + 1);
        j->c = c;
        j->e = e;
        j->k = k;
        j->tag = c->jobs.tag;
        j->tail = &j->out;
        const char *delay = getenv("NETLAB_TEST_KERNEL_DELAY_MS");
        j->delay_ms = delay ? atoi(delay) : 0;
        if (cmd_split(j->line, &j->p, err) < 0 || (k->before && k->before(c, &j->state, err) < 0)) {
                free(j);
                return -1;
        }
        struct kwork_job kj = {job_run, job_done, job_release, j};
        if (kwork_submit(c->cw->kw, &kj, err) < 0) {
                if (k->after)
                        k->after(c, j->state, -1);
                free(j);
                return -1;
        }
        c->cw->busy = true;
        c->cw->since = monotime_ms();
        snprintf(c->cw->what, sizeof(c->cw->what), "%.150s", line);
        con_msg(c, false, "%s ...", c->cw->what);
        return 0;
}

void cmdwork_event(struct console *c)
{
        kwork_collect(c->cw->kw);
        /* Lines typed meanwhile, in order, until one is busy again. */
        struct cmdwork *w = c->cw;
        while (w->wait && !w->busy && !c->quit) {
                struct waiting *q = w->wait;
                w->wait = q->next;
                if (!w->wait)
                        w->wait_tail = &w->wait;
                unsigned saved = c->jobs.tag;
                c->jobs.tag = q->tag;
                con_exec_line(c, q->line);
                c->jobs.tag = saved;
                free(q);
        }
        if (c->quit)
                free_waiting(w);
}
