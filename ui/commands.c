/* commands.c — the console's command table and the line executor, with
 * the commands about the lab itself (nodes, links, net, dump, link, term,
 * select, clean, quit, help). A line whose first word names a node runs the
 * rest of the line in that node as a job. Nothing here blocks the loop:
 * the commands that change the kernel (link, reset, reload, add, del, addr,
 * route, set, clean) run on the command worker (cmdwork.h). */
#include "words.h"
#include "console.h"
#include "export.h"
#include "clean.h"
#include "service.h"
#include "swclass.h"
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/socket.h>

const char *con_node_name(void *ud, int i)
{
        struct console *c = ud;
        return i < c->lab->nnodes ? c->lab->nodes[i].name : NULL;
}

int cmd_need_node(struct console *c, const char *name, char *err)
{
        const struct lab *lab = c->lab;
        int n = lab_find_node(lab, name);
        if (lab_node_live(lab, n))
                return n;
        /* Its nodes when they are few, as `netlab exec` says; else the
         * nearest names (a typo) and where the whole list is. */
        char list[256] = "";
        int live = 0, near = 0;
        for (int i = 0; i < lab->nnodes; i++)
                live += lab_node_live(lab, i);
        for (int i = 0; i < lab->nnodes; i++) {
                if (!lab_node_live(lab, i) ||
                    (live > 12 && word_distance(name, lab->nodes[i].name) > 1))
                        continue;
                size_t l = strlen(list);
                if (l + strlen(lab->nodes[i].name) + 8 >= sizeof(list))
                        break;
                snprintf(list + l, sizeof(list) - l, "%s%s", !l ? "" : live > 12 ? ", " : " ",
                         lab->nodes[i].name);
                near++;
        }
        errno = ENOENT;
        if (live <= 12)
                return errf(err, "No node \"%s\" in lab %s (its nodes: %s)", name, lab->name,
                            list[0] ? list : "none");
        return errf(err, "No node \"%s\" in lab %s (%s%s%s`nodes` lists its %d)", name,
                    lab->name, near ? "did you mean " : "", list, near ? "? " : "", live);
}

bool con_node_ipv4(struct console *c, int node, char *buf, size_t len)
{
        const struct node *n = &c->lab->nodes[node];
        for (int k = 0; k < n->nifaces; k++) {
                const struct iface *f = &c->lab->ifaces[n->ifaces[k]];
                for (int a = 0; a < f->naddr; a++)
                        if (f->addr[a].family == AF_INET) {
                                ipaddr_format(&f->addr[a], false, buf, len);
                                return true;
                        }
        }
        return false;
}

/* cmd_subst_nodes' lookup: a node's name gives its address. */
static bool node_addr(void *ud, const char *word, char *buf, size_t len)
{
        struct console *c = ud;
        int n = lab_find_node(c->lab, word);
        return lab_node_live(c->lab, n) && con_node_ipv4(c, n, buf, len);
}

int cmd_need_up(struct console *c, char *err)
{
        if (!c->built) {
                errno = ENOTCONN;
                return errf(err, "The lab is not up");
        }
        return 0;
}

/* `NODE cmd ...` ended. */
static void node_cmd_done(struct console *c, struct job *j)
{
        char t[64];
        int st = j->j.status;
        int n = snprintf(t, sizeof(t), "[exit %d]\n", st);
        job_output(c, j, t, (size_t)n);
        if (j->sigs > 0) /* Ctrl-C or kill N: what was asked, not a failure */
                con_msg(c, false, "%s: interrupted (exit %d)", j->label, st);
        else
                con_msg(c, st != 0, "%s: exit %d", j->label, st);
}

static int c_help(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)rest;
        if (argc == 1) {
                const struct cmd_entry *e = cmd_find(con_commands, argv[0], err);
                if (!e)
                        return -1;
                con_msg(c, false, "%s %s: %s", e->name, e->usage, e->help);
                /* Wider than the message line: whole in the output pane too,
                 * as a long error is. */
                if (COLS > 0 && str_cells(c->msg) > COLS) {
                        char line[sizeof(c->msg) + 2];
                        int n = snprintf(line, sizeof(line), "%s\n", c->msg);
                        con_output(c, line, n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1);
                }
                return 0;
        }
        c->keys.help = true;
        c->keys.help_top = 0;
        return 0;
}

