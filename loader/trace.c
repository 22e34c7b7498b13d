// SPDX-License-Identifier: GPL-2.0
/*
 * ppxdp trace start|stop|status: the page_pool tracing programs
 * (bpf/pp_trace.bpf.c) with pinned links and maps that outlive the CLI, so
 * that `bpftool map dump pinned /sys/fs/bpf/ppxdp/trace/pools` and other
 * tools can read them.
 *
 * Source of each event, best first: tp_btf (typed, direct), raw_tp (any
 * kernel with the tracepoint). fexit on page_pool_alloc_netmems/_pages adds
 * a per-pool allocation count where the kernel allows fexit; this host's
 * kernel refuses it with EPERM, and the session says so.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "main.h"
#include "options.h"
#include "pins.h"
#include "trace.h"
#include "pp_trace.skel.h"

/* One tracepoint: its handler programs are tb_<tp> and rt_<tp>. */
struct trace_event {
	enum pp_event ev;
	const char *tp;
	bool bulk; /* fires per bulk of frames on healthy paths too */
};

static const struct trace_event trace_events[] = {
	{ PP_EV_STATE_HOLD,	    "page_pool_state_hold", false },
	{ PP_EV_STATE_RELEASE,	    "page_pool_state_release", false },
	{ PP_EV_RELEASE,	    "page_pool_release", false },
	{ PP_EV_UPDATE_NID,	    "page_pool_update_nid", false },
	{ PP_EV_XDP_EXCEPTION,	    "xdp_exception", false },
	{ PP_EV_XDP_REDIRECT_ERR,   "xdp_redirect_err", false },
	{ PP_EV_XDP_DEVMAP_XMIT,    "xdp_devmap_xmit", true },
	{ PP_EV_XDP_CPUMAP_ENQUEUE, "xdp_cpumap_enqueue", true },
	{ PP_EV_XDP_CPUMAP_KTHREAD, "xdp_cpumap_kthread", true },
	{ PP_EV_MEM_CONNECT,	    "mem_connect", false },
	{ PP_EV_MEM_DISCONNECT,	    "mem_disconnect", false },
};

#define NR_TRACE_EVENTS (sizeof(trace_events) / sizeof(trace_events[0]))

static const char *const event_names[PP_EV_MAX] = {
	[PP_EV_STATE_HOLD] = "page_pool_state_hold",
	[PP_EV_STATE_RELEASE] = "page_pool_state_release",
	[PP_EV_RELEASE] = "page_pool_release",
	[PP_EV_UPDATE_NID] = "page_pool_update_nid",
	[PP_EV_XDP_EXCEPTION] = "xdp_exception",
	[PP_EV_XDP_REDIRECT_ERR] = "xdp_redirect_err",
	[PP_EV_XDP_DEVMAP_XMIT] = "xdp_devmap_xmit",
	[PP_EV_XDP_CPUMAP_ENQUEUE] = "xdp_cpumap_enqueue",
	[PP_EV_XDP_CPUMAP_KTHREAD] = "xdp_cpumap_kthread",
	[PP_EV_MEM_CONNECT] = "mem_connect",
	[PP_EV_MEM_DISCONNECT] = "mem_disconnect",
	[PP_EV_FAST_ALLOC] = "page_pool_alloc",
	[PP_EV_PPNIC_REFILL] = "ppnic_refill",
	[PP_EV_PPNIC_RECYCLE] = "ppnic_recycle",
};

const char *pp_event_name(__u32 ev)
{
	return ev < PP_EV_MAX && event_names[ev] ? event_names[ev] : "?";
}

const char *pp_src_name(__u32 src)
{
	switch (src) {
	case PP_SRC_TP_BTF: return "tp_btf";
	case PP_SRC_RAW_TP: return "raw_tp";
	case PP_SRC_FENTRY: return "fexit";
	case PP_SRC_OFF: return "off";
	default: return "absent";
	}
}

