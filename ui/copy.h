/* copy.h — copy mode, as in tmux: a cursor over a pane's scrollback and
 * screen, the view pinned while output arrives, search with / and ?, a
 * selection copied into the paste buffer (pasted with prefix ]), and a
 * pane's whole text saved to a file. */
#ifndef NETLAB_UI_COPY_H
#define NETLAB_UI_COPY_H
#include <stdbool.h>
#include <stddef.h>
#include "keys.h"
#include "layout.h"

struct console;
struct pane;

/* A place in a pane's text: line (0 the oldest kept, see vt.h), column. */
struct copy_pos {
        int line, col;
};

/* Per pane (in struct pane). */
struct pane_copy {
        struct copy_pos cur, mark;
        bool selecting;
};

/* The console's: the paste buffer and the search being typed. */
struct copy_state {
        char *buf; /* the paste buffer */
        size_t len;
        bool typing;    /* a search string is being typed */
        bool back;      /* its direction: ? searches up */
        char text[128]; /* the search string */
        size_t tlen;
        bool last_back; /* the last search's direction, for n and N */
        char last[128];
};

/* The "copy" key table (keys.c lists it). */
extern const struct key_binding copy_keys[];

/* Enters copy mode in pane id (cursor on the program's cursor). */
void copy_enter(struct console *c, int id);
void copy_leave(struct console *c, int id);
/* Scrolls pane id's view by delta lines (>0: back), entering copy mode; at
 * the bottom, scrolling forward leaves it (the mouse wheel). */
void copy_scroll_view(struct console *c, int id, int delta);
/* Pane p was resized (its scrollback held sb lines before): a view in copy
 * mode stays on its top line, the cursor within the text. */
void copy_resized(struct pane *p, int sb);
/* Feeds output to a pane's screen; a view in copy mode stays on its lines. */
void copy_feed(struct pane *p, const char *buf, size_t len);
/* A key while a search string is typed. */
void copy_search_key(struct console *c, int key);
/* Paints the cursor and the selection over pane id's text at in. */
void copy_draw(struct console *c, int id, struct rect in);
/* The paste buffer into terminal pane id (LF becomes CR, as tmux pastes). */
int copy_paste(struct console *c, int id, char *err);
/* Pane id's whole text (scrollback and screen) into path. */
int copy_save(struct console *c, int id, const char *path, char *err);
void copy_free(struct console *c);

#endif
