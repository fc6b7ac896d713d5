/* rl.c — GNU readline in callback mode inside the curses screen.
 *
 * As gdb's tui-io.c and rlncurses do: readline never touches the terminal
 * (no prep/deprep, no signal handlers, output to /dev/null); the loop feeds
 * it keyboard bytes through rl_getc_function, and rl_redisplay_function only
 * marks the screen dirty: draw.c paints the prompt and rl_line_buffer on the
 * last row, with the cursor at the display width of the text before
 * rl_point. History lives in ~/.netlab_history; completion offers commands,
 * node names and experiment names; Ctrl-R searches as usual. */
#include "console.h"
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <readline/history.h>
#include <readline/readline.h>

static struct console *rc;
static const unsigned char *in_buf;
static size_t in_len, in_pos;
static char hist_path[PATH_MAX];
static FILE *devnull_out, *devnull_in;

static int getc_cb(FILE *f)
{
        (void)f;
        if (in_pos < in_len)
                return in_buf[in_pos++];
        return EOF;
}

static int input_available(void)
{
        return in_pos < in_len;
}

static void redisplay(void)
{
        if (rc)
                rc->dirty = true;
}

static void prep_noop(int meta)
{
        (void)meta;
}

static void deprep_noop(void)
{
}

static void on_line(char *line)
{
        if (!line) { /* Ctrl-D on an empty line */
                con_msg(rc, false, "Type quit to leave");
                rl_callback_handler_install("netlab> ", on_line);
                return;
        }
        if (*line) {
                HIST_ENTRY *last =
                    history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
                if (!last || strcmp(last->line, line) != 0) {
                        add_history(line);
                        if (hist_path[0])
                                append_history(1, hist_path);
                }
        }
        unsigned long nsel = rc->nselects;
        con_exec_line(rc, line);
        free(line);
        /* The keys go back where they came from: the shell of Ctrl-b :, or
         * the graph after / or a line that selected a node (select NODE, a
         * bare node name), whose keys pan and select again. */
        keys_line_done(rc, rc->nselects != nsel);
}

/* ---- completion ---- */

static char *cands[1024];
static int ncands, cand_i;

static void add_cand(void *ud, const char *s)
{
        (void)ud;
        for (int i = 0; i < ncands; i++)
                if (strcmp(cands[i], s) == 0)
                        return;
        if (ncands < 1024)
                cands[ncands++] = strdup(s);
}

static char *gen(const char *text, int state)
{
        (void)text;
        if (state == 0)
                cand_i = 0;
        if (cand_i < ncands)
                return strdup(cands[cand_i++]);
        return NULL;
}

static char **complete(const char *text, int start, int end)
{
        (void)end;
        for (int i = 0; i < ncands; i++)
                free(cands[i]);
        ncands = 0;
        rl_attempted_completion_over = 1;
        char before[1024];
        size_t n = (size_t)start < sizeof(before) - 1 ? (size_t)start : sizeof(before) - 1;
        memcpy(before, rl_line_buffer, n);
        before[n] = '\0';
        struct cmd_parsed p;
        int argc = cmd_split(before, &p, NULL);
        if (argc < 0)
                return NULL;
        /* Node and experiment names are the command worker's while it runs. */
        bool busy = cmdwork_busy(rc);
        cmd_complete(con_commands, argc, p.argv, text, busy ? NULL : con_node_name,
                     busy ? NULL : con_exp_name, rc, add_cand, NULL);
        if (ncands == 0)
                return NULL;
        return rl_completion_matches(text, gen);
}

static void show_matches(char **matches, int num, int maxlen)
{
        (void)maxlen;
        char buf[512];
        size_t o = 0;
        buf[0] = '\0';
        for (int i = 1; i <= num && o + 2 < sizeof(buf); i++)
                o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s ", matches[i]);
        con_msg(rc, false, "%s", buf);
}

void rl_setup(struct console *c)
{
        rc = c;
        devnull_out = fopen("/dev/null", "we");
        devnull_in = fopen("/dev/null", "re");
        rl_readline_name = "netlab";
        rl_catch_signals = 0;
        rl_catch_sigwinch = 0;
        rl_change_environment = 0;
        rl_prep_term_function = prep_noop;
        rl_deprep_term_function = deprep_noop;
        rl_getc_function = getc_cb;
        rl_input_available_hook = input_available;
        rl_redisplay_function = redisplay;
        rl_outstream = devnull_out;
        rl_instream = devnull_in;
        rl_attempted_completion_function = complete;
        rl_completion_display_matches_hook = show_matches;
        rl_basic_word_break_characters = " \t";
        rl_initialize();
        using_history();
        stifle_history(1000);
        const char *home = getenv("HOME");
        if (home && *home) {
                snprintf(hist_path, sizeof(hist_path), "%s/.netlab_history", home);
                if (read_history(hist_path) != 0)
                        write_history(hist_path);
        }
        rl_callback_handler_install("netlab> ", on_line);
}

void rl_feed(struct console *c, const unsigned char *buf, size_t len)
{
        (void)c;
        in_buf = buf;
        in_len = len;
        in_pos = 0;
        while (in_pos < in_len && !rc->quit)
                rl_callback_read_char();
        in_buf = NULL;
        in_len = in_pos = 0;
}

void rl_finish(struct console *c)
{
        (void)c;
        rl_callback_handler_remove();
        if (hist_path[0])
                history_truncate_file(hist_path, 1000);
        for (int i = 0; i < ncands; i++)
                free(cands[i]);
        ncands = 0;
        if (devnull_out)
                fclose(devnull_out);
        if (devnull_in)
                fclose(devnull_in);
        devnull_out = devnull_in = NULL;
        rl_outstream = NULL;
        rl_instream = NULL;
        rc = NULL;
}

const char *rl_prompt_text(void)
{
        return rl_display_prompt ? rl_display_prompt : "";
}

const char *rl_line_text(void)
{
        return rl_line_buffer ? rl_line_buffer : "";
}

static int width_of(const char *s, size_t n)
{
        mbstate_t st;
        memset(&st, 0, sizeof(st));
        int w = 0;
        size_t i = 0;
        while (i < n) {
                wchar_t wc;
                size_t l = mbrtowc(&wc, s + i, n - i, &st);
                if (l == (size_t)-1 || l == (size_t)-2) {
                        w++;
                        i++;
                        memset(&st, 0, sizeof(st));
                        continue;
                }
                if (l == 0)
                        break;
                int cw = wcwidth(wc);
                w += cw > 0 ? cw : 0;
                i += l;
        }
        return w;
}

int rl_cursor_col(void)
{
        const char *p = rl_prompt_text();
        return width_of(p, strlen(p)) +
               width_of(rl_line_text(), (size_t)(rl_point > 0 ? rl_point : 0));
}

void rl_set_line(const char *text)
{
        rl_replace_line(text, 0);
        rl_point = rl_end;
        if (rc)
                rc->dirty = true;
}
