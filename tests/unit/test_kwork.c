/* test_kwork.c — kernel work off the loop (src/kwork.c): jobs run in order
 * on another thread, their `done` runs in kwork_collect on the caller's
 * thread, the eventfd says when; a job stuck (here on a pipe, in the
 * console on the rtnl lock) never blocks the caller: not collect, not
 * submit, not stop; the stuck job is still released once it returns. */
#include "kwork.h"
#include "check.h"
#include <poll.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_t main_thread;
static int order[8], norder;
static atomic_int released;

struct arg {
        int id;
        int block_fd; /* >= 0: read one byte first */
        bool ran_elsewhere;
};

static void run(void *p)
{
        struct arg *a = p;
        if (a->block_fd >= 0) {
                char c;
                if (read(a->block_fd, &c, 1) < 0) {
                        /* the test checks what happened */
                }
        }
        a->ran_elsewhere = !pthread_equal(pthread_self(), main_thread);
}

static void done(void *p)
{
        struct arg *a = p;
        CHECK(pthread_equal(pthread_self(), main_thread), "done ran on the worker");
        CHECK(a->ran_elsewhere, "job %d ran on the caller's thread", a->id);
        order[norder++] = a->id;
}

static void release(void *p)
{
        (void)p;
        atomic_fetch_add(&released, 1);
}

static double ms(void)
{
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(void)
{
        char err[ERRLEN];
        main_thread = pthread_self();
        struct kwork *w = kwork_start(err);
        CHECK(w, "start: %s", err);
        if (!w)
                return check_done("kwork");
        struct arg a[3] = {{1, -1, false}, {2, -1, false}, {3, -1, false}};
        for (int i = 0; i < 3; i++)
                CHECK(kwork_submit(w, &(struct kwork_job){run, done, release, &a[i]}, err) == 0,
                      "submit: %s", err);
        int got = 0;
        double t0 = ms();
        while (got < 3 && ms() - t0 < 5000) {
                struct pollfd p = {kwork_fd(w), POLLIN, 0};
                if (poll(&p, 1, 1000) == 1)
                        got += kwork_collect(w);
        }
        CHECK(got == 3 && order[0] == 1 && order[1] == 2 && order[2] == 3, "order %d %d %d (%d)",
              order[0], order[1], order[2], got);
        CHECK(atomic_load(&released) == 3, "released %d", atomic_load(&released));

        /* A stuck job: the caller goes on. */
        int pfd[2];
        CHECK(pipe(pfd) == 0, "pipe");
        struct arg stuck = {4, pfd[0], false}, after = {5, -1, false};
        CHECK(kwork_submit(w, &(struct kwork_job){run, done, release, &stuck}, err) == 0, "%s",
              err);
        usleep(50000);
        t0 = ms();
        CHECK(kwork_collect(w) == 0, "a stuck job was collected");
        CHECK(kwork_submit(w, &(struct kwork_job){run, done, release, &after}, err) == 0, "%s",
              err);
        CHECK(kwork_pending(w) == 2, "pending %d", kwork_pending(w));
        kwork_stop(w); /* the queued job is released unrun, the stuck one later */
        double dt = ms() - t0;
        CHECK(dt < 20, "the caller waited %.1f ms for a stuck job", dt);
        CHECK(atomic_load(&released) == 4, "queued job not released at stop: %d",
              atomic_load(&released));
        CHECK(write(pfd[1], "x", 1) == 1, "unblock");
        for (int i = 0; i < 200 && atomic_load(&released) < 5; i++)
                usleep(5000);
        CHECK(atomic_load(&released) == 5, "the stuck job was never released");
        CHECK(norder == 3, "done ran for a job after stop");
        usleep(20000); /* the worker frees the structure on its way out (ASan checks) */
        close(pfd[0]);
        close(pfd[1]);
        return check_done("kwork");
}
