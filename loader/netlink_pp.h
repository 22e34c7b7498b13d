/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's own page_pool figures from the netdev generic netlink family
 * (Linux 6.8+), through libmnl: page-pool-get (every pool bound to a
 * netdev of the caller's network namespace) and page-pool-stats-get (only
 * with CONFIG_PAGE_POOL_STATS). ppxdp shows them next to its tracing figures
 * and matches pools by id (struct page_pool user.id).
 */
#ifndef PPXDP_NETLINK_PP_H
#define PPXDP_NETLINK_PP_H

#include <stdbool.h>
#include <linux/types.h>

struct nl_pool {
	__u32 id;
	__u32 ifindex;	     /* 0: absent (netdev gone, or unlisted) */
	__u32 napi_id;
	__u64 inflight;	     /* pages */
	__u64 inflight_mem;  /* bytes */
	__u64 detach_time;   /* seconds (CLOCK_BOOTTIME); 0: not detached */
	bool has_stats;      /* page-pool-stats-get answered for this pool */
	__u64 alloc_fast;
	__u64 alloc_slow;
	__u64 alloc_slow_high_order;
	__u64 alloc_empty;
	__u64 alloc_refill;
	__u64 alloc_waive;
	__u64 recycle_cached;
	__u64 recycle_cache_full;
	__u64 recycle_ring;
	__u64 recycle_ring_full;
	__u64 recycle_released_refcnt;
};

struct nl_pp {
	struct mnl_socket *nl;
	__u16 family;	   /* resolved id of "netdev" */
	bool has_pools;	   /* the family has page-pool-get */
	bool has_stats;	   /* page-pool-stats-get works (CONFIG_PAGE_POOL_STATS) */
	unsigned int seq;
};

/*
 * Resolve the netdev family. -ENOENT when the kernel has none (before 6.3)
 * or it lacks page-pool-get (before 6.8): callers go on without it.
 */
int nl_pp_open(struct nl_pp *nl);
void nl_pp_close(struct nl_pp *nl);

/*
 * Dump every pool into *pools (malloc'ed, *nr entries; free() it), with
 * their stats when the kernel has them.
 */
int nl_pp_dump(struct nl_pp *nl, struct nl_pool **pools, unsigned int *nr);

const struct nl_pool *nl_pool_find(const struct nl_pool *pools, unsigned int nr,
				   __u32 id);

#endif /* PPXDP_NETLINK_PP_H */
