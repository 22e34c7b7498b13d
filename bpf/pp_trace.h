/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * page_pool and XDP buffer tracing: records shared by bpf/pp_trace.bpf.c and
 * the ppxdp loader (trace, stats, leaks). Plain __u32/__u64 so the header is
 * valid in BPF (after vmlinux.h) and in user space (after <linux/types.h>).
 *
 * Every record is keyed by the kernel's struct page_pool pointer: the pool's
 * identity as long as it lives. A pool leaves the "pools" map when the kernel
 * frees it (its last page_pool_release event, with nothing in flight) and its
 * final record goes to "gone_pools".
 *
 * hold and release are the kernel's own counters (pages_state_hold_cnt and
 * pages_state_release_cnt) as carried by the tracepoints, so they include
 * pages taken before tracing started; inflight = hold - release (modulo 2^32)
 * is the kernel's formula.
 */
#ifndef PPXDP_PP_TRACE_H
#define PPXDP_PP_TRACE_H

/* How a pool was tied to an interface: only where the kernel states it. */
enum pp_attr {
	PP_ATTR_NONE = 0,	 /* unattributed */
	PP_ATTR_NETDEV = 1,	 /* pool->slow.netdev (6.7+) */
	PP_ATTR_MEM_CONNECT = 2, /* xdp:mem_connect, the rxq's device */
	PP_ATTR_DEVICE = 3,	 /* pool->p.dev is a net_device's device (veth) */
	PP_ATTR_PROG_RUN = 4,	 /* BPF_PROG_RUN live frames: the test rxq's device */
	PP_ATTR_DRIVER = 5,	 /* a driver tracepoint (ppnic) names the device */
};

/* pp_pool.flags */
#define PP_F_DESTROYED (1U << 0) /* page_pool_destroy() ran (release event) */
#define PP_F_GONE      (1U << 1) /* freed by the kernel: nothing in flight */
#define PP_F_ORPHAN    (1U << 2) /* its netdev was unregistered */

struct pp_pool {
	__u64 pool;	  /* struct page_pool * : the key */
	__u64 first_ns;	  /* first event seen, CLOCK_MONOTONIC ns */
	__u64 last_ns;	  /* last event seen */
	__u64 destroy_ns; /* first page_pool_release event (destroy) */
	__u32 hold;	  /* kernel hold count: pages from the page allocator */
	__u32 release;	  /* kernel release count: pages given back to it */
	__s32 destroy_inflight; /* inflight the last page_pool_release event
				 * reported (0 before destroy): the live value
				 * is hold - release */
	__u32 release_ticks; /* page_pool_release events: 1 + retries (~1/s) */
	__u32 hold_events;   /* state_hold events seen while tracing */
	__u32 release_events; /* state_release events seen while tracing */
	__u32 nid_moves;     /* page_pool_update_nid events */
	__s32 nid;
	__u32 pool_size; /* p.pool_size: ptr_ring size asked by the driver */
	__u32 order;	 /* page order */
	__u32 id;	 /* user.id, the netlink page-pool id (6.8+), 0 if none */
	__u32 ifindex;	 /* 0 when unattributed */
	__u32 netns_ino; /* network namespace of ifindex */
	__u32 queue;	 /* rx queue, when known */
	__u32 napi_id;	 /* p.napi->napi_id, 0 without napi */
	__u32 attr;	 /* enum pp_attr */
	__u32 cache_count; /* alloc.count at the last event */
	__u32 ring_count;  /* ptr_ring entries at the last event */
	__u32 ring_size;
	__u32 xdp_mem_id;
	__u32 flags; /* PP_F_* */
	__u32 mem_connects;
	__u64 fast_allocs; /* fexit count, summed when the pool is freed */
};

/*
 * ppnic's driver tracepoints (kernel-mod/ppnic_events.h), per pool and CPU:
 * what the page_pool tracepoints cannot see, because a recycle hit fires
 * nothing in the kernel. Field names follow ppnic's `ethtool -S` counters.
 * alloc_* count buffers posted to an RX ring by where the pool found them;
 * ring_pages and slow_pages count pages moved into the pool's cache from
 * its ptr_ring and from the page allocator; the rest count what the driver
 * did with a page it owned.
 */
