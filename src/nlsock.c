/* nlsock.c — the netlink transport every bus shares (see nlsock.h).
 *
 * A batch goes out in one sendto. The kernel handles requests in the
 * sender's context, so by the time the send returns every answer except the
 * rest of a dump is queued on the socket: after the first error, draining
 * what is queued without waiting leaves the socket clean for the next
 * request. Answers are read with recvmsg so that only the kernel (port id 0)
 * is listened to. */
#include "nlsock.h"
#include "netns.h"
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int nlsock_open(struct nlsock *s, int bus, int netns_fd, unsigned groups, char *err)
{
        memset(s, 0, sizeof(*s));
        int fd = netns_socket(netns_fd, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, bus, err);
        if (fd < 0)
                return -1;
        s->sock = mnl_socket_fdopen(fd);
        if (!s->sock) {
                errf_sys(err, NULL, "Cannot open netlink socket");
                int e = errno;
                close(fd);
                errno = e;
                return -1;
        }
        int one = 1;
        /* Both are best effort: old kernels lack them. CAP_ACK: an error
         * does not echo the whole request back. */
        mnl_socket_setsockopt(s->sock, NETLINK_EXT_ACK, &one, sizeof(one));
        mnl_socket_setsockopt(s->sock, NETLINK_CAP_ACK, &one, sizeof(one));
        if (mnl_socket_bind(s->sock, groups, MNL_SOCKET_AUTOPID) < 0) {
                errf_sys(err, NULL, "Cannot bind netlink socket");
                int e = errno;
                nlsock_close(s);
                errno = e;
                return -1;
        }
        s->portid = mnl_socket_get_portid(s->sock);
        /* Distinct from other sockets' numbers, as iproute2 does with time(). */
        s->seq = (unsigned)getpid() << 16;
        return 0;
}

void nlsock_close(struct nlsock *s)
{
        if (s->sock)
                mnl_socket_close(s->sock);
        s->sock = NULL;
}

int nlsock_fd(const struct nlsock *s)
{
        return mnl_socket_get_fd(s->sock);
}

unsigned nlsock_seq(const struct nlsock *s)
{
        return s->seq + 1;
}

/* ---- batches ------------------------------------------------------------- */

void nlbatch_init(struct nlbatch *b, void *buf, size_t size, size_t room, unsigned first_seq)
{
        memset(b, 0, sizeof(*b));
        b->buf = buf;
        b->size = size;
        b->room = room < size ? room : size;
        b->first_seq = b->next_seq = first_seq;
}

size_t nlbatch_len(const struct nlbatch *b)
{
        if (!b->last)
                return 0;
        return (size_t)((char *)b->last - b->buf) + MNL_ALIGN(b->last->nlmsg_len);
}

struct nlmsghdr *nlbatch_add(struct nlbatch *b, uint16_t type, uint16_t flags)
{
        size_t off = nlbatch_len(b);
        char *at = b->buf + off;
        if (b->overflow || off + b->room > b->size) {
                /* No room: build it in the scratch space, where it is dropped. */
                b->overflow = true;
                at = b->buf + b->size - b->room;
        } else {
                b->nmsg++;
        }
        memset(at, 0, b->room < 256 ? b->room : 256);
        struct nlmsghdr *nlh = mnl_nlmsg_put_header(at);
        nlh->nlmsg_type = type;
        nlh->nlmsg_flags = NLM_F_REQUEST | flags;
        nlh->nlmsg_seq = b->overflow ? 0 : b->next_seq++;
        if (!b->overflow)
                b->last = nlh;
        return nlh;
}

/* ---- talking ------------------------------------------------------------- */

static void extack_copy(const struct nlmsghdr *h, const void *tlv, char *extack)
{
        const char *end = (const char *)h + h->nlmsg_len;
        const struct nlattr *a = tlv;
        while ((const char *)a + sizeof(*a) <= end && a->nla_len >= sizeof(*a) &&
               (const char *)a + a->nla_len <= end) {
                if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG) {
                        size_t n = mnl_attr_get_payload_len(a);
                        if (n >= NLSOCK_EXTACKLEN)
                                n = NLSOCK_EXTACKLEN - 1;
                        memcpy(extack, mnl_attr_get_payload(a), n);
                        extack[n] = '\0';
                        size_t l = strlen(extack); /* the kernel's text may end in "\n" */
                        if (l && extack[l - 1] == '\n')
                                extack[l - 1] = '\0';
                }
                a = (const struct nlattr *)((const char *)a + MNL_ALIGN(a->nla_len));
        }
}

