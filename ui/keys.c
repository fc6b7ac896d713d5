/* keys.c — the keyboard: raw bytes from the terminal become keys, and keys
 * are looked up in tables of {key, note, action}.
 *
 * After the prefix key (Ctrl-b) the "prefix" table applies, as in tmux.
 * Without it, keys go to the command line when it has the focus, to the
 * program in a terminal pane, or to the active pane's table ("copy" in copy
 * mode and in the output pane, "graph" in the graph); a printable key that
 * no table takes starts a command line. The help overlay and README's key
 * table are printed from these tables (help.c). */
#include "console.h"
#include "server.h"
#include "help.h"
#include "rl.h"
#include "monotime.h"
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ---- key codes ---- */

bool key_mouse(const unsigned char *s, size_t n, struct mouse_ev *m)
{
        if (n < 6 || s[0] != K_ESC || s[1] != '[' || s[2] != '<')
                return false;
        int v[3] = {0, 0, 0}, k = 0;
        for (size_t i = 3; i < n; i++) {
                if (s[i] >= '0' && s[i] <= '9') {
                        if (v[k] < 100000)
                                v[k] = v[k] * 10 + (s[i] - '0');
                } else if (s[i] == ';' && k < 2) {
                        k++;
                } else if ((s[i] == 'M' || s[i] == 'm') && k == 2) {
                        m->b = v[0];
                        m->x = v[1] - 1;
                        m->y = v[2] - 1;
                        m->release = s[i] == 'm';
                        return true;
                } else {
                        return false;
                }
        }
        return false;
}

void keys_mouse_mode(bool on)
{
        /* Button events with drags (1002), SGR coordinates (1006). */
        static const char en[] = "\033[?1002h\033[?1006h", dis[] = "\033[?1006l\033[?1002l";
        ssize_t r = write(STDOUT_FILENO, on ? en : dis, on ? sizeof(en) - 1 : sizeof(dis) - 1);
        (void)r;
}

size_t key_read(const unsigned char *s, size_t n, int *key)
{
        *key = s[0];
        if (s[0] != K_ESC || n < 2 || (s[1] != '[' && s[1] != 'O'))
                return 1;
        *key = K_UNKNOWN;
        if (n > 2 && s[1] == '[' && s[2] == '<') {
                size_t i = 3;
                while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == ';'))
                        i++;
                if (i < n && (s[i] == 'M' || s[i] == 'm'))
                        *key = K_MOUSE;
                return i < n ? i + 1 : n;
        }
        size_t i = 2;
        while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == ';'))
                i++;
        if (i >= n)
                return n;
        static const struct {
                char final;
                char num; /* the number before '~', 0: none */
                int key;
        } seqs[] = {
            {'A', 0, K_UP},     {'B', 0, K_DOWN},   {'C', 0, K_RIGHT},  {'D', 0, K_LEFT},
            {'H', 0, K_HOME},   {'F', 0, K_END},    {'~', '5', K_PGUP}, {'~', '6', K_PGDN},
            {'~', '1', K_HOME}, {'~', '7', K_HOME}, {'~', '4', K_END},  {'~', '8', K_END},
        };
        for (size_t k = 0; k < sizeof(seqs) / sizeof(seqs[0]); k++) {
                if (seqs[k].final != s[i])
                        continue;
                if (seqs[k].num ? (i == 3 && s[2] == seqs[k].num) : true) {
                        *key = seqs[k].key;
                        break;
                }
        }
        return i + 1;
}

const char *keycode_name(int key, char *buf, size_t len)
{
        static const char *named[] = {"Up", "Down", "Right", "Left", "Home", "End", "PgUp", "PgDn"};
        if (key >= K_UP && key <= K_PGDN)
                snprintf(buf, len, "%s", named[key - K_UP]);
        else if (key == K_TAB)
                snprintf(buf, len, "Tab");
        else if (key == K_ENTER)
                snprintf(buf, len, "Enter");
        else if (key == K_ESC)
                snprintf(buf, len, "Escape");
        else if (key == K_SPACE)
                snprintf(buf, len, "Space");
        else if (key >= 1 && key <= 26)
                snprintf(buf, len, "C-%c", 'a' + key - 1);
        else if (key > ' ' && key < 0x7f)
                snprintf(buf, len, "%c", key);
        else
                snprintf(buf, len, "0x%02x", key & 0xffff);
        return buf;
}

