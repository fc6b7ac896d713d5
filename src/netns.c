/* netns.c — creating, entering and removing node namespaces (see netns.h).
 *
 * The namespaces are made with unshare() in the calling thread and held by
 * bind mounts of /proc/thread-self/ns/{net,uts}, exactly what `ip netns
 * add` does for the network namespace; the thread then returns to the
 * namespaces it had. Removing is umount + unlink: when the last reference
 * goes, the kernel destroys the namespace and every interface in it at once,
 * which is far cheaper than deleting links one by one. */
#include "netns.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <unistd.h>

#define NETNS_DIR "/run/netns"

int netns_prepare_run_dir(char *err)
{
        if (mkdir(NETNS_DIR, 0755) < 0 && errno != EEXIST)
                return errf_sys(err, NULL, "Cannot create \"%s\"", NETNS_DIR);
        /* Make it a shared mount point of its own, as iproute2 does, so that
         * mounts made here propagate to other mount namespaces. */
        if (mount("", NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) == 0)
                return 0;
        if (errno != EINVAL)
                return errf_sys(err, NULL, "Cannot make \"%s\" shared", NETNS_DIR);
        if (mount(NETNS_DIR, NETNS_DIR, "none", MS_BIND | MS_REC, NULL) < 0)
                return errf_sys(err, NULL, "Cannot bind mount \"%s\"", NETNS_DIR);
        if (mount("", NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) < 0)
                return errf_sys(err, NULL, "Cannot make \"%s\" shared", NETNS_DIR);
        return 0;
}

static int touch(const char *path, char *err)
{
        int fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0444);
        if (fd < 0)
                return errf_sys(err, NULL, "Cannot create namespace file \"%s\"", path);
        close(fd);
        return 0;
}

int netns_create(const char *net_path, const char *uts_path, const char *hostname,
                 netns_inside_fn inside, void *ud, int *net_fd, int *uts_fd, char *err)
{
        return netns_create_sharing(-1, net_path, uts_path, hostname, inside, ud, net_fd, uts_fd,
                                    err);
}

int netns_create_sharing(int share_net_fd, const char *net_path, const char *uts_path,
                         const char *hostname, netns_inside_fn inside, void *ud, int *net_fd,
                         int *uts_fd, char *err)
{
        int old_net = -1, old_uts = -1, rc = -1;
        *net_fd = *uts_fd = -1;
        old_net = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        old_uts = open("/proc/thread-self/ns/uts", O_RDONLY | O_CLOEXEC);
        if (old_net < 0 || old_uts < 0) {
                errf_sys(err, NULL, "Cannot open the current namespaces");
                goto out;
        }
        if (touch(net_path, err) < 0 || touch(uts_path, err) < 0)
                goto out;
        if (share_net_fd >= 0 ? setns(share_net_fd, CLONE_NEWNET) < 0 || unshare(CLONE_NEWUTS) < 0
                              : unshare(CLONE_NEWNET | CLONE_NEWUTS) < 0) {
                errf_sys(err, NULL, "Cannot create namespace \"%s\"", net_path);
                netns_return(old_net, CLONE_NEWNET);
                goto out;
        }
        if (hostname && sethostname(hostname, strlen(hostname)) < 0)
                errf_sys(err, NULL, "Cannot set hostname \"%s\"", hostname);
        else if (mount("/proc/thread-self/ns/net", net_path, "none", MS_BIND, NULL) < 0)
                errf_sys(err, NULL, "Cannot bind mount namespace \"%s\"", net_path);
        else if (mount("/proc/thread-self/ns/uts", uts_path, "none", MS_BIND, NULL) < 0)
                errf_sys(err, NULL, "Cannot bind mount namespace \"%s\"", uts_path);
        else if (inside && inside(ud, err) < 0)
                ;
        else if ((*net_fd = open(net_path, O_RDONLY | O_CLOEXEC)) < 0 ||
                 (*uts_fd = open(uts_path, O_RDONLY | O_CLOEXEC)) < 0)
                errf_sys(err, NULL, "Cannot open namespace \"%s\"", net_path);
        else
                rc = 0;
        /* Back to where we were, whatever happened. */
        int saved = errno;
        netns_return(old_net, CLONE_NEWNET);
        netns_return(old_uts, CLONE_NEWUTS);
        errno = saved;
out:
        if (rc < 0) {
                if (*net_fd >= 0)
                        close(*net_fd);
                if (*uts_fd >= 0)
                        close(*uts_fd);
                *net_fd = *uts_fd = -1;
        }
        if (old_net >= 0)
                close(old_net);
        if (old_uts >= 0)
                close(old_uts);
        return rc;
}

int netns_remove(const char *path, char *err)
{
        if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL && errno != ENOENT)
                return errf_sys(err, NULL, "Cannot unmount namespace \"%s\"", path);
        if (unlink(path) < 0 && errno != ENOENT)
                return errf_sys(err, NULL, "Cannot remove namespace file \"%s\"", path);
        return 0;
}

