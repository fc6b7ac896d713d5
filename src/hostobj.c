/* hostobj.c — a lab's objects in the host's namespace: journaled with an
 * identity, verified before removal (see hostobj.h). */
#include "hostobj.h"
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

int hostobj_parse(int argc, char **argv, struct hostobj_rec *r)
{
        memset(r, 0, sizeof(*r));
        int at;
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

int hostobj_remove(struct nl *host, const char *lab, const struct hostobj_rec *r, char *note,
                   size_t len, char *err)
{
        char alias[256], want[128], e[ERRLEN];
        const char *what = r->kind == 'l' ? "host interface" : "nftables table";
        unsigned long here = hostobj_netns_inode();
        if (!r->nsino || r->nsino != here) {
                snprintf(note, len,
                         "%s \"%s\" left alone: the journal names %s, not this one (%lu)", what,
                         r->name, r->nsino ? "another network namespace" : "no namespace", here);
                return HOSTOBJ_LEFT;
        }
        if (r->kind == 't')
                return remove_table(lab, r, note, len, err);
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
