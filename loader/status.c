// SPDX-License-Identifier: GPL-2.0
/*
 * ppxdp status [IF]: every ppxdp attachment (all pin directories, other
 * network namespaces included) and, in the current namespace, the XDP
 * programs other tools attached, with per-action counters and their rates
 * over an interval.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <net/if.h>

#include "counters.h"
#include "main.h"
#include "options.h"
#include "pins.h"
#include "progs.h"

struct status_opts {
	const char *ifname;
	double interval;
	__u32 count;
};

static const struct opt_spec status_specs[] = {
	{ .name = "IF", .type = OPT_STRING, .flags = OPT_POSITIONAL,
	  .offset = offsetof(struct status_opts, ifname),
	  .help = "only this interface of the current network namespace (IF@NSINO: of another one)" },
	{ .name = "interval", .short_name = 'i', .type = OPT_DOUBLE,
	  .offset = offsetof(struct status_opts, interval), .metavar = "S",
	  .min = 0.01, .max = 3600,
	  .help = "seconds between the two counter reads (default 0.5)" },
	{ .name = "count", .short_name = 'c', .type = OPT_U32,
	  .offset = offsetof(struct status_opts, count), .metavar = "N",
	  .help = "print N intervals, a live view (default 1; 0: until interrupted)" },
	{ NULL },
};

const struct opt_cmd status_cmd = {
	.name = "status",
	.summary = "Show XDP attachments, their counters and rates.",
	.specs = status_specs,
};

struct status_entry {
	char ifname[IF_NAMESIZE];
	__u32 ifindex;
	__u64 netns_ino;
	bool netns_current;
	bool foreign;
	bool defunct;
	char prog[BPF_OBJ_NAME_LEN];
	__u32 prog_id;
	__u32 link_id;     /* 0: none (netlink-attached) */
	const char *mode;  /* "native", "generic", "offload" */
	__u64 attach_time; /* CLOCK_REALTIME ns, 0: unknown */
	char pin_dir[PATH_MAX]; /* "" for foreign programs */
	int stats_fd;      /* -1: no counters */
	struct ppxdp_xdp_stats prev, cur;
	struct ctr_rate rates[PPXDP_NR_CTRS];
	int read_err;      /* last counter read */
	/* redirect's cpumap program (cpumap_stats); -1: none */
	int cpu_fd;
	struct ppxdp_xdp_stats cpu_prev, cpu_cur;
	struct ctr_rate cpu_rates[PPXDP_NR_CTRS];
};

struct status_list {
	struct status_entry *e;
	size_t nr, cap;
	__u64 cur_ino;
	/* status IF or IF@NSINO: only that interface */
	bool filter;
	char filter_ifname[IF_NAMESIZE];
	__u64 filter_ino;
};

static bool status_wanted(const struct status_list *l, const char *ifname,
			  __u64 ino)
{
	return !l->filter ||
	       (!strcmp(l->filter_ifname, ifname) && ino == l->filter_ino);
}

static struct status_entry *status_add(struct status_list *l)
{
	struct status_entry *e;

	if (l->nr == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;

		e = realloc(l->e, cap * sizeof(*e));
		if (!e)
			return NULL;
		l->e = e;
		l->cap = cap;
	}
	e = &l->e[l->nr++];
	memset(e, 0, sizeof(*e));
	e->stats_fd = -1;
	e->cpu_fd = -1;
	return e;
}

static void status_list_free(struct status_list *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		if (l->e[i].stats_fd >= 0)
			close(l->e[i].stats_fd);
		if (l->e[i].cpu_fd >= 0)
			close(l->e[i].cpu_fd);
	}
	free(l->e);
}

static const char *mode_of(const struct xdp_iface *x, __u32 prog_id)
{
	if (x->drv_prog_id == prog_id)
		return "native";
	if (x->skb_prog_id == prog_id)
		return "generic";
	if (x->hw_prog_id == prog_id)
		return "offload";
	return NULL;
}

