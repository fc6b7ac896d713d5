/* dp.c — the lab side of the userspace datapath (see dp.h): deciding which
 * jobs go to userspace, making the subinterfaces, writing the datapath's
 * config from the lab model, and starting / stopping the process
 * `netlab datapath LAB`, whose entry point dp_main is here too.
 *
 * Subinterfaces: `eth0.10` is a veth end in the host with eth0's MAC; its
 * peer `d<IFACE>` lives in the lab-owned namespace LAB._dp (journaled as a
 * netns like a node's, so teardown and `netlab clean` remove it; the "._"
 * cannot clash with a node, whose name starts with a letter). Keeping the
 * peers there, not in the host, leaves the host's interface list as the
 * user expects (eth0, eth0.10) and gives the datapath one place to find
 * them. The datapath then treats each parent as a small VLAN switch: the
 * parent carries the VIDs tagged, each peer is an access port of its VID.
 *
 * Start-up handshake: the child gets the write end of a pipe (its number in
 * NETLAB_DP_READY_FD); it writes 'R' once every port is open, or 'E' and a
 * message when it cannot start. dp_start waits for that (10 s at most). */
#include "dp.h"
#include "dp_config.h"
#include "dp_engine.h"
#include "plan.h"
#include "fw.h"
#include "journal.h"
#include "rundir.h"
#include "proc.h"
#include "netns.h"
#include "nl.h"
#include "monotime.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define READY_ENV "NETLAB_DP_READY_FD"
#define CTL_SOCK "datapath.sock"

void dp_wire_peer_name(int link, int end, char *buf, size_t len)
{
        snprintf(buf, len, "w%d%c", link + 1, end ? 'b' : 'a');
}

void dp_impair_from_link(const struct link_params *p, struct dp_impair *d)
{
        memset(d, 0, sizeof(*d));
        d->delay_us = p->delay_us;
        d->jitter_us = p->jitter_us;
        d->loss_ppm = p->loss_ppm;
        d->rate_bps = p->rate_bps;
        d->dup_ppm = p->dup_ppm;
        d->corrupt_ppm = p->corrupt_ppm;
        d->reorder_ppm = p->reorder_ppm;
        d->gap = p->gap;
        d->limit = p->limit;
        d->dist = (enum dp_dist)p->dist;
        d->delay_corr = p->delay_corr;
        d->loss_corr = p->loss_corr;
        d->dup_corr = p->dup_corr;
        d->corrupt_corr = p->corrupt_corr;
        d->reorder_corr = p->reorder_corr;
        d->ge = p->ge;
        d->ge_p = p->ge_p;
        d->ge_r = p->ge_r;
        d->ge_h = p->ge_h;
        d->ge_k = p->ge_k;
}

static void dp_netns_path(const struct lab *lab, char *buf, size_t len)
{
        lab_netns_path(lab, "_dp", buf, len);
}

static void peer_name(int iface, char *buf, size_t len)
{
        snprintf(buf, len, "d%d", iface);
}

static int dp_inside(void *ud, char *err)
{
        (void)ud;
        /* Nothing but veth peers here: no IPv6 chatter of its own. */
        if (netns_sysctl("net/ipv6/conf/default/disable_ipv6", "1", err) < 0)
                return -1;
        return netns_sysctl("net/ipv6/conf/all/disable_ipv6", "1", err);
}

/* The datapath process of a built lab, supervised (see dp.h). */
struct dp_run {
        pid_t pid;                    /* 0: none (not started, or dead and reaped) */
        unsigned long long starttime; /* pid reuse */
        int pidfd;                    /* readable once it exits; -1 */
        int ready_fd;                 /* a restart's handshake pipe while STARTING; -1 */
        enum dp_state state;
        int deaths, restarts;
        long long restart_ms[DP_RESTART_MAX]; /* when the last restarts happened */
        char why[160];                        /* "datapath died (signal 9)" */
        int netns_fd;                         /* LAB._dp, held from its creation; -1 */
};

/* The lab's datapath record, made at its first need (the namespace or the
 * process). */
