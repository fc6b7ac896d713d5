/* cmd_live.c — the console's changes to the running lab (live.h) and
 * `save FILE.lua`: add host|switch|router NAME [ip=CIDR], add link A B
 * [A=CIDR] [B=CIDR] [bw= delay= jitter= loss= mtu=], del node NAME, del
 * link A B, addr NODE IF CIDR, route NODE DST [via] GW, set link A B
 * [bw= ...], set port SWITCH PORT VID [pvid] [untagged]. The graph, the
 * inspector and the link monitors follow each change at once. */
#include "commands.h"
#include "console.h"
#include "live.h"
#include "distrib.h"
#include "nlua.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* `add host h3 ip=CIDR`: the address waits for h3's first link. */
struct pending_ip {
        int node;
        char cidr[64];
};
static struct pending_ip pending[16];

static void edited(struct console *c)
{
        c->live_edits++;
        monitors_follow(c);
        c->relayout = true;
        c->dirty = true;
}

/* A value with a unit: value times the unit's multiplier; def for a bare number. */
struct unit {
        const char *suffix;
        double mul;
};
static int unit_value(const char *key, const char *s, const struct unit *u, double def,
                      double lo, double hi, double *out, char *err)
{
        char *end;
        double v = strtod(s, &end);
        double mul = end == s ? 0 : *end ? 0 : def;
        for (int i = 0; end != s && *end && u[i].suffix; i++)
                if (!strcasecmp(end, u[i].suffix))
                        mul = u[i].mul;
        if (!mul || !(v * mul >= lo && v * mul <= hi)) {
                errno = EINVAL;
                return errf(err, "%s=%s: expected %s", key, s,
                            !strcmp(key, "bw")   ? "a rate like 10M, 1G, 500k (bit/s)"
                            : !strcmp(key, "mtu") ? "68..65535"
                            : !strcmp(key, "loss") ? "a percentage 0..100"
                                                   : "a time like 5ms, 100us, 1s (up to 60s)");
        }
        *out = v * mul;
        return 0;
}

/* Parses one key=value of a link's parameters; 1 when key is not one. */
static int link_param(const char *key, const char *val, struct link_params *p, char *err)
{
        static const struct unit rate[] = {{"k", 1e3},    {"kbit", 1e3}, {"m", 1e6}, {"mbit", 1e6},
                                           {"g", 1e9},    {"gbit", 1e9}, {"bit", 1}, {NULL, 0}};
        static const struct unit time[] = {{"us", 1}, {"ms", 1e3}, {"s", 1e6}, {NULL, 0}};
        static const struct unit pct[] = {{"%", 1}, {NULL, 0}};
        static const struct unit none[] = {{NULL, 0}};
        double v;
        if (!strcmp(key, "bw")) {
                if (unit_value(key, val, rate, 1e6, 1e3, 1e11, &v, err) < 0)
                        return -1;
                p->rate_bps = (uint64_t)v;
        } else if (!strcmp(key, "delay") || !strcmp(key, "jitter")) {
                if (unit_value(key, val, time, 1e3, 0, 60e6, &v, err) < 0)
                        return -1;
                *(key[0] == 'd' ? &p->delay_us : &p->jitter_us) = (uint32_t)v;
        } else if (!strcmp(key, "loss")) {
                if (unit_value(key, val, pct, 1, 0, 100, &v, err) < 0)
                        return -1;
                p->loss_ppm = (uint32_t)(v * 10000);
        } else if (!strcmp(key, "duplicate") || !strcmp(key, "corrupt") ||
                   !strcmp(key, "reorder")) {
                if (unit_value(key, val, pct, 1, 0, 100, &v, err) < 0)
                        return -1;
                *(key[0] == 'd' ? &p->dup_ppm : key[0] == 'c' ? &p->corrupt_ppm : &p->reorder_ppm) =
                    (uint32_t)(v * 10000);
        } else if (!strcmp(key, "gap") || !strcmp(key, "queue")) {
                if (unit_value(key, val, none, 1, 1, 1000000, &v, err) < 0)
                        return -1;
                *(key[0] == 'g' ? &p->gap : &p->limit) = (uint32_t)v;
        } else if (!strcmp(key, "distribution")) {
                int d = dist_parse(val);
                if (d < 0) {
                        errno = EINVAL;
                        return errf(err, "distribution=%s: expected uniform, normal, pareto or "
                                         "paretonormal",
                                    val);
                }
                p->dist = (uint8_t)d;
        } else if (!strcmp(key, "mtu")) {
                if (unit_value(key, val, none, 1, 68, 65535, &v, err) < 0)
                        return -1;
                p->mtu = (int)v;
        } else {
                return 1;
        }
        return 0;
}

