/* test_lab.c — unit tests of the lab model (src/lab.c, src/ipaddr.c): names,
 * interface naming, MACs, addresses, VLAN entries and whole-model checks.
 * Pure data: no root, no kernel. */
#include "check.h"
#include "lab.h"
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>



static void test_ipaddr(void)
{
        struct ipaddr a, b;
        char err[ERRLEN], buf[64];
        CHECK(ipaddr_parse("10.0.0.1/24", true, &a, err) == 0, "%s", err);
        CHECK(a.family == AF_INET && a.prefix == 24, "family %d prefix %d", a.family, a.prefix);
        ipaddr_format(&a, true, buf, sizeof(buf));
        CHECK(!strcmp(buf, "10.0.0.1/24"), "%s", buf);
        CHECK(ipaddr_parse("fd00::1/64", true, &a, err) == 0, "%s", err);
        CHECK(a.family == AF_INET6 && a.prefix == 64, "v6");
        CHECK(ipaddr_parse("10.0.0.1", true, &a, err) < 0 && strstr(err, "ADDRESS/PREFIX"),
               "missing prefix accepted: %s", err);
        CHECK(ipaddr_parse("10.0.0.300/24", true, &a, err) < 0 && strstr(err, "10.0.0.300"),
               "bad octet: %s", err);
        CHECK(ipaddr_parse("10.0.0.1/33", true, &a, err) < 0 && strstr(err, "0..32"),
               "bad prefix: %s", err);
        CHECK(ipaddr_parse("10.0.0.1/", true, &a, err) < 0, "empty prefix accepted");
        CHECK(ipaddr_parse("10.0.0.1", false, &a, err) == 0 && a.prefix == 32, "bare");
        ipaddr_parse("10.0.1.5/24", true, &a, err);
        ipaddr_parse("10.0.1.200", false, &b, err);
        CHECK(ipaddr_same_subnet(&a, &b), "same /24");
        ipaddr_parse("10.0.2.1", false, &b, err);
        CHECK(!ipaddr_same_subnet(&a, &b), "different /24");
        ipaddr_parse("10.0.0.1/8", true, &a, err);
        ipaddr_parse("10.200.3.4", false, &b, err);
        CHECK(ipaddr_same_subnet(&a, &b), "same /8");
}

static void test_names(void)
{
        char err[ERRLEN];
        CHECK(lab_new("", err) == NULL, "empty lab name");
        CHECK(lab_new("a/b", err) == NULL && strstr(err, "a/b"), "slash: %s", err);
        CHECK(lab_new("abcdefghijklmnopqrstuvwxyz", err) == NULL, "too long lab name");
        struct lab *lab = lab_new("t", err);
        CHECK(lab != NULL, "%s", err);
        CHECK(lab_add_node(lab, "h1", &kind_host, "x.lua:1", err) == 0, "%s", err);
        CHECK(lab_add_node(lab, "h1", &kind_host, "x.lua:2", err) < 0 &&
                       strstr(err, "duplicate") && strstr(err, "x.lua:1"),
               "duplicate: %s", err);
        CHECK(lab_add_node(lab, "1h", &kind_host, "x", err) < 0, "digit first accepted");
        CHECK(lab_add_node(lab, "h 1", &kind_host, "x", err) < 0, "space accepted");
        CHECK(lab_add_node(lab, "averyveryverylongnodename", &kind_host, "x", err) < 0 &&
                       strstr(err, "1 to 24"),
               "long node name: %s", err);
        CHECK(lab_find_node(lab, "h1") == 0, "find");
        CHECK(lab_find_node(lab, "nope") == -1, "find missing");
        lab_free(lab);
}