static int c_nodes(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest, (void)err;
        char buf[4096];
        size_t o = (size_t)snprintf(buf, sizeof(buf), "available nodes are:");
        for (int i = 0; i < c->lab->nnodes && o + 32 < sizeof(buf); i++)
                if (lab_node_live(c->lab, i))
                        o += (size_t)snprintf(buf + o, sizeof(buf) - o, " %s",
                                              c->lab->nodes[i].name);
        con_msg(c, false, "%s", buf);
        buf[o++] = '\n';
        con_output(c, buf, o);
        return 0;
}

static int c_links(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest, (void)err;
        int down = 0, live = 0;
        for (int l = 0; l < c->lab->nlinks; l++) {
                if (!lab_link_live(c->lab, l))
                        continue;
                live++;
                char a[64], b[64], line[200];
                iface_label(c->lab, c->lab->links[l].a, a, sizeof(a));
                iface_label(c->lab, c->lab->links[l].b, b, sizeof(b));
                bool up = mon_link_up(c, l);
                down += !up;
                int n = snprintf(line, sizeof(line), "%s<->%s (%s)\n", a, b, up ? "OK OK" : "down");
                con_output(c, line, (size_t)n);
        }
        con_msg(c, false, "%d link%s, %d down", live, live == 1 ? "" : "s", down);
        return 0;
}

/* One line per node (those with flag, 0: all): its name, then a cell per
 * interface written by cell (net, intfs, ports). Returns how many nodes. */
typedef int (*iface_cell_fn)(struct console *c, int k, int iface, char *buf, size_t len);
static int node_rows(struct console *c, unsigned flag, const char *after_name, iface_cell_fn cell)
{
        int rows = 0;
        for (int i = 0; i < c->lab->nnodes; i++) {
                const struct node *n = &c->lab->nodes[i];
                if (!lab_node_live(c->lab, i) || (flag && !lab_node_has(c->lab, i, flag)))
                        continue;
                rows++;
                char line[2048];
                size_t o = (size_t)snprintf(line, sizeof(line), "%s%s", n->name, after_name);
                for (int k = 0; k < n->nifaces && o + 80 < sizeof(line); k++)
                        o += (size_t)cell(c, k, n->ifaces[k], line + o, sizeof(line) - o);
                line[o++] = '\n';
                con_output(c, line, o);
        }
        return rows;
}

/* "h1:eth0", the other end of iface, or dflt. */
static void peer_label(struct console *c, int iface, const char *dflt, char *buf, size_t len)
{
        int p = lab_iface_peer(c->lab, iface);
        if (p >= 0)
                iface_label(c->lab, p, buf, len);
        else
                snprintf(buf, len, "%s", dflt);
}

static int net_cell(struct console *c, int k, int iface, char *buf, size_t len)
{
        (void)k;
        char peer[64];
        peer_label(c, iface, "", peer, sizeof(peer));
        return snprintf(buf, len, " %s:%s", c->lab->ifaces[iface].name, peer);
}

static int c_net(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest, (void)err;
        node_rows(c, 0, "", net_cell);
        return 0;
}

static int c_dump(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest, (void)err;
        for (int i = 0; i < c->lab->nnodes; i++) {
                const struct node *n = &c->lab->nodes[i];
                if (!lab_node_live(c->lab, i))
                        continue;
                char line[2048];
                size_t o = (size_t)snprintf(line, sizeof(line), "<%s %s:", n->kind->name,
                                            n->name);
                for (int k = 0; k < n->nifaces && o + 80 < sizeof(line); k++) {
                        const struct iface *f = &c->lab->ifaces[n->ifaces[k]];
                        char ip[64] = "None";
                        if (f->naddr > 0)
                                ipaddr_format(&f->addr[0], true, ip, sizeof(ip));
                        o += (size_t)snprintf(line + o, sizeof(line) - o, "%s%s:%s", k ? "," : " ",
                                              f->name, ip);
                }
                o += (size_t)snprintf(line + o, sizeof(line) - o, " netns=%s>\n",
                                      n->netns_name[0] ? n->netns_name : "-");
                con_output(c, line, o);
        }
        return 0;
}

