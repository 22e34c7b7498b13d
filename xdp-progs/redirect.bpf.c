// SPDX-License-Identifier: GPL-2.0
/*
 * L2 wire: send every frame out of the port paired with its ingress port in
 * redirect_ports (ingress ifindex -> egress), unchanged, like the kernel's
 * xdp_redirect_map sample. A port with no entry (never set, or removed by
 * the kernel when the egress device went away) gets default_action and
 * counts as redirect_err (XDP_TX sends it back with the MACs swapped).
 */
#include "xdp_common.h"

const volatile __u32 default_action = XDP_PASS;

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} redirect_ports SEC(".maps");

PPXDP_XDP_MAPS(redirect);

SEC("xdp")
int xdp_redirect(struct xdp_md *ctx)
{
	struct ppxdp_xdp_stats *s = ppxdp_stats(&redirect_stats);
	__u64 bytes = ppxdp_frame_len(ctx);
	__u32 act;

	/* On a lookup miss the low bits of flags are the return value. */
	act = bpf_redirect_map(&redirect_ports, ctx->ingress_ifindex,
			       ppxdp_safe_action(default_action));
	if (act != XDP_REDIRECT) {
		if (s)
			ppxdp_ctr_add(&s->redirect_err, bytes);
		act = ppxdp_fallback(ctx, act);
	}
	return ppxdp_count(s, act, bytes);
}

char LICENSE[] SEC("license") = "GPL";