static struct dp_run *dp_run_get(struct lab *lab)
{
        if (!lab->dp) {
                lab->dp = calloc(1, sizeof(*lab->dp));
                if (!lab->dp)
                        return NULL;
                lab->dp->pidfd = lab->dp->ready_fd = lab->dp->netns_fd = -1;
        }
        return lab->dp;
}

int dp_netns_fd(struct lab *lab, char *err)
{
        struct dp_run *d = dp_run_get(lab);
        if (!d)
                return errf_sys(err, NULL, "Cannot create the datapath's namespace");
        if (d->netns_fd >= 0)
                return d->netns_fd;
        char e[ERRLEN];
        int net_fd = -1, uts_fd = -1;
        if (lab_make_namespace(lab, "_dp", "datapath", dp_inside, NULL, &net_fd, &uts_fd, e) < 0)
                return errf(err, "Cannot create the datapath's namespace: %s", e);
        close(uts_fd);
        d->netns_fd = net_fd;
        return net_fd;
}

int dp_prepare(struct lab *lab, char *err)
{
        if (!plan_subif_in_userspace(lab))
                return 0;
        char e[ERRLEN];
        int net_fd = dp_netns_fd(lab, err);
        if (net_fd < 0)
                return -1;
        struct nl *nl = nl_open(-1, e);
        if (!nl)
                return errf(err, "%s", e);
        int rc = 0;
        for (int i = 0; i < lab->nifaces && rc == 0; i++) {
                struct iface *f = &lab->ifaces[i];
                if (f->link >= 0 || !lab_node_live(lab, f->node))
                        continue;
                const struct iface *parent = &lab->ifaces[f->parent];
                char la[64], lb[64], pn[16];
                iface_label(lab, i, la, sizeof(la));
                peer_name(i, pn, sizeof(pn));
                snprintf(lb, sizeof(lb), "%s._dp:%s", lab->name, pn);
                int nfd = lab_ns_fd(lab, &lab->nodes[f->node], CLONE_NEWNET, err);
                if (nfd < 0)
                        return -1;
                struct veth_end a = {.name = f->name,
                                     .label = la,
                                     .netns_fd = nfd,
                                     .mac = parent->mac, /* as the kernel does for vlan links */
                                     .mtu = parent->mtu,
                                     .up = true};
                struct veth_end b = {
                    .name = pn, .label = lb, .netns_fd = net_fd, .mtu = parent->mtu, .up = true};
                if (nl_veth_add(nl, &a, &b, &f->ifindex, NULL, e) < 0)
                        rc = errf(err, "%s: subinterface %s: %s", lab->nodes[f->node].where, la, e);
        }
        nl_close(nl);
        return rc;
}

