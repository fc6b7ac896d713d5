/* netlab.c — the program's entry file: it dispatches the commands. It sits above
 * the three layers (src/, lua/, ui/) and is the only file that includes all of them.
 *
 *   netlab [--keep] [LAB.lua]      the console (full screen)
 *   netlab run LAB.lua... [--keep] [--tap] [--junit FILE] [-j N]
 *                                  build, run every experiment, report, tear down (cmd_run.c)
 *   netlab clean [--force] LAB... | --all   remove what a lab's journal records
 *   netlab doctor [LAB.lua]        kernel features, and the plan (plan.h)
 *   netlab datapath LAB            (internal) the lab's userspace datapath
 */
#include "clean.h"
#include "cmd_lab.h"
#include "cmd_run.h"
#include "dp.h"
#include "export.h"
#include "plan.h"
#include "lab.h"
#include "nlua.h"
#include "nsscan.h"
#include "probe.h"
#include "topo_cli.h"
#include "ovs.h"
#include "ui.h"
#include "monotime.h"
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f)
{
        fputs("Usage: netlab [--keep] [LAB.lua]      open the console on a lab (default: "
              "labs/linear.lua)\n"
              "       netlab [run|up] --name NAME LAB.lua\n"
              "                                      ... under another name than the file's "
              "netlab.lab()\n"
              "       netlab run LAB.lua [--keep]    build the lab, run its experiments, "
              "print each\n"
              "                                      check; exit 0 only if all passed\n"
              "       netlab run [--tap] [--junit FILE] [-j N] LAB.lua...\n"
              "                                      several labs (N at once), as TAP or "
              "JUnit XML too\n"
              "       netlab clean [--force] LAB... | --all\n"
              "                                      remove what labs left behind (from their "
              "journals);\n"
              "                                      a running lab only with --force\n"
              "       netlab doctor [LAB.lua]        show the kernel features netlab found, "
              "and the\n"
              "                                      plan: which path (kernel or userspace) "
              "each job takes\n"
              "       netlab --help-keys             the console's keys and commands (Markdown)\n"
              "       netlab up LAB.lua              build the lab under a lab server and "
              "return\n"
              "       netlab ls [--json]             every lab: state, console, nodes, age, "
              "terminals attached, owner\n"
              "       netlab attach LAB              a console on a running lab (prefix d "
              "detaches)\n"
              "       netlab exec LAB NODE [CMD...]  CMD (default: a shell) inside a node\n"
              "       netlab down LAB...             take labs down (their consoles too)\n"
              "       netlab graph LAB.lua [--format dot|mermaid|d2] [-o FILE]\n"
              "                                      the lab's drawing for Graphviz, Mermaid, "
              "D2\n"
              "       netlab ns [--tree|--json]      every network namespace of the machine "
              "(netlab ns --help)\n"
              "       netlab host                    the console on the machine's namespaces "
              "(live, read-only)\n"
              "       netlab [run] --topo linear,4 [--link bw=10mbit,delay=5ms] [--test "
              "pingall|pingpair|iperf|all|none]\n"
              "             [--switch bridge|user|ovs] [--controller ref|remote,ip=IP,port=N|none]\n"
              "             [--custom FILE.lua] [--name LAB] [--save FILE.lua [--force]]\n"
              "                                      Mininet's one-liners: a lab from the "
              "command line\n"
              "                                      (single,N linear,N tree,D[,F] ring,N "
              "torus,X,Y\n"
              "                                      fattree,K clos,SPINES,LEAVES[,HOSTS])\n"
              "       netlab --help | --version\n",
              f);
}

static void clean_say(void *ud, const char *line)
{
        (void)ud;
        printf("netlab clean: %s\n", line);
        fflush(stdout);
}

static int cmd_clean(int argc, char **argv)
{
        static const char usage_clean[] =
            "Usage: netlab clean [--force] LAB...   remove what these labs left behind\n"
            "       netlab clean [--force] --all    ... every lab whose netlab has stopped\n"
            "A lab whose netlab is still running is left alone; --force stops it.\n";
        char err[ERRLEN];
        unsigned flags = 0;
        bool all = false;
        int nlabs = 0;
        for (int i = 0; i < argc; i++) {
                if (!strcmp(argv[i], "--force") || !strcmp(argv[i], "-f"))
                        flags |= LAB_CLEAN_FORCE;
                else if (!strcmp(argv[i], "--all"))
                        all = true;
                else if (argv[i][0] == '-') {
                        fprintf(stderr, "netlab clean: unknown option \"%s\"\n%s", argv[i],
                                usage_clean);
                        return 2;
                } else
                        nlabs++;
        }
        if (nlabs == 0 && !all) {
                fprintf(stderr, "netlab clean: which lab? Name it, or give --all\n%s", usage_clean);
                return 2;
        }
        if (nlabs > 0 && all) {
                fprintf(stderr, "netlab clean: name labs or give --all, not both\n%s",
                        usage_clean);
                return 2;
        }
        if (geteuid() != 0) {
                fprintf(stderr, "netlab clean: needs root (it removes namespaces): run it with "
                                "sudo\n");
                return 1;
        }
        if (all) {
                int n = lab_clean_all(flags, NULL, clean_say, NULL, err);
                if (n < 0) {
                        fprintf(stderr, "netlab clean: %s\n", err);
                        return 1;
                }
                if (n == 0)
                        printf("netlab clean: nothing removed\n");
                return 0;
        }
        int rc = 0;
        for (int i = 0; i < argc; i++)
                if (argv[i][0] != '-' && lab_clean(argv[i], flags, clean_say, NULL, err) < 0) {
                        fprintf(stderr, "netlab clean: %s\n", err);
                        rc = 1;
                }
        return rc;
}

