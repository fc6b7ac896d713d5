/* api.c — the Lua API of netlab: netlab.lab, lab/node/link userdata,
 * experiment() and check().
 *
 * Nodes and links are userdata holding an index into the lab's arrays, with
 * metatables whose __index resolves fields (name, kind, ...) and methods.
 * Argument and option errors are raised with nlua_raise, so they carry the
 * lab file's name and line (past netlab's own Lua library); unknown option
 * keys, out-of-range numbers (NaN and infinity included) and strings with a
 * NUL byte are errors, never ignored or cut. Each userdata carries its
 * class's tag, checked with its metatable and size on every access.
 * Failures of the system return nil, message (nlua_fail).
 * What is better written in Lua (ping, pingall, generators) lives in
 * the Lua library (lua/netlab/) and is added to these metatables at start. */
#include "words.h"
#include "nlua_int.h"
#include "uplink.h"
#include "distrib.h"
#include "live.h"
#include "fw.h"
#include "service.h"
#include "vlanview.h"
#include "monotime.h"
#include <errno.h>
#include <lauxlib.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#define MT_LAB "netlab.lab"
#define MT_NODE "netlab.node"
#define MT_LINK "netlab.link"
#define MT_JOB "netlab.job"

/* Every userdata starts with its class's tag: debug.setmetatable can give
 * any userdata any metatable, so the metatable alone does not prove what
 * the memory is (see ud_test). */
enum ud_tag { TAG_LAB = 0x4e4c4c41, TAG_NODE, TAG_LINK, TAG_JOB };

struct ref { /* a lab (idx unused), a node or a link */
        uint32_t tag;
        int idx;
};

struct cmd_ud {
        uint32_t tag;
        struct proc_job job;
        long long deadline;
        bool active;
};

/* "labs/x.lua:12" of the calling Lua code, level as error()'s; level 1 is
 * the lab's line even when netlab's Lua library is in between. */
static void where_at(lua_State *L, int level, char *buf, size_t len)
{
        if (level <= 1) {
                nlua_where(L, buf, len);
                return;
        }
        luaL_where(L, level);
        const char *w = lua_tostring(L, -1);
        size_t n = strlen(w);
        while (n && (w[n - 1] == ' ' || w[n - 1] == ':'))
                n--;
        snprintf(buf, len, "%.*s", (int)n, w);
        lua_pop(L, 1);
}

static void where(lua_State *L, char *buf, size_t len)
{
        nlua_where(L, buf, len);
}

#define SECONDS_MAX 1e6 /* 11 days: longer waits are mistakes */

/* A number of seconds, finite, 0..SECONDS_MAX (> 0 when positive). */
static double check_seconds(lua_State *L, int idx, const char *what, bool positive)
{
        if (!lua_isnumber(L, idx))
                nlua_raise(L, "%s: expected a number of seconds, got %s", what,
                           luaL_typename(L, idx));
        double v = lua_tonumber(L, idx);
        if (!(v >= 0 && v <= SECONDS_MAX) || (positive && v == 0))
                nlua_raise(L, "%s: expected seconds %s 0 and at most %g, got %s", what,
                           positive ? ">" : ">=", SECONDS_MAX,
                           isnan(v) ? "nan" : lua_tostring(L, idx));
        return v;
}

/* Strings from the lab: a NUL byte inside would silently cut a name, an
 * address or a command short in C, so it is refused. */
static const char *nul_check(lua_State *L, const char *s, size_t n)
{
        if (s && strlen(s) != n)
                nlua_raise(L, "invalid string \"%s\\0...\": it contains a NUL byte", s);
        return s;
}

/* lua_tostring that refuses NUL bytes (NULL when the value is no string). */
static const char *tostr(lua_State *L, int idx)
{
        size_t n = 0;
        const char *s = lua_tolstring(L, idx, &n);
        return nul_check(L, s, n);
}

/* luaL_checkstring that refuses NUL bytes. */
static const char *checkstr(lua_State *L, int idx)
{
        size_t n;
        const char *s = luaL_checklstring(L, idx, &n);
        return nul_check(L, s, n);
}

static struct lab *the_lab(lua_State *L)
{
        struct nlua *N = nlua_from(L);
        if (!N->lab)
                nlua_raise(L, "no lab yet: call netlab.lab(\"name\") first");
        return N->lab;
}

/* Raises "unknown option" for any key of the table at idx not in keys. */
static void opts_check(lua_State *L, int idx, const char *what, const char *const keys[])
{
        if (lua_isnoneornil(L, idx))
                return;
        if (!lua_istable(L, idx))
                nlua_raise(L, "%s: options must be a table, got %s", what, luaL_typename(L, idx));
        lua_pushnil(L);
        while (lua_next(L, idx)) {
                lua_pop(L, 1);
                if (lua_type(L, -1) != LUA_TSTRING)
                        nlua_raise(L, "%s: option names must be strings", what);
                const char *k = tostr(L, -1);
                bool ok = false;
                for (int i = 0; keys[i]; i++)
                        ok |= strcmp(keys[i], k) == 0;
                if (!ok && !keys[0])
                        nlua_raise(L, "%s: unknown option '%s' (%s takes no options)", what, k,
                                   what);
                if (!ok) {
                        luaL_Buffer b;
                        luaL_buffinit(L, &b);
                        for (int i = 0; keys[i]; i++) {
                                if (i)
                                        luaL_addstring(&b, ", ");
                                luaL_addstring(&b, keys[i]);
                        }
                        luaL_pushresult(&b);
                        nlua_raise(L, "%s: unknown option '%s' (expected one of: %s)", what, k,
                                   lua_tostring(L, -1));
                }
        }
}

static int opt_field(lua_State *L, int idx, const char *k)
{
        if (lua_isnoneornil(L, idx)) {
                lua_pushnil(L);
                return LUA_TNIL;
        }
        return lua_getfield(L, idx, k);
}

static const struct ud_class {
        const char *mt, *what;
        uint32_t tag;
        size_t size;
} ud_classes[] = {
    {MT_LAB, "a lab", TAG_LAB, sizeof(struct ref)},
    {MT_NODE, "a node", TAG_NODE, sizeof(struct ref)},
    {MT_LINK, "a link", TAG_LINK, sizeof(struct ref)},
    {MT_JOB, "a process (node:spawn)", TAG_JOB, sizeof(struct cmd_ud)},
};

/* The userdata at idx if it is really of class tag (metatable, size and
 * tag agree), else NULL. */
static void *ud_test(lua_State *L, int idx, enum ud_tag tag)
{
        const struct ud_class *c = &ud_classes[tag - TAG_LAB];
        uint32_t *p = luaL_testudata(L, idx, c->mt);
        if (!p || lua_rawlen(L, idx) != c->size || *p != c->tag)
                return NULL;
        return p;
}

/* Raises "link: bad argument #2: expected WHAT, got nil (...)" at the lab
 * file's line, numbering the arguments as the user wrote them: a method
 * call's hidden self is not counted (lab:link(h1, r9) has r9 second). */
static int arg_raise(lua_State *L, int arg, const char *what)
{
        lua_Debug ar;
        char fn[64] = "", hint[96] = "";
        int shown = arg;
        if (lua_getstack(L, 0, &ar) && lua_getinfo(L, "n", &ar) && ar.name) {
                snprintf(fn, sizeof(fn), "%s: ", ar.name);
                bool method = ar.namewhat && !strcmp(ar.namewhat, "method");
                if (method && arg > 1)
                        shown = arg - 1;
                if (!method && arg == 1 && ar.namewhat && !strcmp(ar.namewhat, "field"))
                        snprintf(hint, sizeof(hint), " (a method: call it with a colon, x:%s(...))",
                                 ar.name);
        }
        if (!hint[0] && lua_isnoneornil(L, arg))
                snprintf(hint, sizeof(hint), " (a variable not defined yet?)");
        return nlua_raise(L, "%sbad argument #%d: expected %s, got %s%s", fn, shown, what,
                          luaL_typename(L, arg), hint);
}

static void *ud_check(lua_State *L, int idx, enum ud_tag tag)
{
        void *p = ud_test(L, idx, tag);
        if (!p)
                arg_raise(L, idx, ud_classes[tag - TAG_LAB].what);
        return p;
}

static void push_ref(lua_State *L, enum ud_tag tag, int idx)
{
        struct ref *r = lua_newuserdatauv(L, sizeof(*r), 0);
        r->tag = tag;
        r->idx = idx;
        luaL_setmetatable(L, ud_classes[tag - TAG_LAB].mt);
}

void nlua_method_hint(lua_State *L, const char *msg, char *buf, size_t len)
{
        buf[0] = '\0';
        const char *m = msg ? strstr(msg, "(method '") : NULL;
        if (!m)
                return;
        char name[64];
        m += strlen("(method '");
        size_t n = strcspn(m, "'");
        if (n == 0 || n >= sizeof(name))
                return;
        memcpy(name, m, n);
        name[n] = '\0';
        char near[160] = "";
        int found = 0;
        static const char *const mts[] = {MT_LAB, MT_NODE, MT_LINK};
        for (size_t i = 0; i < sizeof(mts) / sizeof(mts[0]); i++) {
                luaL_getmetatable(L, mts[i]);
                if (lua_getfield(L, -1, "methods") == LUA_TTABLE) {
                        lua_pushnil(L);
                        while (lua_next(L, -2)) {
                                lua_pop(L, 1);
                                const char *k =
                                    lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
                                if (k && k[0] != '_' && found < 3 && !strstr(near, k) &&
                                    word_near(name, k)) {
                                        size_t l = strlen(near);
                                        snprintf(near + l, sizeof(near) - l, "%s%s",
                                                 found ? ", " : "", k);
                                        found++;
                                }
                        }
                }
                lua_pop(L, 2);
        }
        if (found)
                snprintf(buf, len, " (no method %s: did you mean %s?)", name, near);
        else
                snprintf(buf, len,
                         " (netlab's labs, nodes and links have no method %s: man 5 netlab-lab "
                         "lists them)",
                         name);
}

/* Pushes method k of class mt (nil when there is none). */
static void push_method(lua_State *L, const char *mt, const char *k)
{
        luaL_getmetatable(L, mt);
        lua_getfield(L, -1, "methods");
        lua_getfield(L, -1, k);
}

static int check_node(lua_State *L, int arg)
{
        struct lab *lab = the_lab(L);
        if (lua_type(L, arg) == LUA_TSTRING) {
                const char *name = tostr(L, arg);
                int n = lab_find_node(lab, name);
                if (n < 0)
                        nlua_raise(L, "no node named '%s' in lab '%s'", name, lab->name);
                return n;
        }
        struct ref *r = ud_test(L, arg, TAG_NODE);
        if (!r || r->idx < 0)
                arg_raise(L, arg, "a node or a node name");
        if (!lab_node_live(lab, r->idx))
                nlua_raise(L, "node '%s' was deleted",
                           r->idx < lab->nnodes ? lab->nodes[r->idx].name : "?");
        return r->idx;
}

static int check_link(lua_State *L, int arg)
{
        struct ref *r = ud_check(L, arg, TAG_LINK);
        if (!lab_link_live(the_lab(L), r->idx))
                nlua_raise(L, "link was deleted");
        return r->idx;
}

static void push_node(lua_State *L, int idx)
{
        push_ref(L, TAG_NODE, idx);
}

/* Builds the lab on first use from script code (node:cmd at top level). */
static void ensure_built(lua_State *L)
{
        struct nlua *N = nlua_from(L);
        if (N->lab && N->lab->state == LAB_UP)
                return;
        char err[ERRLEN];
        if (nlua_build(N, err) < 0)
                nlua_raise(L, "%s", err);
}

static void raise_if(lua_State *L, int rc, const char *err)
{
        if (rc < 0)
                nlua_raise(L, "%s", err);
}

/* ---- pending host addresses: lab:host{ip=...} applies to its first link */

static void pending_set(lua_State *L, int node, int value_idx)
{
        lua_getfield(L, LUA_REGISTRYINDEX, "netlab.pending");
        lua_pushvalue(L, value_idx);
        lua_rawseti(L, -2, node + 1);
        lua_pop(L, 1);
}

/* Raises err at the lab's line at, or at the calling line when at is NULL. */
static void raise_at(lua_State *L, const char *at, const char *err)
{
        if (!at)
                nlua_raise(L, "%s", err);
        lua_pushfstring(L, "%s: %s", at, err);
        lua_error(L);
}

/* Adds each address of the string or list at idx to iface; a refusal is
 * raised at at (the line that wrote the address) or at the calling line. */
static void add_addrs(lua_State *L, struct lab *lab, int iface, int idx, const char *at)
{
        char err[ERRLEN];
        if (lua_isstring(L, idx)) {
                if (lab_iface_add_addr(lab, iface, tostr(L, idx), err) < 0)
                        raise_at(L, at, err);
                return;
        }
        if (!lua_istable(L, idx))
                nlua_raise(L, "ip: expected \"ADDRESS/PREFIX\" or a list of them, got %s",
                           luaL_typename(L, idx));
        lua_Integer n = luaL_len(L, idx);
        for (lua_Integer i = 1; i <= n; i++) {
                lua_geti(L, idx, i);
                if (!lua_isstring(L, -1))
                        nlua_raise(L, "ip: expected \"ADDRESS/PREFIX\", got %s",
                                   luaL_typename(L, -1));
                if (lab_iface_add_addr(lab, iface, tostr(L, -1), err) < 0)
                        raise_at(L, at, err);
                lua_pop(L, 1);
        }
}

