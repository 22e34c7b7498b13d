/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * Per-action XDP counters shared by every program in xdp-progs/ and by the
 * ppxdp loader. Plain __u64 types so the header is valid both in BPF (after
 * vmlinux.h) and in user space (after <linux/types.h>).
 *
 * Action counters are exclusive: every frame lands in exactly one of
 * aborted/drop/pass/tx/redirect, so their sum is the number of frames seen.
 * redirect_err and malformed are reason counters on top of that: a frame
 * whose redirect target was missing is counted in redirect_err *and* under
 * the fallback action it got; a frame that failed parsing is counted in
 * malformed *and* under the default action it got.
 */
#ifndef PPXDP_XDP_STATS_H
#define PPXDP_XDP_STATS_H

struct ppxdp_ctr {
	__u64 packets;
	__u64 bytes;
};

/* Field order follows enum xdp_action: (&s->aborted)[XDP_TX] is s->tx. */
struct ppxdp_xdp_stats {
	struct ppxdp_ctr aborted;
	struct ppxdp_ctr drop;
	struct ppxdp_ctr pass;
	struct ppxdp_ctr tx;
	struct ppxdp_ctr redirect;
	struct ppxdp_ctr redirect_err;
	struct ppxdp_ctr malformed;
};

#define PPXDP_NR_ACTIONS 5 /* XDP_ABORTED .. XDP_REDIRECT */

/* How a program was attached; written by the loader into the "info" map. */
enum ppxdp_attach_mode {
	PPXDP_MODE_NONE = 0,
	PPXDP_MODE_NATIVE = 1,
	PPXDP_MODE_GENERIC = 2,
};

struct ppxdp_attach_info {
	__u64 attach_time;   /* CLOCK_REALTIME, ns */
	__u64 netns_ino;     /* inode of the network namespace of ifindex */
	__u32 ifindex;
	__u32 mode;          /* enum ppxdp_attach_mode */
	__u32 target_ifindex; /* redirect --to, 0 if none */
	__u32 default_action; /* XDP action for unmatched/malformed/fallback */
	char prog[16];
	char ifname[16];
};

#endif /* PPXDP_XDP_STATS_H */
