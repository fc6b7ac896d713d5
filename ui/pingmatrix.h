/* pingmatrix.h — pingall's results as Mininet prints them (no curses, no lab).
 *
 * One row per source host, one column per destination in node order (the
 * source itself skipped, as Mininet does), "X" for a ping that failed, each
 * cell as wide as its destination's name so rows of equal names line up;
 * then the summary, and with full (pingallfull) each pair's RTTs. */
#ifndef NETLAB_UI_PINGMATRIX_H
#define NETLAB_UI_PINGMATRIX_H
#include <stdbool.h>
#include <stddef.h>

struct ping_result {
        bool done;
        int sent, received;
        double min, avg, max, mdev; /* ms; valid when received > 0 */
};

/* Reads iputils ping's summary ("N packets transmitted, M received",
 * "rtt min/avg/max/mdev = a/b/c/d ms") from its output. Returns 0, or -1
 * when there is no summary (r->sent = 0). */
int ping_parse(const char *out, struct ping_result *r);

/* The report for n hosts; r[i * n + k] is the ping from i to k. Returns a
 * malloc'd text (NULL when out of memory); *received and *sent (may be
 * NULL) get the totals of the summary line. */
char *ping_matrix_format(const char *const *names, int n, const struct ping_result *r, bool full,
                         int *received, int *sent);

#endif