/* lab:host{ip = ...}: the addresses go to the node's first link, and a
 * refusal is reported at the lab:host line that wrote them. */
static void pending_apply(lua_State *L, struct lab *lab, int node, int iface)
{
        lua_getfield(L, LUA_REGISTRYINDEX, "netlab.pending");
        if (lua_rawgeti(L, -1, node + 1) != LUA_TNIL) {
                add_addrs(L, lab, iface, lua_gettop(L), lab->nodes[node].where);
                lua_pushnil(L);
                lua_rawseti(L, -3, node + 1);
        }
        lua_pop(L, 2);
}

int nlua_pending_check(struct nlua *N, char *err)
{
        lua_State *L = N->L;
        int rc = 0;
        lua_getfield(L, LUA_REGISTRYINDEX, "netlab.pending");
        lua_pushnil(L);
        while (rc == 0 && lua_next(L, -2)) {
                int node = (int)lua_tointeger(L, -2) - 1;
                const struct node *n = &N->lab->nodes[node];
                rc = errf(err, "%s: host \"%s\" has an ip but no link to put it on", n->where,
                          n->name);
                lua_pop(L, 2);
                break;
        }
        lua_pop(L, 1);
        return rc;
}

/* ---- netlab.lab ---- */

static int l_netlab_lab(lua_State *L)
{
        struct nlua *N = nlua_from(L);
        char name[PATH_MAX];
        if (lua_isnoneornil(L, 1)) {
                const char *base = strrchr(N->path, '/');
                base = base ? base + 1 : N->path;
                snprintf(name, sizeof(name), "%s", base);
                char *dot = strrchr(name, '.');
                if (dot)
                        *dot = '\0';
        } else {
                snprintf(name, sizeof(name), "%s", checkstr(L, 1));
        }
        const char *given = lab_name_given(); /* netlab --name NAME LAB.lua */
        if (given)
                snprintf(name, sizeof(name), "%s", given);
        if (N->lab)
                return nlua_raise(L, "a lab file declares one lab; \"%s\" is already declared",
                                  N->lab->name);
        char err[ERRLEN];
        N->lab = lab_new(name, err);
        if (!N->lab)
                return nlua_raise(L, "%s", err);
        lua_newtable(L);
        lua_setfield(L, LUA_REGISTRYINDEX, "netlab.pending");
        push_ref(L, TAG_LAB, 0);
        lua_pushvalue(L, -1);
        N->lab_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        return 1;
}

static void add_routes(lua_State *L, struct lab *lab, int node, int idx)
{
        if (lua_isnil(L, idx))
                return;
        luaL_checktype(L, idx, LUA_TTABLE);
        char err[ERRLEN];
        lua_Integer n = luaL_len(L, idx);
        for (lua_Integer i = 1; i <= n; i++) {
                lua_geti(L, idx, i);
                if (!lua_istable(L, -1))
                        nlua_raise(L, "routes: each route is {\"DEST/PREFIX\" or \"default\", "
                                      "\"VIA\"}");
                lua_geti(L, -1, 1);
                lua_geti(L, -2, 2);
                const char *dst = tostr(L, -2), *via = tostr(L, -1);
                if (!dst || !via)
                        nlua_raise(L, "routes: each route is {\"DEST/PREFIX\" or \"default\", "
                                      "\"VIA\"}");
                raise_if(L, lab_node_add_route(lab, node, dst, via, err), err);
                lua_pop(L, 3);
        }
}

/* The lab's own directory for node: LAB.d/NODE beside the lab file
 * (Kathara's layout), absolute. */
static void lab_node_dir(lua_State *L, const char *node, char *buf, size_t len)
{
        struct nlua *N = nlua_from(L);
        char dir[PATH_MAX], abs[PATH_MAX];
        const char *slash = strrchr(N->path, '/');
        snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - N->path) : 1,
                 slash ? N->path : ".");
        if (slash == N->path)
                snprintf(dir, sizeof(dir), "/");
        if (!realpath(dir, abs))
                snprintf(abs, sizeof(abs), "%s", dir);
        const char *base = slash ? slash + 1 : N->path;
        size_t stem = strlen(base);
        if (stem > 4 && !strcmp(base + stem - 4, ".lua"))
                stem -= 4;
        int w = snprintf(buf, len, "%s/%.*s.d/%s", abs, (int)stem, base, node);
        if (w < 0 || (size_t)w >= len)
                nlua_raise(L, "dirs: the lab's directory path is too long");
}

/* gw = "10.0.0.1", or one per family: {"10.0.0.1", "2001:db8::1"}; a
 * link-local IPv6 gateway with its interface: "fe80::1%eth0". */
static void set_gws(lua_State *L, struct lab *lab, int node, int idx)
{
        char err[ERRLEN];
        if (lua_isstring(L, idx)) {
                raise_if(L, lab_node_set_gw(lab, node, tostr(L, idx), err), err);
                return;
        }
        int n = lua_istable(L, idx) ? (int)luaL_len(L, idx) : 0;
        if (n < 1 || n > 2)
                nlua_raise(L, "gw: expected an address, or one per family as "
                              "{\"10.0.0.1\", \"2001:db8::1\"}");
        const char *seen[2] = {NULL, NULL};
        for (int i = 1; i <= n; i++) {
                lua_geti(L, idx, i);
                const char *a = lua_type(L, -1) == LUA_TSTRING ? tostr(L, -1) : NULL;
                if (!a)
                        nlua_raise(L, "gw: entry %d is not an address string", i);
                int fam = strchr(a, ':') ? 1 : 0;
                if (seen[fam])
                        nlua_raise(L, "gw: two IPv%d gateways (%s, %s): one per family",
                                   fam ? 6 : 4, seen[fam], a);
                seen[fam] = a; /* kept alive by the table */
                raise_if(L, lab_node_set_gw(lab, node, a, err), err);
                lua_pop(L, 1);
        }
}

/* dirs = {"/run/frr", {"/etc/frr", from = "host" | "lab" | "/a/dir"}} */
static void add_dirs(lua_State *L, struct lab *lab, int node, int idx)
{
        if (lua_isnil(L, idx))
                return;
        static const char usage[] =
            "dirs: expected a list of directories: \"/run/x\" (an empty tmpfs) or "
            "{\"/etc/x\", from = \"host\"|\"lab\"|\"/a/dir\"} (a copy-on-write overlay)";
        static const char *const dir_keys[] = {"from", NULL};
        if (!lua_istable(L, idx))
                nlua_raise(L, "%s", usage);
        char err[ERRLEN];
        lua_Integer n = luaL_len(L, idx);
        for (lua_Integer i = 1; i <= n; i++) {
                lua_geti(L, idx, i);
                int e = lua_gettop(L);
                const char *path = NULL, *from = NULL;
                if (lua_type(L, e) == LUA_TSTRING) {
                        path = tostr(L, e);
                } else if (lua_istable(L, e)) {
                        lua_pushnil(L);
                        while (lua_next(L, e)) {
                                lua_pop(L, 1);
                                bool ok = lua_isinteger(L, -1) && lua_tointeger(L, -1) == 1;
                                ok |= lua_type(L, -1) == LUA_TSTRING &&
                                      !strcmp(lua_tostring(L, -1), dir_keys[0]);
                                if (!ok)
                                        nlua_raise(L, "%s", usage);
                        }
                        lua_geti(L, e, 1);
                        lua_getfield(L, e, "from");
                        path = tostr(L, -2);
                        from = lua_isnil(L, -1) ? NULL : tostr(L, -1);
                        if (!lua_isnil(L, -1) && !from)
                                nlua_raise(L, "%s", usage);
                }
                if (!path)
                        nlua_raise(L, "%s", usage);
                char src[PATH_MAX + 2 * NODE_NAME_MAX + 64];
                const char *s = NULL;
                bool over = false;
                if (!from) {
                        s = NULL;
                } else if (!strcmp(from, "host")) {
                        s = path;
                } else if (!strcmp(from, "lab")) {
                        char d[PATH_MAX];
                        lab_node_dir(L, lab->nodes[node].name, d, sizeof(d));
                        snprintf(src, sizeof(src), "%s%s", d, path);
                        s = src;
                        over = true;
                } else if (from[0] == '/') {
                        s = from;
                } else {
                        nlua_raise(L, "dirs: from = \"%s\": expected \"host\", \"lab\" or an "
                                      "absolute directory",
                                   from);
                }
                raise_if(L, lab_node_add_dir(lab, node, path, s, over, err), err);
                lua_settop(L, e - 1);
        }
}

/* lab:KIND(name, opts), one closure per node kind (kind.h) with the kind
 * as its upvalue; opts are the kind's lua_keys. */
/* nat = "eth1", or {out = "eth1", inbound = "drop" | "accept"} */
static void set_nat(lua_State *L, struct lab *lab, int node, int idx)
{
        static const char *const nat_keys[] = {"out", "inbound", NULL};
        char err[ERRLEN];
        bool drop = false;
        if (lua_istable(L, idx)) {
                opts_check(L, idx, "nat", nat_keys);
                if (lua_getfield(L, idx, "inbound") != LUA_TNIL) {
                        const char *v = lua_type(L, -1) == LUA_TSTRING ? tostr(L, -1) : "";
                        if (strcmp(v, "drop") && strcmp(v, "accept"))
                                nlua_raise(L, "nat: inbound is \"drop\" (only replies to what "
                                              "went out come in) or \"accept\", got %s",
                                           luaL_tolstring(L, -1, NULL));
                        drop = !strcmp(v, "drop");
                }
                lua_getfield(L, idx, "out");
                idx = lua_gettop(L);
        }
        const char *ifn = lua_type(L, idx) == LUA_TSTRING ? tostr(L, idx) : NULL;
        if (!ifn)
                nlua_raise(L, "nat: expected the name of the router's outgoing interface, "
                              "e.g. \"eth1\", or {out = \"eth1\", inbound = \"drop\"}");
        raise_if(L, lab_node_set_nat(lab, node, ifn, err), err);
        raise_if(L, lab_node_set_nat_inbound(lab, node, drop, err), err);
}

static const char *shown(lua_State *L, int idx, char *buf, size_t len);

/* stp = true (the kernel's 15 s forward delay, as real switches) or
 * {forward_delay = s} */
static void set_stp(lua_State *L, struct lab *lab, int node, int idx)
{
        static const char *const stp_keys[] = {"forward_delay", NULL};
        char err[ERRLEN], v[64];
        int fd = 15;
        if (lua_istable(L, idx)) {
                opts_check(L, idx, "stp", stp_keys);
                if (lua_getfield(L, idx, "forward_delay") != LUA_TNIL) {
                        if (!lua_isinteger(L, -1))
                                nlua_raise(L, "stp: forward_delay: expected whole seconds "
                                              "(2..30), got %s",
                                           shown(L, -1, v, sizeof(v)));
                        lua_Integer s = lua_tointeger(L, -1);
                        if (s < 2 || s > 30)
                                nlua_raise(L, "stp: forward_delay %lld is outside 2..30 seconds "
                                              "(the kernel's range)",
                                           (long long)s);
                        fd = (int)s;
                }
                lua_pop(L, 1);
        } else if (lua_isboolean(L, idx)) {
                fd = lua_toboolean(L, idx) ? 15 : 0;
        } else {
                nlua_raise(L, "stp: expected true, false or {forward_delay = s}, got %s",
                           shown(L, idx, v, sizeof(v)));
        }
        raise_if(L, lab_node_set_stp(lab, node, fd, err), err);
}

static int l_lab_add_node(lua_State *L)
{
        const struct node_kind *kind = lua_touserdata(L, lua_upvalueindex(1));
        struct lab *lab = the_lab(L);
        ud_check(L, 1, TAG_LAB);
        const char *name = checkstr(L, 2);
        char what[64], w[96], err[ERRLEN];
        snprintf(what, sizeof(what), "lab:%s", kind->name);
        opts_check(L, 3, what, kind->lua_keys);
        where(L, w, sizeof(w));
        if (lab->state == LAB_UP) {
                /* A running lab: the node is made at once (live.h). */
                static const char *const live_keys[] = {"ip", NULL};
                snprintf(what, sizeof(what), "lab:%s on a running lab", kind->name);
                opts_check(L, 3, what, live_keys);
                int idx = live_add_node(lab, kind->name, name, w, err);
                raise_if(L, idx, err);
                if (opt_field(L, 3, "ip") != LUA_TNIL)
                        pending_set(L, idx, lua_gettop(L));
                lua_pop(L, 1);
                push_node(L, idx);
                return 1;
        }
        int idx = lab_add_node(lab, name, kind, w, err);
        raise_if(L, idx, err);
        if (kind->flags & KIND_BRIDGE)
                nlua_switch_opts(L, lab, idx, 3); /* class, fail_mode (ovs_api.c) */
        if (opt_field(L, 3, "ip") != LUA_TNIL)
                pending_set(L, idx, lua_gettop(L));
        lua_pop(L, 1);
        if (opt_field(L, 3, "gw") != LUA_TNIL)
                set_gws(L, lab, idx, lua_gettop(L));
        lua_pop(L, 1);
        if (opt_field(L, 3, "ipv6") != LUA_TNIL)
                raise_if(L, lab_node_set_ipv6(lab, idx, lua_toboolean(L, -1), err), err);
        lua_pop(L, 1);
        opt_field(L, 3, "routes");
        add_routes(L, lab, idx, lua_gettop(L));
        lua_pop(L, 1);
        opt_field(L, 3, "dirs");
        add_dirs(L, lab, idx, lua_gettop(L));
        lua_pop(L, 1);
        if (opt_field(L, 3, "nat") != LUA_TNIL)
                set_nat(L, lab, idx, lua_gettop(L));
        lua_pop(L, 1);
        if (opt_field(L, 3, "stp") != LUA_TNIL)
                set_stp(L, lab, idx, lua_gettop(L));
        lua_pop(L, 1);
        push_node(L, idx);
        return 1;
}

