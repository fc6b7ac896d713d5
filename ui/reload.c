/* reload.c — `reload`: the lab rebuilt from its file after an edit, without
 * leaving the console.
 *
 * The edited file is loaded first into a Lua state of its own and the model
 * checked as a build would: a file that no longer loads or validates (a
 * typo, a bad address) is reported at its line and the running lab stays
 * as it was. Then what runs in the old lab stops (shells,
 * commands, experiment, monitors), the old lab is torn down, and the new one
 * is built under the same name; the lab server is told to listen again (the
 * teardown removed its socket with the run directory). The file must still
 * name the same lab: the server, the log and `netlab attach` know it by
 * that name. */
#include "console.h"
#include "nlua.h"
#include "server.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The longest the edited file's top level may run (it declares a lab; a
 * 10,000-node one takes a fraction of a second). */
#define RELOAD_LOAD_LIMIT_S 10

/* The edited file, loaded and validated while the lab runs. */
struct reload_state {
        struct nlua *L;
        bool down_failed; /* the old lab could not be torn down: it stays */
};

/* On the loop: the file checked, then what runs in the old lab stopped. */
int reload_begin(struct console *c, void **state, char *err)
{
        char e[ERRLEN];
        struct nlua *L = con_lua_new(c, err);
        if (!L)
                return -1;
        e[0] = '\0';
        /* On the loop: a top level that never ends must not hold it. */
        nlua_set_load_limit(L, RELOAD_LOAD_LIMIT_S);
        /* What the build would refuse is refused now, while the lab runs. */
        if (nlua_load(L, c->lab_path, e) < 0 || !nlua_lab(L) || nlua_validate(L, e) < 0) {
                if (nlua_lab(L) && nlua_lab(L)->state == LAB_UP)
                        nlua_teardown(L, NULL); /* its top level built something */
                nlua_free(L);
                errno = EINVAL;
                return errf(err, "reload: %s (lab %s stays as it was)",
                            e[0] ? e : "the file declares no lab", c->lab->name);
        }
        if (strcmp(nlua_lab(L)->name, c->lab->name) != 0) {
                char name[LAB_NAME_MAX + 1];
                snprintf(name, sizeof(name), "%s", nlua_lab(L)->name);
                nlua_free(L);
                errno = EINVAL;
                return errf(err,
                            "reload: %s now declares lab \"%s\", this console runs \"%s\": quit "
                            "and open it (lab %s stays as it was)",
                            c->lab_path, name, c->lab->name, c->lab->name);
        }
        struct reload_state *st = calloc(1, sizeof(*st));
        if (!st) {
                nlua_free(L);
                return errf_sys(err, NULL, "reload");
        }
        st->L = L;
        *state = st;
        nlua_lab(L)->up_since = c->lab->up_since; /* the same lab, as old as it was */
        /* Stop what runs in the old lab, then the lab. */
        for (int i = 0; i < MAXPANES; i++)
                if (c->panes[i].used && c->panes[i].kind == P_TERM)
                        con_close_pane(c, i, NULL);
        exp_stop(c);
        script_free(c);
        jobs_stop(c);
        monitors_stop(c);
        inspect_free(&c->in);
        return 0;
}

/* On the command worker: the old lab down, the new one up (the loop does
 * not read either meanwhile). */
int reload_run(struct console *c, void *state, char *err)
{
        struct reload_state *st = state;
        char e[ERRLEN];
        con_msg(c, false, "reload: tearing down lab %s...", c->lab->name);
        if (c->built && nlua_teardown(c->L, e) < 0) {
                st->down_failed = true;
                return errf(err, "reload: %s", e);
        }
        if (nlua_build(st->L, e) < 0) {
                errno = EIO;
                return errf(err, "reload: Build failed: %s (fix the file, then reload)", e);
        }
        return 0;
}

/* On the loop: the console follows the new lab. */
void reload_end(struct console *c, void *state, int rc)
{
        struct reload_state *st = state;
        if (!st)
                return;
        c->built = false;
        if (st->down_failed) {
                nlua_free(st->L);
                free(st);
                return;
        }
        exp_free(c);
        monitors_free(c);
        nlua_free(c->L);
        c->L = st->L;
        c->lab = nlua_lab(st->L);
        free(st);
        c->sel = 0;
        c->gv.gx = c->gv.gy = 0;
        c->gv.sel_shown = -1;
        c->in.node = -1;
        c->relayout = true;
        if (exp_init(c) < 0 || monitors_init(c) < 0) {
                c->quit = true;
                con_msg(c, true, "reload: out of memory");
                return;
        }
        if (rc < 0)
                return;
        c->built = true;
        c->dp_deaths = 0; /* a new lab, a new datapath */
        c->live_edits = 0;
        c->dp_fd = -1;
        server_tell("relisten");
        monitors_start(c);
        const char *spec = nlua_topo_spec(c->lab_path); /* not a temporary file's name */
        con_msg(c, false, "reload: lab %s is up again from %s: %d nodes, %d links", c->lab->name,
                spec ? spec : c->lab_path, c->lab->nnodes, c->lab->nlinks);
        exp_on_up(c);
}

/* Runs on the command worker (cmdwork.c): reload_begin, reload_run, reload_end. */
int c_reload(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest;
        void *st = NULL;
        if (reload_begin(c, &st, err) < 0)
                return -1;
        int rc = reload_run(c, st, err);
        reload_end(c, st, rc);
        return rc;
}
