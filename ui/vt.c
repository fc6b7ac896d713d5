/* vt.c — terminal panes through libvterm.
 *
 * libvterm parses the pty's output into a screen of cells; we copy cells
 * into curses on redraw (only when damaged), converting colours to curses
 * colour pairs allocated on demand (alloc_pair: least recently used pairs
 * are recycled when a terminal has few). Lines scrolled off the top are kept
 * in a ring of compact cells for the pane's copy mode, and handed back to
 * libvterm when the pane grows taller.
 *
 * Resizing never loses text. The installed libvterm (0.1) has no reflow:
 * a narrower screen cuts each row. So before a pane narrows, each row it
 * would cut is kept whole, attached to that screen row ("keep"). The keep
 * follows its row exactly: libvterm reports every move of rows (moverect,
 * damage merged per row so that each scroll is reported as it happens) and
 * every row pushed into the scrollback is the next one from the top of the
 * scroll that pushes it. A row pushed while cut goes into the scrollback
 * whole; when the pane widens, a row still kept gets its tail back. A row
 * the program writes again (damage) loses its keep: its old tail is no
 * longer its own. Rows are never matched by their text: lines that begin
 * alike (ping's) would take each other's tails. */
#include "vt.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <vterm.h>

#define SB_MAX 2000

struct sbcell {
        uint32_t ch;
        VTermColor fg, bg;
        uint8_t attr;
};

struct sbline {
        int cols;
        struct sbcell *c;
};

struct vt {
        VTerm *vt;
        VTermScreen *scr;
        int rows, cols;
        struct sbline *sb; /* ring */
        int sb_head, sb_len;
        struct sbline *keep; /* per screen row: the row whole, when cut */
        int keep_cap;        /* rows keep has room for */
        int push_seq;        /* rows pushed by the scroll being reported */
        struct sbline popped; /* cut line popped back, for row 0 after the move */
        bool alt;             /* the alternate screen shows (keeps are the main one's) */
        bool quiet;           /* our own writes and resizes: damage keeps keeps */
        VTermPos cursor;
        bool cursor_visible;
        bool damaged;
        long long pushed; /* lines ever pushed into the scrollback */
        vt_out_fn out;
        void *ud;
};

static size_t utf8_put(uint32_t ch, char *o);

enum { SA_BOLD = 1, SA_UL = 2, SA_ITALIC = 4, SA_BLINK = 8, SA_REV = 16 };

static uint8_t pack_attr(const VTermScreenCellAttrs *a)
{
        return (uint8_t)((a->bold ? SA_BOLD : 0) | (a->underline ? SA_UL : 0) |
                         (a->italic ? SA_ITALIC : 0) | (a->blink ? SA_BLINK : 0) |
                         (a->reverse ? SA_REV : 0));
}

static void line_free(struct sbline *l)
{
        free(l->c);
        l->c = NULL;
        l->cols = 0;
}

/* The keeps of screen rows [a, b) dropped. */
static void keep_drop(struct vt *vt, int a, int b)
{
        if (a < 0)
                a = 0;
        if (b > vt->keep_cap)
                b = vt->keep_cap;
        for (int r = a; r < b; r++)
                line_free(&vt->keep[r]);
}

/* Room for the keeps of n screen rows; false when out of memory. */
static bool keep_room(struct vt *vt, int n)
{
        if (n <= vt->keep_cap)
                return true;
        struct sbline *k = realloc(vt->keep, sizeof(*k) * (size_t)n);
        if (!k)
                return false;
        memset(k + vt->keep_cap, 0, sizeof(*k) * (size_t)(n - vt->keep_cap));
        vt->keep = k;
        vt->keep_cap = n;
        return true;
}

static int cb_damage(VTermRect r, void *user)
{
        struct vt *vt = user;
        vt->damaged = true;
        /* The program wrote these rows again: a kept tail is no longer theirs. */
        if (!vt->quiet && !vt->alt)
                keep_drop(vt, r.start_row, r.end_row);
        return 1;
}

/* libvterm moved the cells of src to dest (a scroll, an insertion): the
 * keeps move with whole rows; rows moved in part changed their text. */