#define RATE_MIN 1e3      /* bit/s: below this, tbf cannot pace */
#define RATE_MAX 1e11     /* 100 Gbit/s */
#define DELAY_MAX_US 60e6 /* a minute: netem's queue would hold everything */

/* A number, or a number followed by one of units' suffixes (as "5ms"):
 * its value times the unit's multiplier; false when it is neither, or not
 * finite. */
struct unit {
        const char *suffix;
        double mul;
};
static bool parse_with_unit(lua_State *L, int idx, const struct unit *units, double number_mul,
                            double *out)
{
        double v, mul = 0;
        if (lua_type(L, idx) == LUA_TNUMBER) {
                v = lua_tonumber(L, idx);
                mul = number_mul;
        } else {
                const char *s = tostr(L, idx), *end = s;
                v = s ? strtod(s, (char **)&end) : 0;
                if (s && end != s && *end == ' ') /* "10 mbit", as tc reads two words */
                        end++;
                for (int i = 0; s && end != s && units[i].suffix; i++)
                        if (!strcasecmp(end, units[i].suffix)) /* "10Mbit" as tc's "10mbit" */
                                mul = units[i].mul;
        }
        *out = v * mul;
        return mul != 0 && isfinite(v) && isfinite(*out);
}

/* The value at idx as the lab wrote it, for messages. */
static const char *shown(lua_State *L, int idx, char *buf, size_t len)
{
        if (lua_type(L, idx) == LUA_TNUMBER && isnan(lua_tonumber(L, idx)))
                snprintf(buf, len, "nan"); /* not glibc's "-nan" for 0/0 */
        else if (lua_type(L, idx) == LUA_TNUMBER)
                snprintf(buf, len, "%g", lua_tonumber(L, idx));
        else if (lua_type(L, idx) == LUA_TSTRING)
                snprintf(buf, len, "\"%s\"", lua_tostring(L, idx));
        else
                snprintf(buf, len, "a %s", luaL_typename(L, idx));
        return buf;
}

/* tc's rate units (tc(8) "RATES"): bit/s in decimal and binary multiples,
 * and bps... as tc means it, BYTES per second ("10Mbps" is 80 Mbit/s);
 * any case, a space before the unit allowed. A number means Mbit/s (as
 * Mininet's bw). */
static const struct unit rate_units[] = {
    {"bit", 1},     {"kbit", 1e3},     {"mbit", 1e6},        {"gbit", 1e9},
    {"tbit", 1e12}, {"kibit", 1024.0}, {"mibit", 1048576.0}, {"gibit", 1073741824.0},
    {"bps", 8},     {"kbps", 8e3},     {"mbps", 8e6},        {"gbps", 8e9},
    {"tbps", 8e12}, {"kibps", 8192.0}, {"mibps", 8388608.0}, {"gibps", 8589934592.0},
    {NULL, 0}};

static uint64_t parse_rate(lua_State *L, int idx)
{
        double bps;
        char v[64];
        if (!parse_with_unit(L, idx, rate_units, 1e6, &bps) || !(bps > 0))
                nlua_raise(L,
                           "bw: invalid rate %s (expected a rate > 0: a number of Mbit/s, or "
                           "a number and one of tc's units: bit, kbit, mbit, gbit, tbit, "
                           "kibit, mibit, gibit (bits/s); bps, kbps, mbps, gbps, tbps, "
                           "kibps, mibps, gibps (BYTES/s); any case, e.g. \"10Mbit\", "
                           "\"10 mbit\")",
                           shown(L, idx, v, sizeof(v)));
        if (bps < RATE_MIN || bps > RATE_MAX)
                nlua_raise(L, "bw: rate %s is out of range (1kbit to 100gbit)",
                           shown(L, idx, v, sizeof(v)));
        return (uint64_t)bps;
}

/* "5ms", "100us", "1s"; a number means milliseconds. Returns microseconds. */
static uint32_t parse_time(lua_State *L, int idx, const char *what)
{
        static const struct unit units[] = {{"us", 1}, {"ms", 1e3}, {"s", 1e6}, {NULL, 0}};
        double us;
        char v[64];
        if (!parse_with_unit(L, idx, units, 1e3, &us) || !(us >= 0))
                nlua_raise(L,
                           "%s: invalid time %s (expected a time >= 0 like \"5ms\", "
                           "\"100us\", \"1s\", or a number of milliseconds)",
                           what, shown(L, idx, v, sizeof(v)));
        if (us > DELAY_MAX_US)
                nlua_raise(L, "%s: time %s is out of range (0 to 60s)", what,
                           shown(L, idx, v, sizeof(v)));
        return (uint32_t)us;
}

static uint16_t check_vid(lua_State *L, int idx, const char *what)
{
        if (!lua_isinteger(L, idx))
                nlua_raise(L, "%s: expected a VLAN id (1..4094), got %s", what,
                           luaL_typename(L, idx));
        lua_Integer v = lua_tointeger(L, idx);
        if (v < 1 || v > 4094)
                nlua_raise(L, "%s: VLAN id %d is outside 1..4094", what, (int)v);
        return (uint16_t)v;
}

static const char *const vlan_entry_keys[] = {"vid", "pvid", "untagged", NULL};

/* A list of VLAN entries (a VID: tagged; {vid, pvid, untagged}) at t, applied to port. */
static void apply_vlan_list(lua_State *L, struct lab *lab, int port, int t)
{
        char err[ERRLEN];
        lua_Integer n = luaL_len(L, t);
        for (lua_Integer i = 1; i <= n; i++) {
                lua_geti(L, t, i);
                int e = lua_gettop(L);
                if (lua_isinteger(L, e)) {
                        uint16_t vid = check_vid(L, e, "vlans");
                        raise_if(L, lab_port_add_vlan(lab, port, vid, false, false, err), err);
                } else {
                        if (!lua_istable(L, e))
                                nlua_raise(L, "vlans: entry %d: expected a VID or {vid=N, "
                                              "pvid=bool, untagged=bool}, got %s",
                                           (int)i, luaL_typename(L, e));
                        opts_check(L, e, "vlans entry", vlan_entry_keys);
                        lua_getfield(L, e, "vid");
                        uint16_t vid = check_vid(L, -1, "vlans");
                        lua_getfield(L, e, "pvid");
                        lua_getfield(L, e, "untagged");
                        raise_if(L,
                                 lab_port_add_vlan(lab, port, vid, lua_toboolean(L, -2),
                                                   lua_toboolean(L, -1), err),
                                 err);
                        lua_pop(L, 3);
                }
                lua_pop(L, 1);
        }
}

/* vlans = {A_END, B_END}, as ip = {A, B}: each end false, a list of
 * entries, or a table of port options {vlan, trunk, native, vlans}. A list
 * of entries has VIDs or tables with a vid; an end has neither. */
static bool vlans_per_end(lua_State *L, int t)
{
        if (!lua_istable(L, t))
                return false;
        lua_Integer n = luaL_len(L, t);
        int ends = 0, entries = 0;
        for (lua_Integer i = 1; i <= n; i++) {
                int ty = lua_geti(L, t, i);
                if (ty == LUA_TBOOLEAN && !lua_toboolean(L, -1))
                        ends++;
                else if (ty == LUA_TTABLE) {
                        if (lua_getfield(L, -1, "vid") == LUA_TNIL)
                                ends++;
                        else
                                entries++;
                        lua_pop(L, 1);
                } else
                        entries++;
                lua_pop(L, 1);
        }
        if (ends && (entries || n > 2))
                nlua_raise(L, "vlans: expected a list of VLAN entries (a VID or {vid=N, pvid=bool, "
                              "untagged=bool}), or one set per end {A_END, B_END} (each false, "
                              "a list of entries, or {vlan=, trunk=, native=, vlans=})");
        return ends > 0;
}

static const char *const vlan_end_keys[] = {"vlan", "trunk", "native", "vlans", NULL};

/* vlan / trunk / native / vlans options (in the table at opts) applied to
 * the switch port; per_end: vlans is {A_END, B_END}, applied by the caller. */
static void apply_vlan_opts(lua_State *L, struct lab *lab, int port, int opts, bool per_end)
{
        char err[ERRLEN];
        if (opt_field(L, opts, "vlan") != LUA_TNIL) {
                uint16_t vid = check_vid(L, -1, "vlan");
                raise_if(L, lab_port_add_vlan(lab, port, vid, true, true, err), err);
        }
        lua_pop(L, 1);
        if (opt_field(L, opts, "trunk") != LUA_TNIL) {
                if (!lua_istable(L, -1))
                        nlua_raise(L, "trunk: expected a list of VLAN ids, e.g. {10, 20}");
                lua_Integer n = luaL_len(L, -1);
                for (lua_Integer i = 1; i <= n; i++) {
                        lua_geti(L, -1, i);
                        uint16_t vid = check_vid(L, -1, "trunk");
                        raise_if(L, lab_port_add_vlan(lab, port, vid, false, false, err), err);
                        lua_pop(L, 1);
                }
        }
        lua_pop(L, 1);
        if (opt_field(L, opts, "native") != LUA_TNIL) { /* the trunk's untagged VLAN */
                uint16_t vid = check_vid(L, -1, "native");
                raise_if(L, lab_port_add_vlan(lab, port, vid, true, true, err), err);
        }
        lua_pop(L, 1);
        if (!per_end && opt_field(L, opts, "vlans") != LUA_TNIL) {
                if (!lua_istable(L, -1))
                        nlua_raise(L, "vlans: expected a list of {vid=N, pvid=bool, "
                                      "untagged=bool}, or one per end {A_END, B_END}");
                apply_vlan_list(L, lab, port, lua_gettop(L));
        }
        if (!per_end)
                lua_pop(L, 1);
}

/* One end of vlans = {A_END, B_END} (at idx) on port. */
static void apply_vlan_end(lua_State *L, struct lab *lab, int port, int idx, const char *end)
{
        if (lua_isboolean(L, idx))
                return; /* false: nothing on this end */
        int node = lab->ifaces[port].node;
        if (!lab_node_has(lab, node, KIND_BRIDGE))
                nlua_raise(L, "vlans: end %s (\"%s\") is not a switch: give false for it", end,
                           lab->nodes[node].name);
        bool opts = false;
        for (int i = 0; vlan_end_keys[i]; i++) {
                opts |= lua_getfield(L, idx, vlan_end_keys[i]) != LUA_TNIL;
                lua_pop(L, 1);
        }
        char what[32];
        snprintf(what, sizeof(what), "vlans end %s", end);
        if (!opts) {
                lua_pushnil(L);
                while (lua_next(L, idx)) {
                        lua_pop(L, 1);
                        if (!lua_isinteger(L, -1)) /* a misspelt option */
                                nlua_raise(L,
                                           "%s: unknown option '%s' (expected one of: vlan, "
                                           "trunk, native, vlans)",
                                           what, luaL_tolstring(L, -1, NULL));
                }
                apply_vlan_list(L, lab, port, idx);
                return;
        }
        opts_check(L, idx, what, vlan_end_keys);
        apply_vlan_opts(L, lab, port, idx, false);
}

static const char *const link_keys[] = {
    "ip",      "mtu",    "bw",  "delay", "jitter", "loss",         "duplicate", "corrupt",
    "reorder", "gap",    "queue", "distribution", "ifname", "vlan", "trunk",  "native",
    "vlans",   "up",     "correlation", "from", NULL};

/* A percentage option (loss, duplicate, ...) as parts per million. */
static uint32_t parse_percent(lua_State *L, int idx, const char *what)
{
        char v[64];
        double x = lua_tonumber(L, idx);
        if (lua_type(L, idx) != LUA_TNUMBER || !(x >= 0 && x <= 100))
                nlua_raise(L, "%s: expected a percentage from 0 to 100, got %s", what,
                           shown(L, idx, v, sizeof(v)));
        return (uint32_t)(x * 10000 + 0.5);
}

static uint32_t parse_count(lua_State *L, int idx, const char *what, lua_Integer max)
{
        char v[64];
        if (!lua_isinteger(L, idx) || lua_tointeger(L, idx) < 1 || lua_tointeger(L, idx) > max)
                nlua_raise(L, "%s: expected an integer from 1 to %lld, got %s", what,
                           (long long)max, shown(L, idx, v, sizeof(v)));
        return (uint32_t)lua_tointeger(L, idx);
}

