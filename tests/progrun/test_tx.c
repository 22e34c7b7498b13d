// SPDX-License-Identifier: GPL-2.0
/*
 * tx: every frame with an Ethernet header goes back out (XDP_TX) with its
 * MAC addresses swapped and nothing else changed, whatever it carries.
 * Shorter frames would get default_action and count as malformed; this
 * kernel refuses to test-run them (see pr_run_runt()), so on it only the
 * refusal is seen for lengths 0..13.
 */
#include <string.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "progrun.h"
#include "tx.skel.h"

static struct tx *tx_load(__u32 default_action)
{
	struct tx *skel = tx__open();

	cr_assert(skel != NULL, "tx__open failed");
	pr_check_common_maps(skel->obj, "tx_stats");
	skel->rodata->default_action = default_action;
	pr_unpin_maps(skel->obj);
	cr_assert(tx__load(skel) == 0, "tx__load failed");
	return skel;
}

static void expect_swapped(const struct pr_run *r, const __u8 *in, size_t len)
{
	cr_assert(memcmp(r->out, in + 6, 6) == 0, "destination MAC not swapped");
	cr_assert(memcmp(r->out + 6, in, 6) == 0, "source MAC not swapped");
	cr_assert(memcmp(r->out + 12, in + 12, len - 12) == 0,
		  "bytes after the MACs changed");
}

Test(tx, macs_swapped_on_every_frame_type)
{
	const struct pr_frame_spec specs[] = {
		{ .family = 4, .l4proto = IPPROTO_UDP, .sport = 1, .dport = 2,
		  .payload = 18 },
		{ .family = 6, .l4proto = IPPROTO_TCP, .payload = 100 },
		{ .family = 0, .ethertype = 0x0806, .payload = 28 }, /* ARP */
		{ .family = 4, .vlan_tpid = { 0x88a8, 0x8100 },
		  .vlan_tci = { 10, 20 }, .l4proto = IPPROTO_ICMP },
		{ .family = 0, .ethertype = 0x0806,
		  .smac = { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff },
		  .dmac = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
	};
	struct ppxdp_xdp_stats got, want = {};
	struct tx *skel = tx_load(XDP_PASS);
	int fd = bpf_program__fd(skel->progs.xdp_tx);
	struct pr_frame f;
	struct pr_run r;
	size_t i;

	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		pr_frame_build(&f, &specs[i]);
		cr_assert(eq(u32, pr_run_ok(fd, f.data, f.len, 0, &r), XDP_TX));
		expect_swapped(&r, f.data, f.len);
		pr_ctr_add(&want.tx, f.len);
	}
	pr_stats_read(skel->maps.tx_stats, &got);
	pr_stats_expect(&got, &want);
	tx__destroy(skel);
}

/* Lengths 0..64: runts get default_action (DROP here), the rest XDP_TX. */
Test(tx, every_length_from_zero)
{
	struct ppxdp_xdp_stats got, want = {};
	struct tx *skel = tx_load(XDP_DROP);
	int fd = bpf_program__fd(skel->progs.xdp_tx);
	__u8 in[64];
	struct pr_run r;
	size_t len, i, ran = 0;

	for (i = 0; i < sizeof(in); i++)
		in[i] = i + 1;
	for (len = 0; len <= sizeof(in); len++) {
		if (!pr_run_runt(fd, in, len, 0, &r))
			continue;
		ran++;
		if (len < 14) {
			cr_assert(eq(u32, r.retval, XDP_DROP), "len %zu", len);
			cr_assert(memcmp(r.out, in, len) == 0);
			pr_ctr_add(&want.drop, len);
			pr_ctr_add(&want.malformed, len);
		} else {
			cr_assert(eq(u32, r.retval, XDP_TX), "len %zu", len);
			expect_swapped(&r, in, len);
			pr_ctr_add(&want.tx, len);
		}
	}
	cr_assert(ran >= sizeof(in) + 1 - 14, "frames of 14+ bytes must run");
	pr_stats_read(skel->maps.tx_stats, &got);
	pr_stats_expect(&got, &want);
	tx__destroy(skel);
}
