/* cmd_run.c — `netlab run`: builds labs without a screen, runs their
 * experiments and reports every check, as text (the default), as TAP
 * (--tap: `prove -e 'netlab run --tap' labs/NAME.lua` works) and/or as JUnit
 * XML (--junit FILE), for people and for CI systems alike.
 *
 * What a lab run says is a list of events (its header, each experiment,
 * each check, each print, an error, the end), and the formats are renderers
 * of that list. One lab runs in this process and its events are rendered as
 * they come. Several labs (netlab run A.lua B.lua ... [-j N]) each run in a
 * child process that sends its events over a pipe, one record each; the
 * parent keeps them per lab and prints each lab's report whole, in the
 * order the labs were given, as soon as it and the labs before it are done,
 * so that labs running in parallel never interleave; then one summary. */
#include "cmd_run.h"
#include "dp.h"
#include "lab.h"
#include "monotime.h"
#include "nlua.h"
#include "service.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum ev_type { EV_HEADER = 'H', EV_EXP = 'X', EV_CHECK = 'C', EV_PRINT = 'P', EV_ERROR = 'E' };

struct event {
        char type;
        bool ok;
        char *exp, *text, *where; /* where: checks only */
};

/* One lab's run: its events so far and, once done, its status. */
struct labrun {
        const char *path;
        char name[64];
        struct event *ev;
        int nev, cap;
        int passed, failed, errors;
        int status;
        bool done, shown;
        double secs;
        /* Several labs: the child and its pipe. */
        pid_t pid;
        int fd;
        char *buf;
        size_t len;
};

struct run_opts {
        bool keep, tap, multi;
        const char *junit;
        int jobs;
        int tap_n; /* TAP test points so far, across labs */
        int wire;  /* a child's pipe to its parent, or -1 */
};

static struct run_opts O = {.wire = -1};

static char *dupstr(const char *s)
{
        return strdup(s ? s : "");
}

/* ---- rendering ---- */

static void tap_comment(const char *prefix, const char *text)
{
        /* Every line of text as a TAP comment: prove ignores them. */
        const char *p = text;
        do {
                const char *nl = strchr(p, '\n');
                int n = nl ? (int)(nl - p) : (int)strlen(p);
                printf("# %s%.*s\n", prefix, n, p);
                p = nl ? nl + 1 : NULL;
        } while (p && *p);
}

static void render(const struct event *e)
{
        if (O.tap) {
                switch (e->type) {
                case EV_CHECK:
                        printf("%sok %d - %s%s%s\n", e->ok ? "" : "not ", ++O.tap_n,
                               e->exp && *e->exp ? e->exp : "", e->exp && *e->exp ? ": " : "",
                               e->text);
                        if (!e->ok && e->where && *e->where)
                                printf("#   at %s\n", e->where);
                        break;
                case EV_ERROR:
                        printf("not ok %d - netlab: %s\n", ++O.tap_n, e->text);
                        break;
                case EV_EXP:
                        tap_comment("== ", e->text);
                        break;
                default:
                        tap_comment("", e->text);
                }
        } else {
                switch (e->type) {
                case EV_CHECK:
                        if (e->ok)
                                printf("  PASS  %s\n", e->text);
                        else if (e->where && *e->where)
                                printf("  FAIL  %s  (%s)\n", e->text, e->where);
                        else
                                printf("  FAIL  %s\n", e->text);
                        break;
                case EV_ERROR:
                        fflush(stdout);
                        fprintf(stderr, "netlab: %s\n", e->text);
                        break;
                case EV_EXP:
                        printf("== %s\n", e->text);
                        break;
                default:
                        printf("%s\n", e->text);
                }
        }
        fflush(stdout);
}

/* ---- events: kept (for JUnit and for several labs), rendered, or sent ---- */

/* A record on the wire: type, ok, then exp, text and where, separated by
 * 0x1f and ended by 0x1e (neither can come from a lab in a useful way:
 * they are replaced by '?'). */
static void wire_field(FILE *f, const char *s)
{
        for (; s && *s; s++)
                fputc(*s == 0x1e || *s == 0x1f ? '?' : *s, f);
}

