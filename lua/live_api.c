/* live_api.c — the Lua side of a running lab's changes and of save:
 * lab:save(path [, {force = true}]), lab:remove(node), node:remove(),
 * link:remove(), node:addr(ifname, cidr); and nlua_save, which the console's
 * `save FILE.lua` shares. lab:host/lab:link/node:route build at once on a
 * running lab (api.c); the checks are live.h's. */
#include "nlua_int.h"
#include "live.h"
#include "save.h"
#include <errno.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <limits.h>

/* Copies lines [from, to] of path to out; false when the file is not there
 * any more or is shorter. */
static bool copy_lines(const char *path, int from, int to, FILE *out)
{
        FILE *in = fopen(path, "re");
        if (!in)
                return false;
        char *line = NULL;
        size_t cap = 0;
        int n = 0;
        ssize_t len;
        while ((len = getline(&line, &cap, in)) >= 0 && ++n <= to)
                if (n >= from)
                        fwrite(line, 1, (size_t)len, out);
        free(line);
        fclose(in);
        return n >= to;
}

/* What the experiments carried need from the original file: each upvalue
 * (a node, a link, a list of nodes, a module, a constant, a helper function
 * of the same file, with its own upvalues first) becomes a local of the
 * saved file; what cannot be written so gets a note. */
struct carry {
        struct nlua *N;
        FILE *out;
        char done[256][64]; /* names already declared */
        int ndone;
};

static bool carried(struct carry *c, const char *name)
{
        for (int i = 0; i < c->ndone; i++)
                if (!strcmp(c->done[i], name))
                        return true;
        if (c->ndone < 256)
                snprintf(c->done[c->ndone++], sizeof(c->done[0]), "%s", name);
        return false;
}

/* The link's position in lab:links() (1-based), 0 when deleted. */
static int link_position(const struct lab *lab, int link)
{
        int k = 0;
        for (int i = 0; i <= link && i < lab->nlinks; i++)
                k += lab_link_live(lab, i);
        return lab_link_live(lab, link) ? k : 0;
}

/* True when the table at t is a list of live nodes; write: as Lua. */
static bool node_list(lua_State *L, int t, struct lab *lab, FILE *out, bool write)
{
        lua_Integer n = luaL_len(L, t);
        if (n <= 0)
                return false;
        for (lua_Integer i = 1; i <= n; i++) {
                lua_geti(L, t, i);
                char k = 0;
                int idx = nlua_ref_of(L, -1, &k);
                lua_pop(L, 1);
                if (k != 'n' || !lab_node_live(lab, idx))
                        return false;
                if (write)
                        fprintf(out, "%slab:node(\"%s\")", i > 1 ? ", " : "", lab->nodes[idx].name);
        }
        return true;
}

/* The module name under which package.loaded holds the value at idx, or NULL. */
static const char *module_name(lua_State *L, int idx, char *buf, size_t len)
{
        idx = lua_absindex(L, idx);
        const char *found = NULL;
        lua_getglobal(L, "package");
        if (lua_istable(L, -1)) {
                lua_getfield(L, -1, "loaded");
                lua_pushnil(L);
                while (lua_next(L, -2)) {
                        if (!found && lua_rawequal(L, -1, idx) && lua_type(L, -2) == LUA_TSTRING) {
                                snprintf(buf, len, "%s", lua_tostring(L, -2));
                                found = buf;
                        }
                        lua_pop(L, 1);
                }
                lua_pop(L, 1);
        }
        lua_pop(L, 1);
        return found;
}

static void carry_function(struct carry *c, int fidx, const char *user, int depth);

/* The upvalue called name, its value at the top of the stack. */
static void carry_value(struct carry *c, const char *name, const char *user, int depth)
{
        lua_State *L = c->N->L;
        struct lab *lab = c->N->lab;
        FILE *out = c->out;
        if (!strcmp(name, "_ENV") || !strcmp(name, "lab") || carried(c, name))
                return;
        char kind = 0, mod[128];
        int idx = nlua_ref_of(L, -1, &kind);
        int t = lua_type(L, -1);
        if (kind == 'n' && lab_node_live(lab, idx)) {
                fprintf(out, "local %s = lab:node(\"%s\")\n", name, lab->nodes[idx].name);
        } else if (kind == 'k' && link_position(lab, idx)) {
                fprintf(out, "local %s = lab:links()[%d]\n", name, link_position(lab, idx));
        } else if (t == LUA_TTABLE && module_name(L, -1, mod, sizeof(mod))) {
                fprintf(out, "local %s = require(\"%s\")\n", name, mod);
        } else if (t == LUA_TTABLE && node_list(L, lua_gettop(L), lab, out, false)) {
                fprintf(out, "local %s = {", name);
                node_list(L, lua_gettop(L), lab, out, true);
                fputs("}\n", out);
        } else if (t == LUA_TNUMBER || t == LUA_TBOOLEAN || t == LUA_TSTRING) {
                lua_getglobal(L, "string");
                lua_getfield(L, -1, "format");
                lua_pushstring(L, "%q");
                lua_pushvalue(L, -4);
                if (lua_pcall(L, 2, 1, 0) == LUA_OK)
                        fprintf(out, "local %s = %s\n", name, lua_tostring(L, -1));
                lua_pop(L, 2);
        } else if (t == LUA_TFUNCTION && depth < 4) {
                carry_function(c, lua_gettop(L), user, depth + 1);
        } else {
                fprintf(out, "-- note: \"%s\" (used by %s) could not be saved\n", name, user);
        }
}