static int c_link(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)rest;
        int a = cmd_need_node(c, argv[0], err), b = a < 0 ? -1 : cmd_need_node(c, argv[1], err);
        if (a < 0 || b < 0 || cmd_need_up(c, err) < 0)
                return -1;
        bool up;
        if (!strcmp(argv[2], "set") || !strcmp(argv[2], "show") || !strcmp(argv[2], "clear"))
                return c_link_params(c, argc, argv, err);
        if (argc > 3) {
                errno = EINVAL;
                return errf(err, "Usage: link A B up|down|set|show|clear");
        }
        if (strcmp(argv[2], "up") == 0)
                up = true;
        else if (strcmp(argv[2], "down") == 0)
                up = false;
        else {
                errno = EINVAL;
                return errf(err, "Usage: link A B up|down|set|show|clear (not \"%s\")", argv[2]);
        }
        int l = lab_find_link(c->lab, a, b);
        if (l < 0) {
                errno = ENOENT;
                return errf(err, "No link between %s and %s", argv[0], argv[1]);
        }
        if (lab_link_set_up(c->lab, l, up, err) < 0)
                return -1;
        con_msg(c, false, "link %s %s %s", argv[0], argv[1], up ? "up" : "down");
        return 0;
}

static int intfs_cell(struct console *c, int k, int iface, char *buf, size_t len)
{
        return snprintf(buf, len, "%s%s", k ? "," : " ", c->lab->ifaces[iface].name);
}

/* `intfs`: each node's interfaces (Mininet's intfs). */
static int c_intfs(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest, (void)err;
        node_rows(c, 0, ":", intfs_cell);
        return 0;
}

static int ports_cell(struct console *c, int k, int iface, char *buf, size_t len)
{
        char peer[64];
        peer_label(c, iface, "-", peer, sizeof(peer));
        return snprintf(buf, len, " %s:%d(%s)", c->lab->ifaces[iface].name, k + 1, peer);
}

/* `ports`: each switch's ports, numbered in their order on the bridge
 * (Mininet's "s1 lo:0 s1-eth1:1 ..."), with the node behind each. */
static int c_ports(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest, (void)err;
        if (node_rows(c, KIND_BRIDGE, "", ports_cell) == 0)
                con_msg(c, false, "This lab has no switches");
        return 0;
}

/* A word after dpctl's CMD that is no switch's name: a match's protocol
 * shorthand (`dump-flows tcp`), a port's number or name, an option, a
 * field (`table=0`). */