static int need_two_nodes(struct console *c, char **argv, int *a, int *b, char *err)
{
        if ((*a = cmd_need_node(c, argv[0], err)) < 0 || (*b = cmd_need_node(c, argv[1], err)) < 0)
                return -1;
        return 0;
}

/* Refuses to take away what a running experiment may use. */
static int no_experiment(struct console *c, const char *what, char *err)
{
        int r = nlua_exp_running(c->L);
        if (r < 0)
                return 0;
        errno = EBUSY;
        return errf(err, "Cannot remove %s: experiment \"%s\" is running and may use it (exp "
                         "stop ends it)",
                    what, nlua_exp_name(c->L, r));
}

static int add_node(struct console *c, int argc, char **argv, char *err)
{
        if (argc < 2 || argc > 3) {
                errno = EINVAL;
                return errf(err, "Usage: add %s NAME [ip=CIDR]", argv[0]);
        }
        const char *ip = NULL;
        if (argc == 3) {
                if (strncmp(argv[2], "ip=", 3)) {
                        errno = EINVAL;
                        return errf(err, "add %s %s: unknown option \"%s\" (ip=CIDR)", argv[0],
                                    argv[1], argv[2]);
                }
                ip = argv[2] + 3;
                struct ipaddr chk;
                char e[ERRLEN];
                if (ipaddr_parse(ip, true, &chk, e) < 0)
                        return errf(err, "add %s %s: %s", argv[0], argv[1], e);
                /* Refused now, not at its first link (the node would be
                 * made, and then unusable). */
                int holder = lab_addr_holder(c->lab, &chk, -1);
                if (holder >= 0) {
                        char label[64];
                        iface_label(c->lab, holder, label, sizeof(label));
                        errno = EEXIST;
                        return errf(err, "add %s %s: %s already has address %s (give another)",
                                    argv[0], argv[1], label, ip);
                }
        }
        int slot = -1;
        for (int i = 0; ip && i < (int)(sizeof(pending) / sizeof(pending[0])); i++)
                if (!pending[i].cidr[0] || !lab_node_live(c->lab, pending[i].node))
                        slot = i;
        if (ip && slot < 0)
                return errf(err, "too many nodes wait for a link: link them first");
        int n = live_add_node(c->lab, argv[0], argv[1], "console", err);
        if (n < 0)
                return -1;
        if (ip) {
                pending[slot].node = n;
                snprintf(pending[slot].cidr, sizeof(pending[slot].cidr), "%s", ip);
        }
        edited(c);
        con_msg(c, false, "%s %s added%s%s%s", argv[0], argv[1], ip ? " (" : "", ip ? ip : "",
                ip ? " on its first link)" : "");
        return 0;
}

