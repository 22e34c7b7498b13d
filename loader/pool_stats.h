/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Arithmetic on page_pool samples (struct pp_pool from bpf/pp_trace.h):
 * counter deltas across u32 wrap, inflight, rates, the recycle rate and
 * zombie detection. No I/O: unit-tested in tests/unit/test_pool_stats.c.
 *
 * Recycle rate over an interval:
 *
 *     recycle = 1 - new_pages / consumed
 *
 * new_pages: pages the pool(s) took from the page allocator in the interval
 * (delta of the kernel's hold counter); consumed: buffers used in the same
 * interval (frames counted by the XDP programs of the pool's interface, or
 * the fexit allocation count where the kernel allows fexit). Undefined (NaN)
 * when nothing was consumed; clamped to [0, 1].
 */
#ifndef PPXDP_POOL_STATS_H
#define PPXDP_POOL_STATS_H

#include <stdbool.h>
#include <linux/types.h>
#include "pp_trace.h"

#define PP_ALLOC_CACHE_SIZE 128 /* the kernel's per-pool lockless cache */

/* cur - prev for a kernel u32 counter that may have wrapped once. */
static inline __u32 ctr32_delta(__u32 prev, __u32 cur)
{
	return cur - prev;
}

/* Pages out of the pool: hold - release, as the kernel computes it. */
__s64 pool_inflight(const struct pp_pool *p);
/* inflight pages in bytes for the pool's page order. */
__u64 pool_inflight_bytes(const struct pp_pool *p, unsigned int page_shift);

/* delta / secs; 0 for a zero, negative or non-finite interval. */
double per_second(__u64 delta, double secs);

/* 1 - new_pages / consumed in [0, 1]; NaN when consumed is 0. */
double recycle_rate(__u64 new_pages, __u64 consumed);

enum pool_state {
	POOL_LIVE,	/* in use by its owner */
	POOL_DRAINED,	/* destroyed, nothing in flight: being freed */
	POOL_ZOMBIE,	/* destroyed with pages in flight: retried each second */
	POOL_GONE,	/* freed by the kernel */
};

enum pool_state pool_state(const struct pp_pool *p);
const char *pool_state_name(enum pool_state s);

/* Seconds since page_pool_destroy(), 0 if not destroyed; now in ns of
 * CLOCK_MONOTONIC like the BPF timestamps.
 */
double pool_destroyed_age(const struct pp_pool *p, __u64 now_ns);

/*
 * Rates of one pool between two samples. new_pool: the pool was first seen
 * after the previous sample, so its event counts are this interval's.
 */
struct pool_delta {
	__u64 hold;    /* pages taken from the page allocator */
	__u64 release; /* pages returned to it */
	double hold_ps;
	double release_ps;
};

void pool_delta(const struct pp_pool *prev, const struct pp_pool *cur,
		double secs, struct pool_delta *d);
void pool_delta_new(const struct pp_pool *cur, double secs, struct pool_delta *d);

/* Run totals for the exit summary. */
struct recycle_total {
	__u64 new_pages;
	__u64 consumed;
	unsigned int intervals;
	unsigned int rated; /* intervals with a defined recycle rate */
};

void recycle_total_add(struct recycle_total *t, __u64 new_pages, __u64 consumed);
/* Recycle rate over the whole run: 1 - sum(new) / sum(consumed). */
double recycle_total_rate(const struct recycle_total *t);

#endif /* PPXDP_POOL_STATS_H */
