/* console.h — the console's shared state (private to ui/).
 *
 * struct console is what every part of the console reads: the lab, the
 * event loop's fds, the panes and layout, the graph and the message line.
 * Each concern keeps its own state in a struct of its own module (keys.h,
 * monitor.h, jobs.h, exp.h, inspect.h), embedded here. Modules:
 *   console.c  the event loop, signals, deadlines, life cycle, messages
 *   pane.c     panes and ptys          keys.c      key tables, keyboard
 *   monitor.c  link state (netlink)    jobs.c      commands running in nodes
 *   exp.c      experiments             commands.c  the command table
 *   copy.c     copy mode, paste buffer
 *   cmd_traffic.c ping/pingall/iperf   help.c      help from the tables
 *   draw.c, inspect.c, glayout.c, layout.c, vt.c, rl.c, cmd.c */
#ifndef NETLAB_UI_CONSOLE_H
#define NETLAB_UI_CONSOLE_H
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "cmd.h"
#include "cmdwork.h"
#include "commands.h"
#include "copy.h"
#include "draw.h"
#include "exp.h"
#include "glayout.h"
#include "host.h"
#include "graph.h"
#include "inspect.h"
#include "jobs.h"
#include "keys.h"
#include "lab.h"
#include "layout.h"
#include "monitor.h"
#include "nlua.h"
#include "pane.h"
#include "rl.h"
#include "script.h"

struct console {
        struct nlua *L;
        struct lab *lab;
        struct host_ui *host; /* `netlab host`: the machine's namespaces (host.h), else NULL */
        bool keep, built;
        char lab_path[PATH_MAX];
        int ep, sfd, tfd;
        int dp_fd, dp_deaths; /* the lab's datapath, watched in the loop (dp.h) */
        struct kwork *kw;     /* netlink dumps run here, never in the loop (kwork.h) */
        struct cmdwork *cw;   /* commands that change the kernel run here (cmdwork.h) */
        char dp_note[48];     /* for the title bar: "datapath dead", "" when well */
        FILE *log;
        bool utf8;
        bool quit, quit_confirm;
        int live_edits; /* changes typed since the lab was as its file (or a save) says */
        int clients; /* terminals showing this console (its lab server says), 0: unknown */
        int exit_status;

        /* Panes (pane.c). */
        struct pane panes[MAXPANES];
        struct layout lay;
        int active; /* pane id (index in panes) */
        int graph_pane, inspect_pane, exp_pane, output_pane;
        bool focus_cmd; /* keys go to the command line, else to the active pane */
        bool find_back; /* the command line came from / in the graph: back there after Enter */
        bool sync;      /* typing goes to every shell (synchronize-panes) */
        struct dying dying[MAXPANES];
        long long dying_at; /* the next closed shell to kill (ms), 0: none */

        struct keys keys;
        struct copy_state copy;

        /* Drawing (draw.c). */
        bool dirty, relayout;
        long long next_draw_ms;
        bool draw_pending;
        double last_draw_ms; /* duration of the last redraw */
        long long ndraws;
        unsigned long drawn_sig; /* the layout the screen was painted with (draw.c) */

        /* Graph. */
        int sel;
        unsigned long nselects; /* con_select_node calls that selected: a command line that did gives the graph its keys */
        struct graph_view gv;
        struct gl_node *gn;
        struct gl_edge *ge;
        struct gl_result gres;
        int glayout_w;

        /* Messages. */
        char msg[512];
        bool msg_err;

        struct monitors mon;
        struct exps exp;
        struct jobs jobs;
        struct script script;
        struct inspect in;
        /* capture A B (cmd_capture.c): one at a time. */
        struct capture *cap;
        char cap_label[80];
        char cap_path[PATH_MAX];
        long long inspect_at;
};

/* The loop's event sources, in the high half of epoll's data. */
enum ev_type {
        EV_STDIN = 1, EV_SIG, EV_TIMER, EV_PTY, EV_MON, EV_JOB, EV_LUA, EV_CAP, EV_DP, EV_KWORK,
        EV_HOST, EV_CMDW, EV_SRV
};
/* epoll data: the type in bits 32-39, the fd in bits 40-63, idx below. */
#define EV_TYPE(u64) ((uint32_t)(((u64) >> 32) & 0xff))

/* console.c */
void con_msg(struct console *c, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void con_log(struct console *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void con_select_node(struct console *c, int node);
void con_ep_add(struct console *c, int fd, uint32_t type, uint32_t idx);
void con_ep_del(struct console *c, int fd);
/* The lab's datapath: notices a death at once (a message, the running
 * experiment fails), keeps its descriptor in the loop, and the title bar's
 * note. Cheap (no blocking call): the loop calls it every turn. */
void con_dp_watch(struct console *c);
/* A Lua state whose hooks report to the console (checks, print, progress). */
struct nlua *con_lua_new(struct console *c, char *err);

/* cmd_capture.c */
void capture_ui_event(struct console *c);
int capture_ui_stop(struct console *c, char *err);

#endif
