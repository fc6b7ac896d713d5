/* nlua.c — the Lua state of a lab script: loading, experiments as
 * coroutines, checks, and the poll(2) driver of `netlab run` (see nlua.h).
 *
 * Lab code always runs in a coroutine, the file's top level included: it
 * waits for commands by yielding from node:cmd (lua_yieldk) with the
 * command's fd recorded in the state; the driver — this file's drive(), or
 * the console's epoll loop — polls it and resumes.
 *
 * Lab code that never waits is still stoppable: a count hook runs every
 * HOOK_COUNT instructions. It yields the coroutine back to its driver once
 * its time slice is over (the console redraws and reads keys between
 * slices), and when a stop was asked (a signal, os.exit). A yield cannot be
 * caught by pcall; where Lua cannot yield (inside a sort comparator, a
 * coroutine of the lab's own) the hook raises an error instead, again at
 * every count until the lab code unwinds to where it can yield. */
#include "nlua.h"
#include "dp.h"
#include "embedded.h"
#include "nlua_int.h"
#include "ovs.h"
#include "proc.h"
#include "monotime.h"
#include <errno.h>
#include <lauxlib.h>
#include <lualib.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define HOOK_COUNT 1000 /* instructions between two looks at the clock and the stop flag */
#define SLICE_MS 20     /* longest a coroutine runs before its driver gets control back */

static int embedded_loader(lua_State *L)
{
        const char *name = lua_tostring(L, lua_upvalueindex(1));
        for (const struct lua_embedded *e = lua_embedded; e->module; e++) {
                if (strcmp(e->module, name) != 0)
                        continue;
                char chunk[128];
                snprintf(chunk, sizeof(chunk), "=[netlab] %s", e->module);
                if (luaL_loadbuffer(L, e->source, e->len, chunk) != LUA_OK)
                        return lua_error(L);
                lua_pushstring(L, name);
                lua_call(L, 1, 1);
                return 1;
        }
        return luaL_error(L, "module '%s' is not part of netlab", name);
}

static void register_embedded(lua_State *L)
{
        lua_getglobal(L, "package");
        lua_getfield(L, -1, "preload");
        for (const struct lua_embedded *e = lua_embedded; e->module; e++) {
                lua_pushstring(L, e->module);
                lua_pushcclosure(L, embedded_loader, 1);
                lua_setfield(L, -2, e->module);
        }
        lua_pop(L, 2);
}

/* print() from the lab: any length, one hook call (never cut). */
int nlua_print(lua_State *L)
{
        struct nlua *N = nlua_from(L);
        int n = lua_gettop(L);
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        for (int i = 1; i <= n; i++) {
                if (i > 1)
                        luaL_addchar(&b, '\t');
                luaL_tolstring(L, i, NULL);
                luaL_addvalue(&b);
        }
        luaL_pushresult(&b);
        if (N->hooks.on_print)
                N->hooks.on_print(N->hooks.ud, lua_tostring(L, -1));
        return 0;
}

void nlua_note(struct nlua *N, const char *fmt, ...)
{
        char line[2048];
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(line, sizeof(line), fmt, ap);
        va_end(ap);
        if (n >= (int)sizeof(line)) /* said, not silent */
                snprintf(line + sizeof(line) - 40, 40, "... [truncated, %d bytes]", n);
        if (N->hooks.on_print)
                N->hooks.on_print(N->hooks.ud, line);
}

struct nlua *nlua_from(lua_State *L)
{
        /* Every thread starts with a copy of the main thread's extra space. */
        return *(struct nlua **)lua_getextraspace(L);
}

const char *nlua_stop_text(char *buf, size_t len)
{
        int sig = lab_stop_requested;
        const char *name = sig == SIGINT    ? "SIGINT"
                           : sig == SIGTERM ? "SIGTERM"
                           : sig == SIGHUP  ? "SIGHUP"
                                            : NULL;
        if (name)
                snprintf(buf, len, "interrupted by %s", name);
        else
                snprintf(buf, len, "interrupted");
        return buf;
}

/* Why lab code must stop now, or NULL. */
static const char *stop_reason(struct nlua *N, char *buf, size_t len)
{
        if (N->exiting) {
                snprintf(buf, len, "the lab called os.exit(%d)", N->exit_code);
                return buf;
        }
        if (lab_stop_requested)
                return nlua_stop_text(buf, len);
        if (N->load_deadline && monotime_ms() >= N->load_deadline) {
                snprintf(buf, len, "stopped: the top level ran over %d s (endless loop?)",
                         N->load_limit_s);
                return buf;
        }
        return NULL;
}

