// SPDX-License-Identifier: GPL-2.0
/*
 * fwd XDP_REDIRECT routes, in a private network namespace with two veth
 * pairs: frames enter on "fra" and leave through "frx" (the only entry of
 * fwd_ports), whose peer is "fry".
 *
 * Plain BPF_PROG_RUN reports the action and returns the rewritten frame
 * without transmitting it: the tests compare the whole output with the
 * expected frame, whose IPv4 header checksum is computed from scratch
 * (pr_ip4_csum), never incrementally. The live-frames test transmits and
 * catches the frames on fry.
 */
#include <string.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "fwd_check.h"
#include "pass.skel.h"

static const __u8 nb_dmac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const __u8 nb_smac[6] = { 0x02, 0x66, 0x77, 0x88, 0x99, 0xaa };
static const __u8 nh_dmac[6] = { 0x02, 0xde, 0xad, 0xbe, 0xef, 0x01 };
static const __u8 nh_smac[6] = { 0x02, 0xde, 0xad, 0xbe, 0xef, 0x02 };

struct net {
	int a, b; /* ingress pair */
	int x, y; /* egress pair */
};

/*
 * Rules: 0 routes 198.51.100.0/24 and 1 2001:db8:1::/48 out of x via the
 * packet's destination; 2 routes 203.0.113.0/24 via next hop
 * 198.51.100.254; 3 routes 2001:db8:3::/48 via next hop 2001:db8:1::fe;
 * 4 routes 2001:db8:4::/48 via IPv4 next hop 198.51.100.254; 5 routes
 * 192.0.2.0/24 to y, which is not in fwd_ports.
 */
static void setup(struct pr_fwd *t, struct net *n)
{
	struct pr_rule rules[] = {
		{ .dst = "198.51.100.0/24", .r = { .action = XDP_REDIRECT } },
		{ .dst = "2001:db8:1::/48", .r = { .action = XDP_REDIRECT } },
		{ .dst = "203.0.113.0/24",
		  .r = { .action = XDP_REDIRECT, .flags = FWD_RULE_NH,
			 .nh_family = 4 } },
		{ .dst = "2001:db8:3::/48",
		  .r = { .action = XDP_REDIRECT, .flags = FWD_RULE_NH,
			 .nh_family = 6 } },
		{ .dst = "2001:db8:4::/48",
		  .r = { .action = XDP_REDIRECT, .flags = FWD_RULE_NH,
			 .nh_family = 4 } },
		{ .dst = "192.0.2.0/24", .r = { .action = XDP_REDIRECT } },
	};
	size_t i;

	pr_netns_private();
	pr_veth_add("fra", "frb", &n->a, &n->b);
	pr_veth_add("frx", "fry", &n->x, &n->y);
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		rules[i].r.redirect_ifindex = n->x;
	rules[5].r.redirect_ifindex = n->y;
	pr_addr(4, "198.51.100.254", rules[2].r.nh_addr);
	pr_addr(6, "2001:db8:1::fe", rules[3].r.nh_addr);
	pr_addr(4, "198.51.100.254", rules[4].r.nh_addr);

	pr_fwd_setup(t, XDP_DROP, XDP_DROP, rules, 6);
	pr_devmap_add(t->skel->maps.fwd_ports, n->x, n->x);
	pr_fwd_add_neigh(t->skel->obj, n->x, 4, "198.51.100.1", nb_dmac, nb_smac);
	pr_fwd_add_neigh(t->skel->obj, n->x, 6, "2001:db8:1::1", nb_dmac, nb_smac);
	pr_fwd_add_neigh(t->skel->obj, n->x, 4, "198.51.100.254", nh_dmac, nh_smac);
	pr_fwd_add_neigh(t->skel->obj, n->x, 6, "2001:db8:1::fe", nh_dmac, nh_smac);
	/* y would have a neighbour, but is no port */
	pr_fwd_add_neigh(t->skel->obj, n->y, 4, "192.0.2.1", nb_dmac, nb_smac);
}