static int cb_moverect(VTermRect dest, VTermRect src, void *user)
{
        struct vt *vt = user;
        vt->damaged = true;
        vt->push_seq = 0; /* the rows this scroll pushed are all reported */
        if (vt->alt)
                return 1;
        bool whole = src.start_col == 0 && dest.start_col == 0 && src.end_col == dest.end_col &&
                     src.end_col >= vt->cols;
        if (!whole) {
                keep_drop(vt, src.start_row, src.end_row);
                keep_drop(vt, dest.start_row, dest.end_row);
                return 1;
        }
        int h = src.end_row - src.start_row;
        if (dest.end_row > vt->keep_cap || src.end_row > vt->keep_cap || h <= 0) {
                keep_drop(vt, 0, vt->keep_cap); /* cannot follow them: none is trusted */
                return 1;
        }
        bool up = dest.start_row < src.start_row;
        for (int i = 0; i < h; i++) {
                int k = up ? i : h - 1 - i;
                struct sbline *d = &vt->keep[dest.start_row + k], *s = &vt->keep[src.start_row + k];
                line_free(d);
                *d = *s;
                s->c = NULL;
                s->cols = 0;
        }
        /* A line popped back from the scrollback is row 0 once the rows below moved down. */
        if (!up && src.start_row == 0 && vt->popped.c) {
                line_free(&vt->keep[0]);
                vt->keep[0] = vt->popped;
                vt->popped.c = NULL;
                vt->popped.cols = 0;
        }
        return 1;
}

static int cb_movecursor(VTermPos pos, VTermPos old, int visible, void *user)
{
        (void)old;
        struct vt *vt = user;
        vt->cursor = pos;
        vt->cursor_visible = visible;
        vt->damaged = true;
        return 1;
}

static int cb_settermprop(VTermProp prop, VTermValue *val, void *user)
{
        struct vt *vt = user;
        if (prop == VTERM_PROP_CURSORVISIBLE)
                vt->cursor_visible = val->boolean;
        if (prop == VTERM_PROP_ALTSCREEN)
                vt->alt = val->boolean;
        vt->damaged = true;
        return 1;
}

static int cb_bell(void *user)
{
        (void)user;
        return 1;
}

/* Cells into a compact line, trailing blanks cut; false when out of memory. */
static bool line_from_cells(struct sbline *l, const VTermScreenCell *cells, int cols)
{
        int used = cols;
        while (used > 0 && (cells[used - 1].chars[0] == 0 || cells[used - 1].chars[0] == ' ') &&
               VTERM_COLOR_IS_DEFAULT_BG(&cells[used - 1].bg) && !cells[used - 1].attrs.reverse)
                used--;
        l->cols = used;
        l->c = used ? malloc(sizeof(*l->c) * (size_t)used) : NULL;
        if (!l->c) {
                l->cols = 0;
                return used == 0;
        }
        for (int i = 0; i < l->cols; i++) {
                l->c[i].ch = cells[i].chars[0];
                l->c[i].fg = cells[i].fg;
                l->c[i].bg = cells[i].bg;
                l->c[i].attr = pack_attr(&cells[i].attrs);
        }
        return true;
}

static uint32_t ch_at(const struct sbline *l, int i)
{
        uint32_t ch = i < l->cols ? l->c[i].ch : ' ';
        return ch == 0 ? ' ' : ch;
}

/* Does line l (at most n cells) begin as the kept row k, k longer? A check
 * on what the row tracking says, never a search. */
static bool keep_begins(const struct sbline *k, const struct sbline *l, int n)
{
        if (k->cols <= n || l->cols > n)
                return false;
        for (int i = 0; i < n; i++)
                if (ch_at(k, i) != ch_at(l, i))
                        return false;
        return true;
}

static int cb_pushline(int cols, const VTermScreenCell *cells, void *user)
{
        struct vt *vt = user;
        int row = vt->push_seq++; /* a scroll pushes its rows from the top, in order */
        vt->pushed++;
        int idx;
        if (vt->sb_len < SB_MAX) {
                idx = (vt->sb_head + vt->sb_len) % SB_MAX;
                vt->sb_len++;
        } else {
                idx = vt->sb_head;
                vt->sb_head = (vt->sb_head + 1) % SB_MAX;
                free(vt->sb[idx].c);
        }
        struct sbline *l = &vt->sb[idx];
        line_from_cells(l, cells, cols);
        /* A row a narrowing cut: into the scrollback whole. */
        if (row < vt->keep_cap && vt->keep[row].c) {
                if (keep_begins(&vt->keep[row], l, cols)) {
                        free(l->c);
                        *l = vt->keep[row];
                        vt->keep[row].c = NULL;
                        vt->keep[row].cols = 0;
                } else {
                        line_free(&vt->keep[row]);
                }
        }
        return 1;
}