const char *pp_attr_name(__u32 attr)
{
	switch (attr) {
	case PP_ATTR_NETDEV: return "netdev";
	case PP_ATTR_MEM_CONNECT: return "mem_connect";
	case PP_ATTR_DEVICE: return "device";
	case PP_ATTR_PROG_RUN: return "prog_run";
	case PP_ATTR_DRIVER: return "driver";
	default: return "none";
	}
}

const char *pp_xdp_ev_name(__u32 type)
{
	switch (type) {
	case PP_XDP_EXCEPTION: return "exception";
	case PP_XDP_REDIRECT_ERR: return "redirect_err";
	case PP_XDP_DEVMAP_XMIT: return "devmap_xmit";
	case PP_XDP_CPUMAP_ENQUEUE: return "cpumap_enqueue";
	case PP_XDP_CPUMAP_KTHREAD: return "cpumap_kthread";
	case PP_XDP_MEM_DISCONNECT: return "mem_disconnect";
	default: return "?";
	}
}

const char *trace_source_summary(const struct pp_trace_info *info)
{
	__u32 src = PP_SRC_ABSENT;
	int ev;

	for (ev = PP_EV_STATE_HOLD; ev <= PP_EV_UPDATE_NID; ev++) {
		if (info->src[ev] == PP_SRC_ABSENT)
			continue;
		if (src != PP_SRC_ABSENT && src != info->src[ev])
			return "mixed";
		src = info->src[ev];
	}
	return pp_src_name(src);
}

static __u64 clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Address of a (static) kernel function, 0 if hidden or absent. */
static __u64 kallsyms_addr(const char *sym)
{
	char line[256], name[128], type;
	unsigned long long addr;
	__u64 found = 0;
	FILE *f;

	f = fopen("/proc/kallsyms", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %127s", &addr, &type, name) == 3 &&
		    !strcmp(name, sym)) {
			found = addr;
			break;
		}
	}
	fclose(f);
	return found;
}

static bool btf_has(const struct btf *btf, const char *name, __u32 kind)
{
	return btf && btf__find_by_name_kind(btf, name, kind) >= 0;
}

bool trace_have_tp_btf(const char *tp)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	char name[96];
	bool ret;

	if (libbpf_get_error(vmlinux))
		return false;
	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	ret = btf_has(vmlinux, name, BTF_KIND_TYPEDEF);
	btf__free(vmlinux);
	return ret;
}

static struct bpf_program *event_prog(struct pp_trace *skel, const char *pfx,
				      const char *tp)
{
	char name[64];

	snprintf(name, sizeof(name), "%s_%s", pfx, tp);
	return bpf_object__find_program_by_name(skel->obj, name);
}

/*
 * Open the skeleton and choose one program per tracepoint: tp_btf when the
 * kernel's BTF describes the tracepoint, raw_tp otherwise.
 */
static struct pp_trace *skel_prepare(const struct trace_config *cfg,
				     const struct btf *vmlinux, bool fexit,
				     struct pp_trace_info *info)
{
	struct pp_trace *skel;
	const char *target;
	unsigned int i;

	skel = pp_trace__open();
	if (!skel)
		return NULL;

	skel->rodata->test_run_init_cb = kallsyms_addr("xdp_test_run_init_page");
	skel->rodata->track_pages = cfg->track_pages > 0;
	skel->rodata->nr_cpus = libbpf_num_possible_cpus();
	bpf_map__set_max_entries(skel->maps.pools, cfg->max_pools);
	bpf_map__set_max_entries(skel->maps.fast, cfg->max_pools);
	bpf_map__set_max_entries(skel->maps.drv, cfg->max_pools);
	bpf_map__set_max_entries(skel->maps.pages,
				 cfg->track_pages ? cfg->track_pages : 1);

