/* dp_engine.c — the userspace datapath's switching loop.
 *
 * Every port is an AF_PACKET socket (SOCK_RAW, ETH_P_ALL) created inside the
 * port's network namespace (netns_socket: a socket stays in the
 * namespace it was made in), bound to the port's ifindex, promiscuous,
 * with PACKET_AUXDATA (802.1Q tags arrive as metadata, tp_vlan_tci), with
 * PACKET_VNET_HDR (GSO super-frames of up to 64 KiB pass whole, with their
 * checksum offsets) and PACKET_IGNORE_OUTGOING (we never see what we send).
 *
 * A frame is handled as a Linux bridge with vlan_filtering=1 does it:
 *  - ingress: untagged and priority-tagged frames take the port's PVID (no
 *    PVID: dropped); tagged frames are dropped unless the port is a member
 *    of their VID; frames with a multicast or zero source are dropped;
 *    link-local 01:80:C2:00:00:0X is not forwarded (except STP's :00, which
 *    a bridge without STP floods);
 *  - learning of (VID, source MAC) -> port, with ageing (300 s by default),
 *    in a table of fixed size that evicts the oldest entry when full;
 *  - known unicast goes to its port, everything else floods to the other
 *    ports that are members of the VID;
 *  - egress: only to ports that are members of the VID, untagged where the
 *    VID is untagged on that port, tagged otherwise; the switch's firewall
 *    (fw.h) is asked for each (ingress, egress) pair.
 * The tag is never moved in memory: a frame goes out as an iovec of
 * (virtio_net_hdr, MAC addresses, 4-byte tag or nothing, rest), and the
 * header's csum_start and hdr_len are shifted by the bytes added or removed,
 * so TCP segmentation offload keeps working through tag push and pop.
 *
 * Ports come and go: a send to a port that is down fails (ENETDOWN, ENXIO)
 * and is only counted; once a second every port's ifindex is looked up by
 * name in its namespace, and a port whose interface vanished is closed and
 * reopened when an interface of that name is back.
 *
 * The loop sleeps in epoll_wait when idle, but after each batch of events
 * it first polls (epoll_wait, zero timeout) for an adaptive window
 * (dp_poll.h: halt-polling's rule, bounded by NETLAB_DP_POLL_US, 2 ms by
 * default): a frame inside it costs no wake-up, which on an idle vCPU is a
 * halt exit of tens of µs, most of the latency the datapath adds. A poll
 * that is preempted for more than DP_POLL_YIELD (another task wanted this
 * CPU; a kernel thread's short turn does not count) stops, and polling
 * backs off (20 ms, doubling to 1 s while it keeps being preempted), so it
 * takes a busy machine's CPU rarely; an idle engine does not poll, nor one
 * carrying bulk TCP (a GSO super-frame pauses the poll for 50 ms: there the
 * poll took CPU from the flow's ends and cost it ~10%). A wire's due frame ends the poll without a sleep.
 * A delayed frame's departure is met the same way: the wires' timer wakes
 * the engine DP_POLL_LEAD (0.5 ms) before it and the poll spins to it, as a
 * vCPU woken from halt is late by 60-130 µs, and by milliseconds at times
 * (the p99 error of a delay: 0.5-0.8 ms woken at the departure, 0.1-0.2 ms
 * so, on this machine while the host steals little; bench/impair.md).
 * An unimpaired wire's frame is sent from the receive buffer as an iovec
 * (no copy in userspace); a queued one is copied into its queue. */
#include "dp_engine.h"
#include "dp_poll.h"
#include "dp_wire.h"
#include "monotime.h"
#include "netns.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/random.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

#define FRAME_MAX (256 * 1024)
#define BATCH 64
#define FDB_WAYS 8
#define FDB_BUCKETS 2048 /* power of two: FDB_MAX = 16384 entries a switch */
#define FDB_MAX (FDB_BUCKETS * FDB_WAYS)
#define TOKEN_SIGNAL 0xfffffff0u
#define TOKEN_TIMER 0xfffffff1u
#define TOKEN_WIRE 0xfffffff2u
#define TOKEN_CTL 0xfffffff3u  /* the control socket: a lab connects */
#define TOKEN_CONN 0xfffffff4u /* ... and sends its request */

struct port {
        int idx;        /* its index in engine.ports: its epoll token */
        int sw;         /* switch index, or -1 for a wire's end */
        int wire, wend; /* the wire and which end (0, 1); wire -1 for a switch port */
        const struct dp_port_conf *conf;
        int netns_fd; /* -1: the process's own namespace */
        int ctl_fd;   /* datagram socket in that namespace, for SIOCGIFINDEX */
        int fd;       /* packet socket, -1 while closed */
        int ifindex;
        uint16_t pvid; /* 0: none */
        uint8_t member[4096 / 8], untag[4096 / 8];
        uint64_t rx, tx, drop_in, drop_out;
};

struct fdb_ent {
        uint8_t mac[6];
        uint16_t vid; /* 0: free slot */
        int port;     /* global port index */
        uint32_t seen;
};

struct sw {
        const struct dp_switch_conf *conf;
        int first, nports; /* global port indices first .. first+nports-1 */
        struct fdb_ent *fdb; /* FDB_MAX entries */
        int fdb_used;        /* slots ever filled (aged ones count until reused) */
        uint64_t fdb_evicted;
};

/* A wire at run time: its two ports and a netem queue per direction. */
struct wire {
        const struct dp_wire_conf *conf;
        int port[2];
        struct wire_dir dir[2]; /* dir[0]: from end 0 to end 1 */
};

struct engine {
        const struct dp_config *c;
        struct port *ports;
        int nports;
        struct sw *sws;
        int nsw;
        struct wire *wires;
        int nwire;
        int epfd, sigfd, timerfd;
        int offline_fd; /* dp_engine_offline's output (not owned); -1 */
        struct dp_config *owned; /* a configuration taken while running (freed with it) */
        int ctl_conn;   /* a control connection waiting for its answer; -1 */
        bool reload;    /* its request, applied after the current batch of events */
        int opened;     /* ports the last reconfiguration opened */
        int wtimer_fd;   /* the wires' one timer: armed to the earliest departure */
        int64_t wtimer_at; /* what it is armed to (INT64_MAX: disarmed or fired) */
        int64_t wire_due;  /* the earliest departure (INT64_MAX: none) */
        int64_t wire_lead; /* the timer wakes this long before it; the poll spins the rest */
        bool bulk;         /* this batch had a frame of DP_POLL_BULK bytes or more */
        uint32_t now; /* monotonic seconds */
        uint64_t fdb_key;
        pid_t watch_pid;
        bool stop;
};

static const char *stats_path;
static int ctl_listen = -1;
static const char *ctl_conf_path;

void dp_engine_control(int listen_fd, const char *conf_path)
{
        ctl_listen = listen_fd;
        ctl_conf_path = conf_path;
}

void dp_engine_stats_file(const char *path)
{
        stats_path = path;
}

