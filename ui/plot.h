/* plot.h — a series as a line chart of text cells (no curses, no lab):
 * Unicode braille (2x4 dots a cell) or ASCII '*', the value axis labelled
 * on the left (max, middle, min), the time axis below (first and last t). */
#ifndef NETLAB_UI_PLOT_H
#define NETLAB_UI_PLOT_H
#include <stdbool.h>
#include <stddef.h>

#define PLOT_LABEL_W 9 /* the value labels and the axis line: "  12.34 ┤" */

/* The chart of samples (t[i], v[i]), i < n, t ascending, in rows x cols
 * cells: rows lines, each ending with '\n', each exactly cols cells wide.
 * Too small for a chart (rows < 3 or cols < PLOT_LABEL_W + 4), or no
 * samples: one line saying so. Returns malloc'd text, NULL when out of
 * memory. */
char *plot_render(const double *t, const double *v, size_t n, int rows, int cols, bool utf8);

/* A sparkline of n values in cols cells (the last cols values; "▁▂▃▄▅▆▇█",
 * or " .:-=+*#" in ASCII), scaled from 0 to their maximum. buf gets at most
 * cols cells (4 bytes each in UTF-8) and a NUL. */
void plot_spark(const double *v, size_t n, int cols, bool utf8, char *buf, size_t len);

#endif