int dp_config_from_lab(const struct lab *lab, struct dp_config *c, char *err)
{
        char path[PATH_MAX];
        dp_config_init(c);
        for (int i = 0; i < lab->nnodes; i++) {
                if (!lab_node_live(lab, i) || !plan_switch_in_userspace(lab, i))
                        continue;
                const struct node *n = &lab->nodes[i];
                int sw = dp_config_add_switch(c, n->name, err);
                if (sw < 0)
                        goto fail;
                lab_netns_path(lab, lab->nodes[i].name, path, sizeof(path));
                for (int k = 0; k < n->nifaces; k++) {
                        const struct iface *f = &lab->ifaces[n->ifaces[k]];
                        if (f->link < 0)
                                continue;
                        int p = dp_config_add_port(c, sw, path, f->name, err);
                        if (p < 0)
                                goto fail;
                        /* A port without VLAN settings is the bridge's default. */
                        if (f->nvlan == 0 && dp_config_port_vlan(c, sw, p, 1, true, true, err) < 0)
                                goto fail;
                        for (int v = 0; v < f->nvlan; v++)
                                if (dp_config_port_vlan(c, sw, p, f->vlan[v].vid, f->vlan[v].pvid,
                                                        f->vlan[v].untagged, err) < 0)
                                        goto fail;
                }
                const struct fw_table *fw = fw_for(lab, i);
                if (fw && fw_copy(&c->sw[sw].fw, fw, err) < 0)
                        goto fail;
        }
        c->seed = lab->seed;
        char dpns[PATH_MAX];
        dp_netns_path(lab, dpns, sizeof(dpns));
        /* Wires: links whose impairments the datapath carries (plan.h). */
        for (int i = 0; i < lab->nlinks; i++) {
                if (!plan_link_on_wire(lab, i))
                        continue;
                char name[32], wa[16], wb[16];
                snprintf(name, sizeof(name), "link%d", i + 1);
                dp_wire_peer_name(i, 0, wa, sizeof(wa));
                dp_wire_peer_name(i, 1, wb, sizeof(wb));
                int w = dp_config_add_wire(c, name, dpns, wa, dpns, wb, err);
                if (w < 0)
                        goto fail;
                /* dir[0]: frames leaving a; both directions alike unless the
                 * link sets b's own (as Mininet's TCLink by default) */
                dp_impair_from_link(link_params_from(&lab->links[i], 0), &c->wire[w].dir[0]);
                dp_impair_from_link(link_params_from(&lab->links[i], 1), &c->wire[w].dir[1]);
        }
        if (!plan_subif_in_userspace(lab))
                return dp_config_validate(c, err);
        /* One switch per parent interface that has subinterfaces. */
        for (int pi = 0; pi < lab->nifaces; pi++) {
                int sw = -1, pport = -1;
                for (int i = 0; i < lab->nifaces; i++) {
                        const struct iface *f = &lab->ifaces[i];
                        if (f->link >= 0 || f->parent != pi || !lab_node_live(lab, f->node))
                                continue;
                        const struct iface *parent = &lab->ifaces[pi];
                        if (sw < 0) {
                                char name[64];
                                snprintf(name, sizeof(name), "sub:%s:%s",
                                         lab->nodes[parent->node].name, parent->name);
                                lab_netns_path(lab, lab->nodes[parent->node].name, path,
                                               sizeof(path));
                                if ((sw = dp_config_add_switch(c, name, err)) < 0 ||
                                    (pport = dp_config_add_port(c, sw, path, parent->name, err)) <
                                        0)
                                        goto fail;
                        }
                        char pn[16];
                        peer_name(i, pn, sizeof(pn));
                        int p = dp_config_add_port(c, sw, dpns, pn, err);
                        if (p < 0 ||
                            dp_config_port_vlan(c, sw, pport, f->vid, false, false, err) < 0 ||
                            dp_config_port_vlan(c, sw, p, f->vid, true, true, err) < 0)
                                goto fail;
                }
        }
        return dp_config_validate(c, err);
fail:
        dp_config_free(c);
        return -1;
}

/* True when a frame of rule->vid matched by the rule may leave by a port
 * where that VID is untagged. The kernel bridge pops the tag before its
 * forward hook, so such a rule could only work in the userspace datapath:
 * refused on both paths, so that a lab behaves the same everywhere. */
static bool vid_leaves_untagged(const struct lab *lab, int node, const struct fw_rule *rule)
{
        const struct node *n = &lab->nodes[node];
        for (int i = 0; i < n->nifaces; i++) {
                const struct iface *f = &lab->ifaces[n->ifaces[i]];
                bool out = rule->nout == 0;
                for (int k = 0; k < rule->nout; k++)
                        out |= strcmp(rule->out[k], f->name) == 0;
                if (!out)
                        continue;
                if (f->nvlan == 0 && rule->vid == 1)
                        return true;
                for (int k = 0; k < f->nvlan; k++)
                        if (f->vlan[k].vid == rule->vid && f->vlan[k].untagged)
                                return true;
        }
        return false;
}