/* Gives the driver control back: at the end of a time slice, or to stop. */
static void count_hook(lua_State *L, lua_Debug *ar)
{
        (void)ar;
        struct nlua *N = nlua_from(L);
        char why[64];
        const char *stop = stop_reason(N, why, sizeof(why));
        if (!stop && monotime_ms() < N->slice_end)
                return;
        if (L == N->cur && lua_isyieldable(L)) {
                N->wait.fd = -1;
                N->wait.timeout_ms = 0;
                /* Once yielded, the stack shows the instruction before. */
                nlua_where(L, N->hook_where, sizeof(N->hook_where));
                lua_yield(L, 0); /* from a hook: returns, the VM yields */
                return;
        }
        if (stop) {
                luaL_where(L, 0);
                lua_pushstring(L, stop);
                lua_concat(L, 2);
                lua_error(L);
        }
}

/* os.exit([code]) in a lab: the lab stops, is torn down, and netlab exits
 * with code (true: 0, false: 1), instead of leaving everything behind. */
static int l_os_exit(lua_State *L)
{
        struct nlua *N = nlua_from(L);
        int code = 0;
        if (lua_isboolean(L, 1))
                code = lua_toboolean(L, 1) ? 0 : 1;
        else if (!lua_isnoneornil(L, 1))
                code = (int)(luaL_checkinteger(L, 1) & 0xff);
        if (!N->exiting) {
                N->exiting = true;
                N->exit_code = code;
                nlua_where(L, N->exit_where, sizeof(N->exit_where));
        }
        if (L == N->cur && lua_isyieldable(L)) {
                N->wait.fd = -1;
                N->wait.timeout_ms = 0;
                return lua_yield(L, 0);
        }
        return luaL_error(L, "os.exit(%d)", code);
}

int nlua_exit_status(struct nlua *N)
{
        return N->exiting ? N->exit_code : -1;
}

int nlua_wait_io(const struct nlua_wait *w, int fd2)
{
        sigset_t stop, old;
        sigemptyset(&stop);
        sigaddset(&stop, SIGINT);
        sigaddset(&stop, SIGTERM);
        sigaddset(&stop, SIGHUP);
        /* The flag is tested with the stop signals blocked and ppoll lets
         * them in atomically: a signal between the test and the wait still
         * interrupts the wait instead of being noticed only after it. */
        sigprocmask(SIG_BLOCK, &stop, &old);
        if (lab_stop_requested) {
                sigprocmask(SIG_SETMASK, &old, NULL);
                errno = EINTR;
                return -1;
        }
        struct pollfd p[2] = {{.fd = w->fd, .events = POLLIN}, {.fd = fd2, .events = POLLIN}};
        struct timespec ts = {w->timeout_ms / 1000, (long)(w->timeout_ms % 1000) * 1000000};
        int r = ppoll(p, 2, w->timeout_ms >= 0 ? &ts : NULL, &old); /* fd -1 is skipped */
        int e = errno;
        sigprocmask(SIG_SETMASK, &old, NULL);
        errno = e;
        if (lab_stop_requested) {
                errno = EINTR;
                return -1;
        }
        return r < 0 && errno != EINTR ? -1 : 0;
}

struct nlua *nlua_new(const struct nlua_hooks *hooks, char *err)
{
        struct nlua *N = calloc(1, sizeof(*N));
        if (!N) {
                errf_sys(err, NULL, "Cannot create the Lua state");
                return NULL;
        }
        if (hooks)
                N->hooks = *hooks;
        N->running = -1;
        N->wait.fd = -1;
        N->tl.epfd = -1;
        N->L = luaL_newstate();
        if (!N->L) {
                free(N);
                errf(err, "Cannot create the Lua state: out of memory");
                return NULL;
        }
        lua_State *L = N->L;
        *(struct nlua **)lua_getextraspace(L) = N;
        lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_COUNT);
        luaL_openlibs(L);
        register_embedded(L);
        lua_pushcfunction(L, nlua_print);
        lua_setglobal(L, "print");
        lua_getglobal(L, "os");
        lua_pushcfunction(L, l_os_exit);
        lua_setfield(L, -2, "exit");
        lua_pop(L, 1);
        if (nlua_api_open(N, err) < 0) {
                nlua_free(N);
                return NULL;
        }
        return N;
}

