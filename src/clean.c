/* clean.c — `netlab clean`: remove what a lab's journal records, and only
 * that (see clean.h).
 *
 * Works the same after an orderly stop (to sweep what is left), after
 * kill -9 at any point, and twice in a row. The lab's lock serialises
 * concurrent cleans; a lab still running (its owner holds the lock) is left
 * alone, or with --force asked to stop with SIGTERM, then killed if it does
 * not let go. Everything under /run/netlab/LAB is reached through the run
 * directory's descriptor: a symlink there is refused, never followed. */
#include "clean.h"
#include "hostobj.h"
#include "lab.h"
#include "hosts.h"
#include "journal.h"
#include "rundir.h"
#include "netns.h"
#include "nl.h"
#include "proc.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct owned {
        char **netns;
        int nnetns;
        char **uts;
        int nuts;
        pid_t *pids;
        unsigned long long *starts;
        int npids;
        struct hostobj_rec *hostlinks; /* host interfaces and nftables tables */
        int nhostlinks;
        char **mounts;
        int nmounts;
        char **claims; /* namespace paths claimed, maybe not created */
        int nclaims;
        char **notours; /* claimed, but someone else had the name */
        int nnotours;
        char **etcs; /* /etc/netns/LAB.NODE directories */
        int netcs;
        char lab[LAB_NAME_MAX + 1]; /* journal paths must belong to this lab */
        bool oom;
};

static void push_str(struct owned *o, char ***arr, int *n, const char *s)
{
        char **a = realloc(*arr, (size_t)(*n + 1) * sizeof(char *));
        char *d = strdup(s);
        if (!a || !d) {
                free(d);
                if (a)
                        *arr = a;
                o->oom = true;
                return;
        }
        *arr = a;
        a[(*n)++] = d;
}

static void push_pid(struct owned *o, const char *pid, const char *start)
{
        pid_t *p = realloc(o->pids, (size_t)(o->npids + 1) * sizeof(pid_t));
        if (p)
                o->pids = p;
        unsigned long long *s = realloc(o->starts, (size_t)(o->npids + 1) * sizeof(*s));
        if (s)
                o->starts = s;
        if (!p || !s) {
                o->oom = true;
                return;
        }
        o->pids[o->npids] = (pid_t)atoi(pid);
        o->starts[o->npids] = start ? strtoull(start, NULL, 10) : 0;
        o->npids++;
}

/* A journal line names a path of this lab only: /run/netns/LAB.NODE, or a
 * path under /run/netlab/LAB/. A damaged journal can name nothing else. */
static bool path_of_lab(const struct owned *o, const char *kind, const char *path)
{
        char prefix[PATH_MAX];
        if (strstr(path, "/../") || strstr(path, "/./"))
                return false;
        bool ns = !strcmp(kind, "netns") || !strcmp(kind, "claim") || !strcmp(kind, "notours");
        if (ns) {
                snprintf(prefix, sizeof(prefix), "%s/%s.", NETNS_RUN_DIR, o->lab);
                return !strncmp(path, prefix, strlen(prefix)) &&
                       !strchr(path + strlen(prefix), '/') && path[strlen(prefix)];
        }
        snprintf(prefix, sizeof(prefix), "%s/%s/", LAB_RUN_DIR, o->lab);
        return !strncmp(path, prefix, strlen(prefix)) && path[strlen(prefix)];
}

/* The later line of a host object completes its earlier one (hostobj.h). */
static void push_hostobj(struct owned *o, int argc, char **argv)
{
        struct hostobj_rec r;
        if (hostobj_parse(argc, argv, &r) < 0)
                return;
        for (int i = 0; i < o->nhostlinks; i++)
                if (o->hostlinks[i].kind == r.kind && o->hostlinks[i].family == r.family &&
                    !strcmp(o->hostlinks[i].name, r.name)) {
                        if (r.nsino != o->hostlinks[i].nsino || r.id)
                                o->hostlinks[i] = r;
                        return;
                }
        struct hostobj_rec *a = realloc(o->hostlinks, (size_t)(o->nhostlinks + 1) * sizeof(*a));
        if (!a) {
                o->oom = true;
                return;
        }
        o->hostlinks = a;
        a[o->nhostlinks++] = r;
}

