/* test_pingmatrix.c — pingall's report: one column per destination in
 * node order whatever order the pings finished in, X where one failed, the
 * RTTs of pingallfull, and iputils ping's summary parsed. */
#include "check.h"
#include "pingmatrix.h"
#include <stdlib.h>
#include <string.h>

int main(void)
{
        struct ping_result p;
        CHECK(ping_parse("PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.\n"
                         "64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.050 ms\n\n"
                         "--- 10.0.0.2 ping statistics ---\n"
                         "1 packets transmitted, 1 received, 0% packet loss, time 0ms\n"
                         "rtt min/avg/max/mdev = 0.050/0.051/0.052/0.001 ms\n",
                         &p) == 0);
        CHECK(p.sent == 1 && p.received == 1 && p.min == 0.050 && p.avg == 0.051 &&
              p.max == 0.052 && p.mdev == 0.001);
        CHECK(ping_parse("--- x ping statistics ---\n"
                         "12 packets transmitted, 0 received, 100% packet loss, time 11ms\n",
                         &p) == 0 &&
              p.sent == 12 && p.received == 0);
        CHECK(ping_parse("ping: unknown host\n", &p) == -1 && p.sent == 0);

        const char *names[] = {"h1", "h2", "h3"};
        struct ping_result r[9] = {0};
        for (int i = 0; i < 9; i++)
                r[i] = (struct ping_result){true, 1, 1, 0.1, 0.2, 0.3, 0.0};
        r[0 * 3 + 1].received = 0; /* h1 -> h2 failed */
        r[2 * 3 + 0].received = 0; /* h3 -> h1 failed */
        int ok, all;
        char *s = ping_matrix_format(names, 3, r, false, &ok, &all);
        CHECK(s && strcmp(s, "*** Ping: testing ping reachability\n"
                             "h1 -> X  h3\n"
                             "h2 -> h1 h3\n"
                             "h3 -> X  h2\n"
                             "*** Results: 33% dropped (4/6 received)\n") == 0);
        CHECK(ok == 4 && all == 6);
        free(s);
        s = ping_matrix_format(names, 3, r, true, NULL, NULL);
        CHECK(s && strstr(s, " h1->h3: 1/1, rtt min/avg/max/mdev 0.100/0.200/0.300/0.000 ms\n"));
        CHECK(s && strstr(s, " h1->h2: 0/1, no reply\n"));
        CHECK(s && strstr(s, "*** 33% dropped (4/6 received)\n"));
        free(s);
        const char *wide[] = {"a", "host2"};
        struct ping_result r2[4] = {{0}, {true, 1, 0, 0, 0, 0, 0}, {true, 1, 1, 0, 0, 0, 0}, {0}};
        s = ping_matrix_format(wide, 2, r2, false, NULL, NULL);
        CHECK(s && strstr(s, "\na     -> X\nhost2 -> a\n"));
        free(s);
        return check_done("ui_unit_pingmatrix");
}