static void wire_send(const struct event *e)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (!f)
                return;
        fprintf(f, "%c%c\x1f", e->type, e->ok ? '1' : '0');
        wire_field(f, e->exp);
        fputc(0x1f, f);
        wire_field(f, e->text);
        fputc(0x1f, f);
        wire_field(f, e->where);
        fputc(0x1e, f);
        fclose(f);
        for (size_t o = 0; o < len;) {
                ssize_t w = write(O.wire, buf + o, len - o);
                if (w < 0 && errno == EINTR)
                        continue;
                if (w <= 0)
                        break;
                o += (size_t)w;
        }
        free(buf);
}

static void keep_event(struct labrun *r, const struct event *e)
{
        if (r->nev == r->cap) {
                int nc = r->cap ? r->cap * 2 : 32;
                struct event *n = realloc(r->ev, (size_t)nc * sizeof(*n));
                if (!n)
                        return;
                r->ev = n;
                r->cap = nc;
        }
        struct event *k = &r->ev[r->nev++];
        *k = (struct event){e->type, e->ok, dupstr(e->exp), dupstr(e->text), dupstr(e->where)};
}

static void count_event(struct labrun *r, const struct event *e)
{
        if (e->type == EV_CHECK && e->ok)
                r->passed++;
        else if (e->type == EV_CHECK)
                r->failed++;
        else if (e->type == EV_ERROR)
                r->errors++;
}

