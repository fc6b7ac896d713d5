/* netns.h — network + UTS namespaces of nodes, held by bind mounts.
 *
 * A node is a set of namespaces, not a process: netns_create unshares a new
 * network and UTS namespace in the calling thread, sets the hostname, bind
 * mounts the nsfs files (net at /run/netns/NAME, like `ip netns add`, so
 * `ip netns exec` and `lsns` see it; uts under the lab's run directory),
 * runs an optional callback inside (sysctls, loopback up), and returns to
 * the caller's namespaces. No process stays behind. */
#ifndef NETLAB_NETNS_H
#define NETLAB_NETNS_H
#include <stdbool.h>
#include "err.h"

/* Makes /run/netns a shared bind mount of itself (as iproute2 does) and
 * creates it if needed. Idempotent. */
int netns_prepare_run_dir(char *err);

/* Called inside the new namespaces, before returning to the caller's. */
typedef int (*netns_inside_fn)(void *ud, char *err);

/* Creates the namespaces. net_path/uts_path: bind-mount targets (created).
 * On success *net_fd and *uts_fd are open (O_CLOEXEC) on the new namespaces. */
int netns_create(const char *net_path, const char *uts_path, const char *hostname,
                 netns_inside_fn inside, void *ud, int *net_fd, int *uts_fd, char *err);

/* The same with the network namespace share_net_fd (bound at net_path
 * too) instead of a new one: several nodes in one network namespace, each
 * with a UTS namespace of its own (the lab's Open vSwitch, ovs.h). */
int netns_create_sharing(int share_net_fd, const char *net_path, const char *uts_path,
                         const char *hostname, netns_inside_fn inside, void *ud, int *net_fd,
                         int *uts_fd, char *err);

/* Unmounts (MNT_DETACH) and unlinks a bind-mounted namespace file. A path
 * that does not exist is not an error. */
int netns_remove(const char *path, char *err);

/* For a child process about to exec inside a node: setns into net and uts,
 * then a private mount namespace with /sys remounted for that network
 * namespace (as `ip netns exec` does). */
int netns_enter(int net_fd, int uts_fd, char *err);

/* netns_enter for a node that may have a mount namespace of its own
 * (nodefs.h): with mnt_fd >= 0, setns into net, uts and mnt (that
 * namespace has /sys and /etc/netns in place already); else netns_enter,
 * its private mount namespace copied from base_fd (its lab's small base,
 * nodefs_base_open; the working directory kept) rather than from the
 * caller's, when base_fd >= 0: the host's mount table holds a bind mount
 * per namespace of every lab, and its copy took 80 ms with 10,000 nodes. */
int netns_enter_node(int net_fd, int uts_fd, int mnt_fd, int base_fd, char *err);

/* For a child after netns_enter, as `ip netns exec NAME` does: binds each
 * file of /etc/netns/NAME over /etc (the node's hosts file). A missing
 * directory is fine; a file that cannot be bound is reported and skipped. */
int netns_bind_etc(const char *name, char *err);

/* Enter a namespace, work, come back: runs fn in the network namespace
 * net_fd in the calling thread, then returns it to the namespace it was in
 * (netns_return). fn's result and errno are returned. The one way netlab
 * code visits a namespace: netlink sockets (nlsock.c) and the datapath's
 * ports are opened through it. */
int netns_run_in(int net_fd, netns_inside_fn fn, void *ud, char *err);

/* socket(2) in the network namespace net_fd (< 0: here): a socket belongs
 * to the namespace it was made in for life. The fd, or -1 with errno and
 * err. */
int netns_socket(int net_fd, int domain, int type, int protocol, char *err);

/* Returns the calling thread to the namespace fd (of type nstype) it came
 * from. A thread that cannot get back would do its next work in a node:
 * nothing sane can follow, so this is the one place netlab dies from library
 * code (exit 70, after one line on stderr). */
void netns_return(int fd, int nstype);

/* Writes a sysctl under /proc/sys of the *current* network namespace:
 * key "net/ipv4/ip_forward". */
int netns_sysctl(const char *key, const char *value, char *err);

/* Between netns_sysctl_batch(true) and (false), the calling thread's
 * netns_sysctl goes through a private procfs, so writing the sysctls of
 * thousands of namespaces stays linear (netns.c says why); false releases
 * its descriptor. */
void netns_sysctl_batch(bool on);

/* After netns_create failed with err_no: the kernel limit it ran into, its
 * value and the fix, as " (...)" to append to the message (empty when
 * err_no is no limit's). mount: the bind mount failed, not the unshare;
 * want: the namespaces the lab still needs. */
void netns_limit_hint(int err_no, bool mount, int want, char *buf, size_t len);

/* The inode of a mounted namespace file (to find processes inside it), or 0
 * when path is not a mounted namespace. */
unsigned long netns_inode(const char *path);

#endif