static int cb_popline(int cols, VTermScreenCell *cells, void *user)
{
        struct vt *vt = user;
        if (vt->sb_len == 0)
                return 0;
        int idx = (vt->sb_head + vt->sb_len - 1) % SB_MAX;
        struct sbline *l = &vt->sb[idx];
        VTermColor dfg, dbg;
        vterm_state_get_default_colors(vterm_obtain_state(vt->vt), &dfg, &dbg);
        for (int i = 0; i < cols; i++) {
                memset(&cells[i], 0, sizeof(cells[i]));
                cells[i].width = 1;
                if (i < l->cols) {
                        cells[i].chars[0] = l->c[i].ch;
                        cells[i].fg = l->c[i].fg;
                        cells[i].bg = l->c[i].bg;
                        cells[i].attrs.bold = !!(l->c[i].attr & SA_BOLD);
                        cells[i].attrs.underline = !!(l->c[i].attr & SA_UL);
                        cells[i].attrs.italic = !!(l->c[i].attr & SA_ITALIC);
                        cells[i].attrs.reverse = !!(l->c[i].attr & SA_REV);
                } else {
                        cells[i].fg = dfg;
                        cells[i].bg = dbg;
                }
        }
        line_free(&vt->popped);
        if (l->cols > cols)
                vt->popped = *l; /* cut on the screen: kept whole (cb_moverect places it) */
        else
                free(l->c);
        l->c = NULL;
        l->cols = 0;
        vt->sb_len--;
        return 1;
}

static const VTermScreenCallbacks screen_cbs = {
    .damage = cb_damage,
    .moverect = cb_moverect,
    .movecursor = cb_movecursor,
    .settermprop = cb_settermprop,
    .bell = cb_bell,
    .sb_pushline = cb_pushline,
    .sb_popline = cb_popline,
};

static void out_cb(const char *s, size_t len, void *user)
{
        struct vt *vt = user;
        if (vt->out)
                vt->out(vt->ud, s, len);
}

struct vt *vt_new(int rows, int cols, vt_out_fn out, void *ud)
{
        struct vt *vt = calloc(1, sizeof(*vt));
        if (!vt)
                return NULL;
        if (rows < 1)
                rows = 1;
        if (cols < 1)
                cols = 1;
        vt->sb = calloc(SB_MAX, sizeof(*vt->sb));
        vt->vt = vterm_new(rows, cols);
        if (!vt->sb || !vt->vt || !keep_room(vt, rows)) {
                vt_free(vt);
                return NULL;
        }
        vt->rows = rows;
        vt->cols = cols;
        vt->out = out;
        vt->ud = ud;
        vt->cursor_visible = true;
        vterm_set_utf8(vt->vt, 1);
        vterm_output_set_callback(vt->vt, out_cb, vt);
        vt->scr = vterm_obtain_screen(vt->vt);
        vterm_screen_set_callbacks(vt->scr, &screen_cbs, vt);
        /* Per row, so that each scroll is reported (moverect) as it happens:
         * the keeps follow their rows through it. */
        vterm_screen_set_damage_merge(vt->scr, VTERM_DAMAGE_ROW);
        vterm_screen_enable_altscreen(vt->scr, 1);
        vterm_screen_reset(vt->scr, 1);
        return vt;
}

void vt_free(struct vt *vt)
{
        if (!vt)
                return;
        if (vt->vt)
                vterm_free(vt->vt);
        if (vt->sb) {
                for (int i = 0; i < SB_MAX; i++)
                        free(vt->sb[i].c);
                free(vt->sb);
        }
        keep_drop(vt, 0, vt->keep_cap);
        free(vt->keep);
        line_free(&vt->popped);
        free(vt);
}

void vt_feed(struct vt *vt, const char *buf, size_t len)
{
        vterm_input_write(vt->vt, buf, len);
        vterm_screen_flush_damage(vt->scr);
}

/* Screen row r as a compact line. */
static bool read_row(struct vt *vt, int r, struct sbline *l)
{
        VTermScreenCell *cells = calloc((size_t)vt->cols, sizeof(*cells));
        if (!cells)
                return false;
        for (int c = 0; c < vt->cols; c++) {
                VTermPos pos = {.row = r, .col = c};
                if (!vterm_screen_get_cell(vt->scr, pos, &cells[c]))
                        cells[c].chars[0] = 0;
        }
        bool ok = line_from_cells(l, cells, vt->cols);
        free(cells);
        return ok;
}

