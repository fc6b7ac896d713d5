/* draw.c — painting the console: title bar, panes (graph, inspector,
 * experiments, terminals, output), message line, command line, help.
 *
 * Everything is painted into stdscr and sent with one doupdate(); curses
 * sends only the cells that changed. The graph is laid out by glayout.c
 * (only when the lab or the graph pane's width changes) and painted by
 * graph.c. */
#include "console.h"
#include "help.h"
#include "plotpane.h"
#include "monotime.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include <curses.h>

static int pair(short fg, short bg)
{
        if (!has_colors())
                return 0;
        int p = alloc_pair(fg, bg);
        return p < 0 ? 0 : p;
}

static attr_t color(short fg)
{
        return (attr_t)COLOR_PAIR(pair(fg, -1));
}

int put_str(int y, int x, int w, const char *s, attr_t a)
{
        if (w <= 0)
                return 0;
        attr_t old;
        short op;
        attr_get(&old, &op, NULL);
        attrset(a);
        move(y, x);
        int used = 0;
        mbstate_t st;
        memset(&st, 0, sizeof(st));
        size_t n = strlen(s), i = 0;
        while (i < n && used < w) {
                wchar_t wc;
                size_t l = mbrtowc(&wc, s + i, n - i, &st);
                if (l == (size_t)-1 || l == (size_t)-2 || l == 0) {
                        wc = L'?';
                        l = 1;
                        memset(&st, 0, sizeof(st));
                }
                int cw = wcwidth(wc);
                if (cw < 0)
                        cw = 1, wc = L'?';
                if (used + cw > w)
                        break;
                wchar_t ws[2] = {wc, 0};
                addnwstr(ws, 1);
                used += cw;
                i += l;
        }
        attrset(old);
        return used;
}

int str_cells(const char *s)
{
        mbstate_t st;
        memset(&st, 0, sizeof(st));
        size_t n = strlen(s), i = 0;
        int cells = 0;
        while (i < n) {
                wchar_t wc;
                size_t l = mbrtowc(&wc, s + i, n - i, &st);
                if (l == (size_t)-1 || l == (size_t)-2 || l == 0) {
                        l = 1;
                        memset(&st, 0, sizeof(st));
                        cells++;
                } else {
                        int cw = wcwidth(wc);
                        cells += cw < 0 ? 1 : cw;
                }
                i += l;
        }
        return cells;
}

/* How each node kind (src/kind.h) looks on the graph. A kind not listed
 * here is drawn as the last row says. */
static const struct kind_style {
        const char *kind;     /* the kind's name */
        const char *brackets; /* around the node's name */
        short colour;
        bool end; /* an end node: laid out as a leaf when it has one link */
} kind_styles[] = {
    {"host", "[]", COLOR_CYAN, true},
    {"switch", "<>", COLOR_YELLOW, false},
    {"router", "()", COLOR_MAGENTA, false},
    {NULL, "[]", COLOR_CYAN, false},
};

static const struct kind_style *kind_style(const struct node_kind *k)
{
        const struct kind_style *s = kind_styles;
        while (s->kind && strcmp(s->kind, k->name) != 0)
                s++;
        return s;
}

const char *node_label_fmt(const struct node_kind *k)
{
        return kind_style(k)->brackets;
}

short node_kind_colour(const struct node_kind *k)
{
        return kind_style(k)->colour;
}

