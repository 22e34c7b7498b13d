// SPDX-License-Identifier: GPL-2.0
/*
 * ppxdp stats [IF...] [--interval S] [--count N] [--prometheus FILE]
 *
 * Live per-pool page_pool recycling next to the XDP action rates of the
 * interfaces ppxdp attached to, one report per interval, and a summary at
 * exit. Pools come from the tracing maps (bpf/pp_trace.bpf.c, pinned by
 * `ppxdp trace start`, or loaded for the life of this command); XDP counters
 * from the *_stats maps pinned under /sys/fs/bpf/ppxdp/IF[@NSINO]/; the
 * kernel's own figures from netlink page-pool-get where it has them.
 *
 *   recycle rate = 1 - new pages / buffers consumed
 *
 * over each interval, per interface: new pages is the growth of the hold
 * counters of the pools the kernel ties to that interface, buffers consumed
 * the frames its XDP programs counted (every action). Where fexit loads,
 * each pool's own allocation count replaces the interface's frames.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "counters.h"
#include "main.h"
#include "netlink_pp.h"
#include "options.h"
#include "pins.h"
#include "pool_stats.h"
#include "stats.h"
#include "trace.h"

static volatile sig_atomic_t stats_stop;

static void stats_sigint(int sig)
{
	stats_stop = 1;
}

void stats_signals(void)
{
	struct sigaction sa = { .sa_handler = stats_sigint };

	/* No SA_RESTART: the interval sleep returns at once. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

bool stats_stopped(void)
{
	return stats_stop;
}

__u64 stats_clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Sleep until the absolute CLOCK_MONOTONIC time deadline_ns, or a signal. */
void stats_sleep_until(__u64 deadline_ns)
{
	struct timespec ts = {
		.tv_sec = deadline_ns / 1000000000ULL,
		.tv_nsec = deadline_ns % 1000000000ULL,
	};

	while (!stats_stop &&
	       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* Sampling */

static void *grow(void *arr, unsigned int *cap, unsigned int nr, size_t size)
{
	unsigned int ncap;
	void *p;

	if (nr < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 16;
	p = realloc(arr, (size_t)ncap * size);
	if (!p)
		return NULL;
	*cap = ncap;
	return p;
}

static int sample_pool_map(struct stats_snapshot *s, int fd, bool gone)
{
	__u64 key, next;
	void *prev = NULL;
	struct pool_sample *ps;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		ps = grow(s->pools, &s->cap_pools, s->nr_pools, sizeof(*ps));
		if (!ps)
			return -ENOMEM;
		s->pools = ps;
		ps = &s->pools[s->nr_pools];
		memset(ps, 0, sizeof(*ps));
		if (bpf_map_lookup_elem(fd, &key, &ps->p))
			continue; /* deleted under us */
		ps->gone = gone;
		s->nr_pools++;
	}
	return 0;
}

/*
 * The value of key in a per-CPU map whose values are nr __u64 counters,
 * summed over the CPUs into sum[0..nr). buf holds ncpus values.
 */
static int percpu_sum(int fd, __u64 key, __u64 *buf, int ncpus, unsigned int nr,
		      __u64 *sum)
{
	unsigned int k;
	int c;

	if (bpf_map_lookup_elem(fd, &key, buf))
		return -errno;
	memset(sum, 0, nr * sizeof(*sum));
	for (c = 0; c < ncpus; c++)
		for (k = 0; k < nr; k++)
			sum[k] += buf[(size_t)c * nr + k];
	return 0;
}

static void sample_fast(struct stats_snapshot *s, struct trace_session *ts)
{
	int ncpus = libbpf_num_possible_cpus();
	unsigned int i;
	__u64 *buf;

	if (ts->info.src[PP_EV_FAST_ALLOC] != PP_SRC_FENTRY || ncpus <= 0)
		return;
	buf = calloc(ncpus, sizeof(struct pp_fast));
	if (!buf)
		return;
	for (i = 0; i < s->nr_pools; i++) {
		struct pool_sample *ps = &s->pools[i];

		/* A freed pool's count was summed at its last event. */
		if (ps->gone) {
			ps->allocs = ps->p.fast_allocs;
			ps->has_allocs = true;
			continue;
		}
		ps->has_allocs = !percpu_sum(ts->fast_fd, ps->p.pool, buf, ncpus,
					     sizeof(struct pp_fast) / sizeof(__u64),
					     &ps->allocs);
	}
	free(buf);
}

#define PP_DRV_NR_CTRS (sizeof(struct pp_drv) / sizeof(__u64))

static __u64 *drv_ctr(struct pp_drv *d, unsigned int i)
{
	return (__u64 *)d + i;
}

/* Field names of struct pp_drv, in order: ppnic's ethtool -S names. */
static const char *const drv_names[PP_DRV_NR_CTRS] = {
	"alloc_fast", "alloc_ring", "alloc_slow", "alloc_fail", "ring_pages",
	"slow_pages", "recycle_cached", "recycle_ring", "recycle_released",
	"skb_pages", "redirect_pages", "held", "unheld",
};

static void drv_delta(const struct pp_drv *old, const struct pp_drv *cur,
		      struct pp_drv *d)
{
	unsigned int i;

	for (i = 0; i < PP_DRV_NR_CTRS; i++)
		*drv_ctr(d, i) = *drv_ctr((struct pp_drv *)cur, i) -
				 (old ? *drv_ctr((struct pp_drv *)old, i) : 0);
}

/* Buffers the driver posted: every allocation that gave a page. */
static __u64 drv_consumed(const struct pp_drv *d)
{
	return d->alloc_fast + d->alloc_ring + d->alloc_slow;
}

/* ppnic's own counts per pool, where its tracepoints are attached. */
static void sample_drv(struct stats_snapshot *s, struct trace_session *ts)
{
	int ncpus = libbpf_num_possible_cpus();
	unsigned int i;
	__u64 *buf;

	s->drv_ok = ts->info.src[PP_EV_PPNIC_REFILL] == PP_SRC_RAW_TP;
	if (!s->drv_ok || ts->drv_fd < 0 || ncpus <= 0)
		return;
	buf = calloc(ncpus, sizeof(struct pp_drv));
	if (!buf)
		return;
	for (i = 0; i < s->nr_pools; i++) {
		struct pool_sample *ps = &s->pools[i];

		ps->has_drv = !percpu_sum(ts->drv_fd, ps->p.pool, buf, ncpus,
					  PP_DRV_NR_CTRS, drv_ctr(&ps->drv, 0));
	}
	free(buf);
}

static int sample_xdp_events(struct stats_snapshot *s, int fd)
{
	int ncpus = libbpf_num_possible_cpus();
	struct pp_xdp_evkey key, next;
	struct pp_xdp_evval *vals;
	struct xdp_ev_sample *e;
	void *prev = NULL;
	int c;

	if (ncpus <= 0)
		return ncpus;
	vals = calloc(ncpus, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, vals))
			continue;
		e = grow(s->evs, &s->cap_evs, s->nr_evs, sizeof(*e));
		if (!e) {
			free(vals);
			return -ENOMEM;
		}
		s->evs = e;
		e = &s->evs[s->nr_evs++];
		memset(e, 0, sizeof(*e));
		e->key = key;
		for (c = 0; c < ncpus; c++) {
			e->val.events += vals[c].events;
			e->val.frames += vals[c].frames;
			e->val.drops += vals[c].drops;
		}
	}
	free(vals);
	return 0;
}

static bool has_suffix(const char *s, const char *sfx)
{
	size_t a = strlen(s), b = strlen(sfx);

	return a >= b && !strcmp(s + a - b, sfx);
}

