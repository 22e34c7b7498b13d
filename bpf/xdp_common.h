/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * BPF-side helpers shared by the programs in xdp-progs/: the two maps every
 * program carries, and per-action counting into struct ppxdp_xdp_stats.
 *
 * Include once per program, after nothing else: it pulls in vmlinux.h and
 * the libbpf helper headers.
 */
#ifndef PPXDP_XDP_COMMON_H
#define PPXDP_XDP_COMMON_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "xdp_stats.h"
#include "parse.h"

/*
 * PPXDP_XDP_MAPS(drop) declares:
 *  - drop_stats: the per-CPU action counters, pinned by name so that
 *    `ip link set dev X xdp obj drop.bpf.o` exposes them under
 *    /sys/fs/bpf/tc/globals/drop_stats;
 *  - ppxdp_info: attach metadata written and pinned by the ppxdp loader.
 *    The program never reads it; being a global in .maps is enough for
 *    libbpf to create it.
 */
#define PPXDP_XDP_MAPS(name)						\
struct {								\
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);			\
	__uint(max_entries, 1);						\
	__type(key, __u32);						\
	__type(value, struct ppxdp_xdp_stats);				\
	__uint(pinning, LIBBPF_PIN_BY_NAME);				\
} name##_stats SEC(".maps");						\
									\
struct {								\
	__uint(type, BPF_MAP_TYPE_ARRAY);				\
	__uint(max_entries, 1);						\
	__type(key, __u32);						\
	__type(value, struct ppxdp_attach_info);			\
} ppxdp_info SEC(".maps")

static __always_inline __u64 ppxdp_frame_len(const struct xdp_md *ctx)
{
	return (__u64)ctx->data_end - ctx->data;
}

static __always_inline struct ppxdp_xdp_stats *ppxdp_stats(void *stats_map)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(stats_map, &key);
}

static __always_inline void ppxdp_ctr_add(struct ppxdp_ctr *c, __u64 bytes)
{
	c->packets++;
	c->bytes += bytes;
}

/*
 * Account a frame under the action it gets and return that action, so a
 * program can end with `return ppxdp_count(...)`. Actions outside
 * XDP_ABORTED..XDP_REDIRECT cannot happen (every action comes from
 * ppxdp_safe_action() or a helper), but the verifier wants the index bounded.
 */
static __always_inline __u32 ppxdp_count(struct ppxdp_xdp_stats *s,
					 __u32 action, __u64 bytes)
{
	/*
	 * Keep clang from folding the bound check into an earlier one on a
	 * copy of action: older verifiers (6.1) would not see the bound.
	 */
	barrier_var(action);
	if (s && action < PPXDP_NR_ACTIONS)
		ppxdp_ctr_add(&s->aborted + action, bytes);
	return action;
}

/*
 * A user-supplied fallback action (rodata default_action, nonip_action):
 * XDP_DROP, XDP_PASS or XDP_TX; anything else (XDP_ABORTED, XDP_REDIRECT
 * without a target, garbage) becomes XDP_PASS so that no frame is ever
 * aborted. These are also the only values bpf_redirect_map() accepts in
 * the low bits of its flags.
 */
static __always_inline __u32 ppxdp_safe_action(__u32 action)
{
	if (action == XDP_DROP || action == XDP_TX)
		return action;
	return XDP_PASS;
}

/*
 * Three 16-bit words each way: struct ethhdr is packed, so memcpy() of its
 * fields compiles to twelve byte loads and stores plus stack spills. Frame
 * data is at least 2-byte aligned (XDP_PACKET_HEADROOM, even NET_IP_ALIGN).
 */
static __always_inline void ppxdp_swap_macs(struct ethhdr *eth)
{
	__u16 *p = (__u16 *)eth;
	__u16 d0 = p[0], d1 = p[1], d2 = p[2];

	p[0] = p[3];
	p[1] = p[4];
	p[2] = p[5];
	p[3] = d0;
	p[4] = d1;
	p[5] = d2;
}

/*
 * Carry out a fallback action on the frame: XDP_TX always means "back to
 * the sender", so swap the MACs when the frame has an Ethernet header (a
 * runt goes back as it is). Returns action.
 */
static __always_inline __u32 ppxdp_fallback(struct xdp_md *ctx, __u32 action)
{
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = (void *)(long)ctx->data;

	if (action == XDP_TX && (void *)(eth + 1) <= data_end)
		ppxdp_swap_macs(eth);
	return action;
}

#endif /* PPXDP_XDP_COMMON_H */
