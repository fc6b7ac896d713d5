/* ovs.c — the lab's own Open vSwitch (ovs.h): its namespace, daemons,
 * bridges and controllers, driven through Open vSwitch's own tools
 * (ovsdb-tool, ovs-vsctl, ovs-ofctl) with OVS_RUNDIR, OVS_DBDIR and
 * OVS_LOGDIR set to the lab's directory, so nothing reaches the machine's
 * /var/run/openvswitch. Each tool runs as a child whose output is read
 * with a time limit; the daemons detach (--detach returns once they are
 * ready) inside LAB._ovs and are journaled. */
#include "ovs.h"
#include "journal.h"
#include "lab.h"
#include "netns.h"
#include "nl.h"
#include "swclass.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define OVS_SCHEMA "/usr/share/openvswitch/vswitch.ovsschema"
#define OVS_TIMEOUT_MS 15000

struct ovs_run {
        int netns_fd; /* LAB._ovs, held until ovs_free */
        bool daemons; /* ovsdb-server and ovs-vswitchd started */
        bool bridges_made; /* the build's switches are made (one transaction) */
};

/* ---- prerequisites ---- */

/* True when prog is an executable on PATH (or /usr/sbin, where Debian puts
 * the daemons). */
static bool have_prog(const char *prog)
{
        const char *path = getenv("PATH");
        char dirs[4096], p[4200];
        snprintf(dirs, sizeof(dirs), "%s:/usr/sbin:/usr/bin:/sbin", path ? path : "");
        char *save = NULL;
        for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
                snprintf(p, sizeof(p), "%s/%s", d, prog);
                if (access(p, X_OK) == 0)
                        return true;
        }
        return false;
}

int ovs_check_installed(char *err)
{
        static const char *const progs[] = {"ovsdb-server", "ovs-vswitchd", "ovsdb-tool",
                                            "ovs-vsctl", "ovs-ofctl", NULL};
        for (int i = 0; progs[i]; i++)
                if (!have_prog(progs[i])) {
                        errno = ENOENT;
                        return errf(err,
                                    "Open vSwitch is not installed (no %s): apt-get install "
                                    "openvswitch-switch",
                                    progs[i]);
                }
        if (access(OVS_SCHEMA, R_OK) < 0) {
                errno = ENOENT;
                return errf(err, "Open vSwitch's schema %s is missing: apt-get install "
                                 "--reinstall openvswitch-common",
                            OVS_SCHEMA);
        }
        return 0;
}

int ovs_check_controller_installed(char *err)
{
        if (have_prog("ovs-testcontroller"))
                return 0;
        errno = ENOENT;
        return errf(err, "the reference controller is not installed (no ovs-testcontroller): "
                         "apt-get install openvswitch-testcontroller");
}

bool ovs_kernel_datapath(void)
{
        return access("/sys/module/openvswitch", F_OK) == 0;
}

void ovs_datapath_text(char *buf, size_t len)
{
        if (ovs_kernel_datapath())
                snprintf(buf, len, "kernel datapath (openvswitch module loaded)");
        else
                snprintf(buf, len, "userspace (netdev) datapath: no openvswitch kernel module "
                                   "loaded (CONFIG_OPENVSWITCH; modprobe openvswitch)");
}

/* ---- model ---- */

int ovs_fail_mode_parse(const char *s, int *mode, char *err)
{
        if (!strcmp(s, "secure"))
                *mode = OVS_FAIL_SECURE;
        else if (!strcmp(s, "standalone"))
                *mode = OVS_FAIL_STANDALONE;
        else {
                errno = EINVAL;
                return errf(err, "fail_mode \"%s\": expected \"secure\" or \"standalone\"", s);
        }
        return 0;
}

const char *ovs_fail_mode_name(int mode)
{
        /* Mininet's default: secure; netlab's switch with no controller at
         * all is a learning switch (standalone), or nothing would forward. */
        return mode == OVS_FAIL_SECURE ? "secure" : mode == OVS_FAIL_STANDALONE ? "standalone"
                                                                                : "default";
}

static const char *fail_mode_of(const struct lab *lab, int node)
{
        int m = lab->nodes[node].fail_mode;
        if (m == OVS_FAIL_DEFAULT)
                m = lab->nctls ? OVS_FAIL_SECURE : OVS_FAIL_STANDALONE;
        return ovs_fail_mode_name(m);
}

int ovs_find_controller(const struct lab *lab, const char *name)
{
        for (int i = 0; i < lab->nctls; i++)
                if (!strcmp(lab->ctls[i].name, name))
                        return i;
        return -1;
}

