/* nl.c — the rtnetlink core over libmnl: sockets bound to a namespace,
 * request/ACK with the kernel's extack text, and the link, address and
 * route requests a lab build makes.
 *
 * Every request goes out with a fresh sequence number and NLM_F_ACK; the
 * reply loop (nl_talk) hands data messages to a callback and stops at the
 * ACK, the error or NLMSG_DONE. A veth is created with both ends straight in
 * their namespaces; its ifindexes are then read with one RTM_GETLINK in end
 * a's namespace (a veth's IFLA_LINK is its peer's ifindex), through a small
 * cache of sockets opened in other namespaces. Qdiscs, VLANs, dumps and the
 * monitor live in nl_tc.c, nl_vlan.c and nl_dump.c. */
#include "nl_int.h"
#include "netns.h"
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/veth.h>

/* ---- sockets ------------------------------------------------------------ */

static int ns_id(int fd, dev_t *dev, ino_t *ino)
{
        struct stat st;
        if (fd < 0) {
                if (stat("/proc/thread-self/ns/net", &st) < 0)
                        return -1;
        } else if (fstat(fd, &st) < 0) {
                return -1;
        }
        *dev = st.st_dev;
        *ino = st.st_ino;
        return 0;
}

static struct nl *nl_new(int netns_fd, unsigned groups, char *err)
{
        struct nl *nl = calloc(1, sizeof(*nl));
        if (!nl) {
                errf_sys(err, NULL, "Cannot open netlink");
                return NULL;
        }
        if (nlsock_open(&nl->s, NETLINK_ROUTE, netns_fd, groups, err) < 0) {
                int e = errno;
                free(nl);
                errno = e;
                return NULL;
        }
        if (ns_id(netns_fd, &nl->ns_dev, &nl->ns_ino) < 0)
                nl->ns_ino = 0;
        return nl;
}

struct nl *nl_open(int netns_fd, char *err)
{
        return nl_new(netns_fd, 0, err);
}

void nl_set_label(struct nl *nl, const char *label)
{
        snprintf(nl->label, sizeof(nl->label), "%s", label ? label : "");
        snprintf(nl->of, sizeof(nl->of), "%s%s%s", nl->label[0] ? " of \"" : "", nl->label,
                 nl->label[0] ? "\"" : "");
}

struct nl *nl_monitor_open(int netns_fd, char *err)
{
        struct nl *nl =
            nl_new(netns_fd, RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR, err);
        if (!nl)
                return NULL;
        nl->monitor = true;
        int fd = nlsock_fd(&nl->s);
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
                errf_sys(err, NULL, "Cannot make the netlink monitor non-blocking");
                int e = errno;
                nl_close(nl);
                errno = e;
                return NULL;
        }
        /* Room for the burst of events a lab build makes (best effort:
         * SO_RCVBUFFORCE needs CAP_NET_ADMIN, SO_RCVBUF is capped by rmem_max). */
        int sz = 4 << 20;
        if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
        return nl;
}

struct nl *nl_monitor_all_open(char *err)
{
        struct nl *nl = nl_monitor_open(-1, err);
        int on = 1;
        if (nl && setsockopt(nlsock_fd(&nl->s), SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, &on,
                             sizeof(on)) < 0) {
                errf_sys(err, NULL, "Cannot listen to every namespace's netlink events");
                int e = errno;
                nl_close(nl);
                errno = e;
                return NULL;
        }
        return nl;
}

void nl_close(struct nl *nl)
{
        if (!nl)
                return;
        for (int i = 0; i < NL_NSCACHE; i++)
                nlsock_close(&nl->cache[i].s);
        nlsock_close(&nl->s);
        free(nl);
}

int nl_fd(const struct nl *nl)
{
        return nlsock_fd(&nl->s);
}

/* A socket in netns_fd's namespace: nl's own when it is the same namespace,
 * else one from the cache (least recently used is replaced). */
