/* test_layout.c — unit tests of the pane layout tree (ui/layout.c). */
#include "check.h"
#include "layout.h"
#include <stdio.h>
#include <stdlib.h>


/* No two visible panes overlap and together with borders they stay inside area. */
static void check_tiling(struct layout *L, struct rect area)
{
        int ids[64];
        int n = layout_panes(L, ids, 64);
        for (int i = 0; i < n; i++) {
                struct rect a;
                if (!layout_rect(L, ids[i], &a))
                        continue;
                CHECK(a.x >= area.x && a.y >= area.y && a.x + a.w <= area.x + area.w &&
                      a.y + a.h <= area.y + area.h);
                for (int j = i + 1; j < n; j++) {
                        struct rect b;
                        if (!layout_rect(L, ids[j], &b))
                                continue;
                        bool overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h &&
                                       b.y < a.y + a.h;
                        CHECK(!overlap);
                }
        }
}

int main(void)
{
        struct layout L;
        char err[512];
        struct rect area = {0, 1, 120, 37}, r, r2;
        CHECK(layout_init(&L, 1) == 0);
        layout_compute(&L, area);
        CHECK(layout_rect(&L, 1, &r) && r.w == 120 && r.h == 37);

        /* Split left|right: a border column between. */
        CHECK(layout_split(&L, 1, LAY_H, 2, 0, err) == 0);
        CHECK(layout_rect(&L, 1, &r) && layout_rect(&L, 2, &r2));
        CHECK(r.w + 1 + r2.w == 120 && r2.x == r.x + r.w + 1 && r.h == 37 && r2.h == 37);
        /* Split pane 2 top/bottom. */
        CHECK(layout_split(&L, 2, LAY_V, 3, 0, err) == 0);
        CHECK(layout_rect(&L, 2, &r) && layout_rect(&L, 3, &r2));
        CHECK(r.h + r2.h == 37 && r2.y == r.y + r.h && r.w == r2.w);
        check_tiling(&L, area);
        int ids[8];
        CHECK(layout_panes(&L, ids, 8) == 3 && ids[0] == 1 && ids[1] == 2 && ids[2] == 3);

        /* Cycle and neighbours. */
        CHECK(layout_cycle(&L, 1, 1) == 2 && layout_cycle(&L, 3, 1) == 1 &&
              layout_cycle(&L, 1, -1) == 3);
        CHECK(layout_neighbour(&L, 1, 1, 0) == 2 || layout_neighbour(&L, 1, 1, 0) == 3);
        CHECK(layout_neighbour(&L, 2, 0, 1) == 3 && layout_neighbour(&L, 3, 0, -1) == 2);
        CHECK(layout_neighbour(&L, 2, -1, 0) == 1 && layout_neighbour(&L, 1, -1, 0) == -1);

        /* Zoom: pane 3 takes the whole area, the others are hidden; toggles back. */
        layout_zoom(&L, 3);
        CHECK(layout_rect(&L, 3, &r) && r.w == 120 && r.h == 37 && !layout_rect(&L, 1, &r2));
        layout_zoom(&L, 3);
        CHECK(layout_rect(&L, 1, &r2) && layout_rect(&L, 3, &r) && r.w < 120);

        /* Resize: pane 1 grows by 10 columns, its neighbour shrinks. */
        layout_rect(&L, 1, &r);
        CHECK(layout_resize(&L, 1, LAY_H, 10, err) == 0);
        layout_rect(&L, 1, &r2);
        CHECK(r2.w == r.w + 10);
        check_tiling(&L, area);
        CHECK(layout_resize(&L, 1, LAY_V, 3, err) == -1); /* no top/bottom split above 1 */

        /* Terminal resize scales everything. */
        struct rect small = {0, 1, 80, 21};
        layout_compute(&L, small);
        check_tiling(&L, small);
        CHECK(layout_rect(&L, 3, &r) && r.x + r.w == 80);

        /* Close: the sibling takes the space. */
        CHECK(layout_close(&L, 2, err) == 0);
        CHECK(layout_rect(&L, 3, &r) && r.h == 21 && !layout_has(&L, 2));
        CHECK(layout_close(&L, 3, err) == 0);
        CHECK(layout_rect(&L, 1, &r) && r.w == 80 && r.h == 21);
        CHECK(layout_close(&L, 1, err) == -1); /* the last pane stays */

        /* Too small to split. */
        struct rect tiny = {0, 0, 12, 2};
        layout_compute(&L, tiny);
        CHECK(layout_split(&L, 1, LAY_H, 9, 0, err) == -1);
        /* Many splits keep a valid tiling. */
        layout_compute(&L, area);
        for (int i = 10; i < 17; i++)
                layout_split(&L, layout_cycle(&L, 1, i), i % 2 ? LAY_H : LAY_V, i, 0, err);
        check_tiling(&L, area);
        CHECK(layout_panes(&L, ids, 8) == 8);
        layout_free(&L);
        return check_done("ui_unit_layout");
}