static int check_fw_ports(const struct lab *lab, int node, const struct fw_table *t, char *err)
{
        const struct node *n = &lab->nodes[node];
        for (int r = 0; r < t->n; r++) {
                const struct fw_rule *rule = &t->rules[r];
                for (int k = 0; k < rule->nin + rule->nout; k++) {
                        const char *name = k < rule->nin ? rule->in[k] : rule->out[k - rule->nin];
                        if (lab_find_iface(lab, node, name) < 0) {
                                errno = ENODEV;
                                return errf(err,
                                            "%s: switch \"%s\": firewall rule %d names port "
                                            "\"%s\", which the switch does not have",
                                            n->where, n->name, r + 1, name);
                        }
                }
                if (rule->vid && vid_leaves_untagged(lab, node, rule)) {
                        errno = EINVAL;
                        return errf(err,
                                    "%s: switch \"%s\": firewall rule %d matches VLAN %u, but "
                                    "a port it may leave by sends VLAN %u untagged; a kernel "
                                    "bridge strips the tag before its filter sees the frame, so "
                                    "the rule could not match there: match by ports (in/out) "
                                    "instead, or give the rule tagged out ports only",
                                    n->where, n->name, r + 1, rule->vid, rule->vid);
                }
        }
        return 0;
}

int dp_firewalls_apply(struct lab *lab, char *err)
{
        for (int i = 0; i < lab->nnodes; i++) {
                const struct fw_table *t = fw_for(lab, i);
                const struct node *n = &lab->nodes[i];
                if (!t || !lab_node_has(lab, i, KIND_BRIDGE))
                        continue;
                if (check_fw_ports(lab, i, t, err) < 0)
                        return -1;
                if (plan_switch_in_userspace(lab, i))
                        continue; /* dp_start hands it to the datapath */
                char e[ERRLEN];
                int nfd = lab_ns_fd(lab, n, CLONE_NEWNET, e);
                if (nfd < 0 || fw_nft_install(nfd, DP_FW_TABLE, t, e) < 0)
                        return errf(err, "%s: switch \"%s\": %s", n->where, n->name, e);
        }
        return 0;
}

static void dp_run_close(struct dp_run *d)
{
        if (d->pidfd >= 0)
                close(d->pidfd);
        if (d->ready_fd >= 0)
                close(d->ready_fd);
        d->pidfd = d->ready_fd = -1;
}

void dp_release(struct lab *lab)
{
        if (!lab->dp)
                return;
        dp_run_close(lab->dp);
        if (lab->dp->netns_fd >= 0)
                close(lab->dp->netns_fd);
        free(lab->dp);
        lab->dp = NULL;
}

/* Forks `netlab datapath LAB`; returns the read end of its handshake pipe. */
static int dp_spawn(struct lab *lab, struct dp_run *d, char *err)
{
        char logpath[PATH_MAX + 32];
        snprintf(logpath, sizeof(logpath), "%s/datapath.log", lab->rundir);
        int p[2];
        if (pipe2(p, O_CLOEXEC) < 0)
                return errf_sys(err, NULL, "Cannot start the userspace datapath");
        pid_t parent = getpid();
        pid_t pid = fork();
        if (pid < 0) {
                close(p[0]);
                close(p[1]);
                return errf_sys(err, NULL, "Cannot start the userspace datapath: fork");
        }
        if (pid == 0) {
                /* Own session: a ^C meant for the console does not reach it;
                 * it dies with its parent instead. */
                setsid();
                prctl(PR_SET_PDEATHSIG, SIGTERM);
                if (getppid() != parent)
                        _exit(1);
                int null = open("/dev/null", O_RDWR | O_CLOEXEC);
                int log = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
                if (null >= 0) {
                        dup2(null, 0);
                        dup2(null, 1);
                }
                if (log >= 0)
                        dup2(log, 2);
                fcntl(p[1], F_SETFD, 0);
                char fdnum[16];
                snprintf(fdnum, sizeof(fdnum), "%d", p[1]);
                setenv(READY_ENV, fdnum, 1);
                sigset_t none;
                sigemptyset(&none);
                sigprocmask(SIG_SETMASK, &none, NULL);
                char *argv[] = {"netlab", "datapath", lab->name, NULL};
                execv("/proc/self/exe", argv);
                dprintf(p[1], "ECannot exec /proc/self/exe: %s", strerror(errno));
                _exit(127);
        }
        close(p[1]);
        d->pid = pid;
        d->starttime = proc_starttime(pid);
        d->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
        if (d->pidfd >= 0)
                fcntl(d->pidfd, F_SETFD, FD_CLOEXEC);
        d->state = DP_STARTING;
        if (lab->journal)
                journal_add(lab->journal, "datapath %d %llu", (int)pid, d->starttime);
        return p[0];
}