/* One pin directory of `ppxdp attach`: its info and summed *_stats maps. */
static int sample_iface_dir(struct iface_sample *is, const char *dir)
{
	char path[1024];
	struct ppxdp_attach_info info;
	struct ppxdp_xdp_stats sum;
	struct dirent *de;
	__u32 zero = 0;
	DIR *d;
	int fd, err;
	unsigned int i, j;

	snprintf(path, sizeof(path), "%s/ppxdp_info", dir);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -ENOENT;
	err = bpf_map_lookup_elem(fd, &zero, &info) ? -errno : 0;
	close(fd);
	if (err || !info.ifindex)
		return -ENOENT;

	memset(is, 0, sizeof(*is));
	snprintf(is->ifname, sizeof(is->ifname), "%.*s", (int)sizeof(info.ifname),
		 info.ifname);
	snprintf(is->prog, sizeof(is->prog), "%.*s", (int)sizeof(info.prog), info.prog);
	is->ifindex = info.ifindex;
	is->netns_ino = info.netns_ino;
	is->attach_time = info.attach_time;

	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!has_suffix(de->d_name, "_stats"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		fd = bpf_obj_get(path);
		if (fd < 0)
			continue;
		if (stats_read(fd, &sum) == 0) {
			__u64 *dst = (__u64 *)&is->sum;
			const __u64 *src = (const __u64 *)&sum;

			for (i = 0, j = sizeof(sum) / sizeof(__u64); i < j; i++)
				dst[i] += src[i];
			is->has_stats = true;
		}
		close(fd);
	}
	closedir(d);
	return is->has_stats ? 0 : -ENOENT;
}

static int sample_ifaces(struct stats_snapshot *s)
{
	char dir[320];
	struct iface_sample *is;
	struct dirent *de;
	DIR *d;

	d = opendir(PPXDP_PIN_ROOT);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "trace"))
			continue;
		is = grow(s->ifaces, &s->cap_ifaces, s->nr_ifaces, sizeof(*is));
		if (!is) {
			closedir(d);
			return -ENOMEM;
		}
		s->ifaces = is;
		snprintf(dir, sizeof(dir), "%s/%s", PPXDP_PIN_ROOT, de->d_name);
		if (sample_iface_dir(&s->ifaces[s->nr_ifaces], dir) == 0)
			s->nr_ifaces++;
	}
	closedir(d);
	return 0;
}

void stats_snapshot_free(struct stats_snapshot *s)
{
	free(s->pools);
	free(s->ifaces);
	free(s->evs);
	free(s->nl);
	memset(s, 0, sizeof(*s));
}

int stats_sample(struct stats_snapshot *s, struct trace_session *ts,
		 struct nl_pp *nl)
{
	int err;

	memset(s, 0, sizeof(*s));
	s->mono_ns = stats_clock_ns(CLOCK_MONOTONIC);
	s->real_ns = stats_clock_ns(CLOCK_REALTIME);
	err = sample_pool_map(s, ts->pools_fd, false);
	if (!err)
		err = sample_pool_map(s, ts->gone_fd, true);
	if (!err)
		sample_fast(s, ts);
	if (!err)
		sample_drv(s, ts);
	if (!err)
		err = sample_xdp_events(s, ts->xdp_events_fd);
	if (!err)
		err = sample_ifaces(s);
	if (!err && nl && nl->nl)
		s->nl_ok = nl_pp_dump(nl, &s->nl, &s->nr_nl) == 0;
	if (err) {
		p_err("cannot sample the tracing and XDP maps: %s", strerror(-err));
		stats_snapshot_free(s);
	}
	return err;
}

const struct pool_sample *snapshot_find_pool(const struct stats_snapshot *s,
					     const struct pp_pool *p)
{
	unsigned int i;

	for (i = 0; i < s->nr_pools; i++)
		if (s->pools[i].p.pool == p->pool && s->pools[i].p.first_ns == p->first_ns)
			return &s->pools[i];
	return NULL;
}

static const struct iface_sample *find_iface(const struct stats_snapshot *s,
					     __u32 ifindex, __u64 netns)
{
	unsigned int i;

	for (i = 0; i < s->nr_ifaces; i++)
		if (s->ifaces[i].ifindex == ifindex && s->ifaces[i].netns_ino == netns)
			return &s->ifaces[i];
	return NULL;
}

/* Interface selection: names in this netns, or of ppxdp pin directories. */

struct if_sel {
	const char *name;
	__u32 ifindex; /* in the current netns, 0 if not there */
};

struct stats_ctx {
	struct trace_session ts;
	struct nl_pp nl;
	__u64 cur_netns;
	struct if_sel *sel;
	unsigned int nr_sel;
	double interval;
	__u32 count;
	const char *prometheus;
	unsigned int page_shift;
	/* run totals for the summary */
	__u64 start_mono, start_real;
	struct recycle_total total;
	__u64 frames_total;
	__u64 hold_total, release_total;
	struct pp_drv drv_total;
	bool drv_seen;
	unsigned int pools_seen, pools_gone, peak_zombies;
	__s64 peak_inflight;
};

static bool iface_selected(const struct stats_ctx *c, const char *ifname, __u32 ifindex,
		    __u64 netns)
{
	unsigned int i;

	if (!c->nr_sel)
		return true;
	for (i = 0; i < c->nr_sel; i++) {
		/* A name of this netns means that interface only. */
		if (c->sel[i].ifindex) {
			if (netns == c->cur_netns && c->sel[i].ifindex == ifindex)
				return true;
			continue;
		}
		if (ifname && ifname[0] && !strcmp(c->sel[i].name, ifname))
			return true;
	}
	return false;
}

/* Display name of an interface: ppxdp's record, else this netns' name. */
static void iface_label(const struct stats_ctx *c, const struct stats_snapshot *s,
			__u32 ifindex, __u64 netns, char *buf, size_t len)
{
	const struct iface_sample *is = find_iface(s, ifindex, netns);
	char name[IF_NAMESIZE];

	if (!ifindex)
		snprintf(buf, len, "-");
	else if (is)
		snprintf(buf, len, "%s", is->ifname);
	else if (netns == c->cur_netns && if_indextoname(ifindex, name))
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "if%u", ifindex);
}

/* Per-interval report */

struct pool_row {
	const struct pool_sample *ps;
	struct pool_delta d;
	bool has_delta;
	__u64 allocs;	 /* fexit delta */
	bool has_allocs;
	struct pp_drv drv; /* ppnic counts of the interval */
	bool has_drv;
	const struct iface_sample *is;
	double recycle;
	const char *consumed_src; /* "ppnic", "fexit", "xdp" or NULL */
	enum pool_state state;
	const struct nl_pool *nl;
	char ifname[IF_NAMESIZE + 8];
};

struct iface_row {
	const struct iface_sample *is;
	struct ctr_rate rates[PPXDP_NR_CTRS];
	__u64 consumed;
	bool has_delta;
	__u64 new_pages;
	unsigned int nr_pools;
	double recycle;
};

struct report {
	double secs;
	struct pool_row *pools;
	unsigned int nr_pools;
	struct iface_row *ifaces;
	unsigned int nr_ifaces;
	const struct stats_snapshot *cur, *prev;
};

static __u64 frames_of(const struct ppxdp_xdp_stats *s)
{
	const struct ppxdp_ctr *c = &s->aborted;
	__u64 n = 0;
	int i;

	for (i = 0; i < PPXDP_NR_ACTIONS; i++)
		n += c[i].packets;
	return n;
}

static struct iface_row *iface_row_of(struct report *r, const struct iface_sample *is)
{
	unsigned int i;

	for (i = 0; i < r->nr_ifaces; i++)
		if (r->ifaces[i].is == is)
			return &r->ifaces[i];
	return NULL;
}

