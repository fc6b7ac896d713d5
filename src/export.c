/* export.c — a lab's drawing as text for other tools: Graphviz dot, Mermaid
 * and D2 (`netlab graph LAB.lua --format ...`, the console's `export`).
 *
 * One walk over the model gives, for every node, its kind, and for every
 * link, its two interfaces with their addresses and VLANs, its parameters and
 * whether it is down; each format is a table of the few strings that differ
 * (headers, shapes, edge syntax), not a copy of the walk. */
#include "export.h"
#include "lab.h"
#include "live.h"
#include <errno.h>
#include <string.h>

struct fmt {
        const char *name;
        const char *head, *tail;
        /* node: id, label, shape */
        const char *node;
        /* edge: a id, b id, label, style attrs (for down links) */
        const char *edge, *edge_down;
        const char *shape_host, *shape_switch, *shape_router;
        const char *nl; /* the line break inside a label */
};

static const struct fmt fmts[] = {
    [EXPORT_DOT] = {"dot", "graph \"%s\" {\n  graph [overlap=false];\n  node [fontname=monospace];\n"
                           "  edge [fontname=monospace, fontsize=9];\n",
                    "}\n", "  \"%s\" [label=\"%s\", shape=%s];\n",
                    "  \"%s\" -- \"%s\" [label=\"%s\"];\n",
                    "  \"%s\" -- \"%s\" [label=\"%s\", style=dashed, color=red];\n", "box",
                    "ellipse", "diamond", "\\n"},
    [EXPORT_MERMAID] = {"mermaid", "%%%% lab %s\ngraph LR\n", "", "  %s%s\n",
                        "  %s ---|\"%s\"| %s\n", "  %s -.-|\"%s\"| %s\n", "[\"%s\"]", "([\"%s\"])",
                        "{\"%s\"}", "<br/>"},
    [EXPORT_D2] = {"d2", "# lab %s\n", "", "%s: \"%s\" {shape: %s}\n", "%s -- %s: \"%s\"\n",
                   "%s -- %s: \"%s\" {style.stroke-dash: 4; style.stroke: red}\n", "rectangle",
                   "oval", "diamond", "\\n"},
};

int export_parse(const char *name, enum export_format *f, char *err)
{
        for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
                if (!strcmp(name, fmts[i].name)) {
                        *f = (enum export_format)i;
                        return 0;
                }
        errno = EINVAL;
        return errf(err, "Unknown format \"%s\" (dot, mermaid, d2)", name);
}

/* "eth0 10.0.0.1/24 vlan 10" for one end of a link. */
static void end_label(const struct lab *lab, int ifx, const char *nl, char *buf, size_t len)
{
        const struct iface *f = &lab->ifaces[ifx];
        size_t l = (size_t)snprintf(buf, len, "%s", f->name);
        for (int i = 0; i < f->naddr && l < len; i++) {
                char a[64];
                ipaddr_format(&f->addr[i], true, a, sizeof(a));
                l += (size_t)snprintf(buf + l, len - l, " %s", a);
        }
        if (f->nvlan && l < len) {
                int tagged = 0;
                for (int i = 0; i < f->nvlan; i++)
                        tagged += !f->vlan[i].untagged;
                if (f->nvlan == 1 && !tagged)
                        l += (size_t)snprintf(buf + l, len - l, " vlan %u", f->vlan[0].vid);
                else {
                        l += (size_t)snprintf(buf + l, len - l, " %s", tagged ? "trunk " : "vlans ");
                        for (int i = 0; i < f->nvlan && l < len; i++)
                                l += (size_t)snprintf(buf + l, len - l, "%s%u%s", i ? "," : "",
                                                      f->vlan[i].vid,
                                                      f->vlan[i].untagged ? "u" : "");
                }
        }
        (void)nl;
}

/* Mermaid and D2 ids: letters, digits and _ (node names also have '-'). */
static void node_id(const struct lab *lab, int n, enum export_format f, char *buf, size_t len)
{
        if (f == EXPORT_DOT) {
                snprintf(buf, len, "%s", lab->nodes[n].name);
                return;
        }
        snprintf(buf, len, "n_%s", lab->nodes[n].name);
        for (char *c = buf; *c; c++)
                if (*c == '-')
                        *c = '_';
}

