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
 *     nft FAMILY TABLE NSINO         the nftables table TABLE (family NFPROTO_*),
 *                                    named netlab_LAB or netlab_LAB_SUFFIX
 *     nft FAMILY TABLE NSINO HANDLE  ... created: its handle (never reused in a
 *                                    namespace)
 * clean removes an object only when every recorded fact still holds: the
 * same network namespace, the alias (tables: a name carrying the lab's),
 * and the ifindex or handle when recorded. A line that fails any of them (a
 * forged `hostlink eth0`, an object replaced by someone else's of the same
 * name) is left alone and reported. */
#ifndef NETLAB_HOSTOBJ_H
#define NETLAB_HOSTOBJ_H
#include <stddef.h>
#include <stdint.h>
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

/* "netlab_LAB" (suffix NULL or "") or "netlab_LAB_SUFFIX" */
void hostobj_nft_table(const char *lab, const char *suffix, char *buf, size_t len);
/* Journals table (a name from hostobj_nft_table) before it is created in
 * the calling thread's network namespace. */
int hostobj_nft_claim(struct lab *lab, int family, const char *table, char *err);
/* Once created: looks up its handle and journals it. */
int hostobj_nft_commit(struct lab *lab, int family, const char *table, char *err);

/* Sets a host sysctl (of a short fixed list: net/ipv4/ip_forward) after
 * journaling its value before: "hostsysctl KEY NSINO BEFORE". clean writes
 * BEFORE back unless another lab's journal names the same sysctl. */
int hostobj_sysctl_set(struct lab *lab, const char *key, const char *value, char *err);
/* The name of another lab (not lab) whose journal records sysctl key in
 * namespace nsino, or NULL (a static buffer: use it before the next call). */
const char *hostobj_sysctl_user(const char *lab, const char *key, unsigned long nsino);

/* A journal record as clean reads it (the later line of an object
 * completes the earlier one). */
struct hostobj_rec {
        char kind;           /* 'l' an interface, 't' an nftables table, 's' a sysctl */
        int family;          /* tables: NFPROTO_* */
        char name[256];      /* interface or table name */
        unsigned long nsino; /* 0: not recorded */
        long long id;        /* ifindex or table handle, 0: not recorded; a sysctl's
                                value before the lab */
};
/* Parses "hostlink NAME [NSINO [IFINDEX]]" and "nft FAMILY TABLE [NSINO
 * [HANDLE]]"; -1 when it is neither. */
int hostobj_parse(int argc, char **argv, struct hostobj_rec *r);

enum hostobj_result { HOSTOBJ_GONE, HOSTOBJ_REMOVED, HOSTOBJ_LEFT };
/* Removes what r names if it is still the object lab made (host: a socket
 * in the calling thread's namespace). HOSTOBJ_LEFT: it is not, why in note
 * (one line naming the object). -1 with err on a failure to remove it. */
int hostobj_remove(struct nl *host, const char *lab, const struct hostobj_rec *r, char *note,
                   size_t len, char *err);

/* What lab changed on the machine, from its journal: "link nl1a2b3c4d,
 * nft table netlab_LAB, sysctl net/ipv4/ip_forward" ("" none). Returns how
 * many objects, or -1 when the lab has no run directory. */
int hostobj_describe(const char *lab, char *buf, size_t len);

/* A short, stable hash of a lab's node (FNV-1a of "LAB.NODE"): the 8 hex
 * digits of the host objects a node makes ("nl1a2b3c4d"). */
uint32_t hostobj_node_hash(const char *lab, const char *node);
/* The interface of the default IPv4 route of host's namespace, in name
 * (IF_NAMESIZE). -1 with err (errno ENETUNREACH: there is none). */
int hostobj_default_route_if(struct nl *host, char *name, size_t len, char *err);

/* The inode of the calling thread's network namespace (0 on error). */
unsigned long hostobj_netns_inode(void);

#endif