static int add_link(struct console *c, int argc, char **argv, char *err)
{
        if (argc < 3) {
                errno = EINVAL;
                return errf(err, "Usage: add link A B [A=CIDR] [B=CIDR] [bw=R] [delay=T] "
                                 "[jitter=T] [loss=P] [mtu=N]");
        }
        int a, b;
        if (need_two_nodes(c, argv + 1, &a, &b, err) < 0)
                return -1;
        struct link_params p = {0};
        const char *ip[2] = {NULL, NULL};
        for (int i = 3; i < argc; i++) {
                char key[32], *eq = strchr(argv[i], '=');
                if (!eq || eq - argv[i] >= (int)sizeof(key)) {
                        errno = EINVAL;
                        return errf(err, "add link: \"%s\" is not KEY=VALUE", argv[i]);
                }
                snprintf(key, sizeof(key), "%.*s", (int)(eq - argv[i]), argv[i]);
                if (!strcmp(key, argv[1]) || !strcmp(key, argv[2])) {
                        ip[strcmp(key, argv[1]) != 0] = eq + 1;
                        continue;
                }
                int r = link_param(key, eq + 1, &p, err);
                if (r < 0)
                        return -1;
                if (r > 0) {
                        errno = EINVAL;
                        return errf(err, "add link: unknown key \"%s\" (%s=, %s=, bw, delay, "
                                         "jitter, loss, mtu)",
                                    key, argv[1], argv[2]);
                }
        }
        int li = live_add_link(c->lab, a, b, &p, "console", err);
        if (li < 0)
                return -1;
        edited(c);
        const struct link *l = &c->lab->links[li];
        int ends[2] = {l->a, l->b};
        for (int k = 0; k < 2; k++) {
                const struct iface *f = &c->lab->ifaces[ends[k]];
                char cidr_buf[64];
                const char *cidr = ip[k];
                for (int s = 0; !cidr && s < (int)(sizeof(pending) / sizeof(pending[0])); s++)
                        if (pending[s].cidr[0] && pending[s].node == f->node) {
                                snprintf(cidr_buf, sizeof(cidr_buf), "%s", pending[s].cidr);
                                cidr = cidr_buf;
                                pending[s].cidr[0] = '\0';
                        }
                if (cidr && live_add_addr(c->lab, f->node, f->name, cidr, err) < 0) {
                        /* A refused edit leaves the lab as it was. */
                        char e[ERRLEN];
                        int saved = errno;
                        live_del_link(c->lab, li, e);
                        edited(c);
                        errno = saved;
                        size_t n = strlen(err);
                        snprintf(err + n, ERRLEN - n, " (link not added)");
                        return -1;
                }
        }
        char la[64], lb[64];
        iface_label(c->lab, l->a, la, sizeof(la));
        iface_label(c->lab, l->b, lb, sizeof(lb));
        con_msg(c, false, "link %s <-> %s added", la, lb);
        return 0;
}

int c_add(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)rest;
        if (!strcmp(argv[0], "link"))
                return cmd_need_up(c, err) < 0 ? -1 : add_link(c, argc, argv, err);
        if (!node_kind_find(argv[0])) {
                errno = EINVAL;
                return errf(err, "add: \"%s\" is not host, switch, router or link", argv[0]);
        }
        return cmd_need_up(c, err) < 0 ? -1 : add_node(c, argc, argv, err);
}

int c_del(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)rest;
        if (cmd_need_up(c, err) < 0)
                return -1;
        if (!strcmp(argv[0], "node") && argc == 2) {
                int n = cmd_need_node(c, argv[1], err);
                char what[64];
                snprintf(what, sizeof(what), "node \"%s\"", argv[1]);
                if (n < 0 || no_experiment(c, what, err) < 0 || live_del_node(c->lab, n, err) < 0)
                        return -1;
                if (c->sel == n)
                        c->sel = -1;
                edited(c);
                con_msg(c, false, "node %s removed (its processes, namespaces and links)",
                        argv[1]);
                return 0;
        }
        if (!strcmp(argv[0], "link") && argc == 3) {
                int a, b;
                if (need_two_nodes(c, argv + 1, &a, &b, err) < 0)
                        return -1;
                int l = -1;
                for (int i = 0; i < c->lab->nlinks && l < 0; i++) {
                        int na = c->lab->ifaces[c->lab->links[i].a].node,
                            nb = c->lab->ifaces[c->lab->links[i].b].node;
                        if (lab_link_live(c->lab, i) &&
                            ((na == a && nb == b) || (na == b && nb == a)))
                                l = i;
                }
                if (l < 0) {
                        errno = ENOENT;
                        return errf(err, "No link between \"%s\" and \"%s\" (links lists them)",
                                    argv[1], argv[2]);
                }
                char what[96];
                snprintf(what, sizeof(what), "link %s-%s", argv[1], argv[2]);
                if (no_experiment(c, what, err) < 0 || live_del_link(c->lab, l, err) < 0)
                        return -1;
                edited(c);
                con_msg(c, false, "link %s-%s removed", argv[1], argv[2]);
                return 0;
        }
        errno = EINVAL;
        return errf(err, "Usage: del node NAME | del link A B");
}

