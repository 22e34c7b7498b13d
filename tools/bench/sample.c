// SPDX-License-Identifier: GPL-2.0
/*
 * bench-sample: the measuring half of `make bench` (tools/bench.sh).
 *
 * Over COUNT intervals of S seconds it reads, at each interval boundary,
 *
 *   - the per-CPU counters of ppxdp XDP programs (pinned PROG_stats maps,
 *     struct ppxdp_xdp_stats), per action and per CPU;
 *   - the CPU time of every online CPU from /proc/stat (user, system,
 *     softirq, irq, steal, idle);
 *   - the page_pool records of `ppxdp trace` (the pinned "pools" and
 *     "gone_pools" maps, struct pp_pool) of the pools attributed to the
 *     given network namespaces: pages taken from the page allocator
 *     (the kernel's hold counter) and pages in flight (hold - release);
 *
 * and prints one JSON object with every interval and the totals. Reads are
 * taken at absolute CLOCK_MONOTONIC deadlines, so intervals do not drift,
 * and each rate uses the measured time between its two reads.
 *
 * The recycle rate of an interval is 1 - new_pages / consumed, where
 * consumed is the frames counted by the --consumed stats map (the program
 * that sees every frame the pools served): see loader/pool_stats.h.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "counters.h"
#include "json_writer.h"
#include "pool_stats.h"
#include "pp_trace.h"

#define MAX_STATS 8
#define MAX_NETNS 8
#define MAX_CPUS 1024

struct stats_src {
	const char *name;
	const char *path;
	int fd;
	struct ppxdp_xdp_stats *percpu;      /* current read, per possible CPU */
	struct ppxdp_xdp_stats *prev_percpu; /* previous read */
	struct ppxdp_xdp_stats *first_percpu; /* read at the window start */
};

/* One CPU's line of /proc/stat, in USER_HZ ticks. */
struct cpu_times {
	unsigned long long user, nice, system, idle, iowait, irq, softirq, steal;
	bool present;
};

/* A pool of one of our network namespaces, identified by (ptr, first_ns). */
struct pool_track {
	__u64 pool;
	__u64 first_ns;
	__u32 hold;	/* kernel hold counter at the last read */
	__u32 release;
	__u32 flags;
	bool seen;	/* present in the current read */
};

struct sampler {
	double interval;
	unsigned int count;
	double delay;
	double wait_for;	/* seconds to wait for --consumed to move */
	const char *trace_dir;
	const char *consumed;

	struct stats_src stats[MAX_STATS];
	unsigned int nr_stats;
	int consumed_idx;

	__u64 netns[MAX_NETNS];
	unsigned int nr_netns;
	int pools_fd, gone_fd;
	struct pool_track *pools;
	size_t nr_pools, cap_pools;

	int nr_possible;
	struct cpu_times *cpu, *prev_cpu, *first_cpu;
	int nr_cpu_lines;

	/* run totals of the pools */
	struct recycle_total recycle;
	__u64 inflight_max;
	unsigned int pools_seen;

	json_writer_t *jw;
};

static volatile sig_atomic_t stop;

static double ts_sec(const struct timespec *t)
{
	return t->tv_sec + t->tv_nsec / 1e9;
}

static void on_signal(int sig)
{
	stop = 1;
}

static int err_msg(int err, const char *fmt, const char *arg)
{
	fprintf(stderr, "bench-sample: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, ": %s\n", strerror(-err));
	return err;
}

/* ---- per-CPU XDP counters ------------------------------------------------ */

static int stats_open(struct stats_src *s, int nr_possible)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	s->fd = bpf_obj_get(s->path);
	if (s->fd < 0)
		return err_msg(-errno, "cannot open pinned stats map %s (is the program attached?)", s->path);
	if (bpf_obj_get_info_by_fd(s->fd, &info, &len))
		return err_msg(-errno, "cannot read map info of %s", s->path);
	if (info.type != BPF_MAP_TYPE_PERCPU_ARRAY ||
	    info.value_size != sizeof(struct ppxdp_xdp_stats)) {
		fprintf(stderr, "bench-sample: %s is not a ppxdp per-CPU stats map\n", s->path);
		return -EINVAL;
	}
	s->percpu = calloc(nr_possible, sizeof(*s->percpu));
	s->prev_percpu = calloc(nr_possible, sizeof(*s->prev_percpu));
	s->first_percpu = calloc(nr_possible, sizeof(*s->first_percpu));
	if (!s->percpu || !s->prev_percpu || !s->first_percpu)
		return -ENOMEM;
	return 0;
}

