/* dp_engine.h — the userspace datapath's switching engine.
 *
 * One process, one epoll loop, one AF_PACKET socket per port, opened inside
 * the port's network namespace. Semantics are those of a Linux bridge with
 * vlan_filtering=1 (see dp_engine.c). */
#ifndef NETLAB_DP_ENGINE_H
#define NETLAB_DP_ENGINE_H
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <stdint.h>
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

/* The engine without its loop, for the fuzz target and unit tests: no
 * namespace, no packet socket; every port "sends" to a dup of out_fd (a
 * datagram socket the caller drains, one frame per datagram, or any fd
 * whose writes may fail: a failed send is counted as a switch drop).
 * dp_engine_input hands it one received frame on port (index over all
 * switches' ports, in config order) as recvmsg gives it: the frame, the
 * virtio_net_hdr before it, PACKET_AUXDATA (or NULL); now_s is the clock
 * for learning and ageing. */
struct dp_engine;
struct dp_engine *dp_engine_offline(const struct dp_config *c, int out_fd, char *err);
void dp_engine_input(struct dp_engine *e, int port, uint8_t *frame, size_t len,
                     const struct virtio_net_hdr *vh, const struct tpacket_auxdata *aux,
                     uint32_t now_s);
void dp_engine_free(struct dp_engine *e);

/* A new configuration for a running engine (offline or in dp_engine_run's
 * loop): what stays keeps its sockets, learning entries and queued frames
 * (dp_engine.c says how); on failure nothing changed. c must outlive the
 * engine, or its next reconfiguration. */
int dp_engine_reconfigure(struct dp_engine *e, const struct dp_config *c, char *err);

/* The control socket dp_engine_run serves (a listening SOCK_SEQPACKET Unix
 * socket, or -1): a connection sends "reload", the engine reads conf_path
 * again, applies it between two batches of events, and answers "ok USEC"
 * (the time it took) or "E" and the reason nothing changed. */
void dp_engine_control(int listen_fd, const char *conf_path);

/* Counters of a run, for tests and the bench; written to stats_path (if set
 * with dp_engine_stats_file) once a second and at exit. */
void dp_engine_stats_file(const char *path);

#endif