/* A Lua function of the lab's file: its upvalues, then (a helper, not the
 * experiment itself) its text. */
static void carry_function(struct carry *c, int fidx, const char *user, int depth)
{
        lua_State *L = c->N->L;
        lua_Debug ar;
        lua_pushvalue(L, fidx);
        lua_getinfo(L, ">S", &ar);
        if (ar.source[0] != '@' || ar.linedefined <= 0) {
                fprintf(c->out, "-- note: a function used by %s is not in a lab file\n", user);
                return;
        }
        char src[PATH_MAX];
        snprintf(src, sizeof(src), "%s", ar.source + 1);
        const char *up;
        for (int k = 1; (up = lua_getupvalue(L, fidx, k)); k++) {
                char nm[64];
                snprintf(nm, sizeof(nm), "%s", up);
                carry_value(c, nm, user, depth);
                lua_pop(L, 1);
        }
        if (depth > 0) {
                fprintf(c->out, "-- from %s:%d\n", src, ar.linedefined);
                if (!copy_lines(src, ar.linedefined, ar.lastlinedefined, c->out))
                        fprintf(c->out, "-- note: %s no longer holds it\n", src);
        }
}

/* The key under which a loaded module holds the function at fidx (frr.start
 * is require("netlab.frr").start): its module's name in mod, or NULL. */
static const char *module_function(lua_State *L, int fidx, char *mod, size_t mlen, char *key,
                                   size_t klen)
{
        const char *found = NULL;
        lua_getglobal(L, "package");
        if (lua_istable(L, -1)) {
                lua_getfield(L, -1, "loaded");
                lua_pushnil(L);
                while (!found && lua_next(L, -2)) {
                        if (lua_istable(L, -1) && lua_type(L, -2) == LUA_TSTRING) {
                                lua_pushnil(L);
                                while (lua_next(L, -2)) {
                                        if (!found && lua_type(L, -2) == LUA_TSTRING &&
                                            lua_rawequal(L, -1, fidx) &&
                                            !strpbrk(lua_tostring(L, -2), "\"\\\n") &&
                                            !strpbrk(lua_tostring(L, -4), "\"\\\n")) {
                                                snprintf(key, klen, "%s", lua_tostring(L, -2));
                                                snprintf(mod, mlen, "%s", lua_tostring(L, -4));
                                                found = mod;
                                        }
                                        lua_pop(L, 1);
                                }
                        }
                        lua_pop(L, 1);
                }
                if (found)
                        lua_pop(L, 1); /* lua_next's key, left when the loop stopped early */
                lua_pop(L, 1);
        }
        lua_pop(L, 1);
        return found;
}

/* lab:on_up's functions (netlab.core keeps them in the "list" upvalue of
 * the on_up experiment's function, each {fn, where, src, line}), carried as
 * the statements of the lab's file that registered them: the call's line to
 * the end of a function written in it, after what it uses; a function
 * defined before the call is carried as a helper, then the call's line; a
 * module's function (frr.start) is named through require. */