static bool dpctl_not_switch(const struct lab *lab, const char *w)
{
        static const char *const words[] = {"ip",   "ipv6", "icmp", "icmp6", "tcp",  "tcp6",
                                            "udp",  "udp6", "sctp", "sctp6", "arp",  "rarp",
                                            "mpls", "mplsm", "local", "none", "any", NULL};
        if (!((w[0] >= 'a' && w[0] <= 'z') || (w[0] >= 'A' && w[0] <= 'Z')) ||
            w[strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")])
                return true;
        for (int i = 0; words[i]; i++)
                if (!strcasecmp(w, words[i]))
                        return true;
        for (int n = 0; n < lab->nnodes; n++)
                if (lab_node_live(lab, n) && lab_node_has(lab, n, KIND_BRIDGE) &&
                    lab_find_iface(lab, n, w) >= 0)
                        return true;
        return false;
}

/* "CMD ARGS" with word k (1: the one after CMD; 0: none) taken out, from the line
 * as typed (rest), or from the words when k is not there plainly. */
static void dpctl_without(const char *rest, int argc, char **argv, int k, char *out, size_t len)
{
        const char *p = rest + strspn(rest, " \t");
        for (int i = 0; i < k && *p; i++) {
                p += strcspn(p, " \t");
                p += strspn(p, " \t");
        }
        size_t wl = k > 0 ? strlen(argv[k]) : 0;
        if (k == 0) {
                snprintf(out, len, "%s", rest);
        } else if (!strncmp(p, argv[k], wl) && (!p[wl] || p[wl] == ' ' || p[wl] == '\t')) {
                const char *after = p + wl + strspn(p + wl, " \t");
                snprintf(out, len, "%.*s%s", (int)(p - rest), rest, after);
        } else {
                size_t o = 0;
                out[0] = '\0';
                for (int i = 0; i < argc && o < len; i++)
                        if (i != k)
                                o += (size_t)snprintf(out + o, len - o, "%s%s", o ? " " : "",
                                                      argv[i]);
        }
        size_t l = strlen(out);
        while (l && (out[l - 1] == ' ' || out[l - 1] == '\t'))
                out[--l] = '\0';
}

/* True for ovs-ofctl's commands that only look (show, dump-*): every switch
 * class answers those with its own view; the others need OpenFlow. */
static bool dpctl_reads(const char *cmd)
{
        return !strncmp(cmd, "show", 4) || !strncmp(cmd, "dump", 4);
}

/* `dpctl CMD [ARGS...]`: Mininet's dpctl, on every switch, each under a
 * "*** s1 ---" header; `dpctl CMD SWITCH [ARGS...]` (ovs-ofctl's order) or
 * `dpctl CMD [ARGS...] SWITCH` on that one. Each switch's class's own view
 * (swclass.h), run as a job on the host: ovs-ofctl against the lab's OVS,
 * a bridge's FDB and VLANs, the userspace datapath's table. */
static int c_dpctl(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        if (cmd_need_up(c, err) < 0)
                return -1;
        struct lab *lab = c->lab;
        int only = -1, at = 0;
        for (int k = 1; k < argc && only < 0; k = k == 1 && argc > 2 ? argc - 1 : argc) {
                int n = lab_find_node(lab, argv[k]);
                if (lab_node_live(lab, n))
                        only = n, at = k;
        }
        if (only >= 0 && !lab_node_has(lab, only, KIND_BRIDGE))
                return errf(err, "dpctl: \"%s\" is a %s, not a switch", argv[at],
                            lab->nodes[only].kind->name);
        if (only < 0 && argc >= 2 && !dpctl_not_switch(lab, argv[1])) {
                char names[160] = "";
                size_t o = 0;
                for (int i = 0; i < lab->nnodes && o < sizeof(names); i++)
                        if (lab_node_live(lab, i) && lab_node_has(lab, i, KIND_BRIDGE))
                                o += (size_t)snprintf(names + o, sizeof(names) - o, "%s%s",
                                                      o ? " " : "", lab->nodes[i].name);
                errno = ENOENT;
                return errf(err, "dpctl: no switch \"%s\" in lab %s (%s%s)", argv[1], lab->name,
                            o ? "switches: " : "it has none", names);
        }
        char cmd[1024], label[128];
        dpctl_without(rest, argc, argv, at, cmd, sizeof(cmd));
        snprintf(label, sizeof(label), "dpctl %s", rest);
        bool reads = dpctl_reads(cmd);
        if (only >= 0 && !reads && !swclass_get(swclass_of(lab, only))->openflow)
                return errf(err, "dpctl %s: %s is a %s, not an OpenFlow switch (switch class "
                                 "\"ovs\": --switch ovs, or class = \"ovs\" in the lab file)",
                            argv[0], argv[at], swclass_get(swclass_of(lab, only))->what);
        size_t len = 0, cap = 4096;
        char *sh = malloc(cap);
        if (!sh)
                return errf_sys(err, NULL, "dpctl");
        sh[0] = '\0';
        for (int i = 0; i < lab->nnodes; i++) {
                if (!lab_node_live(lab, i) || !lab_node_has(lab, i, KIND_BRIDGE) ||
                    (only >= 0 && i != only))
                        continue;
                char one[8192];
                const struct switch_class *k = swclass_get(swclass_of(lab, i));
                if (!reads && !k->openflow)
                        continue; /* every switch: the OpenFlow ones change */
                if (k->dpctl(lab, i, cmd, one, sizeof(one), err) < 0) {
                        free(sh);
                        return -1;
                }
                size_t ol = strlen(one);
                if (len + ol + 4 > cap) {
                        cap = (len + ol + 4) * 2;
                        char *n = realloc(sh, cap);
                        if (!n) {
                                free(sh);
                                return errf_sys(err, NULL, "dpctl");
                        }
                        sh = n;
                }
                len += (size_t)snprintf(sh + len, cap - len, "%s%s", len ? "; " : "", one);
        }
        if (!len) {
                free(sh);
                return errf(err, "dpctl %s: lab %s has no %sswitch%s", argv[0], lab->name,
                            reads ? "" : "OpenFlow ",
                            reads ? "" : " (switch class \"ovs\": --switch ovs, or class = "
                                         "\"ovs\" in the lab file)");
        }
        int rc = job_start_as(c, PROC_HOST, -1, sh, label, false, node_cmd_done, err);
        free(sh);
        return rc < 0 ? -1 : 0;
}

/* `sh CMD`: a shell command where netlab runs (Mininet's sh). */
static int c_sh(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv;
        return job_start(c, PROC_HOST, -1, rest, false, node_cmd_done, err) < 0 ? -1 : 0;
}

/* `reset`: the running lab back to what its file says (lab_reset). */
static int c_reset(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest;
        if (cmd_need_up(c, err) < 0 || lab_reset(c->lab, err) < 0)
                return -1;
        /* What the file made and `del` removed does not come back: say so. */
        int gone = 0, first = -1;
        for (int i = 0; i < c->lab->nnodes; i++)
                if (!lab_node_live(c->lab, i) && strcmp(c->lab->nodes[i].where, "console")) {
                        gone++;
                        first = first < 0 ? i : first;
                }
        if (gone)
                return errf(err,
                            "reset: lab %s is as its file says but for %s deleted node%s (%s%s): "
                            "reload rebuilds the whole lab",
                            c->lab->name, gone == 1 ? "a" : "its", gone == 1 ? "" : "s",
                            c->lab->nodes[first].name, gone > 1 ? ", ..." : "");
        con_msg(c, false,
                "reset: lab %s is as its file says (links, parameters, VLANs, addresses, routes)",
                c->lab->name);
        c->live_edits = 0;
        return 0;
}

/* A node with no service: where services come from (labs/ospf.lua starts
 * its daemons in lab:on_up). A newcomer who typed logs r1 on a routing lab
 * whose daemons had not started was sent to node:service. */
#define NO_SERVICE_HINT                                                                    \
        "a lab starts them with node:service, in lab:on_up or an experiment: exp run NAME"

/* `restart NODE`: its services again (node:restart), links untouched. */
static int c_restart(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)rest;
        int n = cmd_need_node(c, argv[0], err);
        if (n < 0 || cmd_need_up(c, err) < 0)
                return -1;
        int k = service_restart_node(c->lab, n, err);
        if (k < 0)
                return -1;
        if (k == 0)
                return errf(err, "restart: %s runs no service yet (%s)", c->lab->nodes[n].name,
                            NO_SERVICE_HINT);
        con_msg(c, false, "restart: %d service%s of %s restarted", k, k == 1 ? "" : "s",
                c->lab->nodes[n].name);
        return 0;
}

/* `service NODE NAME stop|start` */
static int c_service(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)rest;
        int n = cmd_need_node(c, argv[0], err);
        if (n < 0 || cmd_need_up(c, err) < 0)
                return -1;
        int r = !strcmp(argv[2], "stop")    ? service_stop(c->lab, n, argv[1], err)
                : !strcmp(argv[2], "start") ? service_start_again(c->lab, n, argv[1], err)
                                            : errf(err, "service: expected stop or start");
        if (r < 0)
                return -1;
        con_msg(c, false, "service %s in %s: %s", argv[1], c->lab->nodes[n].name,
                !strcmp(argv[2], "stop") ? "stopping" : "started");
        return 0;
}

