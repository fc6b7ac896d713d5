/* nlua_int.h — what the Lua layer's files share (not for the rest of netlab). */
#ifndef NETLAB_NLUA_INT_H
#define NETLAB_NLUA_INT_H
#include "nlua.h"
#include "proc.h"
#include <limits.h>
#include <lua.h>

struct nlua_exp {
        char *name;
        int fn_ref;
        int passed, failed;
        bool finished;
};

struct nlua {
        lua_State *L;
        struct nlua_hooks hooks;
        char path[PATH_MAX];
        struct lab *lab;
        int lab_ref; /* the lab userdata */
        struct nlua_exp *exp;
        int nexp;
        int top_passed, top_failed; /* checks outside experiments */
        int running;                /* experiment index or -1 */
        lua_State *co;              /* its coroutine */
        int co_ref;
        struct nlua_wait wait; /* what the coroutine waits for when it yields */
        struct proc_job *job;  /* the command it waits on, if any */
        int dp_deaths0;        /* datapath deaths when the experiment started (dp.h) */
};

struct nlua *nlua_from(lua_State *L);
void nlua_note(struct nlua *N, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void nlua_error_text(const char *msg, char *err);
void nlua_record_check(struct nlua *N, bool ok, const char *msg, const char *where);
/* api.c */
int nlua_api_open(struct nlua *N, char *err);
int nlua_pending_check(struct nlua *N, char *err);
void nlua_cmd_cancel(struct nlua *N);

#endif
