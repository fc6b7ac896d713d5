/* timeline.c — an experiment's timeline: at(t, fn), after(s, fn),
 * every(s, fn) and netlab.elapsed(), and the scheduler that runs them beside
 * the experiment's body.
 *
 * The clock starts when the experiment does (at(0) is its start). A due
 * function runs as a coroutine of its own (a task), driven by the same
 * driver as the body: when it waits (node:cmd, netlab.sleep, link:flap) it
 * yields, and the body and the other tasks go on meanwhile. So a body that
 * pings for 10 s while at(2) takes a link down and at(5) brings it up sees
 * the outage in its numbers, and checks can sit between the events.
 *
 * Order: what is due at the same time runs in the order it was scheduled
 * (the body first). When the body ends, every() stops; at() and after()
 * events not yet due still run, and the experiment ends with its last task.
 * An error in an event ends the experiment, as one in the body does.
 *
 * With no event pending the body runs exactly as before: its own wait goes
 * to the driver. With more than one fd to watch they go into one epoll fd,
 * which the driver polls as it would a command's. */
#include "monotime.h"
#include "nlua_int.h"
#include "proc.h"
#include <errno.h>
#include <lauxlib.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#define MT_TIMER "netlab.timer"

void nlua_tl_start(struct nlua *N)
{
        nlua_tl_clear(N);
        N->tl.t0_ns = monotime_ns();
        N->tl.body_done = false;
        N->tl.body.th = N->co;
        N->tl.body.wait.fd = -1;
        N->tl.body.wait.timeout_ms = 0;
        N->tl.body.due_ns = 0;
}

static void task_drop(struct nlua *N, int i)
{
        struct nlua_task *t = &N->tl.task[i];
        if (t->job)
                proc_job_kill(t->job);
        luaL_unref(N->L, LUA_REGISTRYINDEX, t->ref);
        N->tl.task[i] = N->tl.task[--N->tl.ntask];
}

static void timer_drop(struct nlua *N, int i)
{
        luaL_unref(N->L, LUA_REGISTRYINDEX, N->tl.tm[i].fn_ref);
        N->tl.tm[i] = N->tl.tm[--N->tl.ntm];
}

void nlua_tl_clear(struct nlua *N)
{
        if (!N->L)
                return;
        while (N->tl.ntask)
                task_drop(N, N->tl.ntask - 1);
        while (N->tl.ntm)
                timer_drop(N, N->tl.ntm - 1);
}

void nlua_tl_free(struct nlua *N)
{
        free(N->tl.task);
        free(N->tl.tm);
        free(N->tl.epset);
        if (N->tl.epfd >= 0)
                close(N->tl.epfd);
        memset(&N->tl, 0, sizeof(N->tl));
        N->tl.epfd = -1;
}

void nlua_tl_forget_job(struct nlua *N, struct proc_job *job)
{
        for (int i = 0; i < N->tl.ntask; i++)
                if (N->tl.task[i].job == job)
                        N->tl.task[i].job = NULL;
}

/* ---- the Lua side ---- */

static struct nlua *tl_owner(lua_State *L, const char *what)
{
        struct nlua *N = nlua_from(L);
        if (N->running < 0 || !N->co)
                nlua_raise(L, "%s: only inside an experiment (its timeline starts with it)", what);
        return N;
}

/* Schedules the function at idx due at due_ns; pushes its handle. */
static int schedule(lua_State *L, struct nlua *N, int idx, long long due_ns, long long period_ns)
{
        struct nlua_tl *tl = &N->tl;
        if (tl->ntm == tl->captm) {
                int cap = tl->captm ? tl->captm * 2 : 8;
                struct nlua_timer *tm = realloc(tl->tm, (size_t)cap * sizeof(*tm));
                if (!tm)
                        return luaL_error(L, "out of memory");
                tl->tm = tm;
                tl->captm = cap;
        }
        lua_pushvalue(L, idx);
        struct nlua_timer *t = &tl->tm[tl->ntm++];
        t->fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        t->due_ns = due_ns;
        t->period_ns = period_ns;
        t->id = ++tl->next_id;
        int *h = lua_newuserdatauv(L, sizeof(int), 0);
        *h = t->id;
        luaL_setmetatable(L, MT_TIMER);
        return 1;
}

