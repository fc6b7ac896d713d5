/* err.h — how errors travel in netlab.
 *
 * Every fallible function returns 0 (or an index/fd) on success and -1 on
 * failure with errno set, and fills a caller-supplied buffer of ERRLEN bytes
 * with a message that reads like iproute2's:
 *     Cannot create veth "h1:eth0" -- "s1:p1": File exists
 * The caller decides where the message goes (stderr, the status line, a Lua
 * error). A NULL buffer is allowed and means "don't care". */
#ifndef NETLAB_ERR_H
#define NETLAB_ERR_H
#include <stddef.h>

#define ERRLEN 512

/* Writes the formatted message into err (if not NULL), keeps errno, returns -1. */
int errf(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Like errf, then appends ": strerror(errno)" (or the given extack text when
 * non-empty, which the kernel gives in netlink errors). */
int errf_sys(char *err, const char *extack, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
