// SPDX-License-Identifier: GPL-2.0
/*
 * ppxdp leaks [--watch S] [--count N] [--pages N]
 *
 * Pools whose owner destroyed them (interface down or gone, XDP program
 * removed, BPF_PROG_RUN call over) while pages were still in flight: the
 * kernel retries to free them once a second ("zombie" pools). With page
 * tracking on (`ppxdp trace start --track-pages N`), also the oldest pages
 * still out of those pools and their age.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "main.h"
#include "options.h"
#include "pins.h"
#include "pool_stats.h"
#include "stats.h"
#include "trace.h"

struct leaks_opts {
	double watch;
	__u32 count;
	__u32 pages;
};

static const struct opt_spec leaks_specs[] = {
	{ .name = "watch", .type = OPT_DOUBLE, .metavar = "S",
	  .offset = offsetof(struct leaks_opts, watch), .min = 0.1, .max = 3600,
	  .help = "report again every S seconds, with pools that drained (until Ctrl-C)" },
	{ .name = "count", .type = OPT_U32, .metavar = "N",
	  .offset = offsetof(struct leaks_opts, count),
	  .help = "with --watch: stop after N reports" },
	{ .name = "pages", .type = OPT_U32, .metavar = "N",
	  .offset = offsetof(struct leaks_opts, pages), .min = 0, .max = 100000,
	  .help = "oldest outstanding pages shown per pool (default 5; needs trace start --track-pages)" },
	{ NULL },
};

static const struct opt_cmd leaks_cmd = {
	.name = "leaks",
	.summary = "pools with pages in flight after their owner destroyed them",
	.specs = leaks_specs,
};

struct tracked_page {
	__u64 page;
	struct pp_page pg;
};

struct page_set {
	struct tracked_page *v;
	unsigned int nr, cap;
	bool on;
};

static int cmp_age(const void *a, const void *b)
{
	const struct tracked_page *x = a, *y = b;

	return x->pg.hold_ns < y->pg.hold_ns ? -1 : x->pg.hold_ns > y->pg.hold_ns;
}

/* Every tracked page, oldest first. */
static int read_pages(struct trace_session *ts, struct page_set *ps)
{
	__u64 key, next;
	void *prev = NULL;

	ps->nr = 0;
	ps->on = ts->info.max_pages > 0;
	if (!ps->on)
		return 0;
	while (bpf_map_get_next_key(ts->pages_fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (ps->nr == ps->cap) {
			unsigned int cap = ps->cap ? ps->cap * 2 : 1024;
			struct tracked_page *v = realloc(ps->v, cap * sizeof(*v));

			if (!v)
				return -ENOMEM;
			ps->v = v;
			ps->cap = cap;
		}
		if (bpf_map_lookup_elem(ts->pages_fd, &key, &ps->v[ps->nr].pg))
			continue;
		ps->v[ps->nr++].page = key;
	}
	qsort(ps->v, ps->nr, sizeof(*ps->v), cmp_age);
	return 0;
}

static void pool_label(const struct pp_pool *p, char *buf, size_t len)
{
	if (p->ifindex)
		snprintf(buf, len, "ifindex %u netns %u (%s)", p->ifindex, p->netns_ino,
			 pp_attr_name(p->attr));
	else
		snprintf(buf, len, "unattributed");
}

static unsigned int print_pages(const struct page_set *ps, __u64 pool, __u32 max,
				__u64 now)
{
	unsigned int i, shown = 0;

	for (i = 0; i < ps->nr && shown < max; i++) {
		if (ps->v[i].pg.pool != pool)
			continue;
		if (json_output) {
			char addr[32];

			jsonw_start_object(json_wtr);
			snprintf(addr, sizeof(addr), "0x%llx", (unsigned long long)ps->v[i].page);
			jsonw_string_field(json_wtr, "page", addr);
			jsonw_float_field(json_wtr, "age_s",
					  (now - ps->v[i].pg.hold_ns) / 1e9);
			jsonw_end_object(json_wtr);
		} else {
			printf("      page 0x%llx out for %.1f s\n",
			       (unsigned long long)ps->v[i].page,
			       (now - ps->v[i].pg.hold_ns) / 1e9);
		}
		shown++;
	}
	return shown;
}

static void report_zombie(const struct pool_sample *s, const struct page_set *ps,
			  __u32 max_pages, __u64 now, unsigned int page_shift)
{
	const struct pp_pool *p = &s->p;
	char label[96], addr[32];

	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "id", p->id);
		snprintf(addr, sizeof(addr), "0x%llx", (unsigned long long)p->pool);
		jsonw_string_field(json_wtr, "pool", addr);
		jsonw_string_field(json_wtr, "attribution", pp_attr_name(p->attr));
		if (p->ifindex) {
			jsonw_uint_field(json_wtr, "ifindex", p->ifindex);
			jsonw_uint_field(json_wtr, "netns_ino", p->netns_ino);
		} else {
			jsonw_null_field(json_wtr, "ifindex");
			jsonw_null_field(json_wtr, "netns_ino");
		}
		jsonw_uint_field(json_wtr, "pool_size", p->pool_size);
		jsonw_int_field(json_wtr, "inflight", pool_inflight(p));
		jsonw_uint_field(json_wtr, "inflight_bytes", pool_inflight_bytes(p, page_shift));
		jsonw_uint_field(json_wtr, "hold", p->hold);
		jsonw_uint_field(json_wtr, "release", p->release);
		jsonw_float_field(json_wtr, "destroyed_age_s", pool_destroyed_age(p, now));
		jsonw_uint_field(json_wtr, "release_retries",
				 p->release_ticks ? p->release_ticks - 1 : 0);
		jsonw_bool_field(json_wtr, "orphan", p->flags & PP_F_ORPHAN);
		if (ps->on) {
			jsonw_name(json_wtr, "oldest_pages");
			jsonw_start_array(json_wtr);
			print_pages(ps, p->pool, max_pages, now);
			jsonw_end_array(json_wtr);
		}
		jsonw_end_object(json_wtr);
		return;
	}
	pool_label(p, label, sizeof(label));
	printf("  pool %u [%s] size %u: %lld pages (%llu KiB) in flight, destroyed "
	       "%.0f s ago, %u retries (hold %u, release %u)\n",
	       p->id, label, p->pool_size, (long long)pool_inflight(p),
	       (unsigned long long)(pool_inflight_bytes(p, page_shift) >> 10),
	       pool_destroyed_age(p, now), p->release_ticks ? p->release_ticks - 1 : 0,
	       p->hold, p->release);
	if (ps->on && max_pages && !print_pages(ps, p->pool, max_pages, now))
		printf("      (its pages were taken before page tracking started)\n");
}

