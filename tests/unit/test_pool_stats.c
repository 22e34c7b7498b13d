// SPDX-License-Identifier: GPL-2.0
/* Unit tests of loader/pool_stats.c: the arithmetic behind `ppxdp stats`. */
#include <math.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>

#include "pool_stats.h"

Test(pool_stats, inflight_is_hold_minus_release)
{
	struct pp_pool p = { .hold = 1000, .release = 936 };

	cr_assert(eq(i64, pool_inflight(&p), 64));
}

Test(pool_stats, inflight_across_u32_wrap)
{
	/* hold wrapped past 2^32, release not yet */
	struct pp_pool p = { .hold = 5, .release = 0xfffffffbU };

	cr_assert(eq(i64, pool_inflight(&p), 10));
}

Test(pool_stats, inflight_negative_is_reported)
{
	/* release seen before hold: the kernel would WARN, we show it */
	struct pp_pool p = { .hold = 10, .release = 12 };

	cr_assert(eq(i64, pool_inflight(&p), -2));
	cr_assert(eq(u64, pool_inflight_bytes(&p, 12), 0));
}

Test(pool_stats, inflight_bytes_uses_page_order)
{
	struct pp_pool p0 = { .hold = 3, .release = 1, .order = 0 };
	struct pp_pool p2 = { .hold = 3, .release = 1, .order = 2 };

	cr_assert(eq(u64, pool_inflight_bytes(&p0, 12), 8192));
	cr_assert(eq(u64, pool_inflight_bytes(&p2, 12), 32768));
}

Test(pool_stats, ctr32_delta_wraps)
{
	cr_assert(eq(u32, ctr32_delta(100, 164), 64));
	cr_assert(eq(u32, ctr32_delta(0xfffffff0U, 0x10), 0x20));
	cr_assert(eq(u32, ctr32_delta(7, 7), 0));
}

Test(pool_stats, per_second)
{
	cr_assert(eq(dbl, per_second(500, 0.5), 1000.0));
	cr_assert(eq(dbl, per_second(500, 0), 0.0));
	cr_assert(eq(dbl, per_second(500, -1), 0.0));
	cr_assert(eq(dbl, per_second(500, INFINITY), 0.0));
}

struct rate_case {
	__u64 new_pages;
	__u64 consumed;
	double want; /* NAN: undefined */
};

ParameterizedTestParameters(pool_stats, recycle_rate)
{
	static struct rate_case cases[] = {
		{ 0, 1000000, 1.0 },	 /* everything recycled */
		{ 10, 1000, 0.99 },	 /* 1% new pages */
		{ 1000, 1000, 0.0 },	 /* nothing recycled */
		{ 64, 0, NAN },		 /* warm-up fill without traffic */
		{ 0, 0, NAN },		 /* idle */
		{ 2000, 1000, 0.0 },	 /* refill bigger than use: clamped */
		{ 1, 4, 0.75 },
	};

	return cr_make_param_array(struct rate_case, cases,
				   sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct rate_case *c, pool_stats, recycle_rate)
{
	double r = recycle_rate(c->new_pages, c->consumed);

	if (isnan(c->want))
		cr_assert(isnan(r), "new=%llu consumed=%llu: got %f, want NaN",
			  (unsigned long long)c->new_pages,
			  (unsigned long long)c->consumed, r);
	else
		cr_assert(ieee_ulp_eq(dbl, r, c->want, 4),
			  "new=%llu consumed=%llu: got %f, want %f",
			  (unsigned long long)c->new_pages,
			  (unsigned long long)c->consumed, r, c->want);
}

Test(pool_stats, state_live_zombie_drained_gone)
{
	struct pp_pool live = { .hold = 64, .release = 0 };
	struct pp_pool zombie = { .hold = 64, .release = 10, .flags = PP_F_DESTROYED };
	struct pp_pool drained = { .hold = 64, .release = 64, .flags = PP_F_DESTROYED };
	struct pp_pool gone = { .hold = 64, .release = 64,
				.flags = PP_F_DESTROYED | PP_F_GONE };

	cr_assert(eq(int, pool_state(&live), POOL_LIVE));
	cr_assert(eq(int, pool_state(&zombie), POOL_ZOMBIE));
	cr_assert(eq(int, pool_state(&drained), POOL_DRAINED));
	cr_assert(eq(int, pool_state(&gone), POOL_GONE));
	cr_assert(eq(str, (char *)pool_state_name(POOL_ZOMBIE), "zombie"));
}

Test(pool_stats, destroyed_age)
{
	struct pp_pool z = { .flags = PP_F_DESTROYED, .destroy_ns = 2000000000ULL };
	struct pp_pool live = { .destroy_ns = 0 };

	cr_assert(eq(dbl, pool_destroyed_age(&z, 7500000000ULL), 5.5));
	cr_assert(eq(dbl, pool_destroyed_age(&z, 1000000000ULL), 0.0));
	cr_assert(eq(dbl, pool_destroyed_age(&live, 7500000000ULL), 0.0));
}

Test(pool_stats, delta_between_samples)
{
	struct pp_pool a = { .hold = 0xffffff00U, .release = 100 };
	struct pp_pool b = { .hold = 0x100, .release = 164 };
	struct pool_delta d;

	pool_delta(&a, &b, 2.0, &d);
	cr_assert(eq(u64, d.hold, 0x200));
	cr_assert(eq(u64, d.release, 64));
	cr_assert(eq(dbl, d.hold_ps, 256.0));
	cr_assert(eq(dbl, d.release_ps, 32.0));
}

Test(pool_stats, delta_of_new_pool_counts_its_events)
{
	/* created mid-interval: its kernel counters may predate tracing */
	struct pp_pool b = { .hold = 5000, .release = 10, .hold_events = 64,
			     .release_events = 10 };
	struct pool_delta d;

	pool_delta_new(&b, 1.0, &d);
	cr_assert(eq(u64, d.hold, 64));
	cr_assert(eq(u64, d.release, 10));
}

Test(pool_stats, run_total_rate)
{
	struct recycle_total t = {};

	recycle_total_add(&t, 64, 0);	  /* warm-up, nothing consumed */
	recycle_total_add(&t, 0, 100000);
	recycle_total_add(&t, 36, 100000);
	cr_assert(eq(u32, t.intervals, 3));
	cr_assert(eq(u32, t.rated, 2));
	cr_assert(ieee_ulp_eq(dbl, recycle_total_rate(&t), 1.0 - 100.0 / 200000.0, 4));
}
