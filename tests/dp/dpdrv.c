/* dpdrv.c — test driver for the userspace datapath, usable before the rest
 * of netlab exists:
 *   dpdrv run CONF [STATS]     runs the engine on a datapath config; writes
 *                              "R" on stdout once every port is open
 *   dpdrv capture IF MS        prints every frame arriving on IF (in the
 *                              current namespace) for MS milliseconds:
 *                              "vid=V type=0xTTTT src=MAC dst=MAC len=N"
 *                              (vid=0: untagged), then "frames=N"
 *   dpdrv send IF DST VID TYPE COUNT   sends COUNT frames with source MAC
 *                              of IF to DST (VID 0: untagged)
 *   dpdrv flood IF COUNT [VID]  sends COUNT frames (EtherType 0x88b5) with
 *                              random unicast source MACs to random unicast
 *                              destinations: a MAC-table flood
 *   dpdrv nft NETNS TABLE "RULE" ...   installs the rules (datapath config
 *                              form, e.g. "drop in=p1 out=p2") as an nft
 *                              bridge table in NETNS through fw_nft_install
 * Tests create namespaces and veths with ip(8); the engine never does. */
#include "dp.h"
#include "dp_config.h"
#include "dp_engine.h"
#include "monotime.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int cmd_run(int argc, char **argv)
{
        char err[ERRLEN];
        struct dp_config c;
        if (argc < 3) {
                fprintf(stderr, "usage: dpdrv run CONF [STATS]\n");
                return 2;
        }
        if (dp_config_load(&c, argv[2], err) < 0) {
                fprintf(stderr, "dpdrv: %s\n", err);
                return 1;
        }
        if (argc > 3)
                dp_engine_stats_file(argv[3]);
        /* The engine writes its ready byte 'R' straight to stdout. */
        int rc = dp_engine_run(&c, STDOUT_FILENO, 0, err);
        if (rc < 0)
                fprintf(stderr, "dpdrv: %s\n", err);
        dp_config_free(&c);
        return rc < 0 ? 1 : 0;
}

static int open_raw(const char *ifname, int *ifindex)
{
        int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
        if (fd < 0) {
                perror("socket");
                return -1;
        }
        *ifindex = (int)if_nametoindex(ifname);
        if (!*ifindex) {
                fprintf(stderr, "dpdrv: no interface %s\n", ifname);
                return -1;
        }
        struct sockaddr_ll sll = {
            .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = *ifindex};
        int one = 1;
        setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one));
        if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
                perror("bind");
                return -1;
        }
        return fd;
}

static int cmd_capture(int argc, char **argv)
{
        if (argc < 4) {
                fprintf(stderr, "usage: dpdrv capture IF MS\n");
                return 2;
        }
        int ifindex, fd = open_raw(argv[2], &ifindex);
        if (fd < 0)
                return 1;
        setvbuf(stdout, NULL, _IOLBF, 0);
        printf("capturing\n");
        long long end = monotime_ms() + atoi(argv[3]);
        int frames = 0;
        static uint8_t buf[65536 + 64];
        for (long long now; (now = monotime_ms()) < end;) {
                struct pollfd pfd = {fd, POLLIN, 0};
                if (poll(&pfd, 1, (int)(end - now)) <= 0)
                        continue;
                union {
                        struct cmsghdr h;
                        char b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
                } cb;
                struct iovec iov = {buf, sizeof(buf)};
                struct sockaddr_ll from;
                struct msghdr msg = {.msg_name = &from,
                                     .msg_namelen = sizeof(from),
                                     .msg_iov = &iov,
                                     .msg_iovlen = 1,
                                     .msg_control = &cb,
                                     .msg_controllen = sizeof(cb)};
                ssize_t r = recvmsg(fd, &msg, 0);
                if (r < 14)
                        continue;
                if (from.sll_pkttype == PACKET_OUTGOING)
                        continue;
                unsigned vid = 0;
                unsigned type = (unsigned)(buf[12] << 8 | buf[13]);
                for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
                        struct tpacket_auxdata *a = (void *)CMSG_DATA(c);
                        if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA &&
                            (a->tp_status & TP_STATUS_VLAN_VALID))
                                vid = a->tp_vlan_tci & 0xfff;
                }
                if (!vid && type == 0x8100 && r >= 18) {
                        vid = (unsigned)((buf[14] << 8 | buf[15]) & 0xfff);
                        type = (unsigned)(buf[16] << 8 | buf[17]);
                }
                frames++;
                printf("vid=%u type=0x%04x src=%02x:%02x:%02x:%02x:%02x:%02x "
                       "dst=%02x:%02x:%02x:%02x:%02x:%02x len=%zd\n",
                       vid, type, buf[6], buf[7], buf[8], buf[9], buf[10], buf[11], buf[0], buf[1],
                       buf[2], buf[3], buf[4], buf[5], r);
        }
        printf("frames=%d\n", frames);
        return 0;
}