const char *keys_prefix(const struct console *c)
{
        static char buf[16];
        int k = c->keys.prefix_key;
        if (k >= 1 && k <= 26)
                snprintf(buf, sizeof(buf), "Ctrl-%c", 'a' + k - 1);
        else
                snprintf(buf, sizeof(buf), "Ctrl-b");
        return buf;
}

const char *keys_hint(const struct console *c, bool tmux)
{
        static char buf[96];
        if (tmux && c->keys.prefix_key == K_CTRL_B)
                snprintf(buf, sizeof(buf),
                         "In tmux: Ctrl-b Ctrl-b ? for keys (or NETLAB_PREFIX=C-a netlab attach)");
        else
                snprintf(buf, sizeof(buf), "Type help, or %s ? for keys.", keys_prefix(c));
        return buf;
}

void keys_attach_env(struct console *c, const char *env)
{
        if (!*env || !strncmp(env, "starter ", 8)) /* the console has the starter's env */
                return;
        bool tmux = strstr(env, "tmux=1") != NULL;
        const char *p = strstr(env, "prefix=");
        char tok[16] = "";
        if (p)
                sscanf(p + 7, "%15s", tok);
        int want = *tok ? key_parse_prefix(tok) : c->keys.lab_prefix;
        if (want < 0) {
                con_msg(c, true, "NETLAB_PREFIX=%s: not a Ctrl key (C-a to C-z); the prefix stays %s",
                        tok, keys_prefix(c));
                return;
        }
        if (want != c->keys.prefix_key && c->clients > 1) {
                char w[16];
                keycode_name(want, w, sizeof(w));
                con_msg(c, true,
                        "The prefix stays %s, not %s: %d terminals show this console (the prefix "
                        "follows NETLAB_PREFIX when one does)",
                        keys_prefix(c), w, c->clients);
                return;
        }
        if (want != c->keys.prefix_key) {
                c->keys.prefix_key = want;
                c->dirty = true;
                con_msg(c, false, "Prefix %s (%s). %s", keys_prefix(c),
                        *tok ? "NETLAB_PREFIX of this netlab attach" : "the lab's",
                        keys_hint(c, tmux));
        } else if (tmux && want == K_CTRL_B && !strstr(c->msg, "In tmux:")) {
                /* The banner still shown gets the tmux ending; else a message. */
                char *at = strstr(c->msg, "Type help, or Ctrl-b ? for keys.");
                if (!at) {
                        con_msg(c, false, "%s", keys_hint(c, tmux));
                        return;
                }
                snprintf(at, sizeof(c->msg) - (size_t)(at - c->msg), "%s", keys_hint(c, tmux));
                con_log(c, "%s", c->msg);
                c->dirty = true;
        }
}

int key_parse_prefix(const char *s)
{
        if (s && strlen(s) == 3 && s[0] == 'C' && s[1] == '-' && s[2] >= 'a' && s[2] <= 'z')
                return s[2] - 'a' + 1;
        return -1;
}

/* ---- actions ---- */

void keys_confirm(struct console *c, void (*fn)(struct console *c, int arg), int arg,
                  const char *question)
{
        c->keys.confirm = fn;
        c->keys.confirm_arg = arg;
        con_msg(c, false, "%s (y/n)", question);
}

static void confirm_key(struct console *c, int key)
{
        void (*fn)(struct console *, int) = c->keys.confirm;
        c->keys.confirm = NULL;
        if (key == 'y' || key == 'Y')
                fn(c, c->keys.confirm_arg);
        else
                con_msg(c, false, "Cancelled");
}

/* The node a split's shell runs in: the active shell's, else the graph's selection. */
static int active_node(struct console *c)
{
        return c->panes[c->active].kind == P_TERM ? c->panes[c->active].node : c->sel;
}

/* The command line opened from the active pane: a shell gets the keys back
 * after Enter, Escape or Ctrl-C (keys.h's cmd_back). */