	for (i = 0; i < NR_TRACE_EVENTS; i++) {
		const struct trace_event *te = &trace_events[i];
		char btf_name[96];
		bool typed;

		snprintf(btf_name, sizeof(btf_name), "btf_trace_%s", te->tp);
		typed = btf_has(vmlinux, btf_name, BTF_KIND_TYPEDEF);
		bpf_program__set_autoload(event_prog(skel, "tb", te->tp), typed);
		bpf_program__set_autoload(event_prog(skel, "rt", te->tp), !typed);
		info->src[te->ev] = typed ? PP_SRC_TP_BTF : PP_SRC_RAW_TP;
	}

	target = btf_has(vmlinux, "page_pool_alloc_netmems", BTF_KIND_FUNC) ?
			 "page_pool_alloc_netmems" :
		 btf_has(vmlinux, "page_pool_alloc_pages", BTF_KIND_FUNC) ?
			 "page_pool_alloc_pages" : NULL;
	fexit = fexit && target;
	bpf_program__set_autoload(skel->progs.fx_page_pool_alloc, fexit);
	if (fexit)
		bpf_program__set_attach_target(skel->progs.fx_page_pool_alloc, 0,
					       target);
	info->src[PP_EV_FAST_ALLOC] = fexit ? PP_SRC_FENTRY : PP_SRC_ABSENT;
	return skel;
}

/*
 * The per-bulk xdp tracepoints (devmap_xmit, cpumap_enqueue/_kthread) fire
 * on every flush of a healthy redirect path: measured on veth, attaching
 * xdp_devmap_xmit alone costs about 6% of XDP_DROP throughput from
 * `ppxdp gen`, every other event together nothing measurable. They are
 * attached on request only.
 */
static int trace_attach(struct trace_session *ts, bool bulk_events)
{
	struct pp_trace *skel = ts->skel;
	struct bpf_program *prog;
	struct bpf_link *link;
	unsigned int i;
	int err;

	for (i = 0; i < NR_TRACE_EVENTS; i++) {
		const struct trace_event *te = &trace_events[i];

		if (te->bulk && !bulk_events) {
			ts->info.src[te->ev] = PP_SRC_OFF;
			continue;
		}
		prog = event_prog(skel, ts->info.src[te->ev] == PP_SRC_TP_BTF ?
					"tb" : "rt", te->tp);
		link = bpf_program__attach(prog);
		err = libbpf_get_error(link);
		if (err) {
			/* A raw tracepoint this kernel does not have. */
			if (verbose)
				p_note("tracepoint %s not attached: %s", te->tp,
				       strerror(-err));
			ts->info.src[te->ev] = PP_SRC_ABSENT;
			continue;
		}
		ts->links[te->ev] = link;
	}
	if (ts->info.src[PP_EV_STATE_HOLD] == PP_SRC_ABSENT ||
	    ts->info.src[PP_EV_STATE_RELEASE] == PP_SRC_ABSENT ||
	    ts->info.src[PP_EV_RELEASE] == PP_SRC_ABSENT) {
		p_err("this kernel has no page_pool tracepoints (page_pool_state_hold/"
		      "_release, page_pool_release): it needs CONFIG_PAGE_POOL and "
		      "tracepoint support");
		return -ENOTSUP;
	}

	if (ts->info.src[PP_EV_FAST_ALLOC] == PP_SRC_FENTRY) {
		link = bpf_program__attach(skel->progs.fx_page_pool_alloc);
		err = libbpf_get_error(link);
		if (err)
			ts->info.src[PP_EV_FAST_ALLOC] = PP_SRC_ABSENT;
		else
			ts->links[PP_EV_FAST_ALLOC] = link;
	}
	return 0;
}

static void session_fds(struct trace_session *ts)
{
	struct pp_trace *skel = ts->skel;

	ts->pools_fd = bpf_map__fd(skel->maps.pools);
	ts->gone_fd = bpf_map__fd(skel->maps.gone_pools);
	ts->xdp_events_fd = bpf_map__fd(skel->maps.xdp_events);
	ts->pages_fd = bpf_map__fd(skel->maps.pages);
	ts->fast_fd = bpf_map__fd(skel->maps.fast);
	ts->info_fd = bpf_map__fd(skel->maps.trace_info);
	ts->ctrs_fd = bpf_map__fd(skel->maps.trace_ctrs);
	ts->drv_fd = bpf_map__fd(skel->maps.drv);
	ts->drv_prog_fd[0] = bpf_program__fd(skel->progs.rt_ppnic_refill);
	ts->drv_prog_fd[1] = bpf_program__fd(skel->progs.rt_ppnic_recycle);
}

