/* nl_dump.c — dumps of links (with 64-bit counters), addresses,
 * main-table routes, neighbours (ARP/NDP, bridge FDB), the forwarding
 * state, and the link monitor the console polls.
 *
 * Each dump grows a malloc'd array from the RTM_NEW* messages of one
 * NLM_F_DUMP request. The monitor is a non-blocking socket subscribed to
 * the link and address groups; nl_monitor_read drains it and parses link
 * messages with the same code as the link dump. */
#include "nl_int.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if.h>
#include <linux/net_namespace.h>
#include <linux/neighbour.h>
#include <linux/netconf.h>
#include <sys/socket.h>
#include <linux/netlink.h>

struct grow {
        void *v;
        int n, cap;
        size_t size;
};

static void *grow_push(struct grow *g)
{
        if (g->n == g->cap) {
                int cap = g->cap ? g->cap * 2 : 16;
                void *nv = realloc(g->v, (size_t)cap * g->size);
                if (!nv)
                        return NULL;
                g->v = nv;
                g->cap = cap;
        }
        void *p = (char *)g->v + (size_t)g->n++ * g->size;
        memset(p, 0, g->size);
        return p;
}

static void copy_str(char *dst, size_t len, const struct nlattr *a)
{
        size_t n = mnl_attr_get_payload_len(a);
        if (n >= len)
                n = len - 1;
        memcpy(dst, mnl_attr_get_payload(a), n);
        dst[n] = '\0';
        dst[strnlen(dst, len)] = '\0';
}

/* Fills li from an RTM_NEWLINK/RTM_DELLINK message; -1 if it is not one. */
static int parse_link(const struct nlmsghdr *h, struct nl_link_info *li)
{
        if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK)
                return -1;
        if (mnl_nlmsg_get_payload_len(h) < sizeof(struct ifinfomsg))
                return -1;
        const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(h);
        memset(li, 0, sizeof(*li));
        li->link_netnsid = -1;
        li->ifindex = ifm->ifi_index;
        li->flags = ifm->ifi_flags;
        int oper = -1;
        const struct nlattr *a;
        mnl_attr_for_each(a, h, sizeof(*ifm))
        {
                switch (mnl_attr_get_type(a)) {
                case IFLA_IFNAME:
                        copy_str(li->name, sizeof(li->name), a);
                        break;
                case IFLA_ADDRESS:
                        if (mnl_attr_get_payload_len(a) == 6)
                                memcpy(li->mac, mnl_attr_get_payload(a), 6);
                        break;
                case IFLA_MTU:
                        if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
                                li->mtu = (int)mnl_attr_get_u32(a);
                        break;
                case IFLA_MASTER:
                        if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
                                li->master = (int)mnl_attr_get_u32(a);
                        break;
                case IFLA_LINK:
                        if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
                                li->link = (int)mnl_attr_get_u32(a);
                        break;
                case IFLA_LINK_NETNSID:
                        if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
                                li->link_netnsid = (int)mnl_attr_get_u32(a);
                        break;
                case IFLA_OPERSTATE:
                        if (mnl_attr_validate(a, MNL_TYPE_U8) == 0)
                                oper = mnl_attr_get_u8(a);
                        break;
                case IFLA_STATS64:
                        if (mnl_attr_get_payload_len(a) >= sizeof(struct rtnl_link_stats64)) {
                                struct rtnl_link_stats64 st;
                                memcpy(&st, mnl_attr_get_payload(a), sizeof(st));
                                li->rx_bytes = st.rx_bytes;
                                li->tx_bytes = st.tx_bytes;
                                li->rx_packets = st.rx_packets;
                                li->tx_packets = st.tx_packets;
                                li->rx_dropped = st.rx_dropped;
                                li->tx_dropped = st.tx_dropped;
                        }
                        break;
                case IFLA_LINKINFO: {
                        const struct nlattr *b;
                        mnl_attr_for_each_nested(b, a)
                        {
                                if (mnl_attr_get_type(b) == IFLA_INFO_KIND)
                                        copy_str(li->kind, sizeof(li->kind), b);
                        }
                        break;
                }
                default:
                        break;
                }
        }
        /* A veth whose peer has the same ifindex (in another namespace) has no IFLA_LINK. */
        if (!li->link && !strcmp(li->kind, "veth"))
                li->link = li->ifindex;
        li->oper_up = oper == IF_OPER_UP || (oper == IF_OPER_UNKNOWN && (li->flags & IFF_UP) &&
                                             (li->flags & IFF_LOWER_UP));
        return 0;
}