static void save_on_up(struct carry *c, const struct nlua_exp *e)
{
        lua_State *L = c->N->L;
        FILE *out = c->out;
        int top = lua_gettop(L);
        lua_rawgeti(L, LUA_REGISTRYINDEX, e->fn_ref);
        int wrapper = lua_gettop(L);
        const char *up;
        for (int k = 1; (up = lua_getupvalue(L, wrapper, k)); k++) {
                if (!strcmp(up, "list") && lua_istable(L, -1))
                        break;
                lua_pop(L, 1);
        }
        if (!up) {
                fputs("-- note: lab:on_up's functions could not be saved (add them back by hand)\n",
                      out);
                lua_settop(L, top);
                return;
        }
        int list = lua_gettop(L);
        fputs("\n-- What runs once the lab is up (lab:on_up), as written in the lab's file.\n", out);
        for (lua_Integer i = 1; i <= luaL_len(L, list); i++) {
                lua_geti(L, list, i);
                int u = lua_gettop(L);
                lua_getfield(L, u, "fn");
                lua_getfield(L, u, "where");
                lua_getfield(L, u, "src");
                lua_getfield(L, u, "line");
                int fn = u + 1;
                const char *where = lua_tostring(L, u + 2) ? lua_tostring(L, u + 2) : "?";
                const char *src = lua_tostring(L, u + 3);
                int line = (int)lua_tointeger(L, u + 4);
                char user[96], mod[128], key[128];
                snprintf(user, sizeof(user), "lab:on_up at %.80s", where);
                lua_Debug ar;
                lua_pushvalue(L, fn);
                lua_getinfo(L, ">S", &ar);
                bool here = src && src[0] == '@' && line > 0 && ar.source[0] == '@' &&
                            !strcmp(ar.source, src) && ar.linedefined > 0;
                if (here) { /* written in the lab's file */
                        bool inline_fn = ar.linedefined >= line;
                        carry_function(c, fn, user, inline_fn ? 0 : 1);
                        int last = inline_fn ? ar.lastlinedefined : line;
                        fprintf(out, "-- from %s:%d\n", src + 1, line);
                        if (!copy_lines(src + 1, line, last, out))
                                fprintf(out, "-- note: %s no longer holds it\n", src + 1);
                } else if (module_function(L, fn, mod, sizeof(mod), key, sizeof(key))) {
                        bool ident = lab_save_node_local(key) || !strcmp(key, "lab");
                        fprintf(out, "lab:on_up(require(\"%s\")%s%s%s) -- from %s\n", mod,
                                ident ? "." : "[\"", key, ident ? "" : "\"]", where);
                } else {
                        fprintf(out, "-- note: %s: its function could not be saved (add it back by "
                                     "hand)\n",
                                user);
                }
                lua_settop(L, list);
        }
        lua_settop(L, top);
}

/* The experiments, carried as their text in the lab's own file (the
 * experiment() call to its function's end), after what they use. */
static void save_experiments(struct nlua *N, FILE *out)
{
        lua_State *L = N->L;
        struct carry *c = calloc(1, sizeof(*c));
        if (!c)
                return;
        c->N = N;
        c->out = out;
        for (int i = 0; i < N->lab->nnodes; i++)
                if (lab_node_live(N->lab, i) && lab_save_node_local(N->lab->nodes[i].name))
                        carried(c, N->lab->nodes[i].name); /* the saved file has its local */
        int up = nlua_up_exp(N);
        if (up >= 0)
                save_on_up(c, &N->exp[up]);
        if (N->nexp > (up >= 0))
                fputs("\n-- The experiments, as written in the lab's file, after what they use.\n",
                      out);
        for (int i = 0; i < N->nexp; i++) {
                const struct nlua_exp *e = &N->exp[i];
                if (e->up)
                        continue;
                if (!e->src || !e->src[0] || e->line0 <= 0) {
                        fprintf(out, "-- experiment \"%s\" was not written in a lab file: not saved\n",
                                e->name);
                        continue;
                }
                char user[96];
                snprintf(user, sizeof(user), "experiment \"%.80s\"", e->name);
                lua_rawgeti(L, LUA_REGISTRYINDEX, e->fn_ref);
                carry_function(c, lua_gettop(L), user, 0);
                lua_pop(L, 1);
                fprintf(out, "-- from %s:%d\n", e->src, e->line0);
                if (!copy_lines(e->src, e->line0, e->line1, out))
                        fprintf(out, "-- experiment \"%s\": %s no longer holds it\n", e->name,
                                e->src);
        }
        free(c);
}

int nlua_save(struct nlua *N, const char *path, bool force, char *err)
{
        if (!N->lab)
                return errf(err, "no lab to save");
        size_t n = strlen(path);
        if (n < 5 || strcmp(path + n - 4, ".lua")) {
                errno = EINVAL;
                return errf(err, "save: \"%s\" is not a lab file name (it ends in .lua)", path);
        }
        FILE *out = save_open(path, force, err);
        if (!out)
                return -1;
        const char *spec = nlua_topo_spec(N->lab->file); /* not a temporary file's name */
        char from[1100];
        snprintf(from, sizeof(from), spec ? "`netlab %.1000s`" : "%.1000s", spec ? spec : N->lab->file);
        int rc = lab_save_lua(N->lab, path, from, out, err);
        if (rc == 0)
                save_experiments(N, out);
        if (fclose(out) != 0 && rc == 0)
                rc = errf_sys(err, NULL, "Cannot write \"%s\"", path);
        if (rc < 0)
                unlink(path);
        return rc;
}

