/* nl_int.h — what the nl_*.c files share: the struct behind `struct nl`
 * and the request/reply helpers. Not for use outside src/nl*.c. */
#ifndef NETLAB_NL_INT_H
#define NETLAB_NL_INT_H
#include "nl.h"
#include "nlsock.h"
#include <stddef.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>
#include <linux/if_addr.h>
#include <linux/pkt_sched.h>

#define NL_BUFSZ 32768  /* dumps read in chunks of this size */
#define NL_HDRZERO 4096 /* room for the message being built */
#define NL_NSCACHE 16   /* sockets kept open in other namespaces */

struct nl_nscache {
        struct nlsock s;
        dev_t dev;
        ino_t ino;
        unsigned long used;
};

struct nl {
        struct nlsock s;
        struct nlbatch b; /* the request being built in buf */
        bool monitor;
        dev_t ns_dev; /* identity of the socket's namespace */
        ino_t ns_ino;
        unsigned long tick;
        struct nl_nscache cache[NL_NSCACHE];
        char label[32]; /* the namespace's name in messages ("h1"), or "" */
        char of[48];    /* ` of "h1"` for messages about the whole namespace, or "" */
        char buf[NL_BUFSZ] __attribute__((aligned(8)));
};

typedef int (*nl_msg_fn)(const struct nlmsghdr *h, void *data);

/* A new request in nl->buf (the batch restarts). */
struct nlmsghdr *nl_req(struct nl *nl, uint16_t type, uint16_t flags);
/* One more request in the same batch (one send for all of them). */
struct nlmsghdr *nl_req_next(struct nl *nl, uint16_t type, uint16_t flags);
/* Sends the batch on nl's socket and reads every answer; data messages go
 * to cb. -1 with errno; nl->s.extack has the kernel's text or "". */
int nl_talk(struct nl *nl, nl_msg_fn cb, void *data);
/* The same on another socket (one of nl's sockets in other namespaces);
 * its extack is copied to nl's. */
int nl_talk_on(struct nl *nl, struct nlsock *s, nl_msg_fn cb, void *data);
/* "h1:eth0": ifindex's name, read from the kernel (errno and the extack of
 * the failure being reported are kept), prefixed with nl's label; "#5"
 * when the device cannot be read. For messages only. */
const char *nl_dev(struct nl *nl, int ifindex, char *buf, size_t len);
/* An RTM_NEWLINK request creating interface name (with its MAC if given,
 * up if asked), echoed and acked; the caller adds IFLA_LINKINFO. */
struct nlmsghdr *nl_newlink_req(struct nl *nl, const char *name, const uint8_t *mac, bool up);
/* Starts an RTM_NEWLINK change of ifindex (attributes may follow). */
struct nlmsghdr *nl_link_change(struct nl *nl, int ifindex, unsigned flags, unsigned change);
/* NLM_F_ECHO of a link created in nl's namespace: the ifindex of name. */
struct nl_echo {
        const char *name;
        int ifindex;
};
int nl_echo_cb(const struct nlmsghdr *h, void *data);

#endif
