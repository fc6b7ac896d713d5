/* kind_host.c — a host: an end node with addresses, gateways and routes
 * (lab:host). Its interfaces are eth0, eth1, ...; it needs no hook. */
#include "kind.h"
#include <stddef.h>

static const char *const host_keys[] = {"ip", "gw", "ipv6", "routes", "dirs", NULL};
static const struct kind_sysctl host_sysctls[] = {{NULL, NULL, false}};

const struct node_kind kind_host = {
    .name = "host",
    .lua_keys = host_keys,
    .ifprefix = "eth",
    .ifbase = 0,
    .flags = KIND_L3,
    .sysctls = host_sysctls,
};