static const char *const save_keys[] = {"force", NULL};

/* lab:save(path [, {force = true}]) → true, or nil, message */
static int l_lab_save(lua_State *L)
{
        struct nlua *N = nlua_from(L);
        const char *path = luaL_checkstring(L, 2);
        nlua_opts_check(L, 3, "lab:save", save_keys);
        bool force = false;
        if (lua_istable(L, 3)) {
                lua_getfield(L, 3, "force");
                force = lua_toboolean(L, -1);
                lua_pop(L, 1);
        }
        char err[ERRLEN];
        if (nlua_save(N, path, force, err) < 0)
                return nlua_fail(L, err);
        lua_pushboolean(L, 1);
        return 1;
}

static int remove_node(lua_State *L, int arg)
{
        struct nlua *N = nlua_from(L);
        int n = nlua_check_node(L, arg);
        char err[ERRLEN];
        if (live_del_node(N->lab, n, err) < 0)
                return nlua_raise(L, "%s", err);
        return 0;
}

/* lab:remove(node or name) */
static int l_lab_remove(lua_State *L)
{
        return remove_node(L, 2);
}

/* node:remove() */
static int l_node_remove(lua_State *L)
{
        return remove_node(L, 1);
}

/* link:remove() */
static int l_link_remove(lua_State *L)
{
        struct nlua *N = nlua_from(L);
        int l = nlua_check_link(L, 1);
        char err[ERRLEN];
        if (live_del_link(N->lab, l, err) < 0)
                return nlua_raise(L, "%s", err);
        return 0;
}

/* node:addr("eth0", "10.0.0.9/24"): on a running lab, at once. */
static int l_node_addr(lua_State *L)
{
        struct nlua *N = nlua_from(L);
        int n = nlua_check_node(L, 1);
        const char *ifname = luaL_checkstring(L, 2), *cidr = luaL_checkstring(L, 3);
        char err[ERRLEN];
        if (N->lab->state != LAB_UP) {
                int i = lab_find_iface(N->lab, n, ifname);
                if (i < 0)
                        return nlua_raise(L, "node:addr: '%s' has no interface '%s'",
                                          N->lab->nodes[n].name, ifname);
                if (lab_iface_add_addr(N->lab, i, cidr, err) < 0)
                        return nlua_raise(L, "%s", err);
        } else if (live_add_addr(N->lab, n, ifname, cidr, err) < 0) {
                return nlua_raise(L, "%s", err);
        }
        lua_settop(L, 1);
        return 1;
}

/* One VLAN id of link:vlan's table. */
static uint16_t vid_at(lua_State *L, int idx, const char *what)
{
        if (!lua_isinteger(L, idx) || lua_tointeger(L, idx) < 1 || lua_tointeger(L, idx) > 4094)
                nlua_raise(L, "link:vlan: %s: expected a VLAN id (1..4094), got %s", what,
                           lua_isinteger(L, idx) ? lua_tostring(L, idx) : luaL_typename(L, idx));
        return (uint16_t)lua_tointeger(L, idx);
}

static void vid_push(lua_State *L, struct vlan_entry *v, int *n, uint16_t vid, bool pvid,
                     bool untagged)
{
        if (*n >= 4094)
                nlua_raise(L, "link:vlan: more than 4094 VLAN entries");
        v[(*n)++] = (struct vlan_entry){.vid = vid, .pvid = pvid, .untagged = untagged};
}

/* link:vlan's table (and lab:link's vlan/trunk/vlans on a running lab) as
 * VLAN entries, in a userdata pushed on the stack (collected if a raise
 * comes); *n: how many. */