static inline bool bit(const uint8_t *set, uint16_t vid)
{
        return set[vid >> 3] & (1u << (vid & 7));
}

static uint32_t now_s(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
        return (uint32_t)ts.tv_sec;
}

/* ---- learning table: a set-associative cache, bounded by construction ----
 *
 * FDB_BUCKETS buckets of FDB_WAYS entries, indexed by a keyed hash of
 * (VID, MAC); the key is random per process, so a flood cannot aim at one
 * bucket. An entry older than the ageing time is free, as a kernel bridge
 * ages it out. When a bucket is full, the entry seen longest ago is evicted
 * (a kernel bridge with max_learned set refuses to learn instead; evicting
 * keeps the stations that speak, and an evicted station only costs floods
 * until it speaks again). Each operation touches one bucket: no rehash, no
 * loop a flood can stretch, and the table's memory is fixed at start. */

static unsigned fdb_bucket(const struct engine *e, uint16_t vid, const uint8_t *mac)
{
        uint64_t h = e->fdb_key ^ vid;
        for (int i = 0; i < 6; i++)
                h = (h ^ mac[i]) * 0x100000001b3ull;
        h ^= h >> 29;
        return (unsigned)(h & (FDB_BUCKETS - 1)) * FDB_WAYS;
}

static bool fdb_live(const struct engine *e, const struct fdb_ent *f)
{
        return f->vid && e->now - f->seen <= e->c->ageing_s;
}

static int fdb_lookup(struct engine *e, struct sw *s, uint16_t vid, const uint8_t *mac)
{
        struct fdb_ent *b = &s->fdb[fdb_bucket(e, vid, mac)];
        for (int i = 0; i < FDB_WAYS; i++)
                if (b[i].vid == vid && memcmp(b[i].mac, mac, 6) == 0)
                        return fdb_live(e, &b[i]) ? b[i].port : -1;
        return -1;
}

static void fdb_learn(struct engine *e, struct sw *s, uint16_t vid, const uint8_t *mac, int port)
{
        struct fdb_ent *b = &s->fdb[fdb_bucket(e, vid, mac)];
        struct fdb_ent *empty = NULL, *aged = NULL, *oldest = NULL;
        for (int i = 0; i < FDB_WAYS; i++) {
                struct fdb_ent *f = &b[i];
                if (f->vid == vid && memcmp(f->mac, mac, 6) == 0) {
                        f->port = port; /* a station that moved is followed */
                        f->seen = e->now;
                        return;
                }
                if (!f->vid)
                        empty = empty ? empty : f;
                else if (!fdb_live(e, f))
                        aged = aged ? aged : f;
                else if (!oldest || f->seen < oldest->seen)
                        oldest = f;
        }
        struct fdb_ent *slot = empty ? empty : aged ? aged : oldest;
        if (empty)
                s->fdb_used++;
        else if (!aged)
                s->fdb_evicted++;
        memcpy(slot->mac, mac, 6);
        slot->vid = vid;
        slot->port = port;
        slot->seen = e->now;
}

/* ---- ports ---- */

static int lookup_ifindex(struct port *p)
{
        struct ifreq ifr;
        memset(&ifr, 0, sizeof(ifr));
        snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", p->conf->ifname);
        if (ioctl(p->ctl_fd, SIOCGIFINDEX, &ifr) < 0)
                return -1;
        return ifr.ifr_ifindex;
}

static void port_close(struct engine *e, struct port *p)
{
        if (p->fd >= 0) {
                epoll_ctl(e->epfd, EPOLL_CTL_DEL, p->fd, NULL);
                close(p->fd);
        }
        p->fd = -1;
        p->ifindex = 0;
}

