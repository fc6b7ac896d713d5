/* help.c — help printed from the tables: the key tables (keys.c) and the
 * command table (commands.c). The overlay (Ctrl-b ?) and `netlab
 * --help-keys` (README's tables, checked by tests/ui/ui_help_readme.sh)
 * both walk the same entries, so nothing is listed by hand; bindings in a
 * row with the same note share one line ("o Tab  next pane"). */
#include "console.h"
#include "help.h"
#include "ui.h"
#include <stdlib.h>
#include <string.h>

/* One line per group of bindings with the same note: "o Tab", "next pane". */
static const struct key_binding *key_group(const struct key_binding *b, char *keys, size_t len)
{
        size_t o = 0;
        const char *note = b->note;
        keys[0] = '\0';
        for (; b->action && (b->note == note || (note && b->note && !strcmp(b->note, note))); b++) {
                char nm[16];
                int w = snprintf(keys + o, len - o, "%s%s", o ? " " : "",
                                 keycode_name(b->key, nm, sizeof(nm)));
                if (w > 0 && (size_t)w < len - o)
                        o += (size_t)w;
        }
        return b;
}

void help_lines(int prefix_key, void (*out)(void *ud, const char *line), void *ud)
{
        char line[256], keys[96], pk[16];
        keycode_name(prefix_key, pk, sizeof(pk));
        snprintf(line, sizeof(line), "netlab console: keys (prefix %s, then the key)", pk);
        out(ud, line);
        if (prefix_key == K_CTRL_B) /* tmux's prefix too: tmux takes it first */
                out(ud, "inside tmux: C-b C-b then the key, or NETLAB_PREFIX=C-a netlab attach LAB");
        for (const struct key_table *t = key_tables; t->name; t++) {
                if (t != key_tables) {
                        out(ud, "");
                        snprintf(line, sizeof(line), "%s:", t->title);
                        out(ud, line);
                }
                for (const struct key_binding *b = t->b; b->action;) {
                        const char *note = b->note;
                        b = key_group(b, keys, sizeof(keys));
                        snprintf(line, sizeof(line), "  %-20s %s", keys, note ? note : "");
                        out(ud, line);
                }
                if (t == key_tables) {
                        snprintf(keys, sizeof(keys), "%s", pk);
                        snprintf(line, sizeof(line), "  %-20s send %s to the pane", keys, pk);
                        out(ud, line);
                }
        }
        out(ud, "");
        out(ud, "commands (Tab completes; NODE CMD runs CMD in NODE, e.g. h1 ping -c1 h2):");
        for (const struct cmd_entry *e = con_commands; e->name; e++) {
                snprintf(keys, sizeof(keys), "%s%s%s", e->name, e->usage[0] ? " " : "", e->usage);
                if (strlen(keys) > 20) { /* a long usage on its own line */
                        snprintf(line, sizeof(line), "  %s", keys);
                        out(ud, line);
                        keys[0] = '\0';
                }
                snprintf(line, sizeof(line), "  %-20s %s", keys, e->help ? e->help : "");
                out(ud, line);
        }
}

/* ---- the overlay ---- */

struct text {
        char **l;
        int n, cap;
};

static void text_add(void *ud, const char *line)
{
        struct text *t = ud;
        if (t->n == t->cap) {
                int nc = t->cap ? t->cap * 2 : 64;
                char **nl = realloc(t->l, sizeof(*nl) * (size_t)nc);
                if (!nl)
                        return;
                t->l = nl;
                t->cap = nc;
        }
        t->l[t->n] = strdup(line);
        if (t->l[t->n])
                t->n++;
}

static void text_free(struct text *t)
{
        for (int i = 0; i < t->n; i++)
                free(t->l[i]);
        free(t->l);
}

