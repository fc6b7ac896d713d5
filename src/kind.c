/* kind.c — the list of node kinds (kind.h). A new kind is a kind_NAME.c
 * file defining its struct node_kind, and one entry here. */
#include "kind.h"
#include <stddef.h>
#include <string.h>

const struct node_kind *const node_kinds[] = {&kind_host, &kind_switch, &kind_router, &kind_nat,
                                              NULL};

const struct node_kind *node_kind_find(const char *name)
{
        for (int i = 0; node_kinds[i]; i++)
                if (strcmp(node_kinds[i]->name, name) == 0)
                        return node_kinds[i];
        return NULL;
}