void draw_relayout_graph(struct console *c, int width)
{
        struct lab *lab = c->lab;
        free(c->gn);
        free(c->ge);
        c->gn = calloc((size_t)(lab->nnodes > 0 ? lab->nnodes : 1), sizeof(*c->gn));
        c->ge = calloc((size_t)(lab->nlinks > 0 ? lab->nlinks : 1), sizeof(*c->ge));
        if (!c->gn || !c->ge)
                return;
        c->gv.kinds = 0;
        for (int i = 0; i < lab->nnodes; i++) {
                c->gn[i].end = kind_style(lab->nodes[i].kind)->end;
                c->gn[i].w = (int)strlen(lab->nodes[i].name) + 2;
                for (int k = 0; lab_node_live(lab, i) && node_kinds[k] && k < 32; k++)
                        if (node_kinds[k] == lab->nodes[i].kind)
                                c->gv.kinds |= 1u << k;
        }
        for (int l = 0; l < lab->nlinks; l++) {
                bool live = lab_link_live(lab, l); /* glayout skips a = -1 */
                c->ge[l].a = live ? lab->ifaces[lab->links[l].a].node : -1;
                c->ge[l].b = live ? lab->ifaces[lab->links[l].b].node : -1;
        }
        glayout(c->gn, lab->nnodes, c->ge, lab->nlinks, width, &c->gres);
        c->gv.layout_gen++;
        c->glayout_w = width;
        c->gv.nnodes = lab->nnodes;
        c->gv.nlinks = lab->nlinks;
}

int lines_row(struct lines *s)
{
        int n = s->n++;
        return n >= s->top && n - s->top < s->h ? s->y0 + n - s->top : -1;
}

void lines_done(struct console *c, int id, struct lines *s)
{
        struct pane *p = &c->panes[id];
        p->lines = s->n;
        p->rows = s->h;
        int max = s->n > s->h ? s->n - s->h : 0;
        if (p->scroll > max) {
                p->scroll = max;
                c->dirty = true; /* painted again at the clamped offset */
        }
        char note[32];
        if (s->top > 0) {
                int l = snprintf(note, sizeof(note), " %s%d ", c->utf8 ? "↑" : "^", s->top);
                put_str(s->y0, s->x + s->w - l + (c->utf8 ? 2 : 0), l, note, A_REVERSE);
        }
        if (s->n > s->top + s->h) {
                int l = snprintf(note, sizeof(note), " %s%d more ", c->utf8 ? "↓" : "v",
                                 s->n - s->top - s->h);
                put_str(s->y0 + s->h - 1, s->x + s->w - l + (c->utf8 ? 2 : 0), l, note, A_REVERSE);
        }
}

/* text over as many lines as it needs, continuation lines indented by 2. */
static void put_wrapped(struct lines *s, int indent, const char *text, attr_t a)
{
        const char *p = text;
        do {
                int room = s->w - indent - (p == text ? 0 : 2), cells = 0;
                const char *q = p;
                while (*q && cells < room) {
                        q++;
                        while ((*q & 0xC0) == 0x80)
                                q++;
                        cells++;
                }
                int y = lines_row(s);
                if (y >= 0) {
                        char chunk[512];
                        snprintf(chunk, sizeof(chunk), "%.*s", (int)(q - p), p);
                        int x = s->x + indent + (p == text ? 0 : 2);
                        put_str(y, x, s->w - (x - s->x), chunk, a);
                }
                p = q;
        } while (*p && s->w - indent > 2);
}