void nlua_free(struct nlua *N)
{
        if (!N)
                return;
        nlua_exp_abort(N);
        if (N->L)
                lua_close(N->L);
        nlua_tl_free(N);
        nlua_series_free(N);
        for (int i = 0; i < N->nexp; i++)
                free(N->exp[i].name), free(N->exp[i].src);
        free(N->exp);
        if (N->lab)
                lab_free(N->lab);
        free(N);
}

/* require finds modules beside the lab file and in netlab's own library
 * (package.preload), never in the current directory or through LUA_PATH. */
static void set_module_path(lua_State *L, const char *labfile)
{
        char dir[PATH_MAX];
        if (!realpath(labfile, dir))
                snprintf(dir, sizeof(dir), "%s", labfile);
        char *slash = strrchr(dir, '/');
        if (slash)
                *slash = '\0';
        else
                snprintf(dir, sizeof(dir), ".");
        lua_getglobal(L, "package");
        lua_pushfstring(L, "%s/?.lua;%s/?/init.lua", dir, dir);
        lua_setfield(L, -2, "path");
        lua_pushfstring(L, "%s/?.so", dir);
        lua_setfield(L, -2, "cpath");
        lua_pop(L, 1);
}

/* Makes the function on top of N->L the running coroutine. */
static void co_start(struct nlua *N)
{
        lua_State *co = lua_newthread(N->L);
        N->co_ref = luaL_ref(N->L, LUA_REGISTRYINDEX);
        lua_xmove(N->L, co, 1);
        N->co = co;
        N->wait.fd = -1;
        N->wait.timeout_ms = 0;
        nlua_tl_start(N);
}

static void co_finish(struct nlua *N)
{
        nlua_tl_clear(N);
        nlua_cmd_cancel(N);
        luaL_unref(N->L, LUA_REGISTRYINDEX, N->co_ref);
        N->co = NULL;
        N->co_ref = LUA_NOREF;
}

/* Resumes th for one time slice. A stop (signal, os.exit) ends it with
 * NLUA_ERROR and a message naming the lab file's line it was at. On
 * NLUA_DONE th's results stay on its stack. */
enum nlua_status nlua_co_resume(struct nlua *N, lua_State *th, int nargs, struct proc_job **job,
                                struct nlua_wait *w, char *err)
{
        char why[64], at[128];
        if (stop_reason(N, why, sizeof(why))) {
                if (N->exiting && N->exit_where[0])
                        snprintf(at, sizeof(at), "%s", N->exit_where);
                else if (N->hook_where[0])
                        snprintf(at, sizeof(at), "%s", N->hook_where);
                else
                        nlua_where(th, at, sizeof(at));
                if (!*at && N->co && th != N->co) /* a timeline event just due: the body's line */
                        nlua_where(N->co, at, sizeof(at));
                errf(err, "%s%s%s", at, *at ? ": " : "", why);
                return NLUA_ERROR;
        }
        int nres = 0;
        N->wait.fd = -1;
        N->wait.timeout_ms = 0;
        N->slice_end = monotime_ms() + SLICE_MS;
        N->hook_where[0] = '\0';
        /* N->job is the running coroutine's command (api.c sets it when it
         * yields); the body's stays there between its resumes. */
        struct proc_job *body_job = N->job;
        lua_State *prev = N->cur;
        N->job = *job;
        N->cur = th;
        int rc = lua_resume(th, N->L, nargs, &nres);
        N->cur = prev;
        *job = N->job;
        if (job != &N->job)
                N->job = body_job;
        N->slice_end = 0;
        if (rc == LUA_YIELD) {
                lua_pop(th, nres);
                if (stop_reason(N, why, sizeof(why)))
                        return nlua_co_resume(N, th, 0, job, w, err);
                *w = N->wait;
                return NLUA_WAIT;
        }
        if (rc == LUA_OK)
                return NLUA_DONE;
        if (stop_reason(N, why, sizeof(why)))
                return nlua_co_resume(N, th, 0, job, w, err); /* the hook's error, where Lua could not yield */
        const char *msg = luaL_tolstring(th, -1, NULL);
        nlua_error_text(msg, err);
        char hint[224];
        nlua_method_hint(N->L, msg, hint, sizeof(hint));
        size_t el = strlen(err);
        if (hint[0] && el + strlen(hint) < ERRLEN)
                memcpy(err + el, hint, strlen(hint) + 1);
        return NLUA_ERROR;
}

