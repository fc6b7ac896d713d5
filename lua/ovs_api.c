/* ovs_api.c — the Lua side of switch classes and OpenFlow controllers
 * (swclass.h, ovs.h): lab:switch's class and fail_mode options,
 * lab:defaults{switch_class, fail_mode}, and the C half of
 * lab:controller, node:dpctl and node:ready (netlab/ovs.lua wraps them). */
#include "nlua_int.h"
#include "lab.h"
#include "ovs.h"
#include "swclass.h"
#include <errno.h>
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

static struct lab *lab_of(lua_State *L)
{
        struct nlua *N = nlua_from(L);
        if (!N->lab)
                nlua_raise(L, "no lab declared (netlab.lab(...) first)");
        return N->lab;
}

static const char *str_field(lua_State *L, int idx, const char *k, const char *what)
{
        if (lua_isnoneornil(L, idx) || lua_getfield(L, idx, k) == LUA_TNIL) {
                if (!lua_isnoneornil(L, idx))
                        lua_pop(L, 1);
                return NULL;
        }
        if (lua_type(L, -1) != LUA_TSTRING)
                nlua_raise(L, "%s: %s must be a string, got %s", what, k, luaL_typename(L, -1));
        const char *s = lua_tostring(L, -1);
        lua_pop(L, 1); /* the table keeps it alive */
        return s;
}

/* class and fail_mode of lab:switch(name, opts); opts at idx. */
void nlua_switch_opts(lua_State *L, struct lab *lab, int node, int idx)
{
        char err[ERRLEN];
        const char *cls = str_field(L, idx, "class", "lab:switch");
        if (cls) {
                int id = swclass_parse(cls, err);
                if (id < 0)
                        nlua_raise(L, "lab:switch: %s", err);
                lab->nodes[node].swclass = id;
        }
        const char *fm = str_field(L, idx, "fail_mode", "lab:switch");
        if (fm && ovs_fail_mode_parse(fm, &lab->nodes[node].fail_mode, err) < 0)
                nlua_raise(L, "lab:switch: %s", err);
        if (fm && lab->nodes[node].swclass != SWCLASS_OVS)
                nlua_raise(L, "lab:switch: fail_mode is for switches of class \"ovs\"");
        if (lab->nodes[node].swclass != SWCLASS_AUTO &&
            swclass_get(lab->nodes[node].swclass)->setup &&
            swclass_get(lab->nodes[node].swclass)->setup(lab, node, err) < 0 &&
            lab->nodes[node].swclass == SWCLASS_OVS)
                nlua_raise(L, "%s", err); /* OVS missing: say so at the switch's line */
}

/* lab:defaults{switch_class = "ovs", fail_mode = "secure"}: for the
 * switches made after it. */
static int l_lab_defaults(lua_State *L)
{
        struct lab *lab = lab_of(L);
        static const char *const keys[] = {"switch_class", "fail_mode", NULL};
        luaL_checktype(L, 2, LUA_TTABLE);
        nlua_opts_check(L, 2, "lab:defaults", keys);
        char err[ERRLEN];
        const char *cls = str_field(L, 2, "switch_class", "lab:defaults");
        if (cls) {
                int id = swclass_parse(cls, err);
                if (id < 0)
                        nlua_raise(L, "lab:defaults: %s", err);
                if (id == SWCLASS_OVS && ovs_check_installed(err) < 0)
                        nlua_raise(L, "lab:defaults: %s", err);
                lab->switch_class = id;
        }
        const char *fm = str_field(L, 2, "fail_mode", "lab:defaults");
        if (fm && ovs_fail_mode_parse(fm, &lab->fail_mode, err) < 0)
                nlua_raise(L, "lab:defaults: %s", err);
        lua_settop(L, 1);
        return 1;
}