static void session_reset(struct trace_session *ts)
{
	memset(ts, 0, sizeof(*ts));
	ts->pools_fd = ts->gone_fd = ts->xdp_events_fd = ts->pages_fd = -1;
	ts->fast_fd = ts->info_fd = ts->ctrs_fd = ts->drv_fd = -1;
	ts->drv_prog_fd[0] = ts->drv_prog_fd[1] = -1;
	ts->drv_link_fd[0] = ts->drv_link_fd[1] = -1;
	ts->drv_lock_fd = -1;
}

int trace_session_start(struct trace_session *ts, const struct trace_config *cfg)
{
	libbpf_print_fn_t old_print;
	struct btf *vmlinux;
	__u32 zero = 0;
	int err;

	session_reset(ts);
	vmlinux = btf__load_vmlinux_btf();
	if (libbpf_get_error(vmlinux))
		vmlinux = NULL; /* raw_tp everywhere, no fexit */

	/* First with fexit; kernels that refuse it (EPERM) get a second try. */
	ts->skel = skel_prepare(cfg, vmlinux, true, &ts->info);
	if (!ts->skel) {
		err = -errno;
		goto err_open;
	}
	/* The refusal is expected: keep libbpf quiet about it unless -v. */
	old_print = libbpf_set_print(NULL);
	if (verbose)
		libbpf_set_print(old_print);
	err = pp_trace__load(ts->skel);
	libbpf_set_print(old_print);
	if (err && ts->info.src[PP_EV_FAST_ALLOC] == PP_SRC_FENTRY) {
		if (verbose)
			p_note("fexit refused (%s): no fast-path counts", strerror(-err));
		pp_trace__destroy(ts->skel);
		ts->skel = skel_prepare(cfg, vmlinux, false, &ts->info);
		if (!ts->skel) {
			err = -errno;
			goto err_open;
		}
		err = pp_trace__load(ts->skel);
	}
	btf__free(vmlinux);
	vmlinux = NULL;
	if (err) {
		p_err("cannot load the page_pool tracing programs: %s (run with -v "
		      "for the verifier log; root with CAP_BPF and CAP_PERFMON is needed)",
		      strerror(-err));
		goto err_destroy;
	}

	err = trace_attach(ts, cfg->bulk_events);
	if (err)
		goto err_destroy;

	ts->info.start_ns = clock_ns(CLOCK_MONOTONIC);
	ts->info.start_realtime_ns = clock_ns(CLOCK_REALTIME);
	ts->info.max_pools = cfg->max_pools;
	ts->info.max_pages = cfg->track_pages;
	ts->info.page_shift = __builtin_ctz(sysconf(_SC_PAGESIZE));
	session_fds(ts);
	err = bpf_map_update_elem(ts->info_fd, &zero, &ts->info, BPF_ANY);
	if (err) {
		err = -errno;
		p_err("cannot write the trace_info map: %s", strerror(-err));
		goto err_destroy;
	}
	return 0;

err_destroy:
	trace_session_close(ts);
	return err;
err_open:
	btf__free(vmlinux);
	p_err("cannot open the page_pool tracing object: %s", strerror(-err));
	session_reset(ts);
	return err;
}

struct pin_map {
	const char *name;
	size_t fd_off;
	bool optional; /* absent from sessions of older ppxdp versions */
};

