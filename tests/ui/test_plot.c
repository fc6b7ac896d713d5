/* test_plot.c — the plot pane's renderer: every line exactly as wide as
 * the pane, the value axis labelled with the max at the top and the min at
 * the bottom, a rising series drawn from the bottom left to the top right
 * (braille dots and ASCII), the time axis' first and last t, the small and
 * empty cases, and the sparkline's scale. */
#include "check.h"
#include "plot.h"
#include <stdlib.h>
#include <string.h>

/* Display cells of one line (UTF-8 code points, no wide characters here). */
static int cells(const char *s, size_t len)
{
        int n = 0;
        for (size_t i = 0; i < len; i++)
                n += ((unsigned char)s[i] & 0xC0) != 0x80;
        return n;
}

/* Line k of text (without its '\n') into buf. */
static const char *line(const char *text, int k, char *buf, size_t len)
{
        const char *s = text;
        for (int i = 0; i < k && s; i++) {
                s = strchr(s, '\n');
                s = s ? s + 1 : NULL;
        }
        if (!s)
                return "";
        size_t l = strcspn(s, "\n");
        snprintf(buf, len, "%.*s", (int)l, s);
        return buf;
}

static int nlines(const char *text)
{
        int n = 0;
        for (; *text; text++)
                n += *text == '\n';
        return n;
}

int main(void)
{
        double t[11], v[11];
        for (int i = 0; i <= 10; i++)
                t[i] = i * 0.5, v[i] = 10 + i * 9; /* 10 .. 100 ms over 0 .. 5 s */
        char b[1024];
        for (int u = 0; u < 2; u++) {
                bool utf8 = u;
                char *p = plot_render(t, v, 11, 10, 40, utf8);
                CHECK(p != NULL);
                CHECK(nlines(p) == 10, "%d lines", nlines(p));
                for (int k = 0; k < 10; k++) {
                        line(p, k, b, sizeof(b));
                        CHECK(cells(b, strlen(b)) == 40, "utf8 %d line %d is %d cells: '%s'", u, k,
                              cells(b, strlen(b)), b);
                }
                CHECK(strstr(line(p, 0, b, sizeof(b)), "100 ") != NULL, "top label: %s", b);
                CHECK(strstr(line(p, 8, b, sizeof(b)), "10 ") != NULL, "bottom label: %s", b);
                CHECK(strstr(line(p, 4, b, sizeof(b)), "55 ") != NULL, "middle label: %s", b);
                line(p, 9, b, sizeof(b));
                CHECK(strstr(b, "0s") && strstr(b, "5s"), "time axis: %s", b);
                /* rising: the first plot cell of the bottom row and the last of the top row are set */
                const char *dot = utf8 ? "\xe2\xa0" : "*"; /* braille U+28xx starts e2 a0 or e2 a1..a3 */
                line(p, 8, b, sizeof(b));
                const char *first = b + (PLOT_LABEL_W - 1) + (utf8 ? 3 : 1);
                CHECK(utf8 ? (unsigned char)first[0] == 0xe2 : first[0] == '*',
                      "bottom left has a dot: '%s'", b);
                line(p, 0, b, sizeof(b));
                size_t l = strlen(b);
                CHECK(utf8 ? l >= 3 && (unsigned char)b[l - 3] == 0xe2 : b[l - 1] == '*',
                      "top right has a dot: '%s'", b);
                /* top left and bottom right stay empty */
                first = b + (PLOT_LABEL_W - 1) + (utf8 ? 3 : 1);
                CHECK(first[0] == ' ', "top left is empty: '%s'", b);
                (void)dot;
                free(p);
        }
        /* a constant series: a flat line in the middle, labels around it */
        double c[3] = {5, 5, 5};
        char *p = plot_render(t, c, 3, 6, 30, false);
        CHECK(p && strstr(p, "*") && strstr(line(p, 0, b, sizeof(b)), "5.5 "), "flat: %s", p);
        free(p);
        p = plot_render(t, v, 0, 10, 40, true);
        CHECK(p && strstr(p, "no samples") && nlines(p) == 1);
        free(p);
        p = plot_render(t, v, 11, 2, 40, true);
        CHECK(p && strstr(p, "too small") && nlines(p) == 1 && cells(p, strlen(p) - 1) == 40);
        free(p);
        p = plot_render(t, v, 11, 10, 12, true);
        CHECK(p && strstr(p, "too small"));
        free(p);
        /* one sample: one dot */
        p = plot_render(t, v, 1, 5, 20, false);
        CHECK(p && strchr(p, '*') && strchr(p, '*') == strrchr(p, '*'), "one dot: %s", p);
        free(p);

        double s[5] = {0, 25, 50, 75, 100};
        plot_spark(s, 5, 10, false, b, sizeof(b));
        CHECK(!strcmp(b, " :=+#"), "ascii spark '%s'", b);
        plot_spark(s, 5, 3, true, b, sizeof(b));
        CHECK(!strcmp(b, "▅▆█"), "the last 3, scaled to their max: '%s'", b);
        double z[2] = {0, 0};
        plot_spark(z, 2, 5, true, b, sizeof(b));
        CHECK(!strcmp(b, "▁▁"), "zeros: '%s'", b);
        return check_done("plot");
}
