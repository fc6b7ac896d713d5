/* dp_engine.h — the userspace datapath's switching engine.
 *
 * One process, one epoll loop, one AF_PACKET socket per port, opened inside
 * the port's network namespace. Semantics are those of a Linux bridge with
 * vlan_filtering=1 (see dp_engine.c). */
#ifndef NETLAB_DP_ENGINE_H
#define NETLAB_DP_ENGINE_H
#include <sys/types.h>
#include "dp_config.h"
#include "err.h"

/* Opens every port, then writes one byte 'R' to ready_fd (if >= 0) and
 * switches frames until SIGTERM or SIGINT arrives (both are blocked and read
 * through a signalfd), or until the process whose pid is watch_pid (if > 0)
 * is gone; SIGUSR1 stops that watch (and the parent-death signal): the
 * lab was kept up and the engine outlives its process. On a start failure, returns -1 with err filled before anything is
 * written to ready_fd. Returns 0 after a clean stop. */
int dp_engine_run(const struct dp_config *c, int ready_fd, pid_t watch_pid, char *err);

/* Counters of a run, for tests and the bench; written to stats_path (if set
 * with dp_engine_stats_file) once a second and at exit. */
void dp_engine_stats_file(const char *path);

#endif
