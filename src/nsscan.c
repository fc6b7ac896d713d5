/* nsscan.c — finds every network namespace of the machine and reads what is
 * inside it (see nsscan.h for the sources of truth).
 *
 * The walk: each /proc/PID (and its threads) gives the namespace of a
 * process; each distinct mount namespace's mountinfo gives the nsfs bind
 * mounts ("net:[INODE]" in the root field), opened through /proc/PID/root so
 * that mounts of other mount namespaces are reachable; each /proc/PID/fd gives
 * the namespaces held by a descriptor alone. The first path that opens a
 * namespace is kept, and the namespace opened by it again (its inode
 * checked) each time it is asked: the scan holds one descriptor at a time,
 * however many namespaces the machine has. */
#include "nsscan.h"
#include "lab.h"
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The inode index of the scan: thousands of namespaces, each named by
 * every mount namespace's mountinfo, were a walk of the list per line. */
static void ix_put(struct ns_scan *s, int i)
{
        size_t mask = (size_t)s->ix_cap - 1, h = (s->ns[i].ino * 0x9e3779b97f4a7c15ull) >> 7;
        while (s->ix[h & mask])
                h++;
        s->ix[h & mask] = i + 1;
}

static struct ns_entry *ns_get(struct ns_scan *s, unsigned long ino)
{
        if (s->ix) {
                size_t mask = (size_t)s->ix_cap - 1, h = (ino * 0x9e3779b97f4a7c15ull) >> 7;
                for (; s->ix[h & mask]; h++)
                        if (s->ns[s->ix[h & mask] - 1].ino == ino)
                                return &s->ns[s->ix[h & mask] - 1];
        }
        if (s->n == s->cap) {
                int cap = s->cap ? 2 * s->cap : 64;
                struct ns_entry *nv = realloc(s->ns, (size_t)cap * sizeof(*nv));
                if (!nv)
                        return NULL;
                s->ns = nv;
                s->cap = cap;
        }
        if (2 * (s->n + 1) > s->ix_cap) {
                int cap = s->ix_cap ? 2 * s->ix_cap : 128;
                int *ix = calloc((size_t)cap, sizeof(*ix));
                if (!ix)
                        return NULL;
                free(s->ix);
                s->ix = ix;
                s->ix_cap = cap;
                for (int i = 0; i < s->n; i++)
                        ix_put(s, i);
        }
        struct ns_entry *e = &s->ns[s->n++];
        memset(e, 0, sizeof(*e));
        e->ino = ino;
        ix_put(s, s->n - 1);
        return e;
}

/* path opened, if it is still the namespace of inode ino (dirfd: as openat). */
static int open_ns_at(int dirfd, const char *path, unsigned long ino)
{
        int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -1;
        struct stat st;
        if (fstat(fd, &st) < 0 || (unsigned long)st.st_ino != ino) {
                close(fd);
                errno = ENOENT; /* the path names another namespace now */
                return -1;
        }
        return fd;
}

/* Keeps path as e's if e has none yet and path opens that namespace. */
static void ns_try_path(struct ns_entry *e, const char *path)
{
        if (e->path)
                return;
        int fd = open_ns_at(AT_FDCWD, path, e->ino);
        if (fd < 0)
                return;
        close(fd);
        e->path = strdup(path); /* without memory: ns_open_net tries the others */
}

static unsigned long link_inode(const char *path, const char *type)
{
        char buf[64];
        ssize_t n = readlink(path, buf, sizeof(buf) - 1);
        if (n <= 0)
                return 0;
        buf[n] = '\0';
        size_t tl = strlen(type);
        if (strncmp(buf, type, tl) || buf[tl] != ':' || buf[tl + 1] != '[')
                return 0;
        return strtoul(buf + tl + 2, NULL, 10);
}

static void read_cmdline(pid_t pid, char *buf, size_t len)
{
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
        buf[0] = '\0';
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);
        if (fd >= 0)
                close(fd);
        if (n <= 0) { /* a kernel thread: its comm in brackets */
                snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
                FILE *f = fopen(path, "re");
                char comm[32] = "?";
                if (f) {
                        if (fgets(comm, sizeof(comm), f))
                                comm[strcspn(comm, "\n")] = '\0';
                        fclose(f);
                }
                snprintf(buf, len, "[%s]", comm);
                return;
        }
        buf[n] = '\0';
        for (ssize_t i = 0; i < n; i++)
                if (buf[i] == '\0' || !isprint((unsigned char)buf[i]))
                        buf[i] = ' ';
        while (n > 0 && buf[n - 1] == ' ')
                buf[--n] = '\0';
}

