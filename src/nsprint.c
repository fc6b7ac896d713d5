/* nsprint.c — `netlab ns` output: one scan (nsscan.c) printed as a table in
 * the manner of lsns, as a tree with each namespace's interfaces, addresses,
 * veth peers and bridge ports, or as JSON for scripts. One walk per format;
 * the facts come from the scan only. */
#include "nsscan.h"
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <linux/if.h>

static const char *user_name(uid_t uid, char *buf, size_t len)
{
        struct passwd *pw = getpwuid(uid);
        if (pw)
                snprintf(buf, len, "%s", pw->pw_name);
        else
                snprintf(buf, len, "%u", (unsigned)uid);
        return buf;
}

static const char *kind_of(const struct nl_link_info *li)
{
        if (li->kind[0])
                return li->kind;
        return (li->flags & IFF_LOOPBACK) ? "loopback" : "device";
}

static void peer_text(const struct ns_scan *s, const struct ns_iface *f, char *buf, size_t len)
{
        buf[0] = '\0';
        if (strcmp(f->li.kind, "veth"))
                return;
        if (f->peer_ns < 0) {
                snprintf(buf, len, "peer: not found (its namespace is not held)");
                return;
        }
        char lbl[96];
        ns_label(&s->ns[f->peer_ns], lbl, sizeof(lbl));
        snprintf(buf, len, "peer: %s in %s", f->peer[0] ? f->peer : "?", lbl);
}

static void print_table(const struct ns_scan *s, FILE *out)
{
        fprintf(out, "%-10s %-22s %5s %7s %-8s %-9s %s\n", "NS", "NAME", "PROCS", "PID", "USER",
                "IFACES", "COMMAND / LAB");
        for (int i = 0; i < s->n; i++) {
                const struct ns_entry *e = &s->ns[i];
                char name[96], user[32] = "", pid[16] = "", what[160] = "";
                if (e->host)
                        snprintf(name, sizeof(name), "(host)");
                else if (e->nnames)
                        ns_label(e, name, sizeof(name));
                else
                        snprintf(name, sizeof(name), "-");
                if (e->nprocs) {
                        snprintf(pid, sizeof(pid), "%d", (int)e->procs[0].pid);
                        user_name(e->procs[0].uid, user, sizeof(user));
                        snprintf(what, sizeof(what), "%s", e->procs[0].comm);
                } else if (e->holder[0]) {
                        snprintf(what, sizeof(what), "(held by %s)", e->holder);
                }
                if (e->lab[0])
                        snprintf(what + strlen(what), sizeof(what) - strlen(what), "%slab %s node %s",
                                 what[0] ? "  " : "", e->lab, e->node);
                fprintf(out, "%-10lu %-22s %5d %7s %-8s %-9d %s\n", e->ino, name, e->nprocs, pid,
                        user, e->nifs, what);
        }
}

static void print_tree(const struct ns_scan *s, FILE *out)
{
        for (int i = 0; i < s->n; i++) {
                const struct ns_entry *e = &s->ns[i];
                char lbl[96];
                ns_label(e, lbl, sizeof(lbl));
                fprintf(out, "%s%lu %s", i ? "\n" : "", e->ino, lbl);
                if (e->lab[0])
                        fprintf(out, "  [lab %s, node %s]", e->lab, e->node);
                fputc('\n', out);
                for (int j = 0; j < e->nnames; j++)
                        fprintf(out, "  mounted at %s\n", e->names[j]);
                if (e->holder[0] && !e->nprocs)
                        fprintf(out, "  held by %s\n", e->holder);
                int shown = e->nprocs > 8 ? 8 : e->nprocs;
                for (int j = 0; j < shown; j++) {
                        char user[32];
                        fprintf(out, "  process %d %s %s\n", (int)e->procs[j].pid,
                                user_name(e->procs[j].uid, user, sizeof(user)), e->procs[j].comm);
                }
                if (shown < e->nprocs)
                        fprintf(out, "  ... and %d more processes\n", e->nprocs - shown);
                if (e->err[0])
                        fprintf(out, "  interfaces: %s\n", e->err);
                for (int j = 0; j < e->nifs; j++) {
                        const struct ns_iface *f = &e->ifs[j];
                        char peer[160], a[64];
                        peer_text(s, f, peer, sizeof(peer));
                        fprintf(out, "  %-15s %-8s %-10s", f->li.name, kind_of(&f->li),
                                f->li.oper_up ? "UP" : (f->li.flags & IFF_UP) ? "NO-CARRIER" : "DOWN");
                        for (int k = 0; k < f->naddr; k++) {
                                ipaddr_format(&f->addr[k], true, a, sizeof(a));
                                fprintf(out, " %s", a);
                        }
                        if (peer[0])
                                fprintf(out, "  %s", peer);
                        if (!strcmp(f->li.kind, "bridge")) {
                                fputs("  ports:", out);
                                int np = 0;
                                for (int k = 0; k < e->nifs; k++)
                                        if (e->ifs[k].li.master == f->li.ifindex) {
                                                fprintf(out, " %s", e->ifs[k].li.name);
                                                np++;
                                        }
                                if (!np)
                                        fputs(" none", out);
                        }
                        fputc('\n', out);
                }
        }
}

