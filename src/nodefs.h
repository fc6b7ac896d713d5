/* nodefs.h — private directories of a node: a mount namespace of its own.
 *
 * A node with dirs gets a mount namespace made at build time by a short-
 * lived child: it enters the node's network namespace, unshares a mount
 * namespace (a slave of the host's, so the host sees none of it), mounts
 * /sys for the node's interfaces, binds /etc/netns/LAB.NODE as `ip netns
 * exec` does, then puts each private directory in place: an empty tmpfs
 * (with the owner and mode of the directory it covers),
 * or an overlay whose upper layer is on a tmpfs of the namespace itself
 * (copy-on-write: the host's files stay untouched). The namespace is held
 * by a bind mount of its nsfs file at /run/netlab/LAB/mnt/NODE, journaled
 * ("mnt PATH") before it is made, so `netlab clean` removes it after any
 * crash; the child exits, and the node costs no process. Everything that
 * runs in the node enters it (netns_enter_node). Nodes without dirs are
 * built as before.
 *
 * A process entering a node without dirs makes a private mount namespace
 * (for /sys). Copied from the host's, it copied a bind mount of every
 * namespace of every lab on the machine, and the UTS holds: 20,000 mounts
 * and 80 ms per process with 10,000 nodes up, whatever its own lab's size.
 * So each lab has a base, NODEFS_DIR/NODEFS_BASE: a mount namespace made at
 * build time as a slave copy of the host's without /run/netns and the
 * mounts under /run/netlab (as a node with dirs has none), that entering
 * copies instead (a few dozen mounts). As in a node with dirs, `ip netns`
 * inside a node sees no namespace, and a host mount made after the build
 * reaches the node only where the host's mounts propagate (shared ones). */
#ifndef NETLAB_NODEFS_H
#define NETLAB_NODEFS_H
#include "err.h"
#include "lab.h"

/* The directory (below the lab's run directory) holding the mount
 * namespaces: a private tmpfs, mounted by nodefs_build. */
#define NODEFS_DIR "mnt"

/* The base's name in NODEFS_DIR (no node's name: those start with a letter). */
#define NODEFS_BASE ".base"

/* True when some node of the lab has dirs. */
bool nodefs_needed(const struct lab *lab);

/* Makes the lab's base and the mount namespace of every node with dirs
 * (after the network namespaces and the hosts files). run_fd: the lab's
 * run directory. */
int nodefs_build(struct lab *lab, int run_fd, char *err);

/* The mount namespace of node n (which has dirs), opened from its bind
 * mount: the lab holds no descriptor per node, so a child entering the node
 * opens it (as it does the network namespace). A descriptor, or -1 with err. */
int nodefs_open(const struct lab *lab, const struct node *n, char *err);

/* The lab's base, opened for netns_enter_node (nodefs_base_openat: from
 * the lab's run directory); -1 when it has none (a lab built before bases,
 * a view): the node is entered from a copy of the caller's namespace. */
int nodefs_base_open(const struct lab *lab);
int nodefs_base_openat(int run_fd);

#endif
