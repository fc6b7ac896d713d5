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

/* True when an upvalue called name will be there in the saved file: the
 * lab, the environment, or a node's local. */
static bool saved_name(const struct lab *lab, const char *name)
{
        if (!strcmp(name, "_ENV") || !strcmp(name, "lab"))
                return true;
        int n = lab_find_node(lab, name);
        return lab_node_live(lab, n);
}

/* The experiments, carried as their text in the lab's own file (the
 * experiment() call to its function's end), with a note for what cannot be. */
static void save_experiments(struct nlua *N, FILE *out)
{
        lua_State *L = N->L;
        if (N->nexp)
                fputs("\n-- The experiments, as written in the lab's file.\n", out);
        for (int i = 0; i < N->nexp; i++) {
                const struct nlua_exp *e = &N->exp[i];
                if (!e->src || !e->src[0] || e->line0 <= 0) {
                        fprintf(out, "-- experiment \"%s\" was not written in a lab file: not saved\n",
                                e->name);
                        continue;
                }
                lua_rawgeti(L, LUA_REGISTRYINDEX, e->fn_ref);
                const char *up;
                for (int k = 1; (up = lua_getupvalue(L, -1, k)); k++) {
                        if (!saved_name(N->lab, up))
                                fprintf(out,
                                        "-- note: experiment \"%s\" uses \"%s\" from %s, which "
                                        "is not saved\n",
                                        e->name, up, e->src);
                        lua_pop(L, 1);
                }
                lua_pop(L, 1);
                fprintf(out, "-- from %s:%d\n", e->src, e->line0);
                if (!copy_lines(e->src, e->line0, e->line1, out))
                        fprintf(out, "-- experiment \"%s\": %s no longer holds it\n", e->name,
                                e->src);
        }
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
        int rc = lab_save_lua(N->lab, out, err);
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

void nlua_live_methods(lua_State *L, const char *mt)
{
        static const luaL_Reg lab_fns[] = {{"save", l_lab_save}, {"remove", l_lab_remove},
                                           {NULL, NULL}};
        static const luaL_Reg node_fns[] = {{"remove", l_node_remove}, {"addr", l_node_addr},
                                            {NULL, NULL}};
        static const luaL_Reg link_fns[] = {{"remove", l_link_remove}, {NULL, NULL}};
        const luaL_Reg *fns = !strcmp(mt, "netlab.lab")    ? lab_fns
                              : !strcmp(mt, "netlab.node") ? node_fns
                                                           : link_fns;
        luaL_getmetatable(L, mt);
        lua_getfield(L, -1, "methods");
        luaL_setfuncs(L, fns, 0);
        lua_pop(L, 2);
}
