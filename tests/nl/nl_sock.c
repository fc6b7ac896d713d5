/* nl_sock.c — the one netlink transport (src/nlsock.c) on three buses:
 * generic netlink resolves a family, rtnetlink answers in a namespace, a
 * stale answer of an earlier request is not taken for the current one, a
 * failed batch reports the kernel's extack and leaves the socket clean, and
 * an nfnetlink batch fails and succeeds through the same code. */
#include "nlsock.h"
#include "nft.h"
#include "nlt.h"
#include <net/if.h>
#include <linux/genetlink.h>
#include <linux/rtnetlink.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

static char buf[32768] __attribute__((aligned(8)));

static int family_cb(const struct nlmsghdr *h, void *data)
{
        const struct nlattr *a;
        mnl_attr_for_each(a, h, sizeof(struct genlmsghdr))
        {
                if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
                        *(int *)data = mnl_attr_get_u16(a);
        }
        return 0;
}

static int count_cb(const struct nlmsghdr *h, void *data)
{
        if (h->nlmsg_type == RTM_NEWLINK)
                ++*(int *)data;
        return 0;
}

/* RTM_GETLINK of one device by name, as the batch's next message. */
static void getlink(struct nlbatch *b, const char *name, uint16_t flags)
{
        struct nlmsghdr *m = nlbatch_add(b, RTM_GETLINK, flags);
        struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(m, sizeof(*ifm));
        ifm->ifi_family = AF_UNSPEC;
        mnl_attr_put_strz(m, IFLA_IFNAME, name);
}