/* The kernel's features, then the plan (plan.h): per job on this kernel,
 * or per object of LAB.lua when one is given (loaded, not built). */
/* netlab graph LAB.lua [--format dot|mermaid|d2] [-o FILE]: the lab's
 * drawing, from its file alone (nothing is built). */
static int cmd_graph(int argc, char **argv)
{
        const char *path = NULL, *fmt = "dot", *outp = NULL;
        for (int i = 0; i < argc; i++) {
                if ((!strcmp(argv[i], "--format") || !strcmp(argv[i], "-f")) && i + 1 < argc)
                        fmt = argv[++i];
                else if (!strncmp(argv[i], "--format=", 9))
                        fmt = argv[i] + 9;
                else if (!strcmp(argv[i], "-o") && i + 1 < argc)
                        outp = argv[++i];
                else if (argv[i][0] == '-' || path) {
                        fprintf(stderr, "Usage: netlab graph LAB.lua [--format dot|mermaid|d2] "
                                        "[-o FILE]\n");
                        return 2;
                } else
                        path = argv[i];
        }
        char err[ERRLEN];
        enum export_format f;
        if (!path || export_parse(fmt, &f, err) < 0) {
                fprintf(stderr, "netlab graph: %s\n",
                        path ? err : "which lab? (netlab graph LAB.lua [--format dot|mermaid|d2])");
                return 2;
        }
        struct nlua_hooks hooks = {0};
        struct nlua *N = nlua_new(&hooks, err);
        if (!N || nlua_load(N, path, err) < 0 || !nlua_lab(N)) {
                fprintf(stderr, "netlab graph: %s\n", N && !err[0] ? "the file declares no lab" : err);
                if (N)
                        nlua_free(N);
                return 1;
        }
        FILE *out = outp ? fopen(outp, "we") : stdout;
        int rc = 0;
        if (!out) {
                fprintf(stderr, "netlab graph: Cannot write \"%s\": %s\n", outp, strerror(errno));
                rc = 1;
        } else if (lab_export(nlua_lab(N), f, out, err) < 0) {
                fprintf(stderr, "netlab graph: %s\n", err);
                rc = 1;
        }
        if (out && out != stdout && fclose(out) != 0 && rc == 0) {
                fprintf(stderr, "netlab graph: Cannot write \"%s\": %s\n", outp, strerror(errno));
                rc = 1;
        }
        nlua_free(N);
        return rc;
}