static struct nlsock *sock_for_ns(struct nl *nl, int netns_fd, char *err)
{
        dev_t dev;
        ino_t ino;
        if (netns_fd < 0)
                return &nl->s;
        if (ns_id(netns_fd, &dev, &ino) < 0) {
                errf_sys(err, NULL, "Cannot stat network namespace (fd %d)", netns_fd);
                return NULL;
        }
        if (nl->ns_ino && dev == nl->ns_dev && ino == nl->ns_ino)
                return &nl->s;
        struct nl_nscache *victim = &nl->cache[0];
        for (int i = 0; i < NL_NSCACHE; i++) {
                struct nl_nscache *c = &nl->cache[i];
                if (c->s.sock && c->dev == dev && c->ino == ino) {
                        c->used = ++nl->tick;
                        return &c->s;
                }
                if (!c->s.sock || (victim->s.sock && c->used < victim->used))
                        victim = c;
        }
        struct nlsock s;
        if (nlsock_open(&s, NETLINK_ROUTE, netns_fd, 0, err) < 0)
                return NULL;
        nlsock_close(&victim->s);
        victim->s = s;
        victim->dev = dev;
        victim->ino = ino;
        victim->used = ++nl->tick;
        return &victim->s;
}

/* ---- request / reply ---------------------------------------------------- */

struct nlmsghdr *nl_req(struct nl *nl, uint16_t type, uint16_t flags)
{
        nlbatch_init(&nl->b, nl->buf, sizeof(nl->buf), NL_HDRZERO, nlsock_seq(&nl->s));
        return nlbatch_add(&nl->b, type, flags);
}

struct nlmsghdr *nl_req_next(struct nl *nl, uint16_t type, uint16_t flags)
{
        return nlbatch_add(&nl->b, type, flags);
}

int nl_talk(struct nl *nl, nl_msg_fn cb, void *data)
{
        return nlsock_talk(&nl->s, &nl->b, nl->buf, sizeof(nl->buf), cb, data);
}

int nl_talk_on(struct nl *nl, struct nlsock *s, nl_msg_fn cb, void *data)
{
        int rc = nlsock_talk(s, &nl->b, nl->buf, sizeof(nl->buf), cb, data);
        int e = errno;
        if (s != &nl->s) {
                memcpy(nl->s.extack, s->extack, sizeof(nl->s.extack));
                nl->s.seq = nl->b.next_seq - 1;
        }
        errno = e;
        return rc;
}

