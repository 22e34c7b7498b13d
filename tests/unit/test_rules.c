// SPDX-License-Identifier: GPL-2.0
/*
 * Rules file parser (loader/rules_parse.c): every statement form, every
 * error message, limits, IPv6 forms, and printing back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>

#include "rules.h"

#define MEM(p, n) ((struct cr_mem){ .data = (p), .size = (n) })

static struct fwd_ruleset *parse_ok(const char *text)
{
	char err[256] = "";
	struct fwd_ruleset *rs;

	rs = fwd_ruleset_parse_string("t.rules", text, err, sizeof(err));
	cr_assert_not_null(rs, "parse failed: %s", err);
	return rs;
}

static const struct fwd_rule_spec *only_rule(const char *text,
					     struct fwd_ruleset **rsp)
{
	*rsp = parse_ok(text);
	cr_assert(eq(sz, fwd_ruleset_nr_rules(*rsp), 1));
	return fwd_ruleset_rule(*rsp, 0);
}

static void assert_prefix(const struct fwd_prefix *p, int family,
			  const char *str)
{
	char buf[64];

	cr_assert(eq(u8, p->family, family));
	cr_assert(eq(int, fwd_prefix_str(p, buf, sizeof(buf)), 0));
	cr_assert(eq(str, buf, (char *)str));
}

/* --- valid input --------------------------------------------------------- */

Test(rules_parse, empty_file_has_defaults)
{
	struct fwd_ruleset *rs = parse_ok("");

	cr_assert(eq(sz, fwd_ruleset_nr_rules(rs), 0));
	cr_assert(eq(sz, fwd_ruleset_nr_neigh(rs), 0));
	cr_assert(eq(u32, fwd_ruleset_default_action(rs), XDP_PASS));
	cr_assert(eq(u32, fwd_ruleset_nonip_action(rs), XDP_PASS));
	cr_assert_null(fwd_ruleset_rule(rs, 0));
	cr_assert_null(fwd_ruleset_neigh(rs, 0));
	fwd_ruleset_free(rs);
}

/* '#' starts a comment only at the start of a word. */
Test(rules_parse, hash_inside_a_word)
{
	struct fwd_ruleset *rs;
	const struct fwd_rule_spec *r = only_rule("drop in eth#1 #in r1", &rs);

	cr_assert(eq(str, (char *)r->in_ifname, "eth#1"));
	fwd_ruleset_free(rs);
}

Test(rules_parse, comments_and_whitespace)
{
	struct fwd_ruleset *rs = parse_ok("# header\n"
					  "\n"
					  "   \t  \n"
					  "\tdrop\t proto  udp # dport 53\r\n"
					  "  # indented comment\n"
					  "pass #\n"
					  "tx");
	const struct fwd_rule_spec *r;

	cr_assert(eq(sz, fwd_ruleset_nr_rules(rs), 3));
	r = fwd_ruleset_rule(rs, 0);
	cr_assert(eq(u32, r->line, 4));
	cr_assert(eq(u32, r->rule.action, XDP_DROP));
	cr_assert(eq(u8, r->rule.l4proto, 17));
	cr_assert(eq(u32, r->rule.flags, 0));
	cr_assert(eq(u32, fwd_ruleset_rule(rs, 1)->line, 6));
	cr_assert(eq(u32, fwd_ruleset_rule(rs, 1)->rule.action, XDP_PASS));
	cr_assert(eq(u32, fwd_ruleset_rule(rs, 2)->line, 7));
	cr_assert(eq(u32, fwd_ruleset_rule(rs, 2)->rule.action, XDP_TX));
	fwd_ruleset_free(rs);
}

Test(rules_parse, default_and_nonip)
{
	struct fwd_ruleset *rs = parse_ok("default drop\nnonip tx\n");

	cr_assert(eq(u32, fwd_ruleset_default_action(rs), XDP_DROP));
	cr_assert(eq(u32, fwd_ruleset_nonip_action(rs), XDP_TX));
	cr_assert(eq(sz, fwd_ruleset_nr_rules(rs), 0));
	fwd_ruleset_free(rs);
	rs = parse_ok("nonip drop\ndefault tx\n");
	cr_assert(eq(u32, fwd_ruleset_default_action(rs), XDP_TX));
	cr_assert(eq(u32, fwd_ruleset_nonip_action(rs), XDP_DROP));
	fwd_ruleset_free(rs);
}

Test(rules_parse, neigh_ipv4_and_ipv6)
{
	struct fwd_ruleset *rs = parse_ok(
		"neigh r3 10.3.0.1 lladdr 02:00:00:00:03:01\n"
		"neigh r3 fd03::1 lladdr A:b:0C:d:e:F\n");
	const struct fwd_neigh_spec *n;
	__u8 v4[16] = { 10, 3, 0, 1 };
	__u8 v6[16] = { 0xfd, 0x03, [15] = 1 };
	__u8 mac0[6] = { 2, 0, 0, 0, 3, 1 };
	__u8 mac1[6] = { 0xa, 0xb, 0xc, 0xd, 0xe, 0xf };

	cr_assert(eq(sz, fwd_ruleset_nr_neigh(rs), 2));
	n = fwd_ruleset_neigh(rs, 0);
	cr_assert(eq(str, (char *)n->ifname, "r3"));
	cr_assert(eq(u32, n->line, 1));
	cr_assert(eq(u8, n->key.family, 4));
	cr_assert(eq(u32, n->key.ifindex, 0));
	cr_assert(eq(mem, MEM(n->key.addr, 16), MEM(v4, 16)));
	cr_assert(eq(mem, MEM(n->val.dmac, 6), MEM(mac0, 6)));
	n = fwd_ruleset_neigh(rs, 1);
	cr_assert(eq(u8, n->key.family, 6));
	cr_assert(eq(mem, MEM(n->key.addr, 16), MEM(v6, 16)));
	cr_assert(eq(mem, MEM(n->val.dmac, 6), MEM(mac1, 6)));
	fwd_ruleset_free(rs);
}