/* Runs the coroutine to its end, waiting with ppoll: 0, or -1 with err. */
static int drive(struct nlua *N, char *err)
{
        for (;;) {
                struct nlua_wait w;
                enum nlua_status st = nlua_exp_resume(N, &w, err);
                if (st == NLUA_DONE)
                        return 0;
                if (st == NLUA_ERROR)
                        return -1;
                /* The datapath's fd too: its death ends the wait at once. A
                 * stop is seen by the next resume, and so is a load limit. */
                if (N->load_deadline) {
                        long long left = N->load_deadline - monotime_ms();
                        if (left < 0)
                                left = 0;
                        if (w.timeout_ms < 0 || w.timeout_ms > left)
                                w.timeout_ms = (int)left;
                }
                nlua_wait_io(&w, N->lab ? lab_dp_fd(N->lab) : -1);
        }
}

void nlua_set_load_limit(struct nlua *N, int seconds)
{
        N->load_limit_s = seconds > 0 ? seconds : 0;
}

/* The lab file netlab --topo wrote for the line the user typed (topo_cli.c:
 * NETLAB_TOPO_LAB, NETLAB_TOPO_SPEC), loaded under the name "--topo ...": the
 * file is temporary, so messages name the command line instead of
 * its lines (nlua_where). LUA_ERRFILE with errno when it cannot be read. */
#define TOPO_CHUNK "=--topo "
const char *nlua_topo_spec(const char *path)
{
        const char *tl = getenv("NETLAB_TOPO_LAB"), *ts = getenv("NETLAB_TOPO_SPEC");
        return tl && ts && !strcmp(tl, path) && !strncmp(ts, "--topo ", 7) ? ts : NULL;
}

static int load_lab_file(lua_State *L, const char *path)
{
        const char *ts = nlua_topo_spec(path);
        if (!ts)
                return luaL_loadfile(L, path);
        FILE *f = fopen(path, "r");
        char *buf = NULL;
        size_t n = 0;
        if (f) {
                struct stat st;
                buf = fstat(fileno(f), &st) == 0 && st.st_size < (1 << 24)
                          ? malloc((size_t)st.st_size + 1)
                          : NULL;
                n = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
                if (buf && ferror(f)) {
                        free(buf);
                        buf = NULL;
                }
                fclose(f);
        }
        if (!buf) {
                lua_pushfstring(L, "cannot read %s", path);
                return LUA_ERRFILE;
        }
        char name[1300];
        snprintf(name, sizeof(name), "=%s", ts);
        int rc = luaL_loadbuffer(L, buf, n, name);
        free(buf);
        return rc;
}

int nlua_load(struct nlua *N, const char *path, char *err)
{
        lua_State *L = N->L;
        snprintf(N->path, sizeof(N->path), "%s", path);
        set_module_path(L, path);
        errno = 0;
        int rc = load_lab_file(L, path);
        if (rc == LUA_ERRFILE) {
                errf(err, "Cannot open lab file \"%s\": %s", path,
                     strerror(errno ? errno : ENOENT));
                lua_pop(L, 1);
                return -1;
        }
        if (rc != LUA_OK) {
                nlua_error_text(lua_tostring(L, -1), err);
                lua_pop(L, 1);
                return -1;
        }
        co_start(N);
        N->load_deadline = N->load_limit_s ? monotime_ms() + 1000LL * N->load_limit_s : 0;
        int drove = drive(N, err);
        N->load_deadline = 0;
        if (drove < 0)
                return -1;
        if (!N->lab)
                return errf(err, "%s: the file declares no lab (call netlab.lab(\"name\") first)",
                            path);
        return 0;
}

void nlua_error_text(const char *msg, char *err)
{
        /* Keep the first line ("file:line: message") and drop the traceback
         * when the error points into the lab file itself. */
        if (!msg)
                msg = "unknown error";
        const char *tb = strstr(msg, "\nstack traceback:");
        int n = tb ? (int)(tb - msg) : (int)strlen(msg);
        /* Lua's own "--topo ...:7: ": no line of a temporary file. */
        const char *end = strstr(msg, ": "), *at = end;
        if (end && end < msg + n && !strncmp(msg, TOPO_CHUNK + 1, strlen(TOPO_CHUNK) - 1)) {
                while (at > msg && at[-1] >= '0' && at[-1] <= '9')
                        at--;
                at = at < end && at > msg && at[-1] == ':' ? at - 1 : NULL;
        } else {
                at = NULL;
        }
        if (at) {
                errf(err, "%.*s%.*s", (int)(at - msg), msg, (int)(msg + n - end), end);
        } else {
                errf(err, "%.*s", n, msg);
        }
}

