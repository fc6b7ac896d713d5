/* adopt.c — a console for a lab whose netlab has gone (`netlab run --keep`,
 * then `netlab attach`): the lab file is loaded again, its model matched to
 * what the kernel holds, and the lab's lock and journal taken over, so the
 * console works on it as on a lab it built (see lab.h, lab_adopt).
 *
 * Nothing is created: a namespace or interface the model names but the
 * kernel lacks is a mismatch (the file changed since), reported, and the
 * lab is left as it was. */
#include "clean.h"
#include "dp.h"
#include "journal.h"
#include "lab.h"
#include "nl.h"
#include "probe.h"
#include "rundir.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* The kernel's side of one node: its namespaces, its interfaces' indexes and MACs. */
static int adopt_node(struct lab *lab, int i, char *err)
{
        struct node *n = &lab->nodes[i];
        char path[PATH_MAX], e[ERRLEN];
        lab_netns_path(lab, n->name, path, sizeof(path));
        int net_fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (net_fd < 0)
                return errf_sys(err, NULL, "node \"%s\" has no namespace \"%s\"", n->name, path);
        struct nl *nl = nl_open(net_fd, e);
        close(net_fd); /* no descriptor per idle node: lab_ns_fd opens it again */
        n->made = true;
        if (!nl)
                return errf(err, "node \"%s\": %s", n->name, e);
        struct nl_link_info *li = NULL;
        int nli = 0, rc = nl_link_dump(nl, &li, &nli, e);
        nl_close(nl);
        if (rc < 0)
                return errf(err, "node \"%s\": %s", n->name, e);
        for (int k = 0; k < n->nifaces && rc == 0; k++) {
                struct iface *f = &lab->ifaces[n->ifaces[k]];
                f->ifindex = 0;
                for (int j = 0; j < nli; j++)
                        if (!strcmp(li[j].name, f->name)) {
                                f->ifindex = li[j].ifindex;
                                memcpy(f->mac, li[j].mac, 6);
                        }
                if (!f->ifindex) {
                        errno = ENODEV;
                        rc = errf(err, "node \"%s\" has no interface \"%s\"", n->name, f->name);
                }
        }
        free(li);
        return rc;
}

int lab_adopt(struct lab *lab, char *err)
{
        char e[ERRLEN];
        if (lab->state != LAB_DEFINED)
                return errf(err, "lab \"%s\" is already up here", lab->name);
        if (lab_validate(lab, err) < 0)
                return -1;
        if (probe_features(&lab->feat, e) < 0)
                return errf(err, "Cannot probe the kernel's features: %s", e);
        int root = rundir_root(false, e);
        int dir = root >= 0 ? rundir_open(root, lab->name, e) : -1;
        if (root >= 0)
                close(root);
        if (dir < 0) {
                errno = ENOENT;
                return errf(err, "No lab \"%s\" is up (netlab ls lists them)", lab->name);
        }
        lab->lock_fd = openat(dir, "lock", O_RDWR | O_CLOEXEC | O_NOFOLLOW);
        if (lab->lock_fd < 0 || flock(lab->lock_fd, LOCK_EX | LOCK_NB) < 0) {
                if (lab_running(lab->name, err) != 1)
                        errf_sys(err, NULL, "Cannot lock \"%s/lock\"", lab->rundir);
                goto fail;
        }
        char mp[16] = "";
        int mfd = openat(dir, "macprefix", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (mfd >= 0) {
                ssize_t r = read(mfd, mp, sizeof(mp) - 1);
                mp[r > 0 ? r : 0] = '\0';
                close(mfd);
                lab->mac_prefix = (uint16_t)strtoul(mp, NULL, 16);
        }
        for (int i = 0; i < lab->nnodes; i++)
                if (lab_node_live(lab, i) && adopt_node(lab, i, e) < 0) {
                        errf(err,
                             "lab \"%s\" does not match %s (changed since it was built?): %s",
                             lab->name, lab->file[0] ? lab->file : "its file", e);
                        goto fail;
                }
        e[0] = '\0';
        struct journal_owner prev; /* the lab's age goes on */
        journal_owner(dir, &prev);
        lab->up_since = prev.since;
        lab->journal = journal_open(dir, e);
        if (!lab->journal || journal_add_owner(lab->journal, lab->up_since) < 0) {
                errf(err, "Cannot take over lab \"%s\": %s", lab->name,
                     e[0] ? e : "the journal cannot be written");
                goto fail;
        }
        close(dir);
        dir = -1;
        if (lab_note_built(lab, -1, err) < 0)
                goto fail;
        lab->state = LAB_UP;
        if (dp_adopt(lab, e) < 0) {
                /* up, as the kernel has it; what the datapath carried is not */
                lab->state = LAB_DEFINED;
                errf(err, "lab \"%s\": its userspace datapath: %s", lab->name, e);
                goto fail;
        }
        return 0;
fail:
        lab_ns_release(lab);
        for (int i = 0; i < lab->nnodes; i++)
                lab->nodes[i].made = false;
        if (lab->journal) {
                journal_close(lab->journal);
                lab->journal = NULL;
        }
        if (lab->lock_fd >= 0)
                close(lab->lock_fd);
        lab->lock_fd = -1;
        close(dir);
        return -1;
}
