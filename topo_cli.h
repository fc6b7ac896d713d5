/* topo_cli.h — Mininet's one-liners (--topo, --link, --switch, --test,
 * --custom, --save): a lab file generated from the command line. */
#ifndef NETLAB_TOPO_CLI_H
#define NETLAB_TOPO_CLI_H
#include <stdbool.h>

/* Takes the one-liner options out of argv (argc/argv are replaced by a new
 * array) and, when --topo is there, writes the lab file and appends its path.
 * run: `netlab run` (its default test is pingall; the console's is none).
 * 1: a lab was made; 0: no --topo; -1 with err: bad options, nothing made. */
int topo_cli(int *argc, char ***argv, bool run, char *err);

/* The console has started a server whose lab process runs the made lab
 * file: that process removes it when the lab ends, not this one. */
void topo_cli_hand_over(void);

#endif
