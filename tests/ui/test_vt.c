/* test_vt.c — unit tests of the VT pane (ui/vt.c): text, cursor, answers
 * to the program, scrollback, resize. */
#include "check.h"
#include "vt.h"
#include <stdio.h>
#include <string.h>


static char answer[64];
static void out(void *ud, const char *buf, size_t len)
{
        (void)ud;
        strncat(answer, buf, len < 60 ? len : 60);
}

int main(void)
{
        struct vt *vt = vt_new(5, 20, out, NULL);
        char line[128];
        int r, c;
        bool vis;
        CHECK(vt != NULL);
        vt_feed(vt, "hello\r\n\033[31mred\033[0m x", 22);
        vt_row_text(vt, 0, line, sizeof(line));
        CHECK(strcmp(line, "hello") == 0);
        vt_row_text(vt, 1, line, sizeof(line));
        CHECK(strcmp(line, "red x") == 0);
        vt_cursor(vt, &r, &c, &vis);
        CHECK(r == 1 && c == 5 && vis);
        CHECK(vt_take_damage(vt) && !vt_take_damage(vt));
        /* Device status report: the terminal answers the cursor position. */
        vt_feed(vt, "\033[6n", 4);
        CHECK(strcmp(answer, "\033[2;6R") == 0);
        /* Cursor keys follow the application cursor mode (DECCKM). */
        answer[0] = 0;
        vt_key(vt, 0);
        CHECK(strcmp(answer, "\033[A") == 0);
        vt_feed(vt, "\033[?1h", 5);
        answer[0] = 0;
        vt_key(vt, 0);
        CHECK(strcmp(answer, "\033OA") == 0);
        /* Scrollback keeps lines that leave the top. */
        for (int i = 0; i < 30; i++) {
                char b[32];
                int n = snprintf(b, sizeof(b), "\r\nline %d", i);
                vt_feed(vt, b, (size_t)n);
        }
        CHECK(vt_scrollback(vt) >= 25);
        vt_row_text(vt, 4, line, sizeof(line));
        CHECK(strcmp(line, "line 29") == 0);
        /* Growing pulls lines back from the scrollback. */
        int before = vt_scrollback(vt);
        vt_resize(vt, 10, 30);
        CHECK(vt_scrollback(vt) < before);
        vt_row_text(vt, 9, line, sizeof(line));
        CHECK(strcmp(line, "line 29") == 0);
        /* Hide the cursor (as full-screen programs do). */
        vt_feed(vt, "\033[?25l", 6);
        vt_cursor(vt, &r, &c, &vis);
        CHECK(!vis);
        vt_free(vt);
        return check_done("ui_unit_vt");
}
