/* dp_unit.c — unit tests (no root) of the datapath's config text form and
 * firewall model: round trip through the file, first-match rules, bad input. */
#include "check.h"
#include "dp_config.h"
#include "fw.h"
#include "lab.h"
#include "plan.h"
#include "dp_wire.h"
#include "dp_engine.h"
#include "dp_poll.h"
#include <linux/virtio_net.h>
#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4 5 /* linux/virtio_net.h since 4.18 */
#endif
#include "monotime.h"
#include <sys/socket.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


static void test_fw(void)
{
        char err[ERRLEN];
        struct fw_table t = {0};
        struct fw_rule r;
        CHECK(fw_rule_parse("accept in=p1,p2 out=p4,p5 type=arp", &r, err) == 0);
        CHECK(fw_add(&t, &r, err) == 0);
        CHECK(fw_rule_parse("drop in=p1,p2 out=p4,p5", &r, err) == 0);
        CHECK(fw_add(&t, &r, err) == 0);
        CHECK(fw_match(&t, "p1", "p4", 0x0806, 10) == FW_ACCEPT);
        CHECK(fw_match(&t, "p1", "p4", 0x0800, 10) == FW_DROP);
        CHECK(fw_match(&t, "p2", "p5", 0x86dd, 20) == FW_DROP);
        CHECK(fw_match(&t, "p4", "p1", 0x0800, 10) == FW_ACCEPT); /* other direction */
        CHECK(fw_match(&t, "p3", "p4", 0x0800, 10) == FW_ACCEPT);
        CHECK(fw_match(NULL, "p1", "p4", 0x0800, 10) == FW_ACCEPT);
        CHECK(fw_rule_parse("drop type=!arp vid=20", &r, err) == 0);
        CHECK(r.not_ethertype && r.ethertype == 0x0806 && r.vid == 20);
        struct fw_table t2 = {0};
        CHECK(fw_add(&t2, &r, err) == 0);
        CHECK(fw_match(&t2, "a", "b", 0x0800, 20) == FW_DROP);
        CHECK(fw_match(&t2, "a", "b", 0x0806, 20) == FW_ACCEPT);
        CHECK(fw_match(&t2, "a", "b", 0x0800, 10) == FW_ACCEPT);
        CHECK(fw_rule_parse("reject in=p1", &r, err) < 0);
        CHECK(fw_rule_parse("drop vid=5000", &r, err) < 0);
        CHECK(fw_rule_parse("drop type=bogus", &r, err) < 0 && strstr(err, "bogus"));
        char buf[1024];
        fw_nft_script(&t, "lab_s1", buf, sizeof(buf));
        CHECK(strstr(buf, "table bridge lab_s1") != NULL);
        CHECK(strstr(buf, "iifname { \"p1\", \"p2\" } oifname { \"p4\", \"p5\" } meta protocol "
                          "0x0806 accept") != NULL);
        fw_free(&t);
        fw_free(&t2);
}

static void test_config(void)
{
        char err[ERRLEN];
        struct dp_config c, d;
        dp_config_init(&c);
        int s = dp_config_add_switch(&c, "s1", err);
        int p1 = dp_config_add_port(&c, s, "/run/netns/x.s1", "p1", err);
        int p2 = dp_config_add_port(&c, s, "/run/netns/x.s1", "p2", err);
        CHECK(s == 0 && p1 == 0 && p2 == 1);
        CHECK(dp_config_port_vlan(&c, s, p1, 10, true, true, err) == 0);
        CHECK(dp_config_port_vlan(&c, s, p2, 10, false, false, err) == 0);
        CHECK(dp_config_port_vlan(&c, s, p2, 20, true, false, err) == 0);
        CHECK(dp_config_port_vlan(&c, s, p2, 30, true, true, err) == 0); /* moves the PVID */
        CHECK(dp_config_port_vlan(&c, s, p2, 4095, false, false, err) < 0);
        struct fw_rule r;
        fw_rule_parse("drop in=p1 out=p2 type=!arp", &r, err);
        fw_add(&c.sw[0].fw, &r, err);
        char path[] = "/tmp/dp_unit_XXXXXX";
        int fd = mkstemp(path);
        close(fd);
        CHECK(dp_config_save(&c, path, err) == 0);
        CHECK(dp_config_load(&d, path, err) == 0);
        CHECK(d.nsw == 1 && d.sw[0].nports == 2);
        CHECK(d.sw[0].ports[1].nvlan == 3);
        int pvids = 0;
        for (int i = 0; i < d.sw[0].ports[1].nvlan; i++)
                pvids += d.sw[0].ports[1].vlan[i].pvid;
        CHECK(pvids == 1);
        CHECK(d.sw[0].fw.n == 1 && d.sw[0].fw.rules[0].not_ethertype);
        CHECK(strcmp(d.sw[0].ports[0].netns, "/run/netns/x.s1") == 0);
        dp_config_free(&d);
        /* A rule naming a port the switch does not have is refused. */
        fw_rule_parse("drop in=p9", &r, err);
        fw_add(&c.sw[0].fw, &r, err);
        CHECK(dp_config_validate(&c, err) < 0 && strstr(err, "p9"));
        FILE *f = fopen(path, "w");
        fprintf(f, "switch s1\nport - p1 10x\n");
        fclose(f);
        CHECK(dp_config_load(&d, path, err) < 0 && strstr(err, ":2:"));
        unlink(path);
        dp_config_free(&c);
}