static int port_open(struct engine *e, struct port *p, char *err)
{
        const char *name = p->conf->ifname;
        int ifindex = lookup_ifindex(p);
        if (ifindex < 0)
                return errf_sys(err, NULL, "Cannot find port \"%s\" in %s", name, p->conf->netns);
        char e2[ERRLEN];
        int fd = netns_socket(p->netns_fd, AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
                              e2);
        if (fd < 0)
                return errf(err, "port \"%s\": %s", name, e2);
        int saved;
        int one = 1, big = 8 << 20;
        struct sockaddr_ll sll = {
            .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = ifindex};
        struct packet_mreq mr = {.mr_ifindex = ifindex, .mr_type = PACKET_MR_PROMISC};
        const char *what = "PACKET_AUXDATA";
        if (setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0)
                goto fail;
        what = "PACKET_VNET_HDR";
        if (setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) < 0)
                goto fail;
        what = "PACKET_IGNORE_OUTGOING";
        if (setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) < 0)
                goto fail;
        if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)) < 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
        if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big)) < 0)
                setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
        what = "bind";
        if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
                goto fail;
        what = "PACKET_MR_PROMISC";
        if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
                goto fail;
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)p->idx};
        what = "epoll";
        if (epoll_ctl(e->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
                goto fail;
        p->fd = fd;
        p->ifindex = ifindex;
        return 0;
fail:
        saved = errno;
        close(fd);
        errno = saved;
        return errf_sys(err, NULL, "Cannot set up port \"%s\" (%s)", name, what);
}

/* Once a second, and after a reconfiguration: follow interfaces that
 * vanished or came back (a link made again has a new ifindex). */
static void ports_check(struct engine *e)
{
        for (int i = 0; i < e->nports; i++) {
                struct port *p = &e->ports[i];
                if (p->ctl_fd < 0)
                        continue; /* offline: no interface */
                int idx = lookup_ifindex(p);
                if (p->fd >= 0 && idx != p->ifindex)
                        port_close(e, p);
                if (p->fd < 0 && idx > 0)
                        port_open(e, p, NULL);
        }
}

static void stats_write(struct engine *e)
{
        if (!stats_path)
                return;
        char tmp[4200];
        snprintf(tmp, sizeof(tmp), "%s.tmp", stats_path);
        FILE *f = fopen(tmp, "we");
        if (!f)
                return;
        for (int i = 0; i < e->nports; i++) {
                struct port *p = &e->ports[i];
                fprintf(f, "%s %s %s rx %llu tx %llu drop_in %llu drop_out %llu\n",
                        p->sw >= 0 ? e->sws[p->sw].conf->name : e->wires[p->wire].conf->name, p->conf->ifname, p->fd >= 0 ? "open" : "closed",
                        (unsigned long long)p->rx, (unsigned long long)p->tx,
                        (unsigned long long)p->drop_in, (unsigned long long)p->drop_out);
        }
        for (int i = 0; i < e->nwire; i++)
                for (int d = 0; d < 2; d++) {
                        const struct wire_stats *w = &e->wires[i].dir[d].st;
                        fprintf(f,
                                "wire %s %s in %llu sent %llu lost %llu limit %llu dup %llu "
                                "corrupt %llu reorder %llu queued %d\n",
                                e->wires[i].conf->name, d ? "ba" : "ab",
                                (unsigned long long)w->in, (unsigned long long)w->sent,
                                (unsigned long long)w->lost, (unsigned long long)w->dropped_limit,
                                (unsigned long long)w->duplicated,
                                (unsigned long long)w->corrupted,
                                (unsigned long long)w->reordered, e->wires[i].dir[d].n);
                }
        for (int i = 0; i < e->nsw; i++)
                fprintf(f, "%s fdb used %d max %d evicted %llu\n", e->sws[i].conf->name,
                        e->sws[i].fdb_used, FDB_MAX, (unsigned long long)e->sws[i].fdb_evicted);
        fclose(f);
        rename(tmp, stats_path);
}

/* ---- switching ---- */

struct frame {
        struct virtio_net_hdr vh;
        uint8_t *mac;  /* 12 bytes: destination, source */
        uint8_t *rest; /* from the EtherType after any 802.1Q tag we consumed */
        size_t restlen;
        int delta;       /* bytes removed before rest, relative to the received data (<= 0) */
        uint8_t keep[4]; /* a foreign-TPID tag to put back (802.1ad), keeplen 0 or 4 */
        int keeplen;
        uint16_t tci; /* VID after ingress classification, plus PCP */
};

static void port_send(struct port *p, const struct frame *f, bool tagged)
{
        if (p->fd < 0) {
                p->drop_out++;
                return;
        }
        struct virtio_net_hdr vh = f->vh;
        uint8_t tag[4] = {0x81, 0x00, (uint8_t)(f->tci >> 8), (uint8_t)f->tci};
        int shift = f->delta + f->keeplen + (tagged ? 4 : 0);
        if (vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
                vh.csum_start = (uint16_t)(vh.csum_start + shift);
        if (vh.hdr_len)
                vh.hdr_len = (uint16_t)(vh.hdr_len + shift);
        struct iovec iov[5];
        int n = 0;
        iov[n++] = (struct iovec){&vh, sizeof(vh)};
        iov[n++] = (struct iovec){f->mac, 12};
        if (tagged)
                iov[n++] = (struct iovec){tag, 4};
        if (f->keeplen)
                iov[n++] = (struct iovec){(void *)f->keep, 4};
        iov[n++] = (struct iovec){f->rest, f->restlen};
        struct msghdr msg = {.msg_iov = iov, .msg_iovlen = (size_t)n};
        if (sendmsg(p->fd, &msg, MSG_DONTWAIT) < 0)
                p->drop_out++; /* ENETDOWN, ENXIO, ENOBUFS: a switch drops */
        else
                p->tx++;
}

static bool fw_allows(const struct sw *s, const struct port *in, const struct port *out,
                      const struct frame *f)
{
        if (s->conf->fw.n == 0 && s->conf->fw.policy == FW_ACCEPT)
                return true;
        uint16_t type = f->restlen >= 2 ? (uint16_t)(f->rest[0] << 8 | f->rest[1]) : 0;
        if (f->keeplen)
                type = (uint16_t)(f->keep[0] << 8 | f->keep[1]);
        return fw_match(&s->conf->fw, in->conf->ifname, out->conf->ifname, type, f->tci & 0xfff) ==
               FW_ACCEPT;
}

static void egress(struct engine *e, struct sw *s, struct port *in, struct port *out,
                   const struct frame *f)
{
        (void)e;
        uint16_t vid = f->tci & 0xfff;
        if (out == in || !bit(out->member, vid) || !fw_allows(s, in, out, f))
                return;
        port_send(out, f, !bit(out->untag, vid));
}

static void handle_frame(struct engine *e, struct port *in, uint8_t *data, size_t len,
                         const struct virtio_net_hdr *vh, const struct tpacket_auxdata *aux)
{
        struct sw *s = &e->sws[in->sw];
        struct frame f = {.vh = *vh, .mac = data};
        if (len < 14) {
                in->drop_in++;
                return;
        }
        bool tagged = false;
        uint16_t tci = 0;
        f.rest = data + 12;
        f.restlen = len - 12;
        if (aux && (aux->tp_status & TP_STATUS_VLAN_VALID)) {
                uint16_t tpid =
                    (aux->tp_status & TP_STATUS_VLAN_TPID_VALID) ? aux->tp_vlan_tpid : ETH_P_8021Q;
                if (tpid == ETH_P_8021Q) {
                        tagged = true;
                        tci = aux->tp_vlan_tci;
                } else { /* not our protocol: the bridge puts it back and sees untagged */
                        f.keep[0] = (uint8_t)(tpid >> 8);
                        f.keep[1] = (uint8_t)tpid;
                        f.keep[2] = (uint8_t)(aux->tp_vlan_tci >> 8);
                        f.keep[3] = (uint8_t)aux->tp_vlan_tci;
                        f.keeplen = 4;
                }
        } else if (f.rest[0] == 0x81 && f.rest[1] == 0x00 && len >= 18) { /* tag inline */
                tagged = true;
                tci = (uint16_t)(f.rest[2] << 8 | f.rest[3]);
                f.rest += 4;
                f.restlen -= 4;
                f.delta = -4;
        }
        const uint8_t *dst = data, *src = data + 6;
        static const uint8_t zero[6];
        if ((src[0] & 1) || memcmp(src, zero, 6) == 0) {
                in->drop_in++;
                return;
        }
        uint16_t vid = tci & 0xfff;
        if (!tagged || vid == 0) {
                if (!in->pvid) {
                        in->drop_in++;
                        return;
                }
                tci = (uint16_t)((tci & 0xf000) | in->pvid);
        } else if (!bit(in->member, vid)) {
                in->drop_in++;
                return;
        }
        f.tci = tci;
        vid = tci & 0xfff;
        in->rx++;
        fdb_learn(e, s, vid, src, (int)(in - e->ports));
        if (dst[0] == 0x01 && dst[1] == 0x80 && dst[2] == 0xc2 && dst[3] == 0 && dst[4] == 0 &&
            (dst[5] & 0xf0) == 0 && dst[5] != 0)
                return; /* link-local: consumed by the bridge, never forwarded */
        if (!(dst[0] & 1)) {
                int out = fdb_lookup(e, s, vid, dst);
                if (out >= 0) {
                        egress(e, s, in, &e->ports[out], &f);
                        return;
                }
        }
        for (int i = s->first; i < s->first + s->nports; i++)
                egress(e, s, in, &e->ports[i], &f);
}

/* ---- wires ---- */

static void wire_send(struct port *out, const uint8_t *data, size_t len)
{
        if (out->fd < 0 || send(out->fd, data, len, MSG_DONTWAIT) < 0)
                out->drop_out++;
        else
                out->tx++;
}

/* A frame read on a wire's end: into the other direction's queue, or
 * straight through when that direction changes nothing (then sent from
 * where it was read, as an iovec: a GSO frame of 64 KiB is not copied once
 * more). The 802.1Q tag the kernel moved into the metadata is put back in
 * the frame. */
static void wire_input(struct engine *e, struct port *in, const uint8_t *frame, size_t len,
                       const struct virtio_net_hdr *vh, const struct tpacket_auxdata *aux)
{
        static uint8_t buf[sizeof(struct virtio_net_hdr) + FRAME_MAX + 4];
        struct wire *w = &e->wires[in->wire];
        struct wire_dir *d = &w->dir[in->wend];
        struct port *out = &e->ports[w->port[!in->wend]];
        if (len < 12 || len > FRAME_MAX) {
                in->drop_in++;
                return;
        }
        in->rx++;
        struct virtio_net_hdr h = *vh;
        uint8_t tag[4];
        size_t taglen = 0;
        if (aux && (aux->tp_status & TP_STATUS_VLAN_VALID)) {
                uint16_t tpid =
                    (aux->tp_status & TP_STATUS_VLAN_TPID_VALID) ? aux->tp_vlan_tpid : ETH_P_8021Q;
                tag[0] = (uint8_t)(tpid >> 8);
                tag[1] = (uint8_t)tpid;
                tag[2] = (uint8_t)(aux->tp_vlan_tci >> 8);
                tag[3] = (uint8_t)aux->tp_vlan_tci;
                taglen = 4;
                if (h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
                        h.csum_start = (uint16_t)(h.csum_start + 4);
                if (h.hdr_len)
                        h.hdr_len = (uint16_t)(h.hdr_len + 4);
        }
        if (wire_dir_transparent(d) && d->n == 0) {
                struct iovec iov[4] = {{&h, sizeof(h)},
                                       {(void *)frame, 12},
                                       {tag, taglen},
                                       {(void *)(frame + 12), len - 12}};
                struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 4};
                if (out->fd < 0 || sendmsg(out->fd, &msg, MSG_DONTWAIT) < 0)
                        out->drop_out++;
                else
                        out->tx++;
                return;
        }
        size_t n = sizeof(h);
        memcpy(buf, &h, n);
        memcpy(buf + n, frame, 12);
        n += 12;
        memcpy(buf + n, tag, taglen);
        n += taglen;
        memcpy(buf + n, frame + 12, len - 12);
        n += len - 12;
        wire_enqueue(d, buf, n, sizeof(h), monotime_ns());
}

static void wire_timer_arm(struct engine *e, int64_t at);

/* Sends what is due, and arms the one timer to the next departure, or
 * wire_lead before it. */
static void wires_run(struct engine *e)
{
        if (!e->nwire)
                return;
        int64_t now = monotime_ns(), next = INT64_MAX;
        for (int i = 0; i < e->nwire; i++)
                for (int k = 0; k < 2; k++) {
                        struct wire *w = &e->wires[i];
                        struct port *out = &e->ports[w->port[!k]];
                        for (struct wire_pkt *p; (p = wire_dequeue(&w->dir[k], now)); free(p))
                                wire_send(out, p->data, p->len);
                        int64_t t = wire_next(&w->dir[k]);
                        next = t < next ? t : next;
                }
        e->wire_due = next;
        /* Within the lead the poll spins to the departure (poll_spin);
         * before the engine blocks, wire_timer_cover arms the timer. */
        int64_t at = next == INT64_MAX ? INT64_MAX : next - e->wire_lead;
        if (at != INT64_MAX && at <= now)
                return;
        wire_timer_arm(e, at);
}

static void wire_timer_arm(struct engine *e, int64_t at)
{
        if (at == e->wtimer_at || e->wtimer_fd < 0)
                return;
        struct itimerspec its = {{0, 0}, {0, 0}}; /* zero: disarmed */
        if (at != INT64_MAX) {
                if (at < 1)
                        at = 1;
                its.it_value.tv_sec = at / 1000000000;
                its.it_value.tv_nsec = at % 1000000000;
        }
        timerfd_settime(e->wtimer_fd, TFD_TIMER_ABSTIME, &its, NULL);
        e->wtimer_at = at;
}

/* The engine is about to block: a departure the timer does not cover
 * (the poll was to spin to it) gets the timer now. */
static void wire_timer_cover(struct engine *e)
{
        if (e->wire_due < e->wtimer_at)
                wire_timer_arm(e, e->wire_due);
}

static uint8_t rxbuf[FRAME_MAX];

static void port_readable(struct engine *e, struct port *p)
{
        for (int n = 0; n < BATCH && p->fd >= 0; n++) {
                struct virtio_net_hdr vh;
                union {
                        struct cmsghdr h;
                        char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
                } cbuf;
                struct iovec iov[2] = {{&vh, sizeof(vh)}, {rxbuf, sizeof(rxbuf)}};
                struct msghdr msg = {.msg_iov = iov,
                                     .msg_iovlen = 2,
                                     .msg_control = &cbuf,
                                     .msg_controllen = sizeof(cbuf)};
                ssize_t r = recvmsg(p->fd, &msg, MSG_DONTWAIT);
                if (r < 0) {
                        if (errno == EAGAIN || errno == EINTR)
                                return;
                        /* ENETDOWN: the port went down (or away); ports_check
                         * reopens it if its interface was replaced. */
                        if (errno == ENETDOWN || errno == ENXIO || errno == ENODEV) {
                                if (lookup_ifindex(p) != p->ifindex)
                                        port_close(e, p);
                                return;
                        }
                        p->drop_in++;
                        return;
                }
                if ((size_t)r >= DP_POLL_BULK)
                        e->bulk = true;
                if ((msg.msg_flags & MSG_TRUNC) || (size_t)r < sizeof(vh)) {
                        p->drop_in++;
                        continue;
                }
                const struct tpacket_auxdata *aux = NULL;
                for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
                        if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA)
                                aux = (const struct tpacket_auxdata *)CMSG_DATA(c);
                if (p->wire >= 0)
                        wire_input(e, p, rxbuf, (size_t)r - sizeof(vh), &vh, aux);
                else
                        handle_frame(e, p, rxbuf, (size_t)r - sizeof(vh), &vh, aux);
        }
}

/* ---- set-up and loop ---- */

static void engine_free(struct engine *e)
{
        for (int i = 0; i < e->nports; i++) {
                struct port *p = &e->ports[i];
                if (p->fd >= 0)
                        close(p->fd);
                if (p->ctl_fd >= 0)
                        close(p->ctl_fd);
                if (p->netns_fd >= 0)
                        close(p->netns_fd);
        }
        for (int i = 0; i < e->nsw; i++)
                free(e->sws[i].fdb);
        for (int i = 0; i < e->nwire; i++) {
                wire_dir_free(&e->wires[i].dir[0]);
                wire_dir_free(&e->wires[i].dir[1]);
        }
        free(e->ports);
        free(e->sws);
        free(e->wires);
        if (e->wtimer_fd >= 0)
                close(e->wtimer_fd);
        if (e->epfd >= 0)
                close(e->epfd);
        if (e->sigfd >= 0)
                close(e->sigfd);
        if (e->timerfd >= 0)
                close(e->timerfd);
        if (e->ctl_conn >= 0)
                close(e->ctl_conn);
        if (e->owned) {
                dp_config_free(e->owned);
                free(e->owned);
        }
}

/* A port's VLAN membership, from its configuration. */
static void port_conf(struct port *p, int sw, const struct dp_port_conf *pc)
{
        p->sw = sw;
        p->wire = -1;
        p->conf = pc;
        for (int k = 0; k < pc->nvlan; k++) {
                uint16_t vid = pc->vlan[k].vid;
                p->member[vid >> 3] |= (uint8_t)(1u << (vid & 7));
                if (pc->vlan[k].untagged)
                        p->untag[vid >> 3] |= (uint8_t)(1u << (vid & 7));
                if (pc->vlan[k].pvid)
                        p->pvid = vid;
        }
}

/* Its sockets, in its namespace. */
static int port_attach(struct engine *e, struct port *p, char *err)
{
        const struct dp_port_conf *pc = p->conf;
        if (pc->netns[0] && strcmp(pc->netns, "-") != 0) {
                p->netns_fd = open(pc->netns, O_RDONLY | O_CLOEXEC);
                if (p->netns_fd < 0)
                        return errf_sys(err, NULL, "Cannot open network namespace \"%s\"",
                                        pc->netns);
        }
        char e2[ERRLEN];
        p->ctl_fd = netns_socket(p->netns_fd, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, e2);
        if (p->ctl_fd < 0)
                return errf(err, "namespace \"%s\": %s", pc->netns, e2);
        return port_open(e, p, err);
}

/* The loop's descriptors: epoll, signals, the once-a-second timer. */
static int engine_loop_init(struct engine *e, char *err)
{
        e->epfd = epoll_create1(EPOLL_CLOEXEC);
        if (e->epfd < 0)
                return errf_sys(err, NULL, "Cannot create the datapath's epoll instance");
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGHUP);
        sigaddset(&set, SIGUSR1);
        sigprocmask(SIG_BLOCK, &set, NULL);
        e->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
        e->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
        if (e->sigfd < 0 || e->timerfd < 0)
                return errf_sys(err, NULL, "Cannot create signalfd/timerfd");
        struct itimerspec its = {.it_interval = {1, 0}, .it_value = {1, 0}};
        timerfd_settime(e->timerfd, 0, &its, NULL);
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = TOKEN_SIGNAL};
        epoll_ctl(e->epfd, EPOLL_CTL_ADD, e->sigfd, &ev);
        ev.data.u32 = TOKEN_TIMER;
        epoll_ctl(e->epfd, EPOLL_CTL_ADD, e->timerfd, &ev);
        e->wtimer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
        if (e->wtimer_fd < 0)
                return errf_sys(err, NULL, "Cannot create the wires' timerfd");
        ev.data.u32 = TOKEN_WIRE;
        epoll_ctl(e->epfd, EPOLL_CTL_ADD, e->wtimer_fd, &ev);
        return 0;
}