/* The frame f must become after routing through a neighbour dmac/smac. */
static void routed(const struct pr_frame *f, const __u8 *dmac,
		   const __u8 *smac, __u8 *out)
{
	__u8 *ip = out + f->l3_off;

	memcpy(out, f->data, f->len);
	memcpy(out, dmac, 6);
	memcpy(out + 6, smac, 6);
	if ((ip[0] >> 4) == 4) {
		ip[8]--;
		ip[10] = pr_ip4_csum(ip) >> 8;
		ip[11] = pr_ip4_csum(ip) & 0xff;
	} else {
		ip[7]--;
	}
}

/* f must be redirected and come out as routed() says. */
static void expect_routed(struct pr_fwd *t, const struct net *n,
			  const struct pr_frame *f, int rule, const __u8 *dmac,
			  const __u8 *smac, const char *what)
{
	struct pr_fwd_want w = {
		.act = XDP_REDIRECT, .rule = rule, .what = what,
	};
	__u8 want[PR_FRAME_MAX];
	struct pr_run r;

	pr_fwd_expect(t, f->data, f->len, n->a, &w, &r);
	routed(f, dmac, smac, want);
	cr_assert(memcmp(r.out, want, f->len) == 0,
		  "%s: output differs from the routed frame", what);
}

/* f must go to the stack untouched. */
static void expect_stack(struct pr_fwd *t, const struct net *n,
			 const struct pr_frame *f, int rule, bool err,
			 const char *what)
{
	struct pr_fwd_want w = {
		.act = XDP_PASS, .rule = rule, .redirect_err = err, .what = what,
	};
	struct pr_run r;

	pr_fwd_expect(t, f->data, f->len, n->a, &w, &r);
}

Test(fwd_redirect, ipv4_macs_ttl_and_checksum)
{
	struct pr_frame_spec s = {
		.family = 4, .daddr = "198.51.100.1", .l4proto = IPPROTO_UDP,
		.sport = 7, .dport = 9, .payload = 20,
	};
	char src[32];
	struct pr_fwd t;
	struct pr_frame f;
	struct net n;
	int ttl;

	setup(&t, &n);
	for (ttl = 2; ttl <= 255; ttl++) {
		snprintf(src, sizeof(src), "10.%d.%d.%d", ttl, 255 - ttl,
			 ttl * 7 % 256);
		s.saddr = src;
		s.ttl = ttl;
		s.ip4_optlen = 4 * (ttl % 11);
		s.ip4_frag = ttl % 3 ? 0x4000 : 0; /* DF or not */
		s.vlan_tpid[0] = ttl % 4 ? 0 : 0x8100;
		s.vlan_tpid[1] = ttl % 8 ? 0 : 0x8100;
		pr_frame_build(&f, &s);
		f.data[f.l3_off + 1] = ttl * 3;          /* TOS */
		f.data[f.l3_off + 4] = ttl;              /* id */
		f.data[f.l3_off + 10] = pr_ip4_csum(f.data + f.l3_off) >> 8;
		f.data[f.l3_off + 11] = pr_ip4_csum(f.data + f.l3_off);
		expect_routed(&t, &n, &f, 0, nb_dmac, nb_smac, "IPv4 TTL sweep");
	}
	pr_fwd_teardown(&t);
}

/*
 * Headers whose checksum is 0x0000 before or after the TTL decrement: the
 * one's complement corner cases of an incremental update.
 */
Test(fwd_redirect, ipv4_checksum_corner_cases)
{
	struct pr_frame_spec s = {
		.family = 4, .daddr = "198.51.100.1", .l4proto = IPPROTO_TCP,
		.ttl = 64,
	};
	bool zero_before = false, zero_after = false;
	struct pr_fwd t;
	struct pr_frame f;
	struct net n;
	__u32 id;

	setup(&t, &n);
	pr_frame_build(&f, &s);
	for (id = 0; id <= 0xffff && !(zero_before && zero_after); id++) {
		__u8 *ip = f.data + f.l3_off;
		__u16 before, after;

		ip[4] = id >> 8;
		ip[5] = id;
		before = pr_ip4_csum(ip);
		ip[8]--;
		after = pr_ip4_csum(ip);
		ip[8]++;
		if ((before == 0 && !zero_before) || (after == 0 && !zero_after)) {
			zero_before |= before == 0;
			zero_after |= after == 0;
			ip[10] = before >> 8;
			ip[11] = before;
			expect_routed(&t, &n, &f, 0, nb_dmac, nb_smac,
				      before ? "checksum 0 after" : "checksum 0 before");
		}
	}
	cr_assert(zero_before && zero_after, "no corner case found");
	pr_fwd_teardown(&t);
}