/* loss = 2 (percent, each frame on its own), or Gilbert-Elliott as netem's
 * gemodel: loss = {p = 5, r = 50, h = 0, k = 100}, percentages: p the chance
 * to go from the good state to the bad one at a frame, r back, h and k the
 * chance a frame gets through in the bad and the good state (defaults r =
 * 100, h = 0, k = 100, as tc's `loss gemodel P`). */
static void parse_loss(lua_State *L, int idx, struct link_params *p)
{
        static const char *const ge_keys[] = {"p", "r", "h", "k", NULL};
        char v[64];
        if (lua_type(L, idx) == LUA_TNUMBER) {
                p->loss_ppm = parse_percent(L, idx, "loss");
                return;
        }
        if (!lua_istable(L, idx))
                nlua_raise(L, "loss: expected a percentage, or {p = P, r = R, h = H, k = K} "
                              "(Gilbert-Elliott), got %s",
                           shown(L, idx, v, sizeof(v)));
        opts_check(L, idx, "loss", ge_keys);
        uint32_t *dst[4] = {&p->ge_p, &p->ge_r, &p->ge_h, &p->ge_k};
        const double dflt[4] = {-1, 100, 0, 100};
        for (int i = 0; i < 4; i++) {
                lua_getfield(L, idx, ge_keys[i]);
                if (!lua_isnil(L, -1)) {
                        char what[16];
                        snprintf(what, sizeof(what), "loss.%s", ge_keys[i]);
                        *dst[i] = parse_percent(L, -1, what);
                } else if (dflt[i] < 0) {
                        nlua_raise(L, "loss: Gilbert-Elliott needs p (the chance, in percent, "
                                      "to go from the good state to the bad one)");
                } else {
                        *dst[i] = (uint32_t)(dflt[i] * 10000);
                }
                lua_pop(L, 1);
        }
        p->ge = true;
}

/* correlation = 25 (percent: every draw of delay, loss, duplicate, corrupt
 * and reorder leans that much on the previous one, netem's get_crandom), or
 * per knob: correlation = {delay = 25, loss = 50}. */
static void parse_correlation(lua_State *L, int idx, struct link_params *p)
{
        const char *keys[LINK_NCORR + 1] = {NULL};
        for (int i = 0; i < LINK_NCORR; i++)
                keys[i] = link_corrs[i].name;
        char v[64];
        if (lua_type(L, idx) == LUA_TNUMBER) {
                uint32_t ppm = parse_percent(L, idx, "correlation");
                for (int i = 0; i < LINK_NCORR; i++)
                        *link_corr_at(p, i) = ppm;
                return;
        }
        if (!lua_istable(L, idx))
                nlua_raise(L, "correlation: expected a percentage, or {delay = P, loss = P, "
                              "duplicate = P, corrupt = P, reorder = P}, got %s",
                           shown(L, idx, v, sizeof(v)));
        opts_check(L, idx, "correlation", keys);
        for (int i = 0; i < LINK_NCORR; i++) {
                lua_getfield(L, idx, keys[i]);
                if (!lua_isnil(L, -1)) {
                        char what[24];
                        snprintf(what, sizeof(what), "correlation.%s", keys[i]);
                        *link_corr_at(p, i) = parse_percent(L, -1, what);
                }
                lua_pop(L, 1);
        }
}

/* netem's knobs beyond delay, jitter and loss (the same on the kernel's
 * netem and the datapath's wires). */
static void link_netem_opts(lua_State *L, int opts, struct link_params *p)
{
        char v[64];
        if (opt_field(L, opts, "duplicate") != LUA_TNIL)
                p->dup_ppm = parse_percent(L, -1, "duplicate");
        if (opt_field(L, opts, "corrupt") != LUA_TNIL)
                p->corrupt_ppm = parse_percent(L, -1, "corrupt");
        if (opt_field(L, opts, "reorder") != LUA_TNIL)
                p->reorder_ppm = parse_percent(L, -1, "reorder");
        if (opt_field(L, opts, "gap") != LUA_TNIL)
                p->gap = parse_count(L, -1, "gap", 1000000);
        if (opt_field(L, opts, "queue") != LUA_TNIL)
                p->limit = parse_count(L, -1, "queue", 1000000);
        if (opt_field(L, opts, "distribution") != LUA_TNIL) {
                int d = lua_type(L, -1) == LUA_TSTRING ? dist_parse(lua_tostring(L, -1)) : -1;
                if (d < 0)
                        nlua_raise(L, "distribution: expected \"uniform\", \"normal\", "
                                      "\"pareto\" or \"paretonormal\", got %s",
                                   shown(L, -1, v, sizeof(v)));
                p->dist = (uint8_t)d;
        }
        lua_pop(L, 6);
        if (opt_field(L, opts, "correlation") != LUA_TNIL)
                parse_correlation(L, lua_gettop(L), p);
        lua_pop(L, 1);
        char e[ERRLEN];
        if (link_params_check(p, e) < 0)
                nlua_raise(L, "%s", e);
}

/* One direction's parameters: from = {NODE = {delay = ..., ...}}'s value. */
static void parse_dir_params(lua_State *L, int idx, struct link_params *p)
{
        static const char *const keys[] = {"bw",      "delay", "jitter", "loss",
                                           "duplicate", "corrupt", "reorder", "gap",
                                           "queue",   "distribution", "correlation", NULL};
        opts_check(L, idx, "from", keys);
        if (opt_field(L, idx, "bw") != LUA_TNIL)
                p->rate_bps = parse_rate(L, -1);
        if (opt_field(L, idx, "delay") != LUA_TNIL)
                p->delay_us = parse_time(L, -1, "delay");
        if (opt_field(L, idx, "jitter") != LUA_TNIL)
                p->jitter_us = parse_time(L, -1, "jitter");
        if (opt_field(L, idx, "loss") != LUA_TNIL)
                parse_loss(L, lua_gettop(L), p);
        lua_pop(L, 4);
        link_netem_opts(L, idx, p);
}

/* from = {h2 = {delay = "50ms"}} (a node or its name as the key): the frames
 * leaving that end get these parameters instead of the link's (base).
 * *pa, *pb: what leaves end a and end b. False when there is no from. */
static bool parse_from(lua_State *L, const struct lab *lab, int opts, int na, int nb,
                       const struct link_params *base, struct link_params *pa,
                       struct link_params *pb)
{
        *pa = *base;
        *pb = *base;
        if (opt_field(L, opts, "from") == LUA_TNIL) {
                lua_pop(L, 1);
                return false;
        }
        if (!lua_istable(L, -1))
                nlua_raise(L, "from: expected {NODE = {delay = ..., loss = ...}}, one entry per "
                              "end of the link whose outgoing frames differ");
        int t = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, t)) {
                char kind = 0;
                int node = lua_type(L, -2) == LUA_TSTRING ? lab_find_node(lab, lua_tostring(L, -2))
                                                          : nlua_ref_of(L, -2, &kind);
                if (lua_type(L, -2) != LUA_TSTRING && kind != 'n')
                        node = -1;
                if (node < 0 || (node != na && node != nb))
                        nlua_raise(L, "from: %s%s%s is not an end of this link (%s, %s)",
                                   lua_type(L, -2) == LUA_TSTRING ? "'" : "",
                                   lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2)
                                   : node >= 0                    ? lab->nodes[node].name
                                                                  : luaL_typename(L, -2),
                                   lua_type(L, -2) == LUA_TSTRING ? "'" : "",
                                   lab->nodes[na].name, lab->nodes[nb].name);
                if (!lua_istable(L, -1))
                        nlua_raise(L, "from.%s: expected a table of parameters", lab->nodes[node].name);
                struct link_params x = {0};
                x.mtu = base->mtu;
                parse_dir_params(L, lua_gettop(L), &x);
                *(node == na ? pa : pb) = x;
                lua_pop(L, 1);
        }
        lua_pop(L, 1);
        return true;
}

static bool first_link_iface(const struct lab *lab, int node, int iface)
{
        const struct node *n = &lab->nodes[node];
        for (int i = 0; i < n->nifaces; i++)
                if (lab->ifaces[n->ifaces[i]].link >= 0)
                        return n->ifaces[i] == iface;
        return false;
}

/* Adds CIDR (or each of a list) to a running lab's interface; a refused
 * address takes back the link just made (rollback: -1 none), so a refused
 * edit leaves the lab as it was. */
static void live_addrs(lua_State *L, struct lab *lab, int iface, int idx, int rollback)
{
        char err[ERRLEN], e[ERRLEN];
        const struct iface *f = &lab->ifaces[iface];
        int node = f->node;
        char ifname[IFNAME_MAX + 1];
        snprintf(ifname, sizeof(ifname), "%s", f->name);
        int n = lua_isstring(L, idx) ? 1 : lua_istable(L, idx) ? (int)luaL_len(L, idx) : -1;
        for (int i = 1; i <= n; i++) {
                if (!lua_isstring(L, idx))
                        lua_geti(L, idx, i);
                else
                        lua_pushvalue(L, idx);
                const char *s = tostr(L, -1);
                int rc = s ? live_add_addr(lab, node, ifname, s, err) : -1;
                if (!s)
                        snprintf(err, sizeof(err), "ip: expected \"ADDRESS/PREFIX\", got %s",
                                 luaL_typename(L, -1));
                if (rc < 0) {
                        if (rollback >= 0 && live_del_link(lab, rollback, e) == 0)
                                nlua_raise(L, "%s (link not added)", err);
                        nlua_raise(L, "%s", err);
                }
                lua_pop(L, 1);
        }
        if (n < 0) {
                if (rollback >= 0)
                        live_del_link(lab, rollback, e);
                nlua_raise(L, "ip: expected \"ADDRESS/PREFIX\" or a list of them, got %s",
                           luaL_typename(L, idx));
        }
}

/* lab:link on a running lab: made at once (live.h), with its addresses
 * (and those a node added at run time waits with). */
static int live_link(lua_State *L, struct lab *lab, int a, int b, const struct link_params *p,
                     const struct link_params *pa, const struct link_params *pb, const char *w)
{
        static const char *const live_keys[] = {
            "ip",      "mtu", "bw",    "delay",        "jitter", "loss", "duplicate", "corrupt",
            "reorder", "gap", "queue", "distribution", "vlan",   "trunk", "vlans",
            "correlation", "from", NULL};
        opts_check(L, 4, "lab:link on a running lab", live_keys);
        char err[ERRLEN];
        int li = live_add_link(lab, a, b, p, w, err);
        raise_if(L, li, err);
        if (pa && live_set_params_dir(lab, li, pa, pb, err) < 0) {
                char e[ERRLEN];
                live_del_link(lab, li, e);
                nlua_raise(L, "%s (link not added)", err);
        }
        int ends[2] = {lab->links[li].a, lab->links[li].b};
        lua_getfield(L, LUA_REGISTRYINDEX, "netlab.pending");
        int pend = lua_gettop(L);
        for (int k = 0; k < 2; k++) {
                int node = lab->ifaces[ends[k]].node;
                if (lua_rawgeti(L, pend, node + 1) != LUA_TNIL) {
                        live_addrs(L, lab, ends[k], lua_gettop(L), li);
                        lua_pushnil(L);
                        lua_rawseti(L, pend, node + 1);
                }
                lua_pop(L, 1);
        }
        bool want_vlan = false;
        const char *vk[] = {"vlan", "trunk", "vlans"};
        for (int i = 0; i < 3; i++) {
                want_vlan |= opt_field(L, 4, vk[i]) != LUA_TNIL;
                lua_pop(L, 1);
        }
        if (want_vlan && nlua_link_set_vlans(L, li, 4, err) < 0) {
                char e[ERRLEN];
                live_del_link(lab, li, e);
                nlua_raise(L, "%s (link not added)", err);
        }
        if (opt_field(L, 4, "ip") != LUA_TNIL) {
                if (!lua_istable(L, -1)) {
                        live_del_link(lab, li, err);
                        nlua_raise(L, "ip: expected {\"address on a\", \"address on b\"} (link "
                                      "not added)");
                }
                int t = lua_gettop(L);
                for (int k = 0; k < 2; k++) {
                        lua_geti(L, t, k + 1);
                        if (lua_toboolean(L, -1))
                                live_addrs(L, lab, ends[k], lua_gettop(L), li);
                        lua_pop(L, 1);
                }
        }
        lua_settop(L, pend - 1);
        push_ref(L, TAG_LINK, li);
        return 1;
}

/* link:set{bw, delay, jitter, loss, duplicate, corrupt, reorder, gap, queue,
 * distribution} on a running lab: the new parameters
 * replace the old ones (what is not given is none). */
static int l_link_set_params(lua_State *L)
{
        struct lab *lab = the_lab(L);
        int li = check_link(L, 1);
        static const char *const set_keys[] = {
            "bw",      "delay", "jitter", "loss",  "duplicate", "corrupt",
            "reorder", "gap",   "queue",  "distribution", "correlation", "from", NULL};
        luaL_checktype(L, 2, LUA_TTABLE);
        opts_check(L, 2, "link:set", set_keys);
        struct link_params p = {0};
        char err[ERRLEN];
        if (opt_field(L, 2, "bw") != LUA_TNIL)
                p.rate_bps = parse_rate(L, -1);
        if (opt_field(L, 2, "delay") != LUA_TNIL)
                p.delay_us = parse_time(L, -1, "delay");
        if (opt_field(L, 2, "jitter") != LUA_TNIL)
                p.jitter_us = parse_time(L, -1, "jitter");
        if (opt_field(L, 2, "loss") != LUA_TNIL)
                parse_loss(L, lua_gettop(L), &p);
        lua_pop(L, 4);
        link_netem_opts(L, 2, &p);
        struct link_params pa, pb;
        const struct link *l = &lab->links[li];
        if (parse_from(L, lab, 2, lab->ifaces[l->a].node, lab->ifaces[l->b].node, &p, &pa, &pb))
                raise_if(L, live_set_params_dir(lab, li, &pa, &pb, err), err);
        else
                raise_if(L, live_set_params(lab, li, &p, err), err);
        lua_settop(L, 1);
        return 1;
}