static void draw_exp(struct console *c, struct rect r)
{
        if (c->exp.n == 0) {
                put_str(r.y, r.x + 1, r.w - 1, "(this lab has no experiments)", A_DIM);
                return;
        }
        struct lines s = {r.y, r.x, r.w, r.h, c->panes[c->exp_pane].scroll, 0};
        int run = nlua_exp_running(c->L), y;
        int shown = c->exp.shown >= 0 ? c->exp.shown : c->exp.last;
        for (int i = 0; i < c->exp.n; i++) {
                if ((y = lines_row(&s)) < 0)
                        continue;
                struct nlua_exp_result res;
                nlua_exp_result(c->L, i, &res);
                char line[256];
                const char *mark =
                    run == i       ? (c->utf8 ? "▶" : ">")
                    : res.stopped  ? (c->utf8 ? "■" : "-")
                    : res.finished ? (res.failed ? (c->utf8 ? "✗" : "x") : (c->utf8 ? "✓" : "v"))
                                   : " ";
                /* A name that starts with its own number ("1 two namespaces") is
                 * not numbered twice. */
                const char *name = nlua_exp_name(c->L, i);
                char num[16];
                int nl = snprintf(num, sizeof(num), "%d ", i + 1);
                if (!strncmp(name, num, (size_t)nl))
                        snprintf(line, sizeof(line), "%s %s", mark, name);
                else
                        snprintf(line, sizeof(line), "%s %d %s", mark, i + 1, name);
                attr_t at = i == shown ? A_BOLD : 0;
                /* A stopped experiment has no verdict: neither green nor red. */
                if (res.finished)
                        at |= color(res.failed ? COLOR_RED
                                    : res.stopped ? COLOR_YELLOW
                                                  : COLOR_GREEN);
                int used = put_str(y, r.x, r.w, line, at);
                if (res.finished || run == i) {
                        snprintf(line, sizeof(line), "  %d ok %d failed%s", res.passed, res.failed,
                                 run == i ? " ..." : res.stopped ? ", stopped" : "");
                        put_str(y, r.x + used, r.w - used, line, A_DIM);
                }
        }
        if (shown >= 0) {
                struct exp_view *e = &c->exp.ev[shown];
                if ((y = lines_row(&s)) >= 0) {
                        char head[200];
                        snprintf(head, sizeof(head), "%d %s:", shown + 1,
                                 nlua_exp_name(c->L, shown));
                        put_str(y, r.x, r.w, head, A_DIM);
                }
                for (int k = 0; k < e->n; k++) {
                        const struct check *ck = &e->checks[k];
                        char line[300];
                        snprintf(line, sizeof(line), "%s %s%s%s%s",
                                 ck->ok ? (c->utf8 ? "✓" : "ok") : (c->utf8 ? "✗" : "FAIL"),
                                 ck->msg, !ck->ok && ck->where[0] ? "  (" : "",
                                 ck->ok ? "" : ck->where, !ck->ok && ck->where[0] ? ")" : "");
                        put_wrapped(&s, 1, line, color(ck->ok ? COLOR_GREEN : COLOR_RED));
                }
        }
        lines_done(c, c->exp_pane, &s);
}

/* A pane's title in w columns: what does not fit is left out whole (the
 * graph's legend kind by kind, a hint at once), never cut mid-word. */
static void pane_title(struct console *c, int id, int w, char *buf, size_t len)
{
        struct pane *p = &c->panes[id];
        size_t fit = w > 0 ? (size_t)w : 0;
        switch (p->kind) {
        case P_GRAPH: {
                /* The lab's kinds as they are drawn: "[host] <switch> (router)". */
                size_t o = (size_t)snprintf(buf, len, " graph: %s  ", c->lab->name);
                for (int k = 0; node_kinds[k] && o < len; k++) {
                        if (k < 32 && !(c->gv.kinds & (1u << k)))
                                continue;
                        const char *br = node_label_fmt(node_kinds[k]);
                        char kind[40];
                        int n = snprintf(kind, sizeof(kind), " %c%s%c", br[0], node_kinds[k]->name,
                                         br[1]);
                        if (n < 0 || o + (size_t)n + 1 > fit || o + (size_t)n >= len)
                                break;
                        memcpy(buf + o, kind, (size_t)n + 1);
                        o += (size_t)n;
                }
                if (o + 1 < len)
                        snprintf(buf + o, len - o, " ");
                break;
        }
        case P_INSPECT:
                snprintf(buf, len, " inspector: %s ",
                         c->sel >= 0 && c->sel < c->lab->nnodes ? c->lab->nodes[c->sel].name : "-");
                break;
        case P_EXP:
                snprintf(buf, len, " experiments (exp run NAME, exp next) ");
                if (strlen(buf) > fit)
                        snprintf(buf, len, " experiments ");
                break;
        default:
                if (p->copy) {
                        snprintf(buf, len,
                                 " %d %s  [copy mode %d/%d: / ? search, Space Enter copy, q] ",
                                 pane_number(c, id), p->title, p->scroll, vt_scrollback(p->vt));
                        if (strlen(buf) > fit)
                                snprintf(buf, len, " %d %s  [copy mode %d/%d] ", pane_number(c, id),
                                         p->title, p->scroll, vt_scrollback(p->vt));
                } else
                        snprintf(buf, len, " %d %s%s%s ", pane_number(c, id), p->title,
                                 id == c->lay.zoomed ? "  [zoomed]" : "",
                                 c->sync && p->kind == P_TERM ? "  [sync]" : "");
                break;
        }
}

