/* nlua.c — the Lua state of a lab script: loading, experiments as
 * coroutines, checks, and the poll(2) driver of `netlab run` (see nlua.h).
 *
 * Experiment code waits for commands by yielding from node:cmd (lua_yieldk)
 * with the command's fd recorded in the state; the driver — this file's
 * nlua_run_all, or the console's epoll loop — polls it and resumes. */
#include "nlua.h"
#include "dp.h"
#include "embedded.h"
#include "nlua_int.h"
#include "proc.h"
#include <errno.h>
#include <lauxlib.h>
#include <lualib.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int msgh_traceback(lua_State *L)
{
        const char *msg = lua_tostring(L, 1);
        if (!msg)
                msg = luaL_tolstring(L, 1, NULL);
        /* Lab authors want the line, not the C stack: keep the message, add
         * a short traceback only for errors raised outside of netlab's API. */
        luaL_traceback(L, L, msg, 1);
        return 1;
}

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

static int l_print(lua_State *L)
{
        struct nlua *N = nlua_from(L);
        int n = lua_gettop(L);
        lua_pushliteral(L, "");
        for (int i = 1; i <= n; i++) {
                if (i > 1) {
                        lua_pushliteral(L, "\t");
                        lua_concat(L, 2);
                }
                luaL_tolstring(L, i, NULL);
                lua_concat(L, 2);
        }
        nlua_note(N, "%s", lua_tostring(L, -1));
        return 0;
}

void nlua_note(struct nlua *N, const char *fmt, ...)
{
        char line[2048];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(line, sizeof(line), fmt, ap);
        va_end(ap);
        if (N->hooks.on_print)
                N->hooks.on_print(N->hooks.ud, line);
}

struct nlua *nlua_from(lua_State *L)
{
        struct nlua *N;
        lua_getfield(L, LUA_REGISTRYINDEX, "netlab.state");
        N = lua_touserdata(L, -1);
        lua_pop(L, 1);
        return N;
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
        N->L = luaL_newstate();
        if (!N->L) {
                free(N);
                errf(err, "Cannot create the Lua state: out of memory");
                return NULL;
        }
        lua_State *L = N->L;
        luaL_openlibs(L);
        lua_pushlightuserdata(L, N);
        lua_setfield(L, LUA_REGISTRYINDEX, "netlab.state");
        register_embedded(L);
        lua_pushcfunction(L, l_print);
        lua_setglobal(L, "print");
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
        for (int i = 0; i < N->nexp; i++)
                free(N->exp[i].name);
        free(N->exp);
        if (N->lab)
                lab_free(N->lab);
        free(N);
}

int nlua_load(struct nlua *N, const char *path, char *err)
{
        lua_State *L = N->L;
        snprintf(N->path, sizeof(N->path), "%s", path);
        lua_pushcfunction(L, msgh_traceback);
        int h = lua_gettop(L);
        int rc = luaL_loadfile(L, path);
        if (rc == LUA_ERRFILE) {
                errf(err, "Cannot open lab file \"%s\": %s", path,
                     strerror(errno ? errno : ENOENT));
                lua_settop(L, h - 1);
                return -1;
        }
        if (rc == LUA_OK)
                rc = lua_pcall(L, 0, 0, h);
        if (rc != LUA_OK) {
                nlua_error_text(lua_tostring(L, -1), err);
                lua_settop(L, h - 1);
                return -1;
        }
        lua_settop(L, h - 1);
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
        if (tb)
                errf(err, "%.*s", (int)(tb - msg), msg);
        else
                errf(err, "%s", msg);
}

struct lab *nlua_lab(struct nlua *N)
{
        return N->lab;
}

