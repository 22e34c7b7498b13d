// SPDX-License-Identifier: GPL-2.0
/*
 * fwd route rules: forwarding along the kernel's FIB with bpf_fib_lookup(),
 * in a private network namespace that is a small router:
 *
 *   rta 10.1.0.254/24 fd01::fe/64   (ingress, peer rtb)
 *   rtx 10.3.0.254/24 fd03::fe/64   (egress, MAC 02:00:00:00:03:fe, peer rty)
 *   neighbours 10.3.0.1 and fd03::1 (02:00:00:00:03:01) on rtx, permanent
 *   198.51.100.0/24 and 2001:db8:5::/48 via that neighbour
 *   203.0.113.0/24 via 10.3.0.9 and 2001:db8:9::/48 via fd03::9 (no entry)
 *   unreachable, blackhole and prohibit routes in 192.0.2.0/24 and
 *   2001:db8:66::/48, 2001:db8:67::/48, 2001:db8:68::/48
 *
 * The only rule is `route`. Each frame is checked for its action, its
 * output (the routed frame is built independently: MACs from the
 * neighbour and rtx, TTL - 1 with the checksum computed from scratch, hop
 * limit - 1), fwd_stats, the rule counter and every fwd_fib_stats slot.
 */
#include <string.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "fwd_check.h"
#include "pass.skel.h"

static const __u8 nb_mac[6] = { 0x02, 0, 0, 0, 0x03, 0x01 };
static const __u8 rtx_mac[6] = { 0x02, 0, 0, 0, 0x03, 0xfe };

struct rt {
	struct pr_fwd t;
	int a, b, x, y;
	struct ppxdp_ctr want_fib[FWD_FIB_NR_RESULTS];
};

/*
 * ipv6 false: rtx and rta stay without IPv6. Tests that count every frame
 * reaching rty need that: with IPv6 on, rtx sends MLD reports (for its
 * addresses, and for all-routers once forwarding is on, repeated after a
 * random delay) that land in rty's counters.
 */
static void setup_net(struct rt *n, bool ipv6)
{
	const struct pr_rule rules[] = {
		{ .r = { .action = FWD_ACTION_ROUTE } },
	};

	memset(n, 0, sizeof(*n));
	pr_netns_private();
	pr_veth_add("rta", "rtb", &n->a, &n->b);
	pr_veth_add("rtx", "rty", &n->x, &n->y);
	pr_cmd("ip link set dev rtx address 02:00:00:00:03:fe");
	pr_cmd("ip addr add 10.1.0.254/24 dev rta && "
	       "ip addr add 10.3.0.254/24 dev rtx");
	pr_cmd("ip neigh replace 10.3.0.1 lladdr 02:00:00:00:03:01 dev rtx nud permanent");
	pr_cmd("ip route add 198.51.100.0/24 via 10.3.0.1 && "
	       "ip route add 203.0.113.0/24 via 10.3.0.9 && "
	       "ip route add unreachable 192.0.2.0/25 && "
	       "ip route add blackhole 192.0.2.128/26 && "
	       "ip route add prohibit 192.0.2.192/26");
	if (ipv6) {
		pr_cmd("sysctl -qw net.ipv6.conf.rta.disable_ipv6=0 "
		       "net.ipv6.conf.rtx.disable_ipv6=0");
		pr_cmd("ip -6 addr add fd01::fe/64 dev rta nodad && "
		       "ip -6 addr add fd03::fe/64 dev rtx nodad");
		pr_cmd("ip -6 neigh replace fd03::1 lladdr 02:00:00:00:03:01 dev rtx nud permanent");
		pr_cmd("ip -6 route add 2001:db8:5::/48 via fd03::1 && "
		       "ip -6 route add 2001:db8:9::/48 via fd03::9 && "
		       "ip -6 route add unreachable 2001:db8:66::/48 && "
		       "ip -6 route add blackhole 2001:db8:67::/48 && "
		       "ip -6 route add prohibit 2001:db8:68::/48");
	}
	pr_cmd("sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1");
	pr_fwd_setup(&n->t, XDP_DROP, XDP_DROP, rules, 1);
}

static void setup(struct rt *n)
{
	setup_net(n, true);
}

static void check_fib(struct rt *n, const char *what)
{
	struct ppxdp_ctr c;
	__u32 i;

	for (i = 0; i < FWD_FIB_NR_RESULTS; i++) {
		pr_ctr_read(n->t.skel->maps.fwd_fib_stats, i, &c);
		cr_assert(c.packets == n->want_fib[i].packets &&
			  c.bytes == n->want_fib[i].bytes,
			  "%s: fwd_fib_stats[%u] = %llu/%llu, want %llu/%llu",
			  what, i, (unsigned long long)c.packets,
			  (unsigned long long)c.bytes,
			  (unsigned long long)n->want_fib[i].packets,
			  (unsigned long long)n->want_fib[i].bytes);
	}
}

