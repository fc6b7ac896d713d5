/* cmd_capture.c — `capture A B [FILE]`, `capture stop`: frames on a link,
 * written to a pcap file and decoded, one line each, in the output pane
 * while they pass. The capture sits on A's end of the link (capture.h); its
 * socket is one more source of the console's loop (EV_CAP). */
#include "capture.h"
#include "commands.h"
#include "console.h"
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void cap_line(void *ud, const struct capture_frame *f)
{
        struct console *c = ud;
        char line[512];
        int n = snprintf(line, sizeof(line), "%8.3f %s %s\n", f->t, f->outgoing ? ">" : "<",
                         f->line);
        con_output(c, line, (size_t)(n < (int)sizeof(line) ? n : (int)sizeof(line) - 1));
}

void capture_ui_event(struct console *c)
{
        char err[ERRLEN];
        if (c->cap && capture_read(c->cap, cap_line, c, err) < 0)
                con_msg(c, true, "capture: %s", err);
}

int capture_ui_stop(struct console *c, char *err)
{
        if (!c->cap)
                return 0;
        con_ep_del(c, capture_fd(c->cap));
        long n = capture_count(c->cap);
        int rc = capture_stop(c->cap, cap_line, c, err);
        c->cap = NULL;
        if (rc == 0)
                con_msg(c, false, "capture on %s stopped: %ld frames%s%s", c->cap_label, n,
                        c->cap_path[0] ? " in " : "", c->cap_path);
        return rc;
}

int c_capture(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)rest;
        if (argc == 1 && !strcmp(argv[0], "stop")) {
                if (!c->cap)
                        return errf(err, "capture: no capture is running");
                return capture_ui_stop(c, err);
        }
        if (argc < 2)
                return errf(err, "usage: capture A B [FILE.pcap] | capture stop");
        if (cmd_need_up(c, err) < 0)
                return -1;
        int a = cmd_need_node(c, argv[0], err), b = a < 0 ? -1 : cmd_need_node(c, argv[1], err);
        if (b < 0)
                return -1;
        int l = lab_find_link(c->lab, a, b);
        if (l < 0)
                return errf(err, "capture: no link between %s and %s", argv[0], argv[1]);
        const struct link *lk = &c->lab->links[l];
        int ifx = c->lab->ifaces[lk->a].node == a ? lk->a : lk->b;
        if (c->cap && capture_ui_stop(c, err) < 0)
                return -1;
        if (argc == 3) {
                snprintf(c->cap_path, sizeof(c->cap_path), "%s", argv[2]);
        } else { /* beside the lab file, else in the current directory */
                char dir[PATH_MAX];
                snprintf(dir, sizeof(dir), "%s", c->lab_path);
                const char *d = dirname(dir);
                if (access(d, W_OK) < 0)
                        d = ".";
                char stamp[32];
                time_t t = time(NULL);
                struct tm tm;
                localtime_r(&t, &tm);
                strftime(stamp, sizeof(stamp), "%H%M%S", &tm);
                snprintf(c->cap_path, sizeof(c->cap_path), "%s/%s-%s-%s-%s.pcap", d,
                         c->lab->name, argv[0], argv[1], stamp);
        }
        c->cap = capture_start(c->lab, ifx, c->cap_path, err);
        if (!c->cap)
                return -1;
        iface_label(c->lab, ifx, c->cap_label, sizeof(c->cap_label));
        con_ep_add(c, capture_fd(c->cap), EV_CAP, 0);
        char head[PATH_MAX + 128];
        int n = snprintf(head, sizeof(head), "capture on %s (link %s -- %s) into %s\n",
                         c->cap_label, argv[0], argv[1], c->cap_path);
        con_output(c, head, (size_t)(n < (int)sizeof(head) ? n : (int)sizeof(head) - 1));
        con_msg(c, false, "capturing on %s into %s (capture stop ends it)", c->cap_label,
                c->cap_path);
        return 0;
}
