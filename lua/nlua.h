/* nlua.h — a lab script in an embedded Lua 5.4 state.
 *
 * Loading a lab file runs its top level: it declares the topology
 * (netlab.lab, lab:host, lab:link, ...) and registers experiments; nothing
 * touches the kernel until nlua_build (or until the script itself uses the
 * running lab, e.g. node:cmd at top level, which builds on demand).
 *
 * Experiments run as Lua coroutines so that a driver loop is never blocked:
 * when experiment code waits for a command (node:cmd, node:ping, pingall),
 * nlua_exp_resume returns NLUA_WAIT with a file descriptor to poll for
 * reading and a timeout; the driver calls nlua_exp_resume again when the fd
 * is readable or the timeout passes. `netlab run` drives this with poll(2);
 * the console drives it from its epoll loop. */
#ifndef NETLAB_NLUA_H
#define NETLAB_NLUA_H
#include <stdbool.h>
#include "err.h"
#include "lab.h"

struct nlua;

struct nlua_hooks {
        /* A check completed inside experiment exp. where: "labs/x.lua:12". */
        void (*on_check)(void *ud, int exp, bool ok, const char *msg, const char *where);
        /* print() from the script, and notes from netlab (one line each). */
        void (*on_print)(void *ud, const char *line);
        /* Build/teardown progress. */
        lab_progress_fn on_progress;
        void *ud;
};

struct nlua *nlua_new(const struct nlua_hooks *hooks, char *err);
void nlua_free(struct nlua *L); /* does not tear the lab down: call nlua_teardown */

/* The command line (`--topo linear,3 ...`) path was made from by netlab
 * --topo (topo_cli.c), or NULL for a lab file of the user's. */
const char *nlua_topo_spec(const char *path);
/* The file's top level may run at most seconds in the next nlua_load (0: no
 * limit): the console's reload loads on its loop, where an endless loop at
 * the top level would hold it for good. */
void nlua_set_load_limit(struct nlua *N, int seconds);
/* Runs the lab file's top level. Errors name the file and line. */
int nlua_load(struct nlua *L, const char *path, char *err);
/* The lab the script declared (NULL if it declared none). */
struct lab *nlua_lab(struct nlua *L);
int nlua_build(struct nlua *L, char *err);
/* Instead of building: takes over the built lab of the same file whose
 * netlab has gone (lab_adopt). */
int nlua_adopt(struct nlua *L, char *err);
/* What nlua_build would refuse before creating anything (the console's
 * reload asks before it tears the running lab down). */
int nlua_validate(struct nlua *L, char *err);
int nlua_teardown(struct nlua *L, char *err);

/* Experiments, in registration order, but lab:on_up's first. */
int nlua_exp_count(struct nlua *L);
const char *nlua_exp_name(struct nlua *L, int exp);
/* The experiment that runs the lab's lab:on_up functions (what should run
 * once the lab is up: its services), -1 when it has none. Every driver
 * starts it right after a build (not after an adopt: what it started still
 * runs); `netlab run` runs it as the first experiment. */
#define NLUA_UP_NAME "on_up"
int nlua_up_exp(struct nlua *L);

enum nlua_status { NLUA_DONE, NLUA_WAIT, NLUA_ERROR };
struct nlua_wait {
        int fd;         /* poll for POLLIN; -1: only the timeout */
        int timeout_ms; /* -1: none */
};
struct nlua_exp_result {
        int passed, failed;
        bool running, finished;
        bool stopped; /* finished because it was stopped, not at its end */
};

/* Starts experiment exp (a new coroutine); only one runs at a time. */
int nlua_exp_start(struct nlua *L, int exp, char *err);
/* Runs the current experiment until it waits or ends. NLUA_ERROR: a Lua
 * error ended it (message in err; also recorded as a failed check). */
enum nlua_status nlua_exp_resume(struct nlua *L, struct nlua_wait *w, char *err);
/* Abandons the running experiment (kills the command it waits for). */
void nlua_exp_abort(struct nlua *L);
int nlua_exp_running(struct nlua *L); /* index, or -1 */
void nlua_exp_result(struct nlua *L, int exp, struct nlua_exp_result *r);

/* `lua CODE` (eval.c): starts one line of Lua in the lab's state, `lab`
 * and the nodes by name in scope, its values printed through on_print. It
 * runs in the experiments' coroutine slot (refused while one runs): drive
 * it with nlua_exp_resume, stop it with nlua_exp_abort. */
int nlua_eval_start(struct nlua *L, const char *code, char *err);
bool nlua_eval_running(struct nlua *L);

/* The status the lab asked for with os.exit(), or -1 if it did not. The
 * lab's code stopped there; the caller tears down and exits with it. */
int nlua_exit_status(struct nlua *L);

/* Runs every experiment in order to completion with poll(2); returns the
 * number of failed checks (0: all passed), or -1 on a load/build error. */
int nlua_run_all(struct nlua *L, char *err);
/* Writes the running lab (live edits included) as the Lua lab file path
 * (FILE.lua; an existing one only with force), with the experiments of
 * the lab's own file carried as they are written there. */
int nlua_save(struct nlua *L, const char *path, bool force, char *err);

/* Series (lab:series(name)): samples (t seconds on the timeline, value)
 * an experiment recorded; the console plots them. */
struct nlua_series {
        char name[64];
        char unit[16];
        double *t, *v;
        size_t n, cap;
        unsigned gen; /* changes with every sample */
};
int nlua_series_count(struct nlua *L);
const struct nlua_series *nlua_series_at(struct nlua *L, int i);
const struct nlua_series *nlua_series_find(struct nlua *L, const char *name);

#endif
