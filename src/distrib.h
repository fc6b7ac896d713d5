/* distrib.h — the jitter distributions netem knows (uniform, normal, pareto,
 * paretonormal), as inverse CDFs with mean 0 and standard deviation 1: the
 * datapath's wires draw from them, and the kernel path builds netem's
 * TCA_NETEM_DELAY_DIST table from them, so both paths use one shape. */
#ifndef NETLAB_DISTRIB_H
#define NETLAB_DISTRIB_H
#include <stdint.h>

enum { DIST_UNIFORM, DIST_NORMAL, DIST_PARETO, DIST_PARETONORMAL };

/* The value at probability u (0 < u < 1) of distribution dist; paretonormal
 * mixes a quarter normal at u with three quarters pareto at u2, as
 * iproute2's paretonormal table. Uniform gives 2u - 1 scaled to sd 1. */
double dist_inverse(uint8_t dist, double u, double u2);
/* "normal" -> DIST_NORMAL; -1 if unknown. */
int dist_parse(const char *name);
const char *dist_name(uint8_t dist);

#endif