int nlua_build(struct nlua *N, char *err)
{
        if (!N->lab)
                return errf(err, "no lab declared");
        if (N->lab->state == LAB_UP)
                return 0;
        if (nlua_pending_check(N, err) < 0)
                return -1;
        N->lab->progress = N->hooks.on_progress;
        N->lab->progress_ud = N->hooks.ud;
        return lab_build(N->lab, err);
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
        if (!N->lab || N->lab->state != LAB_UP) {
                if (nlua_build(N, err) < 0)
                        return -1;
        }
        lua_State *L = N->L;
        lua_State *co = lua_newthread(L);
        N->co_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        lua_rawgeti(L, LUA_REGISTRYINDEX, N->exp[exp].fn_ref);
        lua_xmove(L, co, 1);
        N->co = co;
        N->running = exp;
        N->exp[exp].passed = N->exp[exp].failed = 0;
        N->exp[exp].finished = false;
        N->wait.fd = -1;
        N->wait.timeout_ms = 0;
        struct dp_status st;
        lab_dp_state(N->lab, &st);
        N->dp_deaths0 = st.deaths;
        return 0;
}

static void exp_finish(struct nlua *N)
{
        if (N->running >= 0)
                N->exp[N->running].finished = true;
        nlua_cmd_cancel(N);
        luaL_unref(N->L, LUA_REGISTRYINDEX, N->co_ref);
        N->co = NULL;
        N->co_ref = LUA_NOREF;
        N->running = -1;
}

enum nlua_status nlua_exp_resume(struct nlua *N, struct nlua_wait *w, char *err)
{
        if (!N->co) {
                errf(err, "no experiment is running");
                return NLUA_ERROR;
        }
        char why[200];
        if (!dp_trusted(N, why, sizeof(why))) {
                /* One failure that says what happened, not forty checks that
                 * look like network bugs. */
                errf(err, "%s", why);
                nlua_record_check(N, false, why, "");
                exp_finish(N);
                return NLUA_ERROR;
        }
        int nres = 0;
        N->wait.fd = -1;
        N->wait.timeout_ms = 0;
        int rc = lua_resume(N->co, N->L, 0, &nres);
        if (rc == LUA_YIELD) {
                lua_pop(N->co, nres);
                *w = N->wait;
                return NLUA_WAIT;
        }
        if (rc == LUA_OK) {
                exp_finish(N);
                return NLUA_DONE;
        }
        const char *msg = lua_tostring(N->co, -1);
        char e[ERRLEN];
        nlua_error_text(msg ? msg : "error object is not a string", e);
        errf(err, "%s", e);
        nlua_record_check(N, false, e, "");
        exp_finish(N);
        return NLUA_ERROR;
}

void nlua_exp_abort(struct nlua *N)
{
        if (N->co)
                exp_finish(N);
}

/* A datapath restarting after a death gets up to 10 s before the next
 * experiment starts (it opens its ports in milliseconds). */
static void dp_wait_ready(struct lab *lab)
{
        struct dp_status st;
        long long end = proc_now_ms() + 10000;
        for (lab_dp_state(lab, &st); st.state == DP_STARTING && proc_now_ms() < end;
             lab_dp_state(lab, &st)) {
                struct pollfd p = {.fd = lab_dp_fd(lab), .events = POLLIN};
                poll(&p, 1, 100);
        }
}

int nlua_run_all(struct nlua *N, char *err)
{
        int failed = 0;
        for (int i = 0; i < N->nexp; i++) {
                if (lab_stop_requested)
                        return errf(err, "interrupted");
                if (N->hooks.on_print) {
                        char line[300];
                        snprintf(line, sizeof(line), "== %s", N->exp[i].name);
                        N->hooks.on_print(N->hooks.ud, line);
                }
                dp_wait_ready(N->lab);
                if (nlua_exp_start(N, i, err) < 0)
                        return -1;
                for (;;) {
                        struct nlua_wait w;
                        char e[ERRLEN];
                        enum nlua_status st = nlua_exp_resume(N, &w, e);
                        if (st != NLUA_WAIT)
                                break;
                        /* The datapath's fd too: its death ends the wait at once. */
                        struct pollfd p[2] = {{.fd = w.fd, .events = POLLIN},
                                              {.fd = lab_dp_fd(N->lab), .events = POLLIN}};
                        int r = poll(p, 2, w.timeout_ms);
                        if (r < 0 && errno == EINTR && lab_stop_requested) {
                                nlua_exp_abort(N);
                                return errf(err, "interrupted");
                        }
                }
                failed += N->exp[i].failed;
        }
        return failed + N->top_failed;
}