static void cmdline_open(struct console *c)
{
        c->keys.cmd_back = pane_takes_typing(&c->panes[c->active]) ? c->active + 1 : 0;
        c->focus_cmd = true;
}

/* The keys back to the shell the command line came from, if it is still
 * the active pane; false when there is none. */
static bool cmdline_back(struct console *c)
{
        int back = c->keys.cmd_back - 1;
        c->keys.cmd_back = 0;
        if (back < 0 || back != c->active || !c->panes[back].used ||
            !pane_takes_typing(&c->panes[back]))
                return false;
        c->focus_cmd = false;
        c->dirty = true;
        return true;
}

static void k_cmdline(struct console *c, int key)
{
        (void)key;
        cmdline_open(c);
        c->find_back = false;
}

/* /: the command line, with "select " typed: a node name (Tab completes it)
 * selects the node and the graph jumps to it, in a lab of any size. */
static void k_graph_find(struct console *c, int key)
{
        (void)key;
        c->keys.cmd_back = 0;
        c->focus_cmd = true;
        c->find_back = true; /* Enter selects and gives the keys back to the graph */
        rl_set_line("select ");
}

static void back_to_graph(struct console *c)
{
        struct pane *p = &c->panes[c->active];
        if (pane_takes_typing(p) && !c->find_back)
                return; /* a shell made active by the line keeps the pane */
        if (p->kind != P_GRAPH) {
                struct rect r;
                if (c->graph_pane < 0 || !layout_rect(&c->lay, c->graph_pane, &r))
                        return; /* no graph on the screen */
                c->active = c->graph_pane;
        }
        c->focus_cmd = false;
        c->dirty = true;
}

void keys_line_done(struct console *c, bool selected)
{
        if (!cmdline_back(c) && (c->find_back || selected))
                back_to_graph(c);
        c->find_back = false;
}

static void k_help(struct console *c, int key)
{
        (void)key;
        c->keys.help = !c->keys.help;
        c->keys.help_top = 0;
}

/* c: a shell in the graph's selected node, placed as `term` places it. */
static void k_term(struct console *c, int key)
{
        if (cmdwork_refuse(c)) /* the lab is the command worker's */
                return;
        (void)key;
        char err[ERRLEN];
        if (con_open_term(c, c->sel, err) < 0)
                con_msg(c, true, "%s", err);
}

/* % and ": split the active pane, as tmux does. */
static void k_split(struct console *c, int key)
{
        if (cmdwork_refuse(c)) /* the lab is the command worker's */
                return;
        char err[ERRLEN];
        enum lay_kind dir = key == '%' ? LAY_H : LAY_V;
        if (con_open_term_at(c, active_node(c), c->active, dir, err) < 0)
                con_msg(c, true, "%s", err);
}

static void k_next_pane(struct console *c, int key)
{
        (void)key;
        c->active = layout_cycle(&c->lay, c->active, 1);
        c->focus_cmd = false;
}

static void k_prev_pane(struct console *c, int key)
{
        (void)key;
        c->active = layout_cycle(&c->lay, c->active, -1);
        c->focus_cmd = false;
}

static void k_pane_dir(struct console *c, int key)
{
        int dx = key == K_RIGHT ? 1 : key == K_LEFT ? -1 : 0;
        int dy = key == K_DOWN ? 1 : key == K_UP ? -1 : 0;
        int nb = layout_neighbour(&c->lay, c->active, dx, dy);
        if (nb >= 0) {
                c->active = nb;
                c->focus_cmd = false;
        }
}

static void k_zoom(struct console *c, int key)
{
        (void)key;
        layout_zoom(&c->lay, c->active);
        pane_apply_sizes(c);
}

static void close_confirmed(struct console *c, int id)
{
        if (id >= 0 && id < MAXPANES && c->panes[id].used)
                con_close_pane(c, id, "Pane closed");
}