/* offline_fd < 0: the real engine. Otherwise no loop and no packet
 * sockets: every port sends to a dup of offline_fd (dp_engine_offline). */
static int engine_init(struct engine *e, const struct dp_config *c, int offline_fd, char *err)
{
        memset(e, 0, sizeof(*e));
        e->c = c;
        e->epfd = e->sigfd = e->timerfd = e->wtimer_fd = -1;
        e->offline_fd = offline_fd;
        e->ctl_conn = -1;
        e->wtimer_at = INT64_MAX;
        e->wire_due = INT64_MAX;
        e->now = now_s();
        if (getrandom(&e->fdb_key, sizeof(e->fdb_key), GRND_NONBLOCK) != sizeof(e->fdb_key))
                e->fdb_key = (uint64_t)monotime_ns() * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid();
        if (offline_fd < 0 && engine_loop_init(e, err) < 0)
                return -1;
        int total = 2 * c->nwire;
        for (int i = 0; i < c->nsw; i++)
                total += c->sw[i].nports;
        e->ports = calloc((size_t)total + 1, sizeof(*e->ports));
        e->sws = calloc((size_t)c->nsw + 1, sizeof(*e->sws));
        e->wires = calloc((size_t)c->nwire + 1, sizeof(*e->wires));
        if (!e->ports || !e->sws || !e->wires)
                return errf_sys(err, NULL, "Cannot allocate the datapath");
        for (int i = 0; i < total; i++)
                e->ports[i].fd = e->ports[i].ctl_fd = e->ports[i].netns_fd = -1;
        for (int i = 0; i < c->nsw; i++) {
                struct sw *s = &e->sws[i];
                s->conf = &c->sw[i];
                s->first = e->nports;
                s->fdb = calloc(FDB_MAX, sizeof(*s->fdb));
                e->nsw++;
                if (!s->fdb)
                        return errf_sys(err, NULL, "Cannot allocate the learning table");
                for (int j = 0; j < c->sw[i].nports; j++) {
                        struct port *p = &e->ports[e->nports];
                        p->idx = e->nports++;
                        s->nports++;
                        port_conf(p, i, &c->sw[i].ports[j]);
                        if (offline_fd >= 0) {
                                p->fd = fcntl(offline_fd, F_DUPFD_CLOEXEC, 0);
                                if (p->fd < 0)
                                        return errf_sys(err, NULL, "Cannot dup the output");
                        } else if (port_attach(e, p, err) < 0) {
                                return -1;
                        }
                }
        }
        for (int i = 0; i < c->nwire; i++) {
                struct wire *w = &e->wires[e->nwire++];
                w->conf = &c->wire[i];
                for (int k = 0; k < 2; k++) {
                        uint64_t seed = c->seed ? c->seed * 4 + (uint64_t)i * 2 + (uint64_t)k : 0;
                        wire_dir_init(&w->dir[k], &w->conf->dir[k], seed);
                        struct port *p = &e->ports[e->nports];
                        p->idx = e->nports;
                        w->port[k] = e->nports++;
                        port_conf(p, -1, &w->conf->end[k]);
                        p->wire = i;
                        p->wend = k;
                        if (offline_fd >= 0) {
                                p->fd = fcntl(offline_fd, F_DUPFD_CLOEXEC, 0);
                                if (p->fd < 0)
                                        return errf_sys(err, NULL, "Cannot dup the output");
                        } else if (port_attach(e, p, err) < 0) {
                                return -1;
                        }
                }
        }
        return 0;
}

