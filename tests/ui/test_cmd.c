/* test_cmd.c — unit tests of command parsing, lookup and completion (ui/cmd.c). */
#include "check.h"
#include "cmd.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static const struct cmd_entry table[] = {
    {"help", "", "", 0, 1, "-", NULL, NULL},
    {"ping", "A B", "", 2, 2, "nn", NULL, NULL},
    {"pingall", "", "", 0, 0, "", NULL, NULL},
    {"pingallfull", "", "", 0, 0, "", NULL, NULL},
    {"pingpair", "", "", 0, 0, "", NULL, NULL},
    {"link", "A B up|down", "", 3, 3, "nns", "up down", NULL},
    {"exp", "[run NAME|next]", "", 0, 2, "sx", "run next", NULL},
    {"quit", "", "", 0, 0, "", NULL, NULL},
    {NULL, NULL, NULL, 0, 0, NULL, NULL, NULL},
};

static const char *names[] = {"h1", "h2", "s1", "s10", NULL};
static const char *node_name(void *ud, int i)
{
        (void)ud;
        return i < 4 ? names[i] : NULL;
}
static const char *exp_name(void *ud, int i)
{
        (void)ud;
        return i == 0 ? "reach" : i == 1 ? "a link down cuts" : NULL;
}

static bool addr_of(void *ud, const char *w, char *buf, size_t len)
{
        (void)ud;
        if (strcmp(w, "h2") && strcmp(w, "s1"))
                return false;
        snprintf(buf, len, "%s", w[0] == 'h' ? "10.0.0.2" : "10.0.9.1");
        return true;
}

static char got[512];
static void collect(void *ud, const char *cand)
{
        (void)ud;
        strcat(got, cand);
        strcat(got, ",");
}