/* The status bar's pane list, as tmux's window list: "3:h1* 4:h2 5:output",
 * the active pane starred, a zoomed one marked Z. */
static void pane_list(struct console *c, char *buf, size_t len)
{
        int ids[MAXPANES];
        int n = layout_panes(&c->lay, ids, MAXPANES);
        size_t o = 0;
        buf[0] = '\0';
        for (int k = 0; k < n && o + 1 < len; k++) {
                const struct pane *p = &c->panes[ids[k]];
                if (p->kind != P_TERM && p->kind != P_OUTPUT)
                        continue;
                const char *name = p->named || p->node < 0 || cmdwork_busy(c)
                                       ? p->title
                                       : c->lab->nodes[p->node].name;
                int w =
                    snprintf(buf + o, len - o, "%s%d:%.16s%s%s", o ? " " : "", k, name,
                             ids[k] == c->active ? "*" : "", ids[k] == c->lay.zoomed ? "Z" : "");
                if (w < 0 || (size_t)w >= len - o)
                        break;
                o += (size_t)w;
        }
        if (c->sync && o + 8 < len)
                snprintf(buf + o, len - o, "%s[sync]", o ? "  " : "");
}

/* What the screen's cells are laid out as: panes and their rectangles, the
 * overlays. While a command changes the lab, a frame with the same layout
 * keeps the lab's panes as they were painted. */
static unsigned long layout_sig(struct console *c)
{
        unsigned long h = (unsigned long)LINES * 31u + (unsigned long)COLS;
        int ids[MAXPANES];
        int n = layout_panes(&c->lay, ids, MAXPANES);
        for (int k = 0; k < n; k++) {
                struct rect r = {0};
                layout_rect(&c->lay, ids[k], &r);
                h = h * 131u + (unsigned long)ids[k];
                h = h * 131u + (unsigned long)(r.x * 7919 + r.y * 104729 + r.w * 1299709 + r.h);
        }
        return h * 3u + (c->keys.help ? 1u : 0u) + (c->keys.numbers_until ? 2u : 0u);
}

/* A frame while a command changes the lab (cmdwork.h): the terminal panes,
 * the message and the command line are painted; the graph, inspector and
 * experiments keep their cells, or say what they wait for when the layout
 * changed under them. */
static bool draw_busy_frame(struct console *c, char *line, size_t len)
{
        unsigned long sig = layout_sig(c);
        bool keep = sig == c->drawn_sig;
        if (!keep)
                erase();
        c->drawn_sig = sig;
        long long el = monotime_ms() - cmdwork_since(c);
        if (el >= CMDWORK_SLOW_MS)
                snprintf(line, len,
                         " netlab  changing the lab: %s  (%lld s waiting for the kernel: another "
                         "lab may hold its lock)",
                         cmdwork_what(c), el / 1000);
        else
                snprintf(line, len, " netlab  changing the lab: %s", cmdwork_what(c));
        move(0, 0);
        for (int x = 0; x < COLS; x++)
                addch(' ' | A_REVERSE);
        put_str(0, 0, COLS, line, A_REVERSE | A_BOLD);
        return keep;
}