static void build_iface_rows(struct stats_ctx *c, struct report *r)
{
	const struct stats_snapshot *cur = r->cur, *prev = r->prev;
	unsigned int i;

	for (i = 0; i < cur->nr_ifaces; i++) {
		const struct iface_sample *is = &cur->ifaces[i];
		const struct iface_sample *old;
		struct iface_row *row;
		struct ppxdp_xdp_stats zero = {};

		if (!iface_selected(c, is->ifname, is->ifindex, is->netns_ino))
			continue;
		row = &r->ifaces[r->nr_ifaces++];
		memset(row, 0, sizeof(*row));
		row->is = is;
		row->recycle = NAN;
		old = prev ? find_iface(prev, is->ifindex, is->netns_ino) : NULL;
		if (old && old->attach_time == is->attach_time) {
			stats_rates(&old->sum, &is->sum, r->secs, row->rates);
			row->consumed = frames_of(&is->sum) - frames_of(&old->sum);
			row->has_delta = true;
		} else if (prev && is->attach_time >= prev->real_ns) {
			/* attached during the interval: counted from zero */
			stats_rates(&zero, &is->sum, r->secs, row->rates);
			row->consumed = frames_of(&is->sum);
			row->has_delta = true;
		}
	}
}

static void build_pool_rows(struct stats_ctx *c, struct report *r)
{
	const struct stats_snapshot *cur = r->cur, *prev = r->prev;
	unsigned int i;

	for (i = 0; i < cur->nr_pools; i++) {
		const struct pool_sample *ps = &cur->pools[i];
		const struct pool_sample *old = prev ? snapshot_find_pool(prev, &ps->p) : NULL;
		struct pool_row *row;
		char label[IF_NAMESIZE + 8];

		iface_label(c, cur, ps->p.ifindex, ps->p.netns_ino, label, sizeof(label));
		if (c->nr_sel && (!ps->p.ifindex ||
				  !iface_selected(c, label, ps->p.ifindex, ps->p.netns_ino)))
			continue;
		/*
		 * A gone pool is reported once, in the interval it went: it was
		 * live at the previous sample, or born since (BPF_PROG_RUN pools
		 * live for one call).
		 */
		if (ps->gone && !(old && !old->gone) &&
		    !(prev && !old && ps->p.first_ns >= prev->mono_ns))
			continue;

		row = &r->pools[r->nr_pools++];
		memset(row, 0, sizeof(*row));
		row->ps = ps;
		row->recycle = NAN;
		row->state = ps->gone ? POOL_GONE : pool_state(&ps->p);
		snprintf(row->ifname, sizeof(row->ifname), "%s", label);
		row->is = ps->p.ifindex ? find_iface(cur, ps->p.ifindex, ps->p.netns_ino) : NULL;
		if (old) {
			pool_delta(&old->p, &ps->p, r->secs, &row->d);
			row->has_delta = true;
			if (ps->has_allocs && old->has_allocs) {
				row->allocs = ps->allocs - old->allocs;
				row->has_allocs = true;
			}
			/* counted from zero when the driver attach came later */
			if (ps->has_drv) {
				drv_delta(old->has_drv ? &old->drv : NULL, &ps->drv,
					  &row->drv);
				row->has_drv = true;
			}
		} else if (prev && ps->p.first_ns >= prev->mono_ns) {
			pool_delta_new(&ps->p, r->secs, &row->d);
			row->has_delta = true;
			row->allocs = ps->allocs;
			row->has_allocs = ps->has_allocs;
			row->drv = ps->drv;
			row->has_drv = ps->has_drv;
		}
		if (ps->p.id && cur->nl_ok && ps->p.netns_ino == c->cur_netns)
			row->nl = nl_pool_find(cur->nl, cur->nr_nl, ps->p.id);
		else if (ps->p.id && cur->nl_ok && !ps->p.ifindex)
			row->nl = nl_pool_find(cur->nl, cur->nr_nl, ps->p.id);
	}
}

/* New pages per interface, then the recycle rate of interfaces and pools. */
static void compute_recycle(struct report *r)
{
	unsigned int i;

	for (i = 0; i < r->nr_pools; i++) {
		struct pool_row *p = &r->pools[i];
		struct iface_row *ir = p->is ? iface_row_of(r, p->is) : NULL;

		if (ir && p->has_delta && p->ps->p.attr != PP_ATTR_PROG_RUN) {
			ir->new_pages += p->d.hold;
			ir->nr_pools++;
		}
	}
	for (i = 0; i < r->nr_ifaces; i++) {
		struct iface_row *ir = &r->ifaces[i];

		if (ir->has_delta && ir->nr_pools)
			ir->recycle = recycle_rate(ir->new_pages, ir->consumed);
	}
	for (i = 0; i < r->nr_pools; i++) {
		struct pool_row *p = &r->pools[i];
		struct iface_row *ir = p->is ? iface_row_of(r, p->is) : NULL;

		if (!p->has_delta)
			continue;
		if (p->has_drv) {
			p->recycle = recycle_rate(p->d.hold, drv_consumed(&p->drv));
			p->consumed_src = "ppnic";
		} else if (p->has_allocs) {
			p->recycle = recycle_rate(p->d.hold, p->allocs);
			p->consumed_src = "fexit";
		} else if (ir && ir->has_delta && p->ps->p.attr != PP_ATTR_PROG_RUN) {
			p->recycle = ir->recycle;
			p->consumed_src = "xdp";
		}
	}
}

static const char *human(double v, char *buf, size_t len)
{
	if (v >= 1e9)
		snprintf(buf, len, "%.2fG", v / 1e9);
	else if (v >= 1e6)
		snprintf(buf, len, "%.2fM", v / 1e6);
	else if (v >= 1e4)
		snprintf(buf, len, "%.1fk", v / 1e3);
	else
		snprintf(buf, len, "%.0f", v);
	return buf;
}

static const char *bytes_h(__u64 b, char *buf, size_t len)
{
	if (b >= 1ULL << 30)
		snprintf(buf, len, "%.1f GiB", b / (double)(1ULL << 30));
	else if (b >= 1ULL << 20)
		snprintf(buf, len, "%.1f MiB", b / (double)(1ULL << 20));
	else
		snprintf(buf, len, "%llu KiB", (unsigned long long)(b >> 10));
	return buf;
}

static const char *pct(double v, char *buf, size_t len)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.2f%%", v * 100);
	return buf;
}

/* Owner order: attribution, netns, ifindex; 0 when the owner is the same. */
static int pool_row_cmp(const struct pool_row *a, const struct pool_row *b)
{
	const struct pp_pool *x = &a->ps->p, *y = &b->ps->p;

	if (x->attr != y->attr)
		return x->attr < y->attr ? -1 : 1;
	if (x->netns_ino != y->netns_ino)
		return x->netns_ino < y->netns_ino ? -1 : 1;
	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	return 0;
}

static int pool_row_sort(const void *a, const void *b)
{
	const struct pool_row *x = a, *y = b;
	int d = pool_row_cmp(x, y);

	if (d)
		return d;
	return x->ps->p.first_ns < y->ps->p.first_ns ? -1 :
	       x->ps->p.first_ns > y->ps->p.first_ns;
}

/*
 * ppnic's breakdown of the interval, per second: where the pool found the
 * buffers the driver posted (its cache, its ptr_ring, the page allocator)
 * and where the pages the driver gave up went.
 */
static void print_drv_text(const struct report *r, const struct pp_drv *d)
{
	char b[6][32];

	printf("      ppnic alloc/s: fast %s ring %s slow %s fail %s",
	       human(per_second(d->alloc_fast, r->secs), b[0], sizeof(b[0])),
	       human(per_second(d->alloc_ring, r->secs), b[1], sizeof(b[1])),
	       human(per_second(d->alloc_slow, r->secs), b[2], sizeof(b[2])),
	       human(per_second(d->alloc_fail, r->secs), b[3], sizeof(b[3])));
	printf("  pages in/s: from ring %s from allocator %s\n",
	       human(per_second(d->ring_pages, r->secs), b[4], sizeof(b[4])),
	       human(per_second(d->slow_pages, r->secs), b[5], sizeof(b[5])));
	printf("      ppnic recycle/s: cached %s ring %s released %s",
	       human(per_second(d->recycle_cached, r->secs), b[0], sizeof(b[0])),
	       human(per_second(d->recycle_ring, r->secs), b[1], sizeof(b[1])),
	       human(per_second(d->recycle_released, r->secs), b[2], sizeof(b[2])));
	printf("  to stack %s redirected %s",
	       human(per_second(d->skb_pages, r->secs), b[3], sizeof(b[3])),
	       human(per_second(d->redirect_pages, r->secs), b[4], sizeof(b[4])));
	if (d->held || d->unheld)
		printf("  held %llu unheld %llu", (unsigned long long)d->held,
		       (unsigned long long)d->unheld);
	printf("\n");
}

