/* test_vt.c — unit tests of the VT pane (ui/vt.c): text, cursor, answers
 * to the program, scrollback, resize. */
#include "check.h"
#include "vt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char answer[64];
static void out(void *ud, const char *buf, size_t len)
{
        (void)ud;
        strncat(answer, buf, len < 60 ? len : 60);
}

/* How many lines (scrollback and screen) read text. */
static int count_lines(const struct vt *vt, const char *text)
{
        char line[128];
        int n = 0;
        for (int l = 0; l < vt_lines(vt); l++) {
                vt_line_text(vt, l, line, sizeof(line));
                n += strcmp(line, text) == 0;
        }
        return n;
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

        /* Resizing never loses text: rows cut by a narrower pane come back
         * when it widens; rows pushed into the scrollback while cut, or
         * pulled back out of it onto a narrow screen, are kept whole. */
        const char *full = "0123456789abcdefghijklmnopqrstuvwxyz-END";
        vt = vt_new(6, 40, out, NULL);
        vt_feed(vt, "\033[1;31m", 7);
        vt_feed(vt, full, strlen(full));
        vt_feed(vt, "\033[0m\r\nshort\r\n", 14);
        vt_feed(vt, full, strlen(full));
        vt_feed(vt, "\r\n", 2);
        vt_resize(vt, 6, 20);
        vt_row_text(vt, 0, line, sizeof(line));
        CHECK(strcmp(line, "0123456789abcdefghij") == 0, "narrow row 0: \"%s\"", line);
        vt_resize(vt, 6, 30);
        vt_row_text(vt, 0, line, sizeof(line));
        CHECK(strcmp(line, "0123456789abcdefghijklmnopqrst") == 0, "wider row 0: \"%s\"", line);
        vt_resize(vt, 6, 40);
        vt_row_text(vt, 0, line, sizeof(line));
        CHECK(strcmp(line, full) == 0, "row 0 back: \"%s\"", line);
        vt_row_text(vt, 1, line, sizeof(line));
        CHECK(strcmp(line, "short") == 0, "row 1: \"%s\"", line);
        vt_row_text(vt, 2, line, sizeof(line));
        CHECK(strcmp(line, full) == 0, "row 2 back: \"%s\"", line);
        int cr, cc;
        vt_cursor(vt, &cr, &cc, &vis);
        CHECK(cr == 3 && cc == 0, "the cursor stays where the program left it (%d,%d)", cr, cc);
        /* Narrow and short: cut rows scroll into the scrollback whole. */
        vt_resize(vt, 2, 15);
        vt_feed(vt, "\r\n\r\n\r\n", 6);
        int found = count_lines(vt, full);
        CHECK(found == 2, "%d whole lines in the scrollback", found);
        /* ... and stay whole when the pane grows again (pulled back onto
         * the screen or not). */
        vt_resize(vt, 6, 40);
        found = count_lines(vt, full);
        CHECK(found == 2, "%d whole lines after growing back", found);
        /* Pulled back onto a narrow screen, then widened: whole again. */
        vt_resize(vt, 2, 15);
        vt_resize(vt, 12, 15);
        vt_resize(vt, 12, 40);
        found = count_lines(vt, full);
        CHECK(found == 2, "%d whole lines after a tall narrow pane widened", found);
        vt_free(vt);

        /* Lines that begin alike (ping's) keep their own tails: a pane 23
         * columns wide zooms to 80x21, lines arrive, it unzooms and more
         * arrive; then zoom and unzoom again. The text reads in order,
         * each line once (newcomer s4 #2: seq=26 27 16 31 30 29 ...). */
        vt = vt_new(6, 23, out, NULL);
        int seq = 1;
        const int rounds[] = {12, 9, 15, 7, 20};
        for (size_t k = 0; k < sizeof(rounds) / sizeof(rounds[0]); k++) {
                for (int i = 0; i < rounds[k]; i++, seq++) {
                        char b[96];
                        int n = snprintf(b, sizeof(b),
                                         "64 bytes from d2 10.77.1.2 icmp_seq=%d ttl=64 time=0.1 ms\r\n",
                                         seq);
                        vt_feed(vt, b, (size_t)n);
                }
                if (k % 2 == 0)
                        vt_resize(vt, 21, 80);
                else
                        vt_resize(vt, 6, 23);
        }
        vt_resize(vt, 21, 80);
        int next = 1, bad = 0;
        for (int l = 0; l < vt_lines(vt); l++) {
                vt_line_text(vt, l, line, sizeof(line));
                const char *q = strstr(line, "icmp_seq=");
                if (!q)
                        continue;
                int got = atoi(q + 9);
                if (got != next && !bad++)
                        fprintf(stderr, "line %d: seq=%d where %d was next: \"%s\"\n", l, got,
                                next, line);
                next = got + 1;
        }
        CHECK(bad == 0, "%d lines out of order", bad);
        CHECK(next == seq, "the last line read seq=%d of %d", next - 1, seq - 1);
        vt_free(vt);

        /* A full-screen program (alternate screen) is never written a kept
         * row's tail, even when its row begins alike. */
        vt = vt_new(4, 40, out, NULL);
        vt_feed(vt, full, strlen(full));
        vt_feed(vt, "\r\n", 2);
        vt_resize(vt, 4, 20);
        vt_feed(vt, "\033[?1049h\033[H0123456789abcdefghij", 32);
        vt_resize(vt, 4, 40);
        vt_row_text(vt, 0, line, sizeof(line));
        CHECK(strcmp(line, "0123456789abcdefghij") == 0, "alternate screen row 0: \"%s\"", line);
        vt_free(vt);
        return check_done("ui_unit_vt");
}
