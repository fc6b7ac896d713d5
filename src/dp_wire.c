/* dp_wire.c — netem's decisions for one direction of a wire (see dp_wire.h). */
#include "dp_wire.h"
#include "distrib.h"
#include <linux/virtio_net.h>
#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4 5 /* linux/virtio_net.h since 4.18 */
#endif
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

static uint64_t next64(struct wire_dir *d)
{
        /* xorshift64*: fast, and reproducible for a given seed */
        d->rng ^= d->rng >> 12;
        d->rng ^= d->rng << 25;
        d->rng ^= d->rng >> 27;
        return d->rng * 0x2545f4914f6cdd1dull;
}

static uint32_t rnd32(struct wire_dir *d)
{
        return (uint32_t)(next64(d) >> 32);
}

/* sch_netem.c's get_crandom: the next value leans on the last by rho. */
static uint32_t crandom(struct wire_dir *d, struct crnd *s)
{
        uint64_t value = rnd32(d);
        if (s->rho == 0)
                return (uint32_t)value;
        uint64_t rho = (uint64_t)s->rho + 1;
        uint32_t answer = (uint32_t)((value * ((1ull << 32) - rho) + (uint64_t)s->last * rho) >> 32);
        s->last = answer;
        return answer;
}

static uint32_t scale(uint32_t ppm)
{
        return ppm >= 1000000 ? UINT32_MAX : (uint32_t)((uint64_t)ppm * UINT32_MAX / 1000000);
}

/* netem's tabledist: mu plus sigma times a value of the distribution,
 * drawn through the correlated uniform source; uniform without a table. */
static int64_t tabledist(struct wire_dir *d, int64_t mu, int64_t sigma)
{
        if (sigma == 0)
                return mu;
        uint32_t r = crandom(d, &d->delay_cor);
        if (d->p.dist == DP_DIST_UNIFORM)
                return mu - sigma + (int64_t)(r % (uint64_t)(2 * sigma));
        double u = ((double)r + 0.5) / 4294967296.0;
        double u2 = ((double)rnd32(d) + 0.5) / 4294967296.0;
        double t = dist_inverse((uint8_t)d->p.dist, u, u2);
        return mu + (int64_t)llround(t * (double)sigma);
}

void wire_dir_set(struct wire_dir *d, const struct dp_impair *p)
{
        d->p = *p;
        if (!d->p.limit)
                d->p.limit = 1000;
        if (d->p.reorder_ppm && !d->p.gap)
                d->p.gap = 1; /* as tc does */
        d->loss = scale(p->loss_ppm);
        d->dup = scale(p->dup_ppm);
        d->corrupt = scale(p->corrupt_ppm);
        d->reorder = scale(p->reorder_ppm);
        d->delay_cor.rho = scale(p->delay_corr);
        d->loss_cor.rho = scale(p->loss_corr);
        d->dup_cor.rho = scale(p->dup_corr);
        d->reorder_cor.rho = scale(p->reorder_corr);
        d->corrupt_cor.rho = scale(p->corrupt_corr);
        d->ge_p = scale(p->ge_p);
        d->ge_r = scale(p->ge_r);
        d->ge_h = scale(p->ge_h);
        d->ge_1k = scale(1000000 - (p->ge_k > 1000000 ? 1000000 : p->ge_k));
}

