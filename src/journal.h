/* journal.h — what a lab owns, written down before it is created.
 *
 * /run/netlab/LAB/journal is an append-only text file, one object a line:
 *     owner PID STARTTIME SINCE TTY  the netlab process running the lab (SINCE:
 *                                  when the lab first came up, epoch seconds;
 *                                  TTY: its terminal, or "-")
 *     claim PATH                   a namespace name about to be created
 *     netns PATH                   ... created: ours (a bind-mounted network namespace)
 *     notours PATH                 ... already taken by someone else: never touched
 *     uts PATH                     a bind-mounted UTS namespace
 *     mnt PATH                     a bind-mounted mount namespace (nodefs.h)
 *     proc PID STARTTIME           a process started in a node
 *     datapath PID STARTTIME       the lab's userspace datapath
 *     hostlink NAME NSINO [IFINDEX] an interface in the host's namespace (see hostobj.h)
 *     nft FAMILY TABLE NSINO [HANDLE] an nftables table there (see hostobj.h)
 *     mount PATH                   a mount of the lab's own (the UTS and mnt tmpfs)
 *     etc PATH                     /etc/netns/LAB.NODE, the node's /etc files (hosts.h)
 * A line is written (write(2) completes into the page cache, which survives
 * kill -9 of the writer) before the object exists, so after any crash the
 * journal names a superset of what exists. `netlab clean` reads it back.
 * The file is root's, mode 0600, opened below the lab's run directory
 * descriptor with O_NOFOLLOW (rundir.h). */
#ifndef NETLAB_JOURNAL_H
#define NETLAB_JOURNAL_H
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#define PATH_MAX_LINE 4200
#include "err.h"

struct journal;

/* Opens (creates, 0600) the file "journal" in the run directory dir_fd, append mode. */
struct journal *journal_open(int dir_fd, char *err);
void journal_close(struct journal *j);
int journal_add(struct journal *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The owner line for the calling process; since: when the lab first came up
 * (0: now). */
int journal_add_owner(struct journal *j, long long since);

/* Reads each line of dir_fd's journal (none: nothing, and 0); fn gets the
 * line split into words (argv style). */
typedef void (*journal_line_fn)(void *ud, int argc, char **argv);
int journal_read(int dir_fd, journal_line_fn fn, void *ud, char *err);

/* Who runs a lab, from its journal's owner line (pid 0: no owner line). */
struct journal_owner {
        pid_t pid;
        unsigned long long start;
        long long since; /* epoch seconds, 0 unknown */
        char tty[32];    /* "/dev/pts/3", or "" */
};
void journal_owner(int dir_fd, struct journal_owner *o);
/* True when the owner is still the same live process, and not the caller. */
bool journal_owner_alive(const struct journal_owner *o);
/* "pid 1234 on /dev/pts/3, since 2026-11-30 09:12:05" */
void journal_owner_describe(const struct journal_owner *o, char *buf, size_t len);

/* Process start time (field 22 of /proc/PID/stat), 0 if gone: together with
 * the pid it names a process without being fooled by pid reuse. */
unsigned long long proc_starttime(pid_t pid);

#endif
