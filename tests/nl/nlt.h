/* nlt.h — helpers for the netlink tests: namespaces named nlt-PID-X made
 * with `ip netns add` and removed at exit (also on failure and on signals),
 * shell commands whose output the tests inspect (CHECK is tests/check.h). */
#ifndef NLT_H
#define NLT_H
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"
#include "monotime.h"

static char nlt_ns[128][32];
static int nlt_nns;


static void nlt_cleanup(void)
{
        char cmd[320];
        for (int i = 0; i < nlt_nns; i++) {
                snprintf(cmd, sizeof(cmd), "ip netns del %.31s 2>/dev/null", nlt_ns[i]);
                if (system(cmd) != 0) {
                        /* already gone */
                }
        }
        nlt_nns = 0;
}

static void nlt_signal(int sig)
{
        nlt_cleanup();
        signal(sig, SIG_DFL);
        raise(sig);
}

/* Output of a shell command (static buffer), trailing newline kept. */
__attribute__((format(printf, 1, 2))) static inline const char *sh(const char *fmt, ...)
{
        static char out[65536];
        char cmd[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(cmd, sizeof(cmd), fmt, ap);
        va_end(ap);
        out[0] = '\0';
        FILE *p = popen(cmd, "r");
        if (!p)
                return out;
        size_t n = fread(out, 1, sizeof(out) - 1, p);
        out[n] = '\0';
        pclose(p);
        return out;
}

__attribute__((format(printf, 1, 2))) static inline int run(const char *fmt, ...)
{
        char cmd[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(cmd, sizeof(cmd), fmt, ap);
        va_end(ap);
        int st = system(cmd);
        return st == -1 ? -1 : WEXITSTATUS(st);
}

/* Root check (exit 77 = skipped) and cleanup hooks. */
static inline void nlt_init(void)
{
        if (geteuid() != 0) {
                fprintf(stderr, "skipped: needs root\n");
                exit(77);
        }
        atexit(nlt_cleanup);
        signal(SIGINT, nlt_signal);
        signal(SIGTERM, nlt_signal);
        signal(SIGABRT, nlt_signal);
        signal(SIGSEGV, nlt_signal);
}

/* Creates namespace nlt-PID-tag; returns an fd on it and its name in name. */
static inline int nlt_netns(const char *tag, char *name, size_t len)
{
        snprintf(name, len, "nlt-%d-%.15s", (int)getpid(), tag);
        if (run("ip netns add %s", name) != 0) {
                fprintf(stderr, "cannot create namespace %s\n", name);
                exit(1);
        }
        snprintf(nlt_ns[nlt_nns++], sizeof(nlt_ns[0]), "%.31s", name);
        char path[128];
        snprintf(path, sizeof(path), "/run/netns/%.64s", name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                perror(path);
                exit(1);
        }
        run("ip -n %s link set lo up", name);
        return fd;
}

static inline double now_us(void)
{
        return (double)monotime_ns() / 1e3;
}

static inline int nlt_done(const char *name)
{
        return check_done(name);
}
#endif