static void check_fn(lua_State *L, int idx, const char *what)
{
        if (lua_type(L, idx) != LUA_TFUNCTION)
                nlua_raise(L, "%s: expected a function, got %s", what, luaL_typename(L, idx));
}

/* at(seconds, fn): fn runs when the experiment is that old (at once if it
 * is older already). */
static int l_at(lua_State *L)
{
        struct nlua *N = tl_owner(L, "at");
        double s = nlua_check_seconds(L, 1, "at", false);
        check_fn(L, 2, "at");
        return schedule(L, N, 2, N->tl.t0_ns + (long long)(s * 1e9), 0);
}

/* after(seconds, fn): fn runs that long after this call. */
static int l_after(lua_State *L)
{
        struct nlua *N = tl_owner(L, "after");
        double s = nlua_check_seconds(L, 1, "after", false);
        check_fn(L, 2, "after");
        return schedule(L, N, 2, monotime_ns() + (long long)(s * 1e9), 0);
}

/* every(seconds, fn): fn runs every period from this call on, until it
 * returns false, its handle is cancelled, or the body ends. A run that
 * comes late (fn still waiting, a slow machine) skips the missed ticks
 * instead of running them in a burst. */
static int l_every(lua_State *L)
{
        struct nlua *N = tl_owner(L, "every");
        double s = nlua_check_seconds(L, 1, "every", true);
        if (s < 0.001)
                nlua_raise(L, "every: the period must be at least 0.001 s, got %g", s);
        check_fn(L, 2, "every");
        long long p = (long long)(s * 1e9);
        return schedule(L, N, 2, monotime_ns() + p, p);
}

/* handle:cancel() → true when the event was still pending. */
static int l_timer_cancel(lua_State *L)
{
        struct nlua *N = nlua_from(L);
        int id = *(int *)luaL_checkudata(L, 1, MT_TIMER);
        for (int i = 0; i < N->tl.ntm; i++)
                if (N->tl.tm[i].id == id) {
                        /* keep the order of the rest: ties run as scheduled */
                        luaL_unref(N->L, LUA_REGISTRYINDEX, N->tl.tm[i].fn_ref);
                        memmove(&N->tl.tm[i], &N->tl.tm[i + 1],
                                (size_t)(N->tl.ntm - i - 1) * sizeof(N->tl.tm[0]));
                        N->tl.ntm--;
                        lua_pushboolean(L, 1);
                        return 1;
                }
        lua_pushboolean(L, 0);
        return 1;
}

static int l_timer_pending(lua_State *L)
{
        struct nlua *N = nlua_from(L);
        int id = *(int *)luaL_checkudata(L, 1, MT_TIMER);
        bool p = false;
        for (int i = 0; i < N->tl.ntm; i++)
                p |= N->tl.tm[i].id == id;
        lua_pushboolean(L, p);
        return 1;
}

static int l_timer_tostring(lua_State *L)
{
        lua_pushfstring(L, "timer %d", *(int *)luaL_checkudata(L, 1, MT_TIMER));
        return 1;
}

/* netlab.elapsed() → seconds since the running experiment started (the
 * timeline's clock); outside one, since the lab file was loaded. */
static int l_elapsed(lua_State *L)
{
        struct nlua *N = nlua_from(L);
        lua_pushnumber(L, (double)(monotime_ns() - N->tl.t0_ns) / 1e9);
        return 1;
}

void nlua_tl_open(lua_State *L)
{
        static const luaL_Reg methods[] = {
            {"cancel", l_timer_cancel}, {"pending", l_timer_pending}, {NULL, NULL}};
        luaL_newmetatable(L, MT_TIMER);
        luaL_newlib(L, methods);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, l_timer_tostring);
        lua_setfield(L, -2, "__tostring");
        lua_pop(L, 1);
        static const luaL_Reg fns[] = {
            {"at", l_at}, {"after", l_after}, {"every", l_every}, {NULL, NULL}};
        lua_getglobal(L, "netlab");
        for (const luaL_Reg *f = fns; f->name; f++) {
                lua_pushcfunction(L, f->func);
                lua_pushvalue(L, -1);
                lua_setglobal(L, f->name);
                lua_setfield(L, -2, f->name);
        }
        lua_pushcfunction(L, l_elapsed);
        lua_setfield(L, -2, "elapsed");
        lua_pop(L, 1);
}

