/* words.c — how near two short words are, to suggest the name a user meant
 * ("did you mean pingall?"): the console's commands, the lab API's methods. */
#include "words.h"
#include <string.h>

int word_distance(const char *a, const char *b)
{
        size_t la = strlen(a), lb = strlen(b);
        if (la > 31 || lb > 31)
                return 99;
        int d[32][32];
        for (size_t i = 0; i <= la; i++)
                d[i][0] = (int)i;
        for (size_t k = 0; k <= lb; k++)
                d[0][k] = (int)k;
        for (size_t i = 1; i <= la; i++)
                for (size_t k = 1; k <= lb; k++) {
                        int sub = d[i - 1][k - 1] + (a[i - 1] != b[k - 1]);
                        int del = d[i - 1][k] + 1, ins = d[i][k - 1] + 1;
                        d[i][k] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
                        if (i > 1 && k > 1 && a[i - 1] == b[k - 2] && a[i - 2] == b[k - 1] &&
                            d[i - 2][k - 2] + 1 < d[i][k])
                                d[i][k] = d[i - 2][k - 2] + 1; /* a transposition */
                }
        return d[la][lb];
}

bool word_near(const char *typed, const char *cand)
{
        return word_distance(typed, cand) <= (strlen(typed) > 4 ? 2 : 1);
}