static void report(const struct stats_snapshot *cur, const struct stats_snapshot *prev,
		   const struct page_set *ps, const struct leaks_opts *o,
		   const struct trace_session *ts)
{
	unsigned int page_shift = ts->info.page_shift ? ts->info.page_shift : 12;
	unsigned int i, nr_zombies = 0, nr_gone = 0;
	__u64 now = cur->mono_ns;

	for (i = 0; i < cur->nr_pools; i++)
		if (!cur->pools[i].gone && pool_state(&cur->pools[i].p) == POOL_ZOMBIE)
			nr_zombies++;

	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "type", "leaks");
		jsonw_uint_field(json_wtr, "timestamp_ns", cur->real_ns);
		jsonw_bool_field(json_wtr, "page_tracking", ps->on);
		jsonw_uint_field(json_wtr, "tracked_pages", ps->nr);
		jsonw_name(json_wtr, "zombies");
		jsonw_start_array(json_wtr);
	} else {
		printf("%u pool%s with pages in flight after destroy%s\n", nr_zombies,
		       nr_zombies == 1 ? "" : "s", nr_zombies ? ":" : "");
	}
	for (i = 0; i < cur->nr_pools; i++)
		if (!cur->pools[i].gone && pool_state(&cur->pools[i].p) == POOL_ZOMBIE)
			report_zombie(&cur->pools[i], ps, o->pages, now, page_shift);
	if (json_output) {
		jsonw_end_array(json_wtr);
		jsonw_name(json_wtr, "gone");
		jsonw_start_array(json_wtr);
	}
	/* Zombies of the previous report that the kernel has freed since. */
	for (i = 0; prev && i < prev->nr_pools; i++) {
		const struct pool_sample *was = &prev->pools[i], *now_s;

		if (was->gone || pool_state(&was->p) != POOL_ZOMBIE)
			continue;
		now_s = snapshot_find_pool(cur, &was->p);
		if (!now_s || !now_s->gone)
			continue;
		nr_gone++;
		if (json_output) {
			jsonw_start_object(json_wtr);
			jsonw_uint_field(json_wtr, "id", now_s->p.id);
			jsonw_uint_field(json_wtr, "hold", now_s->p.hold);
			jsonw_uint_field(json_wtr, "release", now_s->p.release);
			jsonw_float_field(json_wtr, "zombie_s",
					  (now_s->p.last_ns - now_s->p.destroy_ns) / 1e9);
			jsonw_end_object(json_wtr);
		} else {
			printf("  pool %u drained and freed: hold %u = release %u, after "
			       "%.1f s as a zombie\n", now_s->p.id, now_s->p.hold,
			       now_s->p.release,
			       (now_s->p.last_ns - now_s->p.destroy_ns) / 1e9);
		}
	}
	if (json_output) {
		jsonw_end_array(json_wtr);
		jsonw_end_object(json_wtr);
	} else if (!ps->on && nr_zombies && o->pages) {
		printf("  (oldest pages: start tracing with '%s trace start --track-pages N')\n",
		       bin_name);
	}
	fflush(stdout);
}