static int enter_from(int net_fd, int uts_fd, int base_fd, char *err)
{
        if (setns(net_fd, CLONE_NEWNET) < 0)
                return errf_sys(err, NULL, "Cannot enter network namespace");
        if (uts_fd >= 0 && setns(uts_fd, CLONE_NEWUTS) < 0)
                return errf_sys(err, NULL, "Cannot enter UTS namespace");
        /* setns into a mount namespace moves to its root: the directory is
         * found again there (a base refused: the copy is the caller's). */
        char cwd[PATH_MAX];
        bool based = base_fd >= 0 && getcwd(cwd, sizeof(cwd)) && setns(base_fd, CLONE_NEWNS) == 0;
        /* /sys must show this network namespace's interfaces: a private
         * mount namespace with a fresh sysfs, as `ip netns exec` does. */
        if (unshare(CLONE_NEWNS) < 0)
                return errf_sys(err, NULL, "Cannot create a mount namespace");
        if (based && chdir(cwd) < 0 && chdir("/") < 0)
                return errf_sys(err, NULL, "Cannot change directory to \"%s\"", cwd);
        if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0)
                return errf_sys(err, NULL, "Cannot make / a slave mount");
        unsigned long flags = 0;
        if (umount2("/sys", MNT_DETACH) == 0 || errno == EINVAL) {
                if (mount("sysfs", "/sys", "sysfs", flags, NULL) < 0)
                        return errf_sys(err, NULL, "Cannot mount /sys");
        }
        return 0;
}

int netns_enter(int net_fd, int uts_fd, char *err)
{
        return enter_from(net_fd, uts_fd, -1, err);
}

int netns_enter_node(int net_fd, int uts_fd, int mnt_fd, int base_fd, char *err)
{
        if (mnt_fd < 0)
                return enter_from(net_fd, uts_fd, base_fd, err);
        if (setns(net_fd, CLONE_NEWNET) < 0)
                return errf_sys(err, NULL, "setns (net)");
        if (uts_fd >= 0 && setns(uts_fd, CLONE_NEWUTS) < 0)
                return errf_sys(err, NULL, "setns (uts)");
        if (setns(mnt_fd, CLONE_NEWNS) < 0)
                return errf_sys(err, NULL, "setns (mnt)");
        return 0;
}

int netns_bind_etc(const char *name, char *err)
{
        char dir[PATH_MAX], src[PATH_MAX + 256], dst[PATH_MAX];
        snprintf(dir, sizeof(dir), "/etc/netns/%s", name);
        DIR *d = opendir(dir);
        if (!d)
                return errno == ENOENT ? 0 : errf_sys(err, NULL, "Cannot open \"%s\"", dir);
        int rc = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
                if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                        continue;
                snprintf(src, sizeof(src), "%s/%s", dir, de->d_name);
                snprintf(dst, sizeof(dst), "/etc/%s", de->d_name);
                struct stat st;
                if (stat(dst, &st) < 0 && errno == ENOENT)
                        continue; /* nothing to bind over (a minimal /etc): as if absent */
                if (mount(src, dst, "none", MS_BIND, NULL) < 0 && rc == 0)
                        rc = errf_sys(err, NULL, "Bind %s -> %s failed", src, dst);
        }
        closedir(d);
        return rc;
}

int netns_run_in(int net_fd, netns_inside_fn fn, void *ud, char *err)
{
        int old = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        if (old < 0)
                return errf_sys(err, NULL, "Cannot open the current network namespace");
        if (setns(net_fd, CLONE_NEWNET) < 0) {
                int e = errno;
                close(old);
                errno = e;
                return errf_sys(err, NULL, "Cannot enter network namespace");
        }
        int rc = fn(ud, err);
        int saved = errno;
        netns_return(old, CLONE_NEWNET);
        close(old);
        errno = saved;
        return rc;
}

struct socket_args {
        int domain, type, protocol, fd;
};

static int socket_here(void *ud, char *err)
{
        struct socket_args *a = ud;
        a->fd = socket(a->domain, a->type, a->protocol);
        return a->fd < 0 ? errf_sys(err, NULL, "Cannot open socket") : 0;
}

int netns_socket(int net_fd, int domain, int type, int protocol, char *err)
{
        struct socket_args a = {domain, type, protocol, -1};
        int rc = net_fd < 0 ? socket_here(&a, err) : netns_run_in(net_fd, socket_here, &a, err);
        return rc < 0 ? -1 : a.fd;
}

void netns_return(int fd, int nstype)
{
        if (setns(fd, nstype) == 0)
                return;
        perror("netlab: cannot return to the original namespace");
        _exit(70);
}