/* Map pins under PPXDP_TRACE_DIR; "pools" is the documented entry point. */
static const struct pin_map pin_maps[] = {
	{ .name = "pools",	.fd_off = offsetof(struct trace_session, pools_fd) },
	{ .name = "gone_pools", .fd_off = offsetof(struct trace_session, gone_fd) },
	{ .name = "xdp_events", .fd_off = offsetof(struct trace_session, xdp_events_fd) },
	{ .name = "pages",	.fd_off = offsetof(struct trace_session, pages_fd) },
	{ .name = "fast",	.fd_off = offsetof(struct trace_session, fast_fd) },
	{ .name = "trace_info", .fd_off = offsetof(struct trace_session, info_fd) },
	{ .name = "trace_ctrs", .fd_off = offsetof(struct trace_session, ctrs_fd) },
	{ .name = "drv",	.fd_off = offsetof(struct trace_session, drv_fd), .optional = true },
};

/* The ppnic programs, pinned so that `ppxdp stats` can attach them. */
static const char *const drv_prog_pins[2] = {
	"prog_ppnic_refill", "prog_ppnic_recycle",
};
static const char *const drv_tps[2] = { "ppnic_refill", "ppnic_recycle" };

#define NR_PIN_MAPS (sizeof(pin_maps) / sizeof(pin_maps[0]))

static int *pin_map_fd(struct trace_session *ts, const struct pin_map *pm)
{
	return (int *)((char *)ts + pm->fd_off);
}

int trace_session_open_pinned(struct trace_session *ts)
{
	char path[256];
	unsigned int i;
	int err, fd;

	session_reset(ts);
	for (i = 0; i < NR_PIN_MAPS; i++) {
		snprintf(path, sizeof(path), "%s/%s", PPXDP_TRACE_DIR, pin_maps[i].name);
		fd = bpf_obj_get(path);
		if (fd < 0 && errno == ENOENT && pin_maps[i].optional)
			continue;
		if (fd < 0) {
			err = -errno;
			trace_session_close(ts);
			if (err != -ENOENT)
				p_err("cannot open %s: %s", path, strerror(-err));
			return err;
		}
		*pin_map_fd(ts, &pin_maps[i]) = fd;
	}
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", PPXDP_TRACE_DIR, drv_prog_pins[i]);
		ts->drv_prog_fd[i] = bpf_obj_get(path); /* -1: no ppnic breakdown */
	}
	ts->pinned = true;
	err = trace_info_read(ts);
	if (err)
		trace_session_close(ts);
	return err;
}

int trace_session_get(struct trace_session *ts, const struct trace_config *cfg)
{
	int err;

	err = trace_session_open_pinned(ts);
	if (err != -ENOENT)
		return err;
	return trace_session_start(ts, cfg);
}

int trace_info_read(struct trace_session *ts)
{
	__u32 zero = 0;

	if (bpf_map_lookup_elem(ts->info_fd, &zero, &ts->info)) {
		int err = -errno;

		p_err("cannot read the trace_info map: %s", strerror(-err));
		return err;
	}
	return 0;
}

void trace_session_close(struct trace_session *ts)
{
	unsigned int i;

	for (i = 0; i < PP_EV_MAX; i++)
		bpf_link__destroy(ts->links[i]);
	for (i = 0; i < 2; i++)
		if (ts->drv_link_fd[i] >= 0)
			close(ts->drv_link_fd[i]);
	if (ts->drv_lock_fd >= 0)
		close(ts->drv_lock_fd);
	if (ts->skel) {
		pp_trace__destroy(ts->skel);
	} else {
		for (i = 0; i < NR_PIN_MAPS; i++)
			if (*pin_map_fd(ts, &pin_maps[i]) >= 0)
				close(*pin_map_fd(ts, &pin_maps[i]));
		for (i = 0; i < 2; i++)
			if (ts->drv_prog_fd[i] >= 0)
				close(ts->drv_prog_fd[i]);
	}
	session_reset(ts);
}

