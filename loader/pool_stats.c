// SPDX-License-Identifier: GPL-2.0
/* Pure arithmetic on page_pool samples; see pool_stats.h. */
#include <math.h>

#include "pool_stats.h"

__s64 pool_inflight(const struct pp_pool *p)
{
	/* The kernel's _distance(): signed 32-bit difference. */
	return (__s32)(p->hold - p->release);
}

__u64 pool_inflight_bytes(const struct pp_pool *p, unsigned int page_shift)
{
	__s64 n = pool_inflight(p);

	if (n <= 0 || p->order > 10)
		return 0;
	return (__u64)n << (page_shift + p->order);
}

double per_second(__u64 delta, double secs)
{
	if (!(secs > 0) || !isfinite(secs))
		return 0;
	return (double)delta / secs;
}

double recycle_rate(__u64 new_pages, __u64 consumed)
{
	double r;

	if (!consumed)
		return NAN;
	r = 1.0 - (double)new_pages / (double)consumed;
	return r < 0 ? 0 : r > 1 ? 1 : r;
}

enum pool_state pool_state(const struct pp_pool *p)
{
	if (p->flags & PP_F_GONE)
		return POOL_GONE;
	if (!(p->flags & PP_F_DESTROYED))
		return POOL_LIVE;
	return pool_inflight(p) > 0 ? POOL_ZOMBIE : POOL_DRAINED;
}

const char *pool_state_name(enum pool_state s)
{
	switch (s) {
	case POOL_LIVE: return "live";
	case POOL_DRAINED: return "drained";
	case POOL_ZOMBIE: return "zombie";
	case POOL_GONE: return "gone";
	}
	return "?";
}

double pool_destroyed_age(const struct pp_pool *p, __u64 now_ns)
{
	if (!(p->flags & PP_F_DESTROYED) || now_ns < p->destroy_ns)
		return 0;
	return (now_ns - p->destroy_ns) / 1e9;
}

void pool_delta(const struct pp_pool *prev, const struct pp_pool *cur,
		double secs, struct pool_delta *d)
{
	d->hold = ctr32_delta(prev->hold, cur->hold);
	d->release = ctr32_delta(prev->release, cur->release);
	d->hold_ps = per_second(d->hold, secs);
	d->release_ps = per_second(d->release, secs);
}

void pool_delta_new(const struct pp_pool *cur, double secs, struct pool_delta *d)
{
	d->hold = cur->hold_events;
	d->release = cur->release_events;
	d->hold_ps = per_second(d->hold, secs);
	d->release_ps = per_second(d->release, secs);
}

void recycle_total_add(struct recycle_total *t, __u64 new_pages, __u64 consumed)
{
	t->intervals++;
	t->new_pages += new_pages;
	t->consumed += consumed;
	if (consumed)
		t->rated++;
}

double recycle_total_rate(const struct recycle_total *t)
{
	return recycle_rate(t->new_pages, t->consumed);
}