static void on_line(void *ud, int argc, char **argv)
{
        struct owned *o = ud;
        const char *paths[] = {"netns", "uts", "mnt", "claim", "notours", "mount"};
        for (size_t i = 0; argc >= 2 && i < sizeof(paths) / sizeof(paths[0]); i++)
                if (!strcmp(argv[0], paths[i]) && !path_of_lab(o, argv[0], argv[1]))
                        return; /* not this lab's: never touched */
        if (argc >= 2 && strcmp(argv[0], "netns") == 0)
                push_str(o, &o->netns, &o->nnetns, argv[1]);
        else if (argc >= 2 && (!strcmp(argv[0], "uts") || !strcmp(argv[0], "mnt")))
                push_str(o, &o->uts, &o->nuts, argv[1]);
        else if (argc >= 2 && (strcmp(argv[0], "proc") == 0 || strcmp(argv[0], "datapath") == 0))
                push_pid(o, argv[1], argc >= 3 ? argv[2] : NULL);
        else if (argc >= 2 && strcmp(argv[0], "claim") == 0)
                push_str(o, &o->claims, &o->nclaims, argv[1]);
        else if (argc >= 2 && strcmp(argv[0], "notours") == 0)
                push_str(o, &o->notours, &o->nnotours, argv[1]);
        else if (argc >= 2 && strcmp(argv[0], "mount") == 0)
                push_str(o, &o->mounts, &o->nmounts, argv[1]);
        else if (argc >= 2 && strcmp(argv[0], "etc") == 0 && lab_hosts_path_ok(o->lab, argv[1]))
                push_str(o, &o->etcs, &o->netcs, argv[1]);
        else if (argc >= 2 && (!strcmp(argv[0], "hostlink") || !strcmp(argv[0], "nft") ||
                                !strcmp(argv[0], "hostsysctl")))
                push_hostobj(o, argc, argv);
}

static void owned_free(struct owned *o)
{
        for (int i = 0; i < o->nnetns; i++)
                free(o->netns[i]);
        for (int i = 0; i < o->nuts; i++)
                free(o->uts[i]);
        for (int i = 0; i < o->nmounts; i++)
                free(o->mounts[i]);
        free(o->mounts);
        for (int i = 0; i < o->nclaims; i++)
                free(o->claims[i]);
        free(o->claims);
        for (int i = 0; i < o->nnotours; i++)
                free(o->notours[i]);
        free(o->notours);
        for (int i = 0; i < o->netcs; i++)
                free(o->etcs[i]);
        free(o->etcs);
        free(o->netns);
        free(o->uts);
        free(o->hostlinks);
        free(o->pids);
        free(o->starts);
}

static bool in_list(const char *s, char **list, int n)
{
        for (int i = 0; i < n; i++)
                if (strcmp(s, list[i]) == 0)
                        return true;
        return false;
}

static bool same_process(pid_t pid, unsigned long long start)
{
        return pid > 0 && start && proc_starttime(pid) == start;
}

static void sleep_ms(int ms)
{
        struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
}


/* Path under the run directory → the same file reached through dir_fd (the
 * run directory is never looked up by name again). path_of_lab() checked
 * the prefix; no component may be "." or "..". */
static bool fd_path(int dir_fd, const char *lab, const char *path, char *buf, size_t len)
{
        char prefix[PATH_MAX];
        snprintf(prefix, sizeof(prefix), "%s/%s/", LAB_RUN_DIR, lab);
        if (strncmp(path, prefix, strlen(prefix)) != 0)
                return false;
        const char *rel = path + strlen(prefix);
        for (const char *c = rel; *c;) {
                size_t n = strcspn(c, "/");
                if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
                        return false;
                c += n;
                if (*c == '/')
                        c++;
        }
        rundir_fd_path(dir_fd, rel, buf, len);
        return true;
}