/* ---- a new configuration while running ----
 *
 * dp_engine_reconfigure (and a "reload" on the control socket) applies a new
 * configuration between two batches of events, so no frame is half handled.
 * What stays is taken over, matched by name: a port (same role, namespace
 * and interface) keeps its socket and counters; a switch keeps its learning
 * table, minus the entries of ports that left it or whose VLANs changed (a
 * bridge flushes those too); a wire keeps its two queues, so the frames
 * already queued leave at the times they were given and the new impairments
 * decide the frames that come after (netem's behaviour on `tc qdisc
 * change`). What is new is opened first: when a new port cannot be opened,
 * nothing changes and the old configuration stays in force. What left is
 * closed (a removed wire's queued frames go with its link). */

static bool same_netns(const struct port *op, const char *path)
{
        if (op->netns_fd < 0)
                return true; /* the datapath's own ("-"): the strings matched */
        struct stat a, b;
        return fstat(op->netns_fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino &&
               a.st_dev == b.st_dev;
}

/* The old port the new port p continues (its sockets), or a new one. */
static int port_take(struct engine *e, struct port *p, bool *taken, int *map, bool *flush,
                     bool *fresh, char *err)
{
        for (int o = 0; o < e->nports; o++) {
                struct port *op = &e->ports[o];
                if (taken[o] || (op->wire >= 0) != (p->wire >= 0) ||
                    strcmp(op->conf->ifname, p->conf->ifname) != 0 ||
                    strcmp(op->conf->netns, p->conf->netns) != 0 || !same_netns(op, p->conf->netns))
                        continue;
                taken[o] = true;
                map[o] = p->idx;
                flush[o] = op->pvid != p->pvid || memcmp(op->member, p->member, sizeof(p->member)) ||
                           memcmp(op->untag, p->untag, sizeof(p->untag));
                p->fd = op->fd;
                p->ctl_fd = op->ctl_fd;
                p->netns_fd = op->netns_fd;
                p->ifindex = op->ifindex;
                p->rx = op->rx;
                p->tx = op->tx;
                p->drop_in = op->drop_in;
                p->drop_out = op->drop_out;
                return 0;
        }
        fresh[p->idx] = true;
        if (e->offline_fd < 0)
                return port_attach(e, p, err);
        p->fd = fcntl(e->offline_fd, F_DUPFD_CLOEXEC, 0);
        return p->fd < 0 ? errf_sys(err, NULL, "Cannot dup the output") : 0;
}

static void port_free(struct engine *e, struct port *p)
{
        port_close(e, p);
        if (p->ctl_fd >= 0)
                close(p->ctl_fd);
        if (p->netns_fd >= 0)
                close(p->netns_fd);
        p->ctl_fd = p->netns_fd = -1;
}

/* A learning table taken over: its entries follow their ports' new indices;
 * those of ports that left the switch or changed VLANs are forgotten. */
static void fdb_remap(struct sw *s, const int *map, const bool *flush)
{
        for (int i = 0; i < FDB_MAX; i++) {
                struct fdb_ent *f = &s->fdb[i];
                if (!f->vid)
                        continue;
                int np = map[f->port];
                if (np < s->first || np >= s->first + s->nports || flush[f->port])
                        f->vid = 0;
                else
                        f->port = np;
        }
}

static int engine_rebuild(struct engine *e, const struct dp_config *nc, char *err)
{
        int total = 2 * nc->nwire, n = 0, rc = -1;
        for (int i = 0; i < nc->nsw; i++)
                total += nc->sw[i].nports;
        int old = e->nports;
        struct port *np = calloc((size_t)total + 1, sizeof(*np));
        struct sw *ns = calloc((size_t)nc->nsw + 1, sizeof(*ns));
        struct wire *nw = calloc((size_t)nc->nwire + 1, sizeof(*nw));
        bool *taken = calloc((size_t)old + 1, 1), *flush = calloc((size_t)old + 1, 1);
        bool *fresh = calloc((size_t)total + 1, 1);
        bool *sw_kept = calloc((size_t)e->nsw + 1, 1), *wire_kept = calloc((size_t)e->nwire + 1, 1);
        int *map = malloc(((size_t)old + 1) * sizeof(*map));
        int *sw_from = malloc(((size_t)nc->nsw + 1) * sizeof(int));
        int *wire_from = malloc(((size_t)nc->nwire + 1) * sizeof(int));
        if (!np || !ns || !nw || !taken || !flush || !fresh || !sw_kept || !wire_kept || !map ||
            !sw_from || !wire_from) {
                errf_sys(err, NULL, "Cannot allocate the datapath's new configuration");
                goto out;
        }
        for (int i = 0; i < old; i++)
                map[i] = -1;
        for (int i = 0; i < total; i++)
                np[i].fd = np[i].ctl_fd = np[i].netns_fd = -1;
        /* Ports: taken over or opened (nothing old is changed yet). */
        for (int i = 0; i < nc->nsw; i++) {
                ns[i].conf = &nc->sw[i];
                ns[i].first = n;
                for (int j = 0; j < nc->sw[i].nports; j++, n++) {
                        np[n].idx = n;
                        port_conf(&np[n], i, &nc->sw[i].ports[j]);
                        ns[i].nports++;
                        if (port_take(e, &np[n], taken, map, flush, fresh, err) < 0)
                                goto undo;
                }
        }
        for (int i = 0; i < nc->nwire; i++) {
                nw[i].conf = &nc->wire[i];
                for (int k = 0; k < 2; k++, n++) {
                        np[n].idx = n;
                        port_conf(&np[n], -1, &nc->wire[i].end[k]);
                        np[n].wire = i;
                        np[n].wend = k;
                        nw[i].port[k] = n;
                        if (port_take(e, &np[n], taken, map, flush, fresh, err) < 0)
                                goto undo;
                }
        }
        /* Switches and wires, by name. */
        for (int i = 0; i < nc->nsw; i++) {
                sw_from[i] = -1;
                for (int o = 0; o < e->nsw && sw_from[i] < 0; o++)
                        if (!sw_kept[o] && strcmp(e->sws[o].conf->name, nc->sw[i].name) == 0)
                                sw_kept[sw_from[i] = o] = true;
                if (sw_from[i] < 0 && !(ns[i].fdb = calloc(FDB_MAX, sizeof(*ns[i].fdb)))) {
                        errf_sys(err, NULL, "Cannot allocate the learning table");
                        goto undo;
                }
        }
        for (int i = 0; i < nc->nwire; i++) {
                wire_from[i] = -1;
                for (int o = 0; o < e->nwire && wire_from[i] < 0; o++)
                        if (!wire_kept[o] && strcmp(e->wires[o].conf->name, nc->wire[i].name) == 0)
                                wire_kept[wire_from[i] = o] = true;
        }
        /* Commit: from here nothing fails. */
        for (int o = 0; o < old; o++) {
                struct port *op = &e->ports[o];
                if (!taken[o]) {
                        port_free(e, op);
                } else if (op->fd >= 0 && e->epfd >= 0) {
                        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)map[o]};
                        epoll_ctl(e->epfd, EPOLL_CTL_MOD, op->fd, &ev);
                }
        }
        for (int i = 0; i < nc->nsw; i++) {
                if (sw_from[i] < 0)
                        continue;
                struct sw *os = &e->sws[sw_from[i]];
                ns[i].fdb = os->fdb;
                ns[i].fdb_used = os->fdb_used;
                ns[i].fdb_evicted = os->fdb_evicted;
                os->fdb = NULL;
                fdb_remap(&ns[i], map, flush);
        }
        for (int o = 0; o < e->nsw; o++)
                free(e->sws[o].fdb);
        for (int i = 0; i < nc->nwire; i++)
                for (int k = 0; k < 2; k++) {
                        if (wire_from[i] < 0) {
                                uint64_t seed = nc->seed ? nc->seed * 4 + (uint64_t)i * 2 + (uint64_t)k : 0;
                                wire_dir_init(&nw[i].dir[k], &nc->wire[i].dir[k], seed);
                                continue;
                        }
                        nw[i].dir[k] = e->wires[wire_from[i]].dir[k];
                        memset(&e->wires[wire_from[i]].dir[k], 0, sizeof(struct wire_dir));
                        wire_dir_set(&nw[i].dir[k], &nc->wire[i].dir[k]);
                }
        for (int o = 0; o < e->nwire; o++)
                for (int k = 0; k < 2; k++)
                        wire_dir_free(&e->wires[o].dir[k]);
        free(e->ports);
        free(e->sws);
        free(e->wires);
        e->c = nc;
        e->ports = np;
        e->nports = total;
        e->sws = ns;
        e->nsw = nc->nsw;
        e->wires = nw;
        e->nwire = nc->nwire;
        np = NULL;
        ns = NULL;
        nw = NULL;
        e->wtimer_at = INT64_MAX; /* not known to be armed: arm it again when needed */
        e->wire_due = INT64_MAX;
        e->opened = 0;
        for (int i = 0; i < total; i++)
                e->opened += fresh[i];
        ports_check(e);
        rc = 0;
        goto out;
