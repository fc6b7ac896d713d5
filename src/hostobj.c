/* hostobj.c — a lab's objects in the host's namespace: journaled with an
 * identity, verified before removal (see hostobj.h). */
#include "hostobj.h"
#include <unistd.h>
#include <dirent.h>
#include "rundir.h"
#include "journal.h"
#include "lab.h"
#include "nft.h"
#include "nl.h"
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

unsigned long hostobj_netns_inode(void)
{
        struct stat st;
        return stat("/proc/thread-self/ns/net", &st) == 0 ? (unsigned long)st.st_ino : 0;
}

void hostobj_link_alias(const char *lab, const char *ifname, char *buf, size_t len)
{
        snprintf(buf, len, "netlab:%.24s:%.15s", lab, ifname); /* LAB_NAME_MAX, IFNAMSIZ-1 */
}

static bool ifname_plain(const char *s)
{
        size_t n = strlen(s);
        if (n == 0 || n >= IFNAMSIZ)
                return false;
        for (size_t i = 0; i < n; i++)
                if (s[i] <= ' ' || s[i] == '/' || s[i] == ':' || s[i] == 0x7f)
                        return false;
        return true;
}

int hostobj_link_claim(struct lab *lab, const char *ifname, char *err)
{
        if (!ifname_plain(ifname)) {
                errno = EINVAL;
                return errf(err, "invalid host interface name \"%s\"", ifname);
        }
        unsigned long ino = hostobj_netns_inode();
        if (!ino || journal_add(lab->journal, "hostlink %s %lu", ifname, ino) < 0)
                return errf_sys(err, NULL, "Cannot journal host interface \"%s\"", ifname);
        return 0;
}

int hostobj_link_commit(struct lab *lab, struct nl *host, const char *ifname, int ifindex,
                        char *err)
{
        char alias[128], e[ERRLEN];
        hostobj_link_alias(lab->name, ifname, alias, sizeof(alias));
        if (nl_link_set_alias(host, ifindex, alias, e) < 0)
                return errf(err, "Cannot mark host interface \"%s\": %s", ifname, e);
        if (journal_add(lab->journal, "hostlink %s %lu %d", ifname, hostobj_netns_inode(),
                        ifindex) < 0)
                return errf_sys(err, NULL, "Cannot journal host interface \"%s\"", ifname);
        return 0;
}

void hostobj_nft_table(const char *lab, const char *suffix, char *buf, size_t len)
{
        snprintf(buf, len, "netlab_%s%s%s", lab, suffix && *suffix ? "_" : "",
                 suffix ? suffix : "");
}

/* True when table is a name hostobj_nft_table gives for lab. */
static bool table_of_lab(const char *lab, const char *table)
{
        char base[128];
        hostobj_nft_table(lab, NULL, base, sizeof(base));
        size_t n = strlen(base);
        return !strncmp(table, base, n) && (table[n] == '\0' || (table[n] == '_' && table[n + 1]));
}

int hostobj_nft_claim(struct lab *lab, int family, const char *table, char *err)
{
        if (!table_of_lab(lab->name, table) || strchr(table, ' ') || strlen(table) > 200) {
                errno = EINVAL;
                return errf(err, "nftables table \"%s\" does not carry lab \"%s\"'s name",
                            table, lab->name);
        }
        unsigned long ino = hostobj_netns_inode();
        if (!ino || journal_add(lab->journal, "nft %d %s %lu", family, table, ino) < 0)
                return errf_sys(err, NULL, "Cannot journal nftables table \"%s\"", table);
        return 0;
}

int hostobj_nft_commit(struct lab *lab, int family, const char *table, char *err)
{
        uint64_t handle;
        char extack[256];
        if (nft_table_handle(-1, (uint8_t)family, table, &handle, extack) < 0)
                return errf_sys(err, extack, "Cannot find nftables table \"%s\"", table);
        if (journal_add(lab->journal, "nft %d %s %lu %llu", family, table, hostobj_netns_inode(),
                        (unsigned long long)handle) < 0)
                return errf_sys(err, NULL, "Cannot journal nftables table \"%s\"", table);
        return 0;
}

/* Keys netlab may change on the host: a fixed list, so a forged journal
 * line cannot make clean write any other file under /proc/sys. */