static void json_drv(const char *name, const struct pp_drv *d)
{
	unsigned int k;

	jsonw_name(json_wtr, name);
	jsonw_start_object(json_wtr);
	for (k = 0; k < PP_DRV_NR_CTRS; k++)
		jsonw_uint_field(json_wtr, drv_names[k], *drv_ctr((struct pp_drv *)d, k));
	jsonw_end_object(json_wtr);
}

static void print_pool_text(struct stats_ctx *c, const struct report *r,
			    const struct pool_row *p)
{
	const struct pp_pool *pp = &p->ps->p;
	char a[32], b[32], m[32], q[32];
	__s64 inflight = pool_inflight(pp);

	printf("    pool %-6u %-11s size %-5u hold/s %-7s release/s %-7s inflight %lld (%s)"
	       "  cache %u/%u  ring %u/%u  recycle %s",
	       pp->id, pp_attr_name(pp->attr), pp->pool_size,
	       p->has_delta ? human(p->d.hold_ps, a, sizeof(a)) : "-",
	       p->has_delta ? human(p->d.release_ps, b, sizeof(b)) : "-",
	       (long long)inflight, bytes_h(pool_inflight_bytes(pp, c->page_shift), m, sizeof(m)),
	       pp->cache_count, PP_ALLOC_CACHE_SIZE, pp->ring_count, pp->ring_size,
	       pct(p->recycle, q, sizeof(q)));
	if (p->state != POOL_LIVE)
		printf("  [%s%s]", pool_state_name(p->state),
		       p->state == POOL_ZOMBIE ? ", owner gone" : "");
	if (p->state == POOL_ZOMBIE || p->state == POOL_DRAINED)
		printf(" destroyed %.0f s ago, %u retries",
		       pool_destroyed_age(pp, r->cur->mono_ns),
		       pp->release_ticks ? pp->release_ticks - 1 : 0);
	if (p->nl)
		printf("  netlink: inflight %llu%s",
		       (unsigned long long)p->nl->inflight,
		       p->nl->has_stats ? " (+stats)" : "");
	printf("\n");
	if (p->has_drv)
		print_drv_text(r, &p->drv);
}

static const struct xdp_ev_sample *find_ev(const struct stats_snapshot *s,
					   const struct pp_xdp_evkey *k)
{
	unsigned int i;

	for (i = 0; i < s->nr_evs; i++)
		if (!memcmp(&s->evs[i].key, k, sizeof(*k)))
			return &s->evs[i];
	return NULL;
}

static const char *xdp_ev_code_name(__u32 type)
{
	switch (type) {
	case PP_XDP_EXCEPTION: return "action";
	case PP_XDP_REDIRECT_ERR: return "errno";
	case PP_XDP_DEVMAP_XMIT: return "to ifindex";
	case PP_XDP_CPUMAP_ENQUEUE: return "to cpu";
	case PP_XDP_CPUMAP_KTHREAD: return "map";
	default: return "code";
	}
}

/* Buffer events of the interval: exceptions, redirect errors, xmit drops. */
static void print_xdp_events_text(struct stats_ctx *c, const struct report *r)
{
	const struct stats_snapshot *s = r->cur;
	char label[IF_NAMESIZE + 8];
	unsigned int i;

	for (i = 0; i < s->nr_evs; i++) {
		const struct xdp_ev_sample *e = &s->evs[i];
		const struct xdp_ev_sample *o = find_ev(r->prev, &e->key);
		__u64 events = e->val.events - (o ? o->val.events : 0);
		__u64 drops = e->val.drops - (o ? o->val.drops : 0);
		__u64 frames = e->val.frames - (o ? o->val.frames : 0);

		if (!events || e->key.type == PP_XDP_MEM_DISCONNECT)
			continue;
		iface_label(c, s, e->key.ifindex, e->key.netns_ino, label, sizeof(label));
		if (e->key.ifindex && c->nr_sel &&
		    !iface_selected(c, label, e->key.ifindex, e->key.netns_ino))
			continue;
		printf("  xdp %s on %s %s %d: %.0f events/s, %.0f frames/s, %.0f drops/s\n",
		       pp_xdp_ev_name(e->key.type), label, xdp_ev_code_name(e->key.type),
		       e->key.code, per_second(events, r->secs),
		       per_second(frames, r->secs), per_second(drops, r->secs));
	}
}

/*
 * Pools netlink lists (bound to a netdev of this netns) that tracing has
 * not seen yet: created before tracing and without a page_pool event since.
 */
static bool nl_pool_untraced(const struct stats_ctx *c, const struct report *r,
			     const struct nl_pool *np)
{
	const struct stats_snapshot *s = r->cur;
	unsigned int i;

	for (i = 0; i < s->nr_pools; i++)
		if (s->pools[i].p.id == np->id)
			return false;
	return !c->nr_sel || iface_selected(c, NULL, np->ifindex, c->cur_netns);
}

static void print_text(struct stats_ctx *c, const struct report *r)
{
	char tbuf[32], a[32], b[32], q[32];
	const struct pool_row *last_other = NULL;
	time_t t = r->cur->real_ns / 1000000000ULL;
	unsigned int i, j, k;
	bool any;

	strftime(tbuf, sizeof(tbuf), "%H:%M:%S", localtime(&t));
	printf("%s  interval %.2f s  source %s%s%s\n", tbuf, r->secs,
	       trace_source_summary(&c->ts.info),
	       c->ts.info.src[PP_EV_FAST_ALLOC] == PP_SRC_FENTRY ? "+fexit" : "",
	       r->cur->drv_ok ? "  ppnic tracepoints (raw_tp)" : "");

	for (i = 0; i < r->nr_ifaces; i++) {
		const struct iface_row *ir = &r->ifaces[i];
		const struct iface_sample *is = ir->is;

		printf("  %s (ifindex %u", is->ifname, is->ifindex);
		if (is->netns_ino != c->cur_netns)
			printf(", netns %llu", (unsigned long long)is->netns_ino);
		printf(") %s:", is->prog);
		if (!ir->has_delta) {
			printf(" (first sample)\n");
		} else {
			bool idle = true;

			for (k = 0; k < PPXDP_NR_ACTIONS; k++) {
				if (!ir->rates[k].pps)
					continue;
				idle = false;
				printf(" %s %s pps %.1f Mbit/s", stats_fields[k].name,
				       human(ir->rates[k].pps, a, sizeof(a)),
				       ir->rates[k].bps / 1e6);
			}
			if (idle)
				printf(" idle");
			printf("  | pools %u new %s/s recycle %s\n", ir->nr_pools,
			       human(per_second(ir->new_pages, r->secs), b, sizeof(b)),
			       pct(ir->recycle, q, sizeof(q)));
		}
		for (j = 0; j < r->nr_pools; j++)
			if (r->pools[j].is == is && r->pools[j].ps->p.attr != PP_ATTR_PROG_RUN)
				print_pool_text(c, r, &r->pools[j]);
	}

	/* r->pools is sorted by owner: one heading per owner. */
	any = false;
	for (j = 0; j < r->nr_pools; j++) {
		const struct pool_row *p = &r->pools[j];
		const struct pool_row *prev = last_other;

		if (p->is && p->ps->p.attr != PP_ATTR_PROG_RUN)
			continue;
		if (!any)
			printf("  other pools (interface without a ppxdp program, "
			       "BPF_PROG_RUN, or unattributed):\n");
		any = true;
		last_other = p;
		if (!prev || pool_row_cmp(prev, p))
			printf("   %s%s\n", p->ps->p.ifindex ? p->ifname : "unattributed",
			       p->ps->p.attr == PP_ATTR_PROG_RUN ?
				       " (BPF_PROG_RUN live frames)" : "");
		print_pool_text(c, r, p);
	}
	for (j = 0; r->cur->nl_ok && j < r->cur->nr_nl; j++) {
		const struct nl_pool *np = &r->cur->nl[j];

		if (nl_pool_untraced(c, r, np))
			printf("  netlink pool %u (ifindex %u, napi %u): inflight %llu, "
			       "no page_pool event since tracing started\n", np->id,
			       np->ifindex, np->napi_id, (unsigned long long)np->inflight);
	}
	print_xdp_events_text(c, r);
	if (!r->nr_ifaces && !r->nr_pools)
		printf("  no pool events yet and no ppxdp program attached\n");
	fflush(stdout);
}

