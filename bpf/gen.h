/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * ppxdp gen: state shared between bpf/gen.bpf.c and loader/gen.c, and the
 * incremental checksum update the BPF program applies per flow (also used
 * by the unit tests, so the tested code is the code that runs).
 *
 * Plain __u types: valid in BPF (after vmlinux.h) and in user space (after
 * <linux/types.h>).
 */
#ifndef PPXDP_GEN_H
#define PPXDP_GEN_H

/*
 * Largest frame BPF_PROG_RUN accepts in live-frames mode on 4 KiB pages:
 * the page minus XDP_PACKET_HEADROOM, struct xdp_page_head and
 * skb_shared_info (TEST_MAX_PKT_SIZE in net/bpf/test_run.c).
 */
#define GEN_MAX_FRAME 3408

/* Largest L2-L4 header the program rewrites: Ethernet + IPv6 + TCP. */
#define GEN_HDR_MAX 80
#define GEN_HDR_WORDS (GEN_HDR_MAX / 8)

/* Live-frames batch size (the kernel's default, NAPI_POLL_WEIGHT). */
#define GEN_BATCH 64

/*
 * Per-CPU counters (BPF_MAP_TYPE_PERCPU_ARRAY gen_stats, one entry).
 *
 * The frames are counted where the kernel reports them per bulk, not per
 * frame: xdp:xdp_devmap_xmit fires once per flush of up to 16 frames with
 * how many the device took and how many it refused, and
 * xdp:xdp_redirect_err once per frame refused before the device. Frames
 * handed to bpf_redirect() = xmit_sent + xmit_drops + redirect_errs. Only
 * when those tracepoints cannot be attached does the program count each
 * frame itself (gen_count_frames, frames), and refusals go uncounted.
 *
 * xmit_sent: frames the target device took in ndo_xdp_xmit;
 * xmit_drops: frames it refused (ring full, -ENXIO: veth peer without
 *   NAPI, ...);
 * redirect_errs: frames xdp_do_redirect_frame() refused before reaching
 *   the device, e.g. no ndo_xdp_xmit, device down, frame over MTU;
 * frames: frames handed to bpf_redirect(), with gen_count_frames only;
 * bad: frames the program itself dropped (bad --pcap slot);
 * last_err: last negative errno seen by either tracepoint;
 * cursor: the next flow, or the next --pcap frame, on this CPU.
 */
struct gen_stats {
	__u64 xmit_sent;
	__u64 xmit_drops;
	__u64 redirect_errs;
	__u64 frames;
	__u64 bad;
	__s32 last_err;
	__u32 cursor;
};

/*
 * --pcap replay: frame i of the capture is entry i of the array map
 * gen_frames, whose value size the loader sets to GEN_SLOT_HDR plus the
 * longest frame (rounded up to 8). The program copies the frame at this
 * CPU's cursor over the live frame with bpf_xdp_store_bytes(), so one
 * BPF_PROG_RUN call replays the whole capture in a loop.
 */
struct gen_slot {
	__u32 len;
	__u32 pad;
	/* __u8 data[len] follows */
};

#define GEN_SLOT_HDR 8

#ifndef GEN_INLINE
#ifdef __bpf__
#define GEN_INLINE static __always_inline
#else
#define GEN_INLINE static inline __attribute__((always_inline))
#endif
#endif

/* Fold a 32-bit one's complement sum to 16 bits. */
GEN_INLINE __u16 gen_csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

/*
 * Checksum after replacing one 16-bit word old by new (RFC 1624, eqn. 3:
 * HC' = ~(~HC + ~m + m')). Byte order does not matter as long as check,
 * old and new are all taken as stored in the packet. A UDP checksum of 0
 * means "none", so UDP sends the equivalent 0xffff instead.
 */
GEN_INLINE __u16 gen_csum_replace16(__u16 check, __u16 old, __u16 new_word,
				    int udp)
{
	__u32 sum = (__u16)~check;

	sum += (__u16)~old;
	sum += new_word;
	check = (__u16)~gen_csum_fold(sum);
	if (udp && check == 0)
		check = 0xffff;
	return check;
}

#endif /* PPXDP_GEN_H */
