/* kwork.h — kernel work off an event loop's thread.
 *
 * A netlink dump takes the rtnl lock, which another lab's build or
 * teardown (or any `ip` on the machine) can hold for seconds: a loop that
 * dumps would freeze for as long. kwork runs such jobs, one at a time, on
 * a worker thread; the loop watches kwork_fd (an eventfd) and, when it is
 * readable, calls kwork_collect, which runs each finished job's `done` on
 * the loop's thread. A job owns what it needs (dup'd namespace fds, copies
 * of names): it must not read state the loop changes meanwhile.
 *
 *     struct kwork *w = kwork_start(err);
 *     kwork_submit(w, &(struct kwork_job){run, done, release, arg}, err);
 *     ... epoll on kwork_fd(w) ... kwork_collect(w);
 *     kwork_stop(w);   // never waits for a job stuck in the kernel
 */
#ifndef NETLAB_KWORK_H
#define NETLAB_KWORK_H
#include "err.h"

struct kwork;

struct kwork_job {
        void (*run)(void *arg);     /* on the worker thread */
        void (*done)(void *arg);    /* on the loop's thread, in kwork_collect */
        void (*release)(void *arg); /* frees arg: after done, or for a job never done */
        void *arg;
};

/* Starts the worker thread. NULL with errno and err on failure. */
struct kwork *kwork_start(char *err);
/* Readable (EPOLLIN) when finished jobs wait for kwork_collect. */
int kwork_fd(const struct kwork *w);
/* Queues a copy of job. 0, or -1 (ENOMEM; ESHUTDOWN after kwork_stop). */
int kwork_submit(struct kwork *w, const struct kwork_job *job, char *err);
/* Jobs queued or running. */
int kwork_pending(const struct kwork *w);
/* Runs done and release of every finished job; returns how many. */
int kwork_collect(struct kwork *w);
/* Stops taking jobs and lets go: queued jobs are released unrun; a job the
 * worker is in is released by the worker when the kernel lets it go, and
 * the last one out frees the rest. Never blocks. */
void kwork_stop(struct kwork *w);

#endif
