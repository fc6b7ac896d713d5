/* cmdwork.h — console commands that change the kernel, run off the loop.
 *
 * `link A B down`, `reset`, `reload`, `add`, `del`, `addr`, `route`, `set`
 * and `clean` talk to netlink, which waits for the rtnl lock as long as
 * another lab's build or teardown holds it. They run on a worker thread of
 * their own (kwork.h), one at a time, while the loop goes on echoing keys
 * and drawing the panes. While one runs ("busy"):
 *   - the worker owns the lab and the Lua state: the loop draws the graph,
 *     inspector and experiments as they were, and leaves alone what reads
 *     the lab (link monitors, jobs, experiments, captures, the datapath's
 *     fd: their events wait in the kernel, cmdwork_defer);
 *   - what the command prints (con_output, con_msg) is kept and shown when
 *     it ends, on the loop;
 *   - lines typed meanwhile wait, in order, and run after it: a command
 *     typed after `link h1 s1 down` sees the link down.
 * A `source`d script or `time` waits for the command as for a job. An
 * experiment's (or `lua` line's) coroutine runs each step here as well
 * (cmdwork_run, from exp.c): Lua's kernel calls never hold the loop. */
#ifndef NETLAB_UI_CMDWORK_H
#define NETLAB_UI_CMDWORK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cmd.h"

struct console;
struct cmdwork;

struct cmdwork *cmdwork_new(char *err);
void cmdwork_free(struct cmdwork *w); /* never waits for a command in the kernel */
int cmdwork_fd(const struct cmdwork *w);
/* Is e one of the commands that run on the worker. */
bool cmdwork_wants(const struct cmd_entry *e);
/* Runs e (with line's words) on the worker; lines typed after it wait. */
int cmdwork_submit(struct console *c, const struct cmd_entry *e, const char *line, char *err);
/* Runs run(c, state) on the worker as a command would (busy meanwhile,
 * what it prints kept), then after(c, state, rc) on the loop; what names it
 * on the screen. The caller owns state. -1 when busy or out of memory. */
int cmdwork_run(struct console *c, const char *what, int (*run)(struct console *, void *, char *),
                void (*after)(struct console *, void *, int), void *state, char *err);
/* The running work is an experiment's step (cmdwork_run), not a command. */
bool cmdwork_is_step(const struct console *c);
/* Its fd is readable: the command ended; its output and message are shown,
 * the lab's watchers resume, and waiting lines run. */
void cmdwork_event(struct console *c);
/* A command runs: the loop must not read the lab. */
bool cmdwork_busy(const struct console *c);
/* A command that has waited this long for the kernel is shown waiting, with
 * its seconds: usually another lab holds the kernel's rtnl lock. */
#define CMDWORK_SLOW_MS 2000
/* When the running command was handed to the worker (monotime_ms), 0: none. */
long long cmdwork_since(const struct console *c);
/* The line running, for the screen ("link h1 s1 down"). */
const char *cmdwork_what(const struct console *c);
/* A line typed while busy: kept, to run after (with the jobs tag it had). */
void cmdwork_queue(struct console *c, const char *line);
/* Ctrl-C while busy: forgets the waiting lines; returns how many. */
int cmdwork_drop_waiting(struct console *c);
/* An event of the loop that reads the lab came while busy: its fd leaves
 * epoll until the command ends (data is the event's epoll data). */
void cmdwork_defer(struct console *c, int fd, uint64_t data);
/* On the worker thread (where con_output and con_msg keep what they get). */
bool cmdwork_on_worker(void);
/* Called by con_output/con_msg on the worker: keeps the text. */
void cmdwork_keep(int kind, const char *text, size_t len);
enum { CMDW_OUTPUT, CMDW_MSG, CMDW_ERR };
/* Says "busy" with what runs; true when busy (for keys that read the lab). */
bool cmdwork_refuse(struct console *c);

#endif
