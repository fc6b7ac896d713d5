/* copy.c — copy mode (tmux's window-copy.c, vi keys).
 *
 * A pane in copy mode has a cursor over its whole text: the lines kept in
 * its scrollback, then its screen, numbered from the oldest (vt.h). The
 * view is `scroll` lines back from the live screen; output that arrives
 * meanwhile pushes lines into the scrollback, and the view moves back by as
 * many lines, so what is shown stays put (copy_feed). Space starts a
 * selection at the cursor, Enter copies it into the console's one paste
 * buffer and leaves; prefix ] types the buffer into a shell. / and ? search
 * down and up (wrapping, case-insensitive unless the string has capitals);
 * n and N repeat. */
#include "console.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <curses.h>

#define LINE_MAX_BYTES 4096

static struct pane *cpane(struct console *c)
{
        return &c->panes[c->active];
}

static int view_top(const struct pane *p)
{
        return vt_scrollback(p->vt) - p->scroll;
}

static void clamp_scroll(struct pane *p)
{
        int sb = vt_scrollback(p->vt);
        if (p->scroll > sb)
                p->scroll = sb;
        if (p->scroll < 0)
                p->scroll = 0;
}

/* Moves the cursor to (line, col), clamped, and scrolls the view to show it. */
static void move_to(struct pane *p, int line, int col)
{
        int total = vt_lines(p->vt), rows = vt_rows(p->vt);
        if (line >= total)
                line = total - 1;
        if (line < 0)
                line = 0;
        if (col >= p->cols)
                col = p->cols - 1;
        if (col < 0)
                col = 0;
        p->cm.cur.line = line;
        p->cm.cur.col = col;
        int sb = vt_scrollback(p->vt), top = view_top(p);
        if (line < top)
                p->scroll = sb - line;
        else if (line >= top + rows)
                p->scroll = sb - (line - rows + 1);
        clamp_scroll(p);
}

void copy_enter(struct console *c, int id)
{
        struct pane *p = &c->panes[id];
        if (!p->vt || p->copy)
                return;
        int row, col;
        bool vis;
        vt_cursor(p->vt, &row, &col, &vis);
        p->copy = true;
        p->cm.selecting = false;
        p->cm.cur.line = vt_scrollback(p->vt) + row;
        p->cm.cur.col = col;
        p->cm.mark = p->cm.cur;
        clamp_scroll(p);
        c->focus_cmd = false;
        c->dirty = true;
}

void copy_leave(struct console *c, int id)
{
        struct pane *p = &c->panes[id];
        p->copy = false;
        p->scroll = 0;
        p->cm.selecting = false;
        c->dirty = true;
}

void copy_scroll_view(struct console *c, int id, int delta)
{
        struct pane *p = &c->panes[id];
        if (!p->vt)
                return;
        if (delta < 0 && !p->copy)
                return;
        copy_enter(c, id);
        if (delta < 0 && p->scroll == 0) {
                copy_leave(c, id);
                return;
        }
        p->scroll += delta;
        clamp_scroll(p);
        int top = view_top(p), rows = vt_rows(p->vt);
        if (p->cm.cur.line < top)
                p->cm.cur.line = top;
        if (p->cm.cur.line >= top + rows)
                p->cm.cur.line = top + rows - 1;
        c->dirty = true;
}

void copy_resized(struct pane *p, int sb)
{
        if (!p->copy)
                return;
        /* A taller pane took lines back from the scrollback, a shorter one
         * gave them: the line numbers stay, the distance from the live
         * screen changes by as many. */
        p->scroll += vt_scrollback(p->vt) - sb;
        clamp_scroll(p);
        int last = vt_lines(p->vt) - 1;
        if (p->cm.cur.line > last)
                p->cm.cur.line = last;
        if (p->cm.mark.line > last)
                p->cm.mark.line = last;
}

void copy_feed(struct pane *p, const char *buf, size_t len)
{
        long long before = vt_pushed(p->vt);
        int sb0 = vt_scrollback(p->vt);
        vt_feed(p->vt, buf, len);
        if (!p->copy)
                return;
        int pushed = (int)(vt_pushed(p->vt) - before);
        int dropped = pushed - (vt_scrollback(p->vt) - sb0); /* the oldest lines, gone */
        p->scroll += pushed;
        clamp_scroll(p);
        p->cm.cur.line -= dropped;
        p->cm.mark.line -= dropped;
        if (p->cm.cur.line < 0)
                p->cm.cur.line = 0;
        if (p->cm.mark.line < 0)
                p->cm.mark.line = 0;
}

/* ---- text ---- */

