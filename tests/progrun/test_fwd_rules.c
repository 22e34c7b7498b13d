// SPDX-License-Identifier: GPL-2.0
/*
 * fwd rule semantics (bpf/fwd.h): first match in rule order whatever the
 * prefix lengths, source and destination tries ANDed, address families
 * kept apart, port ranges inclusive at both ends and only for frames that
 * carry ports, L4 protocol, ingress ifindex, destination MAC, rodata
 * default_action/nonip_action, invalid rule actions and damaged bitmaps.
 * Every frame checks its action, its output bytes, and that exactly the
 * expected fwd_stats and fwd_rule_stats counters moved.
 */
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "fwd_check.h"

#define NRULES(r) (sizeof(r) / sizeof((r)[0]))

static void frame4(struct pr_frame *f, const char *src, const char *dst,
		   __u8 proto, __u16 sport, __u16 dport)
{
	const struct pr_frame_spec s = {
		.family = 4, .saddr = src, .daddr = dst, .l4proto = proto,
		.sport = sport, .dport = dport, .payload = 16,
	};

	pr_frame_build(f, &s);
}

static void frame6(struct pr_frame *f, const char *src, const char *dst,
		   __u8 proto, __u16 sport, __u16 dport)
{
	const struct pr_frame_spec s = {
		.family = 6, .saddr = src, .daddr = dst, .l4proto = proto,
		.sport = sport, .dport = dport, .payload = 16,
	};

	pr_frame_build(f, &s);
}

/* Run f arriving on ifindex; it must get act from rule (-1: no rule). */
static void expect(struct pr_fwd *t, const struct pr_frame *f, __u32 ifindex,
		   __u32 act, int rule, const char *what)
{
	struct pr_fwd_want w = { .act = act, .rule = rule, .what = what };
	struct pr_run r;

	pr_fwd_expect(t, f->data, f->len, ifindex, &w, &r);
}

Test(fwd_rules, first_match_wins_over_longer_prefix)
{
	const struct pr_rule rules[] = {
		{ .dst = "10.0.0.0/8", .r = { .action = XDP_DROP } },
		{ .dst = "10.1.0.0/16", .r = { .action = XDP_TX } },
		{ .dst = "10.1.2.0/24", .r = { .action = XDP_DROP } },
	};
	struct pr_fwd t;
	struct pr_frame f;

	pr_fwd_setup(&t, XDP_PASS, XDP_PASS, rules, NRULES(rules));
	frame4(&f, "192.0.2.1", "10.1.2.3", IPPROTO_UDP, 1, 2);
	expect(&t, &f, 0, XDP_DROP, 0, "10.1.2.3 hits /8 first");
	frame4(&f, "192.0.2.1", "11.0.0.1", IPPROTO_UDP, 1, 2);
	expect(&t, &f, 0, XDP_PASS, -1, "11.0.0.1 unmatched");
	pr_fwd_teardown(&t);
}

Test(fwd_rules, longest_prefix_first_in_order)
{
	const struct pr_rule rules[] = {
		{ .dst = "10.1.2.0/24", .r = { .action = XDP_TX } },
		{ .dst = "10.1.0.0/16", .r = { .action = XDP_PASS } },
		{ .dst = "10.0.0.0/8", .r = { .action = XDP_DROP } },
		{ .dst = "10.1.2.3/32", .r = { .action = XDP_DROP } },
	};
	struct pr_fwd t;
	struct pr_frame f;

	pr_fwd_setup(&t, XDP_TX, XDP_PASS, rules, NRULES(rules));
	frame4(&f, "192.0.2.1", "10.1.2.3", IPPROTO_TCP, 1, 2);
	expect(&t, &f, 0, XDP_TX, 0, "/24 before /32");
	frame4(&f, "192.0.2.1", "10.1.2.255", IPPROTO_TCP, 1, 2);
	expect(&t, &f, 0, XDP_TX, 0, "last address of the /24");
	frame4(&f, "192.0.2.1", "10.1.3.0", IPPROTO_TCP, 1, 2);
	expect(&t, &f, 0, XDP_PASS, 1, "/16 outside the /24");
	frame4(&f, "192.0.2.1", "10.255.255.255", IPPROTO_TCP, 1, 2);
	expect(&t, &f, 0, XDP_DROP, 2, "/8 only");
	frame4(&f, "192.0.2.1", "9.255.255.255", IPPROTO_TCP, 1, 2);
	expect(&t, &f, 0, XDP_TX, -1, "just below 10/8: default TX");
	frame4(&f, "192.0.2.1", "11.0.0.0", IPPROTO_TCP, 1, 2);
	expect(&t, &f, 0, XDP_TX, -1, "just above 10/8: default TX");
	pr_fwd_teardown(&t);
}

