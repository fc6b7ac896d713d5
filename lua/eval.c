/* eval.c — `lua CODE` at the console (Mininet's `py`): a line of Lua run in
 * the lab's own state, with `lab` and every node by name in scope.
 *
 * The line runs as a coroutine in the experiments' slot (N->co), so that
 * node:cmd, node:ping and netlab.sleep yield to the console's loop exactly
 * as they do inside an experiment; the driver resumes it with
 * nlua_exp_resume and stops it with nlua_exp_abort. Its values are printed
 * (print goes to the on_print hook), as a Lua REPL does. Globals it sets
 * stay for the next line. */
#include "nlua_int.h"
#include <lauxlib.h>
#include <string.h>

/* The line's environment: the globals first, then `lab` and the nodes. */
static const char env_src[] = "local G, lab = ...\n"
                              "return setmetatable({}, {\n"
                              "  __index = function(_, k)\n"
                              "    local v = G[k]\n"
                              "    if v ~= nil then return v end\n"
                              "    if k == 'lab' then return lab end\n"
                              "    if type(k) == 'string' then\n"
                              "      local ok, n = pcall(lab.node, lab, k)\n"
                              "      if ok then return n end\n"
                              "    end\n"
                              "  end,\n"
                              "  __newindex = G })\n";

/* The coroutine's body: calls the chunk (its upvalue), yieldable, then
 * prints what it returned. */
static int body_k(lua_State *L, int status, lua_KContext ctx)
{
        (void)status, (void)ctx;
        return lua_gettop(L) ? nlua_print(L) : 0; /* what print() does with them */
}

static int body(lua_State *L)
{
        lua_settop(L, 0);
        lua_pushvalue(L, lua_upvalueindex(1));
        lua_callk(L, 0, LUA_MULTRET, 0, body_k);
        return body_k(L, LUA_OK, 0);
}

bool nlua_eval_running(struct nlua *N)
{
        return N->co && N->running < 0;
}

int nlua_eval_start(struct nlua *N, const char *code, char *err)
{
        lua_State *L = N->L;
        if (N->co)
                return errf(err,
                            N->running >= 0 ? "experiment \"%s\" is running"
                                            : "a lua line is still running",
                            N->running >= 0 ? N->exp[N->running].name : "");
        if (!N->lab)
                return errf(err, "no lab declared");
        int top = lua_gettop(L);
        /* An expression is printed; a statement is run ("return x" first,
         * as Lua's own REPL does). */
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        luaL_addstring(&b, "return ");
        luaL_addstring(&b, code);
        luaL_pushresult(&b);
        if (luaL_loadbuffer(L, lua_tostring(L, -1), lua_rawlen(L, -1), "=lua") != LUA_OK) {
                lua_pop(L, 2);
                if (luaL_loadbuffer(L, code, strlen(code), "=lua") != LUA_OK) {
                        errf(err, "%s", lua_tostring(L, -1));
                        lua_settop(L, top);
                        return -1;
                }
        } else {
                lua_remove(L, -2);
        }
        /* chunk's _ENV (its first upvalue) */
        if (luaL_loadbuffer(L, env_src, sizeof(env_src) - 1, "=[netlab] lua env") != LUA_OK) {
                errf(err, "%s", lua_tostring(L, -1));
                lua_settop(L, top);
                return -1;
        }
        lua_pushglobaltable(L);
        lua_rawgeti(L, LUA_REGISTRYINDEX, N->lab_ref);
        if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
                errf(err, "%s", lua_tostring(L, -1));
                lua_settop(L, top);
                return -1;
        }
        lua_setupvalue(L, -2, 1);
        lua_pushcclosure(L, body, 1);
        lua_State *co = lua_newthread(L);
        N->co_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        lua_xmove(L, co, 1);
        lua_settop(L, top);
        N->co = co;
        nlua_tl_start(N);
        N->running = -1;
        N->wait.fd = -1;
        N->wait.timeout_ms = 0;
        return 0;
}
