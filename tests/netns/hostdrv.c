/* hostdrv.c — makes a lab with one host-side interface and one nftables
 * table in the host the way netlab does (hostobj.h: journal the name,
 * create the object, mark it and journal its ifindex or handle; the table
 * is netlab_LAB_nat, empty), then leaves the lab up as `netlab run --keep`
 * does. owner.sh then checks
 * that `netlab clean` removes this genuine interface and nothing forged.
 *
 *     hostdrv LAB IFNAME     (root) */
#include "hostobj.h"
#include "lab.h"
#include "nft.h"
#include "nl.h"
#include <linux/netfilter.h>
#include <stdio.h>

int main(int argc, char **argv)
{
        char err[ERRLEN];
        if (argc != 3) {
                fprintf(stderr, "usage: hostdrv LAB IFNAME\n");
                return 2;
        }
        struct lab *lab = lab_new(argv[1], err);
        if (!lab || lab_add_node(lab, "h1", &kind_host, "hostdrv", err) < 0 ||
            lab_build(lab, err) < 0) {
                fprintf(stderr, "hostdrv: %s\n", err);
                return 1;
        }
        struct nl *host = nl_open(-1, err);
        int ifindex = -1, peer = -1;
        struct veth_end a = {.name = argv[2], .label = argv[2], .netns_fd = -1, .up = true};
        struct veth_end p = {.name = "up0", .label = "h1:up0", .netns_fd = lab_ns_fd(lab, &lab->nodes[0], CLONE_NEWNET, NULL)};
        if (!host || hostobj_link_claim(lab, argv[2], err) < 0 ||
            nl_veth_add(host, &a, &p, &ifindex, &peer, err) < 0 ||
            hostobj_link_commit(lab, host, argv[2], ifindex, err) < 0) {
                fprintf(stderr, "hostdrv: %s\n", err);
                return 1;
        }
        nl_close(host);
        char table[64], extack[256];
        hostobj_nft_table(lab->name, "nat", table, sizeof(table));
        struct nft_batch b;
        if (hostobj_nft_claim(lab, NFPROTO_INET, table, err) < 0 || nft_batch_init(&b, 4096) < 0) {
                fprintf(stderr, "hostdrv: %s\n", err);
                return 1;
        }
        nft_table(&b, NFPROTO_INET, table);
        if (nft_batch_send(&b, -1, extack) < 0) {
                perror("hostdrv: nft table");
                return 1;
        }
        nft_batch_free(&b);
        if (hostobj_nft_commit(lab, NFPROTO_INET, table, err) < 0) {
                fprintf(stderr, "hostdrv: %s\n", err);
                return 1;
        }
        printf("%d\n", ifindex);
        lab_free(lab); /* kept up: the lab stays, its owner goes */
        return 0;
}
