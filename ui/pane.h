/* pane.h — the console's panes: the fixed ones (graph, inspector,
 * experiments) and the terminal and output panes, each a libvterm screen;
 * a terminal pane also owns a pty and the shell on it. Panes are slots in
 * struct console's array, placed by the layout tree (layout.h). */
#ifndef NETLAB_UI_PANE_H
#define NETLAB_UI_PANE_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "copy.h"
#include "layout.h"
#include "vt.h"

#define MAXPANES 32

struct console;

enum pane_kind { P_GRAPH, P_INSPECT, P_EXP, P_TERM, P_OUTPUT, P_PLOT };

struct pane {
        bool used;
        enum pane_kind kind;
        struct vt *vt; /* P_TERM, P_OUTPUT */
        int fd;        /* pty master, -1 */
        struct console *con;
        char *out; /* bytes for the pty that it did not take yet (a paste) */
        size_t outlen;
        pid_t pid;     /* shell, 0 when exited */
        int node;
        int scroll; /* copy mode: lines back; inspector, experiments: first line shown */
        int lines;  /* inspector, experiments: lines at the last paint */
        bool copy;
        bool readonly; /* a program's output (logs): typing goes to the command line */
        struct pane_copy cm;
        char title[64];
        bool named;     /* the title was given by rename */
        int rows, cols; /* content size last given to the vt/pty (or painted) */
        /* The output pane: the text it was given (the last PANE_TEXT_MAX
         * bytes), fed again to a new vt when its width changes (reflow). */
        char *text;
        size_t textlen, textcap;
        /* A plot pane (plotpane.c): the series it draws and its last chart. */
        char series[64];
        char *chart;
        unsigned chart_gen;
        int chart_rows, chart_cols;
};
#define PANE_TEXT_MAX (512u << 10)

/* A closed pane's shell, hung up and not reaped yet. */
struct dying {
        pid_t pid;
        long long kill_at; /* SIGKILL then (ms), 0: sent */
};

/* The screen area the panes share (between the title bar and the message line). */
struct rect pane_work_area(void);
/* Takes a free slot (used, no fd, no node); -1 when all are taken. */
int pane_alloc(struct console *c);
/* Recomputes the layout and gives every terminal pane its size (libvterm and TIOCSWINSZ). */
void pane_apply_sizes(struct console *c);
/* Bytes to the program in the pane (keys, libvterm's answers, a paste):
 * what the pty does not take now is queued and sent when it is writable. */
void pane_write(struct pane *p, const char *buf, size_t len);
/* The pty of pane id is writable: sends what is queued. */
void pane_flush(struct console *c, int id);

/* Splits a pane for a new one of kind: terminals split the active terminal
 * (or the graph the first time). dir: LAY_H (side by side), LAY_V (below),
 * 0: by the pane's shape. Returns the new pane's id. */
int con_split(struct console *c, enum pane_kind kind, int node, enum lay_kind dir, char *err);
/* The same, splitting pane target (-1: chosen as above). */
int con_split_at(struct console *c, enum pane_kind kind, int node, int target, enum lay_kind dir,
                 char *err);
/* A shell in node, in a new pane that becomes the active one. */
int con_open_term(struct console *c, int node, char *err);
int con_open_term_dir(struct console *c, int node, enum lay_kind dir, char *err);
/* A shell in node splitting pane target (-1: chosen by con_split). */
int con_open_term_at(struct console *c, int node, int target, enum lay_kind dir, char *err);
/* A program (argv) in node, in a new terminal pane titled title that
 * becomes the active one (as a shell's: it closes when the program exits).
 * It only shows what the program writes (logs): it takes no typing, which
 * stays on the command line (its named keys scroll it, as the output
 * pane's). The pane's id, -1. */
int con_open_cmd(struct console *c, int node, char *const argv[], const char *title, char *err);
/* Closes a pane (never the graph): hangs up its shell; note goes to the message line. */
void con_close_pane(struct console *c, int id, const char *note);
/* Text for the output pane (command output, script prints), opened on first use. */
void con_output(struct console *c, const char *buf, size_t len);
int con_running_shells(const struct console *c);

/* A pane's number: its place in the layout (0: the graph), as tmux numbers panes. */
int pane_number(const struct console *c, int id);
int pane_by_number(const struct console *c, int num); /* the pane's id, -1 */
/* True when a program other than the shell is in the foreground of pane
 * id's terminal; name: its name (/proc/PID/comm). */
bool pane_running(const struct console *c, int id, char *name, size_t len);

/* Does typing go to the pane's program (a shell's pane; not a program's
 * output such as logs, nor the output, plot and fixed panes)? */
bool pane_takes_typing(const struct pane *p);

/* synchronize-panes: what is typed into a shell goes to every shell. */
void pane_set_sync(struct console *c, bool on);

/* The pty of pane id is readable. */
void pane_pty_event(struct console *c, int id);
/* SIGCHLD: closes the panes whose shell exited, reaps closed panes' shells. */
void pane_reap(struct console *c);
/* Kills closed panes' shells that outlived their grace time; returns the
 * next deadline (ms, 0: none). wait: block until they are gone (quitting). */
long long pane_dying_tick(struct console *c, long long now, bool wait);

#endif
