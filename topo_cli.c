/* topo_cli.c — Mininet's one-liners: `netlab --topo tree,2,3 --link bw=10mbit`
 * and `netlab run --topo linear,4 --test pingall` build a lab with no file.
 *
 * The options are turned into an ordinary Lua lab file (the generators of
 * netlab.topo, the link options, the test as an experiment) and the command
 * then runs on that file like on any other, so the console, `netlab run`,
 * errors with file:line and `reload` behave the same. `--save FILE.lua`
 * keeps the file, to start a lab of one's own from; otherwise it lives in a
 * private temporary directory removed at exit. The tables below are the
 * whole vocabulary: topologies, tests, switch classes. */
#include "topo_cli.h"
#include "err.h"
#include "lab.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct topo_kind {
        const char *name;
        int nargs, nopt; /* required and optional integer arguments */
        bool even;       /* the first is even (fattree's K) */
        long max1;       /* the first's largest value, 0: no own limit */
        const char *usage;
        const char *gen; /* netlab.topo function */
};

static const struct topo_kind topo_kinds[] = {
    {"single", 1, 0, false, 0, "single,N (one switch, N hosts)", "single"},
    {"linear", 1, 0, false, 0, "linear,N (N switches in a chain, a host on each)", "linear"},
    {"tree", 1, 1, false, 0, "tree,DEPTH[,FANOUT] (a tree of switches, hosts at the leaves)",
     "tree"},
    {"ring", 1, 0, false, 0, "ring,N (N switches in a ring, the closing link standby)", "ring"},
    {"torus", 2, 0, false, 0, "torus,X,Y (a wrapped grid of switches, a spanning tree up)",
     "torus"},
    /* K^3/4 hosts: 72 makes 93312, the last even K under 100000 */
    {"fattree", 1, 0, true, 72, "fattree,K (K pods of switches, K even, K^3/4 hosts)", "fattree"},
    {"clos", 2, 1, false, 0, "clos,SPINES,LEAVES[,HOSTS] (leaf and spine, HOSTS per leaf)", "clos"},
};

struct topo_test {
        const char *name;
        const char *lua; /* the experiment(s); `lab` and `hosts` are in scope */
};

static const struct topo_test topo_tests[] = {
    {"none", ""},
    {"pingall", "experiment(\"pingall\", function()\n"
                "  local r = lab:pingall()\n"
                "  check(r.ok and r.sent > 0, (\"every host reaches every other host (%d/%d "
                "answered)\"):format(r.received, r.sent))\n"
                "end)\n"},
    {"pingpair", "experiment(\"pingpair\", function()\n"
                 "  check(hosts[1]:ping(hosts[2]), hosts[1].name .. \" reaches \" .. "
                 "hosts[2].name)\n"
                 "  check(hosts[2]:ping(hosts[1]), hosts[2].name .. \" reaches \" .. "
                 "hosts[1].name)\n"
                 "end)\n"},
    {"iperf", "experiment(\"iperf\", function()\n"
              "  local a, b = hosts[1], hosts[#hosts]\n"
              "  local server = b:spawn(\"iperf3 -s -1\")\n"
              "  netlab.sleep(0.3)\n"
              "  local out = a:cmd(\"iperf3 -J -t 2 -c \" .. b:ip(), { timeout = 20 }) or \"\"\n"
              "  server:kill()\n"
              "  local bps = tonumber(out:match('\"sum_received\"%s*:%s*{.-\"bits_per_second\"%s*:%s*"
              "([%d.e+]+)'))\n"
              "  print((\"iperf %s -> %s: %s\"):format(a.name, b.name, bps and (\"%.1f Mbit/s\")"
              ":format(bps / 1e6) or \"no result\"))\n"
              "  check(bps and bps > 0, \"TCP flows from \" .. a.name .. \" to \" .. b.name)\n"
              "end)\n"},
};

static const char *switch_classes[] = {"bridge", "user", "ovs"};

/* --controller ref | remote[,ip=A.B.C.D][,port=N] | none, as a
 * lab:controller line (or none); words and numbers only reach the file. */