ssize_t nlsock_recv(struct nlsock *s, void *buf, size_t len, int flags)
{
        for (;;) {
                struct sockaddr_nl sa;
                struct iovec iov = {buf, len};
                struct msghdr msg = {.msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = &iov,
                                     .msg_iovlen = 1};
                ssize_t n = recvmsg(nlsock_fd(s), &msg, flags);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -1;
                if (msg.msg_flags & MSG_TRUNC) {
                        errno = ENOSPC;
                        return -1;
                }
                if (msg.msg_namelen != sizeof(sa) || sa.nl_pid != 0)
                        continue;
                return n;
        }
}

/* Reads and drops what is already queued (the rest of a failed batch). */
static void drain(struct nlsock *s, void *buf, size_t len)
{
        while (nlsock_recv(s, buf, len, MSG_DONTWAIT) > 0)
                ;
}

/* The error a terminal message carries (0 for an ACK or a clean DONE), its
 * extack copied into s->extack; -1 for a malformed one. */
static int terminal_error(struct nlsock *s, const struct nlmsghdr *h)
{
        if (h->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
                if (h->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
                        return -1;
                if (e->error && (h->nlmsg_flags & NLM_F_ACK_TLVS)) {
                        size_t off = sizeof(*e);
                        if (!(h->nlmsg_flags & NLM_F_CAPPED))
                                off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
                        if (mnl_nlmsg_size(off) <= h->nlmsg_len)
                                extack_copy(h, (const char *)e + MNL_ALIGN(off), s->extack);
                }
                return e->error < 0 ? -e->error : e->error;
        }
        int e = 0; /* NLMSG_DONE: a dump's end, with its error if it failed */
        if (mnl_nlmsg_get_payload_len(h) >= sizeof(int))
                memcpy(&e, mnl_nlmsg_get_payload(h), sizeof(int));
        if (e < 0 && (h->nlmsg_flags & NLM_F_ACK_TLVS) &&
            mnl_nlmsg_get_payload_len(h) >= MNL_ALIGN(sizeof(int)))
                extack_copy(h, (const char *)mnl_nlmsg_get_payload(h) + MNL_ALIGN(sizeof(int)),
                            s->extack);
        return e < 0 ? -e : 0;
}

int nlsock_talk(struct nlsock *s, struct nlbatch *b, void *rbuf, size_t rbufsz,
                nlsock_msg_fn cb, void *data)
{
        s->extack[0] = '\0';
        if (b->overflow) {
                errno = E2BIG;
                return -1;
        }
        if (!b->nmsg)
                return 0;
        /* Count the answers to wait for before rbuf (maybe b->buf) is reused. */
        int pending = 0;
        size_t len = nlbatch_len(b);
        for (const struct nlmsghdr *m = (const void *)b->buf; (char *)m < b->buf + len;
             m = (const void *)((const char *)m + MNL_ALIGN(m->nlmsg_len)))
                if (m->nlmsg_flags & (NLM_F_ACK | NLM_F_DUMP))
                        pending++;
        unsigned first = b->first_seq, span = b->next_seq - b->first_seq;
        if (b->next_seq - 1 - s->seq < 0x80000000u)
                s->seq = b->next_seq - 1;
        if (mnl_socket_sendto(s->sock, b->buf, len) < 0)
                return -1;
        int kerr = 0, cberr = 0;
        while (pending > 0 && !kerr) {
                ssize_t n = nlsock_recv(s, rbuf, rbufsz, 0);
                if (n < 0)
                        return -1;
                int left = (int)n;
                for (const struct nlmsghdr *h = rbuf; mnl_nlmsg_ok(h, left) && !kerr;
                     h = mnl_nlmsg_next(h, &left)) {
                        if (h->nlmsg_pid != s->portid || h->nlmsg_seq - first >= span)
                                continue; /* an answer to an earlier request */
                        if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_DONE) {
                                int e = terminal_error(s, h);
                                if (e < 0) {
                                        errno = EBADMSG;
                                        return -1;
                                }
                                pending--;
                                kerr = e;
                                continue;
                        }
                        if (h->nlmsg_type < NLMSG_MIN_TYPE)
                                continue;
                        if (cb && !cberr && cb(h, data) < 0)
                                cberr = errno ? errno : EIO;
                }
        }
        if (kerr)
                drain(s, rbuf, rbufsz);
        if (kerr || cberr) {
                errno = kerr ? kerr : cberr;
                return -1;
        }
        return 0;
}