int main(void)
{
        struct cmd_parsed p;
        char err[512];
        CHECK(cmd_split("  ping h1   h2 ", &p, err) == 3);
        CHECK(strcmp(p.argv[0], "ping") == 0 && strcmp(p.argv[2], "h2") == 0);
        CHECK(cmd_split("h1 echo 'a  b' \"c d\" e\\ f", &p, err) == 5);
        CHECK(strcmp(p.argv[2], "a  b") == 0 && strcmp(p.argv[3], "c d") == 0 &&
              strcmp(p.argv[4], "e f") == 0);
        CHECK(strcmp(p.rest, "echo 'a  b' \"c d\" e\\ f") == 0); /* raw, for sh -c */
        CHECK(cmd_split("", &p, err) == 0 && cmd_split("   # note", &p, err) == 0);
        CHECK(cmd_split("'oops", &p, err) == -1 && strstr(err, "quote"));
        /* Past the first word, nothing is refused: the raw rest goes to a
         * node's shell as typed; commands that need the words check. */
        CHECK(cmd_split("h1 echo 'it''s", &p, err) == 2 && strcmp(p.rest, "echo 'it''s") == 0);
        CHECK(cmd_parsed_check(&p, err) == -1 && strstr(err, "quote"));
        static char big[8192];
        size_t o = (size_t)snprintf(big, sizeof(big), "h1 echo");
        for (int i = 0; i < 600; i++)
                o += (size_t)snprintf(big + o, sizeof(big) - o, " w%d", i);
        CHECK(cmd_split(big, &p, err) == CMD_MAXARGS && strcmp(p.argv[0], "h1") == 0);
        CHECK(strlen(p.rest) == strlen(big) - 3 && strstr(p.rest, " w599"));
        CHECK(cmd_parsed_check(&p, err) == -1 && strstr(err, "Too many words"));
        memset(big, 'x', 4000);
        memcpy(big, "h1 echo ", 8);
        big[4000] = '\0';
        CHECK(cmd_split(big, &p, err) == 2 && strlen(p.rest) == 3997);
        CHECK(cmd_parsed_check(&p, err) == -1 && strstr(err, "Line too long"));
        CHECK(cmd_split("ping h1 h2", &p, err) == 3 && cmd_parsed_check(&p, err) == 0);

        /* Node names become addresses, as Mininet does; nothing else moves. */
        char *sub = cmd_subst_nodes("ping  -c1 h2", addr_of, NULL);
        CHECK(sub && strcmp(sub, "ping  -c1 10.0.0.2") == 0);
        free(sub);
        sub = cmd_subst_nodes("echo 'h2 s1' h2x \"h2\" h2;s1 s1", addr_of, NULL);
        CHECK(sub && strcmp(sub, "echo 'h2 s1' h2x \"h2\" h2;s1 10.0.9.1") == 0);
        free(sub);
        sub = cmd_subst_nodes("", addr_of, NULL);
        CHECK(sub && strcmp(sub, "") == 0);
        free(sub);

        CHECK(cmd_find(table, "ping", err) == &table[1]); /* exact beats prefix */
        /* A short name is typed whole: "pingal" is a typo, not a prefix. */
        CHECK(cmd_find(table, "pinga", err) == NULL && strstr(err, "Unknown command \"pinga\"") &&
              strstr(err, "did you mean pingall, pingallfull?"));
        CHECK(cmd_find(table, "pingal", err) == NULL && strstr(err, "did you mean pingall"));
        CHECK(cmd_find(table, "q", err) == NULL && strstr(err, "did you mean quit?"));
        /* A long one may be shortened to a unique prefix. */
        CHECK(cmd_find(table, "pingallf", err) == &table[3]);
        CHECK(cmd_find(table, "pingp", err) == &table[4]);
        CHECK(cmd_find(table, "pin", err) == NULL && strstr(err, "ping, pingall"));
        CHECK(cmd_find(table, "pnig", err) == NULL && strstr(err, "did you mean ping"));
        CHECK(cmd_find(table, "frob", err) == NULL && strstr(err, "Unknown command \"frob\"") &&
              strstr(err, "try \"help\""));

        CHECK(cmd_check_args(&table[1], 2, err) == 0);
        CHECK(cmd_check_args(&table[1], 1, err) == -1 && strcmp(err, "Usage: ping A B") == 0);
        CHECK(cmd_check_args(&table[5], 4, err) == -1 &&
              strcmp(err, "Usage: link A B up|down") == 0);
        CHECK(cmd_check_args(&table[7], 0, err) == 0);

        char *before[4] = {"ping", "h1"};
        got[0] = 0;
        cmd_complete(table, 0, before, "pi", node_name, exp_name, NULL, collect, NULL);
        CHECK(strcmp(got, "ping,pingall,pingallfull,pingpair,") == 0);
        got[0] = 0;
        cmd_complete(table, 0, before, "h", node_name, exp_name, NULL, collect, NULL);
        CHECK(strcmp(got, "help,h1,h2,") == 0);
        got[0] = 0;
        cmd_complete(table, 2, before, "s1", node_name, exp_name, NULL, collect, NULL);
        CHECK(strcmp(got, "s1,s10,") == 0);
        char *lb[4] = {"link", "s1", "h1"};
        got[0] = 0;
        cmd_complete(table, 3, lb, "d", node_name, exp_name, NULL, collect, NULL);
        CHECK(strcmp(got, "down,") == 0);
        char *eb[4] = {"exp", "run"};
        got[0] = 0;
        cmd_complete(table, 1, eb, "", node_name, exp_name, NULL, collect, NULL);
        CHECK(strcmp(got, "run,next,") == 0);
        got[0] = 0;
        cmd_complete(table, 2, eb, "r", node_name, exp_name, NULL, collect, NULL);
        CHECK(strcmp(got, "reach,") == 0);
        /* A name of several words completes word by word, without quotes. */
        char *mb[6] = {"exp", "run", "a", "link"};
        got[0] = 0;
        cmd_complete(table, 4, mb, "d", node_name, exp_name, NULL, collect, NULL);
        CHECK(strcmp(got, "down cuts,") == 0);
        got[0] = 0;
        cmd_complete(table, 2, mb, "a", node_name, exp_name, NULL, collect, NULL);
        CHECK(strcmp(got, "a link down cuts,") == 0);
        char *nb[4] = {"h1", "pi"};
        got[0] = 0;
        cmd_complete(table, 1, nb, "p", node_name, exp_name, NULL, collect, NULL);
        CHECK(strcmp(got, "") == 0);
        return check_done("ui_unit_cmd");
}