/* ---- the scheduler ---- */

static void set_due(struct nlua_task *t, long long now)
{
        t->due_ns = t->wait.timeout_ms >= 0 ? now + (long long)t->wait.timeout_ms * 1000000 : 0;
}

static bool task_ready(const struct nlua_task *t, long long now)
{
        if (t->wait.timeout_ms == 0 || (t->wait.timeout_ms > 0 && t->due_ns <= now))
                return true;
        if (t->wait.fd < 0)
                return false;
        struct pollfd p = {.fd = t->wait.fd, .events = POLLIN};
        return poll(&p, 1, 0) > 0;
}

/* The timer due first (ties: the first scheduled), or -1 when none is due. */
static int due_timer(struct nlua *N, long long now)
{
        int best = -1;
        for (int i = 0; i < N->tl.ntm; i++) {
                const struct nlua_timer *t = &N->tl.tm[i];
                if (t->due_ns > now)
                        continue;
                if (best < 0 || t->due_ns < N->tl.tm[best].due_ns ||
                    (t->due_ns == N->tl.tm[best].due_ns && t->id < N->tl.tm[best].id))
                        best = i;
        }
        return best;
}

/* Starts the due timer i as a task; drops or re-arms the timer. */
static enum nlua_status fire(struct nlua *N, int i, long long now, char *err)
{
        struct nlua_tl *tl = &N->tl;
        lua_State *th = lua_newthread(N->L);
        int ref = luaL_ref(N->L, LUA_REGISTRYINDEX);
        lua_rawgeti(th, LUA_REGISTRYINDEX, tl->tm[i].fn_ref);
        lua_pushnumber(th, (double)(now - tl->t0_ns) / 1e9);
        int id = tl->tm[i].id;
        bool every = tl->tm[i].period_ns > 0;
        if (every) {
                struct nlua_timer *t = &tl->tm[i];
                t->due_ns += t->period_ns;
                if (t->due_ns <= now) /* late: skip the missed ticks */
                        t->due_ns += ((now - t->due_ns) / t->period_ns + 1) * t->period_ns;
        } else {
                timer_drop(N, i);
        }
        struct nlua_task t = {.th = th, .ref = ref};
        enum nlua_status st = nlua_co_resume(N, th, 1, &t.job, &t.wait, err);
        if (st == NLUA_DONE) {
                if (every && lua_gettop(th) >= 1 && lua_isboolean(th, 1) && !lua_toboolean(th, 1))
                        for (int k = 0; k < tl->ntm; k++)
                                if (tl->tm[k].id == id)
                                        timer_drop(N, k);
                luaL_unref(N->L, LUA_REGISTRYINDEX, ref);
                return st;
        }
        if (st == NLUA_ERROR) {
                luaL_unref(N->L, LUA_REGISTRYINDEX, ref);
                return st;
        }
        set_due(&t, monotime_ns());
        if (tl->ntask == tl->captask) {
                int cap = tl->captask ? tl->captask * 2 : 8;
                struct nlua_task *a = realloc(tl->task, (size_t)cap * sizeof(*a));
                if (!a) {
                        if (t.job)
                                proc_job_kill(t.job);
                        luaL_unref(N->L, LUA_REGISTRYINDEX, ref);
                        errf(err, "timeline: out of memory");
                        return NLUA_ERROR;
                }
                tl->task = a;
                tl->captask = cap;
        }
        tl->task[tl->ntask++] = t;
        return NLUA_WAIT;
}

/* Adds fd to the set the driver watches (the epoll fd). */
static void ep_add(struct nlua_tl *tl, int fd)
{
        for (int i = 0; i < tl->nep; i++)
                if (tl->epset[i] == fd)
                        return;
        if (tl->nep == tl->capep) {
                int cap = tl->capep ? tl->capep * 2 : 8;
                int *a = realloc(tl->epset, (size_t)cap * sizeof(*a));
                if (!a)
                        return;
                tl->epset = a;
                tl->capep = cap;
        }
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
        if (epoll_ctl(tl->epfd, EPOLL_CTL_ADD, fd, &ev) == 0)
                tl->epset[tl->nep++] = fd;
}

