/* jobs.c — commands running in nodes for the command line.
 *
 * A job is a proc_job (src/proc.c): a command in a node's namespaces with
 * its output on a pipe. The pipe is in the epoll set; what arrives is
 * copied to the output pane unless the job is quiet; completion is noticed
 * by proc_job_poll (on EOF, or by jobs_tick for a job whose pipe is gone),
 * and then the starter's done callback decides what it means. */
#include "console.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

int job_start(struct console *c, int a, int b, const char *cmd, bool quiet, job_done_fn done,
              char *err)
{
        int idx = -1;
        for (int i = 0; i < MAXJOBS; i++)
                if (!c->jobs.j[i].used) {
                        idx = i;
                        break;
                }
        if (idx < 0) {
                errno = EBUSY;
                return errf(err, "Too many commands running (at most %d)", MAXJOBS);
        }
        struct job *j = &c->jobs.j[idx];
        memset(j, 0, sizeof(*j));
        if (proc_job_start(c->lab, a, cmd, &j->j, err) < 0)
                return -1;
        j->used = true;
        j->a = a;
        j->b = b;
        j->quiet = quiet;
        j->done = done;
        snprintf(j->label, sizeof(j->label), "%s$ %s", c->lab->nodes[a].name, cmd);
        if (!quiet) {
                char hdr[200];
                int n = snprintf(hdr, sizeof(hdr), "%s\n", j->label);
                con_output(c, hdr, (size_t)n);
        }
        if (j->j.wfd >= 0) /* output, or the shell's exit ("x &" keeps the pipe) */
                con_ep_add(c, j->j.wfd, EV_JOB, (uint32_t)idx);
        return idx;
}

int jobs_running(const struct console *c, job_done_fn done)
{
        int n = 0;
        for (int i = 0; i < MAXJOBS; i++)
                if (c->jobs.j[i].used && c->jobs.j[i].done == done)
                        n++;
        return n;
}

void jobs_event(struct console *c, int idx)
{
        if (idx < 0 || idx >= MAXJOBS || !c->jobs.j[idx].used)
                return;
        struct job *j = &c->jobs.j[idx];
        int r = proc_job_poll(&j->j);
        if (!j->quiet && j->j.len > j->shown) {
                con_output(c, j->j.out + j->shown, j->j.len - j->shown);
                j->shown = j->j.len;
        }
        if (r == 0 || r < 0) {
                if (j->j.wfd >= 0)
                        con_ep_del(c, j->j.wfd);
                if (r < 0 && !j->j.done)
                        proc_job_kill(&j->j);
                if (j->done)
                        j->done(c, j);
                proc_job_free(&j->j);
                j->used = false;
        }
        c->dirty = true;
}

void jobs_tick(struct console *c, long long now)
{
        for (int i = 0; i < MAXJOBS; i++)
                if (c->jobs.j[i].used && c->jobs.j[i].j.fd < 0)
                        jobs_event(c, i);
        if (c->jobs.wake_at && now >= c->jobs.wake_at) {
                void (*fn)(struct console *) = c->jobs.wake;
                c->jobs.wake_at = 0;
                c->jobs.wake = NULL;
                if (fn)
                        fn(c);
        }
}

void jobs_stop(struct console *c)
{
        for (int i = 0; i < MAXJOBS; i++)
                if (c->jobs.j[i].used) {
                        proc_job_kill(&c->jobs.j[i].j);
                        proc_job_free(&c->jobs.j[i].j);
                        c->jobs.j[i].used = false;
                }
}