int ovs_add_controller(struct lab *lab, const char *name, enum ovs_ctl_kind kind, const char *ip,
                       int port, const char *where, char *err)
{
        if (lab->state != LAB_DEFINED) {
                errno = EBUSY;
                return errf(err, "controller \"%s\": lab \"%s\" is already built (add "
                                 "controllers before the first experiment)",
                            name, lab->name);
        }
        size_t nl = strlen(name);
        bool ok = nl > 0 && nl < sizeof(lab->ctls[0].name) &&
                  ((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z'));
        for (size_t i = 0; ok && i < nl; i++)
                ok = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-",
                            name[i]) != NULL;
        if (!ok) {
                errno = EINVAL;
                return errf(err, "invalid controller name \"%s\": 1 to 24 letters, digits, '_' "
                                 "or '-', starting with a letter",
                            name);
        }
        if (ovs_find_controller(lab, name) >= 0 || lab_find_node(lab, name) >= 0) {
                errno = EEXIST;
                return errf(err, "duplicate name \"%s\" (a controller or node has it)", name);
        }
        if (kind == OVS_CTL_REMOTE) {
                struct ipaddr a;
                char e[ERRLEN];
                if (!ip || ipaddr_parse(ip, false, &a, e) < 0 || a.family != AF_INET || strchr(ip, '/')) {
                        errno = EINVAL;
                        return errf(err, "controller \"%s\": ip \"%s\" is not an IPv4 address",
                                    name, ip ? ip : "");
                }
        }
        if (port < 1 || port > 65535) {
                errno = EINVAL;
                return errf(err, "controller \"%s\": port %d is not 1 to 65535", name, port);
        }
        struct ovs_ctl *c = realloc(lab->ctls, (size_t)(lab->nctls + 1) * sizeof(*c));
        if (!c)
                return errf_sys(err, NULL, "controller \"%s\"", name);
        lab->ctls = c;
        c = &lab->ctls[lab->nctls];
        memset(c, 0, sizeof(*c));
        snprintf(c->name, sizeof(c->name), "%s", name);
        c->kind = kind;
        snprintf(c->ip, sizeof(c->ip), "%s", ip ? ip : "");
        c->port = port;
        snprintf(c->where, sizeof(c->where), "%s", where ? where : "?");
        return lab->nctls++;
}

void ovs_port_name(const struct lab *lab, int node, int k, char *buf, size_t len)
{
        const char *sw = lab->nodes[node].name;
        char b[64];
        snprintf(b, sizeof(b), "%s-p%d", sw, k + 1);
        if (strlen(b) > IFNAME_MAX)
                snprintf(b, sizeof(b), "o%d-p%d", node, k + 1);
        snprintf(buf, len, "%s", b);
}

int ovs_validate(const struct lab *lab, int node, char *err)
{
        if (ovs_check_installed(err) < 0)
                return -1;
        const struct node *n = &lab->nodes[node];
        if (strlen(n->name) > IFNAME_MAX || !strcmp(n->name, "ovs-netdev") ||
            !strcmp(n->name, "ovs-system")) {
                errno = EINVAL;
                return errf(err,
                            "switch \"%s\" of class ovs: its name is its bridge's interface name "
                            "in the lab's OVS (at most %d characters, not ovs-netdev or "
                            "ovs-system)",
                            n->name, IFNAME_MAX);
        }
        if (n->fw) {
                errno = EOPNOTSUPP;
                return errf(err, "switch \"%s\" of class ovs: firewall rules are for bridge and "
                                 "user switches (write OpenFlow rules with dpctl add-flow)",
                            n->name);
        }
        for (int c = 0; c < lab->nctls; c++)
                if (lab->ctls[c].kind == OVS_CTL_REF &&
                    ovs_check_controller_installed(err) < 0)
                        return -1;
        /* Every OVS switch's ports and bridge share LAB._ovs: one name each. */
        for (int k = 0; k < n->nifaces; k++) {
                const char *pn = lab->ifaces[n->ifaces[k]].name;
                for (int j = 0; j < lab->nnodes; j++) {
                        const struct node *o = &lab->nodes[j];
                        if (!lab_node_live(lab, j) || o->kind != n->kind ||
                            o->swclass != n->swclass)
                                continue;
                        bool clash = j != node && !strcmp(pn, o->name);
                        for (int q = 0; !clash && j != node && q < o->nifaces; q++)
                                clash = !strcmp(pn, lab->ifaces[o->ifaces[q]].name);
                        if (clash) {
                                errno = EEXIST;
                                return errf(err,
                                            "port \"%s\" of OVS switch \"%s\": \"%s\" has "
                                            "that name too (OVS switches of a lab share one "
                                            "namespace; leave ifname out for SWITCH-pN)",
                                            pn, n->name, o->name);
                        }
                }
        }
        return 0;
}

/* ---- children ---- */

void ovs_dir(const struct lab *lab, char *buf, size_t len)
{
        snprintf(buf, len, "%s/ovs", lab->rundir);
}

/* Runs argv with the lab's OVS directories (inside netns_fd when >= 0, as
 * `ip netns exec` enters: /sys remounted), output and errors in *out (may
 * be NULL). The exit status (128 + signal), or -1 with err. Safe from any
 * thread. */
static int run(const char *dir, int netns_fd, char *const argv[], char **out, char *err)
{
        if (out)
                *out = NULL;
        int p[2];
        if (pipe2(p, O_CLOEXEC) < 0)
                return errf_sys(err, NULL, "Cannot run %s", argv[0]);
        pid_t pid = fork();
        if (pid < 0) {
                close(p[0]);
                close(p[1]);
                return errf_sys(err, NULL, "Cannot run %s", argv[0]);
        }
        if (pid == 0) {
                sigset_t none;
                sigemptyset(&none);
                sigprocmask(SIG_SETMASK, &none, NULL);
                for (int s = 1; s < NSIG; s++)
                        signal(s, SIG_DFL);
                setpgid(0, 0);
                int dn = open("/dev/null", O_RDONLY);
                if (dn >= 0 && dn != 0) {
                        dup2(dn, 0);
                        close(dn);
                }
                dup2(p[1], 1);
                dup2(p[1], 2);
                char e[ERRLEN];
                if (netns_fd >= 0 && netns_enter(netns_fd, -1, e) < 0) {
                        dprintf(2, "%s\n", e);
                        _exit(127);
                }
                setenv("OVS_RUNDIR", dir, 1);
                setenv("OVS_DBDIR", dir, 1);
                setenv("OVS_LOGDIR", dir, 1);
                setenv("OVS_SYSCONFDIR", dir, 1);
                execvp(argv[0], argv);
                dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
                _exit(127);
        }
        close(p[1]);
        size_t cap = 1024, n = 0;
        char *buf = malloc(cap);
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        bool timed_out = false;
        for (;;) {
                struct timespec t;
                clock_gettime(CLOCK_MONOTONIC, &t);
                long left = OVS_TIMEOUT_MS - ((t.tv_sec - t0.tv_sec) * 1000 +
                                              (t.tv_nsec - t0.tv_nsec) / 1000000);
                if (left <= 0) {
                        timed_out = true;
                        break;
                }
                struct pollfd pf = {p[0], POLLIN, 0};
                int r = poll(&pf, 1, (int)left);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r <= 0)
                        continue;
                if (buf && n + 512 > cap) {
                        char *nb = realloc(buf, cap * 2);
                        if (!nb) {
                                free(buf);
                                buf = NULL;
                        } else {
                                buf = nb;
                                cap *= 2;
                        }
                }
                char tmp[512];
                ssize_t k = read(p[0], buf ? buf + n : tmp, buf ? cap - n - 1 : sizeof(tmp));
                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        break;
                if (buf)
                        n += (size_t)k;
        }
        close(p[0]);
        if (buf)
                buf[n] = '\0';
        if (timed_out)
                kill(-pid, SIGKILL);
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
                ;
        int status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        if (timed_out) {
                free(buf);
                errno = ETIMEDOUT;
                return errf(err, "%s did not answer within %d s", argv[0], OVS_TIMEOUT_MS / 1000);
        }
        if (out)
                *out = buf;
        else
                free(buf);
        return status;
}

