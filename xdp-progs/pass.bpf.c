// SPDX-License-Identifier: GPL-2.0
/* Pass every frame to the stack; count it in pass_stats. */
#include "xdp_common.h"

PPXDP_XDP_MAPS(pass);

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return ppxdp_count(ppxdp_stats(&pass_stats), XDP_PASS,
			   ppxdp_frame_len(ctx));
}

char LICENSE[] SEC("license") = "GPL";
