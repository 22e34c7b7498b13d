// SPDX-License-Identifier: GPL-2.0
/*
 * Counter arithmetic of `ppxdp status` (loader/counters.c): per-CPU sums,
 * rates between two snapshots, counter resets, degenerate intervals, and
 * reading a real PERCPU_ARRAY map when the test may create one.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>

#include "counters.h"

Test(counters, fields_in_struct_order)
{
	static const char *const names[PPXDP_NR_CTRS] = {
		"aborted", "drop", "pass", "tx", "redirect", "redirect_err",
		"malformed",
	};
	unsigned int i;

	for (i = 0; i < PPXDP_NR_CTRS; i++) {
		cr_assert(eq(str, (char *)stats_fields[i].name,
			     (char *)names[i]));
		cr_assert(eq(sz, stats_fields[i].offset,
			     i * sizeof(struct ppxdp_ctr)));
	}
	/* (&s->aborted)[XDP_TX] is s->tx, as bpf/xdp_stats.h promises */
	cr_assert(eq(sz, stats_fields[3].offset,
		     offsetof(struct ppxdp_xdp_stats, tx)));
}

Test(counters, sum_percpu)
{
	struct ppxdp_xdp_stats percpu[4], sum;
	unsigned int cpu, i;

	memset(percpu, 0, sizeof(percpu));
	for (cpu = 0; cpu < 4; cpu++) {
		for (i = 0; i < PPXDP_NR_CTRS; i++) {
			struct ppxdp_ctr *c = (void *)((char *)&percpu[cpu] +
						       stats_fields[i].offset);

			c->packets = (cpu + 1) * 10 + i;      /* 10+i .. 40+i */
			c->bytes = (cpu + 1) * 1000 + i * 100;
		}
	}
	memset(&sum, 0xff, sizeof(sum));
	stats_sum_percpu(percpu, 4, &sum);
	for (i = 0; i < PPXDP_NR_CTRS; i++) {
		cr_assert(eq(u64, stats_ctr(&sum, i)->packets, 100 + 4 * i));
		cr_assert(eq(u64, stats_ctr(&sum, i)->bytes, 10000 + 400 * i));
	}
}

Test(counters, sum_percpu_large_values)
{
	struct ppxdp_xdp_stats percpu[2] = {}, sum;

	percpu[0].drop.packets = 1ULL << 62;
	percpu[1].drop.packets = 1ULL << 62;
	percpu[0].drop.bytes = UINT64_MAX - 10;
	percpu[1].drop.bytes = 10;
	stats_sum_percpu(percpu, 2, &sum);
	cr_assert(eq(u64, sum.drop.packets, 1ULL << 63));
	cr_assert(eq(u64, sum.drop.bytes, UINT64_MAX));
	cr_assert(eq(u64, sum.pass.packets, 0));
}

Test(counters, sum_no_cpus_is_zero)
{
	struct ppxdp_xdp_stats sum;

	memset(&sum, 0xff, sizeof(sum));
	stats_sum_percpu(NULL, 0, &sum);
	cr_assert(eq(u64, sum.aborted.packets, 0));
	cr_assert(eq(u64, sum.malformed.bytes, 0));
}

struct rate_case {
	struct ppxdp_ctr prev, cur;
	double secs;
	double pps, bps;
};

