/* fuzz_fw_rule.c — the switch firewall's rule parser (fw_rule_parse), which
 * reads the "fw ..." lines of the datapath's config. An accepted rule must
 * format (fw_rule_format) to text that parses back to the same rule, render
 * as nft text without overflowing, and be matched without surprises. */
#include "fw.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same_rule(const struct fw_rule *a, const struct fw_rule *b)
{
        if (a->nin != b->nin || a->nout != b->nout || a->ethertype != b->ethertype ||
            a->not_ethertype != b->not_ethertype || a->vid != b->vid || a->action != b->action)
                return 0;
        for (int i = 0; i < a->nin; i++)
                if (strcmp(a->in[i], b->in[i]))
                        return 0;
        for (int i = 0; i < a->nout; i++)
                if (strcmp(a->out[i], b->out[i]))
                        return 0;
        return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *line = malloc(size + 1);
        if (!line)
                return 0;
        memcpy(line, data, size);
        line[size] = '\0';
        char err[ERRLEN];
        struct fw_rule r, r2;
        if (fw_rule_parse(line, &r, err) == 0) {
                char text[4096];
                int n = fw_rule_format(&r, text, sizeof(text));
                if (n < 0 || (size_t)n >= sizeof(text))
                        abort();
                if (fw_rule_parse(text, &r2, err) < 0 || !same_rule(&r, &r2)) {
                        fprintf(stderr, "rule \"%s\" formats as \"%s\", which reads back %s\n",
                                line, text, err);
                        abort();
                }
                struct fw_table t = {0};
                if (fw_add(&t, &r, err) == 0) {
                        char nft[1 << 14];
                        fw_nft_script(&t, "fuzz", nft, sizeof(nft));
                        fw_nft_script(&t, "fuzz", nft, 7); /* truncation is safe */
                        enum fw_action a = fw_match(&t, r.nin ? r.in[0] : "p1",
                                                    r.nout ? r.out[0] : "p2",
                                                    r.ethertype, r.vid ? r.vid : 1);
                        if (!r.not_ethertype && a != r.action)
                                abort(); /* the rule's own frame must match it */
                }
                fw_free(&t);
        }
        free(line);
        return 0;
}