static int stats_read_percpu(struct stats_src *s)
{
	__u32 key = 0;

	if (bpf_map_lookup_elem(s->fd, &key, s->percpu))
		return err_msg(-errno, "cannot read %s", s->path);
	return 0;
}

/* Frames seen by a program: the sum of its exclusive action counters. */
static __u64 stats_frames(const struct ppxdp_xdp_stats *s)
{
	return s->aborted.packets + s->drop.packets + s->pass.packets +
	       s->tx.packets + s->redirect.packets;
}

static __u64 stats_frames_cpu(const struct ppxdp_xdp_stats *cur,
			      const struct ppxdp_xdp_stats *prev)
{
	return stats_frames(cur) - stats_frames(prev);
}

static __u64 stats_frames_delta(const struct stats_src *s,
				const struct ppxdp_xdp_stats *from, int nr)
{
	__u64 sum = 0;
	int c;

	for (c = 0; c < nr; c++)
		sum += stats_frames_cpu(&s->percpu[c], &from[c]);
	return sum;
}

/* {"frames": N, "pps": X, "actions": {...}, "per_cpu": [...]} from..now */
static void stats_json(struct sampler *sm, const struct stats_src *s,
		       const struct ppxdp_xdp_stats *from, double secs)
{
	struct ppxdp_xdp_stats cur, prev;
	json_writer_t *jw = sm->jw;
	__u64 frames;
	unsigned int i;
	int c;

	stats_sum_percpu(s->percpu, sm->nr_possible, &cur);
	stats_sum_percpu(from, sm->nr_possible, &prev);
	frames = stats_frames(&cur) - stats_frames(&prev);

	jsonw_name(jw, s->name);
	jsonw_start_object(jw);
	jsonw_uint_field(jw, "frames", frames);
	jsonw_float_field(jw, "pps", per_second(frames, secs));
	jsonw_name(jw, "actions");
	jsonw_start_object(jw);
	for (i = 0; i < PPXDP_NR_CTRS; i++) {
		const struct ppxdp_ctr *a = stats_ctr(&cur, i);
		const struct ppxdp_ctr *b = stats_ctr(&prev, i);

		jsonw_name(jw, stats_fields[i].name);
		jsonw_start_object(jw);
		jsonw_uint_field(jw, "packets", a->packets - b->packets);
		jsonw_uint_field(jw, "bytes", a->bytes - b->bytes);
		jsonw_float_field(jw, "pps", per_second(a->packets - b->packets, secs));
		jsonw_end_object(jw);
	}
	jsonw_end_object(jw);
	/* Frames per CPU: which CPU ran the program. */
	jsonw_name(jw, "per_cpu");
	jsonw_start_array(jw);
	for (c = 0; c < sm->nr_possible; c++)
		jsonw_uint(jw, stats_frames_cpu(&s->percpu[c], &from[c]));
	jsonw_end_array(jw);
	jsonw_end_object(jw);
}

/* ---- CPU time from /proc/stat --------------------------------------------- */

static int cpu_read(struct sampler *sm, struct cpu_times *t)
{
	char line[512];
	FILE *f;

	f = fopen("/proc/stat", "re");
	if (!f)
		return err_msg(-errno, "cannot open %s", "/proc/stat");
	memset(t, 0, sizeof(*t) * sm->nr_cpu_lines);
	while (fgets(line, sizeof(line), f)) {
		struct cpu_times c = { .present = true };
		int n, cpu;

		if (strncmp(line, "cpu", 3) || line[3] < '0' || line[3] > '9')
			continue;
		n = sscanf(line + 3, "%d %llu %llu %llu %llu %llu %llu %llu %llu",
			   &cpu, &c.user, &c.nice, &c.system, &c.idle,
			   &c.iowait, &c.irq, &c.softirq, &c.steal);
		if (n < 9 || cpu < 0 || cpu >= sm->nr_cpu_lines)
			continue;
		t[cpu] = c;
	}
	fclose(f);
	return 0;
}

static unsigned long long cpu_total(const struct cpu_times *t)
{
	return t->user + t->nice + t->system + t->idle + t->iowait + t->irq +
	       t->softirq + t->steal;
}

