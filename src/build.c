/* build.c — turning a lab model into kernel objects, and back.
 *
 * Order of a build: lock the lab's name, journal, namespaces (with their
 * sysctls set from inside), bridges, veth pairs straight into their
 * namespaces, subinterfaces, addresses, routes, qdiscs, VLANs, datapath.
 * Every namespace is journaled before it exists; everything else lives
 * inside a namespace and dies with it. Teardown is the reverse in three
 * strokes: kill the lab's processes, stop the datapath, close the
 * namespaces (the kernel then drops all their links at once). */
#include "lab.h"
#include "live.h"
#include "uplink.h"
#include "clean.h"
#include "dp.h"
#include "plan.h"
#include "ovs.h"
#include "swclass.h"
#include "hosts.h"
#include "nodefs.h"
#include "journal.h"
#include "netns.h"
#include "nl.h"
#include "rundir.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mount.h>

volatile sig_atomic_t lab_stop_requested;

static void on_stop_signal(int sig)
{
        lab_stop_requested = sig;
}

void lab_catch_stop_signals(void)
{
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_stop_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        signal(SIGPIPE, SIG_IGN);
}

static void progress(struct lab *lab, const char *stage, int done, int total)
{
        if (lab->progress)
                lab->progress(lab->progress_ud, stage, done, total);
}

static int stop_check(struct lab *lab, char *err)
{
        if (!lab_stop_requested)
                return 0;
        errno = EINTR;
        return errf(err, "Build of lab \"%s\" interrupted", lab->name);
}

/* Enough descriptors for two namespace fds per node and sockets. As root the
 * hard limit is raised too, within fs.nr_open (a Debian machine's default
 * hard limit is far below what 10,000 nodes hold); a lab that still cannot
 * fit is refused before anything is made, naming the limit and the fix. */
/* Per-node sockets kept open at once during a build: a lab of any size
 * needs a bounded number of descriptors. */
#define BUILD_NL_CACHE 64

static int raise_nofile(const struct lab *lab, char *err)
{
        struct rlimit rl;
        if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
                return 0;
        /* A bounded number whatever the lab's size: the namespace fds and
         * per-node sockets are caches (lab_ns_fd, node_nl). */
        rlim_t want = 2 * LAB_NSFD_CACHE + BUILD_NL_CACHE + 256;
        if (rl.rlim_cur >= want)
                return 0;
        if (rl.rlim_max < want) {
                rlim_t nr_open = 0;
                FILE *f = fopen("/proc/sys/fs/nr_open", "re");
                unsigned long long v;
                if (f && fscanf(f, "%llu", &v) == 1)
                        nr_open = (rlim_t)v;
                if (f)
                        fclose(f);
                struct rlimit hard = {want, want < nr_open ? nr_open : want};
                if (setrlimit(RLIMIT_NOFILE, &hard) == 0)
                        return 0;
        }
        rl.rlim_cur = want < rl.rlim_max ? want : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        if (rl.rlim_cur < want) {
                errno = EMFILE;
                return errf(err,
                            "Lab \"%s\" needs %llu open files; the limit is %llu "
                            "and cannot be raised (raise fs.nr_open, or `ulimit -Hn %llu` as root)",
                            lab->name, (unsigned long long)want,
                            (unsigned long long)rl.rlim_cur, (unsigned long long)want);
        }
        return 0;
}