/* x: closes the pane, asking first when a program runs in it (tmux asks always). */
static void k_close(struct console *c, int key)
{
        (void)key;
        char prog[64], q[160];
        if (c->active == c->graph_pane) {
                con_msg(c, true, "The graph pane stays (%s z zooms another pane)", keys_prefix(c));
        } else if (pane_running(c, c->active, prog, sizeof(prog))) {
                snprintf(q, sizeof(q), "Kill pane %d (%s is running in %s)?",
                         pane_number(c, c->active), prog, c->panes[c->active].title);
                keys_confirm(c, close_confirmed, c->active, q);
        } else {
                con_close_pane(c, c->active, "Pane closed");
        }
}

/* A pane without text (the graph) has no copy mode: say so, and which
 * pane has one, rather than leave the next q to the command line. */
static void k_copy_mode(struct console *c, int key)
{
        (void)key;
        static const char *kind[] = {[P_GRAPH] = "the graph", [P_INSPECT] = "the inspector",
                                     [P_EXP] = "the experiments pane", [P_PLOT] = "a plot"};
        const struct pane *a = &c->panes[c->active];
        if (a->vt) {
                copy_enter(c, c->active);
                return;
        }
        const char *what = a->kind < sizeof(kind) / sizeof(kind[0]) && kind[a->kind]
                               ? kind[a->kind]
                               : "this pane";
        int ids[MAXPANES];
        int np = layout_panes(&c->lay, ids, MAXPANES);
        for (int k = 0; k < np; k++)
                if (c->panes[ids[k]].vt) {
                        con_msg(c, true, "copy mode needs a text pane, not %s: %s q %d (%s) or %s o",
                                what, keys_prefix(c), pane_number(c, ids[k]),
                                c->panes[ids[k]].title, keys_prefix(c));
                        return;
                }
        con_msg(c, true, "copy mode needs a text pane, not %s: term NODE opens a shell", what);
}

static void k_graph(struct console *c, int key)
{
        (void)key;
        c->active = c->graph_pane;
        c->focus_cmd = false;
}

static void k_next_node(struct console *c, int key)
{
        if (cmdwork_refuse(c)) /* the lab is the command worker's */
                return;
        (void)key;
        if (c->lab->nnodes > 0)
                con_select_node(c, (c->sel + 1) % c->lab->nnodes);
}

static void k_prev_node(struct console *c, int key)
{
        if (cmdwork_refuse(c)) /* the lab is the command worker's */
                return;
        (void)key;
        if (c->lab->nnodes > 0)
                con_select_node(c, (c->sel + c->lab->nnodes - 1) % c->lab->nnodes);
}

static void k_resize(struct console *c, int key)
{
        char err[ERRLEN];
        bool wide = key == '<' || key == '>';
        int delta = key == '>' ? 4 : key == '<' ? -4 : key == '+' ? 2 : -2;
        if (layout_resize(&c->lay, c->active, wide ? LAY_H : LAY_V, delta, err) < 0)
                con_msg(c, true, "%s", err);
        pane_apply_sizes(c);
}

static void quit_confirmed(struct console *c, int arg)
{
        (void)arg;
        c->quit = true;
}

/* &: leaves netlab, after a question (tmux's kill-window asks too). */
static void k_quit(struct console *c, int key)
{
        (void)key;
        char q[200];
        int n = con_running_shells(c);
        char others[64] = "";
        if (c->clients > 1)
                snprintf(others, sizeof(others), " (%d terminals show it; d detaches)",
                         c->clients);
        snprintf(q, sizeof(q), "Quit netlab%s%s%s?",
                 c->keep || !c->built ? "" : ", tearing the lab down",
                 n ? " and closing its shells" : "", others);
        keys_confirm(c, quit_confirmed, 0, q);
}

/* q: each pane shows its number for a second; a digit then selects that pane. */
/* prefix d: leave the console, the lab and its shells running (tmux's
 * detach); the lab server detaches the terminal that typed it. */
static void k_detach(struct console *c, int key)
{
        (void)key;
        if (server_tell("detach") < 0)
                con_msg(c, true, "This console has no lab server (NETLAB_NO_SERVER is set): it "
                                 "cannot detach");
}

static void k_numbers(struct console *c, int key)
{
        (void)key;
        c->keys.numbers_until = monotime_ms() + 1500;
}

