// SPDX-License-Identifier: GPL-2.0
/*
 * ppxdp gen: the XDP program BPF_PROG_RUN runs in live-frames mode
 * (BPF_F_TEST_XDP_LIVE_FRAMES), redirecting every frame out of gen_ifindex,
 * plus two tracepoint programs that count the frames per bulk as the
 * target takes or refuses them (bpf/gen.h): with one flow of synthetic
 * frames the XDP program keeps no state at all.
 *
 * Live frames come from a page_pool created per BPF_PROG_RUN call. The
 * kernel copies data_in into a page only when the pool takes a *new* page
 * from the page allocator (the pool's init_callback,
 * xdp_test_run_init_page()); a recycled page gets its xdp_buff/xdp_frame
 * pointers reset (reset_ctx()) but keeps whatever bytes it holds. Those
 * bytes may have been written by this program on an earlier repetition or
 * by whoever received the frame (a forwarder decrementing the TTL, an
 * XDP_TX program swapping MACs) before the page came back to the pool.
 * So the program never modifies the frame relative to its current content:
 * it rewrites the whole L2-L4 header from the template in .rodata and
 * computes the per-flow port and checksum from template values; --pcap
 * frames are copied in full from the gen_frames map.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "gen.h"

const volatile __u32 gen_ifindex;
const volatile __u32 gen_tgid;
/* Header template of synthetic frames (unused with --pcap). */
const volatile __u32 gen_hdr_len;
const volatile __u64 gen_hdr[GEN_HDR_WORDS];
const volatile __u64 gen_hdr_tail; /* the 8 bytes ending at gen_hdr_len */
/* Flows: source port gen_sport + i for i in [0, gen_nr_flows). */
const volatile __u32 gen_nr_flows = 1;
const volatile __u32 gen_sport_off;
const volatile __u32 gen_csum_off;
const volatile __u16 gen_sport_be;	/* template source port, as stored */
const volatile __u16 gen_csum_be;	/* template L4 checksum, as stored */
const volatile __u16 gen_sport;		/* template source port, host order */
const volatile __u32 gen_udp;
/* --pcap: number of frames in gen_frames and its value size. */
const volatile __u32 gen_pcap_nr;
const volatile __u32 gen_pcap_slot;
/* The program counts every frame: the tracepoints below are not attached. */
const volatile __u32 gen_count_frames;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gen_stats);
} gen_stats SEC(".maps");

/* Set by the loader once gen_xdp is loaded. */
__u32 gen_prog_id;

/* --pcap frames; the loader sets max_entries and value_size. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, GEN_SLOT_HDR + 8);
} gen_frames SEC(".maps");

static __always_inline struct gen_stats *gen_stats_get(void)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(&gen_stats, &key);
}

/* The first n words of the template, n a compile-time constant. */
static __always_inline void gen_copy_words(__u64 *w, const int n)
{
	int i;

#pragma unroll
	for (i = 0; i < GEN_HDR_WORDS; i++)
		if (i < n)
			w[i] = gen_hdr[i];
}

/*
 * Copy the header template over the frame, 8 bytes at a time; the last
 * word ends exactly at the header's end and may overlap the one before it.
 *
 * Per frame, so the shape matters: gen_hdr_len is a constant the verifier
 * knows (frozen .rodata), and each case below is a straight line of its
 * own, so the verifier explores one case and removes the others and the
 * compares that lead to them (a loop with a length test per word would
 * keep every test: their common exit is reachable). The length is read
 * once, as every read of a const volatile is a load.
 */
static __always_inline int gen_put_header(void *data, void *end, __u32 len)
{
	__u64 *w = data;

	if (len < 8 || len > GEN_HDR_MAX || data + len > end)
		return -1;
	switch (len / 8) {
	case 1: gen_copy_words(w, 1); break;
	case 2: gen_copy_words(w, 2); break;
	case 3: gen_copy_words(w, 3); break;
	case 4: gen_copy_words(w, 4); break;
	case 5: gen_copy_words(w, 5); break;
	case 6: gen_copy_words(w, 6); break;
	case 7: gen_copy_words(w, 7); break;
	case 8: gen_copy_words(w, 8); break;
	case 9: gen_copy_words(w, 9); break;
	case 10: gen_copy_words(w, 10); break;
	}
	if (len % 8)
		*(__u64 *)(data + len - 8) = gen_hdr_tail;
	return 0;
}

static __always_inline int gen_put_flow(void *data, void *end,
					struct gen_stats *st)
{
	__u16 *port = data + gen_sport_off;
	__u16 *check = data + gen_csum_off;
	__u32 flow = st->cursor;
	__u16 new_port;

	if ((void *)(port + 1) > end || (void *)(check + 1) > end)
		return -1;
	st->cursor = flow + 1 >= gen_nr_flows ? 0 : flow + 1;
	new_port = bpf_htons((__u16)(gen_sport + flow));
	*port = new_port;
	*check = gen_csum_replace16(gen_csum_be, gen_sport_be, new_port,
				    gen_udp);
	return 0;
}

