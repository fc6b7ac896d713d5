/* series.c — lab:series(name [, {unit = "ms"}]): samples an experiment
 * records over its timeline, written as CSV and plotted by the console.
 *
 *   local rtt = lab:series("rtt", { unit = "ms" })
 *   rtt:add(12.5)          -- t = netlab.elapsed()
 *   rtt:add(3.0, 12.5)     -- t given
 *   rtt:csv()              -- netlab-out/LAB/rtt.csv (the path is returned and printed)
 *
 * The same name gives the same series (an experiment run again adds to it
 * unless it calls series:clear()). Samples live in the C state so that the
 * console reads them without Lua (nlua_series_find). */
#include "nlua_int.h"
#include "monotime.h"
#include <errno.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MT_SERIES "netlab.series"
#define SERIES_MAX 1000000 /* samples per series */

int nlua_series_count(struct nlua *N)
{
        return N->nseries;
}

const struct nlua_series *nlua_series_at(struct nlua *N, int i)
{
        return i >= 0 && i < N->nseries ? N->series[i] : NULL;
}

const struct nlua_series *nlua_series_find(struct nlua *N, const char *name)
{
        for (int i = 0; i < N->nseries; i++)
                if (!strcmp(N->series[i]->name, name))
                        return N->series[i];
        return NULL;
}

void nlua_series_free(struct nlua *N)
{
        for (int i = 0; i < N->nseries; i++) {
                free(N->series[i]->t);
                free(N->series[i]->v);
                free(N->series[i]);
        }
        free(N->series);
        N->series = NULL;
        N->nseries = 0;
}

static struct nlua_series *check_series(lua_State *L, int idx)
{
        struct nlua *N = nlua_from(L);
        int i = *(int *)luaL_checkudata(L, idx, MT_SERIES);
        return N->series[i];
}

static bool name_ok(const char *s)
{
        if (!*s || strlen(s) >= sizeof(((struct nlua_series *)0)->name) || s[0] == '.')
                return false;
        for (; *s; s++)
                if (!(*s == '_' || *s == '-' || *s == '.' || (*s >= '0' && *s <= '9') ||
                      ((*s | 32) >= 'a' && (*s | 32) <= 'z')))
                        return false;
        return true;
}

static const char *const series_keys[] = {"unit", NULL};

/* lab:series(name [, {unit = "ms"}]) */
static int l_lab_series(lua_State *L)
{
        struct nlua *N = nlua_from(L);
        const char *name = luaL_checkstring(L, 2);
        nlua_opts_check(L, 3, "lab:series", series_keys);
        if (!name_ok(name))
                return nlua_raise(L,
                                  "lab:series: invalid name '%s' (up to 63 letters, digits, '_', "
                                  "'-', '.'; it names its CSV file)",
                                  name);
        const char *unit = NULL;
        if (lua_istable(L, 3)) {
                lua_getfield(L, 3, "unit");
                if (!lua_isnil(L, -1)) {
                        unit = lua_tostring(L, -1);
                        if (lua_type(L, -1) != LUA_TSTRING || strlen(unit) >= 16)
                                return nlua_raise(L, "lab:series: unit is a string of up to 15 "
                                                     "characters (\"ms\", \"Mbit/s\")");
                }
        }
        int i;
        for (i = 0; i < N->nseries; i++)
                if (!strcmp(N->series[i]->name, name))
                        break;
        if (i == N->nseries) {
                struct nlua_series **a =
                    realloc(N->series, (size_t)(N->nseries + 1) * sizeof(*a));
                if (!a)
                        return luaL_error(L, "out of memory");
                N->series = a;
                struct nlua_series *s = calloc(1, sizeof(*s));
                if (!s)
                        return luaL_error(L, "out of memory");
                snprintf(s->name, sizeof(s->name), "%s", name);
                N->series[N->nseries++] = s;
        }
        if (unit)
                snprintf(N->series[i]->unit, sizeof(N->series[i]->unit), "%s", unit);
        int *h = lua_newuserdatauv(L, sizeof(int), 0);
        *h = i;
        luaL_setmetatable(L, MT_SERIES);
        return 1;
}

static double check_num(lua_State *L, int idx, const char *what)
{
        if (lua_type(L, idx) != LUA_TNUMBER)
                nlua_raise(L, "series:add: %s must be a number, got %s", what,
                           luaL_typename(L, idx));
        double v = lua_tonumber(L, idx);
        if (v != v)
                nlua_raise(L, "series:add: %s is not a number (nan)", what);
        return v;
}

/* series:add(value) or series:add(t, value) → the series */
static int l_add(lua_State *L)
{
        struct nlua *N = nlua_from(L);
        struct nlua_series *s = check_series(L, 1);
        double t, v;
        if (lua_gettop(L) >= 3) {
                t = check_num(L, 2, "t");
                v = check_num(L, 3, "the value");
        } else {
                t = (double)(monotime_ns() - N->tl.t0_ns) / 1e9;
                v = check_num(L, 2, "the value");
        }
        if (s->n == SERIES_MAX)
                return nlua_raise(L, "series:add: series '%s' is full (%d samples)", s->name,
                                  SERIES_MAX);
        if (s->n == s->cap) {
                size_t cap = s->cap ? s->cap * 2 : 64;
                double *a = realloc(s->t, cap * sizeof(*a));
                if (!a)
                        return luaL_error(L, "out of memory");
                s->t = a;
                a = realloc(s->v, cap * sizeof(*a));
                if (!a)
                        return luaL_error(L, "out of memory");
                s->v = a;
                s->cap = cap;
        }
        s->t[s->n] = t;
        s->v[s->n] = v;
        s->n++;
        s->gen++;
        lua_settop(L, 1);
        return 1;
}