Test(fwd_rules, source_and_destination_both_match)
{
	const struct pr_rule rules[] = {
		{ .src = "192.0.2.0/24", .dst = "198.51.100.0/24",
		  .r = { .action = XDP_DROP } },
		{ .src = "192.0.2.128/25", .r = { .action = XDP_TX } },
		{ .dst = "198.51.100.7", .r = { .action = XDP_DROP } },
	};
	struct pr_fwd t;
	struct pr_frame f;

	pr_fwd_setup(&t, XDP_PASS, XDP_PASS, rules, NRULES(rules));
	frame4(&f, "192.0.2.1", "198.51.100.1", IPPROTO_UDP, 1, 2);
	expect(&t, &f, 0, XDP_DROP, 0, "src and dst of rule 0");
	frame4(&f, "192.0.2.200", "203.0.113.1", IPPROTO_UDP, 1, 2);
	expect(&t, &f, 0, XDP_TX, 1, "src /25, dst not rule 0's");
	frame4(&f, "192.0.2.200", "198.51.100.9", IPPROTO_UDP, 1, 2);
	expect(&t, &f, 0, XDP_DROP, 0, "both rules, rule 0 first");
	frame4(&f, "10.0.0.1", "198.51.100.7", IPPROTO_UDP, 1, 2);
	expect(&t, &f, 0, XDP_DROP, 2, "host route");
	frame4(&f, "10.0.0.1", "198.51.100.8", IPPROTO_UDP, 1, 2);
	expect(&t, &f, 0, XDP_PASS, -1, "dst of rule 0 only");
	frame4(&f, "192.0.2.127", "203.0.113.1", IPPROTO_UDP, 1, 2);
	expect(&t, &f, 0, XDP_PASS, -1, "src of rule 0 only");
	pr_fwd_teardown(&t);
}