static void k_rename(struct console *c, int key)
{
        (void)key;
        cmdline_open(c);
        rl_set_line("rename ");
}

static void k_sync(struct console *c, int key)
{
        (void)key;
        pane_set_sync(c, !c->sync);
}

static void k_paste(struct console *c, int key)
{
        (void)key;
        char err[ERRLEN];
        if (copy_paste(c, c->active, err) < 0)
                con_msg(c, true, "%s", err);
}

/* The graph: the node nearest in the arrow's direction. */
static void k_graph_move(struct console *c, int key)
{
        if (cmdwork_refuse(c)) /* the lab is the command worker's */
                return;
        if (!c->gn || c->lab->nnodes == 0)
                return;
        int dx = key == K_RIGHT ? 1 : key == K_LEFT ? -1 : 0;
        int dy = key == K_DOWN ? 1 : key == K_UP ? -1 : 0;
        const struct gl_node *s = &c->gn[c->sel];
        int best = -1;
        long bestd = 0;
        for (int i = 0; i < c->lab->nnodes; i++) {
                if (i == c->sel || !lab_node_live(c->lab, i))
                        continue;
                long ddx = (c->gn[i].x + c->gn[i].w / 2) - (s->x + s->w / 2);
                long ddy = (c->gn[i].y - s->y) * 3;
                if ((dx > 0 && ddx <= 0) || (dx < 0 && ddx >= 0) || (dy > 0 && ddy <= 0) ||
                    (dy < 0 && ddy >= 0))
                        continue;
                long d = dx ? ddx * ddx + 4 * ddy * ddy : ddy * ddy + 4 * ddx * ddx;
                if (best < 0 || d < bestd) {
                        best = i;
                        bestd = d;
                }
        }
        if (best >= 0)
                con_select_node(c, best);
}

static void k_graph_term(struct console *c, int key)
{
        if (cmdwork_refuse(c)) /* the lab is the command worker's */
                return;
        (void)key;
        char err[ERRLEN];
        if (con_open_term(c, c->sel, err) < 0)
                con_msg(c, true, "%s", err);
}

/* The graph: moving the view over a graph larger than the pane, by cells
 * (H J K L) or by pages (a page: the pane less a margin). */
static void k_graph_pan(struct console *c, int key)
{
        if (cmdwork_refuse(c)) /* the lab is the command worker's */
                return;
        static const struct {
                int key, dx, dy; /* cells, or pages when page */
                bool page;
        } pans[] = {
            {'H', -8, 0, false},   {'L', 8, 0, false},     {'K', 0, -2, false},
            {'J', 0, 2, false},    {K_PGUP, 0, -1, true},  {K_PGDN, 0, 1, true},
            {K_HOME, -1, 0, true}, {K_END, 1, 0, true},
        };
        int pw = c->gv.w > 8 ? c->gv.w - 4 : 4, ph = c->gv.h > 4 ? c->gv.h - 2 : 2;
        for (size_t i = 0; i < sizeof(pans) / sizeof(pans[0]); i++)
                if (pans[i].key == key)
                        graph_pan(c, pans[i].dx * (pans[i].page ? pw : 1),
                                  pans[i].dy * (pans[i].page ? ph : 1));
}

/* The inspector and the experiments pane: their lines scroll. */
static void k_panel_scroll(struct console *c, int key)
{
        struct pane *p = &c->panes[c->active];
        int page = p->rows > 3 ? p->rows - 2 : 1;
        if (key == K_END) {
                p->scroll = INT_MAX / 2; /* the end, clamped when painted (lines may grow) */
                return;
        }
        if (p->scroll > p->lines - p->rows) /* from where the last paint put it */
                p->scroll = p->lines - p->rows;
        p->scroll += key == K_UP     ? -1
                     : key == K_DOWN ? 1
                     : key == K_PGUP ? -page
                     : key == K_PGDN ? page
                                     : -p->scroll; /* K_HOME */
        if (p->scroll > p->lines - p->rows)
                p->scroll = p->lines - p->rows;
        if (p->scroll < 0)
                p->scroll = 0;
}

/* ---- the tables ---- */

