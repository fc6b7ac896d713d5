/* proc.h — running programs inside nodes.
 *
 * A child forks, enters the node (netns_enter: net + uts + a private mount
 * namespace with /sys remounted), and execs. Commands run through /bin/sh -c
 * with stdout and stderr merged into one pipe; shells for terminal panes get
 * a pty. Every process started here is journaled, and lab teardown kills
 * all processes found inside the lab's namespaces (by namespace inode, so
 * grandchildren are found too) before the namespaces are closed. */
#ifndef NETLAB_PROC_H
#define NETLAB_PROC_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "err.h"
#include "lab.h"

/* A command running in a node, read incrementally (for event loops and
 * Lua coroutines). */
struct proc_job {
        pid_t pid;
        int fd;    /* read end of the output pipe; -1 once at EOF */
        int pidfd; /* readable once the shell has exited; -1 once reaped */
        int wfd;   /* poll this: output to read or the shell's exit (epoll of both) */
        char *out; /* output so far, NUL-terminated */
        size_t len, cap;
        size_t max_out; /* output beyond this is dropped (default 1 MiB) */
        size_t dropped; /* ... how many bytes were */
        int status;     /* exit status once finished: 0..255, or 128+signal */
        bool reaped;    /* the shell's status is known */
        bool done;
};

/* Starts `/bin/sh -c cmd` in node (PROC_HOST: where netlab itself runs).
 * The job's fd is non-blocking. */
#define PROC_HOST (-1)
int proc_job_start(struct lab *lab, int node, const char *cmd, struct proc_job *job, char *err);
/* Reads what is available. Returns 1 while more may come, 0 when the
 * command has finished (job->status set), -1 on error. A command has
 * finished when its shell has exited and its output is read: children it
 * left in the background ("x &") keep running; their output is drained and
 * dropped (a closed pipe would kill them with SIGPIPE), and the lab's
 * teardown kills them with everything else in its namespaces. */
int proc_job_poll(struct proc_job *job);
/* Kills the job's process group and reaps it (status = 128+SIGKILL). */
void proc_job_kill(struct proc_job *job);
void proc_job_free(struct proc_job *job);

/* Blocking convenience: runs cmd, waits at most timeout_ms (<= 0: no limit),
 * returns 0 with *out (malloc'd) and *status; on timeout the command is
 * killed and -1 returned with errno ETIMEDOUT and err filled. */
int proc_run(struct lab *lab, int node, const char *cmd, int timeout_ms, char **out, int *status,
             char *err);

/* A login shell (or argv) in node on a new pty of rows x cols, TERM set,
 * cwd $HOME (or /). *master_fd is non-blocking, O_CLOEXEC. */
int proc_spawn_pty(struct lab *lab, int node, char *const argv[], int rows, int cols,
                   int *master_fd, pid_t *pid, char *err);


/* Kills (SIGKILL) every process whose network namespace is one of the given
 * namespace inodes, except the caller; returns how many were killed. */
int proc_kill_in_netns(const unsigned long *inodes, int n);

#endif