static void test_links_and_macs(void)
{
        char err[ERRLEN];
        struct lab *lab = lab_new("t", err);
        int h1 = lab_add_node(lab, "h1", &kind_host, "x", err);
        int h2 = lab_add_node(lab, "h2", &kind_host, "x", err);
        int s1 = lab_add_node(lab, "s1", &kind_switch, "x", err);
        int l1 = lab_add_link(lab, h1, s1, NULL, NULL, NULL, "x", err);
        int l2 = lab_add_link(lab, h2, s1, NULL, NULL, NULL, "x", err);
        CHECK(l1 == 0 && l2 == 1, "links %d %d: %s", l1, l2, err);
        CHECK(!strcmp(lab->ifaces[lab->links[l1].a].name, "eth0"), "host iface eth0");
        CHECK(!strcmp(lab->ifaces[lab->links[l1].b].name, "p1"), "switch port p1");
        CHECK(!strcmp(lab->ifaces[lab->links[l2].b].name, "p2"), "switch port p2");
        CHECK(lab_add_link(lab, h1, h1, NULL, NULL, NULL, "x", err) < 0 && strstr(err, "itself"),
               "self link: %s", err);
        CHECK(lab_add_link(lab, h1, h2, NULL, "eth0", NULL, "x", err) < 0 &&
                       strstr(err, "already has"),
               "duplicate ifname: %s", err);
        CHECK(lab_add_link(lab, h1, h2, NULL, "averyveryverylongname", NULL, "x", err) < 0 &&
                       strstr(err, "15"),
               "long ifname: %s", err);
        struct link_params p = {.mtu = 20};
        CHECK(lab_add_link(lab, h1, h2, &p, NULL, NULL, "x", err) < 0 && strstr(err, "mtu"),
               "bad mtu: %s", err);
        /* MACs: locally administered unicast, unique, deterministic. */
        for (int i = 0; i < lab->nifaces; i++) {
                CHECK((lab->ifaces[i].mac[0] & 0x03) == 0x02, "LAA unicast bit");
                for (int k = 0; k < i; k++)
                        CHECK(memcmp(lab->ifaces[i].mac, lab->ifaces[k].mac, 6) != 0,
                               "MAC %d == MAC %d", i, k);
        }
        struct lab *again = lab_new("t", err);
        lab_add_node(again, "h1", &kind_host, "x", err);
        lab_add_node(again, "h2", &kind_host, "x", err);
        lab_add_node(again, "s1", &kind_switch, "x", err);
        lab_add_link(again, 0, 2, NULL, NULL, NULL, "x", err);
        CHECK(!memcmp(again->ifaces[0].mac, lab->ifaces[0].mac, 6), "same lab, same MAC");
        struct lab *other = lab_new("u", err);
        lab_add_node(other, "h1", &kind_host, "x", err);
        lab_add_node(other, "s1", &kind_switch, "x", err);
        lab_add_link(other, 0, 1, NULL, NULL, NULL, "x", err);
        CHECK(memcmp(other->ifaces[0].mac, lab->ifaces[0].mac, 6) != 0, "other lab, other MAC");
        lab_free(again);
        lab_free(other);
        lab_free(lab);
}

static void test_addresses_and_validate(void)
{
        char err[ERRLEN];
        struct lab *lab = lab_new("t", err);
        int h1 = lab_add_node(lab, "h1", &kind_host, "lab.lua:3", err);
        int s1 = lab_add_node(lab, "s1", &kind_switch, "x", err);
        int l = lab_add_link(lab, h1, s1, NULL, NULL, NULL, "x", err);
        int e0 = lab->links[l].a, p1 = lab->links[l].b;
        CHECK(lab_iface_add_addr(lab, e0, "10.0.0.1/24", err) == 0, "%s", err);
        CHECK(lab_iface_add_addr(lab, e0, "10.0.0.1/24", err) < 0 && strstr(err, "already"),
               "duplicate address: %s", err);
        CHECK(lab_iface_add_addr(lab, p1, "10.0.0.9/24", err) < 0 && strstr(err, "switch"),
               "address on a switch: %s", err);
        CHECK(lab_iface_add_addr(lab, e0, "bogus", err) < 0 && strstr(err, "h1:eth0"),
               "bad address names the iface: %s", err);
        CHECK(lab_node_set_gw(lab, h1, "10.9.9.9", err) == 0, "%s", err);
        CHECK(lab_validate(lab, err) < 0 && strstr(err, "lab.lua:3") && strstr(err, "10.9.9.9"),
               "unreachable gateway: %s", err);
        CHECK(lab_node_set_gw(lab, h1, "10.0.0.254", err) == 0, "%s", err);
        CHECK(lab_validate(lab, err) == 0, "%s", err);
        CHECK(lab_iface_add_addr(lab, e0, "fd00::1/64", err) == 0, "%s", err);
        CHECK(lab->nodes[h1].ipv6, "IPv6 address turns IPv6 on");
        lab_free(lab);
}

