/* cmd.h — the console's command table, parser and completion (tmux's
 * cmd_entry style): a command is one table entry with its name, usage,
 * argument counts and exec function. A line whose first word names a node
 * is a shell command for that node (`h1 ping -c1 h2`). */
#ifndef NETLAB_UI_CMD_H
#define NETLAB_UI_CMD_H
#include <stdbool.h>
#include <stddef.h>
#include "err.h"

#define CMD_MAXARGS 32
/* Names of at least this many characters may be typed as a unique prefix
 * of at least CMD_PREFIX_MIN characters ("pingallf"); shorter ones only whole. */
#define CMD_PREFIX_NAME_MIN 8
#define CMD_PREFIX_MIN 4

struct console;

struct cmd_entry {
        const char *name;
        const char *usage;      /* arguments, e.g. "A B" */
        const char *help;       /* one line */
        int min_args, max_args; /* not counting the name; max -1: any */
        /* Argument kinds for completion, one letter per position:
         * n node, e experiment, s subcommand word list, '-' none. */
        const char *complete;
        const char *words; /* space-separated words for 's' positions */
        int (*exec)(struct console *c, int argc, char **argv, const char *rest, char *err);
};

struct cmd_parsed {
        int argc;
        char *argv[CMD_MAXARGS];
        char buf[1024];
        const char *rest; /* the line after the first word, raw (for node commands) */
        char bad[64];     /* past the first word: "Too many words", "Line too long", a quote */
};

/* Splits a line into words (single/double quotes and backslash escapes).
 * Returns argc (0 for a blank line or a #comment), or -1 with err filled
 * when the first word cannot be read. A problem after it does not fail
 * the split (rest still holds the whole raw line for a node's shell): it
 * is noted in bad, and cmd_parsed_check reports it for commands that need
 * their words. */
int cmd_split(const char *line, struct cmd_parsed *p, char *err);
int cmd_parsed_check(const struct cmd_parsed *p, char *err);

/* Mininet's node names in `NODE cmd ...`: each word of rest that is a
 * node's name (fn fills buf with its address and returns true) becomes the
 * address; words inside quotes, and every other byte, stay as typed.
 * Returns a malloc'd string (NULL when out of memory). */
typedef bool (*cmd_addr_fn)(void *ud, const char *word, char *buf, size_t len);
char *cmd_subst_nodes(const char *rest, cmd_addr_fn fn, void *ud);

/* Finds a command by exact name, or by a unique prefix of a long name
 * (CMD_PREFIX_NAME_MIN); NULL (with err naming the candidates, or the
 * nearest names: "did you mean pingall?") when none or ambiguous. */
const struct cmd_entry *cmd_find(const struct cmd_entry *table, const char *name, char *err);
/* Checks argc (without the name) against the entry; err says what is expected. */
int cmd_check_args(const struct cmd_entry *e, int argc, char *err);

/* Completion candidates for the word at position `word` (0: command) whose
 * prefix is `prefix`, given the words before it. Calls out() for each;
 * node names and experiment names come from the callbacks (may be NULL). */
typedef const char *(*cmd_name_fn)(void *ud, int i); /* NULL past the end */
void cmd_complete(const struct cmd_entry *table, int word, char **before, const char *prefix,
                  cmd_name_fn nodes, cmd_name_fn exps, void *ud,
                  void (*out)(void *oud, const char *cand), void *oud);

#endif
