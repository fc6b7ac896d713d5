/* cmd_pane.c — the commands about panes: rename, sync, save, mouse. */
#include "console.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A pane named by its number or "output"; the active one (else the output pane) when NULL. */
static int pane_arg(struct console *c, const char *arg, char *err)
{
        if (!arg) {
                if (c->panes[c->active].vt)
                        return c->active;
                if (c->output_pane >= 0)
                        return c->output_pane;
                errno = ENOENT;
                return errf(err, "No pane with text to save (name one: save FILE N)");
        }
        if (!strcmp(arg, "output")) {
                if (c->output_pane < 0) {
                        errno = ENOENT;
                        return errf(err, "There is no output pane yet");
                }
                return c->output_pane;
        }
        char *end;
        long n = strtol(arg, &end, 10);
        int id = *arg && !*end && n >= 0 && n < MAXPANES ? pane_by_number(c, (int)n) : -1;
        if (id < 0) {
                errno = ENOENT;
                return errf(err, "No pane \"%s\" (%s q shows the numbers)", arg, keys_prefix(c));
        }
        return id;
}

int c_rename(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv;
        struct pane *p = &c->panes[c->active];
        if (p->kind != P_TERM && p->kind != P_OUTPUT) {
                errno = EINVAL;
                return errf(err, "Only shell and output panes can be renamed (this is pane %d)",
                            pane_number(c, c->active));
        }
        size_t l = strlen(rest);
        while (l > 0 && (rest[l - 1] == ' ' || rest[l - 1] == '\t'))
                l--;
        if (l >= sizeof(p->title)) {
                errno = ENAMETOOLONG;
                return errf(err, "Pane names have at most %zu characters", sizeof(p->title) - 1);
        }
        for (int i = 0; i < MAXPANES; i++)
                if (i != c->active && c->panes[i].used && strlen(c->panes[i].title) == l &&
                    !strncmp(c->panes[i].title, rest, l)) {
                        errno = EEXIST;
                        return errf(err, "Pane %d is already called \"%.*s\"", pane_number(c, i),
                                    (int)l, rest);
                }
        snprintf(p->title, sizeof(p->title), "%.*s", (int)l, rest);
        p->named = true;
        c->focus_cmd = !pane_takes_typing(p); /* back to the shell, as after tmux's prompt */
        con_msg(c, false, "Pane %d is \"%s\"", pane_number(c, c->active), p->title);
        return 0;
}

int c_sync(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)rest;
        bool on = !c->sync;
        if (argc == 1) {
                if (strcmp(argv[0], "on") && strcmp(argv[0], "off")) {
                        errno = EINVAL;
                        return errf(err, "Usage: sync [on|off] (not \"%s\")", argv[0]);
                }
                on = !strcmp(argv[0], "on");
        }
        pane_set_sync(c, on);
        return 0;
}

int c_save(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)rest;
        size_t n = strlen(argv[0]);
        if ((n > 4 && !strcmp(argv[0] + n - 4, ".lua")) || !strcmp(argv[0], "--force"))
                return c_save_lab(c, argc, argv, err);
        int id = pane_arg(c, argc > 1 ? argv[1] : NULL, err);
        if (id < 0)
                return -1;
        return copy_save(c, id, argv[0], err);
}

int c_mouse(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)rest;
        bool on = !c->keys.mouse;
        if (argc == 1) {
                if (strcmp(argv[0], "on") && strcmp(argv[0], "off")) {
                        errno = EINVAL;
                        return errf(err, "Usage: mouse [on|off] (not \"%s\")", argv[0]);
                }
                on = !strcmp(argv[0], "on");
        }
        c->keys.mouse = on;
        keys_mouse_mode(on);
        con_msg(c, false, "mouse %s%s", on ? "on" : "off",
                on ? ": click a pane or a node, the wheel scrolls (Shift selects text)"
                   : ": the terminal selects text again");
        return 0;
}