static int controller_lua(const char *spec, char *out, size_t len, char *err)
{
        char buf[256], ip[64] = "127.0.0.1";
        int port = 6653;
        if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf))
                return errf(err, "--controller: too long");
        char *save = NULL, *kind = strtok_r(buf, ",", &save);
        out[0] = '\0';
        if (!kind || (strcmp(kind, "ref") && strcmp(kind, "remote") && strcmp(kind, "none")))
                return errf(err, "--controller %s: expected ref, remote[,ip=IP][,port=N] or none",
                            spec);
        for (char *kv = strtok_r(NULL, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
                if (strcmp(kind, "remote"))
                        return errf(err, "--controller %s: only remote takes options", spec);
                if (!strncmp(kv, "ip=", 3) && strlen(kv + 3) < sizeof(ip) &&
                    strspn(kv + 3, "0123456789.") == strlen(kv + 3) && kv[3])
                        snprintf(ip, sizeof(ip), "%s", kv + 3);
                else if (!strncmp(kv, "port=", 5) && kv[5] &&
                         strspn(kv + 5, "0123456789") == strlen(kv + 5) && strlen(kv + 5) < 6)
                        port = atoi(kv + 5);
                else
                        return errf(err, "--controller %s: \"%s\" is not ip=A.B.C.D or port=N",
                                    spec, kv);
        }
        if (!strcmp(kind, "ref"))
                snprintf(out, len, "lab:controller(\"c0\", { kind = \"ref\" })\n");
        else if (!strcmp(kind, "remote"))
                snprintf(out, len,
                         "lab:controller(\"c0\", { kind = \"remote\", ip = \"%s\", port = %d })\n",
                         ip, port);
        return 0;
}

static char tmpdir[PATH_MAX];
static char **made_argv; /* the command line with the lab file: lives until exit */

static void remove_tmp(void)
{
        char path[PATH_MAX + 32];
        if (!tmpdir[0])
                return;
        snprintf(path, sizeof(path), "%s/lab.lua", tmpdir);
        unlink(path);
        rmdir(tmpdir);
}

/* A served console's lab process (server.c execs it with the made file's
 * path): the file lives as long as that process, which reloads it, so that
 * process removes it when it ends. Only the file topo_cli made qualifies:
 * "netlab-topo.XXXXXX/lab.lua", as named in NETLAB_TOPO_LAB and on the line. */
static void adopt_tmp(int argc, char **argv)
{
        const char *tl = getenv("NETLAB_TOPO_LAB");
        const char *slash = tl ? strrchr(tl, '/') : NULL;
        if (!slash || strcmp(slash, "/lab.lua") || (size_t)(slash - tl) >= sizeof(tmpdir))
                return;
        const char *dir = slash;
        while (dir > tl && dir[-1] != '/')
                dir--;
        if (strncmp(dir, "netlab-topo.", 12))
                return;
        for (int i = 1; i < argc; i++)
                if (!strcmp(argv[i], tl)) {
                        snprintf(tmpdir, sizeof(tmpdir), "%.*s", (int)(slash - tl), tl);
                        atexit(remove_tmp);
                        return;
                }
}

void topo_cli_hand_over(void)
{
        tmpdir[0] = '\0';
}

static const struct topo_test *find_test(const char *name)
{
        for (size_t i = 0; i < sizeof(topo_tests) / sizeof(topo_tests[0]); i++)
                if (!strcmp(topo_tests[i].name, name))
                        return &topo_tests[i];
        return NULL;
}

/* "bw=10mbit,delay=5ms,loss=1" as a Lua table body; values are numbers or
 * words of [A-Za-z0-9._%-], nothing a Lua string could be broken out of. */
static int link_opts(const char *spec, char *out, size_t len, char *err)
{
        char buf[512];
        if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf))
                return errf(err, "--link: too long");
        out[0] = '\0';
        char *save = NULL;
        for (char *kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
                char *eq = strchr(kv, '=');
                if (!eq || eq == kv || !eq[1])
                        return errf(err, "--link: \"%s\" is not KEY=VALUE (e.g. --link "
                                         "bw=10mbit,delay=5ms)",
                                    kv);
                *eq = '\0';
                const char *v = eq + 1;
                for (const char *c = kv; *c; c++)
                        if (!isalnum((unsigned char)*c) && *c != '_')
                                return errf(err, "--link: \"%s\" is not an option name", kv);
                for (const char *c = v; *c; c++)
                        if (!isalnum((unsigned char)*c) && !strchr("._%-", *c))
                                return errf(err, "--link: bad value \"%s\" for %s", v, kv);
                char *end;
                strtod(v, &end);
                size_t l = strlen(out);
                snprintf(out + l, len - l, *end ? "%s = \"%s\", " : "%s = %s, ", kv, v);
        }
        return 0;
}

