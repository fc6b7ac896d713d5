/* check.h — the one assertion of the C tests.
 *
 *   CHECK(cond);                       prints "file:line: FAIL: cond"
 *   CHECK(cond, "fmt", args...);       adds ": " and the formatted detail
 *   return check_done("name");         "name: ok" (exit 0) or the count (exit 1)
 *
 * A failed check is counted and the test goes on, so one run shows every
 * failure. Header-only: each test is one translation unit. */
#ifndef NETLAB_CHECK_H
#define NETLAB_CHECK_H
#include <stdarg.h>
#include <stdio.h>

static int check_failures;

__attribute__((format(printf, 4, 5), unused)) static void
check_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
        char detail[512];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(detail, sizeof(detail), fmt, ap);
        va_end(ap);
        /* fmt starts with one space so that a CHECK without detail still has a
         * non-empty format; the space is not part of the detail. */
        if (detail[0] == ' ' && detail[1])
                fprintf(stderr, "%s:%d: FAIL: %s: %s\n", file, line, cond, detail + 1);
        else
                fprintf(stderr, "%s:%d: FAIL: %s\n", file, line, cond);
        check_failures++;
}

#define CHECK(cond, ...)                                                                           \
        do {                                                                                       \
                if (!(cond))                                                                       \
                        check_fail(__FILE__, __LINE__, #cond, " " __VA_ARGS__);                    \
        } while (0)

/* The test's exit status: 0 when every check passed, 1 otherwise. */
__attribute__((unused)) static int check_done(const char *name)
{
        if (check_failures) {
                fprintf(stderr, "%s: %d check(s) failed\n", name, check_failures);
                return 1;
        }
        printf("%s: ok\n", name);
        return 0;
}
#endif
