/* fuzz_dp_config.c — the datapath's config parser (dp_config_read), which
 * reads /run/netlab/LAB/datapath.conf. Whatever it accepts must write back
 * (dp_config_write) as text it accepts again, unchanged. */
#include "dp_config.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *write_text(const struct dp_config *c, size_t *len)
{
        char *buf = NULL;
        FILE *o = open_memstream(&buf, len);
        if (!o || dp_config_write(c, o) < 0)
                abort();
        fclose(o);
        return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char err[ERRLEN];
        struct dp_config c, c2;
        if (size == 0)
                return 0; /* fmemopen refuses an empty buffer */
        FILE *f = fmemopen((void *)data, size, "r");
        if (!f)
                return 0;
        int rc = dp_config_read(&c, f, "fuzz.conf", err);
        fclose(f);
        if (rc < 0) {
                if (strncmp(err, "fuzz.conf:", 10) != 0) {
                        fprintf(stderr, "error without its place: %s\n", err);
                        abort();
                }
                return 0;
        }
        size_t len, len2;
        char *text = write_text(&c, &len);
        f = fmemopen(text, len, "r");
        if (!f || dp_config_read(&c2, f, "again.conf", err) < 0) {
                fprintf(stderr, "written config not accepted back: %s\n%s", err, text);
                abort();
        }
        fclose(f);
        char *text2 = write_text(&c2, &len2);
        if (len != len2 || memcmp(text, text2, len) != 0) {
                fprintf(stderr, "round trip changed the config:\n%s---\n%s", text, text2);
                abort();
        }
        free(text);
        free(text2);
        dp_config_free(&c);
        dp_config_free(&c2);
        return 0;
}
