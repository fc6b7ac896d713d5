/* cmd_lab.h — up, ls, attach, exec, down, and the console under a lab
 * server (cmd_lab.c). Each returns the command's exit status. */
#ifndef NETLAB_CMD_LAB_H
#define NETLAB_CMD_LAB_H
#include <stdbool.h>

/* True when the console should run under a lab server: a terminal, not
 * already the server's console, and NETLAB_NO_SERVER unset. */
bool console_served(void);
/* Starts a lab server running this same command line (argc/argv as main
 * got them) and attaches this terminal to it. */
int cmd_console_served(int argc, char **argv, const char *lab_path);
int cmd_up(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_attach(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_down(int argc, char **argv);

#endif
