/* exp.h — the lab's experiments in the console: one runs at a time as a Lua
 * coroutine resumed by the event loop (its wait fd in the epoll set, its
 * timeout a deadline of the loop's timer), and each check's result is kept
 * for the experiments pane. */
#ifndef NETLAB_UI_EXP_H
#define NETLAB_UI_EXP_H
#include <stdbool.h>

struct console;

struct check {
        bool ok;
        char msg[160];
        char where[96]; /* "x.lua:12", the check's line in the lab file */
};

struct exp_view {
        struct check *checks;
        int n, cap;
        bool ran;
        char status[96];
};

struct exps {
        struct exp_view *ev; /* per experiment */
        int n;
        int last;  /* the one last started, -1 */
        int shown; /* the one whose checks the pane shows (exp show N), -1: last */
        bool fd_in_ep;
        int fd;
        long long deadline; /* 0: none */
        bool stop_after_step; /* exp stop / Ctrl-C while a step runs on the worker */
        int after_up;         /* exp run while on_up runs: started after it, -1 none */
};

int exp_init(struct console *c); /* -1 when out of memory */
void exp_free(struct console *c);
/* Starts experiment idx (stepped by the loop from then on). */
int exp_run(struct console *c, int idx, char *err);
/* Starts the lab's on_up experiment (lab:on_up: its services), if it has
 * one, right after a build or a reload. */
void exp_on_up(struct console *c);
/* Resumes the running experiment, or `lua` line (its fd is readable or its
 * deadline passed). */
void exp_step(struct console *c);
/* Stops the running experiment or `lua` line (exp stop, Ctrl-C). */
void exp_stop(struct console *c);
/* nlua's on_check hook. */
void exp_on_check(void *ud, int exp, bool ok, const char *msg, const char *where);
const char *con_exp_name(void *ud, int i);

#endif