/* The stats map of a pin dir: PROG_stats, else any valid *_stats pin. */
static int pin_dir_stats_fd(const char *dir, const char *prog)
{
	struct ppxdp_xdp_stats s;
	char path[PATH_MAX], name[64];
	struct dirent *de;
	int fd = -ENOENT;
	DIR *d;

	snprintf(name, sizeof(name), "%s_stats", prog);
	fd = pin_path(path, sizeof(path), dir, name) ?: bpf_obj_get(path);
	if (fd >= 0 && !stats_read(fd, &s))
		return fd;
	if (fd >= 0)
		close(fd);

	d = opendir(dir);
	if (!d)
		return -errno;
	fd = -ENOENT;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len <= 6 || strcmp(de->d_name + len - 6, "_stats"))
			continue;
		if (pin_path(path, sizeof(path), dir, de->d_name))
			continue;
		fd = bpf_obj_get(path);
		if (fd >= 0 && !stats_read(fd, &s))
			break;
		if (fd >= 0)
			close(fd);
		fd = -ENOENT;
	}
	closedir(d);
	return fd;
}

/* redirect's second counter map, of its cpumap program; -1 when absent. */
static int pin_dir_cpu_stats_fd(const char *dir)
{
	struct ppxdp_xdp_stats s;
	char path[PATH_MAX];
	int fd;

	if (pin_path(path, sizeof(path), dir, "cpumap_stats"))
		return -1;
	fd = bpf_obj_get(path);
	if (fd >= 0 && stats_read(fd, &s)) {
		close(fd);
		fd = -1;
	}
	return fd < 0 ? -1 : fd;
}

static int status_add_pin_dir(struct status_list *l, const char *name)
{
	struct ppxdp_attach_info info = {};
	struct pinned_link pl;
	struct status_entry *e;
	struct xdp_iface x;
	char ifname[IF_NAMESIZE];
	__u64 ino;
	int err;

	if (pin_dir_parse(name, ifname, sizeof(ifname), &ino))
		return 0; /* not a pin directory of ours */
	if (!status_wanted(l, ifname, ino))
		return 0;

	e = status_add(l);
	if (!e)
		return -ENOMEM;
	err = pin_path(e->pin_dir, sizeof(e->pin_dir), PPXDP_PIN_ROOT, name);
	if (err)
		return err;
	e->netns_ino = ino;
	e->netns_current = ino == l->cur_ino;
	err = pinned_link_open(e->pin_dir, &pl);
	if (err)
		return err;
	pin_dir_read_info(e->pin_dir, &info);
	e->defunct = pl.state != PINNED_LINK_LIVE;
	e->link_id = pl.id;
	e->prog_id = pl.prog_id;
	e->ifindex = pl.ifindex ?: info.ifindex;
	e->attach_time = info.attach_time;
	snprintf(e->prog, sizeof(e->prog), "%s", info.prog[0] ? info.prog : "?");
	e->mode = xdp_mode_name(info.mode);
	snprintf(e->ifname, sizeof(e->ifname), "%s",
		 info.ifname[0] ? info.ifname : ifname);
	if (e->netns_current && !e->defunct) {
		if_indextoname(e->ifindex, e->ifname);
		if (!xdp_iface_query(e->ifindex, &x) && mode_of(&x, e->prog_id))
			e->mode = mode_of(&x, e->prog_id);
	}
	pinned_link_close(&pl);
	e->stats_fd = pin_dir_stats_fd(e->pin_dir, e->prog);
	if (e->stats_fd < 0)
		e->read_err = e->stats_fd;
	e->cpu_fd = pin_dir_cpu_stats_fd(e->pin_dir);
	return 0;
}

static int status_scan_pins(struct status_list *l)
{
	struct dirent *de;
	struct stat st;
	char path[PATH_MAX];
	int err = 0;
	DIR *d;

	d = opendir(PPXDP_PIN_ROOT);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while (!err && (de = readdir(d))) {
		if (de->d_name[0] == '.' || strchr(de->d_name, ':') ||
		    !strcmp(de->d_name, "trace"))
			continue;
		if (pin_path(path, sizeof(path), PPXDP_PIN_ROOT, de->d_name) ||
		    stat(path, &st) || !S_ISDIR(st.st_mode))
			continue;
		err = status_add_pin_dir(l, de->d_name);
	}
	closedir(d);
	return err;
}

static bool status_has_prog(const struct status_list *l, __u32 ifindex,
			    __u32 prog_id)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (l->e[i].netns_current && l->e[i].ifindex == ifindex &&
		    l->e[i].prog_id == prog_id)
			return true;
	return false;
}