static void exit_text(int st, char *buf, size_t len)
{
        if (WIFSIGNALED(st))
                snprintf(buf, len, "signal %d", WTERMSIG(st));
        else if (WIFEXITED(st))
                snprintf(buf, len, "exit status %d", WEXITSTATUS(st));
        else
                snprintf(buf, len, "status %#x", (unsigned)st);
}

/* Reaps the datapath if it has exited; true if it had. */
static bool dp_reap(struct dp_run *d)
{
        int st;
        if (d->pid <= 0)
                return false;
        pid_t r = waitpid(d->pid, &st, WNOHANG);
        if (r == 0 || (r < 0 && errno != ECHILD))
                return false;
        char how[32] = "unknown status"; /* ECHILD: someone else reaped it */
        if (r == d->pid)
                exit_text(st, how, sizeof(how));
        else if (kill(d->pid, 0) == 0 && proc_starttime(d->pid) == d->starttime)
                return false;
        d->pid = 0;
        d->deaths++;
        dp_run_close(d);
        d->state = DP_DEAD;
        snprintf(d->why, sizeof(d->why), "datapath died (%s)", how);
        return true;
}

/* After a death: restart, unless DP_RESTART_MAX restarts happened within
 * the last DP_RESTART_WINDOW_S seconds (then it stays DP_DEAD, and says so). */
static void dp_restart(struct lab *lab, struct dp_run *d)
{
        long long now = monotime_ms();
        int recent = 0;
        for (int i = 0; i < DP_RESTART_MAX; i++)
                recent += d->restart_ms[i] && now - d->restart_ms[i] < DP_RESTART_WINDOW_S * 1000;
        if (recent >= DP_RESTART_MAX || lab->state != LAB_UP) {
                size_t n = strlen(d->why);
                snprintf(d->why + n, sizeof(d->why) - n,
                         "; not restarted: it died %d times within %d s", recent + 1,
                         DP_RESTART_WINDOW_S);
                return;
        }
        char e[ERRLEN];
        int fd = dp_spawn(lab, d, e);
        if (fd < 0) {
                size_t n = strlen(d->why);
                snprintf(d->why + n, sizeof(d->why) - n, "; restart failed: %s", e);
                return;
        }
        d->ready_fd = fd;
        d->restart_ms[d->restarts++ % DP_RESTART_MAX] = now;
        fcntl(fd, F_SETFL, O_NONBLOCK);
}

void lab_dp_state(struct lab *lab, struct dp_status *st)
{
        memset(st, 0, sizeof(*st));
        struct dp_run *d = lab->dp;
        if (!d)
                return;
        if (dp_reap(d))
                dp_restart(lab, d);
        if (d->state == DP_STARTING && d->ready_fd >= 0) {
                char b[ERRLEN];
                ssize_t r = read(d->ready_fd, b, sizeof(b) - 1);
                if (r > 0 && b[0] == 'R') {
                        d->state = DP_RUNNING;
                        close(d->ready_fd);
                        d->ready_fd = -1;
                } else if (r >= 0 || errno != EAGAIN) {
                        /* 'E' + message, or EOF: it could not start again */
                        b[r > 0 ? r : 0] = '\0';
                        kill(d->pid, SIGKILL);
                        waitpid(d->pid, NULL, 0); /* it is exiting: no wait */
                        d->pid = 0;
                        d->deaths++;
                        dp_run_close(d);
                        d->state = DP_DEAD;
                        snprintf(d->why, sizeof(d->why), "datapath restart failed: %.100s",
                                 r > 1 ? b + 1 : "it exited before it was ready");
                }
        }
        st->state = d->state;
        st->pid = d->pid;
        st->deaths = d->deaths;
        st->restarts = d->restarts;
        snprintf(st->why, sizeof(st->why), "%s", d->why);
}