static int add_proc(struct ns_entry *e, pid_t pid, uid_t uid)
{
        struct ns_proc *nv = realloc(e->procs, (size_t)(e->nprocs + 1) * sizeof(*nv));
        if (!nv)
                return -1;
        e->procs = nv;
        struct ns_proc *p = &e->procs[e->nprocs++];
        p->pid = pid;
        p->uid = uid;
        read_cmdline(pid, p->comm, sizeof(p->comm));
        return 0;
}

static int add_name(struct ns_entry *e, const char *mnt)
{
        for (int i = 0; i < e->nnames; i++)
                if (!strcmp(e->names[i], mnt))
                        return 0;
        char **nv = realloc(e->names, (size_t)(e->nnames + 1) * sizeof(*nv));
        if (!nv)
                return -1;
        e->names = nv;
        if (!(e->names[e->nnames] = strdup(mnt)))
                return -1;
        e->nnames++;
        return 0;
}

/* mountinfo escapes spaces and the like as \ooo. */
static void unescape(char *s)
{
        char *w = s;
        for (char *r = s; *r; r++) {
                if (r[0] == '\\' && r[1] >= '0' && r[1] <= '7' && r[2] && r[3]) {
                        *w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
                        r += 3;
                } else {
                        *w++ = *r;
                }
        }
        *w = '\0';
}

/* The nsfs mounts of net namespaces seen by pid's mount namespace. */
static int scan_mounts(struct ns_scan *s, pid_t pid)
{
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int)pid);
        FILE *f = fopen(path, "re");
        if (!f)
                return 0; /* the process is gone */
        char line[4096];
        int rc = 0;
        while (fgets(line, sizeof(line), f)) {
                /* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS ... - FSTYPE SRC OPTS */
                char *sep = strstr(line, " - ");
                if (!sep || strncmp(sep + 3, "nsfs ", 5))
                        continue;
                char *save = NULL, *tok[5];
                int k = 0;
                for (char *t = strtok_r(line, " ", &save); t && k < 5;
                     t = strtok_r(NULL, " ", &save))
                        tok[k++] = t;
                if (k < 5 || strncmp(tok[3], "net:[", 5))
                        continue;
                unsigned long ino = strtoul(tok[3] + 5, NULL, 10);
                unescape(tok[4]);
                struct ns_entry *e = ns_get(s, ino);
                if (!e || add_name(e, tok[4]) < 0) {
                        rc = -1;
                        break;
                }
                char open_as[PATH_MAX];
                snprintf(open_as, sizeof(open_as), "/proc/%d/root%s", (int)pid, tok[4]);
                ns_try_path(e, tok[4][0] == '/' && pid == getpid() ? tok[4] : open_as);
        }
        fclose(f);
        return rc;
}