/* Names and addresses at scale: the indexes (lab.c) grow, find every node,
 * and still refuse a duplicate name or address, of the first or the last. */
static void test_many(void)
{
        char err[ERRLEN], name[32], ip[32];
        struct lab *lab = lab_new("t", err);
        int prev = -1;
        for (int i = 0; i < 3000; i++) {
                snprintf(name, sizeof(name), i & 1 ? "s%d" : "h%d", i);
                int n = lab_add_node(lab, name, i & 1 ? &kind_switch : &kind_host, "x", err);
                CHECK(n == i, "add %s: %s", name, err);
                if (i & 1) {
                        int l = lab_add_link(lab, prev, n, NULL, NULL, NULL, "x", err);
                        CHECK(l >= 0, "%s", err);
                        snprintf(ip, sizeof(ip), "10.%d.%d.1/24", i >> 8, i & 255);
                        CHECK(lab_iface_add_addr(lab, lab->links[l].a, ip, err) == 0, "%s", err);
                }
                prev = n;
        }
        for (int i = 0; i < 3000; i += 7) {
                snprintf(name, sizeof(name), i & 1 ? "s%d" : "h%d", i);
                CHECK(lab_find_node(lab, name) == i, "find %s: %d", name, lab_find_node(lab, name));
        }
        CHECK(lab_find_node(lab, "h1") == -1 && lab_find_node(lab, "s0") == -1, "find missing");
        lab_node_set_name(lab, 10, "renamed"); /* a view's node (hostview.c) */
        CHECK(lab_find_node(lab, "renamed") == 10 && lab_find_node(lab, "h10") == -1,
              "rename: %d %d", lab_find_node(lab, "renamed"), lab_find_node(lab, "h10"));
        /* Renames that grow the index (each leaves its old entry) keep the
         * nodes after the renamed one findable. */
        for (int k = 0; k < 3000; k++) {
                snprintf(name, sizeof(name), "r%d", k);
                lab_node_set_name(lab, 10, name);
        }
        CHECK(lab_find_node(lab, "r2999") == 10 && lab_find_node(lab, "h2998") == 2998 &&
                  lab_find_node(lab, "s11") == 11,
              "renames that grew the index: %d %d %d", lab_find_node(lab, "r2999"),
              lab_find_node(lab, "h2998"), lab_find_node(lab, "s11"));
        lab_node_set_name(lab, 10, "renamed");
        CHECK(lab_add_node(lab, "h2998", &kind_host, "y", err) < 0 && strstr(err, "duplicate"),
              "duplicate of the last: %s", err);
        int h = lab_add_node(lab, "hx", &kind_host, "x", err),
            s = lab_add_node(lab, "sx", &kind_switch, "x", err);
        int l = lab_add_link(lab, h, s, NULL, NULL, NULL, "x", err);
        CHECK(lab_iface_add_addr(lab, lab->links[l].a, "10.0.1.1/24", err) < 0 &&
                  strstr(err, "h0:eth0 already has it"),
              "duplicate of the first address: %s", err);
        CHECK(lab_iface_add_addr(lab, lab->links[l].a, "10.11.183.1/24", err) < 0 &&
                  strstr(err, "already has it"),
              "duplicate of the last address: %s", err);
        CHECK(lab_iface_add_addr(lab, lab->links[l].a, "10.11.184.1/24", err) == 0, "%s", err);
        lab_free(lab);
}

/* Interfaces by name (lab.c's index, kept as each node's list): a
 * 1,000-port switch's ports and its hosts' eth0 and eth1 are each found on
 * their node only; a port taken off (a link deleted live) is not, its name
 * is free again, the ports after it still found; a link whose second end
 * is refused leaves its first end's name free. */