int c_addr(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)rest;
        int n = cmd_need_node(c, argv[0], err);
        if (n < 0 || cmd_need_up(c, err) < 0 || live_add_addr(c->lab, n, argv[1], argv[2], err) < 0)
                return -1;
        edited(c);
        con_msg(c, false, "%s:%s has %s", argv[0], argv[1], argv[2]);
        return 0;
}

int c_route(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)rest;
        if (argc == 4 && strcmp(argv[2], "via")) {
                errno = EINVAL;
                return errf(err, "Usage: route NODE DST|default via GW");
        }
        const char *gw = argv[argc - 1];
        int n = cmd_need_node(c, argv[0], err);
        if (n < 0 || cmd_need_up(c, err) < 0 || live_add_route(c->lab, n, argv[1], gw, err) < 0)
                return -1;
        edited(c);
        con_msg(c, false, "%s: route %s via %s", argv[0], argv[1], gw);
        return 0;
}

/* The live link between nodes a and b (named na, nb), or -1 with err. */
static int live_link_between(struct console *c, int a, int b, const char *na, const char *nb,
                             char *err)
{
        int l = lab_find_link(c->lab, a, b);
        for (int i = 0; l >= 0 && !lab_link_live(c->lab, l) && i < c->lab->nlinks; i++) {
                int ia = c->lab->ifaces[c->lab->links[i].a].node,
                    ib = c->lab->ifaces[c->lab->links[i].b].node;
                if (lab_link_live(c->lab, i) && ((ia == a && ib == b) || (ia == b && ib == a)))
                        l = i;
        }
        if (l < 0 || !lab_link_live(c->lab, l)) {
                errno = ENOENT;
                return errf(err, "No link between \"%s\" and \"%s\"", na, nb);
        }
        return l;
}

/* `loss gemodel P [R [H [K]]]`, or labelled as `link A B show` prints it
 * (`loss gemodel p 5% r 50% h 0% k 100%`): the numbers of the lab file's
 * loss = {p, r, h, k}, percentages (defaults r 100, h 0, k 100). From
 * argv[*i], the word after "gemodel"; *i is left on the last word taken. */
static int gemodel_args(int argc, char **argv, int *i, struct link_params *p, char *err)
{
        static const char lbl[] = "prhk";
        static const struct unit pct[] = {{"%", 1}, {NULL, 0}};
        double v[4] = {-1, 100, 0, 100};
        int next = 0;
        while (*i + 1 < argc) {
                const char *w = argv[*i + 1];
                const char *at = strlen(w) == 1 ? strchr(lbl, w[0]) : NULL;
                int slot = at ? (int)(at - lbl) : next;
                const char *val = at ? (*i + 2 < argc ? argv[*i + 2] : "") : w;
                char *end;
                strtod(val, &end);
                if (!at && (slot > 3 || end == val))
                        break; /* the next key */
                char key[32];
                snprintf(key, sizeof(key), "loss gemodel %c", lbl[slot]);
                if (unit_value(key, val, pct, 1, 0, 100, &v[slot], err) < 0)
                        return errf(err, "set link: \"%s\" is not a percentage (loss gemodel "
                                         "%c)",
                                    val, lbl[slot]);
                *i += at ? 2 : 1;
                next = slot + 1;
        }
        if (v[0] < 0) {
                errno = EINVAL;
                return errf(err, "set link: loss gemodel needs P (the chance, in percent, to go "
                                 "from the good state to the bad one)");
        }
        uint32_t *dst[4] = {&p->ge_p, &p->ge_r, &p->ge_h, &p->ge_k};
        for (int k = 0; k < 4; k++)
                *dst[k] = (uint32_t)(v[k] * 10000);
        p->ge = true;
        p->loss_ppm = 0;
        return 0;
}

/* One pass over `set link A B KEY VALUE...`'s words: the parameters of the
 * words before any `from NODE` (want -1), or of those after `from NODE`
 * where NODE is end want (0: a, 1: b). *dir: a from was seen. */