bool trace_driver_attach(struct trace_session *ts)
{
	struct stat st;
	int i, fd;

	if (ts->drv_link_fd[0] >= 0)
		return true;
	if (ts->drv_prog_fd[0] < 0 || ts->drv_prog_fd[1] < 0 ||
	    stat("/sys/module/ppnic", &st))
		return false;
	/*
	 * Two attachers would count every event twice. A pinned session is
	 * shared: whoever holds the lock on its directory attaches; the
	 * others read the same map and try again each interval.
	 */
	if (ts->pinned && ts->drv_lock_fd < 0) {
		fd = open(PPXDP_TRACE_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return false;
		if (flock(fd, LOCK_EX | LOCK_NB)) {
			close(fd);
			return false;
		}
		ts->drv_lock_fd = fd;
	}
	for (i = 0; i < 2; i++) {
		fd = bpf_raw_tracepoint_open(drv_tps[i], ts->drv_prog_fd[i]);
		if (fd < 0) {
			if (verbose)
				p_note("cannot attach to ppnic:%s: %s", drv_tps[i],
				       strerror(errno));
			while (--i >= 0) {
				close(ts->drv_link_fd[i]);
				ts->drv_link_fd[i] = -1;
			}
			return false;
		}
		ts->drv_link_fd[i] = fd;
	}
	ts->info.src[PP_EV_PPNIC_REFILL] = PP_SRC_RAW_TP;
	ts->info.src[PP_EV_PPNIC_RECYCLE] = PP_SRC_RAW_TP;
	return true;
}

/* Commands. */

struct trace_start_opts {
	__u32 max_pools;
	__u32 track_pages;
	bool bulk_events;
};

static const struct opt_spec trace_start_specs[] = {
	{ .name = "max-pools", .type = OPT_U32, .metavar = "N",
	  .offset = offsetof(struct trace_start_opts, max_pools),
	  .min = 16, .max = 1 << 20,
	  .help = "pools tracked at once (default 4096)" },
	{ .name = "track-pages", .type = OPT_U32, .metavar = "N",
	  .offset = offsetof(struct trace_start_opts, track_pages),
	  .min = 0, .max = 1 << 22,
	  .help = "also track up to N outstanding pages for `ppxdp leaks` (default 0: off)" },
	{ .name = "bulk-events", .type = OPT_BOOL,
	  .offset = offsetof(struct trace_start_opts, bulk_events),
	  .help = "also attach xdp_devmap_xmit, xdp_cpumap_enqueue and xdp_cpumap_kthread "
		  "(xmit and cpumap drops; they fire per bulk on healthy paths: "
		  "about 6% of XDP_DROP throughput on veth)" },
	{ NULL },
};

static const struct opt_cmd trace_start_cmd = {
	.name = "trace start",
	.summary = "attach the page_pool tracing programs, pinned under " PPXDP_TRACE_DIR,
	.specs = trace_start_specs,
};

static const struct opt_spec no_specs[] = { { NULL } };

static const struct opt_cmd trace_stop_cmd = {
	.name = "trace stop",
	.summary = "detach the tracing programs and remove their pins",
	.specs = no_specs,
};

static const struct opt_cmd trace_status_cmd = {
	.name = "trace status",
	.summary = "show the tracing session: event sources, pools tracked",
	.specs = no_specs,
};

static int pin_session(struct trace_session *ts)
{
	char path[256];
	unsigned int i;
	int err;

	for (i = 0; i < NR_PIN_MAPS; i++) {
		snprintf(path, sizeof(path), "%s/%s", PPXDP_TRACE_DIR, pin_maps[i].name);
		if (bpf_obj_pin(*pin_map_fd(ts, &pin_maps[i]), path)) {
			err = -errno;
			p_err("cannot pin %s: %s", path, strerror(-err));
			return err;
		}
	}
	for (i = 0; i < PP_EV_MAX; i++) {
		if (!ts->links[i])
			continue;
		snprintf(path, sizeof(path), "%s/link_%s", PPXDP_TRACE_DIR,
			 pp_event_name(i));
		err = bpf_link__pin(ts->links[i], path);
		if (err) {
			p_err("cannot pin %s: %s", path, strerror(-err));
			return err;
		}
	}
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", PPXDP_TRACE_DIR, drv_prog_pins[i]);
		if (bpf_obj_pin(ts->drv_prog_fd[i], path)) {
			err = -errno;
			p_err("cannot pin %s: %s", path, strerror(-err));
			return err;
		}
	}
	return 0;
}

