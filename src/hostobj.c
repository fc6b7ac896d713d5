/* hostobj.c — a lab's objects in the host's namespace: journaled with an
 * identity, verified before removal (see hostobj.h). */
#include "hostobj.h"
#include "journal.h"
#include "lab.h"
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
        snprintf(buf, len, "netlab:%s:%s", lab, ifname);
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

int hostobj_parse(int argc, char **argv, struct hostobj_rec *r)
{
        if (argc < 2 || strcmp(argv[0], "hostlink") != 0 || strlen(argv[1]) >= sizeof(r->name))
                return -1;
        memset(r, 0, sizeof(*r));
        snprintf(r->name, sizeof(r->name), "%s", argv[1]);
        if (argc >= 3)
                r->nsino = strtoul(argv[2], NULL, 10);
        if (argc >= 4)
                r->id = strtoll(argv[3], NULL, 10);
        return 0;
}

int hostobj_remove(struct nl *host, const char *lab, const struct hostobj_rec *r, char *note,
                   size_t len, char *err)
{
        char alias[256], want[128], e[ERRLEN];
        hostobj_link_alias(lab, r->name, want, sizeof(want));
        unsigned long here = hostobj_netns_inode();
        if (!r->nsino || r->nsino != here) {
                snprintf(note, len,
                         "host interface \"%s\" left alone: the journal names %s, not this "
                         "one (%lu)",
                         r->name, r->nsino ? "another network namespace" : "no namespace", here);
                return HOSTOBJ_LEFT;
        }
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
