/* ipaddr.c — parsing and formatting of IPv4/IPv6 addresses with prefixes. */
#include "nettypes.h"
#include "err.h"
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int ipaddr_parse(const char *s, bool want_prefix, struct ipaddr *out, char *err)
{
        char buf[INET6_ADDRSTRLEN + 8];
        memset(out, 0, sizeof(*out));
        if (!s || strlen(s) >= sizeof(buf))
                return errf(err, "invalid address \"%s\"", s ? s : "(nil)");
        strcpy(buf, s);
        char *slash = strchr(buf, '/');
        if (slash)
                *slash++ = '\0';
        else if (want_prefix)
                return errf(err,
                            "invalid address \"%s\": expected ADDRESS/PREFIX, "
                            "e.g. 10.0.0.1/24",
                            s);
        if (inet_pton(AF_INET, buf, out->a) == 1) {
                out->family = AF_INET;
                out->prefix = 32;
        } else if (inet_pton(AF_INET6, buf, out->a) == 1) {
                out->family = AF_INET6;
                out->prefix = 128;
        } else {
                return errf(err, "invalid address \"%s\": \"%s\" is not an IPv4 or IPv6 address", s,
                            buf);
        }
        if (slash) {
                char *end;
                long p = strtol(slash, &end, 10);
                int max = out->family == AF_INET ? 32 : 128;
                if (!*slash || *end || p < 0 || p > max)
                        return errf(err, "invalid address \"%s\": prefix must be 0..%d", s, max);
                out->prefix = (uint8_t)p;
        }
        return 0;
}

void ipaddr_format(const struct ipaddr *ip, bool with_prefix, char *buf, size_t len)
{
        char a[INET6_ADDRSTRLEN];
        if (!ip->family || !inet_ntop(ip->family, ip->a, a, sizeof(a))) {
                snprintf(buf, len, "-");
                return;
        }
        if (with_prefix)
                snprintf(buf, len, "%s/%u", a, ip->prefix);
        else
                snprintf(buf, len, "%s", a);
}

bool ipaddr_same_subnet(const struct ipaddr *a, const struct ipaddr *b)
{
        if (a->family != b->family || !a->family)
                return false;
        int bits = a->prefix;
        for (int i = 0; bits > 0; i++, bits -= 8) {
                uint8_t mask = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));
                if ((a->a[i] & mask) != (b->a[i] & mask))
                        return false;
        }
        return true;
}