static void teardown(struct rt *n)
{
	check_fib(n, "the last frame");
	pr_fwd_teardown(&n->t);
}

static void frame(struct pr_frame *f, int family, const char *daddr,
		  __u8 ttl, size_t payload)
{
	const struct pr_frame_spec s = {
		.family = family,
		.saddr = family == 4 ? "10.1.0.1" : "fd01::1",
		.daddr = daddr, .ttl = ttl, .l4proto = IPPROTO_UDP,
		.sport = 1000, .dport = 2000, .payload = payload,
	};

	pr_frame_build(f, &s);
}

/* The frame f as the FIB routes it: through the neighbour out of rtx. */
static void routed(const struct pr_frame *f, __u8 *out)
{
	__u8 *ip = out + f->l3_off;
	__u16 sum;

	memcpy(out, f->data, f->len);
	memcpy(out, nb_mac, 6);
	memcpy(out + 6, rtx_mac, 6);
	if ((ip[0] >> 4) == 4) {
		ip[8]--;
		sum = pr_ip4_csum(ip);
		ip[10] = sum >> 8;
		ip[11] = sum & 0xff;
	} else {
		ip[7]--;
	}
}

static void expect_routed(struct rt *n, const struct pr_frame *f,
			  const char *what)
{
	const struct pr_fwd_want w = {
		.act = XDP_REDIRECT, .rule = 0, .what = what,
	};
	__u8 want[PR_FRAME_MAX];
	struct pr_run r;

	pr_fwd_expect(&n->t, f->data, f->len, n->a, &w, &r);
	routed(f, want);
	cr_assert(memcmp(r.out, want, f->len) == 0,
		  "%s: output differs from the routed frame", what);
	pr_ctr_add(&n->want_fib[0], f->len);
	check_fib(n, what);
}

/* f goes to the stack untouched, counted in fwd_fib_stats[slot]. */
static void expect_stack(struct rt *n, const struct pr_frame *f, __u32 slot,
			 const char *what)
{
	const struct pr_fwd_want w = {
		.act = XDP_PASS, .rule = 0, .what = what,
		.redirect_err = slot == 7, /* BPF_FIB_LKUP_RET_NO_NEIGH */
	};
	struct pr_run r;

	pr_fwd_expect(&n->t, f->data, f->len, n->a, &w, &r);
	pr_ctr_add(&n->want_fib[slot], f->len);
	check_fib(n, what);
}

Test(fwd_route, ipv4_connected_and_via_gateway)
{
	struct pr_frame f;
	struct rt n;
	int ttl;

	setup(&n);
	for (ttl = 2; ttl <= 255; ttl += 23) {
		frame(&f, 4, "10.3.0.1", ttl, 40);
		expect_routed(&n, &f, "IPv4 to a connected host");
	}
	frame(&f, 4, "198.51.100.7", 64, 100);
	expect_routed(&n, &f, "IPv4 via the gateway 10.3.0.1");
	teardown(&n);
}

Test(fwd_route, ipv6_connected_and_via_gateway)
{
	struct pr_frame f;
	struct rt n;

	setup(&n);
	frame(&f, 6, "fd03::1", 2, 40);
	expect_routed(&n, &f, "IPv6 to a connected host, hop limit 2");
	frame(&f, 6, "fd03::1", 255, 40);
	expect_routed(&n, &f, "IPv6 to a connected host, hop limit 255");
	frame(&f, 6, "2001:db8:5::7", 64, 100);
	expect_routed(&n, &f, "IPv6 via the gateway fd03::1");
	teardown(&n);
}

/* Every lookup that is not a complete answer leaves the frame to the stack. */
Test(fwd_route, lookup_failures_go_to_the_stack)
{
	static const struct {
		int family;
		const char *daddr;
		__u32 slot;
		const char *what;
	} cases[] = {
		{ 4, "203.0.113.1", 7, "IPv4 gateway without neighbour" },
		{ 4, "192.0.2.1", 2, "IPv4 unreachable route" },
		{ 4, "192.0.2.130", 1, "IPv4 blackhole route" },
		{ 4, "192.0.2.200", 3, "IPv4 prohibit route" },
		{ 4, "10.3.0.254", 4, "IPv4 local address" },
		{ 4, "100.64.0.1", 4, "IPv4 without a route" },
		{ 4, "10.3.0.77", 7, "IPv4 connected host without neighbour" },
		{ 6, "2001:db8:9::1", 7, "IPv6 gateway without neighbour" },
		{ 6, "2001:db8:66::1", 2, "IPv6 unreachable route" },
		{ 6, "2001:db8:67::1", 1, "IPv6 blackhole route" },
		{ 6, "2001:db8:68::1", 3, "IPv6 prohibit route" },
		{ 6, "2001:db8:77::1", 4, "IPv6 without a route" },
	};
	struct pr_frame f;
	struct rt n;
	size_t i;

	setup(&n);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		frame(&f, cases[i].family, cases[i].daddr, 64, 32);
		expect_stack(&n, &f, cases[i].slot, cases[i].what);
	}
	/* And a good one after them: nothing stuck. */
	frame(&f, 4, "10.3.0.1", 64, 32);
	expect_routed(&n, &f, "IPv4 after the failures");
	teardown(&n);
}