/* The plan: each job on the kernel where it has the feature, on the
 * datapath (or refused) where it has not; per object of a lab. */
static void test_plan(void)
{
        struct features none = {.probed = true, .veth = true, .bridge = true};
        struct features all = none;
        all.bridge_vlan = all.vlan8021q = all.netem = all.tbf = all.htb = true;
        CHECK(plan_job_path(&all, PLAN_VLAN_SWITCH) == PLAN_KERNEL);
        CHECK(plan_job_path(&none, PLAN_VLAN_SWITCH) == PLAN_USER);
        CHECK(plan_job_path(&none, PLAN_SUBIF) == PLAN_USER);
        CHECK(plan_job_path(&all, PLAN_IMPAIR) == PLAN_KERNEL);
        CHECK(plan_job_path(&none, PLAN_IMPAIR) == PLAN_USER);
        CHECK(plan_job_path(&none, PLAN_RATE) == PLAN_UNAVAILABLE);
        char buf[200], err[ERRLEN];
        plan_job_text(&none, PLAN_VLAN_SWITCH, buf, sizeof(buf));
        CHECK(strstr(buf, "userspace datapath") && strstr(buf, "CONFIG_BRIDGE_VLAN_FILTERING"),
              "%s", buf);

        struct lab *lab = lab_new("planunit", err);
        CHECK(lab != NULL, "%s", err);
        if (!lab)
                return;
        int s = lab_add_node(lab, "s1", &kind_switch, "t.lua:1", err);
        int p = lab_add_node(lab, "s2", &kind_switch, "t.lua:2", err);
        int h = lab_add_node(lab, "h1", &kind_host, "t.lua:3", err);
        struct link_params lp = {0};
        int l = lab_add_link(lab, h, s, &lp, NULL, NULL, "t.lua:4", err);
        lab_add_link(lab, h, p, &lp, NULL, NULL, "t.lua:5", err);
        CHECK(l >= 0, "%s", err);
        CHECK(lab_port_add_vlan(lab, lab->links[l].b, 10, true, true, err) == 0, "%s", err);
        lab->feat = none;
        CHECK(plan_switch_in_userspace(lab, s) && !plan_switch_in_userspace(lab, p));
        CHECK(plan_needs_datapath(lab));
        lab->feat = all;
        CHECK(!plan_switch_in_userspace(lab, s) && !plan_needs_datapath(lab));
        lab->links[l].p.delay_us = 5000;
        lab->feat = none;
        CHECK(plan_check(lab, err) == 0, "%s", err);
        CHECK(plan_link_on_wire(lab, l) && plan_needs_datapath(lab));
        lab->feat = all;
        CHECK(!plan_link_on_wire(lab, l) && plan_check(lab, err) == 0, "%s", err);
        lab->links[l].p.delay_us = 0;
        lab->links[l].p.rate_bps = 1000000;
        lab->feat = none; /* no tbf, no htb, and a rate alone is not a wire's */
        CHECK(plan_check(lab, err) < 0 && strstr(err, "t.lua:4") &&
                  strstr(err, "CONFIG_NET_SCH_TBF"),
              "%s", err);
        lab_free(lab);
}

