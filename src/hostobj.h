/* hostobj.h — what a lab makes in the host's network namespace, and how
 * clean knows it is still that object.
 *
 * A lab touches the host only when it asks for the real network by name (an
 * uplink's veth end, a NAT table). Each such object carries the lab's name
 * and is journaled twice: before it exists (a crash right after creating it
 * leaves nothing unrecorded) and once created, with its identity:
 *     hostlink NAME NSINO            the interface NAME, in the namespace NSINO
 *     hostlink NAME NSINO IFINDEX    ... created: its ifindex; its alias is
 *                                    "netlab:LAB:NAME" (`ip link` shows it)
 * clean removes an interface only when every recorded fact still holds: the
 * same network namespace, the alias, and the ifindex when recorded. A line
 * that fails any of them (a forged `hostlink eth0`, an interface replaced by
 * someone else's of the same name) is left alone and reported. */
#ifndef NETLAB_HOSTOBJ_H
#define NETLAB_HOSTOBJ_H
#include <stddef.h>
#include "err.h"

struct lab;
struct nl;

/* "netlab:LAB:IFNAME" */
void hostobj_link_alias(const char *lab, const char *ifname, char *buf, size_t len);

/* Journals the interface ifname before it is created in the calling
 * thread's network namespace. */
int hostobj_link_claim(struct lab *lab, const char *ifname, char *err);
/* Once created (host: a socket in that namespace): sets the alias, then
 * journals the ifindex. */
int hostobj_link_commit(struct lab *lab, struct nl *host, const char *ifname, int ifindex,
                        char *err);

/* A journal record as clean reads it (the later line of a name completes the
 * earlier one). */
struct hostobj_rec {
        char name[16];
        unsigned long nsino; /* 0: not recorded */
        long long id;        /* ifindex, 0: not recorded */
};
/* Parses "hostlink NAME [NSINO [IFINDEX]]"; -1 when it is not one. */
int hostobj_parse(int argc, char **argv, struct hostobj_rec *r);

enum hostobj_result { HOSTOBJ_GONE, HOSTOBJ_REMOVED, HOSTOBJ_LEFT };
/* Removes what r names if it is still the object lab made (host: a socket
 * in the calling thread's namespace). HOSTOBJ_LEFT: it is not, why in note
 * (one line naming the object). -1 with err on a failure to remove it. */
int hostobj_remove(struct nl *host, const char *lab, const struct hostobj_rec *r, char *note,
                   size_t len, char *err);

/* The inode of the calling thread's network namespace (0 on error). */
unsigned long hostobj_netns_inode(void);

#endif
