/* dp_config.c — the userspace datapath's configuration: building it, and
 * its text form in /run/netlab/LAB/datapath.conf (see dp_config.h). */
#include "dp_config.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void dp_config_init(struct dp_config *c)
{
        memset(c, 0, sizeof(*c));
        c->ageing_s = 300;
}

void dp_config_free(struct dp_config *c)
{
        for (int i = 0; i < c->nsw; i++) {
                for (int j = 0; j < c->sw[i].nports; j++)
                        free(c->sw[i].ports[j].vlan);
                free(c->sw[i].ports);
                fw_free(&c->sw[i].fw);
        }
        free(c->sw);
        dp_config_init(c);
}

int dp_config_add_switch(struct dp_config *c, const char *name, char *err)
{
        if (!*name || strlen(name) >= sizeof(c->sw[0].name) || strpbrk(name, " \t\n")) {
                errno = EINVAL;
                return errf(err, "invalid datapath switch name \"%s\"", name);
        }
        struct dp_switch_conf *n = realloc(c->sw, (size_t)(c->nsw + 1) * sizeof(*n));
        if (!n)
                return errf_sys(err, NULL, "Cannot add datapath switch");
        c->sw = n;
        memset(&c->sw[c->nsw], 0, sizeof(c->sw[0]));
        snprintf(c->sw[c->nsw].name, sizeof(c->sw[0].name), "%s", name);
        return c->nsw++;
}

int dp_config_add_port(struct dp_config *c, int sw, const char *netns, const char *ifname,
                       char *err)
{
        struct dp_switch_conf *s = &c->sw[sw];
        if (!*ifname || strlen(ifname) >= sizeof(s->ports[0].ifname) || strpbrk(ifname, " \t\n")) {
                errno = EINVAL;
                return errf(err, "invalid port name \"%s\"", ifname);
        }
        if (!netns || !*netns)
                netns = "-";
        if (strlen(netns) >= PATH_MAX || strpbrk(netns, " \t\n")) {
                errno = EINVAL;
                return errf(err, "invalid namespace path \"%s\"", netns);
        }
        struct dp_port_conf *n = realloc(s->ports, (size_t)(s->nports + 1) * sizeof(*n));
        if (!n)
                return errf_sys(err, NULL, "Cannot add datapath port");
        s->ports = n;
        struct dp_port_conf *p = &s->ports[s->nports];
        memset(p, 0, sizeof(*p));
        snprintf(p->netns, sizeof(p->netns), "%s", netns);
        snprintf(p->ifname, sizeof(p->ifname), "%s", ifname);
        return s->nports++;
}

int dp_config_port_vlan(struct dp_config *c, int sw, int port, uint16_t vid, bool pvid,
                        bool untagged, char *err)
{
        struct dp_port_conf *p = &c->sw[sw].ports[port];
        if (vid < 1 || vid > 4094) {
                errno = EINVAL;
                return errf(err, "invalid VID %u on \"%s\" (1-4094)", vid, p->ifname);
        }
        if (pvid)
                for (int i = 0; i < p->nvlan; i++)
                        p->vlan[i].pvid = false;
        for (int i = 0; i < p->nvlan; i++)
                if (p->vlan[i].vid == vid) {
                        p->vlan[i].pvid = pvid;
                        p->vlan[i].untagged = untagged;
                        return 0;
                }
        struct dp_vlan *n = realloc(p->vlan, (size_t)(p->nvlan + 1) * sizeof(*n));
        if (!n)
                return errf_sys(err, NULL, "Cannot add VLAN entry");
        p->vlan = n;
        p->vlan[p->nvlan++] = (struct dp_vlan){vid, pvid, untagged};
        return 0;
}

static int port_index(const struct dp_switch_conf *s, const char *ifname)
{
        int found = -1;
        for (int i = 0; i < s->nports; i++)
                if (strcmp(s->ports[i].ifname, ifname) == 0)
                        found = i;
        return found;
}

int dp_config_validate(const struct dp_config *c, char *err)
{
        for (int i = 0; i < c->nsw; i++) {
                const struct dp_switch_conf *s = &c->sw[i];
                for (int j = 0; j < s->nports; j++)
                        for (int k = 0; k < j; k++)
                                if (strcmp(s->ports[j].ifname, s->ports[k].ifname) == 0 &&
                                    strcmp(s->ports[j].netns, s->ports[k].netns) == 0) {
                                        errno = EINVAL;
                                        return errf(err, "switch %s: port \"%s\" listed twice",
                                                    s->name, s->ports[j].ifname);
                                }
                for (int r = 0; r < s->fw.n; r++) {
                        const struct fw_rule *rule = &s->fw.rules[r];
                        for (int k = 0; k < rule->nin + rule->nout; k++) {
                                const char *name =
                                    k < rule->nin ? rule->in[k] : rule->out[k - rule->nin];
                                if (port_index(s, name) < 0) {
                                        errno = ENODEV;
                                        return errf(err,
                                                    "switch %s: firewall rule %d names port "
                                                    "\"%s\", which is not one of its ports",
                                                    s->name, r + 1, name);
                                }
                        }
                }
        }
        return 0;
}