static void json_pool(struct stats_ctx *c, const struct report *r,
		      const struct pool_row *p)
{
	const struct pp_pool *pp = &p->ps->p;
	char addr[32];

	jsonw_start_object(json_wtr);
	jsonw_uint_field(json_wtr, "id", pp->id);
	snprintf(addr, sizeof(addr), "0x%llx", (unsigned long long)pp->pool);
	jsonw_string_field(json_wtr, "pool", addr);
	jsonw_string_field(json_wtr, "state", pool_state_name(p->state));
	jsonw_string_field(json_wtr, "attribution", pp_attr_name(pp->attr));
	if (pp->ifindex) {
		jsonw_string_field(json_wtr, "ifname", p->ifname);
		jsonw_uint_field(json_wtr, "ifindex", pp->ifindex);
		jsonw_uint_field(json_wtr, "netns_ino", pp->netns_ino);
	} else {
		jsonw_null_field(json_wtr, "ifname");
		jsonw_null_field(json_wtr, "ifindex");
		jsonw_null_field(json_wtr, "netns_ino");
	}
	jsonw_uint_field(json_wtr, "queue", pp->queue);
	jsonw_uint_field(json_wtr, "napi_id", pp->napi_id);
	jsonw_uint_field(json_wtr, "pool_size", pp->pool_size);
	jsonw_uint_field(json_wtr, "order", pp->order);
	jsonw_int_field(json_wtr, "nid", pp->nid);
	jsonw_uint_field(json_wtr, "nid_moves", pp->nid_moves);
	jsonw_uint_field(json_wtr, "hold", pp->hold);
	jsonw_uint_field(json_wtr, "release", pp->release);
	if (p->has_delta) {
		jsonw_uint_field(json_wtr, "hold_delta", p->d.hold);
		jsonw_uint_field(json_wtr, "release_delta", p->d.release);
		jsonw_float_field(json_wtr, "hold_per_s", p->d.hold_ps);
		jsonw_float_field(json_wtr, "release_per_s", p->d.release_ps);
	} else {
		jsonw_null_field(json_wtr, "hold_delta");
		jsonw_null_field(json_wtr, "release_delta");
		jsonw_null_field(json_wtr, "hold_per_s");
		jsonw_null_field(json_wtr, "release_per_s");
	}
	jsonw_int_field(json_wtr, "inflight", pool_inflight(pp));
	jsonw_uint_field(json_wtr, "inflight_bytes", pool_inflight_bytes(pp, c->page_shift));
	jsonw_uint_field(json_wtr, "cache_count", pp->cache_count);
	jsonw_uint_field(json_wtr, "cache_size", PP_ALLOC_CACHE_SIZE);
	jsonw_uint_field(json_wtr, "ring_count", pp->ring_count);
	jsonw_uint_field(json_wtr, "ring_size", pp->ring_size);
	jsonw_float_field(json_wtr, "recycle_rate", p->recycle);
	if (p->consumed_src)
		jsonw_string_field(json_wtr, "consumed_source", p->consumed_src);
	else
		jsonw_null_field(json_wtr, "consumed_source");
	if (p->has_allocs)
		jsonw_uint_field(json_wtr, "allocs_delta", p->allocs);
	if (p->has_drv) {
		json_drv("driver", &p->drv);
		json_drv("driver_total", &p->ps->drv);
	} else {
		jsonw_null_field(json_wtr, "driver");
		jsonw_null_field(json_wtr, "driver_total");
	}
	if (pp->flags & PP_F_DESTROYED) {
		jsonw_float_field(json_wtr, "destroyed_age_s",
				  pool_destroyed_age(pp, r->cur->mono_ns));
		jsonw_uint_field(json_wtr, "release_retries",
				 pp->release_ticks ? pp->release_ticks - 1 : 0);
	} else {
		jsonw_null_field(json_wtr, "destroyed_age_s");
		jsonw_null_field(json_wtr, "release_retries");
	}
	jsonw_float_field(json_wtr, "age_s", (r->cur->mono_ns - pp->first_ns) / 1e9);
	if (p->nl) {
		jsonw_name(json_wtr, "netlink");
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "ifindex", p->nl->ifindex);
		jsonw_uint_field(json_wtr, "napi_id", p->nl->napi_id);
		jsonw_uint_field(json_wtr, "inflight", p->nl->inflight);
		jsonw_uint_field(json_wtr, "inflight_mem", p->nl->inflight_mem);
		jsonw_uint_field(json_wtr, "detach_time", p->nl->detach_time);
		if (p->nl->has_stats) {
			jsonw_uint_field(json_wtr, "alloc_fast", p->nl->alloc_fast);
			jsonw_uint_field(json_wtr, "alloc_slow", p->nl->alloc_slow);
			jsonw_uint_field(json_wtr, "recycle_cached", p->nl->recycle_cached);
			jsonw_uint_field(json_wtr, "recycle_ring", p->nl->recycle_ring);
			jsonw_uint_field(json_wtr, "recycle_ring_full", p->nl->recycle_ring_full);
			jsonw_uint_field(json_wtr, "recycle_released_refcnt",
					 p->nl->recycle_released_refcnt);
		}
		jsonw_end_object(json_wtr);
	}
	jsonw_end_object(json_wtr);
}

static void json_iface(const struct iface_row *ir)
{
	const struct iface_sample *is = ir->is;
	unsigned int k;

	jsonw_start_object(json_wtr);
	jsonw_string_field(json_wtr, "ifname", is->ifname);
	jsonw_uint_field(json_wtr, "ifindex", is->ifindex);
	jsonw_uint_field(json_wtr, "netns_ino", is->netns_ino);
	jsonw_string_field(json_wtr, "prog", is->prog);
	jsonw_name(json_wtr, "packets");
	jsonw_start_object(json_wtr);
	for (k = 0; k < PPXDP_NR_CTRS; k++)
		jsonw_uint_field(json_wtr, stats_fields[k].name,
				 stats_ctr(&is->sum, k)->packets);
	jsonw_end_object(json_wtr);
	jsonw_name(json_wtr, "rates");
	if (ir->has_delta) {
		jsonw_start_object(json_wtr);
		for (k = 0; k < PPXDP_NR_CTRS; k++) {
			jsonw_name(json_wtr, stats_fields[k].name);
			jsonw_start_object(json_wtr);
			jsonw_float_field(json_wtr, "pps", ir->rates[k].pps);
			jsonw_float_field(json_wtr, "mbps", ir->rates[k].bps / 1e6);
			jsonw_end_object(json_wtr);
		}
		jsonw_end_object(json_wtr);
		jsonw_uint_field(json_wtr, "consumed", ir->consumed);
	} else {
		jsonw_null(json_wtr);
		jsonw_null_field(json_wtr, "consumed");
	}
	jsonw_uint_field(json_wtr, "pools", ir->nr_pools);
	jsonw_uint_field(json_wtr, "new_pages", ir->new_pages);
	jsonw_float_field(json_wtr, "recycle_rate", ir->recycle);
	jsonw_end_object(json_wtr);
}

