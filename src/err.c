/* err.c — formatting of error messages into caller buffers (see err.h). */
#include "err.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int errf(char *err, const char *fmt, ...)
{
        int saved = errno;
        if (err) {
                va_list ap;
                va_start(ap, fmt);
                vsnprintf(err, ERRLEN, fmt, ap);
                va_end(ap);
        }
        errno = saved;
        return -1;
}

int errf_sys(char *err, const char *extack, const char *fmt, ...)
{
        int saved = errno;
        if (err) {
                va_list ap;
                va_start(ap, fmt);
                int n = vsnprintf(err, ERRLEN, fmt, ap);
                va_end(ap);
                if (n < 0)
                        n = 0;
                if (n < ERRLEN)
                        snprintf(err + n, ERRLEN - (size_t)n, ": %s",
                                 extack && *extack ? extack : strerror(saved));
        }
        errno = saved;
        return -1;
}
