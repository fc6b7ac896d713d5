/* rundir.h — /run/netlab and each lab's run directory, opened by descriptor.
 *
 * Everything netlab keeps under /run/netlab (journal, lock, mac prefix, the
 * UTS mount points) is reached through a directory descriptor with
 * O_NOFOLLOW, never through a path a symlink could redirect. /run/netlab is
 * root's and writable by root alone; a lab's directory is a real directory,
 * owned by root, mode 0700. Anything else is refused, never followed, and
 * never cleaned: a symlink planted at /run/netlab/NAME cannot make netlab
 * delete or write files elsewhere. */
#ifndef NETLAB_RUNDIR_H
#define NETLAB_RUNDIR_H
#include <stdbool.h>
#include <stddef.h>
#include "err.h"

/* Opens /run/netlab (made 0700 when create is set and it is missing).
 * Refused: a symlink, a non-directory, not owned by root, writable by group
 * or others. A directory of an older netlab (0755) is tightened to 0700.
 * Returns a descriptor (O_DIRECTORY|O_CLOEXEC), or -1 with errno (ENOENT
 * when missing and !create) and err. */
int rundir_root(bool create, char *err);

/* Opens the run directory of lab name below root_fd. Refused (-1, errno
 * ELOOP/ENOTDIR/EPERM): a symlink, not a directory, not owned by root, not
 * mode 0700. ENOENT when there is none. */
int rundir_open(int root_fd, const char *name, char *err);

/* Makes the run directory of lab name (root, 0700) and opens it; -1 with
 * EEXIST when it exists already. */
int rundir_create(int root_fd, const char *name, char *err);

/* A path that reaches rel inside the directory dir_fd without resolving
 * the directory's path again ("/proc/self/fd/N/rel"), for the calls that
 * take no descriptor (mount, umount2). */
void rundir_fd_path(int dir_fd, const char *rel, char *buf, size_t len);

/* True when name is a lab name: [A-Za-z0-9_-], 1 to LAB_NAME_MAX bytes. */
bool rundir_name_ok(const char *name);
/* 0, or -1 (EINVAL) with err saying what a lab name is. */
int rundir_name_check(const char *name, char *err);

#endif
