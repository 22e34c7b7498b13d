/* SPDX-License-Identifier: GPL-2.0 */
/*
 * XDP counters as the loader sees them: per-CPU sums of struct
 * ppxdp_xdp_stats (bpf/xdp_stats.h) and rates between two snapshots.
 */
#ifndef PPXDP_COUNTERS_H
#define PPXDP_COUNTERS_H

#include <stddef.h>
#include <linux/types.h>
#include <time.h>

#include "xdp_stats.h"

/* Every counter of struct ppxdp_xdp_stats, in field order. */
struct stats_field {
	const char *name; /* "drop", also the JSON key */
	size_t offset;    /* of its struct ppxdp_ctr */
};

#define PPXDP_NR_CTRS 7
extern const struct stats_field stats_fields[PPXDP_NR_CTRS];

static inline const struct ppxdp_ctr *
stats_ctr(const struct ppxdp_xdp_stats *s, unsigned int i)
{
	return (const void *)((const char *)s + stats_fields[i].offset);
}

struct ctr_rate {
	double pps; /* packets per second */
	double bps; /* bits per second (frame bytes * 8) */
};

/* sum = sum of percpu[0 .. nr_cpus). */
void stats_sum_percpu(const struct ppxdp_xdp_stats *percpu,
		      unsigned int nr_cpus, struct ppxdp_xdp_stats *sum);

/*
 * Rate of one counter between snapshots prev and cur taken secs apart. A
 * counter that went down was reset (program replaced): it counts as having
 * restarted from zero, so the delta is cur. A zero, negative or non-finite
 * interval gives zero rates.
 */
void ctr_rate(const struct ppxdp_ctr *prev, const struct ppxdp_ctr *cur,
	      double secs, struct ctr_rate *rate);
void stats_rates(const struct ppxdp_xdp_stats *prev,
		 const struct ppxdp_xdp_stats *cur, double secs,
		 struct ctr_rate rates[PPXDP_NR_CTRS]);

/* b - a in seconds. */
double timespec_diff(const struct timespec *a, const struct timespec *b);

/*
 * Read the single entry of a PERCPU_ARRAY stats map and sum it over the
 * possible CPUs. -EINVAL when the map does not hold struct ppxdp_xdp_stats.
 */
int stats_read(int map_fd, struct ppxdp_xdp_stats *sum);

/*
 * Find the stats map of a loaded program: a PERCPU_ARRAY named *_stats
 * whose value is struct ppxdp_xdp_stats. Returns a map fd or -ENOENT.
 */
int stats_map_of_prog(__u32 prog_id);

#endif /* PPXDP_COUNTERS_H */
