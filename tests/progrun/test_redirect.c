// SPDX-License-Identifier: GPL-2.0
/*
 * redirect: the L2 wire over redirect_ports (ingress ifindex -> egress).
 *
 * Every test runs in its own network namespace with veth pairs, because a
 * devmap only takes existing devices. What is checked:
 *  - port present: XDP_REDIRECT, frame unchanged, redirect counted
 *    (plain BPF_PROG_RUN reports the action without transmitting);
 *  - port missing, never set or removed by the kernel when its egress
 *    device went away: default_action (rodata; invalid values fall back to
 *    XDP_PASS; XDP_TX swaps the MACs), counted under that action and as
 *    redirect_err;
 *  - live frames: the frames really come out of the peer of the egress
 *    veth, unchanged, once each.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "progrun.h"
#include "redirect.skel.h"
#include "pass.skel.h"

static struct redirect *redirect_load(__u32 default_action)
{
	struct redirect *skel = redirect__open();

	cr_assert(skel != NULL, "redirect__open failed");
	pr_check_common_maps(skel->obj, "redirect_stats");
	skel->rodata->default_action = default_action;
	pr_unpin_maps(skel->obj);
	cr_assert(redirect__load(skel) == 0, "redirect__load failed");
	return skel;
}

static void udp_frame(struct pr_frame *f)
{
	const struct pr_frame_spec s = {
		.family = 4, .l4proto = IPPROTO_UDP, .sport = 1000,
		.dport = 2000, .payload = 32,
	};

	pr_frame_build(f, &s);
}

Test(redirect, port_present_redirects_unchanged)
{
	struct ppxdp_xdp_stats got, want = {};
	struct redirect *skel;
	struct pr_frame f;
	struct pr_run r;
	int a, b, x, y;

	pr_netns_private();
	pr_veth_add("rda", "rdb", &a, &b);
	pr_veth_add("rdx", "rdy", &x, &y);
	skel = redirect_load(XDP_DROP);
	pr_devmap_add(skel->maps.redirect_ports, a, x);
	udp_frame(&f);

	cr_assert(eq(u32, pr_run_ok(bpf_program__fd(skel->progs.xdp_redirect),
				    f.data, f.len, a, &r), XDP_REDIRECT));
	cr_assert(memcmp(r.out, f.data, f.len) == 0, "frame modified");
	pr_ctr_add(&want.redirect, f.len);

	/* From b, which has no entry: the fallback (DROP). */
	cr_assert(eq(u32, pr_run_ok(bpf_program__fd(skel->progs.xdp_redirect),
				    f.data, f.len, b, &r), XDP_DROP));
	pr_ctr_add(&want.drop, f.len);
	pr_ctr_add(&want.redirect_err, f.len);

	pr_stats_read(skel->maps.redirect_stats, &got);
	pr_stats_expect(&got, &want);
	redirect__destroy(skel);
}

/* Empty map: default_action as set, invalid ones fall back to XDP_PASS. */
static void check_fallback(__u32 default_action, __u32 want_act)
{
	struct ppxdp_xdp_stats got, want = {};
	struct redirect *skel = redirect_load(default_action);
	struct pr_frame f;
	struct pr_run r;
	int i;

	udp_frame(&f);
	for (i = 0; i < 3; i++) {
		cr_assert(eq(u32, pr_run_ok(bpf_program__fd(skel->progs.xdp_redirect),
					    f.data, f.len, 0, &r), want_act),
			  "default_action %u", default_action);
		if (want_act == XDP_TX) /* back to the sender */
			cr_assert(memcmp(r.out, f.data + 6, 6) == 0 &&
				  memcmp(r.out + 6, f.data, 6) == 0 &&
				  memcmp(r.out + 12, f.data + 12, f.len - 12) == 0,
				  "XDP_TX fallback must swap the MACs only");
		else
			cr_assert(memcmp(r.out, f.data, f.len) == 0,
				  "frame modified");
		pr_ctr_add(pr_action_ctr(&want, want_act), f.len);
		pr_ctr_add(&want.redirect_err, f.len);
	}
	pr_stats_read(skel->maps.redirect_stats, &got);
	pr_stats_expect(&got, &want);
	redirect__destroy(skel);
}