static struct vlan_entry *collect_vlans(lua_State *L, int opts, int *n)
{
        static const char *const entry_keys[] = {"vid", "pvid", "untagged", NULL};
        struct vlan_entry *v = lua_newuserdatauv(L, 4094 * sizeof(*v), 0);
        int top = lua_gettop(L);
        *n = 0;
        if (lua_getfield(L, opts, "vlan") != LUA_TNIL)
                vid_push(L, v, n, vid_at(L, -1, "vlan"), true, true);
        lua_settop(L, top);
        if (lua_getfield(L, opts, "trunk") != LUA_TNIL) {
                if (!lua_istable(L, -1))
                        nlua_raise(L, "link:vlan: trunk: expected a list of VLAN ids, e.g. {10, 20}");
                for (lua_Integer i = 1, len = luaL_len(L, -1); i <= len; i++) {
                        lua_geti(L, -1, i);
                        vid_push(L, v, n, vid_at(L, -1, "trunk"), false, false);
                        lua_pop(L, 1);
                }
        }
        lua_settop(L, top);
        if (lua_getfield(L, opts, "vlans") != LUA_TNIL) {
                if (!lua_istable(L, -1))
                        nlua_raise(L, "link:vlan: vlans: expected a list of {vid=N, pvid=bool, "
                                      "untagged=bool}");
                int t = lua_gettop(L);
                for (lua_Integer i = 1, len = luaL_len(L, t); i <= len; i++) {
                        lua_geti(L, t, i);
                        int e = lua_gettop(L);
                        if (lua_isinteger(L, e)) {
                                vid_push(L, v, n, vid_at(L, e, "vlans"), false, false);
                        } else {
                                if (!lua_istable(L, e))
                                        nlua_raise(L, "link:vlan: vlans: expected a VLAN id or "
                                                      "{vid=N, pvid=bool, untagged=bool}");
                                nlua_opts_check(L, e, "vlans entry", entry_keys);
                                lua_getfield(L, e, "vid");
                                uint16_t vid = vid_at(L, -1, "vlans");
                                lua_getfield(L, e, "pvid");
                                lua_getfield(L, e, "untagged");
                                vid_push(L, v, n, vid, lua_toboolean(L, -2), lua_toboolean(L, -1));
                        }
                        lua_settop(L, t);
                }
        }
        lua_settop(L, top);
        return v;
}

int nlua_link_set_vlans(lua_State *L, int link, int opts, char *err)
{
        struct lab *lab = nlua_from(L)->lab;
        int n;
        const struct vlan_entry *v = collect_vlans(L, opts, &n);
        const struct link *l = &lab->links[link];
        int ends[2] = {l->a, l->b}, any = 0, rc = 0;
        for (int k = 0; rc == 0 && k < 2; k++) {
                if (!lab_node_has(lab, lab->ifaces[ends[k]].node, KIND_BRIDGE))
                        continue;
                any++;
                rc = live_set_port_vlans(lab, ends[k], v, n, err);
        }
        lua_pop(L, 1);
        if (rc == 0 && !any) {
                errno = EINVAL;
                rc = errf(err, "link:vlan: neither '%s' nor '%s' is a switch",
                          lab->nodes[lab->ifaces[l->a].node].name,
                          lab->nodes[lab->ifaces[l->b].node].name);
        }
        return rc;
}

/* link:vlan{vlan = 10} | {trunk = {10, 20}} | {vlans = {{vid, pvid, untagged}, 20}} | {}:
 * the switch end's VLANs (each switch end's, as lab:link sets them) replaced
 * on the running lab, on the kernel bridge or the userspace datapath; {}
 * is the bridge's default (VLAN 1, PVID, untagged). */
static int l_link_vlan(lua_State *L)
{
        static const char *const keys[] = {"vlan", "trunk", "vlans", NULL};
        struct nlua *N = nlua_from(L);
        int li = nlua_check_link(L, 1);
        luaL_checktype(L, 2, LUA_TTABLE);
        nlua_opts_check(L, 2, "link:vlan", keys);
        if (N->lab->state != LAB_UP)
                nlua_raise(L, "link:vlan: the lab is not running (before the build, give "
                              "vlan/trunk/vlans to lab:link)");
        char err[ERRLEN];
        if (nlua_link_set_vlans(L, li, 2, err) < 0)
                nlua_raise(L, "%s", err);
        lua_settop(L, 1);
        return 1;
}

void nlua_live_methods(lua_State *L, const char *mt)
{
        static const luaL_Reg lab_fns[] = {{"save", l_lab_save}, {"remove", l_lab_remove},
                                           {NULL, NULL}};
        static const luaL_Reg node_fns[] = {{"remove", l_node_remove}, {"addr", l_node_addr},
                                            {NULL, NULL}};
        static const luaL_Reg link_fns[] = {{"remove", l_link_remove}, {"vlan", l_link_vlan},
                                            {NULL, NULL}};
        const luaL_Reg *fns = !strcmp(mt, "netlab.lab")    ? lab_fns
                              : !strcmp(mt, "netlab.node") ? node_fns
                                                           : link_fns;
        luaL_getmetatable(L, mt);
        lua_getfield(L, -1, "methods");
        luaL_setfuncs(L, fns, 0);
        lua_pop(L, 2);
}