/* netem's decisions, frame by frame, on a fake clock. */
static void test_wire(void)
{
        char err[ERRLEN];
        struct dp_impair p;
        struct wire_dir d;
        uint8_t frame[100] = {0};
        enum { N = 100000 };

        CHECK(dp_impair_parse("delay=20000", &p, err) == 0, "%s", err);
        wire_dir_init(&d, &p, 42);
        CHECK(wire_enqueue(&d, frame, 100, 10, 1000) == 1);
        CHECK(wire_dequeue(&d, 1000 + 19999999) == NULL, "early");
        CHECK(wire_next(&d) == 1000 + 20000000);
        free(wire_dequeue(&d, 1000 + 20000000));
        wire_dir_free(&d);

        /* jitter, uniform (netem without a table): within delay +- jitter, sd = j/sqrt(3) */
        CHECK(dp_impair_parse("delay=10000 jitter=2000 limit=200000", &p, err) == 0, "%s", err);
        wire_dir_init(&d, &p, 7);
        double sum = 0, sq = 0;
        int64_t lo = INT64_MAX, hi = 0;
        for (int i = 0; i < N; i++)
                wire_enqueue(&d, frame, 100, 10, 0);
        for (struct wire_pkt *k; (k = wire_dequeue(&d, INT64_MAX - 1)); free(k)) {
                sum += (double)k->t_send;
                sq += (double)k->t_send * (double)k->t_send;
                lo = k->t_send < lo ? k->t_send : lo;
                hi = k->t_send > hi ? k->t_send : hi;
        }
        double mean = sum / N, sd = sqrt(sq / N - mean * mean);
        CHECK(lo >= 8000000 && hi < 12000000, "range %lld..%lld", (long long)lo, (long long)hi);
        CHECK(fabs(mean - 10e6) < 20e3, "mean %.0f", mean);
        CHECK(fabs(sd - 2e6 / sqrt(3)) < 0.02 * 2e6 / sqrt(3), "sd %.0f", sd);
        wire_dir_free(&d);

        /* normal jitter: sd = jitter */
        CHECK(dp_impair_parse("delay=50000 jitter=5000 dist=normal limit=200000", &p, err) == 0);
        wire_dir_init(&d, &p, 9);
        sum = sq = 0;
        for (int i = 0; i < N; i++)
                wire_enqueue(&d, frame, 100, 10, 0);
        for (struct wire_pkt *k; (k = wire_dequeue(&d, INT64_MAX - 1)); free(k)) {
                sum += (double)k->t_send;
                sq += (double)k->t_send * (double)k->t_send;
        }
        mean = sum / N;
        sd = sqrt(sq / N - mean * mean);
        CHECK(fabs(sd - 5e6) < 0.02 * 5e6 && fabs(mean - 50e6) < 50e3, "mean %.0f sd %.0f", mean,
              sd);
        wire_dir_free(&d);

        /* loss 10%, duplicate 5%, corrupt 2%, each alone: within 99% binomial
         * intervals (together, as netem, a duplicate is a second frame that
         * may be lost, and a lost original with a duplicate counts once) */
        double z = 2.576;
#define WITHIN(x, n, pr) (fabs((double)(x) - (n) * (pr)) <= z * sqrt((n) * (pr) * (1 - (pr))) + 1)
        static const struct {
                const char *text;
                double pr;
        } alone[] = {{"loss=100000", 0.10}, {"duplicate=50000", 0.05}, {"corrupt=20000", 0.02}};
        for (int a = 0; a < 3; a++) {
                char t[100];
                snprintf(t, sizeof(t), "%s limit=300000", alone[a].text);
                CHECK(dp_impair_parse(t, &p, err) == 0, "%s", err);
                wire_dir_init(&d, &p, 11 + (uint64_t)a);
                for (int i = 0; i < N; i++)
                        wire_enqueue(&d, frame, 100, 10, 0);
                uint64_t got = a == 0 ? d.st.lost : a == 1 ? d.st.duplicated : d.st.corrupted;
                CHECK(WITHIN(got, N, alone[a].pr), "%s: %llu of %d", alone[a].text,
                      (unsigned long long)got, N);
                wire_dir_free(&d);
        }
        for (int i = 0; i < 10; i++)
                CHECK(frame[i] == 0, "the caller's bytes are never changed");

        /* reorder 25% (gap 1): those frames leave at once, the others after the delay */
        CHECK(dp_impair_parse("delay=10000 reorder=250000 limit=200000", &p, err) == 0);
        wire_dir_init(&d, &p, 13);
        for (int i = 0; i < N; i++)
                wire_enqueue(&d, frame, 100, 10, 5);
        CHECK(WITHIN(d.st.reordered, N, 0.25), "reordered %llu",
              (unsigned long long)d.st.reordered);
        int now = 0;
        for (struct wire_pkt *k; (k = wire_dequeue(&d, 5)); free(k))
                now++;
        CHECK((uint64_t)now == d.st.reordered, "%d left at once", now);
        wire_dir_free(&d);

        /* rate 8 Mbit/s: a 1000-byte frame takes 1 ms; back to back, they space out */
        CHECK(dp_impair_parse("rate=8000000", &p, err) == 0);
        wire_dir_init(&d, &p, 1);
        uint8_t big[1010] = {0};
        for (int i = 0; i < 10; i++)
                wire_enqueue(&d, big, sizeof(big), 10, 0);
        int64_t last = 0;
        int i = 0;
        for (struct wire_pkt *k; (k = wire_dequeue(&d, INT64_MAX - 1)); free(k), i++) {
                CHECK(k->t_send == (int64_t)(i + 1) * 1000000, "frame %d at %lld", i,
                      (long long)k->t_send);
                last = k->t_send;
        }
        CHECK(last == 10000000);
        wire_dir_free(&d);

        /* a GSO frame is charged as the segments it becomes: 14+20+32 bytes of
         * headers and 10 x 1448 of TCP payload take 10 x 1514 on the wire */
        uint8_t gso[10 + 66 + 14480] = {0};
        struct virtio_net_hdr gh = {.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
                                    .gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
                                    .gso_size = 1448,
                                    .csum_start = 34,
                                    .csum_offset = 16,
                                    .hdr_len = 66};
        memcpy(gso, &gh, sizeof(gh));
        gso[10 + 34 + 12] = 8 << 4; /* TCP data offset: 32 bytes */
        CHECK(wire_frame_bytes(gso, sizeof(gso), 10) == 15140, "GSO TCP: %zu",
              wire_frame_bytes(gso, sizeof(gso), 10));
        CHECK(wire_frame_bytes(gso, 10 + 66 + 1000, 10) == 1066, "GSO with one segment: itself");
        CHECK(wire_frame_bytes(big, sizeof(big), 10) == 1000, "not GSO: the frame");
        gh.gso_type = VIRTIO_NET_HDR_GSO_UDP_L4;
        memcpy(gso, &gh, sizeof(gh));
        CHECK(wire_frame_bytes(gso, 10 + 42 + 3000, 10) == 3042 + 42 * 2, "GSO UDP: 3 segments");
        gh.csum_start = 60000;
        memcpy(gso, &gh, sizeof(gh));
        CHECK(wire_frame_bytes(gso, sizeof(gso), 10) == sizeof(gso) - 10, "a bad header: the frame");

        /* the queue limit */
        CHECK(dp_impair_parse("delay=1000 limit=5", &p, err) == 0);
        wire_dir_init(&d, &p, 1);
        for (int k = 0; k < 8; k++)
                wire_enqueue(&d, frame, 100, 10, 0);
        CHECK(d.n == 5 && d.st.dropped_limit == 3);
        wire_dir_free(&d);

        CHECK(dp_impair_parse("delay=-5", &p, err) < 0 && strstr(err, "delay=-5"), "%s", err);
        CHECK(dp_impair_parse("loss=1000001", &p, err) < 0);
        CHECK(dp_impair_parse("dist=gauss", &p, err) < 0 && strstr(err, "gauss"));
        CHECK(dp_impair_parse("speed=1", &p, err) < 0 && strstr(err, "speed"));
}