static int link_cb(const struct nlmsghdr *h, void *data)
{
        struct nl_link_info li;
        if (parse_link(h, &li) < 0)
                return 0;
        struct nl_link_info *p = grow_push(data);
        if (!p)
                return -1;
        *p = li;
        return 0;
}

int nl_link_dump(struct nl *nl, struct nl_link_info **out, int *n, char *err)
{
        struct nlmsghdr *nlh = nl_req(nl, RTM_GETLINK, NLM_F_DUMP);
        struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
        ifm->ifi_family = AF_UNSPEC;
        struct grow g = {.size = sizeof(struct nl_link_info)};
        if (nl_talk(nl, link_cb, &g) < 0) {
                free(g.v);
                return errf_sys(err, nl->s.extack, "Cannot dump links%s", nl->of);
        }
        *out = g.v;
        *n = g.n;
        return 0;
}

static int link_one_cb(const struct nlmsghdr *h, void *data)
{
        struct nl_link_info li;
        if (parse_link(h, &li) == 0)
                *(struct nl_link_info *)data = li;
        return 0;
}

int nl_link_get_in(struct nl *nl, int nsid, int ifindex, struct nl_link_info *li, char *err)
{
        struct nlmsghdr *nlh = nl_req(nl, RTM_GETLINK, NLM_F_ACK);
        struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
        ifm->ifi_family = AF_UNSPEC;
        ifm->ifi_index = ifindex;
        mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
        mnl_attr_put_u32(nlh, IFLA_TARGET_NETNSID, (uint32_t)nsid);
        memset(li, 0, sizeof(*li));
        if (nl_talk(nl, link_one_cb, li) < 0)
                return errf_sys(err, nl->s.extack, "Cannot get link %d of namespace id %d%s",
                                ifindex, nsid, nl->of);
        if (li->ifindex != ifindex) {
                errno = ENODEV;
                return errf(err, "Cannot get link %d of namespace id %d%s", ifindex, nsid, nl->of);
        }
        return 0;
}

static int nsid_cb(const struct nlmsghdr *h, void *data)
{
        if (h->nlmsg_type != RTM_NEWNSID)
                return 0;
        const struct nlattr *a;
        mnl_attr_for_each(a, h, sizeof(struct rtgenmsg))
        {
                if (mnl_attr_get_type(a) == NETNSA_NSID &&
                    mnl_attr_validate(a, MNL_TYPE_U32) == 0)
                        *(int *)data = (int)mnl_attr_get_u32(a);
        }
        return 0;
}

int nl_netns_id(struct nl *nl, int target_fd, char *err)
{
        struct nlmsghdr *nlh = nl_req(nl, RTM_GETNSID, NLM_F_ACK);
        struct rtgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
        g->rtgen_family = AF_UNSPEC;
        mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)target_fd);
        int id = -1;
        if (nl_talk(nl, nsid_cb, &id) < 0)
                return errf_sys(err, nl->s.extack, "Cannot get the id of a namespace");
        return id < 0 ? -1 : id;
}