static void test_ifaces(void)
{
        char err[ERRLEN], name[32];
        struct lab *lab = lab_new("t", err);
        int sw = lab_add_node(lab, "big", &kind_switch, "x", err);
        int h[1000], e1[3];
        for (int i = 0; i < 1000; i++) {
                snprintf(name, sizeof(name), "h%d", i);
                h[i] = lab_add_node(lab, name, &kind_host, "x", err);
                int l = lab_add_link(lab, h[i], sw, NULL, NULL, NULL, "x", err);
                CHECK(l >= 0, "%s", err);
        }
        for (int i = 0; i < 3; i++) /* a few with two interfaces: eth1 too */
                CHECK(lab_add_link(lab, h[i], h[999 - i], NULL, NULL, NULL, "x", err) >= 0, "%s",
                      err);
        for (int i = 0; i < 1000; i += 37) {
                snprintf(name, sizeof(name), "p%d", i + 1);
                int p = lab_find_iface(lab, sw, name), e = lab_find_iface(lab, h[i], "eth0");
                CHECK(p >= 0 && lab->ifaces[p].node == sw && !strcmp(lab->ifaces[p].name, name),
                      "%s: %d", name, p);
                CHECK(e >= 0 && lab_iface_peer(lab, e) == p, "h%d:eth0: %d (peer %s)", i, e, name);
                CHECK(lab_find_iface(lab, sw, "eth0") < 0 && lab_find_iface(lab, h[i], name) < 0,
                      "found on another node: %s", name);
        }
        for (int i = 0; i < 3; i++) {
                e1[i] = lab_find_iface(lab, h[i], "eth1");
                CHECK(e1[i] >= 0 && lab->ifaces[e1[i]].node == h[i], "h%d:eth1: %d", i, e1[i]);
        }
        CHECK(lab_find_iface(lab, h[3], "eth1") < 0, "h3 has no eth1");
        int p500 = lab_find_iface(lab, sw, "p500");
        lab_iface_drop(lab, p500);
        CHECK(lab_find_iface(lab, sw, "p500") < 0, "a dropped port is found");
        CHECK(lab->nodes[sw].nifaces == 999, "%d ports", lab->nodes[sw].nifaces);
        CHECK(lab_find_iface(lab, sw, "p501") == p500 + 2 && lab_find_iface(lab, sw, "p1000") >= 0,
              "the ports after a dropped one: %d", lab_find_iface(lab, sw, "p501"));
        int hx = lab_add_node(lab, "hx", &kind_host, "x", err);
        int l = lab_add_link(lab, hx, sw, NULL, NULL, "p500", "x", err);
        CHECK(l >= 0 && lab_find_iface(lab, sw, "p500") == lab->links[l].b, "p500 again: %d (%s)",
              lab_find_iface(lab, sw, "p500"), err);
        /* Links deleted and made again, many times over: the index is made
         * anew (its dropped entries go), every port still found once. */
        for (int k = 0; k < 3000; k++) {
                lab_iface_drop(lab, lab_find_iface(lab, sw, "p500"));
                l = lab_add_link(lab, hx, sw, NULL, NULL, "p500", "x", err);
                lab_iface_drop(lab, lab->links[l].a);
        }
        int found = 0;
        for (int i = 1; i <= 1000; i++) {
                snprintf(name, sizeof(name), "p%d", i);
                int p = lab_find_iface(lab, sw, name);
                found += p >= 0 && lab->ifaces[p].node == sw && !strcmp(lab->ifaces[p].name, name);
        }
        CHECK(found == 1000 && lab->nodes[sw].nifaces == 1000 && lab->nodes[hx].nifaces == 1,
              "after 3000 links made and deleted: %d ports found, %d listed", found,
              lab->nodes[sw].nifaces);
        int listed = 0;
        for (int i = 0; i < lab->nnodes; i++)
                listed += lab->nodes[i].nifaces;
        CHECK(lab->ifname_cap <= 8 * listed, "the index grew to %d for %d interfaces",
              lab->ifname_cap, listed);
        CHECK(lab_add_link(lab, hx, sw, NULL, "up", "bad/name", "x", err) < 0, "bad name taken");
        CHECK(lab_find_iface(lab, hx, "up") < 0, "the refused link's first end stays");
        CHECK(lab_add_link(lab, hx, sw, NULL, "up", NULL, "x", err) >= 0 &&
                  lab_find_iface(lab, hx, "up") >= 0,
              "its name again: %s", err);
        lab_free(lab);
}