/* Gilbert-Elliott loss (netem's gemodel): p = 5%, r = 50%, h = 0, k = 100%
 * loses p / (p + r) = 9.1% of frames in bursts of 1 / r = 2 on average
 * (Bernoulli loss at that rate: bursts of 1.1). */
static void test_wire_ge(void)
{
        char err[ERRLEN];
        struct dp_impair p;
        struct wire_dir d;
        uint8_t frame[64] = {0};
        enum { N = 200000 };
        CHECK(dp_impair_parse("ge=1 ge_p=50000 ge_r=500000 ge_k=1000000", &p, err) == 0, "%s",
              err);
        char text[256];
        CHECK(dp_impair_format(&p, text, sizeof(text)) > 0 && strstr(text, "ge=1 ge_p=50000"),
              "%s", text);
        wire_dir_init(&d, &p, 99);
        int lost = 0, bursts = 0;
        bool prev = false;
        for (int i = 0; i < N; i++) {
                bool l = wire_enqueue(&d, frame, sizeof(frame), 0, i) == 0;
                lost += l;
                bursts += l && !prev;
                prev = l;
                for (struct wire_pkt *k; (k = wire_dequeue(&d, i));)
                        free(k);
        }
        double rate = (double)lost / N, burst = bursts ? (double)lost / bursts : 0;
        CHECK(rate > 0.085 && rate < 0.097, "GE loss rate %.4f (expected 0.0909)", rate);
        CHECK(burst > 1.85 && burst < 2.15, "GE mean burst %.3f (expected 2)", burst);
        wire_dir_free(&d);
}

