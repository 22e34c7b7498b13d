/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * Configuration of the redirect program (xdp-progs/redirect.bpf.c), shared
 * with the loader. The values live in the program's .rodata, so the
 * verifier prunes every mode but the configured one: the per-packet path is
 * one helper call and the counters.
 */
#ifndef PPXDP_REDIRECT_H
#define PPXDP_REDIRECT_H

/* rodata redirect_mode: how a frame leaves (ppxdp attach --via). */
enum redirect_mode {
	/* bpf_redirect_map(&redirect_ports, ingress ifindex): the default */
	REDIRECT_MODE_DEVMAP = 0,
	/* bpf_redirect(rodata redirect_ifindex, 0): no map */
	REDIRECT_MODE_IFINDEX = 1,
	/* bpf_redirect_map(&redirect_group, 0, BPF_F_BROADCAST [| EXCLUDE]) */
	REDIRECT_MODE_BROADCAST = 2,
	/* bpf_redirect_map(&redirect_cpus, rodata redirect_cpu) */
	REDIRECT_MODE_CPUMAP = 3,
};

/* rodata cpu_action: what the cpumap program does on the remote CPU. */
enum redirect_cpu_action {
	REDIRECT_CPU_PASS = 0,     /* XDP_PASS: build an skb, up the stack */
	REDIRECT_CPU_REDIRECT = 1, /* second stage: redirect_ports[ingress] */
};

#define REDIRECT_MAX_GROUP 64   /* ports of a broadcast group */
#define REDIRECT_MAX_CPUS 256   /* redirect_cpus before the loader resizes it */
#define REDIRECT_QSIZE_DEFAULT 2048
#define REDIRECT_QSIZE_MAX 16384 /* the kernel's limit (cpu_map_update_elem) */

#endif /* PPXDP_REDIRECT_H */