static int name_cb(const struct nlmsghdr *h, void *data)
{
        if (h->nlmsg_type != RTM_NEWLINK)
                return 0;
        const struct nlattr *a;
        mnl_attr_for_each(a, h, sizeof(struct ifinfomsg))
        {
                if (mnl_attr_get_type(a) == IFLA_IFNAME &&
                    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
                        snprintf(data, IFNAMSIZ, "%s", mnl_attr_get_str(a));
        }
        return 0;
}

const char *nl_dev(struct nl *nl, int ifindex, char *buf, size_t len)
{
        int saved = errno;
        char extack[NLSOCK_EXTACKLEN], name[IFNAMSIZ] = "";
        memcpy(extack, nl->s.extack, sizeof(extack));
        if (ifindex > 0) {
                struct nlmsghdr *nlh = nl_req(nl, RTM_GETLINK, NLM_F_ACK);
                struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
                ifm->ifi_family = AF_UNSPEC;
                ifm->ifi_index = ifindex;
                mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
                if (nl_talk(nl, name_cb, name) < 0)
                        name[0] = '\0';
        }
        if (!name[0])
                snprintf(name, sizeof(name), "#%d", ifindex);
        snprintf(buf, len, "%s%s%s", nl->label, nl->label[0] ? ":" : "", name);
        memcpy(nl->s.extack, extack, sizeof(extack));
        errno = saved;
        return buf;
}

/* ---- links --------------------------------------------------------------- */

static int check_ifname(const char *name, const char *what, char *err)
{
        if (!name || !*name || strlen(name) >= IFNAMSIZ || strchr(name, '/')) {
                errno = EINVAL;
                return errf(err, "Cannot create %s: invalid interface name \"%s\"", what,
                            name ? name : "");
        }
        return 0;
}

struct link_lookup {
        int ifindex;
        int link;
        bool have_link;
        char alias[256]; /* IFLA_IFALIAS, "" none */
};

static int lookup_cb(const struct nlmsghdr *h, void *data)
{
        struct link_lookup *l = data;
        if (h->nlmsg_type != RTM_NEWLINK)
                return 0;
        const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(h);
        l->ifindex = ifm->ifi_index;
        const struct nlattr *a;
        mnl_attr_for_each(a, h, sizeof(*ifm))
        {
                if (mnl_attr_get_type(a) == IFLA_LINK && mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
                        l->link = (int)mnl_attr_get_u32(a);
                        l->have_link = true;
                }
                if (mnl_attr_get_type(a) == IFLA_IFALIAS) {
                        size_t n = mnl_attr_get_payload_len(a);
                        n = n < sizeof(l->alias) - 1 ? n : sizeof(l->alias) - 1;
                        memcpy(l->alias, mnl_attr_get_payload(a), n);
                        l->alias[n] = '\0';
                }
        }
        return 0;
}

/* RTM_GETLINK by name in nl's namespace. */
static int getlink_by_name(struct nl *nl, const char *name, struct link_lookup *l)
{
        struct nlmsghdr *nlh = nl_req(nl, RTM_GETLINK, NLM_F_ACK);
        struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
        ifm->ifi_family = AF_UNSPEC;
        mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
        mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
        memset(l, 0, sizeof(*l));
        l->ifindex = -1;
        if (nl_talk(nl, lookup_cb, l) < 0)
                return -1;
        if (l->ifindex <= 0) {
                errno = ENODEV;
                return -1;
        }
        return 0;
}

int nl_link_index(struct nl *nl, const char *name, char *err)
{
        return nl_link_alias(nl, name, NULL, 0, err);
}

int nl_link_alias(struct nl *nl, const char *name, char *alias, size_t len, char *err)
{
        struct link_lookup l;
        const char *lb = nl->label, *sep = nl->label[0] ? ":" : "";
        if (!name || strlen(name) >= IFNAMSIZ) {
                errno = ENODEV;
                return errf(err, "Cannot find device \"%s%s%s\"", lb, sep, name ? name : "");
        }
        if (getlink_by_name(nl, name, &l) < 0) {
                if (errno == ENODEV || errno == ENOENT) {
                        errno = ENODEV;
                        return errf(err, "Cannot find device \"%s%s%s\"", lb, sep, name);
                }
                return errf_sys(err, nl->s.extack, "Cannot find device \"%s%s%s\"", lb, sep,
                                name);
        }
        if (alias && len)
                snprintf(alias, len, "%s", l.alias);
        return l.ifindex;
}

int nl_link_set_alias(struct nl *nl, int ifindex, const char *alias, char *err)
{
        struct nlmsghdr *nlh = nl_link_change(nl, ifindex, 0, 0);
        mnl_attr_put_strz(nlh, IFLA_IFALIAS, alias);
        char dev[64];
        if (nl_talk(nl, NULL, NULL) < 0)
                return errf_sys(err, nl->s.extack, "Cannot set alias \"%s\" on \"%s\"", alias,
                                nl_dev(nl, ifindex, dev, sizeof(dev)));
        return 0;
}

static void put_end(struct nlmsghdr *nlh, const struct veth_end *e)
{
        mnl_attr_put_strz(nlh, IFLA_IFNAME, e->name);
        if (e->netns_fd >= 0)
                mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)e->netns_fd);
        if (e->mac)
                mnl_attr_put(nlh, IFLA_ADDRESS, 6, e->mac);
        if (e->mtu > 0)
                mnl_attr_put_u32(nlh, IFLA_MTU, (uint32_t)e->mtu);
        /* One queue each way, said up front: otherwise veth shrinks its
         * per-CPU default to one queue after registering, and each shrink
         * waits for an expedited RCU grace period under the rtnl lock. */
        mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, 1);
        mnl_attr_put_u32(nlh, IFLA_NUM_RX_QUEUES, 1);
}

