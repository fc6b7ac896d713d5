/* cmd.c — command line parsing, lookup and completion (no curses, no lab).
 *
 * The console's command table lives in commands.c; this file only knows
 * entries. Words are split shell-like (quotes, backslashes) into a fixed
 * buffer; a line too long or too wordy for it is still split (its first
 * words, and the raw rest for node commands), the problem noted for the
 * commands that need every word. A long command name may be abbreviated
 * to a unique prefix, as in tmux; a short one never is. */
#include "words.h"
#include "cmd.h"
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_split(const char *line, struct cmd_parsed *p, char *err)
{
        memset(p, 0, sizeof(*p));
        const char *s = line;
        size_t o = 0;
        while (*s == ' ' || *s == '\t')
                s++;
        if (*s == '#' || *s == '\0')
                return 0;
        while (*s) {
                while (*s == ' ' || *s == '\t')
                        s++;
                if (!*s)
                        break;
                if (p->argc == CMD_MAXARGS) {
                        snprintf(p->bad, sizeof(p->bad), "Too many words (at most %d)",
                                 CMD_MAXARGS);
                        break;
                }
                p->argv[p->argc++] = p->buf + o;
                char q = 0;
                while (*s && (q || (*s != ' ' && *s != '\t'))) {
                        if (o + 2 >= sizeof(p->buf)) {
                                snprintf(p->bad, sizeof(p->bad), "Line too long");
                                break;
                        }
                        if (q && *s == q) {
                                q = 0;
                                s++;
                        } else if (!q && (*s == '\'' || *s == '"')) {
                                q = *s++;
                        } else if (*s == '\\' && q != '\'' && s[1]) {
                                p->buf[o++] = s[1];
                                s += 2;
                        } else {
                                p->buf[o++] = *s++;
                        }
                }
                p->buf[o++] = '\0';
                if (q && !p->bad[0])
                        snprintf(p->bad, sizeof(p->bad), "Unterminated quote %c", q);
                if (p->argc == 1) {
                        if (p->bad[0]) {
                                errno = p->bad[0] == 'U' ? EINVAL : E2BIG;
                                return errf(err, "%s", p->bad);
                        }
                        const char *r = s;
                        while (*r == ' ' || *r == '\t')
                                r++;
                        p->rest = r;
                }
                if (p->bad[0]) {
                        p->argc--; /* the word that did not fit is not a word */
                        break;
                }
        }
        return p->argc;
}

char *cmd_subst_nodes(const char *rest, cmd_addr_fn fn, void *ud)
{
        size_t cap = strlen(rest) + 1, len = 0;
        char *out = malloc(cap);
        if (!out)
                return NULL;
        char q = 0; /* the quote we are inside of */
        for (const char *s = rest; *s;) {
                if (*s == ' ' || *s == '\t') {
                        out[len++] = *s++;
                        continue;
                }
                size_t wl = strcspn(s, " \t");
                char word[64], addr[64];
                const char *put = s;
                size_t pl = wl;
                if (!q && wl < sizeof(word) && !memchr(s, '\'', wl) && !memchr(s, '"', wl) &&
                    !memchr(s, '\\', wl)) {
                        memcpy(word, s, wl);
                        word[wl] = '\0';
                        if (fn(ud, word, addr, sizeof(addr))) {
                                put = addr;
                                pl = strlen(addr);
                        }
                }
                for (size_t i = 0; i < wl; i++) /* quotes opened or closed by the word */
                        if (q ? s[i] == q : (s[i] == '\'' || s[i] == '"'))
                                q = q ? 0 : s[i];
                        else if (!q && s[i] == '\\' && i + 1 < wl)
                                i++;
                if (len + pl + strlen(s + wl) + 1 > cap) {
                        cap = len + pl + strlen(s + wl) + 1;
                        char *o = realloc(out, cap);
                        if (!o) {
                                free(out);
                                return NULL;
                        }
                        out = o;
                }
                memcpy(out + len, put, pl);
                len += pl;
                s += wl;
        }
        out[len] = '\0';
        return out;
}

int cmd_parsed_check(const struct cmd_parsed *p, char *err)
{
        if (!p->bad[0])
                return 0;
        errno = p->bad[0] == 'U' ? EINVAL : E2BIG;
        return errf(err, "%s", p->bad);
}

