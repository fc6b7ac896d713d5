/* kwork.c — one worker thread for kernel work, with an eventfd back to the
 * loop (see kwork.h). Two lists under one mutex: jobs to run, jobs run. The
 * worker signals a condition variable when it is idle; nothing here ever
 * joins the worker, so a job stuck on the rtnl lock can never hold the loop
 * up, not even at exit (the thread is detached; the last of the worker and
 * the owner frees the structure). */
#include "kwork.h"
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct kitem {
        struct kwork_job job;
        struct kitem *next;
};

struct kwork {
        pthread_mutex_t lock;
        pthread_cond_t wake;
        struct kitem *todo, **todo_tail; /* FIFO */
        struct kitem *done, **done_tail;
        int running; /* 1 while the worker is inside a job */
        int refs;    /* the owner and the worker */
        bool stopping;
        int efd;
};

static void release(struct kitem *it)
{
        if (it->job.release)
                it->job.release(it->job.arg);
        free(it);
}

static void release_list(struct kitem *it)
{
        while (it) {
                struct kitem *next = it->next;
                release(it);
                it = next;
        }
}

/* Drops one reference (the caller holds the lock); frees on the last. */
static void unref_locked(struct kwork *w)
{
        if (--w->refs > 0) {
                pthread_mutex_unlock(&w->lock);
                return;
        }
        struct kitem *todo = w->todo, *done = w->done;
        w->todo = w->done = NULL;
        pthread_mutex_unlock(&w->lock);
        release_list(todo);
        release_list(done);
        close(w->efd);
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
        free(w);
}

static void *worker(void *arg)
{
        struct kwork *w = arg;
        pthread_mutex_lock(&w->lock);
        for (;;) {
                while (!w->todo && !w->stopping)
                        pthread_cond_wait(&w->wake, &w->lock);
                if (w->stopping)
                        break;
                struct kitem *it = w->todo;
                w->todo = it->next;
                if (!w->todo)
                        w->todo_tail = &w->todo;
                it->next = NULL;
                w->running = 1;
                pthread_mutex_unlock(&w->lock);
                if (it->job.run)
                        it->job.run(it->job.arg);
                pthread_mutex_lock(&w->lock);
                w->running = 0;
                if (w->stopping) {
                        pthread_mutex_unlock(&w->lock);
                        release(it);
                        pthread_mutex_lock(&w->lock);
                        break;
                }
                *w->done_tail = it;
                w->done_tail = &it->next;
                uint64_t one = 1;
                if (write(w->efd, &one, sizeof(one)) < 0) {
                        /* the counter cannot overflow here; EAGAIN is harmless */
                }
        }
        unref_locked(w);
        return NULL;
}

struct kwork *kwork_start(char *err)
{
        struct kwork *w = calloc(1, sizeof(*w));
        if (!w) {
                errf_sys(err, NULL, "Cannot start the kernel worker");
                return NULL;
        }
        w->todo_tail = &w->todo;
        w->done_tail = &w->done;
        w->refs = 2;
        w->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (w->efd < 0) {
                errf_sys(err, NULL, "Cannot start the kernel worker: eventfd");
                free(w);
                return NULL;
        }
        pthread_mutex_init(&w->lock, NULL);
        pthread_cond_init(&w->wake, NULL);
        pthread_attr_t at;
        pthread_attr_init(&at);
        pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
        pthread_t t;
        /* The worker takes no signal: a process's stop signals are its loop's
         * (read from a signalfd); one taken by this thread would be lost. */
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, &old);
        int rc = pthread_create(&t, &at, worker, w);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        pthread_attr_destroy(&at);
        if (rc != 0) {
                errno = rc;
                errf_sys(err, NULL, "Cannot start the kernel worker thread");
                close(w->efd);
                pthread_cond_destroy(&w->wake);
                pthread_mutex_destroy(&w->lock);
                free(w);
                errno = rc;
                return NULL;
        }
        return w;
}

int kwork_fd(const struct kwork *w)
{
        return w->efd;
}

int kwork_submit(struct kwork *w, const struct kwork_job *job, char *err)
{
        struct kitem *it = calloc(1, sizeof(*it));
        if (!it)
                return errf_sys(err, NULL, "Cannot queue kernel work");
        it->job = *job;
        pthread_mutex_lock(&w->lock);
        if (w->stopping) {
                pthread_mutex_unlock(&w->lock);
                free(it);
                errno = ESHUTDOWN;
                return errf(err, "Cannot queue kernel work: the worker is stopping");
        }
        *w->todo_tail = it;
        w->todo_tail = &it->next;
        pthread_cond_signal(&w->wake);
        pthread_mutex_unlock(&w->lock);
        return 0;
}

int kwork_pending(const struct kwork *w)
{
        struct kwork *m = (struct kwork *)w;
        pthread_mutex_lock(&m->lock);
        int n = m->running;
        for (const struct kitem *it = m->todo; it; it = it->next)
                n++;
        pthread_mutex_unlock(&m->lock);
        return n;
}

int kwork_collect(struct kwork *w)
{
        uint64_t x;
        if (read(w->efd, &x, sizeof(x)) < 0) {
                /* EAGAIN: nothing signalled; the list decides */
        }
        pthread_mutex_lock(&w->lock);
        struct kitem *it = w->done;
        w->done = NULL;
        w->done_tail = &w->done;
        pthread_mutex_unlock(&w->lock);
        int n = 0;
        while (it) {
                struct kitem *next = it->next;
                if (it->job.done)
                        it->job.done(it->job.arg);
                release(it);
                it = next;
                n++;
        }
        return n;
}

void kwork_stop(struct kwork *w)
{
        if (!w)
                return;
        pthread_mutex_lock(&w->lock);
        w->stopping = true;
        struct kitem *todo = w->todo;
        w->todo = NULL;
        w->todo_tail = &w->todo;
        pthread_cond_signal(&w->wake);
        pthread_mutex_unlock(&w->lock);
        release_list(todo);
        pthread_mutex_lock(&w->lock);
        unref_locked(w);
}
