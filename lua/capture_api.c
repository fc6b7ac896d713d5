/* capture_api.c — link:capture{at = NODE, file = "x.pcap"} from Lua: a
 * capture on one end of a link (src/capture.h) whose frames a check can
 * read: cap:frames() (those seen so far), cap:stop() (the last ones, then
 * the file closed), each frame {t, len, vlan, out, line}. The frames wait in
 * the socket's buffer until asked for, so an experiment needs no loop. */
#include "capture.h"
#include "nlua_int.h"
#include <lauxlib.h>
#include <string.h>

#define MT_CAPTURE "netlab.capture"
#define CAPTURE_TAG 0x43415054u /* "CAPT" */

struct lcap {
        uint32_t tag;
        struct capture *cap;
        char where[96];
};

static struct lcap *check_cap(lua_State *L)
{
        struct lcap *c = luaL_testudata(L, 1, MT_CAPTURE);
        if (!c || lua_rawlen(L, 1) != sizeof(*c) || c->tag != CAPTURE_TAG)
                nlua_raise(L, "bad argument #1: expected a capture (link:capture), got %s",
                           luaL_typename(L, 1));
        return c;
}

struct push_ctx {
        lua_State *L;
        int tbl;
};

static void push_frame(void *ud, const struct capture_frame *f)
{
        struct push_ctx *p = ud;
        lua_State *L = p->L;
        lua_createtable(L, 0, 5);
        lua_pushnumber(L, f->t);
        lua_setfield(L, -2, "t");
        lua_pushinteger(L, (lua_Integer)f->len);
        lua_setfield(L, -2, "len");
        if (f->vid >= 0) {
                lua_pushinteger(L, f->vid);
                lua_setfield(L, -2, "vlan");
        }
        lua_pushboolean(L, f->outgoing);
        lua_setfield(L, -2, "out");
        lua_pushstring(L, f->line);
        lua_setfield(L, -2, "line");
        lua_rawseti(L, p->tbl, (lua_Integer)lua_rawlen(L, p->tbl) + 1);
}

/* Reads what waits into the frames table (the userdata's user value); with
 * stop, closes the capture. Leaves the table on the stack. */
static int drain(lua_State *L, struct lcap *c, bool stop)
{
        lua_getiuservalue(L, 1, 1);
        struct push_ctx p = {L, lua_gettop(L)};
        char err[ERRLEN];
        int rc = 0;
        if (c->cap && stop) {
                rc = capture_stop(c->cap, push_frame, &p, err);
                c->cap = NULL;
        } else if (c->cap) {
                rc = capture_read(c->cap, push_frame, &p, err) < 0 ? -1 : 0;
        }
        if (rc < 0)
                nlua_raise(L, "%s", err);
        return 1;
}

static int l_cap_frames(lua_State *L)
{
        return drain(L, check_cap(L), false);
}

static int l_cap_stop(lua_State *L)
{
        return drain(L, check_cap(L), true);
}

static int l_cap_gc(lua_State *L)
{
        struct lcap *c = luaL_testudata(L, 1, MT_CAPTURE);
        if (c && c->tag == CAPTURE_TAG && c->cap) {
                capture_stop(c->cap, NULL, NULL, NULL);
                c->cap = NULL;
        }
        return 0;
}

static int l_cap_tostring(lua_State *L)
{
        struct lcap *c = check_cap(L);
        lua_pushfstring(L, "capture on %s%s", c->where, c->cap ? "" : " (stopped)");
        return 1;
}

static int push_capture(lua_State *L, struct lab *lab, int ifx, const char *file);

/* node:_capture(ifname) (node:capture in core.lua): a capture on any
 * interface of the node, a subinterface too; the node at 1. */
int nlua_node_capture(lua_State *L, struct lab *lab, int node)
{
        const char *ifname = luaL_checkstring(L, 2);
        if (lab->state != LAB_UP)
                nlua_raise(L, "node:capture: the lab is not built (capture inside an experiment)");
        int ifx = lab_find_iface(lab, node, ifname);
        if (ifx < 0)
                nlua_raise(L, "node:capture: '%s' has no interface '%s'", lab->nodes[node].name,
                           ifname);
        return push_capture(L, lab, ifx, NULL);
}

/* link:capture{at = NODE, file = PATH}; the link at 1, options at 2. */
int nlua_link_capture(lua_State *L, struct lab *lab, int link)
{
        static const char *const keys[] = {"at", "file", NULL};
        nlua_opts_check(L, 2, "link:capture", keys);
        if (lab->state != LAB_UP)
                nlua_raise(L, "link:capture: the lab is not built (capture inside an experiment)");
        const struct link *lk = &lab->links[link];
        int ifx = lk->a;
        const char *file = NULL;
        if (lua_istable(L, 2)) {
                if (lua_getfield(L, 2, "at") != LUA_TNIL) {
                        int n = nlua_check_node(L, -1);
                        if (lab->ifaces[lk->a].node == n)
                                ifx = lk->a;
                        else if (lab->ifaces[lk->b].node == n)
                                ifx = lk->b;
                        else
                                nlua_raise(L, "link:capture: node '%s' is not on this link",
                                           lab->nodes[n].name);
                }
                lua_pop(L, 1);
                if (lua_getfield(L, 2, "file") != LUA_TNIL)
                        file = luaL_checkstring(L, -1);
                lua_pop(L, 1);
        }
        return push_capture(L, lab, ifx, file);
}

/* The capture handle of iface ifx (its frames kept in its user value), or nil, message. */
static int push_capture(lua_State *L, struct lab *lab, int ifx, const char *file)
{
        struct lcap *c = lua_newuserdatauv(L, sizeof(*c), 1);
        memset(c, 0, sizeof(*c));
        c->tag = CAPTURE_TAG;
        iface_label(lab, ifx, c->where, sizeof(c->where));
        if (luaL_newmetatable(L, MT_CAPTURE)) {
                static const luaL_Reg meta[] = {{"__gc", l_cap_gc},
                                                {"__close", l_cap_gc},
                                                {"__tostring", l_cap_tostring},
                                                {NULL, NULL}};
                static const luaL_Reg methods[] = {
                    {"frames", l_cap_frames}, {"stop", l_cap_stop}, {NULL, NULL}};
                luaL_setfuncs(L, meta, 0);
                luaL_newlib(L, methods);
                lua_setfield(L, -2, "__index");
        }
        lua_setmetatable(L, -2);
        lua_newtable(L);
        lua_setiuservalue(L, -2, 1);
        char err[ERRLEN];
        c->cap = capture_start(lab, ifx, file, err);
        if (!c->cap)
                return nlua_fail(L, err);
        return 1;
}