static const char *const host_sysctls[] = {"net/ipv4/ip_forward", NULL};

static bool sysctl_known(const char *key)
{
        for (int i = 0; host_sysctls[i]; i++)
                if (!strcmp(host_sysctls[i], key))
                        return true;
        return false;
}

static int sysctl_read(const char *key, long long *v)
{
        char path[128];
        snprintf(path, sizeof(path), "/proc/sys/%.100s", key);
        FILE *f = fopen(path, "re");
        if (!f)
                return -1;
        int ok = fscanf(f, "%lld", v) == 1;
        fclose(f);
        return ok ? 0 : -1;
}

static int sysctl_write(const char *key, long long v)
{
        char path[128];
        snprintf(path, sizeof(path), "/proc/sys/%.100s", key);
        FILE *f = fopen(path, "we");
        if (!f)
                return -1;
        fprintf(f, "%lld\n", v);
        return fclose(f);
}

static const char *sysctl_user(const char *lab, const char *key, unsigned long nsino,
                               long long *before);

int hostobj_sysctl_set(struct lab *lab, const char *key, const char *value, char *err)
{
        long long before, want = atoll(value);
        if (!sysctl_known(key)) {
                errno = EINVAL;
                return errf(err, "netlab does not change host sysctl \"%s\"", key);
        }
        if (sysctl_read(key, &before) < 0)
                return errf_sys(err, NULL, "Cannot read host sysctl \"%s\"", key);
        unsigned long ino = hostobj_netns_inode();
        /* Journaled even when it holds the value already: another lab that
         * set it then sees this one still needs it. With another lab using it
         * already, the value to restore is the one that lab found. */
        long long orig = before;
        sysctl_user(lab->name, key, ino, &orig);
        if (!ino || journal_add(lab->journal, "hostsysctl %s %lu %lld", key, ino, orig) < 0)
                return errf_sys(err, NULL, "Cannot journal host sysctl \"%s\"", key);
        if (before != want && sysctl_write(key, want) < 0)
                return errf_sys(err, NULL, "Cannot set host sysctl \"%s\" to %s", key, value);
        return 0;
}

int hostobj_parse(int argc, char **argv, struct hostobj_rec *r)
{
        memset(r, 0, sizeof(*r));
        int at;
        if (argc >= 4 && !strcmp(argv[0], "hostsysctl")) {
                if (!sysctl_known(argv[1]))
                        return -1;
                r->kind = 's';
                snprintf(r->name, sizeof(r->name), "%s", argv[1]);
                r->nsino = strtoul(argv[2], NULL, 10);
                r->id = strtoll(argv[3], NULL, 10);
                return 0;
        }
        if (argc >= 2 && !strcmp(argv[0], "hostlink")) {
                r->kind = 'l';
                at = 1;
        } else if (argc >= 3 && !strcmp(argv[0], "nft")) {
                r->kind = 't';
                r->family = atoi(argv[1]);
                at = 2;
        } else {
                return -1;
        }
        if (strlen(argv[at]) >= (r->kind == 'l' ? IFNAMSIZ : sizeof(r->name)))
                return -1;
        snprintf(r->name, sizeof(r->name), "%s", argv[at]);
        if (argc > at + 1)
                r->nsino = strtoul(argv[at + 1], NULL, 10);
        if (argc > at + 2)
                r->id = strtoll(argv[at + 2], NULL, 10);
        return 0;
}

