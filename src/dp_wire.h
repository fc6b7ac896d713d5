/* dp_wire.h — one direction of a datapath wire: netem in userspace.
 *
 * The engine (dp_engine.c) hands each frame read on a wire's end to
 * wire_enqueue, which decides as sch_netem.c's netem_enqueue does: a
 * duplicate (the copy goes through the same decisions once more), a loss,
 * a corrupted bit, the queue limit, then a departure time: now + delay drawn
 * from the jitter's distribution (uniform without a table, as netem), after
 * the previous frame's departure plus this frame's transmission time when a
 * rate is set; or, for a reordered frame (one in `gap` is a candidate, sent
 * with probability `reorder`), now, at the head of the queue. Correlations
 * are netem's get_crandom; Gilbert-Elliott loss is netem's loss_gilb_ell
 * (a frame draws the state's move, then its fate with the chances of the
 * state it arrived in: the frame that enters the bad state is still a
 * good-state frame).
 * The queue is a heap on (departure, arrival
 * order); the engine arms one timer to wire_next() of all directions and
 * sends what wire_dequeue gives when it fires. Pure: no I/O, no clock of
 * its own (times are passed in), so unit tests drive it. */
#ifndef NETLAB_DP_WIRE_H
#define NETLAB_DP_WIRE_H
#include <stddef.h>
#include <stdint.h>
#include "dp_config.h"

#define WIRE_BYTES_MAX (64u << 20) /* a direction holds at most this much, whatever its limit */

struct wire_pkt {
        int64_t t_send; /* CLOCK_MONOTONIC ns */
        uint64_t seq;
        size_t len; /* of data */
        uint8_t data[];
};

struct crnd {
        uint32_t last, rho; /* rho: correlation scaled to 2^32 - 1 */
};

struct wire_stats {
        uint64_t in, sent, lost, dropped_limit, duplicated, corrupted, reordered;
};

struct wire_dir {
        struct dp_impair p;
        uint32_t loss, dup, corrupt, reorder; /* probabilities scaled to 2^32 - 1 */
        struct crnd delay_cor, loss_cor, dup_cor, reorder_cor, corrupt_cor;
        uint32_t counter; /* frames since the last reordered one */
        uint32_t ge_p, ge_r, ge_h, ge_1k; /* Gilbert-Elliott, scaled; ge_1k: loss in good */
        bool ge_bad;                      /* in the bad state */
        uint64_t rng;
        struct wire_pkt **heap;
        int n, cap;
        int64_t tail; /* the latest departure queued: the rate's "last packet" */
        size_t bytes;
        uint64_t seq;
        struct wire_stats st;
};

/* seed 0: a random one. */
void wire_dir_init(struct wire_dir *d, const struct dp_impair *p, uint64_t seed);
/* New parameters for a running direction (a live change): frames already
 * queued keep their departure times; the next frame is decided by p. The
 * random state, the rate's last departure and the counters carry on. */
void wire_dir_set(struct wire_dir *d, const struct dp_impair *p);
void wire_dir_free(struct wire_dir *d);
/* True when the direction changes nothing (frames may bypass the queue). */
bool wire_dir_transparent(const struct wire_dir *d);
/* One frame (data = the bytes to send again, l2_off = where its Ethernet
 * header starts in them, for corrupt). Returns how many copies were queued. */
int wire_enqueue(struct wire_dir *d, const uint8_t *data, size_t len, size_t l2_off,
                 int64_t now_ns);
/* The bytes a frame takes on the wire, which a rate charges: its Ethernet
 * frame, or when data starts with a virtio_net_hdr (l2_off is its size)
 * saying GSO, the segments it becomes, each with a copy of the headers up
 * to TCP's or UDP's end, as the kernel's qdiscs count it (the rate then
 * holds for the frames on the wire, as with tc, not for 64 KiB super-frames). */
size_t wire_frame_bytes(const uint8_t *data, size_t len, size_t l2_off);
/* The next frame due at now_ns (caller frees it), or NULL. */
struct wire_pkt *wire_dequeue(struct wire_dir *d, int64_t now_ns);
/* The earliest departure queued, or INT64_MAX. */
int64_t wire_next(const struct wire_dir *d);

#endif