/* A wire's direction taking new parameters keeps what it queued. */
static void test_wire_set(void)
{
        char err[ERRLEN];
        struct dp_impair p, q;
        struct wire_dir d;
        uint8_t frame[100] = {0};
        CHECK(dp_impair_parse("delay=50000", &p, err) == 0, "%s", err);
        CHECK(dp_impair_parse("loss=1000000", &q, err) == 0, "%s", err);
        wire_dir_init(&d, &p, 7);
        CHECK(wire_enqueue(&d, frame, 100, 10, 0) == 1);
        wire_dir_set(&d, &q);
        CHECK(d.n == 1, "the queued frame stays");
        CHECK(wire_next(&d) == 50000000, "... with its departure time");
        CHECK(wire_enqueue(&d, frame, 100, 10, 1) == 0 && d.st.lost == 1, "loss 100%% is in force");
        free(wire_dequeue(&d, 50000000));
        CHECK(d.st.sent == 1 && d.n == 0);
        wire_dir_free(&d);
}

/* The engine offline: a reconfiguration keeps a wire's queued frames (they
 * leave at their times, before frames the new parameters let through at
 * once), and a configuration whose port cannot be set up changes nothing. */
static void test_engine_reconfigure(void)
{
        char err[ERRLEN];
        int sv[2];
        CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0);
        struct dp_config a, b;
        dp_config_init(&a);
        dp_config_init(&b);
        CHECK(dp_config_add_wire(&a, "link1", "-", "w1a", "-", "w1b", err) == 0, "%s", err);
        CHECK(dp_impair_parse("delay=30000", &a.wire[0].dir[0], err) == 0);
        CHECK(dp_config_add_wire(&b, "link1", "-", "w1a", "-", "w1b", err) == 0, "%s", err);
        int sw = dp_config_add_switch(&b, "s1", err);
        CHECK(sw == 0 && dp_config_add_port(&b, sw, "-", "p1", err) == 0, "%s", err);
        CHECK(dp_config_port_vlan(&b, sw, 0, 1, true, true, err) == 0);
        struct dp_engine *e = dp_engine_offline(&a, sv[0], err);
        CHECK(e != NULL, "%s", err);
        if (!e)
                return;
        uint8_t f1[60] = {[0] = 2, [6] = 2, [12] = 0x08, [20] = 1};
        uint8_t f2[60] = {[0] = 2, [6] = 2, [12] = 0x08, [20] = 2};
        struct virtio_net_hdr vh = {0};
        int64_t t0 = monotime_ns();
        dp_engine_input(e, 0, f1, sizeof(f1), &vh, NULL, 1);
        char buf[200];
        CHECK(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT) < 0, "f1 waits its 30 ms");
        CHECK(dp_engine_reconfigure(e, &b, err) == 0, "%s", err);
        while (monotime_ns() - t0 < 35000000)
                usleep(1000);
        /* b's ports: s1:p1 first (index 0), then the wire's (1, 2) */
        dp_engine_input(e, 1, f2, sizeof(f2), &vh, NULL, 1); /* no delay now */
        ssize_t r1 = recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT);
        CHECK(r1 == (ssize_t)(sizeof(vh) + sizeof(f1)) && buf[sizeof(vh) + 20] == 1,
              "the frame queued before the change leaves first (%zd)", r1);
        ssize_t r2 = recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT);
        CHECK(r2 > 0 && buf[sizeof(vh) + 20] == 2, "then the new one, undelayed");
        /* A bad configuration: nothing changes. */
        struct dp_config bad;
        dp_config_init(&bad);
        CHECK(dp_config_add_wire(&bad, "link1", "-", "w1a", "-", "w1a", err) == 0);
        CHECK(dp_engine_reconfigure(e, &bad, err) < 0, "a port twice is refused");
        dp_engine_input(e, 1, f1, sizeof(f1), &vh, NULL, 1);
        CHECK(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT) > 0, "the engine still forwards");
        dp_engine_free(e);
        dp_config_free(&a);
        dp_config_free(&b);
        dp_config_free(&bad);
        close(sv[0]);
        close(sv[1]);
}