int nl_netns_id_assign(struct nl *nl, int target_fd, char *err)
{
        int id = nl_netns_id(nl, target_fd, err);
        if (id >= 0)
                return id;
        struct nlmsghdr *nlh = nl_req(nl, RTM_NEWNSID, NLM_F_ACK);
        struct rtgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
        g->rtgen_family = AF_UNSPEC;
        mnl_attr_put_u32(nlh, NETNSA_FD, (uint32_t)target_fd);
        mnl_attr_put_u32(nlh, NETNSA_NSID, (uint32_t)-1); /* the kernel picks it */
        if (nl_talk(nl, NULL, NULL) < 0 && errno != EEXIST) /* EEXIST: assigned meanwhile */
                return errf_sys(err, nl->s.extack, "Cannot give a namespace an id");
        id = nl_netns_id(nl, target_fd, err);
        if (id < 0 && err && !err[0])
                errf(err, "Cannot give a namespace an id");
        return id;
}

static int addr_cb(const struct nlmsghdr *h, void *data)
{
        if (h->nlmsg_type != RTM_NEWADDR)
                return 0;
        const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(h);
        if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
                return 0;
        size_t alen = ifa->ifa_family == AF_INET ? 4 : 16;
        const void *local = NULL, *address = NULL;
        const struct nlattr *a;
        mnl_attr_for_each(a, h, sizeof(*ifa))
        {
                if (mnl_attr_get_payload_len(a) != alen)
                        continue;
                if (mnl_attr_get_type(a) == IFA_LOCAL)
                        local = mnl_attr_get_payload(a);
                else if (mnl_attr_get_type(a) == IFA_ADDRESS)
                        address = mnl_attr_get_payload(a);
        }
        const void *src = local ? local : address; /* IPv4 IFA_ADDRESS is the peer */
        if (!src)
                return 0;
        struct nl_addr_info *p = grow_push(data);
        if (!p)
                return -1;
        p->ifindex = (int)ifa->ifa_index;
        p->addr.family = ifa->ifa_family;
        p->addr.prefix = ifa->ifa_prefixlen;
        memcpy(p->addr.a, src, alen);
        return 0;
}

int nl_addr_dump(struct nl *nl, struct nl_addr_info **out, int *n, char *err)
{
        struct nlmsghdr *nlh = nl_req(nl, RTM_GETADDR, NLM_F_DUMP);
        struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
        ifa->ifa_family = AF_UNSPEC;
        struct grow g = {.size = sizeof(struct nl_addr_info)};
        if (nl_talk(nl, addr_cb, &g) < 0) {
                free(g.v);
                return errf_sys(err, nl->s.extack, "Cannot dump addresses%s", nl->of);
        }
        *out = g.v;
        *n = g.n;
        return 0;
}

static int route_cb(const struct nlmsghdr *h, void *data)
{
        if (h->nlmsg_type != RTM_NEWROUTE)
                return 0;
        const struct rtmsg *rtm = mnl_nlmsg_get_payload(h);
        if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
                return 0;
        size_t alen = rtm->rtm_family == AF_INET ? 4 : 16;
        int table = rtm->rtm_table;
        struct nl_route_info r;
        memset(&r, 0, sizeof(r));
        r.family = rtm->rtm_family;
        r.dst.family = rtm->rtm_family;
        r.dst.prefix = rtm->rtm_dst_len;
        const struct nlattr *a;
        mnl_attr_for_each(a, h, sizeof(*rtm))
        {
                switch (mnl_attr_get_type(a)) {
                case RTA_TABLE:
                        if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
                                table = (int)mnl_attr_get_u32(a);
                        break;
                case RTA_DST:
                        if (mnl_attr_get_payload_len(a) == alen)
                                memcpy(r.dst.a, mnl_attr_get_payload(a), alen);
                        break;
                case RTA_GATEWAY:
                        if (mnl_attr_get_payload_len(a) == alen) {
                                r.gw.family = rtm->rtm_family;
                                r.gw.prefix = (uint8_t)(alen * 8);
                                memcpy(r.gw.a, mnl_attr_get_payload(a), alen);
                        }
                        break;
                case RTA_OIF:
                        if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
                                r.oif = (int)mnl_attr_get_u32(a);
                        break;
                default:
                        break;
                }
        }
        if (table != RT_TABLE_MAIN)
                return 0;
        r.table = table;
        struct nl_route_info *p = grow_push(data);
        if (!p)
                return -1;
        *p = r;
        return 0;
}

