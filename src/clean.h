/* clean.h — `netlab clean`: remove what a lab's journal records, and only that.
 *
 * A lab whose owner (the netlab that built it) is alive is left alone unless
 * LAB_CLEAN_FORCE is given: then the owner is asked to stop (SIGTERM), and
 * killed if it does not let go. Without an owner (kill -9, --keep) the lab is
 * removed: processes in its namespaces, host-side objects that still prove
 * to be its own (hostobj.h), namespaces, mounts, and the run directory, all
 * reached through the run directory's descriptor (rundir.h). Idempotent, and
 * safe concurrently: the lab's lock serialises cleans. */
#ifndef NETLAB_CLEAN_H
#define NETLAB_CLEAN_H
#include "err.h"

#define LAB_CLEAN_FORCE 1u  /* stop a lab whose owner is alive */
#define LAB_CLEAN_NOWAIT 2u /* a lab locked by another clean or a build: left alone at
                               once (EBUSY), not waited for (the console's loop) */

/* One line of report: what was removed, refused or left alone. */
typedef void (*lab_clean_say_fn)(void *ud, const char *line);

/* Cleans lab name. Returns 0 when it is gone (cleaned here or meanwhile);
 * -1 with errno and err: ENOENT no such lab, EBUSY running (its owner is
 * alive and flags lacks LAB_CLEAN_FORCE), EPERM a run directory that is not
 * netlab's, others. say may be NULL. */
int lab_clean(const char *name, unsigned flags, lab_clean_say_fn say, void *ud, char *err);

/* Cleans every lab under /run/netlab but except (may be NULL). Running labs
 * are left alone unless LAB_CLEAN_FORCE. Each lab's outcome goes through say.
 * Returns the number of labs removed, or -1 (err: how many failed; the
 * others are still tried). */
int lab_clean_all(unsigned flags, const char *except, lab_clean_say_fn say, void *ud, char *err);

/* 1 when lab name is running (its netlab holds the lab's lock), with msg
 * (ERRLEN) saying so and naming the owner: pid, terminal, since when. 0 when
 * it is not (msg untouched). */
int lab_running(const char *name, char *msg);

#endif