ParameterizedTestParameters(counters, rates)
{
	static struct rate_case cases[] = {
		/* 1000 packets of 1000 bytes in 0.5 s */
		{ { 100, 10000 }, { 1100, 1010000 }, 0.5, 2000, 16000000 },
		/* nothing moved */
		{ { 7, 700 }, { 7, 700 }, 1, 0, 0 },
		/* 64-byte frames at line rate over 2 s */
		{ { 0, 0 }, { 29761904, 1904761856 }, 2, 14880952, 7619047424 },
		/* reset: counters went down, count from zero */
		{ { 1000, 100000 }, { 10, 1500 }, 2, 5, 6000 },
		/* only bytes went down: still a reset */
		{ { 10, 5000 }, { 20, 4000 }, 1, 20, 32000 },
		/* only packets went down */
		{ { 30, 100 }, { 20, 4000 }, 4, 5, 8000 },
		/* near the top of the range, no reset */
		{ { UINT64_MAX - 5, 0 }, { UINT64_MAX, 8 }, 1, 5, 64 },
		/* wrap-around looks like a reset */
		{ { UINT64_MAX - 5, 100 }, { 4, 200 }, 1, 4, 1600 },
		/* degenerate intervals give zero rates */
		{ { 0, 0 }, { 100, 1000 }, 0, 0, 0 },
		{ { 0, 0 }, { 100, 1000 }, -1, 0, 0 },
		{ { 0, 0 }, { 100, 1000 }, NAN, 0, 0 },
		{ { 0, 0 }, { 100, 1000 }, INFINITY, 0, 0 },
		/* a tiny interval */
		{ { 0, 0 }, { 1, 125 }, 0.001, 1000, 1000000 },
	};

	return cr_make_param_array(struct rate_case, cases,
				   sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct rate_case *c, counters, rates)
{
	struct ctr_rate r = { -1, -1 };

	ctr_rate(&c->prev, &c->cur, c->secs, &r);
	cr_assert(eq(dbl, r.pps, c->pps));
	cr_assert(eq(dbl, r.bps, c->bps));
}

/* stats_rates() applies ctr_rate() to every counter independently. */
Test(counters, rates_per_counter)
{
	struct ppxdp_xdp_stats prev = {}, cur = {};
	struct ctr_rate r[PPXDP_NR_CTRS];

	prev.drop = (struct ppxdp_ctr){ 100, 6400 };
	cur.drop = (struct ppxdp_ctr){ 300, 19200 };
	prev.tx = (struct ppxdp_ctr){ 50, 5000 };
	cur.tx = (struct ppxdp_ctr){ 10, 1000 }; /* reset */
	cur.redirect_err = (struct ppxdp_ctr){ 4, 256 };
	stats_rates(&prev, &cur, 0.25, r);

	cr_assert(eq(dbl, r[0].pps, 0));
	cr_assert(eq(dbl, r[1].pps, 800));
	cr_assert(eq(dbl, r[1].bps, 409600));
	cr_assert(eq(dbl, r[2].pps, 0));
	cr_assert(eq(dbl, r[3].pps, 40));
	cr_assert(eq(dbl, r[3].bps, 32000));
	cr_assert(eq(dbl, r[4].bps, 0));
	cr_assert(eq(dbl, r[5].pps, 16));
	cr_assert(eq(dbl, r[5].bps, 8192));
	cr_assert(eq(dbl, r[6].pps, 0));
}

Test(counters, timespec_diff)
{
	struct timespec a = { 1, 750000000 }, b = { 3, 250000000 };

	cr_assert(eq(dbl, timespec_diff(&a, &b), 1.5));
	cr_assert(eq(dbl, timespec_diff(&b, &a), -1.5));
	cr_assert(eq(dbl, timespec_diff(&a, &a), 0));
}

/* stats_read() on a real map: needs CAP_BPF, skipped without it. */
static int create_map(enum bpf_map_type type, __u32 value_size,
		      const char *name)
{
	int fd = bpf_map_create(type, name, sizeof(__u32), value_size, 1,
				NULL);

	if (fd < 0 && (errno == EPERM || errno == EACCES))
		cr_skip_test("cannot create BPF maps here (%s)",
			     strerror(errno));
	cr_assert(ge(int, fd, 0));
	return fd;
}

Test(counters, read_percpu_map)
{
	int nr_cpus = libbpf_num_possible_cpus(), fd, cpu;
	struct ppxdp_xdp_stats *vals, sum;
	__u32 key = 0;

	cr_assert(gt(int, nr_cpus, 0));
	fd = create_map(BPF_MAP_TYPE_PERCPU_ARRAY,
			sizeof(struct ppxdp_xdp_stats), "test_stats");
	vals = calloc(nr_cpus, sizeof(*vals));
	cr_assert(ne(ptr, vals, NULL));
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		vals[cpu].pass.packets = cpu + 1;
		vals[cpu].pass.bytes = 64 * (cpu + 1);
		vals[cpu].malformed.packets = 2;
	}
	cr_assert(eq(int, bpf_map_update_elem(fd, &key, vals, BPF_ANY), 0));
	cr_assert(eq(int, stats_read(fd, &sum), 0));
	cr_assert(eq(u64, sum.pass.packets, (__u64)nr_cpus * (nr_cpus + 1) / 2));
	cr_assert(eq(u64, sum.pass.bytes, 64ULL * nr_cpus * (nr_cpus + 1) / 2));
	cr_assert(eq(u64, sum.malformed.packets, 2ULL * nr_cpus));
	cr_assert(eq(u64, sum.drop.packets, 0));
	free(vals);
	close(fd);
}

/* Wrong type, wrong value size or a name not ending in _stats. */
Test(counters, read_rejects_other_maps)
{
	struct ppxdp_xdp_stats sum;
	int fd;

	fd = create_map(BPF_MAP_TYPE_ARRAY, sizeof(struct ppxdp_xdp_stats),
			"test_stats");
	cr_assert(eq(int, stats_read(fd, &sum), -EINVAL));
	close(fd);
	fd = create_map(BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(struct ppxdp_ctr),
			"rule_stats");
	cr_assert(eq(int, stats_read(fd, &sum), -EINVAL));
	close(fd);
	fd = create_map(BPF_MAP_TYPE_PERCPU_ARRAY,
			sizeof(struct ppxdp_xdp_stats), "test_counts");
	cr_assert(eq(int, stats_read(fd, &sum), -EINVAL));
	close(fd);
}
