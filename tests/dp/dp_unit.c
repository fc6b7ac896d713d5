/* dp_unit.c — unit tests (no root) of the datapath's config text form and
 * firewall model: round trip through the file, first-match rules, bad input. */
#include "check.h"
#include "dp_config.h"
#include "fw.h"
#include "lab.h"
#include "plan.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


static void test_fw(void)
{
        char err[ERRLEN];
        struct fw_table t = {0};
        struct fw_rule r;
        CHECK(fw_rule_parse("accept in=p1,p2 out=p4,p5 type=arp", &r, err) == 0);
        CHECK(fw_add(&t, &r, err) == 0);
        CHECK(fw_rule_parse("drop in=p1,p2 out=p4,p5", &r, err) == 0);
        CHECK(fw_add(&t, &r, err) == 0);
        CHECK(fw_match(&t, "p1", "p4", 0x0806, 10) == FW_ACCEPT);
        CHECK(fw_match(&t, "p1", "p4", 0x0800, 10) == FW_DROP);
        CHECK(fw_match(&t, "p2", "p5", 0x86dd, 20) == FW_DROP);
        CHECK(fw_match(&t, "p4", "p1", 0x0800, 10) == FW_ACCEPT); /* other direction */
        CHECK(fw_match(&t, "p3", "p4", 0x0800, 10) == FW_ACCEPT);
        CHECK(fw_match(NULL, "p1", "p4", 0x0800, 10) == FW_ACCEPT);
        CHECK(fw_rule_parse("drop type=!arp vid=20", &r, err) == 0);
        CHECK(r.not_ethertype && r.ethertype == 0x0806 && r.vid == 20);
        struct fw_table t2 = {0};
        CHECK(fw_add(&t2, &r, err) == 0);
        CHECK(fw_match(&t2, "a", "b", 0x0800, 20) == FW_DROP);
        CHECK(fw_match(&t2, "a", "b", 0x0806, 20) == FW_ACCEPT);
        CHECK(fw_match(&t2, "a", "b", 0x0800, 10) == FW_ACCEPT);
        CHECK(fw_rule_parse("reject in=p1", &r, err) < 0);
        CHECK(fw_rule_parse("drop vid=5000", &r, err) < 0);
        CHECK(fw_rule_parse("drop type=bogus", &r, err) < 0 && strstr(err, "bogus"));
        char buf[1024];
        fw_nft_script(&t, "lab_s1", buf, sizeof(buf));
        CHECK(strstr(buf, "table bridge lab_s1") != NULL);
        CHECK(strstr(buf, "iifname { \"p1\", \"p2\" } oifname { \"p4\", \"p5\" } meta protocol "
                          "0x0806 accept") != NULL);
        fw_free(&t);
        fw_free(&t2);
}

static void test_config(void)
{
        char err[ERRLEN];
        struct dp_config c, d;
        dp_config_init(&c);
        int s = dp_config_add_switch(&c, "s1", err);
        int p1 = dp_config_add_port(&c, s, "/run/netns/x.s1", "p1", err);
        int p2 = dp_config_add_port(&c, s, "/run/netns/x.s1", "p2", err);
        CHECK(s == 0 && p1 == 0 && p2 == 1);
        CHECK(dp_config_port_vlan(&c, s, p1, 10, true, true, err) == 0);
        CHECK(dp_config_port_vlan(&c, s, p2, 10, false, false, err) == 0);
        CHECK(dp_config_port_vlan(&c, s, p2, 20, true, false, err) == 0);
        CHECK(dp_config_port_vlan(&c, s, p2, 30, true, true, err) == 0); /* moves the PVID */
        CHECK(dp_config_port_vlan(&c, s, p2, 4095, false, false, err) < 0);
        struct fw_rule r;
        fw_rule_parse("drop in=p1 out=p2 type=!arp", &r, err);
        fw_add(&c.sw[0].fw, &r, err);
        char path[] = "/tmp/dp_unit_XXXXXX";
        int fd = mkstemp(path);
        close(fd);
        CHECK(dp_config_save(&c, path, err) == 0);
        CHECK(dp_config_load(&d, path, err) == 0);
        CHECK(d.nsw == 1 && d.sw[0].nports == 2);
        CHECK(d.sw[0].ports[1].nvlan == 3);
        int pvids = 0;
        for (int i = 0; i < d.sw[0].ports[1].nvlan; i++)
                pvids += d.sw[0].ports[1].vlan[i].pvid;
        CHECK(pvids == 1);
        CHECK(d.sw[0].fw.n == 1 && d.sw[0].fw.rules[0].not_ethertype);
        CHECK(strcmp(d.sw[0].ports[0].netns, "/run/netns/x.s1") == 0);
        dp_config_free(&d);
        /* A rule naming a port the switch does not have is refused. */
        fw_rule_parse("drop in=p9", &r, err);
        fw_add(&c.sw[0].fw, &r, err);
        CHECK(dp_config_validate(&c, err) < 0 && strstr(err, "p9"));
        FILE *f = fopen(path, "w");
        fprintf(f, "switch s1\nport - p1 10x\n");
        fclose(f);
        CHECK(dp_config_load(&d, path, err) < 0 && strstr(err, ":2:"));
        unlink(path);
        dp_config_free(&c);
}