static int status_add_foreign(struct status_list *l, const char *ifname,
			      __u32 ifindex, __u32 prog_id, const char *mode)
{
	struct status_entry *e;

	if (!prog_id || status_has_prog(l, ifindex, prog_id))
		return 0;
	e = status_add(l);
	if (!e)
		return -ENOMEM;
	snprintf(e->ifname, sizeof(e->ifname), "%s", ifname);
	e->ifindex = ifindex;
	e->netns_ino = l->cur_ino;
	e->netns_current = true;
	e->foreign = true;
	e->prog_id = prog_id;
	e->mode = mode;
	snprintf(e->prog, sizeof(e->prog), "?");
	bpf_prog_name(prog_id, e->prog, sizeof(e->prog));
	xdp_link_find(ifindex, prog_id, &e->link_id);
	/* Our objects attached by iproute2 still carry a stats map. */
	e->stats_fd = stats_map_of_prog(prog_id);
	if (e->stats_fd < 0)
		e->read_err = e->stats_fd;
	return 0;
}

/* XDP programs on the current netns's interfaces that ppxdp did not pin. */
static int status_scan_ifaces(struct status_list *l)
{
	struct if_nameindex *ifs, *i;
	struct xdp_iface x;
	int err = 0;

	ifs = if_nameindex();
	if (!ifs)
		return -errno;
	for (i = ifs; i->if_index && !err; i++) {
		if (!status_wanted(l, i->if_name, l->cur_ino))
			continue;
		if (xdp_iface_query(i->if_index, &x))
			continue;
		err = status_add_foreign(l, i->if_name, i->if_index,
					 x.drv_prog_id, "native");
		if (!err)
			err = status_add_foreign(l, i->if_name, i->if_index,
						 x.skb_prog_id, "generic");
		if (!err)
			err = status_add_foreign(l, i->if_name, i->if_index,
						 x.hw_prog_id, "offload");
	}
	if_freenameindex(ifs);
	return err;
}

/* IF means IF of the current netns; IF@NSINO as status lists it. */
static int status_filter_set(struct status_list *l, const char *arg)
{
	l->filter = true;
	if (pin_dir_parse(arg, l->filter_ifname, sizeof(l->filter_ifname),
			  &l->filter_ino))
		return p_usage_err("'%s' is neither an interface name nor IF@NSINO",
				   arg);
	if (!strchr(arg, '@') || !strcmp(l->filter_ifname, arg))
		l->filter_ino = l->cur_ino;
	return 0;
}

/* Current namespace first, then by netns, interface name, program id. */
static int status_entry_cmp(const void *a, const void *b)
{
	const struct status_entry *x = a, *y = b;
	int c;

	if (x->netns_current != y->netns_current)
		return x->netns_current ? -1 : 1;
	if (x->netns_ino != y->netns_ino)
		return x->netns_ino < y->netns_ino ? -1 : 1;
	c = strcmp(x->ifname, y->ifname);
	if (c)
		return c;
	return x->prog_id < y->prog_id ? -1 : x->prog_id > y->prog_id;
}

static void status_read_counters(struct status_list *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		struct status_entry *e = &l->e[i];

		if (e->stats_fd >= 0)
			e->read_err = stats_read(e->stats_fd, &e->cur);
		if (e->cpu_fd >= 0 && stats_read(e->cpu_fd, &e->cpu_cur))
			memset(&e->cpu_cur, 0, sizeof(e->cpu_cur));
	}
}

static void status_shift(struct status_list *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		l->e[i].prev = l->e[i].cur;
		l->e[i].cpu_prev = l->e[i].cpu_cur;
	}
}

static void status_rates(struct status_list *l, double secs)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		stats_rates(&l->e[i].prev, &l->e[i].cur, secs, l->e[i].rates);
		stats_rates(&l->e[i].cpu_prev, &l->e[i].cpu_cur, secs,
			    l->e[i].cpu_rates);
	}
}

/* Has the cpumap program of redirect seen a frame? */
static bool cpu_stats_used(const struct status_entry *e)
{
	unsigned int i;

	if (e->cpu_fd < 0)
		return false;
	for (i = 0; i < PPXDP_NR_CTRS; i++)
		if (stats_ctr(&e->cpu_cur, i)->packets)
			return true;
	return false;
}

/* 1234567 -> "1.23M" */
static void fmt_si(double v, char *buf, size_t len)
{
	static const char sfx[] = " kMGTP";
	int i = 0;

	while (v >= 1000 && sfx[i + 1]) {
		v /= 1000;
		i++;
	}
	if (!i)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.*f%c", v < 10 ? 2 : v < 100 ? 1 : 0, v,
			 sfx[i]);
}

