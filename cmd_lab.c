/* cmd_lab.c — a lab's life from any shell: the served console, and
 *
 *   netlab up LAB.lua            build it under a lab server and return
 *   netlab ls [--json]           every lab: state, owner, console, nodes, age,
 *                                terminals attached, file
 *   netlab attach LAB            a console on a running lab (several at once)
 *   netlab exec LAB NODE [CMD]   CMD (default: a shell) inside a node, its
 *                                exit status, stdin and tty passed through
 *   netlab down LAB              take it down (its console, if any, first)
 *
 * The console itself always runs under a lab server when netlab has a
 * terminal (server.h): closing the terminal, or prefix d, detaches instead
 * of killing. NETLAB_NO_SERVER=1 runs it in the terminal directly. */
#include "cmd_lab.h"
#include "clean.h"
#include "cmd_run.h"
#include "hostobj.h"
#include "journal.h"
#include "lab.h"
#include "monotime.h"
#include "netns.h"
#include "nodefs.h"
#include "rundir.h"
#include "server.h"
#include "topo_cli.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <time.h>
#include <unistd.h>

static int need_root(const char *what)
{
        if (geteuid() == 0)
                return 0;
        fprintf(stderr, "netlab %s: needs root (labs are namespaces): run it with sudo\n", what);
        return -1;
}

static void term_size(int *rows, int *cols)
{
        struct winsize ws;
        *rows = 24;
        *cols = 80;
        if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 1 && ws.ws_col > 1) {
                *rows = ws.ws_row;
                *cols = ws.ws_col;
        }
}

bool console_served(void)
{
        const char *no = getenv("NETLAB_NO_SERVER");
        return !getenv("NETLAB_SERVER_FD") && !(no && *no && strcmp(no, "0")) &&
               isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

int cmd_console_served(int argc, char **argv, const char *lab_path)
{
        int sv[2];
        char err[ERRLEN];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
                perror("netlab: socketpair");
                return 1;
        }
        char **av = calloc((size_t)argc + 1, sizeof(*av));
        if (!av)
                return 1;
        for (int i = 0; i < argc; i++)
                av[i] = argv[i];
        int rows, cols;
        term_size(&rows, &cols);
        if (server_start(av, rows, cols, sv[1], NULL, err) < 0) {
                fprintf(stderr, "netlab: %s\n", err);
                free(av);
                return 1;
        }
        free(av);
        close(sv[1]);
        topo_cli_hand_over();
        char name[PATH_MAX];
        snprintf(name, sizeof(name), "%s", lab_path ? lab_path : "linear.lua");
        char *base = basename(name);
        char *dot = strrchr(base, '.');
        if (dot)
                *dot = '\0';
        return client_attach(sv[0], base);
}

static volatile sig_atomic_t up_signal;

static void up_on_signal(int sig)
{
        up_signal = sig;
}

/* After a failed or stopped `netlab up`: is anything of lab name left, once
 * its server (which exits with its console, after the rollback) is gone?
 * Its run directory goes last, with the journal of what it owns; namespaces
 * of its names that it does not own (that were there before) are not its.
 * A lab of that name that another netlab runs is not this build's. */
static void up_left(const char *name, pid_t spid, char *buf, size_t len)
{
        for (int i = 0; i < 100 && spid > 0 && kill(spid, 0) == 0; i++)
                usleep(100000);
        char e[ERRLEN];
        if (lab_running(name, e) == 1) {
                buf[0] = '\0'; /* the message says whose it is */
                return;
        }
        int root = rundir_root(false, e);
        int dir = root >= 0 ? rundir_open(root, name, e) : -1;
        if (root >= 0)
                close(root);
        if (dir >= 0) {
                close(dir);
                snprintf(buf, len, "lab %s is not all gone: netlab clean %s removes the rest", name,
                         name);
        } else {
                snprintf(buf, len, "nothing of lab %s is left", name);
        }
}

/* One line from the lab server's ready pipe (server.h): the build's
 * progress is shown; true once the answer ("up", "fail") came. */
static bool up_line(char *line, pid_t *spid, char *name, size_t nlen, struct build_progress *bp)
{
        if (!strncmp(line, "pid ", 4)) {
                *spid = (pid_t)atoi(line + 4);
                return false;
        }
        if (!strncmp(line, "progress ", 9)) {
                char lab[64], stage[24];
                int done, total;
                if (sscanf(line + 9, "%63s %23s %d %d", lab, stage, &done, &total) == 4) {
                        snprintf(name, nlen, "%.*s", LAB_NAME_MAX, lab);
                        build_progress_show(bp, lab, stage, done, total);
                }
                return false;
        }
        return true;
}