/* Byte offset of cell column col in a UTF-8 line (its length when past the end). */
static size_t byte_of_col(const char *s, int col)
{
        size_t i = 0;
        for (int k = 0; s[i] && k < col; k++) {
                i++;
                while ((s[i] & 0xc0) == 0x80)
                        i++;
        }
        return i;
}

static int col_of_byte(const char *s, size_t b)
{
        int col = 0;
        for (size_t i = 0; i < b && s[i]; i++)
                if ((s[i] & 0xc0) != 0x80)
                        col++;
        return col;
}

static void sel_bounds(const struct pane *p, struct copy_pos *a, struct copy_pos *b)
{
        const struct copy_pos *m = &p->cm.mark, *k = &p->cm.cur;
        bool mfirst = m->line < k->line || (m->line == k->line && m->col <= k->col);
        *a = mfirst ? *m : *k;
        *b = mfirst ? *k : *m;
}

/* The selection's text (the cursor's line when nothing is selected). */
static char *selection_text(const struct pane *p, size_t *len)
{
        struct copy_pos a = p->cm.cur, b = p->cm.cur;
        if (p->cm.selecting)
                sel_bounds(p, &a, &b);
        else
                a.col = 0, b.col = 1 << 20;
        size_t cap = 256, o = 0;
        char *out = malloc(cap), line[LINE_MAX_BYTES];
        if (!out)
                return NULL;
        for (int l = a.line; l <= b.line; l++) {
                vt_line_text(p->vt, l, line, sizeof(line));
                size_t s = l == a.line ? byte_of_col(line, a.col) : 0;
                size_t e = l == b.line ? byte_of_col(line, b.col + 1) : strlen(line);
                if (e < s)
                        e = s;
                size_t need = o + (e - s) + 2;
                if (need > cap) {
                        while (cap < need)
                                cap *= 2;
                        char *n = realloc(out, cap);
                        if (!n) {
                                free(out);
                                return NULL;
                        }
                        out = n;
                }
                memcpy(out + o, line + s, e - s);
                o += e - s;
                if (l < b.line || !p->cm.selecting)
                        out[o++] = '\n';
        }
        out[o] = '\0';
        *len = o;
        return out;
}

/* ---- search ---- */

static const char *find_in(const char *hay, const char *needle, bool fold, size_t from,
                           size_t before, bool last)
{
        const char *hit = NULL;
        size_t nl = strlen(needle);
        for (size_t i = from; hay[i] && i < before; i++) {
                if (fold ? strncasecmp(hay + i, needle, nl) == 0
                         : strncmp(hay + i, needle, nl) == 0) {
                        hit = hay + i;
                        if (!last)
                                break;
                }
        }
        return hit;
}

static void search(struct console *c, const char *text, bool back)
{
        struct pane *p = cpane(c);
        if (!p->vt || !text[0])
                return;
        bool fold = true;
        for (const char *t = text; *t; t++)
                if (isupper((unsigned char)*t))
                        fold = false;
        int total = vt_lines(p->vt), start = p->cm.cur.line;
        char line[LINE_MAX_BYTES];
        for (int k = 0; k <= total; k++) {
                int l = ((start + (back ? -k : k)) % total + total) % total;
                vt_line_text(p->vt, l, line, sizeof(line));
                size_t from = 0, before = (size_t)-1;
                size_t cb = byte_of_col(line, p->cm.cur.col);
                if (k == 0 && !back)
                        from = cb + (line[cb] ? 1 : 0);
                if (k == 0 && back)
                        before = cb;
                if (k == total && !back)
                        before = cb + 1;
                if (k == total && back)
                        from = cb;
                /* A full line may go on in the next (the terminal wrapped it):
                 * a match may run over, but it starts in this line. */
                size_t len = strlen(line);
                if (col_of_byte(line, len) >= p->cols && l + 1 < total) {
                        vt_line_text(p->vt, l + 1, line + len, sizeof(line) - len);
                        if (before > len)
                                before = len;
                }
                const char *hit = find_in(line, text, fold, from, before, back);
                if (hit) {
                        move_to(p, l, col_of_byte(line, (size_t)(hit - line)));
                        con_msg(c, false, "%s%s: line %d of %d", back ? "?" : "/", text, l + 1,
                                total);
                        return;
                }
        }
        con_msg(c, true, "No match for \"%s\" in %s", text, p->title[0] ? p->title : "the pane");
}