int main(void)
{
        nlt_init();
        char err[ERRLEN], ns[32];
        int fd = nlt_netns("sock", ns, sizeof(ns));
        struct nlsock s;
        struct nlbatch b;

        /* genetlink: the controller's own family id. */
        CHECK(nlsock_open(&s, NETLINK_GENERIC, -1, 0, err) == 0, "genl: %s", err);
        nlbatch_init(&b, buf, sizeof(buf), 4096, nlsock_seq(&s));
        struct nlmsghdr *m = nlbatch_add(&b, GENL_ID_CTRL, NLM_F_ACK);
        struct genlmsghdr *g = mnl_nlmsg_put_extra_header(m, sizeof(*g));
        g->cmd = CTRL_CMD_GETFAMILY;
        g->version = 1;
        mnl_attr_put_strz(m, CTRL_ATTR_FAMILY_NAME, "nlctrl");
        int id = -1;
        CHECK(nlsock_talk(&s, &b, buf, sizeof(buf), family_cb, &id) == 0, "genl: %s",
              strerror(errno));
        CHECK(id == GENL_ID_CTRL, "nlctrl id %d", id);
        nlsock_close(&s);

        /* rtnetlink inside the namespace: a dump sees its one device, lo. */
        CHECK(nlsock_open(&s, NETLINK_ROUTE, fd, 0, err) == 0, "rtnl: %s", err);
        nlbatch_init(&b, buf, sizeof(buf), 4096, nlsock_seq(&s));
        m = nlbatch_add(&b, RTM_GETLINK, NLM_F_DUMP);
        struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(m, sizeof(*ifm));
        ifm->ifi_family = AF_UNSPEC;
        int nlinks = 0;
        CHECK(nlsock_talk(&s, &b, buf, sizeof(buf), count_cb, &nlinks) == 0, "dump: %s",
              strerror(errno));
        CHECK(nlinks == 1, "links in the namespace: %d", nlinks);

        /* A stale answer: a request is sent by hand and its answer (lo and
         * an ACK) left queued; the next request asks for a missing device
         * and must fail on its own answer, not succeed on the stale ACK. */
        nlbatch_init(&b, buf, sizeof(buf), 4096, nlsock_seq(&s) + 1000);
        getlink(&b, "lo", NLM_F_ACK);
        CHECK(mnl_socket_sendto(s.sock, buf, nlbatch_len(&b)) > 0, "send: %s", strerror(errno));
        nlbatch_init(&b, buf, sizeof(buf), 4096, nlsock_seq(&s));
        getlink(&b, "nope", NLM_F_ACK);
        nlinks = 0;
        int rc = nlsock_talk(&s, &b, buf, sizeof(buf), count_cb, &nlinks);
        CHECK(rc < 0 && errno == ENODEV, "stale: rc %d errno %s", rc, strerror(errno));
        CHECK(nlinks == 0, "the stale answer was taken: %d", nlinks);

        /* A batch of three: the second fails with the kernel's text; the
         * socket is clean for the next request. */
        nlbatch_init(&b, buf, sizeof(buf), 4096, nlsock_seq(&s));
        getlink(&b, "lo", NLM_F_ACK);
        m = nlbatch_add(&b, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
        ifm = mnl_nlmsg_put_extra_header(m, sizeof(*ifm));
        ifm->ifi_family = AF_UNSPEC;
        mnl_attr_put_strz(m, IFLA_IFNAME, "x0");
        struct nlattr *li = mnl_attr_nest_start(m, IFLA_LINKINFO);
        mnl_attr_put_strz(m, IFLA_INFO_KIND, "nosuchkind");
        mnl_attr_nest_end(m, li);
        getlink(&b, "lo", NLM_F_ACK);
        rc = nlsock_talk(&s, &b, buf, sizeof(buf), NULL, NULL);
        CHECK(rc < 0 && errno == EOPNOTSUPP, "batch: rc %d errno %s", rc, strerror(errno));
        CHECK(!strcmp(s.extack, "Unknown device type"), "extack \"%s\"", s.extack);
        nlbatch_init(&b, buf, sizeof(buf), 4096, nlsock_seq(&s));
        getlink(&b, "lo", NLM_F_ACK);
        nlinks = 0;
        CHECK(nlsock_talk(&s, &b, buf, sizeof(buf), count_cb, &nlinks) == 0 && nlinks == 1,
              "after the failed batch: %s, %d links", strerror(errno), nlinks);
        CHECK(!s.extack[0], "extack kept: %s", s.extack);
        nlsock_close(&s);

        /* nfnetlink: a chain in a missing table fails; then the table and
         * chain go in one batch; nft sees them. */
        struct nft_batch nb;
        char extack[NLSOCK_EXTACKLEN];
        CHECK(nft_batch_init(&nb, 16384) == 0, "nft init");
        nft_base_chain(&nb, NFPROTO_INET, "nlt_missing", "c", NF_INET_FORWARD, 0, "filter",
                       NF_ACCEPT);
        rc = nft_batch_send(&nb, fd, extack);
        CHECK(rc < 0 && errno == ENOENT, "nft: rc %d errno %s", rc, strerror(errno));
        nft_batch_free(&nb);
        CHECK(nft_batch_init(&nb, 16384) == 0, "nft init");
        nft_table(&nb, NFPROTO_INET, "nlt");
        nft_base_chain(&nb, NFPROTO_INET, "nlt", "c", NF_INET_FORWARD, 0, "filter", NF_DROP);
        rc = nft_batch_send(&nb, fd, extack);
        CHECK(rc == 0, "nft: %s %s", strerror(errno), extack);
        nft_batch_free(&nb);
        const char *o = sh("ip netns exec %s nft list ruleset 2>&1", ns);
        CHECK(strstr(o, "table inet nlt") && strstr(o, "policy drop"), "nft: %s", o);
        CHECK(!strstr(sh("nft list tables 2>&1"), "nlt"), "table leaked into the host");

        /* A batch too large for its buffer fails before anything is sent. */
        CHECK(nft_batch_init(&nb, 1024) == 0, "nft init");
        for (int i = 0; i < 200; i++)
                nft_table(&nb, NFPROTO_INET, "nlt_big");
        rc = nft_batch_send(&nb, fd, extack);
        CHECK(rc < 0 && errno == E2BIG, "overflow: rc %d errno %s", rc, strerror(errno));
        nft_batch_free(&nb);
        CHECK(!strstr(sh("ip netns exec %s nft list tables 2>&1", ns), "nlt_big"),
              "a part of an overflowed batch was sent");
        close(fd);
        return nlt_done("nl_sock");
}