int cmd_up(int argc, char **argv)
{
        const char *path = NULL;
        bool keep = false;
        for (int i = 0; i < argc; i++) {
                if (!strcmp(argv[i], "--keep"))
                        keep = true;
                else if (argv[i][0] == '-' || path) {
                        fprintf(stderr, "Usage: netlab up LAB.lua\n");
                        return 2;
                } else
                        path = argv[i];
        }
        if (!path) {
                fprintf(stderr, "Usage: netlab up LAB.lua (builds the lab and returns; netlab "
                                "attach LAB opens its console)\n");
                return 2;
        }
        if (need_root("up") < 0)
                return 1;
        if (access(path, R_OK) < 0) {
                fprintf(stderr, "netlab up: Cannot read \"%s\": %s\n", path, strerror(errno));
                return 1;
        }
        char abs[PATH_MAX];
        if (!realpath(path, abs))
                snprintf(abs, sizeof(abs), "%s", path);
        char *av[] = {"netlab", keep ? "--keep" : abs, keep ? abs : NULL, NULL};
        char err[ERRLEN];
        int ready = -1, rows, cols;
        term_size(&rows, &cols);
        struct build_progress bp;
        build_progress_init(&bp, "netlab up", true);
        if (server_start(av, rows, cols, -1, &ready, err) < 0) {
                fprintf(stderr, "netlab up: %s\n", err);
                return 1;
        }
        /* Ctrl-C or SIGTERM while it builds: the build is stopped and rolled
         * back, as `netlab run` does (the server passes the signal on). */
        struct sigaction sa = {.sa_handler = up_on_signal}, oint, oterm;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &oint);
        sigaction(SIGTERM, &sa, &oterm);
        char buf[2048], *line = NULL, name[LAB_NAME_MAX + 1] = "";
        size_t n = 0;
        pid_t spid = 0;
        int stopped = 0;
        for (;;) {
                if (up_signal && !stopped && spid > 0) {
                        stopped = up_signal;
                        kill(spid, up_signal);
                }
                ssize_t r = read(ready, buf + n, sizeof(buf) - 1 - n);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r <= 0)
                        break;
                n += (size_t)r;
                buf[n] = '\0';
                char *nl;
                while ((nl = strchr(buf, '\n'))) {
                        *nl = '\0';
                        if (up_line(buf, &spid, name, sizeof(name), &bp)) {
                                line = buf; /* the answer: the last line the server sends */
                                break;
                        }
                        n -= (size_t)(nl + 1 - buf);
                        memmove(buf, nl + 1, n + 1);
                }
                if (line)
                        break;
                if (n == sizeof(buf) - 1) /* no line in it: not the server's */
                        n = 0;
        }
        close(ready);
        sigaction(SIGINT, &oint, NULL);
        sigaction(SIGTERM, &oterm, NULL);
        build_progress_end(&bp);
        if (!line)
                line = "";
        char left[200] = "nothing was built";
        if (stopped || (up_signal && strncmp(line, "up ", 3))) {
                int sig = stopped ? stopped : up_signal;
                if (name[0])
                        up_left(name, spid, left, sizeof(left));
                fprintf(stderr, "netlab up: interrupted (SIG%s); the build was rolled back%s%s\n",
                        sigabbrev_np(sig), left[0] ? ": " : "", left);
                return 128 + sig;
        }
        char lab[64];
        int nodes = -1, links = -1;
        if (sscanf(line, "up %63s %d %d", lab, &nodes, &links) >= 1) {
                if (links >= 0)
                        printf("Lab %s is up: %d nodes, %d links (%.1f s)\n", lab, nodes, links,
                               monotime_s() - bp.t0);
                else
                        printf("Lab %s is up\n", lab);
                printf("netlab attach %s opens its console, netlab down %s takes it down\n", lab,
                       lab);
                return 0;
        }
        if (name[0])
                up_left(name, spid, left, sizeof(left));
        fprintf(stderr, "netlab up: %s%s%s\n",
                !strncmp(line, "fail ", 5) ? line + 5 : "the console exited before the lab was up",
                left[0] ? "; " : "", left);
        return 1;
}

