/* nlsock.h — one netlink transport for every bus (rtnetlink, nfnetlink,
 * genetlink): a socket opened inside a network namespace, batches of
 * requests sent in one go, and the answers read back with their sequence
 * numbers and port id checked and the kernel's extack text kept.
 *
 * This is iproute2's lib/libnetlink.c pattern (rtnl_open_byproto,
 * rtnl_talk_iov) over libmnl:
 *
 *     struct nlsock s;
 *     nlsock_open(&s, NETLINK_NETFILTER, netns_fd, 0, err);
 *     struct nlbatch b;
 *     nlbatch_init(&b, buf, sizeof(buf), 4096, nlsock_seq(&s));
 *     struct nlmsghdr *m = nlbatch_add(&b, type, NLM_F_ACK);   ... attributes ...
 *     nlsock_talk(&s, &b, buf, sizeof(buf), cb, data);  // -1, errno, s.extack
 *
 * Messages that ask for an ACK (or a dump) are waited for; the first error
 * ends the wait (what the kernel already queued is drained, so the next
 * request starts clean). Replies whose sequence number is not in the batch,
 * or whose port id is not the socket's, are skipped: they belong to an
 * earlier request. The text names nothing: callers name their object. */
#ifndef NETLAB_NLSOCK_H
#define NETLAB_NLSOCK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include "err.h"

#define NLSOCK_EXTACKLEN 256

struct nlsock {
        struct mnl_socket *sock;
        unsigned portid;
        unsigned seq;                    /* the last sequence number used */
        char extack[NLSOCK_EXTACKLEN];   /* the kernel's text of the last failure, or "" */
};

/* Opens a socket of protocol bus inside netns_fd (< 0: the calling thread's
 * namespace), bound to the multicast groups, with extended ACKs asked for.
 * 0, or -1 with errno and err ("Cannot open netlink socket: ..."). */
int nlsock_open(struct nlsock *s, int bus, int netns_fd, unsigned groups, char *err);
void nlsock_close(struct nlsock *s);
int nlsock_fd(const struct nlsock *s);
/* The first sequence number for a new batch on s. */
unsigned nlsock_seq(const struct nlsock *s);

/* Messages built one after another in a caller's buffer of size bytes.
 * `room` bytes at its end are kept for the message being built: a message
 * started with less room left goes to that scratch space instead and marks
 * the batch as overflowed (nlsock_talk then fails with E2BIG). */
struct nlbatch {
        char *buf;
        size_t size, room;
        struct nlmsghdr *last; /* the last message added, NULL when empty */
        unsigned first_seq, next_seq;
        int nmsg;
        bool overflow;
};

void nlbatch_init(struct nlbatch *b, void *buf, size_t size, size_t room, unsigned first_seq);
/* Starts the next message (header zeroed, NLM_F_REQUEST added, the next
 * sequence number); attributes are appended with mnl_attr_put*. */
struct nlmsghdr *nlbatch_add(struct nlbatch *b, uint16_t type, uint16_t flags);
/* Bytes of the batch so far. */
size_t nlbatch_len(const struct nlbatch *b);

/* Data messages of the batch go to cb; a negative return stops passing
 * them and fails the talk with the callback's errno. */
typedef int (*nlsock_msg_fn)(const struct nlmsghdr *h, void *data);

/* Sends the batch in one send and reads the answers into rbuf (which may be
 * the batch's own buffer: the batch is sent first). 0, or -1 with errno
 * (the kernel's error, the callback's, or the socket's) and s->extack set. */
int nlsock_talk(struct nlsock *s, struct nlbatch *b, void *rbuf, size_t rbufsz,
                nlsock_msg_fn cb, void *data);

/* One datagram from the kernel (port id 0; others are dropped) into buf:
 * its length, or -1 with errno (ENOSPC: buf was too small; EAGAIN with
 * MSG_DONTWAIT: nothing queued; ENOBUFS: the socket overflowed). */
ssize_t nlsock_recv(struct nlsock *s, void *buf, size_t len, int flags);

#endif