/* run, where anything but exit 0 is an error quoting the tool's last line. */
static int run_ok(const char *dir, int netns_fd, char *const argv[], char **out, char *err)
{
        char *o = NULL;
        int st = run(dir, netns_fd, argv, &o, err);
        if (st < 0)
                return -1;
        if (st != 0) {
                char *msg = o ? o : "";
                size_t l = strlen(msg);
                while (l && msg[l - 1] == '\n')
                        msg[--l] = '\0';
                char *last = strrchr(msg, '\n');
                errno = EIO;
                errf(err, "%s failed (exit %d): %s", argv[0], st, last ? last + 1 : msg);
                free(o);
                return -1;
        }
        if (out)
                *out = o;
        else
                free(o);
        return 0;
}

static void journal_pidfile(struct lab *lab, const char *path)
{
        FILE *f = fopen(path, "re");
        int pid = 0;
        if (f && fscanf(f, "%d", &pid) == 1 && pid > 0 && lab->journal)
                journal_add(lab->journal, "proc %d %llu", pid, proc_starttime(pid));
        if (f)
                fclose(f);
}

static pid_t read_pidfile(const char *path)
{
        FILE *f = fopen(path, "re");
        int pid = 0;
        if (f && fscanf(f, "%d", &pid) != 1)
                pid = 0;
        if (f)
                fclose(f);
        return pid > 0 && kill(pid, 0) == 0 ? pid : 0;
}

/* ---- the lab's OVS ---- */

static int ovs_inside(void *ud, char *err)
{
        (void)ud;
        netns_sysctl("net/ipv6/conf/all/disable_ipv6", "1", NULL);
        struct nl *nl = nl_open(-1, err);
        if (!nl)
                return -1;
        int rc = nl_link_set_up(nl, 1, true, err);
        nl_close(nl);
        return rc;
}

/* A running lab whose OVS this process did not start (adopted: `netlab
 * attach` of a lab kept by `run --keep`): its daemons are found by their
 * database socket and LAB._ovs by its name. */
static void ovs_adopt(struct lab *lab)
{
        char p[PATH_MAX + 64];
        snprintf(p, sizeof(p), "%s/ovs/db.sock", lab->rundir);
        if (lab->ovs || lab->state != LAB_UP || access(p, F_OK) < 0)
                return;
        struct ovs_run *o = calloc(1, sizeof(*o));
        if (!o)
                return;
        lab_netns_path(lab, "_ovs", p, sizeof(p));
        o->netns_fd = open(p, O_RDONLY | O_CLOEXEC);
        o->daemons = o->bridges_made = o->netns_fd >= 0;
        lab->ovs = o;
}

int ovs_prepare(struct lab *lab, char *err)
{
        ovs_adopt(lab);
        if (lab->ovs)
                return 0;
        char dir[PATH_MAX + 8];
        ovs_dir(lab, dir, sizeof(dir));
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return errf_sys(err, NULL, "Cannot make \"%s\"", dir);
        struct ovs_run *o = calloc(1, sizeof(*o));
        if (!o)
                return errf_sys(err, NULL, "Cannot start the lab's Open vSwitch");
        int uts_fd;
        if (lab_make_namespace(lab, "_ovs", "ovs", ovs_inside, NULL, &o->netns_fd, &uts_fd, err) <
            0) {
                free(o);
                return -1;
        }
        close(uts_fd);
        lab->ovs = o;
        return 0;
}

