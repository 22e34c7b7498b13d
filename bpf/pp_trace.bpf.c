// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * Per-pool page_pool accounting from tracepoints, for kernels without
 * CONFIG_PAGE_POOL_STATS and without fentry.
 *
 * Every tracepoint has a tp_btf and a raw_tp flavour of one handler; the
 * loader keeps the tp_btf one where vmlinux BTF has the tracepoint and the
 * raw_tp one otherwise. The handlers only use the raw 64-bit arguments and
 * CO-RE reads, so one object loads on 6.1 (struct page * arguments,
 * struct page_pool_params p), 6.12 and 6.18 (netmem_ref, params_fast/slow).
 *
 * All page_pool events are slow path (pages entering or leaving the pool
 * from/to the page allocator, destroy, NUMA moves): a recycle hit fires
 * nothing, so the cost on a recycling pool is zero.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "pp_trace.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set by the loader before load. */
const volatile __u64 test_run_init_cb; /* xdp_test_run_init_page, kallsyms */
const volatile bool track_pages;
const volatile __u32 nr_cpus = 1; /* possible CPUs, for the fexit sum */

#define PP_MAX_CPUS 512

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096); /* loader: --max-pools */
	__type(key, __u64);
	__type(value, struct pp_pool);
} pools SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, struct pp_pool);
} gone_pools SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1024);
	__type(key, struct pp_xdp_evkey);
	__type(value, struct pp_xdp_evval);
} xdp_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1); /* loader: --track-pages N */
	__type(key, __u64);
	__type(value, struct pp_page);
} pages SEC(".maps");

/* LRU: counts of freed pools stay readable until their slot is needed. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct pp_fast);
} fast SEC(".maps");

/* ppnic driver tracepoint counts; LRU like fast. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct pp_drv);
} drv SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pp_trace_info);
} trace_info SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pp_trace_ctrs);
} trace_ctrs SEC(".maps");

/* 6.1 layout: one struct page_pool_params p, callbacks inside it. */
struct page_pool_params___v61 {
	void *init_callback;
	void *init_arg;
};

struct page_pool___v61 {
	struct page_pool_params___v61 p;
};

static __always_inline struct pp_trace_ctrs *ctrs(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&trace_ctrs, &zero);
}

/* Entries in a ptr_ring: producer - consumer_head, full when they meet on a
 * non-empty slot. A snapshot: the ring moves under us.
 */
static __always_inline __u32 ring_count(struct page_pool *pp)
{
	int prod = BPF_CORE_READ(pp, ring.producer);
	int cons = BPF_CORE_READ(pp, ring.consumer_head);
	int size = BPF_CORE_READ(pp, ring.size);
	void **queue = BPF_CORE_READ(pp, ring.queue);
	void *slot = NULL;

	if (size <= 0 || prod < 0 || prod >= size || cons < 0 || cons >= size)
		return 0;
	if (prod > cons)
		return (__u32)(prod - cons);
	if (prod < cons)
		return (__u32)(prod + size - cons);
	bpf_probe_read_kernel(&slot, sizeof(slot), queue + prod);
	return slot ? (__u32)size : 0;
}

static __always_inline void snapshot(struct pp_pool *v, struct page_pool *pp)
{
	__u32 cnt = BPF_CORE_READ(pp, alloc.count);

	v->cache_count = cnt <= 128 ? cnt : 0; /* PP_ALLOC_CACHE_SIZE */
	v->ring_count = ring_count(pp);
}

static __always_inline bool device_is_netdev(struct device *dev)
{
	const char *name = BPF_CORE_READ(dev, class, name);
	char buf[4] = {};

	if (!name || bpf_probe_read_kernel(buf, sizeof(buf), name))
		return false;
	return buf[0] == 'n' && buf[1] == 'e' && buf[2] == 't' && !buf[3];
}

/* Returns false when nd is not a live interface (NULL, or moved to
 * loopback because its own device was unregistered).
 */