static void print_json(struct stats_ctx *c, const struct report *r)
{
	const struct stats_snapshot *s = r->cur;
	unsigned int i;

	jsonw_start_object(json_wtr);
	jsonw_string_field(json_wtr, "type", "interval");
	jsonw_uint_field(json_wtr, "timestamp_ns", s->real_ns);
	jsonw_float_field(json_wtr, "interval_s", r->secs);
	jsonw_string_field(json_wtr, "source", trace_source_summary(&c->ts.info));
	jsonw_bool_field(json_wtr, "fast_path",
			 c->ts.info.src[PP_EV_FAST_ALLOC] == PP_SRC_FENTRY);
	jsonw_bool_field(json_wtr, "netlink", s->nl_ok);
	jsonw_bool_field(json_wtr, "driver", s->drv_ok);
	jsonw_name(json_wtr, "interfaces");
	jsonw_start_array(json_wtr);
	for (i = 0; i < r->nr_ifaces; i++)
		json_iface(&r->ifaces[i]);
	jsonw_end_array(json_wtr);
	jsonw_name(json_wtr, "pools");
	jsonw_start_array(json_wtr);
	for (i = 0; i < r->nr_pools; i++)
		json_pool(c, r, &r->pools[i]);
	jsonw_end_array(json_wtr);
	jsonw_name(json_wtr, "netlink_only_pools");
	jsonw_start_array(json_wtr);
	for (i = 0; s->nl_ok && i < s->nr_nl; i++) {
		const struct nl_pool *np = &s->nl[i];

		if (!nl_pool_untraced(c, r, np))
			continue;
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "id", np->id);
		jsonw_uint_field(json_wtr, "ifindex", np->ifindex);
		jsonw_uint_field(json_wtr, "napi_id", np->napi_id);
		jsonw_uint_field(json_wtr, "inflight", np->inflight);
		jsonw_uint_field(json_wtr, "inflight_mem", np->inflight_mem);
		jsonw_uint_field(json_wtr, "detach_time", np->detach_time);
		jsonw_end_object(json_wtr);
	}
	jsonw_end_array(json_wtr);
	jsonw_name(json_wtr, "xdp_events");
	jsonw_start_array(json_wtr);
	for (i = 0; i < s->nr_evs; i++) {
		const struct xdp_ev_sample *e = &s->evs[i];

		if (e->key.ifindex && c->nr_sel &&
		    !iface_selected(c, NULL, e->key.ifindex, e->key.netns_ino))
			continue;
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "type", pp_xdp_ev_name(e->key.type));
		jsonw_uint_field(json_wtr, "ifindex", e->key.ifindex);
		jsonw_uint_field(json_wtr, "netns_ino", e->key.netns_ino);
		jsonw_int_field(json_wtr, "code", e->key.code);
		jsonw_uint_field(json_wtr, "events", e->val.events);
		jsonw_uint_field(json_wtr, "frames", e->val.frames);
		jsonw_uint_field(json_wtr, "drops", e->val.drops);
		jsonw_end_object(json_wtr);
	}
	jsonw_end_array(json_wtr);
	jsonw_end_object(json_wtr);
}

/* Prometheus node_exporter textfile, rewritten atomically. */

/*
 * A pool's label: its netlink id, or its address on kernels that give none
 * (before 6.8), so that two pools never share a series.
 */
static const char *prom_pool_label(const struct pool_row *p, char *buf, size_t len)
{
	if (p->ps->p.id)
		snprintf(buf, len, "%u", p->ps->p.id);
	else
		snprintf(buf, len, "0x%llx", (unsigned long long)p->ps->p.pool);
	return buf;
}

static void prom_labels(FILE *f, const struct pool_row *p, const char *extra)
{
	char id[32];

	fprintf(f, "{pool=\"%s\",ifname=\"%s\",netns=\"%u\",attribution=\"%s\"%s}",
		prom_pool_label(p, id, sizeof(id)), p->ps->p.ifindex ? p->ifname : "",
		p->ps->p.netns_ino, pp_attr_name(p->ps->p.attr), extra);
}

struct prom_metric {
	const char *name;
	const char *type;
	const char *help;
};

static const struct prom_metric prom_pool_metrics[] = {
	{ "ppxdp_pool_hold_pages_total", "counter",
	  "Pages the pool took from the page allocator (kernel hold counter, 32-bit)." },
	{ "ppxdp_pool_release_pages_total", "counter",
	  "Pages the pool gave back to the page allocator (kernel release counter, 32-bit)." },
	{ "ppxdp_pool_inflight_pages", "gauge", "Pages out of the pool: hold - release." },
	{ "ppxdp_pool_inflight_bytes", "gauge", "inflight pages in bytes." },
	{ "ppxdp_pool_cache_pages", "gauge", "Pages in the pool's lockless cache at its last event." },
	{ "ppxdp_pool_ring_pages", "gauge", "Pages in the pool's ptr_ring at its last event." },
	{ "ppxdp_pool_recycle_ratio", "gauge",
	  "1 - new pages / buffers consumed over the last interval." },
	{ "ppxdp_pool_zombie", "gauge", "1 when destroyed with pages still in flight." },
	{ "ppxdp_pool_destroyed_seconds", "gauge", "Seconds since page_pool_destroy(), 0 if live." },
};

static void prom_pool_value(FILE *f, struct stats_ctx *c, const struct report *r,
			    unsigned int m, const struct pool_row *p)
{
	const struct pp_pool *pp = &p->ps->p;
	double v;

	switch (m) {
	case 0: v = pp->hold; break;
	case 1: v = pp->release; break;
	case 2: v = pool_inflight(pp); break;
	case 3: v = pool_inflight_bytes(pp, c->page_shift); break;
	case 4: v = pp->cache_count; break;
	case 5: v = pp->ring_count; break;
	case 6: v = p->recycle; break;
	case 7: v = p->state == POOL_ZOMBIE; break;
	default: v = pool_destroyed_age(pp, r->cur->mono_ns); break;
	}
	if (isnan(v))
		return; /* absent sample rather than NaN */
	fprintf(f, "%s", prom_pool_metrics[m].name);
	prom_labels(f, p, "");
	fprintf(f, " %.17g\n", v);
}

