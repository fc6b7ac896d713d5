/* dp_config.c — the userspace datapath's configuration: building it, and
 * its text form in /run/netlab/LAB/datapath.conf (see dp_config.h). */
#include "dp_config.h"
#include "distrib.h"
#include <errno.h>
#include <stddef.h>
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
        free(c->wire);
        dp_config_init(c);
}

static int port_names(struct dp_port_conf *p, const char *netns, const char *ifname, char *err)
{
        if (!*ifname || strlen(ifname) >= sizeof(p->ifname) || strpbrk(ifname, " \t\n")) {
                errno = EINVAL;
                return errf(err, "invalid port name \"%s\"", ifname);
        }
        if (!netns || !*netns)
                netns = "-";
        if (strlen(netns) >= PATH_MAX || strpbrk(netns, " \t\n")) {
                errno = EINVAL;
                return errf(err, "invalid namespace path \"%s\"", netns);
        }
        memset(p, 0, sizeof(*p));
        snprintf(p->netns, sizeof(p->netns), "%s", netns);
        snprintf(p->ifname, sizeof(p->ifname), "%s", ifname);
        return 0;
}

int dp_config_add_switch(struct dp_config *c, const char *name, char *err)
{
        if (c->nsw >= DP_CONFIG_MAX) {
                errno = E2BIG;
                return errf(err, "too many datapath switches (at most %d)", DP_CONFIG_MAX);
        }
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
        if (s->nports >= DP_CONFIG_MAX) {
                errno = E2BIG;
                return errf(err, "too many ports on switch %s (at most %d)", s->name,
                            DP_CONFIG_MAX);
        }
        struct dp_port_conf pc;
        if (port_names(&pc, netns, ifname, err) < 0)
                return -1;
        struct dp_port_conf *n = realloc(s->ports, (size_t)(s->nports + 1) * sizeof(*n));
        if (!n)
                return errf_sys(err, NULL, "Cannot add datapath port");
        s->ports = n;
        s->ports[s->nports] = pc;
        return s->nports++;
}

int dp_config_add_wire(struct dp_config *c, const char *name, const char *netns_a,
                       const char *ifname_a, const char *netns_b, const char *ifname_b,
                       char *err)
{
        if (c->nwire >= DP_CONFIG_MAX) {
                errno = E2BIG;
                return errf(err, "too many datapath wires (at most %d)", DP_CONFIG_MAX);
        }
        if (!*name || strlen(name) >= sizeof(c->wire[0].name) || strpbrk(name, " \t\n")) {
                errno = EINVAL;
                return errf(err, "invalid datapath wire name \"%s\"", name);
        }
        struct dp_wire_conf w;
        memset(&w, 0, sizeof(w));
        snprintf(w.name, sizeof(w.name), "%s", name);
        if (port_names(&w.end[0], netns_a, ifname_a, err) < 0 ||
            port_names(&w.end[1], netns_b, ifname_b, err) < 0)
                return -1;
        struct dp_wire_conf *n = realloc(c->wire, (size_t)(c->nwire + 1) * sizeof(*n));
        if (!n)
                return errf_sys(err, NULL, "Cannot add datapath wire");
        c->wire = n;
        c->wire[c->nwire] = w;
        return c->nwire++;
}

