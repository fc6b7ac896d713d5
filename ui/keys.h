/* keys.h — the console's keyboard: key codes with names, and the key
 * tables (tmux's key-bindings.c, dvtm's config.def.h). A binding is data:
 * {key, note, action}; the help overlay and README's key table are printed
 * from the same tables, so a key cannot exist without its help line.
 *
 * Tables: "prefix" (after Ctrl-b), "graph" (the graph pane is active),
 * "copy" (copy mode, or the output pane). Keys typed into a terminal pane
 * go to its program; elsewhere a printable key starts a command line. */
#ifndef NETLAB_UI_KEYS_H
#define NETLAB_UI_KEYS_H
#include <stdbool.h>
#include <stddef.h>

struct console;

/* A key: a byte (0x00-0xff, Ctrl-x is x & 0x1f) or one of these. */
enum key_code {
        K_NONE = -1,
        K_CTRL_B = 0x02,
        K_CTRL_C = 0x03,
        K_CTRL_F = 0x06,
        K_TAB = '\t',
        K_ENTER = '\r',
        K_ESC = 0x1b,
        K_SPACE = ' ',
        K_UP = 0x100, /* K_UP..K_END in vt_key's order */
        K_DOWN,
        K_RIGHT,
        K_LEFT,
        K_HOME,
        K_END,
        K_PGUP,
        K_PGDN,
        K_MOUSE,   /* an SGR mouse report: key_mouse() reads it */
        K_UNKNOWN, /* an escape sequence we do not bind */
};

struct key_binding {
        int key;
        const char *note; /* one line of help; bindings in a row with the same note share it */
        void (*action)(struct console *c, int key);
};

struct key_table {
        const char *name;  /* "prefix" */
        const char *title; /* heading in the help */
        const struct key_binding *b;
};

/* NULL-terminated: prefix, graph, copy. */
extern const struct key_table key_tables[];

struct keys {
        int prefix_key; /* default Ctrl-b */
        int lab_prefix; /* the one the lab started with (its NETLAB_PREFIX) */
        bool prefix;    /* the prefix key was seen */
        bool help;      /* the help overlay is shown */
        int help_top;   /* its first line shown */
        /* A question on the message line: y runs confirm(c, confirm_arg). */
        void (*confirm)(struct console *c, int arg);
        int confirm_arg;
        long long numbers_until; /* pane numbers shown until then (ms), 0: not */
        bool mouse;              /* mouse reports asked for */
        /* The shell pane Ctrl-b : (or ,) opened the command line from, + 1
         * (0: none): Enter, Escape or Ctrl-C give it the keys back, as
         * tmux's command prompt does. */
        int cmd_back;
};

/* Asks question (y/n) on the message line; y runs fn(c, arg), any other key cancels. */
void keys_confirm(struct console *c, void (*fn)(struct console *c, int arg), int arg,
                  const char *question);

/* Reads one key at s (n bytes); returns the bytes used, *key its code. */
size_t key_read(const unsigned char *s, size_t n, int *key);

/* A mouse report (xterm's SGR mode 1006): button b (0 left, 1 middle,
 * 2 right, +32 motion, 64/65 wheel up/down, +4/8/16 shift/meta/ctrl), cell
 * x, y from 0, press or release. */
struct mouse_ev {
        int b, x, y;
        bool release;
};
/* Parses the K_MOUSE report at s; false when it is not one. */
bool key_mouse(const unsigned char *s, size_t n, struct mouse_ev *m);
/* Asks the terminal for mouse reports (on) or stops them (off). */
void keys_mouse_mode(bool on);

/* After the command line ran a line (Enter): the keys go back to the shell
 * Ctrl-b : came from (unless the line made another pane active), else to
 * the graph when the line selected a node (selected) or came from / in
 * the graph; otherwise the command line keeps them. */
void keys_line_done(struct console *c, bool selected);
/* "C-b", "Enter", "Up", "%"; the prefix key's own name with prefix_key. */
const char *keycode_name(int key, char *buf, size_t len);
/* The prefix in force as every message names it: "Ctrl-b", "Ctrl-a". */
const char *keys_prefix(const struct console *c);
/* The banner's pointer to the keys: "Type help, or Ctrl-b ? for keys.", or
 * inside tmux (tmux: $TMUX set) with the prefix tmux has too, how to reach it. */
const char *keys_hint(const struct console *c, bool tmux);
/* A terminal attached (netlab attach) with env "tmux=1 prefix=C-a" (SRV_ENV):
 * its NETLAB_PREFIX becomes the prefix when it is the only terminal (none:
 * the lab's again); inside tmux it is told how to reach the prefix. */
void keys_attach_env(struct console *c, const char *env);
/* Parses NETLAB_PREFIX ("C-a"); -1 when it is not a Ctrl key. */
int key_parse_prefix(const char *s);

/* Raw bytes from the terminal. */
void keys_input(struct console *c, const unsigned char *s, size_t n);

#endif