static int cmd_doctor(int argc, char **argv)
{
        char err[ERRLEN];
        if (geteuid() != 0) {
                fprintf(stderr, "netlab doctor: needs root to probe the kernel: run it with "
                                "sudo\n");
                return 1;
        }
        if (argc > 1) {
                fprintf(stderr, "Usage: netlab doctor [LAB.lua]\n");
                return 2;
        }
        struct features f;
        if (probe_features(&f, err) < 0) {
                fprintf(stderr, "netlab doctor: %s\n", err);
                return 1;
        }
        struct feature_row rows[32];
        int n = probe_rows(&f, rows, 32);
        printf("%-24s %-6s %-32s %s\n", "feature", "kernel", "config option", "netlab uses");
        for (int i = 0; i < n; i++)
                printf("%-24s %-6s %-32s %s\n", rows[i].name, rows[i].have ? "yes" : "no",
                       rows[i].config, rows[i].use);
        /* Programs the labs run in nodes: the package that brings each. */
        /* FRR's daemons where netlab.frr looks for them (NETLAB_FRR_DIR, as frr.lua). */
        char zebra[PATH_MAX];
        const char *frr_dir = getenv("NETLAB_FRR_DIR");
        snprintf(zebra, sizeof(zebra), "%s/zebra", frr_dir && *frr_dir ? frr_dir : "/usr/lib/frr");
        const struct {
                const char *name, *path, *pkg, *use;
        } progs[] = {
            {"FRR", zebra, "frr", "netlab.frr routers (labs/ospf.lua, labs/bgp.lua)"},
            {"traceroute", "/usr/sbin/traceroute", "traceroute", "labs/ospf.lua's path checks"},
            {"Open vSwitch", "/usr/sbin/ovs-vswitchd", "openvswitch-switch",
             "switch class ovs (a private OVS per lab)"},
            {"OVS test controller", "/usr/bin/ovs-testcontroller", "openvswitch-testcontroller",
             "lab:controller kind ref (labs/openflow.lua)"},
        };
        printf("\n%-24s %-6s %-32s %s\n", "program", "found", "Debian package", "netlab uses");
        for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
                bool found = access(progs[i].path, X_OK) == 0;
                printf("%-24s %-6s %-32s %s\n", progs[i].name, found ? "yes" : "no", progs[i].pkg,
                       progs[i].use);
        }
        for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++)
                if (access(progs[i].path, X_OK) != 0)
                        printf("  %s: %s is missing: apt-get install %s\n", progs[i].name,
                               progs[i].path, progs[i].pkg);
        char ovsdp[200];
        ovs_datapath_text(ovsdp, sizeof(ovsdp));
        printf("  Open vSwitch switches of a lab get the %s\n", ovsdp);
        printf("\n");
        if (argc == 0) {
                plan_print(NULL, &f, stdout);
                return 0;
        }
        struct nlua_hooks hooks = {0};
        struct nlua *N = nlua_new(&hooks, err);
        if (!N || nlua_load(N, argv[0], err) < 0) {
                fprintf(stderr, "netlab doctor: %s\n", err);
                if (N) {
                        nlua_teardown(N, NULL);
                        nlua_free(N);
                }
                return 1;
        }
        struct lab *lab = nlua_lab(N);
        lab->feat = f;
        plan_print(lab, &f, stdout);
        int rc = 0;
        if (plan_check(lab, err) < 0) {
                printf("  this lab cannot be built here: %s\n", err);
                rc = 1;
        }
        nlua_teardown(N, NULL);
        nlua_free(N);
        return rc;
}

static int cmd_ns(int argc, char **argv)
{
        return ns_main(argc + 1, argv - 1);
}

static int cmd_host(int argc, char **argv)
{
        if (argc > 0) {
                fprintf(stderr, "netlab host: takes no arguments (\"%s\")\n", argv[0]);
                return 2;
        }
        if (geteuid() != 0) {
                fprintf(stderr, "netlab host: needs root to see into other namespaces: run it "
                                "with sudo\n");
                return 1;
        }
        return ui_host_main();
}

static int cmd_datapath(int argc, char **argv)
{
        return dp_main(argc + 1, argv - 1);
}

/* The commands: `netlab NAME ARGS...` calls fn(number of ARGS, ARGS). */
static const struct {
        const char *name;
        int (*fn)(int argc, char **argv);
} commands[] = {
    {"run", cmd_run},       {"clean", cmd_clean},   {"doctor", cmd_doctor},
    {"graph", cmd_graph},   {"ns", cmd_ns},         {"up", cmd_up},
    {"ls", cmd_ls},         {"attach", cmd_attach}, {"exec", cmd_exec},
    {"down", cmd_down},     {"datapath", cmd_datapath}, {"host", cmd_host},
};

int main(int argc, char **argv)
{
        char topo_err[ERRLEN];
        if (topo_cli(&argc, &argv, argc >= 2 && !strcmp(argv[1], "run"), topo_err) < 0) {
                fprintf(stderr, "netlab: %s\n", topo_err);
                return 2;
        }
        if (argc >= 2) {
                const char *c = argv[1];
                if (!strcmp(c, "--help") || !strcmp(c, "-h") || !strcmp(c, "help")) {
                        usage(stdout);
                        return 0;
                }
                if (!strcmp(c, "--help-keys"))
                        return ui_help_keys(stdout);
                if (!strcmp(c, "--version") || !strcmp(c, "-V")) {
                        printf("netlab %s\n", NETLAB_VERSION);
                        return 0;
                }
                for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                        if (!strcmp(c, commands[i].name))
                                return commands[i].fn(argc - 2, argv + 2);
        }
        const char *path = NULL;
        bool keep = false;
        for (int i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "--keep"))
                        keep = true;
                else if (argv[i][0] == '-') {
                        fprintf(stderr, "netlab: unknown option \"%s\"\n", argv[i]);
                        usage(stderr);
                        return 2;
                } else if (!path)
                        path = argv[i];
                else {
                        fprintf(stderr, "netlab: unknown command \"%s\"\n", argv[1]);
                        usage(stderr);
                        return 2;
                }
        }
        if (console_served())
                return cmd_console_served(argc, argv, path);
        return ui_main(path, keep);
}
