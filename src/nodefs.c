/* nodefs.c — private directories of a node (see nodefs.h).
 *
 * The mount namespace is made by a forked child, because unshare(CLONE_NEWNS)
 * and setns into a mount namespace are refused to a process with threads
 * (the console and the build have some). The child reports on a pipe and
 * waits; the parent binds /proc/CHILD/ns/mnt while the child still holds
 * it, then lets the child go. The holding directory is a private tmpfs, so
 * the bind never propagates into the namespace it holds (the kernel refuses
 * such a loop). */
#include "nodefs.h"
#include "journal.h"
#include "netns.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <sys/wait.h>
#include <unistd.h>

/* Paths go into overlayfs's option string: no ',' ':' '\\' or spaces, no
 * "." or ".." component, no "//", not "/" itself. */
static bool path_plain(const char *p)
{
        if (p[0] != '/' || !p[1] || strlen(p) >= PATH_MAX / 4)
                return false;
        for (const char *c = p; *c; c++)
                if (*c == ',' || *c == ':' || *c == '\\' || *c == ' ' || *c == '\n' ||
                    *c == '\t')
                        return false;
        for (const char *c = p; *c; c++) {
                if (*c != '/')
                        continue;
                const char *s = c + 1;
                size_t n = strcspn(s, "/");
                if (n == 0 && s[0] == '/')
                        return false;
                if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
                        return false;
        }
        return p[strlen(p) - 1] != '/';
}

/* Directories a node must share with the host: the kernel's views and
 * netlab's own state. */
static bool path_reserved(const char *p)
{
        static const char *const reserved[] = {"/proc", "/sys", "/dev", "/run/netns",
                                               LAB_RUN_DIR, "/etc/netns", NULL};
        for (int i = 0; reserved[i]; i++) {
                size_t n = strlen(reserved[i]);
                if (!strncmp(p, reserved[i], n) && (p[n] == '\0' || p[n] == '/'))
                        return true;
                if (!strncmp(reserved[i], p, strlen(p)) && reserved[i][strlen(p)] == '/')
                        return true; /* a parent of one: it would hide it */
        }
        return false;
}

static bool is_dir(const char *p)
{
        struct stat st;
        return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int lab_node_add_dir(struct lab *lab, int node, const char *path, const char *src, bool over,
                     char *err)
{
        if (!lab_node_live(lab, node))
                return errf(err, "no such node");
        if (lab->state != LAB_DEFINED)
                return errf(err, "dirs: the lab is built already (dirs are set before the build)");
        struct node *n = &lab->nodes[node];
        if (!path_plain(path))
                return errf(err, "dirs: \"%s\" is not a plain absolute directory path (no "
                                 "\"..\", \"//\", trailing \"/\", spaces, ',' or ':')",
                            path);
        if (path_reserved(path))
                return errf(err, "dirs: \"%s\" cannot be private: the node shares it with the "
                                 "host",
                            path);
        if (!is_dir(path))
                return errf(err, "dirs: \"%s\" is not a directory on the host (a private "
                                 "directory covers an existing one; create it first)",
                            path);
        if (src && !path_plain(src))
                return errf(err, "dirs: source \"%s\" of \"%s\" is not a plain absolute path",
                            src, path);
        if (src && !is_dir(src))
                return errf(err, "dirs: source \"%s\" of \"%s\": %s", src, path,
                            errno == ENOENT || errno == 0 ? "No such directory"
                                                          : strerror(errno));
        for (int i = 0; i < n->ndirs; i++)
                if (!strcmp(n->dirs[i].path, path))
                        return errf(err, "dirs: \"%s\" is listed twice for node \"%s\"", path,
                                    n->name);
        struct node_dir *d = realloc(n->dirs, (size_t)(n->ndirs + 1) * sizeof(*d));
        if (!d)
                return errf_sys(err, NULL, "Cannot add a directory to node \"%s\"", n->name);
        n->dirs = d;
        d[n->ndirs].path = strdup(path);
        d[n->ndirs].src = src ? strdup(src) : NULL;
        d[n->ndirs].over = over;
        if (!d[n->ndirs].path || (src && !d[n->ndirs].src)) {
                free(d[n->ndirs].path);
                free(d[n->ndirs].src);
                return errf_sys(err, NULL, "Cannot add a directory to node \"%s\"", n->name);
        }
        n->ndirs++;
        return 0;
}

bool nodefs_needed(const struct lab *lab)
{
        for (int i = 0; i < lab->nnodes; i++)
                if (lab_node_live(lab, i) && lab->nodes[i].ndirs)
                        return true;
        return false;
}

/* In the child's new namespace: every mount under dir goes (the last
 * listed first: a mount comes after the one it sits on). A mount under one
 * listed already goes with it (MNT_DETACH takes the whole tree): a lab's
 * 10,000 UTS holds are one umount, not 10,000 (1 s per base). */
static void umount_under(const char *dir)
{
        FILE *f = fopen("/proc/self/mountinfo", "re");
        if (!f)
                return;
        size_t n = 0, cap = 0, dl = strlen(dir);
        char **list = NULL, line[PATH_MAX + 512], mp[PATH_MAX];
        while (fgets(line, sizeof(line), f))
                if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) == 1 && !strncmp(mp, dir, dl) &&
                    mp[dl] == '/') {
                        bool under = false;
                        for (size_t i = 0; i < n && !under; i++) {
                                size_t l = strlen(list[i]);
                                under = !strncmp(mp, list[i], l) && mp[l] == '/';
                        }
                        if (under)
                                continue;
                        if (n == cap) {
                                char **a = realloc(list, (cap = cap ? cap * 2 : 64) * sizeof(*a));
                                if (!a)
                                        break;
                                list = a;
                        }
                        if (!(list[n] = strdup(mp)))
                                break;
                        n++;
                }
        fclose(f);
        while (n > 0) {
                umount2(list[--n], MNT_DETACH);
                free(list[n]);
        }
        free(list);
}