/* "2026-11-22T20:50:01+0000 (5m03s ago)" */
static void fmt_since(__u64 ns, char *buf, size_t len)
{
	time_t t = ns / 1000000000ULL, now = time(NULL);
	long age = now > t ? (long)(now - t) : 0;
	char iso[40], ago[32];
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%S%z", &tm);
	if (age >= 86400)
		snprintf(ago, sizeof(ago), "%ldd%02ldh", age / 86400,
			 age % 86400 / 3600);
	else if (age >= 3600)
		snprintf(ago, sizeof(ago), "%ldh%02ldm", age / 3600,
			 age % 3600 / 60);
	else if (age >= 60)
		snprintf(ago, sizeof(ago), "%ldm%02lds", age / 60, age % 60);
	else
		snprintf(ago, sizeof(ago), "%lds", age);
	snprintf(buf, len, "%s (%s ago)", iso, ago);
}

/* One counter table; title heads its first column. */
static void print_counters_plain(const char *title,
				 const struct ppxdp_xdp_stats *s,
				 const struct ctr_rate *rates)
{
	char pps[16], bps[16];
	unsigned int i;

	printf("  %-13s %14s %16s %10s %10s\n", title, "packets", "bytes",
	       "pps", "bit/s");
	for (i = 0; i < PPXDP_NR_CTRS; i++) {
		const struct ppxdp_ctr *c = stats_ctr(s, i);

		fmt_si(rates[i].pps, pps, sizeof(pps));
		fmt_si(rates[i].bps, bps, sizeof(bps));
		printf("  %-13s %14llu %16llu %10s %10s\n",
		       stats_fields[i].name, (unsigned long long)c->packets,
		       (unsigned long long)c->bytes, pps, bps);
	}
}

static void status_print_entry_plain(const struct status_entry *e)
{
	char since[80];

	printf("%s (ifindex %u), netns %llu (%s)\n", e->ifname, e->ifindex,
	       (unsigned long long)e->netns_ino,
	       e->netns_current ? "current" : "other namespace");
	printf("  prog %s  id %u  ", e->prog, e->prog_id);
	if (e->link_id)
		printf("link %u  ", e->link_id);
	else
		printf("no link  ");
	printf("%s\n", e->mode);
	if (e->foreign) {
		printf("  foreign, not attached by %s\n", bin_name);
	} else {
		if (e->attach_time) {
			fmt_since(e->attach_time, since, sizeof(since));
			printf("  attached %s\n", since);
		}
		printf("  pins %s\n", e->pin_dir);
	}
	if (e->defunct)
		printf("  defunct: the interface or its network namespace is gone; `%s detach %s` removes the pins\n",
		       bin_name,
		       e->netns_current ? e->ifname : strrchr(e->pin_dir, '/') + 1);
	if (e->read_err) {
		printf("  counters: %s\n",
		       e->read_err == -ENOENT ?
			       "none (no ppxdp stats map)" :
			       strerror(-e->read_err));
		return;
	}
	print_counters_plain("counter", &e->cur, e->rates);
	if (cpu_stats_used(e))
		print_counters_plain("cpumap prog", &e->cpu_cur, e->cpu_rates);
}

static void print_counters_json(const char *name,
				const struct ppxdp_xdp_stats *s,
				const struct ctr_rate *rates)
{
	unsigned int i;

	jsonw_name(json_wtr, name);
	jsonw_start_object(json_wtr);
	for (i = 0; i < PPXDP_NR_CTRS; i++) {
		const struct ppxdp_ctr *c = stats_ctr(s, i);

		jsonw_name(json_wtr, stats_fields[i].name);
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "packets", c->packets);
		jsonw_uint_field(json_wtr, "bytes", c->bytes);
		jsonw_float_field(json_wtr, "pps", rates[i].pps);
		jsonw_float_field(json_wtr, "bps", rates[i].bps);
		jsonw_end_object(json_wtr);
	}
	jsonw_end_object(json_wtr);
}