Test(fwd_rules, ipv6_prefixes_and_families_apart)
{
	const struct pr_rule rules[] = {
		{ .dst = "2001:db8:1::/48", .r = { .action = XDP_DROP } },
		{ .src = "192.0.2.0/24", .r = { .action = XDP_TX } },
		{ .dst = "0.0.0.0/0", .r = { .action = XDP_PASS } },
		{ .r = { .action = XDP_TX, .l4proto = IPPROTO_ICMPV6 } },
		{ .src = "2001:db8::/64", .dst = "2001:db8:2::5/128",
		  .r = { .action = XDP_TX } },
		{ .dst = "::/0", .r = { .action = XDP_DROP } },
	};
	struct pr_fwd t;
	struct pr_frame f;

	pr_fwd_setup(&t, XDP_PASS, XDP_PASS, rules, NRULES(rules));
	frame6(&f, "2001:db8::1", "2001:db8:1:ffff::5", IPPROTO_UDP, 1, 2);
	expect(&t, &f, 0, XDP_DROP, 0, "v6 /48");
	frame6(&f, "2001:db8::1", "2001:db8:1::5", IPPROTO_ICMPV6, 0, 0);
	expect(&t, &f, 0, XDP_DROP, 0, "v6 /48 before the any-family rule");
	frame6(&f, "2001:db8::1", "2001:db8:2::6", IPPROTO_ICMPV6, 0, 0);
	expect(&t, &f, 0, XDP_TX, 3, "rule without prefixes, v6");
	frame6(&f, "2001:db8::1", "2001:db8:2::5", IPPROTO_UDP, 1, 2);
	expect(&t, &f, 0, XDP_TX, 4, "v6 /64 and /128");
	frame6(&f, "2001:db8:0:1::1", "2001:db8:2::5", IPPROTO_UDP, 1, 2);
	expect(&t, &f, 0, XDP_DROP, 5, "src outside the /64: ::/0");
	frame4(&f, "192.0.2.1", "10.0.0.1", IPPROTO_UDP, 1, 2);
	expect(&t, &f, 0, XDP_TX, 1, "v4 src /24");
	frame4(&f, "10.0.0.1", "10.0.0.2", IPPROTO_ICMP, 0, 0);
	expect(&t, &f, 0, XDP_PASS, 2, "v4 0.0.0.0/0, never ::/0");
	pr_fwd_teardown(&t);

	/* Without v4 rules, IPv4 matches nothing: v6 rules stay v6. */
	pr_fwd_setup(&t, XDP_TX, XDP_PASS, rules + 5, 1);
	frame4(&f, "10.0.0.1", "10.0.0.2", IPPROTO_UDP, 1, 2);
	expect(&t, &f, 0, XDP_TX, -1, "v4 against ::/0 only");
	frame6(&f, "2001:db8::1", "::1", IPPROTO_UDP, 1, 2);
	expect(&t, &f, 0, XDP_DROP, 0, "v6 against ::/0");
	pr_fwd_teardown(&t);
}

Test(fwd_rules, port_ranges_inclusive_at_both_ends)
{
	const struct pr_rule rules[] = {
		{ .r = { .action = XDP_DROP, .l4proto = IPPROTO_UDP,
			 .flags = FWD_RULE_DPORT,
			 .dport_lo = 1000, .dport_hi = 2000 } },
		{ .r = { .action = XDP_TX, .flags = FWD_RULE_SPORT,
			 .sport_lo = 5000, .sport_hi = 5000 } },
		{ .r = { .action = XDP_DROP,
			 .flags = FWD_RULE_SPORT | FWD_RULE_DPORT,
			 .sport_lo = 0, .sport_hi = 0,
			 .dport_lo = 65535, .dport_hi = 65535 } },
	};
	static const struct {
		__u8 proto;
		__u16 sport, dport;
		__u32 act;
		int rule;
		const char *what;
	} cases[] = {
		{ IPPROTO_UDP, 1, 999, XDP_PASS, -1, "dport 999" },
		{ IPPROTO_UDP, 1, 1000, XDP_DROP, 0, "dport 1000" },
		{ IPPROTO_UDP, 1, 1001, XDP_DROP, 0, "dport 1001" },
		{ IPPROTO_UDP, 1, 1999, XDP_DROP, 0, "dport 1999" },
		{ IPPROTO_UDP, 1, 2000, XDP_DROP, 0, "dport 2000" },
		{ IPPROTO_UDP, 1, 2001, XDP_PASS, -1, "dport 2001" },
		{ IPPROTO_TCP, 1, 1500, XDP_PASS, -1, "TCP: rule 0 is UDP" },
		{ IPPROTO_TCP, 4999, 1, XDP_PASS, -1, "sport 4999" },
		{ IPPROTO_TCP, 5000, 1, XDP_TX, 1, "sport 5000" },
		{ IPPROTO_SCTP, 5000, 1, XDP_TX, 1, "SCTP sport 5000" },
		{ IPPROTO_UDPLITE, 5000, 1, XDP_TX, 1, "UDPLite sport 5000" },
		{ IPPROTO_UDP, 5000, 1500, XDP_DROP, 0, "both: rule 0 first" },
		{ IPPROTO_TCP, 5001, 1, XDP_PASS, -1, "sport 5001" },
		{ IPPROTO_TCP, 0, 65535, XDP_DROP, 2, "sport 0 dport 65535" },
		{ IPPROTO_TCP, 0, 65534, XDP_PASS, -1, "dport 65534" },
		{ IPPROTO_TCP, 1, 65535, XDP_PASS, -1, "sport 1" },
		{ IPPROTO_ICMP, 0, 0, XDP_PASS, -1, "ICMP has no ports" },
	};
	struct pr_fwd t;
	struct pr_frame f;
	size_t i;

	pr_fwd_setup(&t, XDP_PASS, XDP_PASS, rules, NRULES(rules));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		frame4(&f, "192.0.2.1", "198.51.100.1", cases[i].proto,
		       cases[i].sport, cases[i].dport);
		expect(&t, &f, 0, cases[i].act, cases[i].rule, cases[i].what);
		frame6(&f, "2001:db8::1", "2001:db8::2", cases[i].proto,
		       cases[i].sport, cases[i].dport);
		expect(&t, &f, 0, cases[i].act, cases[i].rule, cases[i].what);
	}
	pr_fwd_teardown(&t);
}

