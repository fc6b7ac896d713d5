/* console.h — the console's shared state (private to ui/). */
#ifndef NETLAB_UI_CONSOLE_H
#define NETLAB_UI_CONSOLE_H
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "cmd.h"
#include "glayout.h"
#include "lab.h"
#include "layout.h"
#include "nl.h"
#include "vlanview.h"
#include "nlua.h"
#include "proc.h"
#include "vt.h"

#define MAXPANES 32
#define MAXJOBS 16

enum pane_kind { P_GRAPH, P_INSPECT, P_EXP, P_TERM, P_OUTPUT };

struct pane {
        bool used;
        enum pane_kind kind;
        struct vt *vt; /* P_TERM, P_OUTPUT */
        int fd;        /* pty master, -1 */
        pid_t pid;     /* shell, 0 when exited */
        int node;
        int scroll; /* copy mode: lines back */
        bool copy;
        char title[64];
        int rows, cols; /* content size last given to the vt/pty */
};

enum job_kind { J_CMD, J_PING, J_IPERF_S, J_IPERF_C };

struct job {
        bool used;
        enum job_kind kind;
        struct proc_job j;
        int a, b;     /* nodes */
        size_t shown; /* output bytes already copied to the output pane */
        bool quiet;   /* pingall: output not shown */
        char label[128];
};

struct check {
        bool ok;
        char msg[160];
};

struct exp_view {
        struct check *checks;
        int n, cap;
        bool ran;
        char status[96];
};

struct inspect {
        int node; /* cached for this node, -1 none */
        struct nl *nl;
        struct nl_link_info *li;
        int nli;
        struct nl_addr_info *ai;
        int nai;
        struct nl_route_info *ri;
        int nri;
        struct port_vlan *vi; /* lab_vlan_view: the same on both paths */
        int nvi;
        uint64_t *prev_rx, *prev_tx; /* per li entry, for rates */
        double rx_rate[64], tx_rate[64];
        long long at_ms;
        char err[ERRLEN];
};

struct console {
        struct nlua *L;
        struct lab *lab;
        bool keep, built;
        char lab_path[PATH_MAX];
        int ep, sfd, tfd;
        FILE *log;
        bool utf8;

        struct pane panes[MAXPANES];
        struct layout lay;
        int active; /* pane id (index in panes) */
        int graph_pane, inspect_pane, exp_pane, output_pane;
        bool focus_cmd; /* keys go to the command line, else to the active pane */
        bool prefix;    /* Ctrl-b seen */
        int prefix_key; /* default 2 (Ctrl-b) */
        bool help;
        bool quit, quit_confirm;
        int exit_status;

        /* Drawing. */
        bool dirty, relayout;
        long long next_draw_ms;
        bool draw_pending;
        double last_draw_ms; /* duration of the last redraw */
        long long ndraws;

        /* Graph. */
        int sel;
        int gx, gy; /* pan offset */
        struct gl_node *gn;
        struct gl_edge *ge;
        struct gl_result gres;
        int glayout_w;
        signed char *ifup; /* per iface: -1 unknown, 0 down, 1 up */
        struct nl **mon;   /* per node */

        /* Messages. */
        char msg[512];
        bool msg_err;

        /* Experiments. */
        struct exp_view *ev;
        int nexp;
        int exp_last;
        bool exp_fd_in_ep;
        int exp_fd;
        long long exp_deadline; /* 0: none */

        /* Jobs. */
        struct job jobs[MAXJOBS];
        /* pingall queue */
        int *pq_a, *pq_b, pq_n, pq_next, pq_ok, pq_done;
        char **pq_line; /* per source node: "h1 -> h2 X" */
        long long iperf_client_at;
        int iperf_a, iperf_b;

        struct inspect in;
        long long inspect_at;
};

/* console.c */
long long now_ms(void);
void con_msg(struct console *c, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void con_log(struct console *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int con_open_term(struct console *c, int node, char *err);
/* dir: LAY_H (side by side), LAY_V (below), 0: by the pane's shape. */
int con_open_term_dir(struct console *c, int node, enum lay_kind dir, char *err);
int con_split(struct console *c, enum pane_kind kind, int node, enum lay_kind dir, char *err);
void con_close_pane(struct console *c, int id, const char *note);
void con_output(struct console *c, const char *buf, size_t len);
int con_running_shells(const struct console *c);
void con_select_node(struct console *c, int node);
void con_ep_add(struct console *c, int fd, uint32_t type, uint32_t idx);
void con_ep_del(struct console *c, int fd);

/* draw.c */
void draw_all(struct console *c);
void draw_relayout_graph(struct console *c, int width);
const char *node_label_fmt(int kind); /* the two brackets: "[]", "<>", "()", "{}" */

/* commands.c */
extern const struct cmd_entry con_commands[];
void con_exec_line(struct console *c, const char *line);
void jobs_event(struct console *c, int idx);
void jobs_tick(struct console *c, long long now);
void exp_step(struct console *c);
const char *con_node_name(void *ud, int i);
const char *con_exp_name(void *ud, int i);

/* rl.c */
void rl_setup(struct console *c);
void rl_feed(struct console *c, const unsigned char *buf, size_t len);
void rl_finish(struct console *c);
/* The command line as drawn: prompt + line, cursor column. */
const char *rl_prompt_text(void);
const char *rl_line_text(void);
int rl_cursor_col(void);

/* inspect.c */
void inspect_refresh(struct console *c, int node);
void inspect_free(struct inspect *in);
void draw_inspector(struct console *c, int y, int x, int h, int w);

enum ev_type { EV_STDIN = 1, EV_SIG, EV_TIMER, EV_PTY, EV_MON, EV_JOB, EV_LUA };

#endif
