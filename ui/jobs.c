/* jobs.c — commands running in nodes for the command line.
 *
 * A job is a proc_job (src/proc.c): a command in a node's namespaces with
 * its output on a pipe. The pipe is in the epoll set; what arrives is
 * copied to the output pane unless the job is quiet; completion is noticed
 * by proc_job_poll (on EOF, or by jobs_tick for a job whose pipe is gone),
 * and then the starter's done callback decides what it means. */
#include "console.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void tag_if_crowded(struct console *c, struct job *j);

int job_start(struct console *c, int a, int b, const char *cmd, bool quiet, job_done_fn done,
              char *err)
{
        return job_start_as(c, a, b, cmd, NULL, quiet, done, err);
}

int job_start_as(struct console *c, int a, int b, const char *cmd, const char *label, bool quiet,
                 job_done_fn done, char *err)
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
        j->tag = c->jobs.tag;
        const char *who = a == PROC_HOST ? "host" : c->lab->nodes[a].name;
        snprintf(j->who, sizeof(j->who), "%.30s", who);
        if (label)
                snprintf(j->label, sizeof(j->label), "%s", label);
        else
                snprintf(j->label, sizeof(j->label), "%s$ %s", who, cmd);
        if (!quiet) {
                /* A job printing beside it gets its name from now on (and its
                 * partial line ends before this header). */
                for (int i = 0; i < MAXJOBS; i++)
                        if (i != idx && c->jobs.j[i].used && !c->jobs.j[i].quiet)
                                tag_if_crowded(c, &c->jobs.j[i]);
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

/* Jobs whose output shows. */
static int visible_jobs(const struct console *c)
{
        int n = 0;
        for (int i = 0; i < MAXJOBS; i++)
                n += c->jobs.j[i].used && !c->jobs.j[i].quiet;
        return n;
}

/* Beside another job, j's lines get its name from now on; a partial line
 * already out ends here. */
static void tag_if_crowded(struct console *c, struct job *j)
{
        if (j->tagged || visible_jobs(c) < 2)
                return;
        j->tagged = true;
        if (j->shown > 0 && j->j.out[j->shown - 1] != '\n')
                con_output(c, "\n", 1);
}

void job_output(struct console *c, struct job *j, const char *buf, size_t len)
{
        tag_if_crowded(c, j); /* "[exit 0]" of one of several */
        if (!j->tagged) {
                con_output(c, buf, len);
                return;
        }
        char pre[32];
        int pn = snprintf(pre, sizeof(pre), "%s| ", j->who);
        for (size_t s = 0; s < len;) {
                const char *nl = memchr(buf + s, '\n', len - s);
                size_t e = nl ? (size_t)(nl - buf) + 1 : len;
                con_output(c, pre, (size_t)pn);
                con_output(c, buf + s, e - s);
                if (!nl)
                        con_output(c, "\n", 1);
                s = e;
        }
}

/* What job j printed since last time. Alone, as it comes; beside another
 * job, whole lines with the node's name (a partial line waits for its end,
 * or for the job's). */
static void job_show(struct console *c, struct job *j, bool ended)
{
        if (j->quiet || j->j.len <= j->shown)
                return;
        tag_if_crowded(c, j);
        size_t upto = j->j.len;
        if (j->tagged && !ended) {
                while (upto > j->shown && j->j.out[upto - 1] != '\n')
                        upto--;
                if (upto == j->shown)
                        return;
        }
        job_output(c, j, j->j.out + j->shown, upto - j->shown);
        j->shown = upto;
}

void jobs_event(struct console *c, int idx)
{
        if (idx < 0 || idx >= MAXJOBS || !c->jobs.j[idx].used)
                return;
        struct job *j = &c->jobs.j[idx];
        int r = proc_job_poll(&j->j);
        job_show(c, j, r <= 0);
        if (r == 0 || r < 0) {
                if (j->j.wfd >= 0)
                        con_ep_del(c, j->j.wfd);
                if (r < 0 && !j->j.done)
                        proc_job_kill(&j->j);
                unsigned tag = j->tag, saved = c->jobs.tag;
                c->jobs.tag = tag;
                if (j->done)
                        j->done(c, j);
                c->jobs.tag = saved;
                proc_job_free(&j->j);
                j->used = false;
                if (tag && jobs_with_tag(c, tag) == 0)
                        script_tag_done(c, tag);
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

int jobs_with_tag(const struct console *c, unsigned tag)
{
        int n = 0;
        for (int i = 0; i < MAXJOBS; i++)
                n += c->jobs.j[i].used && c->jobs.j[i].tag == tag;
        return n;
}

int jobs_interrupt(struct console *c, int idx, bool kill_now)
{
        int n = 0;
        for (int i = 0; i < MAXJOBS; i++) {
                struct job *j = &c->jobs.j[i];
                if ((idx >= 0 && i != idx) || !j->used || j->j.done || j->j.pid <= 0)
                        continue;
                int sig = kill_now || j->sigs > 0 ? SIGKILL : SIGINT;
                kill(-j->j.pid, sig);
                j->sigs++;
                n++;
        }
        return n;
}

/* `jobs`: the commands running, numbered from 1 as `kill N` takes them. */
int c_jobs(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest, (void)err;
        int n = 0;
        for (int i = 0; i < MAXJOBS; i++) {
                const struct job *j = &c->jobs.j[i];
                if (!j->used)
                        continue;
                char line[200];
                int l = snprintf(line, sizeof(line), "[%d] %s%s %s\n", i + 1,
                                 j->sigs ? "interrupted" : "running", j->quiet ? " (quiet)" : "",
                                 j->label);
                con_output(c, line, (size_t)(l < (int)sizeof(line) ? l : (int)sizeof(line) - 1));
                n++;
        }
        con_msg(c, false,
                n ? "%d command%s running (kill N stops one, Ctrl-C all)" : "no command is running",
                n, n == 1 ? "" : "s");
        return 0;
}

/* `kill N [SIGNAL]`: job N (as `jobs` numbers them); SIGTERM unless told. */
int c_kill(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)rest;
        char *end;
        long k = strtol(argv[0][0] == '%' ? argv[0] + 1 : argv[0], &end, 10);
        if (*end || k < 1 || k > MAXJOBS || !c->jobs.j[k - 1].used) {
                errno = ESRCH;
                return errf(err, "No job %s (jobs lists them)", argv[0]);
        }
        int sig = SIGTERM;
        if (argc == 2) {
                static const struct {
                        const char *name;
                        int sig;
                } sigs[] = {{"INT", SIGINT}, {"TERM", SIGTERM}, {"KILL", SIGKILL},
                            {"HUP", SIGHUP}, {"STOP", SIGSTOP}, {"CONT", SIGCONT}};
                const char *s = argv[1] + (argv[1][0] == '-');
                if (!strncmp(s, "SIG", 3))
                        s += 3;
                sig = 0;
                for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
                        if (!strcasecmp(s, sigs[i].name))
                                sig = sigs[i].sig;
                if (!sig && (sig = (int)strtol(s, &end, 10)) <= 0) {
                        errno = EINVAL;
                        return errf(err, "Unknown signal \"%s\" (INT, TERM, KILL, HUP, STOP, CONT)",
                                    argv[1]);
                }
        }
        struct job *j = &c->jobs.j[k - 1];
        if (j->j.pid > 0 && !j->j.done)
                kill(-j->j.pid, sig);
        j->sigs++;
        con_msg(c, false, "[%ld] %s: signal %d sent", k, j->label, sig);
        return 0;
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
