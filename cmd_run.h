/* cmd_run.h — `netlab run`: labs without a screen, their checks as text,
 * TAP or JUnit XML (see cmd_run.c). */
#ifndef NETLAB_CMD_RUN_H
#define NETLAB_CMD_RUN_H

#include <stdbool.h>

/* netlab run [--keep] [--tap] [--junit FILE] [-j N] LAB.lua... */
int cmd_run(int argc, char **argv);

/* A build's progress on stderr, for netlab run and netlab up: on a terminal
 * one line rewritten in place ("netlab: links 512/999 (1.2 s)"); elsewhere,
 * with per_phase, one line as each phase starts ("netlab up: LAB: links
 * (999) 1.2 s"); with trace
 * (NETLAB_PROGRESS=1), every report with its time. Labs of fewer than 50
 * nodes or links build too fast to show it (but in trace). */
struct build_progress {
        const char *who; /* "netlab", "netlab up" */
        double t0;
        bool tty, per_phase, trace, shown;
        char stage[24]; /* the phase last shown */
};
void build_progress_init(struct build_progress *p, const char *who, bool per_phase);
void build_progress_show(struct build_progress *p, const char *lab, const char *stage, int done,
                         int total);
/* Ends a line left open on the terminal before other output (per_phase:
 * erases it, the caller says how it ended). */
void build_progress_end(struct build_progress *p);

#endif