static void json_str(FILE *out, const char *s)
{
        fputc('"', out);
        for (; *s; s++) {
                unsigned char c = (unsigned char)*s;
                if (c == '"' || c == '\\')
                        fprintf(out, "\\%c", c);
                else if (c < 0x20)
                        fprintf(out, "\\u%04x", c);
                else
                        fputc(c, out);
        }
        fputc('"', out);
}

static void print_json(const struct ns_scan *s, FILE *out)
{
        fputs("[", out);
        for (int i = 0; i < s->n; i++) {
                const struct ns_entry *e = &s->ns[i];
                fprintf(out, "%s\n {\"ns\": %lu, \"host\": %s, \"names\": [", i ? "," : "", e->ino,
                        e->host ? "true" : "false");
                for (int j = 0; j < e->nnames; j++) {
                        fputs(j ? ", " : "", out);
                        json_str(out, e->names[j]);
                }
                fputs("], \"lab\": ", out);
                if (e->lab[0]) {
                        json_str(out, e->lab);
                        fputs(", \"node\": ", out);
                        json_str(out, e->node);
                } else {
                        fputs("null, \"node\": null", out);
                }
                fputs(", \"held_by\": ", out);
                if (e->holder[0])
                        json_str(out, e->holder);
                else
                        fputs("null", out);
                fputs(",\n  \"processes\": [", out);
                for (int j = 0; j < e->nprocs; j++) {
                        char user[32];
                        fprintf(out, "%s{\"pid\": %d, \"user\": ", j ? ", " : "", (int)e->procs[j].pid);
                        json_str(out, user_name(e->procs[j].uid, user, sizeof(user)));
                        fputs(", \"command\": ", out);
                        json_str(out, e->procs[j].comm);
                        fputs("}", out);
                }
                fputs("],\n  \"interfaces\": [", out);
                for (int j = 0; j < e->nifs; j++) {
                        const struct ns_iface *f = &e->ifs[j];
                        fprintf(out, "%s\n   {\"name\": ", j ? "," : "");
                        json_str(out, f->li.name);
                        fputs(", \"kind\": ", out);
                        json_str(out, kind_of(&f->li));
                        fprintf(out, ", \"up\": %s, \"ifindex\": %d, \"master\": %d, \"addresses\": [",
                                f->li.oper_up ? "true" : "false", f->li.ifindex, f->li.master);
                        for (int k = 0; k < f->naddr; k++) {
                                char a[64];
                                ipaddr_format(&f->addr[k], true, a, sizeof(a));
                                fputs(k ? ", " : "", out);
                                json_str(out, a);
                        }
                        fputs("]", out);
                        if (!strcmp(f->li.kind, "veth")) {
                                if (f->peer_ns >= 0) {
                                        fprintf(out, ", \"peer\": {\"ns\": %lu, \"name\": ",
                                                s->ns[f->peer_ns].ino);
                                        json_str(out, f->peer);
                                        fputs("}", out);
                                } else {
                                        fputs(", \"peer\": null", out);
                                }
                        }
                        fputs("}", out);
                }
                fputs("]}", out);
        }
        fputs("\n]\n", out);
}

void ns_print(const struct ns_scan *s, enum ns_format f, FILE *out)
{
        static void (*const printers[])(const struct ns_scan *, FILE *) = {
            [NS_TABLE] = print_table, [NS_TREE] = print_tree, [NS_JSON] = print_json};
        printers[f](s, out);
}
