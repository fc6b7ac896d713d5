/* clean.c — `netlab clean`: remove what a lab's journal records, and only that.
 *
 * Works the same after an orderly stop (to sweep what is left), after
 * kill -9 at any point, and twice in a row. The lab's lock serialises
 * concurrent cleans; a lab still running (its owner holds the lock) is
 * asked to stop with SIGTERM, then killed if it does not let go. */
#include "lab.h"
#include "hosts.h"
#include "journal.h"
#include "netns.h"
#include "nl.h"
#include "proc.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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
        char **hostlinks;
        int nhostlinks;
        char **mounts;
        int nmounts;
        char **claims; /* namespace paths claimed, maybe not created */
        int nclaims;
        char **notours; /* claimed, but someone else had the name */
        int nnotours;
        char **etcs; /* /etc/netns/LAB.NODE directories */
        int netcs;
        pid_t owner;
        unsigned long long owner_start;
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

static void on_line(void *ud, int argc, char **argv)
{
        struct owned *o = ud;
        const char *paths[] = {"netns", "uts", "claim", "notours", "mount"};
        for (size_t i = 0; argc >= 2 && i < sizeof(paths) / sizeof(paths[0]); i++)
                if (!strcmp(argv[0], paths[i]) && !path_of_lab(o, argv[0], argv[1]))
                        return; /* not this lab's: never touched */
        if (argc >= 2 && strcmp(argv[0], "netns") == 0)
                push_str(o, &o->netns, &o->nnetns, argv[1]);
        else if (argc >= 2 && strcmp(argv[0], "uts") == 0)
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
        else if (argc >= 2 && strcmp(argv[0], "hostlink") == 0)
                push_str(o, &o->hostlinks, &o->nhostlinks, argv[1]);
        else if (argc >= 3 && strcmp(argv[0], "owner") == 0) {
                o->owner = (pid_t)atoi(argv[1]);
                o->owner_start = strtoull(argv[2], NULL, 10);
        }
}

static void owned_free(struct owned *o)
{
        for (int i = 0; i < o->nnetns; i++)
                free(o->netns[i]);
        for (int i = 0; i < o->nuts; i++)
                free(o->uts[i]);
        for (int i = 0; i < o->nhostlinks; i++)
                free(o->hostlinks[i]);
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

/* Takes the lab's lock; a running owner is asked to stop first. */
/* True when fd is still the lab's lock file (another clean may have removed
 * the lab, and a new lab of the same name may have made a new one). */
static bool lock_current(int fd, const char *lock)
{
        struct stat a, b;
        return fstat(fd, &a) == 0 && stat(lock, &b) == 0 && a.st_dev == b.st_dev &&
               a.st_ino == b.st_ino;
}

/* Takes the lab's lock; a running owner is asked to stop first. *fd_out is
 * -1 when there is nothing to clean (no lock, or cleaned meanwhile). */
static int take_lock(const char *rundir, const char *name, int *fd_out, char *err)
{
        char lock[PATH_MAX + 8], journal[PATH_MAX + 16];
        snprintf(lock, sizeof(lock), "%s/lock", rundir);
        snprintf(journal, sizeof(journal), "%s/journal", rundir);
        int fd = open(lock, O_RDWR | O_CLOEXEC);
        if (fd < 0) {
                *fd_out = -1;
                return 0; /* no lock file: nobody runs it */
        }
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
                *fd_out = lock_current(fd, lock) ? fd : -1;
                if (*fd_out < 0)
                        close(fd);
                return 0;
        }
        /* Held: by the running lab, or by another clean. */
        struct owned o = {0};
        snprintf(o.lab, sizeof(o.lab), "%s", name);
        journal_read(journal, on_line, &o, NULL);
        bool live_owner = o.owner != getpid() && same_process(o.owner, o.owner_start);
        if (live_owner)
                kill(o.owner, SIGTERM);
        for (int waited = 0; waited < 10000; waited += 50) {
                if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
                        owned_free(&o);
                        *fd_out = lock_current(fd, lock) ? fd : -1;
                        if (*fd_out < 0)
                                close(fd);
                        return 0;
                }
                sleep_ms(50);
                if (waited == 5000 && live_owner)
                        kill(o.owner, SIGKILL);
        }
        owned_free(&o);
        close(fd);
        errno = EBUSY;
        return errf(err, "Cannot clean lab \"%s\": it is still locked by another process", name);
}