/* --pcap: make the live frame a copy of capture frame st->cursor. */
static __always_inline int gen_put_pcap_frame(struct xdp_md *ctx,
					      struct gen_stats *st)
{
	__u32 i = st->cursor, len, cur;
	struct gen_slot *slot;

	st->cursor = i + 1 >= gen_pcap_nr ? 0 : i + 1;
	slot = bpf_map_lookup_elem(&gen_frames, &i);
	if (!slot)
		return -1;
	len = slot->len;
	if (len < 14 || len > gen_pcap_slot - GEN_SLOT_HDR)
		return -1;
	cur = ctx->data_end - ctx->data;
	if (len != cur && bpf_xdp_adjust_tail(ctx, (int)len - (int)cur))
		return -1;
	return bpf_xdp_store_bytes(ctx, 0, (void *)slot + GEN_SLOT_HDR, len);
}

SEC("xdp")
int gen_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	__u32 hdr_len = gen_hdr_len, pcap_nr = gen_pcap_nr;
	struct gen_stats *st;

	if (!pcap_nr && hdr_len && gen_put_header(data, end, hdr_len))
		goto bad;
	/* One flow of synthetic frames, counted by the tracepoints: no state. */
	if (!pcap_nr && gen_nr_flows <= 1 && !gen_count_frames)
		return bpf_redirect(gen_ifindex, 0);

	st = gen_stats_get();
	if (!st)
		return XDP_DROP;
	if (pcap_nr ? gen_put_pcap_frame(ctx, st) :
		      gen_nr_flows > 1 && gen_put_flow(data, end, st))
		goto bad;
	if (gen_count_frames)
		st->frames++;
	return bpf_redirect(gen_ifindex, 0);
bad:
	st = gen_stats_get();
	if (st)
		st->bad++;
	return XDP_DROP;
}

/*
 * Every bulk of our frames the target's ndo_xdp_xmit was given: how many
 * it took and how many it refused (a full ring: err 0; veth without NAPI
 * on the peer: -ENXIO). The flush runs in our BPF_PROG_RUN call, so the
 * current task identifies our frames, and live frames come from the
 * loopback device of the caller's namespace (ifindex 1); a NAPI poll that
 * happens to run in our task's softirq redirects from another device.
 * This runs once per flush of up to 16 frames on every redirect path of
 * the machine, so the cheap compares come first.
 */
static __always_inline int gen_count_bulk(int from_ifindex, int to_ifindex,
					  int sent, int drops, int err)
{
	struct gen_stats *st;

	if (to_ifindex != (int)gen_ifindex || from_ifindex != 1 ||
	    bpf_get_current_pid_tgid() >> 32 != gen_tgid)
		return 0;
	st = gen_stats_get();
	if (!st)
		return 0;
	if (sent > 0)
		st->xmit_sent += sent;
	if (drops > 0) {
		st->xmit_drops += drops;
		if (err)
			st->last_err = err;
	}
	return 0;
}

/*
 * xdp_devmap_xmit(from_dev, to_dev, sent, drops, err). tp_btf where the
 * kernel's BTF has the tracepoint (typed arguments: the ifindex loads are
 * plain loads), raw_tp otherwise (CO-RE reads through a helper); the
 * loader keeps one. Not a classic tracepoint: it would fill a trace event
 * record for every flush.
 */
SEC("tp_btf/xdp_devmap_xmit")
int BPF_PROG(gen_devmap_xmit, const struct net_device *from,
	     const struct net_device *to, int sent, int drops, int err)
{
	return gen_count_bulk(from->ifindex, to->ifindex, sent, drops, err);
}

SEC("raw_tp/xdp_devmap_xmit")
int gen_devmap_xmit_raw(struct bpf_raw_tracepoint_args *ctx)
{
	struct net_device *from = (void *)ctx->args[0];
	struct net_device *to = (void *)ctx->args[1];

	return gen_count_bulk(BPF_CORE_READ(from, ifindex),
			      BPF_CORE_READ(to, ifindex), (int)ctx->args[2],
			      (int)ctx->args[3], (int)ctx->args[4]);
}

/* Redirects of gen_xdp refused before the device: -EOPNOTSUPP (no
 * ndo_xdp_xmit), -ENETDOWN, -EMSGSIZE (frame over MTU), -EINVAL (no such
 * ifindex).
 *
 *   xdp_redirect_err(dev, xdp_prog, tgt, err, ...)
 */
SEC("raw_tp/xdp_redirect_err")
int gen_redirect_err(struct bpf_raw_tracepoint_args *ctx)
{
	struct bpf_prog *prog = (void *)ctx->args[1];
	int err = (int)ctx->args[3];
	struct gen_stats *st;

	if (!gen_prog_id || BPF_CORE_READ(prog, aux, id) != gen_prog_id)
		return 0;
	st = gen_stats_get();
	if (!st)
		return 0;
	st->redirect_errs++;
	st->last_err = err;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