int ovs_switch_namespaces(struct lab *lab, int node, char *err)
{
        if (!lab->ovs && ovs_prepare(lab, err) < 0)
                return -1;
        const char *name = lab->nodes[node].name;
        int net_fd, uts_fd;
        if (lab_make_namespace_sharing(lab, lab->ovs->netns_fd, name, name, NULL, NULL, &net_fd,
                                       &uts_fd, err) < 0)
                return -1;
        close(net_fd);
        close(uts_fd);
        return 0;
}

static int start_daemons(struct lab *lab, char *err)
{
        struct ovs_run *o = lab->ovs;
        if (o->daemons)
                return 0;
        char dir[PATH_MAX + 8], db[PATH_MAX + 32], sock[PATH_MAX + 48], pid[PATH_MAX + 48],
            ctl[PATH_MAX + 48], log[PATH_MAX + 48], remote[PATH_MAX + 56], e[ERRLEN];
        ovs_dir(lab, dir, sizeof(dir));
        snprintf(db, sizeof(db), "%s/conf.db", dir);
        snprintf(sock, sizeof(sock), "unix:%s/db.sock", dir);
        snprintf(remote, sizeof(remote), "--remote=punix:%s/db.sock", dir);
        char *create[] = {"ovsdb-tool", "create", db, OVS_SCHEMA, NULL};
        if (access(db, F_OK) < 0 && run_ok(dir, -1, create, NULL, e) < 0)
                return errf(err, "the lab's Open vSwitch: %s", e);
        snprintf(pid, sizeof(pid), "--pidfile=%s/ovsdb-server.pid", dir);
        snprintf(ctl, sizeof(ctl), "--unixctl=%s/ovsdb-server.ctl", dir);
        snprintf(log, sizeof(log), "--log-file=%s/ovsdb-server.log", dir);
        char *dbs[] = {"ovsdb-server", db, remote, pid, ctl, log, "--detach", "--no-chdir", NULL};
        if (run_ok(dir, o->netns_fd, dbs, NULL, e) < 0)
                return errf(err, "the lab's Open vSwitch: %s", e);
        o->daemons = true; /* from here, the teardown has something to stop */
        snprintf(pid, sizeof(pid), "%s/ovsdb-server.pid", dir);
        journal_pidfile(lab, pid);
        char dbarg[PATH_MAX + 64];
        snprintf(dbarg, sizeof(dbarg), "--db=%s", sock);
        char *init[] = {"ovs-vsctl", dbarg, "--no-wait", "init", NULL};
        if (run_ok(dir, -1, init, NULL, e) < 0)
                return errf(err, "the lab's Open vSwitch: %s", e);
        snprintf(pid, sizeof(pid), "--pidfile=%s/ovs-vswitchd.pid", dir);
        snprintf(ctl, sizeof(ctl), "--unixctl=%s/ovs-vswitchd.ctl", dir);
        snprintf(log, sizeof(log), "--log-file=%s/ovs-vswitchd.log", dir);
        char *vs[] = {"ovs-vswitchd", sock, pid, ctl, log, "--detach", "--no-chdir", NULL};
        if (run_ok(dir, o->netns_fd, vs, NULL, e) < 0)
                return errf(err, "the lab's Open vSwitch: %s (log: %s/ovs-vswitchd.log)", e, dir);
        snprintf(pid, sizeof(pid), "%s/ovs-vswitchd.pid", dir);
        journal_pidfile(lab, pid);
        for (int c = 0; c < lab->nctls; c++)
                if (lab->ctls[c].kind == OVS_CTL_REF && !lab->ctls[c].stopped &&
                    ovs_ctl_start(lab, c, err) < 0)
                        return -1;
        return 0;
}

void ovs_ctl_target(const struct lab *lab, int ctl, char *buf, size_t len)
{
        ovs_ctl_target_for(lab, ctl, -1, buf, len);
}

/* The arguments that make switch node: its bridge, settings, ports and
 * controllers, appended to av (strings in strs, 200 bytes each). */