void nlua_where(lua_State *L, char *buf, size_t len)
{
        lua_Debug ar;
        buf[0] = '\0';
        for (int level = 0; lua_getstack(L, level, &ar); level++) {
                if (!lua_getinfo(L, "Sl", &ar) || ar.currentline < 0)
                        continue;
                if (!strncmp(ar.source, "=[netlab]", 9))
                        continue;
                if (!strncmp(ar.source, TOPO_CHUNK, strlen(TOPO_CHUNK))) {
                        snprintf(buf, len, "%s", ar.source + 1); /* its lines are not the user's */
                        return;
                }
                snprintf(buf, len, "%s:%d", ar.short_src, ar.currentline);
                return;
        }
}

int nlua_raise(lua_State *L, const char *fmt, ...)
{
        char w[128], msg[ERRLEN];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        nlua_where(L, w, sizeof(w));
        if (w[0])
                lua_pushfstring(L, "%s: %s", w, msg);
        else
                lua_pushstring(L, msg);
        return lua_error(L);
}

int nlua_fail(lua_State *L, const char *err)
{
        lua_pushnil(L);
        lua_pushstring(L, err);
        return 2;
}

struct lab *nlua_lab(struct nlua *N)
{
        return N->lab;
}

static void build_warn(void *ud, const char *line)
{
        nlua_note(ud, "warning: %s", line);
}

int nlua_build(struct nlua *N, char *err)
{
        if (!N->lab)
                return errf(err, "no lab declared");
        if (N->lab->state == LAB_UP)
                return 0;
        if (nlua_pending_check(N, err) < 0)
                return -1;
        if (N->seed)
                N->lab->seed = N->seed;
        N->lab->progress = N->hooks.on_progress;
        N->lab->progress_ud = N->hooks.ud;
        if (!N->lab->file[0] && !realpath(N->path, N->lab->file))
                N->lab->file[0] = '\0';
        if (lab_build(N->lab, err) < 0)
                return -1;
        /* Mininet's waitConnected: OVS switches and their controllers. */
        ovs_wait_connected(N->lab, OVS_CONNECT_WAIT_S, build_warn, N);
        return 0;
}

int nlua_adopt(struct nlua *N, char *err)
{
        if (!N->lab)
                return errf(err, "no lab declared");
        if (nlua_pending_check(N, err) < 0)
                return -1;
        if (!realpath(N->path, N->lab->file))
                N->lab->file[0] = '\0';
        return lab_adopt(N->lab, err);
}

int nlua_validate(struct nlua *N, char *err)
{
        if (!N->lab)
                return errf(err, "no lab declared");
        if (nlua_pending_check(N, err) < 0)
                return -1;
        return lab_validate(N->lab, err);
}

int nlua_teardown(struct nlua *N, char *err)
{
        nlua_exp_abort(N);
        if (!N->lab)
                return 0;
        return lab_teardown(N->lab, err);
}

int nlua_exp_count(struct nlua *N)
{
        return N->nexp;
}

const char *nlua_exp_name(struct nlua *N, int exp)
{
        return exp >= 0 && exp < N->nexp ? N->exp[exp].name : NULL;
}

int nlua_up_exp(struct nlua *N)
{
        return N->nexp > 0 && N->exp[0].up ? 0 : -1;
}

int nlua_exp_running(struct nlua *N)
{
        return N->running;
}

void nlua_exp_result(struct nlua *N, int exp, struct nlua_exp_result *r)
{
        memset(r, 0, sizeof(*r));
        if (exp < 0 || exp >= N->nexp)
                return;
        r->passed = N->exp[exp].passed;
        r->failed = N->exp[exp].failed;
        r->running = N->running == exp;
        r->finished = N->exp[exp].finished;
        r->stopped = N->exp[exp].stopped;
}

/* False when the lab's datapath died since the experiment started, or is
 * not running now: nothing the network did meanwhile can be judged (a check
 * that expects no traffic would pass vacuously). why gets the reason. */
static bool dp_trusted(struct nlua *N, char *why, size_t len)
{
        struct dp_status st;
        if (!N->lab || N->lab->state != LAB_UP)
                return true;
        lab_dp_state(N->lab, &st);
        if (st.state == DP_NONE || (st.state == DP_RUNNING && st.deaths == N->dp_deaths0))
                return true;
        if (st.deaths == N->dp_deaths0) /* it was down before the experiment began */
                snprintf(why, len, "the datapath is %s: %s", dp_state_name(st.state),
                         st.why[0] ? st.why : "not ready");
        else
                snprintf(why, len, "%s%s", st.why,
                         st.state == DP_DEAD ? "" : "; restarted for the next experiment");
        return false;
}

