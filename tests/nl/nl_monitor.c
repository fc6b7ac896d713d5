/* nl_monitor.c — the link monitor: a link set down (by `ip`, from outside)
 * arrives as an event with IFF_UP cleared, a deleted link as a delete
 * event, an address change is counted; the socket never blocks. */
#include "nl.h"
#include "nlt.h"
#include <poll.h>

struct seen {
        int down, up, deleted;
        char name[16];
};

static void on_link(void *ud, bool deleted, const struct nl_link_info *li)
{
        struct seen *s = ud;
        if (strcmp(li->name, s->name))
                return;
        if (deleted)
                s->deleted++;
        else if (li->flags & 1u)
                s->up++;
        else
                s->down++;
}

/* Waits up to ms for events; returns the number read. */
static int pump(struct nl *m, struct seen *s, int ms)
{
        int total = 0;
        double end = now_us() + ms * 1000.0;
        while (now_us() < end) {
                struct pollfd p = {.fd = nl_fd(m), .events = POLLIN};
                if (poll(&p, 1, 50) > 0) {
                        int n = nl_monitor_read(m, on_link, s);
                        if (n < 0)
                                return -1;
                        total += n;
                }
        }
        return total;
}

int main(void)
{
        nlt_init();
        char err[ERRLEN], ns[32];
        int fd = nlt_netns("m", ns, sizeof(ns));
        run("ip -n %s link add x1 up type veth peer x2", ns);
        run("ip -n %s link set x2 up", ns);
        struct nl *m = nl_monitor_open(fd, err);
        CHECK(m, "monitor: %s", err);
        if (!m)
                return nlt_done("nl_monitor");
        struct seen s = {.name = "x1"};
        /* Nothing queued: returns at once with 0. */
        double t0 = now_us();
        CHECK(nl_monitor_read(m, on_link, &s) == 0, "events before any change");
        CHECK(now_us() - t0 < 100000, "read blocked");

        run("ip -n %s link set x1 down", ns);
        CHECK(pump(m, &s, 500) > 0, "no event");
        CHECK(s.down >= 1, "x1 down not seen (down %d up %d)", s.down, s.up);
        run("ip -n %s link set x1 up", ns);
        pump(m, &s, 300);
        CHECK(s.up >= 1, "x1 up not seen");
        int n0 = pump(m, &s, 0);
        (void)n0;
        run("ip -n %s addr add 10.55.0.1/24 dev x1", ns);
        CHECK(pump(m, &s, 300) >= 1, "address event not counted");
        run("ip -n %s link del x1", ns);
        pump(m, &s, 300);
        CHECK(s.deleted == 1, "delete seen %d times", s.deleted);
        nl_close(m);
        return nlt_done("nl_monitor");
}
