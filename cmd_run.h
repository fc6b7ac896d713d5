/* cmd_run.h — `netlab run`: labs without a screen, their checks as text,
 * TAP or JUnit XML (see cmd_run.c). */
#ifndef NETLAB_CMD_RUN_H
#define NETLAB_CMD_RUN_H

/* netlab run [--keep] [--tap] [--junit FILE] [-j N] LAB.lua... */
int cmd_run(int argc, char **argv);

#endif
