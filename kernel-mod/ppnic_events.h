/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Values carried by the ppnic tracepoints (see ppnic_trace.h). Plain C with
 * no kernel types, so that BPF programs attaching to the tracepoints with
 * raw_tp can include it.
 *
 *   ppnic:ppnic_refill   (dev, queue, pool, page, source, pages)
 *   ppnic:ppnic_recycle  (dev, queue, pool, page, how)
 */
#ifndef _PPNIC_EVENTS_H
#define _PPNIC_EVENTS_H

/* Where page_pool found the page posted to the RX ring. */
enum ppnic_alloc_source {
	PPNIC_ALLOC_FAST = 0,	/* pool's lockless alloc cache */
	PPNIC_ALLOC_RING = 1,	/* cache empty: refilled from the ptr_ring */
	PPNIC_ALLOC_SLOW = 2,	/* taken from the page allocator */
	PPNIC_ALLOC_FAIL = 3,	/* no page (or injected failure) */
};

/* What the driver did with a page it owned. */
enum ppnic_recycle_how {
	PPNIC_RECYCLE_CACHED = 0,   /* direct recycle into the alloc cache */
	PPNIC_RECYCLE_RING = 1,	    /* direct recycle, cache full: ptr_ring */
	PPNIC_RECYCLE_RELEASED = 2, /* cache and ring full: page freed */
	PPNIC_RECYCLE_SKB = 3,	    /* handed to the stack, marked for recycle */
	PPNIC_RECYCLE_REDIRECT = 4, /* handed to another device (XDP_REDIRECT) */
	PPNIC_RECYCLE_HOLD = 5,	    /* taken by the pp_hold debugfs knob */
	PPNIC_RECYCLE_UNHOLD = 6,   /* given back by the pp_hold knob */
};

#endif /* _PPNIC_EVENTS_H */