/* Lab r (run in this process) says e. */
static void emit(struct labrun *r, char type, bool ok, const char *exp, const char *where,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void emit(struct labrun *r, char type, bool ok, const char *exp, const char *where,
                 const char *fmt, ...)
{
        char *text = NULL;
        va_list ap;
        va_start(ap, fmt);
        if (vasprintf(&text, fmt, ap) < 0)
                text = NULL;
        va_end(ap);
        struct event e = {type, ok, (char *)exp, text ? text : (char *)"", (char *)where};
        count_event(r, &e);
        if (O.wire >= 0) {
                wire_send(&e);
        } else {
                render(&e);
                if (O.junit)
                        keep_event(r, &e);
        }
        free(text);
}

/* ---- one lab, in this process ---- */

void build_progress_init(struct build_progress *p, const char *who, bool per_phase)
{
        const char *trace = getenv("NETLAB_PROGRESS");
        *p = (struct build_progress){.who = who,
                                     .t0 = monotime_s(),
                                     .tty = isatty(2),
                                     .per_phase = per_phase,
                                     .trace = trace && *trace == '1'};
}

void build_progress_show(struct build_progress *p, const char *lab, const char *stage, int done,
                         int total)
{
        double t = monotime_s() - p->t0;
        if (p->trace) {
                fprintf(stderr, "%s: %.3f s %s %d/%d\n", p->who, t, stage, done, total);
                return;
        }
        if (total < 50)
                return;
        bool last = !strcmp(stage, "up") || (!strcmp(stage, "teardown") && done == total);
        if (p->tty) {
                fprintf(stderr, "\r\033[K%s: %s%s%s %d/%d (%.1f s)", p->who, lab ? lab : "",
                        lab ? ": " : "", stage, done, total, t);
                p->shown = true;
                if (last)
                        build_progress_end(p);
        } else if (p->per_phase && strcmp(p->stage, stage)) {
                fprintf(stderr, "%s: %s%s%s (%d) %.1f s\n", p->who, lab ? lab : "",
                        lab ? ": " : "", stage, total, t);
        }
        snprintf(p->stage, sizeof(p->stage), "%s", stage);
}

void build_progress_end(struct build_progress *p)
{
        if (p->shown)
                fputs(p->per_phase ? "\r\033[K" : "\n", stderr);
        p->shown = false;
}

struct hookctx {
        struct labrun *r;
        struct nlua *N;
        struct build_progress bp;
};

static void on_check(void *ud, int exp, bool ok, const char *msg, const char *where)
{
        struct hookctx *h = ud;
        const char *name = exp >= 0 && h->N ? nlua_exp_name(h->N, exp) : "";
        emit(h->r, EV_CHECK, ok, name, where, "%s", msg ? msg : "");
}

static void on_print(void *ud, const char *line)
{
        struct hookctx *h = ud;
        emit(h->r, EV_PRINT, false, NULL, NULL, "%s", line);
}

static void on_progress(void *ud, const char *stage, int done, int total)
{
        struct hookctx *h = ud;
        build_progress_show(&h->bp, NULL, stage, done, total);
}

/* Builds, runs and tears down the lab at r->path; returns its exit status:
 * 0 all passed, 1 a failure, 128 + N a stop signal, or the lab's os.exit. */
static int run_one(struct labrun *r)
{
        struct hookctx h = {.r = r};
        build_progress_init(&h.bp, "netlab", false);
        h.bp.tty = h.bp.tty && O.wire < 0;
        struct nlua_hooks hooks = {
            .on_check = on_check, .on_print = on_print, .on_progress = on_progress, .ud = &h};
        char err[ERRLEN];
        struct nlua *N = nlua_new(&hooks, err);
        if (!N) {
                emit(r, EV_ERROR, false, NULL, NULL, "%s", err);
                return 1;
        }
        h.N = N;
        int rc = 1;
        if (nlua_load(N, r->path, err) < 0 || nlua_build(N, err) < 0) {
                build_progress_end(&h.bp);
                emit(r, EV_ERROR, false, NULL, NULL, "%s", err);
                goto out;
        }
        struct lab *lab = nlua_lab(N);
        snprintf(r->name, sizeof(r->name), "%s", lab->name);
        emit(r, EV_HEADER, false, NULL, NULL, "lab %s: %d nodes, %d links, up in %.2f s", lab->name,
             lab->nnodes, lab->nlinks, monotime_s() - h.bp.t0);
        if (nlua_run_all(N, err) < 0) {
                emit(r, EV_ERROR, false, NULL, NULL, "%s", err);
                goto out;
        }
        if (r->passed + r->failed == 0)
                emit(r, EV_PRINT, false, NULL, NULL, "(the lab has no checks)");
        if (!O.tap)
                emit(r, EV_PRINT, false, NULL, NULL, "%d passed, %d failed", r->passed, r->failed);
        rc = r->failed ? 1 : 0;
out:
        fflush(stdout);
        bool kept = O.keep && nlua_lab(N) && nlua_lab(N)->state == LAB_UP && !lab_stop_requested;
        if (kept && service_detach(nlua_lab(N), err) < 0) {
                fprintf(stderr, "netlab: lab \"%s\" not kept up: %s\n", nlua_lab(N)->name, err);
                kept = false;
                rc = 1;
        }
        if (kept && dp_detach(nlua_lab(N), err) < 0) {
                /* A lab that cannot forward is not "kept up". */
                fprintf(stderr, "netlab: lab \"%s\" not kept up: it cannot forward (%s)\n",
                        nlua_lab(N)->name, err);
                kept = false;
                rc = 1;
        }
        if (kept) {
                fprintf(stderr,
                        "netlab: lab \"%s\" kept up; `netlab attach %s` opens a console on it, "
                        "`netlab exec %s NODE` a shell, `netlab down %s` removes it\n",
                        nlua_lab(N)->name, nlua_lab(N)->name, nlua_lab(N)->name,
                        nlua_lab(N)->name);
        } else if (nlua_teardown(N, err) < 0) {
                emit(r, EV_ERROR, false, NULL, NULL, "teardown: %s", err);
                rc = 1;
        }
        /* What happened decides the status: a signal (128 + its number), the
         * lab's os.exit (its code, but never 0 when a check failed). */
        int code = nlua_exit_status(N);
        nlua_free(N);
        if (lab_stop_requested)
                rc = 128 + (lab_stop_requested > 0 && lab_stop_requested < 64 ? lab_stop_requested
                                                                              : SIGINT);
        else if (code >= 0)
                rc = code == 0 && r->failed ? 1 : code;
        r->secs = monotime_s() - h.bp.t0;
        return rc;
}

/* ---- JUnit XML ---- */

static void xml_text(FILE *f, const char *s)
{
        for (; s && *s; s++) {
                unsigned char c = (unsigned char)*s;
                if (c == '&')
                        fputs("&amp;", f);
                else if (c == '<')
                        fputs("&lt;", f);
                else if (c == '>')
                        fputs("&gt;", f);
                else if (c == '"')
                        fputs("&quot;", f);
                else if (c < 0x20 && c != '\n' && c != '\t')
                        fputc('?', f); /* not allowed in XML 1.0 */
                else
                        fputc(c, f);
        }
}

static int write_junit(const char *path, struct labrun *labs, int n)
{
        FILE *f = fopen(path, "w");
        if (!f) {
                fprintf(stderr, "netlab run: Cannot write \"%s\": %s\n", path, strerror(errno));
                return -1;
        }
        int tests = 0, failures = 0, errors = 0;
        double secs = 0;
        for (int i = 0; i < n; i++) {
                tests += labs[i].passed + labs[i].failed + labs[i].errors;
                failures += labs[i].failed;
                errors += labs[i].errors;
                secs += labs[i].secs;
        }
        fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        fprintf(f,
                "<testsuites name=\"netlab\" tests=\"%d\" failures=\"%d\" errors=\"%d\" "
                "time=\"%.3f\">\n",
                tests, failures, errors, secs);
        for (int i = 0; i < n; i++) {
                struct labrun *r = &labs[i];
                fprintf(f, "  <testsuite name=\"");
                xml_text(f, r->name[0] ? r->name : r->path);
                fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"%.3f\" file=\"",
                        r->passed + r->failed + r->errors, r->failed, r->errors, r->secs);
                xml_text(f, r->path);
                fprintf(f, "\">\n");
                for (int k = 0; k < r->nev; k++) {
                        const struct event *e = &r->ev[k];
                        if (e->type != EV_CHECK && e->type != EV_ERROR)
                                continue;
                        fprintf(f, "    <testcase classname=\"");
                        xml_text(f, r->name[0] ? r->name : r->path);
                        if (e->exp && *e->exp) {
                                fputc('.', f);
                                xml_text(f, e->exp);
                        }
                        fprintf(f, "\" name=\"");
                        xml_text(f, e->type == EV_ERROR ? "netlab" : e->text);
                        if (e->type == EV_CHECK && e->ok) {
                                fprintf(f, "\"/>\n");
                                continue;
                        }
                        fprintf(f, "\">\n      <%s message=\"",
                                e->type == EV_ERROR ? "error" : "failure");
                        xml_text(f, e->text);
                        fprintf(f, "\">");
                        xml_text(f, e->where && *e->where ? e->where : e->text);
                        fprintf(f, "</%s>\n    </testcase>\n",
                                e->type == EV_ERROR ? "error" : "failure");
                }
                fprintf(f, "    <system-out>");
                for (int k = 0; k < r->nev; k++)
                        if (r->ev[k].type == EV_PRINT || r->ev[k].type == EV_HEADER ||
                            r->ev[k].type == EV_EXP) {
                                xml_text(f, r->ev[k].type == EV_EXP ? "== " : "");
                                xml_text(f, r->ev[k].text);
                                fputc('\n', f);
                        }
                fprintf(f, "</system-out>\n  </testsuite>\n");
        }
        fprintf(f, "</testsuites>\n");
        if (fclose(f) != 0) {
                fprintf(stderr, "netlab run: Cannot write \"%s\": %s\n", path, strerror(errno));
                return -1;
        }
        return 0;
}

