/* dp_poll.h — the userspace datapath's adaptive busy-poll window.
 *
 * After a batch of events the engine keeps polling (epoll_wait with a zero
 * timeout) for `window` ns before it blocks: a frame that arrives inside
 * the window is handled without a wake-up (on a VM an idle vCPU's wake-up
 * is a HLT exit, tens of µs: most of the latency the datapath adds), and
 * its sender makes no IPI. The window tunes itself as the kernel's
 * halt-polling does (virt/kvm's grow_halt_poll_ns, shrink_halt_poll_ns):
 *  - the engine blocked and its next event came after `waited` ns (the
 *    window included): within the bound, polling a bit longer would have
 *    caught it, so the window grows to cover that gap (and at least
 *    doubles); beyond the bound it halves, down to 0 below DP_POLL_START;
 *  - the poll was preempted for more than DP_POLL_YIELD (another task
 *    wanted this CPU; a kernel thread's short turn does not count): 0 at once, and
 *    no poll for a backoff, DP_POLL_BACKOFF doubling up to
 *    DP_POLL_BACKOFF_MAX while polls keep being preempted, halving with
 *    each poll that catches an event.
 * An idle lab therefore polls not at all; a ping a second, almost not (its
 * gaps are far beyond the bound); only traffic whose gaps stay below the
 * bound keeps a CPU polling, and that yields to any other task that wants
 * the CPU: on a busy machine it polls for at most a scheduler tick a second.
 * Pure: no clock and no I/O of its own, so unit tests drive it. */
#ifndef NETLAB_DP_POLL_H
#define NETLAB_DP_POLL_H
#include <stdint.h>

#define DP_POLL_START 10000LL      /* ns: the smallest window worth polling */
#define DP_POLL_MAX_DEFAULT 2000000LL /* ns: the bound, unless NETLAB_DP_POLL_US says */
#define DP_POLL_BULK 16384            /* bytes: a frame this big is a GSO burst of bulk TCP ... */
#define DP_POLL_BULK_PAUSE 50000000LL /* ... after which the engine does not poll for this long */
#define DP_POLL_YIELD 100000LL          /* ns off the CPU: a preemption that means contention */
#define DP_POLL_BACKOFF 20000000LL      /* ns without polling after a preempted poll ... */
#define DP_POLL_BACKOFF_MAX 1000000000LL /* ... doubling up to this */
#define DP_POLL_LEAD 500000LL /* ns: a wire's timer wakes this early; the poll spins the rest */

struct dp_poll {
        int64_t window; /* ns polled after the last event; 0: block at once */
        int64_t max;    /* its bound; 0: never poll */
        int64_t quiet_until; /* no poll before (a poll was preempted) */
        int64_t backoff;     /* the next such pause */
};

void dp_poll_init(struct dp_poll *p, int64_t max_ns);
/* The engine blocked; its next event came `waited` ns after its last one. */
void dp_poll_blocked(struct dp_poll *p, int64_t waited);
/* A poll was preempted at now: another task wanted the CPU. */
void dp_poll_preempted(struct dp_poll *p, int64_t now);
/* A poll caught an event. */
void dp_poll_caught(struct dp_poll *p);
/* The batch that ended at now carried bulk traffic (a GSO super-frame):
 * no poll for DP_POLL_BULK_PAUSE. Bulk TCP needs no saved wake-ups (its
 * frames come in bursts) but its sender and receiver need the CPUs: a
 * poll between its frames cost it ~10% here. */
void dp_poll_bulk(struct dp_poll *p, int64_t now);
/* The window to poll for after a batch that ended at now (0: block). */
int64_t dp_poll_window(const struct dp_poll *p, int64_t now);
/* How long before a wire's departure its timer wakes the engine, which
 * then polls until the departure: a vCPU woken from halt comes late by
 * 60-130 µs, and by milliseconds now and then (bench/impair.md), a
 * polling one at once. 0 (the timer wakes at the departure) when polling
 * is off or backing off: min(DP_POLL_LEAD, the bound) otherwise. */
int64_t dp_poll_lead(const struct dp_poll *p, int64_t now);
/* The bound from NETLAB_DP_POLL_US's value (NULL: the default): µs, 0 to
 * turn polling off; -1 for a value that is not a number of µs <= 1 s. */
int64_t dp_poll_max_parse(const char *env);

#endif
