/* monotime.h — netlab's one clock: CLOCK_MONOTONIC, for deadlines, timers
 * and durations (never the wall clock, which jumps). */
#ifndef NETLAB_MONOTIME_H
#define NETLAB_MONOTIME_H
#include <stdint.h>

int64_t monotime_ns(void);
long long monotime_ms(void);
double monotime_s(void);

#endif