int lab_clean(const char *name, char *err)
{
        char rundir[PATH_MAX], path[PATH_MAX + 300];
        if (strchr(name, '/') || !*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
                return errf(err, "invalid lab name \"%s\"", name);
        snprintf(rundir, sizeof(rundir), "%s/%s", LAB_RUN_DIR, name);
        struct stat st;
        if (stat(rundir, &st) < 0)
                return 0; /* nothing of this lab exists */
        int lock_fd = -1;
        if (take_lock(rundir, name, &lock_fd, err) < 0)
                return -1;
        char lockpath[PATH_MAX + 8];
        snprintf(lockpath, sizeof(lockpath), "%s/lock", rundir);
        if (lock_fd < 0 && access(lockpath, F_OK) == 0)
                return 0; /* cleaned by another clean meanwhile; a new lab owns the name */
        struct owned o = {0};
        snprintf(o.lab, sizeof(o.lab), "%s", name);
        snprintf(path, sizeof(path), "%s/journal", rundir);
        int rc = journal_read(path, on_line, &o, err);
        if (rc == 0 && o.oom)
                rc = errf(err, "Cannot read the journal of lab \"%s\": out of memory", name);
        if (rc < 0)
                goto out;

        /* 1. Every process inside the lab's namespaces, and every journaled
         *    process that is still the same process. */
        unsigned long *inodes = calloc((size_t)o.nnetns + 1, sizeof(*inodes));
        int n = 0;
        for (int i = 0; inodes && i < o.nnetns; i++) {
                unsigned long ino = netns_inode(o.netns[i]);
                if (ino)
                        inodes[n++] = ino;
        }
        proc_kill_in_netns(inodes, n);
        free(inodes);
        for (int i = 0; i < o.npids; i++)
                if (o.pids[i] != getpid() && same_process(o.pids[i], o.starts[i]))
                        kill(o.pids[i], SIGKILL);

        /* 2. Host-namespace objects (uplinks). */
        if (o.nhostlinks) {
                char e[ERRLEN];
                struct nl *nl = nl_open(-1, e);
                for (int i = 0; nl && i < o.nhostlinks; i++) {
                        int idx = nl_link_index(nl, o.hostlinks[i], NULL);
                        if (idx > 0 && nl_link_del(nl, idx, e) < 0 && rc == 0)
                                rc = errf(err, "Cannot delete \"%s\": %s", o.hostlinks[i], e);
                }
                if (nl)
                        nl_close(nl);
        }

        /* 3. Namespaces: unmount and unlink; the kernel does the rest. */
        char e[ERRLEN];
        for (int i = 0; i < o.nnetns; i++)
                if (netns_remove(o.netns[i], e) < 0 && rc == 0)
                        rc = errf(err, "%s", e);
        for (int i = 0; i < o.nuts; i++)
                if (netns_remove(o.uts[i], e) < 0 && rc == 0)
                        rc = errf(err, "%s", e);
        /* Claimed but never recorded as ours (killed in between): the empty
         * file we may have created; never a mounted namespace, never a name
         * that turned out to be someone else's. */
        for (int i = 0; i < o.nclaims; i++) {
                if (in_list(o.claims[i], o.netns, o.nnetns) ||
                    in_list(o.claims[i], o.notours, o.nnotours) || netns_inode(o.claims[i]))
                        continue;
                struct stat cst;
                if (lstat(o.claims[i], &cst) == 0 && S_ISREG(cst.st_mode) && cst.st_size == 0 &&
                    unlink(o.claims[i]) < 0 && errno != ENOENT && rc == 0)
                        rc = errf_sys(err, NULL, "Cannot remove \"%s\"", o.claims[i]);
        }
        /* The nodes' /etc/netns directories (our hosts symlink, then the
         * directory when nothing else is in it). */
        for (int i = 0; i < o.netcs; i++)
                if (lab_hosts_remove(name, o.etcs[i], e) < 0 && rc == 0)
                        rc = errf(err, "%s", e);
        /* The lab's own mounts (the tmpfs holding the UTS mount points). */
        for (int i = o.nmounts - 1; i >= 0; i--)
                if (umount2(o.mounts[i], MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT &&
                    rc == 0)
                        rc = errf_sys(err, NULL, "Cannot unmount \"%s\"", o.mounts[i]);

        /* 4. The run directory, when everything it recorded is gone. */
        if (rc == 0) {
                DIR *d = opendir(rundir);
                struct dirent *de;
                while (d && (de = readdir(d))) {
                        if (de->d_name[0] == '.')
                                continue;
                        snprintf(path, sizeof(path), "%s/%s", rundir, de->d_name);
                        if (strcmp(de->d_name, "uts") == 0)
                                rmdir(path);
                        else
                                unlink(path);
                }
                if (d)
                        closedir(d);
                if (rmdir(rundir) < 0 && errno != ENOENT)
                        rc = errf_sys(err, NULL, "Cannot remove \"%s\"", rundir);
        }
out:
        owned_free(&o);
        if (lock_fd >= 0)
                close(lock_fd);
        return rc;
}

int lab_clean_all(char *err)
{
        DIR *d = opendir(LAB_RUN_DIR);
        if (!d)
                return 0;
        int rc = 0;
        struct dirent *de;
        char e[ERRLEN];
        while ((de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                if (lab_clean(de->d_name, e) < 0 && rc == 0)
                        rc = errf(err, "%s", e);
        }
        closedir(d);
        return rc;
}