/* Before narrowing to cols: every row that would be cut is kept whole. A
 * row an earlier narrowing cut has its keep already (longer). */
static void keep_cut(struct vt *vt, int cols)
{
        if (vt->alt)
                return; /* the rows shown are the alternate screen's, not the kept ones */
        for (int r = 0; r < vt->rows && r < vt->keep_cap; r++) {
                if (vt->keep[r].c)
                        continue;
                struct sbline l;
                if (!read_row(vt, r, &l))
                        continue;
                if (l.cols > cols)
                        vt->keep[r] = l;
                else
                        free(l.c);
        }
}

static size_t sgr_color(char *o, size_t n, const VTermColor *c, bool fg)
{
        if (fg ? VTERM_COLOR_IS_DEFAULT_FG(c) : VTERM_COLOR_IS_DEFAULT_BG(c))
                return (size_t)snprintf(o, n, ";%d", fg ? 39 : 49);
        if (VTERM_COLOR_IS_INDEXED(c))
                return (size_t)snprintf(o, n, ";%d;5;%d", fg ? 38 : 48, c->indexed.idx);
        return (size_t)snprintf(o, n, ";%d;2;%d;%d;%d", fg ? 38 : 48, c->rgb.red, c->rgb.green,
                                c->rgb.blue);
}

/* After widening from old to vt->cols: each kept row gets its tail back,
 * written into libvterm with the cursor and pen saved; a keep now wholly
 * shown is dropped. */
static void keep_restore(struct vt *vt, int old)
{
        if (vt->alt)
                return; /* never written into a full-screen program's screen */
        for (int r = 0; r < vt->rows && r < vt->keep_cap; r++) {
                struct sbline *t = &vt->keep[r];
                if (!t->c)
                        continue;
                struct sbline l;
                if (!read_row(vt, r, &l))
                        continue;
                bool same = keep_begins(t, &l, old);
                free(l.c);
                if (!same) {
                        line_free(t);
                        continue;
                }
                int end = t->cols < vt->cols ? t->cols : vt->cols;
                size_t cap = 32 + (size_t)(end - old) * 64, o = 0;
                char *b = malloc(cap);
                if (!b)
                        return;
                o += (size_t)snprintf(b + o, cap - o, "\0337\033[%d;%dH", r + 1, old + 1);
                for (int i = old; i < end; i++) {
                        const struct sbcell *x = &t->c[i];
                        if (x->ch == (uint32_t)-1)
                                continue;
                        o += (size_t)snprintf(
                            b + o, cap - o, "\033[0%s%s%s%s%s", x->attr & SA_BOLD ? ";1" : "",
                            x->attr & SA_ITALIC ? ";3" : "", x->attr & SA_UL ? ";4" : "",
                            x->attr & SA_BLINK ? ";5" : "", x->attr & SA_REV ? ";7" : "");
                        o += sgr_color(b + o, cap - o, &x->fg, true);
                        o += sgr_color(b + o, cap - o, &x->bg, false);
                        b[o++] = 'm';
                        o += utf8_put(x->ch >= 32 ? x->ch : ' ', b + o);
                }
                o += (size_t)snprintf(b + o, cap - o, "\0338");
                vterm_input_write(vt->vt, b, o);
                free(b);
                if (t->cols <= vt->cols)
                        line_free(t); /* whole again */
        }
        vterm_screen_flush_damage(vt->scr);
}

void vt_resize(struct vt *vt, int rows, int cols)
{
        if (rows < 1)
                rows = 1;
        if (cols < 1)
                cols = 1;
        if (rows == vt->rows && cols == vt->cols)
                return;
        int old = vt->cols;
        if (!keep_room(vt, rows > vt->rows ? rows : vt->rows))
                keep_drop(vt, 0, vt->keep_cap); /* moves could not be followed */
        if (cols < old)
                keep_cut(vt, cols);
        /* libvterm scrolls (old width) and pops lines (new width) as it
         * resizes: a whole row is as wide as the narrower. Its damage is
         * no writing by the program. */
        vt->quiet = true;
        vt->cols = cols < old ? cols : old;
        vt->push_seq = 0;
        vterm_set_size(vt->vt, rows, cols);
        vterm_screen_flush_damage(vt->scr);
        vt->rows = rows;
        vt->cols = cols;
        keep_drop(vt, rows, vt->keep_cap); /* rows the screen no longer has */
        line_free(&vt->popped);
        if (cols > old)
                keep_restore(vt, old);
        vt->quiet = false;
        vt->damaged = true;
}

