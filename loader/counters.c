// SPDX-License-Identifier: GPL-2.0
/* XDP counters: per-CPU sums and rates between snapshots. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "counters.h"

#define STATS_FIELD(f) { #f, offsetof(struct ppxdp_xdp_stats, f) }

const struct stats_field stats_fields[PPXDP_NR_CTRS] = {
	STATS_FIELD(aborted),
	STATS_FIELD(drop),
	STATS_FIELD(pass),
	STATS_FIELD(tx),
	STATS_FIELD(redirect),
	STATS_FIELD(redirect_err),
	STATS_FIELD(malformed),
};

_Static_assert(sizeof(struct ppxdp_xdp_stats) ==
	       PPXDP_NR_CTRS * sizeof(struct ppxdp_ctr),
	       "stats_fields[] must list every counter");

void stats_sum_percpu(const struct ppxdp_xdp_stats *percpu,
		      unsigned int nr_cpus, struct ppxdp_xdp_stats *sum)
{
	unsigned int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		for (i = 0; i < PPXDP_NR_CTRS; i++) {
			const struct ppxdp_ctr *c = stats_ctr(&percpu[cpu], i);
			struct ppxdp_ctr *s = (void *)((char *)sum +
						       stats_fields[i].offset);

			s->packets += c->packets;
			s->bytes += c->bytes;
		}
	}
}

void ctr_rate(const struct ppxdp_ctr *prev, const struct ppxdp_ctr *cur,
	      double secs, struct ctr_rate *rate)
{
	__u64 packets, bytes;

	if (!(secs > 0) || !isfinite(secs)) {
		rate->pps = 0;
		rate->bps = 0;
		return;
	}
	if (cur->packets < prev->packets || cur->bytes < prev->bytes) {
		packets = cur->packets;
		bytes = cur->bytes;
	} else {
		packets = cur->packets - prev->packets;
		bytes = cur->bytes - prev->bytes;
	}
	rate->pps = packets / secs;
	rate->bps = bytes * 8.0 / secs;
}

void stats_rates(const struct ppxdp_xdp_stats *prev,
		 const struct ppxdp_xdp_stats *cur, double secs,
		 struct ctr_rate rates[PPXDP_NR_CTRS])
{
	unsigned int i;

	for (i = 0; i < PPXDP_NR_CTRS; i++)
		ctr_rate(stats_ctr(prev, i), stats_ctr(cur, i), secs,
			 &rates[i]);
}

double timespec_diff(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static bool is_stats_map(const struct bpf_map_info *info)
{
	size_t len = strlen(info->name);

	return info->type == BPF_MAP_TYPE_PERCPU_ARRAY &&
	       info->key_size == sizeof(__u32) && info->max_entries >= 1 &&
	       info->value_size == sizeof(struct ppxdp_xdp_stats) &&
	       len > 6 && !strcmp(info->name + len - 6, "_stats");
}

int stats_read(int map_fd, struct ppxdp_xdp_stats *sum)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info), key = 0;
	struct ppxdp_xdp_stats *percpu;
	int nr_cpus, err = 0;

	if (bpf_obj_get_info_by_fd(map_fd, &info, &len))
		return -errno;
	if (!is_stats_map(&info))
		return -EINVAL;
	nr_cpus = libbpf_num_possible_cpus();
	if (nr_cpus < 0)
		return nr_cpus;
	percpu = calloc(nr_cpus, sizeof(*percpu));
	if (!percpu)
		return -ENOMEM;
	if (bpf_map_lookup_elem(map_fd, &key, percpu))
		err = -errno;
	else
		stats_sum_percpu(percpu, nr_cpus, sum);
	free(percpu);
	return err;
}

int stats_map_of_prog(__u32 prog_id)
{
	struct bpf_prog_info pinfo = {};
	__u32 len = sizeof(pinfo), map_ids[64], i;
	int prog_fd, fd = -ENOENT;

	prog_fd = bpf_prog_get_fd_by_id(prog_id);
	if (prog_fd < 0)
		return -errno;
	pinfo.nr_map_ids = sizeof(map_ids) / sizeof(map_ids[0]);
	pinfo.map_ids = (__u64)(unsigned long)map_ids;
	if (bpf_obj_get_info_by_fd(prog_fd, &pinfo, &len)) {
		fd = -errno;
		goto out_close_prog;
	}
	if (pinfo.nr_map_ids > sizeof(map_ids) / sizeof(map_ids[0]))
		pinfo.nr_map_ids = sizeof(map_ids) / sizeof(map_ids[0]);
	for (i = 0; i < pinfo.nr_map_ids; i++) {
		struct bpf_map_info minfo = {};
		__u32 mlen = sizeof(minfo);
		int map_fd = bpf_map_get_fd_by_id(map_ids[i]);

		if (map_fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(map_fd, &minfo, &mlen) &&
		    is_stats_map(&minfo)) {
			fd = map_fd;
			break;
		}
		close(map_fd);
	}
out_close_prog:
	close(prog_fd);
	return fd;
}
