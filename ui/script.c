/* script.c — source, time, lua, and Ctrl-C (see script.h). */
#include "console.h"
#include "monotime.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Runs line under a new tag; *running: it started something that has not
 * ended yet. */
static unsigned run_tagged(struct console *c, const char *line, bool *running)
{
        struct script *s = &c->script;
        unsigned tag = ++s->last_tag ? s->last_tag : ++s->last_tag;
        unsigned saved = c->jobs.tag;
        c->jobs.tag = tag;
        con_exec_line(c, line);
        c->jobs.tag = saved;
        *running = jobs_with_tag(c, tag) > 0 || (s->eval_tag == tag && nlua_eval_running(c->L)) ||
                   cmdwork_busy(c); /* its end is script_tag_done(tag) */
        return tag;
}

static void source_end(struct console *c, const char *why)
{
        struct script *s = &c->script;
        if (!s->lines)
                return;
        if (why)
                con_msg(c, true, "source %s: %s at line %d of %d", s->file, why, s->next, s->n);
        else
                con_msg(c, false, "source %s: %d line%s", s->file, s->n, s->n == 1 ? "" : "s");
        for (int i = 0; i < s->n; i++)
                free(s->lines[i]);
        free(s->lines);
        s->lines = NULL;
        s->n = s->next = 0;
        s->wait_tag = 0;
}

static void source_continue(struct console *c)
{
        struct script *s = &c->script;
        while (s->lines && s->next < s->n) {
                const char *line = s->lines[s->next++];
                char echo[1100];
                int len = snprintf(echo, sizeof(echo), "netlab> %.1024s\n", line);
                con_output(c, echo, (size_t)len);
                bool running;
                unsigned tag = run_tagged(c, line, &running);
                if (c->quit)
                        return;
                if (running) {
                        s->wait_tag = tag;
                        return;
                }
        }
        source_end(c, NULL);
}

static void time_report(struct console *c)
{
        struct script *s = &c->script;
        char line[96];
        int n = snprintf(line, sizeof(line), "*** Elapsed time: %0.6f secs\n",
                         (double)(monotime_ms() - s->time_t0) / 1000.0);
        con_output(c, line, (size_t)n);
        line[n - 1] = '\0';
        con_msg(c, false, "%s", line + 4);
        s->time_tag = 0;
}

void script_tag_done(struct console *c, unsigned tag)
{
        struct script *s = &c->script;
        if (!tag)
                return;
        if (tag == s->eval_tag)
                s->eval_tag = 0;
        if (tag == s->time_tag)
                time_report(c);
        if (tag == s->wait_tag) {
                s->wait_tag = 0;
                source_continue(c);
        }
}

void script_interrupt(struct console *c)
{
        struct script *s = &c->script;
        if (cmdwork_is_step(c)) { /* an experiment's or lua line's step on the worker */
                int n = jobs_interrupt(c, -1, false);
                if (s->lines)
                        source_end(c, "interrupted");
                s->time_tag = 0;
                exp_stop(c); /* after the step */
                con_msg(c, true, "^C: %sstopping %s", n ? "interrupted the running commands; " : "",
                        cmdwork_what(c));
                return;
        }
        if (cmdwork_busy(c)) { /* the kernel finishes what it was given */
                int dropped = cmdwork_drop_waiting(c);
                con_msg(c, true, "^C: %s cannot be interrupted; it ends when the kernel answers%s",
                        cmdwork_what(c), dropped ? " (the lines typed after it are dropped)" : "");
                return;
        }
        int n = jobs_interrupt(c, -1, false);
        bool eval = nlua_eval_running(c->L), exp = nlua_exp_running(c->L) >= 0;
        if (s->lines)
                source_end(c, "interrupted");
        s->time_tag = 0;
        if (eval || exp)
                exp_stop(c);
        if (n || eval || exp)
                con_msg(c, true, "^C: %s%s%s", n ? "interrupted the running commands" : "",
                        n && (eval || exp) ? "; " : "",
                        eval  ? "stopped the lua line"
                        : exp ? "stopped the experiment"
                              : "");
        else if (!s->lines)
                con_msg(c, false, "^C: nothing is running (quit leaves)");
}

void script_free(struct console *c)
{
        source_end(c, "stopped");
}

int c_time(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)err;
        struct script *s = &c->script;
        long long t0 = monotime_ms();
        bool running;
        unsigned tag = run_tagged(c, rest, &running);
        s->time_t0 = t0;
        if (running)
                s->time_tag = tag;
        else
                time_report(c);
        return 0;
}

int c_source(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)rest;
        struct script *s = &c->script;
        if (s->lines) {
                errno = EBUSY;
                return errf(err, "source %s is still running (Ctrl-C stops it)", s->file);
        }
        FILE *f = fopen(argv[0], "re");
        if (!f)
                return errf_sys(err, NULL, "Cannot open \"%s\"", argv[0]);
        char *line = NULL;
        size_t cap = 0;
        ssize_t len;
        int lineno = 0;
        while ((len = getline(&line, &cap, f)) >= 0) {
                lineno++;
                while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
                        line[--len] = '\0';
                char **nl = realloc(s->lines, sizeof(char *) * (size_t)(s->n + 1));
                char *d = strdup(line);
                if (!nl || !d) {
                        free(d);
                        if (nl)
                                s->lines = nl;
                        free(line);
                        fclose(f);
                        snprintf(s->file, sizeof(s->file), "%s", argv[0]);
                        source_end(c, "out of memory");
                        errno = ENOMEM;
                        return errf(err, "Cannot read \"%s\" line %d: out of memory", argv[0],
                                    lineno);
                }
                s->lines = nl;
                s->lines[s->n++] = d;
        }
        free(line);
        fclose(f);
        snprintf(s->file, sizeof(s->file), "%s", argv[0]);
        if (!s->lines) {
                con_msg(c, false, "source %s: the file is empty", argv[0]);
                return 0;
        }
        s->next = 0;
        source_continue(c);
        return 0;
}

int c_lua(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv;
        if (nlua_exp_running(c->L) >= 0) {
                errno = EBUSY;
                return errf(err, "Experiment \"%s\" is running (exp stop stops it)",
                            nlua_exp_name(c->L, nlua_exp_running(c->L)));
        }
        if (nlua_eval_start(c->L, rest, err) < 0)
                return -1;
        c->script.eval_tag = c->jobs.tag;
        char echo[1100];
        int n = snprintf(echo, sizeof(echo), "lua> %.1024s\n", rest);
        con_output(c, echo, (size_t)n);
        exp_step(c);
        return 0;
}