/* [{"cpu": 0, "busy": 0.98, "user": ..., ...}, ...] fractions from..now */
static void cpu_json(struct sampler *sm, const struct cpu_times *from)
{
	json_writer_t *jw = sm->jw;
	int c;

	jsonw_start_array(jw);
	for (c = 0; c < sm->nr_cpu_lines; c++) {
		const struct cpu_times *a = &sm->cpu[c], *b = &from[c];
		double tot;

		if (!a->present || !b->present)
			continue;
		tot = (double)(cpu_total(a) - cpu_total(b));
		if (tot <= 0)
			tot = NAN;
		jsonw_start_object(jw);
		jsonw_int_field(jw, "cpu", c);
		/* busy: everything but idle, iowait and steal */
		jsonw_float_field(jw, "busy",
				  (a->user + a->nice + a->system + a->irq + a->softirq -
				   b->user - b->nice - b->system - b->irq - b->softirq) / tot);
		jsonw_float_field(jw, "user", (a->user + a->nice - b->user - b->nice) / tot);
		jsonw_float_field(jw, "system", (a->system - b->system) / tot);
		jsonw_float_field(jw, "softirq", (a->softirq - b->softirq) / tot);
		jsonw_float_field(jw, "irq", (a->irq - b->irq) / tot);
		jsonw_float_field(jw, "steal", (a->steal - b->steal) / tot);
		jsonw_float_field(jw, "idle", (a->idle + a->iowait - b->idle - b->iowait) / tot);
		jsonw_end_object(jw);
	}
	jsonw_end_array(jw);
}

/* ---- page_pool records of ppxdp trace ------------------------------------- */

static int pools_open(struct sampler *sm)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/pools", sm->trace_dir);
	sm->pools_fd = bpf_obj_get(path);
	if (sm->pools_fd < 0)
		return err_msg(-errno, "cannot open %s (start tracing with `ppxdp trace start`)", path);
	snprintf(path, sizeof(path), "%s/gone_pools", sm->trace_dir);
	sm->gone_fd = bpf_obj_get(path);
	if (sm->gone_fd < 0)
		return err_msg(-errno, "cannot open %s", path);
	return 0;
}

static bool netns_wanted(const struct sampler *sm, __u64 ino)
{
	unsigned int i;

	for (i = 0; i < sm->nr_netns; i++)
		if (sm->netns[i] == ino)
			return true;
	return false;
}

static struct pool_track *pool_find(struct sampler *sm, const struct pp_pool *p)
{
	size_t i;

	for (i = 0; i < sm->nr_pools; i++)
		if (sm->pools[i].pool == p->pool &&
		    sm->pools[i].first_ns == p->first_ns)
			return &sm->pools[i];
	return NULL;
}

struct pools_delta {
	__u64 new_pages;
	__u64 inflight; /* pages out of the pools not yet freed by the kernel */
	unsigned int live;
};

/*
 * Account one pool record. At the window start (baseline) every pool's hold
 * counter is the reference; a pool first met later was created during the
 * window, and every page it holds is new.
 */
static int pool_account(struct sampler *sm, const struct pp_pool *p,
			bool baseline, struct pools_delta *d)
{
	struct pool_track *t;

	if (!netns_wanted(sm, p->netns_ino))
		return 0;
	t = pool_find(sm, p);
	if (t && t->seen)
		return 0; /* in both maps during the move: count once */
	if (!t) {
		if (sm->nr_pools == sm->cap_pools) {
			size_t cap = sm->cap_pools ? 2 * sm->cap_pools : 256;
			void *n = realloc(sm->pools, cap * sizeof(*sm->pools));

			if (!n)
				return -ENOMEM;
			sm->pools = n;
			sm->cap_pools = cap;
		}
		t = &sm->pools[sm->nr_pools++];
		*t = (struct pool_track){
			.pool = p->pool,
			.first_ns = p->first_ns,
			.hold = baseline ? p->hold : 0,
		};
		if (!baseline)
			sm->pools_seen++;
	}
	d->new_pages += ctr32_delta(t->hold, p->hold);
	t->hold = p->hold;
	t->release = p->release;
	t->flags = p->flags;
	t->seen = true;
	if (!(p->flags & PP_F_GONE)) {
		d->inflight += pool_inflight(p) > 0 ? pool_inflight(p) : 0;
		d->live++;
	}
	return 0;
}

static int pools_scan_map(struct sampler *sm, int fd, bool baseline,
			  struct pools_delta *d)
{
	__u64 key, next;
	__u64 *prev = NULL;
	struct pp_pool p;
	int err;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &p))
			continue; /* removed between the two calls */
		err = pool_account(sm, &p, baseline, d);
		if (err)
			return err;
	}
	return 0;
}

