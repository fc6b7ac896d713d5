/* ui.h — the console: `netlab [LAB.lua]` full screen. */
#ifndef NETLAB_UI_H
#define NETLAB_UI_H
#include <stdbool.h>

/* Opens the console on the lab file (NULL: the default lab, labs/linear.lua next to the
 * binary's source tree or installed share dir); keep: leave the lab up on quit.
 * Returns the process exit status. */
int ui_main(const char *lab_path, bool keep);

#endif
