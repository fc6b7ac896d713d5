/* journal.h — what a lab owns, written down before it is created.
 *
 * /run/netlab/LAB/journal is an append-only text file, one object a line:
 *     owner PID STARTTIME          the netlab process running the lab
 *     claim PATH                   a namespace name about to be created
 *     netns PATH                   ... created: ours (a bind-mounted network namespace)
 *     notours PATH                 ... already taken by someone else: never touched
 *     uts PATH                     a bind-mounted UTS namespace
 *     proc PID STARTTIME           a process started in a node
 *     datapath PID STARTTIME       the lab's userspace datapath
 *     hostlink NAME                a veth end in the host's namespace (uplinks)
 *     nft TABLE                    an nftables table in the host's namespace
 *     mount PATH                   a mount of the lab's own (the UTS tmpfs)
 *     etc PATH                     /etc/netns/LAB.NODE, the node's /etc files (hosts.h)
 * A line is written (write(2) completes into the page cache, which survives
 * kill -9 of the writer) before the object exists, so after any crash the
 * journal names a superset of what exists. `netlab clean` reads it back. */
#ifndef NETLAB_JOURNAL_H
#define NETLAB_JOURNAL_H
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#define PATH_MAX_LINE 4200
#include "err.h"

struct journal;

struct journal *journal_open(const char *path, char *err); /* append mode, creates */
void journal_close(struct journal *j);
int journal_add(struct journal *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reads each line; fn gets the line split into words (argv style). */
typedef void (*journal_line_fn)(void *ud, int argc, char **argv);
int journal_read(const char *path, journal_line_fn fn, void *ud, char *err);

/* Process start time (field 22 of /proc/PID/stat), 0 if gone: together with
 * the pid it names a process without being fooled by pid reuse. */
unsigned long long proc_starttime(pid_t pid);

#endif