static void test_vlans(void)
{
        char err[ERRLEN];
        struct lab *lab = lab_new("t", err);
        int h1 = lab_add_node(lab, "h1", &kind_host, "x", err);
        int s1 = lab_add_node(lab, "s1", &kind_switch, "x", err);
        int l = lab_add_link(lab, h1, s1, NULL, NULL, NULL, "x", err);
        int e0 = lab->links[l].a, p1 = lab->links[l].b;
        CHECK(lab_port_add_vlan(lab, p1, 10, true, true, err) == 0, "%s", err);
        CHECK(lab_port_add_vlan(lab, p1, 20, true, false, err) < 0 && strstr(err, "PVID 10"),
               "two PVIDs: %s", err);
        CHECK(lab_port_add_vlan(lab, p1, 20, false, false, err) == 0, "%s", err);
        CHECK(lab->ifaces[p1].nvlan == 2, "two entries");
        CHECK(lab_port_add_vlan(lab, p1, 0, false, false, err) < 0 && strstr(err, "1..4094"),
               "vid 0: %s", err);
        CHECK(lab_port_add_vlan(lab, p1, 4095, false, false, err) < 0, "vid 4095");
        CHECK(lab_port_add_vlan(lab, e0, 10, true, true, err) < 0 && strstr(err, "not a switch"),
               "vlan on a host port: %s", err);
        int sub = lab_add_subif(lab, e0, 10, "x", err);
        CHECK(sub > 0 && !strcmp(lab->ifaces[sub].name, "eth0.10"), "subif: %s", err);
        CHECK(!memcmp(lab->ifaces[sub].mac, lab->ifaces[e0].mac, 6), "subif MAC = parent MAC");
        CHECK(lab_add_subif(lab, e0, 10, "x", err) < 0 && strstr(err, "already"),
               "duplicate subif: %s", err);
        CHECK(lab_add_subif(lab, sub, 20, "x", err) < 0, "subif of a subif");
        CHECK(lab_add_subif(lab, p1, 10, "x", err) < 0 && strstr(err, "switch"),
               "subif on a switch: %s", err);
        CHECK(lab->uses_vlan, "uses_vlan");
        lab_free(lab);
}

/* The kind table (src/kind.h): every kind is complete and found by name,
 * and what differs between kinds comes from the table, never from a test of
 * one kind: automatic names, addresses, VLAN entries, the bridge's name,
 * the router's nat interface checked before anything is built. */