static int l_len(lua_State *L)
{
        lua_pushinteger(L, (lua_Integer)check_series(L, 1)->n);
        return 1;
}

/* series:samples() → {{t = .., v = ..}, ...} */
static int l_samples(lua_State *L)
{
        struct nlua_series *s = check_series(L, 1);
        lua_createtable(L, (int)s->n, 0);
        for (size_t i = 0; i < s->n; i++) {
                lua_createtable(L, 0, 2);
                lua_pushnumber(L, s->t[i]);
                lua_setfield(L, -2, "t");
                lua_pushnumber(L, s->v[i]);
                lua_setfield(L, -2, "v");
                lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        return 1;
}

static int l_clear(lua_State *L)
{
        struct nlua_series *s = check_series(L, 1);
        s->n = 0;
        s->gen++;
        return 0;
}

static int mkdirs(char *path)
{
        for (char *p = path + 1; *p; p++) {
                if (*p != '/')
                        continue;
                *p = '\0';
                int r = mkdir(path, 0755);
                *p = '/';
                if (r < 0 && errno != EEXIST)
                        return -1;
        }
        return 0;
}

/* series:csv([FILE]) → the path written ("t,NAME" then a line per sample);
 * nil, message when it cannot be written. Default: netlab-out/LAB/NAME.csv
 * in the current directory (the lab's run directory goes with the lab). */
static int l_csv(lua_State *L)
{
        struct nlua *N = nlua_from(L);
        struct nlua_series *s = check_series(L, 1);
        char path[4096];
        if (!lua_isnoneornil(L, 2)) {
                const char *p = luaL_checkstring(L, 2);
                if (!*p || strlen(p) >= sizeof(path))
                        return nlua_raise(L, "series:csv: expected a file name");
                snprintf(path, sizeof(path), "%s", p);
        } else {
                snprintf(path, sizeof(path), "netlab-out/%s/%s.csv",
                         N->lab ? N->lab->name : "lab", s->name);
        }
        char err[ERRLEN];
        FILE *f = NULL;
        if (mkdirs(path) == 0)
                f = fopen(path, "w");
        if (!f) {
                snprintf(err, sizeof(err), "Cannot write \"%.400s\": %s", path, strerror(errno));
                return nlua_fail(L, err);
        }
        fprintf(f, "t,%s%s%s%s\n", s->name, s->unit[0] ? " (" : "", s->unit,
                s->unit[0] ? ")" : "");
        for (size_t i = 0; i < s->n; i++)
                fprintf(f, "%.6f,%.10g\n", s->t[i], s->v[i]);
        if (fclose(f) != 0) {
                snprintf(err, sizeof(err), "Cannot write \"%.400s\": %s", path, strerror(errno));
                return nlua_fail(L, err);
        }
        nlua_note(N, "series %s: %zu samples in %s", s->name, s->n, path);
        lua_pushstring(L, path);
        return 1;
}

static int l_index(lua_State *L)
{
        struct nlua_series *s = check_series(L, 1);
        const char *k = lua_tostring(L, 2);
        if (k && !strcmp(k, "name")) {
                lua_pushstring(L, s->name);
                return 1;
        }
        if (k && !strcmp(k, "unit")) {
                lua_pushstring(L, s->unit);
                return 1;
        }
        lua_getmetatable(L, 1);
        lua_getfield(L, -1, "methods");
        lua_pushvalue(L, 2);
        lua_rawget(L, -2);
        if (lua_isnil(L, -1) && k)
                return nlua_raise(L, "series has no field '%s' (add, csv, samples, clear, name, "
                                     "unit, #)",
                                  k);
        return 1;
}

static int l_tostring(lua_State *L)
{
        struct nlua_series *s = check_series(L, 1);
        lua_pushfstring(L, "series %s (%d samples)", s->name, (int)s->n);
        return 1;
}

void nlua_series_open(lua_State *L, const char *lab_mt)
{
        static const luaL_Reg methods[] = {{"add", l_add},     {"csv", l_csv},
                                           {"samples", l_samples}, {"clear", l_clear},
                                           {NULL, NULL}};
        luaL_newmetatable(L, MT_SERIES);
        luaL_newlib(L, methods);
        lua_setfield(L, -2, "methods");
        lua_pushcfunction(L, l_index);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, l_len);
        lua_setfield(L, -2, "__len");
        lua_pushcfunction(L, l_tostring);
        lua_setfield(L, -2, "__tostring");
        lua_pop(L, 1);
        luaL_getmetatable(L, lab_mt);
        lua_getfield(L, -1, "methods");
        lua_pushcfunction(L, l_lab_series);
        lua_setfield(L, -2, "series");
        lua_pop(L, 2);
}