static void print_sources(const struct pp_trace_info *info)
{
	int ev;

	const char *src;

	if (json_output) {
		jsonw_name(json_wtr, "sources");
		jsonw_start_object(json_wtr);
	} else {
		printf("sources:\n");
	}
	for (ev = 0; ev < PP_EV_MAX; ev++) {
		src = pp_src_name(info->src[ev]);
		/* module tracepoints: attached by `ppxdp stats` while it runs */
		if (ev >= PP_EV_PPNIC_REFILL && info->src[ev] == PP_SRC_ABSENT)
			src = json_output ? "on_demand" : "on demand (ppxdp stats, raw_tp)";
		if (json_output)
			jsonw_string_field(json_wtr, pp_event_name(ev), src);
		else
			printf("  %-26s %s\n", pp_event_name(ev), src);
	}
	if (json_output)
		jsonw_end_object(json_wtr);
}

static int do_trace_start(int argc, char **argv)
{
	struct trace_start_opts o = { .max_pools = 4096 };
	struct trace_config cfg;
	struct trace_session ts;
	struct stat st;
	int err;

	err = opts_parse(&trace_start_cmd, &o, argc, argv);
	if (err)
		return err == OPTS_HELP ? 0 : err;
	err = bpffs_prepare(true);
	if (err)
		return err;
	if (stat(PPXDP_TRACE_DIR, &st) == 0) {
		p_err("tracing is already started (%s exists): run '%s trace stop' "
		      "first to restart it with other options", PPXDP_TRACE_DIR, bin_name);
		return -EEXIST;
	}

	cfg.max_pools = o.max_pools;
	cfg.track_pages = o.track_pages;
	cfg.bulk_events = o.bulk_events;
	err = trace_session_start(&ts, &cfg);
	if (err)
		return err;
	err = pin_mkdir(PPXDP_TRACE_DIR);
	if (!err)
		err = pin_session(&ts);
	if (err) {
		pin_rmdir(PPXDP_TRACE_DIR);
		goto out;
	}
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "pin_dir", PPXDP_TRACE_DIR);
		jsonw_string_field(json_wtr, "source", trace_source_summary(&ts.info));
		print_sources(&ts.info);
		jsonw_end_object(json_wtr);
	} else {
		printf("tracing page_pool events (%s), pinned under %s\n",
		       trace_source_summary(&ts.info), PPXDP_TRACE_DIR);
		if (ts.info.src[PP_EV_FAST_ALLOC] == PP_SRC_ABSENT)
			printf("fast-path counts: unavailable (fexit refused by this kernel)\n");
		if (ts.info.src[PP_EV_XDP_DEVMAP_XMIT] == PP_SRC_OFF)
			printf("per-bulk xdp events (devmap_xmit, cpumap): off ('trace start --bulk-events')\n");
	}
out:
	trace_session_close(&ts);
	return err;
}

static int do_trace_stop(int argc, char **argv)
{
	struct stat st;
	int err;

	err = opts_parse(&trace_stop_cmd, NULL, argc, argv);
	if (err)
		return err == OPTS_HELP ? 0 : err;
	err = bpffs_prepare(false);
	if (err)
		return err;
	if (stat(PPXDP_TRACE_DIR, &st)) {
		p_err("tracing is not started (no %s)", PPXDP_TRACE_DIR);
		return -ENOENT;
	}
	err = pin_rmdir(PPXDP_TRACE_DIR);
	if (err) {
		p_err("cannot remove %s: %s", PPXDP_TRACE_DIR, strerror(-err));
		return err;
	}
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_bool_field(json_wtr, "stopped", true);
		jsonw_end_object(json_wtr);
	} else {
		printf("tracing stopped\n");
	}
	return 0;
}

static __u32 map_count(int fd)
{
	__u64 key, next;
	__u32 n = 0;
	void *prev = NULL;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		n++;
	}
	return n;
}