/* `logs NODE [SERVICE]`: a pane that follows the node's service logs (or
 * the one's): `tail -F` on a pty, like a shell's pane, so the loop only
 * reads what arrives; it keeps following a log that a restart reopens. */
static int c_logs(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)rest;
        int n = cmd_need_node(c, argv[0], err);
        if (n < 0 || cmd_need_up(c, err) < 0)
                return -1;
        enum { MAXLOGS = 32 };
        /* In the node's log directory, so tail's headers are "==> zebra.log <==". */
        char dir[PATH_MAX + 64], names[MAXLOGS][SERVICE_NAME_MAX + 8];
        char *av[6 + MAXLOGS] = {
            "/bin/sh", "-c",
            "cd \"$0\" && echo \"netlab: following $* in $0 (Ctrl-b x closes)\" && "
            "exec tail -F -n 40 -- \"$@\"",
            dir};
        int na = 4, shown = 0;
        service_log_dir(c->lab, n, dir, sizeof(dir));
        for (int i = 0; i < c->lab->nsvcs && shown < MAXLOGS; i++) {
                const struct service *s = &c->lab->svcs[i];
                if (s->node != n || (argc > 1 && strcmp(s->name, argv[1])))
                        continue;
                snprintf(names[shown], sizeof(names[0]), "%s.log", s->name);
                av[na++] = names[shown++];
        }
        av[na] = NULL;
        if (!shown)
                return errf(err, "logs: %s runs no service%s%s yet (%s)", c->lab->nodes[n].name,
                            argc > 1 ? " " : "", argc > 1 ? argv[1] : "", NO_SERVICE_HINT);
        char title[64];
        snprintf(title, sizeof(title), "%s: logs%s%s", c->lab->nodes[n].name, argc > 1 ? " " : "",
                 argc > 1 ? argv[1] : "");
        return con_open_cmd(c, n, av, title, err) < 0 ? -1 : 0;
}

