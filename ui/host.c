/* host.c — `netlab host`: the console on the machine's namespaces.
 *
 * The model is hostview.c's: a lab that is only a view. A thread scans the
 * machine (ns_scan reads /proc and asks every namespace over netlink: too
 * slow for the loop) once a second and hands each scan to the loop through
 * a pipe, as a pointer; the loop applies the newest one in place (nodes and
 * links keep their indices, the graph is laid out again when something came
 * or went). Nothing here changes the machine: the commands that would are
 * refused (host_refuses), and panes are shells the person types into. */
#include "host.h"
#include "console.h"
#include "monotime.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define RESCAN_MS 1000

struct host_ui {
        struct hostview hv;
        pthread_t th;
        bool running;
        int fds[2];    /* scans: the thread writes pointers, the loop reads */
        int stop[2];   /* closed write end: the thread leaves */
        long long scans; /* applied, for the log */
};

static struct host_ui g_host;

/* A scan a second, or a pause of twice the last scan's time when that is
 * longer: with 10,000 namespaces a scan takes 2-3 s, and back to back they
 * took half a CPU. */
static void *scanner(void *arg)
{
        struct host_ui *h = arg;
        int wait_ms = RESCAN_MS;
        for (;;) {
                struct pollfd p = {.fd = h->stop[0], .events = POLLIN};
                if (poll(&p, 1, wait_ms) != 0)
                        break; /* stopped (or poll failed: stop too) */
                struct ns_scan *s = malloc(sizeof(*s));
                char err[ERRLEN];
                if (!s)
                        continue;
                double t0 = monotime_s();
                int rc = ns_scan(s, err);
                double ms = (monotime_s() - t0) * 1000;
                wait_ms = ms * 2 > RESCAN_MS ? (ms * 2 < 60000 ? (int)(ms * 2) : 60000) : RESCAN_MS;
                if (rc < 0) {
                        free(s);
                        continue;
                }
                if (write(h->fds[1], &s, sizeof(s)) != (ssize_t)sizeof(s)) {
                        ns_scan_free(s); /* the loop is behind: the next one will do */
                        free(s);
                }
        }
        return NULL;
}

static void follow(struct console *c, int changed)
{
        if (changed <= 0)
                return;
        struct lab *lab = c->lab;
        monitors_follow(c);
        if (c->in.node >= 0 && !lab_node_live(lab, c->in.node)) {
                inspect_free(&c->in); /* its socket would keep the namespace */
                c->in.node = -1;
        }
        if (!lab_node_live(lab, c->sel))
                for (int i = 0; i < lab->nnodes; i++)
                        if (lab_node_live(lab, i)) {
                                con_select_node(c, i);
                                break;
                        }
        c->relayout = true;
        c->dirty = true;
}

int host_start(struct console *c, char *err)
{
        struct host_ui *h = &g_host;
        memset(h, 0, sizeof(*h));
        h->fds[0] = h->fds[1] = h->stop[0] = h->stop[1] = -1;
        if (hostview_init(&h->hv, err) < 0)
                return -1;
        /* No descriptor per namespace (hostview.h): no limit to raise. */
        struct ns_scan s;
        int rc = ns_scan(&s, err);
        if (rc < 0 || hostview_apply(&h->hv, &s, err) < 0) {
                hostview_free(&h->hv);
                return -1;
        }
        if (pipe2(h->fds, O_CLOEXEC | O_NONBLOCK) < 0 || pipe2(h->stop, O_CLOEXEC) < 0) {
                errf_sys(err, NULL, "Cannot make the scanner's pipes");
                host_stop(c);
                return -1;
        }
        c->host = h;
        c->lab = h->hv.lab;
        for (int i = 0; i < c->lab->nnodes; i++)
                if (lab_node_live(c->lab, i)) {
                        c->sel = i;
                        break;
                }
        sigset_t all, old; /* the scanner takes no signal: they are the loop's */
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, &old);
        int e = pthread_create(&h->th, NULL, scanner, h);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (e) {
                errno = e;
                errf_sys(err, NULL, "Cannot start the scanner");
                c->host = NULL;
                host_stop(c);
                return -1;
        }
        h->running = true;
        return 0;
}