Test(fwd_redirect, ipv6_macs_and_hop_limit)
{
	struct pr_frame_spec s = {
		.family = 6, .daddr = "2001:db8:1::1", .l4proto = IPPROTO_TCP,
		.sport = 7, .dport = 9,
	};
	struct pr_fwd t;
	struct pr_frame f;
	struct net n;
	int hl;

	setup(&t, &n);
	for (hl = 2; hl <= 255; hl += 13) {
		s.ttl = hl;
		s.nr_ext = hl % 3;
		s.ext[0] = 0;
		s.ext[1] = 60;
		s.vlan_tpid[0] = hl % 2 ? 0x88a8 : 0;
		pr_frame_build(&f, &s);
		expect_routed(&t, &n, &f, 1, nb_dmac, nb_smac, "IPv6");
	}
	s.ttl = 255;
	pr_frame_build(&f, &s);
	expect_routed(&t, &n, &f, 1, nb_dmac, nb_smac, "IPv6 hop limit 255");
	pr_fwd_teardown(&t);
}

Test(fwd_redirect, ttl_expiring_goes_to_the_stack)
{
	struct pr_frame_spec s4 = {
		.family = 4, .daddr = "198.51.100.1", .l4proto = IPPROTO_UDP,
	};
	struct pr_frame_spec s6 = {
		.family = 6, .daddr = "2001:db8:1::1", .l4proto = IPPROTO_UDP,
	};
	struct pr_fwd t;
	struct pr_frame f;
	struct net n;

	setup(&t, &n);
	s4.ttl = 1;
	pr_frame_build(&f, &s4);
	expect_stack(&t, &n, &f, 0, false, "IPv4 TTL 1");
	pr_frame_build(&f, &s4);
	f.data[f.l3_off + 8] = 0;
	f.data[f.l3_off + 10] = pr_ip4_csum(f.data + f.l3_off) >> 8;
	f.data[f.l3_off + 11] = pr_ip4_csum(f.data + f.l3_off);
	expect_stack(&t, &n, &f, 0, false, "IPv4 TTL 0");
	s4.ttl = 2;
	pr_frame_build(&f, &s4);
	expect_routed(&t, &n, &f, 0, nb_dmac, nb_smac, "IPv4 TTL 2");

	s6.ttl = 1;
	pr_frame_build(&f, &s6);
	expect_stack(&t, &n, &f, 1, false, "IPv6 hop limit 1");
	pr_frame_build(&f, &s6);
	f.data[f.l3_off + 7] = 0;
	expect_stack(&t, &n, &f, 1, false, "IPv6 hop limit 0");
	s6.ttl = 2;
	pr_frame_build(&f, &s6);
	expect_routed(&t, &n, &f, 1, nb_dmac, nb_smac, "IPv6 hop limit 2");
	pr_fwd_teardown(&t);
}

Test(fwd_redirect, missing_neighbour_goes_to_the_stack)
{
	struct pr_frame_spec s = {
		.family = 4, .daddr = "198.51.100.2", .l4proto = IPPROTO_UDP,
	};
	struct pr_fwd t;
	struct pr_frame f;
	struct net n;

	setup(&t, &n);
	pr_frame_build(&f, &s);
	expect_stack(&t, &n, &f, 0, true, "no neighbour 198.51.100.2");
	s.family = 6;
	s.daddr = "2001:db8:1::2";
	pr_frame_build(&f, &s);
	expect_stack(&t, &n, &f, 1, true, "no neighbour 2001:db8:1::2");
	s.family = 4;
	s.daddr = "198.51.100.1";
	pr_frame_build(&f, &s);
	expect_routed(&t, &n, &f, 0, nb_dmac, nb_smac, "neighbour present");
	pr_fwd_teardown(&t);
}