static int c_term(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)rest;
        int n = cmd_need_node(c, argv[0], err);
        if (n < 0)
                return -1;
        con_select_node(c, n);
        return con_open_term(c, n, err);
}

static int c_select(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)rest;
        int n = cmd_need_node(c, argv[0], err);
        if (n < 0)
                return -1;
        con_select_node(c, n);
        return 0;
}

static void clean_say(void *ud, const char *line)
{
        struct console *c = ud;
        con_output(c, line, strlen(line));
        con_output(c, "\n", 1);
}

static int c_clean(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest;
        /* Other labs whose netlab has stopped; a running one is left alone. */
        int n = lab_clean_all(LAB_CLEAN_NOWAIT, c->lab->name, clean_say, c, err);
        if (n < 0)
                return -1;
        con_msg(c, false, "clean: %d other lab%s removed (running labs are left alone; this one "
                          "stays up until quit)",
                n, n == 1 ? "" : "s");
        return 0;
}

/* export dot|mermaid|d2 [FILE]: the running lab's drawing (live edits and
 * link states included), into FILE or the output pane. */
static int c_export(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)rest;
        enum export_format f;
        if (export_parse(argv[0], &f, err) < 0)
                return -1;
        if (argc == 2) {
                FILE *out = fopen(argv[1], "we");
                if (!out)
                        return errf_sys(err, NULL, "Cannot write \"%s\"", argv[1]);
                int rc = lab_export(c->lab, f, out, err);
                if (fclose(out) != 0 && rc == 0)
                        rc = errf_sys(err, NULL, "Cannot write \"%s\"", argv[1]);
                if (rc == 0)
                        con_msg(c, false, "export: wrote %s", argv[1]);
                return rc;
        }
        char *buf = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&buf, &len);
        if (!out)
                return errf_sys(err, NULL, "open_memstream");
        int rc = lab_export(c->lab, f, out, err);
        fclose(out);
        if (rc == 0)
                con_output(c, buf, len);
        free(buf);
        return rc;
}

static int c_quit(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest, (void)err;
        int n = con_running_shells(c);
        if (c->clients > 1 && !c->quit_confirm && !c->keep && c->built) {
                c->quit_confirm = true;
                con_msg(c, true,
                        "%d terminals show this console: quit again to take lab %s down for all "
                        "(%s d detaches only this one)",
                        c->clients, c->lab->name, keys_prefix(c));
                return 0;
        }
        /* Mininet's exit tears the lab down; changes typed live would go
         * with it unsaved: asked once, as an editor asks. */
        if (c->live_edits > 0 && !c->quit_confirm && !c->keep && c->built) {
                c->quit_confirm = true;
                con_msg(c, true,
                        "lab %s: %d live change%s not in its file: quit again, or save FILE.lua",
                        c->lab->name, c->live_edits, c->live_edits == 1 ? "" : "s");
                return 0;
        }
        if (n > 0 && !c->quit_confirm) {
                c->quit_confirm = true;
                con_msg(c, true, "%d shell%s still running: quit again to close %s", n,
                        n == 1 ? " is" : "s are", n == 1 ? "it" : "them");
                return 0;
        }
        c->quit = true;
        return 0;
}