/* ---- several labs: children, their pipes, reports in order ---- */

static void child_start(struct labrun *r)
{
        int p[2];
        if (pipe2(p, O_CLOEXEC) < 0) {
                r->status = 1;
                r->done = true;
                emit(r, EV_ERROR, false, NULL, NULL, "%s: pipe: %s", r->path, strerror(errno));
                return;
        }
        fflush(stdout);
        fflush(stderr);
        pid_t pid = fork();
        if (pid < 0) {
                close(p[0]);
                close(p[1]);
                r->status = 1;
                r->done = true;
                return;
        }
        if (pid == 0) {
                close(p[0]);
                O.wire = p[1];
                O.multi = false;
                struct labrun me = {.path = r->path};
                _exit(run_one(&me));
        }
        close(p[1]);
        r->pid = pid;
        r->fd = p[0];
        r->secs = monotime_s(); /* its start, until it is done */
}

/* Parses the complete records in r->buf into r's events. */
static void child_records(struct labrun *r)
{
        size_t start = 0;
        for (size_t i = 0; i < r->len; i++) {
                if (r->buf[i] != 0x1e)
                        continue;
                r->buf[i] = '\0';
                char *rec = r->buf + start, *f[4] = {NULL, NULL, NULL, NULL};
                start = i + 1;
                if (strlen(rec) < 3)
                        continue;
                f[0] = rec + 3;
                for (int k = 1; k < 4; k++) {
                        f[k] = f[k - 1] ? strchr(f[k - 1], 0x1f) : NULL;
                        if (f[k])
                                *f[k]++ = '\0';
                }
                struct event e = {rec[0], rec[1] == '1', f[0], f[1] ? f[1] : (char *)"", f[2]};
                if (e.type == EV_HEADER && !r->name[0]) {
                        const char *s = e.text + 4; /* "lab NAME: ..." */
                        snprintf(r->name, sizeof(r->name), "%.*s", (int)strcspn(s, ":"), s);
                }
                count_event(r, &e);
                keep_event(r, &e);
        }
        memmove(r->buf, r->buf + start, r->len - start);
        r->len -= start;
}

