/* test_help.c — help comes from the tables: every key binding and every
 * command has its help line, the overlay lists each of them, README's
 * Markdown (netlab --help-keys) is complete; key codes read and print by name. */
#include "check.h"
#include "console.h"
#include "help.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A help line fits the overlay at 80 columns: 2 + 20 (keys) + 1 + note, inside 74. */
#define HELP_MAX 51

static char text[32768];
static void collect(void *ud, const char *line)
{
        (void)ud;
        strncat(text, line, sizeof(text) - strlen(text) - 2);
        strcat(text, "\n");
}

/* Is word a whole word of the line (between spaces) somewhere in text? */
static bool has_word(const char *word)
{
        size_t l = strlen(word);
        for (const char *p = text; (p = strstr(p, word)) != NULL; p++)
                if ((p == text || p[-1] == ' ' || p[-1] == '\n') &&
                    (p[l] == ' ' || p[l] == '\n' || p[l] == '\0'))
                        return true;
        return false;
}

int main(void)
{
        help_lines(K_CTRL_B, collect, NULL);
        int nkeys = 0, ncmds = 0;
        for (const struct key_table *t = key_tables; t->name; t++) {
                CHECK(t->title && t->title[0]);
                for (const struct key_binding *b = t->b; b->action; b++, nkeys++) {
                        char nm[16];
                        keycode_name(b->key, nm, sizeof(nm));
                        if (!b->note || !b->note[0] || strlen(b->note) > HELP_MAX)
                                fprintf(stderr,
                                        "table %s: key %s: help line missing or longer "
                                        "than %d characters\n",
                                        t->name, nm, HELP_MAX);
                        CHECK(b->note && b->note[0] && strlen(b->note) <= HELP_MAX);
                        if (!has_word(nm))
                                fprintf(stderr, "table %s: key %s is not in the help\n", t->name,
                                        nm);
                        CHECK(has_word(nm));
                        if (b->note)
                                CHECK(strstr(text, b->note) != NULL);
                }
        }
        for (const struct cmd_entry *e = con_commands; e->name; e++, ncmds++) {
                if (!e->help || !e->help[0] || strlen(e->help) > HELP_MAX)
                        fprintf(stderr,
                                "command %s: help line missing or longer than %d "
                                "characters\n",
                                e->name, HELP_MAX);
                CHECK(e->help && e->help[0] && strlen(e->help) <= HELP_MAX);
                CHECK(e->usage != NULL);
                CHECK(has_word(e->name));
                if (e->help)
                        CHECK(strstr(text, e->help) != NULL);
        }
        CHECK(nkeys > 20 && ncmds > 10);
        CHECK(strstr(text, "netlab console: keys (prefix C-b, then the key)") == text);
        CHECK(strstr(text, "inside tmux: C-b C-b then the key, or NETLAB_PREFIX=C-a") != NULL);

        /* README's tables: complete, and every command and key group in it. */
        char *md = NULL;
        size_t mdlen = 0;
        FILE *f = open_memstream(&md, &mdlen);
        CHECK(f != NULL);
        if (f) {
                CHECK(help_markdown(f) == 0);
                fclose(f);
                CHECK(strstr(md, "| `help [COMMAND]` | the keys and commands |") != NULL);
                CHECK(strstr(md, "| `link A B up\\|down\\|set K V...\\|show\\|clear` |") != NULL);
                CHECK(strstr(md, "| `o Tab` | next pane |") != NULL);
                CHECK(strstr(md, "(no help)") == NULL);
                free(md);
        }

        /* Key codes from the terminal's bytes, and their names. */
        int k;
        char nm[16];
        CHECK(key_read((const unsigned char *)"\033[A", 3, &k) == 3 && k == K_UP);
        CHECK(key_read((const unsigned char *)"\033OD", 3, &k) == 3 && k == K_LEFT);
        CHECK(key_read((const unsigned char *)"\033[5~x", 5, &k) == 4 && k == K_PGUP);
        CHECK(key_read((const unsigned char *)"\033[1~", 4, &k) == 4 && k == K_HOME);
        CHECK(key_read((const unsigned char *)"\033[4~", 4, &k) == 4 && k == K_END);
        CHECK(key_read((const unsigned char *)"\033[1;5C", 6, &k) == 6 && k == K_RIGHT);
        CHECK(key_read((const unsigned char *)"\033[15~", 5, &k) == 5 && k == K_UNKNOWN);
        CHECK(key_read((const unsigned char *)"\033", 1, &k) == 1 && k == K_ESC);
        CHECK(key_read((const unsigned char *)"\033x", 2, &k) == 1 && k == K_ESC);
        CHECK(key_read((const unsigned char *)"\033[", 2, &k) == 2 && k == K_UNKNOWN);
        CHECK(key_read((const unsigned char *)"q", 1, &k) == 1 && k == 'q');
        CHECK(strcmp(keycode_name(K_CTRL_B, nm, sizeof(nm)), "C-b") == 0);
        CHECK(strcmp(keycode_name(K_ENTER, nm, sizeof(nm)), "Enter") == 0);
        CHECK(strcmp(keycode_name(K_PGDN, nm, sizeof(nm)), "PgDn") == 0);
        CHECK(strcmp(keycode_name('%', nm, sizeof(nm)), "%") == 0);
        CHECK(key_parse_prefix("C-a") == 1 && key_parse_prefix("C-") < 0 &&
              key_parse_prefix(NULL) < 0 && key_parse_prefix("a") < 0);

        printf("%d keys, %d commands\n", nkeys, ncmds);
        return check_done("ui_test_help");
}
