/* plotpane.h — the console's plot panes: `plot NAME` opens a pane that
 * draws the lab's series NAME (lab:series) with plot.h, redrawn as samples
 * come. */
#ifndef NETLAB_UI_PLOTPANE_H
#define NETLAB_UI_PLOTPANE_H
#include "layout.h"

struct console;

/* Draws plot pane id's chart into in (the pane's content area). */
void plotpane_draw(struct console *c, int id, struct rect in);

#endif