static int remove_table(const char *lab, const struct hostobj_rec *r, char *note, size_t len,
                        char *err)
{
        if (!table_of_lab(lab, r->name)) {
                snprintf(note, len,
                         "nftables table \"%s\" left alone: its name does not carry the lab's "
                         "(netlab_%s...)",
                         r->name, lab);
                return HOSTOBJ_LEFT;
        }
        uint64_t handle;
        char extack[256];
        if (nft_table_handle(-1, (uint8_t)r->family, r->name, &handle, extack) < 0) {
                if (errno == ENOENT || errno == EAFNOSUPPORT || errno == EOPNOTSUPP)
                        return HOSTOBJ_GONE;
                return errf_sys(err, extack, "Cannot check nftables table \"%s\"", r->name);
        }
        if (r->id && (uint64_t)r->id != handle) {
                snprintf(note, len,
                         "nftables table \"%s\" left alone: its handle is %llu, lab \"%s\" made "
                         "%lld",
                         r->name, (unsigned long long)handle, lab, r->id);
                return HOSTOBJ_LEFT;
        }
        struct nft_batch b;
        if (nft_batch_init(&b, 4096) < 0)
                return errf_sys(err, NULL, "Cannot delete nftables table \"%s\"", r->name);
        nft_table_del_handle(&b, (uint8_t)r->family, handle);
        int rc = nft_batch_send(&b, -1, extack);
        nft_batch_free(&b);
        if (rc < 0 && errno != ENOENT)
                return errf_sys(err, extack, "Cannot delete nftables table \"%s\"", r->name);
        return rc < 0 ? HOSTOBJ_GONE : HOSTOBJ_REMOVED;
}

struct sysctl_find {
        const char *key;
        unsigned long nsino;
        bool found;
        long long before;
};

static void sysctl_line(void *ud, int argc, char **argv)
{
        struct sysctl_find *f = ud;
        if (argc >= 4 && !strcmp(argv[0], "hostsysctl") && !strcmp(argv[1], f->key) &&
            strtoul(argv[2], NULL, 10) == f->nsino && !f->found) {
                f->found = true;
                f->before = strtoll(argv[3], NULL, 10);
        }
}

/* The other lab using key, and the value it found before it (the machine's
 * own, passed from lab to lab so that the last one out restores it). */
static const char *sysctl_user(const char *lab, const char *key, unsigned long nsino,
                               long long *before)
{
        static char name[LAB_NAME_MAX + 1];
        char err[ERRLEN];
        int root = rundir_root(false, err);
        if (root < 0)
                return NULL;
        int dfd = dup(root);
        DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
        const char *found = NULL;
        struct dirent *de;
        while (d && !found && (de = readdir(d))) {
                if (!rundir_name_ok(de->d_name) || !strcmp(de->d_name, lab))
                        continue;
                int dir = rundir_open(root, de->d_name, err);
                if (dir < 0)
                        continue;
                struct sysctl_find f = {key, nsino, false, 0};
                journal_read(dir, sysctl_line, &f, err);
                close(dir);
                if (f.found) {
                        if (before)
                                *before = f.before;
                        snprintf(name, sizeof(name), "%.24s", de->d_name);
                        found = name;
                }
        }
        if (d)
                closedir(d);
        else if (dfd >= 0)
                close(dfd);
        close(root);
        return found;
}

const char *hostobj_sysctl_user(const char *lab, const char *key, unsigned long nsino)
{
        return sysctl_user(lab, key, nsino, NULL);
}

/* A sysctl goes back to its value before the lab, unless another lab's
 * journal says it relies on it too (that lab's clean restores it). */
static int restore_sysctl(const char *lab, const struct hostobj_rec *r, char *note, size_t len,
                          char *err)
{
        const char *other = hostobj_sysctl_user(lab, r->name, r->nsino);
        if (other) {
                snprintf(note, len, "host sysctl %s left as it is: lab \"%s\" uses it too", r->name,
                         other);
                return HOSTOBJ_LEFT;
        }
        long long now;
        if (sysctl_read(r->name, &now) < 0)
                return errf_sys(err, NULL, "Cannot read host sysctl \"%s\"", r->name);
        if (now == r->id)
                return HOSTOBJ_GONE;
        if (sysctl_write(r->name, r->id) < 0)
                return errf_sys(err, NULL, "Cannot restore host sysctl \"%s\"", r->name);
        return HOSTOBJ_REMOVED;
}