/* "tree,2,3" -> the generator call's arguments "2, 3". */
static int topo_args(const char *spec, const struct topo_kind **kind, char *args, size_t len,
                     const char *custom, char *name, size_t nlen, char *err)
{
        char buf[256];
        snprintf(buf, sizeof(buf), "%s", spec);
        char *save = NULL, *word = strtok_r(buf, ",", &save);
        *kind = NULL;
        for (size_t i = 0; word && i < sizeof(topo_kinds) / sizeof(topo_kinds[0]); i++)
                if (!strcmp(topo_kinds[i].name, word))
                        *kind = &topo_kinds[i];
        if (!word || (!*kind && !custom)) {
                char list[512] = "";
                for (size_t i = 0; i < sizeof(topo_kinds) / sizeof(topo_kinds[0]); i++) {
                        size_t l = strlen(list);
                        snprintf(list + l, sizeof(list) - l, "\n  %s", topo_kinds[i].usage);
                }
                return errf(err, "--topo: unknown topology \"%.32s\"; netlab knows:%s%s",
                            word ? word : "", list,
                            custom ? "" : "\n  (or NAME from a --custom FILE.lua)");
        }
        for (const char *c = word; *c; c++)
                if (!isalnum((unsigned char)*c) && *c != '_')
                        return errf(err, "--topo %s: \"%s\" is not a topology name", spec, word);
        snprintf(name, nlen, "%s", word);
        args[0] = '\0';
        int n = 0;
        for (char *a = strtok_r(NULL, ",", &save); a; a = strtok_r(NULL, ",", &save), n++) {
                char *end;
                errno = 0;
                long v = strtol(a, &end, 10);
                if (*end || errno || v < 1 || v > 100000)
                        return errf(err, "--topo %s: \"%s\" is not a count from 1 to 100000",
                                    spec, a);
                size_t l = strlen(args), nl = strlen(name);
                snprintf(args + l, len - l, "%s%ld", n ? ", " : "", v);
                snprintf(name + nl, nlen - nl, "-%ld", v);
        }
        if (*kind && (n < (*kind)->nargs || n > (*kind)->nargs + (*kind)->nopt))
                return errf(err, "--topo %s: expected %s", spec, (*kind)->usage);
        long first = n ? strtol(args, NULL, 10) : 0;
        if (*kind && (*kind)->even && first % 2)
                return errf(err,
                            "--topo %s: the first count must be even (e.g. %s,%ld); expected %s",
                            spec, (*kind)->name, first + 1, (*kind)->usage);
        if (*kind && (*kind)->max1 && first > (*kind)->max1)
                return errf(err, "--topo %s: the first count is at most %ld; expected %s", spec,
                            (*kind)->max1, (*kind)->usage);
        return 0;
}

static int name_check(const char *name, char *err)
{
        if (!lab_name_ok(name))
                return errf(err, "--name %s: a lab name is 1 to %d letters, digits, _ and -", name,
                            LAB_NAME_MAX);
        return 0;
}

