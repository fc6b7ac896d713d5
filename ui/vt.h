/* vt.h — a terminal emulator pane: libvterm screen + scrollback, drawn into
 * an ncurses window (colours, attributes, cursor, wide characters). */
#ifndef NETLAB_UI_VT_H
#define NETLAB_UI_VT_H
#include <stdbool.h>
#include <stddef.h>
#include <curses.h>

struct vt;
/* Bytes the terminal answers with (device status, key encodings): to the pty. */
typedef void (*vt_out_fn)(void *ud, const char *buf, size_t len);

struct vt *vt_new(int rows, int cols, vt_out_fn out, void *ud);
void vt_free(struct vt *vt);
void vt_feed(struct vt *vt, const char *buf, size_t len);
void vt_resize(struct vt *vt, int rows, int cols);
/* Draws the visible part, scrolled back by `scroll` lines (0 = live), into
 * win at (y, x), clipped to h x w. */
void vt_draw(struct vt *vt, WINDOW *win, int y, int x, int h, int w, int scroll);
/* Cursor position and visibility (live view). */
void vt_cursor(const struct vt *vt, int *row, int *col, bool *visible);
int vt_scrollback(const struct vt *vt); /* lines kept */
/* True once since the last call when the screen changed. */
bool vt_take_damage(struct vt *vt);
/* Sends a cursor key (0 up, 1 down, 2 right, 3 left, 4 home, 5 end) the way
 * the program in the pane asked for (normal or application mode). */
void vt_key(struct vt *vt, int key);
/* Text of one screen row (live), for tests and dumps. */
size_t vt_row_text(const struct vt *vt, int row, char *buf, size_t len);
/* Lines are numbered from the oldest line kept (0) to the screen's last
 * row (vt_lines() - 1): the scrollback, then the screen. */
int vt_lines(const struct vt *vt);
int vt_rows(const struct vt *vt);
/* Text of one line, trailing blanks cut (UTF-8). */
size_t vt_line_text(const struct vt *vt, int line, char *buf, size_t len);
/* How many lines have ever been pushed into the scrollback (a view pinned
 * to some line moves by the difference). */
long long vt_pushed(const struct vt *vt);
/* Maps a libvterm-style colour index / RGB to the nearest curses colour. */
short vt_curses_color(int idx);

#endif
