/* capture.c — AF_PACKET capture on one end of a link, pcap out, one decoded
 * line per frame (see capture.h). The decoder knows what a lab's traffic is
 * made of: Ethernet, 802.1Q, ARP, IPv4, IPv6, ICMP, ICMPv6, TCP, UDP. */
#include "capture.h"
#include "lab.h"
#include "netns.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SNAPLEN 65535

struct capture {
        int fd;
        FILE *pcap;
        double t0;
        long count;
        char label[64];
        uint8_t buf[SNAPLEN + 4];
};

static double now_s(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct capture *capture_start(struct lab *lab, int iface, const char *pcap_path, char *err)
{
        if (iface < 0 || iface >= lab->nifaces) {
                errno = EINVAL;
                errf(err, "No such interface");
                return NULL;
        }
        const struct iface *f = &lab->ifaces[iface];
        const struct node *n = &lab->nodes[f->node];
        struct capture *cap = calloc(1, sizeof(*cap));
        if (!cap) {
                errf_sys(err, NULL, "calloc");
                return NULL;
        }
        iface_label(lab, iface, cap->label, sizeof(cap->label));
        cap->fd = -1;
        if (!n->made || f->ifindex <= 0) {
                errno = ENOTCONN;
                errf(err, "Cannot capture on %s: the lab is not built", cap->label);
                free(cap);
                return NULL;
        }
        char e[ERRLEN];
        int nfd = lab_ns_fd(lab, n, CLONE_NEWNET, e);
        cap->fd = nfd < 0 ? -1 : netns_socket(nfd, AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
                               htons(ETH_P_ALL), e);
        int one = 1, rcv = 4 << 20;
        struct sockaddr_ll sll = {.sll_family = AF_PACKET,
                                  .sll_protocol = htons(ETH_P_ALL),
                                  .sll_ifindex = f->ifindex};
        if (cap->fd < 0 ||
            setsockopt(cap->fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0 ||
            bind(cap->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
                errf_sys(err, NULL, "Cannot capture on %s", cap->label);
                if (cap->fd >= 0)
                        close(cap->fd);
                free(cap);
                return NULL;
        }
        /* Room for what arrives while an experiment does other things. */
        if (setsockopt(cap->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) < 0)
                setsockopt(cap->fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
        if (pcap_path) {
                int pfd = open(pcap_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
                cap->pcap = pfd >= 0 ? fdopen(pfd, "w") : NULL;
                if (!cap->pcap) {
                        errf_sys(err, NULL, "Cannot write \"%s\"", pcap_path);
                        if (pfd >= 0)
                                close(pfd);
                        close(cap->fd);
                        free(cap);
                        return NULL;
                }
                /* pcap global header: magic, 2.4, GMT, accuracy, snaplen, Ethernet */
                uint32_t gh[6] = {0xa1b2c3d4, 0x00040002, 0, 0, SNAPLEN, 1};
                fwrite(gh, sizeof(gh), 1, cap->pcap);
        }
        cap->t0 = now_s();
        return cap;
}

int capture_fd(const struct capture *cap)
{
        return cap->fd;
}

long capture_count(const struct capture *cap)
{
        return cap->count;
}

static void put_mac(char *b, size_t len, const uint8_t *m)
{
        snprintf(b, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void decode_l4(int proto, const uint8_t *p, size_t len, char *out, size_t olen,
                      bool v6)
{
        if ((proto == 6 || proto == 17) && len >= 4) {
                unsigned sp = (unsigned)p[0] << 8 | p[1], dp = (unsigned)p[2] << 8 | p[3];
                if (proto == 6 && len >= 14) {
                        const char *fl[] = {"F", "S", "R", "P", ".", "U"};
                        char flags[8] = "";
                        for (int i = 0; i < 6; i++)
                                if (p[13] & (1 << i))
                                        strcat(flags, fl[i]);
                        snprintf(out, olen, "TCP %u > %u [%s]", sp, dp, flags);
                } else {
                        snprintf(out, olen, "%s %u > %u", proto == 6 ? "TCP" : "UDP", sp, dp);
                }
        } else if (proto == 1 && len >= 1) {
                const char *t = p[0] == 8 ? "echo request" : p[0] == 0 ? "echo reply"
                                : p[0] == 3                ? "unreachable"
                                : p[0] == 11               ? "time exceeded"
                                                           : "type";
                snprintf(out, olen, "ICMP %s%s", t, !strcmp(t, "type") ? " ?" : "");
        } else if (proto == 58 && len >= 1) {
                const char *t = p[0] == 128   ? "echo request"
                                : p[0] == 129 ? "echo reply"
                                : p[0] == 133 ? "router solicitation"
                                : p[0] == 134 ? "router advertisement"
                                : p[0] == 135 ? "neighbor solicitation"
                                : p[0] == 136 ? "neighbor advertisement"
                                : p[0] == 143 ? "multicast listener report v2"
                                              : "other";
                snprintf(out, olen, "ICMP6 %s", t);
        } else {
                snprintf(out, olen, "%s proto %d", v6 ? "IP6" : "IP", proto);
        }
}

void capture_decode(const uint8_t *f, size_t len, int vid, char *buf, size_t blen)
{
        if (len < 14) {
                snprintf(buf, blen, "runt frame, %zu bytes", len);
                return;
        }
        char src[18], dst[18], tag[24] = "";
        put_mac(dst, sizeof(dst), f);
        put_mac(src, sizeof(src), f + 6);
        unsigned type = (unsigned)f[12] << 8 | f[13];
        size_t off = 14;
        if (type == 0x8100 && len >= 18) {
                vid = ((f[14] << 8) | f[15]) & 0xfff;
                type = (unsigned)f[16] << 8 | f[17];
                off = 18;
        }
        if (vid >= 0)
                snprintf(tag, sizeof(tag), "vlan %d, ", vid);
        const uint8_t *p = f + off;
        size_t n = len - off;
        char what[320];
        char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], l4[80];
        if (type == 0x0806 && n >= 28) {
                inet_ntop(AF_INET, p + 14, a, sizeof(a));
                inet_ntop(AF_INET, p + 24, b, sizeof(b));
                unsigned op = (unsigned)p[6] << 8 | p[7];
                if (op == 1)
                        snprintf(what, sizeof(what), "ARP, Request who-has %s tell %s", b, a);
                else
                        snprintf(what, sizeof(what), "ARP, Reply %s is-at %02x:%02x:%02x:%02x:%02x:%02x", a,
                                 p[8], p[9], p[10], p[11], p[12], p[13]);
        } else if (type == 0x0800 && n >= 20) {
                size_t ihl = (size_t)(p[0] & 15) * 4;
                inet_ntop(AF_INET, p + 12, a, sizeof(a));
                inet_ntop(AF_INET, p + 16, b, sizeof(b));
                decode_l4(p[9], p + ihl, n > ihl ? n - ihl : 0, l4, sizeof(l4), false);
                snprintf(what, sizeof(what), "IP %s > %s: %s, ttl %d", a, b, l4, p[8]);
        } else if (type == 0x86dd && n >= 40) {
                inet_ntop(AF_INET6, p + 8, a, sizeof(a));
                inet_ntop(AF_INET6, p + 24, b, sizeof(b));
                decode_l4(p[6], p + 40, n - 40, l4, sizeof(l4), true);
                snprintf(what, sizeof(what), "IP6 %s > %s: %s, hlim %d", a, b, l4, p[7]);
        } else {
                snprintf(what, sizeof(what), "ethertype 0x%04x, %zu bytes", type, len);
        }
        snprintf(buf, blen, "%s > %s, %s%s", src, dst, tag, what);
}

int capture_read(struct capture *cap, capture_fn fn, void *ud, char *err)
{
        int got = 0;
        for (;;) {
                union {
                        struct cmsghdr h;
                        char b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
                } ctl;
                struct sockaddr_ll from;
                struct iovec iov = {.iov_base = cap->buf + 4, .iov_len = SNAPLEN};
                struct msghdr mh = {.msg_name = &from,
                                    .msg_namelen = sizeof(from),
                                    .msg_iov = &iov,
                                    .msg_iovlen = 1,
                                    .msg_control = &ctl,
                                    .msg_controllen = sizeof(ctl)};
                ssize_t r = recvmsg(cap->fd, &mh, MSG_TRUNC);
                if (r < 0) {
                        if (errno == EAGAIN || errno == EINTR)
                                return got;
                        return errf_sys(err, NULL, "Cannot read the capture on %s", cap->label);
                }
                size_t len = (size_t)r > SNAPLEN ? SNAPLEN : (size_t)r;
                uint8_t *frame = cap->buf + 4;
                int vid = -1;
                for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
                        if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA)
                                continue;
                        struct tpacket_auxdata aux;
                        memcpy(&aux, CMSG_DATA(c), sizeof(aux));
                        if ((aux.tp_status & TP_STATUS_VLAN_VALID) && len >= 12) {
                                /* Put the tag back where it was on the wire. */
                                frame = cap->buf;
                                memmove(frame, frame + 4, 12);
                                uint16_t tpid = htons((aux.tp_status & TP_STATUS_VLAN_TPID_VALID)
                                                          ? aux.tp_vlan_tpid
                                                          : 0x8100);
                                uint16_t tci = htons(aux.tp_vlan_tci);
                                memcpy(frame + 12, &tpid, 2);
                                memcpy(frame + 14, &tci, 2);
                                len += 4;
                        }
                }
                struct capture_frame cf = {.t = now_s() - cap->t0,
                                           .data = frame,
                                           .len = len,
                                           .outgoing = from.sll_pkttype == PACKET_OUTGOING,
                                           .vid = vid};
                if (len >= 16 && frame[12] == 0x81 && frame[13] == 0x00)
                        cf.vid = ((frame[14] << 8) | frame[15]) & 0xfff;
                capture_decode(frame, len, -1, cf.line, sizeof(cf.line));
                if (cap->pcap) {
                        struct timespec ts;
                        clock_gettime(CLOCK_REALTIME, &ts);
                        uint32_t rh[4] = {(uint32_t)ts.tv_sec, (uint32_t)(ts.tv_nsec / 1000),
                                          (uint32_t)len, (uint32_t)len};
                        fwrite(rh, sizeof(rh), 1, cap->pcap);
                        fwrite(frame, len, 1, cap->pcap);
                        fflush(cap->pcap);
                }
                cap->count++;
                got++;
                if (fn)
                        fn(ud, &cf);
        }
}

int capture_stop(struct capture *cap, capture_fn fn, void *ud, char *err)
{
        if (!cap)
                return 0;
        int rc = capture_read(cap, fn, ud, err) < 0 ? -1 : 0;
        close(cap->fd);
        if (cap->pcap && (fclose(cap->pcap) != 0) && rc == 0)
                rc = errf_sys(err, NULL, "Cannot write the capture of %s", cap->label);
        free(cap);
        return rc;
}
