/* rundir.c — /run/netlab and the labs' run directories, opened by descriptor
 * with O_NOFOLLOW and checked for owner and mode (see rundir.h). */
#include "rundir.h"
#include "lab.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool rundir_name_ok(const char *name)
{
        size_t n = strlen(name);
        if (n == 0 || n > LAB_NAME_MAX)
                return false;
        for (size_t i = 0; i < n; i++) {
                char c = name[i];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-'))
                        return false;
        }
        return true;
}

int rundir_name_check(const char *name, char *err)
{
        if (rundir_name_ok(name))
                return 0;
        errno = EINVAL;
        return errf(err, "invalid lab name \"%s\": use 1 to %d letters, digits, '_' or '-'", name,
                    LAB_NAME_MAX);
}

/* Why a directory opened at path is not one netlab may use, or NULL. */
static const char *dir_unsafe(const struct stat *st, bool exact_0700)
{
        if (!S_ISDIR(st->st_mode))
                return "not a directory";
        if (st->st_uid != 0)
                return "not owned by root";
        if (exact_0700 && (st->st_mode & 07777) != 0700)
                return "not mode 0700";
        if (!exact_0700 && (st->st_mode & 022))
                return "writable by others than root";
        return NULL;
}

/* openat(O_DIRECTORY|O_NOFOLLOW), with the reason in words when the entry
 * is a symlink or not a directory. */
static int open_dir_nofollow(int at, const char *name, const char *shown, char *err)
{
        int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0)
                return fd;
        int e = errno;
        struct stat st;
        if ((e == ELOOP || e == ENOTDIR) && fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
                errno = e;
                return errf(err, "\"%s\" is %s, not a directory of netlab's: refused", shown,
                            S_ISLNK(st.st_mode) ? "a symbolic link" : "not a directory");
        }
        errno = e;
        return errf_sys(err, NULL, "Cannot open \"%s\"", shown);
}

int rundir_root(bool create, char *err)
{
        if (create && mkdir(LAB_RUN_DIR, 0700) < 0 && errno != EEXIST)
                return errf_sys(err, NULL, "Cannot create \"%s\"", LAB_RUN_DIR);
        int fd = open_dir_nofollow(AT_FDCWD, LAB_RUN_DIR, LAB_RUN_DIR, err);
        if (fd < 0)
                return -1;
        struct stat st;
        const char *why = fstat(fd, &st) < 0 ? "unreadable" : dir_unsafe(&st, false);
        if (why) {
                close(fd);
                errno = EPERM;
                return errf(err, "\"%s\" is %s: refused (it must be root's, mode 0700)",
                            LAB_RUN_DIR, why);
        }
        if ((st.st_mode & 07777) != 0700 && fchmod(fd, 0700) < 0) {
                int e = errno;
                close(fd);
                errno = e;
                return errf_sys(err, NULL, "Cannot make \"%s\" mode 0700", LAB_RUN_DIR);
        }
        return fd;
}

int rundir_open(int root_fd, const char *name, char *err)
{
        char shown[PATH_MAX];
        snprintf(shown, sizeof(shown), "%s/%s", LAB_RUN_DIR, name);
        if (rundir_name_check(name, err) < 0)
                return -1;
        int fd = open_dir_nofollow(root_fd, name, shown, err);
        if (fd < 0)
                return -1;
        struct stat st;
        const char *why = fstat(fd, &st) < 0 ? "unreadable" : dir_unsafe(&st, true);
        if (why) {
                close(fd);
                errno = EPERM;
                return errf(err,
                            "\"%s\" is %s: refused (netlab makes it root's, mode 0700; check "
                            "who made it, then remove it by hand)",
                            shown, why);
        }
        return fd;
}

int rundir_create(int root_fd, const char *name, char *err)
{
        char shown[PATH_MAX];
        snprintf(shown, sizeof(shown), "%s/%s", LAB_RUN_DIR, name);
        if (rundir_name_check(name, err) < 0)
                return -1;
        if (mkdirat(root_fd, name, 0700) < 0)
                return errf_sys(err, NULL, "Cannot create \"%s\"", shown);
        int fd = open_dir_nofollow(root_fd, name, shown, err);
        if (fd >= 0 && fchmod(fd, 0700) < 0) { /* whatever the umask */
                int e = errno;
                close(fd);
                errno = e;
                return errf_sys(err, NULL, "Cannot make \"%s\" mode 0700", shown);
        }
        return fd;
}

void rundir_fd_path(int dir_fd, const char *rel, char *buf, size_t len)
{
        snprintf(buf, len, "/proc/self/fd/%d%s%s", dir_fd, rel && *rel ? "/" : "", rel ? rel : "");
}