int nl_route_dump(struct nl *nl, struct nl_route_info **out, int *n, char *err)
{
        struct nlmsghdr *nlh = nl_req(nl, RTM_GETROUTE, NLM_F_DUMP);
        struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
        rtm->rtm_family = AF_UNSPEC;
        struct grow g = {.size = sizeof(struct nl_route_info)};
        if (nl_talk(nl, route_cb, &g) < 0) {
                free(g.v);
                return errf_sys(err, nl->s.extack, "Cannot dump routes%s", nl->of);
        }
        *out = g.v;
        *n = g.n;
        return 0;
}

int nl_monitor_read(struct nl *nl, nl_link_event_fn fn, void *ud)
{
        int events = 0;
        for (;;) {
                ssize_t n = nlsock_recv(&nl->s, nl->buf, sizeof(nl->buf), MSG_DONTWAIT);
                if (n < 0) {
                        if (errno == EAGAIN || errno == EWOULDBLOCK)
                                return events;
                        return -1; /* ENOBUFS: events were lost; re-dump */
                }
                if (n == 0)
                        return events;
                int len = (int)n;
                const struct nlmsghdr *h = (const struct nlmsghdr *)nl->buf;
                for (; mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len)) {
                        switch (h->nlmsg_type) {
                        case RTM_NEWLINK:
                        case RTM_DELLINK: {
                                struct nl_link_info li;
                                if (parse_link(h, &li) == 0) {
                                        events++;
                                        if (fn)
                                                fn(ud, h->nlmsg_type == RTM_DELLINK, &li);
                                }
                                break;
                        }
                        case RTM_NEWADDR:
                        case RTM_DELADDR:
                                events++;
                                break;
                        default:
                                break;
                        }
                }
        }
}

/* Neighbours (RTM_GETNEIGH): AF_UNSPEC gives the ARP/NDP tables, AF_BRIDGE
 * a bridge's forwarding database. */
static int neigh_cb(const struct nlmsghdr *h, void *data)
{
        if (h->nlmsg_type != RTM_NEWNEIGH)
                return 0;
        const struct ndmsg *nd = mnl_nlmsg_get_payload(h);
        struct nl_neigh_info *p = grow_push(data);
        if (!p)
                return -1;
        p->family = nd->ndm_family;
        p->ifindex = nd->ndm_ifindex;
        p->state = nd->ndm_state;
        p->flags = nd->ndm_flags;
        const struct nlattr *a;
        mnl_attr_for_each(a, h, sizeof(*nd))
        {
                size_t len = mnl_attr_get_payload_len(a);
                switch (mnl_attr_get_type(a)) {
                case NDA_DST:
                        if ((nd->ndm_family == AF_INET && len == 4) ||
                            (nd->ndm_family == AF_INET6 && len == 16)) {
                                p->addr.family = nd->ndm_family;
                                p->addr.prefix = (uint8_t)(len * 8);
                                memcpy(p->addr.a, mnl_attr_get_payload(a), len);
                        }
                        break;
                case NDA_LLADDR:
                        if (len == 6) {
                                memcpy(p->mac, mnl_attr_get_payload(a), 6);
                                p->has_mac = true;
                        }
                        break;
                case NDA_MASTER:
                        if (len == 4)
                                p->master = (int)mnl_attr_get_u32(a);
                        break;
                case NDA_VLAN:
                        if (len == 2)
                                p->vid = mnl_attr_get_u16(a);
                        break;
                default:
                        break;
                }
        }
        return 0;
}

int nl_neigh_dump(struct nl *nl, int family, struct nl_neigh_info **out, int *n, char *err)
{
        struct nlmsghdr *nlh = nl_req(nl, RTM_GETNEIGH, NLM_F_DUMP);
        struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
        nd->ndm_family = (uint8_t)family;
        struct grow g = {.size = sizeof(struct nl_neigh_info)};
        if (nl_talk(nl, neigh_cb, &g) < 0) {
                free(g.v);
                return errf_sys(err, nl->s.extack, "Cannot dump %s%s",
                                family == AF_BRIDGE ? "the forwarding database" : "neighbours",
                                nl->of);
        }
        *out = g.v;
        *n = g.n;
        return 0;
}

