/* save.h — a lab, as it is now (live edits included), written back as a Lua
 * lab file that builds the same network: nodes with their options, links
 * with interface names, addresses, parameters, state and VLANs, 802.1Q
 * subinterfaces, gateways, routes, firewalls, NAT and private directories.
 * Deleted nodes and links are left out. The experiments are the Lua
 * layer's to add (nlua_save carries them from the lab's own file). */
#ifndef NETLAB_SAVE_H
#define NETLAB_SAVE_H
#include <stdbool.h>
#include <stdio.h>
#include "err.h"
#include "lab.h"

/* Writes the topology part: a header naming path (the file written) and
 * from (the lab's own file or command line, NULL unknown), then `local lab
 * = netlab.lab("NAME")` (the saved lab keeps its name: --name gives a copy
 * another), then one statement per node, link, subinterface, route and
 * firewall; each node whose name is a Lua identifier also gets a local of
 * that name (what experiments carried from the original usually call it). */
int lab_save_lua(const struct lab *lab, const char *path, const char *from, FILE *out,
                 char *err);
/* True when a node called name gets a local of that name in a saved file
 * (a Lua identifier, not a keyword, not "lab"). */
bool lab_save_node_local(const char *name);
/* Opens path for a save: refused when it exists, unless force (then
 * replaced). "w" stream, or NULL with err naming the file and the fix. */
FILE *save_open(const char *path, bool force, char *err);

#endif