static int link_words(struct console *c, int argc, char **argv, int l, int want,
                      struct link_params *p, bool *dir, char *err)
{
        const struct link *lk = &c->lab->links[l];
        int cur = -1;
        for (int i = 3; i < argc; i++) {
                /* KEY=VALUE, or KEY VALUE as `link A B set delay 50ms loss 2%` types it */
                char key[32], *eq = strchr(argv[i], '=');
                const char *val = eq ? eq + 1 : i + 1 < argc ? argv[i + 1] : NULL;
                size_t klen = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
                if (!val || klen >= sizeof(key)) {
                        errno = EINVAL;
                        return errf(err, "set link: \"%s\" is not KEY=VALUE or KEY VALUE",
                                    argv[i]);
                }
                if (!eq)
                        i++;
                snprintf(key, sizeof(key), "%.*s", (int)klen, argv[i - !eq]);
                if (!strcmp(key, "from")) {
                        int n = lab_find_node(c->lab, val);
                        int na = c->lab->ifaces[lk->a].node, nb = c->lab->ifaces[lk->b].node;
                        if (n < 0 || (n != na && n != nb)) {
                                errno = EINVAL;
                                return errf(err, "set link: from \"%s\": not an end of link "
                                                 "%s-%s",
                                            val, c->lab->nodes[na].name, c->lab->nodes[nb].name);
                        }
                        cur = n == na ? 0 : 1;
                        *dir = true;
                        continue;
                }
                struct link_params scratch = {0}, *dst = cur == want ? p : &scratch;
                if (!strcmp(key, "loss") && !strcmp(val, "gemodel")) {
                        if (gemodel_args(argc, argv, &i, dst, err) < 0)
                                return -1;
                        continue;
                }
                int r = !strcmp(key, "mtu") ? 1 : link_param(key, val, dst, err);
                if (r < 0)
                        return -1;
                if (r > 0) {
                        errno = EINVAL;
                        return errf(err,
                                    "set link: unknown key \"%s\" (bw, delay, jitter, loss, "
                                    "duplicate, corrupt, reorder, gap, queue, distribution, "
                                    "from)",
                                    key);
                }
                if (!strcmp(key, "loss"))
                        dst->ge = false;
        }
        return 0;
}

/* A link's parameters in force, as `link A B show` answers them: " delay
 * 50ms loss 2%", " no impairment", or each direction's. */
static void link_answer_text(const struct console *c, int l, char *buf, size_t len)
{
        const struct link *lk = &c->lab->links[l];
        char s[256], sb[256] = "";
        link_params_text(&lk->p, s, sizeof(s));
        if (!lk->has_pb) {
                snprintf(buf, len, "%s", s[0] ? s : " no impairment");
                return;
        }
        link_params_text(&lk->pb, sb, sizeof(sb));
        snprintf(buf, len, " from %s:%s; from %s:%s",
                 c->lab->nodes[c->lab->ifaces[lk->a].node].name, s[0] ? s : " none",
                 c->lab->nodes[c->lab->ifaces[lk->b].node].name, sb[0] ? sb : " none");
}