struct pp_drv {
	__u64 alloc_fast;	/* from the lockless alloc cache */
	__u64 alloc_ring;	/* cache refilled from the ptr_ring first */
	__u64 alloc_slow;	/* cache refilled from the page allocator */
	__u64 alloc_fail;
	__u64 ring_pages;
	__u64 slow_pages;
	__u64 recycle_cached;	/* direct recycle into the alloc cache */
	__u64 recycle_ring;	/* direct recycle, cache full: ptr_ring */
	__u64 recycle_released;	/* cache and ring full: freed */
	__u64 skb_pages;	/* handed to the stack, marked for recycling */
	__u64 redirect_pages;	/* handed to another device (XDP_REDIRECT) */
	__u64 held;		/* taken by the pp_hold debugfs knob */
	__u64 unheld;		/* given back by it */
};

/* Kinds of XDP buffer events, keyed per device and code. */
enum pp_xdp_ev {
	PP_XDP_EXCEPTION = 1,	 /* code: XDP action */
	PP_XDP_REDIRECT_ERR = 2, /* code: -errno */
	PP_XDP_DEVMAP_XMIT = 3,	 /* ifindex: from, code: to ifindex */
	PP_XDP_CPUMAP_ENQUEUE = 4, /* code: target cpu */
	PP_XDP_CPUMAP_KTHREAD = 5, /* code: cpumap id */
	PP_XDP_MEM_DISCONNECT = 6, /* code: 0 */
};

struct pp_xdp_evkey {
	__u32 ifindex;
	__u32 netns_ino;
	__u32 type; /* enum pp_xdp_ev */
	__s32 code;
};

/*
 * devmap_xmit and cpumap events fire per bulk on healthy paths too: they
 * are recorded only when they dropped frames (or failed).
 */
struct pp_xdp_evval {
	__u64 events; /* recorded tracepoint hits */
	__u64 frames; /* frames of those hits (sent/processed; 1 per exception) */
	__u64 drops;  /* frames dropped (their buffers returned or freed) */
};

/* Outstanding page (optional, bounded): key is the page/netmem value. */
struct pp_page {
	__u64 pool;
	__u64 hold_ns;
};

/* Where each event comes from; written by `ppxdp trace start`. */
enum pp_src {
	PP_SRC_ABSENT = 0, /* tracepoint not in this kernel */
	PP_SRC_TP_BTF = 1,
	PP_SRC_RAW_TP = 2,
	PP_SRC_FENTRY = 3,
	PP_SRC_OFF = 4, /* left off: trace start without --bulk-events */
};

enum pp_event {
	PP_EV_STATE_HOLD,
	PP_EV_STATE_RELEASE,
	PP_EV_RELEASE,
	PP_EV_UPDATE_NID,
	PP_EV_XDP_EXCEPTION,
	PP_EV_XDP_REDIRECT_ERR,
	PP_EV_XDP_DEVMAP_XMIT,
	PP_EV_XDP_CPUMAP_ENQUEUE,
	PP_EV_XDP_CPUMAP_KTHREAD,
	PP_EV_MEM_CONNECT,
	PP_EV_MEM_DISCONNECT,
	PP_EV_FAST_ALLOC, /* fexit page_pool_alloc_netmems/_pages */
	PP_EV_PPNIC_REFILL,  /* ppnic:ppnic_refill (module), raw_tp */
	PP_EV_PPNIC_RECYCLE, /* ppnic:ppnic_recycle (module), raw_tp */
	PP_EV_MAX,
};

struct pp_trace_info {
	__u64 start_ns;	 /* CLOCK_MONOTONIC ns at trace start */
	__u64 start_realtime_ns;
	__u32 src[PP_EV_MAX]; /* enum pp_src per enum pp_event */
	__u32 max_pools;
	__u32 max_pages; /* 0: page tracking off */
	__u32 page_shift;
	__u32 pad;
};

/* Map overflows and read errors, one slot, updated atomically. */
struct pp_trace_ctrs {
	__u64 pools_full;  /* new pool not recorded: pools map full */
	__u64 pages_full;  /* page not tracked: pages map full */
};

/*
 * fexit fast-path count per pool and CPU, only where the kernel allows
 * fexit: every buffer page_pool_alloc_netmems() (6.12+) or
 * page_pool_alloc_pages() (6.1) handed out, from the cache or not.
 */
struct pp_fast {
	__u64 allocs;
};

#endif /* PPXDP_PP_TRACE_H */