bool vt_take_damage(struct vt *vt)
{
        bool d = vt->damaged;
        vt->damaged = false;
        return d;
}

void vt_cursor(const struct vt *vt, int *row, int *col, bool *visible)
{
        *row = vt->cursor.row;
        *col = vt->cursor.col;
        *visible = vt->cursor_visible;
}

int vt_scrollback(const struct vt *vt)
{
        return vt->sb_len;
}

void vt_key(struct vt *vt, int key)
{
        static const VTermKey keys[] = {VTERM_KEY_UP,   VTERM_KEY_DOWN, VTERM_KEY_RIGHT,
                                        VTERM_KEY_LEFT, VTERM_KEY_HOME, VTERM_KEY_END};
        if (key >= 0 && key < 6)
                vterm_keyboard_key(vt->vt, keys[key], VTERM_MOD_NONE);
}

/* xterm's 256-colour palette, reduced to what the outer terminal has. */
static int rgb_to_256(uint8_t r, uint8_t g, uint8_t b)
{
        if (r == g && g == b) {
                if (r < 8)
                        return 16;
                if (r > 248)
                        return 231;
                return 232 + (r - 8) / 10;
        }
        int ri = r < 48 ? 0 : r < 115 ? 1 : (r - 35) / 40;
        int gi = g < 48 ? 0 : g < 115 ? 1 : (g - 35) / 40;
        int bi = b < 48 ? 0 : b < 115 ? 1 : (b - 35) / 40;
        return 16 + 36 * ri + 6 * gi + bi;
}

static int idx_to_8(int idx)
{
        if (idx < 16)
                return idx % 8;
        if (idx >= 232)
                return idx < 244 ? COLOR_BLACK : COLOR_WHITE;
        int v = idx - 16, r = v / 36, g = (v / 6) % 6, b = v % 6;
        return (r >= 3 ? 1 : 0) | (g >= 3 ? 2 : 0) | (b >= 3 ? 4 : 0);
}

short vt_curses_color(int idx)
{
        if (idx < 0)
                return -1;
        if (COLORS >= 256 || idx < COLORS)
                return (short)idx;
        return (short)idx_to_8(idx);
}

static short color_of(const VTermColor *c, bool fg)
{
        if (fg ? VTERM_COLOR_IS_DEFAULT_FG(c) : VTERM_COLOR_IS_DEFAULT_BG(c))
                return -1;
        if (VTERM_COLOR_IS_INDEXED(c))
                return vt_curses_color(c->indexed.idx);
        return vt_curses_color(rgb_to_256(c->rgb.red, c->rgb.green, c->rgb.blue));
}

static void put_cell(WINDOW *win, int y, int x, uint32_t ch, const VTermColor *fg,
                     const VTermColor *bg, uint8_t a)
{
        attr_t attr = 0;
        if (a & SA_BOLD)
                attr |= A_BOLD;
        if (a & SA_UL)
                attr |= A_UNDERLINE;
        if (a & SA_ITALIC)
                attr |= A_ITALIC;
        if (a & SA_BLINK)
                attr |= A_BLINK;
        if (a & SA_REV)
                attr |= A_REVERSE;
        int pair = 0;
        if (has_colors()) {
                short f = color_of(fg, true), b = color_of(bg, false);
                if (f != -1 || b != -1) {
                        pair = alloc_pair(f, b);
                        if (pair < 0)
                                pair = 0;
                }
        }
        wchar_t wc[2] = {ch && ch != (uint32_t)-1 ? (wchar_t)ch : L' ', 0};
        if (wc[0] < 32 || wc[0] == 127)
                wc[0] = L' ';
        cchar_t cc;
        setcchar(&cc, wc, attr, (short)pair, NULL);
        mvwadd_wch(win, y, x, &cc);
}

