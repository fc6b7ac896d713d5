/* script.h — command lines run as a unit, and Ctrl-C.
 *
 * A line's jobs carry its tag (jobs.h), and so does a `lua` line; when the
 * last thing a tag started has ended, script_tag_done learns it. On that:
 * `source FILE` runs its lines one after the other, each once what the
 * one before started has ended (as Mininet's blocking commands do); `time
 * CMD` reports the time its line took. Ctrl-C (script_interrupt) stops what
 * the command line started: node commands (SIGINT, then SIGKILL), the
 * running `lua` line, a source, an experiment. */
#ifndef NETLAB_UI_SCRIPT_H
#define NETLAB_UI_SCRIPT_H
#include <stdbool.h>

struct console;

struct script {
        unsigned last_tag;
        char **lines; /* source: the file's lines */
        int n, next;
        unsigned wait_tag; /* source waits for this tag's end */
        char file[256];
        unsigned time_tag; /* time waits for this tag's end */
        long long time_t0;
        unsigned eval_tag; /* the running lua line's tag */
};

/* The last job (or lua line) of tag has ended. */
void script_tag_done(struct console *c, unsigned tag);
/* Ctrl-C at the command line. */
void script_interrupt(struct console *c);
void script_free(struct console *c);

#endif
