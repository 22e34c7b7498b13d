// SPDX-License-Identifier: GPL-2.0
/*
 * Bounce every frame back out of the interface it came in on, with source
 * and destination MAC swapped. Frames too short to hold an Ethernet header
 * get default_action and count as malformed.
 */
#include "xdp_common.h"

const volatile __u32 default_action = XDP_PASS;

PPXDP_XDP_MAPS(tx);

SEC("xdp")
int xdp_tx(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ppxdp_xdp_stats *s = ppxdp_stats(&tx_stats);
	__u64 bytes = data_end - data;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end) {
		if (s)
			ppxdp_ctr_add(&s->malformed, bytes);
		return ppxdp_count(s, ppxdp_fallback(ctx,
				ppxdp_safe_action(default_action)), bytes);
	}

	ppxdp_swap_macs(eth);
	return ppxdp_count(s, XDP_TX, bytes);
}

char LICENSE[] SEC("license") = "GPL";