/* A lab kept up without a console (run --keep): a new lab server whose
 * console takes it over from its file (lab_adopt), this terminal attached.
 * Quitting that console leaves the lab up again, as it was found. */
static int attach_kept(const char *name, char *err)
{
        char e[ERRLEN];
        int root = rundir_root(false, e);
        int dir = root >= 0 ? rundir_open(root, name, e) : -1;
        if (root >= 0)
                close(root);
        if (dir < 0) {
                fprintf(stderr, "netlab attach: %s\n", err);
                return 1;
        }
        char file[PATH_MAX] = "";
        int fd = openat(dir, "file", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        ssize_t r = fd >= 0 ? read(fd, file, sizeof(file) - 1) : -1;
        if (fd >= 0)
                close(fd);
        close(dir);
        file[r > 0 ? r : 0] = '\0';
        if (lab_running(name, e) == 1 || !file[0] || access(file, R_OK) < 0) {
                fprintf(stderr, "netlab attach: %s%s%s\n", err,
                        file[0] ? "; its file is gone: " : "", file);
                return 1;
        }
        setenv("NETLAB_ADOPT", name, 1);
        lab_name_give(name); /* built under --name: the file's own name is another lab's */
        char *av[] = {"netlab", "--keep", file, NULL};
        int sv[2], rows, cols;
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
                perror("netlab attach: socketpair");
                return 1;
        }
        term_size(&rows, &cols);
        if (server_start(av, rows, cols, sv[1], NULL, e) < 0) {
                fprintf(stderr, "netlab attach: %s\n", e);
                return 1;
        }
        close(sv[1]);
        return client_attach(sv[0], name);
}

int cmd_attach(int argc, char **argv)
{
        if (argc != 1 || argv[0][0] == '-') {
                fprintf(stderr, "Usage: netlab attach LAB (netlab ls lists the labs)\n");
                return 2;
        }
        if (need_root("attach") < 0)
                return 1;
        char err[ERRLEN];
        if (!rundir_name_ok(argv[0])) {
                fprintf(stderr, "netlab attach: \"%s\" is not a lab name\n", argv[0]);
                return 2;
        }
        int fd = server_connect(argv[0], err);
        if (fd < 0 && errno == ENOENT && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
                return attach_kept(argv[0], err);
        if (fd < 0) {
                fprintf(stderr, "netlab attach: %s\n", err);
                return 1;
        }
        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
                fprintf(stderr, "netlab attach: needs a terminal\n");
                close(fd);
                return 2;
        }
        return client_attach(fd, argv[0]);
}

static void down_say(void *ud, const char *line)
{
        (void)ud;
        printf("%s\n", line);
}

int cmd_down(int argc, char **argv)
{
        if (argc < 1) {
                fprintf(stderr, "Usage: netlab down LAB...\n");
                return 2;
        }
        if (need_root("down") < 0)
                return 1;
        int rc = 0;
        for (int i = 0; i < argc; i++) {
                char err[ERRLEN];
                if (!rundir_name_ok(argv[i])) {
                        fprintf(stderr, "netlab down: \"%s\" is not a lab name\n", argv[i]);
                        rc = 2;
                        continue;
                }
                if (lab_clean(argv[i], LAB_CLEAN_FORCE, down_say, NULL, err) < 0) {
                        fprintf(stderr, "netlab down: %s\n", err);
                        rc = 1;
                } else {
                        printf("lab %s is down\n", argv[i]);
                }
        }
        return rc;
}

/* Nodes of a lab: its namespaces under /run/netns. */
static int count_nodes(const char *lab, char ***names)
{
        DIR *d = opendir(NETNS_RUN_DIR);
        int n = 0;
        size_t l = strlen(lab);
        struct dirent *de;
        while (d && (de = readdir(d))) {
                if (strncmp(de->d_name, lab, l) || de->d_name[l] != '.' || !de->d_name[l + 1])
                        continue;
                if (names) {
                        char **nv = realloc(*names, (size_t)(n + 1) * sizeof(*nv));
                        if (!nv)
                                break;
                        *names = nv;
                        nv[n] = strdup(de->d_name + l + 1);
                }
                n++;
        }
        if (d)
                closedir(d);
        return n;
}

/* A lab's nodes: one UTS namespace each (its hostname), bound under the
 * run directory's uts/ (the datapath's is "_dp"); -1 without it. */