void copy_search_key(struct console *c, int key)
{
        struct copy_state *s = &c->copy;
        if (key == K_ENTER || key == '\n') {
                s->typing = false;
                snprintf(s->last, sizeof(s->last), "%s", s->text);
                s->last_back = s->back;
                search(c, s->text, s->back);
                return;
        }
        if (key == K_ESC || key == 0x03 || key == 0x07) {
                s->typing = false;
                con_msg(c, false, "Search cancelled");
                return;
        }
        if ((key == 0x7f || key == 0x08) && s->tlen > 0) {
                s->text[--s->tlen] = '\0';
                while (s->tlen > 0 && (s->text[s->tlen] & 0xc0) == 0x80)
                        s->text[--s->tlen] = '\0';
        } else if (key >= ' ' && key < 0x100 && key != 0x7f && s->tlen + 1 < sizeof(s->text)) {
                s->text[s->tlen++] = (char)key;
                s->text[s->tlen] = '\0';
        }
        con_msg(c, false, "search %s: %s", s->back ? "up" : "down", s->text);
}

/* ---- keys ---- */

static void k_up(struct console *c, int key)
{
        (void)key;
        struct pane *p = cpane(c);
        move_to(p, p->cm.cur.line - 1, p->cm.cur.col);
}

static void k_down(struct console *c, int key)
{
        (void)key;
        struct pane *p = cpane(c);
        move_to(p, p->cm.cur.line + 1, p->cm.cur.col);
}

static void k_left(struct console *c, int key)
{
        (void)key;
        struct pane *p = cpane(c);
        move_to(p, p->cm.cur.line, p->cm.cur.col - 1);
}

static void k_right(struct console *c, int key)
{
        (void)key;
        struct pane *p = cpane(c);
        move_to(p, p->cm.cur.line, p->cm.cur.col + 1);
}

/* A page up or down: the view moves by a page and the cursor with it (tmux). */
static void page(struct console *c, int dir)
{
        struct pane *p = cpane(c);
        int rows = vt_rows(p->vt), n = rows > 2 ? rows - 1 : 1;
        int scroll = p->scroll + dir * n;
        if (scroll > vt_scrollback(p->vt))
                scroll = vt_scrollback(p->vt);
        if (scroll < 0)
                scroll = 0;
        int moved = scroll - p->scroll;
        p->scroll = scroll;
        move_to(p, p->cm.cur.line - (moved ? moved : dir * n), p->cm.cur.col);
}

static void k_pgup(struct console *c, int key)
{
        (void)key;
        page(c, 1);
}

static void k_pgdn(struct console *c, int key)
{
        (void)key;
        page(c, -1);
}

static void k_top(struct console *c, int key)
{
        (void)key;
        move_to(cpane(c), 0, 0);
}

static void k_bottom(struct console *c, int key)
{
        (void)key;
        struct pane *p = cpane(c);
        move_to(p, vt_lines(p->vt) - 1, 0);
}

static void k_bol(struct console *c, int key)
{
        (void)key;
        struct pane *p = cpane(c);
        move_to(p, p->cm.cur.line, 0);
}

static void k_eol(struct console *c, int key)
{
        (void)key;
        struct pane *p = cpane(c);
        char line[LINE_MAX_BYTES];
        vt_line_text(p->vt, p->cm.cur.line, line, sizeof(line));
        int n = col_of_byte(line, strlen(line));
        move_to(p, p->cm.cur.line, n > 0 ? n - 1 : 0);
}

static void k_select(struct console *c, int key)
{
        (void)key;
        struct pane *p = cpane(c);
        p->cm.selecting = true;
        p->cm.mark = p->cm.cur;
}

static void k_copy(struct console *c, int key)
{
        (void)key;
        struct pane *p = cpane(c);
        size_t len = 0;
        char *t = selection_text(p, &len);
        if (!t) {
                con_msg(c, true, "Cannot copy: out of memory");
                return;
        }
        free(c->copy.buf);
        c->copy.buf = t;
        c->copy.len = len;
        con_msg(c, false, "Copied %zu bytes from %s (%s ] pastes)", len, p->title, keys_prefix(c));
        copy_leave(c, c->active);
}

static void k_search(struct console *c, int key)
{
        c->copy.typing = true;
        c->copy.back = key == '?';
        c->copy.tlen = 0;
        c->copy.text[0] = '\0';
        con_msg(c, false, "search %s: ", c->copy.back ? "up" : "down");
}

static void k_again(struct console *c, int key)
{
        if (!c->copy.last[0]) {
                con_msg(c, true, "No search yet (/ searches down, ? up)");
                return;
        }
        search(c, c->copy.last, key == 'N' ? !c->copy.last_back : c->copy.last_back);
}

static void k_escape(struct console *c, int key)
{
        (void)key;
        struct pane *p = cpane(c);
        if (p->cm.selecting)
                p->cm.selecting = false;
        else
                copy_leave(c, c->active);
}

static void k_leave(struct console *c, int key)
{
        (void)key;
        copy_leave(c, c->active);
}