/* A wire puts back the 802.1Q tag the kernel moved into the metadata, and
 * shifts the checksum offsets by it: the same bytes whether the frame goes
 * straight through (sent as an iovec) or through the queue (copied). */
static void test_wire_tag(void)
{
        char err[ERRLEN];
        for (int delayed = 0; delayed < 2; delayed++) {
                int sv[2];
                CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0);
                struct dp_config c;
                dp_config_init(&c);
                CHECK(dp_config_add_wire(&c, "l1", "-", "w1a", "-", "w1b", err) == 0, "%s", err);
                if (delayed)
                        CHECK(dp_impair_parse("delay=1", &c.wire[0].dir[0], err) == 0, "%s", err);
                struct dp_engine *e = dp_engine_offline(&c, sv[0], err);
                CHECK(e != NULL, "%s", err);
                if (!e)
                        return;
                uint8_t f[60] = {[0] = 2, [5] = 1, [6] = 2, [11] = 2, [12] = 0x08, [20] = 7};
                struct virtio_net_hdr vh = {.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
                                            .csum_start = 34,
                                            .csum_offset = 16,
                                            .hdr_len = 54};
                struct tpacket_auxdata aux = {.tp_status = TP_STATUS_VLAN_VALID,
                                              .tp_vlan_tci = 0x2005};
                dp_engine_input(e, 0, f, sizeof(f), &vh, &aux, 1);
                uint8_t buf[200];
                ssize_t r = -1;
                for (int i = 0; i < 100 && r < 0; i++) {
                        r = recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT);
                        if (r < 0) {
                                usleep(1000);
                                dp_engine_input(e, 1, f, 0, &vh, NULL, 1); /* runs the queue */
                        }
                }
                struct virtio_net_hdr out;
                memcpy(&out, buf, sizeof(out));
                const uint8_t *fr = buf + sizeof(out);
                static const uint8_t tag[4] = {0x81, 0x00, 0x20, 0x05};
                CHECK(r == (ssize_t)(sizeof(out) + sizeof(f) + 4), "%s: %zd bytes",
                      delayed ? "queued" : "straight", r);
                CHECK(r > 0 && memcmp(fr, f, 12) == 0 && memcmp(fr + 12, tag, 4) == 0 &&
                          memcmp(fr + 16, f + 12, sizeof(f) - 12) == 0,
                      "%s: the tag is back after the MAC addresses", delayed ? "queued" : "straight");
                CHECK(out.csum_start == 38 && out.hdr_len == 58 && out.csum_offset == 16,
                      "%s: offsets shifted by the tag (%u %u)", delayed ? "queued" : "straight",
                      out.csum_start, out.hdr_len);
                dp_engine_free(e);
                dp_config_free(&c);
                close(sv[0]);
                close(sv[1]);
        }
}

/* The busy poll's window (dp_poll.h): it grows to cover gaps under the
 * bound, halves past it down to 0, drops to 0 when preempted, and stays 0
 * when polling is off. */