/* What the driver waits for: the earliest due time and every fd. */
static void wait_for(struct nlua *N, struct nlua_wait *w, long long now)
{
        struct nlua_tl *tl = &N->tl;
        long long due = LLONG_MAX;
        int nfd = 0, fd = -1;
        struct nlua_task *pieces[1 + tl->ntask];
        int np = 0;
        if (!tl->body_done)
                pieces[np++] = &tl->body;
        for (int i = 0; i < tl->ntask; i++)
                pieces[np++] = &tl->task[i];
        for (int i = 0; i < np; i++) {
                const struct nlua_task *t = pieces[i];
                if (t->wait.timeout_ms == 0)
                        due = now;
                else if (t->wait.timeout_ms > 0 && t->due_ns < due)
                        due = t->due_ns;
                if (t->wait.fd >= 0)
                        nfd++, fd = t->wait.fd;
        }
        for (int i = 0; i < tl->ntm; i++)
                if (tl->tm[i].due_ns < due)
                        due = tl->tm[i].due_ns;
        /* the previous set goes: a finished command's fd may be closed */
        for (int i = 0; i < tl->nep; i++)
                epoll_ctl(tl->epfd, EPOLL_CTL_DEL, tl->epset[i], NULL);
        tl->nep = 0;
        if (nfd > 1 && tl->epfd < 0)
                tl->epfd = epoll_create1(EPOLL_CLOEXEC);
        if (nfd > 1 && tl->epfd >= 0) {
                for (int i = 0; i < np; i++)
                        if (pieces[i]->wait.fd >= 0)
                                ep_add(tl, pieces[i]->wait.fd);
                fd = tl->epfd;
        } else if (nfd > 1) {
                fd = -1; /* no epoll: poll every 10 ms instead */
                if (due > now + 10000000)
                        due = now + 10000000;
        }
        w->fd = fd;
        if (due == LLONG_MAX)
                w->timeout_ms = -1;
        else if (due <= now)
                w->timeout_ms = 0;
        else
                w->timeout_ms = (int)((due - now + 999999) / 1000000);
}

enum nlua_status nlua_tl_step(struct nlua *N, struct nlua_wait *w, char *err)
{
        struct nlua_tl *tl = &N->tl;
        bool idle = tl->ntm == 0 && tl->ntask == 0;
        long long now = monotime_ns();
        /* the body: resumed when what it waits for is there (the driver also
         * wakes for the events, which must not cut its sleep short) */
        if (!tl->body_done && (idle || task_ready(&tl->body, now))) {
                enum nlua_status st = nlua_co_resume(N, N->co, 0, &N->job, &tl->body.wait, err);
                if (st == NLUA_ERROR)
                        return st;
                if (st == NLUA_DONE) {
                        tl->body_done = true;
                        for (int i = tl->ntm - 1; i >= 0; i--) /* every() ends with the body */
                                if (tl->tm[i].period_ns > 0)
                                        timer_drop(N, i);
                } else {
                        set_due(&tl->body, monotime_ns());
                }
                if (idle && tl->ntm == 0) {
                        *w = tl->body.wait;
                        return st;
                }
        }
        /* due events, earliest first; each runs until it waits or ends */
        now = monotime_ns();
        int fired = 0;
        for (int i; fired < 64 && (i = due_timer(N, now)) >= 0; fired++)
                if (fire(N, i, now, err) == NLUA_ERROR)
                        return NLUA_ERROR;
        /* tasks whose wait is over (those just started are not ready) */
        now = monotime_ns();
        for (int i = 0; i < tl->ntask; i++) {
                struct nlua_task *t = &tl->task[i];
                if (!task_ready(t, now))
                        continue;
                enum nlua_status st = nlua_co_resume(N, t->th, 0, &t->job, &t->wait, err);
                if (st == NLUA_ERROR)
                        return st;
                if (st == NLUA_DONE) {
                        t->job = NULL;
                        task_drop(N, i--);
                } else {
                        set_due(t, monotime_ns());
                }
        }
        if (tl->body_done && tl->ntask == 0 && tl->ntm == 0)
                return NLUA_DONE;
        wait_for(N, w, monotime_ns());
        return NLUA_WAIT;
}