int do_leaks(int argc, char **argv)
{
	struct leaks_opts o = { .pages = 5 };
	struct trace_config tcfg = { .max_pools = 4096 };
	struct stats_snapshot snaps[2] = {};
	struct page_set ps = {};
	struct trace_session ts;
	unsigned int cur = 0, n = 0;
	__u64 next;
	int err;

	err = opts_parse(&leaks_cmd, &o, argc, argv);
	if (err)
		return err == OPTS_HELP ? 0 : err;
	err = bpffs_prepare(false);
	if (err)
		return err;
	err = trace_session_get(&ts, &tcfg);
	if (err)
		return err;
	stats_signals();
	if (!ts.pinned) {
		/* Zombies announce themselves once a second (page_pool_release). */
		p_note("no pinned tracing session ('%s trace start'): watching for "
		       "1.2 s to catch the destroyed pools' retries", bin_name);
		stats_sleep_until(stats_clock_ns(CLOCK_MONOTONIC) + 1200000000ULL);
	}

	next = stats_clock_ns(CLOCK_MONOTONIC);
	for (;;) {
		err = stats_sample(&snaps[cur], &ts, NULL);
		if (!err)
			err = read_pages(&ts, &ps);
		if (err)
			break;
		report(&snaps[cur], n ? &snaps[cur ^ 1] : NULL, &ps, &o, &ts);
		n++;
		if (!o.watch || stats_stopped() || (o.count && n >= o.count))
			break;
		next += (__u64)(o.watch * 1e9);
		stats_sleep_until(next);
		if (stats_stopped())
			break;
		cur ^= 1;
		stats_snapshot_free(&snaps[cur]);
	}
	stats_snapshot_free(&snaps[0]);
	stats_snapshot_free(&snaps[1]);
	free(ps.v);
	trace_session_close(&ts);
	return err;
}