static int lab_node_count(int dir)
{
        int u = openat(dir, "uts", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        DIR *d = u >= 0 ? fdopendir(u) : NULL;
        if (!d) {
                if (u >= 0)
                        close(u);
                return -1;
        }
        int n = 0;
        struct dirent *de;
        while ((de = readdir(d)))
                n += de->d_name[0] != '.' && de->d_name[0] != '_';
        closedir(d);
        return n;
}

/* Since when the lab is up: the first owner line's SINCE (journal.h). */
static void on_first_owner(void *ud, int argc, char **argv)
{
        long long *since = ud;
        if (*since == 0 && argc >= 4 && !strcmp(argv[0], "owner"))
                *since = strtoll(argv[3], NULL, 10);
}

static void json_str(FILE *f, const char *s)
{
        fputc('"', f);
        for (; *s; s++)
                fprintf(f, (*s == '"' || *s == '\\') ? "\\%c" : (unsigned char)*s < 0x20 ? "?" : "%c",
                        *s);
        fputc('"', f);
}

int cmd_ls(int argc, char **argv)
{
        bool json = argc == 1 && !strcmp(argv[0], "--json");
        if (argc > 1 || (argc == 1 && !json)) {
                fprintf(stderr, "Usage: netlab ls [--json]\n");
                return 2;
        }
        if (need_root("ls") < 0)
                return 1;
        char err[ERRLEN];
        int root = rundir_root(false, err);
        if (root < 0 && errno != ENOENT) {
                fprintf(stderr, "netlab ls: %s\n", err);
                return 1;
        }
        int dfd = root >= 0 ? dup(root) : -1;
        DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
        if (json)
                fputs("[", stdout);
        else
                printf("%-24s %-9s %-8s %5s %6s %8s %s\n", "LAB", "STATE", "CONSOLE", "NODES",
                       "AGE", "ATTACHED", "OWNER");
        struct dirent *de;
        int count = 0;
        while (d && (de = readdir(d))) {
                if (de->d_name[0] == '.' || !rundir_name_ok(de->d_name))
                        continue;
                int dir = rundir_open(root, de->d_name, err);
                if (dir < 0)
                        continue;
                /* The age since the lab came up (the directory's mtime
                 * changes with every file in it), its nodes from the lab's
                 * own record (namespaces also count a datapath's). */
                long long since = 0;
                journal_read(dir, on_first_owner, &since, NULL);
                struct stat st;
                if (since <= 0 && fstat(dir, &st) == 0)
                        since = st.st_ctime;
                long age = since > 0 && time(NULL) >= since ? (long)(time(NULL) - since) : 0;
                bool sock = faccessat(dir, SERVER_SOCK, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
                int lab_nodes = lab_node_count(dir);
                close(dir);
                char owner[ERRLEN] = "";
                bool running = lab_running(de->d_name, owner) == 1;
                /* "lab "X" is running (netlab pid N on TTY, since T)": keep the parenthesis */
                char *par = strchr(owner, '(');
                char who[ERRLEN] = "-";
                if (running && par) {
                        snprintf(who, sizeof(who), "%s", par + 1);
                        char *close_par = strrchr(who, ')');
                        if (close_par)
                                *close_par = '\0';
                }
                int nodes = count_nodes(de->d_name, NULL);
                const char *state = running ? "running" : nodes ? "left up" : "crashed";
                if (lab_nodes >= 0)
                        nodes = lab_nodes;
                const char *console = running && sock ? "server" : running ? "terminal" : "none";
                /* Terminals showing it (tmux ls's "attached"): its server says. */
                int attached = -1;
                if (running && sock) {
                        char e[ERRLEN];
                        int fd = server_connect(de->d_name, e);
                        if (fd >= 0)
                                attached = client_count(fd, 500);
                }
                char attbuf[16] = "-";
                if (attached >= 0)
                        snprintf(attbuf, sizeof(attbuf), "%d", attached);
                char agebuf[32];
                if (age >= 86400)
                        snprintf(agebuf, sizeof(agebuf), "%ldd", age / 86400);
                else if (age >= 3600)
                        snprintf(agebuf, sizeof(agebuf), "%ldh", age / 3600);
                else if (age >= 60)
                        snprintf(agebuf, sizeof(agebuf), "%ldm", age / 60);
                else
                        snprintf(agebuf, sizeof(agebuf), "%lds", age);
                char host[400];
                hostobj_describe(de->d_name, host, sizeof(host));
                if (json) {
                        printf("%s\n {\"lab\": ", count ? "," : "");
                        json_str(stdout, de->d_name);
                        printf(", \"state\": \"%s\", \"console\": \"%s\", \"nodes\": %d, "
                               "\"age_s\": %ld, \"attached\": %s, \"owner\": ",
                               state, console, nodes, age, attached >= 0 ? attbuf : "null");
                        if (running)
                                json_str(stdout, who);
                        else
                                fputs("null", stdout);
                        fputs(", \"host\": ", stdout);
                        json_str(stdout, host);
                        fputs("}", stdout);
                } else {
                        printf("%-24s %-9s %-8s %5d %6s %8s %s\n", de->d_name, state, console,
                               nodes, agebuf, attbuf, who);
                        if (host[0])
                                printf("%-24s changed on this machine: %s\n", "", host);
                }
                count++;
        }
        if (d)
                closedir(d);
        if (root >= 0)
                close(root);
        if (json)
                fputs(count ? "\n]\n" : "]\n", stdout);
        else if (!count)
                printf("(no labs)\n");
        return 0;
}

int cmd_exec(int argc, char **argv)
{
        if (argc < 2) {
                fprintf(stderr, "Usage: netlab exec LAB NODE [CMD [ARG...]]\n");
                return 2;
        }
        if (need_root("exec") < 0)
                return 1;
        const char *lab = argv[0], *node = argv[1];
        char err[ERRLEN];
        if (!rundir_name_ok(lab)) {
                fprintf(stderr, "netlab exec: \"%s\" is not a lab name\n", lab);
                return 2;
        }
        int root = rundir_root(false, err);
        int dir = root >= 0 ? rundir_open(root, lab, err) : -1;
        if (root >= 0)
                close(root);
        if (dir < 0) {
                fprintf(stderr, "netlab exec: No lab \"%s\" (netlab ls lists them)\n", lab);
                return 1;
        }
        char path[PATH_MAX], ns[128];
        snprintf(ns, sizeof(ns), "%s.%s", lab, node);
        snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, ns);
        bool name_ok = rundir_name_ok(node); /* node names: the same alphabet */
        int net = name_ok ? open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
        if (net < 0) {
                char **names = NULL, list[600] = "";
                int n = count_nodes(lab, &names);
                for (int i = 0; i < n; i++) {
                        size_t l = strlen(list);
                        if (l < sizeof(list) - 40)
                                snprintf(list + l, sizeof(list) - l, "%s%s", i ? " " : "",
                                         names[i] ? names[i] : "?");
                        free(names[i]);
                }
                free(names);
                fprintf(stderr, "netlab exec: No node \"%s\" in lab \"%s\" (its nodes: %s)\n", node,
                        lab, n ? list : "none");
                close(dir);
                return 1;
        }
        char uts_rel[96];
        snprintf(uts_rel, sizeof(uts_rel), "uts/%s", node);
        int uts = openat(dir, uts_rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        /* A node with private directories has a mount namespace (nodefs.h). */
        char mnt_rel[96];
        snprintf(mnt_rel, sizeof(mnt_rel), "%s/%s", NODEFS_DIR, node);
        int mnt = openat(dir, mnt_rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        struct statfs sf;
        if (mnt >= 0 && (fstatfs(mnt, &sf) < 0 || sf.f_type != NSFS_MAGIC)) {
                close(mnt); /* a placeholder: nothing mounted on it */
                mnt = -1;
        }
        int base = mnt < 0 ? nodefs_base_openat(dir) : -1; /* (nodefs.h) */
        close(dir);
        if (netns_enter_node(net, uts, mnt, base, err) < 0) {
                fprintf(stderr, "netlab exec: %s\n", err);
                return 1;
        }
        if (mnt < 0)
                netns_bind_etc(ns, err); /* names resolve as in the console's shells; best effort */
        if (argc > 2) {
                execvp(argv[2], argv + 2);
                fprintf(stderr, "netlab exec: Cannot run \"%s\": %s\n", argv[2], strerror(errno));
                return errno == ENOENT ? 127 : 126;
        }
        const char *sh = getenv("SHELL");
        if (!sh || !*sh)
                sh = "/bin/sh";
        execl(sh, sh, (char *)NULL);
        fprintf(stderr, "netlab exec: Cannot run \"%s\": %s\n", sh, strerror(errno));
        return 127;
}