/* link:clear(): no rate, delay, jitter or loss left on a running link. */
static int l_link_clear(lua_State *L)
{
        struct lab *lab = the_lab(L);
        int li = check_link(L, 1);
        struct link_params p = {0};
        char err[ERRLEN];
        raise_if(L, live_set_params(lab, li, &p, err), err);
        lua_settop(L, 1);
        return 1;
}

/* lab:uplink(node, {host_if = "enp1s0", mode = "macvlan"|"bridge", ip = CIDR}) */
static int l_lab_uplink(lua_State *L)
{
        static const char *const keys[] = {"host_if", "mode", "ip", NULL};
        struct lab *lab = the_lab(L);
        ud_check(L, 1, TAG_LAB);
        int n = check_node(L, 2);
        opts_check(L, 3, "lab:uplink", keys);
        if (lab->state != LAB_DEFINED)
                nlua_raise(L, "lab:uplink: declare uplinks before the lab is built");
        const char *v[3] = {NULL, NULL, NULL};
        for (int i = 0; i < 3; i++) {
                if (opt_field(L, 3, keys[i]) != LUA_TNIL) {
                        if (lua_type(L, -1) != LUA_TSTRING)
                                nlua_raise(L, "lab:uplink: %s: expected a string, got %s",
                                           keys[i], luaL_typename(L, -1));
                        v[i] = tostr(L, -1);
                }
        }
        char w[96], err[ERRLEN];
        where(L, w, sizeof(w));
        raise_if(L, lab_add_uplink(lab, n, v[0], v[1], v[2], w, err), err);
        return 0;
}

static int l_lab_link(lua_State *L)
{
        struct lab *lab = the_lab(L);
        ud_check(L, 1, TAG_LAB);
        int a = check_node(L, 2), b = check_node(L, 3);
        opts_check(L, 4, "lab:link", link_keys);
        struct link_params p = {0};
        const char *names[2] = {NULL, NULL};
        char v[64];
        if (opt_field(L, 4, "mtu") != LUA_TNIL) {
                if (!lua_isinteger(L, -1))
                        nlua_raise(L, "mtu: expected an integer (68..65535), got %s",
                                   shown(L, -1, v, sizeof(v)));
                lua_Integer m = lua_tointeger(L, -1);
                if (m < 68 || m > 65535)
                        nlua_raise(L, "mtu: %lld is out of range (68..65535)", (long long)m);
                p.mtu = (int)m;
        }
        if (opt_field(L, 4, "bw") != LUA_TNIL)
                p.rate_bps = parse_rate(L, -1);
        if (opt_field(L, 4, "delay") != LUA_TNIL)
                p.delay_us = parse_time(L, -1, "delay");
        if (opt_field(L, 4, "jitter") != LUA_TNIL)
                p.jitter_us = parse_time(L, -1, "jitter");
        if (opt_field(L, 4, "loss") != LUA_TNIL)
                parse_loss(L, lua_gettop(L), &p);
        lua_pop(L, 5);
        link_netem_opts(L, 4, &p);
        if (opt_field(L, 4, "ifname") != LUA_TNIL) {
                if (!lua_istable(L, -1))
                        nlua_raise(L, "ifname: expected {\"name on a\", \"name on b\"}");
                lua_geti(L, -1, 1);
                lua_geti(L, -2, 2);
                names[0] = tostr(L, -2);
                names[1] = tostr(L, -1);
        }
        char w[96], err[ERRLEN];
        where(L, w, sizeof(w));
        struct link_params pa, pb;
        bool dir = parse_from(L, lab, 4, a, b, &p, &pa, &pb);
        if (lab->state == LAB_UP)
                return live_link(L, lab, a, b, &p, dir ? &pa : NULL, &pb, w);
        int li = lab_add_link(lab, a, b, &p, names[0], names[1], w, err);
        raise_if(L, li, err);
        struct link *l = &lab->links[li];
        if (dir) {
                l->p = pa;
                l->pb = pb;
                l->has_pb = true;
        }
        if (opt_field(L, 4, "up") != LUA_TNIL)
                raise_if(L, lab_link_set_initial_up(lab, li, lua_toboolean(L, -1), err), err);
        lua_pop(L, 1);
        int ends[2] = {l->a, l->b};
        for (int k = 0; k < 2; k++)
                if (first_link_iface(lab, lab->ifaces[ends[k]].node, ends[k]))
                        pending_apply(L, lab, lab->ifaces[ends[k]].node, ends[k]);
        if (opt_field(L, 4, "ip") != LUA_TNIL) {
                if (!lua_istable(L, -1))
                        nlua_raise(L, "ip: expected {\"address on a\", \"address on b\"} (either "
                                      "may be false)");
                int t = lua_gettop(L);
                for (int k = 0; k < 2; k++) {
                        lua_geti(L, t, k + 1);
                        if (lua_toboolean(L, -1))
                                add_addrs(L, lab, ends[k], lua_gettop(L), NULL);
                        lua_pop(L, 1);
                }
        }
        lua_pop(L, 1);
        bool want_vlan = false;
        for (int i = 0; vlan_end_keys[i]; i++) {
                want_vlan |= opt_field(L, 4, vlan_end_keys[i]) != LUA_TNIL;
                lua_pop(L, 1);
        }
        if (want_vlan) {
                opt_field(L, 4, "vlans");
                int vt = lua_gettop(L);
                bool per_end = vlans_per_end(L, vt);
                bool any = false;
                for (int k = 0; k < 2; k++)
                        if (lab_node_has(lab, lab->ifaces[ends[k]].node, KIND_BRIDGE)) {
                                apply_vlan_opts(L, lab, ends[k], 4, per_end);
                                any = true;
                        }
                if (!any)
                        nlua_raise(L,
                                   "vlan/trunk/native/vlans set on a link between '%s' and '%s', "
                                   "but neither is a switch",
                                   lab->nodes[a].name, lab->nodes[b].name);
                for (int k = 0; per_end && k < 2; k++) {
                        lua_geti(L, vt, k + 1);
                        if (!lua_isnil(L, -1))
                                apply_vlan_end(L, lab, ends[k], lua_gettop(L), k ? "b" : "a");
                        lua_pop(L, 1);
                }
                lua_pop(L, 1);
        }
        push_ref(L, TAG_LINK, li);
        return 1;
}

static int l_lab_node(lua_State *L)
{
        ud_check(L, 1, TAG_LAB);
        checkstr(L, 2);
        push_node(L, check_node(L, 2));
        return 1;
}

/* lab:nodes([kind]) */
static int l_lab_nodes(lua_State *L)
{
        ud_check(L, 1, TAG_LAB);
        struct lab *lab = the_lab(L);
        const char *kind = luaL_optstring(L, 2, NULL);
        lua_newtable(L);
        int k = 0;
        for (int i = 0; i < lab->nnodes; i++) {
                if (!lab_node_live(lab, i) || (kind && strcmp(kind, lab->nodes[i].kind->name) != 0))
                        continue;
                push_node(L, i);
                lua_rawseti(L, -2, ++k);
        }
        return 1;
}

static int l_lab_links(lua_State *L)
{
        ud_check(L, 1, TAG_LAB);
        struct lab *lab = the_lab(L);
        lua_newtable(L);
        for (int i = 0, k = 0; i < lab->nlinks; i++) {
                if (!lab_link_live(lab, i))
                        continue;
                push_ref(L, TAG_LINK, i);
                lua_rawseti(L, -2, ++k);
        }
        return 1;
}

static int l_lab_build(lua_State *L)
{
        ud_check(L, 1, TAG_LAB);
        ensure_built(L);
        lua_settop(L, 1);
        return 1;
}

/* lab:reset(): the running lab back to what its file says (lab_reset). */
static int l_lab_reset(lua_State *L)
{
        struct lab *lab = the_lab(L);
        char err[ERRLEN];
        if (lab->state != LAB_UP)
                return nlua_raise(L, "lab:reset(): lab \"%s\" is not running", lab->name);
        if (lab_reset(lab, err) < 0) {
                return nlua_fail(L, err);
        }
        lua_pushboolean(L, 1);
        return 1;
}

static int l_lab_index(lua_State *L)
{
        ud_check(L, 1, TAG_LAB);
        struct lab *lab = the_lab(L);
        const char *k = checkstr(L, 2);
        if (!strcmp(k, "name")) {
                lua_pushstring(L, lab->name);
                return 1;
        }
        if (!strcmp(k, "built")) {
                lua_pushboolean(L, lab->state == LAB_UP);
                return 1;
        }
        push_method(L, MT_LAB, k);
        return 1;
}

static int l_lab_tostring(lua_State *L)
{
        ud_check(L, 1, TAG_LAB);
        struct lab *lab = the_lab(L);
        lua_pushfstring(L, "lab '%s' (%d nodes, %d links)", lab->name, lab->nnodes, lab->nlinks);
        return 1;
}

/* ---- nodes ---- */

static void push_first_ip(lua_State *L, const struct lab *lab, int node, int family)
{
        const struct node *n = &lab->nodes[node];
        for (int i = 0; i < n->nifaces; i++) {
                const struct iface *f = &lab->ifaces[n->ifaces[i]];
                for (int k = 0; k < f->naddr; k++)
                        if (f->addr[k].family == family) {
                                char a[64];
                                ipaddr_format(&f->addr[k], false, a, sizeof(a));
                                lua_pushstring(L, a);
                                return;
                        }
        }
        lua_pushnil(L);
}

static int l_node_index(lua_State *L)
{
        struct lab *lab = the_lab(L);
        int n = check_node(L, 1);
        const char *k = checkstr(L, 2);
        if (!strcmp(k, "name")) {
                lua_pushstring(L, lab->nodes[n].name);
        } else if (!strcmp(k, "kind")) {
                lua_pushstring(L, lab->nodes[n].kind->name);
        } else if (!strcmp(k, "netns")) {
                lua_pushstring(L, lab->nodes[n].netns_name);
        } else if (!strcmp(k, "lab")) {
                lua_rawgeti(L, LUA_REGISTRYINDEX, nlua_from(L)->lab_ref);
        } else {
                push_method(L, MT_NODE, k);
        }
        return 1;
}

static int l_node_tostring(lua_State *L)
{
        struct lab *lab = the_lab(L);
        int n = check_node(L, 1);
        lua_pushfstring(L, "%s %s", lab->nodes[n].kind->name, lab->nodes[n].name);
        return 1;
}

static int l_node_eq(lua_State *L)
{
        struct ref *a = ud_test(L, 1, TAG_NODE), *b = ud_test(L, 2, TAG_NODE);
        lua_pushboolean(L, a && b && a->idx == b->idx);
        return 1;
}

/* node:ip([family]) → first address without prefix ("10.0.0.1"), or nil. */
static int l_node_ip(lua_State *L)
{
        struct lab *lab = the_lab(L);
        int n = check_node(L, 1);
        int v = (int)luaL_optinteger(L, 2, 4);
        push_first_ip(L, lab, n, v == 6 ? AF_INET6 : AF_INET);
        return 1;
}

/* node:intfs() → list of {name=, mac=, ips={...}, vid=, parent=} */
static int l_node_intfs(lua_State *L)
{
        struct lab *lab = the_lab(L);
        int n = check_node(L, 1);
        const struct node *nd = &lab->nodes[n];
        lua_newtable(L);
        for (int i = 0; i < nd->nifaces; i++) {
                const struct iface *f = &lab->ifaces[nd->ifaces[i]];
                lua_newtable(L);
                lua_pushstring(L, f->name);
                lua_setfield(L, -2, "name");
                char mac[18];
                snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", f->mac[0], f->mac[1],
                         f->mac[2], f->mac[3], f->mac[4], f->mac[5]);
                lua_pushstring(L, mac);
                lua_setfield(L, -2, "mac");
                lua_newtable(L);
                for (int k = 0; k < f->naddr; k++) {
                        char a[64];
                        ipaddr_format(&f->addr[k], true, a, sizeof(a));
                        lua_pushstring(L, a);
                        lua_rawseti(L, -2, k + 1);
                }
                lua_setfield(L, -2, "ips");
                if (f->link < 0) {
                        lua_pushinteger(L, f->vid);
                        lua_setfield(L, -2, "vid");
                        lua_pushstring(L, lab->ifaces[f->parent].name);
                        lua_setfield(L, -2, "parent");
                } else {
                        int peer = lab_iface_peer(lab, nd->ifaces[i]);
                        lua_pushstring(L, lab->nodes[lab->ifaces[peer].node].name);
                        lua_setfield(L, -2, "peer");
                }
                if (f->nvlan) {
                        lua_newtable(L);
                        for (int k = 0; k < f->nvlan; k++) {
                                lua_newtable(L);
                                lua_pushinteger(L, f->vlan[k].vid);
                                lua_setfield(L, -2, "vid");
                                lua_pushboolean(L, f->vlan[k].pvid);
                                lua_setfield(L, -2, "pvid");
                                lua_pushboolean(L, f->vlan[k].untagged);
                                lua_setfield(L, -2, "untagged");
                                lua_rawseti(L, -2, k + 1);
                        }
                        lua_setfield(L, -2, "vlans");
                }
                lua_rawseti(L, -2, i + 1);
        }
        return 1;
}

