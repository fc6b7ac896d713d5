/* embedded.h — the Lua library (the .lua files of lua/netlab/) compiled into the binary. */
#ifndef NETLAB_EMBEDDED_H
#define NETLAB_EMBEDDED_H
#include <stddef.h>

struct lua_embedded {
        const char *module; /* "netlab.topo" */
        const char *source;
        size_t len;
};

/* Terminated by an entry whose module is NULL. */
extern const struct lua_embedded lua_embedded[];

#endif