undo:
        for (int i = 0; i < total; i++)
                if (fresh[i])
                        port_free(e, &np[i]);
        for (int i = 0; i < nc->nsw; i++)
                free(ns[i].fdb); /* only new ones are there before the commit */
out:
        free(np);
        free(ns);
        free(nw);
        free(taken);
        free(flush);
        free(fresh);
        free(sw_kept);
        free(wire_kept);
        free(map);
        free(sw_from);
        free(wire_from);
        return rc;
}

struct dp_engine *dp_engine_offline(const struct dp_config *c, int out_fd, char *err)
{
        if (dp_config_validate(c, err) < 0)
                return NULL;
        struct engine *e = malloc(sizeof(*e));
        if (!e) {
                errf_sys(err, NULL, "Cannot allocate the datapath");
                return NULL;
        }
        if (engine_init(e, c, out_fd, err) < 0) {
                engine_free(e);
                free(e);
                return NULL;
        }
        e->fdb_key = 0; /* reproducible */
        return (struct dp_engine *)e;
}

void dp_engine_input(struct dp_engine *de, int port, uint8_t *frame, size_t len,
                     const struct virtio_net_hdr *vh, const struct tpacket_auxdata *aux,
                     uint32_t now_s)
{
        struct engine *e = (struct engine *)de;
        if (port < 0 || port >= e->nports || len > FRAME_MAX)
                return;
        e->now = now_s;
        /* The caller's buffer, not rxbuf: a read past len is the sanitizer's. */
        if (e->ports[port].wire >= 0) {
                wire_input(e, &e->ports[port], frame, len, vh, aux);
                wires_run(e);
        } else {
                handle_frame(e, &e->ports[port], frame, len, vh, aux);
        }
}