static const char *const vlan_keys[] = {"ip", "warn", NULL};

/* node:vlan("eth0", 10, {ip = "..."}) → "eth0.10" */
static int l_node_vlan(lua_State *L)
{
        struct lab *lab = the_lab(L);
        int n = check_node(L, 1);
        const char *parent = checkstr(L, 2);
        uint16_t vid = check_vid(L, 3, "node:vlan");
        opts_check(L, 4, "node:vlan", vlan_keys);
        int pi = lab_find_iface(lab, n, parent);
        if (pi < 0)
                return nlua_raise(L, "node:vlan: '%s' has no interface '%s' (link it first)",
                                  lab->nodes[n].name, parent);
        char w[96], err[ERRLEN];
        where(L, w, sizeof(w));
        int si = lab_add_subif(lab, pi, vid, w, err);
        raise_if(L, si, err);
        if (opt_field(L, 4, "ip") != LUA_TNIL)
                add_addrs(L, lab, si, lua_gettop(L), NULL);
        lua_pop(L, 1);
        /* warn = false: the lab models the mistake on purpose. */
        bool warn = true;
        if (opt_field(L, 4, "warn") != LUA_TNIL) {
                if (!lua_isboolean(L, -1))
                        return nlua_raise(L, "node:vlan: warn is true or false");
                warn = lua_toboolean(L, -1);
        }
        lua_pop(L, 1);
        char msg[ERRLEN];
        if (warn && lab_subif_check(lab, si, msg, sizeof(msg)))
                nlua_note(nlua_from(L), "warning: %s: %s", w, msg);
        lua_pushstring(L, lab->ifaces[si].name);
        return 1;
}

/* node:route("10.0.2.0/24" or "default", "10.0.1.254") */
static int l_node_route(lua_State *L)
{
        struct lab *lab = the_lab(L);
        int n = check_node(L, 1);
        char err[ERRLEN];
        if (lab->state == LAB_UP)
                raise_if(L, live_add_route(lab, n, checkstr(L, 2), checkstr(L, 3), err), err);
        else if (lab->state != LAB_DEFINED)
                return nlua_raise(L, "node:route: lab '%s' is not running", lab->name);
        else
                raise_if(L, lab_node_add_route(lab, n, checkstr(L, 2), checkstr(L, 3), err), err);
        return 0;
}

/* A port of switch sw named by its interface name, or by the node at the
 * other end of its link ("netns1" for the port towards netns1). */
static const char *fw_port_name(lua_State *L, struct lab *lab, int sw, const char *name)
{
        if (lab_find_iface(lab, sw, name) >= 0)
                return name;
        int other = lab_find_node(lab, name);
        if (other >= 0) {
                const struct node *n = &lab->nodes[sw];
                for (int i = 0; i < n->nifaces; i++) {
                        int peer = lab_iface_peer(lab, n->ifaces[i]);
                        if (peer >= 0 && lab->ifaces[peer].node == other)
                                return lab->ifaces[n->ifaces[i]].name;
                }
        }
        nlua_raise(L,
                   "firewall: switch '%s' has no port '%s' (name a port like p1, or a node "
                   "linked to it)",
                   lab->nodes[sw].name, name);
        return NULL;
}

static void fw_ports(lua_State *L, struct lab *lab, int sw, int idx, struct fw_rule *r, bool is_out)
{
        char err[ERRLEN];
        if (lua_isnil(L, idx))
                return;
        if (lua_isstring(L, idx)) {
                raise_if(L, fw_rule_port(r, is_out, fw_port_name(L, lab, sw, tostr(L, idx)), err),
                         err);
                return;
        }
        if (!lua_istable(L, idx))
                nlua_raise(L, "firewall: %s: expected a port or a list of ports",
                           is_out ? "out" : "in");
        lua_Integer n = luaL_len(L, idx);
        for (lua_Integer i = 1; i <= n; i++) {
                lua_geti(L, idx, i);
                const char *p = tostr(L, -1);
                if (!p)
                        nlua_raise(L, "firewall: port names are strings");
                raise_if(L, fw_rule_port(r, is_out, fw_port_name(L, lab, sw, p), err), err);
                lua_pop(L, 1);
        }
}

static const char *const fw_rule_keys[] = {"action", "in", "out", "type", "vid", NULL};
static const char *const fw_keys[] = {"policy", NULL};

/* switch:firewall({rule, ...}, {policy = "accept"|"drop"})
 * A rule is a table {action = "drop"|"accept", in = PORTS, out = PORTS,
 * type = "arp"|"!arp"|"ipv4"|"0x88cc", vid = N}, where PORTS are port names
 * or names of nodes linked to the switch; or the text form
 * "drop in=p1,p2 out=p4 type=!arp". The first matching rule decides. Works
 * the same on a kernel bridge (nft bridge table) and in the userspace
 * datapath. Replaces the switch's previous firewall. */
static int l_node_firewall(lua_State *L)
{
        struct lab *lab = the_lab(L);
        int sw = check_node(L, 1);
        luaL_checktype(L, 2, LUA_TTABLE);
        opts_check(L, 3, "switch:firewall", fw_keys);
        if (!lab_node_has(lab, sw, KIND_BRIDGE))
                return nlua_raise(L, "firewall: '%s' is a %s; firewalls filter switch ports",
                                  lab->nodes[sw].name, lab->nodes[sw].kind->name);
        if (lab->state != LAB_DEFINED)
                return nlua_raise(L, "firewall: lab '%s' is already built", lab->name);
        struct fw_table t = {0};
        char err[ERRLEN];
        if (opt_field(L, 3, "policy") != LUA_TNIL) {
                const char *p = tostr(L, -1);
                if (!p || (strcmp(p, "accept") && strcmp(p, "drop")))
                        return nlua_raise(L, "firewall: policy is \"accept\" or \"drop\"");
                t.policy = !strcmp(p, "drop") ? FW_DROP : FW_ACCEPT;
        }
        lua_pop(L, 1);
        lua_Integer n = luaL_len(L, 2);
        for (lua_Integer i = 1; i <= n; i++) {
                struct fw_rule r;
                memset(&r, 0, sizeof(r));
                lua_geti(L, 2, i);
                int e = lua_gettop(L);
                if (lua_type(L, e) == LUA_TSTRING) {
                        if (fw_rule_parse(tostr(L, e), &r, err) < 0) {
                                fw_free(&t);
                                return nlua_raise(L, "firewall rule %d: %s", (int)i, err);
                        }
                } else if (lua_istable(L, e)) {
                        opts_check(L, e, "firewall rule", fw_rule_keys);
                        lua_getfield(L, e, "action");
                        const char *a = tostr(L, -1);
                        if (!a || (strcmp(a, "accept") && strcmp(a, "drop"))) {
                                fw_free(&t);
                                return nlua_raise(L,
                                                  "firewall rule %d: action is \"accept\" or "
                                                  "\"drop\"",
                                                  (int)i);
                        }
                        r.action = !strcmp(a, "drop") ? FW_DROP : FW_ACCEPT;
                        lua_getfield(L, e, "in");
                        fw_ports(L, lab, sw, lua_gettop(L), &r, false);
                        lua_getfield(L, e, "out");
                        fw_ports(L, lab, sw, lua_gettop(L), &r, true);
                        lua_getfield(L, e, "type");
                        if (!lua_isnil(L, -1)) {
                                const char *ty = checkstr(L, -1);
                                r.not_ethertype = ty[0] == '!';
                                if (fw_ethertype_parse(ty + r.not_ethertype, &r.ethertype, err) <
                                    0) {
                                        fw_free(&t);
                                        return nlua_raise(L, "firewall rule %d: %s", (int)i, err);
                                }
                        }
                        lua_getfield(L, e, "vid");
                        if (!lua_isnil(L, -1))
                                r.vid = check_vid(L, -1, "firewall vid");
                        lua_settop(L, e);
                } else {
                        fw_free(&t);
                        return nlua_raise(L, "firewall rule %d: expected a table or a string",
                                          (int)i);
                }
                if (fw_add(&t, &r, err) < 0) {
                        fw_free(&t);
                        return nlua_raise(L, "firewall rule %d: %s", (int)i, err);
                }
                lua_pop(L, 1);
        }
        int rc = fw_set(lab, sw, &t, err);
        fw_free(&t);
        raise_if(L, rc, err);
        return 0;
}

static int cmd_k(lua_State *L, int status, lua_KContext ctx)
{
        (void)status;
        struct nlua *N = nlua_from(L);
        struct cmd_ud *c = lua_touserdata(L, (int)ctx);
        if (!c->active) /* proc:kill() from a timeline event while this waited */
                return nlua_fail(L, "the process was killed");
        for (;;) {
                int r = proc_job_poll(&c->job);
                if (r == 0) {
                        N->job = NULL;
                        c->active = false;
                        lua_pushlstring(L, c->job.out, c->job.len);
                        lua_pushinteger(L, c->job.status);
                        /* Said, not silent: the output was cut. */
                        lua_pushboolean(L, c->job.dropped > 0);
                        if (c->job.dropped) {
                                char w[128];
                                nlua_where(L, w, sizeof(w));
                                nlua_note(N, "%s: output truncated at %zu bytes (%zu more dropped)",
                                          w, c->job.len, c->job.dropped);
                        }
                        proc_job_free(&c->job);
                        return 3;
                }
                long long left = c->deadline - monotime_ms();
                if (r < 0 || left <= 0) {
                        N->job = NULL;
                        c->active = false;
                        proc_job_free(&c->job);
                        return nlua_fail(L,
                                         r < 0 ? "cannot read the command's output" : "timed out");
                }
                struct nlua_wait w = {c->job.wfd, left > 1000000 ? 1000000 : (int)left};
                if (L == N->cur && lua_isyieldable(L)) {
                        N->wait = w;
                        N->job = &c->job;
                        return lua_yieldk(L, 0, ctx, cmd_k);
                }
                if (nlua_wait_io(&w, -1) < 0 && lab_stop_requested) {
                        char why[64];
                        return nlua_raise(L, "%s", nlua_stop_text(why, sizeof(why)));
                }
        }
}

/* Starts cmd in node n (building the lab first if needed) and pushes its
 * job userdata; on failure pushes nil, message instead and returns NULL. */
static struct cmd_ud *job_start(lua_State *L, int n, const char *cmd)
{
        struct nlua *N = nlua_from(L);
        ensure_built(L);
        struct cmd_ud *c = lua_newuserdatauv(L, sizeof(*c), 0);
        memset(c, 0, sizeof(*c));
        c->tag = TAG_JOB;
        c->job.fd = -1;
        luaL_setmetatable(L, MT_JOB);
        char err[ERRLEN];
        if (proc_job_start(N->lab, n, cmd, &c->job, err) < 0) {
                nlua_fail(L, err);
                return NULL;
        }
        c->active = true;
        return c;
}

double nlua_check_seconds(lua_State *L, int idx, const char *what, bool positive)
{
        return check_seconds(L, idx, what, positive);
}

static const char *const cmd_keys[] = {"timeout", NULL};

/* node:cmd("shell command", {timeout = seconds}) → output, exit status
 * (or nil, message when it could not run or timed out). */
static int l_node_cmd(lua_State *L)
{
        int n = check_node(L, 1);
        const char *cmd = checkstr(L, 2);
        opts_check(L, 3, "node:cmd", cmd_keys);
        double timeout = 60;
        if (opt_field(L, 3, "timeout") != LUA_TNIL)
                timeout = check_seconds(L, -1, "node:cmd: timeout", true);
        lua_pop(L, 1);
        struct cmd_ud *c = job_start(L, n, cmd);
        if (!c)
                return 2;
        c->deadline = monotime_ms() + (long long)(timeout * 1000);
        return cmd_k(L, LUA_OK, (lua_KContext)lua_gettop(L));
}

/* node:spawn("command") → a process running in the background (Mininet's
 * popen): proc:wait({timeout = s}) → output, status (yields inside
 * experiments, like node:cmd); proc:kill() → its output so far;
 * proc:running(). Teardown kills it with the lab if nobody did. */
static int l_node_spawn(lua_State *L)
{
        int n = check_node(L, 1);
        const char *cmd = checkstr(L, 2);
        return job_start(L, n, cmd) ? 1 : 2;
}

/* ---- services (service.h); netlab.service wraps these as node:service ---- */

