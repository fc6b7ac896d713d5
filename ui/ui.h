/* ui.h — the console: `netlab [LAB.lua]` full screen. */
#ifndef NETLAB_UI_H
#define NETLAB_UI_H
#include <stdbool.h>
#include <stdio.h>

/* Opens the console on the lab file (NULL: the default lab, labs/linear.lua next to the
 * binary's source tree or installed share dir); keep: leave the lab up on quit.
 * Returns the process exit status. */
int ui_main(const char *lab_path, bool keep);

/* `netlab host`: the console on the machine's namespaces, read-only.
 * Returns the process exit status. */
int ui_host_main(void);

/* `netlab --help-keys`: the console's keys and commands as README's
 * Markdown tables, from the key and command tables. Returns the exit
 * status: 1 when an entry lacks its help line. */
int ui_help_keys(FILE *out);

#endif
