/* test_nsopen.c — nsscan's descriptors on demand (issue 16): neither the
 * scan nor netlab host holds one per namespace, so a namespace is opened
 * again by a path the scan found, and only while that path still names the
 * same namespace (its inode): a name deleted and made again, or a PID
 * reused, is another namespace and must not be entered as the old one. No
 * root: the test's own /proc/self/ns files. */
#include "check.h"
#include "nsscan.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned long ino_of(const char *path)
{
        struct stat st;
        return stat(path, &st) == 0 ? (unsigned long)st.st_ino : 0;
}

static bool same_ns(int fd, unsigned long ino)
{
        struct stat st;
        return fd >= 0 && fstat(fd, &st) == 0 && (unsigned long)st.st_ino == ino;
}

int main(void)
{
        unsigned long net = ino_of("/proc/self/ns/net"), uts = ino_of("/proc/self/ns/uts");
        CHECK(net && uts && net != uts);
        char path[] = "/proc/self/ns/net", *names[] = {path};
        struct ns_proc self = {.pid = getpid()};

        /* The scan's path, still this namespace: opened. */
        struct ns_entry e = {.ino = net, .path = path};
        int fd = ns_open_net(&e);
        CHECK(same_ns(fd, net), "ns_open_net by the scan's path: fd %d", fd);
        if (fd >= 0)
                close(fd);

        /* Every path now names another namespace (net's inode taken for the
         * UTS one's): refused with ENOENT, by the path, a name, a process
         * or a holder's descriptor alike. */
        char holder[64];
        int hfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        snprintf(holder, sizeof(holder), "pid %d fd %d", (int)getpid(), hfd);
        struct ns_entry stale = {.ino = uts, .path = path, .names = names, .nnames = 1,
                                 .procs = &self, .nprocs = 1};
        snprintf(stale.holder, sizeof(stale.holder), "%s", holder);
        errno = 0;
        fd = ns_open_net(&stale);
        CHECK(fd < 0 && errno == ENOENT, "a path naming another namespace: fd %d (%s)", fd,
              strerror(errno));
        if (fd >= 0)
                close(fd);

        /* No scan path: its names, then its processes, then the holder. */
        struct ns_entry byproc = {.ino = net, .procs = &self, .nprocs = 1};
        fd = ns_open_net(&byproc);
        CHECK(same_ns(fd, net), "ns_open_net by its process: fd %d", fd);
        if (fd >= 0)
                close(fd);
        struct ns_entry byholder = {.ino = net};
        snprintf(byholder.holder, sizeof(byholder.holder), "%s", holder);
        fd = ns_open_net(&byholder);
        CHECK(same_ns(fd, net), "ns_open_net by the holder's descriptor: fd %d", fd);
        if (fd >= 0)
                close(fd);
        close(hfd);

        /* The UTS namespace of its process, only while that process is
         * still in the namespace. */
        struct ns_entry withuts = {.ino = net, .procs = &self, .nprocs = 1};
        fd = ns_open_uts(&withuts);
        CHECK(same_ns(fd, uts), "ns_open_uts of its process: fd %d", fd);
        if (fd >= 0)
                close(fd);
        withuts.ino = uts; /* the process is in another network namespace now */
        fd = ns_open_uts(&withuts);
        CHECK(fd < 0, "ns_open_uts of a process no longer inside: fd %d", fd);
        if (fd >= 0)
                close(fd);
        return check_done("nsopen");
}