/* A thread that writes the sysctls of many namespaces in a row (the build's
 * namespace workers) does it through a procfs of its own, a detached mount
 * (fsopen/fsmount: never attached, so nothing propagates) replaced every
 * SYSCTL_PROC_USES writes. Through the machine's /proc every namespace that
 * ever opened /proc/sys/net leaves a "net" dentry of its own under
 * /proc/sys, all in one hash chain that each lookup walks: with thousands of
 * namespaces that walk was 70% of a 10,000-node build, quadratic in the
 * lab's size. A private procfs's chain only holds the namespaces it served. */
#define SYSCTL_PROC_USES 64
static _Thread_local int sysctl_dir = -1; /* "sys" of the private procfs */
static _Thread_local int sysctl_uses;
static _Thread_local bool sysctl_batch;

static int private_proc_sys(void)
{
        int fs = fsopen("proc", FSOPEN_CLOEXEC);
        if (fs < 0)
                return -1;
        int mnt = -1, dir = -1;
        if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
                mnt = fsmount(fs, FSMOUNT_CLOEXEC,
                              MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
        if (mnt >= 0)
                dir = openat(mnt, "sys", O_PATH | O_DIRECTORY | O_CLOEXEC);
        int saved = errno;
        if (mnt >= 0)
                close(mnt); /* the directory holds the mount */
        close(fs);
        errno = saved;
        return dir;
}

void netns_sysctl_batch(bool on)
{
        sysctl_batch = on;
        if (!on && sysctl_dir >= 0) {
                close(sysctl_dir);
                sysctl_dir = -1;
        }
}

int netns_sysctl(const char *key, const char *value, char *err)
{
        char path[256];
        int fd;
        if (sysctl_batch && (sysctl_dir < 0 || sysctl_uses >= SYSCTL_PROC_USES)) {
                if (sysctl_dir >= 0)
                        close(sysctl_dir);
                sysctl_dir = private_proc_sys(); /* -1: /proc/sys below */
                sysctl_uses = 0;
        }
        if (sysctl_batch && sysctl_dir >= 0) {
                sysctl_uses++;
                fd = openat(sysctl_dir, key, O_WRONLY | O_CLOEXEC);
        } else {
                snprintf(path, sizeof(path), "/proc/sys/%s", key);
                fd = open(path, O_WRONLY | O_CLOEXEC);
        }
        if (fd < 0)
                return errf_sys(err, NULL, "Cannot set sysctl %s", key);
        ssize_t n = write(fd, value, strlen(value));
        int saved = errno;
        close(fd);
        errno = saved;
        if (n < 0)
                return errf_sys(err, NULL, "Cannot set sysctl %s=%s", key, value);
        return 0;
}

static long read_sysctl_long(const char *path)
{
        FILE *f = fopen(path, "re");
        long v = -1;
        if (f) {
                if (fscanf(f, "%ld", &v) != 1)
                        v = -1;
                fclose(f);
        }
        return v;
}

void netns_limit_hint(int err_no, bool mount, int want, char *buf, size_t len)
{
        buf[0] = '\0';
        if (err_no == ENOSPC && !mount) {
                long net = read_sysctl_long("/proc/sys/user/max_net_namespaces");
                long uts = read_sysctl_long("/proc/sys/user/max_uts_namespaces");
                bool is_uts = uts >= 0 && (net < 0 || uts < net);
                long lim = is_uts ? uts : net;
                snprintf(buf, len,
                         " (the kernel's limit of %s namespaces, user.max_%s_namespaces = %ld, is "
                         "reached; the lab needs %d more: as root, sysctl -w "
                         "user.max_%s_namespaces=%ld)",
                         is_uts ? "UTS" : "network", is_uts ? "uts" : "net", lim, want,
                         is_uts ? "uts" : "net", lim + want);
        } else if (err_no == ENOSPC) {
                long mx = read_sysctl_long("/proc/sys/fs/mount-max");
                snprintf(buf, len,
                         " (the kernel's limit of mounts, fs.mount-max = %ld, is reached; the lab "
                         "needs 2 per node, %d more: as root, sysctl -w fs.mount-max=%ld)",
                         mx, 2 * want, mx + 2L * want);
        } else if (err_no == ENOMEM) {
                long kb = -1;
                FILE *f = fopen("/proc/meminfo", "re");
                char line[128];
                while (f && fgets(line, sizeof(line), f))
                        if (sscanf(line, "MemAvailable: %ld kB", &kb) == 1)
                                break;
                if (f)
                        fclose(f);
                snprintf(buf, len,
                         " (out of memory: %ld MB available, and a node takes about 0.4 MB of "
                         "the kernel's; the lab needs %d more nodes: free memory or build a "
                         "smaller lab)",
                         kb / 1024, want);
        }
}

unsigned long netns_inode(const char *path)
{
        struct stat st;
        struct statfs sf;
        /* Only a mounted namespace counts: an unmounted placeholder file is on
         * /run's tmpfs, and its inode number means nothing in nsfs. */
        if (statfs(path, &sf) < 0 || sf.f_type != NSFS_MAGIC || stat(path, &st) < 0)
                return 0;
        return (unsigned long)st.st_ino;
}