const struct cmd_entry con_commands[] = {
    {"help", "[COMMAND]", "the keys and commands", 0, 1, "-", NULL, c_help},
    {"nodes", "", "list the nodes", 0, 0, "", NULL, c_nodes},
    {"links", "", "list the links and their state", 0, 0, "", NULL, c_links},
    {"net", "", "each node's interfaces and what they connect to", 0, 0, "", NULL, c_net},
    {"dump", "", "each node's addresses", 0, 0, "", NULL, c_dump},
    {"intfs", "", "each node's interfaces", 0, 0, "", NULL, c_intfs},
    {"ports", "", "each switch's ports and what is behind them", 0, 0, "", NULL, c_ports},
    {"pingall", "", "ping between all hosts: a matrix, X for a failure", 0, 0, "", NULL, c_pingall},
    {"pingallfull", "", "pingall, with each pair's RTTs", 0, 0, "", NULL, c_pingallfull},
    {"pingpair", "", "ping between the first two hosts, both ways", 0, 0, "", NULL, c_pingpair},
    {"ping", "A B", "one ping from A to B", 2, 2, "nn", NULL, c_ping},
    {"iperf", "[A B]", "TCP throughput A to B; none: first host to last", 0,
     2, "nn", NULL, c_iperf},
    {"iperfudp", "BW A B", "UDP at BW (\"10M\") from A to B, and the loss", 3, 3, "-nn", NULL,
     c_iperfudp},
    {"link", "A B up|down|set K V...|show|clear",
     "set [from NODE] K V, loss gemodel P R; show, clear", 3, -1, "nns",
     "up down set show clear", c_link},
    {"term", "NODE", "a shell inside NODE in a new pane", 1, 1, "n", NULL, c_term},
    {"logs", "NODE [SERVICE]", "a pane that follows a node's service logs", 1, 2, "n", NULL,
     c_logs},
    {"restart", "NODE", "restart a node's services (its links stay up)", 1, 1, "n", NULL,
     c_restart},
    {"service", "NODE NAME stop|start", "stop or start a service of a node", 3, 3, "n-s",
     "stop start", c_service},
    {"xterm", "NODE", "same as term", 1, 1, "n", NULL, c_term},
    {"x", "NODE", "same as term", 1, 1, "n", NULL, c_term},
    {"select", "NODE", "select NODE in the graph and the inspector", 1, 1, "n", NULL, c_select},
    {"vlan", "[N|off]", "highlight VLAN N's ports and links in the graph", 0, 1, "-", NULL, c_vlan},
    {"legend", "", "show or hide the graph's legend", 0, 0, "", NULL, c_legend},
    {"clear", "", "empty the output pane (its lines stay in copy mode)", 0, 0, "", NULL, c_clear},
    {"exp", "[run NAME|next|stop|show N]", "the lab's experiments (NAME needs no quotes)", 0, -1,
     "sx", "run next stop show", c_exp},
    {"capture", "A B [FILE.pcap] | stop", "the link A-B's frames: a pcap file, a line each",
     1, 3, "nn", "stop", c_capture},
    {"plot", "[NAME]", "a pane charting series NAME; none: list them",
     0, 1, "-", NULL, c_plot},
    {"export", "dot|mermaid|d2 [FILE]", "the lab's drawing for Graphviz, Mermaid or D2", 1, 2,
     "s-", "dot mermaid d2", c_export},
    {"rename", "NAME", "rename the active pane (prefix ,)", 1, -1, "-", NULL, c_rename},
    {"sync", "[on|off]", "type into every shell at once (prefix S)", 0, 1, "s", "on off", c_sync},
    {"mouse", "[on|off]", "clicks and the wheel for netlab, or the terminal", 0, 1, "s", "on off",
     c_mouse},
    {"save", "FILE.lua [--force] | FILE [PANE|output]",
     "the running lab as FILE.lua, or a pane's text", 1, 2, "--", NULL,
     c_save},
    {"jobs", "", "the commands running (NODE cmd, ping, sh...)", 0, 0, "", NULL, c_jobs},
    {"kill", "N [SIGNAL]", "signal job N (TERM); Ctrl-C interrupts all", 1, 2, "", NULL, c_kill},
    {"dpctl", "CMD [SWITCH] [ARGS...]",
     "a switch's own view: ovs-ofctl, or FDB and VLANs", 1, -1, "s",
     "dump-flows show dump-ports del-flows add-flow", c_dpctl},
    {"sh", "CMD...", "a shell command where netlab runs (not in a node)", 1, -1, "", NULL, c_sh},
    {"source", "FILE", "run the commands of FILE, one after the other", 1, 1, "", NULL, c_source},
    {"time", "CMD...", "run a command line and say how long it took", 1, -1, "", NULL, c_time},
    {"lua", "CODE...", "Lua with lab and the nodes in scope (Mininet's py)", 1, -1, "", NULL,
     c_lua},
    {"add", "host|switch|router NAME [ip=CIDR] | link A B [A=CIDR] [B=CIDR] [bw= delay= jitter= loss= mtu=]",
     "add a node or a link to the running lab", 2, 12, "s", "host switch router link", c_add},
    {"del", "node NAME | link A B", "remove a node (its namespaces, links) or a link",
     2, 3, "snn", "node link", c_del},
    {"addr", "NODE IF CIDR", "add an address to a node's interface", 3, 3, "n", NULL, c_addr},
    {"route", "NODE DST|default [via] GW", "add a static route to a node", 3, 4, "n", NULL,
     c_route},
    {"set", "link A B K V... | port SW PORT VID [pvid] [untagged]|access VID|trunk V,V",
     "same as link A B set; port: a switch port's VLANs", 3, -1, "snn",
     "link port", c_set},
    {"reset", "", "put the running lab back to what its file says", 0, 0, "", NULL, c_reset},
    {"reload", "", "rebuild the lab from its file (after an edit)", 0, 0, "", NULL, c_reload},
    {"clean", "", "remove what other (crashed) labs left behind", 0, 0, "", NULL, c_clean},
    {"quit", "", "leave (tears the lab down unless --keep)", 0, 0, "", NULL, c_quit},
    {"exit", "", "same as quit", 0, 0, "", NULL, c_quit},
    {NULL, NULL, NULL, 0, 0, NULL, NULL, NULL},
};

