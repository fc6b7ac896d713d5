/* save.c — the running lab as a Lua lab file (save.h). The model holds
 * what the lab is now: the build and every live edit (live.h) went through
 * it, so writing the model is writing the network. Strings are written
 * with %q-like quoting of the few characters a name or path may hold. */
#include "save.h"
#include "live.h"
#include "ovs.h"
#include "swclass.h"
#include "fw.h"
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* A Lua string literal (names and paths: no newlines; quotes escaped). */
static void put_str(FILE *out, const char *s)
{
        fputc('"', out);
        for (; *s; s++) {
                if (*s == '"' || *s == '\\')
                        fputc('\\', out);
                if (*s == '\n')
                        fputs("\\n", out);
                else
                        fputc(*s, out);
        }
        fputc('"', out);
}

bool lab_save_node_local(const char *s)
{
        static const char *const kw[] = {"and",   "break", "do",     "else", "elseif", "end",
                                          "false", "for",   "function", "goto", "if",   "in",
                                          "local", "nil",   "not",    "or",   "repeat", "return",
                                          "then",  "true",  "until",  "while", "lab",  NULL};
        if (!*s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
                return false;
        for (const char *p = s; *p; p++)
                if (*p == '-')
                        return false;
        for (int i = 0; kw[i]; i++)
                if (!strcmp(s, kw[i]))
                        return false;
        return true;
}

/* "10M"-style values that lab:link's parser reads back. */
static void put_rate(FILE *out, uint64_t bps)
{
        if (bps % 1000000000 == 0)
                fprintf(out, "\"%llugbit\"", (unsigned long long)(bps / 1000000000));
        else if (bps % 1000000 == 0)
                fprintf(out, "\"%llumbit\"", (unsigned long long)(bps / 1000000));
        else if (bps % 1000 == 0)
                fprintf(out, "\"%llukbit\"", (unsigned long long)(bps / 1000));
        else
                fprintf(out, "\"%llubit\"", (unsigned long long)bps);
}

static void put_addrs(FILE *out, const struct iface *f)
{
        if (!f->naddr) {
                fputs("false", out);
                return;
        }
        fputc('{', out);
        for (int a = 0; a < f->naddr; a++) {
                char ip[64];
                ipaddr_format(&f->addr[a], true, ip, sizeof(ip));
                fprintf(out, "%s\"%s\"", a ? ", " : "", ip);
        }
        fputc('}', out);
}

/* A port's VLAN entries as a Lua list ("false": none). */
static void put_vlan_list(FILE *out, const struct iface *f)
{
        if (!f->nvlan) {
                fputs("false", out);
                return;
        }
        fputc('{', out);
        for (int v = 0; v < f->nvlan; v++)
                fprintf(out, "%s{vid = %u, pvid = %s, untagged = %s}", v ? ", " : "",
                        f->vlan[v].vid, f->vlan[v].pvid ? "true" : "false",
                        f->vlan[v].untagged ? "true" : "false");
        fputc('}', out);
}

static void put_vlans(FILE *out, const struct iface *f)
{
        fputs("vlans = ", out);
        put_vlan_list(out, f);
}

static bool same_vlans(const struct iface *a, const struct iface *b)
{
        return a->nvlan == b->nvlan &&
               (!a->nvlan || !memcmp(a->vlan, b->vlan, (size_t)a->nvlan * sizeof(*a->vlan)));
}

static void put_node(const struct lab *lab, int i, FILE *out)
{
        const struct node *n = &lab->nodes[i];
        bool l3 = n->kind->flags & KIND_L3;
        if (lab_save_node_local(n->name))
                fprintf(out, "local %s = ", n->name);
        fprintf(out, "lab:%s(", n->kind->name);
        put_str(out, n->name);
        bool any = false;
#define OPT()                                      \
        do {                                       \
                fputs(any ? ", " : ", {", out);   \
                any = true;                        \
        } while (0)
        if (l3 && n->ipv6) {
                OPT();
                fputs("ipv6 = true", out);
        }
        const struct ipaddr *gws[2] = {&n->gw4, &n->gw6};
        int ngw = 0;
        for (int g = 0; g < 2; g++)
                if (gws[g]->family) {
                        char ip[64];
                        ipaddr_format(gws[g], false, ip, sizeof(ip));
                        if (!ngw++) {
                                OPT();
                                fputs(n->gw4.family && n->gw6.family ? "gw = {" : "gw = ", out);
                        } else {
                                fputs(", ", out);
                        }
                        fprintf(out, "\"%s%s%s\"", ip, g && n->gw6_dev[0] ? "%" : "",
                                g ? n->gw6_dev : "");
                }
        if (ngw == 2)
                fputc('}', out);
        if (n->nat_out[0]) {
                OPT();
                if (n->nat_drop_inbound)
                        fprintf(out, "nat = {out = \"%s\", inbound = \"drop\"}", n->nat_out);
                else
                        fprintf(out, "nat = \"%s\"", n->nat_out);
        }
        if (n->ndirs) {
                OPT();
                fputs("dirs = {", out);
                for (int d = 0; d < n->ndirs; d++) {
                        const struct node_dir *nd = &n->dirs[d];
                        fputs(d ? ", " : "", out);
                        if (!nd->src) {
                                put_str(out, nd->path);
                                continue;
                        }
                        fputc('{', out);
                        put_str(out, nd->path);
                        fputs(", from = ", out);
                        if (!nd->over && !strcmp(nd->src, nd->path))
                                fputs("\"host\"", out);
                        else
                                put_str(out, nd->src);
                        fputc('}', out);
                }
                fputc('}', out);
        }
        if ((n->kind->flags & KIND_BRIDGE) && n->swclass != SWCLASS_AUTO) {
                OPT();
                fprintf(out, "class = \"%s\"", swclass_get(n->swclass)->name);
                if (n->fail_mode != OVS_FAIL_DEFAULT)
                        fprintf(out, ", fail_mode = \"%s\"", ovs_fail_mode_name(n->fail_mode));
        }
#undef OPT
        fputs(any ? "})\n" : ")\n", out);
}

/* The 802.1Q subinterfaces on iface, right after the link that makes it
 * (the model's interface order, and so the MACs, stay as they were). */
static void put_subifs(const struct lab *lab, int parent, FILE *out)
{
        for (int k = 0; k < lab->nifaces; k++) {
                const struct iface *s = &lab->ifaces[k];
                if (s->link >= 0 || s->parent != parent || !lab_node_live(lab, s->node))
                        continue;
                fputs("lab:node(", out);
                put_str(out, lab->nodes[s->node].name);
                fprintf(out, "):vlan(\"%s\", %u", lab->ifaces[parent].name, s->vid);
                if (s->naddr) {
                        fputs(", {ip = ", out);
                        put_addrs(out, s);
                        fputc('}', out);
                }
                fputs(")\n", out);
        }
}

/* A link's parameters as lab:link's options (", bw = ..., delay = ..."). */
static void put_params(FILE *out, const struct link_params *p)
{
        static const char *const dist[] = {"uniform", "normal", "pareto", "paretonormal"};
        if (p->rate_bps) {
                fputs(", bw = ", out);
                put_rate(out, p->rate_bps);
        }
        if (p->delay_us)
                fprintf(out, ", delay = \"%uus\"", p->delay_us);
        if (p->jitter_us)
                fprintf(out, ", jitter = \"%uus\"", p->jitter_us);
        if (p->dist && p->dist < 4)
                fprintf(out, ", distribution = \"%s\"", dist[p->dist]);
        if (p->loss_ppm)
                fprintf(out, ", loss = %g", p->loss_ppm / 10000.0);
        if (p->ge)
                fprintf(out, ", loss = {p = %g, r = %g, h = %g, k = %g}", p->ge_p / 10000.0,
                        p->ge_r / 10000.0, p->ge_h / 10000.0, p->ge_k / 10000.0);
        if (p->dup_ppm)
                fprintf(out, ", duplicate = %g", p->dup_ppm / 10000.0);
        if (p->corrupt_ppm)
                fprintf(out, ", corrupt = %g", p->corrupt_ppm / 10000.0);
        if (p->reorder_ppm)
                fprintf(out, ", reorder = %g", p->reorder_ppm / 10000.0);
        if (p->gap)
                fprintf(out, ", gap = %u", p->gap);
        if (p->limit)
                fprintf(out, ", queue = %u", p->limit);
        bool any = false;
        for (int i = 0; i < LINK_NCORR; i++)
                if (link_corr_of(p, i)) {
                        fprintf(out, "%s%s = %g", any ? ", " : ", correlation = {",
                                link_corrs[i].name, link_corr_of(p, i) / 10000.0);
                        any = true;
                }
        if (any)
                fputc('}', out);
}

static void put_link(const struct lab *lab, int li, FILE *out)
{
        const struct link *l = &lab->links[li];
        const struct iface *fa = &lab->ifaces[l->a], *fb = &lab->ifaces[l->b];
        fputs("lab:link(", out);
        put_str(out, lab->nodes[fa->node].name);
        fputs(", ", out);
        put_str(out, lab->nodes[fb->node].name);
        fprintf(out, ", {ifname = {\"%s\", \"%s\"}", fa->name, fb->name);
        if (fa->naddr || fb->naddr) {
                fputs(", ip = {", out);
                put_addrs(out, fa);
                fputs(", ", out);
                put_addrs(out, fb);
                fputc('}', out);
        }
        if (l->p.mtu)
                fprintf(out, ", mtu = %d", l->p.mtu);
        put_params(out, &l->p);
        if (l->has_pb) { /* frames leaving b: their own parameters */
                char *text = NULL;
                size_t len = 0;
                FILE *m = open_memstream(&text, &len);
                if (m) {
                        put_params(m, &l->pb);
                        fclose(m);
                }
                fputs(", from = {[", out);
                put_str(out, lab->nodes[fb->node].name);
                fprintf(out, "] = {%s}}", text && len > 2 ? text + 2 : "");
                free(text);
        }
        if (!l->up)
                fputs(", up = false", out);
        /* lab:link gives its VLAN options to every switch end: one set,
         * or one per end (vlans = {A_END, B_END}) when two switches differ. */
        const struct iface *sw = fa->nvlan ? fa : fb->nvlan ? fb : NULL;
        if (sw && lab_node_has(lab, fa->node, KIND_BRIDGE) &&
            lab_node_has(lab, fb->node, KIND_BRIDGE) && !same_vlans(fa, fb)) {
                fputs(", vlans = {", out);
                put_vlan_list(out, fa);
                fputs(", ", out);
                put_vlan_list(out, fb);
                fputc('}', out);
        } else if (sw) {
                fputs(", ", out);
                put_vlans(out, sw);
        }
        fputs("})\n", out);
        put_subifs(lab, l->a, out);
        put_subifs(lab, l->b, out);
}

static void put_node_l3(const struct lab *lab, int i, FILE *out)
{
        const struct node *n = &lab->nodes[i];
        char dst[64], via[64];
        for (int r = 0; r < n->nroutes; r++) {
                const struct route *rt = &n->routes[r];
                if (rt->dst.family)
                        ipaddr_format(&rt->dst, true, dst, sizeof(dst));
                else
                        snprintf(dst, sizeof(dst), "default");
                ipaddr_format(&rt->via, false, via, sizeof(via));
                if (rt->dev[0]) /* a link-local next hop's interface */
                        snprintf(via + strlen(via), sizeof(via) - strlen(via), "%%%s", rt->dev);
                fputs("lab:node(", out);
                put_str(out, n->name);
                fprintf(out, "):route(\"%s\", \"%s\")\n", dst, via);
        }
        const struct fw_table *t = n->fw;
        if (t) {
                fputs("lab:node(", out);
                put_str(out, n->name);
                fputs("):firewall({", out);
                for (int r = 0; r < t->n; r++) {
                        char rule[1024];
                        fw_rule_format(&t->rules[r], rule, sizeof(rule));
                        fputs(r ? ", " : "", out);
                        put_str(out, rule);
                }
                fprintf(out, "}, {policy = \"%s\"})\n", t->policy == FW_DROP ? "drop" : "accept");
        }
}

/* Where the file came from and how to open it, as Lua comments (one line
 * each: names and paths hold no newline, but are cut at one all the same).
 * No date: saving the same lab twice gives the same file (a diff shows the
 * edits). */
static void put_header(const struct lab *lab, const char *path, const char *from, FILE *out)
{
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        fprintf(out, "-- %.*s: lab \"%s\" as it ran (live edits included), saved by netlab\n",
                (int)strcspn(base, "\n"), base, lab->name);
        if (from && *from)
                fprintf(out, "-- It was built from %.*s\n", (int)strcspn(from, "\n"), from);
        fprintf(out, "-- `netlab %.*s` builds the same network; while lab \"%s\" runs,\n"
                     "-- `netlab --name NEW %.*s` builds a copy of it beside it.\n",
                (int)strcspn(base, "\n"), base, lab->name, (int)strcspn(base, "\n"), base);
}

int lab_save_lua(const struct lab *lab, const char *path, const char *from, FILE *out,
                 char *err)
{
        put_header(lab, path, from, out);
        fputs("local lab = netlab.lab(", out);
        put_str(out, lab->name);
        fputs(")\n\n", out);
        for (int c = 0; c < lab->nctls; c++) { /* before the switches that connect to them */
                const struct ovs_ctl *k = &lab->ctls[c];
                fputs("lab:controller(", out);
                put_str(out, k->name);
                if (k->kind == OVS_CTL_REMOTE)
                        fprintf(out, ", {kind = \"remote\", ip = \"%s\", port = %d})\n", k->ip,
                                k->port);
                else
                        fputs(", {kind = \"ref\"})\n", out);
        }
        for (int i = 0; i < lab->nnodes; i++)
                if (lab_node_live(lab, i))
                        put_node(lab, i, out);
        fputc('\n', out);
        for (int l = 0; l < lab->nlinks; l++)
                if (lab_link_live(lab, l))
                        put_link(lab, l, out);
        for (int i = 0; i < lab->nnodes; i++)
                if (lab_node_live(lab, i))
                        put_node_l3(lab, i, out);
        if (ferror(out)) {
                errno = EIO;
                return errf_sys(err, NULL, "Cannot write the lab file of \"%s\"", lab->name);
        }
        return 0;
}

FILE *save_open(const char *path, bool force, char *err)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (force ? O_TRUNC : O_EXCL),
                      0644);
        if (fd < 0) {
                if (errno == EEXIST)
                        errf(err, "\"%s\" exists: save --force %s to replace it", path, path);
                else
                        errf_sys(err, NULL, "Cannot write \"%s\"", path);
                return NULL;
        }
        FILE *f = fdopen(fd, "w");
        if (!f) {
                errf_sys(err, NULL, "Cannot write \"%s\"", path);
                close(fd);
        }
        return f;
}
