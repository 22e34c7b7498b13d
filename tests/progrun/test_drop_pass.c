// SPDX-License-Identifier: GPL-2.0
/*
 * drop and pass: every frame, whatever it holds and however short, gets the
 * program's action, leaves untouched, and is counted with its length; the
 * map contract every program shares (NAME_stats pinned by name, ppxdp_info
 * present and not pinned).
 */
#include <string.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "progrun.h"
#include "drop.skel.h"
#include "pass.skel.h"

/*
 * Runts (which this kernel may refuse to run, see pr_run_runt()), common
 * sizes and the largest the test harness builds.
 */
static const size_t lengths[] = {
	0, 1, 6, 12, 13, 14, 15, 16, 42, 60, 64, 128, 512, 1500, 1514,
	PR_FRAME_MAX,
};
#define NR_LENGTHS (sizeof(lengths) / sizeof(lengths[0]))

static void fill_pattern(__u8 *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (i * 31 + seed) & 0xff;
}

/* Run every length through prog; expect act and identical output. */
static void run_all_lengths(int prog_fd, __u32 act,
			    struct ppxdp_xdp_stats *want)
{
	static __u8 frame[PR_FRAME_MAX];
	struct pr_run r;
	size_t i;

	for (i = 0; i < NR_LENGTHS; i++) {
		size_t len = lengths[i];

		fill_pattern(frame, len, i);
		if (!pr_run_runt(prog_fd, frame, len, 0, &r))
			continue;
		cr_assert(r.retval == act,
			  "%zu-byte frame: got %s, want %s", len,
			  pr_action_name(r.retval), pr_action_name(act));
		cr_assert(memcmp(r.out, frame, len) == 0,
			  "%zu-byte frame was modified", len);
		pr_ctr_add(pr_action_ctr(want, act), len);
	}
}

Test(drop, every_frame_dropped_and_counted)
{
	struct ppxdp_xdp_stats got, want = {};
	struct drop *skel = drop__open();

	cr_assert(skel != NULL, "drop__open failed");
	pr_check_common_maps(skel->obj, "drop_stats");
	pr_unpin_maps(skel->obj);
	cr_assert(drop__load(skel) == 0, "drop__load failed");

	run_all_lengths(bpf_program__fd(skel->progs.xdp_drop), XDP_DROP, &want);
	/* twice: counters accumulate */
	run_all_lengths(bpf_program__fd(skel->progs.xdp_drop), XDP_DROP, &want);
	pr_stats_read(skel->maps.drop_stats, &got);
		pr_stats_expect(&got, &want);
	drop__destroy(skel);
}

Test(pass, every_frame_passed_and_counted)
{
	struct ppxdp_xdp_stats got, want = {};
	struct pass *skel = pass__open();

	cr_assert(skel != NULL, "pass__open failed");
	pr_check_common_maps(skel->obj, "pass_stats");
	pr_unpin_maps(skel->obj);
	cr_assert(pass__load(skel) == 0, "pass__load failed");

	run_all_lengths(bpf_program__fd(skel->progs.xdp_pass), XDP_PASS, &want);
	pr_stats_read(skel->maps.pass_stats, &got);
		pr_stats_expect(&got, &want);
	pass__destroy(skel);
}
