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

/* Frames one --pcap pack can hold (see struct gen_pack). */
#define GEN_PACK_MAX 64

/* Live-frames batch size (the kernel's default, NAPI_POLL_WEIGHT). */
#define GEN_BATCH 64

/*
 * Per-CPU counters (BPF_MAP_TYPE_PERCPU_ARRAY gen_stats, one entry).
 * frames: frames the program handed to bpf_redirect();
 * xmit_drops: frames the target device refused in ndo_xdp_xmit
 *   (tracepoint xdp:xdp_devmap_xmit, our threads only);
 * redirect_errs: frames xdp_do_redirect_frame() refused before reaching
 *   the device, e.g. no ndo_xdp_xmit, device down, frame over MTU
 *   (tracepoint xdp:xdp_redirect_err, our program only);
 * bad: frames the program itself dropped (malformed pack slot);
 * last_err: last negative errno seen by either tracepoint;
 * flow: index of the next flow on this CPU.
 */
struct gen_stats {
	__u64 frames;
	__u64 xmit_drops;
	__u64 redirect_errs;
	__u64 bad;
	__s32 last_err;
	__u32 flow;
};

/*
 * --pcap replay: several captured frames are laid end to end in one
 * BPF_PROG_RUN input buffer (a "pack"); the program picks frame `cursor`
 * and trims the buffer to it with bpf_xdp_adjust_head/_tail. One slot per
 * CPU (BPF_MAP_TYPE_ARRAY gen_packs, key = CPU id), written by the thread
 * pinned to that CPU between its BPF_PROG_RUN calls.
 */
struct gen_pack_frame {
	__u16 off;
	__u16 len;
};

struct gen_pack {
	__u32 nr;
	__u32 cursor;
	struct gen_pack_frame frame[GEN_PACK_MAX];
};

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
