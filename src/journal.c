/* journal.c — the append-only record of what a lab owns (see journal.h). */
#include "journal.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct journal {
        int fd;
};

struct journal *journal_open(int dir_fd, char *err)
{
        struct journal *j = calloc(1, sizeof(*j));
        if (!j) {
                errf_sys(err, NULL, "Cannot open the journal");
                return NULL;
        }
        j->fd = openat(dir_fd, "journal", O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
                       0600);
        if (j->fd < 0) {
                errf_sys(err, NULL, "Cannot open the journal");
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

int journal_add_owner(struct journal *j, long long since)
{
        const char *tty = NULL;
        for (int fd = 0; fd <= 2 && !tty; fd++)
                tty = ttyname(fd);
        pid_t pid = getpid();
        return journal_add(j, "owner %d %llu %lld %s", (int)pid, proc_starttime(pid),
                           since > 0 ? since : (long long)time(NULL),
                           tty && !strchr(tty, ' ') ? tty : "-");
}

int journal_read(int dir_fd, journal_line_fn fn, void *ud, char *err)
{
        int fd = openat(dir_fd, "journal", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
        if (!f) {
                int e = errno;
                if (fd >= 0)
                        close(fd);
                errno = e;
                if (errno == ENOENT)
                        return 0;
                return errf_sys(err, NULL, "Cannot read the journal");
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

static void on_owner_line(void *ud, int argc, char **argv)
{
        struct journal_owner *o = ud;
        if (argc < 3 || strcmp(argv[0], "owner") != 0)
                return;
        o->pid = (pid_t)atoi(argv[1]);
        o->start = strtoull(argv[2], NULL, 10);
        o->since = argc >= 4 ? strtoll(argv[3], NULL, 10) : 0;
        snprintf(o->tty, sizeof(o->tty), "%s", argc >= 5 && strcmp(argv[4], "-") ? argv[4] : "");
}

void journal_owner(int dir_fd, struct journal_owner *o)
{
        memset(o, 0, sizeof(*o));
        journal_read(dir_fd, on_owner_line, o, NULL);
}

bool journal_owner_alive(const struct journal_owner *o)
{
        return o->pid > 0 && o->pid != getpid() && o->start && proc_starttime(o->pid) == o->start;
}

void journal_owner_describe(const struct journal_owner *o, char *buf, size_t len)
{
        char since[64] = "";
        time_t t = (time_t)o->since;
        struct tm tm;
        if (o->since > 0 && localtime_r(&t, &tm))
                strftime(since, sizeof(since), ", since %Y-%m-%d %H:%M:%S", &tm);
        snprintf(buf, len, "pid %d%s%s%s", (int)o->pid, o->tty[0] ? " on " : "", o->tty, since);
}
