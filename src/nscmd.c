/* nscmd.c — `netlab ns`: the machine's network namespaces, from the command
 * line. Verbs follow `ip netns` and nsenter:
 *
 *   netlab ns [--tree | --json]     every namespace (named or not)
 *   netlab ns identify PID          the namespace of a process
 *   netlab ns pids NS               the processes inside a namespace
 *   netlab ns enter NS|PID [CMD]    a shell or CMD inside it (net + uts)
 *
 * Read-only except `enter`, which changes nothing either: it only joins. */
#include "netns.h"
#include "nsscan.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int ns_usage(FILE *f, int rc)
{
        fputs("Usage: netlab ns [--tree | --json]    every network namespace of the machine\n"
              "       netlab ns identify PID         the namespace of process PID\n"
              "       netlab ns pids NS              the processes inside namespace NS\n"
              "       netlab ns enter NS|PID [CMD...]  run CMD (default: a shell) inside it\n"
              "NS is a name (as in ip netns list, or a mount path), an inode, or the PID\n"
              "of a process inside.\n",
              f);
        return rc;
}

static int scan_or_fail(struct ns_scan *s)
{
        char err[ERRLEN];
        if (ns_scan(s, err) < 0) {
                fprintf(stderr, "netlab ns: %s\n", err);
                return -1;
        }
        return 0;
}

static int find_or_fail(const struct ns_scan *s, const char *spec)
{
        char err[ERRLEN];
        int i = ns_find(s, spec, err);
        if (i < 0)
                fprintf(stderr, "netlab ns: %s\n", err);
        return i;
}

static int ns_enter_cmd(const struct ns_scan *s, int i, char **cmd)
{
        const struct ns_entry *e = &s->ns[i];
        char lbl[96], err[ERRLEN];
        ns_label(e, lbl, sizeof(lbl));
        int net = ns_open_net(e);
        if (net < 0) {
                fprintf(stderr, "netlab ns: Cannot open namespace %s: %s\n", lbl, strerror(errno));
                return 1;
        }
        int uts = ns_open_uts(e);
        if (netns_enter(net, uts, err) < 0) {
                fprintf(stderr, "netlab ns: %s\n", err);
                return 1;
        }
        if (cmd && cmd[0]) {
                execvp(cmd[0], cmd);
                fprintf(stderr, "netlab ns: Cannot run \"%s\": %s\n", cmd[0], strerror(errno));
                return 127;
        }
        const char *sh = getenv("SHELL");
        if (!sh || !*sh)
                sh = "/bin/sh";
        execl(sh, sh, (char *)NULL);
        fprintf(stderr, "netlab ns: Cannot run \"%s\": %s\n", sh, strerror(errno));
        return 127;
}

int ns_main(int argc, char **argv)
{
        if (geteuid() != 0) {
                fprintf(stderr, "netlab ns: needs root to see into other namespaces: run it "
                                "with sudo\n");
                return 1;
        }
        const char *verb = argc > 1 ? argv[1] : NULL;
        enum ns_format fmt = NS_TABLE;
        if (verb && (!strcmp(verb, "-h") || !strcmp(verb, "--help")))
                return ns_usage(stdout, 0);
        if (verb && !strcmp(verb, "--tree"))
                fmt = NS_TREE;
        else if (verb && !strcmp(verb, "--json"))
                fmt = NS_JSON;
        else if (verb && strcmp(verb, "identify") && strcmp(verb, "pids") && strcmp(verb, "enter")) {
                fprintf(stderr, "netlab ns: unknown argument \"%s\"\n", verb);
                return ns_usage(stderr, 2);
        }
        if (verb && verb[0] != '-' && argc < 3) {
                fprintf(stderr, "netlab ns %s: which %s?\n", verb,
                        strcmp(verb, "identify") ? "namespace" : "process");
                return ns_usage(stderr, 2);
        }
        if (argc > (verb && verb[0] == '-' ? 2 : 3) && (!verb || strcmp(verb, "enter"))) {
                fprintf(stderr, "netlab ns: too many arguments\n");
                return ns_usage(stderr, 2);
        }
        struct ns_scan s;
        if (scan_or_fail(&s) < 0)
                return 1;
        int rc = 0;
        if (!verb || verb[0] == '-') {
                ns_print(&s, fmt, stdout);
        } else if (!strcmp(verb, "identify")) {
                const char *p = argv[2];
                int i = -1;
                char *end;
                long pid = strtol(p, &end, 10);
                if (*end || pid <= 0) {
                        fprintf(stderr, "netlab ns identify: \"%s\" is not a PID\n", p);
                        rc = 2;
                } else {
                        for (int k = 0; k < s.n && i < 0; k++)
                                for (int j = 0; j < s.ns[k].nprocs; j++)
                                        if (s.ns[k].procs[j].pid == (pid_t)pid)
                                                i = k;
                        if (i < 0) {
                                fprintf(stderr, "netlab ns identify: no process %ld\n", pid);
                                rc = 1;
                        } else {
                                char lbl[96];
                                ns_label(&s.ns[i], lbl, sizeof(lbl));
                                printf("%lu %s\n", s.ns[i].ino, lbl);
                        }
                }
        } else {
                int i = find_or_fail(&s, argv[2]);
                if (i < 0)
                        rc = 1;
                else if (!strcmp(verb, "pids"))
                        for (int j = 0; j < s.ns[i].nprocs; j++)
                                printf("%d\n", (int)s.ns[i].procs[j].pid);
                else
                        rc = ns_enter_cmd(&s, i, argv + 3);
        }
        ns_scan_free(&s);
        return rc;
}
