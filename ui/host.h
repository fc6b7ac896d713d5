/* host.h — `netlab host`: the console on the machine's own namespaces
 * (hostview.h's model), kept live by a scanning thread, read-only. */
#ifndef NETLAB_UI_HOST_H
#define NETLAB_UI_HOST_H
#include <stdbool.h>
#include "hostview.h"

struct console;
struct host_ui;

/* The first scan (before the screen: its failure is printed by the caller)
 * and the thread that rescans every second. Sets c->lab. 0 or -1 with err. */
int host_start(struct console *c, char *err);
/* A scan came from the thread: the graph follows it. */
void host_event(struct console *c);
/* The descriptor the loop watches for scans (EV_HOST), -1 off the host view. */
int host_fd(const struct console *c);
void host_stop(struct console *c);
/* Why a command is refused on the host view (err filled, true), or false. */
bool host_refuses(struct console *c, int argc, char **argv, char *err);
/* The last scan applied (NULL off the host view). */
const struct ns_scan *host_scan(const struct console *c);
/* How many namespaces the last scan found. */
int host_namespaces(const struct console *c);
/* The scan entry of a node of the view, or NULL. */
const struct ns_entry *host_entry(const struct console *c, int node);

#endif