/* A full port range still needs ports: not ICMP, not a later fragment. */
Test(fwd_rules, port_rules_need_an_l4_header)
{
	const struct pr_rule rules[] = {
		{ .r = { .action = XDP_DROP, .flags = FWD_RULE_DPORT,
			 .dport_lo = 0, .dport_hi = 65535 } },
		{ .r = { .action = XDP_TX, .l4proto = IPPROTO_UDP } },
	};
	struct pr_frame_spec s = {
		.family = 4, .l4proto = IPPROTO_UDP, .dport = 0, .payload = 32,
	};
	struct pr_fwd t;
	struct pr_frame f;

	pr_fwd_setup(&t, XDP_PASS, XDP_PASS, rules, NRULES(rules));
	pr_frame_build(&f, &s);
	expect(&t, &f, 0, XDP_DROP, 0, "UDP dport 0");
	s.ip4_frag = 0x2000; /* MF, offset 0: ports present */
	pr_frame_build(&f, &s);
	expect(&t, &f, 0, XDP_DROP, 0, "first IPv4 fragment");
	s.ip4_frag = 0x2000 | 100;
	pr_frame_build(&f, &s);
	expect(&t, &f, 0, XDP_TX, 1, "IPv4 middle fragment: no ports");
	s.ip4_frag = 100;
	pr_frame_build(&f, &s);
	expect(&t, &f, 0, XDP_TX, 1, "IPv4 last fragment: no ports");

	s.family = 6;
	s.ip4_frag = 0;
	s.ext[0] = 44;
	s.nr_ext = 1;
	s.frag6 = 1;
	pr_frame_build(&f, &s);
	expect(&t, &f, 0, XDP_DROP, 0, "first IPv6 fragment");
	s.frag6 = (8 << 3) | 1;
	pr_frame_build(&f, &s);
	expect(&t, &f, 0, XDP_TX, 1, "IPv6 later fragment: no ports");

	s.nr_ext = 0;
	s.l4proto = IPPROTO_ICMPV6;
	pr_frame_build(&f, &s);
	expect(&t, &f, 0, XDP_PASS, -1, "ICMPv6");
	pr_fwd_teardown(&t);
}

