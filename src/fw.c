/* fw.c — the switch firewall model (see fw.h): rules, first-match
 * evaluation for the userspace datapath, the text form used in the
 * datapath's config, and the nft bridge-family script for the kernel path. */
#include "fw.h"
#include "lab.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool valid_ifname(const char *s)
{
        size_t n = strlen(s);
        if (n == 0 || n >= FW_IFNAME_LEN)
                return false;
        for (size_t i = 0; i < n; i++)
                if (s[i] == ',' || s[i] == ' ' || s[i] == '/' || s[i] == '=' || s[i] == '"')
                        return false;
        return true;
}

int fw_rule_port(struct fw_rule *r, bool is_out, const char *ifname, char *err)
{
        int *n = is_out ? &r->nout : &r->nin;
        char(*set)[FW_IFNAME_LEN] = is_out ? r->out : r->in;
        if (!valid_ifname(ifname)) {
                errno = EINVAL;
                return errf(err, "invalid port name \"%s\" in firewall rule", ifname);
        }
        if (*n >= FW_PORTS_MAX) {
                errno = E2BIG;
                return errf(err, "too many ports in a firewall rule (at most %d)", FW_PORTS_MAX);
        }
        snprintf(set[*n], FW_IFNAME_LEN, "%s", ifname);
        (*n)++;
        return 0;
}

int fw_add(struct fw_table *t, const struct fw_rule *r, char *err)
{
        if (r->nin < 0 || r->nin > FW_PORTS_MAX || r->nout < 0 || r->nout > FW_PORTS_MAX) {
                errno = EINVAL;
                return errf(err, "invalid firewall rule: bad port set size");
        }
        for (int i = 0; i < r->nin; i++)
                if (!valid_ifname(r->in[i])) {
                        errno = EINVAL;
                        return errf(err, "invalid port name \"%.16s\" in firewall rule", r->in[i]);
                }
        for (int i = 0; i < r->nout; i++)
                if (!valid_ifname(r->out[i])) {
                        errno = EINVAL;
                        return errf(err, "invalid port name \"%.16s\" in firewall rule", r->out[i]);
                }
        if (r->vid > 4094) {
                errno = EINVAL;
                return errf(err, "invalid VID %u in firewall rule (1-4094)", r->vid);
        }
        if (t->n == t->cap) {
                int cap = t->cap ? t->cap * 2 : 8;
                struct fw_rule *nr = realloc(t->rules, (size_t)cap * sizeof(*nr));
                if (!nr)
                        return errf_sys(err, NULL, "Cannot add firewall rule");
                t->rules = nr;
                t->cap = cap;
        }
        t->rules[t->n++] = *r;
        return 0;
}

void fw_free(struct fw_table *t)
{
        free(t->rules);
        t->rules = NULL;
        t->n = t->cap = 0;
}

int fw_copy(struct fw_table *dst, const struct fw_table *src, char *err)
{
        memset(dst, 0, sizeof(*dst));
        dst->policy = src->policy;
        for (int i = 0; i < src->n; i++)
                if (fw_add(dst, &src->rules[i], err) < 0) {
                        fw_free(dst);
                        return -1;
                }
        return 0;
}

static const struct {
        const char *name;
        uint16_t type;
} ethertypes[] = {
    {"arp", 0x0806}, {"ipv4", 0x0800}, {"ip", 0x0800}, {"ipv6", 0x86dd}, {"ip6", 0x86dd},
};

int fw_ethertype_parse(const char *s, uint16_t *out, char *err)
{
        for (size_t i = 0; i < sizeof(ethertypes) / sizeof(ethertypes[0]); i++)
                if (strcasecmp(s, ethertypes[i].name) == 0) {
                        *out = ethertypes[i].type;
                        return 0;
                }
        char *end;
        unsigned long v = strtoul(s, &end, 0);
        if (*s && !*end && v >= 0x600 && v <= 0xffff) {
                *out = (uint16_t)v;
                return 0;
        }
        errno = EINVAL;
        return errf(err, "invalid EtherType \"%s\" (arp, ipv4, ipv6 or a number like 0x88cc)", s);
}

