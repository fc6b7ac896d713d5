/* nl_vlan.c — the kernel VLAN path: bridge vlan_filtering, per-port VLAN
 * tables (as `bridge vlan add/del`), 802.1Q links, and the per-port VLAN
 * dump.
 *
 * Port tables go as RTM_SETLINK/RTM_DELLINK with family AF_BRIDGE and an
 * IFLA_AF_SPEC of IFLA_BRIDGE_VLAN_INFO entries, as iproute2's bridge/vlan.c
 * sends them. A kernel built without the feature answers EOPNOTSUPP (bridge
 * without CONFIG_BRIDGE_VLAN_FILTERING) or "Unknown device type" (no
 * CONFIG_VLAN_8021Q); both come back as EOPNOTSUPP naming the option. */
#include "nl_int.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_bridge.h>

int nl_bridge_vlan_filtering(struct nl *nl, int bridge_ifindex, bool on, char *err)
{
        struct nlmsghdr *nlh = nl_link_change(nl, bridge_ifindex, 0, 0);
        struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
        mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
        struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
        mnl_attr_put_u8(nlh, IFLA_BR_VLAN_FILTERING, on ? 1 : 0);
        mnl_attr_nest_end(nlh, data);
        mnl_attr_nest_end(nlh, li);
        if (nl_talk(nl, NULL, NULL) < 0) {
                char dev[64];
                nl_dev(nl, bridge_ifindex, dev, sizeof(dev));
                if (errno == EOPNOTSUPP && on) {
                        return errf(err,
                                    "Cannot enable VLAN filtering on bridge \"%s\": kernel has no "
                                    "bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING)",
                                    dev);
                }
                return errf_sys(err, nl->s.extack, "Cannot %s VLAN filtering on bridge \"%s\"",
                                on ? "enable" : "disable", dev);
        }
        return 0;
}

int nl_bridge_stp(struct nl *nl, int bridge_ifindex, int forward_delay_s, char *err)
{
        struct nlmsghdr *nlh = nl_link_change(nl, bridge_ifindex, 0, 0);
        struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
        mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
        struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
        /* forward delay first: the kernel refuses STP with a delay below 2 s */
        mnl_attr_put_u32(nlh, IFLA_BR_FORWARD_DELAY, (uint32_t)forward_delay_s * 100);
        mnl_attr_put_u32(nlh, IFLA_BR_STP_STATE, forward_delay_s ? 1 : 0);
        mnl_attr_nest_end(nlh, data);
        mnl_attr_nest_end(nlh, li);
        if (nl_talk(nl, NULL, NULL) < 0) {
                char dev[64];
                nl_dev(nl, bridge_ifindex, dev, sizeof(dev));
                return errf_sys(err, nl->s.extack, "Cannot turn STP %s on bridge \"%s\"",
                                forward_delay_s ? "on" : "off", dev);
        }
        return 0;
}

int nl_bridge_fdb_flush(struct nl *nl, int bridge_ifindex, char *err)
{
        struct nlmsghdr *nlh = nl_link_change(nl, bridge_ifindex, 0, 0);
        struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
        mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
        struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
        mnl_attr_put(nlh, IFLA_BR_FDB_FLUSH, 0, NULL);
        mnl_attr_nest_end(nlh, data);
        mnl_attr_nest_end(nlh, li);
        if (nl_talk(nl, NULL, NULL) < 0) {
                char dev[64];
                nl_dev(nl, bridge_ifindex, dev, sizeof(dev));
                return errf_sys(err, nl->s.extack, "Cannot flush the FDB of bridge \"%s\"", dev);
        }
        return 0;
}

