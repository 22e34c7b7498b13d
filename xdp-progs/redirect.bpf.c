// SPDX-License-Identifier: GPL-2.0
/*
 * L2 wire: send every frame out of another port, unchanged. How is set by
 * rodata redirect_mode (bpf/redirect.h), one of:
 *
 *  devmap     the port paired with the ingress port in redirect_ports
 *             (ingress ifindex -> egress), like the kernel's
 *             xdp_redirect_map sample. The default, and what
 *             `ip link set dev X xdp obj redirect.bpf.o sec xdp` runs;
 *  ifindex    bpf_redirect() to rodata redirect_ifindex: no map at all;
 *  broadcast  a copy to every port of redirect_group (BPF_F_BROADCAST), the
 *             ingress port excluded with rodata exclude_ingress;
 *  cpumap     to the CPU rodata redirect_cpu through redirect_cpus, whose
 *             entry runs xdp_redirect_cpu (below) on that CPU.
 *
 * A frame that cannot be redirected (no entry for its ingress port: never
 * set, or removed by the kernel when the egress device went away) gets
 * default_action and counts as redirect_err (XDP_TX sends it back with the
 * MACs swapped). Errors after the program returned (egress down, frame
 * over its MTU, a full queue) are the kernel's: the xdp tracepoints count
 * them (ppxdp stats).
 */
#include "xdp_common.h"
#include "redirect.h"

const volatile __u32 default_action = XDP_PASS;
const volatile __u32 redirect_mode = REDIRECT_MODE_DEVMAP;
const volatile __u32 redirect_ifindex;
const volatile __u32 redirect_cpu;
const volatile bool exclude_ingress;
const volatile __u32 cpu_action = REDIRECT_CPU_PASS;

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} redirect_ports SEC(".maps");

/* Broadcast group, keyed by ifindex. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, REDIRECT_MAX_GROUP);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} redirect_group SEC(".maps");

/* Keyed by CPU; the loader sizes it to the possible CPUs. */
struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, REDIRECT_MAX_CPUS);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} redirect_cpus SEC(".maps");

/*
 * The actions of xdp_redirect_cpu, apart from redirect_stats so that every
 * frame still counts under exactly one action per program.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ppxdp_xdp_stats);
} cpumap_stats SEC(".maps");

PPXDP_XDP_MAPS(redirect);

SEC("xdp")
int xdp_redirect(struct xdp_md *ctx)
{
	struct ppxdp_xdp_stats *s = ppxdp_stats(&redirect_stats);
	__u64 bytes = ppxdp_frame_len(ctx);
	__u32 def = ppxdp_safe_action(default_action);
	__u64 flags;
	__u32 act;

	/* On a lookup miss the low bits of flags are the return value. */
	switch (redirect_mode) {
	case REDIRECT_MODE_IFINDEX:
		act = redirect_ifindex ? bpf_redirect(redirect_ifindex, 0) : def;
		break;
	case REDIRECT_MODE_BROADCAST:
		flags = BPF_F_BROADCAST;
		if (exclude_ingress)
			flags |= BPF_F_EXCLUDE_INGRESS;
		act = bpf_redirect_map(&redirect_group, 0, flags);
		break;
	case REDIRECT_MODE_CPUMAP:
		act = bpf_redirect_map(&redirect_cpus, redirect_cpu, def);
		break;
	default:
		act = bpf_redirect_map(&redirect_ports, ctx->ingress_ifindex,
				       def);
		break;
	}
	if (act != XDP_REDIRECT) {
		if (s)
			ppxdp_ctr_add(&s->redirect_err, bytes);
		act = ppxdp_fallback(ctx, act);
	}
	return ppxdp_count(s, act, bytes);
}

/*
 * The cpumap entry program, run by the cpumap kthread of redirect_cpu on
 * every frame xdp_redirect queued there (ctx->ingress_ifindex is still
 * the port the frame came in on). A cpumap program cannot XDP_TX: a
 * default_action of tx passes the frame to the stack here.
 */
SEC("xdp/cpumap")
int xdp_redirect_cpu(struct xdp_md *ctx)
{
	struct ppxdp_xdp_stats *s = ppxdp_stats(&cpumap_stats);
	__u64 bytes = ppxdp_frame_len(ctx);
	__u32 def = ppxdp_safe_action(default_action), act;

	if (cpu_action != REDIRECT_CPU_REDIRECT)
		return ppxdp_count(s, XDP_PASS, bytes);

	if (def == XDP_TX)
		def = XDP_PASS;
	act = bpf_redirect_map(&redirect_ports, ctx->ingress_ifindex, def);
	if (act != XDP_REDIRECT && s)
		ppxdp_ctr_add(&s->redirect_err, bytes);
	return ppxdp_count(s, act, bytes);
}

char LICENSE[] SEC("license") = "GPL";