/* Namespaces that some process holds only through a descriptor. */
static int scan_fds(struct ns_scan *s, pid_t pid)
{
        char dir[64];
        snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
        DIR *d = opendir(dir);
        if (!d)
                return 0;
        struct dirent *de;
        int rc = 0;
        while ((de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                char path[PATH_MAX];
                snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
                unsigned long ino = link_inode(path, "net");
                if (!ino)
                        continue;
                struct ns_entry *e = ns_get(s, ino);
                if (!e) {
                        rc = -1;
                        break;
                }
                if (!e->holder[0])
                        snprintf(e->holder, sizeof(e->holder), "pid %d fd %.20s", (int)pid,
                                 de->d_name);
                ns_try_path(e, path);
        }
        closedir(d);
        return rc;
}

static bool is_pid(const char *name)
{
        if (!*name)
                return false;
        for (const char *c = name; *c; c++)
                if (!isdigit((unsigned char)*c))
                        return false;
        return true;
}

static int scan_procs(struct ns_scan *s)
{
        DIR *d = opendir("/proc");
        if (!d)
                return -1;
        unsigned long *mnts = NULL; /* mount namespaces already read */
        int nmnts = 0, rc = 0;
        unsigned long host = link_inode("/proc/self/ns/net", "net");
        struct dirent *de;
        while (rc == 0 && (de = readdir(d))) {
                if (!is_pid(de->d_name))
                        continue;
                pid_t pid = (pid_t)atoi(de->d_name);
                char path[PATH_MAX];
                struct stat st;
                snprintf(path, sizeof(path), "/proc/%d", (int)pid);
                if (stat(path, &st) < 0)
                        continue;
                /* Threads may sit in other namespaces than their leader. */
                snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
                DIR *td = opendir(path);
                unsigned long seen = 0;
                struct dirent *te;
                while (td && (te = readdir(td))) {
                        if (!is_pid(te->d_name))
                                continue;
                        char nsp[PATH_MAX];
                        snprintf(nsp, sizeof(nsp), "/proc/%d/task/%s/ns/net", (int)pid,
                                 te->d_name);
                        unsigned long ino = link_inode(nsp, "net");
                        if (!ino || ino == seen)
                                continue;
                        seen = ino;
                        struct ns_entry *e = ns_get(s, ino);
                        if (!e || add_proc(e, (pid_t)atoi(te->d_name), st.st_uid) < 0) {
                                rc = -1;
                                break;
                        }
                        e->host = ino == host;
                        ns_try_path(e, nsp);
                }
                if (td)
                        closedir(td);
                snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
                unsigned long mnt = link_inode(path, "mnt");
                bool known = false;
                for (int i = 0; i < nmnts; i++)
                        known = known || mnts[i] == mnt;
                if (mnt && !known) {
                        unsigned long *nv = realloc(mnts, (size_t)(nmnts + 1) * sizeof(*nv));
                        if (!nv) {
                                rc = -1;
                                break;
                        }
                        mnts = nv;
                        mnts[nmnts++] = mnt;
                        if (scan_mounts(s, pid) < 0)
                                rc = -1;
                }
                /* Not our own: a console on the host view holds descriptors
                 * on what it shows, and a namespace kept only by them is gone. */
                if (rc == 0 && pid != getpid() && scan_fds(s, pid) < 0)
                        rc = -1;
        }
        closedir(d);
        free(mnts);
        return rc;
}

/* LAB.NODE under /run/netns, with /run/netlab/LAB present: a netlab node. */
static void find_lab(struct ns_entry *e)
{
        for (int i = 0; i < e->nnames; i++) {
                const char *n = e->names[i];
                if (strncmp(n, NETNS_RUN_DIR "/", strlen(NETNS_RUN_DIR) + 1))
                        continue;
                n += strlen(NETNS_RUN_DIR) + 1;
                const char *dot = strchr(n, '.');
                if (!dot || (size_t)(dot - n) >= sizeof(e->lab) ||
                    strlen(dot + 1) >= sizeof(e->node))
                        continue;
                char lab[32], run[PATH_MAX];
                snprintf(lab, sizeof(lab), "%.*s", (int)(dot - n), n);
                snprintf(run, sizeof(run), LAB_RUN_DIR "/%s", lab);
                struct stat st;
                if (lstat(run, &st) == 0 && S_ISDIR(st.st_mode)) {
                        snprintf(e->lab, sizeof(e->lab), "%s", lab);
                        snprintf(e->node, sizeof(e->node), "%s", dot + 1);
                        return;
                }
        }
}

/* nl_open in e, or NULL (err filled when given). */
static struct nl *ns_nl_open(const struct ns_entry *e, char *err)
{
        int fd = ns_open_net(e);
        if (fd < 0) {
                if (err)
                        snprintf(err, ERRLEN, "cannot open the namespace: %s", strerror(errno));
                return NULL;
        }
        char buf[ERRLEN];
        struct nl *nl = nl_open(fd, err ? err : buf);
        close(fd);
        return nl;
}

static void read_ifaces(struct ns_entry *e)
{
        struct nl *nl = ns_nl_open(e, e->err);
        if (!nl)
                return;
        struct nl_link_info *li = NULL;
        struct nl_addr_info *ai = NULL;
        int nli = 0, nai = 0;
        if (nl_link_dump(nl, &li, &nli, e->err) == 0 &&
            nl_addr_dump(nl, &ai, &nai, e->err) == 0 &&
            (e->ifs = calloc((size_t)nli + 1, sizeof(*e->ifs)))) {
                e->nifs = nli;
                for (int i = 0; i < nli; i++) {
                        struct ns_iface *f = &e->ifs[i];
                        f->li = li[i];
                        f->peer_ns = -1;
                        for (int j = 0; j < nai; j++) {
                                if (ai[j].ifindex != li[i].ifindex)
                                        continue;
                                struct ipaddr *nv =
                                    realloc(f->addr, (size_t)(f->naddr + 1) * sizeof(*nv));
                                if (!nv)
                                        break;
                                f->addr = nv;
                                f->addr[f->naddr++] = ai[j].addr;
                        }
                }
        }
        free(li);
        free(ai);
        nl_close(nl);
}

static struct ns_iface *iface_by_index(const struct ns_entry *e, int ifindex)
{
        for (int i = 0; i < e->nifs; i++)
                if (e->ifs[i].li.ifindex == ifindex)
                        return &e->ifs[i];
        return NULL;
}

/* veth peers: in namespace A, the nsid that A gives B is what A's veths name. */
/* True when namespace b has a veth of index ifindex whose peer is elsewhere:
 * the only namespaces worth asking the kernel about for such a peer. */
static bool may_hold_peer(const struct ns_entry *b, int ifindex)
{
        const struct ns_iface *p = iface_by_index(b, ifindex);
        return p && !strcmp(p->li.kind, "veth") && p->li.link_netnsid >= 0;
}

/* A veth end whose peer is in another namespace, for the search by the
 * peer's (ifindex, MAC). */
struct vend {
        int ifindex;
        uint8_t mac[6];
        int ns, i;
};

static int cmp_vend(const void *x, const void *y)
{
        const struct vend *a = x, *b = y;
        if (a->ifindex != b->ifindex)
                return a->ifindex < b->ifindex ? -1 : 1;
        return memcmp(a->mac, b->mac, 6);
}

static void set_peer(int a, struct ns_iface *f, int b, struct ns_iface *p)
{
        f->peer_ns = b;
        snprintf(f->peer, sizeof(f->peer), "%s", p->li.name);
        p->peer_ns = a;
        snprintf(p->peer, sizeof(p->peer), "%s", f->li.name);
}

/* Among the namespaces listed (cand, or all when NULL), the one that A
 * (nl, ids: its answers so far, -2 not asked) calls f's link_netnsid and
 * that holds f's peer: one RTM_GETNSID per namespace not asked yet. */
static int ask_ids(struct ns_scan *s, int a, struct nl *nl, int *ids, const struct ns_iface *f,
                   const int *cand, int ncand)
{
        char err[ERRLEN];
        int n = cand ? ncand : s->n;
        for (int k = 0; k < n; k++) {
                int b = cand ? cand[k] : k;
                if (b == a || !may_hold_peer(&s->ns[b], f->li.link))
                        continue;
                if (ids[b] == -2) {
                        int fd = ns_open_net(&s->ns[b]);
                        ids[b] = fd < 0 ? -1 : nl_netns_id(nl, fd, err);
                        if (fd >= 0)
                                close(fd);
                }
                if (ids[b] == f->li.link_netnsid)
                        return b;
        }
        return -1;
}

/* veth peers. A veth whose peer is in another namespace names it by an id
 * of its own namespace (IFLA_LINK_NETNSID). The kernel is asked, from A, for
 * the peer link itself (nl_link_get_in): its MAC and index find the peer
 * among the scan's veths, one question per pair, however many namespaces
 * the machine has (asking A's id of every candidate namespace was n*n
 * questions for a lab whose veths all have the same few indices: 10,000
 * namespaces never finished). Several candidates with that MAC and index
 * (copies of one lab?), or a kernel without IFLA_TARGET_NETNSID: A's id of
 * each candidate namespace is asked, each answer kept. */
static void resolve_peers(struct ns_scan *s)
{
        struct vend *v = NULL;
        size_t nv = 0, cap = 0;
        for (int a = 0; a < s->n; a++)
                for (int i = 0; i < s->ns[a].nifs; i++) {
                        const struct ns_iface *f = &s->ns[a].ifs[i];
                        if (strcmp(f->li.kind, "veth") || f->li.link_netnsid < 0)
                                continue;
                        if (nv == cap) {
                                size_t c = cap ? 2 * cap : 256;
                                struct vend *nvp = realloc(v, c * sizeof(*v));
                                if (!nvp)
                                        continue;
                                v = nvp;
                                cap = c;
                        }
                        v[nv].ifindex = f->li.ifindex;
                        memcpy(v[nv].mac, f->li.mac, 6);
                        v[nv].ns = a;
                        v[nv++].i = i;
                }
        if (nv)
                qsort(v, nv, sizeof(*v), cmp_vend);
        int *cand = nv ? malloc(nv * sizeof(*cand)) : NULL;
        for (int a = 0; a < s->n; a++) {
                struct ns_entry *e = &s->ns[a];
                struct nl *nl = NULL;
                int *ids = NULL; /* the id A gives each namespace: -2 not asked yet */
                bool no_nl = false;
                for (int i = 0; i < e->nifs; i++) {
                        struct ns_iface *f = &e->ifs[i];
                        if (strcmp(f->li.kind, "veth") || f->peer_ns >= 0)
                                continue;
                        if (f->li.link_netnsid < 0) {
                                const struct ns_iface *p = iface_by_index(e, f->li.link);
                                if (p && p != f) {
                                        f->peer_ns = a;
                                        snprintf(f->peer, sizeof(f->peer), "%s", p->li.name);
                                }
                                continue;
                        }
                        char err[ERRLEN];
                        if (!nl && !no_nl && !(nl = ns_nl_open(e, NULL)))
                                no_nl = true;
                        if (no_nl)
                                continue;
                        struct nl_link_info pl;
                        int b = -1, ncand = 0;
                        bool got = cand && nl_link_get_in(nl, f->li.link_netnsid, f->li.link, &pl,
                                                          err) == 0;
                        if (got) { /* the peer's candidates: ids only if several */
                                struct vend key = {.ifindex = pl.ifindex};
                                memcpy(key.mac, pl.mac, 6);
                                struct vend *hit = bsearch(&key, v, nv, sizeof(*v), cmp_vend);
                                while (hit && hit > v && !cmp_vend(hit - 1, &key))
                                        hit--;
                                for (; hit && hit < v + nv && !cmp_vend(hit, &key); hit++) {
                                        const struct ns_iface *p = &s->ns[hit->ns].ifs[hit->i];
                                        if (hit->ns != a && p->li.link == f->li.ifindex)
                                                cand[ncand++] = hit->ns;
                                }
                                if (ncand == 1)
                                        b = cand[0];
                        }
                        if (b < 0 && (!got || ncand > 1)) {
                                if (!ids && (ids = malloc((size_t)s->n * sizeof(*ids))))
                                        for (int k = 0; k < s->n; k++)
                                                ids[k] = -2;
                                if (ids)
                                        b = ask_ids(s, a, nl, ids, f, got ? cand : NULL, ncand);
                        }
                        struct ns_iface *p = b < 0 ? NULL : iface_by_index(&s->ns[b], f->li.link);
                        if (p)
                                set_peer(a, f, b, p);
                }
                free(ids);
                if (nl)
                        nl_close(nl);
        }
        free(cand);
        free(v);
}

static int cmp_ns(const void *x, const void *y)
{
        const struct ns_entry *a = x, *b = y;
        if (a->host != b->host)
                return a->host ? -1 : 1;
        return a->ino < b->ino ? -1 : a->ino > b->ino;
}

int ns_scan(struct ns_scan *s, char *err)
{
        memset(s, 0, sizeof(*s));
        if (scan_procs(s) < 0) {
                errf_sys(err, NULL, "Cannot read the namespaces under /proc");
                ns_scan_free(s);
                return -1;
        }
        free(s->ix); /* the sort moves the entries */
        s->ix = NULL;
        s->ix_cap = 0;
        qsort(s->ns, (size_t)s->n, sizeof(*s->ns), cmp_ns);
        for (int i = 0; i < s->n; i++) {
                find_lab(&s->ns[i]);
                read_ifaces(&s->ns[i]);
        }
        resolve_peers(s);
        return 0;
}

void ns_scan_free(struct ns_scan *s)
{
        for (int i = 0; i < s->n; i++) {
                struct ns_entry *e = &s->ns[i];
                for (int j = 0; j < e->nnames; j++)
                        free(e->names[j]);
                free(e->names);
                free(e->procs);
                for (int j = 0; j < e->nifs; j++)
                        free(e->ifs[j].addr);
                free(e->ifs);
                free(e->path);
        }
        free(s->ns);
        free(s->ix);
        memset(s, 0, sizeof(*s));
}

/* A process's UTS namespace joins it in `enter` where the namespace has one
 * of its own (nsenter -t PID -n -u), while that process is still in it (a
 * PID reused since the scan is another process); a netlab node's comes from
 * its lab. */
int ns_open_uts(const struct ns_entry *e)
{
        char path[160];
        if (e->lab[0]) {
                snprintf(path, sizeof(path), "/run/netlab/%s/uts/%s", e->lab, e->node);
                int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
                if (fd >= 0)
                        return fd;
        }
        if (!e->nprocs || e->host) {
                errno = ENOENT;
                return -1;
        }
        snprintf(path, sizeof(path), "/proc/%d/ns", (int)e->procs[0].pid);
        int dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir < 0)
                return -1;
        int net = open_ns_at(dir, "net", e->ino);
        int fd = net < 0 ? -1 : openat(dir, "uts", O_RDONLY | O_CLOEXEC);
        if (net >= 0)
                close(net);
        close(dir);
        return fd;
}