static int pools_scan(struct sampler *sm, bool baseline, struct pools_delta *d)
{
	size_t i;
	int err;

	memset(d, 0, sizeof(*d));
	for (i = 0; i < sm->nr_pools; i++)
		sm->pools[i].seen = false;
	/* Live pools first: a pool moving to gone_pools is then seen once. */
	err = pools_scan_map(sm, sm->pools_fd, baseline, d);
	if (!err)
		err = pools_scan_map(sm, sm->gone_fd, baseline, d);
	return err;
}

static void pools_json(struct sampler *sm, const struct pools_delta *d,
		       __u64 consumed)
{
	json_writer_t *jw = sm->jw;

	jsonw_start_object(jw);
	jsonw_uint_field(jw, "new_pages", d->new_pages);
	jsonw_uint_field(jw, "consumed", consumed);
	jsonw_float_field(jw, "recycle", recycle_rate(d->new_pages, consumed));
	jsonw_uint_field(jw, "live", d->live);
	jsonw_uint_field(jw, "inflight", d->inflight);
	jsonw_end_object(jw);
}

/* ---- the sampling loop ---------------------------------------------------- */

static void ts_add(struct timespec *t, double secs)
{
	long long ns = (long long)(secs * 1e9) + t->tv_nsec;

	t->tv_sec += ns / 1000000000LL;
	t->tv_nsec = ns % 1000000000LL;
}

static int read_all(struct sampler *sm)
{
	unsigned int i;
	int err;

	for (i = 0; i < sm->nr_stats; i++) {
		err = stats_read_percpu(&sm->stats[i]);
		if (err)
			return err;
	}
	return cpu_read(sm, sm->cpu);
}

static void save_prev(struct sampler *sm, bool first)
{
	size_t sz = sm->nr_possible * sizeof(struct ppxdp_xdp_stats);
	unsigned int i;

	for (i = 0; i < sm->nr_stats; i++) {
		memcpy(sm->stats[i].prev_percpu, sm->stats[i].percpu, sz);
		if (first)
			memcpy(sm->stats[i].first_percpu, sm->stats[i].percpu, sz);
	}
	memcpy(sm->prev_cpu, sm->cpu, sm->nr_cpu_lines * sizeof(*sm->cpu));
	if (first)
		memcpy(sm->first_cpu, sm->cpu, sm->nr_cpu_lines * sizeof(*sm->cpu));
}

static __u64 consumed_since(struct sampler *sm, bool from_first)
{
	const struct stats_src *s;

	if (sm->consumed_idx < 0)
		return 0;
	s = &sm->stats[sm->consumed_idx];
	return stats_frames_delta(s, from_first ? s->first_percpu : s->prev_percpu,
				  sm->nr_possible);
}

static void interval_json(struct sampler *sm, double elapsed, double secs,
			  const struct pools_delta *pd)
{
	json_writer_t *jw = sm->jw;
	unsigned int i;

	jsonw_start_object(jw);
	jsonw_float_field(jw, "elapsed", elapsed);
	jsonw_float_field(jw, "secs", secs);
	jsonw_name(jw, "stats");
	jsonw_start_object(jw);
	for (i = 0; i < sm->nr_stats; i++)
		stats_json(sm, &sm->stats[i], sm->stats[i].prev_percpu, secs);
	jsonw_end_object(jw);
	jsonw_name(jw, "cpu");
	cpu_json(sm, sm->prev_cpu);
	if (pd) {
		__u64 consumed = consumed_since(sm, false);

		jsonw_name(jw, "pools");
		pools_json(sm, pd, consumed);
		recycle_total_add(&sm->recycle, pd->new_pages, consumed);
		if (pd->inflight > sm->inflight_max)
			sm->inflight_max = pd->inflight;
	}
	jsonw_end_object(jw);
}

static void totals_json(struct sampler *sm, double secs,
			const struct pools_delta *last)
{
	json_writer_t *jw = sm->jw;
	unsigned int i;

	jsonw_name(jw, "totals");
	jsonw_start_object(jw);
	jsonw_float_field(jw, "secs", secs);
	jsonw_name(jw, "stats");
	jsonw_start_object(jw);
	for (i = 0; i < sm->nr_stats; i++)
		stats_json(sm, &sm->stats[i], sm->stats[i].first_percpu, secs);
	jsonw_end_object(jw);
	jsonw_name(jw, "cpu");
	cpu_json(sm, sm->first_cpu);
	if (last) {
		jsonw_name(jw, "pools");
		jsonw_start_object(jw);
		jsonw_uint_field(jw, "pools", sm->pools_seen);
		jsonw_uint_field(jw, "new_pages", sm->recycle.new_pages);
		jsonw_uint_field(jw, "consumed", sm->recycle.consumed);
		jsonw_float_field(jw, "recycle", recycle_total_rate(&sm->recycle));
		jsonw_uint_field(jw, "inflight_max", sm->inflight_max);
		jsonw_uint_field(jw, "inflight_last", last->inflight);
		jsonw_uint_field(jw, "live_last", last->live);
		jsonw_end_object(jw);
	}
	jsonw_end_object(jw);
}