static void push_service_state(lua_State *L, struct lab *lab, int node, const char *name)
{
        struct service_state st;
        lua_newtable(L);
        lua_pushstring(L, name);
        lua_setfield(L, -2, "name");
        int i = service_find(lab, node, name);
        if (i >= 0) {
                lua_pushstring(L, lab->svcs[i].cmd);
                lua_setfield(L, -2, "cmd");
        }
        if (service_state(lab, node, name, &st) < 0) {
                lua_pushliteral(L, "unknown");
                lua_setfield(L, -2, "state");
                return;
        }
        lua_pushstring(L, st.state);
        lua_setfield(L, -2, "state");
        lua_pushinteger(L, st.pid);
        lua_setfield(L, -2, "pid");
        lua_pushinteger(L, st.restarts);
        lua_setfield(L, -2, "restarts");
        if (st.status >= 0) {
                lua_pushinteger(L, st.status);
                lua_setfield(L, -2, "status");
        }
        char p[PATH_MAX + 128];
        service_log_path(lab, node, name, p, sizeof(p));
        lua_pushstring(L, p);
        lua_setfield(L, -2, "log");
}

/* node:_service_start(name, cmd, restart, {"K=V", ...}) → true | nil, err */
static int l_node_service_start(lua_State *L)
{
        int n = check_node(L, 1);
        const char *name = checkstr(L, 2), *cmd = checkstr(L, 3);
        const char *rs = lua_isnoneornil(L, 4) ? "no" : checkstr(L, 4);
        struct lab *lab = the_lab(L);
        char err[ERRLEN];
        enum service_restart r;
        raise_if(L, service_restart_parse(rs, &r, err), err);
        if (!service_name_ok(name))
                nlua_raise(L, "node:service: \"%s\" is not a service name ([A-Za-z0-9_.-], 1 to "
                              "%d characters)",
                           name, SERVICE_NAME_MAX);
        ensure_built(L);
        const char *env[65] = {NULL};
        if (lua_istable(L, 5)) {
                lua_Integer ne = luaL_len(L, 5);
                if (ne > 64)
                        nlua_raise(L, "node:service: env: at most 64 variables");
                for (lua_Integer k = 1; k <= ne; k++) {
                        lua_geti(L, 5, k);
                        env[k - 1] = tostr(L, -1);
                        lua_pop(L, 1); /* the string stays in the table */
                }
        }
        if (service_start(lab, n, name, cmd, r, (char *const *)env, err) < 0)
                return nlua_fail(L, err);
        lua_pushboolean(L, 1);
        return 1;
}

/* node:_service_ctl(name, "stop"|"start"|"restart"|"state"|"log") */
static int l_node_service_ctl(lua_State *L)
{
        int n = check_node(L, 1);
        const char *name = checkstr(L, 2), *what = checkstr(L, 3);
        struct lab *lab = the_lab(L);
        char err[ERRLEN];
        service_reap(lab);
        if (!strcmp(what, "state")) {
                if (service_find(lab, n, name) < 0)
                        return nlua_fail(L, "no such service");
                push_service_state(L, lab, n, name);
                return 1;
        }
        if (!strcmp(what, "log")) {
                char tail[2048];
                service_log_tail(lab, n, name, tail, sizeof(tail));
                lua_pushstring(L, tail);
                return 1;
        }
        int rc = !strcmp(what, "stop")    ? service_stop(lab, n, name, err)
                 : !strcmp(what, "start") ? service_start_again(lab, n, name, err)
                 : !strcmp(what, "restart") ? service_restart(lab, n, name, err)
                                          : errf(err, "unknown service action");
        if (rc < 0)
                return nlua_fail(L, err);
        lua_pushboolean(L, 1);
        return 1;
}

/* node:services() → {{name, state, pid, restarts, status, cmd, log}, ...} */
static int l_node_services(lua_State *L)
{
        int n = check_node(L, 1);
        struct lab *lab = the_lab(L);
        service_reap(lab);
        lua_newtable(L);
        int k = 0;
        for (int i = 0; i < lab->nsvcs; i++)
                if (lab->svcs[i].node == n) {
                        push_service_state(L, lab, n, lab->svcs[i].name);
                        lua_rawseti(L, -2, ++k);
                }
        return 1;
}

/* node:restart() → the number of services restarted | nil, err */
static int l_node_restart(lua_State *L)
{
        int n = check_node(L, 1);
        char err[ERRLEN];
        int r = service_restart_node(the_lab(L), n, err);
        if (r < 0)
                return nlua_fail(L, err);
        lua_pushinteger(L, r);
        return 1;
}

/* sw:flush_fdb() → true | nil, err: the switch forgets the MACs it learnt */
static int l_node_flush_fdb(lua_State *L)
{
        struct lab *lab = the_lab(L);
        int n = check_node(L, 1);
        if (!lab_node_has(lab, n, KIND_BRIDGE))
                nlua_raise(L, "node:flush_fdb: \"%s\" is a %s, not a switch", lab->nodes[n].name,
                           lab->nodes[n].kind->name);
        ensure_built(L);
        char err[ERRLEN];
        if (lab_switch_flush_fdb(lab, n, err) < 0)
                return nlua_fail(L, err);
        lua_pushboolean(L, 1);
        return 1;
}

static const char *const wait_keys[] = {"timeout", NULL};

static int l_job_wait(lua_State *L)
{
        struct cmd_ud *c = ud_check(L, 1, TAG_JOB);
        opts_check(L, 2, "proc:wait", wait_keys);
        if (!c->active)
                return nlua_raise(L, "proc:wait: the process was already waited for or killed");
        double timeout = 3600;
        if (opt_field(L, 2, "timeout") != LUA_TNIL)
                timeout = check_seconds(L, -1, "proc:wait: timeout", true);
        lua_settop(L, 1);
        c->deadline = monotime_ms() + (long long)(timeout * 1000);
        return cmd_k(L, LUA_OK, 1);
}

static int l_job_kill(lua_State *L)
{
        struct cmd_ud *c = ud_check(L, 1, TAG_JOB);
        if (!c->active) {
                lua_pushliteral(L, "");
                return 1;
        }
        struct nlua *N = nlua_from(L);
        if (N->job == &c->job)
                N->job = NULL;
        nlua_tl_forget_job(N, &c->job);
        proc_job_poll(&c->job);
        proc_job_kill(&c->job);
        lua_pushlstring(L, c->job.out ? c->job.out : "", c->job.len);
        proc_job_free(&c->job);
        c->active = false;
        return 1;
}

static int l_job_running(lua_State *L)
{
        struct cmd_ud *c = ud_check(L, 1, TAG_JOB);
        lua_pushboolean(L, c->active && proc_job_poll(&c->job) == 1);
        return 1;
}

/* switch:vlans() → {{port = "p1", vid = 10, pvid = true, untagged = true}, ...}:
 * the VLAN table as the switch really applies it (kernel bridge or userspace
 * datapath), the same on both paths; the model's table before the build. */
static int l_node_vlans(lua_State *L)
{
        struct lab *lab = the_lab(L);
        int n = check_node(L, 1);
        struct port_vlan *pv;
        int np;
        char err[ERRLEN];
        if (lab_vlan_view(lab, n, &pv, &np, err) < 0) {
                return nlua_fail(L, err);
        }
        lua_createtable(L, np, 0);
        for (int i = 0; i < np; i++) {
                lua_createtable(L, 0, 4);
                lua_pushstring(L, pv[i].port);
                lua_setfield(L, -2, "port");
                lua_pushinteger(L, pv[i].v.vid);
                lua_setfield(L, -2, "vid");
                lua_pushboolean(L, pv[i].v.pvid);
                lua_setfield(L, -2, "pvid");
                lua_pushboolean(L, pv[i].v.untagged);
                lua_setfield(L, -2, "untagged");
                lua_rawseti(L, -2, i + 1);
        }
        free(pv);
        return 1;
}

/* Every class's __gc: a process is freed whatever metatable it was given
 * since (debug.setmetatable), so this goes by the tag alone. */
static int l_job_gc(lua_State *L)
{
        struct cmd_ud *c = lua_touserdata(L, 1);
        if (lua_type(L, 1) != LUA_TUSERDATA || lua_rawlen(L, 1) != sizeof(*c) || c->tag != TAG_JOB)
                return 0;
        if (c->active) {
                struct nlua *N = nlua_from(L);
                if (N->job == &c->job)
                        N->job = NULL;
                nlua_tl_forget_job(N, &c->job);
                proc_job_free(&c->job);
                c->active = false;
        }
        return 0;
}

void nlua_cmd_cancel(struct nlua *N)
{
        if (N->job) {
                proc_job_kill(N->job);
                N->job = NULL;
        }
}

/* ---- links ---- */

/* A link event longer than this is reported: experiments measuring loss
 * must know when the kernel (its rtnl lock, held by another lab) was slow. */
static double link_warn_s(void)
{
        const char *v = getenv("NETLAB_LINK_WARN_MS"); /* tests lower it */
        return (v && *v ? atof(v) : 100.0) / 1000.0;
}

static const char *const link_down_keys[] = {"carrier", NULL};

/* link:up(), link:down{carrier}, link:cut() on a running lab → true,
 * seconds the kernel took (or nil, message); before the build, the
 * link's initial state. */
static int l_link_set(lua_State *L, bool up, bool cut)
{
        struct lab *lab = the_lab(L);
        int li = check_link(L, 1);
        char err[ERRLEN];
        if (!up && !cut) {
                opts_check(L, 2, "link:down", link_down_keys);
                if (opt_field(L, 2, "carrier") != LUA_TNIL) {
                        if (!lua_isboolean(L, -1))
                                nlua_raise(L, "link:down: carrier is true or false, got %s",
                                           luaL_typename(L, -1));
                        cut = lua_toboolean(L, -1);
                }
                lua_pop(L, 1);
        }
        if (lab->state == LAB_DEFINED) { /* before the build: its initial state */
                if (cut)
                        nlua_raise(L,
                                   "link:cut: lab \"%s\" is not built yet (a cable is pulled "
                                   "from a running lab; up = false makes a link start down)",
                                   lab->name);
                raise_if(L, lab_link_set_initial_up(lab, li, up, err), err);
                return 0;
        }
        double t0 = monotime_s();
        int r = cut ? lab_link_cut(lab, li, err) : lab_link_set_up(lab, li, up, err);
        double took = monotime_s() - t0;
        if (r < 0)
                return nlua_fail(L, err);
        if (took > link_warn_s()) {
                char w[128], a[64], b[64];
                where(L, w, sizeof(w));
                iface_label(lab, lab->links[li].a, a, sizeof(a));
                iface_label(lab, lab->links[li].b, b, sizeof(b));
                nlua_note(nlua_from(L),
                          "warning: %s: link %s -- %s %s took %.1f ms in the kernel (over %.0f ms: "
                          "is another lab holding the rtnl lock?)",
                          w, a, b,
                          cut  ? "cut"
                          : up ? "up"
                               : "down",
                          took * 1000, link_warn_s() * 1000);
        }
        lua_pushboolean(L, 1);
        lua_pushnumber(L, took);
        return 2;
}

/* For capture_api.c: the same argument checks as the rest of the API. */
void nlua_opts_check(lua_State *L, int idx, const char *what, const char *const keys[])
{
        opts_check(L, idx, what, keys);
}

int nlua_check_node(lua_State *L, int arg)
{
        return check_node(L, arg);
}

int nlua_ref_of(lua_State *L, int idx, char *kind)
{
        const enum ud_tag tags[3] = {TAG_LAB, TAG_NODE, TAG_LINK};
        for (int i = 0; i < 3; i++) {
                struct ref *r = ud_test(L, idx, tags[i]);
                if (r) {
                        *kind = "lnk"[i] == 'k' ? 'k' : "lnk"[i];
                        return r->idx;
                }
        }
        return -1;
}

int nlua_check_link(lua_State *L, int arg)
{
        return check_link(L, arg);
}

static int l_node_capture(lua_State *L)
{
        int n = check_node(L, 1);
        return nlua_node_capture(L, the_lab(L), n);
}

static int l_link_capture(lua_State *L)
{
        int l = check_link(L, 1);
        return nlua_link_capture(L, the_lab(L), l);
}

static int l_link_up(lua_State *L)
{
        return l_link_set(L, true, false);
}

static int l_link_down(lua_State *L)
{
        return l_link_set(L, false, false);
}

static int l_link_cut(lua_State *L)
{
        return l_link_set(L, false, true);
}

static int l_link_index(lua_State *L)
{
        struct lab *lab = the_lab(L);
        int li = check_link(L, 1);
        const char *k = checkstr(L, 2);
        const struct link *l = &lab->links[li];
        if (!strcmp(k, "a") || !strcmp(k, "b")) {
                push_node(L, lab->ifaces[k[0] == 'a' ? l->a : l->b].node);
        } else if (!strcmp(k, "intf_a") || !strcmp(k, "intf_b")) {
                lua_pushstring(L, lab->ifaces[k[5] == 'a' ? l->a : l->b].name);
        } else if (!strcmp(k, "is_up")) {
                lua_pushboolean(L, l->up);
        } else {
                push_method(L, MT_LINK, k);
        }
        return 1;
}

static int l_link_tostring(lua_State *L)
{
        struct lab *lab = the_lab(L);
        int li = check_link(L, 1);
        char a[64], b[64];
        iface_label(lab, lab->links[li].a, a, sizeof(a));
        iface_label(lab, lab->links[li].b, b, sizeof(b));
        lua_pushfstring(L, "link %s -- %s", a, b);
        return 1;
}

/* ---- experiments and checks ---- */

/* Registers the function at index 2 as experiment name: at the end, or
 * first when up (lab:on_up's, which the drivers run once the lab is built). */