static void test_poll(void)
{
        struct dp_poll p;
        dp_poll_init(&p, 2000000);
        CHECK(p.window == 0, "starts without polling");
        dp_poll_blocked(&p, 5000000);
        CHECK(p.window == 0, "a gap past the bound: still 0");
        dp_poll_blocked(&p, 1000);
        CHECK(p.window == DP_POLL_START, "a short gap: the smallest window (%lld)",
              (long long)p.window);
        dp_poll_blocked(&p, 1000000);
        CHECK(p.window == 1250000, "a 1 ms gap: grown to cover it (%lld)", (long long)p.window);
        dp_poll_blocked(&p, 1900000);
        CHECK(p.window == 2000000, "never past the bound (%lld)", (long long)p.window);
        dp_poll_blocked(&p, 3000000);
        CHECK(p.window == 1000000, "a gap past the bound halves it (%lld)", (long long)p.window);
        for (int i = 0; i < 10; i++)
                dp_poll_blocked(&p, 1000000000);
        CHECK(p.window == 0, "an idle engine stops polling (%lld)", (long long)p.window);
        dp_poll_blocked(&p, 500000);
        CHECK(dp_poll_window(&p, 1000) == 625000, "the window to poll (%lld)",
              (long long)dp_poll_window(&p, 1000));
        dp_poll_preempted(&p, 1000);
        CHECK(p.window == 0, "preempted: 0 at once");
        dp_poll_blocked(&p, 500000);
        CHECK(dp_poll_window(&p, 1000 + DP_POLL_BACKOFF - 1) == 0,
              "no poll for DP_POLL_BACKOFF after a preempted poll");
        CHECK(dp_poll_window(&p, 1000 + DP_POLL_BACKOFF) == 625000, "then it polls again");
        int64_t t = 1000 + DP_POLL_BACKOFF;
        for (int i = 0; i < 10; i++)
                dp_poll_preempted(&p, t);
        dp_poll_blocked(&p, 500000);
        CHECK(dp_poll_window(&p, t + DP_POLL_BACKOFF_MAX - 1) == 0 &&
                  dp_poll_window(&p, t + DP_POLL_BACKOFF_MAX) > 0,
              "preempted again and again: the backoff doubles up to DP_POLL_BACKOFF_MAX");
        for (int i = 0; i < 10; i++)
                dp_poll_caught(&p);
        dp_poll_preempted(&p, t);
        CHECK(p.quiet_until == t + DP_POLL_BACKOFF, "polls that catch events bring it back down");
        dp_poll_init(&p, 2000000);
        dp_poll_blocked(&p, 500000);
        dp_poll_bulk(&p, t);
        CHECK(dp_poll_window(&p, t + DP_POLL_BULK_PAUSE - 1) == 0, "no poll after bulk traffic");
        dp_poll_blocked(&p, 500000);
        CHECK(dp_poll_window(&p, t + DP_POLL_BULK_PAUSE) > 0 && p.backoff == DP_POLL_BACKOFF,
              "then polls again, with no backoff added");
        dp_poll_init(&p, 2000000);
        CHECK(dp_poll_lead(&p, t) == DP_POLL_LEAD, "a wire's timer wakes DP_POLL_LEAD early");
        dp_poll_preempted(&p, t);
        CHECK(dp_poll_lead(&p, t + 1) == 0 && dp_poll_lead(&p, t + DP_POLL_BACKOFF) == DP_POLL_LEAD,
              "... not while polling backs off (it wakes at the departure)");
        dp_poll_bulk(&p, t);
        CHECK(dp_poll_lead(&p, t + 1) == 0, "... nor after bulk traffic");
        dp_poll_init(&p, 100000);
        CHECK(dp_poll_lead(&p, 0) == 100000, "... nor earlier than the poll's bound");
        dp_poll_init(&p, 0);
        dp_poll_blocked(&p, 1000);
        CHECK(p.window == 0, "polling off");
        CHECK(dp_poll_lead(&p, 0) == 0, "polling off: the timer wakes at the departure");
        CHECK(dp_poll_max_parse(NULL) == DP_POLL_MAX_DEFAULT && dp_poll_max_parse("0") == 0 &&
                  dp_poll_max_parse("50") == 50000,
              "NETLAB_DP_POLL_US in µs");
        CHECK(dp_poll_max_parse("") < 0 && dp_poll_max_parse("5ms") < 0 &&
                  dp_poll_max_parse("-1") < 0 && dp_poll_max_parse("2000000") < 0,
              "NETLAB_DP_POLL_US: bad values refused");
}

int main(void)
{
        test_poll();
        test_wire_tag();
        test_wire();
        test_wire_set();
        test_wire_ge();
        test_engine_reconfigure();
        test_plan();
        test_fw();
        test_config();
        return check_done("dp_unit");
}