static int bridge_args(const struct lab *lab, int node, char **av, int a, char *strs, int *s)
{
        const struct node *n = &lab->nodes[node];
#define ARG(...) (snprintf(strs + 200 * *s, 200, __VA_ARGS__), av[a++] = strs + 200 * (*s)++)
        ARG("--");
        ARG("add-br");
        ARG("%s", n->name);
        ARG("--");
        ARG("set");
        ARG("bridge");
        ARG("%s", n->name);
        ARG("datapath_type=%s", ovs_kernel_datapath() ? "system" : "netdev");
        ARG("fail_mode=%s", fail_mode_of(lab, node));
        ARG("other-config:datapath-id=%016x", node + 1);
        ARG("other-config:disable-in-band=true");
        ARG("protocols=OpenFlow10,OpenFlow13");

        for (int k = 0; k < n->nifaces; k++) {
                const struct iface *f = &lab->ifaces[n->ifaces[k]];
                ARG("--");
                ARG("add-port");
                ARG("%s", n->name);
                ARG("%s", f->name);
                /* VLANs as the bridge's: the PVID untagged is OVS's tag
                 * (native-untagged when the port also trunks), tagged
                 * VLANs its trunks. */
                int pvid = 0, nt = 0;
                char trunks[160] = "";
                for (int v = 0; v < f->nvlan; v++) {
                        if (f->vlan[v].pvid && f->vlan[v].untagged)
                                pvid = f->vlan[v].vid;
                        else if (strlen(trunks) < sizeof(trunks) - 8)
                                nt += snprintf(trunks + strlen(trunks),
                                               sizeof(trunks) - strlen(trunks), "%s%u",
                                               nt ? "," : "", f->vlan[v].vid) > 0;
                }
                if (pvid)
                        ARG("tag=%d", pvid);
                if (nt && pvid) {
                        ARG("trunks=%d,%s", pvid, trunks);
                        ARG("vlan_mode=native-untagged");
                } else if (nt) {
                        ARG("trunks=%s", trunks);
                }
        }
        if (lab->nctls) {
                ARG("--");
                ARG("set-controller");
                ARG("%s", n->name);
                for (int c = 0; c < lab->nctls; c++) {
                        char t[160];
                        ovs_ctl_target_for(lab, c, node, t, sizeof(t));
                        ARG("%s", t);
                }
        }
#undef ARG
        return a;
}

static bool is_ovs_switch(const struct lab *lab, int i)
{
        return lab_node_live(lab, i) && (lab->nodes[i].kind->flags & KIND_BRIDGE) &&
               lab->nodes[i].swclass == SWCLASS_OVS;
}

int ovs_switch_start(struct lab *lab, int node, char *err)
{
        if (!lab->ovs && ovs_prepare(lab, err) < 0)
                return -1;
        if (start_daemons(lab, err) < 0)
                return -1;
        /* During the build, the first switch makes them all, in one
         * transaction (vswitchd reconfigures once, not once per switch);
         * a switch added to a running lab makes its own. */
        bool all = lab->state == LAB_BUILDING;
        if (all && lab->ovs->bridges_made)
                return 0;
        for (int c = 0; !all && c < lab->nctls; c++) /* one more ref instance past 16 switches */
                if (lab->ctls[c].kind == OVS_CTL_REF && !lab->ctls[c].stopped &&
                    ovs_ctl_start(lab, c, err) < 0)
                        return -1;
        int max = 32;
        for (int i = 0; i < lab->nnodes; i++)
                if (i == node || (all && is_ovs_switch(lab, i)))
                        max += 32 + 4 * lab->nodes[i].nifaces + lab->nctls;
        char dir[PATH_MAX + 8], dbarg[PATH_MAX + 64], tmo[32], e[ERRLEN];
        ovs_dir(lab, dir, sizeof(dir));
        snprintf(dbarg, sizeof(dbarg), "--db=unix:%s/db.sock", dir);
        snprintf(tmo, sizeof(tmo), "--timeout=%d", OVS_TIMEOUT_MS / 1000);
        char **av = calloc((size_t)max, sizeof(char *));
        char *strs = calloc((size_t)max, 200);
        if (!av || !strs) {
                free(av);
                free(strs);
                return errf_sys(err, NULL, "switch \"%s\"", lab->nodes[node].name);
        }
        int a = 0, s = 0;
        av[a++] = "ovs-vsctl";
        av[a++] = dbarg;
        av[a++] = tmo;
        for (int i = 0; i < lab->nnodes; i++)
                if (i == node || (all && is_ovs_switch(lab, i)))
                        a = bridge_args(lab, i, av, a, strs, &s);
        av[a] = NULL;
        /* ovs-vsctl returns once vswitchd has applied it. */
        int rc = run_ok(dir, -1, av, NULL, e);
        free(av);
        free(strs);
        if (rc < 0)
                return errf(err, "switch%s \"%s\": %s", all ? "es from" : "",
                            lab->nodes[node].name, e);
        lab->ovs->bridges_made = all;
        return 0;
}

/* ovs-vsctl ARGS... against the lab's running OVS (nothing when it has
 * none, or none running: there is nothing to change). */
static int vsctl_running(struct lab *lab, const char *const args[], int nargs, char *err)
{
        ovs_adopt(lab);
        if (!lab->ovs || !lab->ovs->daemons)
                return 0;
        char dir[PATH_MAX + 8], dbarg[PATH_MAX + 64];
        ovs_dir(lab, dir, sizeof(dir));
        snprintf(dbarg, sizeof(dbarg), "--db=unix:%s/db.sock", dir);
        char *av[8] = {"ovs-vsctl", dbarg};
        for (int k = 0; k < nargs && k < 5; k++)
                av[2 + k] = (char *)args[k];
        return run_ok(dir, -1, av, NULL, err);
}

/* Adds (or with del, takes out) iface's port on its switch's bridge. */
static int port_ctl(struct lab *lab, int iface, bool del, char *err)
{
        const struct iface *f = &lab->ifaces[iface];
        const struct node *n = &lab->nodes[f->node];
        const char *args[] = {del ? "--if-exists" : "--may-exist", del ? "del-port" : "add-port",
                              n->name, f->name};
        char e[ERRLEN];
        if (vsctl_running(lab, args, 4, e) < 0)
                return errf(err, "port %s of switch \"%s\": %s", f->name, n->name, e);
        return 0;
}