static const struct key_binding prefix_keys[] = {
    {':', "command line", k_cmdline},
    {'?', "this help", k_help},
    {'c', "shell in the node selected in the graph", k_term},
    {'%', "split the pane side by side (new shell)", k_split},
    {'"', "split the pane, new one below (new shell)", k_split},
    {'o', "next pane", k_next_pane},
    {K_TAB, "next pane", k_next_pane},
    {';', "previous pane", k_prev_pane},
    {'O', "previous pane", k_prev_pane},
    {K_UP, "the pane in that direction", k_pane_dir},
    {K_DOWN, "the pane in that direction", k_pane_dir},
    {K_LEFT, "the pane in that direction", k_pane_dir},
    {K_RIGHT, "the pane in that direction", k_pane_dir},
    {'z', "zoom the pane (again: unzoom)", k_zoom},
    {'x', "close the pane", k_close},
    {'[', "copy mode: scroll back, search, copy", k_copy_mode},
    {']', "paste the copied text into the pane", k_paste},
    {'q', "show pane numbers (then a digit picks one)", k_numbers},
    {',', "rename the pane", k_rename},
    {'S', "synchronize panes: type into all shells", k_sync},
    {'g', "the graph pane", k_graph},
    {'n', "next node", k_next_node},
    {'p', "previous node", k_prev_node},
    {'<', "resize the pane: narrower / wider", k_resize},
    {'>', "resize the pane: narrower / wider", k_resize},
    {'+', "resize the pane: taller / shorter", k_resize},
    {'-', "resize the pane: taller / shorter", k_resize},
    {'d', "detach (the lab runs on; netlab attach LAB)", k_detach},
    {'&', "quit netlab (asks first; or type quit)", k_quit},
    {K_NONE, NULL, NULL},
};

static const struct key_binding graph_keys[] = {
    {K_UP, "select the node in that direction", k_graph_move},
    {K_DOWN, "select the node in that direction", k_graph_move},
    {K_LEFT, "select the node in that direction", k_graph_move},
    {K_RIGHT, "select the node in that direction", k_graph_move},
    {K_TAB, "select the next node", k_next_node},
    {K_ENTER, "shell in the selected node", k_graph_term},
    {'H', "pan the view left, right, up, down", k_graph_pan},
    {'L', "pan the view left, right, up, down", k_graph_pan},
    {'K', "pan the view left, right, up, down", k_graph_pan},
    {'J', "pan the view left, right, up, down", k_graph_pan},
    {K_PGUP, "pan a page up, down, left, right", k_graph_pan},
    {K_PGDN, "pan a page up, down, left, right", k_graph_pan},
    {K_HOME, "pan a page up, down, left, right", k_graph_pan},
    {K_END, "pan a page up, down, left, right", k_graph_pan},
    {'/', "find a node: select NAME (Tab completes)", k_graph_find},
    {K_NONE, NULL, NULL},
};

static const struct key_binding panel_keys[] = {
    {K_UP, "scroll a line", k_panel_scroll},
    {K_DOWN, "scroll a line", k_panel_scroll},
    {K_PGUP, "scroll a page", k_panel_scroll},
    {K_PGDN, "scroll a page", k_panel_scroll},
    {K_HOME, "the first / last line", k_panel_scroll},
    {K_END, "the first / last line", k_panel_scroll},
    {K_NONE, NULL, NULL},
};

const struct key_table key_tables[] = {
    {"prefix", "keys after the prefix", prefix_keys},
    {"graph", "in the graph pane", graph_keys},
    {"panel", "in the inspector and the experiments pane", panel_keys},
    {"copy", "in copy mode (arrows in the output pane enter it)", copy_keys},
    {NULL, NULL, NULL},
};

static bool key_run(struct console *c, const struct key_binding *b, int key)
{
        for (; b->action; b++)
                if (b->key == key) {
                        b->action(c, key);
                        c->dirty = true;
                        return true;
                }
        return false;
}

/* ---- the mouse ---- */

