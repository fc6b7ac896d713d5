/* live.h — changing a running lab: nodes, links, addresses, routes, VLANs
 * and link parameters, each change made in the model and the kernel at once.
 *
 * A change is checked against the whole lab before anything is touched (a
 * duplicate name, an address another interface has, a job the userspace
 * datapath holds), so a refused change leaves the running lab as it was.
 * A new namespace is journaled before it exists, as in the build
 * (lab_make_namespace). Removing a node kills every process in it, closes
 * and removes its namespaces (the kernel takes its links, and so their
 * other ends, with them) and marks it and its links deleted: indices stay,
 * lab_node_live()/lab_link_live() say no, and a stale Lua handle raises
 * "node 'h3' was deleted". Every function here is for a built lab only. */
#ifndef NETLAB_LIVE_H
#define NETLAB_LIVE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "lab.h"

/* A node of kind KIND ("host", "switch", "router"); its index, or -1. */
int live_add_node(struct lab *lab, const char *kind, const char *name, const char *where,
                  char *err);
/* A link between two nodes (interfaces named as the build names them); its index. */
int live_add_link(struct lab *lab, int node_a, int node_b, const struct link_params *p,
                  const char *where, char *err);
int live_del_link(struct lab *lab, int link, char *err);
/* The node, its processes, namespaces and links. */
int live_del_node(struct lab *lab, int node, char *err);
/* Adds CIDR to node's interface ifname (refused when another interface of
 * the lab has that address). */
int live_add_addr(struct lab *lab, int node, const char *ifname, const char *cidr, char *err);
/* A static route ("default" or a prefix) via an address in one of node's subnets. */
int live_add_route(struct lab *lab, int node, const char *dst, const char *via, char *err);
/* Replaces the link's parameters (rate and netem's knobs; mtu is kept): on the
 * kernel's qdiscs, or the datapath's wire (made one first where only the
 * datapath has netem's job), whose queued frames keep their departure times. */
int live_set_params(struct lab *lab, int link, const struct link_params *p, char *err);
/* The same per direction: p for the frames leaving end a, pb (NULL: p) for
 * those leaving end b. */
int live_set_params_dir(struct lab *lab, int link, const struct link_params *p,
                        const struct link_params *pb, char *err);
/* Adds or replaces a VLAN entry on a switch port. */
int live_set_vlan(struct lab *lab, int iface, uint16_t vid, bool pvid, bool untagged,
                  char *err);
/* Replaces a switch port's VLAN entries (none: the bridge's default, VLAN 1
 * PVID untagged). On this kernel's userspace datapath as on the kernel
 * bridge; a switch's first VLAN where only the datapath has VLAN filtering
 * moves the switch into the datapath. */
int live_set_port_vlans(struct lab *lab, int iface, const struct vlan_entry *v, int n,
                        char *err);
/* The rules between a link's parameters, as tc's netem has them: jitter
 * and reorder need a delay, gap needs reorder, a distribution needs a
 * jitter. The lab file and the console check the same ones. -1 with err
 * ("jitter: needs a delay (...)"), errno EINVAL. */
int link_params_check(const struct link_params *p, char *err);
/* netem's correlations, one row each: the name the lab file's correlation =
 * {NAME = P}, `link A B show` and save use, and where it is in a link's
 * parameters (ppm). */
#define LINK_NCORR 5
struct link_corr {
        const char *name;
        size_t off;
};
extern const struct link_corr link_corrs[LINK_NCORR];
static inline uint32_t *link_corr_at(struct link_params *p, int i)
{
        return (uint32_t *)(void *)((char *)p + link_corrs[i].off);
}
static inline uint32_t link_corr_of(const struct link_params *p, int i)
{
        return *(const uint32_t *)(const void *)((const char *)p + link_corrs[i].off);
}
/* Gilbert-Elliott loss as `link A B show` prints it and the console takes
 * it back: " loss gemodel p 5% r 50% h 0% k 100%" ("" without it). */
void link_ge_text(const struct link_params *p, char *buf, size_t len);
/* The parameters in force as `link A B show` prints them (" delay 50ms
 * loss 2%"; "" when none), each with a leading space. */
void link_params_text(const struct link_params *p, char *buf, size_t len);
/* True when something outside netlab's own C code would have to follow a
 * change of node: a datapath port, wire or subinterface, a private
 * directory (the caller says why in err). */
bool live_node_on_datapath(const struct lab *lab, int node);

#endif