/* One `bridge vlan add|del dev PORT vid VID [pvid] [untagged]`. */
static int port_vlan(struct nl *nl, bool add, int port, const struct vlan_entry *v, char *err)
{
        struct nlmsghdr *nlh = nl_req(nl, add ? RTM_SETLINK : RTM_DELLINK, NLM_F_ACK);
        struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
        ifm->ifi_family = AF_BRIDGE;
        ifm->ifi_index = port;
        struct nlattr *spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
        struct bridge_vlan_info vi;
        memset(&vi, 0, sizeof(vi));
        vi.vid = v->vid;
        if (v->pvid)
                vi.flags |= BRIDGE_VLAN_INFO_PVID;
        if (v->untagged)
                vi.flags |= BRIDGE_VLAN_INFO_UNTAGGED;
        mnl_attr_put(nlh, IFLA_BRIDGE_VLAN_INFO, sizeof(vi), &vi);
        mnl_attr_nest_end(nlh, spec);
        if (nl_talk(nl, NULL, NULL) < 0) {
                char dev[64];
                nl_dev(nl, port, dev, sizeof(dev));
                if (errno == EOPNOTSUPP)
                        return errf(err,
                                    "Cannot %s VLAN %u on port \"%s\": kernel has no bridge VLAN "
                                    "filtering (CONFIG_BRIDGE_VLAN_FILTERING)",
                                    add ? "add" : "delete", v->vid, dev);
                return errf_sys(err, nl->s.extack, "Cannot %s VLAN %u on port \"%s\"",
                                add ? "add" : "delete", v->vid, dev);
        }
        return 0;
}

int nl_bridge_vlan_set(struct nl *nl, int port_ifindex, const struct vlan_entry *v, int n,
                       char *err)
{
        for (int i = 0; i < n; i++) {
                if (v[i].vid < 1 || v[i].vid > 4094) {
                        char dev[64];
                        nl_dev(nl, port_ifindex, dev, sizeof(dev));
                        errno = EINVAL;
                        return errf(err, "Cannot add VLAN %u on port \"%s\": VID must be 1..4094",
                                    v[i].vid, dev);
                }
        }
        /* What the port has now (on a fresh port: VID 1 pvid untagged). */
        struct nl_port_vlan *cur = NULL;
        int ncur = 0;
        if (nl_bridge_vlan_dump(nl, &cur, &ncur, err) < 0)
                return -1;
        /* Add first (a new PVID moves the flag off the old one), then delete
         * what is not wanted. */
        for (int i = 0; i < n; i++) {
                if (port_vlan(nl, true, port_ifindex, &v[i], err) < 0) {
                        free(cur);
                        return -1;
                }
        }
        bool had_any = false;
        for (int j = 0; j < ncur; j++) {
                if (cur[j].ifindex != port_ifindex)
                        continue;
                had_any = true;
                bool keep = false;
                for (int i = 0; i < n; i++)
                        keep |= v[i].vid == cur[j].v.vid;
                if (!keep && port_vlan(nl, false, port_ifindex, &cur[j].v, err) < 0) {
                        free(cur);
                        return -1;
                }
        }
        free(cur);
        if (!had_any) {
                /* The dump showed nothing for this port (e.g. filtering not yet
                 * reported): still make sure the default VID 1 goes. */
                bool want1 = false;
                for (int i = 0; i < n; i++)
                        want1 |= v[i].vid == 1;
                struct vlan_entry one = {.vid = 1};
                if (!want1 && port_vlan(nl, false, port_ifindex, &one, err) < 0 &&
                    errno != ENOENT && errno != EINVAL)
                        return -1;
        }
        return 0;
}

int nl_vlan_add(struct nl *nl, int parent_ifindex, const char *name, uint16_t vid,
                const uint8_t *mac, bool up, char *err)
{
        const char *lb = nl->label, *sep = nl->label[0] ? ":" : "";
        if (!name || !*name || strlen(name) >= IFNAMSIZ) {
                errno = EINVAL;
                return errf(err, "Cannot create vlan: invalid interface name \"%s\"",
                            name ? name : "");
        }
        if (vid < 1 || vid > 4094) {
                errno = EINVAL;
                return errf(err, "Cannot create vlan \"%s%s%s\": VID %u is not in 1..4094", lb, sep,
                            name, vid);
        }
        struct nlmsghdr *nlh = nl_newlink_req(nl, name, mac, up);
        mnl_attr_put_u32(nlh, IFLA_LINK, (uint32_t)parent_ifindex);
        struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
        mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vlan");
        struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
        mnl_attr_put_u16(nlh, IFLA_VLAN_ID, vid);
        mnl_attr_nest_end(nlh, data);
        mnl_attr_nest_end(nlh, li);
        struct nl_echo e = {.name = name};
        if (nl_talk(nl, nl_echo_cb, &e) < 0) {
                if (errno == EOPNOTSUPP)
                        return errf(err,
                                    "Cannot create vlan \"%s%s%s\": kernel has no 802.1Q VLAN "
                                    "links (CONFIG_VLAN_8021Q)",
                                    lb, sep, name);
                return errf_sys(err, nl->s.extack, "Cannot create vlan \"%s%s%s\"", lb, sep, name);
        }
        if (e.ifindex <= 0) /* kernels before 6.3 do not echo */
                e.ifindex = nl_link_index(nl, name, err);
        return e.ifindex;
}

