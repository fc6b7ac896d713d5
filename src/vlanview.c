/* vlanview.c — a switch's per-port VLAN table on either path (see vlanview.h). */
#include "vlanview.h"
#include "dp.h"
#include "plan.h"
#include "nl.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int push(struct port_vlan **out, int *n, const struct iface *f, struct vlan_entry v)
{
        struct port_vlan *p = realloc(*out, (size_t)(*n + 1) * sizeof(*p));
        if (!p)
                return -1;
        *out = p;
        memset(&p[*n], 0, sizeof(p[*n]));
        memcpy(p[*n].port, f->name, sizeof(p[*n].port));
        p[*n].ifindex = f->ifindex;
        p[*n].v = v;
        (*n)++;
        return 0;
}

static int by_vid(const void *a, const void *b)
{
        return (int)((const struct port_vlan *)a)->v.vid -
               (int)((const struct port_vlan *)b)->v.vid;
}

bool lab_vlan_view_reads_kernel(const struct lab *lab, int node)
{
        return lab_node_has(lab, node, KIND_BRIDGE) && lab_switch_uses_vlan(lab, node) &&
               lab->state == LAB_UP && !plan_switch_in_userspace(lab, node);
}

int lab_vlan_view(const struct lab *lab, int node, struct port_vlan **out, int *n, char *err)
{
        *out = NULL;
        *n = 0;
        const struct node *sw = &lab->nodes[node];
        struct nl_port_vlan *kv = NULL;
        int nkv = 0;
        if (lab_vlan_view_reads_kernel(lab, node)) {
                char e[ERRLEN];
                int fd = lab_ns_open(lab, sw, CLONE_NEWNET, e);
                struct nl *nl = fd < 0 ? NULL : nl_open(fd, e);
                if (fd >= 0)
                        close(fd);
                if (!nl)
                        return errf(err, "switch \"%s\": %s", sw->name, e);
                nl_set_label(nl, sw->name);
                int rc = nl_bridge_vlan_dump(nl, &kv, &nkv, err);
                nl_close(nl);
                if (rc < 0)
                        return -1;
        }
        int rc = lab_vlan_view_of(lab, node, kv, nkv, out, n, err);
        free(kv);
        return rc;
}

int lab_vlan_view_of(const struct lab *lab, int node, const struct nl_port_vlan *kv, int nkv,
                     struct port_vlan **out, int *n, char *err)
{
        *out = NULL;
        *n = 0;
        const struct node *sw = &lab->nodes[node];
        if (!lab_node_has(lab, node, KIND_BRIDGE) || !lab_switch_uses_vlan(lab, node))
                return 0;
        bool kernel = lab_vlan_view_reads_kernel(lab, node);
        int rc = 0;
        for (int i = 0; i < sw->nifaces && rc == 0; i++) {
                const struct iface *f = &lab->ifaces[sw->ifaces[i]];
                int first = *n;
                if (kernel) {
                        for (int k = 0; k < nkv && rc == 0; k++)
                                if (kv[k].ifindex == f->ifindex)
                                        rc = push(out, n, f, kv[k].v);
                } else if (f->nvlan == 0) {
                        struct vlan_entry def = {.vid = 1, .pvid = true, .untagged = true};
                        rc = push(out, n, f, def);
                } else {
                        for (int k = 0; k < f->nvlan && rc == 0; k++)
                                rc = push(out, n, f, f->vlan[k]);
                }
                if (rc == 0)
                        qsort(*out + first, (size_t)(*n - first), sizeof(**out), by_vid);
        }
        if (rc < 0) {
                free(*out);
                *out = NULL;
                *n = 0;
                return errf_sys(err, NULL, "Cannot read the VLANs of \"%s\"", sw->name);
        }
        return 0;
}
