/* journal.c — the append-only record of what a lab owns (see journal.h). */
#include "journal.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct journal {
        int fd;
};

struct journal *journal_open(const char *path, char *err)
{
        struct journal *j = calloc(1, sizeof(*j));
        if (!j) {
                errf_sys(err, NULL, "Cannot open journal \"%s\"", path);
                return NULL;
        }
        j->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (j->fd < 0) {
                errf_sys(err, NULL, "Cannot open journal \"%s\"", path);
                free(j);
                return NULL;
        }
        return j;
}

void journal_close(struct journal *j)
{
        if (!j)
                return;
        close(j->fd);
        free(j);
}

int journal_add(struct journal *j, const char *fmt, ...)
{
        char line[PATH_MAX_LINE];
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
        va_end(ap);
        if (n < 0 || (size_t)n >= sizeof(line) - 1) {
                errno = ENAMETOOLONG;
                return -1;
        }
        line[n++] = '\n';
        /* One write(2) of a whole line with O_APPEND: lines never interleave. */
        return write(j->fd, line, (size_t)n) == n ? 0 : -1;
}

int journal_read(const char *path, journal_line_fn fn, void *ud, char *err)
{
        FILE *f = fopen(path, "re");
        if (!f) {
                if (errno == ENOENT)
                        return 0;
                return errf_sys(err, NULL, "Cannot read journal \"%s\"", path);
        }
        char line[PATH_MAX_LINE];
        while (fgets(line, sizeof(line), f)) {
                char *argv[8];
                int argc = 0;
                for (char *tok = strtok(line, " \t\n"); tok && argc < 8;
                     tok = strtok(NULL, " \t\n"))
                        argv[argc++] = tok;
                if (argc > 0)
                        fn(ud, argc, argv);
        }
        fclose(f);
        return 0;
}

unsigned long long proc_starttime(pid_t pid)
{
        char path[64], buf[1024];
        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return 0;
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n <= 0)
                return 0;
        buf[n] = '\0';
        /* The command name (field 2) may hold spaces and ')': skip to the last ')'. */
        char *p = strrchr(buf, ')');
        if (!p)
                return 0;
        p += 2; /* field 3 */
        for (int field = 3; field < 22 && p; field++) {
                p = strchr(p, ' ');
                if (p)
                        p++;
        }
        return p ? strtoull(p, NULL, 10) : 0;
}