static bool lab_pane(const struct pane *p)
{
        return p->kind == P_GRAPH || p->kind == P_INSPECT || p->kind == P_EXP;
}

void draw_all(struct console *c)
{
        double t0 = monotime_s();
        c->dirty = false;
        char line[512];
        bool busy = cmdwork_busy(c), keep = false;
        if (busy) {
                keep = draw_busy_frame(c, line, sizeof(line));
                goto panes;
        }
        erase();
        c->drawn_sig = layout_sig(c);
        struct rect gr;
        bool grown = c->lab->nnodes != c->gv.nnodes || c->lab->nlinks != c->gv.nlinks;
        if (layout_rect(&c->lay, c->graph_pane, &gr) &&
            (c->relayout || grown || gr.w != c->glayout_w)) {
                draw_relayout_graph(c, gr.w);
                c->relayout = false;
        } else if (!c->gn || grown) {
                draw_relayout_graph(c, c->glayout_w > 0 ? c->glayout_w : COLS);
        }
        /* Title bar. */
        int running = nlua_exp_running(c->L), nn, nl;
        graph_live_counts(c, &nn, &nl);
        snprintf(line, sizeof(line), " netlab  %s  %s  %d nodes, %d links%s%s%s", c->lab->name,
                 c->built ? "up" : "not built", nn, nl, c->dp_note,
                 running >= 0 ? "  running: " : "",
                 running >= 0 ? nlua_exp_name(c->L, running) : "");
        move(0, 0);
        for (int x = 0; x < COLS; x++)
                addch(' ' | A_REVERSE);
        char hint[32];
        snprintf(hint, sizeof(hint), " %s ? help ", keys_prefix(c));
        int used = put_str(0, 0, COLS, line, A_REVERSE | A_BOLD);
        pane_list(c, line, sizeof(line));
        put_str(0, used + 2, COLS - (int)strlen(hint) - used - 3, line, A_REVERSE);
        put_str(0, COLS - (int)strlen(hint), (int)strlen(hint), hint, A_REVERSE);

panes:;
        int ids[MAXPANES];
        int np = layout_panes(&c->lay, ids, MAXPANES);
        for (int k = 0; k < np; k++) {
                int id = ids[k];
                struct pane *p = &c->panes[id];
                struct rect r;
                if (!layout_rect(&c->lay, id, &r))
                        continue;
                bool act = id == c->active && !c->focus_cmd;
                if (busy && lab_pane(p) && keep)
                        continue; /* painted before the command; the lab is the worker's */
                /* Border to the left. */
                if (r.x > 0)
                        for (int y = r.y; y < r.y + r.h; y++)
                                put_str(y, r.x - 1, 1, c->utf8 ? "│" : "|", A_DIM);
                /* Title row. */
                if (busy && lab_pane(p))
                        snprintf(line, sizeof(line), " %s ",
                                 p->kind == P_GRAPH ? "graph" : p->kind == P_INSPECT ? "inspector"
                                                                                    : "experiments");
                else
                        pane_title(c, id, r.w, line, sizeof(line));
                attr_t ta = act ? (A_REVERSE | A_BOLD) : (id == c->active ? A_BOLD : A_DIM);
                move(r.y, r.x);
                for (int x = 0; x < r.w; x++)
                        put_str(r.y, r.x + x, 1, c->utf8 ? "─" : "-", ta);
                put_str(r.y, r.x, r.w, line, ta);
                struct rect in = {r.x, r.y + 1, r.w, r.h - 1};
                if (in.h <= 0)
                        continue;
                if (busy && lab_pane(p)) {
                        put_str(in.y, in.x + 1, in.w - 1, "(waiting for the lab to change)", A_DIM);
                        continue;
                }
                switch (p->kind) {
                case P_GRAPH:
                        graph_draw(c, in);
                        break;
                case P_INSPECT:
                        draw_inspector(c, in.y, in.x, in.h, in.w);
                        break;
                case P_EXP:
                        draw_exp(c, in);
                        break;
                case P_PLOT:
                        plotpane_draw(c, id, in);
                        break;
                default:
                        vt_draw(p->vt, stdscr, in.y, in.x, in.h, in.w, p->scroll);
                        vt_take_damage(p->vt);
                        copy_draw(c, id, in);
                        break;
                }
                if (c->keys.numbers_until) {
                        char num[32];
                        int n = snprintf(num, sizeof(num), "  pane %d  ", pane_number(c, id));
                        put_str(in.y + in.h / 2,
                                in.x + (in.w - n) / 2 > in.x ? in.x + (in.w - n) / 2 : in.x, in.w,
                                num, A_REVERSE | A_BOLD);
                }
        }
        /* Message line. */
        attr_t ma = c->msg_err ? (color(COLOR_RED) | A_BOLD) : 0;
        move(LINES - 2, 0);
        clrtobot();
        if (str_cells(c->msg) > COLS && COLS > 1) { /* the whole text is in the output pane */
                put_str(LINES - 2, 0, COLS - 1, c->msg, ma);
                put_str(LINES - 2, COLS - 1, 1, c->utf8 ? "…" : ">", ma | A_REVERSE);
        } else {
                put_str(LINES - 2, 0, COLS, c->msg, ma);
        }
        if (c->keys.prefix)
                put_str(LINES - 2, COLS - 9, 9, " [prefix]", A_REVERSE);
        /* Command line, scrolled so that the cursor shows. */
        char cl[2048];
        snprintf(cl, sizeof(cl), "%s%s", rl_prompt_text(), rl_line_text());
        int cur = rl_cursor_col();
        int off = cur >= COLS - 1 ? cur - COLS + 2 : 0;
        const char *s = cl;
        for (int skipped = 0; skipped < off && *s; skipped++) {
                s++;
                while ((*s & 0xC0) == 0x80)
                        s++;
        }
        put_str(LINES - 1, 0, COLS, s, c->focus_cmd ? A_BOLD : A_DIM);
        /* A shell (or copy mode) has the keys: the line says where they go. */
        struct pane *kp = &c->panes[c->active];
        if (!c->focus_cmd && !*rl_line_text() && (pane_takes_typing(kp) || kp->copy)) {
                char where[160];
                if (kp->copy)
                        snprintf(where, sizeof(where), "(copy mode in pane %d: q leaves)",
                                 pane_number(c, c->active));
                else
                        snprintf(where, sizeof(where),
                                 "(typing goes to pane %d; %s : types a command)",
                                 pane_number(c, c->active), keys_prefix(c));
                int px = str_cells(rl_prompt_text());
                if (px < COLS)
                        put_str(LINES - 1, px, COLS - px, where, A_DIM);
        }
        if (c->keys.help)
                help_draw(c);
        /* Cursor. */
        struct pane *ap = &c->panes[c->active];
        struct rect ar;
        if (c->keys.help) {
                curs_set(0);
        } else if (c->focus_cmd) {
                curs_set(1);
                move(LINES - 1, cur - off);
        } else if (ap->kind == P_TERM && !ap->copy && layout_rect(&c->lay, c->active, &ar)) {
                int row, colm;
                bool vis;
                vt_cursor(ap->vt, &row, &colm, &vis);
                if (vis && row < ar.h - 1 && colm < ar.w) {
                        curs_set(1);
                        move(ar.y + 1 + row, ar.x + colm);
                } else {
                        curs_set(0);
                }
        } else {
                curs_set(0);
        }
        wnoutrefresh(stdscr);
        doupdate();
        c->last_draw_ms = (monotime_s() - t0) * 1000.0;
        c->ndraws++;
        if (getenv("NETLAB_UI_TIMING"))
                con_log(c, "redraw %.3f ms (graph: %d nodes, %d links painted)", c->last_draw_ms,
                        c->gv.painted_nodes, c->gv.painted_links);
}