static __always_inline bool attr_netdev(struct pp_pool *v, struct net_device *nd,
					 __u32 how)
{
	__u32 ifindex = BPF_CORE_READ(nd, ifindex);

	if (!ifindex)
		return false;
	if (ifindex == 1 && how == PP_ATTR_NETDEV) {
		/* page_pool_unreg_netdev() parks orphans on loopback */
		v->flags |= PP_F_ORPHAN;
		return false;
	}
	v->ifindex = ifindex;
	v->netns_ino = BPF_CORE_READ(nd, nd_net.net, ns.inum);
	v->attr = how;
	return true;
}

static __always_inline void attribute(struct pp_pool *v, struct page_pool *pp)
{
	void *init_cb = NULL, *init_arg = NULL;
	struct device *dev;

	if (bpf_core_field_exists(pp->slow)) {
		if (attr_netdev(v, BPF_CORE_READ(pp, slow.netdev), PP_ATTR_NETDEV)) {
			v->queue = BPF_CORE_READ(pp, slow.queue_idx);
			return;
		}
		init_cb = BPF_CORE_READ(pp, slow.init_callback);
		init_arg = BPF_CORE_READ(pp, slow.init_arg);
	} else {
		struct page_pool___v61 *old = (void *)pp;

		if (bpf_core_field_exists(old->p.init_callback)) {
			init_cb = BPF_CORE_READ(old, p.init_callback);
			init_arg = BPF_CORE_READ(old, p.init_arg);
		}
	}
	/*
	 * destroy_cnt is 1 during the page_pool_release event that
	 * page_pool_destroy() itself fires (the owner still exists), and
	 * more on the retries, when the owner's pointers may dangle.
	 */
	if (BPF_CORE_READ(pp, destroy_cnt) > 1)
		return;

	dev = BPF_CORE_READ(pp, p.dev);
	if (dev && device_is_netdev(dev)) {
		attr_netdev(v, (void *)dev - bpf_core_field_offset(struct net_device, dev),
			    PP_ATTR_DEVICE);
		return;
	}
	if (test_run_init_cb && (__u64)init_cb == test_run_init_cb &&
	    bpf_core_type_exists(struct xdp_test_data)) {
		struct xdp_test_data *td = init_arg;

		attr_netdev(v, BPF_CORE_READ(td, dev), PP_ATTR_PROG_RUN);
	}
}

static __always_inline struct pp_pool *pool_get(__u64 pool, __u64 now)
{
	struct page_pool *pp = (void *)pool;
	struct pp_trace_ctrs *c;
	struct pp_pool *v, init = {};

	v = bpf_map_lookup_elem(&pools, &pool);
	if (v)
		return v;

	init.pool = pool;
	init.first_ns = now;
	init.hold = BPF_CORE_READ(pp, pages_state_hold_cnt);
	init.release = BPF_CORE_READ(pp, pages_state_release_cnt.counter);
	init.nid = BPF_CORE_READ(pp, p.nid);
	init.pool_size = BPF_CORE_READ(pp, p.pool_size);
	init.order = BPF_CORE_READ(pp, p.order);
	init.ring_size = BPF_CORE_READ(pp, ring.size);
	init.xdp_mem_id = BPF_CORE_READ(pp, xdp_mem_id);
	if (bpf_core_field_exists(pp->p.napi))
		init.napi_id = BPF_CORE_READ(pp, p.napi, napi_id);
	if (bpf_core_field_exists(pp->user))
		init.id = BPF_CORE_READ(pp, user.id);
	if (BPF_CORE_READ(pp, destroy_cnt)) {
		init.flags |= PP_F_DESTROYED;
		init.destroy_ns = now;
	}
	attribute(&init, pp);

	/*
	 * A new pool at the address of a freed one: drop the old fast-path
	 * and driver counts. Its first allocation comes here (slow path) before the
	 * fexit program counts it.
	 */
	if (bpf_map_update_elem(&pools, &pool, &init, BPF_NOEXIST) == 0) {
		bpf_map_delete_elem(&fast, &pool);
		bpf_map_delete_elem(&drv, &pool);
	}
	/* EEXIST from a racing CPU is fine: the lookup finds its entry */
	v = bpf_map_lookup_elem(&pools, &pool);
	if (!v && (c = ctrs()))
		__sync_fetch_and_add(&c->pools_full, 1);
	return v;
}

/* u32 counters from concurrent CPUs: keep the newest (wrapping) value. */
static __always_inline void ctr_advance(__u32 *slot, __u32 val)
{
	if ((__s32)(val - *slot) > 0)
		*slot = val;
}

