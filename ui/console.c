/* console.c — `netlab [LAB.lua]`: the console's event loop and life cycle.
 *
 * One thread, one epoll set: the keyboard (raw bytes from fd 0), every
 * pane's pty, one netlink link monitor per node, a signalfd (CHLD, WINCH,
 * INT, TERM, HUP), the running experiment's wait fd, command jobs' output
 * pipes, and one timerfd armed to the nearest deadline (throttled redraw,
 * Lua wait timeout, inspector refresh). Handlers only change state and mark
 * the screen dirty; the loop redraws at most once per turn (and at most
 * ~60 times a second, except right after a key: its echo never waits for
 * the throttle), with one doupdate(). Nothing is written to stderr
 * while curses is up: messages go to the status line and to a log file
 * ($XDG_STATE_HOME/netlab/console.log). */
#include "console.h"
#include "service.h"
#include "kwork.h"
#include "clean.h"
#include "dp.h"
#include "hostobj.h"
#include "server.h"
#include "ui.h"
#include "monotime.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <curses.h>
#include <net/if.h>

static struct console *g_con; /* for the fatal path only */

void con_log(struct console *c, const char *fmt, ...)
{
        if (!c->log)
                return;
        time_t t = time(NULL);
        struct tm tm;
        char ts[32];
        localtime_r(&t, &tm);
        strftime(ts, sizeof(ts), "%F %T", &tm);
        fprintf(c->log, "%s ", ts);
        va_list ap;
        va_start(ap, fmt);
        vfprintf(c->log, fmt, ap);
        va_end(ap);
        fputc('\n', c->log);
        fflush(c->log);
}

static bool screen_up(void);