/* Words from other tools, answered with netlab's way. */
static const struct {
        const char *word, *hint;
} habits[] = {
    {"py", "netlab has no Python; lua CODE runs Lua with lab and the nodes in scope (help lua)"},
    {"python", "netlab has no Python; lua CODE runs Lua with lab and the nodes in scope (help lua)"},
    {"mn", "this is the lab's console already; quit leaves it"},
};

void con_exec_line(struct console *c, const char *line)
{
        struct cmd_parsed p;
        char err[ERRLEN] = "";
        int argc = cmd_split(line, &p, err);
        if (argc < 0) {
                con_msg(c, true, "%s", err);
                return;
        }
        if (argc == 0)
                return;
        if (cmdwork_busy(c)) { /* after the command that changes the lab */
                cmdwork_queue(c, line);
                return;
        }
        con_log(c, "> %s", line);
        const struct cmd_entry *e = NULL;
        for (const struct cmd_entry *k = con_commands; k->name; k++)
                if (strcmp(k->name, p.argv[0]) == 0)
                        e = k;
        if (!e || e->exec != c_quit)
                c->quit_confirm = false;
        if (!e) {
                int n = lab_find_node(c->lab, p.argv[0]);
                if (lab_node_live(c->lab, n)) {
                        if (argc == 1) {
                                con_select_node(c, n);
                                con_msg(c, false, "%s selected: %s CMD runs CMD in it, term %s opens a shell",
                                        p.argv[0], p.argv[0], p.argv[0]);
                                return;
                        }
                        /* Node names become addresses, as in Mininet. */
                        char *cmd = cmd_subst_nodes(p.rest, node_addr, c);
                        if (!cmd)
                                con_msg(c, true, "Out of memory");
                        else if (cmd_need_up(c, err) < 0 ||
                                 job_start(c, n, -1, cmd, false, node_cmd_done, err) < 0)
                                con_msg(c, true, "%s", err);
                        free(cmd);
                        return;
                }
                for (size_t h = 0; h < sizeof(habits) / sizeof(habits[0]); h++)
                        if (!strcmp(p.argv[0], habits[h].word)) {
                                con_msg(c, true, "%s: %s", habits[h].word, habits[h].hint);
                                return;
                        }
                e = cmd_find(con_commands, p.argv[0], err);
                if (!e && argc >= 2 && !strstr(err, "did you mean")) {
                        /* "h3 ping h1" in a lab without h3: the node is what is missing */
                        char e2[ERRLEN];
                        cmd_need_node(c, p.argv[0], e2);
                        con_msg(c, true, "%s; nor a command (try help)", e2);
                        return;
                }
                if (!e) {
                        con_msg(c, true, "%s", err);
                        return;
                }
        }
        if (host_refuses(c, argc, p.argv, err)) {
                con_msg(c, true, "%s", err);
                return;
        }
        /* Commands of any length take the raw rest; the others need every word. */
        if ((e->max_args >= 0 && cmd_parsed_check(&p, err) < 0) ||
            cmd_check_args(e, argc - 1, err) < 0) {
                con_msg(c, true, "%s", err);
                return;
        }
        if (cmdwork_wants(e) ? cmdwork_submit(c, e, line, err) < 0
                             : e->exec(c, argc - 1, p.argv + 1, p.rest, err) < 0)
                con_msg(c, true, "%s", err);
        c->dirty = true;
}
