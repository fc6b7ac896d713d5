/* fuzz_frame.c — the datapath's frame handler (handle_frame through
 * dp_engine_input), on an engine without sockets whose ports all send into
 * one datagram socket. An input is a sequence of received frames, each:
 *     port (1 byte), flags (1: aux VLAN valid, 2: its TPID is 802.1ad,
 *     4: the clock jumps 301 s), TCI (2), length (2), virtio_net_hdr (10),
 *     frame (length bytes, cut at the input's end)
 * so learning, ageing, flooding, tag push/pop and the firewall all run on
 * sequences; the last two ports are a wire's ends (netem's decisions,
 * undelayed so that what is queued leaves within the input). Every frame sent must be a well-formed datagram: a
 * virtio_net_hdr and at least 12 bytes of addresses. */
#include "dp_config.h"
#include "dp_engine.h"
#include <linux/if_ether.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char conf_text[] = "ageing 300\n"
                                "switch s1\n"
                                "port - p1 10pu\n"
                                "port - p2 10,20\n"
                                "port - p3 20pu,30\n"
                                "port - p4 -\n"
                                "port - p5 1pu\n"
                                "fw drop in=p1 out=p3 type=arp\n"
                                "fw accept in=p2 type=!ipv4 vid=20\n"
                                "fw drop out=p5 vid=1\n"
                                "switch s2\n"
                                "port - q1 1pu\n"
                                "port - q2 1pu,4094\n"
                                "fwpolicy drop\n"
                                "seed 1\n"
                                "wire l1 - w1a - w1b\n"
                                "impair ab duplicate=300000 corrupt=300000 loss=100000\n"
                                "impair ba reorder=500000 gap=2 limit=4\n";
static struct dp_config conf;
static int sink[2];
static int nports;

static void init(void)
{
        char err[ERRLEN];
        FILE *f = fmemopen((void *)conf_text, sizeof(conf_text) - 1, "r");
        if (!f || dp_config_read(&conf, f, "fuzz", err) < 0) {
                fprintf(stderr, "fuzz_frame: %s\n", err);
                abort();
        }
        fclose(f);
        for (int i = 0; i < conf.nsw; i++)
                nports += conf.sw[i].nports;
        if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sink) < 0)
                abort();
        int big = 4 << 20;
        setsockopt(sink[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
        setsockopt(sink[1], SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
}

static void drain(void)
{
        static uint8_t buf[300 * 1024];
        ssize_t r;
        while ((r = recv(sink[1], buf, sizeof(buf), MSG_DONTWAIT)) >= 0)
                if ((size_t)r < sizeof(struct virtio_net_hdr) + 12) {
                        fprintf(stderr, "fuzz_frame: a %zd-byte frame was sent\n", r);
                        abort();
                }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char err[ERRLEN];
        if (!nports)
                init();
        struct dp_engine *e = dp_engine_offline(&conf, sink[0], err);
        if (!e) {
                fprintf(stderr, "fuzz_frame: %s\n", err);
                abort();
        }
        uint32_t now = 1000;
        size_t pos = 0;
        while (pos + 16 <= size) {
                const uint8_t *h = data + pos;
                int port = h[0] % nports;
                uint8_t flags = h[1];
                uint16_t tci = (uint16_t)(h[2] << 8 | h[3]);
                size_t len = (size_t)(h[4] << 8 | h[5]);
                struct virtio_net_hdr vh;
                memcpy(&vh, h + 6, sizeof(vh));
                pos += 16;
                if (len > size - pos)
                        len = size - pos;
                /* Exactly len bytes of its own, so a read past the frame is seen. */
                uint8_t *frame = malloc(len ? len : 1);
                if (!frame)
                        abort();
                memcpy(frame, data + pos, len);
                pos += len;
                struct tpacket_auxdata aux = {0};
                if (flags & 1) {
                        aux.tp_status = TP_STATUS_VLAN_VALID;
                        aux.tp_vlan_tci = tci;
                        if (flags & 2) {
                                aux.tp_status |= TP_STATUS_VLAN_TPID_VALID;
                                aux.tp_vlan_tpid = ETH_P_8021AD;
                        }
                }
                if (flags & 4)
                        now += 301;
                dp_engine_input(e, port, frame, len, &vh, (flags & 1) ? &aux : NULL, now);
                free(frame);
                drain();
        }
        dp_engine_free(e);
        return 0;
}
