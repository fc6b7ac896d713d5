/* hosts.c — the lab's hosts file and /etc/netns/LAB.NODE (see hosts.h). */
#include "hosts.h"
#include "journal.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* The node's first address of the family (IPv6: not link-local), or NULL. */
static const struct ipaddr *first_addr(const struct lab *lab, int node, int family)
{
        const struct node *n = &lab->nodes[node];
        for (int k = 0; k < n->nifaces; k++) {
                const struct iface *f = &lab->ifaces[n->ifaces[k]];
                for (int a = 0; a < f->naddr; a++)
                        if (f->addr[a].family == family &&
                            !(family == AF_INET6 && f->addr[a].a[0] == 0xfe &&
                              (f->addr[a].a[1] & 0xc0) == 0x80))
                                return &f->addr[a];
        }
        return NULL;
}

static int write_hosts_file(struct lab *lab, const char *path, char *err)
{
        char tmp[PATH_MAX + 16];
        snprintf(tmp, sizeof(tmp), "%s.new", path);
        FILE *f = fopen(tmp, "we");
        if (!f)
                return errf_sys(err, NULL, "Cannot create \"%s\"", tmp);
        fprintf(f,
                "# The nodes of lab %s (written by netlab; ip netns exec and netlab's shells "
                "see it as /etc/hosts)\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost "
                "ip6-loopback\n",
                lab->name);
        for (int i = 0; i < lab->nnodes; i++) {
                if (!lab_node_live(lab, i))
                        continue;
                const int fams[2] = {AF_INET, AF_INET6};
                for (int k = 0; k < 2; k++) {
                        const struct ipaddr *a = first_addr(lab, i, fams[k]);
                        char ip[64];
                        if (!a)
                                continue;
                        ipaddr_format(a, false, ip, sizeof(ip));
                        fprintf(f, "%s\t%s\n", ip, lab->nodes[i].name);
                }
        }
        if (fclose(f) != 0 || rename(tmp, path) < 0) {
                errf_sys(err, NULL, "Cannot write \"%s\"", path);
                unlink(tmp);
                return -1;
        }
        return 0;
}

bool lab_hosts_path_ok(const char *lab, const char *dir)
{
        char prefix[PATH_MAX];
        snprintf(prefix, sizeof(prefix), "%s/%s.", NETNS_ETC_DIR, lab);
        size_t pl = strlen(prefix);
        return !strncmp(dir, prefix, pl) && dir[pl] && !strchr(dir + pl, '/') &&
               strcmp(dir + pl, ".") && strcmp(dir + pl, "..");
}

int lab_hosts_write(struct lab *lab, char *err)
{
        char hosts[PATH_MAX + 8], dir[PATH_MAX], link[PATH_MAX + 8];
        snprintf(hosts, sizeof(hosts), "%s/hosts", lab->rundir);
        if (write_hosts_file(lab, hosts, err) < 0)
                return -1;
        if (mkdir(NETNS_ETC_DIR, 0755) < 0 && errno != EEXIST) {
                if (errno == EROFS || errno == EACCES || errno == EPERM)
                        return 0;
                return errf_sys(err, NULL, "Cannot create \"%s\"", NETNS_ETC_DIR);
        }
        for (int i = 0; i < lab->nnodes; i++) {
                const struct node *n = &lab->nodes[i];
                /* A switch too: a shell in it that names a node is told at
                 * once that it has no route, instead of waiting seconds for
                 * the machine's DNS, which its namespace cannot reach. */
                snprintf(dir, sizeof(dir), "%s/%s.%s", NETNS_ETC_DIR, lab->name, n->name);
                if (journal_add(lab->journal, "etc %s", dir) < 0)
                        return errf_sys(err, NULL, "Cannot write the journal of lab \"%s\"",
                                        lab->name);
                if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                        return errf_sys(err, NULL, "Cannot create \"%s\"", dir);
                snprintf(link, sizeof(link), "%s/hosts", dir);
                /* A hosts file someone put there for this name is theirs. */
                if (symlink(hosts, link) < 0 && errno != EEXIST)
                        return errf_sys(err, NULL, "Cannot create \"%s\"", link);
        }
        return 0;
}

int lab_hosts_remove(const char *lab, const char *dir, char *err)
{
        if (!lab_hosts_path_ok(lab, dir))
                return 0;
        char link[PATH_MAX + 8], want[PATH_MAX], got[PATH_MAX];
        snprintf(link, sizeof(link), "%s/hosts", dir);
        snprintf(want, sizeof(want), "%s/%s/hosts", LAB_RUN_DIR, lab);
        ssize_t n = readlink(link, got, sizeof(got) - 1);
        if (n > 0) {
                got[n] = '\0';
                if (strcmp(got, want) == 0 && unlink(link) < 0 && errno != ENOENT)
                        return errf_sys(err, NULL, "Cannot remove \"%s\"", link);
        }
        if (rmdir(dir) < 0 && errno != ENOENT && errno != ENOTEMPTY && errno != EEXIST)
                return errf_sys(err, NULL, "Cannot remove \"%s\"", dir);
        return 0;
}
