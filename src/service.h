/* service.h — supervised processes in nodes (issue 12 §2).
 *
 * A service is a command run in a node by the lab's service keeper: one
 * small process per lab, forked from netlab when a service first starts,
 * and gone once none runs (a lab without running services has no such
 * process). For each service it forks a child that enters the node (net,
 * uts and the node's mount namespace, opened by path: the keeper holds no
 * namespace), runs `/bin/sh -c CMD` in a process group of its own with
 * stdout and stderr appended to /run/netlab/LAB/log/NODE/NAME.log, and
 * restarts it by policy ("no", "on-failure", "always"; at most 5 restarts in
 * a minute, then it gives up and says so in the log). The keeper writes each
 * service's state to /run/netlab/LAB/svc/NODE.NAME ("STATE PID RESTARTS
 * STATUS"), which every reader (Lua, the console, another netlab) parses with
 * service_state. The owner talks to it over a socket pair: start, stop (TERM
 * to the group, KILL after 3 s), restart. When the owner's end closes, the
 * keeper stops every service and exits, unless the owner left the lab up
 * (service_detach): a netlab killed with -9 leaves no daemon running. The
 * keeper is journaled ("proc"): the teardown and `netlab clean` kill it.
 * One process per lab rather than one per service: 0.24 MB of PSS less per
 * service (bench/routing.md). */
#ifndef NETLAB_SERVICE_H
#define NETLAB_SERVICE_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "err.h"
#include "lab.h"

#define SERVICE_NAME_MAX 32

enum service_restart { SERVICE_NO, SERVICE_ON_FAILURE, SERVICE_ALWAYS };

/* What a lab asked for, kept to start it again (service NODE NAME start). */
struct service {
        int node;
        char name[SERVICE_NAME_MAX + 1];
        char *cmd;
        enum service_restart restart;
        char **env; /* "K=V" strings, NULL-terminated, or NULL */
};

/* The state a supervisor wrote. */
struct service_state {
        char state[16]; /* starting, running, restarting, exited, failed, gave-up, stopped */
        pid_t pid;      /* the service's shell (0: none) */
        int restarts;
        int status; /* last exit status (0..255, 128+signal), -1 none */
};

/* "no" / "on-failure" / "always" → 0 and *r; else -1 with err. */
int service_restart_parse(const char *s, enum service_restart *r, char *err);
/* True when name is a service name: [A-Za-z0-9_.-], 1..SERVICE_NAME_MAX, not "." or "..". */
bool service_name_ok(const char *name);

/* Registers (or replaces, when stopped) and starts service name in node.
 * env may be NULL. */
int service_start(struct lab *lab, int node, const char *name, const char *cmd,
                  enum service_restart restart, char *const env[], char *err);
/* Starts a registered service again (after stop or give-up). */
int service_start_again(struct lab *lab, int node, const char *name, char *err);
/* Stops it: SIGTERM to its supervisor, which writes "stopped" once the
 * service is gone (never waits); the registration stays. */
int service_stop(struct lab *lab, int node, const char *name, char *err);
/* Restarts every service of node (SIGHUP to running supervisors, a new
 * supervisor for stopped ones); the number restarted. */
int service_restart_node(struct lab *lab, int node, char *err);
/* Restarts one service the same way (its supervisor counts the restart). */
int service_restart(struct lab *lab, int node, const char *name, char *err);
/* The registered service index of (node, name), -1. */
int service_find(const struct lab *lab, int node, const char *name);
/* Reads the state file; -1 when there is none. */
int service_state(const struct lab *lab, int node, const char *name, struct service_state *st);
/* The state file's path, from copies of the lab's run directory and the
 * node's name, and the reader of any such file: for a reader on another
 * thread (the console's kernel worker), which must not touch the lab. */
void service_state_path_in(const char *rundir, const char *node, const char *name, char *buf,
                           size_t len);
int service_state_read(const char *path, struct service_state *st);
/* The directory of a node's logs (NAME.log each). */
void service_log_dir(const struct lab *lab, int node, char *buf, size_t len);
/* The log file's path. */
void service_log_path(const struct lab *lab, int node, const char *name, char *buf, size_t len);
/* The last lines (at most max bytes) of a service's log, in buf. */
void service_log_tail(const struct lab *lab, int node, const char *name, char *buf, size_t len);
/* Reaps supervisors that exited (non-blocking); called by the owner's loop
 * and before each state read. */
void service_reap(struct lab *lab);
/* The lab stays up without its netlab (run --keep, a console that quits
 * and keeps it): its services outlive this process. Without this, the
 * end of the process (even by kill -9) stops them. */
int service_detach(struct lab *lab, char *err);
/* Frees the registrations (lab_free). The keeper is killed by the
 * teardown (journaled); without one, it stops the services (see above). */
void service_free_all(struct lab *lab);

#endif
