/* capture.h — frames on a link, as tcpdump would see them on one of its ends.
 *
 * A capture is an AF_PACKET socket made inside the node that owns the
 * interface, bound to it, with PACKET_AUXDATA: frames in both directions,
 * and on a VLAN trunk the 802.1Q tag the kernel took into the metadata is
 * put back into the frame, so a pcap of a trunk shows its tags on every
 * datapath (kernel bridge or netlab's userspace one). Frames are written to a
 * pcap file (if one was asked) and decoded into one summary line each
 * ("ARP, Request who-has 10.0.0.2 tell 10.0.0.1", "IP 10.0.0.1 > 10.0.0.2:
 * ICMP echo request"). Reading never blocks: the owner polls capture_fd(). */
#ifndef NETLAB_CAPTURE_H
#define NETLAB_CAPTURE_H
#include "err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lab;
struct capture;

struct capture_frame {
        double t; /* seconds since the capture started */
        const uint8_t *data;
        size_t len;      /* as captured (at most 65535) */
        bool outgoing;   /* sent by the interface's node */
        int vid;         /* 802.1Q tag, -1 none */
        char line[400];  /* the decoded summary */
};
typedef void (*capture_fn)(void *ud, const struct capture_frame *f);

/* Starts capturing on iface (an index into lab->ifaces) of a built lab.
 * pcap_path: a file to write (created, replacing none: EEXIST) or NULL. */
struct capture *capture_start(struct lab *lab, int iface, const char *pcap_path, char *err);
int capture_fd(const struct capture *cap);
/* Reads every frame waiting, writes them to the pcap file, calls fn for
 * each (fn may be NULL). Returns the number read, or -1 with err. */
int capture_read(struct capture *cap, capture_fn fn, void *ud, char *err);
/* Frames seen so far (all of them, written or not). */
long capture_count(const struct capture *cap);
/* Reads what is left, closes the file (-1 with err if it could not be
 * written whole) and frees. */
int capture_stop(struct capture *cap, capture_fn fn, void *ud, char *err);

/* The one-line summary of an Ethernet frame. */
void capture_decode(const uint8_t *frame, size_t len, int vid, char *buf, size_t blen);

#endif
