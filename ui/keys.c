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
#include "help.h"
#include <stdio.h>
#include <string.h>

/* ---- key codes ---- */

size_t key_read(const unsigned char *s, size_t n, int *key)
{
        *key = s[0];
        if (s[0] != K_ESC || n < 2 || (s[1] != '[' && s[1] != 'O'))
                return 1;
        *key = K_UNKNOWN;
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
        static const char *named[] = {"Up",   "Down", "Right", "Left",
                                      "Home", "End",  "PgUp",  "PgDn"};
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

int key_parse_prefix(const char *s)
{
        if (s && strlen(s) == 3 && s[0] == 'C' && s[1] == '-' && s[2] >= 'a' && s[2] <= 'z')
                return s[2] - 'a' + 1;
        return -1;
}

/* ---- actions ---- */

static int active_node(struct console *c)
{
        return c->panes[c->active].kind == P_TERM ? c->panes[c->active].node : c->sel;
}

static void k_cmdline(struct console *c, int key)
{
        (void)key;
        c->focus_cmd = true;
}

static void k_help(struct console *c, int key)
{
        (void)key;
        c->keys.help = !c->keys.help;
        c->keys.help_top = 0;
}

static void k_term(struct console *c, int key)
{
        char err[ERRLEN];
        enum lay_kind dir = key == '%' ? LAY_H : key == '"' ? LAY_V : 0;
        if (con_open_term_dir(c, active_node(c), dir, err) < 0)
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

static void k_close(struct console *c, int key)
{
        (void)key;
        if (c->active == c->graph_pane)
                con_msg(c, true, "The graph pane stays (Ctrl-b z zooms another pane)");
        else
                con_close_pane(c, c->active, "Pane closed");
}

static void k_copy_mode(struct console *c, int key)
{
        (void)key;
        if (c->panes[c->active].vt) {
                c->panes[c->active].copy = true;
                c->focus_cmd = false;
        }
}

static void k_graph(struct console *c, int key)
{
        (void)key;
        c->active = c->graph_pane;
        c->focus_cmd = false;
}

static void k_next_node(struct console *c, int key)
{
        (void)key;
        if (c->lab->nnodes > 0)
                con_select_node(c, (c->sel + 1) % c->lab->nnodes);
}

static void k_prev_node(struct console *c, int key)
{
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

static void k_quit(struct console *c, int key)
{
        (void)key;
        con_exec_line(c, "quit");
}

/* The graph: the node nearest in the arrow's direction. */
static void k_graph_move(struct console *c, int key)
{
        if (!c->gn || c->lab->nnodes == 0)
                return;
        int dx = key == K_RIGHT ? 1 : key == K_LEFT ? -1 : 0;
        int dy = key == K_DOWN ? 1 : key == K_UP ? -1 : 0;
        const struct gl_node *s = &c->gn[c->sel];
        int best = -1;
        long bestd = 0;
        for (int i = 0; i < c->lab->nnodes; i++) {
                if (i == c->sel || c->lab->nodes[i].deleted)
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
        (void)key;
        char err[ERRLEN];
        if (con_open_term(c, c->sel, err) < 0)
                con_msg(c, true, "%s", err);
}

/* The graph: moving the view over a graph larger than the pane. */
static void k_graph_pan(struct console *c, int key)
{
        int pw = c->gv.w > 8 ? c->gv.w - 4 : 4, ph = c->gv.h > 4 ? c->gv.h - 2 : 2;
        switch (key) {
        case 'H':
                graph_pan(c, -8, 0);
                break;
        case 'L':
                graph_pan(c, 8, 0);
                break;
        case 'K':
                graph_pan(c, 0, -2);
                break;
        case 'J':
                graph_pan(c, 0, 2);
                break;
        case K_PGUP:
                graph_pan(c, 0, -ph);
                break;
        case K_PGDN:
                graph_pan(c, 0, ph);
                break;
        case K_HOME:
                graph_pan(c, -pw, 0);
                break;
        case K_END:
                graph_pan(c, pw, 0);
                break;
        }
}

/* The inspector and the experiments pane: their lines scroll. */
static void k_panel_scroll(struct console *c, int key)
{
        struct pane *p = &c->panes[c->active];
        int page = p->rows > 3 ? p->rows - 2 : 1;
        p->scroll += key == K_UP     ? -1
                     : key == K_DOWN ? 1
                     : key == K_PGUP ? -page
                     : key == K_PGDN ? page
                     : key == K_HOME ? -p->scroll
                                     : p->lines;
        if (p->scroll > p->lines - p->rows)
                p->scroll = p->lines - p->rows;
        if (p->scroll < 0)
                p->scroll = 0;
}

/* Copy mode: scrolling back through the active pane's history. */
static void copy_scroll(struct console *c, int delta, bool to_end)
{
        struct pane *p = &c->panes[c->active];
        int max = vt_scrollback(p->vt);
        if (to_end)
                p->scroll = delta > 0 ? max : 0;
        else
                p->scroll += delta;
        if (p->scroll > max)
                p->scroll = max;
        if (p->scroll < 0)
                p->scroll = 0;
}

static int copy_page(struct console *c)
{
        int rows = c->panes[c->active].rows;
        return rows > 2 ? rows - 1 : 1;
}

static void k_copy_up(struct console *c, int key)
{
        (void)key;
        copy_scroll(c, 1, false);
}

static void k_copy_down(struct console *c, int key)
{
        (void)key;
        copy_scroll(c, -1, false);
}

static void k_copy_pgup(struct console *c, int key)
{
        (void)key;
        copy_scroll(c, copy_page(c), false);
}

static void k_copy_pgdn(struct console *c, int key)
{
        (void)key;
        copy_scroll(c, -copy_page(c), false);
}

static void k_copy_top(struct console *c, int key)
{
        (void)key;
        copy_scroll(c, 1, true);
}

static void k_copy_bottom(struct console *c, int key)
{
        (void)key;
        copy_scroll(c, -1, true);
}

static void k_copy_leave(struct console *c, int key)
{
        (void)key;
        c->panes[c->active].scroll = 0;
        c->panes[c->active].copy = false;
}

/* ---- the tables ---- */

static const struct key_binding prefix_keys[] = {
    {':', "command line", k_cmdline},
    {'?', "this help", k_help},
    {'c', "shell in the pane's node or the selected one", k_term},
    {'%', "split side by side (new shell)", k_term},
    {'"', "split below (new shell)", k_term},
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
    {'[', "copy mode: scroll back", k_copy_mode},
    {'g', "the graph pane", k_graph},
    {'n', "next node", k_next_node},
    {'p', "previous node", k_prev_node},
    {'<', "resize the pane: narrower / wider", k_resize},
    {'>', "resize the pane: narrower / wider", k_resize},
    {'+', "resize the pane: taller / shorter", k_resize},
    {'-', "resize the pane: taller / shorter", k_resize},
    {'q', "quit", k_quit},
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

static const struct key_binding copy_keys[] = {
    {K_UP, "one line back", k_copy_up},
    {'k', "one line back", k_copy_up},
    {K_DOWN, "one line forward", k_copy_down},
    {'j', "one line forward", k_copy_down},
    {K_PGUP, "one page back", k_copy_pgup},
    {'b', "one page back", k_copy_pgup},
    {K_CTRL_B, "one page back", k_copy_pgup},
    {K_PGDN, "one page forward", k_copy_pgdn},
    {K_SPACE, "one page forward", k_copy_pgdn},
    {'f', "one page forward", k_copy_pgdn},
    {K_CTRL_F, "one page forward", k_copy_pgdn},
    {'g', "the oldest line", k_copy_top},
    {K_HOME, "the oldest line", k_copy_top},
    {'G', "the newest line", k_copy_bottom},
    {K_END, "the newest line", k_copy_bottom},
    {'q', "leave copy mode", k_copy_leave},
    {K_ESC, "leave copy mode", k_copy_leave},
    {K_NONE, NULL, NULL},
};

const struct key_table key_tables[] = {
    {"prefix", "keys after the prefix", prefix_keys},
    {"graph", "in the graph pane", graph_keys},
    {"panel", "in the inspector and the experiments pane", panel_keys},
    {"copy", "in copy mode and the output pane", copy_keys},
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
static void term_input(struct pane *p, const unsigned char *s, size_t n)
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

void keys_input(struct console *c, const unsigned char *s, size_t n)
{
        size_t i = 0;
        while (i < n) {
                int key;
                if (c->keys.help) {
                        i += key_read(s + i, n - i, &key);
                        help_key(c, key);
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
                /* A run of bytes up to the next prefix key. */
                size_t j = i;
                while (j < n && s[j] != c->keys.prefix_key)
                        j++;
                struct pane *p = &c->panes[c->active];
                if (c->focus_cmd) {
                        rl_feed(c, s + i, j - i);
                        i = j;
                        continue;
                }
                if (p->kind == P_TERM && !p->copy) {
                        term_input(p, s + i, j - i);
                        i = j;
                        continue;
                }
                size_t l = key_read(s + i, j - i, &key);
                if (p->vt && (p->copy || (p->kind == P_OUTPUT && (key >= K_UP || key == 'q')))) {
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
                c->focus_cmd = true;
                c->dirty = true;
        }
}
