/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ppnic tracepoints: one per page posted to an RX ring (with where the
 * pool found it) and one per decision about a page the driver owned. BPF
 * attaches with raw_tp (Debian's headers carry no vmlinux, so the module
 * has no BTF for tp_btf); the values are in ppnic_events.h.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ppnic

#if !defined(_PPNIC_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _PPNIC_TRACE_H

#include <linux/netdevice.h>
#include <linux/tracepoint.h>

#include "ppnic_events.h"

#define ppnic_alloc_sources					\
	{ PPNIC_ALLOC_FAST,	"fast" },			\
	{ PPNIC_ALLOC_RING,	"ring" },			\
	{ PPNIC_ALLOC_SLOW,	"slow" },			\
	{ PPNIC_ALLOC_FAIL,	"fail" }

#define ppnic_recycle_hows					\
	{ PPNIC_RECYCLE_CACHED,		"cached" },		\
	{ PPNIC_RECYCLE_RING,		"ring" },		\
	{ PPNIC_RECYCLE_RELEASED,	"released" },		\
	{ PPNIC_RECYCLE_SKB,		"skb" },		\
	{ PPNIC_RECYCLE_REDIRECT,	"redirect" },		\
	{ PPNIC_RECYCLE_HOLD,		"hold" },		\
	{ PPNIC_RECYCLE_UNHOLD,		"unhold" }

TRACE_EVENT(ppnic_refill,
	TP_PROTO(const struct net_device *dev, u32 queue, const void *pool,
		 const void *page, u32 source, u32 pages),
	TP_ARGS(dev, queue, pool, page, source, pages),
	TP_STRUCT__entry(
		__field(int, ifindex)
		__field(u32, queue)
		__field(const void *, pool)
		__field(const void *, page)
		__field(u32, source)
		__field(u32, pages)
	),
	TP_fast_assign(
		__entry->ifindex = dev->ifindex;
		__entry->queue = queue;
		__entry->pool = pool;
		__entry->page = page;
		__entry->source = source;
		__entry->pages = pages;
	),
	TP_printk("ifindex=%d queue=%u pool=%p page=%p source=%s pages=%u",
		  __entry->ifindex, __entry->queue, __entry->pool, __entry->page,
		  __print_symbolic(__entry->source, ppnic_alloc_sources),
		  __entry->pages)
);

TRACE_EVENT(ppnic_recycle,
	TP_PROTO(const struct net_device *dev, u32 queue, const void *pool,
		 const void *page, u32 how),
	TP_ARGS(dev, queue, pool, page, how),
	TP_STRUCT__entry(
		__field(int, ifindex)
		__field(u32, queue)
		__field(const void *, pool)
		__field(const void *, page)
		__field(u32, how)
	),
	TP_fast_assign(
		__entry->ifindex = dev->ifindex;
		__entry->queue = queue;
		__entry->pool = pool;
		__entry->page = page;
		__entry->how = how;
	),
	TP_printk("ifindex=%d queue=%u pool=%p page=%p how=%s",
		  __entry->ifindex, __entry->queue, __entry->pool, __entry->page,
		  __print_symbolic(__entry->how, ppnic_recycle_hows))
);

#endif /* _PPNIC_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE ppnic_trace
#include <trace/define_trace.h>
