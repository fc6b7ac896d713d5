/* nl_vlan.c — the kernel VLAN path: vlan_filtering, a port's VLAN table and
 * an 802.1Q link work where the probe found the features (checked with
 * `bridge vlan show` / `ip -d link`), and fail with EOPNOTSUPP naming the
 * kernel option where it did not. */
#include "nl.h"
#include "probe.h"
#include "nlt.h"

int main(void)
{
        nlt_init();
        char err[ERRLEN], sw[32], h[32];
        struct features f;
        CHECK(probe_features(&f, err) == 0, "probe: %s", err);
        printf("kernel: bridge_vlan %d vlan8021q %d\n", f.bridge_vlan, f.vlan8021q);
        int fds = nlt_netns("s", sw, sizeof(sw));
        int fdh = nlt_netns("h", h, sizeof(h));
        struct nl *nl = nl_open(fds, err);
        struct nl *nh = nl_open(fdh, err);
        CHECK(nl && nh, "open: %s", err);
        if (!nl || !nh)
                return nlt_done("nl_vlan");
        int br = nl_bridge_add(nl, "br0", NULL, true, err);
        CHECK(br > 0, "bridge: %s", err);
        struct veth_end a = {.name = "p1", .netns_fd = fds, .master = br, .up = true};
        struct veth_end b = {.name = "eth0", .netns_fd = fdh, .up = true};
        int ia, ib;
        CHECK(nl_veth_add(nl, &a, &b, &ia, &ib, err) == 0, "veth: %s", err);

        int rc = nl_bridge_vlan_filtering(nl, br, true, err);
        if (f.bridge_vlan) {
                CHECK(rc == 0, "vlan_filtering: %s", err);
                CHECK(strstr(sh("ip -n %s -d link show br0", sw), "vlan_filtering 1"),
                      "filtering not on");
                struct vlan_entry v[] = {{.vid = 10, .pvid = true, .untagged = true}, {.vid = 20}};
                CHECK(nl_bridge_vlan_set(nl, ia, v, 2, err) == 0, "vlan set: %s", err);
                const char *o = sh("bridge -n %s -c vlan show dev p1", sw);
                printf("%s", o);
                CHECK(strstr(o, "10 PVID Egress Untagged") && strstr(o, "20") &&
                          !strstr(o, " 1 PVID"),
                      "vlan table: %s", o);
                struct nl_port_vlan *pv;
                int n, seen = 0;
                CHECK(nl_bridge_vlan_dump(nl, &pv, &n, err) == 0, "dump: %s", err);
                for (int i = 0; i < n; i++)
                        if (pv[i].ifindex == ia)
                                seen += (pv[i].v.vid == 10 && pv[i].v.pvid && pv[i].v.untagged) +
                                        (pv[i].v.vid == 20 && !pv[i].v.pvid && !pv[i].v.untagged) +
                                        10 * (pv[i].v.vid == 1);
                CHECK(seen == 2, "dump: seen %d", seen);
                free(pv);
                /* Replace: only 30 remains. */
                struct vlan_entry w = {.vid = 30, .pvid = true, .untagged = true};
                CHECK(nl_bridge_vlan_set(nl, ia, &w, 1, err) == 0, "vlan set 2: %s", err);
                o = sh("bridge -n %s -c vlan show dev p1", sw);
                CHECK(strstr(o, "30 PVID") && !strstr(o, " 10") && !strstr(o, " 20"), "replace: %s",
                      o);
        } else {
                CHECK(rc == -1 && errno == EOPNOTSUPP, "rc %d errno %d", rc, errno);
                CHECK(strstr(err, "(CONFIG_BRIDGE_VLAN_FILTERING)"), "message: %s", err);
                printf("vlan_filtering: %s\n", err);
                CHECK(!strstr(sh("ip -n %s -d link show br0", sw), "vlan_filtering 1"),
                      "filtering on?");
                struct vlan_entry v = {.vid = 10, .pvid = true, .untagged = true};
                rc = nl_bridge_vlan_set(nl, ia, &v, 1, err);
                CHECK(rc == -1 && errno == EOPNOTSUPP, "vlan set rc %d errno %d: %s", rc, errno,
                      err);
                CHECK(strstr(err, "(CONFIG_BRIDGE_VLAN_FILTERING)"), "message: %s", err);
                printf("vlan set: %s\n", err);
        }

        int vi = nl_vlan_add(nh, ib, "eth0.10", 10, NULL, true, err);
        if (f.vlan8021q) {
                CHECK(vi > 0, "vlan link: %s", err);
                const char *o = sh("ip -n %s -d link show eth0.10", h);
                CHECK(strstr(o, "vlan protocol 802.1Q id 10"), "vlan link: %s", o);
        } else {
                CHECK(vi == -1 && errno == EOPNOTSUPP, "vlan link rc %d errno %d", vi, errno);
                CHECK(!strcmp(err, "Cannot create vlan \"eth0.10\": kernel has no 802.1Q VLAN "
                                   "links (CONFIG_VLAN_8021Q)"),
                      "message: %s", err);
                printf("vlan link: %s\n", err);
                CHECK(run("ip -n %s link show eth0.10 >/dev/null 2>&1", h) != 0, "eth0.10 exists");
        }
        nl_close(nl);
        nl_close(nh);
        return nlt_done("nl_vlan");
}