/*
 * Wait until the --consumed program counts frames: the generator has
 * started. -ETIMEDOUT after sm->wait_for seconds.
 */
static int wait_traffic(struct sampler *sm)
{
	struct stats_src *s = &sm->stats[sm->consumed_idx];
	struct timespec t0, now, tick = { .tv_nsec = 5 * 1000 * 1000 };
	size_t sz = sm->nr_possible * sizeof(*s->percpu);
	int err;

	err = stats_read_percpu(s);
	if (err)
		return err;
	memcpy(s->prev_percpu, s->percpu, sz);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		nanosleep(&tick, NULL);
		if (stop)
			return -EINTR;
		err = stats_read_percpu(s);
		if (err)
			return err;
		if (stats_frames_delta(s, s->prev_percpu, sm->nr_possible))
			return 0;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (ts_sec(&now) - ts_sec(&t0) > sm->wait_for) {
			fprintf(stderr, "bench-sample: %s counted no frame in %.1f s: is traffic reaching it?\n",
				s->name, sm->wait_for);
			return -ETIMEDOUT;
		}
	}
}

static int run(struct sampler *sm)
{
	struct timespec start, deadline, now, prev;
	struct pools_delta pd;
	bool with_pools = sm->nr_netns > 0;
	unsigned int n;
	int err;

	if (sm->wait_for > 0 && sm->consumed_idx >= 0) {
		err = wait_traffic(sm);
		if (err)
			return err;
	}
	if (sm->delay > 0) {
		struct timespec d = {};

		ts_add(&d, sm->delay);
		while (nanosleep(&d, &d) && errno == EINTR && !stop)
			;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	err = read_all(sm);
	if (!err && with_pools)
		err = pools_scan(sm, true, &pd);
	if (err)
		return err;
	save_prev(sm, true);
	prev = start;
	deadline = start;

	jsonw_start_object(sm->jw);
	jsonw_float_field(sm->jw, "interval", sm->interval);
	jsonw_int_field(sm->jw, "nr_cpus", sm->nr_possible);
	jsonw_name(sm->jw, "intervals");
	jsonw_start_array(sm->jw);
	for (n = 0; n < sm->count && !stop; n++) {
		ts_add(&deadline, sm->interval);
		while ((err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
					      &deadline, NULL)) == EINTR && !stop)
			;
		if (stop)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		err = read_all(sm);
		if (!err && with_pools)
			err = pools_scan(sm, false, &pd);
		if (err)
			break;
		interval_json(sm, ts_sec(&now) - ts_sec(&start),
			      ts_sec(&now) - ts_sec(&prev), with_pools ? &pd : NULL);
		save_prev(sm, false);
		prev = now;
	}
	jsonw_end_array(sm->jw);
	totals_json(sm, ts_sec(&prev) - ts_sec(&start), with_pools ? &pd : NULL);
	jsonw_end_object(sm->jw);
	return err;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: bench-sample [--interval S] [--count N] [--delay S] [--wait-for S]\n"
		"                    [--stats NAME=PINNED_MAP]... [--consumed NAME]\n"
		"                    [--netns INODE]... [--trace-dir DIR]\n"
		"Sample ppxdp XDP counters, CPU time and page_pool records; print JSON.\n"
		"\n"
		"  -i, --interval S      seconds per interval (default 1)\n"
		"  -c, --count N         intervals (default 1)\n"
		"  -d, --delay S         wait S seconds before the first read\n"
		"  -w, --wait-for S      first wait up to S seconds for the --consumed\n"
		"                        program to count frames (exit 1 if it does not)\n"
		"  -s, --stats NAME=MAP  a pinned ppxdp PROG_stats map, reported as NAME\n"
		"      --consumed NAME   frames the pools served: NAME's frames (default: the first --stats)\n"
		"  -n, --netns INODE     count the page_pools of this network namespace\n"
		"                        (needs `ppxdp trace start`)\n"
		"      --trace-dir DIR   pins of ppxdp trace (default /sys/fs/bpf/ppxdp/trace)\n");
}