int nl_veth_add(struct nl *nl, const struct veth_end *a, const struct veth_end *b, int *ifindex_a,
                int *ifindex_b, char *err)
{
        const char *la = a->label ? a->label : a->name, *lb = b->label ? b->label : b->name;
        if (check_ifname(a->name, "veth", err) < 0 || check_ifname(b->name, "veth", err) < 0)
                return -1;
        struct nlmsghdr *nlh = nl_req(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
        struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
        ifm->ifi_family = AF_UNSPEC;
        if (a->up) {
                ifm->ifi_flags = IFF_UP;
                ifm->ifi_change = IFF_UP;
        }
        put_end(nlh, a);
        if (a->master > 0)
                mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)a->master);
        struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
        mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
        struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
        struct nlattr *peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
        struct ifinfomsg *pifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifm));
        pifm->ifi_family = AF_UNSPEC;
        put_end(nlh, b);
        mnl_attr_nest_end(nlh, peer);
        mnl_attr_nest_end(nlh, data);
        mnl_attr_nest_end(nlh, li);
        if (nl_talk(nl, NULL, NULL) < 0)
                return errf_sys(err, nl->s.extack, "Cannot create veth \"%s\" -- \"%s\"", la, lb);
        if (!b->up && !ifindex_a && !ifindex_b)
                return 0;
        /* The kernel cannot bring the peer up while creating it (its open
         * fails with ENOTCONN before the pair is joined), so b goes up after,
         * by name, through a socket in b's namespace; in the same send, one
         * RTM_GETLINK of b gives both ifindexes (a veth's IFLA_LINK is its
         * peer's ifindex, left out by the kernel when equal to its own). */
        struct nlsock *s = sock_for_ns(nl, b->netns_fd, err);
        if (!s)
                return -1;
        if (b->up) {
                struct nlmsghdr *m = nl_req(nl, RTM_NEWLINK, NLM_F_ACK);
                struct ifinfomsg *i = mnl_nlmsg_put_extra_header(m, sizeof(*i));
                i->ifi_family = AF_UNSPEC;
                i->ifi_flags = IFF_UP;
                i->ifi_change = IFF_UP;
                mnl_attr_put_strz(m, IFLA_IFNAME, b->name);
        }
        if (ifindex_a || ifindex_b) {
                struct nlmsghdr *m = b->up ? nl_req_next(nl, RTM_GETLINK, NLM_F_ACK)
                                           : nl_req(nl, RTM_GETLINK, NLM_F_ACK);
                struct ifinfomsg *i = mnl_nlmsg_put_extra_header(m, sizeof(*i));
                i->ifi_family = AF_UNSPEC;
                mnl_attr_put_strz(m, IFLA_IFNAME, b->name);
                mnl_attr_put_u32(m, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
        }
        struct link_lookup l = {.ifindex = -1};
        if (nl_talk_on(nl, s, lookup_cb, &l) < 0)
                return errf_sys(err, nl->s.extack, "Cannot set veth end \"%s\" up", lb);
        if (ifindex_b)
                *ifindex_b = l.ifindex;
        if (ifindex_a)
                *ifindex_a = l.have_link ? l.link : l.ifindex;
        return 0;
}

int nl_echo_cb(const struct nlmsghdr *h, void *data)
{
        struct nl_echo *e = data;
        if (h->nlmsg_type != RTM_NEWLINK || e->ifindex > 0)
                return 0;
        const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(h);
        const struct nlattr *a;
        mnl_attr_for_each(a, h, sizeof(*ifm))
        {
                if (mnl_attr_get_type(a) == IFLA_IFNAME &&
                    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 &&
                    !strcmp(mnl_attr_get_str(a), e->name))
                        e->ifindex = ifm->ifi_index;
        }
        return 0;
}

struct nlmsghdr *nl_newlink_req(struct nl *nl, const char *name, const uint8_t *mac, bool up)
{
        struct nlmsghdr *nlh =
            nl_req(nl, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK | NLM_F_ECHO);
        struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
        ifm->ifi_family = AF_UNSPEC;
        if (up) {
                ifm->ifi_flags = IFF_UP;
                ifm->ifi_change = IFF_UP;
        }
        mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
        if (mac)
                mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
        return nlh;
}