/* The plan: each job on the kernel where it has the feature, on the
 * datapath (or refused) where it has not; per object of a lab. */
static void test_plan(void)
{
        struct features none = {.probed = true, .veth = true, .bridge = true};
        struct features all = none;
        all.bridge_vlan = all.vlan8021q = all.netem = all.tbf = all.htb = true;
        CHECK(plan_job_path(&all, PLAN_VLAN_SWITCH) == PLAN_KERNEL);
        CHECK(plan_job_path(&none, PLAN_VLAN_SWITCH) == PLAN_USER);
        CHECK(plan_job_path(&none, PLAN_SUBIF) == PLAN_USER);
        CHECK(plan_job_path(&all, PLAN_IMPAIR) == PLAN_KERNEL);
        CHECK(plan_job_path(&none, PLAN_RATE) == PLAN_UNAVAILABLE);
        char buf[200], err[ERRLEN];
        plan_job_text(&none, PLAN_VLAN_SWITCH, buf, sizeof(buf));
        CHECK(strstr(buf, "userspace datapath") && strstr(buf, "CONFIG_BRIDGE_VLAN_FILTERING"),
              "%s", buf);

        struct lab *lab = lab_new("planunit", err);
        CHECK(lab != NULL, "%s", err);
        if (!lab)
                return;
        int s = lab_add_node(lab, "s1", NODE_SWITCH, "t.lua:1", err);
        int p = lab_add_node(lab, "s2", NODE_SWITCH, "t.lua:2", err);
        int h = lab_add_node(lab, "h1", NODE_HOST, "t.lua:3", err);
        struct link_params lp = {0};
        int l = lab_add_link(lab, h, s, &lp, NULL, NULL, "t.lua:4", err);
        lab_add_link(lab, h, p, &lp, NULL, NULL, "t.lua:5", err);
        CHECK(l >= 0, "%s", err);
        CHECK(lab_port_add_vlan(lab, lab->links[l].b, 10, true, true, err) == 0, "%s", err);
        lab->feat = none;
        CHECK(plan_switch_in_userspace(lab, s) && !plan_switch_in_userspace(lab, p));
        CHECK(plan_needs_datapath(lab));
        lab->feat = all;
        CHECK(!plan_switch_in_userspace(lab, s) && !plan_needs_datapath(lab));
        lab->links[l].p.delay_us = 5000;
        lab->feat = none;
        CHECK(plan_check(lab, err) < 0 && strstr(err, "t.lua:4") &&
                  strstr(err, "CONFIG_NET_SCH_NETEM"),
              "%s", err);
        lab->feat = all;
        CHECK(plan_check(lab, err) == 0, "%s", err);
        lab_free(lab);
}

int main(void)
{
        test_plan();
        test_fw();
        test_config();
        return check_done("dp_unit");
}
