/* help.h — help printed from the key and command tables: the overlay
 * (Ctrl-b ?), and `netlab --help-keys`, the Markdown tables of README's
 * console section. Nothing here is hand-listed. */
#ifndef NETLAB_UI_HELP_H
#define NETLAB_UI_HELP_H
#include <stdbool.h>
#include <stdio.h>

struct console;

/* The overlay's text, one line per call of out(); prefix_key names the prefix. */
void help_lines(int prefix_key, void (*out)(void *ud, const char *line), void *ud);
/* Paints the overlay (scrolled to c->keys.help_top). */
void help_draw(struct console *c);
/* Keys while the overlay is up: scrolling keys scroll, any other key closes it. */
void help_key(struct console *c, int key);
/* README's tables (Markdown). Returns 0, or -1 when an entry lacks its help. */
int help_markdown(FILE *out);

#endif
