/* nl_link.c — veth pairs straight into namespaces, a bridge port, addresses,
 * routes and a ping across them, checked against what `ip` sees; plus the
 * error messages and the link/addr/route dumps. */
#include "nl.h"
#include "nlt.h"
#include <arpa/inet.h>
#include <net/if.h>

static const uint8_t mac_a[6] = {0x02, 0x4e, 0x4c, 0x00, 0x00, 0x01};
static const uint8_t mac_b[6] = {0x02, 0x4e, 0x4c, 0x00, 0x00, 0x02};
static const uint8_t mac_c[6] = {0x02, 0x4e, 0x4c, 0x00, 0x00, 0x03};
static const uint8_t mac_d[6] = {0x02, 0x4e, 0x4c, 0x00, 0x00, 0x04};

/* ifindex of dev in ns as `ip` reports it, or -1. */
static int ip_index(const char *ns, const char *dev)
{
        const char *o = sh("ip -n %s -o link show dev %s 2>/dev/null", ns, dev);
        return *o ? atoi(o) : -1;
}

static bool starts(const char *s, const char *prefix)
{
        return !strncmp(s, prefix, strlen(prefix)) && s[strlen(prefix)];
}

int main(void)
{
        nlt_init();
        char err[ERRLEN], h1[32], h2[32], sw[32];
        int fd1 = nlt_netns("h1", h1, sizeof(h1));
        int fd2 = nlt_netns("h2", h2, sizeof(h2));
        int fds = nlt_netns("s1", sw, sizeof(sw));

        struct nl *host = nl_open(-1, err);
        CHECK(host, "nl_open(host): %s", err);
        struct nl *nls = nl_open(fds, err);
        CHECK(nls, "nl_open(s1): %s", err);
        if (!host || !nls)
                return nlt_done("nl_link");

        /* Bridge in the switch namespace. */
        int br = nl_bridge_add(nls, "br0", NULL, true, err);
        CHECK(br > 0, "bridge: %s", err);
        CHECK(br == ip_index(sw, "br0"), "bridge ifindex %d vs ip %d", br, ip_index(sw, "br0"));
        CHECK(strstr(sh("ip -n %s -d link show br0", sw), "stp_state 0"), "stp on");
        CHECK(strstr(sh("ip -n %s -d link show br0", sw), "forward_delay 0"), "fwd delay");
        CHECK(strstr(sh("ip -n %s link show br0", sw), ",UP"), "bridge not up");

        /* h1:eth0 -- s1:p1, created from the host's socket; master on end a
         * is the bridge in a's namespace (so put the switch end as a). */
        struct veth_end a = {.name = "p1",
                             .label = "s1:p1",
                             .netns_fd = fds,
                             .mac = mac_b,
                             .mtu = 1400,
                             .master = br,
                             .up = true};
        struct veth_end b = {.name = "eth0",
                             .label = "h1:eth0",
                             .netns_fd = fd1,
                             .mac = mac_a,
                             .mtu = 1400,
                             .up = true};
        int ia = 0, ib = 0;
        int rc = nl_veth_add(host, &a, &b, &ia, &ib, err);
        CHECK(rc == 0, "veth: %s", err);
        CHECK(ia == ip_index(sw, "p1"), "ifindex a %d vs ip %d", ia, ip_index(sw, "p1"));
        CHECK(ib == ip_index(h1, "eth0"), "ifindex b %d vs ip %d", ib, ip_index(h1, "eth0"));
        const char *o = sh("ip -n %s -o link show eth0", h1);
        CHECK(strstr(o, "02:4e:4c:00:00:01"), "h1 eth0 mac: %s", o);
        CHECK(strstr(o, "mtu 1400"), "h1 eth0 mtu: %s", o);
        CHECK(strstr(o, "state UP"), "h1 eth0 not up: %s", o);
        o = sh("ip -n %s -o link show p1", sw);
        CHECK(strstr(o, "02:4e:4c:00:00:02"), "s1 p1 mac: %s", o);
        CHECK(strstr(o, "master br0"), "p1 not in br0: %s", o);
        CHECK(strstr(o, "state UP"), "s1 p1 not up: %s", o);

        /* Same name again: iproute2-like message with the labels. */
        rc = nl_veth_add(host, &a, &b, NULL, NULL, err);
        CHECK(rc == -1 && errno == EEXIST, "duplicate veth rc %d errno %d", rc, errno);
        CHECK(!strcmp(err, "Cannot create veth \"s1:p1\" -- \"h1:eth0\": File exists") ||
                  strstr(err, "Cannot create veth \"s1:p1\" -- \"h1:eth0\": "),
              "message: %s", err);
        printf("duplicate veth: %s\n", err);

        /* Second host h2:eth0 -- s1:p2, down at first; master set after. */
        struct veth_end c = {.name = "eth0", .label = "h2:eth0", .netns_fd = fd2, .mac = mac_c};
        struct veth_end d = {.name = "p2", .label = "s1:p2", .netns_fd = fds, .mac = mac_d};
        int ic = 0, id = 0;
        CHECK(nl_veth_add(host, &c, &d, &ic, &id, err) == 0, "veth 2: %s", err);
        CHECK(id == ip_index(sw, "p2"), "ifindex d %d vs %d", id, ip_index(sw, "p2"));
        CHECK(ic == ip_index(h2, "eth0"), "ifindex c %d vs %d", ic, ip_index(h2, "eth0"));
        CHECK(!strstr(sh("ip -n %s -o link show p2", sw), ",UP"), "p2 up too early");
        CHECK(nl_link_index(nls, "p2", err) == id, "nl_link_index p2: %s", err);
        CHECK(nl_link_index(nls, "nope", err) == -1 && errno == ENODEV, "nope found");
        CHECK(!strcmp(err, "Cannot find device \"nope\""), "message: %s", err);
        CHECK(nl_link_set_master(nls, id, br, err) == 0, "master: %s", err);
        CHECK(nl_link_set_up(nls, id, true, err) == 0, "up: %s", err);
        struct nl *n2 = nl_open(fd2, err);
        CHECK(n2, "nl_open h2: %s", err);
        if (!n2)
                return nlt_done("nl_link");
        CHECK(nl_link_set_up(n2, ic, true, err) == 0, "up: %s", err);
        CHECK(nl_link_set_mtu(n2, ic, 1400, err) == 0, "mtu: %s", err);
        CHECK(strstr(sh("ip -n %s -o link show p2", sw), "master br0"), "p2 master");
        CHECK(strstr(sh("ip -n %s -o link show eth0", h2), "mtu 1400"), "h2 mtu");

        /* Nothing appeared in the host namespace (our MACs are unique to this test). */
        CHECK(!*sh("ip -o link show 2>/dev/null | grep -i '02:4e:4c:00:00:0'"),
              "a test link is in the host namespace");

        /* Addresses and routes. */
        struct nl *n1 = nl_open(fd1, err);
        CHECK(n1, "nl_open h1: %s", err);
        if (!n1)
                return nlt_done("nl_link");
        struct ipaddr ip1, ip2, ip16, ip26, net, gw;
        ipaddr_parse("10.77.0.1/24", true, &ip1, err);
        ipaddr_parse("10.77.0.2/24", true, &ip2, err);
        ipaddr_parse("fd77::1/64", true, &ip16, err);
        ipaddr_parse("fd77::2/64", true, &ip26, err);
        CHECK(nl_addr_add(n1, ib, &ip1, err) == 0, "addr: %s", err);
        CHECK(nl_addr_add(n1, ib, &ip16, err) == 0, "addr6: %s", err);
        CHECK(nl_addr_add(n2, ic, &ip2, err) == 0, "addr: %s", err);
        CHECK(nl_addr_add(n2, ic, &ip26, err) == 0, "addr6: %s", err);
        o = sh("ip -n %s addr show eth0", h1);
        CHECK(strstr(o, "inet 10.77.0.1/24 brd 10.77.0.255"), "h1 addr: %s", o);
        CHECK(strstr(o, "inet6 fd77::1/64 scope global nodad"), "h1 addr6: %s", o);
        /* The callee names its object once, by name: the device with the
         * node's label, never "device #5". */
        rc = nl_addr_add(n1, ib, &ip1, err);
        CHECK(rc == -1 && errno == EEXIST, "duplicate address accepted");
        /* The reason is the kernel's extack where it has one (6.x), else strerror. */
        CHECK(!strcmp(err, "Cannot add address 10.77.0.1/24 to \"eth0\": File exists") ||
                  !strcmp(err, "Cannot add address 10.77.0.1/24 to \"eth0\": ipv4: Address "
                               "already assigned"),
              "message: %s", err);
        nl_set_label(n1, "h1");
        rc = nl_addr_add(n1, ib, &ip1, err);
        CHECK(rc == -1 && errno == EEXIST, "duplicate address accepted");
        CHECK(!strcmp(err, "Cannot add address 10.77.0.1/24 to \"h1:eth0\": File exists") ||
                  !strcmp(err, "Cannot add address 10.77.0.1/24 to \"h1:eth0\": ipv4: Address "
                               "already assigned"),
              "message: %s", err);
        CHECK(nl_link_set_mtu(n1, ib, 100000, err) == -1, "mtu 100000 accepted");
        CHECK(starts(err, "Cannot set mtu 100000 on \"h1:eth0\": "), "message: %s", err);
        CHECK(nl_link_set_up(n1, 999, true, err) == -1 && errno == ENODEV, "#999 set up");
        CHECK(!strcmp(err, "Cannot set \"h1:#999\" up: No such device"), "message: %s", err);

        ipaddr_parse("10.88.0.0/16", true, &net, err);
        ipaddr_parse("10.77.0.2", false, &gw, err);
        CHECK(nl_route_add(n1, &net, &gw, 0, err) == 0, "route: %s", err);
        CHECK(nl_route_add(n2, NULL, &ip1, ic, err) == 0, "default route: %s", err);
        o = sh("ip -n %s route show", h1);
        CHECK(strstr(o, "10.88.0.0/16 via 10.77.0.2 dev eth0"), "route: %s", o);
        o = sh("ip -n %s route show", h2);
        CHECK(strstr(o, "default via 10.77.0.1 dev eth0"), "default route: %s", o);
        struct ipaddr far;
        ipaddr_parse("10.99.0.1", false, &far, err);
        rc = nl_route_add(n1, NULL, &far, 0, err);
        CHECK(rc == -1, "unreachable gateway accepted");
        CHECK(starts(err, "Cannot add route default via 10.99.0.1 in \"h1\": "),
              "message: %s", err);

        /* Traffic: h1 -> h2 through the bridge. */
        CHECK(run("ip netns exec %s ping -c1 -W2 10.77.0.2 >/dev/null", h1) == 0,
              "ping 10.77.0.2 failed");
        CHECK(run("ip netns exec %s ping -c1 -W2 fd77::2 >/dev/null", h1) == 0,
              "ping fd77::2 failed");

        /* Dumps agree with ip. */
        struct nl_link_info *li;
        int nli;
        CHECK(nl_link_dump(nls, &li, &nli, err) == 0, "link dump: %s", err);
        int seen = 0;
        for (int i = 0; i < nli; i++) {
                if (!strcmp(li[i].name, "p1")) {
                        seen++;
                        CHECK(li[i].ifindex == ia && li[i].master == br && li[i].mtu == 1400 &&
                                  !memcmp(li[i].mac, mac_b, 6) && !strcmp(li[i].kind, "veth") &&
                                  li[i].oper_up && li[i].link == ib && li[i].tx_packets > 0,
                              "p1 dump: idx %d master %d mtu %d kind %s up %d link %d tx %llu",
                              li[i].ifindex, li[i].master, li[i].mtu, li[i].kind, li[i].oper_up,
                              li[i].link, (unsigned long long)li[i].tx_packets);
                }
                if (!strcmp(li[i].name, "br0")) {
                        seen++;
                        CHECK(!strcmp(li[i].kind, "bridge"), "br0 kind %s", li[i].kind);
                }
        }
        CHECK(seen == 2, "dump saw %d of p1, br0", seen);
        free(li);
        struct nl_addr_info *ad;
        int nad;
        CHECK(nl_addr_dump(n1, &ad, &nad, err) == 0, "addr dump: %s", err);
        seen = 0;
        for (int i = 0; i < nad; i++) {
                char t[64];
                ipaddr_format(&ad[i].addr, true, t, sizeof(t));
                if (ad[i].ifindex == ib && (!strcmp(t, "10.77.0.1/24") || !strcmp(t, "fd77::1/64")))
                        seen++;
        }
        CHECK(seen == 2, "addr dump saw %d of 2", seen);
        free(ad);
        struct nl_route_info *ro;
        int nro;
        CHECK(nl_route_dump(n2, &ro, &nro, err) == 0, "route dump: %s", err);
        seen = 0;
        for (int i = 0; i < nro; i++) {
                char g[64];
                ipaddr_format(&ro[i].gw, false, g, sizeof(g));
                if (ro[i].family == AF_INET && ro[i].dst.prefix == 0 && !strcmp(g, "10.77.0.1") &&
                    ro[i].oif == ic && ro[i].table == 254)
                        seen++;
        }
        CHECK(seen == 1, "route dump: no default via 10.77.0.1 (%d routes)", nro);
        free(ro);

        /* Delete. */
        CHECK(nl_link_del(nls, id, err) == 0, "del: %s", err);
        CHECK(ip_index(sw, "p2") == -1, "p2 still there");
        CHECK(ip_index(h2, "eth0") == -1, "peer still there");

        nl_close(n1);
        nl_close(n2);
        nl_close(nls);
        nl_close(host);
        return nlt_done("nl_link");
}