void dp_engine_free(struct dp_engine *de)
{
        if (!de)
                return;
        engine_free((struct engine *)de);
        free(de);
}

int dp_engine_reconfigure(struct dp_engine *de, const struct dp_config *c, char *err)
{
        if (dp_config_validate(c, err) < 0)
                return -1;
        return engine_rebuild((struct engine *)de, c, err);
}

/* A "reload" request: the configuration file read again and applied; the
 * answer says how long it took, or why nothing changed. */
static void engine_reload(struct engine *e)
{
        char err[ERRLEN], reply[ERRLEN + 32];
        int64_t t0 = monotime_ns();
        struct dp_config *nc = malloc(sizeof(*nc));
        int rc = nc ? dp_config_load(nc, ctl_conf_path, err)
                    : errf_sys(err, NULL, "Cannot allocate the datapath's configuration");
        if (rc == 0 && engine_rebuild(e, nc, err) < 0) {
                dp_config_free(nc);
                rc = -1;
        }
        if (rc == 0) {
                if (e->owned) {
                        dp_config_free(e->owned);
                        free(e->owned);
                }
                e->owned = nc;
                snprintf(reply, sizeof(reply), "ok %lld", (long long)((monotime_ns() - t0) / 1000));
                fprintf(stderr,
                        "netlab datapath: configuration reloaded in %s us (%d ports, %d wires; "
                        "%d ports opened)\n",
                        reply + 3, e->nports, e->nwire, e->opened);
        } else {
                free(nc);
                snprintf(reply, sizeof(reply), "E%s", err);
                fprintf(stderr, "netlab datapath: reload refused: %s\n", err);
        }
        if (e->ctl_conn >= 0) {
                ssize_t w = send(e->ctl_conn, reply, strlen(reply), MSG_DONTWAIT | MSG_NOSIGNAL);
                (void)w;
                close(e->ctl_conn);
                e->ctl_conn = -1;
        }
        e->reload = false;
}

/* The control socket: one connection at a time (the lab's process is the
 * only client), its request read when it arrives, answered after the
 * batch of events it came with. */