Test(fwd_rules, ports_found_behind_vlans_options_and_ext_headers)
{
	const struct pr_rule rules[] = {
		{ .dst = "198.51.100.0/24",
		  .r = { .action = XDP_DROP, .l4proto = IPPROTO_TCP,
			 .flags = FWD_RULE_SPORT | FWD_RULE_DPORT,
			 .sport_lo = 443, .sport_hi = 443,
			 .dport_lo = 40000, .dport_hi = 40010 } },
		{ .dst = "2001:db8:5::/48",
		  .r = { .action = XDP_DROP, .l4proto = IPPROTO_UDP,
			 .flags = FWD_RULE_DPORT,
			 .dport_lo = 53, .dport_hi = 53 } },
	};
	const struct pr_frame_spec specs[] = {
		{ .family = 4, .daddr = "198.51.100.3", .l4proto = IPPROTO_TCP,
		  .sport = 443, .dport = 40010, .vlan_tpid = { 0x8100 } },
		{ .family = 4, .daddr = "198.51.100.3", .l4proto = IPPROTO_TCP,
		  .sport = 443, .dport = 40000,
		  .vlan_tpid = { 0x88a8, 0x8100 }, .ip4_optlen = 40 },
		{ .family = 6, .daddr = "2001:db8:5::1", .l4proto = IPPROTO_UDP,
		  .sport = 9, .dport = 53, .vlan_tpid = { 0x88a8, 0x8100 },
		  .ext = { 0, 43, 51, 44, 60 }, .nr_ext = 5 },
	};
	struct pr_fwd t;
	struct pr_frame f;
	size_t i;

	pr_fwd_setup(&t, XDP_PASS, XDP_PASS, rules, NRULES(rules));
	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		pr_frame_build(&f, &specs[i]);
		expect(&t, &f, 0, XDP_DROP, specs[i].family == 4 ? 0 : 1,
		       "tagged frame");
	}
	pr_fwd_teardown(&t);
}

Test(fwd_rules, l4proto_and_fragments)
{
	const struct pr_rule rules[] = {
		{ .r = { .action = XDP_DROP, .l4proto = IPPROTO_TCP } },
		{ .r = { .action = XDP_TX, .l4proto = 47 } },
	};
	struct pr_frame_spec s = { .family = 4, .l4proto = IPPROTO_TCP };
	struct pr_fwd t;
	struct pr_frame f;

	pr_fwd_setup(&t, XDP_PASS, XDP_PASS, rules, NRULES(rules));
	pr_frame_build(&f, &s);
	expect(&t, &f, 0, XDP_DROP, 0, "TCP");
	s.ip4_frag = 77;
	pr_frame_build(&f, &s);
	expect(&t, &f, 0, XDP_DROP, 0, "TCP later fragment");
	s.ip4_frag = 0;
	s.l4proto = 47;
	pr_frame_build(&f, &s);
	expect(&t, &f, 0, XDP_TX, 1, "GRE");
	s.l4proto = IPPROTO_UDP;
	pr_frame_build(&f, &s);
	expect(&t, &f, 0, XDP_PASS, -1, "UDP");
	s.family = 6;
	s.l4proto = IPPROTO_TCP;
	s.ext[0] = 44;
	s.nr_ext = 1;
	s.frag6 = 99 << 3;
	pr_frame_build(&f, &s);
	expect(&t, &f, 0, XDP_DROP, 0, "TCP in an IPv6 later fragment");
	pr_fwd_teardown(&t);
}

Test(fwd_rules, ingress_ifindex)
{
	struct pr_rule rules[] = {
		{ .r = { .action = XDP_DROP } },
		{ .dst = "10.0.0.0/8", .r = { .action = XDP_TX } },
		{ .r = { .action = XDP_PASS } },
	};
	struct pr_fwd t;
	struct pr_frame f;
	int a, b;

	pr_netns_private();
	pr_veth_add("fia", "fib", &a, &b);
	rules[0].r.ifindex = a;
	rules[1].r.ifindex = b;
	pr_fwd_setup(&t, XDP_DROP, XDP_PASS, rules, NRULES(rules));
	frame4(&f, "192.0.2.1", "10.0.0.1", IPPROTO_UDP, 1, 2);
	expect(&t, &f, a, XDP_DROP, 0, "in a");
	expect(&t, &f, b, XDP_TX, 1, "in b, to 10/8");
	expect(&t, &f, 1, XDP_PASS, 2, "in lo");
	expect(&t, &f, 0, XDP_PASS, 2, "in the default device (lo)");
	frame4(&f, "192.0.2.1", "11.0.0.1", IPPROTO_UDP, 1, 2);
	expect(&t, &f, b, XDP_PASS, 2, "in b, not to 10/8");
	expect(&t, &f, a, XDP_DROP, 0, "in a, not to 10/8");
	pr_fwd_teardown(&t);
}