static int do_trace_status(int argc, char **argv)
{
	struct pp_trace_ctrs ctrs = {};
	struct trace_session ts;
	__u32 zero = 0, pools, gone, pages;
	double age;
	int err;

	err = opts_parse(&trace_status_cmd, NULL, argc, argv);
	if (err)
		return err == OPTS_HELP ? 0 : err;
	err = bpffs_prepare(false);
	if (err)
		return err;
	err = trace_session_open_pinned(&ts);
	if (err == -ENOENT) {
		if (json_output) {
			jsonw_start_object(json_wtr);
			jsonw_bool_field(json_wtr, "started", false);
			jsonw_end_object(json_wtr);
		} else {
			printf("tracing: not started ('%s trace start' starts it)\n",
			       bin_name);
		}
		return 0;
	}
	if (err)
		return err;

	bpf_map_lookup_elem(ts.ctrs_fd, &zero, &ctrs);
	pools = map_count(ts.pools_fd);
	gone = map_count(ts.gone_fd);
	pages = ts.info.max_pages ? map_count(ts.pages_fd) : 0;
	age = (clock_ns(CLOCK_MONOTONIC) - ts.info.start_ns) / 1e9;

	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_bool_field(json_wtr, "started", true);
		jsonw_string_field(json_wtr, "pin_dir", PPXDP_TRACE_DIR);
		jsonw_float_field(json_wtr, "age_s", age);
		jsonw_string_field(json_wtr, "source", trace_source_summary(&ts.info));
		print_sources(&ts.info);
		jsonw_uint_field(json_wtr, "pools", pools);
		jsonw_uint_field(json_wtr, "gone_pools", gone);
		jsonw_uint_field(json_wtr, "max_pools", ts.info.max_pools);
		jsonw_uint_field(json_wtr, "tracked_pages", pages);
		jsonw_uint_field(json_wtr, "max_pages", ts.info.max_pages);
		jsonw_uint_field(json_wtr, "pools_full", ctrs.pools_full);
		jsonw_uint_field(json_wtr, "pages_full", ctrs.pages_full);
		jsonw_end_object(json_wtr);
	} else {
		printf("tracing: started %.0f s ago, pinned under %s\n", age,
		       PPXDP_TRACE_DIR);
		print_sources(&ts.info);
		printf("pools: %u live, %u gone (history), map size %u\n", pools, gone,
		       ts.info.max_pools);
		if (ts.info.max_pages)
			printf("pages tracked: %u of %u\n", pages, ts.info.max_pages);
		else
			printf("pages tracked: off ('trace start --track-pages N')\n");
		if (ctrs.pools_full || ctrs.pages_full)
			printf("overflows: %llu pools, %llu pages not recorded (maps full)\n",
			       (unsigned long long)ctrs.pools_full,
			       (unsigned long long)ctrs.pages_full);
	}
	trace_session_close(&ts);
	return 0;
}

static int do_trace_help(int argc, char **argv)
{
	if (json_output) {
		jsonw_null(json_wtr);
		return 0;
	}
	opts_synopsis(&trace_start_cmd, stderr);
	opts_synopsis(&trace_stop_cmd, stderr);
	opts_synopsis(&trace_status_cmd, stderr);
	fprintf(stderr,
		"\nThe tracing programs stay attached after the command exits; their maps\n"
		"are pinned under %s (bpftool map dump pinned %s/pools).\n"
		"'%s stats' and '%s leaks' read them, or trace on their own while they run.\n",
		PPXDP_TRACE_DIR, PPXDP_TRACE_DIR, bin_name, bin_name);
	return 0;
}

static const struct cmd trace_cmds[] = {
	{ "start", do_trace_start },
	{ "stop", do_trace_stop },
	{ "status", do_trace_status },
	{ "help", do_trace_help },
	{ NULL },
};

int do_trace(int argc, char **argv)
{
	return cmd_select(trace_cmds, argc, argv, do_trace_help);
}