static bool in_set(const char (*set)[FW_IFNAME_LEN], int n, const char *name)
{
        if (n == 0)
                return true;
        for (int i = 0; i < n; i++)
                if (strcmp(set[i], name) == 0)
                        return true;
        return false;
}

enum fw_action fw_match(const struct fw_table *t, const char *in, const char *out,
                        uint16_t ethertype, uint16_t vid)
{
        if (!t)
                return FW_ACCEPT;
        for (int i = 0; i < t->n; i++) {
                const struct fw_rule *r = &t->rules[i];
                if (r->vid && r->vid != vid)
                        continue;
                if (r->ethertype && ((ethertype == r->ethertype) == r->not_ethertype))
                        continue;
                if (!in_set(r->in, r->nin, in) || !in_set(r->out, r->nout, out))
                        continue;
                return r->action;
        }
        return t->policy;
}

static int put_set(char *buf, size_t len, size_t *pos, const char *key,
                   const char (*set)[FW_IFNAME_LEN], int n)
{
        if (n == 0)
                return 0;
        int w = snprintf(buf + *pos, *pos < len ? len - *pos : 0, " %s=", key);
        *pos += (size_t)w;
        for (int i = 0; i < n; i++) {
                w = snprintf(buf + (*pos < len ? *pos : len), *pos < len ? len - *pos : 0, "%s%s",
                             i ? "," : "", set[i]);
                *pos += (size_t)w;
        }
        return 0;
}

int fw_rule_format(const struct fw_rule *r, char *buf, size_t len)
{
        size_t pos = (size_t)snprintf(buf, len, "%s", r->action == FW_DROP ? "drop" : "accept");
        put_set(buf, len, &pos, "in", r->in, r->nin);
        put_set(buf, len, &pos, "out", r->out, r->nout);
        if (r->ethertype)
                pos +=
                    (size_t)snprintf(buf + (pos < len ? pos : len), pos < len ? len - pos : 0,
                                     " type=%s0x%04x", r->not_ethertype ? "!" : "", r->ethertype);
        if (r->vid)
                pos += (size_t)snprintf(buf + (pos < len ? pos : len), pos < len ? len - pos : 0,
                                        " vid=%u", r->vid);
        return (int)pos;
}

static int parse_set(struct fw_rule *r, bool is_out, char *val, char *err)
{
        char *save = NULL;
        for (char *p = strtok_r(val, ",", &save); p; p = strtok_r(NULL, ",", &save))
                if (fw_rule_port(r, is_out, p, err) < 0)
                        return -1;
        return 0;
}

int fw_rule_parse(const char *line, struct fw_rule *r, char *err)
{
        char buf[2048];
        memset(r, 0, sizeof(*r));
        if (strlen(line) >= sizeof(buf)) {
                errno = EINVAL;
                return errf(err, "firewall rule too long");
        }
        strcpy(buf, line);
        char *save = NULL;
        char *w = strtok_r(buf, " \t\n", &save);
        if (!w || (strcmp(w, "drop") != 0 && strcmp(w, "accept") != 0)) {
                errno = EINVAL;
                return errf(err, "invalid firewall rule \"%s\": expected accept or drop", line);
        }
        r->action = strcmp(w, "drop") == 0 ? FW_DROP : FW_ACCEPT;
        while ((w = strtok_r(NULL, " \t\n", &save))) {
                char *eq = strchr(w, '=');
                if (!eq) {
                        errno = EINVAL;
                        return errf(err, "invalid firewall rule word \"%s\"", w);
                }
                *eq++ = '\0';
                if (strcmp(w, "in") == 0 || strcmp(w, "out") == 0) {
                        if (parse_set(r, w[0] == 'o', eq, err) < 0)
                                return -1;
                } else if (strcmp(w, "type") == 0) {
                        if (*eq == '!') {
                                r->not_ethertype = true;
                                eq++;
                        }
                        if (fw_ethertype_parse(eq, &r->ethertype, err) < 0)
                                return -1;
                } else if (strcmp(w, "vid") == 0) {
                        char *end;
                        unsigned long v = strtoul(eq, &end, 10);
                        if (*end || v < 1 || v > 4094) {
                                errno = EINVAL;
                                return errf(err, "invalid VID \"%s\" in firewall rule", eq);
                        }
                        r->vid = (uint16_t)v;
                } else {
                        errno = EINVAL;
                        return errf(err, "unknown firewall rule key \"%s\"", w);
                }
        }
        return 0;
}