static int set_link(struct console *c, int argc, char **argv, char *err)
{
        int a, b;
        if (argc < 3 || need_two_nodes(c, argv + 1, &a, &b, err) < 0) {
                if (argc < 3)
                        errf(err, "Usage: set link A B [bw=R] [delay=T] [jitter=T] [loss=P]");
                return -1;
        }
        int l = live_link_between(c, a, b, argv[1], argv[2], err);
        if (l < 0)
                return -1;
        /* As the lab file's from = {NODE = {...}}: the words before any
         * `from` go both ways, a from's words override those keys for the
         * frames leaving that end. */
        struct link_params base = {0}, pa, pb;
        bool dir = false;
        if (link_words(c, argc, argv, l, -1, &base, &dir, err) < 0)
                return -1;
        pa = pb = base;
        if (dir && (link_words(c, argc, argv, l, 0, &pa, &dir, err) < 0 ||
                    link_words(c, argc, argv, l, 1, &pb, &dir, err) < 0))
                return -1;
        char was[512], now[512];
        link_answer_text(c, l, was, sizeof(was));
        if (live_set_params_dir(c->lab, l, &pa, dir ? &pb : NULL, err) < 0)
                return -1;
        edited(c);
        link_answer_text(c, l, now, sizeof(now));
        /* set replaces every parameter, as tc's `qdisc change` does: say
         * which of those in force before are gone */
        static const char *const keys[] = {
            " bw ",      " delay ", " jitter ", " loss ",         " duplicate ",  " corrupt ",
            " reorder ", " gap ",   " queue ",  " distribution ", " correlation "};
        char gone[160] = "";
        size_t gl = 0;
        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
                if (strstr(was, keys[i]) && !strstr(now, keys[i]) && gl < sizeof(gone))
                        gl +=
                            (size_t)snprintf(gone + gl, sizeof(gone) - gl, "%s%.*s", gl ? ", " : "",
                                             (int)strlen(keys[i]) - 2, keys[i] + 1);
        if (argc <= 3)
                con_msg(c, false, "link %s-%s: cleared, no impairment", argv[1], argv[2]);
        else if (gone[0])
                con_msg(c, false, "link %s-%s:%s (no longer: %s)", argv[1], argv[2], now, gone);
        else
                con_msg(c, false, "link %s-%s:%s", argv[1], argv[2], now);
        return 0;
}

/* `link A B set` (and `set link A B`) with nothing to set. */
#define LINK_SET_USAGE "Usage: link A B set [bw R] [delay T] [jitter T] [loss P%%]"

/* `link A B set KEY VALUE...`, `link A B clear` (set with nothing: no
 * impairment left), `link A B show` (the parameters in force). */
int c_link_params(struct console *c, int argc, char **argv, char *err)
{
        const char *verb = argv[2];
        if (!strcmp(verb, "set") || !strcmp(verb, "clear")) {
                if (!strcmp(verb, "clear") && argc > 3) {
                        errno = EINVAL;
                        return errf(err, "Usage: link A B clear (not \"%s\")", argv[3]);
                }
                char *av[40] = {"link", argv[0], argv[1]};
                if (argc + 1 > (int)(sizeof(av) / sizeof(av[0]))) {
                        errno = E2BIG;
                        return errf(err, "link %s %s set: too many arguments", argv[0], argv[1]);
                }
                for (int i = 3; i < argc; i++)
                        av[i] = argv[i];
                if (!strcmp(verb, "set") && argc == 3) {
                        errno = EINVAL;
                        return errf(err, LINK_SET_USAGE);
                }
                return set_link(c, argc, av, err);
        }
        int a, b;
        if (need_two_nodes(c, argv, &a, &b, err) < 0)
                return -1;
        int l = live_link_between(c, a, b, argv[0], argv[1], err);
        if (l < 0)
                return -1;
        char s[512];
        link_answer_text(c, l, s, sizeof(s));
        con_msg(c, false, "link %s-%s:%s", argv[0], argv[1], s);
        return 0;
}

/* `set port SW PORT access VID | trunk VID,VID... | default`: the port's
 * VLANs replaced (default: VLAN 1, PVID, untagged). */
static int set_port_vlans(struct console *c, int argc, char **argv, int iface, char *err)
{
        bool access = !strcmp(argv[3], "access"), trunk = !strcmp(argv[3], "trunk");
        if (argc != ((access || trunk) ? 5 : 4)) {
                errno = EINVAL;
                return errf(err, "Usage: set port SWITCH PORT access VID | trunk VID,VID... | "
                                 "default");
        }
        struct vlan_entry v[64] = {{0}};
        int n = 0;
        for (const char *s = access || trunk ? argv[4] : ""; *s;) {
                char *end;
                long vid = strtol(s, &end, 10);
                if (end == s || (*end && *end != ',') || vid < 1 || vid > 4094 || n == 64 ||
                    (access && n == 1)) {
                        errno = EINVAL;
                        return errf(err, "set port: \"%s\" is not %s", argv[4],
                                    access ? "a VLAN id (1..4094)"
                                           : "a list of VLAN ids (1..4094, at most 64: 10,20)");
                }
                v[n++] = (struct vlan_entry){.vid = (uint16_t)vid, .pvid = access, .untagged = access};
                s = *end ? end + 1 : end;
        }
        if (live_set_port_vlans(c->lab, iface, v, n, err) < 0)
                return -1;
        edited(c);
        con_msg(c, false, "%s:%s: %s%s%s", argv[1], argv[2], access ? "access VLAN " : "",
                trunk ? "trunk " : "", n ? argv[4] : "VLAN 1 untagged (the default)");
        return 0;
}