/* lab:_controller(name, kind, ip, port) → index (0-based) */
static int l_lab_controller(lua_State *L)
{
        struct lab *lab = lab_of(L);
        const char *name = luaL_checkstring(L, 2), *kind = luaL_checkstring(L, 3);
        const char *ip = luaL_optstring(L, 4, NULL);
        lua_Integer port = luaL_optinteger(L, 5, OVS_CTL_PORT);
        char err[ERRLEN], w[96];
        enum ovs_ctl_kind k;
        if (!strcmp(kind, "ref"))
                k = OVS_CTL_REF;
        else if (!strcmp(kind, "remote"))
                k = OVS_CTL_REMOTE;
        else
                return nlua_raise(L, "lab:controller: kind \"%s\": expected \"ref\" (Open "
                                     "vSwitch's reference controller) or \"remote\"",
                                  kind);
        if (k == OVS_CTL_REF && ovs_check_controller_installed(err) < 0)
                return nlua_raise(L, "lab:controller: %s", err);
        if (k == OVS_CTL_REF && ip)
                return nlua_raise(L, "lab:controller: ip is for kind = \"remote\" (a ref "
                                     "controller listens on the lab's own socket)");
        if (k == OVS_CTL_REMOTE && !ip)
                return nlua_raise(L, "lab:controller: kind = \"remote\" needs ip (and port, "
                                     "%d by default)",
                                  OVS_CTL_PORT);
        nlua_where(L, w, sizeof(w));
        int idx = ovs_add_controller(lab, name, k, ip, port < 0 || port > 65535 ? 0 : (int)port,
                                     w, err);
        if (idx < 0)
                return nlua_raise(L, "lab:controller: %s", err);
        lua_pushinteger(L, idx);
        return 1;
}

/* lab:_ctl(name, "stop"|"start"|"state") */
static int l_lab_ctl(lua_State *L)
{
        struct lab *lab = lab_of(L);
        const char *name = luaL_checkstring(L, 2), *op = luaL_checkstring(L, 3);
        int c = ovs_find_controller(lab, name);
        if (c < 0)
                return nlua_raise(L, "no controller \"%s\" in lab \"%s\"", name, lab->name);
        char err[ERRLEN];
        if (!strcmp(op, "state")) {
                char st[256];
                ovs_ctl_state(lab, c, st, sizeof(st));
                lua_pushstring(L, st);
                return 1;
        }
        int rc = !strcmp(op, "stop") ? ovs_ctl_stop(lab, c, err) : ovs_ctl_start(lab, c, err);
        if (rc < 0)
                return nlua_fail(L, err);
        lua_pushboolean(L, 1);
        return 1;
}

static int switch_arg(lua_State *L, const char *what)
{
        struct lab *lab = lab_of(L);
        int n = nlua_check_node(L, 1);
        if (!lab_node_has(lab, n, KIND_BRIDGE))
                nlua_raise(L, "%s: \"%s\" is a %s, not a switch", what, lab->nodes[n].name,
                           lab->nodes[n].kind->name);
        return n;
}

/* node:_dpctl_cmd(cmd) → the shell command line (run in the switch) */
static int l_node_dpctl_cmd(lua_State *L)
{
        struct lab *lab = lab_of(L);
        int n = switch_arg(L, "switch:dpctl");
        const char *cmd = luaL_checkstring(L, 2);
        char sh[8192], err[ERRLEN];
        const struct switch_class *c = swclass_get(swclass_of(lab, n));
        if (c->dpctl(lab, n, cmd, sh, sizeof(sh), err) < 0)
                return nlua_fail(L, err);
        lua_pushstring(L, sh);
        return 1;
}

/* node:ready() → true|false, state (Mininet's switch.connected()) */
static int l_node_ready(lua_State *L)
{
        struct lab *lab = lab_of(L);
        int n = switch_arg(L, "switch:ready");
        char st[512];
        const struct switch_class *c = swclass_get(swclass_of(lab, n));
        int r = c->ready(lab, n, st, sizeof(st));
        lua_pushboolean(L, r > 0);
        lua_pushstring(L, st);
        return 2;
}

/* node:switch_class() → "bridge"|"user"|"ovs" (nil for "auto") */
static int l_node_switch_class(lua_State *L)
{
        struct lab *lab = lab_of(L);
        int n = switch_arg(L, "switch:switch_class");
        int id = swclass_of(lab, n);
        if (id == SWCLASS_AUTO)
                lua_pushnil(L);
        else
                lua_pushstring(L, swclass_get(id)->name);
        return 1;
}

void nlua_ovs_methods(lua_State *L, const char *mt)
{
        static const luaL_Reg lab_fns[] = {{"defaults", l_lab_defaults},
                                           {"_controller", l_lab_controller},
                                           {"_ctl", l_lab_ctl},
                                           {NULL, NULL}};
        static const luaL_Reg node_fns[] = {{"_dpctl_cmd", l_node_dpctl_cmd},
                                            {"ready", l_node_ready},
                                            {"switch_class", l_node_switch_class},
                                            {NULL, NULL}};
        luaL_getmetatable(L, mt);
        lua_getfield(L, -1, "methods");
        luaL_setfuncs(L, !strcmp(mt, "netlab.lab") ? lab_fns : node_fns, 0);
        lua_pop(L, 2);
}