int ovs_port_add(struct lab *lab, int iface, char *err)
{
        return port_ctl(lab, iface, false, err);
}

int ovs_port_del(struct lab *lab, int iface, char *err)
{
        return port_ctl(lab, iface, true, err);
}

int ovs_switch_stop(struct lab *lab, int node, char *err)
{
        const char *args[] = {"--if-exists", "del-br", lab->nodes[node].name};
        char e[ERRLEN];
        if (vsctl_running(lab, args, 3, e) < 0)
                return errf(err, "switch \"%s\": %s", lab->nodes[node].name, e);
        return 0;
}

/* ---- controllers ---- */

/* ovs-testcontroller takes at most 16 switches (its MAX_SWITCHES): a ref
 * controller is one instance per 16 OVS switches of the lab, NAME for the
 * first, NAME-1, NAME-2, ... after it; switch k (in the lab's order of OVS
 * switches) connects to instance k / 16. */
#define REF_SWITCHES 16

static int ovs_switch_ordinal(const struct lab *lab, int node)
{
        int k = 0;
        for (int i = 0; i < node && i < lab->nnodes; i++)
                k += is_ovs_switch(lab, i);
        return k;
}

static int ref_instances(const struct lab *lab)
{
        int n = ovs_switch_ordinal(lab, lab->nnodes);
        return n <= REF_SWITCHES ? 1 : (n + REF_SWITCHES - 1) / REF_SWITCHES;
}

/* "c0", "c0-1", ... */
static void ref_name(const struct ovs_ctl *c, int inst, char *buf, size_t len)
{
        if (inst)
                snprintf(buf, len, "%s-%d", c->name, inst);
        else
                snprintf(buf, len, "%s", c->name);
}

void ovs_ctl_target_for(const struct lab *lab, int ctl, int node, char *buf, size_t len)
{
        const struct ovs_ctl *c = &lab->ctls[ctl];
        char nm[48];
        ref_name(c, node < 0 ? 0 : ovs_switch_ordinal(lab, node) / REF_SWITCHES, nm, sizeof(nm));
        if (c->kind == OVS_CTL_REMOTE)
                snprintf(buf, len, "tcp:%s:%d", c->ip, c->port);
        else
                snprintf(buf, len, "unix:" LAB_RUN_DIR "/%s/ovs/%s.sock", lab->name, nm);
}

int ovs_ctl_start(struct lab *lab, int ctl, char *err)
{
        struct ovs_ctl *c = &lab->ctls[ctl];
        c->stopped = false;
        ovs_adopt(lab);
        if (c->kind != OVS_CTL_REF || !lab->ovs || !lab->ovs->daemons)
                return 0;
        char dir[PATH_MAX + 8], pid[PATH_MAX + 128], log[PATH_MAX + 128], ctlf[PATH_MAX + 128],
            lsn[PATH_MAX + 128], nm[48], e[ERRLEN];
        ovs_dir(lab, dir, sizeof(dir));
        for (int inst = 0; inst < ref_instances(lab); inst++) {
                ref_name(c, inst, nm, sizeof(nm));
                snprintf(pid, sizeof(pid), "%s/%s.pid", dir, nm);
                if (read_pidfile(pid))
                        continue; /* running */
                snprintf(pid, sizeof(pid), "--pidfile=%s/%s.pid", dir, nm);
                snprintf(log, sizeof(log), "--log-file=%s/%s.log", dir, nm);
                snprintf(ctlf, sizeof(ctlf), "--unixctl=%s/%s.ctl", dir, nm);
                snprintf(lsn, sizeof(lsn), "punix:%s/%s.sock", dir, nm);
                char *av[] = {"ovs-testcontroller", pid, log, ctlf, "--detach", "--no-chdir",
                              lsn, NULL};
                if (run_ok(dir, lab->ovs->netns_fd, av, NULL, e) < 0)
                        return errf(err, "controller \"%s\": %s", nm, e);
                snprintf(pid, sizeof(pid), "%s/%s.pid", dir, nm);
                journal_pidfile(lab, pid);
        }
        return 0;
}

int ovs_ctl_stop(struct lab *lab, int ctl, char *err)
{
        struct ovs_ctl *c = &lab->ctls[ctl];
        (void)err;
        c->stopped = true;
        if (c->kind != OVS_CTL_REF)
                return 0;
        for (int inst = 0; inst < ref_instances(lab); inst++) {
                char pid[PATH_MAX + 64], nm[48];
                ref_name(c, inst, nm, sizeof(nm));
                snprintf(pid, sizeof(pid), "%s/ovs/%s.pid", lab->rundir, nm);
                pid_t p = read_pidfile(pid);
                if (p)
                        kill(p, SIGTERM); /* it removes its socket and pid file as it goes */
        }
        return 0;
}