int lab_dp_fd(const struct lab *lab)
{
        const struct dp_run *d = lab->dp;
        if (!d)
                return -1;
        return d->state == DP_STARTING && d->ready_fd >= 0 ? d->ready_fd : d->pidfd;
}

const char *dp_state_name(enum dp_state s)
{
        static const char *const names[] = {
            [DP_NONE] = "none", [DP_STARTING] = "starting", [DP_RUNNING] = "running",
            [DP_DEAD] = "dead"};
        return s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

/* The lab's datapath configuration, written to RUNDIR/datapath.conf (what
 * a starting datapath reads, and a running one reloads). */
static int config_write(struct lab *lab, char *err)
{
        struct dp_config c;
        char path[PATH_MAX + 32], e[ERRLEN];
        if (dp_config_from_lab(lab, &c, e) < 0)
                return errf(err, "Cannot configure the userspace datapath: %s", e);
        snprintf(path, sizeof(path), "%s/datapath.conf", lab->rundir);
        int rc = dp_config_save(&c, path, err);
        dp_config_free(&c);
        return rc < 0 ? -1 : 0;
}

int dp_start(struct lab *lab, char *err)
{
        if (lab->dp && lab->dp->pid > 0)
                return 0;
        if (config_write(lab, err) < 0)
                return -1;
        if (!dp_run_get(lab))
                return errf_sys(err, NULL, "Cannot start the userspace datapath");
        int rfd = dp_spawn(lab, lab->dp, err);
        if (rfd < 0)
                return -1;
        char msg[ERRLEN];
        size_t got = 0;
        long long deadline = monotime_ms() + 10000;
        while (got < sizeof(msg) - 1) {
                long long left = deadline - monotime_ms();
                struct pollfd pfd = {rfd, POLLIN, 0};
                if (left <= 0 || (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)) {
                        errno = ETIMEDOUT;
                        close(rfd);
                        dp_stop(lab);
                        return errf(err,
                                    "The userspace datapath did not start within 10 s "
                                    "(see %s/datapath.log)",
                                    lab->rundir);
                }
                if (!(pfd.revents & (POLLIN | POLLHUP)))
                        continue;
                ssize_t r = read(rfd, msg + got, sizeof(msg) - 1 - got);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r <= 0)
                        break;
                got += (size_t)r;
                if (msg[0] == 'R')
                        break;
        }
        close(rfd);
        msg[got] = '\0';
        if (got > 0 && msg[0] == 'R') {
                lab->dp->state = DP_RUNNING;
                return 0;
        }
        dp_stop(lab);
        errno = EIO;
        return errf(err, "The userspace datapath failed: %s",
                    got > 1 ? msg + 1 : "it exited before it was ready");
}

void dp_stop(struct lab *lab)
{
        struct dp_run *d = lab->dp;
        if (!d)
                return;
        pid_t pid = d->pid;
        bool mine = pid > 0 && proc_starttime(pid) == d->starttime;
        dp_release(lab);
        /* Someone else may have reaped it and its pid been reused. */
        if (!mine)
                return;
        kill(pid, SIGTERM);
        long long deadline = monotime_ms() + 1000;
        for (;;) {
                pid_t r = waitpid(pid, NULL, WNOHANG);
                if (r == pid || (r < 0 && errno == ECHILD && kill(pid, 0) < 0))
                        return;
                if (monotime_ms() >= deadline)
                        break;
                usleep(5000);
        }
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
}

static int dp_ask(struct lab *lab, const char *req, long long *us, char *err);