Test(rules_parse, redirect_forms)
{
	struct fwd_ruleset *rs = parse_ok(
		"neigh r3 10.3.0.1 lladdr 02:00:00:00:03:01\n"
		"neigh r1 fe80::1 lladdr 02:00:00:00:01:01\n"
		"redirect r3 dst 10.3.0.0/24\n"
		"redirect r3 via 10.3.0.1 dst 10.99.0.0/16\n"
		"redirect r1 via fe80::1\n");
	const struct fwd_rule_spec *r;
	__u8 nh4[16] = { 10, 3, 0, 1 };
	__u8 nh6[16] = { 0xfe, 0x80, [15] = 1 };

	cr_assert(eq(sz, fwd_ruleset_nr_rules(rs), 3));
	r = fwd_ruleset_rule(rs, 0);
	cr_assert(eq(u32, r->rule.action, XDP_REDIRECT));
	cr_assert(eq(str, (char *)r->out_ifname, "r3"));
	cr_assert(eq(u32, r->rule.flags, 0));
	assert_prefix(&r->dst, 4, "10.3.0.0/24");
	cr_assert(eq(u8, r->src.family, 0));
	r = fwd_ruleset_rule(rs, 1);
	cr_assert(eq(u32, r->rule.flags, FWD_RULE_NH));
	cr_assert(eq(u8, r->rule.nh_family, 4));
	cr_assert(eq(mem, MEM(r->rule.nh_addr, 16), MEM(nh4, 16)));
	r = fwd_ruleset_rule(rs, 2);
	cr_assert(eq(u32, r->rule.flags, FWD_RULE_NH));
	cr_assert(eq(u8, r->rule.nh_family, 6));
	cr_assert(eq(mem, MEM(r->rule.nh_addr, 16), MEM(nh6, 16)));
	cr_assert(eq(int, fwd_rule_family(r), 0));
	fwd_ruleset_free(rs);
}

Test(rules_parse, route_forms)
{
	struct fwd_ruleset *rs = parse_ok(
		"route\n"
		"route dst 10.3.0.0/24\n"
		"route in r1 src fd01::/64 proto udp dport 7000-7999\n");
	const struct fwd_rule_spec *r;

	cr_assert(eq(sz, fwd_ruleset_nr_rules(rs), 3));
	cr_assert(eq(sz, fwd_ruleset_nr_neigh(rs), 0));
	r = fwd_ruleset_rule(rs, 0);
	cr_assert(eq(u32, r->rule.action, FWD_ACTION_ROUTE));
	cr_assert(eq(str, (char *)r->out_ifname, ""));
	cr_assert(eq(u32, r->rule.flags, 0));
	cr_assert(eq(int, fwd_rule_family(r), 0));
	r = fwd_ruleset_rule(rs, 1);
	cr_assert(eq(u32, r->rule.action, FWD_ACTION_ROUTE));
	assert_prefix(&r->dst, 4, "10.3.0.0/24");
	r = fwd_ruleset_rule(rs, 2);
	cr_assert(eq(u32, r->rule.action, FWD_ACTION_ROUTE));
	cr_assert(eq(str, (char *)r->in_ifname, "r1"));
	cr_assert(eq(u32, r->rule.flags, FWD_RULE_DPORT));
	cr_assert(eq(u16, r->rule.dport_lo, 7000));
	cr_assert(eq(u16, r->rule.dport_hi, 7999));
	cr_assert(eq(int, fwd_rule_family(r), 6));
	cr_assert(eq(str, (char *)fwd_action_name(FWD_ACTION_ROUTE), "route"));
	fwd_ruleset_free(rs);
}

/* route rules name no egress: nothing for fwd_ports, no neighbours. */
Test(rules_parse, route_needs_no_port)
{
	struct fwd_ruleset *rs = parse_ok("route dst 10.0.0.0/8\n"
					  "redirect r3 dst 10.3.0.0/24\n"
					  "route\n");
	struct fwd_compiled c;

	cr_assert(eq(int, fwd_ruleset_compile(rs, &c), 0));
	cr_assert(eq(u32, c.nr_rules, 3));
	cr_assert(eq(u32, c.rules[0].action, FWD_ACTION_ROUTE));
	cr_assert(eq(u32, c.rules[2].action, FWD_ACTION_ROUTE));
	cr_assert(eq(u32, c.nr_ports, 1)); /* r3's, unresolved: ifindex 0 */
	fwd_compiled_free(&c);
	fwd_ruleset_free(rs);
}

