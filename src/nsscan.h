/* nsscan.h — every network namespace of the machine, found from the kernel's
 * own facts, with what is inside each (`netlab ns`, `netlab host`).
 *
 * A namespace is found through whatever keeps it alive: a process (or one of
 * its threads) inside it, a bind mount of its nsfs file in any mount
 * namespace (/run/netns, /run/docker/netns, ...: read from each mount
 * namespace's mountinfo), or an open descriptor of some process. Nothing is
 * guessed from names. Each namespace is then asked, over netlink from
 * inside, for its interfaces and addresses; a veth's peer is resolved from
 * IFLA_LINK_NETNSID through RTM_GETNSID (which never assigns an id), so a
 * scan changes nothing on the machine. */
#ifndef NETLAB_NSSCAN_H
#define NETLAB_NSSCAN_H
#include "err.h"
#include "nl.h"
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct ns_proc {
        pid_t pid;
        uid_t uid;
        char comm[64]; /* the command line, spaces between arguments, cut */
};

struct ns_iface {
        struct nl_link_info li;
        struct ipaddr *addr;
        int naddr;
        int peer_ns; /* veth: index of the peer's namespace in the scan, -1 unknown */
        char peer[16];
};

struct ns_entry {
        unsigned long ino; /* the namespace's inode, as lsns and /proc/PID/ns/net show */
        char **names;      /* bind-mount paths; "/run/netns/X" is shown as "X" */
        int nnames;
        struct ns_proc *procs;
        int nprocs;
        char holder[64]; /* held only by a descriptor: "pid 42 fd 7" */
        bool host;       /* the namespace netlab runs in: "(host)" */
        char lab[32], node[32]; /* a netlab lab's node: "LAB.NODE" under /run/netns */
        struct ns_iface *ifs;
        int nifs;
        char err[ERRLEN]; /* why its interfaces could not be read, or "" */
        char *path;       /* a path the scan opened it by (its inode checked), or NULL */
};

struct ns_scan {
        struct ns_entry *ns;
        int n;
        int cap; /* allocated entries of ns */
        int *ix; /* during the scan: entries by inode, index + 1 (0 empty) */
        int ix_cap;
};

/* Finds every namespace and reads its interfaces. 0, or -1 with err. */
int ns_scan(struct ns_scan *s, char *err);
void ns_scan_free(struct ns_scan *s);

/* The namespace named by spec: a name (X for /run/netns/X, or a mount
 * path), an inode, or a PID of a process inside it. -1 with err if none. */
int ns_find(const struct ns_scan *s, const char *spec, char *err);

/* A descriptor on the namespace, opened again by a path (the scan's, its
 * bind mounts, a process's, the holder's descriptor) whose inode is still
 * e->ino: neither the scan nor the view holds one per namespace, so ten
 * thousand of them need no descriptor limit raised. And one on the UTS
 * namespace to join with it: a netlab node's, or its first process's
 * (nsenter -t PID -n -u) while that process is still in the namespace; -1
 * when it has none of its own. -1 with errno (ENOENT: gone, or its paths
 * now name another namespace) when the namespace cannot be opened. */
int ns_open_net(const struct ns_entry *e);
int ns_open_uts(const struct ns_entry *e);

/* "vlan.netns1", "sleep 300 (pid 4242)", "(host)", "4026532301": what a
 * person calls the namespace. */
void ns_label(const struct ns_entry *e, char *buf, size_t len);

/* Printing: a table like lsns, a tree with the interfaces, or JSON. */
enum ns_format { NS_TABLE, NS_TREE, NS_JSON };
void ns_print(const struct ns_scan *s, enum ns_format f, FILE *out);

/* `netlab ns ...` (argv[0] is "ns"): the exit status. */
int ns_main(int argc, char **argv);

#endif