void ovs_ctl_state(struct lab *lab, int ctl, char *buf, size_t len)
{
        const struct ovs_ctl *c = &lab->ctls[ctl];
        char t[160];
        ovs_ctl_target(lab, ctl, t, sizeof(t));
        if (c->kind == OVS_CTL_REMOTE) {
                snprintf(buf, len, "remote %s", t);
                return;
        }
        int up = 0, n = ref_instances(lab);
        pid_t first = 0;
        for (int inst = 0; inst < n && lab->state == LAB_UP; inst++) {
                char pid[PATH_MAX + 64], nm[48];
                ref_name(c, inst, nm, sizeof(nm));
                snprintf(pid, sizeof(pid), "%s/ovs/%s.pid", lab->rundir, nm);
                pid_t p = read_pidfile(pid);
                up += p > 0;
                if (!first)
                        first = p;
        }
        if (up && n == 1)
                snprintf(buf, len, "ref running (pid %d) on %s", (int)first, t);
        else if (up)
                snprintf(buf, len, "ref running (%d of %d instances, 16 switches each) on %s...",
                         up, n, t);
        else
                snprintf(buf, len, "ref %s", c->stopped ? "stopped" : "not running");
}

void ovs_free(struct lab *lab)
{
        if (lab->ovs && lab->ovs->netns_fd >= 0)
                close(lab->ovs->netns_fd);
        free(lab->ovs);
        lab->ovs = NULL;
        free(lab->ctls);
        lab->ctls = NULL;
        lab->nctls = 0;
}

/* ---- status ---- */

/* The latest word of vswitchd's log on the connection BRIDGE<->TARGET:
 * 1 connected, 0 not (why gets the reason), -1 the log says nothing. The
 * database's is_connected lags the connection by seconds (vswitchd writes
 * it with its periodic status); the log line is written as it happens. */
static int log_connected(const char *log, size_t len, const char *bridge, const char *target,
                         char *why, size_t wlen)
{
        char key[256];
        snprintf(key, sizeof(key), "|rconn|INFO|%s<->%s: ", bridge, target);
        int kl = (int)strlen(key), state = -1;
        const char *p = log;
        char k2[256]; /* WARN lines: "connection failed (Connection refused)" */
        snprintf(k2, sizeof(k2), "|rconn|WARN|%s<->%s: ", bridge, target);
        while (p && p < log + len) {
                const char *a = strstr(p, key), *b = strstr(p, k2);
                const char *hit = !a ? b : !b ? a : a < b ? a : b;
                if (!hit)
                        break;
                const char *msg = hit + (hit == a ? kl : (int)strlen(k2));
                size_t ml = strcspn(msg, "\n");
                if (!strncmp(msg, "connected", ml))
                        state = 1;
                else if (ml >= 10 && (!strncmp(msg, "connection", 10) ||
                                      !strncmp(msg, "connecting", 10))) {
                        state = 0;
                        const char *par = memchr(msg, '(', ml);
                        if (par)
                                snprintf(why, wlen, "%.*s", (int)(msg + ml - par), par);
                }
                p = msg + ml;
        }
        return state;
}

static char *read_log(const char *dir, size_t *len)
{
        char path[PATH_MAX + 32];
        snprintf(path, sizeof(path), "%s/ovs-vswitchd.log", dir);
        FILE *f = fopen(path, "re");
        if (!f)
                return NULL;
        /* The last 256 KiB say how each connection is now. */
        if (fseek(f, -262144, SEEK_END) < 0)
                rewind(f);
        char *buf = malloc(262145);
        *len = buf ? fread(buf, 1, 262144, f) : 0;
        if (buf)
                buf[*len] = '\0';
        fclose(f);
        return buf;
}