/* The whole packet is compared with the egress MTU, for both families. */
Test(fwd_route, egress_mtu)
{
	struct pr_frame f;
	struct rt n;

	setup(&n);
	pr_cmd("ip link set dev rtx mtu 1280");
	frame(&f, 4, "10.3.0.1", 64, 1280 - 28);
	expect_routed(&n, &f, "IPv4 packet of exactly the MTU");
	frame(&f, 4, "10.3.0.1", 64, 1280 - 28 + 1);
	expect_stack(&n, &f, 8, "IPv4 packet one byte over the MTU");
	frame(&f, 6, "fd03::1", 64, 1280 - 48);
	expect_routed(&n, &f, "IPv6 packet of exactly the MTU");
	frame(&f, 6, "fd03::1", 64, 1280 - 48 + 1);
	expect_stack(&n, &f, 8, "IPv6 packet one byte over the MTU");
	teardown(&n);
}

Test(fwd_route, forwarding_disabled_on_the_ingress_port)
{
	struct pr_frame f;
	struct rt n;

	setup(&n);
	pr_cmd("sysctl -qw net.ipv4.conf.rta.forwarding=0 "
	       "net.ipv6.conf.rta.forwarding=0");
	frame(&f, 4, "10.3.0.1", 64, 32);
	expect_stack(&n, &f, 5, "IPv4, forwarding off on rta");
	frame(&f, 6, "fd03::1", 64, 32);
	expect_stack(&n, &f, 5, "IPv6, forwarding off on rta");
	teardown(&n);
}

/* No lookup for frames the stack must answer, or that carry VLAN tags. */
Test(fwd_route, expiring_and_tagged_frames_skip_the_lookup)
{
	struct pr_frame_spec s = {
		.family = 4, .saddr = "10.1.0.1", .daddr = "10.3.0.1",
		.l4proto = IPPROTO_UDP, .sport = 1, .dport = 2,
		.vlan_tpid = { 0x8100 }, .vlan_tci = { 5 },
	};
	struct pr_frame f;
	struct rt n;

	setup(&n);
	frame(&f, 4, "10.3.0.1", 1, 32);
	expect_stack(&n, &f, FWD_FIB_SKIPPED, "IPv4 TTL 1");
	frame(&f, 6, "fd03::1", 1, 32);
	expect_stack(&n, &f, FWD_FIB_SKIPPED, "IPv6 hop limit 1");
	pr_frame_build(&f, &s);
	expect_stack(&n, &f, FWD_FIB_SKIPPED, "802.1Q-tagged IPv4");
	teardown(&n);
}

/*
 * Live frames come out of rty routed, whether rtx is in fwd_ports
 * (bpf_redirect_map) or not (bpf_redirect).
 */
static void live_route(bool in_ports)
{
	struct ppxdp_xdp_stats got_y, want_y = {};
	const __u32 count = 32;
	__u8 want[PR_FRAME_MAX];
	struct pass *sink;
	struct pr_frame f;
	struct rt n;
	int sock;
	__u32 i;

	setup_net(&n, false);
	if (in_ports)
		pr_devmap_add(n.t.skel->maps.fwd_ports, n.x, n.x);
	sink = pass__open();
	cr_assert(sink != NULL);
	pr_unpin_maps(sink->obj);
	cr_assert(pass__load(sink) == 0);
	pr_xdp_attach(n.y, bpf_program__fd(sink->progs.xdp_pass));
	sock = pr_packet_socket(n.y);

	frame(&f, 4, "198.51.100.9", 17, 64);
	pr_run_live(n.t.prog_fd, f.data, f.len, n.a, count);
	routed(&f, want);
	pr_packet_expect(sock, want, f.len, count);

	for (i = 0; i < count; i++) {
		pr_ctr_add(&n.t.want.redirect, f.len);
		pr_ctr_add(&n.t.want_rule[0], f.len);
		pr_ctr_add(&n.want_fib[0], f.len);
		pr_ctr_add(&want_y.pass, f.len);
	}
	pr_stats_read(sink->maps.pass_stats, &got_y);
	pr_stats_expect(&got_y, &want_y);
	close(sock);
	pass__destroy(sink);
	teardown(&n);
}

Test(fwd_route, live_frames_through_bpf_redirect)
{
	live_route(false);
}

Test(fwd_route, live_frames_through_fwd_ports)
{
	live_route(true);
}