void help_draw(struct console *c)
{
        struct text t = {0};
        help_lines(c->keys.prefix_key, text_add, &t);
        if (t.n == 0)
                return;
        const char *foot = "arrows PgUp PgDn scroll; any other key closes this help";
        int colw = 74, nb = t.n - 1; /* line 0 is the title, then the body */
        /* Two columns when the body is taller than the screen and two fit. */
        int cols = nb + 4 > LINES - 2 && COLS - 2 >= 2 * colw + 4 ? 2 : 1;
        int per = (nb + cols - 1) / cols;
        int w = cols * colw + 4 < COLS - 2 ? cols * colw + 4 : COLS; /* narrow: all of it */
        int h = per + 4 < LINES - 2 ? per + 4 : LINES - 2; /* frame, title, body, foot */
        int body = h - 4 > 0 ? h - 4 : 0;
        int maxtop = per - body > 0 ? per - body : 0;
        if (c->keys.help_top > maxtop)
                c->keys.help_top = maxtop;
        int y0 = (LINES - h) / 2, x0 = (COLS - w) / 2;
        for (int y = 0; y < h; y++) {
                move(y0 + y, x0);
                for (int x = 0; x < w; x++)
                        addch(' ' | A_REVERSE);
        }
        put_str(y0 + 1, x0 + 2, w - 4, t.l[0], A_REVERSE | A_BOLD);
        for (int col = 0; col < cols; col++)
                for (int i = 0; i < body; i++) {
                        int k = 1 + col * per + c->keys.help_top + i;
                        if (k < t.n && k < 1 + (col + 1) * per)
                                put_str(y0 + 2 + i, x0 + 2 + col * colw, colw - 2, t.l[k],
                                        A_REVERSE);
                }
        put_str(y0 + h - 1, x0 + 2, w - 4, foot, A_REVERSE | A_DIM);
        text_free(&t);
}

void help_key(struct console *c, int key)
{
        int page = LINES > 8 ? LINES - 8 : 1;
        switch (key) {
        case K_UP:
        case 'k':
                c->keys.help_top--;
                break;
        case K_DOWN:
        case 'j':
                c->keys.help_top++;
                break;
        case K_PGUP:
                c->keys.help_top -= page;
                break;
        case K_PGDN:
        case K_SPACE:
                c->keys.help_top += page;
                break;
        default:
                c->keys.help = false;
                break;
        }
        if (c->keys.help_top < 0)
                c->keys.help_top = 0;
        c->dirty = true;
}

/* ---- README's tables ---- */

/* Markdown cell text: pipes escaped. */
static void md_cell(FILE *out, const char *s)
{
        for (; *s; s++) {
                if (*s == '|')
                        fputc('\\', out);
                fputc(*s, out);
        }
}

int help_markdown(FILE *out)
{
        int bad = 0;
        char keys[96];
        for (const struct key_table *t = key_tables; t->name; t++) {
                fprintf(out, "| %s | |\n|---|---|\n",
                        t == key_tables ? "after the prefix" : t->title);
                for (const struct key_binding *b = t->b; b->action;) {
                        const char *note = b->note;
                        b = key_group(b, keys, sizeof(keys));
                        if (!note || !*note)
                                bad++;
                        fputs("| `", out);
                        md_cell(out, keys);
                        fputs("` | ", out);
                        md_cell(out, note ? note : "(no help)");
                        fputs(" |\n", out);
                }
                if (t == key_tables)
                        fputs("| `C-b C-b` | send the prefix key itself to the pane |\n", out);
                fputc('\n', out);
        }
        fputs("| command | |\n|---|---|\n", out);
        for (const struct cmd_entry *e = con_commands; e->name; e++) {
                if (!e->help || !*e->help)
                        bad++;
                fputs("| `", out);
                md_cell(out, e->name);
                if (e->usage[0]) {
                        fputc(' ', out);
                        md_cell(out, e->usage);
                }
                fputs("` | ", out);
                md_cell(out, e->help ? e->help : "(no help)");
                fputs(" |\n", out);
        }
        fputs("| `NODE CMD...` | run CMD in NODE's shell (`h1 ping -c1 h2`: node names become "
              "their addresses) |\n",
              out);
        return bad ? -1 : 0;
}

int ui_help_keys(FILE *out)
{
        return help_markdown(out) < 0 ? 1 : 0;
}