Test(fwd_redirect, missing_port_goes_to_the_stack)
{
	struct pr_frame_spec s = {
		.family = 4, .daddr = "192.0.2.1", .l4proto = IPPROTO_UDP,
	};
	struct pr_fwd t;
	struct pr_frame f;
	struct net n;

	setup(&t, &n);
	pr_frame_build(&f, &s);
	expect_stack(&t, &n, &f, 5, true, "egress not in fwd_ports");

	/* The kernel drops the port with its device: frames go to the stack. */
	s.daddr = "198.51.100.1";
	pr_frame_build(&f, &s);
	expect_routed(&t, &n, &f, 0, nb_dmac, nb_smac, "port present");
	cr_assert(system("ip link del dev frx") == 0);
	expect_stack(&t, &n, &f, 0, true, "egress device deleted");
	pr_fwd_teardown(&t);
}

Test(fwd_redirect, next_hop_from_the_rule)
{
	struct pr_frame_spec s = {
		.family = 4, .daddr = "203.0.113.9", .l4proto = IPPROTO_TCP,
	};
	struct pr_fwd t;
	struct pr_frame f;
	struct net n;

	setup(&t, &n);
	pr_frame_build(&f, &s);
	expect_routed(&t, &n, &f, 2, nh_dmac, nh_smac, "IPv4 via 198.51.100.254");
	s.family = 6;
	s.daddr = "2001:db8:3::9";
	pr_frame_build(&f, &s);
	expect_routed(&t, &n, &f, 3, nh_dmac, nh_smac, "IPv6 via 2001:db8:1::fe");
	s.daddr = "2001:db8:4::9";
	pr_frame_build(&f, &s);
	expect_routed(&t, &n, &f, 4, nh_dmac, nh_smac, "IPv6 via 198.51.100.254");
	pr_fwd_teardown(&t);
}

/*
 * Live frames entering on a come out of y, routed: rewritten MACs,
 * decremented TTL, valid checksum, once each.
 */
Test(fwd_redirect, live_frames_reach_the_next_hop)
{
	struct pr_frame_spec s = {
		.family = 4, .saddr = "10.9.8.7", .daddr = "198.51.100.1",
		.l4proto = IPPROTO_UDP, .sport = 1, .dport = 2, .payload = 64,
		.ttl = 17,
	};
	struct ppxdp_xdp_stats got_y, want_y = {};
	const __u32 count = 32;
	__u8 want[PR_FRAME_MAX];
	struct pass *sink;
	struct pr_fwd t;
	struct pr_frame f;
	struct net n;
	int sock;
	__u32 i;

	setup(&t, &n);
	sink = pass__open();
	cr_assert(sink != NULL);
	pr_unpin_maps(sink->obj);
	cr_assert(pass__load(sink) == 0);
	pr_xdp_attach(n.y, bpf_program__fd(sink->progs.xdp_pass));
	sock = pr_packet_socket(n.y);

	pr_frame_build(&f, &s);
	pr_run_live(t.prog_fd, f.data, f.len, n.a, count);
	routed(&f, nb_dmac, nb_smac, want);
	cr_assert(eq(u8, want[f.l3_off + 8], 16));
	pr_packet_expect(sock, want, f.len, count);

	for (i = 0; i < count; i++) {
		pr_ctr_add(&t.want.redirect, f.len);
		pr_ctr_add(&t.want_rule[0], f.len);
		pr_ctr_add(&want_y.pass, f.len);
	}
	pr_stats_read(sink->maps.pass_stats, &got_y);
	pr_stats_expect(&got_y, &want_y);
	close(sock);
	pass__destroy(sink);
	pr_fwd_teardown(&t);
}