static int write_prometheus(struct stats_ctx *c, const struct report *r)
{
	char tmp[4096];
	unsigned int m, i, k;
	FILE *f;
	int err = 0;

	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", c->prometheus, getpid());
	f = fopen(tmp, "w");
	if (!f) {
		err = -errno;
		p_err("cannot write %s: %s (the directory must exist and be writable)",
		      tmp, strerror(-err));
		return err;
	}
	for (m = 0; m < sizeof(prom_pool_metrics) / sizeof(prom_pool_metrics[0]); m++) {
		fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", prom_pool_metrics[m].name,
			prom_pool_metrics[m].help, prom_pool_metrics[m].name,
			prom_pool_metrics[m].type);
		for (i = 0; i < r->nr_pools; i++)
			if (r->pools[i].state != POOL_GONE)
				prom_pool_value(f, c, r, m, &r->pools[i]);
	}
	fprintf(f, "# HELP ppxdp_pool_ppnic_total ppnic driver counts per pool (its tracepoints): "
		   "buffers posted by source, pages moved, recycle decisions.\n"
		   "# TYPE ppxdp_pool_ppnic_total counter\n");
	for (i = 0; i < r->nr_pools; i++) {
		const struct pool_row *p = &r->pools[i];

		if (p->state == POOL_GONE || !p->ps->has_drv)
			continue;
		for (k = 0; k < PP_DRV_NR_CTRS; k++) {
			char extra[48];

			snprintf(extra, sizeof(extra), ",counter=\"%s\"", drv_names[k]);
			fprintf(f, "ppxdp_pool_ppnic_total");
			prom_labels(f, p, extra);
			fprintf(f, " %llu\n",
				(unsigned long long)*drv_ctr((struct pp_drv *)&p->ps->drv, k));
		}
	}
	fprintf(f, "# HELP ppxdp_xdp_packets_total Frames per XDP action, ppxdp programs.\n"
		   "# TYPE ppxdp_xdp_packets_total counter\n");
	for (i = 0; i < r->nr_ifaces; i++)
		for (k = 0; k < PPXDP_NR_CTRS; k++)
			fprintf(f, "ppxdp_xdp_packets_total{ifname=\"%s\",netns=\"%llu\",action=\"%s\"} %llu\n",
				r->ifaces[i].is->ifname,
				(unsigned long long)r->ifaces[i].is->netns_ino,
				stats_fields[k].name,
				(unsigned long long)stats_ctr(&r->ifaces[i].is->sum, k)->packets);
	fprintf(f, "# HELP ppxdp_xdp_bytes_total Frame bytes per XDP action, ppxdp programs.\n"
		   "# TYPE ppxdp_xdp_bytes_total counter\n");
	for (i = 0; i < r->nr_ifaces; i++)
		for (k = 0; k < PPXDP_NR_CTRS; k++)
			fprintf(f, "ppxdp_xdp_bytes_total{ifname=\"%s\",netns=\"%llu\",action=\"%s\"} %llu\n",
				r->ifaces[i].is->ifname,
				(unsigned long long)r->ifaces[i].is->netns_ino,
				stats_fields[k].name,
				(unsigned long long)stats_ctr(&r->ifaces[i].is->sum, k)->bytes);
	fprintf(f, "# HELP ppxdp_interface_recycle_ratio 1 - new pages of the interface's pools / frames its XDP programs saw, last interval.\n"
		   "# TYPE ppxdp_interface_recycle_ratio gauge\n");
	for (i = 0; i < r->nr_ifaces; i++)
		if (!isnan(r->ifaces[i].recycle))
			fprintf(f, "ppxdp_interface_recycle_ratio{ifname=\"%s\",netns=\"%llu\"} %.17g\n",
				r->ifaces[i].is->ifname,
				(unsigned long long)r->ifaces[i].is->netns_ino,
				r->ifaces[i].recycle);
	fprintf(f, "# HELP ppxdp_stats_interval_seconds Length of the last interval.\n"
		   "# TYPE ppxdp_stats_interval_seconds gauge\n"
		   "ppxdp_stats_interval_seconds %.6f\n", r->secs);
	if (fflush(f) || ferror(f))
		err = -EIO;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, c->prometheus))
		err = -errno;
	if (err) {
		unlink(tmp);
		p_err("cannot write %s: %s", c->prometheus, strerror(-err));
	}
	return err;
}

static void account(struct stats_ctx *c, const struct report *r)
{
	unsigned int i, zombies = 0;
	__u64 new_pages = 0, consumed = 0;

	for (i = 0; i < r->nr_ifaces; i++) {
		if (!r->ifaces[i].has_delta)
			continue;
		c->frames_total += r->ifaces[i].consumed;
		if (r->ifaces[i].nr_pools) {
			new_pages += r->ifaces[i].new_pages;
			consumed += r->ifaces[i].consumed;
		}
	}
	if (r->prev)
		recycle_total_add(&c->total, new_pages, consumed);
	for (i = 0; i < r->nr_pools; i++) {
		const struct pool_row *p = &r->pools[i];

		if (p->has_delta) {
			c->hold_total += p->d.hold;
			c->release_total += p->d.release;
		}
		if (p->has_drv) {
			unsigned int k;

			for (k = 0; k < PP_DRV_NR_CTRS; k++)
				*drv_ctr(&c->drv_total, k) += *drv_ctr((struct pp_drv *)&p->drv, k);
			c->drv_seen = true;
		}
		if (!r->prev || !snapshot_find_pool(r->prev, &p->ps->p))
			c->pools_seen++;
		if (p->state == POOL_GONE)
			c->pools_gone++;
		if (p->state == POOL_ZOMBIE)
			zombies++;
		if (pool_inflight(&p->ps->p) > c->peak_inflight)
			c->peak_inflight = pool_inflight(&p->ps->p);
	}
	if (zombies > c->peak_zombies)
		c->peak_zombies = zombies;
}

static void print_summary(struct stats_ctx *c, __u64 end_mono)
{
	double secs = (end_mono - c->start_mono) / 1e9;
	double rate = recycle_total_rate(&c->total);
	char q[32];

	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "type", "summary");
		jsonw_float_field(json_wtr, "duration_s", secs);
		jsonw_uint_field(json_wtr, "intervals", c->total.intervals);
		jsonw_uint_field(json_wtr, "frames", c->frames_total);
		jsonw_float_field(json_wtr, "frames_per_s", per_second(c->frames_total, secs));
		jsonw_uint_field(json_wtr, "hold", c->hold_total);
		jsonw_uint_field(json_wtr, "release", c->release_total);
		jsonw_float_field(json_wtr, "hold_per_s", per_second(c->hold_total, secs));
		jsonw_uint_field(json_wtr, "new_pages", c->total.new_pages);
		jsonw_uint_field(json_wtr, "consumed", c->total.consumed);
		jsonw_float_field(json_wtr, "recycle_rate", rate);
		jsonw_uint_field(json_wtr, "pools_seen", c->pools_seen);
		jsonw_uint_field(json_wtr, "pools_gone", c->pools_gone);
		jsonw_uint_field(json_wtr, "peak_zombies", c->peak_zombies);
		jsonw_int_field(json_wtr, "peak_inflight", c->peak_inflight);
		if (c->drv_seen)
			json_drv("driver", &c->drv_total);
		else
			jsonw_null_field(json_wtr, "driver");
		jsonw_end_object(json_wtr);
		return;
	}
	printf("summary: %.1f s, %u intervals, %llu frames (%.0f/s avg), "
	       "pages taken %llu (%.1f/s avg), returned %llu\n",
	       secs, c->total.intervals, (unsigned long long)c->frames_total,
	       per_second(c->frames_total, secs), (unsigned long long)c->hold_total,
	       per_second(c->hold_total, secs), (unsigned long long)c->release_total);
	printf("         recycle rate %s over the run (1 - %llu new pages / %llu buffers "
	       "consumed); %u pools seen, %u gone, peak inflight %lld pages, "
	       "peak zombies %u\n",
	       pct(rate, q, sizeof(q)), (unsigned long long)c->total.new_pages,
	       (unsigned long long)c->total.consumed, c->pools_seen, c->pools_gone,
	       (long long)c->peak_inflight, c->peak_zombies);
	if (c->drv_seen) {
		const struct pp_drv *d = &c->drv_total;

		printf("         ppnic: %llu buffers posted (fast %llu, ring %llu, "
		       "slow %llu, fail %llu), recycled cached %llu, ring %llu, "
		       "released %llu, to stack %llu, redirected %llu\n",
		       (unsigned long long)drv_consumed(d),
		       (unsigned long long)d->alloc_fast, (unsigned long long)d->alloc_ring,
		       (unsigned long long)d->alloc_slow, (unsigned long long)d->alloc_fail,
		       (unsigned long long)d->recycle_cached,
		       (unsigned long long)d->recycle_ring,
		       (unsigned long long)d->recycle_released,
		       (unsigned long long)d->skb_pages,
		       (unsigned long long)d->redirect_pages);
	}
}

/* Options */

struct stats_opts {
	double interval;
	__u32 count;
	const char *prometheus;
};

static const struct opt_spec stats_specs[] = {
	{ .name = "interval", .type = OPT_DOUBLE, .metavar = "S",
	  .offset = offsetof(struct stats_opts, interval), .min = 0.05, .max = 3600,
	  .help = "seconds between reports (default 1)" },
	{ .name = "count", .type = OPT_U32, .metavar = "N",
	  .offset = offsetof(struct stats_opts, count),
	  .help = "stop after N reports (default: until Ctrl-C)" },
	{ .name = "prometheus", .type = OPT_STRING, .metavar = "FILE",
	  .offset = offsetof(struct stats_opts, prometheus),
	  .help = "rewrite FILE (node_exporter textfile) atomically each interval" },
	{ NULL },
};