static int parse_mac(const char *s, uint8_t *m)
{
        unsigned v[6];
        if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
                return -1;
        for (int i = 0; i < 6; i++)
                m[i] = (uint8_t)v[i];
        return 0;
}

static int cmd_send(int argc, char **argv)
{
        if (argc < 7) {
                fprintf(stderr, "usage: dpdrv send IF DST VID TYPE COUNT\n");
                return 2;
        }
        int ifindex, fd = open_raw(argv[2], &ifindex);
        if (fd < 0)
                return 1;
        uint8_t f[128] = {0};
        if (parse_mac(argv[3], f) < 0)
                return 2;
        struct ifreq ifr = {0};
        snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[2]);
        if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
                return 1;
        memcpy(f + 6, ifr.ifr_hwaddr.sa_data, 6);
        unsigned vid = (unsigned)atoi(argv[4]);
        unsigned type = (unsigned)strtoul(argv[5], NULL, 0);
        size_t off = 12;
        if (vid) {
                f[off++] = 0x81;
                f[off++] = 0x00;
                f[off++] = (uint8_t)(vid >> 8);
                f[off++] = (uint8_t)vid;
        }
        f[off++] = (uint8_t)(type >> 8);
        f[off++] = (uint8_t)type;
        size_t len = off + 46;
        for (int i = 0; i < atoi(argv[6]); i++)
                if (send(fd, f, len, 0) < 0) {
                        perror("send");
                        return 1;
                }
        return 0;
}

static int cmd_flood(int argc, char **argv)
{
        if (argc < 4) {
                fprintf(stderr, "usage: dpdrv flood IF COUNT [VID]\n");
                return 2;
        }
        int ifindex, fd = open_raw(argv[2], &ifindex);
        if (fd < 0)
                return 1;
        long count = atol(argv[3]);
        unsigned vid = argc > 4 ? (unsigned)atoi(argv[4]) : 0;
        uint64_t x = 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid();
        uint8_t f[64] = {0};
        long sent = 0;
        for (long i = 0; i < count; i++) {
                for (int k = 0; k < 12; k++) { /* xorshift: fresh MACs every frame */
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        f[k] = (uint8_t)x;
                }
                f[0] = (uint8_t)((f[0] & 0xfc) | 0x02); /* unicast, locally administered */
                f[6] = (uint8_t)((f[6] & 0xfc) | 0x02);
                size_t off = 12;
                if (vid) {
                        f[off++] = 0x81;
                        f[off++] = 0x00;
                        f[off++] = (uint8_t)(vid >> 8);
                        f[off++] = (uint8_t)vid;
                }
                f[off++] = 0x88;
                f[off++] = 0xb5;
                while (send(fd, f, 60, 0) < 0) {
                        if (errno != ENOBUFS && errno != EAGAIN) {
                                perror("send");
                                return 1;
                        }
                        usleep(100);
                }
                sent++;
        }
        printf("sent=%ld\n", sent);
        return 0;
}

static int cmd_nft(int argc, char **argv)
{
        if (argc < 4) {
                fprintf(stderr, "usage: dpdrv nft NETNS TABLE RULE...\n");
                return 2;
        }
        char err[ERRLEN];
        struct fw_table t = {0};
        for (int i = 4; i < argc; i++) {
                struct fw_rule r;
                if (fw_rule_parse(argv[i], &r, err) < 0 || fw_add(&t, &r, err) < 0) {
                        fprintf(stderr, "dpdrv: %s\n", err);
                        return 1;
                }
        }
        int fd = open(argv[2], O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                perror(argv[2]);
                return 1;
        }
        int rc = fw_nft_install(fd, argv[3], &t, err);
        if (rc < 0)
                fprintf(stderr, "dpdrv: %s\n", err);
        fw_free(&t);
        close(fd);
        return rc < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
        if (argc >= 2 && strcmp(argv[1], "nft") == 0)
                return cmd_nft(argc, argv);
        if (argc >= 2 && strcmp(argv[1], "run") == 0)
                return cmd_run(argc, argv);
        if (argc >= 2 && strcmp(argv[1], "capture") == 0)
                return cmd_capture(argc, argv);
        if (argc >= 2 && strcmp(argv[1], "send") == 0)
                return cmd_send(argc, argv);
        if (argc >= 2 && strcmp(argv[1], "flood") == 0)
                return cmd_flood(argc, argv);
        fprintf(stderr, "usage: dpdrv run|capture|send|flood|nft ...\n");
        return 2;
}