enum key_kind { K_U32, K_U64, K_DIST };
static const struct impair_key {
        const char *key;
        size_t off;
        enum key_kind kind;
        uint64_t max;
} impair_keys[] = {
    {"delay", offsetof(struct dp_impair, delay_us), K_U32, 3600000000u},
    {"jitter", offsetof(struct dp_impair, jitter_us), K_U32, 3600000000u},
    {"delay_corr", offsetof(struct dp_impair, delay_corr), K_U32, 1000000},
    {"dist", offsetof(struct dp_impair, dist), K_DIST, 0},
    {"loss", offsetof(struct dp_impair, loss_ppm), K_U32, 1000000},
    {"loss_corr", offsetof(struct dp_impair, loss_corr), K_U32, 1000000},
    {"duplicate", offsetof(struct dp_impair, dup_ppm), K_U32, 1000000},
    {"duplicate_corr", offsetof(struct dp_impair, dup_corr), K_U32, 1000000},
    {"corrupt", offsetof(struct dp_impair, corrupt_ppm), K_U32, 1000000},
    {"corrupt_corr", offsetof(struct dp_impair, corrupt_corr), K_U32, 1000000},
    {"reorder", offsetof(struct dp_impair, reorder_ppm), K_U32, 1000000},
    {"reorder_corr", offsetof(struct dp_impair, reorder_corr), K_U32, 1000000},
    {"gap", offsetof(struct dp_impair, gap), K_U32, 1000000000},
    {"limit", offsetof(struct dp_impair, limit), K_U32, 1000000},
    {"rate", offsetof(struct dp_impair, rate_bps), K_U64, 1000000000000ull},
    {"ge", offsetof(struct dp_impair, ge), K_U32, 1},
    {"ge_p", offsetof(struct dp_impair, ge_p), K_U32, 1000000},
    {"ge_r", offsetof(struct dp_impair, ge_r), K_U32, 1000000},
    {"ge_h", offsetof(struct dp_impair, ge_h), K_U32, 1000000},
    {"ge_k", offsetof(struct dp_impair, ge_k), K_U32, 1000000},
};