Test(redirect, missing_port_gets_default_action)
{
	check_fallback(XDP_PASS, XDP_PASS);
	check_fallback(XDP_DROP, XDP_DROP);
	check_fallback(XDP_TX, XDP_TX);
}

Test(redirect, invalid_default_action_never_aborts)
{
	check_fallback(XDP_ABORTED, XDP_PASS);
	check_fallback(XDP_REDIRECT, XDP_PASS);
	check_fallback(1000, XDP_PASS);
}

Test(redirect, port_removed_with_its_device)
{
	struct ppxdp_xdp_stats got, want = {};
	struct bpf_devmap_val v;
	struct redirect *skel;
	struct pr_frame f;
	struct pr_run r;
	__u32 key;
	int a, b, x, y;

	pr_netns_private();
	pr_veth_add("rma", "rmb", &a, &b);
	pr_veth_add("rmx", "rmy", &x, &y);
	skel = redirect_load(XDP_PASS);
	pr_devmap_add(skel->maps.redirect_ports, a, x);
	udp_frame(&f);
	cr_assert(eq(u32, pr_run_ok(bpf_program__fd(skel->progs.xdp_redirect),
				    f.data, f.len, a, &r), XDP_REDIRECT));
	pr_ctr_add(&want.redirect, f.len);

	cr_assert(system("ip link del dev rmx") == 0);
	key = a;
	cr_assert(bpf_map_lookup_elem(bpf_map__fd(skel->maps.redirect_ports),
				      &key, &v) != 0 && errno == ENOENT,
		  "the kernel kept the entry of a deleted device");
	cr_assert(eq(u32, pr_run_ok(bpf_program__fd(skel->progs.xdp_redirect),
				    f.data, f.len, a, &r), XDP_PASS));
	pr_ctr_add(&want.pass, f.len);
	pr_ctr_add(&want.redirect_err, f.len);

	pr_stats_read(skel->maps.redirect_stats, &got);
	pr_stats_expect(&got, &want);
	redirect__destroy(skel);
}

/*
 * Live frames entering on a are redirected to x and come out of its peer y
 * (which runs the pass program: veth needs XDP on the peer to accept
 * redirected frames), unchanged and exactly once each.
 */
Test(redirect, live_frames_reach_the_peer)
{
	struct ppxdp_xdp_stats got, want = {}, got_y, want_y = {};
	const __u32 n = 64;
	struct redirect *skel;
	struct pass *sink;
	struct pr_frame f;
	int a, b, x, y, sock;
	__u32 i;

	pr_netns_private();
	pr_veth_add("rla", "rlb", &a, &b);
	pr_veth_add("rlx", "rly", &x, &y);
	skel = redirect_load(XDP_DROP);
	pr_devmap_add(skel->maps.redirect_ports, a, x);

	sink = pass__open();
	cr_assert(sink != NULL);
	pr_unpin_maps(sink->obj);
	cr_assert(pass__load(sink) == 0);
	pr_xdp_attach(y, bpf_program__fd(sink->progs.xdp_pass));
	sock = pr_packet_socket(y);

	udp_frame(&f);
	pr_run_live(bpf_program__fd(skel->progs.xdp_redirect), f.data, f.len,
		    a, n);
	pr_packet_expect(sock, f.data, f.len, n);

	for (i = 0; i < n; i++) {
		pr_ctr_add(&want.redirect, f.len);
		pr_ctr_add(&want_y.pass, f.len);
	}
	pr_stats_read(skel->maps.redirect_stats, &got);
	pr_stats_expect(&got, &want);
	pr_stats_read(sink->maps.pass_stats, &got_y);
	pr_stats_expect(&got_y, &want_y);
	close(sock);
	pass__destroy(sink);
	redirect__destroy(skel);
}
