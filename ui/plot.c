/* plot.c — text charts of series (see plot.h): the renderer behind the
 * console's `plot NAME` pane and the inspector's throughput sparkline. */
#include "plot.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Braille dot bits by (column 0-1, row 0-3) within a cell. */
static const uint8_t dot_bit[2][4] = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}};

static void put_braille(char **o, uint8_t bits)
{
        unsigned cp = 0x2800u + bits;
        *(*o)++ = (char)(0xE0 | (cp >> 12));
        *(*o)++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *(*o)++ = (char)(0x80 | (cp & 0x3F));
}

static void put_text(char **o, const char *s)
{
        size_t l = strlen(s);
        memcpy(*o, s, l);
        *o += l;
}

/* "%g" of v within w characters (fewer digits until it fits). */
static void label(char *buf, size_t len, double v, int w)
{
        for (int prec = 5; prec >= 1; prec--) {
                snprintf(buf, len, "%.*g", prec, v);
                if ((int)strlen(buf) <= w)
                        return;
        }
        snprintf(buf, len, "%.*s", w, "#######");
}

static char *one_line(int cols, const char *msg)
{
        char *s = malloc((size_t)cols + 2);
        if (!s)
                return NULL;
        snprintf(s, (size_t)cols + 1, "%-*.*s", cols, cols, msg);
        strcat(s, "\n");
        return s;
}

char *plot_render(const double *t, const double *v, size_t n, int rows, int cols, bool utf8)
{
        if (cols < 1)
                cols = 1;
        if (n == 0)
                return one_line(cols, "(no samples yet)");
        int W = cols - PLOT_LABEL_W, H = rows - 1;
        if (rows < 3 || W < 4)
                return one_line(cols, "(too small for a chart)");
        double t0 = t[0], t1 = t[n - 1], lo = v[0], hi = v[0];
        for (size_t i = 1; i < n; i++) {
                lo = v[i] < lo ? v[i] : lo;
                hi = v[i] > hi ? v[i] : hi;
        }
        if (hi == lo) {
                double d = fabs(hi) > 0 ? fabs(hi) * 0.1 : 1;
                hi += d, lo -= d;
        }
        if (t1 <= t0)
                t1 = t0 + 1;
        int DW = W * (utf8 ? 2 : 1), DH = H * (utf8 ? 4 : 1); /* dots */
        uint8_t *grid = calloc((size_t)DW * (size_t)DH, 1);
        if (!grid)
                return NULL;
        int px = -1, py = -1;
        for (size_t i = 0; i < n; i++) {
                int x = (int)lround((t[i] - t0) / (t1 - t0) * (DW - 1));
                int y = (int)lround((hi - v[i]) / (hi - lo) * (DH - 1));
                x = x < 0 ? 0 : x >= DW ? DW - 1 : x;
                y = y < 0 ? 0 : y >= DH ? DH - 1 : y;
                if (px < 0) {
                        grid[y * DW + x] = 1;
                } else { /* the segment from the previous sample */
                        int steps = abs(x - px) > abs(y - py) ? abs(x - px) : abs(y - py);
                        for (int k = 0; k <= steps; k++) {
                                int sx = steps ? px + (x - px) * k / steps : x;
                                int sy = steps ? py + (y - py) * k / steps : y;
                                grid[sy * DW + sx] = 1;
                        }
                }
                px = x, py = y;
        }
        /* rows x (label + W cells of up to 3 bytes) + the time axis */
        char *out = malloc((size_t)rows * ((size_t)cols * 3 + 8) + 64);
        if (!out) {
                free(grid);
                return NULL;
        }
        char *o = out, lab[32];
        for (int r = 0; r < H; r++) {
                bool labelled = r == 0 || r == H - 1 || (H >= 5 && r == H / 2);
                if (labelled) {
                        double lv = hi - (hi - lo) * r / (H - 1);
                        label(lab, sizeof(lab), lv, PLOT_LABEL_W - 2);
                        o += sprintf(o, "%*s ", PLOT_LABEL_W - 2, lab);
                        put_text(&o, utf8 ? "┤" : "+");
                } else {
                        o += sprintf(o, "%*s", PLOT_LABEL_W - 1, "");
                        put_text(&o, utf8 ? "│" : "|");
                }
                for (int c = 0; c < W; c++) {
                        if (utf8) {
                                uint8_t bits = 0;
                                for (int dx = 0; dx < 2; dx++)
                                        for (int dy = 0; dy < 4; dy++)
                                                if (grid[(r * 4 + dy) * DW + c * 2 + dx])
                                                        bits |= dot_bit[dx][dy];
                                if (bits)
                                        put_braille(&o, bits);
                                else
                                        *o++ = ' ';
                        } else {
                                *o++ = grid[r * DW + c] ? '*' : ' ';
                        }
                }
                *o++ = '\n';
        }
        /* time axis: "        └ 0s ..... 12.5s" */
        o += sprintf(o, "%*s", PLOT_LABEL_W - 1, "");
        put_text(&o, utf8 ? "└" : "+");
        char a[24], b[24];
        label(a, sizeof(a), t0, 10);
        label(b, sizeof(b), t[n - 1], 10);
        strcat(a, "s");
        strcat(b, "s");
        int la = (int)strlen(a), lb = (int)strlen(b);
        if (la + lb + 1 <= W)
                o += sprintf(o, "%s%*s", a, W - la, b);
        else
                o += sprintf(o, "%-*.*s", W, W, b);
        *o++ = '\n';
        *o = '\0';
        free(grid);
        return out;
}

void plot_spark(const double *v, size_t n, int cols, bool utf8, char *buf, size_t len)
{
        static const char *const bars[8] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
        static const char ascii[] = " .:-=+*#";
        size_t o = 0;
        if (len)
                buf[0] = '\0';
        if (cols <= 0 || !len)
                return;
        size_t first = n > (size_t)cols ? n - (size_t)cols : 0;
        double hi = 0;
        for (size_t i = first; i < n; i++)
                hi = v[i] > hi ? v[i] : hi;
        for (size_t i = first; i < n; i++) {
                int k = hi > 0 ? (int)(v[i] / hi * 7 + 0.5) : 0;
                k = k < 0 ? 0 : k > 7 ? 7 : k;
                const char *s = utf8 ? bars[k] : (char[]){ascii[k], 0};
                size_t l = strlen(s);
                if (o + l + 1 > len)
                        break;
                memcpy(buf + o, s, l);
                o += l;
                buf[o] = '\0';
        }
}