Test(rules_parse, neigh_after_the_rule_that_needs_it)
{
	struct fwd_ruleset *rs = parse_ok(
		"redirect r3 via 10.3.0.1\n"
		"neigh r3 10.3.0.1 lladdr 02:00:00:00:03:01\n");

	cr_assert(eq(sz, fwd_ruleset_nr_rules(rs), 1));
	fwd_ruleset_free(rs);
}

Test(rules_parse, every_match)
{
	struct fwd_ruleset *rs;
	const struct fwd_rule_spec *r = only_rule(
		"drop in r1 dmac 02:00:00:00:01:FE src 10.1.0.0/24 "
		"dst 10.3.0.1 proto tcp sport 1024-65535 dport 80", &rs);
	__u8 mac[6] = { 2, 0, 0, 0, 1, 0xfe };

	cr_assert(eq(str, (char *)r->in_ifname, "r1"));
	cr_assert(eq(u32, r->rule.ifindex, 0));
	cr_assert(eq(u32, r->rule.flags,
		     FWD_RULE_DMAC | FWD_RULE_SPORT | FWD_RULE_DPORT));
	cr_assert(eq(mem, MEM(r->rule.dmac, 6), MEM(mac, 6)));
	assert_prefix(&r->src, 4, "10.1.0.0/24");
	assert_prefix(&r->dst, 4, "10.3.0.1");
	cr_assert(eq(u8, r->dst.len, 32));
	cr_assert(eq(u8, r->rule.l4proto, 6));
	cr_assert(eq(u16, r->rule.sport_lo, 1024));
	cr_assert(eq(u16, r->rule.sport_hi, 65535));
	cr_assert(eq(u16, r->rule.dport_lo, 80));
	cr_assert(eq(u16, r->rule.dport_hi, 80));
	cr_assert(eq(int, fwd_rule_family(r), 4));
	fwd_ruleset_free(rs);
}

Test(rules_parse, matches_in_any_order)
{
	struct fwd_ruleset *rs;
	const struct fwd_rule_spec *r = only_rule(
		"pass dport 0-0 sport 65535 proto udplite", &rs);

	cr_assert(eq(u8, r->rule.l4proto, 136));
	cr_assert(eq(u16, r->rule.dport_lo, 0));
	cr_assert(eq(u16, r->rule.dport_hi, 0));
	cr_assert(eq(u16, r->rule.sport_lo, 65535));
	fwd_ruleset_free(rs);
}

/*
 * Parameter structs hold arrays, not pointers: criterion's workers do not
 * share the parent's address space layout, so pointers in them dangle.
 */
struct proto_case {
	char text[16];
	__u8 proto;
};

