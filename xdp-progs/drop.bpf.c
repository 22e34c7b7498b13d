// SPDX-License-Identifier: GPL-2.0
/* Drop every frame; count it in drop_stats. */
#include "xdp_common.h"

PPXDP_XDP_MAPS(drop);

SEC("xdp")
int xdp_drop(struct xdp_md *ctx)
{
	return ppxdp_count(ppxdp_stats(&drop_stats), XDP_DROP,
			   ppxdp_frame_len(ctx));
}

char LICENSE[] SEC("license") = "GPL";
