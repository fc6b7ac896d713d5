/* draw.h — painting the console (draw.c): everything into stdscr, one doupdate(). */
#ifndef NETLAB_UI_DRAW_H
#define NETLAB_UI_DRAW_H
#include <curses.h>

struct console;

void draw_all(struct console *c);
void draw_relayout_graph(struct console *c, int width);
struct node_kind;
/* How a node kind (src/kind.h) looks: the two brackets around its name
 * ("[]", "<>", "()") and the curses colour of its labels. */
const char *node_label_fmt(const struct node_kind *k);
short node_kind_colour(const struct node_kind *k);
/* The lines of a scrolling pane (inspector, experiments): line n is painted
 * at row y0 + n - top while it falls in the h rows. */
struct lines {
        int y0, x, w, h, top, n;
};
/* The row for the next line, or -1 when it is scrolled out (counted anyway). */
int lines_row(struct lines *s);
/* Records the pane's line count, clamps its offset, marks what is above/below. */
void lines_done(struct console *c, int id, struct lines *s);
/* Prints at most w cells of s (UTF-8) at y, x; returns the cells used. */
int put_str(int y, int x, int w, const char *s, attr_t a);
/* The cells s takes on the screen (UTF-8; an unreadable byte is one). */
int str_cells(const char *s);

#endif