static void child_read(struct labrun *r)
{
        char tmp[16384];
        ssize_t n = read(r->fd, tmp, sizeof(tmp));
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
                return;
        if (n > 0) {
                char *b = realloc(r->buf, r->len + (size_t)n + 1);
                if (!b)
                        return;
                r->buf = b;
                memcpy(r->buf + r->len, tmp, (size_t)n);
                r->len += (size_t)n;
                child_records(r);
                return;
        }
        close(r->fd);
        r->fd = -1;
        int st = 0;
        while (waitpid(r->pid, &st, 0) < 0 && errno == EINTR)
                ;
        r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        r->done = true;
        r->secs = monotime_s() - r->secs;
}

static int run_many(struct labrun *labs, int n)
{
        int next = 0, running = 0, shown = 0;
        while (shown < n) {
                while (!lab_stop_requested && running < O.jobs && next < n) {
                        child_start(&labs[next++]);
                        running += labs[next - 1].fd >= 0;
                }
                /* In the order given, each lab's report once it is done. */
                while (shown < n && labs[shown].done) {
                        struct labrun *r = &labs[shown++];
                        if (!O.tap)
                                printf("==== %s\n", r->path);
                        for (int k = 0; k < r->nev; k++)
                                render(&r->ev[k]);
                        if (!r->nev && r->status)
                                render(&(struct event){EV_ERROR, false, NULL,
                                                       (char *)"the lab ended without a word",
                                                       NULL});
                }
                if (shown >= n)
                        break;
                if (lab_stop_requested)
                        for (int i = 0; i < n; i++)
                                if (labs[i].fd >= 0)
                                        kill(labs[i].pid, SIGTERM);
                if (lab_stop_requested && next < n) {
                        for (int i = next; i < n; i++) {
                                labs[i].done = true;
                                labs[i].status = 128 + lab_stop_requested;
                        }
                        next = n;
                }
                struct pollfd p[64];
                int idx[64], np = 0;
                for (int i = 0; i < n && np < 64; i++)
                        if (labs[i].fd >= 0) {
                                p[np] = (struct pollfd){.fd = labs[i].fd, .events = POLLIN};
                                idx[np++] = i;
                        }
                if (np == 0)
                        continue;
                if (poll(p, (nfds_t)np, 1000) < 0)
                        continue; /* EINTR: a stop signal, seen above */
                for (int k = 0; k < np; k++)
                        if (p[k].revents) {
                                struct labrun *r = &labs[idx[k]];
                                child_read(r);
                                running -= r->done;
                        }
        }
        return 0;
}