/* Another running lab using our MAC prefix: move ours deterministically. */
static void mac_prefix_settle(struct lab *lab, int root_fd)
{
        for (int salt = 0; salt < 64; salt++) {
                bool clash = false;
                int dfd = dup(root_fd);
                DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
                if (!d && dfd >= 0)
                        close(dfd);
                struct dirent *de;
                while (d && (de = readdir(d))) {
                        if (de->d_name[0] == '.' || strcmp(de->d_name, lab->name) == 0)
                                continue;
                        char path[PATH_MAX];
                        snprintf(path, sizeof(path), "%s/macprefix", de->d_name);
                        int fd = openat(root_fd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
                        char buf[16];
                        ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
                        if (fd >= 0)
                                close(fd);
                        if (n > 0) {
                                buf[n] = '\0';
                                if (strtoul(buf, NULL, 16) == lab->mac_prefix)
                                        clash = true;
                        }
                }
                if (d)
                        closedir(d);
                if (!clash)
                        break;
                lab->mac_prefix = (uint16_t)(lab->mac_prefix * 40503u + 1 + (unsigned)salt);
        }
        for (int i = 0; i < lab->nifaces; i++) {
                lab->ifaces[i].mac[1] = (uint8_t)(lab->mac_prefix >> 8);
                lab->ifaces[i].mac[2] = (uint8_t)lab->mac_prefix;
        }
}

static int write_file_at(int dir_fd, const char *name, const char *text)
{
        int fd = openat(dir_fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return -1;
        ssize_t n = write(fd, text, strlen(text));
        close(fd);
        return n < 0 ? -1 : 0;
}

/* Takes /run/netlab/LAB: refuses when it exists (running or left behind).
 * Returns the run directory's descriptor, or -1. */
static int claim_rundir(struct lab *lab, int root_fd, char *err)
{
        int dir_fd = rundir_create(root_fd, lab->name, err);
        if (dir_fd < 0 && errno != EEXIST)
                return -1;
        if (dir_fd < 0) {
                char e[ERRLEN];
                int fd = rundir_open(root_fd, lab->name, e);
                if (fd < 0)
                        return errf(err, "Cannot build lab \"%s\": %s", lab->name, e);
                close(fd);
                errno = EEXIST;
                if (lab_running(lab->name, e))
                        return errf(err,
                                    "%s; name this one differently: netlab --name NAME LAB.lua "
                                    "(or netlab.lab(\"NAME\") in the file)",
                                    e);
                return errf(err,
                            "lab \"%s\" was left behind by a netlab that did not finish; run "
                            "`netlab clean %s` first",
                            lab->name, lab->name);
        }
        lab->lock_fd = openat(dir_fd, "lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (lab->lock_fd < 0 || flock(lab->lock_fd, LOCK_EX | LOCK_NB) < 0) {
                errf_sys(err, NULL, "Cannot lock \"%s/lock\"", lab->rundir);
                if (lab->lock_fd >= 0)
                        close(lab->lock_fd);
                lab->lock_fd = -1;
                unlinkat(dir_fd, "lock", 0);
                close(dir_fd);
                unlinkat(root_fd, lab->name, AT_REMOVEDIR);
                return -1;
        }
        return dir_fd;
}

struct build_ctx {
        struct nl *host;  /* socket in netlab's own namespace: creates veths */
        struct nl **node; /* per-node sockets, opened lazily, at most BUILD_NL_CACHE */
        int nl_ring[BUILD_NL_CACHE]; /* nodes with a socket in node[], index + 1 */
        int nl_next;
        int *bridge;      /* per-node bridge ifindex (switches) */
        int run_fd;       /* the lab's run directory (rundir.h) */
};

struct inside_ctx {
        struct lab *lab;
        struct build_ctx *b;
        int node;
};

/* The sysctls of node's kind, from inside its namespace (node_inside, and
 * netns_run_in for lab_reset). */
static int kind_sysctls(void *ud, char *err)
{
        const struct node *n = ud;
        bool v6 = n->ipv6 && (n->kind->flags & KIND_L3);
        for (const struct kind_sysctl *s = n->kind->sysctls; s && s->path; s++)
                if ((!s->ipv6 || v6) && netns_sysctl(s->path, s->value, err) < 0)
                        return -1;
        return 0;
}

/* In the node's new namespace: IPv6 on or off, the kind's sysctls, the
 * node's netlink socket, lo up, then the kind's own objects (a bridge). */
static int node_inside(void *ud, char *err)
{
        struct inside_ctx *c = ud;
        const struct node *n = &c->lab->nodes[c->node];
        const struct node_kind *k = n->kind;
        bool v6 = n->ipv6 && (k->flags & KIND_L3);
        if (!v6) {
                /* Switch ports and IPv4-only hosts never autoconfigure IPv6:
                 * the link-local addresses, DAD and router solicitations
                 * flooding through bridges cost minutes on large labs. */
                /* Writing "all" sets "default" too (one rtnl round, not two):
                 * interfaces created later inherit it. */
                netns_sysctl("net/ipv6/conf/all/disable_ipv6", "1", NULL);
        } else {
                netns_sysctl("net/ipv6/conf/default/accept_dad", "0", NULL);
        }
        if (kind_sysctls((void *)n, err) < 0)
                return -1;
        /* The node's netlink socket, opened here without a setns round trip. */
        /* The node's netlink socket, opened here without a setns round
         * trip, closed before the next node: no descriptor per node. */
        struct nl *nl = nl_open(-1, err);
        if (!nl)
                return -1;
        nl_set_label(nl, n->name);
        int rc = nl_link_set_up(nl, 1, true, err);
        if (rc == 0 && k->inside) {
                struct kind_ctx kc = {.lab = c->lab, .node = c->node, .nl = nl};
                rc = k->inside(&kc, err);
                if (rc == 0)
                        c->b->bridge[c->node] = kc.master;
        }
        nl_close(nl);
        return rc;
}

/* The file at np that a namespace is mounted on (fails with EEXIST when it
 * is there). During a build every node's file is a hard link of the first
 * one's (lab->nsfile): where /run is a disk (ext4 without a journal, as on
 * some machines), each new inode costs a walk over the inodes deleted in the
 * last minute, so a build after a big teardown was quadratic; link()
 * allocates nothing. A file of its own when linking fails otherwise (65,000
 * links, no CAP_DAC_READ_SEARCH). */
static int ns_file_create(struct lab *lab, const char *np)
{
        int base = __atomic_load_n(&lab->nsfile, __ATOMIC_ACQUIRE) - 1;
        if (base >= 0) {
                if (linkat(base, "", AT_FDCWD, np, AT_EMPTY_PATH) == 0)
                        return 0;
                if (errno == EEXIST)
                        return -1;
        }
        int fd = open(np, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
        if (fd < 0)
                return -1;
        close(fd);
        if (base == -2) { /* on, and no file to link from yet: this one */
                int p = open(np, O_PATH | O_CLOEXEC), want = -1;
                if (p >= 0 && !__atomic_compare_exchange_n(&lab->nsfile, &want, p + 1, false,
                                                           __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
                        close(p);
        }
        return 0;
}

/* Creates node i's namespaces (called from several threads at once: each
 * touches only its own node; journal lines are single O_APPEND writes). */
int lab_make_namespace(struct lab *lab, const char *name, const char *hostname,
                       netns_inside_fn inside, void *ud, int *net_fd, int *uts_fd, char *err)
{
        return lab_make_namespace_sharing(lab, -1, name, hostname, inside, ud, net_fd, uts_fd,
                                          err);
}

int lab_make_namespace_sharing(struct lab *lab, int share_net_fd, const char *name,
                               const char *hostname, netns_inside_fn inside, void *ud,
                               int *net_fd, int *uts_fd, char *err)
{
        char up[PATH_MAX + 64], np[PATH_MAX];
        lab_netns_path(lab, name, np, sizeof(np));
        snprintf(up, sizeof(up), "%s/uts/%s", lab->rundir, name);
        /* "claim" before the file exists, so a kill -9 right after creating
         * it leaves nothing unjournaled; "netns" once the name is ours. A
         * name someone else holds is marked "notours": clean never touches
         * it (and a claimed-only path is removed only if nothing is mounted
         * on it, since we mount after the "netns" line). */
        if (journal_add(lab->journal, "claim %s", np) < 0)
                return errf_sys(err, NULL, "Cannot write the journal of lab \"%s\"", lab->name);
        if (ns_file_create(lab, np) < 0) {
                int saved = errno;
                journal_add(lab->journal, "notours %s", np);
                errno = saved;
                return errf_sys(err, NULL, "Cannot create namespace \"%s.%s\"", lab->name, name);
        }
        if (journal_add(lab->journal, "netns %s", np) < 0 ||
            journal_add(lab->journal, "uts %s", up) < 0)
                return errf_sys(err, NULL, "Cannot write the journal of lab \"%s\"", lab->name);
        char e[ERRLEN], hint[320];
        if (netns_create_sharing(share_net_fd, np, up, hostname, inside, ud, net_fd, uts_fd, e) <
            0) {
                int saved = errno;
                int left = 0; /* the namespaces still to make, this one too */
                for (int i = 0; i < lab->nnodes; i++)
                        left += lab_node_live(lab, i) && !lab->nodes[i].made;
                netns_limit_hint(saved, strstr(e, "bind mount") != NULL, left > 0 ? left : 1, hint,
                                 sizeof(hint));
                errno = saved;
                return errf(err, "%s%s", e, hint);
        }
        return 0;
}

static int create_node_namespaces(struct lab *lab, struct build_ctx *b, int i, char *err)
{
        struct node *n = &lab->nodes[i];
        struct inside_ctx ctx = {lab, b, i};
        char e[ERRLEN];
        int net_fd, uts_fd;
        if (swclass_of(lab, i) == SWCLASS_OVS) { /* in the lab's OVS namespace (ovs.h) */
                if (ovs_switch_namespaces(lab, i, e) < 0)
                        return errf(err, "%s: %s", n->where, e);
                n->made = true;
                return 0;
        }
        if (lab_make_namespace(lab, n->name, n->name, node_inside, &ctx, &net_fd, &uts_fd, e) < 0)
                return errf(err, "%s: %s", n->where, e);
        /* Held by their mounts: this process keeps no descriptor per node
         * (lab_ns_fd opens them again when asked). */
        close(net_fd);
        close(uts_fd);
        n->made = true;
        return 0;
}

struct ns_workers {
        struct lab *lab;
        struct build_ctx *b;
        int nthreads;
        atomic_int next; /* the next node to take */
        atomic_int done;
        atomic_bool failed;
        pthread_mutex_t lock;
        char err[ERRLEN]; /* the first error */
        int err_errno;    /* ... and its errno */
};

/* Takes nodes until none is left or one failed; the thread that reports
 * progress is the caller's (the console's callback is not for others). */
static void ns_work(struct ns_workers *w, bool report)
{
        struct lab *lab = w->lab;
        char e[ERRLEN];
        netns_sysctl_batch(true);
        for (;;) {
                int i = atomic_fetch_add(&w->next, 1);
                if (i >= lab->nnodes || atomic_load(&w->failed))
                        break;
                if (lab_node_live(lab, i)) {
                        if (stop_check(lab, e) < 0 || create_node_namespaces(lab, w->b, i, e) < 0) {
                                int saved = errno;
                                pthread_mutex_lock(&w->lock);
                                if (!atomic_load(&w->failed)) {
                                        snprintf(w->err, sizeof(w->err), "%s", e);
                                        w->err_errno = saved;
                                }
                                atomic_store(&w->failed, true);
                                pthread_mutex_unlock(&w->lock);
                                break;
                        }
                        atomic_fetch_add(&w->done, 1);
                }
                if (report && (i & 31) == 31)
                        progress(lab, "namespaces", atomic_load(&w->done), lab->nnodes);
        }
        netns_sysctl_batch(false);
}

static void *ns_worker(void *arg)
{
        ns_work(arg, false);
        return NULL;
}

/* The node namespaces, made by one thread per core: the kernel work
 * (and, where /run is on a disk, the mount-point files) overlaps. The UTS
 * mount points live on a tmpfs of the lab's own (journaled as a mount). */
static int create_namespaces(struct lab *lab, struct build_ctx *b, char *err)
{
        char up[PATH_MAX + 64];
        snprintf(up, sizeof(up), "%s/uts", lab->rundir);
        if (mkdirat(b->run_fd, "uts", 0700) < 0 && errno != EEXIST)
                return errf_sys(err, NULL, "Cannot create \"%s\"", up);
        journal_add(lab->journal, "mount %s", up);
        if (mount("netlab", up, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755") < 0)
                return errf_sys(err, NULL, "Cannot mount a tmpfs on \"%s\"", up);
        /* The lab's Open vSwitch namespace first: OVS switches share it (ovs.h). */
        if (swclass_lab_has(lab, SWCLASS_OVS) && ovs_prepare(lab, err) < 0)
                return -1;
        struct ns_workers w = {.lab = lab, .b = b};
        lab->nsfile = -1;
        pthread_mutex_init(&w.lock, NULL);
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        w.nthreads = lab->nnodes < 64 ? 1 : cores < 1 ? 1 : cores > 4 ? 4 : (int)cores;
        pthread_t th[4];
        int started = 0;
        for (int t = 1; t < w.nthreads; t++)
                if (pthread_create(&th[started], NULL, ns_worker, &w) == 0)
                        started++;
        ns_work(&w, true);
        for (int t = 0; t < started; t++)
                pthread_join(th[t], NULL);
        pthread_mutex_destroy(&w.lock);
        if (lab->nsfile > 0)
                close(lab->nsfile - 1);
        lab->nsfile = 0;
        if (atomic_load(&w.failed)) {
                errno = w.err_errno ? w.err_errno : EINVAL;
                return errf(err, "%s", w.err);
        }
        progress(lab, "namespaces", lab->nnodes, lab->nnodes);
        return 0;
}

/* Is this port enslaved to its switch's kernel bridge? */
static bool port_on_kernel_bridge(const struct lab *lab, int iface)
{
        return swclass_kernel_bridge(lab, lab->ifaces[iface].node);
}

/* A netlink socket in node's namespace, its messages naming the node
 * ("h1:eth0"). */
static struct nl *node_nl_open(struct lab *lab, int node, char *err)
{
        char e[ERRLEN];
        int fd = lab_ns_fd(lab, &lab->nodes[node], CLONE_NEWNET, e);
        struct nl *nl = fd < 0 ? NULL : nl_open(fd, e);
        if (!nl) {
                errf(err, "node \"%s\": %s", lab->nodes[node].name, e);
                return NULL;
        }
        nl_set_label(nl, lab->nodes[node].name);
        return nl;
}

static struct nl *node_nl(struct lab *lab, struct build_ctx *b, int node, char *err)
{
        if (b->node[node])
                return b->node[node];
        struct nl *nl = node_nl_open(lab, node, err);
        if (!nl)
                return NULL;
        int *r = &b->nl_ring[b->nl_next];
        if (*r > 0 && b->node[*r - 1]) {
                nl_close(b->node[*r - 1]);
                b->node[*r - 1] = NULL;
        }
        *r = node + 1;
        b->nl_next = (b->nl_next + 1) % BUILD_NL_CACHE;
        return b->node[node] = nl;
}

/* A link on a datapath wire (plan.h): each end is a veth whose peer is in
 * LAB._dp, where the datapath joins the two peers with the link's
 * impairments. */
static int create_wire(struct lab *lab, struct build_ctx *b, int link, char *err)
{
        struct link *l = &lab->links[link];
        int dpfd = dp_netns_fd(lab, err);
        if (dpfd < 0)
                return -1;
        int ends[2] = {l->a, l->b};
        for (int k = 0; k < 2; k++) {
                struct iface *f = &lab->ifaces[ends[k]];
                char la[64], lp[64], pn[16], e[ERRLEN];
                iface_label(lab, ends[k], la, sizeof(la));
                dp_wire_peer_name(link, k, pn, sizeof(pn));
                snprintf(lp, sizeof(lp), "%s._dp:%s", lab->name, pn);
                int nfd = lab_ns_fd(lab, &lab->nodes[f->node], CLONE_NEWNET, e);
                if (nfd < 0)
                        return errf(err, "%s: %s", l->where, e);
                struct veth_end node_end = {
                    .name = f->name,
                    .label = la,
                    .netns_fd = nfd,
                    .mac = f->mac,
                    .mtu = f->mtu,
                    .master = port_on_kernel_bridge(lab, ends[k]) ? b->bridge[f->node] : 0,
                    .up = l->up,
                };
                struct veth_end peer = {
                    .name = pn, .label = lp, .netns_fd = dpfd, .mtu = f->mtu, .up = true};
                if (nl_veth_add(b->host, &node_end, &peer, &f->ifindex, NULL, e) < 0)
                        return errf(err, "%s: %s", l->where, e);
                l->wired = true;
        }
        return 0;
}

/* One link's veth pair (or its wire), straight into its two nodes. */
static int create_link(struct lab *lab, struct build_ctx *b, int i, char *err)
{
        struct link *l = &lab->links[i];
        if (plan_link_on_wire(lab, i))
                return create_wire(lab, b, i, err);
        int ia = l->a, ib = l->b;
        /* The kernel honours IFLA_MASTER on the first end only: put a
         * bridged switch port first when there is one. */
        if (!port_on_kernel_bridge(lab, ia) && port_on_kernel_bridge(lab, ib)) {
                int t = ia;
                ia = ib;
                ib = t;
        }
        struct iface *fa = &lab->ifaces[ia], *fb = &lab->ifaces[ib];
        char la[64], lb[64], e[ERRLEN];
        iface_label(lab, ia, la, sizeof(la));
        iface_label(lab, ib, lb, sizeof(lb));
        int fda = lab_ns_fd(lab, &lab->nodes[fa->node], CLONE_NEWNET, e);
        int fdb = fda < 0 ? -1 : lab_ns_fd(lab, &lab->nodes[fb->node], CLONE_NEWNET, e);
        if (fda < 0 || fdb < 0)
                return errf(err, "%s: %s", l->where, e);
        struct veth_end ea = {
            .name = fa->name,
            .label = la,
            .netns_fd = fda,
            .mac = fa->mac,
            .mtu = fa->mtu,
            .master = port_on_kernel_bridge(lab, ia) ? b->bridge[fa->node] : 0,
            .up = l->up,
        };
        struct veth_end eb = {
            .name = fb->name,
            .label = lb,
            .netns_fd = fdb,
            .mac = fb->mac,
            .mtu = fb->mtu,
            .up = l->up,
        };
        if (nl_veth_add(b->host, &ea, &eb, &fa->ifindex, &fb->ifindex, e) < 0)
                return errf(err, "%s: %s", l->where, e);
        if (port_on_kernel_bridge(lab, ib)) {
                struct nl *nl = node_nl(lab, b, fb->node, err);
                if (!nl)
                        return -1;
                if (nl_link_set_master(nl, fb->ifindex, b->bridge[fb->node], e) < 0)
                        return errf(err, "%s: %s", l->where, e);
        }
        return 0;
}

static int create_links(struct lab *lab, struct build_ctx *b, char *err)
{
        progress(lab, "links", 0, lab->nlinks);
        for (int i = 0; i < lab->nlinks; i++) {
                if (stop_check(lab, err) < 0 || create_link(lab, b, i, err) < 0)
                        return -1;
                if ((i & 63) == 63 || i == lab->nlinks - 1)
                        progress(lab, "links", i + 1, lab->nlinks);
        }
        return 0;
}

static int create_subifs(struct lab *lab, struct build_ctx *b, char *err)
{
        bool any = false;
        for (int i = 0; i < lab->nifaces; i++)
                any |= lab->ifaces[i].link < 0;
        if (!any)
                return 0;
        if (plan_subif_in_userspace(lab))
                return dp_prepare(lab, err);
        for (int i = 0; i < lab->nifaces; i++) {
                struct iface *f = &lab->ifaces[i];
                if (f->link >= 0)
                        continue;
                struct nl *nl = node_nl(lab, b, f->node, err);
                if (!nl)
                        return -1;
                char e[ERRLEN];
                f->ifindex = nl_vlan_add(nl, lab->ifaces[f->parent].ifindex, f->name, f->vid,
                                         f->mac, true, e);
                if (f->ifindex < 0)
                        return errf(err, "%s: %s", lab->nodes[f->node].where, e);
        }
        return 0;
}

/* One node's addresses, default gateways and static routes. With restore,
 * what is already there is fine (EEXIST), and a route whose way out is
 * still down (ENETUNREACH) waits for that link to come up. */
int lab_node_apply_l3(struct lab *lab, struct nl *nl, int node, bool restore, char *err)
{
        char e[ERRLEN];
        struct node *n = &lab->nodes[node];
        for (int k = 0; k < n->nifaces; k++) {
                struct iface *f = &lab->ifaces[n->ifaces[k]];
                for (int a = 0; a < f->naddr; a++)
                        if (nl_addr_add(nl, f->ifindex, &f->addr[a], e) < 0 &&
                            !(restore && errno == EEXIST))
                                return errf(err, "%s: %s", n->where, e);
        }
        const struct ipaddr *gws[2] = {&n->gw4, &n->gw6};
        int gw6_if = lab_node_gw6_iface(lab, node, err); /* a link-local gw6 needs its dev */
        if (gw6_if == -1)
                return -1;
        int gw_dev[2] = {0, gw6_if >= 0 ? lab->ifaces[gw6_if].ifindex : 0};
        for (int g = 0; g < 2; g++)
                if (gws[g]->family && nl_route_add(nl, NULL, gws[g], gw_dev[g], e) < 0 &&
                    !(restore && (errno == EEXIST || errno == ENETUNREACH)))
                        return errf(err, "%s: %s", n->where, e);
        for (int r = 0; r < n->nroutes; r++) {
                int ll = lab_route_iface(lab, node, r, err); /* a link-local via needs its dev */
                if (ll == -1)
                        return -1;
                if (nl_route_add(nl, &n->routes[r].dst, &n->routes[r].via,
                                 ll >= 0 ? lab->ifaces[ll].ifindex : 0, e) < 0 &&
                    !(restore && (errno == EEXIST || errno == ENETUNREACH)))
                        return errf(err, "%s: %s", n->where, e);
        }
        return 0;
}

static bool node_has_l3(const struct lab *lab, int node)
{
        const struct node *n = &lab->nodes[node];
        if (n->gw4.family || n->gw6.family || n->nroutes)
                return true;
        for (int k = 0; k < n->nifaces; k++)
                if (lab->ifaces[n->ifaces[k]].naddr)
                        return true;
        return false;
}

static int configure_l3(struct lab *lab, struct build_ctx *b, char *err)
{
        for (int i = 0; i < lab->nnodes; i++) {
                if (!lab_node_live(lab, i) || !node_has_l3(lab, i))
                        continue;
                struct nl *nl = node_nl(lab, b, i, err);
                if (!nl || lab_node_apply_l3(lab, nl, i, false, err) < 0)
                        return -1;
        }
        return 0;
}

static bool params_set(const struct link_params *p)
{
        return p->rate_bps || link_params_impaired(p);
}

static int configure_link_params(struct lab *lab, struct build_ctx *b, int i, char *err)
{
        struct link *l = &lab->links[i];
        if ((!params_set(&l->p) && !(l->has_pb && params_set(&l->pb))) ||
            plan_link_on_wire(lab, i))
                return 0; /* a wire does the link's impairments and rate */
        int ends[2] = {l->a, l->b};
        for (int k = 0; k < 2; k++) {
                struct iface *f = &lab->ifaces[ends[k]];
                struct nl *nl = node_nl(lab, b, f->node, err);
                if (!nl)
                        return -1;
                char lbl[64], e[ERRLEN];
                iface_label(lab, ends[k], lbl, sizeof(lbl));
                if (nl_link_params_apply(nl, f->ifindex, lbl, link_params_from(l, k), e) < 0)
                        return errf(err, "%s: %s", l->where, e);
        }
        return 0;
}

static int configure_params(struct lab *lab, struct build_ctx *b, char *err)
{
        for (int i = 0; i < lab->nlinks; i++)
                if (configure_link_params(lab, b, i, err) < 0)
                        return -1;
        return 0;
}

/* Each node's kind configures what needs the links and addresses: a
 * router's NAT, a kernel switch's VLANs. */
static int configure_nodes(struct lab *lab, struct build_ctx *b, char *err)
{
        for (int i = 0; i < lab->nnodes; i++) {
                struct node *n = &lab->nodes[i];
                if (!lab_node_live(lab, i) || !n->kind->configure)
                        continue;
                struct nl *nl = node_nl(lab, b, i, err);
                if (!nl)
                        return -1;
                struct kind_ctx kc = {.lab = lab, .node = i, .nl = nl, .master = b->bridge[i]};
                char e[ERRLEN];
                if (n->kind->configure(&kc, e) < 0)
                        return errf(err, "%s: %s", n->where, e);
        }
        return 0;
}

/* The userspace datapath, when the plan (plan.h) gives it any job: its own
 * step, after every interface, address and firewall exists. */
static int start_datapath(struct lab *lab, char *err)
{
        if (!plan_needs_datapath(lab))
                return 0;
        progress(lab, "datapath", 0, 1);
        if (dp_start(lab, err) < 0)
                return -1;
        progress(lab, "datapath", 1, 1);
        return 0;
}

/* Switch firewalls: nft bridge tables on kernel bridges; the userspace
 * datapath gets its switches' rules through its config (dp_start). */
static int configure_firewalls(struct lab *lab, char *err)
{
        for (int i = 0; i < lab->nnodes; i++)
                if (lab->nodes[i].fw)
                        return dp_firewalls_apply(lab, err);
        return 0;
}

/* Refuses, before anything exists, what this kernel cannot do. */
static int check_features(struct lab *lab, char *err)
{
        if (plan_check(lab, err) < 0)
                return -1;
        if (!lab->feat.veth || !lab->feat.bridge) {
                errno = EOPNOTSUPP;
                return errf(err, "this kernel lacks %s: netlab needs it (%s)",
                            lab->feat.veth ? "bridges" : "veth pairs",
                            lab->feat.veth ? "CONFIG_BRIDGE" : "CONFIG_VETH");
        }
        return 0;
}

int lab_build(struct lab *lab, char *err)
{
        char e[ERRLEN];
        if (lab->state == LAB_DOWN)
                return errf(err, "lab \"%s\" was torn down; run the lab file again", lab->name);
        if (lab->state != LAB_DEFINED)
                return errf(err, "lab \"%s\" is already built", lab->name);
        if (geteuid() != 0) {
                errno = EPERM;
                return errf(err, "netlab needs root to create network namespaces: run it with "
                                 "sudo (or as root)");
        }
        /* Each phase reports its start (NETLAB_PROGRESS=1 times them). */
        progress(lab, "model", lab->nnodes, lab->nnodes);
        if (lab_validate(lab, err) < 0)
                return -1;
        if (probe_features(&lab->feat, e) < 0)
                return errf(err, "Cannot probe the kernel's features: %s", e);
        if (check_features(lab, err) < 0)
                return -1;
        if (raise_nofile(lab, err) < 0)
                return -1;
        if (lab_note_built(lab, -1, err) < 0)
                return -1;
        if (netns_prepare_run_dir(err) < 0)
                return -1;
        int root_fd = rundir_root(true, err);
        if (root_fd < 0)
                return -1;
        int run_fd = claim_rundir(lab, root_fd, err);
        if (run_fd < 0) {
                close(root_fd);
                return -1;
        }
        lab->state = LAB_BUILDING;
        e[0] = '\0';
        lab->journal = journal_open(run_fd, e);
        if (lab->up_since <= 0)
                lab->up_since = (long long)time(NULL);
        if (lab->journal && journal_add_owner(lab->journal, lab->up_since) < 0)
                errf_sys(e, NULL, "Cannot write the journal");
        if (!lab->journal || e[0]) {
                errf(err, "Cannot build lab \"%s\": %s", lab->name, e);
                close(root_fd);
                close(run_fd);
                lab_teardown(lab, NULL);
                return -1;
        }
        mac_prefix_settle(lab, root_fd);
        close(root_fd);
        char mp[16];
        snprintf(mp, sizeof(mp), "%04x\n", lab->mac_prefix);
        write_file_at(run_fd, "macprefix", mp);
        if (lab->file[0])
                write_file_at(run_fd, "file", lab->file);
        progress(lab, "hosts", 0, lab->nnodes);
        if (lab_hosts_write(lab, err) < 0) {
                int saved = errno;
                close(run_fd);
                lab_teardown(lab, NULL);
                errno = saved;
                return -1;
        }

        struct build_ctx b = {.run_fd = run_fd};
        b.node = calloc((size_t)lab->nnodes + 1, sizeof(*b.node));
        b.bridge = calloc((size_t)lab->nnodes + 1, sizeof(*b.bridge));
        int rc = -1;
        if (!b.node || !b.bridge) {
                errf_sys(err, NULL, "Cannot build lab \"%s\"", lab->name);
                goto out;
        }
        if (create_namespaces(lab, &b, err) < 0)
                goto out;
        b.host = nl_open(-1, e);
        if (!b.host) {
                errf(err, "%s", e);
                goto out;
        }
        if (create_links(lab, &b, err) < 0 || create_subifs(lab, &b, err) < 0)
                goto out;
        progress(lab, "addresses", 0, lab->nnodes);
        if (configure_l3(lab, &b, err) < 0 || configure_params(lab, &b, err) < 0 ||
            configure_firewalls(lab, err) < 0)
                goto out;
        progress(lab, "nodes", 0, lab->nnodes);
        if (configure_nodes(lab, &b, err) < 0 || uplinks_build(lab, err) < 0)
                goto out;
        progress(lab, "files", 0, lab->nnodes);
        if (nodefs_build(lab, run_fd, err) < 0 || start_datapath(lab, err) < 0 ||
            stop_check(lab, err) < 0)
                goto out;
        rc = 0;
        lab->state = LAB_UP;
        progress(lab, "up", lab->nnodes, lab->nnodes);
out:
        if (b.host)
                nl_close(b.host);
        for (int i = 0; b.node && i < lab->nnodes; i++)
                if (b.node[i])
                        nl_close(b.node[i]);
        free(b.node);
        lab_ns_release(lab); /* none per idle node */
        free(b.bridge);
        close(run_fd);
        if (rc < 0) {
                int saved = errno;
                lab_teardown(lab, NULL);
                errno = saved;
        }
        return rc;
}

int lab_teardown(struct lab *lab, char *err)
{
        if (lab->state == LAB_DEFINED || lab->state == LAB_DOWN)
                return 0;
        /* What only this process can do: stop (and reap) the datapath, and
         * let go of what it holds, so that closing the namespaces frees
         * them. Everything else is lab_clean's work, from the journal, the
         * same after an orderly stop as after a crash: kill the processes in
         * the lab's namespaces, then remove namespaces, mounts, run dir. */
        /* A kind's teardown that fails is reported (the first one), and the
         * rest of the teardown goes on. */
        int hook_rc = 0;
        for (int i = 0; i < lab->nnodes; i++) {
                const struct node_kind *k = lab->nodes[i].kind;
                char e[ERRLEN];
                if (!lab_node_live(lab, i) || !k->teardown || k->teardown(lab, i, e) == 0)
                        continue;
                if (!hook_rc)
                        errf(err, "%s: %s \"%s\": %s", lab->nodes[i].where, k->name,
                             lab->nodes[i].name, e);
                hook_rc = -1;
        }
        dp_stop(lab);
        lab_ns_release(lab);
        for (int i = 0; i < lab->nnodes; i++)
                lab->nodes[i].made = false;
        journal_close(lab->journal);
        lab->journal = NULL;
        lab->state = LAB_DOWN;
        if (lab->lock_fd >= 0) {
                close(lab->lock_fd); /* lab_clean takes the lock itself */
                lab->lock_fd = -1;
        }
        int rc = lab_clean(lab->name, 0, NULL, NULL, hook_rc ? NULL : err);
        progress(lab, "teardown", lab->nnodes, lab->nnodes);
        return hook_rc ? -1 : rc;
}

/* Sets both ends of a link up or down. Down takes the kernel's routes
 * through it with it (and IPv6 addresses), so up puts back what the lab
 * configured on both end nodes: addresses, gateways, routes (the ones that
 * can go out now), and the link's parameters. */
static int link_set_state(struct lab *lab, int link, bool up, char *err)
{
        struct link *l = &lab->links[link];
        int ends[2] = {l->a, l->b};
        for (int k = 0; k < 2; k++) {
                struct iface *f = &lab->ifaces[ends[k]];
                char e[ERRLEN], lbl[64];
                iface_label(lab, ends[k], lbl, sizeof(lbl));
                struct nl *nl = node_nl_open(lab, f->node, e);
                if (!nl)
                        return errf(err, "%s: %s", l->where, e);
                int r = nl_link_set_up(nl, f->ifindex, up, e);
                if (r < 0)
                        errf(err, "%s: %s", l->where, e);
                else if (up && f->mtu && nl_link_set_mtu(nl, f->ifindex, f->mtu, e) < 0)
                        r = errf(err, "%s: %s", l->where, e);
                else if (up && (params_set(&l->p) || (l->has_pb && params_set(&l->pb))) &&
                         !plan_link_on_wire(lab, link) &&
                         nl_link_params_apply(nl, f->ifindex, lbl, link_params_from(l, k), e) < 0)
                        r = errf(err, "%s: %s", l->where, e);
                else if (up)
                        r = lab_node_apply_l3(lab, nl, f->node, true, err);
                nl_close(nl);
                if (r < 0)
                        return -1;
        }
        l->up = up;
        return 0;
}

int lab_link_set_up(struct lab *lab, int link, bool up, char *err)
{
        if (lab->state != LAB_UP)
                return errf(err, "lab \"%s\" is not running", lab->name);
        if (link < 0 || link >= lab->nlinks)
                return errf(err, "no such link");
        return link_set_state(lab, link, up, err);
}

/* A pulled cable: one end set down, so the other loses its carrier and
 * keeps its addresses and routes (the kernel marks them linkdown); traffic
 * in flight is lost. The end that goes down is a switch's port when the
 * link has one (nothing of the lab's L3 changes), else end b. up() puts
 * both ends back as the lab configured them. */
int lab_link_cut(struct lab *lab, int link, char *err)
{
        if (lab->state != LAB_UP)
                return errf(err, "lab \"%s\" is not running", lab->name);
        if (link < 0 || link >= lab->nlinks)
                return errf(err, "no such link");
        struct link *l = &lab->links[link];
        int end = (lab->nodes[lab->ifaces[l->a].node].kind->flags & KIND_L3) ? l->b : l->a;
        struct iface *f = &lab->ifaces[end];
        char e[ERRLEN];
        struct nl *nl = node_nl_open(lab, f->node, e);
        if (!nl)
                return errf(err, "%s: %s", l->where, e);
        int r = nl_link_set_up(nl, f->ifindex, false, e);
        nl_close(nl);
        if (r < 0)
                return errf(err, "%s: %s", l->where, e);
        l->up = false;
        return 0;
}

/* Two parameter sets differ in a way the link would show (mtu is the
 * interface's, kept by live_set_params_dir). */
static bool params_differ(const struct link_params *x, const struct link_params *y)
{
        return x->rate_bps != y->rate_bps || x->delay_us != y->delay_us ||
               x->jitter_us != y->jitter_us || x->loss_ppm != y->loss_ppm ||
               x->dup_ppm != y->dup_ppm || x->corrupt_ppm != y->corrupt_ppm ||
               x->reorder_ppm != y->reorder_ppm || x->gap != y->gap || x->limit != y->limit ||
               x->dist != y->dist || x->ge != y->ge || x->ge_p != y->ge_p || x->ge_r != y->ge_r ||
               x->ge_h != y->ge_h || x->ge_k != y->ge_k || x->delay_corr != y->delay_corr ||
               x->loss_corr != y->loss_corr || x->dup_corr != y->dup_corr ||
               x->corrupt_corr != y->corrupt_corr || x->reorder_corr != y->reorder_corr;
}

/* A port's VLAN entries differ (none and the bridge default written out,
 * VLAN 1 PVID untagged, are the same). */
static bool vlans_differ(const struct vlan_entry *v, int n, const struct vlan_entry *w, int m)
{
        static const struct vlan_entry dflt = {.vid = 1, .pvid = true, .untagged = true};
        if (!n && m == 1 && w[0].vid == 1 && w[0].pvid && w[0].untagged)
                v = &dflt, n = 1;
        if (!m && n == 1 && v[0].vid == 1 && v[0].pvid && v[0].untagged)
                w = &dflt, m = 1;
        if (n != m)
                return true;
        for (int i = 0; i < n; i++)
                if (v[i].vid != w[i].vid || v[i].pvid != w[i].pvid ||
                    v[i].untagged != w[i].untagged)
                        return true;
        return false;
}

/* The link's parameters (either direction) are not those it was built with. */
static bool link_params_changed(const struct link *l)
{
        return params_differ(&l->p, &l->p_built) || l->has_pb != l->has_pb_built ||
               (l->has_pb && params_differ(&l->pb, &l->pb_built));
}

/* The port's VLANs are not those it was built with. */
static bool port_vlans_changed(const struct iface *f)
{
        return vlans_differ(f->vlan, f->nvlan, f->vlan_built, f->nvlan_built);
}

int lab_changed_links(const struct lab *lab, char *buf, size_t len)
{
        int n = 0;
        buf[0] = '\0';
        for (int i = 0; i < lab->nlinks; i++) {
                const struct link *l = &lab->links[i];
                if (!lab_link_live(lab, i))
                        continue;
                bool changed = l->up != l->up_built || link_params_changed(l) ||
                               port_vlans_changed(&lab->ifaces[l->a]) ||
                               port_vlans_changed(&lab->ifaces[l->b]);
                if (changed && n++ == 0)
                        snprintf(buf, len, "link %s-%s", lab->nodes[lab->ifaces[l->a].node].name,
                                 lab->nodes[lab->ifaces[l->b].node].name);
        }
        return n;
}

int lab_reset(struct lab *lab, char *err)
{
        if (lab->state != LAB_UP)
                return errf(err, "lab \"%s\" is not running", lab->name);
        /* Parameters and switch ports' VLANs set live, back to the file's. */
        for (int i = 0; i < lab->nlinks; i++) {
                struct link *l = &lab->links[i];
                if (!lab_link_live(lab, i))
                        continue;
                if (link_params_changed(l) &&
                    live_set_params_dir(lab, i, &l->p_built, l->has_pb_built ? &l->pb_built : NULL,
                                        err) < 0)
                        return -1;
                for (int k = 0; k < 2; k++) {
                        int fi = k ? l->b : l->a;
                        struct iface *f = &lab->ifaces[fi];
                        if (lab_node_has(lab, f->node, KIND_BRIDGE) && port_vlans_changed(f) &&
                            live_set_port_vlans(lab, fi, f->vlan_built, f->nvlan_built, err) < 0)
                                return -1;
                }
        }
        /* Links next: bringing one up restores its end nodes. */
        for (int i = 0; i < lab->nlinks; i++) /* a deleted one (del node) stays deleted */
                if (lab_link_live(lab, i) && link_set_state(lab, i, lab->links[i].up_built, err) < 0)
                        return -1;
        char e[ERRLEN];
        for (int i = 0; i < lab->nnodes; i++) {
                struct node *n = &lab->nodes[i];
                if (!lab_node_live(lab, i) || !n->made)
                        continue;
                int fd = lab_ns_fd(lab, n, CLONE_NEWNET, e);
                if (fd < 0)
                        return errf(err, "%s: %s", n->where, e);
                if (n->kind->sysctls && n->kind->sysctls[0].path &&
                    netns_run_in(fd, kind_sysctls, n, e) < 0)
                        return errf(err, "%s: %s \"%s\": %s", n->where, n->kind->name, n->name, e);
                struct nl *nl = node_nl_open(lab, i, e);
                if (!nl)
                        return errf(err, "%s: %s", n->where, e);
                int r = lab_node_apply_l3(lab, nl, i, true, err);
                for (int k = 0; r == 0 && k < n->nifaces; k++) {
                        const struct iface *f = &lab->ifaces[n->ifaces[k]];
                        if (!f->nvlan || !port_on_kernel_bridge(lab, n->ifaces[k]) ||
                            !lab_switch_uses_vlan(lab, i))
                                continue;
                        if (nl_bridge_vlan_set(nl, f->ifindex, f->vlan, f->nvlan, e) < 0)
                                r = errf(err, "%s: %s", n->where, e);
                }
                nl_close(nl);
                if (r < 0)
                        return -1;
        }
        return 0;
}

/* ---- one object at a time, for live edits (live.h) ---- */

static void live_ctx_free(struct lab *lab, struct build_ctx *b)
{
        if (b->host)
                nl_close(b->host);
        for (int i = 0; b->node && i < lab->nnodes; i++)
                if (b->node[i])
                        nl_close(b->node[i]);
        free(b->node);
        free(b->bridge);
}

static int live_ctx_init(struct lab *lab, struct build_ctx *b, char *err)
{
        memset(b, 0, sizeof(*b));
        b->run_fd = -1;
        b->node = calloc((size_t)lab->nnodes + 1, sizeof(*b->node));
        b->bridge = calloc((size_t)lab->nnodes + 1, sizeof(*b->bridge));
        if (!b->node || !b->bridge) {
                live_ctx_free(lab, b);
                return errf_sys(err, NULL, "Cannot change lab \"%s\"", lab->name);
        }
        return 0;
}

/* The bridge a built node enslaves its ports to (0: none), by the name its
 * kind gave it. */
static int live_bridge(struct lab *lab, struct build_ctx *b, int node, char *err)
{
        const struct node_kind *k = lab->nodes[node].kind;
        if (!(k->flags & KIND_BRIDGE) || !k->own_ifname || b->bridge[node] ||
            swclass_of(lab, node) == SWCLASS_OVS)
                return 0;
        struct nl *nl = node_nl(lab, b, node, err);
        if (!nl)
                return -1;
        char e[ERRLEN];
        int ix = nl_link_index(nl, k->own_ifname(lab, node), e);
        if (ix <= 0)
                return errf(err, "switch \"%s\": its bridge: %s", lab->nodes[node].name, e);
        b->bridge[node] = ix;
        return 0;
}

int lab_build_node(struct lab *lab, int node, char *err)
{
        struct build_ctx b;
        if (live_ctx_init(lab, &b, err) < 0)
                return -1;
        struct node *n = &lab->nodes[node];
        int rc = create_node_namespaces(lab, &b, node, err);
        if (rc == 0 && n->kind->configure) {
                struct nl *nl = node_nl(lab, &b, node, err);
                struct kind_ctx kc = {.lab = lab, .node = node, .nl = nl, .master = b.bridge[node]};
                char e[ERRLEN];
                if (!nl)
                        rc = -1;
                else if (n->kind->configure(&kc, e) < 0)
                        rc = errf(err, "%s \"%s\": %s", n->kind->name, n->name, e);
        }
        if (rc == 0)
                rc = lab_hosts_write(lab, err);
        live_ctx_free(lab, &b);
        return rc;
}

int lab_build_link(struct lab *lab, int link, char *err)
{
        struct build_ctx b;
        if (live_ctx_init(lab, &b, err) < 0)
                return -1;
        struct link *l = &lab->links[link];
        int ends[2] = {l->a, l->b};
        char e[ERRLEN];
        int rc = 0;
        b.host = nl_open(-1, e);
        if (!b.host)
                rc = errf(err, "%s", e);
        for (int k = 0; rc == 0 && k < 2; k++)
                rc = live_bridge(lab, &b, lab->ifaces[ends[k]].node, err);
        if (rc == 0)
                rc = create_link(lab, &b, link, err);
        if (rc == 0)
                rc = configure_link_params(lab, &b, link, err);
        for (int k = 0; rc == 0 && k < 2; k++) {
                const struct iface *f = &lab->ifaces[ends[k]];
                struct nl *nl = node_nl(lab, &b, f->node, err);
                if (!nl)
                        rc = -1;
                else if (lab_node_has(lab, f->node, KIND_L3))
                        rc = lab_node_apply_l3(lab, nl, f->node, true, err);
                else if (swclass_of(lab, f->node) == SWCLASS_OVS)
                        rc = ovs_port_add(lab, ends[k], err);
                else if (f->nvlan && port_on_kernel_bridge(lab, ends[k]) &&
                         nl_bridge_vlan_set(nl, f->ifindex, f->vlan, f->nvlan, e) < 0)
                        rc = errf(err, "%s: %s", l->where, e);
        }
        live_ctx_free(lab, &b);
        return rc;
}
