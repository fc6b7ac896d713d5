/* dp_poll.c — the adaptive busy-poll window (dp_poll.h says how it tunes). */
#include "dp_poll.h"
#include <errno.h>
#include <stdlib.h>

void dp_poll_init(struct dp_poll *p, int64_t max_ns)
{
        p->window = 0;
        p->max = max_ns > 0 ? max_ns : 0;
        p->quiet_until = 0;
        p->backoff = DP_POLL_BACKOFF;
}

void dp_poll_blocked(struct dp_poll *p, int64_t waited)
{
        if (p->max <= 0) {
                p->window = 0;
                return;
        }
        if (waited > p->max) {
                p->window /= 2;
                if (p->window < DP_POLL_START)
                        p->window = 0;
                return;
        }
        int64_t w = p->window * 2;
        if (w < DP_POLL_START)
                w = DP_POLL_START;
        if (w < waited + waited / 4)
                w = waited + waited / 4;
        p->window = w < p->max ? w : p->max;
}

void dp_poll_preempted(struct dp_poll *p, int64_t now)
{
        p->window = 0;
        p->quiet_until = now + p->backoff;
        p->backoff = p->backoff * 2 < DP_POLL_BACKOFF_MAX ? p->backoff * 2 : DP_POLL_BACKOFF_MAX;
}

void dp_poll_bulk(struct dp_poll *p, int64_t now)
{
        p->window = 0;
        if (p->quiet_until < now + DP_POLL_BULK_PAUSE)
                p->quiet_until = now + DP_POLL_BULK_PAUSE;
}

void dp_poll_caught(struct dp_poll *p)
{
        p->backoff = p->backoff / 2 > DP_POLL_BACKOFF ? p->backoff / 2 : DP_POLL_BACKOFF;
}

int64_t dp_poll_window(const struct dp_poll *p, int64_t now)
{
        return now < p->quiet_until ? 0 : p->window;
}

int64_t dp_poll_lead(const struct dp_poll *p, int64_t now)
{
        if (p->max <= 0 || now < p->quiet_until)
                return 0;
        return p->max < DP_POLL_LEAD ? p->max : DP_POLL_LEAD;
}

int64_t dp_poll_max_parse(const char *env)
{
        if (!env)
                return DP_POLL_MAX_DEFAULT;
        char *end;
        errno = 0;
        long long us = strtoll(env, &end, 10);
        if (errno || end == env || *end || us < 0 || us > 1000000)
                return -1;
        return us * 1000;
}
