/* pingmatrix.c — pingall's report (see pingmatrix.h). */
#include "pingmatrix.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ping_parse(const char *out, struct ping_result *r)
{
        memset(r, 0, sizeof(*r));
        r->done = true;
        const char *t = out ? strstr(out, " packets transmitted, ") : NULL;
        if (!t)
                return -1;
        const char *s = t;
        while (s > out && s[-1] >= '0' && s[-1] <= '9')
                s--;
        if (sscanf(s, "%d packets transmitted, %d", &r->sent, &r->received) != 2) {
                r->sent = r->received = 0;
                return -1;
        }
        const char *rtt = strstr(t, " = ");
        if (r->received > 0 && rtt && strstr(t, "min/avg/max"))
                sscanf(rtt, " = %lf/%lf/%lf/%lf", &r->min, &r->avg, &r->max, &r->mdev);
        return 0;
}

struct text {
        char *s;
        size_t len, cap;
        bool oom;
};

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct text *t, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (n < 0 || t->oom)
                return;
        if (t->len + (size_t)n + 1 > t->cap) {
                size_t cap = t->cap ? t->cap : 256;
                while (t->len + (size_t)n + 1 > cap)
                        cap *= 2;
                char *s = realloc(t->s, cap);
                if (!s) {
                        t->oom = true;
                        return;
                }
                t->s = s;
                t->cap = cap;
        }
        va_start(ap, fmt);
        vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        t->len += (size_t)n;
}

char *ping_matrix_format(const char *const *names, int n, const struct ping_result *r, bool full,
                         int *received, int *sent)
{
        struct text t = {0};
        int ok = 0, all = 0;
        int w = 0;
        for (int i = 0; i < n; i++)
                if ((int)strlen(names[i]) > w)
                        w = (int)strlen(names[i]);
        add(&t, "*** Ping: testing ping reachability\n");
        for (int i = 0; i < n; i++) {
                add(&t, "%-*s ->", w, names[i]);
                for (int k = 0; k < n; k++) {
                        if (k == i)
                                continue;
                        const struct ping_result *p = &r[i * n + k];
                        bool got = p->received > 0;
                        all++;
                        ok += got;
                        add(&t, " %-*s", (int)strlen(names[k]), got ? names[k] : "X");
                }
                /* no trailing blanks */
                while (t.len > 0 && t.s && t.s[t.len - 1] == ' ')
                        t.s[--t.len] = '\0';
                add(&t, "\n");
        }
        int drop = all ? (all - ok) * 100 / all : 0; /* Mininet rounds the loss down */
        if (!full) {
                add(&t, "*** Results: %d%% dropped (%d/%d received)\n", drop, ok, all);
        } else {
                add(&t, "*** Results:\n");
                for (int i = 0; i < n; i++)
                        for (int k = 0; k < n; k++) {
                                const struct ping_result *p = &r[i * n + k];
                                if (k == i)
                                        continue;
                                if (p->received > 0)
                                        add(&t,
                                            " %s->%s: %d/%d, rtt min/avg/max/mdev "
                                            "%0.3f/%0.3f/%0.3f/%0.3f ms\n",
                                            names[i], names[k], p->received, p->sent, p->min,
                                            p->avg, p->max, p->mdev);
                                else
                                        add(&t, " %s->%s: %d/%d, no reply\n", names[i], names[k],
                                            p->received, p->sent ? p->sent : 1);
                        }
                add(&t, "*** %d%% dropped (%d/%d received)\n", drop, ok, all);
        }
        if (received)
                *received = ok;
        if (sent)
                *sent = all;
        if (t.oom) {
                free(t.s);
                return NULL;
        }
        return t.s;
}
