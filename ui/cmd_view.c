/* cmd_view.c — the commands that change what the graph pane shows:
 * `vlan N` highlights one VLAN's ports and links (`vlan off` ends it),
 * `legend` shows or hides the box of glyphs and colours. */
#include "console.h"
#include "copy.h"
#include <stdlib.h>
#include <string.h>

int c_vlan(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)rest;
        if (argc < 1) {
                int ids[GRAPH_MAXVLANS], n = graph_lab_vlans(c->lab, ids, GRAPH_MAXVLANS);
                if (n == 0) {
                        con_msg(c, false, "Lab %s has no VLANs", c->lab->name);
                        return 0;
                }
                char line[256];
                int o = 0;
                for (int i = 0; i < n && o < (int)sizeof(line) - 8; i++)
                        o += snprintf(line + o, sizeof(line) - (size_t)o, "%s%d", i ? " " : "",
                                      ids[i]);
                if (c->gv.vlan)
                        con_msg(c, false, "VLANs of lab %s: %s; highlighted: %d (vlan off ends it)",
                                c->lab->name, line, c->gv.vlan);
                else
                        con_msg(c, false, "VLANs of lab %s: %s (vlan N highlights one)",
                                c->lab->name, line);
                return 0;
        }
        if (strcmp(argv[0], "off") == 0 || strcmp(argv[0], "none") == 0) {
                graph_set_vlan(c, 0, err);
                con_msg(c, false, "No VLAN highlighted");
                return 0;
        }
        char *end;
        long vid = strtol(argv[0], &end, 10);
        if (*end || end == argv[0] || vid < 1 || vid > 4094) {
                snprintf(err, ERRLEN, "vlan: '%s' is not a VLAN id (1-4094, or off)", argv[0]);
                return -1;
        }
        if (graph_set_vlan(c, (int)vid, err) < 0)
                return -1;
        int nl = 0;
        for (int l = 0; l < c->lab->nlinks; l++)
                nl += lab_link_live(c->lab, l) && graph_link_in_vlan(c->lab, l, (int)vid);
        con_msg(c, false, "VLAN %ld highlighted: %d link%s (vlan off ends it)", vid, nl,
                nl == 1 ? "" : "s");
        return 0;
}

int c_legend(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest, (void)err;
        graph_toggle_legend(c);
        con_msg(c, false, "Legend %s", c->gv.legend ? "shown (legend hides it)" : "hidden");
        return 0;
}

/* `clear`: the output pane's screen emptied, as a shell's clear does; its
 * lines stay in its scrollback (copy mode) and in `save FILE output`. */
int c_clear(struct console *c, int argc, char **argv, const char *rest, char *err)
{
        (void)argc, (void)argv, (void)rest, (void)err;
        if (c->output_pane < 0) {
                con_msg(c, false, "clear: no output to clear");
                return 0;
        }
        static const char home_erase[] = "\033[H\033[2J";
        copy_feed(&c->panes[c->output_pane], home_erase, sizeof(home_erase) - 1);
        c->dirty = true;
        con_msg(c, false, "Output cleared (Ctrl-b [ scrolls back to it)");
        return 0;
}
