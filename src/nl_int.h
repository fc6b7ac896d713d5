/* nl_int.h — what the nl_*.c files share: the struct behind `struct nl`
 * and the request/reply helpers. Not for use outside src/nl*.c. */
#ifndef NETLAB_NL_INT_H
#define NETLAB_NL_INT_H
#include "nl.h"
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
#define NL_HDRZERO 4096 /* requests are zeroed up to this size */
#define NL_EXTACKLEN 256
#define NL_NSCACHE 16 /* sockets kept open in other namespaces */

struct nl_nscache {
        struct mnl_socket *sock;
        dev_t dev;
        ino_t ino;
        unsigned long used;
};

struct nl {
        struct mnl_socket *sock;
        unsigned portid;
        unsigned seq;
        bool monitor;
        dev_t ns_dev; /* identity of the socket's namespace */
        ino_t ns_ino;
        unsigned long tick;
        struct nl_nscache cache[NL_NSCACHE];
        char extack[NL_EXTACKLEN]; /* kernel's text of the last failure, or "" */
        char buf[NL_BUFSZ] __attribute__((aligned(8)));
};

typedef int (*nl_msg_fn)(const struct nlmsghdr *h, void *data);

struct mnl_socket *nl_sock_open_in(int netns_fd, unsigned groups, char *err);
/* New request in nl->buf with the next sequence number. */
struct nlmsghdr *nl_req(struct nl *nl, uint16_t type, uint16_t flags);
/* Sends nmsg requests (reqlen bytes from req) and reads replies until every ACK, the error or
 * NLMSG_DONE; data messages of this request go to cb. -1 with errno; extack gets the kernel's text
 * (NL_EXTACKLEN bytes) or "". */
int nl_talk_sock(struct mnl_socket *s, char *buf, size_t bufsz, const struct nlmsghdr *req,
                 size_t reqlen, int nmsg, nl_msg_fn cb, void *data, char *extack);
/* Appends a request after prev in nl->buf (a batch; sequence numbers follow
 * each other; the whole batch goes out in one send). */
/* An RTM_NEWLINK request creating interface name (with its MAC if given,
 * up if asked), echoed and acked; the caller adds IFLA_LINKINFO. */
struct nlmsghdr *nl_newlink_req(struct nl *nl, const char *name, const uint8_t *mac, bool up);
struct nlmsghdr *nl_req_next(struct nl *nl, struct nlmsghdr *prev, uint16_t type, uint16_t flags);
int nl_talk(struct nl *nl, struct nlmsghdr *nlh, nl_msg_fn cb, void *data);
/* Starts an RTM_NEWLINK change of ifindex (attributes may follow). */
int nl_link_change(struct nl *nl, int ifindex, unsigned flags, unsigned change,
                   struct nlmsghdr **out);
/* NLM_F_ECHO of a link created in nl's namespace: the ifindex of name. */
struct nl_echo {
        const char *name;
        int ifindex;
};
int nl_echo_cb(const struct nlmsghdr *h, void *data);

/* The rate part of link params under parent with handle: tbf; with
 * NL_RATE_AUTO, htb (qdisc + class handle|1) when the kernel lacks tbf.
 * NL_RATE_TBF / NL_RATE_HTB force one (the probe, the tests). */
enum nl_rate { NL_RATE_AUTO, NL_RATE_TBF, NL_RATE_HTB };
int nl_rate_add(struct nl *nl, int ifindex, uint32_t parent, uint32_t handle, const char *label,
                const struct link_params *p, enum nl_rate how, char *err);
/* For the probe: an htb root qdisc on ifindex. */
int nl_htb_probe(struct nl *nl, int ifindex, char *err);

#endif