void wire_dir_init(struct wire_dir *d, const struct dp_impair *p, uint64_t seed)
{
        memset(d, 0, sizeof(*d));
        wire_dir_set(d, p);
        if (!seed && getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
                seed = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ull;
        d->rng = seed ? seed : 1;
}

void wire_dir_free(struct wire_dir *d)
{
        for (int i = 0; i < d->n; i++)
                free(d->heap[i]);
        free(d->heap);
        d->heap = NULL;
        d->n = d->cap = 0;
        d->bytes = 0;
}

bool wire_dir_transparent(const struct wire_dir *d)
{
        const struct dp_impair *p = &d->p;
        return !p->delay_us && !p->jitter_us && !p->loss_ppm && !p->dup_ppm && !p->corrupt_ppm &&
               !p->reorder_ppm && !p->rate_bps && !p->ge;
}

static bool before(const struct wire_pkt *a, const struct wire_pkt *b)
{
        return a->t_send < b->t_send || (a->t_send == b->t_send && a->seq < b->seq);
}

static void heap_push(struct wire_dir *d, struct wire_pkt *p)
{
        int i = d->n++;
        while (i > 0) {
                int up = (i - 1) / 2;
                if (!before(p, d->heap[up]))
                        break;
                d->heap[i] = d->heap[up];
                i = up;
        }
        d->heap[i] = p;
}

static struct wire_pkt *heap_pop(struct wire_dir *d)
{
        struct wire_pkt *top = d->heap[0], *last = d->heap[--d->n];
        int i = 0;
        for (;;) {
                int l = 2 * i + 1, r = l + 1, m = i;
                const struct wire_pkt *best = last;
                if (l < d->n && before(d->heap[l], best)) {
                        m = l;
                        best = d->heap[l];
                }
                if (r < d->n && before(d->heap[r], best))
                        m = r;
                if (m == i)
                        break;
                d->heap[i] = d->heap[m];
                i = m;
        }
        if (d->n)
                d->heap[i] = last;
        return top;
}

/* Is this frame lost? Bernoulli with netem's correlation, or netem's
 * Gilbert-Elliott model (loss_gilb_ell). */
static bool lose(struct wire_dir *d)
{
        if (!d->p.ge)
                return d->loss && d->loss >= crandom(d, &d->loss_cor);
        if (!d->ge_bad) {
                if (rnd32(d) < d->ge_p)
                        d->ge_bad = true;
                if (rnd32(d) < d->ge_1k)
                        return true;
        } else {
                if (rnd32(d) < d->ge_r)
                        d->ge_bad = false;
                if (rnd32(d) > d->ge_h)
                        return true;
        }
        return false;
}

size_t wire_frame_bytes(const uint8_t *data, size_t len, size_t l2_off)
{
        size_t l2 = len - l2_off;
        struct virtio_net_hdr h;
        if (l2_off != sizeof(h))
                return l2;
        memcpy(&h, data, sizeof(h));
        unsigned type = h.gso_type & ~VIRTIO_NET_HDR_GSO_ECN;
        if (type == VIRTIO_NET_HDR_GSO_NONE || !h.gso_size ||
            !(h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) || (size_t)h.csum_start + 20 > l2)
                return l2;
        /* the headers each segment carries: up to the end of TCP's (its
         * data offset) or UDP's */
        const uint8_t *l4 = data + l2_off + h.csum_start;
        size_t hdr = h.csum_start + (type == VIRTIO_NET_HDR_GSO_UDP_L4 ? 8u : (size_t)(l4[12] >> 4) * 4);
        if (hdr >= l2)
                return l2;
        size_t segs = (l2 - hdr + h.gso_size - 1) / h.gso_size;
        return l2 + (segs - 1) * hdr;
}

static int enqueue_one(struct wire_dir *d, const uint8_t *data, size_t len, size_t l2_off,
                       int64_t now, bool copy_of_dup)
{
        int count = 1;
        if (!copy_of_dup && d->dup && d->dup >= crandom(d, &d->dup_cor))
                count++;
        if (lose(d))
                count--;
        if (count == 0) {
                d->st.lost++;
                return 0;
        }
        int queued = 0;
        if (count > 1) { /* the duplicate goes through netem once more, without duplicating */
                d->st.duplicated++;
                queued += enqueue_one(d, data, len, l2_off, now, true);
        }
        if (d->n >= (int)d->p.limit || d->bytes + len > WIRE_BYTES_MAX) {
                d->st.dropped_limit++;
                return queued;
        }
        if (d->n == d->cap) {
                int cap = d->cap ? d->cap * 2 : 64;
                struct wire_pkt **h = realloc(d->heap, (size_t)cap * sizeof(*h));
                if (!h) {
                        d->st.dropped_limit++;
                        return queued;
                }
                d->heap = h;
                d->cap = cap;
        }
        struct wire_pkt *p = malloc(sizeof(*p) + len);
        if (!p) {
                d->st.dropped_limit++;
                return queued;
        }
        memcpy(p->data, data, len);
        p->len = len;
        p->seq = d->seq++;
        if (d->corrupt && d->corrupt >= crandom(d, &d->corrupt_cor) && len > l2_off) {
                p->data[l2_off + rnd32(d) % (len - l2_off)] ^= (uint8_t)(1u << (rnd32(d) % 8));
                d->st.corrupted++;
        }
        if (d->p.gap == 0 || d->counter < d->p.gap - 1 ||
            d->reorder < crandom(d, &d->reorder_cor)) {
                int64_t delay = tabledist(d, (int64_t)d->p.delay_us * 1000,
                                          (int64_t)d->p.jitter_us * 1000);
                if (d->p.rate_bps) {
                        int64_t last = d->n ? d->tail : INT64_MIN;
                        if (last > now) {
                                delay -= last - now;
                                if (delay < 0)
                                        delay = 0;
                                now = last;
                        }
                        delay += (int64_t)(wire_frame_bytes(data, len, l2_off) * 8 *
                                           1000000000ull / d->p.rate_bps);
                }
                if (delay < 0)
                        delay = 0;
                p->t_send = now + delay;
                d->counter++;
        } else { /* to the head of the queue, now */
                p->t_send = now;
                p->seq = 0; /* before anything else due now */
                d->counter = 0;
                d->st.reordered++;
        }
        heap_push(d, p);
        if (d->n == 1 || p->t_send > d->tail)
                d->tail = p->t_send;
        d->bytes += len;
        d->st.in++;
        return queued + 1;
}

int wire_enqueue(struct wire_dir *d, const uint8_t *data, size_t len, size_t l2_off,
                 int64_t now_ns)
{
        return enqueue_one(d, data, len, l2_off, now_ns, false);
}

struct wire_pkt *wire_dequeue(struct wire_dir *d, int64_t now_ns)
{
        if (!d->n || d->heap[0]->t_send > now_ns)
                return NULL;
        struct wire_pkt *p = heap_pop(d);
        d->bytes -= p->len;
        d->st.sent++;
        return p;
}

int64_t wire_next(const struct wire_dir *d)
{
        return d->n ? d->heap[0]->t_send : INT64_MAX;
}