static void test_kinds(void)
{
        char err[ERRLEN];
        int n = 0;
        for (int i = 0; node_kinds[i]; i++, n++) {
                const struct node_kind *k = node_kinds[i];
                CHECK(k->name && *k->name && k->lua_keys && k->ifprefix && *k->ifprefix &&
                              k->sysctls,
                      "kind %d incomplete", i);
                CHECK(node_kind_find(k->name) == k, "node_kind_find(\"%s\")", k->name);
                for (int j = 0; j < i; j++)
                        CHECK(strcmp(node_kinds[j]->name, k->name) != 0, "two kinds \"%s\"",
                              k->name);
        }
        CHECK(n == 4, "%d kinds", n);
        CHECK(node_kind_find("nat") == &kind_nat && kind_nat.configure &&
                  (kind_nat.flags & KIND_L3) && !strcmp(kind_nat.own_ifname(NULL, 0), "uplink"),
              "the NAT kind (lab:nat): L3, configured, its uplink reserved");
        CHECK(node_kind_find("") == NULL, "a kind with no name");

        struct lab *lab = lab_new("t", err);
        int h = lab_add_node(lab, "h1", &kind_host, "x", err);
        int r = lab_add_node(lab, "r1", &kind_router, "x.lua:7", err);
        int s = lab_add_node(lab, "s1", &kind_switch, "x", err);
        int l1 = lab_add_link(lab, h, r, NULL, NULL, NULL, "x", err);
        int l2 = lab_add_link(lab, r, s, NULL, NULL, NULL, "x", err);
        CHECK(l1 >= 0 && l2 >= 0, "%s", err);
        CHECK(!strcmp(lab->ifaces[lab->links[l2].a].name, "eth1"), "router's second port eth1");
        CHECK(!strcmp(lab->ifaces[lab->links[l2].b].name, "p1"), "switch's first port p1");
        CHECK(lab_node_live(lab, h) && lab_node_live(lab, s), "live nodes");
        CHECK(!lab_node_live(lab, -1) && !lab_node_live(lab, lab->nnodes), "out of range");
        CHECK(lab_node_has(lab, r, KIND_L3) && !lab_node_has(lab, r, KIND_BRIDGE), "router");
        CHECK(lab_node_has(lab, s, KIND_BRIDGE) && !lab_node_has(lab, s, KIND_L3), "switch");
        CHECK(!lab_node_has(lab, 99, KIND_L3), "flags of no node");
        int sp = lab->links[l2].b;
        CHECK(lab_iface_add_addr(lab, sp, "10.0.0.1/24", err) < 0 && strstr(err, "is a switch"),
              "address on a switch port: %s", err);
        /* The bridge's own name is the switch's: no port may take it. */
        CHECK(lab_add_link(lab, h, s, NULL, NULL, "s1", "x", err) < 0 &&
                      strstr(err, "already has an interface \"s1\""),
              "a port named as the bridge: %s", err);
        snprintf(lab->nodes[r].nat_out, sizeof(lab->nodes[r].nat_out), "eth7");
        CHECK(lab_validate(lab, err) < 0 &&
                      strstr(err, "x.lua:7: nat: router \"r1\" has no interface \"eth7\""),
              "nat on a missing interface: %s", err);
        snprintf(lab->nodes[r].nat_out, sizeof(lab->nodes[r].nat_out), "eth1");
        CHECK(lab_validate(lab, err) == 0, "nat on eth1: %s", err);
        lab_free(lab);
}

/* Setters refuse a built lab (the kernel holds the state then), and
 * validate what they store. */
static void test_setters(void)
{
        char err[ERRLEN];
        struct lab *lab = lab_new("t", err);
        int h1 = lab_add_node(lab, "h1", &kind_host, "x", err);
        int r1 = lab_add_node(lab, "r1", &kind_router, "x", err);
        int l = lab_add_link(lab, h1, r1, NULL, NULL, NULL, "x", err);
        CHECK(lab_node_set_ipv6(lab, h1, true, err) == 0 && lab->nodes[h1].ipv6, "%s", err);
        CHECK(lab_node_set_nat(lab, r1, "eth0", err) == 0 &&
                  !strcmp(lab->nodes[r1].nat_out, "eth0"),
              "%s", err);
        CHECK(lab_node_set_nat(lab, r1, "a/b", err) < 0 && strstr(err, "invalid nat interface"),
              "nat: %s", err);
        CHECK(lab_node_set_nat(lab, r1, "averyverylongname0", err) < 0, "nat name too long");
        CHECK(lab_link_set_initial_up(lab, l, false, err) == 0 && !lab->links[l].up, "%s", err);
        lab->state = LAB_UP; /* as if built */
        int e0 = lab->links[l].a;
        CHECK(lab_node_set_ipv6(lab, h1, false, err) < 0 && strstr(err, "already built") &&
                  lab->nodes[h1].ipv6,
              "ipv6 after the build: %s", err);
        CHECK(lab_link_set_initial_up(lab, l, true, err) < 0 && !lab->links[l].up,
              "link state after the build: %s", err);
        CHECK(lab_add_subif(lab, e0, 10, "x", err) < 0 && strstr(err, "already built"),
              "subinterface after the build: %s", err);
        CHECK(lab_iface_add_addr(lab, e0, "10.0.0.1/24", err) < 0 && strstr(err, "already built"),
              "address after the build: %s", err);
        lab->state = LAB_DEFINED;
        lab_free(lab);
}

int main(void)
{
        test_ipaddr();
        test_names();
        test_links_and_macs();
        test_addresses_and_validate();
        test_many();
        test_ifaces();
        test_vlans();
        test_kinds();

        test_setters();
        return check_done("unit_lab");
}