int dp_impair_parse(const char *text, struct dp_impair *p, char *err)
{
        char buf[1024], *save = NULL;
        memset(p, 0, sizeof(*p));
        if (strlen(text) >= sizeof(buf)) {
                errno = EINVAL;
                return errf(err, "impairment too long");
        }
        strcpy(buf, text);
        for (char *w = strtok_r(buf, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
                char *eq = strchr(w, '=');
                const struct impair_key *k = NULL;
                for (size_t i = 0; eq && i < sizeof(impair_keys) / sizeof(impair_keys[0]); i++)
                        if (strlen(impair_keys[i].key) == (size_t)(eq - w) &&
                            !strncmp(w, impair_keys[i].key, (size_t)(eq - w)))
                                k = &impair_keys[i];
                if (!k) {
                        errno = EINVAL;
                        return errf(err, "unknown impairment \"%s\"", w);
                }
                const char *v = eq + 1;
                if (k->kind == K_DIST) {
                        int i = dist_parse(v);
                        if (i < 0) {
                                errno = EINVAL;
                                return errf(err, "unknown distribution \"%s\" (uniform, normal, "
                                                 "pareto, paretonormal)", v);
                        }
                        p->dist = (enum dp_dist)i;
                        continue;
                }
                char *end;
                errno = 0;
                unsigned long long x = strtoull(v, &end, 10);
                if (!*v || *end || *v == '-' || errno || x > k->max) {
                        errno = EINVAL;
                        return errf(err, "invalid value in \"%s\" (0-%llu)", w,
                                    (unsigned long long)k->max);
                }
                if (k->kind == K_U64)
                        *(uint64_t *)((char *)p + k->off) = x;
                else
                        *(uint32_t *)((char *)p + k->off) = (uint32_t)x;
        }
        return 0;
}

int dp_impair_format(const struct dp_impair *p, char *buf, size_t len)
{
        size_t pos = 0;
        buf[0] = '\0';
        for (size_t i = 0; i < sizeof(impair_keys) / sizeof(impair_keys[0]); i++) {
                const struct impair_key *k = &impair_keys[i];
                const char *at = (const char *)p + k->off;
                int w;
                if (k->kind == K_DIST) {
                        if (p->dist == DP_DIST_UNIFORM || (unsigned)p->dist > 3)
                                continue;
                        w = snprintf(buf + pos, len - pos, "%sdist=%s", pos ? " " : "",
                                     dist_name((uint8_t)p->dist));
                } else {
                        unsigned long long x = k->kind == K_U64 ? *(const uint64_t *)at
                                                                : *(const uint32_t *)at;
                        if (!x)
                                continue;
                        w = snprintf(buf + pos, len - pos, "%s%s=%llu", pos ? " " : "", k->key, x);
                }
                if (w < 0 || (size_t)w >= len - pos)
                        return -1;
                pos += (size_t)w;
        }
        return (int)pos;
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

static bool same_port(const struct dp_port_conf *a, const struct dp_port_conf *b)
{
        return strcmp(a->ifname, b->ifname) == 0 && strcmp(a->netns, b->netns) == 0;
}

/* A wire's end is nobody else's port. */
static int check_wires(const struct dp_config *c, char *err)
{
        for (int i = 0; i < c->nwire; i++)
                for (int e = 0; e < 2; e++) {
                        const struct dp_port_conf *p = &c->wire[i].end[e];
                        bool dup = e == 1 && same_port(p, &c->wire[i].end[0]);
                        for (int j = 0; j < i && !dup; j++)
                                dup = same_port(p, &c->wire[j].end[0]) ||
                                      same_port(p, &c->wire[j].end[1]);
                        for (int s = 0; s < c->nsw && !dup; s++)
                                for (int k = 0; k < c->sw[s].nports && !dup; k++)
                                        dup = same_port(p, &c->sw[s].ports[k]);
                        if (dup) {
                                errno = EINVAL;
                                return errf(err, "wire %s: port \"%s\" is used twice",
                                            c->wire[i].name, p->ifname);
                        }
                }
        return 0;
}

int dp_config_validate(const struct dp_config *c, char *err)
{
        if (check_wires(c, err) < 0)
                return -1;
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
        if (c->seed)
                fprintf(f, "seed %llu\n", (unsigned long long)c->seed);
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
        for (int i = 0; i < c->nwire; i++) {
                const struct dp_wire_conf *w = &c->wire[i];
                fprintf(f, "wire %s %s %s %s %s\n", w->name, w->end[0].netns, w->end[0].ifname,
                        w->end[1].netns, w->end[1].ifname);
                for (int d = 0; d < 2; d++) {
                        char text[1024];
                        if (dp_impair_format(&w->dir[d], text, sizeof(text)) > 0)
                                fprintf(f, "impair %s %s\n", d ? "ba" : "ab", text);
                }
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
        int lineno = 0, sw = -1, wire = -1;
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
                } else if (strcmp(w, "seed") == 0) {
                        char *v = strtok_r(NULL, " \t\n", &save), *end = NULL;
                        snprintf(e2, sizeof(e2), "expected: seed NUMBER");
                        if (!v || *v == '-')
                                goto bad;
                        c->seed = strtoull(v, &end, 10);
                        if (*end)
                                goto bad;
                } else if (strcmp(w, "switch") == 0) {
                        char *n = strtok_r(NULL, " \t\n", &save);
                        if (!n || (sw = dp_config_add_switch(c, n, e2)) < 0)
                                goto bad;
                        wire = -1;
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
                } else if (strcmp(w, "wire") == 0) {
                        char *v[5];
                        for (int i = 0; i < 5; i++)
                                v[i] = strtok_r(NULL, " \t\n", &save);
                        snprintf(e2, sizeof(e2), "expected: wire NAME NETNS IFNAME NETNS IFNAME");
                        if (!v[4] || (wire = dp_config_add_wire(c, v[0], v[1], v[2], v[3], v[4],
                                                                e2)) < 0)
                                goto bad;
                        sw = -1; /* fw lines after a wire belong to no switch */
                } else if (strcmp(w, "impair") == 0) {
                        char *d = strtok_r(NULL, " \t\n", &save);
                        char *text = save ? save + strspn(save, " \t") : NULL;
                        snprintf(e2, sizeof(e2), "expected: impair ab|ba KEY=VALUE...");
                        if (wire < 0 || !d || (strcmp(d, "ab") && strcmp(d, "ba")) ||
                            dp_impair_parse(text ? text : "", &c->wire[wire].dir[d[0] == 'b'],
                                            e2) < 0)
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
        if (dp_config_validate(c, e2) < 0) {
                int saved = errno;
                dp_config_free(c);
                errno = saved;
                return errf(err, "%s: %s", path, e2);
        }
        return 0;
bad:
        dp_config_free(c);
        errno = EINVAL;
        return errf(err, "%s:%d: %s", path, lineno, e2);
}
