/* hosts.h — node names that resolve inside the nodes.
 *
 * Each lab writes one hosts file, /run/netlab/LAB/hosts, naming every node
 * by its first IPv4 and IPv6 address, and gives each node but switches a directory
 * /etc/netns/LAB.NODE/ holding a symlink `hosts` to it. `ip netns exec`
 * binds the files of that directory over /etc, and so does netlab's own
 * node entry (netns_bind_etc), so `ping h2` works in h1's shell. Each
 * directory is journaled ("etc PATH") before it is made; clean removes our
 * symlink and the directory when it is empty, and nothing else. */
#ifndef NETLAB_HOSTS_H
#define NETLAB_HOSTS_H
#include "err.h"
#include "lab.h"

#define NETNS_ETC_DIR "/etc/netns"

/* Writes the hosts file and the per-node directories. A host whose /etc
 * cannot be written (read-only) is not an error: names just do not resolve. */
int lab_hosts_write(struct lab *lab, char *err);

/* For clean: removes /etc/netns/LAB.NODE made by lab_hosts_write (our
 * symlink, then the directory if empty). Only a path of lab `lab`. */
int lab_hosts_remove(const char *lab, const char *dir, char *err);

/* True when dir is /etc/netns/LAB.SOMETHING (one component). */
bool lab_hosts_path_ok(const char *lab, const char *dir);

#endif