static int parse_args(struct sampler *sm, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'c' },
		{ "delay", required_argument, NULL, 'd' },
		{ "wait-for", required_argument, NULL, 'w' },
		{ "stats", required_argument, NULL, 's' },
		{ "consumed", required_argument, NULL, 'C' },
		{ "netns", required_argument, NULL, 'n' },
		{ "trace-dir", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	char *end, *eq;
	int o;

	while ((o = getopt_long(argc, argv, "i:c:d:w:s:n:h", opts, NULL)) != -1) {
		switch (o) {
		case 'i':
			sm->interval = strtod(optarg, &end);
			if (*end || !(sm->interval >= 0.01 && sm->interval <= 3600))
				goto bad;
			break;
		case 'c':
			sm->count = strtoul(optarg, &end, 10);
			if (*end || sm->count > 100000)
				goto bad;
			break;
		case 'd':
			sm->delay = strtod(optarg, &end);
			if (*end || !(sm->delay >= 0 && sm->delay <= 3600))
				goto bad;
			break;
		case 'w':
			sm->wait_for = strtod(optarg, &end);
			if (*end || !(sm->wait_for >= 0 && sm->wait_for <= 3600))
				goto bad;
			break;
		case 's':
			eq = strchr(optarg, '=');
			if (!eq || eq == optarg || !eq[1] || sm->nr_stats == MAX_STATS)
				goto bad;
			*eq = '\0';
			sm->stats[sm->nr_stats].name = optarg;
			sm->stats[sm->nr_stats].path = eq + 1;
			sm->stats[sm->nr_stats].fd = -1;
			sm->nr_stats++;
			break;
		case 'C':
			sm->consumed = optarg;
			break;
		case 'n':
			if (sm->nr_netns == MAX_NETNS)
				goto bad;
			sm->netns[sm->nr_netns++] = strtoull(optarg, &end, 10);
			if (*end || !sm->netns[sm->nr_netns - 1])
				goto bad;
			break;
		case 'T':
			sm->trace_dir = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "bench-sample: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
bad:
	fprintf(stderr, "bench-sample: invalid value '%s' for --%s\n", optarg,
		o == 'i' ? "interval" : o == 'c' ? "count" : o == 'd' ? "delay" :
		o == 'w' ? "wait-for" :
		o == 's' ? "stats (NAME=PATH, at most 8)" : "netns (inode, at most 8)");
	return -EINVAL;
}

int main(int argc, char **argv)
{
	struct sampler sm = {
		.interval = 1,
		.count = 1,
		.trace_dir = "/sys/fs/bpf/ppxdp/trace",
		.consumed_idx = -1,
		.pools_fd = -1,
		.gone_fd = -1,
	};
	unsigned int i;
	int err;

	err = parse_args(&sm, argc, argv);
	if (err)
		return 2;

	sm.nr_possible = libbpf_num_possible_cpus();
	if (sm.nr_possible <= 0 || sm.nr_possible > MAX_CPUS) {
		fprintf(stderr, "bench-sample: cannot count the possible CPUs\n");
		return 1;
	}
	sm.nr_cpu_lines = sm.nr_possible;
	sm.cpu = calloc(sm.nr_cpu_lines, sizeof(*sm.cpu));
	sm.prev_cpu = calloc(sm.nr_cpu_lines, sizeof(*sm.cpu));
	sm.first_cpu = calloc(sm.nr_cpu_lines, sizeof(*sm.cpu));
	if (!sm.cpu || !sm.prev_cpu || !sm.first_cpu)
		return 1;

	for (i = 0; i < sm.nr_stats; i++) {
		err = stats_open(&sm.stats[i], sm.nr_possible);
		if (err)
			return 1;
		if (sm.consumed ? !strcmp(sm.consumed, sm.stats[i].name)
				: sm.consumed_idx < 0)
			sm.consumed_idx = i;
	}
	if (sm.consumed && sm.consumed_idx < 0) {
		fprintf(stderr, "bench-sample: --consumed %s names no --stats\n", sm.consumed);
		return 2;
	}
	if (sm.nr_netns && pools_open(&sm))
		return 1;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	sm.jw = jsonw_new(stdout);
	if (!sm.jw)
		return 1;
	err = run(&sm);
	jsonw_destroy(&sm.jw);
	return err ? 1 : 0;
}