static __always_inline int on_state_hold(__u64 pool, __u64 netmem, __u32 hold)
{
	__u64 now = bpf_ktime_get_ns();
	struct pp_pool *v = pool_get(pool, now);

	if (!v)
		return 0;
	ctr_advance(&v->hold, hold);
	__sync_fetch_and_add(&v->hold_events, 1);
	v->last_ns = now;
	snapshot(v, (void *)pool);

	if (track_pages) {
		struct pp_page pg = { .pool = pool, .hold_ns = now };
		struct pp_trace_ctrs *c;

		if (bpf_map_update_elem(&pages, &netmem, &pg, BPF_ANY) && (c = ctrs()))
			__sync_fetch_and_add(&c->pages_full, 1);
	}
	return 0;
}

static __always_inline int on_state_release(__u64 pool, __u64 netmem, __u32 release)
{
	__u64 now = bpf_ktime_get_ns();
	struct pp_pool *v = pool_get(pool, now);

	if (track_pages)
		bpf_map_delete_elem(&pages, &netmem);
	if (!v)
		return 0;
	ctr_advance(&v->release, release);
	__sync_fetch_and_add(&v->release_events, 1);
	v->last_ns = now;
	snapshot(v, (void *)pool);
	return 0;
}

/* The pool's fexit count over every CPU (0 where fexit is refused). */
static __always_inline __u64 fast_sum(__u64 pool)
{
	struct pp_fast *f;
	__u64 sum = 0;
	__u32 cpu;

	for (cpu = 0; cpu < PP_MAX_CPUS && cpu < nr_cpus; cpu++) {
		f = bpf_map_lookup_percpu_elem(&fast, &pool, cpu);
		if (f)
			sum += f->allocs;
	}
	return sum;
}

/*
 * page_pool_release fires from page_pool_destroy() and then once a second
 * while pages are still in flight. With nothing in flight the kernel frees
 * the pool right after this event: move its record to gone_pools, so the
 * address can be reused by a new pool.
 */
static __always_inline int on_release(__u64 pool, __s32 inflight, __u32 hold,
				      __u32 release)
{
	__u64 now = bpf_ktime_get_ns();
	struct pp_pool *v = pool_get(pool, now);

	if (!v)
		return 0;
	v->hold = hold;
	v->release = release;
	v->destroy_inflight = inflight;
	v->last_ns = now;
	if (!(v->flags & PP_F_DESTROYED)) {
		v->flags |= PP_F_DESTROYED;
		v->destroy_ns = now;
	}
	v->release_ticks++;
	snapshot(v, (void *)pool);
	if (inflight == 0) {
		v->fast_allocs = fast_sum(pool);
		v->flags |= PP_F_GONE;
		bpf_map_update_elem(&gone_pools, &pool, v, BPF_ANY);
		bpf_map_delete_elem(&pools, &pool);
	}
	return 0;
}

static __always_inline int on_update_nid(__u64 pool, int nid)
{
	struct pp_pool *v = pool_get(pool, bpf_ktime_get_ns());

	if (!v)
		return 0;
	v->nid = nid;
	__sync_fetch_and_add(&v->nid_moves, 1);
	return 0;
}

static __always_inline void xdp_event(struct net_device *nd, __u32 type, __s32 code,
				      __u64 frames, __u64 drops)
{
	struct pp_xdp_evkey key = { .type = type, .code = code };
	struct pp_xdp_evval *val, init = {};

	if (nd) {
		key.ifindex = BPF_CORE_READ(nd, ifindex);
		key.netns_ino = BPF_CORE_READ(nd, nd_net.net, ns.inum);
	}
	val = bpf_map_lookup_elem(&xdp_events, &key);
	if (!val) {
		bpf_map_update_elem(&xdp_events, &key, &init, BPF_NOEXIST);
		val = bpf_map_lookup_elem(&xdp_events, &key);
		if (!val)
			return;
	}
	/* per-CPU value: no atomics needed */
	val->events++;
	val->frames += frames;
	val->drops += drops;
}

static __always_inline int on_mem_connect(struct xdp_mem_allocator *xa,
					  struct xdp_rxq_info *rxq)
{
	__u64 pool;
	struct pp_pool *v;