/* In the child: the node's mount namespace, set up. scratch: a directory
 * of the host that the child covers with its own tmpfs for the overlays'
 * upper and work layers. */
static int child_setup(const struct lab *lab, const struct node *n, const char *scratch,
                       char *err)
{
        int net = lab_ns_open(lab, n, CLONE_NEWNET, err);
        if (net < 0)
                return -1;
        if (setns(net, CLONE_NEWNET) < 0)
                return errf_sys(err, NULL, "setns (net)");
        close(net);
        if (unshare(CLONE_NEWNS) < 0)
                return errf_sys(err, NULL, "Cannot create a mount namespace");
        if (mount("", "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
                return errf_sys(err, NULL, "Cannot make / a slave mount");
        if ((umount2("/sys", MNT_DETACH) == 0 || errno == EINVAL) &&
            mount("sysfs", "/sys", "sysfs", 0, NULL) < 0)
                return errf_sys(err, NULL, "Cannot mount /sys");
        char e[ERRLEN];
        if (netns_bind_etc(n->netns_name, e) < 0)
                return errf(err, "%s", e);
        /* The holding directory's copy goes: other nodes' namespaces are
         * bound there, and the upper layers take its place. */
        umount2(scratch, MNT_DETACH);
        /* So do /run/netns and the mounts under /run/netlab: a copy of
         * every named namespace and every lab's holds on the machine (the
         * new namespace copies them all), thousands of mounts on a busy
         * machine at 0.4-0.5 KB of kernel memory each, per node, which
         * nothing inside the node uses (netlab opens a node's namespaces
         * from the host's view). Without its /run/netns the node no longer
         * receives the namespaces made later either. */
        umount2(NETNS_RUN_DIR, MNT_DETACH);
        umount_under(LAB_RUN_DIR); /* every lab's holds (ours are on scratch) */
        if (mount("netlab", scratch, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") < 0)
                return errf_sys(err, NULL, "Cannot mount a tmpfs on \"%s\"", scratch);
        (void)lab;
        for (int i = 0; i < n->ndirs; i++) {
                const struct node_dir *d = &n->dirs[i];
                if (!d->src) {
                        /* Empty, but with the owner and mode of what it covers
                         * (/var/run/frr is frr's). */
                        struct stat hs;
                        char o[96] = "mode=0755";
                        if (stat(d->path, &hs) == 0)
                                snprintf(o, sizeof(o), "mode=%04o,uid=%u,gid=%u",
                                         (unsigned)(hs.st_mode & 07777), (unsigned)hs.st_uid,
                                         (unsigned)hs.st_gid);
                        if (mount("netlab", d->path, "tmpfs", MS_NOSUID | MS_NODEV, o) < 0)
                                return errf_sys(err, NULL, "Cannot mount a tmpfs on \"%s\"",
                                                d->path);
                        continue;
                }
                char up[PATH_MAX + 32], wk[PATH_MAX + 32], opts[4 * PATH_MAX + 64];
                snprintf(up, sizeof(up), "%s/u%d", scratch, i);
                snprintf(wk, sizeof(wk), "%s/w%d", scratch, i);
                if (mkdir(up, 0755) < 0 || mkdir(wk, 0700) < 0)
                        return errf_sys(err, NULL, "Cannot create \"%s\"", up);
                /* The upper layer takes the mode of what it covers. */
                struct stat st;
                if (stat(d->over ? d->path : d->src, &st) == 0) {
                        if (chmod(up, st.st_mode & 07777) < 0 ||
                            chown(up, st.st_uid, st.st_gid) < 0)
                                return errf_sys(err, NULL, "Cannot set up \"%s\"", up);
                }
                int w = snprintf(opts, sizeof(opts), "lowerdir=%s%s%s,upperdir=%s,workdir=%s",
                                 d->src, d->over ? ":" : "", d->over ? d->path : "", up, wk);
                if (w < 0 || (size_t)w >= sizeof(opts))
                        return errf(err, "\"%s\": path too long", d->path);
                if (mount("overlay", d->path, "overlay", MS_NOSUID, opts) < 0)
                        return errf_sys(err, NULL, "Cannot mount an overlay of \"%s\" on \"%s\"",
                                        d->src, d->path);
        }
        return 0;
}

/* In the child: the base (nodefs.h) that the processes entering a node
 * without dirs copy their mount namespace from: the host's, less what a
 * node never uses and every copy paid for (as child_setup drops them). */
static int base_setup(const struct lab *lab, const struct node *n, const char *scratch, char *err)
{
        (void)lab, (void)n, (void)scratch;
        if (unshare(CLONE_NEWNS) < 0)
                return errf_sys(err, NULL, "Cannot create a mount namespace");
        if (mount("", "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
                return errf_sys(err, NULL, "Cannot make / a slave mount");
        umount2(NETNS_RUN_DIR, MNT_DETACH);
        umount_under(LAB_RUN_DIR);
        return 0;
}

typedef int setup_fn(const struct lab *lab, const struct node *n, const char *scratch, char *err);

/* A mount namespace made by a child (setup), held by a bind mount at
 * NODEFS_DIR/name, journaled before it is made. */
static int make_held(struct lab *lab, const struct node *n, const char *name, setup_fn *setup,
                     int run_fd, char *err)
{
        char scratch[PATH_MAX + 8], hold[PATH_MAX + 64], rel[NODE_NAME_MAX + 8 + sizeof(NODEFS_DIR)];
        snprintf(scratch, sizeof(scratch), "%s/%s", lab->rundir, NODEFS_DIR);
        snprintf(hold, sizeof(hold), "%s/%s", scratch, name);
        snprintf(rel, sizeof(rel), "%s/%s", NODEFS_DIR, name);
        if (journal_add(lab->journal, "mnt %s", hold) < 0)
                return errf_sys(err, NULL, "Cannot write the journal of lab \"%s\"", lab->name);
        int fd = openat(run_fd, rel, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0444);
        if (fd < 0)
                return errf_sys(err, NULL, "Cannot create \"%s\"", hold);
        close(fd);
        int up[2], down[2];
        if (pipe2(up, O_CLOEXEC) < 0)
                return errf_sys(err, NULL, "pipe");
        if (pipe2(down, O_CLOEXEC) < 0) {
                close(up[0]);
                close(up[1]);
                return errf_sys(err, NULL, "pipe");
        }
        pid_t pid = fork();
        if (pid < 0) {
                int saved = errno;
                close(up[0]), close(up[1]), close(down[0]), close(down[1]);
                errno = saved;
                return errf_sys(err, NULL, "fork");
        }
        if (pid == 0) {
                close(up[0]);
                close(down[1]);
                char e[ERRLEN] = "";
                int rc = setup(lab, n, scratch, e);
                if (rc < 0) {
                        if (write(up[1], e, strlen(e) + 1) < 0)
                                _exit(2);
                        _exit(1);
                }
                if (write(up[1], "", 1) < 0)
                        _exit(2);
                char c;
                while (read(down[0], &c, 1) < 0 && errno == EINTR)
                        ;
                _exit(0);
        }
        close(up[1]);
        close(down[0]);
        char msg[ERRLEN] = "";
        size_t got = 0;
        ssize_t r;
        while (got < sizeof(msg) - 1 &&
               ((r = read(up[0], msg + got, sizeof(msg) - 1 - got)) > 0 || (r < 0 && errno == EINTR)))
                if (r > 0) {
                        got += (size_t)r;
                        if (memchr(msg, '\0', got))
                                break;
                }
        msg[got < sizeof(msg) ? got : sizeof(msg) - 1] = '\0';
        int rc = 0;
        if (got == 0) {
                rc = errf(err, "the child making its mount namespace died");
        } else if (msg[0]) {
                rc = errf(err, "%s", msg);
        } else {
                char src[64];
                snprintf(src, sizeof(src), "/proc/%d/ns/mnt", (int)pid);
                if (mount(src, hold, "none", MS_BIND, NULL) < 0)
                        rc = errf_sys(err, NULL, "Cannot bind mount the mount namespace on \"%s\"",
                                      hold);
        }
        close(up[0]);
        close(down[1]);
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
                ;
        return rc;
}

int nodefs_open(const struct lab *lab, const struct node *n, char *err)
{
        char hold[PATH_MAX + 64];
        snprintf(hold, sizeof(hold), "%s/%s/%s", lab->rundir, NODEFS_DIR, n->name);
        int fd = open(hold, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return errf_sys(err, NULL, "Cannot open the mount namespace \"%s\"", hold);
        return fd;
}

int nodefs_base_openat(int run_fd)
{
        int fd = openat(run_fd, NODEFS_DIR "/" NODEFS_BASE, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        struct statfs sf;
        if (fd >= 0 && (fstatfs(fd, &sf) < 0 || sf.f_type != NSFS_MAGIC)) {
                close(fd); /* a placeholder: nothing mounted on it */
                fd = -1;
        }
        return fd;
}

int nodefs_base_open(const struct lab *lab)
{
        if (lab->ns_opener)
                return -1; /* a view (netlab host): no lab's run directory */
        int run_fd = open(lab->rundir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int fd = run_fd < 0 ? -1 : nodefs_base_openat(run_fd);
        if (run_fd >= 0)
                close(run_fd);
        return fd;
}

int nodefs_build(struct lab *lab, int run_fd, char *err)
{
        /* The dirs nodes need the directory; the base does not: a lab
         * without dirs nodes where it cannot be made is entered as before. */
        bool needed = nodefs_needed(lab);
        char dir[PATH_MAX + 8];
        snprintf(dir, sizeof(dir), "%s/%s", lab->rundir, NODEFS_DIR);
        if (mkdirat(run_fd, NODEFS_DIR, 0700) < 0 && errno != EEXIST)
                return needed ? errf_sys(err, NULL, "Cannot create \"%s\"", dir) : 0;
        journal_add(lab->journal, "mount %s", dir);
        if (mount("netlab", dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0700") < 0)
                return needed ? errf_sys(err, NULL, "Cannot mount a tmpfs on \"%s\"", dir) : 0;
        if (mount("", dir, NULL, MS_PRIVATE, NULL) < 0)
                return needed ? errf_sys(err, NULL, "Cannot make \"%s\" a private mount", dir) : 0;
        char e[ERRLEN];
        /* Without a base, the nodes are entered as before (a copy of the
         * host's mount namespace): slower, not wrong. */
        if (make_held(lab, NULL, NODEFS_BASE, base_setup, run_fd, e) < 0)
                unlinkat(run_fd, NODEFS_DIR "/" NODEFS_BASE, 0);
        for (int i = 0; i < lab->nnodes; i++) {
                const struct node *n = &lab->nodes[i];
                if (!lab_node_live(lab, i) || !n->ndirs)
                        continue;
                if (make_held(lab, n, n->name, child_setup, run_fd, e) < 0)
                        return errf(err, "%s: node \"%s\": %s", n->where, n->name, e);
        }
        return 0;
}