const struct cmd_entry *cmd_find(const struct cmd_entry *table, const char *name, char *err)
{
        const struct cmd_entry *found = NULL;
        int n = 0;
        bool short_match = false;
        size_t len = strlen(name);
        char cands[256] = "";
        for (const struct cmd_entry *e = table; e->name; e++) {
                if (strcmp(e->name, name) == 0)
                        return e;
                if (len > 0 && strncmp(e->name, name, len) == 0) {
                        found = e;
                        n++;
                        short_match |= strlen(e->name) < CMD_PREFIX_NAME_MIN;
                        size_t cl = strlen(cands);
                        snprintf(cands + cl, sizeof(cands) - cl, "%s%s", cl ? ", " : "", e->name);
                }
        }
        /* Only a long name may be shortened, and only by a word that is not
         * also the start of a short one: "pingal" is a typo, not pingallfull. */
        if (n == 1 && !short_match && len >= CMD_PREFIX_MIN)
                return found;
        if (n > 1 && !short_match) {
                errno = EINVAL;
                errf(err, "Ambiguous command \"%s\": %s", name, cands);
                return NULL;
        }
        /* Unknown: suggest the prefixed names, or the nearest ones. */
        for (const struct cmd_entry *e = table; !n && e->name; e++)
                if (word_near(name, e->name)) {
                        size_t cl = strlen(cands);
                        snprintf(cands + cl, sizeof(cands) - cl, "%s%s", cl ? ", " : "", e->name);
                        n++;
                }
        errno = ENOENT;
        if (n)
                errf(err, "Unknown command \"%s\" (did you mean %s?)", name, cands);
        else
                errf(err, "Unknown command \"%s\" (try \"help\")", name);
        return NULL;
}

int cmd_check_args(const struct cmd_entry *e, int argc, char *err)
{
        if (argc < e->min_args || (e->max_args >= 0 && argc > e->max_args)) {
                errno = EINVAL;
                return errf(err, "Usage: %s%s%s", e->name, e->usage[0] ? " " : "", e->usage);
        }
        return 0;
}

static void match_words(const char *words, const char *prefix,
                        void (*out)(void *oud, const char *cand), void *oud)
{
        char w[64];
        size_t pl = strlen(prefix);
        for (const char *s = words; s && *s;) {
                size_t l = strcspn(s, " ");
                if (l < sizeof(w)) {
                        memcpy(w, s, l);
                        w[l] = '\0';
                        if (strncmp(w, prefix, pl) == 0)
                                out(oud, w);
                }
                s += l;
                while (*s == ' ')
                        s++;
        }
}

static void match_names(cmd_name_fn fn, void *ud, const char *prefix,
                        void (*out)(void *oud, const char *cand), void *oud)
{
        if (!fn)
                return;
        size_t pl = strlen(prefix);
        const char *nm;
        for (int i = 0; (nm = fn(ud, i)) != NULL; i++)
                if (strncmp(nm, prefix, pl) == 0)
                        out(oud, nm);
}

/* Names of several words ("a link down cuts the chain"): the nwords words
 * already typed of it, then prefix; offers the rest from the current word
 * on, which is what readline puts in place of the word. */
static void match_tail(cmd_name_fn fn, void *ud, char **typed, int nwords, const char *prefix,
                       void (*out)(void *oud, const char *cand), void *oud)
{
        if (!fn)
                return;
        char head[512] = "";
        size_t hl = 0;
        for (int i = 0; i < nwords; i++)
                hl += (size_t)snprintf(head + hl, hl < sizeof(head) ? sizeof(head) - hl : 0, "%s ",
                                       typed[i]);
        if (hl >= sizeof(head))
                return;
        size_t pl = strlen(prefix);
        const char *nm;
        for (int i = 0; (nm = fn(ud, i)) != NULL; i++)
                if (strncmp(nm, head, hl) == 0 && strncmp(nm + hl, prefix, pl) == 0)
                        out(oud, nm + hl);
}

void cmd_complete(const struct cmd_entry *table, int word, char **before, const char *prefix,
                  cmd_name_fn nodes, cmd_name_fn exps, void *ud,
                  void (*out)(void *oud, const char *cand), void *oud)
{
        size_t pl = strlen(prefix);
        if (word == 0) {
                for (const struct cmd_entry *e = table; e->name; e++)
                        if (strncmp(e->name, prefix, pl) == 0)
                                out(oud, e->name);
                match_names(nodes, ud, prefix, out, oud);
                return;
        }
        const struct cmd_entry *e = cmd_find(table, before[0], NULL);
        if (!e || strcmp(e->name, before[0]) != 0)
                return; /* a node's shell command: leave it to the user */
        const char *k = e->complete ? e->complete : "";
        int pos = word - 1;
        char last = k[0] ? k[strlen(k) - 1] : 0;
        char kind = (int)strlen(k) > pos ? k[pos] : last == '*' ? 'n' : last == 'x' ? 'X' : '-';
        if (kind == 'n')
                match_names(nodes, ud, prefix, out, oud);
        else if (kind == 'e')
                match_names(exps, ud, prefix, out, oud);
        else if (kind == 's')
                match_words(e->words, prefix, out, oud);
        else if (kind == 'x') /* subcommand then experiment name: "exp run NAME" */
                match_names(exps, ud, prefix, out, oud);
        else if (kind == 'X') /* a name of several words: what follows the words typed */
                match_tail(exps, ud, before + word - (pos - (int)strlen(k) + 1),
                           pos - (int)strlen(k) + 1, prefix, out, oud);
}
