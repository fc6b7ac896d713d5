/* jobs.h — commands running in nodes on behalf of the command line
 * (`h1 ping -c1 h2`, ping, pingall, iperf): their output pipe is in the
 * event loop, output streams into the output pane, and a job's done
 * callback sees its exit status. Nothing here blocks the loop. */
#ifndef NETLAB_UI_JOBS_H
#define NETLAB_UI_JOBS_H
#include <stdbool.h>
#include <stddef.h>
#include "pingmatrix.h"
#include "proc.h"

#define MAXJOBS 16

struct console;
struct job;

/* Called once when the job has finished (j->j.status is its exit status). */
typedef void (*job_done_fn)(struct console *c, struct job *j);

struct job {
        bool used;
        struct proc_job j;
        int a, b;     /* nodes: where it runs (PROC_HOST: netlab's own), the other one (-1) */
        size_t shown; /* output bytes already copied to the output pane */
        bool quiet;   /* output not shown */
        job_done_fn done;
        char label[128];
        unsigned tag; /* the command line that started it (jobs.tag then), 0: none */
        int sigs;     /* interrupts sent: the first is SIGINT, the next SIGKILL */
        bool tagged;  /* its lines go out whole, "h1| " before each (another job printed) */
        char who[32]; /* its node's name, "host" */
};

struct jobs {
        struct job j[MAXJOBS];
        /* pingall's queue: pings pq_a[i] -> pq_b[i] (host indices) */
        int *pq_a, *pq_b, pq_n, pq_next, pq_done;
        int *pq_hosts, pq_nh;       /* the hosts (node indices), in node order */
        struct ping_result *pq_res; /* pq_nh x pq_nh */
        bool pq_full;               /* pingallfull: RTTs */
        const char *pq_what;        /* "pingall", "pingallfull", "pingpair" */
        /* iperf: the client starts (wake) a moment after the server */
        int iperf_a, iperf_b;
        char iperf_udp_bw[32]; /* iperfudp's bandwidth, "" for TCP */
        unsigned iperf_tag;    /* the tag of the line that started it */
        /* One deferred call, made by jobs_tick once now >= wake_at (0: none). */
        long long wake_at;
        void (*wake)(struct console *c);
        /* The tag given to jobs started now, also while a tagged job's done
         * callback runs (pingall's next pings belong to the same line). */
        unsigned tag;
};

/* Starts cmd in node a (b: the other node or -1); done (may be NULL) is
 * called when it ends. quiet: output not copied to the output pane.
 * Returns the job's index. */
int job_start(struct console *c, int a, int b, const char *cmd, bool quiet, job_done_fn done,
              char *err);
/* The same, shown as label (the command the user typed, `dpctl dump-flows`)
 * rather than as cmd, the plumbing that does it. */
int job_start_as(struct console *c, int a, int b, const char *cmd, const char *label, bool quiet,
                 job_done_fn done, char *err);
int jobs_running(const struct console *c, job_done_fn done); /* how many with this callback */
/* Text for the output pane from job j: "NODE| " before each line once
 * several jobs print at once (their lines would mix otherwise). */
void job_output(struct console *c, struct job *j, const char *buf, size_t len);
/* A job's pipe is readable. */
void jobs_event(struct console *c, int idx);
/* Deadlines and jobs whose pipe is already closed. */
void jobs_tick(struct console *c, long long now);
/* Kills and frees every job (quit). */
void jobs_stop(struct console *c);
/* Ctrl-C for job idx (-1: every job): SIGINT to its process group, as a
 * terminal would (ping prints its summary); SIGKILL on a second try. The
 * loop sees it end as usual. Returns how many were signalled. */
int jobs_interrupt(struct console *c, int idx, bool kill_now);
int jobs_with_tag(const struct console *c, unsigned tag);

#endif