/* True when fd is still the lock file of the lab (another clean may have
 * removed the lab, and a new lab of the same name may have made a new one). */
static bool lock_current(int fd, int root_fd, const char *name)
{
        struct stat a, b;
        char rel[LAB_NAME_MAX + 8];
        snprintf(rel, sizeof(rel), "%s/lock", name);
        return fstat(fd, &a) == 0 && fstatat(root_fd, rel, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
               a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Takes the lab's lock. A live owner holding it: refused (EBUSY), or with
 * LAB_CLEAN_FORCE asked to stop (SIGTERM, then SIGKILL after 20 s: an owner
 * tearing down a big lab on a busy kernel needs the time). *fd_out
 * is -1 when there is nothing to clean (no lock, or cleaned meanwhile). */
static int take_lock(int root_fd, int dir_fd, const char *name, unsigned flags, int *fd_out,
                     pid_t *stopped, char *err)
{
        *fd_out = -1;
        *stopped = 0;
        int fd = openat(dir_fd, "lock", O_RDWR | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT)
                return 0; /* no lock file: nobody runs it */
        if (fd < 0)
                return errf_sys(err, NULL, "Cannot clean lab \"%s\": cannot open \"%s/%s/lock\"",
                                name, LAB_RUN_DIR, name);
        int asked_at = -1;
        struct journal_owner ow;
        for (int waited = 0;; waited += 50) {
                if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
                        if (lock_current(fd, root_fd, name))
                                *fd_out = fd;
                        else
                                close(fd);
                        return 0;
                }
                /* Held: by the running lab, or by another clean. */
                journal_owner(dir_fd, &ow);
                if (journal_owner_alive(&ow) && !(flags & LAB_CLEAN_FORCE)) {
                        char who[128];
                        journal_owner_describe(&ow, who, sizeof(who));
                        close(fd);
                        errno = EBUSY;
                        return errf(err,
                                    "lab \"%s\" is running (netlab %s): left alone; `netlab clean "
                                    "--force %s` stops it",
                                    name, who, name);
                }
                if (!journal_owner_alive(&ow) && (flags & LAB_CLEAN_NOWAIT)) {
                        close(fd);
                        errno = EBUSY;
                        return errf(err, "lab \"%s\" is being built or cleaned: left alone",
                                    name);
                }
                if (journal_owner_alive(&ow) && asked_at < 0) {
                        kill(ow.pid, SIGTERM);
                        *stopped = ow.pid;
                        asked_at = waited;
                } else if (journal_owner_alive(&ow) && waited - asked_at == 20000) {
                        kill(ow.pid, SIGKILL); /* its teardown hangs: clean does it */
                }
                if (waited >= 30000)
                        break;
                sleep_ms(50);
        }
        close(fd);
        /* Most often its netlab, told to stop, still waits for the kernel
         * (a process in a netlink call outlives even SIGKILL until the
         * kernel answers; another lab's build may hold the rtnl lock).
         * ow is the owner as the loop's last pass read it. */
        if (journal_owner_alive(&ow)) {
                char who[128];
                journal_owner_describe(&ow, who, sizeof(who));
                errno = EBUSY;
                return errf(err,
                            "Cannot clean lab \"%s\" yet: its netlab (%s) was told to stop 30 s "
                            "ago and is still tearing it down, waiting for the kernel; run this "
                            "again in a minute",
                            name, who);
        }
        errno = EBUSY;
        return errf(err,
                    "Cannot clean lab \"%s\": it is still locked by another process (fuser -v "
                    "%s/%s/lock names it)",
                    name, LAB_RUN_DIR, name);
}

static int no_lab(const char *name, char *err)
{
        errno = ENOENT;
        return errf(err, "no lab \"%s\" (nothing under %s/%s)", name, LAB_RUN_DIR, name);
}

static void say(lab_clean_say_fn fn, void *ud, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(lab_clean_say_fn fn, void *ud, const char *fmt, ...)
{
        if (!fn)
                return;
        char line[ERRLEN];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(line, sizeof(line), fmt, ap);
        va_end(ap);
        fn(ud, line);
}

/* Empties directory name below dir_fd (services' state and logs, depth
 * levels deep), never following a symbolic link. */
static void remove_tree_at(int dir_fd, const char *name, int depth)
{
        int fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        if (!d) {
                if (fd >= 0)
                        close(fd);
                return;
        }
        struct dirent *de;
        while ((de = readdir(d))) {
                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                        continue;
                if (unlinkat(fd, de->d_name, 0) < 0 && errno == EISDIR && depth > 1) {
                        remove_tree_at(fd, de->d_name, depth - 1);
                        unlinkat(fd, de->d_name, AT_REMOVEDIR);
                }
        }
        closedir(d);
}

/* Removes the run directory's files, then the directory itself if it is
 * still the one dir_fd holds. */
static int remove_rundir(int root_fd, int dir_fd, const char *name, char *err)
{
        int dfd = dup(dir_fd);
        DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
        if (!d) {
                if (dfd >= 0)
                        close(dfd);
                return errf_sys(err, NULL, "Cannot read \"%s/%s\"", LAB_RUN_DIR, name);
        }
        struct dirent *de;
        while ((de = readdir(d))) {
                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                        continue;
                /* ovs: the lab's Open vSwitch (database, sockets, logs; ovs.h) */
                bool tree = !strcmp(de->d_name, "svc") || !strcmp(de->d_name, "log") ||
                            !strcmp(de->d_name, "ovs");
                if (tree)
                        remove_tree_at(dir_fd, de->d_name, 2);
                unlinkat(dir_fd, de->d_name,
                         !strcmp(de->d_name, "uts") || !strcmp(de->d_name, "mnt") || tree
                             ? AT_REMOVEDIR
                             : 0);
        }
        closedir(d);
        struct stat a, b;
        if (fstat(dir_fd, &a) < 0 || fstatat(root_fd, name, &b, AT_SYMLINK_NOFOLLOW) < 0 ||
            a.st_dev != b.st_dev || a.st_ino != b.st_ino)
                return 0; /* removed (or replaced) meanwhile: not ours to remove */
        if (unlinkat(root_fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
                return errf_sys(err, NULL, "Cannot remove \"%s/%s\"", LAB_RUN_DIR, name);
        return 0;
}

/* What the journal names, removed in order; *left counts what was left alone. */
static int clean_owned(struct owned *o, int dir_fd, lab_clean_say_fn fn, void *ud, int *left,
                       char *err)
{
        int rc = 0, killed = 0, nsgone = 0, hostgone = 0, nftgone = 0;
        char e[ERRLEN], path[PATH_MAX + 64];

        /* 1. Every process inside the lab's namespaces, and every journaled
         *    process that is still the same process. */
        unsigned long *inodes = calloc((size_t)o->nnetns + 1, sizeof(*inodes));
        int n = 0;
        for (int i = 0; inodes && i < o->nnetns; i++) {
                unsigned long ino = netns_inode(o->netns[i]);
                if (ino)
                        inodes[n++] = ino;
        }
        killed += proc_kill_in_netns(inodes, n);
        free(inodes);
        for (int i = 0; i < o->npids; i++)
                if (o->pids[i] != getpid() && same_process(o->pids[i], o->starts[i]) &&
                    kill(o->pids[i], SIGKILL) == 0)
                        killed++;

        /* 2. Host-namespace objects (interfaces, nftables tables), each only
         *    if it still proves to be ours. */
        if (o->nhostlinks) {
                struct nl *nl = nl_open(-1, e);
                if (!nl)
                        rc = errf(err, "%s", e);
                for (int i = 0; nl && i < o->nhostlinks; i++) {
                        char note[ERRLEN];
                        int r = hostobj_remove(nl, o->lab, &o->hostlinks[i], note, sizeof(note), e);
                        if (r < 0 && rc == 0)
                                rc = errf(err, "%s", e);
                        else if (r == HOSTOBJ_REMOVED && o->hostlinks[i].kind == 'l')
                                hostgone++;
                        else if (r == HOSTOBJ_REMOVED)
                                nftgone++;
                        else if (r == HOSTOBJ_LEFT) {
                                say(fn, ud, "lab \"%s\": %s", o->lab, note);
                                (*left)++;
                        }
                }
                if (nl)
                        nl_close(nl);
        }

        /* 3. Namespaces: unmount and unlink; the kernel does the rest. */
        for (int i = 0; i < o->nnetns; i++) {
                struct stat st;
                bool there = lstat(o->netns[i], &st) == 0;
                if (netns_remove(o->netns[i], e) < 0) {
                        if (rc == 0)
                                rc = errf(err, "%s", e);
                } else if (there) {
                        nsgone++;
                }
        }
        for (int i = 0; i < o->nuts; i++)
                if (fd_path(dir_fd, o->lab, o->uts[i], path, sizeof(path)) &&
                    netns_remove(path, e) < 0 && rc == 0)
                        rc = errf(err, "%s", e);
        /* Claimed but never recorded as ours (killed in between): the empty
         * file we may have created; never a mounted namespace, never a name
         * that turned out to be someone else's. */
        for (int i = 0; i < o->nclaims; i++) {
                if (in_list(o->claims[i], o->netns, o->nnetns) ||
                    in_list(o->claims[i], o->notours, o->nnotours) || netns_inode(o->claims[i]))
                        continue;
                struct stat cst;
                if (lstat(o->claims[i], &cst) == 0 && S_ISREG(cst.st_mode) && cst.st_size == 0 &&
                    unlink(o->claims[i]) < 0 && errno != ENOENT && rc == 0)
                        rc = errf_sys(err, NULL, "Cannot remove \"%s\"", o->claims[i]);
        }
        /* The nodes' /etc/netns directories (our hosts symlink, then the
         * directory when nothing else is in it). */
        for (int i = 0; i < o->netcs; i++)
                if (lab_hosts_remove(o->lab, o->etcs[i], e) < 0 && rc == 0)
                        rc = errf(err, "%s", e);
        /* The lab's own mounts (the tmpfs holding the UTS mount points). */
        for (int i = o->nmounts - 1; i >= 0; i--)
                if (fd_path(dir_fd, o->lab, o->mounts[i], path, sizeof(path)) &&
                    umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL &&
                    errno != ENOENT && rc == 0)
                        rc = errf_sys(err, NULL, "Cannot unmount \"%s\"", o->mounts[i]);

        char what[256];
        int w = snprintf(what, sizeof(what), "%d namespace%s", nsgone, nsgone == 1 ? "" : "s");
        if (killed && w > 0 && (size_t)w < sizeof(what))
                w += snprintf(what + w, sizeof(what) - (size_t)w, ", %d process%s", killed,
                              killed == 1 ? "" : "es");
        if (hostgone && w > 0 && (size_t)w < sizeof(what))
                w += snprintf(what + w, sizeof(what) - (size_t)w, ", %d host interface%s",
                              hostgone, hostgone == 1 ? "" : "s");
        if (nftgone && w > 0 && (size_t)w < sizeof(what))
                snprintf(what + w, sizeof(what) - (size_t)w, ", %d nftables table%s", nftgone,
                         nftgone == 1 ? "" : "s");
        if (rc == 0)
                say(fn, ud, "lab \"%s\" removed (%s)", o->lab, what);
        return rc;
}

int lab_clean(const char *name, unsigned flags, lab_clean_say_fn fn, void *ud, char *err)
{
        char e[ERRLEN];
        if (rundir_name_check(name, err) < 0)
                return -1;
        int root_fd = rundir_root(false, e);
        if (root_fd < 0)
                return errno == ENOENT ? no_lab(name, err)
                                       : errf(err, "Cannot clean lab \"%s\": %s", name, e);
        int dir_fd = rundir_open(root_fd, name, e);
        if (dir_fd < 0) {
                int saved = errno;
                close(root_fd);
                errno = saved;
                return errno == ENOENT ? no_lab(name, err)
                                       : errf(err, "Cannot clean lab \"%s\": %s", name, e);
        }
        int lock_fd = -1, rc = 0, left = 0;
        pid_t stopped = 0;
        struct owned o = {0};
        if (take_lock(root_fd, dir_fd, name, flags, &lock_fd, &stopped, err) < 0) {
                rc = -1;
                goto out;
        }
        if (stopped)
                say(fn, ud, "lab \"%s\": its netlab (pid %d) was told to stop", name,
                    (int)stopped);
        struct stat dst;
        if (fstat(dir_fd, &dst) == 0 && dst.st_nlink == 0) {
                if (stopped)
                        say(fn, ud, "lab \"%s\" removed (its netlab tore it down)", name);
                else
                        say(fn, ud, "lab \"%s\" was removed meanwhile (by another clean)", name);
                goto out;
        }
        snprintf(o.lab, sizeof(o.lab), "%s", name);
        rc = journal_read(dir_fd, on_line, &o, e);
        if (rc < 0)
                errf_sys(err, NULL, "Cannot clean lab \"%s\": cannot read \"%s/%s/journal\"", name,
                         LAB_RUN_DIR, name);
        else if (o.oom)
                rc = errf(err, "Cannot read the journal of lab \"%s\": out of memory", name);
        if (rc == 0)
                rc = clean_owned(&o, dir_fd, fn, ud, &left, err);
        /* 4. The run directory, when everything it recorded is gone. */
        if (rc == 0)
                rc = remove_rundir(root_fd, dir_fd, name, err);
out:
        owned_free(&o);
        if (lock_fd >= 0)
                close(lock_fd);
        close(dir_fd);
        close(root_fd);
        return rc;
}

int lab_clean_all(unsigned flags, const char *except, lab_clean_say_fn fn, void *ud, char *err)
{
        char e[ERRLEN];
        int root_fd = rundir_root(false, e);
        if (root_fd < 0)
                return errno == ENOENT ? 0 : errf(err, "%s", e);
        DIR *d = fdopendir(root_fd);
        if (!d) {
                close(root_fd);
                return errf_sys(err, NULL, "Cannot read \"%s\"", LAB_RUN_DIR);
        }
        int failed = 0, removed = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
                    (except && !strcmp(de->d_name, except)))
                        continue;
                if (lab_clean(de->d_name, flags, fn, ud, e) == 0) {
                        removed++;
                } else if (errno == EBUSY || errno == ENOENT) {
                        say(fn, ud, "%s", e); /* running (or gone meanwhile): not a failure */
                } else {
                        say(fn, ud, "%s", e);
                        failed++;
                }
        }
        closedir(d);
        if (failed)
                return errf(err, "%d lab%s could not be cleaned", failed, failed == 1 ? "" : "s");
        return removed;
}

int lab_running(const char *name, char *msg)
{
        if (!rundir_name_ok(name))
                return 0;
        int root_fd = rundir_root(false, NULL);
        if (root_fd < 0)
                return 0;
        int dir_fd = rundir_open(root_fd, name, NULL);
        close(root_fd);
        if (dir_fd < 0)
                return 0;
        int fd = openat(dir_fd, "lock", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        bool running = fd >= 0 && flock(fd, LOCK_SH | LOCK_NB) < 0;
        if (fd >= 0)
                close(fd);
        struct journal_owner ow;
        journal_owner(dir_fd, &ow);
        close(dir_fd);
        if (!running)
                return 0;
        char who[128];
        journal_owner_describe(&ow, who, sizeof(who));
        if (ow.pid > 0 && journal_owner_alive(&ow))
                errf(msg, "lab \"%s\" is already running (netlab %s)", name, who);
        else
                errf(msg, "lab \"%s\" is already running (being built or cleaned)", name);
        return 1;
}