int host_fd(const struct console *c)
{
        return c->host ? c->host->fds[0] : -1;
}

void host_event(struct console *c)
{
        struct host_ui *h = c->host;
        struct ns_scan *s, *last = NULL;
        while (read(h->fds[0], &s, sizeof(s)) == (ssize_t)sizeof(s)) {
                if (last) {
                        ns_scan_free(last);
                        free(last);
                }
                last = s;
        }
        if (!last)
                return;
        char err[ERRLEN];
        int changed = hostview_apply(&h->hv, last, err);
        free(last);
        h->scans++;
        if (changed < 0)
                con_log(c, "host view: %s", err);
        else if (changed > 0)
                con_log(c, "host view: scan %lld: %d namespaces, %d nodes", h->scans,
                        h->hv.scan.n, h->hv.lab->nnodes);
        follow(c, changed);
        c->inspect_at = 0; /* the facts may have changed */
}

void host_stop(struct console *c)
{
        struct host_ui *h = &g_host;
        if (h->running) {
                close(h->stop[1]);
                h->stop[1] = -1;
                pthread_join(h->th, NULL);
                h->running = false;
        }
        if (h->fds[0] >= 0) {
                struct ns_scan *s;
                while (read(h->fds[0], &s, sizeof(s)) == (ssize_t)sizeof(s)) {
                        ns_scan_free(s);
                        free(s);
                }
                con_ep_del(c, h->fds[0]);
        }
        for (int i = 0; i < 2; i++) {
                if (h->fds[i] >= 0)
                        close(h->fds[i]);
                if (h->stop[i] >= 0)
                        close(h->stop[i]);
                h->fds[i] = h->stop[i] = -1;
        }
        hostview_free(&h->hv);
        c->host = NULL;
}

/* The commands that would change the machine: a view has no lab to set
 * links of, run experiments in, reset, rebuild or clean up after. */
static const struct {
        const char *name, *why;
} refused[] = {
    {"link", "it would set an interface of the machine up or down"},
    {"exp", "the host view has no experiments"},
    {"add", "it would add to the machine"},
    {"del", "it would delete from the machine"},
    {"addr", "it would add an address"},
    {"route", "it would add a route"},
    {"set", "it would change a link or a port"},
    {"reset", "there is no lab file to reset to"},
    {"reload", "there is no lab file to reload"},
    {"clean", "it would remove other labs' leftovers"},
    {"lua", "there is no lab in scope"},
    {"ping", "it would send traffic between namespaces it did not make"},
    {"pingall", "it would send traffic between namespaces it did not make"},
    {"pingallfull", "it would send traffic between namespaces it did not make"},
    {"pingpair", "it would send traffic between namespaces it did not make"},
    {"iperf", "it would send traffic between namespaces it did not make"},
    {"iperfudp", "it would send traffic between namespaces it did not make"},
};

bool host_refuses(struct console *c, int argc, char **argv, char *err)
{
        if (!c->host || argc < 1)
                return false;
        for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
                if (!strcmp(argv[0], refused[i].name)) {
                        errf(err, "%s: not on the host view (read-only: %s); type it in a "
                                  "pane (term NODE) to change the machine",
                             argv[0], refused[i].why);
                        return true;
                }
        size_t l = argc > 1 ? strlen(argv[1]) : 0;
        if (!strcmp(argv[0], "save") && l > 4 && !strcmp(argv[1] + l - 4, ".lua")) {
                errf(err, "save %s: not on the host view (read-only: it is not a lab); save "
                          "a pane's text with save FILE [PANE]",
                     argv[1]);
                return true;
        }
        return false;
}

const struct ns_entry *host_entry(const struct console *c, int node)
{
        return c->host ? hostview_entry(&c->host->hv, node) : NULL;
}

int host_namespaces(const struct console *c)
{
        return c->host ? c->host->hv.scan.n : 0;
}

const struct ns_scan *host_scan(const struct console *c)
{
        return c->host ? &c->host->hv.scan : NULL;
}