void con_msg(struct console *c, bool error, const char *fmt, ...)
{
        va_list ap;
        if (cmdwork_on_worker()) { /* shown when the command ends */
                char m[sizeof(c->msg)];
                va_start(ap, fmt);
                int n = vsnprintf(m, sizeof(m), fmt, ap);
                va_end(ap);
                cmdwork_keep(error ? CMDW_ERR : CMDW_MSG, m,
                             n < 0 ? 0 : n < (int)sizeof(m) ? (size_t)n : sizeof(m) - 1);
                return;
        }
        va_start(ap, fmt);
        vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
        va_end(ap);
        for (char *p = c->msg; *p; p++)
                if (*p == '\n' || *p == '\r' || *p == '\t')
                        *p = ' ';
        c->msg_err = error;
        c->dirty = true;
        con_log(c, "%s%s", error ? "error: " : "", c->msg);
        /* An error wider than the screen is cut on the message line: the
         * output pane has it whole (wrapped). */
        /* So is every answer while `source` runs: the output pane shows
         * each line it runs, and the message line keeps only the last answer. */
        if (screen_up() && ((error && str_cells(c->msg) > COLS) || c->script.lines)) {
                char line[sizeof(c->msg) + 8];
                int n = snprintf(line, sizeof(line), "%s%s\n", error ? "error: " : "", c->msg);
                con_output(c, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
        }
}

/* A fatal error: leave curses first, then say why. */
static void __attribute__((noreturn)) fatal(const char *fmt, ...)
{
        keys_mouse_mode(false);
        if (!isendwin())
                endwin();
        va_list ap;
        va_start(ap, fmt);
        fputs("netlab: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
        if (g_con && g_con->L && !g_con->keep) {
                char err[ERRLEN];
                nlua_teardown(g_con->L, err);
        }
        exit(1);
}

/* Stopped from outside: said on the console's own screen, exit 128 + N. */
/* The signal that stopped the console (0: none). A stop signal during the
 * build is the core's lab_stop_requested (lab_catch_stop_signals); after it
 * the signals come through the signalfd and stop only the console's loop,
 * which then tears down in order. */
static int stop_signal;

static void stopped_by(struct console *c, int sig, int from)
{
        stop_signal = sig;
        c->exit_status = 128 + sig;
        c->quit = true;
        con_log(c, "signal %d from pid %d: quitting", sig, from);
        if (c->host)
                con_msg(c, true, "Stopped by SIG%s%s", sigabbrev_np(sig),
                        from > 0 ? " from outside" : "");
        else
                con_msg(c, true, "Stopped by SIG%s%s: tearing down lab %s...", sigabbrev_np(sig),
                        from > 0 ? " from outside" : "", c->lab->name);
}

static void crash_handler(int sig)
{
        keys_mouse_mode(false);
        if (!isendwin())
                endwin();
        signal(sig, SIG_DFL);
        raise(sig);
}

void con_ep_add(struct console *c, int fd, uint32_t type, uint32_t idx)
{
        struct epoll_event ev = {.events = EPOLLIN,
                                 .data.u64 = ((uint64_t)(unsigned)fd << 40) |
                                             ((uint64_t)(type & 0xff) << 32) | idx};
        if (epoll_ctl(c->ep, EPOLL_CTL_ADD, fd, &ev) < 0 && errno != EEXIST)
                con_log(c, "epoll add fd %d: %s", fd, strerror(errno));
}

void con_ep_del(struct console *c, int fd)
{
        if (fd >= 0)
                epoll_ctl(c->ep, EPOLL_CTL_DEL, fd, NULL);
}

void con_dp_watch(struct console *c)
{
        if (!c->built)
                return;
        struct dp_status st;
        lab_dp_state(c->lab, &st);
        if (st.deaths != c->dp_deaths) {
                c->dp_deaths = st.deaths;
                con_msg(c, true, "%s", st.why);
                con_log(c, "%s", st.why);
                if (nlua_exp_running(c->L) >= 0)
                        exp_step(c); /* it fails with the reason, at once */
        }
        char note[sizeof(c->dp_note)] = "";
        if (st.state == DP_DEAD || st.state == DP_STARTING)
                snprintf(note, sizeof(note), "  datapath %s", dp_state_name(st.state));
        if (strcmp(note, c->dp_note) != 0) {
                snprintf(c->dp_note, sizeof(c->dp_note), "%s", note);
                c->dirty = true;
        }
        int fd = lab_dp_fd(c->lab);
        if (fd != c->dp_fd) { /* a closed descriptor left epoll by itself */
                if (fd >= 0)
                        con_ep_add(c, fd, EV_DP, 0);
                c->dp_fd = fd;
        }
}

void con_select_node(struct console *c, int node)
{
        if (cmdwork_refuse(c))
                return;
        if (node < 0 || node >= c->lab->nnodes)
                return;
        c->sel = node;
        c->nselects++;
        c->inspect_at = 0; /* refresh now */
        c->dirty = true;
}

/* ---- signals, timer ---- */

static void on_winch(struct console *c)
{
        /* Under a lab server a WINCH may be a newly attached terminal: give
         * it the terminal modes again (alternate screen, keypad) and every
         * character, as after a shell escape. */
        if (server_present()) {
                endwin();
                refresh();
                if (c->keys.mouse)
                        keys_mouse_mode(true);
        }
        struct winsize ws;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
                resizeterm(ws.ws_row, ws.ws_col);
        clearok(curscr, TRUE);
        pane_apply_sizes(c);
}

static void signals(struct console *c)
{
        struct signalfd_siginfo si;
        while (read(c->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
                switch (si.ssi_signo) {
                case SIGWINCH:
                        on_winch(c);
                        break;
                case SIGCHLD:
                        pane_reap(c);
                        break;
                default: /* INT, TERM, HUP: leave now */
                        stopped_by(c, (int)si.ssi_signo, (int)si.ssi_pid);
                        break;
                }
        }
}

static void arm_timer(struct console *c)
{
        long long t = 0;
        long long cand[] = {c->draw_pending ? c->next_draw_ms : 0, c->exp.deadline, c->jobs.wake_at,
                            c->inspect_pane >= 0 && c->built && c->lay.zoomed < 0 ? c->inspect_at
                                                                                  : 0,
                            c->keys.numbers_until, c->dying_at};
        /* While a command changes the lab, only the screen's deadline counts
         * (deadlines() waits for the command), and the title's count of the
         * seconds it has waited for the kernel, from CMDWORK_SLOW_MS on. */
        size_t ncand = cmdwork_busy(c) ? 1 : sizeof(cand) / sizeof(cand[0]);
        for (size_t i = 0; i < ncand; i++)
                if (cand[i] > 0 && (t == 0 || cand[i] < t))
                        t = cand[i];
        if (cmdwork_busy(c)) {
                long long since = cmdwork_since(c), el = monotime_ms() - since;
                long long tick = since + (el < CMDWORK_SLOW_MS ? CMDWORK_SLOW_MS : (el / 1000 + 1) * 1000);
                if (t == 0 || tick < t)
                        t = tick;
        }
        struct itimerspec its = {0};
        if (t > 0) {
                if (t <= monotime_ms())
                        t = monotime_ms() + 1;
                its.it_value.tv_sec = t / 1000;
                its.it_value.tv_nsec = (t % 1000) * 1000000;
        }
        timerfd_settime(c->tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void deadlines(struct console *c)
{
        long long now = monotime_ms();
        if (c->exp.deadline && now >= c->exp.deadline) {
                c->exp.deadline = 0;
                exp_step(c);
        }
        jobs_tick(c, now);
        c->dying_at = pane_dying_tick(c, now, false);
        if (c->keys.numbers_until && now >= c->keys.numbers_until) {
                c->keys.numbers_until = 0;
                c->dirty = true;
        }
        struct rect ir;
        if (c->inspect_pane >= 0 && c->built && now >= c->inspect_at &&
            layout_rect(&c->lay, c->inspect_pane, &ir)) {
                inspect_refresh(c, c->sel);
                c->inspect_at = now + 1000;
                c->dirty = true;
        }
}

/* ---- life cycle ---- */

/* Before the screen is up (the lab file's top level may print or build the
 * lab itself: lab:build(), node:cmd), there is no screen to draw on. */
static bool screen_up(void)
{
        return stdscr && !isendwin();
}

/* What the lab file's top level printed before there was a screen (its
 * warnings among it): written to the terminal at once, which the screen
 * then covers, and again into the output pane once there is one. */
static char *early_out;
static size_t early_len;

static void early_keep(const char *line)
{
        size_t n = strlen(line);
        if (early_len + n + 1 > (1u << 20))
                return; /* a flood: the console's log has it all */
        char *nb = realloc(early_out, early_len + n + 1);
        if (!nb)
                return;
        early_out = nb;
        memcpy(early_out + early_len, line, n);
        early_out[early_len + n] = '\n';
        early_len += n + 1;
}

static void early_show(struct console *c)
{
        if (early_len)
                con_output(c, early_out, early_len);
        free(early_out);
        early_out = NULL;
        early_len = 0;
}

static void hook_print(void *ud, const char *line)
{
        struct console *c = ud;
        con_log(c, "lua: %s", line);
        if (!screen_up() && !cmdwork_on_worker()) {
                if (!stdscr) {
                        printf("%s\n", line);
                        early_keep(line);
                }
                return;
        }
        con_output(c, line, strlen(line));
        con_output(c, "\n", 1);
}

/* The first build runs before the loop: keys typed meanwhile are read at
 * each step it reports. Ctrl-C stops it (rolled back, as netlab up's
 * Ctrl-C); the other keys wait, said on the screen, and run once the lab
 * is up (building). */
static bool building;
static unsigned char *held;
static size_t nheld;

#define HELD_MAX 65536

static void build_keys(struct console *c)
{
        unsigned char buf[1024];
        struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
        while (poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN)) {
                ssize_t r = read(STDIN_FILENO, buf, sizeof(buf));
                if (r <= 0)
                        break;
                if (memchr(buf, K_CTRL_C, (size_t)r)) {
                        if (!lab_stop_requested)
                                con_log(c, "^C during the build: stopping it");
                        lab_stop_requested = SIGINT; /* the build's next step rolls it back */
                        nheld = 0;
                        continue;
                }
                if (lab_stop_requested || nheld + (size_t)r > HELD_MAX)
                        continue;
                unsigned char *n = realloc(held, nheld + (size_t)r);
                if (!n)
                        continue;
                held = n;
                memcpy(held + nheld, buf, (size_t)r);
                nheld += (size_t)r;
        }
}

static void hook_progress(void *ud, const char *stage, int done, int total)
{
        struct console *c = ud;
        /* `netlab up` shows the first build's progress (its server relays it). */
        struct lab *lab = c->lab ? c->lab : c->L ? nlua_lab(c->L) : NULL;
        if (lab && !c->built && !cmdwork_on_worker())
                server_tell("progress %s %s %d %d", lab->name, stage, done, total);
        if (!screen_up() || !c->lab || cmdwork_on_worker())
                return;
        if (building)
                build_keys(c);
        if (building && lab_stop_requested)
                con_msg(c, true, "^C: stopping the build of lab %s: what was built is rolled "
                        "back...", c->lab->name);
        else if (building && nheld)
                con_msg(c, false, "Lab %s: %s %d/%d (building: your keys run when the lab is up; "
                        "Ctrl-C stops the build)", c->lab->name, stage, done, total);
        else
                con_msg(c, false, "Lab %s: %s %d/%d", c->lab->name, stage, done, total);
        draw_all(c);
}

/* The default lab: an installed netlab (bin/ beside share/netlab/) opens its
 * own copy first, wherever it is run from; a build tree opens the sources'. */
struct nlua *con_lua_new(struct console *c, char *err)
{
        struct nlua_hooks hooks = {.on_check = exp_on_check,
                                   .on_print = hook_print,
                                   .on_progress = hook_progress,
                                   .ud = c};
        return nlua_new(&hooks, err);
}

static void default_lab(char *out, size_t len)
{
        char exe[PATH_MAX], installed[PATH_MAX + 64] = "";
        ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        if (n > 0) {
                exe[n] = '\0';
                char *slash = strrchr(exe, '/');
                if (slash) {
                        *slash = '\0';
                        snprintf(installed, sizeof(installed), "%s/../share/netlab/labs/linear.lua",
                                 exe);
                }
        }
        const char *cands[] = {installed, NETLAB_SOURCE_DIR "/labs/linear.lua",
                               NETLAB_SHARE_DIR "/labs/linear.lua",
                               "/usr/share/netlab/labs/linear.lua", "labs/linear.lua"};
        for (size_t i = 0; i < sizeof(cands) / sizeof(cands[0]); i++)
                if (cands[i][0] && access(cands[i], R_OK) == 0) {
                        snprintf(out, len, "%s", cands[i]);
                        return;
                }
        snprintf(out, len, "%s", cands[1]);
}

static FILE *open_log(void)
{
        char dir[PATH_MAX], path[PATH_MAX];
        const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
        if (x && *x)
                snprintf(dir, sizeof(dir), "%s/netlab", x);
        else if (home && *home)
                snprintf(dir, sizeof(dir), "%s/.local/state/netlab", home);
        else
                return NULL;
        char tmp[PATH_MAX];
        snprintf(tmp, sizeof(tmp), "%s", dir);
        for (char *p = tmp + 1; *p; p++)
                if (*p == '/') {
                        *p = '\0';
                        mkdir(tmp, 0755);
                        *p = '/';
                }
        mkdir(tmp, 0755);
        if (snprintf(path, sizeof(path), "%.4000s/console.log", dir) >= (int)sizeof(path))
                return NULL;
        FILE *f = fopen(path, "ae");
        return f;
}

static void setup_curses(struct console *c)
{
        initscr();
        raw();
        noecho();
        nonl();
        intrflush(stdscr, FALSE);
        keypad(stdscr, FALSE);
        if (has_colors()) {
                start_color();
                use_default_colors();
        }
        curs_set(0);
        c->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
        refresh();
        c->keys.mouse = true;
        keys_mouse_mode(true);
}

#define BUSY_GRACE_MS 40

/* The events whose handlers read the lab: while a command changes it on
 * the worker, they wait in the kernel (cmdwork_defer). */
static const bool defer_while_busy[] = {
    [EV_MON] = true, [EV_JOB] = true,  [EV_LUA] = true,   [EV_CAP] = true,
    [EV_DP] = true,  [EV_KWORK] = true, [EV_HOST] = true, [EV_SRV + 1] = false,
};

static void loop(struct console *c)
{
        struct epoll_event evs[64];
        /* NETLAB_UI_TIMING: turns of the loop over 20 ms are logged, with
         * what woke them (a slow turn is what delays keys). */
        bool timing = getenv("NETLAB_UI_TIMING") != NULL;
        /* Quitting waits for a command that changes the kernel: the lab is
         * the worker's until it ends. */
        while (!c->quit || cmdwork_busy(c)) {
                arm_timer(c);
                int n = epoll_wait(c->ep, evs, 64, -1);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        fatal("epoll_wait: %s", strerror(errno));
                }
                bool typed = false; /* keys are echoed at once, not throttled */
                double turn0 = timing ? monotime_s() : 0;
                for (int i = 0; i < n && (!c->quit || cmdwork_busy(c)); i++) {
                        uint32_t type = EV_TYPE(evs[i].data.u64);
                        uint32_t idx = (uint32_t)evs[i].data.u64;
                        if (cmdwork_busy(c) &&
                            type < sizeof(defer_while_busy) / sizeof(defer_while_busy[0]) &&
                            defer_while_busy[type]) {
                                cmdwork_defer(c, (int)(evs[i].data.u64 >> 40), evs[i].data.u64);
                                continue;
                        }
                        switch (type) {
                        case EV_STDIN: {
                                unsigned char buf[4096];
                                ssize_t r = read(STDIN_FILENO, buf, sizeof(buf));
                                if (r > 0) {
                                        keys_input(c, buf, (size_t)r);
                                        typed = true;
                                }
                                else if (r == 0 || (errno != EAGAIN && errno != EINTR))
                                        c->quit = true; /* the terminal went away */
                                break;
                        }
                        case EV_SIG:
                                signals(c);
                                break;
                        case EV_TIMER: {
                                uint64_t x;
                                if (read(c->tfd, &x, sizeof(x)) < 0) {
                                        /* spurious */
                                }
                                if (cmdwork_busy(c) &&
                                    monotime_ms() - cmdwork_since(c) >= CMDWORK_SLOW_MS)
                                        c->dirty = true; /* the title counts the seconds */
                                break;
                        }
                        case EV_PTY:
                                if (evs[i].events & EPOLLOUT)
                                        pane_flush(c, (int)idx);
                                if (evs[i].events & ~(uint32_t)EPOLLOUT)
                                        pane_pty_event(c, (int)idx);
                                break;
                        case EV_MON:
                                monitors_event(c, (int)idx);
                                break;
                        case EV_JOB:
                                jobs_event(c, (int)idx);
                                break;
                        case EV_LUA:
                                exp_step(c);
                                break;
                        case EV_CAP:
                                capture_ui_event(c);
                                break;
                        case EV_DP:
                                break; /* con_dp_watch below */
                        case EV_KWORK:
                                kwork_collect(c->kw);
                                break;
                        case EV_HOST:
                                host_event(c);
                                break;
                        case EV_CMDW:
                                cmdwork_event(c);
                                break;
                        case EV_SRV: {
                                char env[128];
                                int k = server_read_clients(server_fd(), env, sizeof(env));
                                if (k >= 0)
                                        c->clients = k;
                                else if (k == -2)
                                        con_ep_del(c, server_fd());
                                keys_attach_env(c, env);
                                break;
                        }
                        }
                }
                if (!cmdwork_busy(c)) {
                        con_dp_watch(c);
                        deadlines(c);
                }
                if (c->quit && !cmdwork_busy(c))
                        break;
                /* A command that changes the kernel usually ends within
                 * milliseconds: the screen waits BUSY_GRACE_MS for it rather
                 * than flash "changing the lab" (keys typed meanwhile too). */
                if (cmdwork_busy(c) && c->next_draw_ms < cmdwork_since(c) + BUSY_GRACE_MS)
                        c->next_draw_ms = cmdwork_since(c) + BUSY_GRACE_MS;
                bool grace = cmdwork_busy(c) && monotime_ms() < cmdwork_since(c) + BUSY_GRACE_MS;
                if (c->dirty || c->draw_pending) {
                        long long now = monotime_ms();
                        if (now >= c->next_draw_ms || (typed && c->dirty && !grace)) {
                                draw_all(c);
                                c->next_draw_ms = now + 16;
                                c->draw_pending = false;
                        } else {
                                c->draw_pending = true;
                        }
                }
                if (timing && monotime_s() - turn0 > 0.020) {
                        char what[128];
                        size_t o = 0;
                        for (int i = 0; i < n && o + 8 < sizeof(what); i++)
                                o += (size_t)snprintf(what + o, sizeof(what) - o, " %u",
                                                      EV_TYPE(evs[i].data.u64));
                        con_log(c, "slow turn %.1f ms (events%s; last redraw %.1f ms)",
                                (monotime_s() - turn0) * 1000, o ? what : " none", c->last_draw_ms);
                }
        }
}

/* The console on a lab file (hostv false) or on the machine's namespaces. */
static int console_main(const char *lab_path, bool keep, bool hostv)
{
        static struct console con;
        struct console *c = &con;
        char err[ERRLEN];
        memset(c, 0, sizeof(*c));
        g_con = c;
        c->keep = keep;
        c->keys.prefix_key = K_CTRL_B;
        c->output_pane = c->inspect_pane = c->exp_pane = -1;
        c->gv.sel_shown = -1;
        int pk = key_parse_prefix(getenv("NETLAB_PREFIX")); /* "C-a" */
        if (pk > 0)
                c->keys.prefix_key = pk;
        c->keys.lab_prefix = c->keys.prefix_key;
        setlocale(LC_ALL, "");
        if (lab_path)
                snprintf(c->lab_path, sizeof(c->lab_path), "%s", lab_path);
        else if (!hostv)
                default_lab(c->lab_path, sizeof(c->lab_path));
        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
                if (hostv)
                        fprintf(stderr, "netlab host: the console needs a terminal (try: netlab "
                                        "ns --tree)\n");
                else { /* netlab --topo's file is temporary: the line as typed */
                        const char *ts = nlua_topo_spec(c->lab_path);
                        fprintf(stderr,
                                "netlab: the console needs a terminal (try: netlab run %s)\n",
                                ts ? ts : c->lab_path);
                }
                return 2;
        }
        c->log = open_log();
        c->L = con_lua_new(c, err);
        if (!c->L) {
                fprintf(stderr, "netlab: %s\n", err);
                return 1;
        }
        /* A stop signal during the lab file's top level (or the build) asks
         * it to stop and roll back. */
        lab_catch_stop_signals();
        if (hostv) {
                if (host_start(c, err) < 0) {
                        fprintf(stderr, "netlab host: %s\n", err);
                        nlua_free(c->L);
                        return 1;
                }
                con_log(c, "console on the machine's namespaces");
        } else if (nlua_load(c->L, c->lab_path, err) < 0) {
                char e2[ERRLEN];
                fprintf(stderr, "netlab: %s\n", err);
                server_tell("fail %s", err);
                int code = nlua_exit_status(c->L);
                nlua_teardown(c->L, e2); /* the top level may have built it */
                nlua_free(c->L);
                return lab_stop_requested ? 128 + lab_stop_requested : code >= 0 ? code : 1;
        }
        if (!hostv)
                c->lab = nlua_lab(c->L);
        if (!c->lab) {
                fprintf(stderr, "netlab: %s declares no lab (netlab.lab(\"name\"))\n", c->lab_path);
                nlua_free(c->L);
                return 1;
        }
        if (!hostv)
                con_log(c, "console on %s (lab %s)", c->lab_path, c->lab->name);
        /* A second console on a running lab: say whose it is and the two ways
         * on (a saved copy of a running lab has its name), open nothing. */
        if (!hostv && lab_running(c->lab->name, err)) {
                const char *spec = nlua_topo_spec(c->lab_path);
                fprintf(stderr,
                        "netlab: %s: netlab attach %s opens its console; netlab --name NEW %s builds "
                        "another beside it\n",
                        err, c->lab->name, spec ? spec : c->lab_path);
                server_tell("fail %s: netlab attach %s opens its console; netlab --name NEW %s "
                            "builds another beside it",
                            err, c->lab->name, spec ? spec : c->lab_path);
                nlua_free(c->L);
                return 1;
        }
        if (exp_init(c) < 0 || monitors_init(c) < 0) {
                fprintf(stderr, "netlab: out of memory\n");
                return 1;
        }
        c->in.node = -1;
        int first_sel = c->sel;

        /* CHLD and WINCH go to the signalfd from now on; INT, TERM and HUP
         * only once the lab is built, so that they still stop a build that
         * hangs (netlab clean then removes what the journal names). */
        sigset_t set, early;
        sigemptyset(&set);
        sigaddset(&set, SIGCHLD);
        sigaddset(&set, SIGWINCH);
        early = set;
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGHUP);
        sigprocmask(SIG_BLOCK, &early, NULL);
        c->sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
        c->dp_fd = -1;
        c->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        c->ep = epoll_create1(EPOLL_CLOEXEC);
        if (c->sfd < 0 || c->tfd < 0 || c->ep < 0) {
                fprintf(stderr, "netlab: cannot set up the event loop: %s\n", strerror(errno));
                return 1;
        }
        signal(SIGSEGV, crash_handler);
        signal(SIGABRT, crash_handler);
        signal(SIGBUS, crash_handler);
        signal(SIGFPE, crash_handler);
        con_ep_add(c, STDIN_FILENO, EV_STDIN, 0);
        con_ep_add(c, c->sfd, EV_SIG, 0);
        con_ep_add(c, c->tfd, EV_TIMER, 0);
        c->kw = kwork_start(err);
        if (!c->kw) {
                fprintf(stderr, "netlab: %s\n", err);
                return 1;
        }
        con_ep_add(c, kwork_fd(c->kw), EV_KWORK, 0);
        c->cw = cmdwork_new(err);
        if (!c->cw) {
                fprintf(stderr, "netlab: %s\n", err);
                return 1;
        }
        con_ep_add(c, cmdwork_fd(c->cw), EV_CMDW, 0);
        if (server_fd() >= 0)
                con_ep_add(c, server_fd(), EV_SRV, 0);
        if (hostv)
                con_ep_add(c, host_fd(c), EV_HOST, 0);

        setup_curses(c);
        /* Panes: graph | (inspector / experiments). */
        c->graph_pane = pane_alloc(c);
        c->panes[c->graph_pane].kind = P_GRAPH;
        layout_init(&c->lay, c->graph_pane);
        layout_compute(&c->lay, pane_work_area());
        c->inspect_pane = pane_alloc(c);
        c->panes[c->inspect_pane].kind = P_INSPECT;
        layout_split(&c->lay, c->graph_pane, LAY_H, c->inspect_pane, COLS >= 110 ? 640 : 600, NULL);
        c->exp_pane = pane_alloc(c);
        c->panes[c->exp_pane].kind = P_EXP;
        layout_split(&c->lay, c->inspect_pane, LAY_V, c->exp_pane, 600, NULL);
        c->active = c->graph_pane;
        c->focus_cmd = true;
        c->relayout = true;
        rl_setup(c);
        pane_apply_sizes(c);
        early_show(c);
        draw_all(c);

        /* `netlab attach` of a lab kept up without a console (run --keep):
         * this console takes it over instead of building it. */
        const char *adopt = getenv("NETLAB_ADOPT");
        bool adopting = !hostv && adopt && !strcmp(adopt, c->lab->name);
        if (!hostv) {
                con_msg(c, false, "Building lab %s...", c->lab->name);
                draw_all(c);
                server_tell("lab %s", c->lab->name);
                if (adopting)
                        con_msg(c, false, "Taking over lab %s...", c->lab->name);
        }
        int build_rc = 0;
        if (!hostv) {
                building = true;
                build_rc = adopting ? nlua_adopt(c->L, err) : nlua_build(c->L, err);
                building = false;
        }
        if (hostv) {
                c->built = true;
                c->sel = first_sel;
                monitors_start(c);
                con_msg(c, false,
                        "The machine: %d namespaces. Read-only: panes (term NODE) are where "
                        "to change it. Type help, or %s ? for keys.",
                        host_namespaces(c), keys_prefix(c));
        } else if (build_rc < 0) {
                con_msg(c, true, "Build failed: %s", err);
                server_tell("fail Build failed: %s", err);
                if (lab_stop_requested)
                        stopped_by(c, lab_stop_requested, 0);
        } else {
                c->built = true;
                server_tell("up %d %d", c->lab->nnodes, c->lab->nlinks);
                monitors_start(c);
                con_msg(c, false,
                        "Lab %s is up: %d nodes, %d links. %s", c->lab->name, c->lab->nnodes,
                        c->lab->nlinks, keys_hint(c, getenv("TMUX") && *getenv("TMUX")));
                const char *pv = getenv("NETLAB_PREFIX");
                if (pv && *pv && key_parse_prefix(pv) < 0)
                        con_msg(c, true,
                                "Lab %s is up; NETLAB_PREFIX=%.16s is not C-a..C-z: prefix %s",
                                c->lab->name, pv, keys_prefix(c));
                char host[400];
                if (hostobj_describe(c->lab->name, host, sizeof(host)) > 0)
                        con_msg(c, false, "Lab %s is up; changed on this machine: %s",
                                c->lab->name, host);
                if (!adopting) /* an adopted lab's services still run */
                        exp_on_up(c);
        }
        sigprocmask(SIG_BLOCK, &set, NULL);
        if (lab_stop_requested && !c->quit)
                stopped_by(c, lab_stop_requested, 0);
        c->dirty = true;
        draw_all(c);
        /* The keys typed during the build, now that the lab is up. */
        if (nheld && !c->quit)
                keys_input(c, held, nheld);
        free(held);
        held = NULL;
        nheld = 0;
        loop(c);

        /* Quit: the capture's file closed whole, shells, then the lab; a
         * big lab takes seconds to go, said on the screen meanwhile. */
        if (c->built && !c->keep && !hostv && !stop_signal) {
                con_msg(c, false, "Tearing down lab %s: %d nodes, %d links...", c->lab->name,
                        c->lab->nnodes, c->lab->nlinks);
                draw_all(c);
        }
        capture_ui_stop(c, err);
        for (int i = 0; i < MAXPANES; i++)
                if (c->panes[i].used && c->panes[i].kind == P_TERM)
                        con_close_pane(c, i, NULL);
        pane_dying_tick(c, monotime_ms() + 1000000, true); /* the loop is over: wait for them */
        if (nlua_exp_running(c->L) >= 0 || nlua_eval_running(c->L))
                nlua_exp_abort(c->L);
        script_free(c);
        jobs_stop(c);
        monitors_stop(c);
        con_ep_del(c, kwork_fd(c->kw));
        kwork_stop(c->kw); /* never waits: a dump stuck in the kernel is let go */
        c->kw = NULL;
        con_ep_del(c, cmdwork_fd(c->cw));
        cmdwork_free(c->cw); /* idle: the loop waited for its command */
        c->cw = NULL;
        inspect_free(&c->in);
        int status = c->exit_status;
        if (stop_signal)
                draw_all(c); /* "Stopped by ...", while the lab is torn down */
        /* A lab that cannot forward (its datapath gave up) is not kept. */
        char why[ERRLEN] = "";
        bool kept = c->built && c->keep && service_detach(c->lab, why) == 0 &&
                    dp_detach(c->lab, why) == 0;
        if (c->built && !kept && !hostv) {
                if (nlua_teardown(c->L, err) < 0) {
                        con_log(c, "teardown: %s", err);
                        rl_finish(c);
                        keys_mouse_mode(false);
                        endwin();
                        fprintf(stderr, "netlab: %s\n", err);
                        status = 1;
                        goto out;
                }
        }
        rl_finish(c);
        keys_mouse_mode(false);
        endwin();
        if (stop_signal && hostv)
                fprintf(stderr, "netlab host: stopped by SIG%s\n", sigabbrev_np(stop_signal));
        else if (stop_signal && !c->built)
                fprintf(stderr, "netlab: stopped by SIG%s during the build; lab %s rolled back\n",
                        sigabbrev_np(stop_signal), c->lab->name);
        else if (stop_signal)
                fprintf(stderr, "netlab: stopped by SIG%s; lab %s %s\n",
                        sigabbrev_np(stop_signal), c->lab->name,
                        kept ? "left up" : "torn down");
        if (kept)
                printf("Lab %s left up (netlab clean %s removes it).\n", c->lab->name,
                       c->lab->name);
        else if (c->built && !hostv && !stop_signal)
                printf("Lab %s torn down (%d nodes).\n", c->lab->name, c->lab->nnodes);
        else if (c->built && c->keep)
                printf("Lab %s not kept up: it cannot forward (%s).\n", c->lab->name, why);
out:
        if (hostv)
                host_stop(c); /* c->lab was the view's: gone with it */
        con_log(c, "console closed");
        nlua_free(c->L);
        c->L = NULL;
        exp_free(c);
        monitors_free(c);
        copy_free(c);
        free(c->gn);
        free(c->ge);
        graph_free(c);
        layout_free(&c->lay);
        close(c->ep);
        close(c->sfd);
        close(c->tfd);
        if (c->log)
                fclose(c->log);
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        g_con = NULL;
        return status;
}

int ui_main(const char *lab_path, bool keep)
{
        return console_main(lab_path, keep, false);
}

int ui_host_main(void)
{
        return console_main(NULL, false, true);
}
