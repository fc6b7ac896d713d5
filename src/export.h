/* export.h — a lab's drawing for other tools: dot, mermaid, d2. */
#ifndef NETLAB_EXPORT_H
#define NETLAB_EXPORT_H
#include "err.h"
#include <stdio.h>

struct lab;
enum export_format { EXPORT_DOT, EXPORT_MERMAID, EXPORT_D2 };

/* "dot" | "mermaid" | "d2"; -1 with err naming the choices. */
int export_parse(const char *name, enum export_format *f, char *err);
/* Nodes (kind), links (both ends' interface, addresses, VLANs; parameters;
 * down links dashed), subinterfaces. 0, or -1 with err on a write error. */
int lab_export(const struct lab *lab, enum export_format f, FILE *out, char *err);

#endif