static void ctl_accept(struct engine *e)
{
        for (int fd; (fd = accept4(ctl_listen, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0;) {
                if (e->ctl_conn >= 0) {
                        close(fd); /* busy: the client sees the end and says so */
                        continue;
                }
                struct epoll_event ev = {.events = EPOLLIN, .data.u32 = TOKEN_CONN};
                if (epoll_ctl(e->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
                        close(fd);
                        continue;
                }
                e->ctl_conn = fd;
        }
}

/* --keep: the engine outlives the lab's process (no death signal, no watch). */
static void engine_detach(struct engine *e)
{
        prctl(PR_SET_PDEATHSIG, 0);
        e->watch_pid = 0;
}

static void ctl_request(struct engine *e)
{
        char buf[64];
        ssize_t r = recv(e->ctl_conn, buf, sizeof(buf) - 1, MSG_DONTWAIT);
        if (r < 0 && (errno == EAGAIN || errno == EINTR))
                return;
        if (r > 0) {
                buf[r] = '\0';
                if (strcmp(buf, "reload") == 0) {
                        e->reload = true;
                        return;
                }
                /* detach (--keep) is answered once done, so the process
                 * exits only after (a SIGUSR1 could still be pending when
                 * its death's SIGTERM comes, and both would be read together). */
                bool detach = strcmp(buf, "detach") == 0;
                if (detach)
                        engine_detach(e);
                const char *answer = detach ? "ok" : "Eunknown request";
                ssize_t w = send(e->ctl_conn, answer, strlen(answer), MSG_DONTWAIT | MSG_NOSIGNAL);
                (void)w;
        }
        close(e->ctl_conn); /* epoll forgets a closed descriptor */
        e->ctl_conn = -1;
}

/* Nonvoluntary context switches so far: it moves when another task took
 * the CPU from a poll. */
static long preemptions(void)
{
        struct rusage ru;
        return getrusage(RUSAGE_THREAD, &ru) == 0 ? ru.ru_nivcsw : 0;
}

/* The busy poll after a batch (dp_poll.h): events as epoll_wait gives them,
 * or 0 when the window is over, the poll was preempted (another task
 * wanted this CPU: then *block, the engine sleeps until its next event and
 * polls again only after a backoff) or a wire's frame is due (then not).
 * A task woken while this CPU polls goes to an idle CPU if there is one;
 * one that comes here preempts the poll (at its next tick at the latest). */
static int poll_spin(struct engine *e, struct dp_poll *p, struct epoll_event *evs, int nev,
                     int64_t from, bool *block)
{
        *block = true;
        int64_t lead = e->wire_lead;
        if (dp_poll_window(p, from) <= 0 && e->wire_due - monotime_ns() > lead)
                return 0;
        long csw = preemptions();
        int64_t last = from;
        for (;;) {
                int n = epoll_wait(e->epfd, evs, nev, 0);
                if (n != 0) {
                        if (n > 0)
                                dp_poll_caught(p);
                        return n;
                }
                int64_t now = monotime_ns();
                if (e->wire_due <= now) {
                        *block = false;
                        return 0;
                }
                if (now - from >= p->window && e->wire_due - now > lead)
                        return 0;
                long c = preemptions();
                if (c != csw && now - last > DP_POLL_YIELD) {
                        dp_poll_preempted(p, now);
                        return 0;
                }
                csw = c; /* a per-CPU kernel thread's turn: not a task that wants the CPU */
                last = monotime_ns();
        }
}

int dp_engine_run(const struct dp_config *c, int ready_fd, pid_t watch_pid, char *err)
{
        struct engine e;
        if (dp_config_validate(c, err) < 0)
                return -1;
        if (engine_init(&e, c, -1, err) < 0) {
                engine_free(&e);
                return -1;
        }
        e.watch_pid = watch_pid;
        /* A wire's delay is only as exact as the engine's wake-ups: ahead of
         * ordinary work on a loaded machine (root may; else it stays at 0). */
        if (setpriority(PRIO_PROCESS, 0, -10) < 0) {
                /* not root: the default priority */
        }
        /* NETLAB_DP_RT=N (1-99): real-time (SCHED_FIFO at N) instead. On a
         * loaded machine a nice -10 engine still waits a scheduler slice
         * (~3 ms) to wake: that is the p99 error of a delay (bench/impair.sh
         * measures both). Opt-in: a real-time engine forwarding a flood
         * holds a CPU (the kernel's RT throttling leaves others 5%). */
        const char *rt = getenv("NETLAB_DP_RT");
        bool fifo = false;
        if (rt && atoi(rt) >= 1 && atoi(rt) <= 99) {
                struct sched_param sp = {.sched_priority = atoi(rt)};
                if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0)
                        fprintf(stderr, "datapath: NETLAB_DP_RT=%s: cannot use SCHED_FIFO: %s\n",
                                rt, strerror(errno));
                else
                        fifo = true;
        }
        /* NETLAB_DP_POLL_US=N: the busy poll's bound (0: off). Off by default
         * for a SCHED_FIFO engine: nothing preempts it, so its polls could
         * not yield to the machine's other work. */
        const char *pe = getenv("NETLAB_DP_POLL_US");
        int64_t poll_max = dp_poll_max_parse(pe);
        if (poll_max < 0) {
                fprintf(stderr, "datapath: NETLAB_DP_POLL_US=%s: not a number of µs (0-1000000); polling off\n",
                        pe);
                poll_max = 0;
        }
        if (fifo && !pe)
                poll_max = 0;
        struct dp_poll poll;
        dp_poll_init(&poll, poll_max);
        if (ready_fd >= 0) {
                ssize_t w = write(ready_fd, "R", 1);
                (void)w;
        }
        if (ctl_listen >= 0) {
                struct epoll_event ev = {.events = EPOLLIN, .data.u32 = TOKEN_CTL};
                epoll_ctl(e.epfd, EPOLL_CTL_ADD, ctl_listen, &ev);
        }
        stats_write(&e);
        struct epoll_event evs[32];
        int64_t idle_from = monotime_ns(); /* the end of the last batch */
        while (!e.stop) {
                bool block;
                int n = poll_spin(&e, &poll, evs, 32, idle_from, &block);
                if (n == 0 && block) {
                        wire_timer_cover(&e);
                        n = epoll_wait(e.epfd, evs, 32, -1);
                        if (n > 0)
                                dp_poll_blocked(&poll, monotime_ns() - idle_from);
                }
                if (n < 0 && errno != EINTR)
                        break;
                e.now = now_s();
                for (int i = 0; i < n; i++) {
                        uint32_t t = evs[i].data.u32;
                        if (t == TOKEN_SIGNAL) {
                                struct signalfd_siginfo si;
                                while (read(e.sigfd, &si, sizeof(si)) == sizeof(si)) {
                                        if (si.ssi_signo != SIGUSR1) {
                                                e.stop = true;
                                                continue;
                                        }
                                        engine_detach(&e); /* --keep */
                                }
                        } else if (t == TOKEN_TIMER) {
                                uint64_t ticks;
                                ssize_t r = read(e.timerfd, &ticks, sizeof(ticks));
                                (void)r;
                                if (e.watch_pid > 0 && getppid() != e.watch_pid)
                                        e.stop = true;
                                ports_check(&e);
                                stats_write(&e);
                        } else if (t == TOKEN_WIRE) {
                                uint64_t ticks;
                                ssize_t r = read(e.wtimer_fd, &ticks, sizeof(ticks));
                                (void)r;
                                e.wtimer_at = INT64_MAX; /* fired: arm again */
                        } else if (t == TOKEN_CTL) {
                                ctl_accept(&e);
                        } else if (t == TOKEN_CONN) {
                                if (e.ctl_conn >= 0)
                                        ctl_request(&e);
                        } else if (t < (uint32_t)e.nports) {
                                port_readable(&e, &e.ports[t]);
                        }
                }
                /* The safe point: no event of this batch is left to handle
                 * (their tokens are the old configuration's port indices). */
                if (e.reload)
                        engine_reload(&e);
                e.wire_lead = dp_poll_lead(&poll, monotime_ns());
                wires_run(&e);
                idle_from = monotime_ns();
                if (e.bulk)
                        dp_poll_bulk(&poll, idle_from);
                e.bulk = false;
        }
        stats_write(&e);
        engine_free(&e);
        return 0;
}