Test(fwd_rules, destination_mac)
{
	const struct pr_rule rules[] = {
		{ .r = { .action = XDP_DROP, .flags = FWD_RULE_DMAC,
			 .dmac = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee } } },
		{ .r = { .action = XDP_TX, .flags = FWD_RULE_DMAC,
			 .dmac = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } } },
	};
	struct pr_frame_spec s = {
		.family = 4, .l4proto = IPPROTO_UDP,
		.dmac = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee },
	};
	struct pr_fwd t;
	struct pr_frame f;
	int i;

	pr_fwd_setup(&t, XDP_PASS, XDP_PASS, rules, NRULES(rules));
	pr_frame_build(&f, &s);
	expect(&t, &f, 0, XDP_DROP, 0, "exact dmac");
	for (i = 0; i < 6; i++) {
		pr_frame_build(&f, &s);
		f.data[i] ^= 0x01;
		expect(&t, &f, 0, XDP_PASS, -1, "dmac off by one bit");
	}
	memset(s.dmac, 0xff, 6);
	pr_frame_build(&f, &s);
	expect(&t, &f, 0, XDP_TX, 1, "broadcast");
	pr_fwd_teardown(&t);
}

/* default_action and nonip_action from rodata; invalid ones are PASS. */
static void check_rodata_actions(__u32 def, __u32 nonip, __u32 want_def,
				 __u32 want_nonip)
{
	const struct pr_rule rules[] = {
		{ .dst = "10.0.0.0/8", .r = { .action = XDP_REDIRECT + 1 } },
		{ .dst = "10.0.0.0/8", .r = { .action = XDP_DROP } },
	};
	const struct pr_frame_spec arp = { .ethertype = 0x0806, .payload = 28 };
	const struct pr_frame_spec varp = {
		.ethertype = 0x0806, .vlan_tpid = { 0x8100 }, .payload = 28,
	};
	struct pr_fwd_want malformed = {
		.act = want_def, .rule = -1, .malformed = true,
		.what = "malformed",
	};
	struct pr_fwd t;
	struct pr_frame f;
	struct pr_run r;

	cr_log_info("default_action %u nonip_action %u", def, nonip);
	pr_fwd_setup(&t, def, nonip, rules, NRULES(rules));
	frame4(&f, "192.0.2.1", "11.0.0.1", IPPROTO_UDP, 1, 2);
	expect(&t, &f, 0, want_def, -1, "unmatched");
	frame4(&f, "192.0.2.1", "10.0.0.1", IPPROTO_UDP, 1, 2);
	/* A rule with an invalid action counts, then acts as unmatched. */
	expect(&t, &f, 0, want_def, 0, "rule with an invalid action");
	f.len -= 1; /* IPv4 total length now past the frame */
	pr_fwd_expect(&t, f.data, f.len, 0, &malformed, &r);
	pr_frame_build(&f, &arp);
	expect(&t, &f, 0, want_nonip, -1, "ARP");
	pr_frame_build(&f, &varp);
	expect(&t, &f, 0, want_nonip, -1, "ARP in a VLAN");
	pr_fwd_teardown(&t);
}

Test(fwd_rules, default_and_nonip_actions)
{
	check_rodata_actions(XDP_PASS, XDP_PASS, XDP_PASS, XDP_PASS);
	check_rodata_actions(XDP_DROP, XDP_TX, XDP_DROP, XDP_TX);
	check_rodata_actions(XDP_TX, XDP_DROP, XDP_TX, XDP_DROP);
	check_rodata_actions(XDP_ABORTED, XDP_REDIRECT, XDP_PASS, XDP_PASS);
	check_rodata_actions(77, 0xffffffff, XDP_PASS, XDP_PASS);
}