void vt_draw(struct vt *vt, WINDOW *win, int y, int x, int h, int w, int scroll)
{
        if (scroll > vt->sb_len)
                scroll = vt->sb_len;
        if (scroll < 0)
                scroll = 0;
        VTermColor dfg, dbg;
        vterm_state_get_default_colors(vterm_obtain_state(vt->vt), &dfg, &dbg);
        for (int r = 0; r < h; r++) {
                int line = r - scroll;
                if (line >= vt->rows) {
                        wmove(win, y + r, x);
                        for (int c = 0; c < w; c++)
                                waddch(win, ' ');
                        continue;
                }
                if (line < 0) {
                        struct sbline *l = &vt->sb[(vt->sb_head + vt->sb_len + line) % SB_MAX];
                        for (int c = 0; c < w; c++) {
                                if (c < l->cols)
                                        put_cell(win, y + r, x + c, l->c[c].ch, &l->c[c].fg,
                                                 &l->c[c].bg, l->c[c].attr);
                                else
                                        put_cell(win, y + r, x + c, ' ', &dfg, &dbg, 0);
                        }
                        continue;
                }
                for (int c = 0; c < w; c++) {
                        if (c >= vt->cols) {
                                put_cell(win, y + r, x + c, ' ', &dfg, &dbg, 0);
                                continue;
                        }
                        VTermScreenCell cell;
                        VTermPos pos = {.row = line, .col = c};
                        if (!vterm_screen_get_cell(vt->scr, pos, &cell)) {
                                put_cell(win, y + r, x + c, ' ', &dfg, &dbg, 0);
                                continue;
                        }
                        if (cell.width == 2 && c + 1 >= w) {
                                put_cell(win, y + r, x + c, ' ', &cell.fg, &cell.bg, 0);
                                continue;
                        }
                        put_cell(win, y + r, x + c, cell.chars[0], &cell.fg, &cell.bg,
                                 pack_attr(&cell.attrs));
                        if (cell.width == 2)
                                c++;
                }
        }
}

size_t vt_row_text(const struct vt *vt, int row, char *buf, size_t len)
{
        if (len == 0)
                return 0;
        VTermRect r = {.start_row = row, .end_row = row + 1, .start_col = 0, .end_col = vt->cols};
        size_t n = vterm_screen_get_text(vt->scr, buf, len - 1, r);
        buf[n] = '\0';
        return n;
}

int vt_lines(const struct vt *vt)
{
        return vt->sb_len + vt->rows;
}

int vt_rows(const struct vt *vt)
{
        return vt->rows;
}

long long vt_pushed(const struct vt *vt)
{
        return vt->pushed;
}

/* UTF-8 for one code point (no locale needed). */
static size_t utf8_put(uint32_t ch, char *o)
{
        if (ch < 0x80) {
                o[0] = (char)ch;
                return 1;
        }
        if (ch < 0x800) {
                o[0] = (char)(0xc0 | (ch >> 6));
                o[1] = (char)(0x80 | (ch & 0x3f));
                return 2;
        }
        if (ch < 0x10000) {
                o[0] = (char)(0xe0 | (ch >> 12));
                o[1] = (char)(0x80 | ((ch >> 6) & 0x3f));
                o[2] = (char)(0x80 | (ch & 0x3f));
                return 3;
        }
        o[0] = (char)(0xf0 | ((ch >> 18) & 0x07));
        o[1] = (char)(0x80 | ((ch >> 12) & 0x3f));
        o[2] = (char)(0x80 | ((ch >> 6) & 0x3f));
        o[3] = (char)(0x80 | (ch & 0x3f));
        return 4;
}

size_t vt_line_text(const struct vt *vt, int line, char *buf, size_t len)
{
        if (len == 0)
                return 0;
        buf[0] = '\0';
        if (line < 0 || line >= vt->sb_len + vt->rows)
                return 0;
        size_t o = 0;
        if (line < vt->sb_len) {
                const struct sbline *l = &vt->sb[(vt->sb_head + line) % SB_MAX];
                for (int i = 0; i < l->cols && o + 5 < len; i++) {
                        uint32_t ch = l->c[i].ch;
                        if (ch == (uint32_t)-1)
                                continue; /* the right half of a wide character */
                        o += utf8_put(ch && ch >= 32 ? ch : ' ', buf + o);
                }
        } else {
                o = vt_row_text(vt, line - vt->sb_len, buf, len);
        }
        while (o > 0 && buf[o - 1] == ' ')
                o--;
        buf[o] = '\0';
        return o;
}
