/* fuzz_cmd_split.c — the console's command line (ui/cmd.c): whatever a user
 * types or pastes is split into words, looked up in the command table,
 * checked against the entry's argument counts and completed. Each word
 * must lie inside the parser's buffer and end there; `rest` must point into
 * the line. */
#include "cmd.h"
#include "commands.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *names[] = {"h1", "h2", "s1", "r1", NULL};

static const char *node_name(void *ud, int i)
{
        (void)ud;
        return i < 4 ? names[i] : NULL;
}

static void sink(void *ud, const char *cand)
{
        size_t *n = ud;
        *n += strlen(cand);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *line = malloc(size + 1);
        if (!line)
                return 0;
        memcpy(line, data, size);
        line[size] = '\0';
        struct cmd_parsed p;
        char err[ERRLEN];
        int argc = cmd_split(line, &p, err);
        if (argc < -1 || argc > CMD_MAXARGS)
                abort();
        for (int i = 0; i < argc; i++) {
                if (p.argv[i] < p.buf || p.argv[i] >= p.buf + sizeof(p.buf))
                        abort();
                if (!memchr(p.argv[i], '\0', sizeof(p.buf) - (size_t)(p.argv[i] - p.buf)))
                        abort();
        }
        if (argc > 0 && p.rest && (p.rest < line || p.rest > line + strlen(line)))
                abort();
        if (argc > 0) {
                const struct cmd_entry *e = cmd_find(con_commands, p.argv[0], err);
                if (e)
                        (void)cmd_check_args(e, argc - 1, err);
                size_t n = 0;
                cmd_complete(con_commands, argc - 1, p.argv, p.argv[argc - 1], node_name, node_name,
                             NULL, sink, &n);
        }
        free(line);
        return 0;
}