static int pane_at(struct console *c, int x, int y, struct rect *out)
{
        int ids[MAXPANES];
        int n = layout_panes(&c->lay, ids, MAXPANES);
        for (int k = 0; k < n; k++) {
                struct rect r;
                if (layout_rect(&c->lay, ids[k], &r) && x >= r.x && x < r.x + r.w && y >= r.y &&
                    y < r.y + r.h) {
                        *out = r;
                        return ids[k];
                }
        }
        return -1;
}

/* The node drawn at (x, y) in the graph pane at r (its title row on top), -1. */
static int node_at(struct console *c, struct rect r, int x, int y)
{
        for (int i = 0; c->gn && i < c->lab->nnodes; i++) {
                const struct gl_node *g = &c->gn[i];
                int ny = r.y + 1 + g->y - c->gv.gy, nx = r.x + g->x - c->gv.gx;
                if (lab_node_live(c->lab, i) && y == ny && x >= nx && x < nx + g->w)
                        return i;
        }
        return -1;
}

/* A click focuses the pane under it (or the command line) and selects the
 * node under it in the graph; the wheel scrolls the pane under it (a shell
 * or the output pane enters copy mode, as in tmux). */
static void mouse(struct console *c, const struct mouse_ev *m)
{
        int b = m->b & ~(4 | 8 | 16);
        if (m->release || (b & 32))
                return;
        struct rect r = {0}; /* set by pane_at when it finds a pane */
        int id = pane_at(c, m->x, m->y, &r);
        c->dirty = true;
        if (b & 64) {
                int dir = (b & 1) ? -1 : 1; /* 64 up (back), 65 down */
                if (id < 0)
                        return;
                struct pane *p = &c->panes[id];
                if (p->vt) {
                        copy_scroll_view(c, id, 3 * dir);
                } else if (p->kind == P_GRAPH) {
                        graph_pan(c, 0, -2 * dir);
                } else {
                        p->scroll -= 3 * dir;
                        if (p->scroll > p->lines - p->rows)
                                p->scroll = p->lines - p->rows;
                        if (p->scroll < 0)
                                p->scroll = 0;
                }
                return;
        }
        if ((b & 3) != 0)
                return;
        if (m->y == LINES - 1) {
                cmdline_open(c);
                return;
        }
        if (id < 0)
                return;
        c->active = id;
        c->focus_cmd = false;
        if (c->panes[id].kind == P_GRAPH && !cmdwork_refuse(c)) {
                int node = node_at(c, r, m->x, m->y);
                if (node >= 0)
                        con_select_node(c, node);
        }
}

/* ---- dispatch ---- */

static void prefix_dispatch(struct console *c, int key)
{
        if (key_run(c, prefix_keys, key))
                return;
        if (key == c->keys.prefix_key && c->panes[c->active].fd >= 0) {
                unsigned char b = (unsigned char)key;
                pane_write(&c->panes[c->active], (const char *)&b, 1);
        }
}

/* Bytes for the program in a terminal pane; cursor keys go through libvterm
 * (application mode aware). */
static void term_input_one(struct pane *p, const unsigned char *s, size_t n)
{
        size_t k = 0;
        while (k < n) {
                if (s[k] == K_ESC) {
                        int key;
                        size_t l = key_read(s + k, n - k, &key);
                        if (key >= K_UP && key <= K_END)
                                vt_key(p->vt, key - K_UP);
                        else
                                pane_write(p, (const char *)s + k, l);
                        k += l;
                        continue;
                }
                size_t m = k;
                while (m < n && s[m] != K_ESC)
                        m++;
                pane_write(p, (const char *)s + k, m - k);
                k = m;
        }
        p->scroll = 0;
}

/* To the active shell, or to every shell while panes are synchronized. */
static void term_input(struct console *c, const unsigned char *s, size_t n)
{
        if (!c->sync) {
                term_input_one(&c->panes[c->active], s, n);
                return;
        }
        for (int i = 0; i < MAXPANES; i++)
                if (c->panes[i].used && pane_takes_typing(&c->panes[i]) && c->panes[i].fd >= 0 &&
                    !c->panes[i].copy)
                        term_input_one(&c->panes[i], s, n);
}