/* ---- the command ---- */

int cmd_run(int argc, char **argv)
{
        const char **paths = calloc((size_t)argc + 1, sizeof(*paths));
        int npaths = 0;
        O = (struct run_opts){.wire = -1, .jobs = 1};
        if (!paths)
                return 1;
        for (int i = 0; i < argc; i++) {
                const char *a = argv[i];
                if (!strcmp(a, "--keep")) {
                        O.keep = true;
                } else if (!strcmp(a, "--tap")) {
                        O.tap = true;
                } else if (!strcmp(a, "--junit") || !strncmp(a, "--junit=", 8)) {
                        O.junit = a[7] == '=' ? a + 8 : i + 1 < argc ? argv[++i] : NULL;
                        if (!O.junit || !*O.junit) {
                                fprintf(stderr, "netlab run: --junit needs a file name\n");
                                free(paths);
                                return 2;
                        }
                } else if (!strcmp(a, "-j") || !strncmp(a, "-j", 2)) {
                        const char *v = a[2] ? a + 2 : i + 1 < argc ? argv[++i] : "";
                        char *end;
                        long j = strtol(v, &end, 10);
                        if (!*v || *end || j < 1 || j > 64) {
                                fprintf(stderr, "netlab run: -j takes a number of labs at once "
                                                "(1..64)\n");
                                free(paths);
                                return 2;
                        }
                        O.jobs = (int)j;
                } else if (a[0] == '-' && a[1]) {
                        fprintf(stderr, "netlab run: unknown option \"%s\"\n", a);
                        free(paths);
                        return 2;
                } else {
                        paths[npaths++] = a;
                }
        }
        if (!npaths) {
                fprintf(stderr, "Usage: netlab run [--keep] [--tap] [--junit FILE] [-j N] "
                                "LAB.lua...\n");
                free(paths);
                return 2;
        }
        if (O.keep && npaths > 1) {
                fprintf(stderr, "netlab run: --keep keeps one lab up: name one lab file\n");
                free(paths);
                return 2;
        }
        struct labrun *labs = calloc((size_t)npaths, sizeof(*labs));
        if (!labs) {
                free(paths);
                return 1;
        }
        for (int i = 0; i < npaths; i++) {
                labs[i].path = paths[i];
                labs[i].fd = -1;
        }
        lab_catch_stop_signals();
        if (O.tap)
                printf("TAP version 13\n");
        int rc = 0;
        if (npaths == 1) {
                rc = run_one(&labs[0]);
        } else {
                O.multi = true;
                run_many(labs, npaths);
                int lab_ok = 0, passed = 0, failed = 0;
                for (int i = 0; i < npaths; i++) {
                        lab_ok += labs[i].status == 0;
                        passed += labs[i].passed;
                        failed += labs[i].failed;
                        if (labs[i].status && (!rc || labs[i].status > 128))
                                rc = labs[i].status > 128 ? labs[i].status : 1;
                }
                if (O.tap)
                        printf("# %d labs: %d passed, %d failed\n", npaths, lab_ok,
                               npaths - lab_ok);
                else
                        printf("%d labs: %d passed, %d failed; checks: %d passed, %d failed\n",
                               npaths, lab_ok, npaths - lab_ok, passed, failed);
        }
        if (lab_stop_requested)
                rc = 128 + lab_stop_requested;
        if (O.tap) {
                if (O.tap_n == 0)
                        printf("1..0 # SKIP no checks\n");
                else
                        printf("1..%d\n", O.tap_n);
        }
        fflush(stdout);
        if (O.junit && write_junit(O.junit, labs, npaths) < 0 && rc == 0)
                rc = 1;
        for (int i = 0; i < npaths; i++) {
                for (int k = 0; k < labs[i].nev; k++) {
                        free(labs[i].ev[k].exp);
                        free(labs[i].ev[k].text);
                        free(labs[i].ev[k].where);
                }
                free(labs[i].ev);
                free(labs[i].buf);
        }
        free(labs);
        free(paths);
        return rc;
}
