/* uidrv.c — a stand-in for `netlab [--keep] [LAB.lua]` used by the console's
 * tests while src/main.c does not exist: it calls ui_main exactly as main does. */
#include "ui.h"
#include <string.h>

int main(int argc, char **argv)
{
        bool keep = false;
        const char *lab = NULL;
        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "--keep") == 0)
                        keep = true;
                else
                        lab = argv[i];
        }
        return ui_main(lab, keep);
}
