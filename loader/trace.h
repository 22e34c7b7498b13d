/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page_pool tracing session (bpf/pp_trace.bpf.c) as the loader sees it:
 * either the pinned one under /sys/fs/bpf/ppxdp/trace/ (`ppxdp trace
 * start`), or a private one that lives as long as the command using it
 * (`ppxdp stats` / `ppxdp leaks` when nothing is pinned).
 */
#ifndef PPXDP_TRACE_H
#define PPXDP_TRACE_H

#include <stdbool.h>
#include <linux/types.h>
#include "pp_trace.h"

#define PPXDP_TRACE_DIR PPXDP_PIN_ROOT "/trace"

struct pp_trace;
struct bpf_link;

struct trace_session {
	struct pp_trace *skel; /* loaded here, NULL when opened from pins */
	struct bpf_link *links[PP_EV_MAX];
	bool pinned;
	int pools_fd;
	int gone_fd;
	int xdp_events_fd;
	int pages_fd;
	int fast_fd;
	int info_fd;
	int ctrs_fd;
	int drv_fd;
	/* ppnic tracepoint programs and the links this command made */
	int drv_prog_fd[2];
	int drv_link_fd[2];
	int drv_lock_fd; /* flock on the pin dir: one attacher at a time */
	struct pp_trace_info info;
};

struct trace_config {
	__u32 max_pools;   /* pools map size */
	__u32 track_pages; /* 0: off, else size of the pages map */
	bool bulk_events;  /* attach the per-bulk xdp tracepoints too */
};

/* Load and attach (not pinned). Reports errors itself. */
int trace_session_start(struct trace_session *ts, const struct trace_config *cfg);
/* Open the pinned session; -ENOENT (silently) when there is none. */
int trace_session_open_pinned(struct trace_session *ts);
/* Pinned session if any, else a private one with cfg. */
int trace_session_get(struct trace_session *ts, const struct trace_config *cfg);
void trace_session_close(struct trace_session *ts);
int trace_info_read(struct trace_session *ts);

/*
 * Attach the ppnic tracepoint programs for the life of the session, if the
 * module is loaded and nobody else attached them. Cheap when already done;
 * call again to pick up a module loaded later. Returns true when attached
 * (by this command) and sets info.src[PP_EV_PPNIC_*].
 */
bool trace_driver_attach(struct trace_session *ts);

const char *pp_src_name(__u32 src);
const char *pp_event_name(__u32 ev);
const char *pp_attr_name(__u32 attr);
const char *pp_xdp_ev_name(__u32 type);

/* The kernel's BTF describes tracepoint TP (btf_trace_TP): a tp_btf
 * program can attach to it. */
bool trace_have_tp_btf(const char *tp);

/* "tp_btf" when every present page_pool event uses it, else "mixed". */
const char *trace_source_summary(const struct pp_trace_info *info);

#endif /* PPXDP_TRACE_H */