static const struct opt_cmd stats_cmd = {
	.name = "stats [IF...]",
	.summary = "live page_pool recycling per pool and XDP rates per interface",
	.specs = stats_specs,
};

static const char stats_help_tail[] =
	"\n"
	"IF...: interfaces of this network namespace (-n NETNS selects one); a\n"
	"name not found here selects the ppxdp-attached interfaces of that name in\n"
	"any namespace. Default: every interface and pool.\n"
	"\n"
	"recycle rate = 1 - new pages / buffers consumed, over each interval:\n"
	"  new pages: growth of the kernel's hold counter (pages taken from the\n"
	"  page allocator) of the pools the kernel ties to the interface;\n"
	"  buffers consumed: frames the interface's ppxdp XDP programs saw (all\n"
	"  actions); for ppnic pools the buffers the driver posted (its own\n"
	"  ppnic_refill tracepoint), else each pool's allocations where fexit loads.\n"
	"ppnic pools also show the driver's breakdown: buffers from the pool's\n"
	"cache (fast), its ptr_ring (ring) or the page allocator (slow), and pages\n"
	"recycled into the cache, the ring, released, passed to the stack or\n"
	"redirected. ppnic's tracepoints are attached while this command runs\n"
	"(a link holds the module: rmmod ppnic fails, in use, until it exits).\n"
	"hold/s, release/s: pages taken from / given back to the page allocator.\n"
	"inflight = hold - release. cache, ring: fill at the pool's last event.\n"
	"zombie: destroyed by its owner with pages still in flight.\n";

/*
 * Split argv into interface names (bare words) and options for opts_parse():
 * a word right after an option that takes a value is that value.
 */
static int split_words(const struct opt_spec *specs, int argc, char **argv,
		char **words, int *nr_words, char **rest, int *nr_rest)
{
	bool only_words = false;
	int i;

	*nr_words = *nr_rest = 0;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		const struct opt_spec *s;
		size_t len;

		if (only_words || a[0] != '-' || !a[1]) {
			words[(*nr_words)++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--")) {
			only_words = true;
			continue;
		}
		rest[(*nr_rest)++] = argv[i];
		if (a[1] != '-' || strchr(a, '='))
			continue;
		len = strlen(a + 2);
		for (s = specs; s->name; s++)
			if (s->type != OPT_BOOL && !strncmp(s->name, a + 2, len))
				break;
		if (s->name && i + 1 < argc)
			rest[(*nr_rest)++] = argv[++i];
	}
	return 0;
}

static int select_ifaces(struct stats_ctx *c, char **words, int nr)
{
	int i;

	c->sel = calloc(nr ? nr : 1, sizeof(*c->sel));
	if (!c->sel)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		if (strlen(words[i]) >= IF_NAMESIZE)
			return p_usage_err("interface name '%s' is too long", words[i]);
		c->sel[i].name = words[i];
		c->sel[i].ifindex = if_nametoindex(words[i]);
	}
	c->nr_sel = nr;
	return 0;
}

/* Interfaces named but neither here nor in a ppxdp pin directory. */
static int check_selection(struct stats_ctx *c, const struct stats_snapshot *s)
{
	unsigned int i, j;

	for (i = 0; i < c->nr_sel; i++) {
		bool found = c->sel[i].ifindex != 0;

		for (j = 0; !found && j < s->nr_ifaces; j++)
			found = !strcmp(s->ifaces[j].ifname, c->sel[i].name);
		if (!found)
			return p_usage_err("no interface '%s' in this network namespace nor "
					   "under %s (use -n NETNS, or 'ppxdp status')",
					   c->sel[i].name, PPXDP_PIN_ROOT);
	}
	return 0;
}

static void report_interval(struct stats_ctx *c, struct stats_snapshot *cur,
			    struct stats_snapshot *prev)
{
	struct report r = { .cur = cur, .prev = prev };

	r.secs = prev ? (cur->mono_ns - prev->mono_ns) / 1e9 : 0;
	r.pools = calloc(cur->nr_pools + 1, sizeof(*r.pools));
	r.ifaces = calloc(cur->nr_ifaces + 1, sizeof(*r.ifaces));
	if (!r.pools || !r.ifaces)
		goto out;
	build_iface_rows(c, &r);
	build_pool_rows(c, &r);
	qsort(r.pools, r.nr_pools, sizeof(*r.pools), pool_row_sort);
	compute_recycle(&r);
	account(c, &r);
	if (prev) {
		if (json_output)
			print_json(c, &r);
		else
			print_text(c, &r);
	}
	if (c->prometheus)
		write_prometheus(c, &r);
out:
	free(r.pools);
	free(r.ifaces);
}

int do_stats(int argc, char **argv)
{
	struct stats_opts o = { .interval = 1.0 };
	struct trace_config tcfg = { .max_pools = 4096 };
	struct stats_snapshot snaps[2] = {};
	struct stats_ctx c = {};
	char **words, **rest;
	int nr_words, nr_rest, err;
	unsigned int n = 0, cur = 0;
	__u64 next;

	words = calloc(argc + 1, sizeof(*words));
	rest = calloc(argc + 1, sizeof(*rest));
	if (!words || !rest) {
		err = -ENOMEM;
		goto out_free;
	}
	split_words(stats_specs, argc, argv, words, &nr_words, rest, &nr_rest);
	err = opts_parse(&stats_cmd, &o, nr_rest, rest);
	if (err == OPTS_HELP) {
		if (!json_output)
			fputs(stats_help_tail, stdout);
		err = 0;
		goto out_free;
	}
	if (err)
		goto out_free;
	err = select_ifaces(&c, words, nr_words);
	if (err)
		goto out_free;
	c.interval = o.interval;
	c.count = o.count;
	c.prometheus = o.prometheus;
	c.page_shift = __builtin_ctz(sysconf(_SC_PAGESIZE));
	netns_current_ino(&c.cur_netns);

	err = bpffs_prepare(false);
	if (err)
		goto out_free;
	err = trace_session_get(&c.ts, &tcfg);
	if (err)
		goto out_free;
	if (!c.ts.pinned)
		p_note("no pinned tracing session ('%s trace start'): tracing while this "
		       "command runs; pools show from their next page_pool event",
		       bin_name);
	if (nl_pp_open(&c.nl) && verbose)
		p_note("netdev netlink family without page-pool-get: kernel figures not shown");

	stats_signals();
	trace_driver_attach(&c.ts);
	err = stats_sample(&snaps[0], &c.ts, &c.nl);
	if (err)
		goto out_close;
	err = check_selection(&c, &snaps[0]);
	if (err)
		goto out_snaps;
	c.start_mono = snaps[0].mono_ns;
	c.start_real = snaps[0].real_ns;
	report_interval(&c, &snaps[0], NULL);

	next = snaps[0].mono_ns;
	while (!stats_stopped() && (!c.count || n < c.count)) {
		next += (__u64)(c.interval * 1e9);
		stats_sleep_until(next);
		if (stats_stopped())
			break;
		cur ^= 1;
		trace_driver_attach(&c.ts); /* a module loaded since */
		err = stats_sample(&snaps[cur], &c.ts, &c.nl);
		if (err)
			break;
		report_interval(&c, &snaps[cur], &snaps[cur ^ 1]);
		stats_snapshot_free(&snaps[cur ^ 1]);
		n++;
	}
	print_summary(&c, stats_clock_ns(CLOCK_MONOTONIC));
out_snaps:
	stats_snapshot_free(&snaps[0]);
	stats_snapshot_free(&snaps[1]);
out_close:
	nl_pp_close(&c.nl);
	trace_session_close(&c.ts);
out_free:
	free(c.sel);
	free(words);
	free(rest);
	return err;
}