int ovs_status_all(const char *dir, const char *const *bridges, int n, bool flows,
                   struct ovs_status *st, char *err)
{
        for (int b = 0; b < n; b++) {
                memset(&st[b], 0, sizeof(st[b]));
                st[b].nflows = -1;
        }
        char dbarg[PATH_MAX + 64];
        snprintf(dbarg, sizeof(dbarg), "--db=unix:%s/db.sock", dir);
        char *o = NULL;
        /* Each bridge's fail mode and controllers (uuids), then every
         * controller: uuid, target, connected, status. */
        char *av[] = {"ovs-vsctl", dbarg, "--timeout=5", "--format=csv", "--data=bare",
                      "--no-headings", "--", "--columns=name,fail_mode,controller", "list",
                      "Bridge", "--", "--columns=_uuid,target,is_connected,status", "list",
                      "Controller", NULL};
        if (run_ok(dir, -1, av, &o, err) < 0)
                return -1;
        size_t loglen = 0;
        char *log = read_log(dir, &loglen);
        /* Bridge rows name a bridge (at most 15 characters); controller
         * rows start with a 36-character uuid. */
        char *save = NULL;
        char *rows[4096];
        int nrows = 0;
        for (char *l = strtok_r(o, "\n", &save); l && nrows < 4096; l = strtok_r(NULL, "\n", &save))
                rows[nrows++] = l;
        for (int r = 0; r < nrows; r++) {
                char *c1 = strchr(rows[r], ',');
                if (!c1 || c1 - rows[r] == 36)
                        continue;
                *c1 = '\0';
                int b = 0;
                while (b < n && strcmp(bridges[b], rows[r]))
                        b++;
                char *fm = c1 + 1, *c2 = strchr(fm, ',');
                if (b == n || !c2)
                        continue;
                *c2 = '\0';
                snprintf(st[b].fail_mode, sizeof(st[b].fail_mode), "%s", *fm ? fm : "standalone");
                for (char *u = c2 + 1; *u; u += strspn(u, " ")) {
                        size_t ul = strcspn(u, " ");
                        for (int q = 0; q < nrows; q++) {
                                if (strncmp(rows[q], u, ul) || rows[q][ul] != ',')
                                        continue;
                                char target[128] = "", conn[16] = "";
                                if (sscanf(rows[q] + ul + 1, "%127[^,],%15[^,]", target, conn) < 2)
                                        continue;
                                bool up = !strcmp(conn, "true");
                                const char *why = strstr(rows[q], "last_error=");
                                char w[80] = "", lw[64] = "";
                                if (why && !up)
                                        snprintf(w, sizeof(w), " (%.*s)",
                                                 (int)strcspn(why + 11, "\"=}"), why + 11);
                                /* "...Network is unreachable state" → cut the next key */
                                char *sp = strstr(w, " state");
                                if (sp) {
                                        sp[0] = ')';
                                        sp[1] = '\0';
                                }
                                int lc = log ? log_connected(log, loglen, bridges[b], target, lw,
                                                             sizeof(lw))
                                             : -1;
                                if (lc >= 0)
                                        up = lc == 1;
                                if (lc == 0 && lw[0])
                                        snprintf(w, sizeof(w), " %s", lw);
                                else if (up)
                                        w[0] = '\0';
                                st[b].nctl++;
                                st[b].nconnected += up;
                                st[b].nfailed += !up && lc == 0 && lw[0];
                                size_t cl = strlen(st[b].ctl);
                                snprintf(st[b].ctl + cl, sizeof(st[b].ctl) - cl, "%s%s %s%s",
                                         cl ? "; " : "", target,
                                         up ? "connected" : "not connected", w);
                        }
                        u += ul;
                }
        }
        free(o);
        free(log);
        for (int b = 0; flows && b < n; b++) {
                char *ag[] = {"ovs-ofctl", "dump-aggregate", (char *)bridges[b], NULL};
                if (run_ok(dir, -1, ag, &o, err) == 0) {
                        const char *fc = o ? strstr(o, "flow_count=") : NULL;
                        if (fc)
                                st[b].nflows = atoi(fc + 11);
                }
                free(o);
                o = NULL;
        }
        return 0;
}

int ovs_switch_status(const char *dir, const char *bridge, struct ovs_status *st, char *err)
{
        const char *b[1] = {bridge};
        return ovs_status_all(dir, b, 1, true, st, err);
}

/* Waits until every OVS switch with controllers has one connected, at most
 * timeout_s; warn gets a line per switch that is not. */
void ovs_wait_connected(struct lab *lab, double timeout_s,
                        void (*warn)(void *ud, const char *line), void *ud)
{
        if (!lab->ovs || !lab->ovs->daemons)
                return;
        int n = 0;
        const char **names = calloc((size_t)lab->nnodes + 1, sizeof(*names));
        int *idx = calloc((size_t)lab->nnodes + 1, sizeof(*idx));
        struct ovs_status *st = calloc((size_t)lab->nnodes + 1, sizeof(*st));
        for (int i = 0; names && idx && st && i < lab->nnodes; i++)
                if (lab_node_live(lab, i) && (lab->nodes[i].kind->flags & KIND_BRIDGE) &&
                    lab->nodes[i].swclass == SWCLASS_OVS) {
                        idx[n] = i;
                        names[n++] = lab->nodes[i].name;
                }
        char dir[PATH_MAX + 8], e[ERRLEN] = "";
        ovs_dir(lab, dir, sizeof(dir));
        struct timespec t0, t;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        bool all = false;
        for (;;) {
                if (!n || !lab->nctls || ovs_status_all(dir, names, n, false, st, e) < 0)
                        break;
                all = true; /* every controller connected, or refused already */
                for (int b = 0; b < n; b++)
                        all = all && st[b].nconnected + st[b].nfailed >= st[b].nctl;
                clock_gettime(CLOCK_MONOTONIC, &t);
                if (all || (t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9 >= timeout_s ||
                    lab_stop_requested)
                        break;
                usleep(250000);
        }
        char line[ERRLEN + 512];
        if (e[0]) {
                snprintf(line, sizeof(line), "the lab's Open vSwitch: %s", e);
                warn(ud, line);
        }
        for (int b = 0; b < n && !e[0]; b++) {
                const struct node *nd = &lab->nodes[idx[b]];
                if (!lab->nctls && !strcmp(fail_mode_of(lab, idx[b]), "secure"))
                        snprintf(line, sizeof(line),
                                 "%s: switch %s is in fail mode secure with no controller: it "
                                 "forwards nothing (add lab:controller, or fail_mode = "
                                 "\"standalone\")",
                                 nd->where, nd->name);
                else if (lab->nctls && st[b].nconnected < st[b].nctl)
                        snprintf(line, sizeof(line),
                                 "%s: switch %s: %s; fail mode %s: %s", nd->where, nd->name,
                                 st[b].ctl, st[b].fail_mode,
                                 st[b].nconnected ? "the connected controller decides"
                                 : strcmp(st[b].fail_mode, "secure")
                                     ? "no controller, it forwards as a learning switch"
                                     : "no controller, it forwards nothing");
                else
                        continue;
                warn(ud, line);
        }
        free(names);
        free(idx);
        free(st);
}