int nl_bridge_add(struct nl *nl, const char *name, const uint8_t *mac, bool up, char *err)
{
        if (check_ifname(name, "bridge", err) < 0)
                return -1;
        struct nlmsghdr *nlh = nl_newlink_req(nl, name, mac, up);
        struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
        mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
        struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
        mnl_attr_put_u32(nlh, IFLA_BR_STP_STATE, 0);
        mnl_attr_put_u32(nlh, IFLA_BR_FORWARD_DELAY, 0);
        mnl_attr_nest_end(nlh, data);
        mnl_attr_nest_end(nlh, li);
        struct nl_echo e = {.name = name};
        if (nl_talk(nl, nl_echo_cb, &e) < 0)
                return errf_sys(err, nl->s.extack, "Cannot create bridge \"%s%s%s\"", nl->label,
                                nl->label[0] ? ":" : "", name);
        if (e.ifindex <= 0) /* kernels before 6.3 do not echo */
                e.ifindex = nl_link_index(nl, name, err);
        return e.ifindex;
}

struct nlmsghdr *nl_link_change(struct nl *nl, int ifindex, unsigned flags, unsigned change)
{
        struct nlmsghdr *nlh = nl_req(nl, RTM_NEWLINK, NLM_F_ACK);
        struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
        ifm->ifi_family = AF_UNSPEC;
        ifm->ifi_index = ifindex;
        ifm->ifi_flags = flags;
        ifm->ifi_change = change;
        return nlh;
}

int nl_link_set_up(struct nl *nl, int ifindex, bool up, char *err)
{
        nl_link_change(nl, ifindex, up ? IFF_UP : 0, IFF_UP);
        char dev[64];
        if (nl_talk(nl, NULL, NULL) < 0)
                return errf_sys(err, nl->s.extack, "Cannot set \"%s\" %s",
                                nl_dev(nl, ifindex, dev, sizeof(dev)), up ? "up" : "down");
        return 0;
}

int nl_link_set_master(struct nl *nl, int ifindex, int master_ifindex, char *err)
{
        struct nlmsghdr *nlh = nl_link_change(nl, ifindex, 0, 0);
        mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)(master_ifindex > 0 ? master_ifindex : 0));
        char dev[64], master[64];
        if (nl_talk(nl, NULL, NULL) < 0) {
                nl_dev(nl, ifindex, dev, sizeof(dev));
                if (master_ifindex <= 0)
                        return errf_sys(err, nl->s.extack, "Cannot release \"%s\"", dev);
                return errf_sys(err, nl->s.extack, "Cannot enslave \"%s\" to \"%s\"", dev,
                                nl_dev(nl, master_ifindex, master, sizeof(master)));
        }
        return 0;
}

int nl_link_set_mtu(struct nl *nl, int ifindex, int mtu, char *err)
{
        struct nlmsghdr *nlh = nl_link_change(nl, ifindex, 0, 0);
        mnl_attr_put_u32(nlh, IFLA_MTU, (uint32_t)mtu);
        char dev[64];
        if (nl_talk(nl, NULL, NULL) < 0)
                return errf_sys(err, nl->s.extack, "Cannot set mtu %d on \"%s\"", mtu,
                                nl_dev(nl, ifindex, dev, sizeof(dev)));
        return 0;
}

int nl_link_del(struct nl *nl, int ifindex, char *err)
{
        char dev[64];
        nl_dev(nl, ifindex, dev, sizeof(dev)); /* before it is gone */
        struct nlmsghdr *nlh = nl_req(nl, RTM_DELLINK, NLM_F_ACK);
        struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
        ifm->ifi_family = AF_UNSPEC;
        ifm->ifi_index = ifindex;
        if (nl_talk(nl, NULL, NULL) < 0)
                return errf_sys(err, nl->s.extack, "Cannot delete device \"%s\"", dev);
        return 0;
}

/* ---- addresses and routes ------------------------------------------------ */

static size_t addr_len(int family)
{
        return family == AF_INET ? 4 : 16;
}