static size_t nft_set(char *buf, size_t len, size_t pos, const char *key,
                      const char (*set)[FW_IFNAME_LEN], int n)
{
        if (n == 0)
                return pos;
        pos += (size_t)snprintf(buf + (pos < len ? pos : len), pos < len ? len - pos : 0, " %s {",
                                key);
        for (int i = 0; i < n; i++)
                pos += (size_t)snprintf(buf + (pos < len ? pos : len), pos < len ? len - pos : 0,
                                        "%s \"%s\"", i ? "," : "", set[i]);
        pos += (size_t)snprintf(buf + (pos < len ? pos : len), pos < len ? len - pos : 0, " }");
        return pos;
}

int fw_nft_script(const struct fw_table *t, const char *table, char *buf, size_t len)
{
        size_t pos =
            (size_t)snprintf(buf, len,
                             "table bridge %s {\n\tchain forward {\n\t\ttype filter hook forward "
                             "priority 0; policy %s;\n",
                             table, t->policy == FW_DROP ? "drop" : "accept");
        for (int i = 0; i < t->n; i++) {
                const struct fw_rule *r = &t->rules[i];
                pos += (size_t)snprintf(buf + (pos < len ? pos : len), pos < len ? len - pos : 0,
                                        "\t\t");
                pos = nft_set(buf, len, pos, "iifname", r->in, r->nin);
                pos = nft_set(buf, len, pos, "oifname", r->out, r->nout);
                if (r->vid)
                        pos += (size_t)snprintf(buf + (pos < len ? pos : len),
                                                pos < len ? len - pos : 0, " vlan id %u", r->vid);
                /* The bridge keeps the tag out of the frame (metadata), so
                 * "ether type" would see 0x8100 only for frames whose tag is
                 * inline; meta protocol is the EtherType after the tag. */
                if (r->ethertype)
                        pos += (size_t)snprintf(
                            buf + (pos < len ? pos : len), pos < len ? len - pos : 0,
                            " meta protocol %s0x%04x", r->not_ethertype ? "!= " : "", r->ethertype);
                pos += (size_t)snprintf(buf + (pos < len ? pos : len), pos < len ? len - pos : 0,
                                        " %s\n", r->action == FW_DROP ? "drop" : "accept");
        }
        pos +=
            (size_t)snprintf(buf + (pos < len ? pos : len), pos < len ? len - pos : 0, "\t}\n}\n");
        return (int)pos;
}

/* Each switch's firewall lives in its node (struct node.fw). */
int fw_set(struct lab *lab, int node, const struct fw_table *t, char *err)
{
        struct fw_table *copy = calloc(1, sizeof(*copy));
        if (!copy)
                return errf_sys(err, NULL, "Cannot store firewall");
        if (fw_copy(copy, t, err) < 0) {
                free(copy);
                return -1;
        }
        struct node *n = &lab->nodes[node];
        if (n->fw) {
                fw_free(n->fw);
                free(n->fw);
        }
        n->fw = copy;
        return 0;
}

const struct fw_table *fw_for(const struct lab *lab, int node)
{
        return lab->nodes[node].fw;
}