int dp_detach(struct lab *lab, char *err)
{
        struct dp_status st;
        lab_dp_state(lab, &st);
        if (st.state == DP_NONE)
                return 0;
        if (st.state != DP_RUNNING) {
                errno = ENETDOWN;
                return errf(err, "%s", st.why[0] ? st.why : "the datapath is not running");
        }
        /* Over the control socket, answered once done; SIGUSR1 (the same,
         * asynchronously) where the socket does not answer. */
        char e[ERRLEN];
        if (dp_ask(lab, "detach", NULL, e) == 0) {
                dp_release(lab);
                return 0;
        }
        if (kill(st.pid, SIGUSR1) < 0)
                return errf_sys(err, NULL, "Cannot detach the datapath (pid %d)", (int)st.pid);
        dp_release(lab);
        return 0;
}

/* The datapath's end of its control socket, in the lab's run directory. */
static int ctl_listen(int run_fd, char *err)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        rundir_fd_path(run_fd, CTL_SOCK, sa.sun_path, sizeof(sa.sun_path));
        unlinkat(run_fd, CTL_SOCK, 0);
        int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 8) < 0) {
                int saved = errno;
                if (fd >= 0)
                        close(fd);
                errno = saved;
                return errf_sys(err, NULL, "Cannot open the control socket %s", CTL_SOCK);
        }
        return fd;
}

/* A request over the datapath's control socket ("reload": read the
 * configuration again; "detach": outlive this process); 1 when no datapath
 * listens (none runs, one is starting and reads the file anyway, or it died
 * under the request), 0 when it did it, -1 with its reason. */
static int dp_ask(struct lab *lab, const char *req, long long *us, char *err)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", lab->rundir, CTL_SOCK) >=
            sizeof(sa.sun_path)) {
                errno = ENAMETOOLONG;
                return errf_sys(err, NULL, "Cannot reach the datapath");
        }
        int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return errf_sys(err, NULL, "Cannot reach the datapath");
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
                int saved = errno;
                close(fd);
                if (saved == ENOENT || saved == ECONNREFUSED)
                        return 1;
                errno = saved;
                return errf_sys(err, NULL, "Cannot reach the datapath (%s)", sa.sun_path);
        }
        char reply[ERRLEN + 32];
        ssize_t r = send(fd, req, strlen(req), MSG_NOSIGNAL);
        struct pollfd pfd = {fd, POLLIN, 0};
        int pr = r == (ssize_t)strlen(req) ? poll(&pfd, 1, 5000) : -1;
        r = pr > 0 ? recv(fd, reply, sizeof(reply) - 1, 0) : -1;
        close(fd);
        if (pr == 0) {
                errno = ETIMEDOUT;
                return errf(err, "the datapath did not answer within 5 s");
        }
        if (r <= 0 && lab->dp && lab->dp->pidfd >= 0 &&
            (r == 0 || errno == ECONNRESET || errno == EPIPE)) {
                /* It went away under the request (killed): once it has
                 * exited, the supervisor's restart reads the new file. */
                struct pollfd dead = {lab->dp->pidfd, POLLIN, 0};
                if (poll(&dead, 1, 1000) == 1)
                        return 1;
                errno = EBUSY;
        }
        if (r <= 0) {
                if (r == 0)
                        errno = EBUSY;
                return errf_sys(err, NULL, "the datapath did not take the change");
        }
        reply[r] = '\0';
        if (strncmp(reply, "ok", 2) == 0) {
                if (us)
                        *us = atoll(reply + 2);
                return 0;
        }
        errno = EINVAL;
        return errf(err, "the datapath refused the change: %s", reply + 1);
}