int hostobj_remove(struct nl *host, const char *lab, const struct hostobj_rec *r, char *note,
                   size_t len, char *err)
{
        char alias[256], want[128], e[ERRLEN];
        const char *what = r->kind == 'l'   ? "host interface"
                           : r->kind == 's' ? "host sysctl"
                                            : "nftables table";
        unsigned long here = hostobj_netns_inode();
        if (!r->nsino || r->nsino != here) {
                snprintf(note, len,
                         "%s \"%s\" left alone: the journal names %s, not this one (%lu)", what,
                         r->name, r->nsino ? "another network namespace" : "no namespace", here);
                return HOSTOBJ_LEFT;
        }
        if (r->kind == 't')
                return remove_table(lab, r, note, len, err);
        if (r->kind == 's')
                return restore_sysctl(lab, r, note, len, err);
        hostobj_link_alias(lab, r->name, want, sizeof(want));
        int ifindex = nl_link_alias(host, r->name, alias, sizeof(alias), e);
        if (ifindex < 0 && errno == ENODEV)
                return HOSTOBJ_GONE;
        if (ifindex < 0)
                return errf(err, "Cannot check host interface \"%s\": %s", r->name, e);
        if (strcmp(alias, want) != 0) {
                snprintf(note, len,
                         "host interface \"%s\" left alone: not netlab's (alias \"%s\", netlab's "
                         "would be \"%s\")",
                         r->name, alias, want);
                return HOSTOBJ_LEFT;
        }
        if (r->id && r->id != ifindex) {
                snprintf(note, len,
                         "host interface \"%s\" left alone: it is #%d, lab \"%s\" made #%lld", r->name,
                         ifindex, lab, r->id);
                return HOSTOBJ_LEFT;
        }
        if (nl_link_del(host, ifindex, e) < 0 && errno != ENODEV)
                return errf(err, "Cannot delete host interface \"%s\": %s", r->name, e);
        return HOSTOBJ_REMOVED;
}

struct describe {
        char *buf;
        size_t len, used;
        char seen[16][96];
        int nseen;
};

static void describe_line(void *ud, int argc, char **argv)
{
        struct describe *d = ud;
        struct hostobj_rec r;
        if (hostobj_parse(argc, argv, &r) < 0)
                return;
        char item[96];
        if (r.kind == 'l')
                snprintf(item, sizeof(item), "link %.60s", r.name);
        else if (r.kind == 't')
                snprintf(item, sizeof(item), "nft table %.60s", r.name);
        else
                snprintf(item, sizeof(item), "sysctl %.60s", r.name);
        for (int i = 0; i < d->nseen; i++)
                if (!strcmp(d->seen[i], item))
                        return; /* the later line of the same object */
        if (d->nseen < 16)
                snprintf(d->seen[d->nseen++], sizeof(d->seen[0]), "%s", item);
        if (d->used < d->len)
                d->used += (size_t)snprintf(d->buf + d->used, d->len - d->used, "%s%s",
                                            d->used ? ", " : "", item);
}

int hostobj_describe(const char *lab, char *buf, size_t len)
{
        char err[ERRLEN];
        buf[0] = '\0';
        int root = rundir_root(false, err);
        int dir = root >= 0 ? rundir_open(root, lab, err) : -1;
        if (root >= 0)
                close(root);
        if (dir < 0)
                return -1;
        struct describe d = {.buf = buf, .len = len};
        journal_read(dir, describe_line, &d, err);
        close(dir);
        return d.nseen;
}

uint32_t hostobj_node_hash(const char *lab, const char *node)
{
        uint32_t h = 2166136261u; /* FNV-1a */
        for (const char *p = lab; *p; p++)
                h = (h ^ (uint8_t)*p) * 16777619u;
        h = (h ^ '.') * 16777619u;
        for (const char *p = node; *p; p++)
                h = (h ^ (uint8_t)*p) * 16777619u;
        return h;
}

int hostobj_default_route_if(struct nl *host, char *name, size_t len, char *err)
{
        struct nl_route_info *r = NULL;
        int nr = 0, oif = 0;
        name[0] = '\0';
        if (nl_route_dump(host, &r, &nr, err) < 0)
                return -1;
        for (int i = 0; i < nr && !oif; i++)
                if (r[i].family == AF_INET && r[i].dst.prefix == 0)
                        oif = r[i].oif;
        free(r);
        if (!oif) {
                errno = ENETUNREACH;
                return errf(err, "the host has no default route");
        }
        char ifn[IF_NAMESIZE];
        if (len < IF_NAMESIZE || !if_indextoname((unsigned)oif, ifn))
                return errf(err, "the host's default route leaves by an interface that is gone");
        snprintf(name, len, "%s", ifn);
        return 0;
}