static int set_port(struct console *c, int argc, char **argv, char *err)
{
        if (argc < 4) {
                errno = EINVAL;
                return errf(err, "Usage: set port SWITCH PORT VID [pvid] [untagged] | access VID "
                                 "| trunk VID,VID... | default");
        }
        int n = cmd_need_node(c, argv[1], err);
        if (n < 0)
                return -1;
        int i = lab_find_iface(c->lab, n, argv[2]);
        if (i < 0) {
                errno = ENODEV;
                return errf(err, "node \"%s\" has no port \"%s\"", argv[1], argv[2]);
        }
        if (!strcmp(argv[3], "access") || !strcmp(argv[3], "trunk") ||
            !strcmp(argv[3], "default"))
                return set_port_vlans(c, argc, argv, i, err);
        char *end;
        long vid = strtol(argv[3], &end, 10);
        if (*end || vid < 1 || vid > 4094) {
                errno = EINVAL;
                return errf(err, "set port: VLAN id \"%s\" is not in 1..4094", argv[3]);
        }
        bool pvid = false, untagged = false;
        for (int k = 4; k < argc; k++) {
                if (!strcmp(argv[k], "pvid"))
                        pvid = true;
                else if (!strcmp(argv[k], "untagged"))
                        untagged = true;
                else {
                        errno = EINVAL;
                        return errf(err, "set port: \"%s\" is neither pvid nor untagged", argv[k]);
                }
        }
        if (live_set_vlan(c->lab, i, (uint16_t)vid, pvid, untagged, err) < 0)
                return -1;
        edited(c);
        if (!pvid && !untagged) /* a switch user's "port in VLAN N" is access N */
                con_msg(c, false, "%s:%s: VLAN %ld added, tagged (to move the port: set port %s %s access %ld)",
                        argv[1], argv[2], vid, argv[1], argv[2], vid);
        else
                con_msg(c, false, "%s:%s: VLAN %ld%s%s", argv[1], argv[2], vid, pvid ? " pvid" : "",
                        untagged ? " untagged" : "");
        return 0;
}

int c_set(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)rest;
        if (cmd_need_up(c, err) < 0)
                return -1;
        /* Another spelling of `link A B set ...`: its words, link A B K V...,
         * are set_link's as they stand. */
        if (!strcmp(argv[0], "link")) {
                if (argc < 3) {
                        errno = EINVAL;
                        return errf(err, "Usage: link A B set K V... (or set link A B K V...)");
                }
                if (argc == 3) {
                        errno = EINVAL;
                        return errf(err, LINK_SET_USAGE);
                }
                return set_link(c, argc, argv, err);
        }
        if (!strcmp(argv[0], "port"))
                return set_port(c, argc, argv, err);
        errno = EINVAL;
        return errf(err, "Usage: set link A B [bw=R] [delay=T] ... | set port SWITCH PORT VID "
                         "[pvid] [untagged]");
}

int c_save_lab(struct console *c, int argc, char **argv, char *err)
{
        bool force = false;
        const char *path = NULL;
        for (int i = 0; i < argc; i++) {
                if (!strcmp(argv[i], "--force"))
                        force = true;
                else if (!path)
                        path = argv[i];
                else {
                        errno = EINVAL;
                        return errf(err, "Usage: save FILE.lua [--force]");
                }
        }
        if (!path) {
                errno = EINVAL;
                return errf(err, "Usage: save FILE.lua [--force]");
        }
        if (nlua_save(c->L, path, force, err) < 0)
                return -1;
        con_msg(c, false, "lab %s saved to %s", c->lab->name, path);
        c->live_edits = 0;
        return 0;
}