	if (BPF_CORE_READ(xa, mem.type) !=
	    bpf_core_enum_value(enum xdp_mem_type, MEM_TYPE_PAGE_POOL))
		return 0;
	pool = (__u64)BPF_CORE_READ(xa, page_pool);
	if (!pool)
		return 0;
	v = pool_get(pool, bpf_ktime_get_ns());
	if (!v)
		return 0;
	v->mem_connects++;
	v->xdp_mem_id = BPF_CORE_READ(xa, mem.id);
	if (v->attr == PP_ATTR_NONE &&
	    attr_netdev(v, BPF_CORE_READ(rxq, dev), PP_ATTR_MEM_CONNECT))
		v->queue = BPF_CORE_READ(rxq, queue_index);
	return 0;
}

/* Counted, not keyed by mem id: ids are allocated per pool and would
 * fill the map. The pool's own record moved to gone_pools already.
 */
static __always_inline int on_mem_disconnect(struct xdp_mem_allocator *xa)
{
	xdp_event(NULL, PP_XDP_MEM_DISCONNECT, 0, 0, 0);
	return 0;
}

/* tp_btf and raw_tp entry points: ctx is an array of u64 arguments. */
#define ARG(i) (ctx[i])

SEC("tp_btf/page_pool_state_hold")
int tb_page_pool_state_hold(__u64 *ctx)
{
	return on_state_hold(ARG(0), ARG(1), (__u32)ARG(2));
}

SEC("raw_tp/page_pool_state_hold")
int rt_page_pool_state_hold(struct bpf_raw_tracepoint_args *ctx)
{
	return on_state_hold(ctx->args[0], ctx->args[1], (__u32)ctx->args[2]);
}

SEC("tp_btf/page_pool_state_release")
int tb_page_pool_state_release(__u64 *ctx)
{
	return on_state_release(ARG(0), ARG(1), (__u32)ARG(2));
}

SEC("raw_tp/page_pool_state_release")
int rt_page_pool_state_release(struct bpf_raw_tracepoint_args *ctx)
{
	return on_state_release(ctx->args[0], ctx->args[1], (__u32)ctx->args[2]);
}

SEC("tp_btf/page_pool_release")
int tb_page_pool_release(__u64 *ctx)
{
	return on_release(ARG(0), (__s32)ARG(1), (__u32)ARG(2), (__u32)ARG(3));
}

SEC("raw_tp/page_pool_release")
int rt_page_pool_release(struct bpf_raw_tracepoint_args *ctx)
{
	return on_release(ctx->args[0], (__s32)ctx->args[1], (__u32)ctx->args[2],
			  (__u32)ctx->args[3]);
}

SEC("tp_btf/page_pool_update_nid")
int tb_page_pool_update_nid(__u64 *ctx)
{
	return on_update_nid(ARG(0), (int)ARG(1));
}

SEC("raw_tp/page_pool_update_nid")
int rt_page_pool_update_nid(struct bpf_raw_tracepoint_args *ctx)
{
	return on_update_nid(ctx->args[0], (int)ctx->args[1]);
}

/* xdp_exception(dev, prog, act) */
SEC("tp_btf/xdp_exception")
int tb_xdp_exception(__u64 *ctx)
{
	xdp_event((void *)ARG(0), PP_XDP_EXCEPTION, (__s32)ARG(2), 1, 1);
	return 0;
}

SEC("raw_tp/xdp_exception")
int rt_xdp_exception(struct bpf_raw_tracepoint_args *ctx)
{
	xdp_event((void *)ctx->args[0], PP_XDP_EXCEPTION, (__s32)ctx->args[2], 1, 1);
	return 0;
}

/* xdp_redirect_err(dev, prog, tgt, err, map_type, map_id, index) */
SEC("tp_btf/xdp_redirect_err")
int tb_xdp_redirect_err(__u64 *ctx)
{
	xdp_event((void *)ARG(0), PP_XDP_REDIRECT_ERR, (__s32)ARG(3), 1, 1);
	return 0;
}