int nl_addr_add(struct nl *nl, int ifindex, const struct ipaddr *addr, char *err)
{
        char text[64], dev[64];
        ipaddr_format(addr, true, text, sizeof(text));
        if (addr->family != AF_INET && addr->family != AF_INET6) {
                errno = EAFNOSUPPORT;
                return errf(err, "Cannot add address %s to \"%s\": no address family", text,
                            nl_dev(nl, ifindex, dev, sizeof(dev)));
        }
        struct nlmsghdr *nlh = nl_req(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
        struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
        ifa->ifa_family = (uint8_t)addr->family;
        ifa->ifa_prefixlen = addr->prefix;
        ifa->ifa_index = (uint32_t)ifindex;
        ifa->ifa_scope = RT_SCOPE_UNIVERSE;
        if (addr->family == AF_INET && addr->a[0] == 127)
                ifa->ifa_scope = RT_SCOPE_HOST;
        size_t alen = addr_len(addr->family);
        mnl_attr_put(nlh, IFA_LOCAL, alen, addr->a);
        mnl_attr_put(nlh, IFA_ADDRESS, alen, addr->a);
        if (addr->family == AF_INET6) {
                ifa->ifa_flags = IFA_F_NODAD;
                mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
        } else if (addr->prefix < 31) {
                uint32_t a;
                memcpy(&a, addr->a, 4);
                uint32_t mask = addr->prefix ? htonl(~0u << (32 - addr->prefix)) : 0;
                uint32_t brd = a | ~mask;
                mnl_attr_put(nlh, IFA_BROADCAST, 4, &brd);
        }
        if (nl_talk(nl, NULL, NULL) < 0)
                return errf_sys(err, nl->s.extack, "Cannot add address %s to \"%s\"", text,
                                nl_dev(nl, ifindex, dev, sizeof(dev)));
        return 0;
}

int nl_route_add(struct nl *nl, const struct ipaddr *dst, const struct ipaddr *gw, int ifindex,
                 char *err)
{
        char dtext[64] = "default", gtext[64] = "";
        bool has_dst = dst && dst->family && dst->prefix > 0;
        bool has_gw = gw && gw->family;
        if (has_dst)
                ipaddr_format(dst, true, dtext, sizeof(dtext));
        if (has_gw) {
                strcpy(gtext, " via ");
                ipaddr_format(gw, false, gtext + 5, sizeof(gtext) - 5);
        }
        char in[48] = "";
        if (nl->label[0])
                snprintf(in, sizeof(in), " in \"%s\"", nl->label);
        int family = dst && dst->family ? dst->family : has_gw ? gw->family : AF_INET;
        if (has_gw && gw->family != family) {
                errno = EINVAL;
                return errf(err, "Cannot add route %s%s%s: gateway family differs", dtext, gtext,
                            in);
        }
        struct nlmsghdr *nlh = nl_req(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
        struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
        rtm->rtm_family = (uint8_t)family;
        rtm->rtm_dst_len = has_dst ? dst->prefix : 0;
        rtm->rtm_table = RT_TABLE_MAIN;
        rtm->rtm_protocol = RTPROT_BOOT;
        rtm->rtm_type = RTN_UNICAST;
        rtm->rtm_scope = (family == AF_INET && !has_gw) ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
        size_t alen = addr_len(family);
        if (has_dst) {
                uint8_t a[16];
                memcpy(a, dst->a, alen);
                for (size_t i = 0; i < alen; i++) { /* clear host bits, as a route wants */
                        int bits = (int)dst->prefix - (int)(i * 8);
                        if (bits <= 0)
                                a[i] = 0;
                        else if (bits < 8)
                                a[i] &= (uint8_t)(0xff << (8 - bits));
                }
                mnl_attr_put(nlh, RTA_DST, alen, a);
        }
        if (has_gw)
                mnl_attr_put(nlh, RTA_GATEWAY, alen, gw->a);
        if (ifindex > 0)
                mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
        if (nl_talk(nl, NULL, NULL) < 0)
                return errf_sys(err, nl->s.extack, "Cannot add route %s%s%s", dtext, gtext, in);
        return 0;
}