int topo_cli(int *argc, char ***argv, bool run, char *err)
{
        const char *topo = NULL, *link = NULL, *sw = NULL, *test = NULL, *custom = NULL,
                   *save = NULL, *labname = NULL, *ctl = NULL;
        bool force = false;
        struct {
                const char *opt;
                const char **val;
        } opts[] = {{"--topo", &topo},     {"--link", &link},     {"--switch", &sw},
                    {"--test", &test},     {"--custom", &custom}, {"--save", &save},
                    {"--name", &labname}, {"--controller", &ctl}};
        char **av = *argv;
        int n = 0;
        lab_name_given(); /* a server's exec'd console: takes it out of the environment */
        adopt_tmp(*argc, *argv);
        bool has_topo = false;
        for (int i = 0; i < *argc; i++)
                has_topo = has_topo || !strncmp(av[i], "--topo", 6);
        char **keep = calloc((size_t)*argc + 2, sizeof(*keep));
        if (!keep)
                return errf_sys(err, NULL, "calloc");
        for (int i = 0; i < *argc; i++) {
                bool taken = false;
                for (size_t k = 0; k < sizeof(opts) / sizeof(opts[0]) && !taken; k++) {
                        size_t ol = strlen(opts[k].opt);
                        if (strncmp(av[i], opts[k].opt, ol))
                                continue;
                        if (av[i][ol] == '=')
                                *opts[k].val = av[i] + ol + 1;
                        else if (av[i][ol] == '\0' && i + 1 < *argc)
                                *opts[k].val = av[++i];
                        else if (av[i][ol] == '\0') {
                                free(keep);
                                return errf(err, "%s needs a value", opts[k].opt);
                        } else
                                continue;
                        taken = true;
                }
                if (!taken && !strcmp(av[i], "--force") && has_topo) {
                        force = true;
                        taken = true;
                }
                if (!taken)
                        keep[n++] = av[i];
        }
        if (!topo) {
                if (link || sw || test || custom || save || ctl) {
                        free(keep);
                        return errf(err, "--link, --switch, --controller, --test, --custom and "
                                         "--save go with --topo (e.g. netlab --topo linear,4 %s ...)",
                                    link     ? "--link"
                                    : sw     ? "--switch"
                                    : ctl    ? "--controller"
                                    : test   ? "--test"
                                    : custom ? "--custom"
                                             : "--save");
                }
                if (!labname) {
                        free(keep);
                        return 0;
                }
                /* --name with a lab file: the name its netlab.lab() takes
                 * instead of its own (a shipped lab opened twice), at the
                 * build and at every reload. */
                int files = 0;
                for (int i = 0; i < n; i++)
                        files += strlen(keep[i]) > 4 && !strcmp(keep[i] + strlen(keep[i]) - 4, ".lua");
                if (files > 1 || name_check(labname, err) < 0) {
                        if (files > 1)
                                errf(err, "--name %s: names one lab, and %d lab files are given",
                                     labname, files);
                        free(keep);
                        return -1;
                }
                lab_name_give(labname);
                keep[n] = NULL;
                *argc = n;
                *argv = made_argv = keep;
                return 0;
        }
        const struct topo_test *t = find_test(test ? test : run ? "pingall" : "none");
        bool all = test && !strcmp(test, "all");
        if (!t && !all) {
                free(keep);
                return errf(err, "--test %s: unknown test (pingall, pingpair, iperf, all, none)",
                            test);
        }
        char cls[64] = "", ctl_line[256] = "";
        bool stp = false;
        if (sw) {
                snprintf(cls, sizeof(cls), "%.*s", (int)strcspn(sw, ","), sw);
                bool known = false;
                for (size_t i = 0; i < sizeof(switch_classes) / sizeof(switch_classes[0]); i++)
                        known = known || !strcmp(cls, switch_classes[i]);
                if (!known) {
                        free(keep);
                        return errf(err,
                                    "--switch %s: unknown switch class \"%s\" (bridge: the "
                                    "kernel's; user: netlab's userspace datapath; ovs: Open "
                                    "vSwitch)",
                                    sw, cls);
                }
                const char *o = strchr(sw, ',');
                if (o && strcmp(o, ",stp=1") && strcmp(o, ",stp=0")) {
                        free(keep);
                        return errf(err, "--switch %s: the one switch option is stp=1 (the "
                                         "switches run STP: ring and torus then start with "
                                         "every link up)",
                                    sw);
                }
                stp = o && !strcmp(o, ",stp=1");
        }
        /* As mn: an OVS switch gets the reference controller unless told
         * otherwise; the other classes take none. */
        if (ctl && strcmp(cls, "ovs")) {
                free(keep);
                return errf(err, "--controller goes with --switch ovs (OpenFlow switches)");
        }
        if (!strcmp(cls, "ovs") && controller_lua(ctl ? ctl : "ref", ctl_line, sizeof(ctl_line),
                                                  err) < 0) {
                free(keep);
                return -1;
        }
        char lopts[600] = "", args[256], name[64], custom_abs[PATH_MAX] = "";
        const struct topo_kind *kind;
        if (link && link_opts(link, lopts, sizeof(lopts), err) < 0) {
                free(keep);
                return -1;
        }
        if (custom && !realpath(custom, custom_abs)) {
                free(keep);
                return errf_sys(err, NULL, "--custom \"%s\"", custom);
        }
        if (topo_args(topo, &kind, args, sizeof(args), custom, name, sizeof(name), err) < 0) {
                free(keep);
                return -1;
        }
        char tname[64]; /* the topology's word, for a --custom one */
        snprintf(tname, sizeof(tname), "%.*s", (int)strcspn(name, "-"), name);
        if (labname && name_check(labname, err) < 0) {
                free(keep);
                return -1;
        }
        if (labname)
                snprintf(name, sizeof(name), "%s", labname);
        if (strlen(name) > LAB_NAME_MAX) {
                free(keep);
                return errf(err, "--topo %s: the lab's name \"%s\" would be longer than %d "
                                 "characters (give --name)",
                            topo, name, LAB_NAME_MAX);
        }
        char path[PATH_MAX + 16];
        int fd;
        if (save) {
                snprintf(path, sizeof(path), "%s", save);
                fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL), 0644);
                if (fd < 0 && errno == EEXIST) {
                        free(keep);
                        return errf(err, "--save %s: the file exists (add --force to replace it)",
                                    save);
                }
        } else {
                /* $TMPDIR, as mktemp(1) has it, else /tmp. */
                const char *td = getenv("TMPDIR");
                if (!td || td[0] != '/' ||
                    (size_t)snprintf(tmpdir, sizeof(tmpdir), "%s/netlab-topo.XXXXXX", td) >=
                            sizeof(tmpdir))
                        snprintf(tmpdir, sizeof(tmpdir), "/tmp/netlab-topo.XXXXXX");
                if (!mkdtemp(tmpdir)) {
                        tmpdir[0] = '\0';
                        free(keep);
                        return errf_sys(err, NULL, "Cannot make a temporary directory");
                }
                atexit(remove_tmp);
                snprintf(path, sizeof(path), "%s/lab.lua", tmpdir);
                fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        }
        FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (!f) {
                if (fd >= 0)
                        close(fd);
                free(keep);
                return errf_sys(err, NULL, "Cannot write \"%s\"", path);
        }
        char spec[1200];
        snprintf(spec, sizeof(spec), "--topo %s%s%s%s%s%s%s%s%s%s%s", topo,
                 link ? " --link " : "", link ? link : "", sw ? " --switch " : "", sw ? sw : "",
                 ctl ? " --controller " : "", ctl ? ctl : "", test ? " --test " : "",
                 test ? test : "", custom ? " --custom " : "", custom ? custom : "");
        fprintf(f, "-- A lab made by netlab %s.\n", spec);
        /* A temporary file is gone once netlab ends: a message names what
         * the user typed instead of its lines (nlua_load reads these). */
        if (!save && (setenv("NETLAB_TOPO_LAB", path, 1) < 0 ||
                      setenv("NETLAB_TOPO_SPEC", spec, 1) < 0)) {
                fclose(f);
                free(keep);
                return errf_sys(err, NULL, "--topo");
        }
        fprintf(f, "-- Edit it freely: it is an ordinary lab file (man 5 netlab-lab).\n");
        fprintf(f, "local topo = require(\"netlab.topo\")\n");
        if (custom) {
                fprintf(f, "local custom = dofile(\"");
                for (const char *c = custom_abs; *c; c++)
                        fprintf(f, (*c == '"' || *c == '\\') ? "\\%c" : "%c", *c);
                fprintf(f, "\")\ncustom = type(custom) == \"table\" and custom or topos or {}\n");
        }
        fprintf(f, "local lab = netlab.lab(\"%s\")\n", name);
        if (cls[0])
                fprintf(f, "lab:defaults({ switch_class = \"%s\" })\n%s", cls, ctl_line);
        char gen[128];
        if (kind)
                snprintf(gen, sizeof(gen), "topo.%s", kind->gen);
        else
                snprintf(gen, sizeof(gen), "custom[\"%s\"]", tname);
        if (!kind)
                fprintf(f,
                        "assert(%s, \"--custom: %s defines no topology '%s' (it returns, or "
                        "sets topos to, a table of functions)\")\n",
                        gen, custom, tname);
        fprintf(f, "local hosts = %s(lab%s%s", gen, args[0] ? ", " : "", args);
        if (lopts[0] || stp)
                fprintf(f, ", { %s%s%s%s}", lopts[0] ? "link = { " : "", lopts,
                        lopts[0] ? "}, " : "",
                        stp ? "switch = { stp = { forward_delay = 4 } } " : "");
        fprintf(f, ")\n");
        if (stp && (all || t->lua[0]))
                fputs("-- STP: ports listen and learn for two forward delays first.\n"
                      "experiment(\"STP converges\", function()\n"
                      "  local a, b, t0, ok = hosts[1], hosts[#hosts], netlab.now(), false\n"
                      "  repeat ok = a:ping(b, { count = 1, timeout = 1 }) until ok or "
                      "netlab.now() - t0 > 40\n"
                      "  check(ok, (\"%s reaches %s once STP converged (%.0f s)\"):format(a.name, "
                      "b.name, netlab.now() - t0))\n"
                      "end)\n",
                      f);
        if (all) {
                fputs(find_test("pingall")->lua, f);
                fputs(find_test("iperf")->lua, f);
        } else {
                fputs(t->lua, f);
        }
        if (fclose(f) != 0) {
                free(keep);
                return errf_sys(err, NULL, "Cannot write \"%s\"", path);
        }
        if (save)
                fprintf(stderr, "netlab: wrote %s\n", save);
        keep[n++] = strdup(path);
        keep[n] = NULL;
        *argc = n;
        *argv = made_argv = keep;
        return 1;
}