SEC("raw_tp/xdp_redirect_err")
int rt_xdp_redirect_err(struct bpf_raw_tracepoint_args *ctx)
{
	xdp_event((void *)ctx->args[0], PP_XDP_REDIRECT_ERR, (__s32)ctx->args[3], 1, 1);
	return 0;
}

/*
 * xdp_devmap_xmit(from_dev, to_dev, sent, drops, err) fires on every bulk
 * flush (up to 16 frames) of every redirect: only flushes that dropped
 * frames (their buffers go back to their pool, or are freed) are recorded,
 * so that a healthy redirect path pays one compare per flush.
 */
static __always_inline int on_devmap_xmit(__u64 from, __u64 to, int sent, int drops,
					  int err)
{
	struct net_device *to_dev = (void *)to;

	if (drops <= 0 && !err)
		return 0;
	xdp_event((void *)from, PP_XDP_DEVMAP_XMIT, BPF_CORE_READ(to_dev, ifindex),
		  sent > 0 ? sent : 0, drops > 0 ? drops : 0);
	return 0;
}

SEC("tp_btf/xdp_devmap_xmit")
int tb_xdp_devmap_xmit(__u64 *ctx)
{
	return on_devmap_xmit(ARG(0), ARG(1), (int)ARG(2), (int)ARG(3), (int)ARG(4));
}

SEC("raw_tp/xdp_devmap_xmit")
int rt_xdp_devmap_xmit(struct bpf_raw_tracepoint_args *ctx)
{
	return on_devmap_xmit(ctx->args[0], ctx->args[1], (int)ctx->args[2],
			      (int)ctx->args[3], (int)ctx->args[4]);
}

/* cpumap events fire per bulk: recorded only when frames were dropped. */
static __always_inline int on_cpumap(__u32 type, __s32 code, __u32 processed,
				     __u32 drops)
{
	if (drops)
		xdp_event(NULL, type, code, processed, drops);
	return 0;
}

/* xdp_cpumap_enqueue(map_id, processed, drops, to_cpu) */
SEC("tp_btf/xdp_cpumap_enqueue")
int tb_xdp_cpumap_enqueue(__u64 *ctx)
{
	return on_cpumap(PP_XDP_CPUMAP_ENQUEUE, (__s32)ARG(3), (__u32)ARG(1),
			 (__u32)ARG(2));
}

SEC("raw_tp/xdp_cpumap_enqueue")
int rt_xdp_cpumap_enqueue(struct bpf_raw_tracepoint_args *ctx)
{
	return on_cpumap(PP_XDP_CPUMAP_ENQUEUE, (__s32)ctx->args[3],
			 (__u32)ctx->args[1], (__u32)ctx->args[2]);
}

/* xdp_cpumap_kthread(map_id, processed, drops, sched, stats) */
SEC("tp_btf/xdp_cpumap_kthread")
int tb_xdp_cpumap_kthread(__u64 *ctx)
{
	return on_cpumap(PP_XDP_CPUMAP_KTHREAD, (__s32)ARG(0), (__u32)ARG(1),
			 (__u32)ARG(2));
}

SEC("raw_tp/xdp_cpumap_kthread")
int rt_xdp_cpumap_kthread(struct bpf_raw_tracepoint_args *ctx)
{
	return on_cpumap(PP_XDP_CPUMAP_KTHREAD, (__s32)ctx->args[0],
			 (__u32)ctx->args[1], (__u32)ctx->args[2]);
}

/* mem_connect(xa, rxq), mem_disconnect(xa) */
SEC("tp_btf/mem_connect")
int tb_mem_connect(__u64 *ctx)
{
	return on_mem_connect((void *)ARG(0), (void *)ARG(1));
}

SEC("raw_tp/mem_connect")
int rt_mem_connect(struct bpf_raw_tracepoint_args *ctx)
{
	return on_mem_connect((void *)ctx->args[0], (void *)ctx->args[1]);
}

SEC("tp_btf/mem_disconnect")
int tb_mem_disconnect(__u64 *ctx)
{
	return on_mem_disconnect((void *)ARG(0));
}

SEC("raw_tp/mem_disconnect")
int rt_mem_disconnect(struct bpf_raw_tracepoint_args *ctx)
{
	return on_mem_disconnect((void *)ctx->args[0]);
}