int dp_adopt(struct lab *lab, char *err)
{
        char path[PATH_MAX], e[ERRLEN];
        dp_netns_path(lab, path, sizeof(path));
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0) {
                if (errno == ENOENT)
                        return 0; /* it never had one */
                return errf_sys(err, NULL, "Cannot open the datapath's namespace %s", path);
        }
        struct dp_run *d = dp_run_get(lab);
        if (!d) {
                close(fd);
                return errf_sys(err, NULL, "Cannot take over the datapath");
        }
        d->netns_fd = fd;
        /* The links that are wires: their peers are here (a live change
         * may have made one of a link the file leaves plain). */
        struct nl *nl = nl_open(fd, e);
        struct nl_link_info *li = NULL;
        int nli = 0;
        if (!nl || nl_link_dump(nl, &li, &nli, e) < 0) {
                if (nl)
                        nl_close(nl);
                return errf(err, "the datapath's namespace: %s", e);
        }
        nl_close(nl);
        for (int l = 0; l < lab->nlinks; l++) {
                char pn[16];
                dp_wire_peer_name(l, 0, pn, sizeof(pn));
                for (int k = 0; k < nli; k++)
                        if (!strcmp(li[k].name, pn) && lab_link_live(lab, l))
                                lab->links[l].wired = true;
        }
        free(li);
        if (!plan_needs_datapath(lab))
                return 0;
        if (config_write(lab, err) < 0)
                return -1;
        int rc = dp_ask(lab, "reload", NULL, e);
        if (rc == 0)
                return 0; /* kept up (--keep): it goes on, with this model */
        if (rc < 0)
                return errf(err, "%s", e);
        return dp_start(lab, err); /* it died with the lab's netlab */
}

int dp_reload(struct lab *lab, long long *us, char *err)
{
        if (us)
                *us = 0;
        if (lab->state != LAB_UP)
                return 0;
        if (config_write(lab, err) < 0)
                return -1;
        int rc = dp_ask(lab, "reload", us, err);
        if (rc <= 0)
                return rc;
        /* Nobody listens. A process starting (a restart) reads the file. */
        struct dp_status st;
        lab_dp_state(lab, &st);
        if (st.state == DP_STARTING || (st.state == DP_RUNNING && st.pid > 0))
                return 0;
        if (st.state == DP_DEAD) {
                errno = ENETDOWN;
                return errf(err, "%s", st.why);
        }
        if (!plan_needs_datapath(lab))
                return 0;
        /* The lab's first job for the datapath: start it. */
        long long t0 = monotime_ms();
        if (dp_start(lab, err) < 0)
                return -1;
        if (us)
                *us = (monotime_ms() - t0) * 1000;
        return 0;
}

int dp_main(int argc, char **argv)
{
        char err[ERRLEN], path[PATH_MAX];
        const char *name = argc >= 2 ? argv[argc - 1] : NULL;
        const char *env = getenv(READY_ENV);
        int ready = env ? atoi(env) : -1;
        unsetenv(READY_ENV);
        if (!name || !*name || strchr(name, '/') || strlen(name) > LAB_NAME_MAX) {
                fprintf(stderr, "usage: netlab datapath LAB (internal: started by the lab)\n");
                return 2;
        }
        pid_t parent = getppid();
        if (ready >= 0) /* started by dp_start: die with the lab's process */
                prctl(PR_SET_PDEATHSIG, SIGTERM);
        /* The lab's files through its run directory's descriptor, held for
         * the process's life: never a path a symlink could redirect. */
        int root_fd = rundir_root(false, err);
        int run_fd = root_fd >= 0 ? rundir_open(root_fd, name, err) : -1;
        if (root_fd >= 0)
                close(root_fd);
        struct dp_config c;
        int rc = run_fd < 0 ? -1 : 0;
        rundir_fd_path(run_fd, "datapath.conf", path, sizeof(path));
        /* The control socket exists before the configuration is read: a
         * reload asked before this point is in the file read now, one asked
         * after it waits in the socket's backlog until the loop runs. */
        int ctl = rc == 0 ? ctl_listen(run_fd, err) : -1;
        if (rc == 0 && ctl < 0)
                rc = -1;
        if (rc == 0) {
                dp_engine_control(ctl, path);
                rc = dp_config_load(&c, path, err);
        }
        if (rc == 0) {
                char stats[PATH_MAX];
                rundir_fd_path(run_fd, "datapath.stats", stats, sizeof(stats));
                dp_engine_stats_file(stats);
                rc = dp_engine_run(&c, ready, ready >= 0 ? parent : 0, err);
                dp_config_free(&c);
        }
        if (rc < 0) {
                fprintf(stderr, "netlab datapath %s: %s\n", name, err);
                if (ready >= 0)
                        dprintf(ready, "E%s", err);
                return 1;
        }
        return 0;
}