int nl_macvlan_add(struct nl *nl, int parent_ifindex, const char *name, int netns_fd,
                   char *err)
{
        if (!name || !*name || strlen(name) >= IFNAMSIZ) {
                errno = EINVAL;
                return errf(err, "Cannot create macvlan: invalid interface name \"%s\"",
                            name ? name : "");
        }
        struct nlmsghdr *nlh = nl_newlink_req(nl, name, NULL, false);
        mnl_attr_put_u32(nlh, IFLA_LINK, (uint32_t)parent_ifindex);
        if (netns_fd >= 0)
                mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)netns_fd);
        struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
        mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "macvlan");
        struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
        mnl_attr_put_u32(nlh, IFLA_MACVLAN_MODE, MACVLAN_MODE_BRIDGE);
        mnl_attr_nest_end(nlh, data);
        mnl_attr_nest_end(nlh, li);
        if (nl_talk(nl, NULL, NULL) < 0) {
                if (errno == EOPNOTSUPP)
                        return errf(err, "Cannot create macvlan \"%s\": kernel has no macvlan "
                                         "links (CONFIG_MACVLAN)",
                                    name);
                return errf_sys(err, nl->s.extack, "Cannot create macvlan \"%s\"", name);
        }
        return 0;
}

struct vlan_dump {
        struct nl_port_vlan *v;
        int n, cap;
};

static int vlan_push(struct vlan_dump *d, int ifindex, const struct bridge_vlan_info *vi,
                     uint16_t vid)
{
        if (d->n == d->cap) {
                int cap = d->cap ? d->cap * 2 : 32;
                struct nl_port_vlan *nv = realloc(d->v, (size_t)cap * sizeof(*nv));
                if (!nv)
                        return -1;
                d->v = nv;
                d->cap = cap;
        }
        struct nl_port_vlan *p = &d->v[d->n++];
        p->ifindex = ifindex;
        p->v.vid = vid;
        p->v.pvid = vi->flags & BRIDGE_VLAN_INFO_PVID;
        p->v.untagged = vi->flags & BRIDGE_VLAN_INFO_UNTAGGED;
        return 0;
}

static int vlan_dump_cb(const struct nlmsghdr *h, void *data)
{
        struct vlan_dump *d = data;
        if (h->nlmsg_type != RTM_NEWLINK)
                return 0;
        const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(h);
        if (ifm->ifi_family != AF_BRIDGE)
                return 0;
        const struct nlattr *a;
        mnl_attr_for_each(a, h, sizeof(*ifm))
        {
                if (mnl_attr_get_type(a) != IFLA_AF_SPEC)
                        continue;
                const struct nlattr *b;
                uint16_t range_start = 0;
                mnl_attr_for_each_nested(b, a)
                {
                        if (mnl_attr_get_type(b) != IFLA_BRIDGE_VLAN_INFO ||
                            mnl_attr_get_payload_len(b) < sizeof(struct bridge_vlan_info))
                                continue;
                        const struct bridge_vlan_info *vi = mnl_attr_get_payload(b);
                        if (vi->flags & BRIDGE_VLAN_INFO_RANGE_BEGIN) {
                                range_start = vi->vid;
                                continue;
                        }
                        uint16_t from = vi->vid;
                        if ((vi->flags & BRIDGE_VLAN_INFO_RANGE_END) && range_start)
                                from = range_start;
                        for (uint32_t vid = from; vid <= vi->vid; vid++)
                                if (vlan_push(d, ifm->ifi_index, vi, (uint16_t)vid) < 0)
                                        return -1;
                        range_start = 0;
                }
        }
        return 0;
}

int nl_bridge_vlan_dump(struct nl *nl, struct nl_port_vlan **out, int *n, char *err)
{
        struct nlmsghdr *nlh = nl_req(nl, RTM_GETLINK, NLM_F_DUMP);
        struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
        ifm->ifi_family = AF_BRIDGE;
        mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_BRVLAN);
        struct vlan_dump d = {0};
        if (nl_talk(nl, vlan_dump_cb, &d) < 0) {
                free(d.v);
                return errf_sys(err, nl->s.extack, "Cannot dump bridge VLANs%s", nl->of);
        }
        *out = d.v;
        *n = d.n;
        return 0;
}
