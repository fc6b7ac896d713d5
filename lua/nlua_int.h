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
        char *src;        /* the file of its experiment() call ("" when not a file) */
        int line0, line1; /* ... from the call's line to its function's last line */
        int passed, failed;
        bool finished;
        bool stopped; /* finished by nlua_exp_abort (exp stop, Ctrl-C): no verdict */
        bool up; /* lab:on_up's: run once the lab is built */
};

/* A piece of lab code the timeline runs beside an experiment's body (an
 * event of at/after/every that waits: node:cmd, netlab.sleep, ...). */
struct nlua_task {
        lua_State *th;
        int ref;
        struct nlua_wait wait; /* what it waits for */
        long long due_ns;      /* its wait's timeout ends then (monotime_ns); 0: none */
        struct proc_job *job;  /* the command it waits on, if any */
};

/* A function due at a time of the experiment's timeline (timeline.c). */
struct nlua_timer {
        long long due_ns;    /* monotime_ns */
        long long period_ns; /* every(); 0: once */
        int fn_ref;
        int id;
};

struct nlua_tl {
        long long t0_ns; /* the experiment's start: at(0) */
        struct nlua_timer *tm;
        int ntm, captm;
        struct nlua_task *task;
        int ntask, captask;
        int next_id;
        struct nlua_task body; /* the experiment's own coroutine (th: nlua.co) */
        bool body_done;
        int epfd; /* the fds of every waiting piece, when there are two or more */
        int *epset;
        int nep, capep;
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
        lua_State *cur;             /* the coroutine running now (co or a timeline task) */
        struct nlua_tl tl;          /* at/after/every (timeline.c) */
        int co_ref;
        struct nlua_wait wait; /* what the coroutine waits for when it yields */
        struct proc_job *job;  /* the command it waits on, if any */
        int dp_deaths0;        /* datapath deaths when the experiment started (dp.h) */
        uint64_t seed;         /* netlab.seed(n), given to the lab at its build */
        long long slice_end;   /* the count hook yields after this (monotime_ms) */
        char hook_where[128];  /* the lab's line where the count hook yielded */
        struct nlua_series **series; /* series.c */
        int nseries;
        bool exiting;          /* the lab called os.exit(exit_code) at exit_where */
        int exit_code;
        char exit_where[128];
        int load_limit_s;         /* nlua_set_load_limit */
        long long load_deadline;  /* monotime_ms while nlua_load runs under a limit, else 0 */
};

struct nlua *nlua_from(lua_State *L);
void nlua_note(struct nlua *N, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void nlua_error_text(const char *msg, char *err);
/* The lab's print(): its arguments, tab-separated, to the on_print hook. */
int nlua_print(lua_State *L);
/* "labs/x.lua:12": the innermost line of L's stack that is in the lab's own
 * code (not in C, not in netlab's Lua library); "" when there is none. */
void nlua_where(lua_State *L, char *buf, size_t len);
/* For Lua's "attempt to call a nil value (method 'routr')": the lab API's
 * methods nearest to that name, as " (no method routr: did you mean
 * router?)" in buf; "" when msg is not such an error. */
void nlua_method_hint(lua_State *L, const char *msg, char *buf, size_t len);
/* Raises "labs/x.lua:12: message" (printf format, %g included). */
int nlua_raise(lua_State *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Pushes nil, err and returns 2: a failure a script may handle (as
 * luaL_fileresult does for io functions). */
int nlua_fail(lua_State *L, const char *err);
/* Waits for w (fd readable, or its timeout) or fd2 readable (-1: none),
 * unless a stop signal came before or comes during the wait: then -1 with
 * errno EINTR. */
int nlua_wait_io(const struct nlua_wait *w, int fd2);
/* "interrupted by SIGTERM" */
const char *nlua_stop_text(char *buf, size_t len);
void nlua_record_check(struct nlua *N, bool ok, const char *msg, const char *where);
/* api.c */
int nlua_api_open(struct nlua *N, char *err);
/* The API's checks, for the bindings outside api.c (capture_api.c). */
void nlua_opts_check(lua_State *L, int idx, const char *what, const char *const keys[]);
int nlua_check_node(lua_State *L, int arg);
/* link:capture{...} (capture_api.c): the handle, or nil, message. */
int nlua_link_capture(lua_State *L, struct lab *lab, int link);
/* node:_capture(ifname): the same on any interface of the node. */
int nlua_node_capture(lua_State *L, struct lab *lab, int node);
int nlua_pending_check(struct nlua *N, char *err);
/* live_api.c: lab:save, lab:remove, link:remove, node:addr (the lab table's
 * extra methods, registered by nlua_api_open). */
void nlua_live_methods(lua_State *L, const char *mt);
int nlua_check_link(lua_State *L, int arg);
/* The vlan/trunk/vlans keys of the table at opts replace the VLANs of the
 * running link's switch end(s) (live_api.c); -1 with err. */
int nlua_link_set_vlans(lua_State *L, int link, int opts, char *err);
/* ovs_api.c: lab:defaults, lab:controller's C half, switch:dpctl/ready, and
 * lab:switch's class and fail_mode options. */
void nlua_ovs_methods(lua_State *L, const char *mt);
void nlua_switch_opts(lua_State *L, struct lab *lab, int node, int idx);
/* The index a lab ('l'), node ('n') or link ('k') userdata at idx holds, -1 when it is none. */
int nlua_ref_of(lua_State *L, int idx, char *kind);
void nlua_cmd_cancel(struct nlua *N);
double nlua_check_seconds(lua_State *L, int idx, const char *what, bool positive);

/* nlua.c: resumes coroutine th for one time slice with the nargs values on
 * its stack; *job is the command it waits on (kept across its yields). */
enum nlua_status nlua_co_resume(struct nlua *N, lua_State *th, int nargs, struct proc_job **job,
                                struct nlua_wait *w, char *err);

/* timeline.c: at(), after(), every(), netlab.elapsed(); the scheduler that
 * runs the experiment's body and its due events (nlua_exp_resume calls it). */
void nlua_tl_open(lua_State *L);
void nlua_tl_start(struct nlua *N);
enum nlua_status nlua_tl_step(struct nlua *N, struct nlua_wait *w, char *err);
/* Drops every pending event and kills what the tasks wait for. */
void nlua_tl_clear(struct nlua *N);
void nlua_tl_free(struct nlua *N);
/* A job freed under a task that waits on it (proc:kill from another task). */
/* series.c: lab:series(name) and the series' methods. */
void nlua_series_open(lua_State *L, const char *lab_mt);
void nlua_series_free(struct nlua *N);
void nlua_tl_forget_job(struct nlua *N, struct proc_job *job);

#endif