ParameterizedTestParameters(rules_parse, protocols)
{
	static struct proto_case cases[] = {
		{ "tcp", 6 },	    { "udp", 17 },	{ "icmp", 1 },
		{ "icmpv6", 58 },   { "sctp", 132 },	{ "udplite", 136 },
		{ "47", 47 },	    { "1", 1 },		{ "255", 255 },
	};

	return cr_make_param_array(struct proto_case, cases,
				   sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct proto_case *c, rules_parse, protocols)
{
	char text[64];
	struct fwd_ruleset *rs;

	snprintf(text, sizeof(text), "drop proto %s", c->text);
	cr_assert(eq(u8, only_rule(text, &rs)->rule.l4proto, c->proto));
	fwd_ruleset_free(rs);
}

Test(rules_parse, ports_with_numeric_proto)
{
	struct fwd_ruleset *rs = parse_ok("drop proto 6 dport 22\n"
					  "drop proto 17 sport 53\n"
					  "drop proto 132 dport 1-2\n"
					  "drop proto 136 dport 3\n");

	cr_assert(eq(sz, fwd_ruleset_nr_rules(rs), 4));
	fwd_ruleset_free(rs);
}

struct prefix_case {
	char text[64];
	int family;
	int len;
	__u8 addr[16];
	char printed[64];
};

ParameterizedTestParameters(rules_parse, prefixes)
{
	static struct prefix_case cases[] = {
		{ "10.0.0.0/8", 4, 8, { 10 }, "10.0.0.0/8" },
		{ "10.1.2.3", 4, 32, { 10, 1, 2, 3 }, "10.1.2.3" },
		{ "10.1.2.3/32", 4, 32, { 10, 1, 2, 3 }, "10.1.2.3" },
		{ "0.0.0.0/0", 4, 0, { 0 }, "0.0.0.0/0" },
		{ "255.255.255.254/31", 4, 31, { 255, 255, 255, 254 },
		  "255.255.255.254/31" },
		{ "::", 6, 128, { 0 }, "::" },
		{ "::/0", 6, 0, { 0 }, "::/0" },
		{ "::1", 6, 128, { [15] = 1 }, "::1" },
		{ "::ffff:1.2.3.4", 6, 128,
		  { [10] = 0xff, [11] = 0xff, [12] = 1, 2, 3, 4 },
		  "::ffff:1.2.3.4" },
		{ "::ffff:0.0.0.0/96", 6, 96, { [10] = 0xff, [11] = 0xff },
		  "::ffff:0.0.0.0/96" },
		{ "2001:db8::/32", 6, 32, { 0x20, 0x01, 0x0d, 0xb8 },
		  "2001:db8::/32" },
		{ "2001:DB8:0:0:0:0:0:1/128", 6, 128,
		  { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, "2001:db8::1" },
		{ "fe80::/10", 6, 10, { 0xfe, 0x80 }, "fe80::/10" },
		{ "fd03::/64", 6, 64, { 0xfd, 0x03 }, "fd03::/64" },
	};

	return cr_make_param_array(struct prefix_case, cases,
				   sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct prefix_case *c, rules_parse, prefixes)
{
	char text[128];
	struct fwd_ruleset *rs;
	const struct fwd_rule_spec *r;

	snprintf(text, sizeof(text), "drop src %s", c->text);
	r = only_rule(text, &rs);
	cr_assert(eq(u8, r->src.len, c->len));
	cr_assert(eq(mem, MEM(r->src.addr, 16), MEM(c->addr, 16)));
	assert_prefix(&r->src, c->family, c->printed);
	cr_assert(eq(int, fwd_rule_family(r), c->family));
	fwd_ruleset_free(rs);
}

Test(rules_parse, same_family_src_and_dst)
{
	struct fwd_ruleset *rs;
	const struct fwd_rule_spec *r = only_rule(
		"pass src 2001:db8::/32 dst ::/0 proto icmpv6", &rs);

	cr_assert(eq(int, fwd_rule_family(r), 6));
	assert_prefix(&r->dst, 6, "::/0");
	fwd_ruleset_free(rs);
}

/* Printing a rule gives text that parses back to the same rule. */
struct round_trip {
	char text[96];
};

ParameterizedTestParameters(rules_parse, print_round_trip)
{
	static struct round_trip cases[] = {
		{ "drop" },
		{ "pass in r1" },
		{ "tx dmac 02:00:00:00:01:fe" },
		{ "redirect r3 dst 10.3.0.0/24" },
		{ "redirect r3 via 10.3.0.1 in r1 src 10.1.0.0/24 proto udp" },
		{ "redirect r1 via fd01::1 dst fd01::/64" },
		{ "drop src ::ffff:1.2.3.4 dst ::/0 proto icmpv6" },
		{ "drop proto tcp sport 1-1023 dport 80" },
		{ "drop proto 47" },
		{ "pass src 0.0.0.0/0" },
		{ "route" },
		{ "route in r1 dst 10.3.0.0/24 proto udp dport 7000" },
		{ "route dst fd03::/64" },
	};

	return cr_make_param_array(struct round_trip, cases,
				   sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct round_trip *c, rules_parse, print_round_trip)
{
	char buf[512], both[1024];
	struct fwd_ruleset *rs, *rs2;
	const struct fwd_rule_spec *a, *b;

	snprintf(both, sizeof(both),
		 "neigh r3 10.3.0.1 lladdr 02:00:00:00:03:01\n"
		 "neigh r1 fd01::1 lladdr 02:00:00:00:01:01\n%s\n", c->text);
	rs = parse_ok(both);
	a = fwd_ruleset_rule(rs, 0);
	cr_assert(eq(int, fwd_rule_spec_str(a, buf, sizeof(buf)), 0));
	cr_assert(eq(str, buf, (char *)c->text));
	snprintf(both, sizeof(both),
		 "neigh r3 10.3.0.1 lladdr 02:00:00:00:03:01\n"
		 "neigh r1 fd01::1 lladdr 02:00:00:00:01:01\n%s\n", buf);
	rs2 = parse_ok(both);
	b = fwd_ruleset_rule(rs2, 0);
	cr_assert(eq(mem, MEM(&a->rule, sizeof(a->rule)), MEM(&b->rule, sizeof(a->rule))));
	cr_assert(eq(mem, MEM(&a->src, sizeof(a->src)), MEM(&b->src, sizeof(a->src))));
	cr_assert(eq(mem, MEM(&a->dst, sizeof(a->dst)), MEM(&b->dst, sizeof(a->dst))));
	fwd_ruleset_free(rs);
	fwd_ruleset_free(rs2);
}

Test(rules_parse, print_needs_room)
{
	struct fwd_ruleset *rs;
	const struct fwd_rule_spec *r = only_rule("redirect r3 dst 10.0.0.0/8",
						  &rs);
	char buf[12];

	cr_assert(eq(int, fwd_rule_spec_str(r, buf, sizeof(buf)), -ENOSPC));
	fwd_ruleset_free(rs);
}

/* --- errors -------------------------------------------------------------- */

struct bad_case {
	char text[128];
	char msg[128]; /* errno is EINVAL for all */
};

ParameterizedTestParameters(rules_parse, errors)
{
	static struct bad_case cases[] = {
		/* statements */
		{ "dorp src 10.0.0.0/8", "t.rules:1: unknown action 'dorp'" },
		{ "# c\n\nDROP", "t.rules:3: unknown action 'DROP'" },
		{ "drop foo 1", "t.rules:1: unknown match 'foo'" },
		{ "drop via 10.0.0.1",
		  "t.rules:1: 'via' must follow 'redirect IFNAME'" },
		{ "drop src", "t.rules:1: missing value after 'src'" },
		{ "drop proto tcp dport", "t.rules:1: missing value after 'dport'" },
		/* duplicates */
		{ "drop dst 10.0.0.0/8 dst 11.0.0.0/8", "t.rules:1: duplicate 'dst'" },
		{ "drop src ::/0 proto tcp src ::1", "t.rules:1: duplicate 'src'" },
		{ "drop in a in b", "t.rules:1: duplicate 'in'" },
		{ "drop proto tcp proto udp", "t.rules:1: duplicate 'proto'" },
		{ "drop proto tcp sport 1 sport 2", "t.rules:1: duplicate 'sport'" },
		{ "drop proto tcp dport 1 dport 2", "t.rules:1: duplicate 'dport'" },
		{ "drop dmac 0:0:0:0:0:1 dmac 0:0:0:0:0:2",
		  "t.rules:1: duplicate 'dmac'" },
		/* prefixes */
		{ "drop src 10.0.0.1/33", "t.rules:1: invalid prefix '10.0.0.1/33'" },
		{ "drop dst 10.0.0.1/24", "t.rules:1: host bits set in '10.0.0.1/24'" },
		{ "drop dst 10.0.0.128/25x", "t.rules:1: invalid prefix '10.0.0.128/25x'" },
		{ "drop src 10.0.0.0/", "t.rules:1: invalid prefix '10.0.0.0/'" },
		{ "drop src /8", "t.rules:1: invalid prefix '/8'" },
		{ "drop src 10.0.0.0/+8", "t.rules:1: invalid prefix '10.0.0.0/+8'" },
		{ "drop src 10.0.0.0/0008", "t.rules:1: invalid prefix '10.0.0.0/0008'" },
		{ "drop src 10.0.0.0/8/8", "t.rules:1: invalid prefix '10.0.0.0/8/8'" },
		{ "drop src 1.2.3", "t.rules:1: invalid prefix '1.2.3'" },
		{ "drop src 256.0.0.0", "t.rules:1: invalid prefix '256.0.0.0'" },
		{ "drop src 010.0.0.1", "t.rules:1: invalid prefix '010.0.0.1'" },
		{ "drop src r1", "t.rules:1: invalid prefix 'r1'" },
		{ "drop src 2001:db8::/129", "t.rules:1: invalid prefix '2001:db8::/129'" },
		{ "drop src 2001:db8:::1", "t.rules:1: invalid prefix '2001:db8:::1'" },
		{ "drop src 2001:db8::1/64", "t.rules:1: host bits set in '2001:db8::1/64'" },
		{ "drop src ::ffff:1.2.3.4/96",
		  "t.rules:1: host bits set in '::ffff:1.2.3.4/96'" },
		{ "drop src fe80::/8", "t.rules:1: host bits set in 'fe80::/8'" },
		{ "drop src 10.128.0.0/8", "t.rules:1: host bits set in '10.128.0.0/8'" },
		{ "drop src 10.0.0.0/8 dst 2001:db8::/32",
		  "t.rules:1: src '10.0.0.0/8' and dst '2001:db8::/32' are not the same address family" },
		/* protocols and ports */
		{ "drop proto bogus",
		  "t.rules:1: unknown protocol 'bogus' (tcp, udp, icmp, icmpv6, sctp, udplite or 1..255)" },
		{ "drop proto 0",
		  "t.rules:1: unknown protocol '0' (tcp, udp, icmp, icmpv6, sctp, udplite or 1..255)" },
		{ "drop proto 256",
		  "t.rules:1: unknown protocol '256' (tcp, udp, icmp, icmpv6, sctp, udplite or 1..255)" },
		{ "drop proto TCP",
		  "t.rules:1: unknown protocol 'TCP' (tcp, udp, icmp, icmpv6, sctp, udplite or 1..255)" },
		{ "drop src 2001:db8::/32 proto icmp",
		  "t.rules:1: proto 'icmp' never matches IPv6, use 'icmpv6'" },
		{ "drop proto icmpv6 dst 10.0.0.0/8",
		  "t.rules:1: proto 'icmpv6' never matches IPv4, use 'icmp'" },
		{ "drop sport 80", "t.rules:1: 'sport' needs proto tcp, udp, sctp or udplite" },
		{ "drop dport 80", "t.rules:1: 'dport' needs proto tcp, udp, sctp or udplite" },
		{ "drop proto icmp dport 80",
		  "t.rules:1: 'dport' needs proto tcp, udp, sctp or udplite" },
		{ "drop proto 47 sport 1 dport 2",
		  "t.rules:1: 'sport' needs proto tcp, udp, sctp or udplite" },
		{ "drop proto udp dport 90-80", "t.rules:1: port range reversed '90-80'" },
		{ "drop proto udp dport 65536", "t.rules:1: invalid port '65536'" },
		{ "drop proto udp dport 99999999999999999999",
		  "t.rules:1: invalid port '99999999999999999999'" },
		{ "drop proto udp dport http", "t.rules:1: invalid port 'http'" },
		{ "drop proto udp dport -1", "t.rules:1: invalid port range '-1'" },
		{ "drop proto udp dport 1-", "t.rules:1: invalid port range '1-'" },
		{ "drop proto udp dport 1-2-3", "t.rules:1: invalid port range '1-2-3'" },
		{ "drop proto udp dport 1-65536", "t.rules:1: invalid port range '1-65536'" },
		/* interfaces and MACs */
		{ "redirect", "t.rules:1: missing interface after 'redirect'" },
		{ "redirect via 10.0.0.1", "t.rules:1: missing interface after 'redirect'" },
		{ "redirect r3 via", "t.rules:1: missing address after 'via'" },
		{ "redirect r3 via 10.3.0.0/24",
		  "t.rules:1: invalid next hop address '10.3.0.0/24'" },
		{ "redirect r3 via r1", "t.rules:1: invalid next hop address 'r1'" },
		{ "redirect 0123456789abcdef",
		  "t.rules:1: invalid interface name '0123456789abcdef'" },
		{ "drop in a/b", "t.rules:1: invalid interface name 'a/b'" },
		{ "drop in eth0:1", "t.rules:1: invalid interface name 'eth0:1'" },
		{ "drop in ..", "t.rules:1: invalid interface name '..'" },
		{ "drop dmac 02:00:00:00:00", "t.rules:1: invalid MAC address '02:00:00:00:00'" },
		{ "drop dmac 02:00:00:00:00:0g", "t.rules:1: invalid MAC address '02:00:00:00:00:0g'" },
		{ "drop dmac 02:00:00:00:00:001", "t.rules:1: invalid MAC address '02:00:00:00:00:001'" },
		{ "drop dmac 02-00-00-00-00-01", "t.rules:1: invalid MAC address '02-00-00-00-00-01'" },
		{ "drop dmac 02:00:00:00:00:01:", "t.rules:1: invalid MAC address '02:00:00:00:00:01:'" },
		/* default, nonip */
		{ "default", "t.rules:1: missing action after 'default'" },
		{ "nonip", "t.rules:1: missing action after 'nonip'" },
		{ "default dorp", "t.rules:1: unknown action 'dorp'" },
		{ "default redirect r3",
		  "t.rules:1: 'default' takes drop, pass or tx, not 'redirect'" },
		{ "nonip redirect", "t.rules:1: 'nonip' takes drop, pass or tx, not 'redirect'" },
		{ "default route", "t.rules:1: 'default' takes drop, pass or tx, not 'route'" },
		{ "nonip route", "t.rules:1: 'nonip' takes drop, pass or tx, not 'route'" },
		/* route */
		{ "route via 10.3.0.1",
		  "t.rules:1: 'route' takes its next hop from the kernel's routing table: no 'via'" },
		{ "route dst 10.0.0.0/8 via 10.3.0.1",
		  "t.rules:1: 'route' takes its next hop from the kernel's routing table: no 'via'" },
		{ "route r3", "t.rules:1: unknown match 'r3'" },
		{ "route dst", "t.rules:1: missing value after 'dst'" },
		{ "route dport 53", "t.rules:1: 'dport' needs proto tcp, udp, sctp or udplite" },
		{ "default pass extra", "t.rules:1: unexpected 'extra'" },
		{ "default drop\ndefault drop",
		  "t.rules:2: duplicate 'default' (first on line 1)" },
		{ "nonip pass\n\nnonip drop", "t.rules:3: duplicate 'nonip' (first on line 1)" },
		/* neigh */
		{ "neigh", "t.rules:1: missing interface after 'neigh'" },
		{ "neigh r3", "t.rules:1: missing address after 'r3'" },
		{ "neigh r3 10.3.0.0/24 lladdr 02:00:00:00:00:01",
		  "t.rules:1: invalid neighbour address '10.3.0.0/24'" },
		{ "neigh r3 10.3.0.1", "t.rules:1: missing 'lladdr MAC' after '10.3.0.1'" },
		{ "neigh r3 10.3.0.1 dev 02:00:00:00:00:01",
		  "t.rules:1: expected 'lladdr' instead of 'dev'" },
		{ "neigh r3 10.3.0.1 lladdr", "t.rules:1: missing MAC address after 'lladdr'" },
		{ "neigh r3 10.3.0.1 lladdr zz", "t.rules:1: invalid MAC address 'zz'" },
		{ "neigh r3 10.3.0.1 lladdr 02:00:00:00:00:01 nud",
		  "t.rules:1: unexpected 'nud'" },
		{ "neigh 0123456789abcdef 10.3.0.1 lladdr 02:00:00:00:00:01",
		  "t.rules:1: invalid interface name '0123456789abcdef'" },
		{ "neigh r3 10.3.0.1 lladdr 02:00:00:00:00:01\n"
		  "neigh r3 10.3.0.1 lladdr 02:00:00:00:00:02",
		  "t.rules:2: duplicate neigh '10.3.0.1' on 'r3' (first on line 1)" },
		{ "neigh r3 fd03::1 lladdr 02:00:00:00:00:01\n"
		  "neigh r3 FD03:0::1 lladdr 02:00:00:00:00:02",
		  "t.rules:2: duplicate neigh 'FD03:0::1' on 'r3' (first on line 1)" },
		/* next hops need a neighbour on the egress interface */
		{ "neigh r3 10.3.0.1 lladdr 02:00:00:00:00:01\n"
		  "redirect r3 via 10.3.0.2 dst 10.0.0.0/8",
		  "t.rules:2: no 'neigh r3 10.3.0.2 lladdr MAC' line for next hop '10.3.0.2'" },
		{ "neigh r1 10.3.0.2 lladdr 02:00:00:00:00:01\n"
		  "redirect r3 via 10.3.0.2\n"
		  "redirect r1 via 10.3.0.2",
		  "t.rules:2: no 'neigh r3 10.3.0.2 lladdr MAC' line for next hop '10.3.0.2'" },
		{ "redirect r1 via fd01::1\n"
		  "neigh r1 fd01::2 lladdr 02:00:00:00:00:01\n",
		  "t.rules:1: no 'neigh r1 fd01::1 lladdr MAC' line for next hop 'fd01::1'" },
		/* the first error in the file wins */
		{ "drop\npass src 1.2.3.4/8\ndorp",
		  "t.rules:2: host bits set in '1.2.3.4/8'" },
	};

	return cr_make_param_array(struct bad_case, cases,
				   sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_case *c, rules_parse, errors)
{
	char err[256] = "";
	struct fwd_ruleset *rs;

	errno = 0;
	rs = fwd_ruleset_parse_string("t.rules", c->text, err, sizeof(err));
	cr_assert_null(rs, "accepted: %s", c->text);
	cr_assert(eq(int, errno, EINVAL));
	cr_assert(eq(str, err, c->msg));
}

Test(rules_parse, error_truncated_to_buffer)
{
	char err[12];

	cr_assert_null(fwd_ruleset_parse_string("t.rules", "dorp", err,
						sizeof(err)));
	cr_assert(eq(str, err, "t.rules:1: "));
	cr_assert_null(fwd_ruleset_parse_string("t.rules", "dorp", NULL, 0));
	cr_assert(eq(int, errno, EINVAL));
}

/* --- limits -------------------------------------------------------------- */

/* n lines of fmt (with %d = line index), in a malloc'd string. */
static char *repeat_lines(int n, const char *fmt)
{
	size_t size = 0;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, &size);
	int i;

	cr_assert_not_null(f);
	for (i = 0; i < n; i++) {
		fprintf(f, fmt, i >> 8 & 0xff, i & 0xff);
		fputc('\n', f);
	}
	fclose(f);
	return buf;
}

Test(rules_parse, max_rules)
{
	char *text = repeat_lines(FWD_MAX_RULES, "drop dst 10.%d.%d.0/24");
	struct fwd_ruleset *rs = parse_ok(text);

	cr_assert(eq(sz, fwd_ruleset_nr_rules(rs), FWD_MAX_RULES));
	cr_assert(eq(u32, fwd_ruleset_rule(rs, FWD_MAX_RULES - 1)->line,
		     FWD_MAX_RULES));
	fwd_ruleset_free(rs);
	free(text);
}

Test(rules_parse, too_many_rules)
{
	char *text = repeat_lines(FWD_MAX_RULES + 1, "drop dst 10.%d.%d.0/24");
	char err[256];

	errno = 0;
	cr_assert_null(fwd_ruleset_parse_string("t.rules", text, err,
						sizeof(err)));
	cr_assert(eq(int, errno, E2BIG));
	cr_assert(eq(str, err, "t.rules:16385: too many rules (max 16384)"));
	free(text);
}

Test(rules_parse, max_neighbours)
{
	char *text = repeat_lines(FWD_MAX_NEIGH,
				  "neigh r3 10.3.%d.%d lladdr 02:00:00:00:00:01");
	struct fwd_ruleset *rs = parse_ok(text);

	cr_assert(eq(sz, fwd_ruleset_nr_neigh(rs), FWD_MAX_NEIGH));
	fwd_ruleset_free(rs);
	free(text);
}

Test(rules_parse, too_many_neighbours)
{
	char *text = repeat_lines(FWD_MAX_NEIGH + 1,
				  "neigh r3 10.3.%d.%d lladdr 02:00:00:00:00:01");
	char err[256];

	errno = 0;
	cr_assert_null(fwd_ruleset_parse_string("t.rules", text, err,
						sizeof(err)));
	cr_assert(eq(int, errno, E2BIG));
	cr_assert(eq(str, err, "t.rules:4097: too many neighbours (max 4096)"));
	free(text);
}

Test(rules_parse, line_length)
{
	char text[FWD_MAX_LINE + 16];
	char err[256];
	struct fwd_ruleset *rs;

	/* Exactly FWD_MAX_LINE characters, then the newline: fine. */
	memset(text, ' ', FWD_MAX_LINE);
	memcpy(text, "drop", 4);
	memcpy(text + FWD_MAX_LINE - 4, "#end", 4);
	strcpy(text + FWD_MAX_LINE, "\npass");
	rs = parse_ok(text);
	cr_assert(eq(sz, fwd_ruleset_nr_rules(rs), 2));
	fwd_ruleset_free(rs);

	/* Line 3 is one character longer. */
	memset(text, ' ', FWD_MAX_LINE + 3);
	memcpy(text, "\n\ndrop", 6);
	strcpy(text + FWD_MAX_LINE + 3, "\n");
	errno = 0;
	cr_assert_null(fwd_ruleset_parse_string("t.rules", text, err,
						sizeof(err)));
	cr_assert(eq(int, errno, E2BIG));
	cr_assert(eq(str, err, "t.rules:3: line too long (max 1024 characters)"));
}

Test(rules_parse, many_words_on_a_line)
{
	char text[FWD_MAX_LINE + 1];
	char err[256];
	int i;

	/* "drop" and 510 one-letter words: FWD_MAX_LINE characters. */
	memcpy(text, "drop", 4);
	for (i = 0; i < (FWD_MAX_LINE - 4) / 2; i++)
		memcpy(text + 4 + 2 * i, " x", 2);
	text[FWD_MAX_LINE] = '\0';
	cr_assert_null(fwd_ruleset_parse_string("t.rules", text, err,
						sizeof(err)));
	cr_assert(eq(str, err, "t.rules:1: unknown match 'x'"));
}

/* --- files --------------------------------------------------------------- */

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	cr_assert(eq(sz, fwrite(data, 1, len, f), len));
	cr_assert(eq(int, fclose(f), 0));
}

Test(rules_file, parses_file_and_names_it)
{
	char path[64], err[256], msg[128];
	struct fwd_ruleset *rs;

	snprintf(path, sizeof(path), "/tmp/ppxdp-test-rules-%d", getpid());
	write_file(path, "default drop\ndrop proto udp\n", 28);
	rs = fwd_ruleset_parse_file(path, err, sizeof(err));
	cr_assert_not_null(rs, "%s", err);
	cr_assert(eq(sz, fwd_ruleset_nr_rules(rs), 1));
	cr_assert(eq(u32, fwd_ruleset_default_action(rs), XDP_DROP));
	fwd_ruleset_free(rs);

	write_file(path, "drop\n\nredirect\n", 15);
	cr_assert_null(fwd_ruleset_parse_file(path, err, sizeof(err)));
	snprintf(msg, sizeof(msg), "%s:3: missing interface after 'redirect'",
		 path);
	cr_assert(eq(str, err, msg));
	unlink(path);
}

Test(rules_file, missing_file)
{
	char err[256];

	errno = 0;
	cr_assert_null(fwd_ruleset_parse_file("/nonexistent/x.rules", err,
					      sizeof(err)));
	cr_assert(eq(int, errno, ENOENT));
	cr_assert(eq(str, err, "/nonexistent/x.rules: No such file or directory"));
}

Test(rules_file, directory)
{
	char err[256];

	errno = 0;
	cr_assert_null(fwd_ruleset_parse_file("/tmp", err, sizeof(err)));
	cr_assert(eq(int, errno, EISDIR));
	cr_assert(eq(str, err, "/tmp: Is a directory"));
}

Test(rules_file, nul_byte)
{
	char path[64], err[256], msg[128];

	snprintf(path, sizeof(path), "/tmp/ppxdp-test-nul-%d", getpid());
	write_file(path, "drop\npass\0x\n", 12);
	cr_assert_null(fwd_ruleset_parse_file(path, err, sizeof(err)));
	snprintf(msg, sizeof(msg), "%s:2: NUL byte in line", path);
	cr_assert(eq(str, err, msg));
	unlink(path);
}

Test(rules_file, size_limit)
{
	char path[64], err[256], msg[128];
	struct fwd_ruleset *rs;
	char *buf = malloc(FWD_MAX_FILE + 1);
	size_t i;

	cr_assert_not_null(buf);
	/* Comment lines of 1000 characters up to exactly the limit. */
	memset(buf, ' ', FWD_MAX_FILE + 1);
	for (i = 0; i + 1000 <= FWD_MAX_FILE; i += 1000) {
		buf[i] = '#';
		buf[i + 999] = '\n';
	}
	snprintf(path, sizeof(path), "/tmp/ppxdp-test-big-%d", getpid());
	write_file(path, buf, FWD_MAX_FILE);
	rs = fwd_ruleset_parse_file(path, err, sizeof(err));
	cr_assert_not_null(rs, "%s", err);
	fwd_ruleset_free(rs);

	write_file(path, buf, FWD_MAX_FILE + 1);
	errno = 0;
	cr_assert_null(fwd_ruleset_parse_file(path, err, sizeof(err)));
	cr_assert(eq(int, errno, EFBIG));
	snprintf(msg, sizeof(msg), "%s: file too large (max 16 MiB)", path);
	cr_assert(eq(str, err, msg));
	unlink(path);
	free(buf);
}

Test(rules_file, example_router_rules)
{
	char err[256];
	struct fwd_ruleset *rs;

	rs = fwd_ruleset_parse_file("examples/router.rules", err, sizeof(err));
	cr_assert_not_null(rs, "%s", err);
	cr_assert(eq(u32, fwd_ruleset_default_action(rs), XDP_PASS));
	cr_assert(eq(u32, fwd_ruleset_nonip_action(rs), XDP_PASS));
	cr_assert(eq(sz, fwd_ruleset_nr_neigh(rs), 4));
	cr_assert(fwd_ruleset_nr_rules(rs) >= 5);
	fwd_ruleset_free(rs);
}
