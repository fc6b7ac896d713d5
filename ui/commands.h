/* commands.h — the console's command table (cmd.h's entries) and the line
 * executor. A command is one entry: name, usage, help, argument counts,
 * completion kinds and its exec function, which lives with its concern
 * (commands.c: the lab; cmd_traffic.c: ping, pingall, iperf; exp.c: exp;
 * cmd_view.c: what the graph shows; cmd_pane.c: rename, sync, save, mouse). */
#ifndef NETLAB_UI_COMMANDS_H
#define NETLAB_UI_COMMANDS_H
#include <stdbool.h>
#include <stddef.h>
#include "cmd.h"

struct console;

extern const struct cmd_entry con_commands[];

/* Runs one command line: a command, or `NODE cmd...` (a shell command in NODE). */
void con_exec_line(struct console *c, const char *line);

/* Argument checks shared by the commands: set err, return -1. */
int cmd_need_node(struct console *c, const char *name, char *err); /* the node's index */
int cmd_need_up(struct console *c, char *err);
const char *con_node_name(void *ud, int i);
/* The node's first IPv4 address (the one Mininet's NODE.IP() gives), or false. */
bool con_node_ipv4(struct console *c, int node, char *buf, size_t len);

/* The exec functions, by file. */
int c_ping(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_pingall(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_iperf(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_pingallfull(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_pingpair(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_iperfudp(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_exp(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_vlan(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_legend(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_clear(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_rename(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_sync(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_save(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_capture(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_plot(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_mouse(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_jobs(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_kill(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_source(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_time(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_lua(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_reload(struct console *c, int argc, char **argv, const char *rest, char *err);
/* reload.c: reload in three steps for cmdwork.c (before on the loop, run on
 * the worker, end on the loop whatever run returned). */
int reload_begin(struct console *c, void **state, char *err);
int reload_run(struct console *c, void *state, char *err);
void reload_end(struct console *c, void *state, int rc);
/* cmd_live.c: changes to the running lab, and save FILE.lua */
int c_add(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_del(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_addr(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_route(struct console *c, int argc, char **argv, const char *rest, char *err);
int c_set(struct console *c, int argc, char **argv, const char *rest, char *err);
/* link A B set KEY VALUE... | show | clear (argv: A B VERB ...). */
int c_link_params(struct console *c, int argc, char **argv, char *err);
int c_save_lab(struct console *c, int argc, char **argv, char *err);

#endif