void keys_input(struct console *c, const unsigned char *s, size_t n)
{
        size_t i = 0;
        while (i < n) {
                int key;
                if (c->keys.confirm) {
                        i += key_read(s + i, n - i, &key);
                        confirm_key(c, key);
                        c->dirty = true;
                        continue;
                }
                if (c->keys.numbers_until) {
                        c->keys.numbers_until = 0;
                        c->dirty = true;
                        key_read(s + i, n - i, &key);
                        int id = key >= '0' && key <= '9' ? pane_by_number(c, key - '0') : -1;
                        if (id >= 0) {
                                c->active = id;
                                c->focus_cmd = false;
                                i++;
                                continue;
                        }
                }
                if (c->keys.help) {
                        i += key_read(s + i, n - i, &key);
                        help_key(c, key);
                        continue;
                }
                if (c->copy.typing) {
                        i += key_read(s + i, n - i, &key);
                        copy_search_key(c, key);
                        c->dirty = true;
                        continue;
                }
                if (c->keys.prefix) {
                        c->keys.prefix = false;
                        i += key_read(s + i, n - i, &key);
                        prefix_dispatch(c, key);
                        c->dirty = true;
                        continue;
                }
                if (s[i] == c->keys.prefix_key) {
                        c->keys.prefix = true;
                        c->dirty = true;
                        i++;
                        continue;
                }
                struct mouse_ev mev;
                if (key_mouse(s + i, n - i, &mev)) {
                        i += key_read(s + i, n - i, &key);
                        mouse(c, &mev);
                        continue;
                }
                /* A run of bytes up to the next prefix key or mouse report. */
                size_t j = i;
                while (j < n && s[j] != c->keys.prefix_key &&
                       !(j > i && s[j] == K_ESC && j + 2 < n && s[j + 1] == '[' && s[j + 2] == '<'))
                        j++;
                struct pane *p = &c->panes[c->active];
                /* Ctrl-C outside a terminal pane stops what the command line
                 * started (a terminal pane's program gets its own). */
                bool shell = pane_takes_typing(p);
                if (c->focus_cmd || !shell || p->copy) {
                        size_t k = i;
                        while (k < j && s[k] != K_CTRL_C)
                                k++;
                        if (k == i) {
                                /* From a shell, Ctrl-C cancels a typed line as
                                 * tmux's prompt does; on an empty one it still
                                 * stops what the command line started. */
                                bool typed = c->focus_cmd && *rl_line_text();
                                bool back = false;
                                if (c->focus_cmd) {
                                        rl_set_line("");
                                        back = cmdline_back(c);
                                }
                                if (!(back && typed))
                                        script_interrupt(c);
                                c->dirty = true;
                                i++;
                                continue;
                        }
                        j = k;
                }
                /* Escape alone (a key, not the start of a sequence, which a
                 * terminal sends whole) cancels the command line, as tmux's
                 * prompt does; readline would wait for a meta key. */
                if (c->focus_cmd && j - i == 1 && s[i] == K_ESC) {
                        rl_set_line("");
                        if (!cmdline_back(c) && shell)
                                c->focus_cmd = false;
                        c->dirty = true;
                        i = j;
                        continue;
                }
                if (c->focus_cmd) {
                        rl_feed(c, s + i, j - i);
                        i = j;
                        continue;
                }
                if (shell && !p->copy) {
                        term_input(c, s + i, j - i);
                        i = j;
                        continue;
                }
                size_t l = key_read(s + i, j - i, &key);
                if (p->vt && (p->copy || (!shell && key >= K_UP))) {
                        copy_enter(c, c->active);   /* output and logs: named keys enter it */
                        key_run(c, copy_keys, key); /* other keys do nothing in copy mode */
                        c->dirty = true;
                        i += l;
                        continue;
                }
                if (p->kind == P_GRAPH && key_run(c, graph_keys, key)) {
                        i += l;
                        continue;
                }
                if ((p->kind == P_INSPECT || p->kind == P_EXP) && key_run(c, panel_keys, key)) {
                        i += l;
                        continue;
                }
                if (key >= K_UP) { /* a named key nothing takes */
                        i += l;
                        continue;
                }
                /* Anything else starts a command. */
                c->keys.cmd_back = 0;
                c->focus_cmd = true;
                c->dirty = true;
        }
}