const struct key_binding copy_keys[] = {
    {K_UP, "cursor up", k_up},
    {'k', "cursor up", k_up},
    {K_DOWN, "cursor down", k_down},
    {'j', "cursor down", k_down},
    {K_LEFT, "cursor left", k_left},
    {'h', "cursor left", k_left},
    {K_RIGHT, "cursor right", k_right},
    {'l', "cursor right", k_right},
    {K_PGUP, "one page up", k_pgup},
    {'b', "one page up", k_pgup},
    {K_CTRL_B, "one page up", k_pgup},
    {K_PGDN, "one page down", k_pgdn},
    {'f', "one page down", k_pgdn},
    {K_CTRL_F, "one page down", k_pgdn},
    {'g', "the oldest line", k_top},
    {K_HOME, "the oldest line", k_top},
    {'G', "the newest line", k_bottom},
    {K_END, "the newest line", k_bottom},
    {'0', "start of the line", k_bol},
    {'$', "end of the line", k_eol},
    {'/', "search down (then n, N)", k_search},
    {'?', "search up", k_search},
    {'n', "next match", k_again},
    {'N', "previous match", k_again},
    {K_SPACE, "start selecting at the cursor", k_select},
    {'v', "start selecting at the cursor", k_select},
    {K_ENTER, "copy the selection (or the line) and leave", k_copy},
    {K_ESC, "clear the selection, or leave", k_escape},
    {'q', "leave copy mode", k_leave},
    {K_NONE, NULL, NULL},
};

/* ---- drawing, paste, save ---- */

void copy_draw(struct console *c, int id, struct rect in)
{
        struct pane *p = &c->panes[id];
        if (!p->copy || !p->vt)
                return;
        int top = view_top(p);
        struct copy_pos a, b;
        sel_bounds(p, &a, &b);
        for (int r = 0; r < in.h; r++) {
                int l = top + r;
                if (p->cm.selecting && l >= a.line && l <= b.line) {
                        int s = l == a.line ? a.col : 0, e = l == b.line ? b.col : in.w - 1;
                        if (e >= in.w)
                                e = in.w - 1;
                        if (s < in.w && e >= s)
                                mvchgat(in.y + r, in.x + s, e - s + 1, A_REVERSE, 0, NULL);
                }
                if (l == p->cm.cur.line && p->cm.cur.col < in.w)
                        mvchgat(in.y + r, in.x + p->cm.cur.col, 1, A_REVERSE | A_BOLD, 0, NULL);
        }
}

int copy_paste(struct console *c, int id, char *err)
{
        struct pane *p = &c->panes[id];
        if (!c->copy.buf || c->copy.len == 0) {
                errno = ENOENT;
                return errf(err, "The paste buffer is empty (%s [, Space, move, Enter copies)",
                            keys_prefix(c));
        }
        if (!pane_takes_typing(p) || p->fd < 0) {
                errno = EINVAL;
                return errf(err, "Paste into a shell pane (this one has no shell)");
        }
        char *t = malloc(c->copy.len);
        if (!t)
                return errf(err, "Cannot paste: out of memory");
        for (size_t i = 0; i < c->copy.len; i++)
                t[i] = c->copy.buf[i] == '\n' ? '\r' : c->copy.buf[i];
        pane_write(p, t, c->copy.len);
        free(t);
        return 0;
}

int copy_save(struct console *c, int id, const char *path, char *err)
{
        struct pane *p = &c->panes[id];
        if (!p->vt) {
                errno = EINVAL;
                return errf(err, "Pane %d has no text to save", pane_number(c, id));
        }
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
                return errf(err, "Cannot save to \"%s\": %s", path, strerror(errno));
        FILE *f = fdopen(fd, "w");
        if (!f) {
                close(fd);
                return errf(err, "Cannot save to \"%s\": %s", path, strerror(errno));
        }
        int total = vt_lines(p->vt), last = -1;
        char line[LINE_MAX_BYTES];
        for (int l = 0; l < total; l++)
                if (vt_line_text(p->vt, l, line, sizeof(line)) > 0)
                        last = l;
        for (int l = 0; l <= last; l++) {
                vt_line_text(p->vt, l, line, sizeof(line));
                fprintf(f, "%s\n", line);
        }
        if (fclose(f) != 0)
                return errf(err, "Cannot save to \"%s\": %s", path, strerror(errno));
        con_msg(c, false, "Saved %d lines of pane %d (%s) to %s", last + 1, pane_number(c, id),
                p->title, path);
        return 0;
}

void copy_free(struct console *c)
{
        free(c->copy.buf);
        c->copy.buf = NULL;
        c->copy.len = 0;
}
