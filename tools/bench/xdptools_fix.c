// SPDX-License-Identifier: GPL-2.0
/*
 * xdptools-fix.so: an LD_PRELOAD library that lets Debian 12's xdp-tools
 * 1.3.1 run where it otherwise cannot, for the side-by-side comparisons of
 * `make bench` (tools/bench/xdptools.sh). The suite first runs each tool
 * as it is and preloads this only when the tool fails with one of the two
 * errors below; the report says when it did. Nothing here changes what the
 * tools measure:
 *
 * - xdp-trafficgen probes live-frames support with a 4-byte frame, which
 *   every kernel refuses (bpf_test_init(): shorter than ETH_HLEN, EINVAL),
 *   and then reports "Kernel doesn't support live packet mode". A live-
 *   frames test run with less than ETH_HLEN bytes is given a 64-byte frame
 *   (the probe's 4 bytes, zero padded). The probe runs xdp_drop once; the
 *   generator's own frames are 64 bytes or more and are left alone.
 *
 * - Their objects carry tp_btf programs for xdp:xdp_redirect_map and
 *   xdp:xdp_redirect_map_err, tracepoints newer kernels do not have, and
 *   libbpf fails the whole object (ESRCH). A tp_btf program whose
 *   tracepoint this kernel lacks is not loaded; the tools attach those
 *   programs only for statistics the comparison does not use. (A tool that
 *   attaches one still fails, visibly: "can't attach before loaded".)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define ETH_HLEN 14
#define PROBE_FRAME 64

static void *next_sym(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);

	if (!p) {
		fprintf(stderr, "xdptools-fix: no %s to wrap\n", name);
		abort();
	}
	return p;
}

int bpf_prog_test_run_opts(int prog_fd, struct bpf_test_run_opts *opts)
{
	static int (*real)(int, struct bpf_test_run_opts *);
	static __thread unsigned char frame[PROBE_FRAME];
	struct xdp_md *ctx;

	if (!real)
		real = next_sym("bpf_prog_test_run_opts");
	if (opts && (opts->flags & BPF_F_TEST_XDP_LIVE_FRAMES) &&
	    opts->data_in && opts->data_size_in < ETH_HLEN) {
		memset(frame, 0, sizeof(frame));
		memcpy(frame, opts->data_in, opts->data_size_in);
		opts->data_in = frame;
		opts->data_size_in = sizeof(frame);
		ctx = (struct xdp_md *)opts->ctx_in;
		if (ctx && opts->ctx_size_in >= sizeof(*ctx) &&
		    ctx->data_end < sizeof(frame))
			ctx->data_end = sizeof(frame);
	}
	return real(prog_fd, opts);
}

/* The kernel has tracepoint NAME if its BTF has btf_trace_NAME. */
static int have_tracepoint(const struct btf *vmlinux, const char *name)
{
	char type[128];

	if (snprintf(type, sizeof(type), "btf_trace_%s", name) >= (int)sizeof(type))
		return 1;
	return btf__find_by_name_kind(vmlinux, type, BTF_KIND_TYPEDEF) > 0;
}

int bpf_object__load(struct bpf_object *obj)
{
	static int (*real)(struct bpf_object *);
	struct bpf_program *prog;
	struct btf *vmlinux;
	const char *sec;

	if (!real)
		real = next_sym("bpf_object__load");
	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux)
		return real(obj);
	bpf_object__for_each_program(prog, obj) {
		sec = bpf_program__section_name(prog);
		if (!bpf_program__autoload(prog) || strncmp(sec, "tp_btf/", 7))
			continue;
		if (!have_tracepoint(vmlinux, sec + 7))
			bpf_program__set_autoload(prog, false);
	}
	btf__free(vmlinux);
	return real(obj);
}