/* IP forwarding (RTM_GETNETCONF for all interfaces). */
static int netconf_cb(const struct nlmsghdr *h, void *data)
{
        if (h->nlmsg_type != RTM_NEWNETCONF)
                return 0;
        const struct netconfmsg *ncm = mnl_nlmsg_get_payload(h);
        int ifindex = 0, fwd = -1;
        const struct nlattr *a;
        mnl_attr_for_each(a, h, sizeof(*ncm))
        {
                if (mnl_attr_get_payload_len(a) != 4)
                        continue;
                if (mnl_attr_get_type(a) == NETCONFA_IFINDEX)
                        ifindex = (int)mnl_attr_get_u32(a);
                else if (mnl_attr_get_type(a) == NETCONFA_FORWARDING)
                        fwd = (int)mnl_attr_get_u32(a);
        }
        if (ifindex == NETCONFA_IFINDEX_ALL && fwd >= 0)
                *(int *)data = fwd;
        return 0;
}

int nl_forwarding(struct nl *nl, int family, char *err)
{
        struct nlmsghdr *nlh = nl_req(nl, RTM_GETNETCONF, NLM_F_ACK);
        struct netconfmsg *ncm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ncm));
        ncm->ncm_family = (uint8_t)family;
        mnl_attr_put_u32(nlh, NETCONFA_IFINDEX, (uint32_t)NETCONFA_IFINDEX_ALL);
        int fwd = -1;
        if (nl_talk(nl, netconf_cb, &fwd) < 0 || fwd < 0) {
                if (fwd < 0 && !errno)
                        errno = ENOENT;
                return errf_sys(err, nl->s.extack, "Cannot read the forwarding state%s", nl->of);
        }
        return fwd;
}

int nl_monitor_read_all(struct nl *nl, nl_link_nsid_fn fn, void *ud)
{
        int events = 0;
        for (;;) {
                struct sockaddr_nl sa;
                struct iovec iov = {nl->buf, sizeof(nl->buf)};
                char cbuf[CMSG_SPACE(sizeof(int))];
                struct msghdr msg = {.msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = &iov,
                                     .msg_iovlen = 1, .msg_control = cbuf,
                                     .msg_controllen = sizeof(cbuf)};
                ssize_t n = recvmsg(nlsock_fd(&nl->s), &msg, MSG_DONTWAIT);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno == EAGAIN || errno == EWOULDBLOCK)
                                return events;
                        return -1; /* ENOBUFS: events were lost; re-dump */
                }
                if (n == 0)
                        return events;
                if (msg.msg_namelen != sizeof(sa) || sa.nl_pid != 0 || (msg.msg_flags & MSG_TRUNC))
                        continue;
                int nsid = -1; /* no id: the monitor's own namespace */
                for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
                        if (cm->cmsg_level == SOL_NETLINK && cm->cmsg_type == NETLINK_LISTEN_ALL_NSID &&
                            cm->cmsg_len >= CMSG_LEN(sizeof(int)))
                                memcpy(&nsid, CMSG_DATA(cm), sizeof(int));
                int len = (int)n;
                const struct nlmsghdr *h = (const struct nlmsghdr *)nl->buf;
                for (; mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len)) {
                        struct nl_link_info li;
                        if (h->nlmsg_type == RTM_NEWADDR || h->nlmsg_type == RTM_DELADDR)
                                events++;
                        else if ((h->nlmsg_type == RTM_NEWLINK || h->nlmsg_type == RTM_DELLINK) &&
                                 parse_link(h, &li) == 0) {
                                events++;
                                if (fn)
                                        fn(ud, nsid, h->nlmsg_type == RTM_DELLINK, &li);
                        }
                }
        }
}