void nlua_record_check(struct nlua *N, bool ok, const char *msg, const char *where)
{
        char why[200], m[ERRLEN];
        if (ok && !dp_trusted(N, why, sizeof(why))) {
                snprintf(m, sizeof(m), "%s: not judged: %s", msg, why);
                msg = m;
                ok = false;
        }
        int e = N->running;
        if (e >= 0) {
                if (ok)
                        N->exp[e].passed++;
                else
                        N->exp[e].failed++;
        } else if (ok) {
                N->top_passed++;
        } else {
                N->top_failed++;
        }
        if (N->hooks.on_check)
                N->hooks.on_check(N->hooks.ud, e, ok, msg, where);
}

int nlua_exp_start(struct nlua *N, int exp, char *err)
{
        if (exp < 0 || exp >= N->nexp)
                return errf(err, "no experiment #%d (there are %d)", exp + 1, N->nexp);
        if (N->running >= 0)
                return errf(err, "experiment \"%s\" is still running", N->exp[N->running].name);
        if (N->exiting)
                return errf(err, "the lab called os.exit(%d)", N->exit_code);
        if (!N->lab || N->lab->state != LAB_UP) {
                if (nlua_build(N, err) < 0)
                        return -1;
        }
        lua_rawgeti(N->L, LUA_REGISTRYINDEX, N->exp[exp].fn_ref);
        co_start(N);
        N->running = exp;
        N->exp[exp].passed = N->exp[exp].failed = 0;
        N->exp[exp].finished = N->exp[exp].stopped = false;
        struct dp_status st;
        lab_dp_state(N->lab, &st);
        N->dp_deaths0 = st.deaths;
        return 0;
}

static void exp_finish(struct nlua *N)
{
        if (N->running >= 0)
                N->exp[N->running].finished = true;
        co_finish(N);
        N->running = -1;
}

enum nlua_status nlua_exp_resume(struct nlua *N, struct nlua_wait *w, char *err)
{
        if (!N->co) {
                errf(err, "no experiment is running");
                return NLUA_ERROR;
        }
        char why[200];
        if (N->running >= 0 && !dp_trusted(N, why, sizeof(why))) {
                /* One failure that says what happened, not forty checks that
                 * look like network bugs. */
                errf(err, "%s", why);
                nlua_record_check(N, false, why, "");
                exp_finish(N);
                return NLUA_ERROR;
        }
        enum nlua_status st = nlua_tl_step(N, w, err);
        if (st == NLUA_ERROR && N->running >= 0)
                nlua_record_check(N, false, err, "");
        if (st != NLUA_WAIT)
                exp_finish(N);
        return st;
}

void nlua_exp_abort(struct nlua *N)
{
        if (N->co && N->running >= 0)
                N->exp[N->running].stopped = true;
        if (N->co)
                exp_finish(N);
}

/* A datapath restarting after a death gets up to 10 s before the next
 * experiment starts (it opens its ports in milliseconds). */
static void dp_wait_ready(struct lab *lab)
{
        struct dp_status st;
        long long end = monotime_ms() + 10000;
        for (lab_dp_state(lab, &st); st.state == DP_STARTING && monotime_ms() < end;
             lab_dp_state(lab, &st)) {
                struct pollfd p = {.fd = lab_dp_fd(lab), .events = POLLIN};
                poll(&p, 1, 100);
        }
}

int nlua_run_all(struct nlua *N, char *err)
{
        char why[64];
        int failed = 0;
        for (int i = 0; i < N->nexp; i++) {
                if (stop_reason(N, why, sizeof(why)))
                        return errf(err, "%s", why);
                if (N->hooks.on_print) {
                        char line[300];
                        snprintf(line, sizeof(line), "== %s", N->exp[i].name);
                        N->hooks.on_print(N->hooks.ud, line);
                }
                dp_wait_ready(N->lab);
                if (nlua_exp_start(N, i, err) < 0)
                        return -1;
                if (drive(N, err) < 0 && stop_reason(N, why, sizeof(why)))
                        return -1;
                failed += N->exp[i].failed;
        }
        return failed + N->top_failed;
}