int ns_open_net(const struct ns_entry *e)
{
        char path[PATH_MAX];
        int fd = e->path ? open_ns_at(AT_FDCWD, e->path, e->ino) : -1;
        for (int i = 0; fd < 0 && i < e->nnames; i++)
                fd = open_ns_at(AT_FDCWD, e->names[i], e->ino);
        for (int i = 0; fd < 0 && i < e->nprocs; i++) {
                snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)e->procs[i].pid);
                fd = open_ns_at(AT_FDCWD, path, e->ino);
        }
        int pid = 0, nfd = 0;
        if (fd < 0 && sscanf(e->holder, "pid %d fd %d", &pid, &nfd) == 2) {
                snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, nfd);
                fd = open_ns_at(AT_FDCWD, path, e->ino);
        }
        if (fd < 0 && errno != EMFILE && errno != ENFILE && errno != ENOMEM)
                errno = ENOENT;
        return fd;
}

static const char *short_name(const char *mnt)
{
        size_t l = strlen(NETNS_RUN_DIR);
        if (!strncmp(mnt, NETNS_RUN_DIR "/", l + 1))
                return mnt + l + 1;
        return mnt;
}

int ns_find(const struct ns_scan *s, const char *spec, char *err)
{
        for (int i = 0; i < s->n; i++)
                for (int j = 0; j < s->ns[i].nnames; j++)
                        if (!strcmp(spec, s->ns[i].names[j]) ||
                            !strcmp(spec, short_name(s->ns[i].names[j])))
                                return i;
        if (is_pid(spec)) {
                unsigned long v = strtoul(spec, NULL, 10);
                for (int i = 0; i < s->n; i++)
                        if (s->ns[i].ino == v)
                                return i;
                for (int i = 0; i < s->n; i++)
                        for (int j = 0; j < s->ns[i].nprocs; j++)
                                if ((unsigned long)s->ns[i].procs[j].pid == v)
                                        return i;
                errno = ESRCH;
                return errf(err, "No namespace and no process %s", spec);
        }
        errno = ENOENT;
        return errf(err, "No network namespace \"%s\" (netlab ns lists them)", spec);
}

void ns_label(const struct ns_entry *e, char *buf, size_t len)
{
        if (e->host)
                snprintf(buf, len, "(host)");
        else if (e->nnames)
                snprintf(buf, len, "%s", short_name(e->names[0]));
        else if (e->nprocs)
                snprintf(buf, len, "%.40s (pid %d)", e->procs[0].comm, (int)e->procs[0].pid);
        else
                snprintf(buf, len, "%lu", e->ino);
}