/*
 * Fast path, only where fexit loads (not on kernels that refuse it with
 * EPERM): every buffer handed out, recycled or not. The loader sets the
 * attach target to page_pool_alloc_netmems (6.12+) or page_pool_alloc_pages
 * (6.1) before load.
 */
SEC("fexit/page_pool_alloc_netmems")
int BPF_PROG(fx_page_pool_alloc, struct page_pool *pool, gfp_t gfp, __u64 ret)
{
	__u64 key = (__u64)pool;
	struct pp_fast *f, init = { .allocs = 1 };

	if (!ret)
		return 0;
	f = bpf_map_lookup_elem(&fast, &key);
	if (f)
		f->allocs++;
	else
		bpf_map_update_elem(&fast, &key, &init, BPF_NOEXIST);
	return 0;
}

/*
 * ppnic's own tracepoints (kernel-mod/ppnic_trace.h): one per buffer posted
 * to an RX ring and one per page the driver recycles or hands on. They fire
 * per packet, so the handlers touch only this CPU's slot; the shared pool
 * record is written once, when the pool is first seen here. The module
 * carries no BTF (Debian's headers ship no vmlinux): raw_tp only. Not
 * attached by `ppxdp trace start`: a link on a module tracepoint holds a
 * reference on the module (rmmod fails with EBUSY while it exists), so
 * `ppxdp stats` attaches these programs for as long as it runs.
 *
 *   ppnic_refill(dev, queue, pool, page, source, pages)
 *   ppnic_recycle(dev, queue, pool, page, how)
 */
#include "../kernel-mod/ppnic_events.h"

static __always_inline struct pp_drv *drv_get(struct net_device *dev, __u32 queue,
					      __u64 pool)
{
	struct pp_drv *d, init = {};
	struct pp_pool *v;

	d = bpf_map_lookup_elem(&drv, &pool);
	if (d)
		return d;
	/* First event of this pool: tie it to the device the driver names. */
	v = pool_get(pool, bpf_ktime_get_ns());
	if (v && v->attr == PP_ATTR_NONE && attr_netdev(v, dev, PP_ATTR_DRIVER))
		v->queue = queue;
	bpf_map_update_elem(&drv, &pool, &init, BPF_NOEXIST);
	return bpf_map_lookup_elem(&drv, &pool);
}

SEC("raw_tp/ppnic_refill")
int rt_ppnic_refill(struct bpf_raw_tracepoint_args *ctx)
{
	/* every argument read up front: no derived ctx pointers */
	__u64 dev = ctx->args[0], queue = ctx->args[1], pool = ctx->args[2];
	__u32 source = ctx->args[4], pages = ctx->args[5];
	struct pp_drv *d;

	barrier_var(source);
	barrier_var(pages);
	d = drv_get((void *)dev, queue, pool);
	if (!d)
		return 0;
	switch (source) {
	case PPNIC_ALLOC_FAST:
		d->alloc_fast++;
		break;
	case PPNIC_ALLOC_RING:
		d->alloc_ring++;
		d->ring_pages += pages;
		break;
	case PPNIC_ALLOC_SLOW:
		d->alloc_slow++;
		d->slow_pages += pages;
		break;
	default:
		d->alloc_fail++;
		break;
	}
	return 0;
}

SEC("raw_tp/ppnic_recycle")
int rt_ppnic_recycle(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 dev = ctx->args[0], queue = ctx->args[1], pool = ctx->args[2];
	__u32 how = ctx->args[4];
	struct pp_drv *d;

	barrier_var(how);
	d = drv_get((void *)dev, queue, pool);
	if (!d)
		return 0;
	switch (how) {
	case PPNIC_RECYCLE_CACHED:
		d->recycle_cached++;
		break;
	case PPNIC_RECYCLE_RING:
		d->recycle_ring++;
		break;
	case PPNIC_RECYCLE_RELEASED:
		d->recycle_released++;
		break;
	case PPNIC_RECYCLE_SKB:
		d->skb_pages++;
		break;
	case PPNIC_RECYCLE_REDIRECT:
		d->redirect_pages++;
		break;
	case PPNIC_RECYCLE_HOLD:
		d->held++;
		break;
	case PPNIC_RECYCLE_UNHOLD:
		d->unheld++;
		break;
	}
	return 0;
}