Test(fwd_rules, rule_action_aborted_is_unmatched)
{
	const struct pr_rule rules[] = {
		{ .r = { .action = XDP_ABORTED } },
	};
	struct pr_fwd t;
	struct pr_frame f;

	pr_fwd_setup(&t, XDP_DROP, XDP_PASS, rules, NRULES(rules));
	frame4(&f, "192.0.2.1", "10.0.0.1", IPPROTO_UDP, 1, 2);
	expect(&t, &f, 0, XDP_DROP, 0, "XDP_ABORTED rule");
	pr_fwd_teardown(&t);
}

/* A missing trie entry is an empty bitmap: nothing matches. */
Test(fwd_rules, missing_trie_entry_matches_nothing)
{
	const struct pr_rule rules[] = { { .r = { .action = XDP_DROP } } };
	struct fwd_lpm4_key k = { .prefixlen = 0 };
	struct pr_fwd t;
	struct pr_frame f;

	pr_fwd_setup(&t, XDP_TX, XDP_PASS, rules, NRULES(rules));
	frame4(&f, "192.0.2.1", "10.0.0.1", IPPROTO_UDP, 1, 2);
	expect(&t, &f, 0, XDP_DROP, 0, "catch-all");
	cr_assert(bpf_map_delete_elem(bpf_map__fd(t.skel->maps.fwd_dst4), &k) == 0);
	expect(&t, &f, 0, XDP_TX, -1, "no dst entry");
	frame6(&f, "2001:db8::1", "2001:db8::2", IPPROTO_UDP, 1, 2);
	expect(&t, &f, 0, XDP_DROP, 0, "v6 still matches");
	pr_fwd_teardown(&t);
}

/*
 * The walk covers min(src.nr_words, dst.nr_words) words, at most
 * FWD_BITMAP_WORDS, whatever the bitmaps claim.
 */
Test(fwd_rules, bitmap_word_count_bounds)
{
	struct pr_rule rules[70] = {};
	struct fwd_lpm4_key k = { .prefixlen = 0 };
	struct fwd_bitmap *bm = calloc(1, sizeof(*bm));
	const size_t n = NRULES(rules);
	struct pr_fwd t;
	struct pr_frame f;
	size_t i;

	cr_assert(bm != NULL);
	/* rules 0..68 never match, 69 always does */
	for (i = 0; i < n; i++) {
		rules[i].r.action = XDP_DROP;
		rules[i].r.ifindex = 999999;
	}
	rules[69].r.ifindex = 0;
	pr_fwd_setup(&t, XDP_PASS, XDP_PASS, rules, n);
	frame4(&f, "192.0.2.1", "10.0.0.1", IPPROTO_UDP, 1, 2);
	expect(&t, &f, 0, XDP_DROP, 69, "rule 69 in word 1");

	/* dst claims one word only: rule 69 is out of the walk */
	cr_assert(bpf_map_lookup_elem(bpf_map__fd(t.skel->maps.fwd_dst4), &k, bm) == 0);
	cr_assert(eq(u32, bm->nr_words, 2));
	bm->nr_words = 1;
	cr_assert(bpf_map_update_elem(bpf_map__fd(t.skel->maps.fwd_dst4), &k, bm, BPF_ANY) == 0);
	expect(&t, &f, 0, XDP_PASS, -1, "dst nr_words 1");

	/* absurd counts are clamped to FWD_BITMAP_WORDS */
	bm->nr_words = 0xffffffff;
	cr_assert(bpf_map_update_elem(bpf_map__fd(t.skel->maps.fwd_dst4), &k, bm, BPF_ANY) == 0);
	cr_assert(bpf_map_update_elem(bpf_map__fd(t.skel->maps.fwd_src4), &k, bm, BPF_ANY) == 0);
	expect(&t, &f, 0, XDP_DROP, 69, "nr_words 0xffffffff");
	pr_fwd_teardown(&t);
	free(bm);
}
