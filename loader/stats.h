/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Snapshots of the page_pool tracing maps and of ppxdp's XDP counters,
 * shared by `ppxdp stats` and `ppxdp leaks`.
 */
#ifndef PPXDP_STATS_H
#define PPXDP_STATS_H

#include <net/if.h>
#include <stdbool.h>
#include <time.h>
#include <linux/types.h>

#include "pp_trace.h"
#include "xdp_stats.h"

struct trace_session;
struct nl_pp;
struct nl_pool;

struct pool_sample {
	struct pp_pool p;
	__u64 allocs;	 /* fexit count summed over CPUs */
	bool has_allocs;
	struct pp_drv drv; /* ppnic tracepoint counts summed over CPUs */
	bool has_drv;
	bool gone;	 /* from gone_pools: freed by the kernel */
};

/* One interface ppxdp attached to (a pin directory with ppxdp_info). */
struct iface_sample {
	char ifname[IF_NAMESIZE];
	char prog[16];
	__u32 ifindex;
	__u64 netns_ino;
	__u64 attach_time; /* CLOCK_REALTIME ns */
	struct ppxdp_xdp_stats sum; /* every *_stats map of the directory */
	bool has_stats;
};

struct xdp_ev_sample {
	struct pp_xdp_evkey key;
	struct pp_xdp_evval val; /* summed over CPUs */
};

struct stats_snapshot {
	__u64 mono_ns; /* CLOCK_MONOTONIC, the clock of the BPF timestamps */
	__u64 real_ns;
	struct pool_sample *pools;
	unsigned int nr_pools, cap_pools;
	struct iface_sample *ifaces;
	unsigned int nr_ifaces, cap_ifaces;
	struct xdp_ev_sample *evs;
	unsigned int nr_evs, cap_evs;
	struct nl_pool *nl; /* netlink page-pool-get, this netns */
	unsigned int nr_nl;
	bool nl_ok;
	bool drv_ok; /* ppnic tracepoints attached at this sample */
};

/* nl may be NULL. Reports errors itself. */
int stats_sample(struct stats_snapshot *s, struct trace_session *ts,
		 struct nl_pp *nl);
void stats_snapshot_free(struct stats_snapshot *s);
/* The same pool (address and first event time) in another snapshot. */
const struct pool_sample *snapshot_find_pool(const struct stats_snapshot *s,
					     const struct pp_pool *p);

/* SIGINT/SIGTERM end the loops of stats and leaks --watch. */
void stats_signals(void);
bool stats_stopped(void);
__u64 stats_clock_ns(clockid_t clk);
void stats_sleep_until(__u64 deadline_ns);

#endif /* PPXDP_STATS_H */