int dp_config_write(const struct dp_config *c, FILE *f)
{
        fprintf(f, "# netlab userspace datapath configuration (written by dp_start)\n");
        fprintf(f, "ageing %u\n", c->ageing_s);
        for (int i = 0; i < c->nsw; i++) {
                const struct dp_switch_conf *s = &c->sw[i];
                fprintf(f, "switch %s\n", s->name);
                for (int j = 0; j < s->nports; j++) {
                        const struct dp_port_conf *p = &s->ports[j];
                        fprintf(f, "port %s %s ", p->netns, p->ifname);
                        if (p->nvlan == 0)
                                fputc('-', f);
                        for (int k = 0; k < p->nvlan; k++)
                                fprintf(f, "%s%u%s%s", k ? "," : "", p->vlan[k].vid,
                                        p->vlan[k].pvid ? "p" : "", p->vlan[k].untagged ? "u" : "");
                        fputc('\n', f);
                }
                for (int r = 0; r < s->fw.n; r++) {
                        char line[2048];
                        fw_rule_format(&s->fw.rules[r], line, sizeof(line));
                        fprintf(f, "fw %s\n", line);
                }
                if (s->fw.policy == FW_DROP)
                        fprintf(f, "fwpolicy drop\n");
        }
        return ferror(f) ? -1 : 0;
}

int dp_config_save(const struct dp_config *c, const char *path, char *err)
{
        char tmp[PATH_MAX + 8];
        snprintf(tmp, sizeof(tmp), "%s.tmp", path);
        FILE *f = fopen(tmp, "we");
        if (!f)
                return errf_sys(err, NULL, "Cannot write \"%s\"", tmp);
        int rc = dp_config_write(c, f);
        if (fclose(f) != 0 || rc < 0) {
                unlink(tmp);
                return errf_sys(err, NULL, "Cannot write \"%s\"", tmp);
        }
        if (rename(tmp, path) < 0) {
                unlink(tmp);
                return errf_sys(err, NULL, "Cannot rename \"%s\" to \"%s\"", tmp, path);
        }
        return 0;
}

static int parse_vlans(struct dp_config *c, int sw, int port, char *list, char *err)
{
        if (strcmp(list, "-") == 0)
                return 0;
        char *save = NULL;
        for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
                char *end;
                unsigned long vid = strtoul(t, &end, 10);
                bool pvid = false, untagged = false;
                for (; *end; end++) {
                        if (*end == 'p')
                                pvid = true;
                        else if (*end == 'u')
                                untagged = true;
                        else {
                                errno = EINVAL;
                                return errf(err, "invalid VLAN entry \"%s\"", t);
                        }
                }
                if (vid > 4094)
                        vid = 0;
                if (dp_config_port_vlan(c, sw, port, (uint16_t)vid, pvid, untagged, err) < 0)
                        return -1;
        }
        return 0;
}

int dp_config_load(struct dp_config *c, const char *path, char *err)
{
        dp_config_init(c);
        FILE *f = fopen(path, "re");
        if (!f)
                return errf_sys(err, NULL, "Cannot open \"%s\"", path);
        int rc = dp_config_read(c, f, path, err);
        fclose(f);
        return rc;
}

int dp_config_read(struct dp_config *c, FILE *f, const char *path, char *err)
{
        dp_config_init(c);
        char line[4096];
        int lineno = 0, sw = -1;
        char e2[ERRLEN];
        while (fgets(line, sizeof(line), f)) {
                lineno++;
                char *save = NULL, *w = strtok_r(line, " \t\n", &save);
                if (!w || w[0] == '#')
                        continue;
                char *rest = save ? save + strspn(save, " \t") : NULL;
                if (strcmp(w, "ageing") == 0) {
                        char *v = strtok_r(NULL, " \t\n", &save);
                        c->ageing_s = v ? (unsigned)strtoul(v, NULL, 10) : 300;
                } else if (strcmp(w, "switch") == 0) {
                        char *n = strtok_r(NULL, " \t\n", &save);
                        if (!n || (sw = dp_config_add_switch(c, n, e2)) < 0)
                                goto bad;
                } else if (strcmp(w, "port") == 0) {
                        char *ns = strtok_r(NULL, " \t\n", &save);
                        char *ifn = strtok_r(NULL, " \t\n", &save);
                        char *vl = strtok_r(NULL, " \t\n", &save);
                        int p;
                        snprintf(e2, sizeof(e2), "expected: port NETNS IFNAME VLANS");
                        if (sw < 0 || !ns || !ifn || !vl ||
                            (p = dp_config_add_port(c, sw, ns, ifn, e2)) < 0 ||
                            parse_vlans(c, sw, p, vl, e2) < 0)
                                goto bad;
                } else if (strcmp(w, "fw") == 0) {
                        struct fw_rule r;
                        snprintf(e2, sizeof(e2), "fw outside a switch");
                        if (sw < 0 || !rest || fw_rule_parse(rest, &r, e2) < 0 ||
                            fw_add(&c->sw[sw].fw, &r, e2) < 0)
                                goto bad;
                } else if (strcmp(w, "fwpolicy") == 0) {
                        char *v = strtok_r(NULL, " \t\n", &save);
                        snprintf(e2, sizeof(e2), "expected: fwpolicy accept|drop");
                        if (sw < 0 || !v || (strcmp(v, "drop") && strcmp(v, "accept")))
                                goto bad;
                        c->sw[sw].fw.policy = strcmp(v, "drop") == 0 ? FW_DROP : FW_ACCEPT;
                } else {
                        snprintf(e2, sizeof(e2), "unknown keyword \"%s\"", w);
                        goto bad;
                }
        }
        if (dp_config_validate(c, err) < 0) {
                dp_config_free(c);
                return -1;
        }
        return 0;
bad:
        dp_config_free(c);
        errno = EINVAL;
        return errf(err, "%s:%d: %s", path, lineno, e2);
}
