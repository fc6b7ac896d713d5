/* plotpane.c — `plot [NAME]` and the plot panes (see plotpane.h).
 *
 * The chart is rendered again when the series has new samples or the pane
 * a new size; while a command runs on the worker (cmdwork.h: it owns the
 * Lua state, a reload may free it) the last chart is drawn as it was. */
#include "plotpane.h"
#include "cmdwork.h"
#include "commands.h"
#include "console.h"
#include "draw.h"
#include "nlua.h"
#include "plot.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void title(struct pane *p, const struct nlua_series *s)
{
        char t[256];
        if (p->named)
                return;
        if (!s)
                snprintf(t, sizeof(t), "plot %s: no samples yet", p->series);
        else if (s->n == 0)
                snprintf(t, sizeof(t), "plot %s%s%s%s: no samples yet", s->name,
                         s->unit[0] ? " (" : "", s->unit, s->unit[0] ? ")" : "");
        else
                snprintf(t, sizeof(t), "plot %s%s%s%s: %zu, last %.4g", s->name,
                         s->unit[0] ? " (" : "", s->unit, s->unit[0] ? ")" : "", s->n,
                         s->v[s->n - 1]);
        snprintf(p->title, sizeof(p->title), "%.63s", t);
}

void plotpane_draw(struct console *c, int id, struct rect in)
{
        struct pane *p = &c->panes[id];
        if (!cmdwork_busy(c) && c->L) {
                const struct nlua_series *s = nlua_series_find(c->L, p->series);
                unsigned gen = s ? s->gen + 1 : 0; /* +1: an empty series differs from none */
                if (!p->chart || gen != p->chart_gen || in.h != p->chart_rows ||
                    in.w != p->chart_cols) {
                        char *ch = plot_render(s ? s->t : NULL, s ? s->v : NULL, s ? s->n : 0,
                                               in.h, in.w, c->utf8);
                        if (ch) {
                                free(p->chart);
                                p->chart = ch;
                                p->chart_gen = gen;
                                p->chart_rows = in.h;
                                p->chart_cols = in.w;
                        }
                        title(p, s);
                }
        }
        const char *l = p->chart;
        for (int y = 0; l && *l && y < in.h; y++) {
                const char *e = strchr(l, '\n');
                size_t n = e ? (size_t)(e - l) : strlen(l);
                char line[2048];
                snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : sizeof(line) - 1),
                         l);
                put_str(in.y + y, in.x, in.w, line, y == in.h - 1 ? A_DIM : 0);
                l = e ? e + 1 : NULL;
        }
}

/* plot: the series' names; plot NAME: its pane (the one there is, or a new one). */
int c_plot(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)rest;
        int n = nlua_series_count(c->L);
        char names[512];
        size_t o = 0;
        names[0] = '\0';
        for (int i = 0; i < n && o + 70 < sizeof(names); i++)
                o += (size_t)snprintf(names + o, sizeof(names) - o, " %s",
                                      nlua_series_at(c->L, i)->name);
        if (argc == 0) {
                con_msg(c, false, n ? "series:%s (plot NAME)" : "%s",
                        n ? names : "No series yet (an experiment makes them: lab:series(NAME))");
                return 0;
        }
        if (strlen(argv[0]) >= sizeof(c->panes[0].series)) {
                errno = EINVAL;
                return errf(err, "plot: no series named '%.40s...'", argv[0]);
        }
        for (int i = 0; i < MAXPANES; i++)
                if (c->panes[i].used && c->panes[i].kind == P_PLOT &&
                    !strcmp(c->panes[i].series, argv[0])) {
                        c->active = i;
                        c->dirty = true;
                        return 0;
                }
        int id = con_split(c, P_PLOT, -1, 0, err);
        if (id < 0)
                return -1;
        struct pane *p = &c->panes[id];
        snprintf(p->series, sizeof(p->series), "%s", argv[0]);
        snprintf(p->title, sizeof(p->title), "plot %s", argv[0]);
        c->dirty = true;
        if (!nlua_series_find(c->L, argv[0]))
                con_msg(c, false, "plot %s: no samples yet (%s%s); the pane draws them as they come",
                        argv[0], n ? "series now:" : "no series yet", names);
        return 0;
}