static int add_experiment(lua_State *L, const char *name, bool up)
{
        struct nlua *N = nlua_from(L);
        luaL_checktype(L, 2, LUA_TFUNCTION);
        if (!*name)
                return nlua_raise(L, "experiment: the name must not be empty");
        for (int i = 0; i < N->nexp; i++)
                if (!strcmp(N->exp[i].name, name))
                        return nlua_raise(L, "experiment: duplicate name '%s'", name);
        struct nlua_exp *e = realloc(N->exp, (size_t)(N->nexp + 1) * sizeof(*e));
        if (!e)
                return nlua_raise(L, "out of memory");
        N->exp = e;
        /* Where it is written: save (live_api.c) carries its text. */
        lua_Debug fn, call;
        lua_pushvalue(L, 2);
        lua_getinfo(L, ">S", &fn);
        int line0 = lua_getstack(L, 1, &call) && lua_getinfo(L, "Sl", &call) &&
                            call.source[0] == '@' && !strcmp(call.source, fn.source)
                        ? call.currentline
                        : -1;
        lua_pushvalue(L, 2);
        int at = up ? 0 : N->nexp;
        memmove(&e[at + 1], &e[at], (size_t)(N->nexp - at) * sizeof(*e));
        e[at] = (struct nlua_exp){.name = strdup(name),
                                  .fn_ref = luaL_ref(L, LUA_REGISTRYINDEX),
                                  .src = strdup(line0 > 0 && !up ? fn.source + 1 : ""),
                                  .line0 = up ? -1 : line0,
                                  .line1 = fn.lastlinedefined,
                                  .up = up};
        N->nexp++;
        return 0;
}

static int l_experiment(lua_State *L)
{
        return add_experiment(L, checkstr(L, 1), false);
}

/* netlab._on_up(fn): fn is the experiment "on_up", first in the list
 * (netlab.core's lab:on_up runs the lab's functions from it). */
static int l_on_up(lua_State *L)
{
        struct nlua *N = nlua_from(L);
        if (nlua_up_exp(N) >= 0)
                return nlua_raise(L, "lab:on_up: registered twice");
        lua_settop(L, 1);
        lua_pushstring(L, NLUA_UP_NAME);
        lua_insert(L, 1);
        return add_experiment(L, NLUA_UP_NAME, true);
}

/* check(condition, message [, level]) → condition. level, as error()'s: 1
 * (the default) is the line calling check; a Lua helper that checks for its
 * caller passes 2, so the result names the lab's line, not the helper's. */
static int l_check(lua_State *L)
{
        struct nlua *N = nlua_from(L);
        luaL_checkany(L, 1);
        bool ok = lua_toboolean(L, 1);
        const char *msg = luaL_optstring(L, 2, "check");
        int level = (int)luaL_optinteger(L, 3, 1);
        char w[96];
        where_at(L, level < 1 ? 1 : level, w, sizeof(w));
        nlua_record_check(N, ok, msg, w);
        lua_pushboolean(L, ok);
        return 1;
}

static int sleep_k(lua_State *L, int status, lua_KContext ctx)
{
        (void)L;
        (void)status;
        (void)ctx;
        return 0;
}

/* netlab.seed(n): the userspace datapath's random choices (loss, jitter,
 * duplicate, ... on its wires) and lab:pingall{sample}'s pairs repeat from
 * run to run. Before the build: the datapath draws from its start.
 * netlab.seed() → the seed given, or nil. */
/* netlab.warn(MSG): "warning: FILE:LINE: MSG" where the lab's output goes
 * (the terminal for netlab run, the output pane in the console). */
static int l_warn(lua_State *L)
{
        char w[128];
        nlua_where(L, w, sizeof(w));
        nlua_note(nlua_from(L), "warning: %s%s%s", w, w[0] ? ": " : "", luaL_checkstring(L, 1));
        return 0;
}

static int l_seed(lua_State *L)
{
        struct nlua *N = nlua_from(L);
        char v[64];
        if (lua_isnone(L, 1)) {
                if (N->seed)
                        lua_pushinteger(L, (lua_Integer)N->seed);
                else
                        lua_pushnil(L);
                return 1;
        }
        if (!lua_isinteger(L, 1) || lua_tointeger(L, 1) < 1 ||
            lua_tointeger(L, 1) > ((lua_Integer)1 << 53))
                nlua_raise(L, "netlab.seed: expected an integer from 1 to 2^53, got %s",
                           shown(L, 1, v, sizeof(v)));
        if (N->lab && N->lab->state != LAB_DEFINED)
                nlua_raise(L, "netlab.seed: call it before the lab is built (its datapath has "
                              "drawn already)");
        N->seed = (uint64_t)lua_tointeger(L, 1);
        return 0;
}

/* netlab.sleep(seconds): yields to the driver inside experiments. */
static int l_sleep(lua_State *L)
{
        struct nlua *N = nlua_from(L);
        double s = check_seconds(L, 1, "netlab.sleep", false);
        struct nlua_wait w = {-1, (int)(s * 1000)};
        if (L == N->cur && lua_isyieldable(L)) {
                N->wait = w;
                return lua_yieldk(L, 0, 0, sleep_k);
        }
        if (nlua_wait_io(&w, -1) < 0 && lab_stop_requested) {
                char why[64];
                return nlua_raise(L, "%s", nlua_stop_text(why, sizeof(why)));
        }
        return 0;
}

/* netlab.check_opts(t, {"a","b"}, "what"): the same unknown-option error for Lua code. */
static int l_check_opts(lua_State *L)
{
        luaL_checktype(L, 2, LUA_TTABLE);
        const char *what = checkstr(L, 3);
        const char *keys[64];
        int n = (int)luaL_len(L, 2);
        if (n > 63)
                n = 63;
        for (int i = 0; i < n; i++) {
                lua_geti(L, 2, i + 1);
                keys[i] = tostr(L, -1); /* kept alive by the table */
                lua_pop(L, 1);
        }
        keys[n] = NULL;
        /* netlab.check_opts(t, keys, what, npos): t's entries 1..npos are
         * positional (as {node, "eth0", dir = "in"}), checked by the caller. */
        lua_Integer npos = luaL_optinteger(L, 4, 0);
        if (npos > 0 && lua_istable(L, 1)) {
                lua_newtable(L);
                lua_pushnil(L);
                while (lua_next(L, 1)) {
                        if (lua_isinteger(L, -2) && lua_tointeger(L, -2) >= 1 &&
                            lua_tointeger(L, -2) <= npos) {
                                lua_pop(L, 1);
                                continue;
                        }
                        lua_pushvalue(L, -2);
                        lua_insert(L, -2);
                        lua_rawset(L, -4);
                }
                lua_replace(L, 1);
        }
        /* nlua_raise names the lab's line, past the Lua helper calling this;
         * the message lists the valid options, as the C API's do. */
        lua_settop(L, 3);
        opts_check(L, 1, what, keys);
        return 0;
}

/* netlab.now() → seconds on the monotonic clock (sub-microsecond resolution;
 * only differences mean something). */
static int l_now(lua_State *L)
{
        lua_pushnumber(L, (double)monotime_ns() / 1e9);
        return 1;
}

/* netlab.error(message): raises message at the lab's line, past netlab's
 * own Lua library (for helpers that check their arguments). */
static int l_error(lua_State *L)
{
        return nlua_raise(L, "%s", checkstr(L, 1));
}

/* netlab.is_address(s) → true when s is an IPv4 or IPv6 address (no prefix). */
static int l_is_address(lua_State *L)
{
        struct ipaddr ip;
        const char *s = tostr(L, 1);
        lua_pushboolean(L, s && !strchr(s, '/') && ipaddr_parse(s, false, &ip, NULL) == 0);
        return 1;
}

static void new_class(lua_State *L, const char *mt, const luaL_Reg *meta, const luaL_Reg *methods)
{
        luaL_newmetatable(L, mt);
        luaL_setfuncs(L, meta, 0);
        lua_newtable(L);
        luaL_setfuncs(L, methods, 0);
        lua_setfield(L, -2, "methods");
        lua_pop(L, 1);
}

int nlua_api_open(struct nlua *N, char *err)
{
        lua_State *L = N->L;
        static const luaL_Reg lab_meta[] = {{"__index", l_lab_index},
                                            {"__tostring", l_lab_tostring},
                                            {"__gc", l_job_gc},
                                            {NULL, NULL}};
        static const luaL_Reg lab_methods[] = {{"link", l_lab_link}, {"uplink", l_lab_uplink},
                                               {"node", l_lab_node},
                                               {"nodes", l_lab_nodes},
                                               {"links", l_lab_links},
                                               {"build", l_lab_build},
                                               {"reset", l_lab_reset},
                                               {NULL, NULL}};
        static const luaL_Reg node_meta[] = {{"__index", l_node_index},
                                             {"__tostring", l_node_tostring},
                                             {"__eq", l_node_eq},
                                             {"__gc", l_job_gc},
                                             {NULL, NULL}};
        static const luaL_Reg node_methods[] = {
            {"cmd", l_node_cmd},     {"ip", l_node_ip},       {"intfs", l_node_intfs},
            {"vlan", l_node_vlan},   {"route", l_node_route}, {"firewall", l_node_firewall},
            {"spawn", l_node_spawn}, {"vlans", l_node_vlans},
            {"_service_start", l_node_service_start}, {"_service_ctl", l_node_service_ctl},
            {"services", l_node_services}, {"restart", l_node_restart},
            {"flush_fdb", l_node_flush_fdb}, {"_capture", l_node_capture}, {NULL, NULL}};
        static const luaL_Reg link_meta[] = {{"__index", l_link_index},
                                             {"__tostring", l_link_tostring},
                                             {"__gc", l_job_gc},
                                             {NULL, NULL}};
        static const luaL_Reg link_methods[] = {
            {"up", l_link_up},           {"down", l_link_down},      {"cut", l_link_cut},
            {"capture", l_link_capture}, {"set", l_link_set_params}, {"clear", l_link_clear},
            {NULL, NULL}};
        static const luaL_Reg job_meta[] = {
            {"__gc", l_job_gc}, {"__close", l_job_gc}, {NULL, NULL}};
        static const luaL_Reg job_methods[] = {
            {"wait", l_job_wait}, {"kill", l_job_kill}, {"running", l_job_running}, {NULL, NULL}};
        new_class(L, MT_LAB, lab_meta, lab_methods);
        luaL_getmetatable(L, MT_LAB);
        lua_getfield(L, -1, "methods");
        for (int i = 0; node_kinds[i]; i++) {
                lua_pushlightuserdata(L, (void *)node_kinds[i]);
                lua_pushcclosure(L, l_lab_add_node, 1);
                lua_setfield(L, -2, node_kinds[i]->name);
        }
        lua_pop(L, 2);
        new_class(L, MT_NODE, node_meta, node_methods);
        new_class(L, MT_LINK, link_meta, link_methods);
        nlua_live_methods(L, MT_LAB);
        nlua_live_methods(L, MT_NODE);
        nlua_live_methods(L, MT_LINK);
        nlua_series_open(L, MT_LAB);
        nlua_ovs_methods(L, MT_LAB);
        nlua_ovs_methods(L, MT_NODE);
        new_class(L, MT_JOB, job_meta, job_methods);
        luaL_getmetatable(L, MT_JOB);
        lua_getfield(L, -1, "methods");
        lua_setfield(L, -2, "__index");
        lua_pop(L, 1);

        static const luaL_Reg netlab_fns[] = {
            {"lab", l_netlab_lab}, {"sleep", l_sleep},           {"check_opts", l_check_opts},
            {"error", l_error},    {"is_address", l_is_address}, {"now", l_now},
            {"seed", l_seed},      {"_on_up", l_on_up},     {"warn", l_warn},
            {NULL, NULL}};
        luaL_newlib(L, netlab_fns);
        lua_pushstring(L, NETLAB_VERSION);
        lua_setfield(L, -2, "version");
        lua_setglobal(L, "netlab");
        lua_register(L, "experiment", l_experiment);
        lua_register(L, "check", l_check);
        nlua_tl_open(L);

        /* The Lua half of the API: gets the method tables to extend. */
        lua_getglobal(L, "require");
        lua_pushstring(L, "netlab.core");
        if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
                errf(err, "Cannot load netlab's Lua library: %s", lua_tostring(L, -1));
                lua_pop(L, 1);
                return -1;
        }
        lua_newtable(L);
        const char *mts[3][2] = {{"lab", MT_LAB}, {"node", MT_NODE}, {"link", MT_LINK}};
        for (int i = 0; i < 3; i++) {
                luaL_getmetatable(L, mts[i][1]);
                lua_getfield(L, -1, "methods");
                lua_setfield(L, -3, mts[i][0]);
                lua_pop(L, 1);
        }
        if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
                errf(err, "Cannot start netlab's Lua library: %s", lua_tostring(L, -1));
                lua_pop(L, 1);
                return -1;
        }
        lua_getglobal(L, "netlab");
        lua_getglobal(L, "require");
        lua_pushstring(L, "netlab.topo");
        if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
                errf(err, "Cannot load netlab.topo: %s", lua_tostring(L, -1));
                lua_pop(L, 2);
                return -1;
        }
        lua_setfield(L, -2, "topo");
        lua_pop(L, 1);
        return 0;
}
