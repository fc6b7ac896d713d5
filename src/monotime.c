/* monotime.c — netlab's one monotonic clock (monotime.h). */
#include "monotime.h"
#include <time.h>

int64_t monotime_ns(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

long long monotime_ms(void)
{
        return (long long)(monotime_ns() / 1000000);
}

double monotime_s(void)
{
        return (double)monotime_ns() / 1e9;
}