static void status_print_entry_json(const struct status_entry *e)
{

	jsonw_start_object(json_wtr);
	jsonw_string_field(json_wtr, "ifname", e->ifname);
	jsonw_uint_field(json_wtr, "ifindex", e->ifindex);
	jsonw_uint_field(json_wtr, "netns_ino", e->netns_ino);
	jsonw_bool_field(json_wtr, "netns_current", e->netns_current);
	jsonw_string_field(json_wtr, "prog", e->prog);
	jsonw_uint_field(json_wtr, "prog_id", e->prog_id);
	if (e->link_id)
		jsonw_uint_field(json_wtr, "link_id", e->link_id);
	else
		jsonw_null_field(json_wtr, "link_id");
	jsonw_string_field(json_wtr, "mode", e->mode);
	if (e->attach_time)
		jsonw_uint_field(json_wtr, "attached_since",
				 e->attach_time / 1000000000ULL);
	else
		jsonw_null_field(json_wtr, "attached_since");
	if (e->foreign)
		jsonw_null_field(json_wtr, "pin_dir");
	else
		jsonw_string_field(json_wtr, "pin_dir", e->pin_dir);
	jsonw_bool_field(json_wtr, "foreign", e->foreign);
	jsonw_bool_field(json_wtr, "defunct", e->defunct);
	if (e->read_err)
		jsonw_null_field(json_wtr, "counters");
	else
		print_counters_json("counters", &e->cur, e->rates);
	if (e->cpu_fd < 0)
		jsonw_null_field(json_wtr, "cpumap_counters");
	else
		print_counters_json("cpumap_counters", &e->cpu_cur,
				    e->cpu_rates);
	jsonw_end_object(json_wtr);
}

static void status_print(const struct status_list *l, const char *filter,
			 bool header, double secs)
{
	size_t i;

	if (json_output) {
		jsonw_start_array(json_wtr);
		for (i = 0; i < l->nr; i++)
			status_print_entry_json(&l->e[i]);
		jsonw_end_array(json_wtr);
		return;
	}
	if (header) {
		char now[40];
		time_t t = time(NULL);
		struct tm tm;

		if (isatty(STDOUT_FILENO))
			fputs("\033[H\033[2J", stdout);
		localtime_r(&t, &tm);
		strftime(now, sizeof(now), "%H:%M:%S", &tm);
		printf("--- %s, rates over %.2f s\n", now, secs);
	}
	if (!l->nr)
		printf(filter ? "%s: no XDP program\n" : "no XDP program attached\n",
		       filter);
	for (i = 0; i < l->nr; i++) {
		if (i)
			putchar('\n');
		status_print_entry_plain(&l->e[i]);
	}
	fflush(stdout);
}

static void timespec_add(struct timespec *t, double secs)
{
	long long ns = t->tv_nsec + (long long)(secs * 1e9);

	t->tv_sec += ns / 1000000000LL;
	t->tv_nsec = ns % 1000000000LL;
}

/* count intervals, each secs long, printing after each. */
static void status_sample(struct status_list *l, const struct status_opts *o)
{
	struct timespec start, deadline, now, last;
	bool live = o->count != 1;
	__u32 n;

	clock_gettime(CLOCK_MONOTONIC, &start);
	status_read_counters(l);
	last = start;
	deadline = start;
	for (n = 0; !o->count || n < o->count; n++) {
		status_shift(l);
		timespec_add(&deadline, o->interval);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline,
				       NULL) == EINTR)
			;
		clock_gettime(CLOCK_MONOTONIC, &now);
		status_read_counters(l);
		status_rates(l, timespec_diff(&last, &now));
		status_print(l, o->ifname, live, timespec_diff(&last, &now));
		last = now;
	}
}

int do_status(int argc, char **argv)
{
	struct status_opts o = { .interval = 0.5, .count = 1 };
	struct status_list l = {};
	int err;

	err = opts_parse(&status_cmd, &o, argc, argv);
	if (err)
		return err < 0 ? err : 0;
	err = bpffs_prepare(false);
	if (err)
		return err;
	err = netns_current_ino(&l.cur_ino);
	if (err)
		return err;

	if (o.ifname) {
		err = status_filter_set(&l, o.ifname);
		if (err)
			goto out;
	}
	err = status_scan_pins(&l);
	if (!err)
		err = status_scan_ifaces(&l);
	if (err) {
		if (err == -ENOMEM)
			p_err("out of memory");
		else
			p_err("cannot list XDP attachments: %s", strerror(-err));
		goto out;
	}
	if (o.ifname && !l.nr &&
	    (l.filter_ino != l.cur_ino || !if_nametoindex(l.filter_ifname))) {
		p_err("no interface '%s' in this network namespace, and no %s pins for it",
		      o.ifname, bin_name);
		err = -ENODEV;
		goto out;
	}
	qsort(l.e, l.nr, sizeof(*l.e), status_entry_cmp);

	if (!l.nr)
		status_print(&l, o.ifname, false, 0);
	else
		status_sample(&l, &o);
out:
	status_list_free(&l);
	return err;
}