static void params_label(const struct link_params *p, char *buf, size_t len)
{
        buf[0] = '\0';
        size_t l = 0;
        if (p->rate_bps)
                l += (size_t)snprintf(buf + l, len - l, " %gMbit", (double)p->rate_bps / 1e6);
        if (p->delay_us && l < len)
                l += (size_t)snprintf(buf + l, len - l, " %gms", p->delay_us / 1000.0);
        if (p->loss_ppm && l < len)
                l += (size_t)snprintf(buf + l, len - l, " loss %g%%", p->loss_ppm / 10000.0);
        if (l < len)
                link_ge_text(p, buf + l, len - l);
}

/* The formats are this file's constant table above, never input. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
int lab_export(const struct lab *lab, enum export_format f, FILE *out, char *err)
{
        const struct fmt *F = &fmts[f];
        fprintf(out, F->head, lab->name);
        for (int n = 0; n < lab->nnodes; n++) {
                const struct node *nd = &lab->nodes[n];
                char id[64], label[160], shape[64];
                node_id(lab, n, f, id, sizeof(id));
                snprintf(label, sizeof(label), "%s%s(%s)", nd->name, F->nl,
                         nd->kind->name);
                const char *sh = nd->kind == &kind_switch   ? F->shape_switch
                                 : nd->kind == &kind_router ? F->shape_router
                                                            : F->shape_host;
                if (f == EXPORT_MERMAID) {
                        snprintf(shape, sizeof(shape), sh, label);
                        fprintf(out, F->node, id, shape);
                } else {
                        fprintf(out, F->node, id, label, sh);
                }
        }
        for (int i = 0; i < lab->nlinks; i++) {
                const struct link *lk = &lab->links[i];
                if (!lab_link_live(lab, i))
                        continue;
                char a[64], b[64], ea[160], eb[160], pl[480], label[900];
                node_id(lab, lab->ifaces[lk->a].node, f, a, sizeof(a));
                node_id(lab, lab->ifaces[lk->b].node, f, b, sizeof(b));
                end_label(lab, lk->a, F->nl, ea, sizeof(ea));
                end_label(lab, lk->b, F->nl, eb, sizeof(eb));
                if (!lk->has_pb) {
                        params_label(&lk->p, pl, sizeof(pl));
                } else { /* per direction: each end's outgoing frames */
                        char pa[200], pb[200]; /* as pl: every parameter, GE's four */
                        params_label(&lk->p, pa, sizeof(pa));
                        params_label(&lk->pb, pb, sizeof(pb));
                        snprintf(pl, sizeof(pl), " from %s:%s%sfrom %s:%s",
                                 lab->nodes[lab->ifaces[lk->a].node].name, pa[0] ? pa : " none",
                                 F->nl, lab->nodes[lab->ifaces[lk->b].node].name,
                                 pb[0] ? pb : " none");
                }
                snprintf(label, sizeof(label), "%s -- %s%s%s%s", ea, eb, pl[0] ? F->nl : "",
                         pl[0] ? pl + 1 : "", lk->up ? "" : " (down)");
                const char *e = lk->up ? F->edge : F->edge_down;
                if (f == EXPORT_MERMAID)
                        fprintf(out, e, a, label, b);
                else
                        fprintf(out, e, a, b, label);
        }
        /* Subinterfaces hang off their parent's node: shown in the node's label
         * would crowd it; a note line per subinterface instead. */
        for (int i = 0; i < lab->nifaces; i++) {
                const struct iface *s = &lab->ifaces[i];
                if (s->link >= 0 || !lab_node_live(lab, s->node))
                        continue;
                char id[64], lbl[160];
                node_id(lab, s->node, f, id, sizeof(id));
                end_label(lab, i, F->nl, lbl, sizeof(lbl));
                if (f == EXPORT_DOT)
                        fprintf(out, "  \"%s\" [xlabel=\"%s\"];\n", id, lbl);
                else if (f == EXPORT_MERMAID)
                        fprintf(out, "  %%%% %s: %s\n", lab->nodes[s->node].name, lbl);
                else
                        fprintf(out, "# %s: %s\n", lab->nodes[s->node].name, lbl);
        }
        fputs(F->tail, out);
        if (fflush(out) != 0 || ferror(out))
                return errf_sys(err, NULL, "Cannot write the %s drawing", F->name);
        return 0;
}
#pragma GCC diagnostic pop
