// SPDX-License-Identifier: GPL-2.0
/*
 * The frame parser (bpf/parse.h), seen through fwd.
 *
 * Three rules make the parse result visible in which rule counter moves:
 *   rule 0: l4proto L, sport == S, dport == D   -> XDP_TX   (ports parsed)
 *   rule 1: l4proto L                            -> XDP_DROP (no ports)
 *   rule 2: anything                             -> XDP_PASS (wrong L4)
 * with default_action XDP_DROP (malformed, counted as such) and
 * nonip_action XDP_PASS (no rule). Every frame is also classified by the
 * user-space reference model (refparse.c), which must agree.
 *
 *  - parse_table: hand-written frames (VLANs, IPv4 options and fragments,
 *    IPv6 extension header chains, every L4 protocol, broken headers);
 *  - truncated_at_every_length: every valid frame cut at every length;
 *  - random_frames_match_reference: seeded random and mutated frames,
 *    never XDP_ABORTED, same decision as the reference model.
 */
#include <stdio.h>
#include <string.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "fwd_check.h"
#include "refparse.h"

#define DEFAULT_ACT XDP_DROP
#define NONIP_ACT XDP_PASS

enum {
	HOP = 0, ROUTING = 43, FRAG = 44, AH = 51, DEST = 60,
};

struct parse_case {
	const char *name;
	struct pr_frame_spec spec;
	void (*patch)(struct pr_frame *f);
	size_t pad;    /* bytes after the IP packet (Ethernet padding) */
	int result;    /* enum pr_parse_result */
	bool ports;    /* sport/dport of the spec must be found */
	__u8 l4proto;  /* for IP: the protocol the parser must report */
};

static void put16(__u8 *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static __u16 get16(const __u8 *p)
{
	return (p[0] << 8) | p[1];
}

static void ip4_ihl4(struct pr_frame *f) { f->data[f->l3_off] = 0x44; }
static void ip4_version6(struct pr_frame *f) { f->data[f->l3_off] = 0x65; }
static void ip4_totlen_long(struct pr_frame *f)
{
	__u8 *p = f->data + f->l3_off + 2;

	put16(p, get16(p) + 1);
}
static void ip4_totlen_below_ihl(struct pr_frame *f)
{
	put16(f->data + f->l3_off + 2, 19);
}
static void ip4_totlen_cuts_udp(struct pr_frame *f)
{
	put16(f->data + f->l3_off + 2, 20 + 4);
}
static void ip6_version4(struct pr_frame *f) { f->data[f->l3_off] = 0x40; }
static void ip6_paylen_long(struct pr_frame *f)
{
	__u8 *p = f->data + f->l3_off + 4;

	put16(p, get16(p) + 1);
}
static void ip6_hop_too_long(struct pr_frame *f)
{
	f->data[f->l3_off + 40 + 1] = 5; /* 48 bytes, 8 there */
}
static void ip6_ah_too_long(struct pr_frame *f)
{
	f->data[f->l3_off + 40 + 1] = 200;
}
static void tcp_doff4(struct pr_frame *f) { f->data[f->l4_off + 12] = 4 << 4; }
static void tcp_doff_past_end(struct pr_frame *f)
{
	f->data[f->l4_off + 12] = 15 << 4;
}
static void tcp_doff_options(struct pr_frame *f)
{
	f->data[f->l4_off + 12] = 8 << 4; /* 12 option bytes, in the payload */
}

#define V4(...) { .family = 4, .sport = 4242, .dport = 5353, __VA_ARGS__ }
#define V6(...) { .family = 6, .sport = 4242, .dport = 5353, __VA_ARGS__ }
#define RAW(...) { .family = 0, __VA_ARGS__ }
#define IP(p) .result = PR_PARSE_IP, .l4proto = (p)
#define MALFORMED .result = PR_PARSE_MALFORMED
#define NOT_IP .result = PR_PARSE_NOT_IP

static const struct parse_case cases[] = {
	{ "ipv4_udp", V4(.l4proto = IPPROTO_UDP, .payload = 10), IP(IPPROTO_UDP), .ports = true },
	{ "ipv4_udp_nopayload", V4(.l4proto = IPPROTO_UDP), IP(IPPROTO_UDP), .ports = true },
	{ "ipv4_tcp", V4(.l4proto = IPPROTO_TCP, .payload = 100), IP(IPPROTO_TCP), .ports = true },
	{ "ipv4_tcp_options", V4(.l4proto = IPPROTO_TCP, .payload = 12), .patch = tcp_doff_options, IP(IPPROTO_TCP), .ports = true },
	{ "ipv4_udplite", V4(.l4proto = IPPROTO_UDPLITE, .payload = 3), IP(IPPROTO_UDPLITE), .ports = true },
	{ "ipv4_sctp", V4(.l4proto = IPPROTO_SCTP, .payload = 16), IP(IPPROTO_SCTP), .ports = true },
	{ "ipv4_icmp", V4(.l4proto = IPPROTO_ICMP, .payload = 56), IP(IPPROTO_ICMP) },
	{ "ipv4_gre_unknown_l4", V4(.l4proto = 47, .payload = 4), IP(47) },
	{ "ipv4_gre_empty", V4(.l4proto = 47), IP(47) },
	{ "ipv4_options_4", V4(.l4proto = IPPROTO_UDP, .ip4_optlen = 4), IP(IPPROTO_UDP), .ports = true },
	{ "ipv4_options_40", V4(.l4proto = IPPROTO_TCP, .ip4_optlen = 40, .payload = 1), IP(IPPROTO_TCP), .ports = true },
	{ "ipv4_first_fragment", V4(.l4proto = IPPROTO_UDP, .ip4_frag = 0x2000, .payload = 64), IP(IPPROTO_UDP), .ports = true },
	{ "ipv4_middle_fragment", V4(.l4proto = IPPROTO_UDP, .ip4_frag = 0x2000 | 9, .payload = 64), IP(IPPROTO_UDP) },
	{ "ipv4_last_fragment", V4(.l4proto = IPPROTO_TCP, .ip4_frag = 185, .payload = 8), IP(IPPROTO_TCP) },
	{ "ipv4_later_fragment_tiny", V4(.l4proto = IPPROTO_TCP, .ip4_frag = 1), IP(IPPROTO_TCP) },
	{ "ipv4_df_not_fragment", V4(.l4proto = IPPROTO_UDP, .ip4_frag = 0x4000), IP(IPPROTO_UDP), .ports = true },
	{ "ipv4_ethernet_padding", V4(.l4proto = IPPROTO_UDP), .pad = 18, IP(IPPROTO_UDP), .ports = true },
	{ "vlan_8021q_ipv4", V4(.l4proto = IPPROTO_UDP, .vlan_tpid = { 0x8100 }, .vlan_tci = { 100 }), IP(IPPROTO_UDP), .ports = true },
	{ "vlan_qinq_ipv4", V4(.l4proto = IPPROTO_TCP, .vlan_tpid = { 0x88a8, 0x8100 }, .vlan_tci = { 1, 2 }), IP(IPPROTO_TCP), .ports = true },
	{ "vlan_double_8021q_ipv6", V6(.l4proto = IPPROTO_UDP, .vlan_tpid = { 0x8100, 0x8100 }, .vlan_tci = { 7, 4095 }), IP(IPPROTO_UDP), .ports = true },
	{ "vlan_8021ad_ipv6", V6(.l4proto = IPPROTO_SCTP, .vlan_tpid = { 0x88a8 }), IP(IPPROTO_SCTP), .ports = true },
	{ "vlan_three_tags", RAW(.ethertype = 0x8100, .vlan_tpid = { 0x88a8, 0x8100 }, .payload = 46), NOT_IP },
	{ "vlan_arp", RAW(.ethertype = 0x0806, .vlan_tpid = { 0x8100 }, .payload = 28), NOT_IP },
	{ "ipv6_udp", V6(.l4proto = IPPROTO_UDP, .payload = 20), IP(IPPROTO_UDP), .ports = true },
	{ "ipv6_tcp", V6(.l4proto = IPPROTO_TCP), IP(IPPROTO_TCP), .ports = true },
	{ "ipv6_udplite", V6(.l4proto = IPPROTO_UDPLITE), IP(IPPROTO_UDPLITE), .ports = true },
	{ "ipv6_icmpv6", V6(.l4proto = IPPROTO_ICMPV6, .payload = 8), IP(IPPROTO_ICMPV6) },
	{ "ipv6_hop_by_hop", V6(.l4proto = IPPROTO_UDP, .ext = { HOP }, .nr_ext = 1), IP(IPPROTO_UDP), .ports = true },
	{ "ipv6_dest_opts", V6(.l4proto = IPPROTO_TCP, .ext = { DEST }, .nr_ext = 1), IP(IPPROTO_TCP), .ports = true },
	{ "ipv6_routing", V6(.l4proto = IPPROTO_UDP, .ext = { ROUTING }, .nr_ext = 1), IP(IPPROTO_UDP), .ports = true },
	{ "ipv6_ah", V6(.l4proto = IPPROTO_TCP, .ext = { AH }, .nr_ext = 1), IP(IPPROTO_TCP), .ports = true },
	{ "ipv6_hop_dest_routing_icmpv6", V6(.l4proto = IPPROTO_ICMPV6, .ext = { HOP, DEST, ROUTING }, .nr_ext = 3), IP(IPPROTO_ICMPV6) },
	{ "ipv6_first_fragment", V6(.l4proto = IPPROTO_UDP, .ext = { FRAG }, .nr_ext = 1, .frag6 = 1, .payload = 100), IP(IPPROTO_UDP), .ports = true },
	{ "ipv6_later_fragment", V6(.l4proto = IPPROTO_UDP, .ext = { FRAG }, .nr_ext = 1, .frag6 = (100 << 3) | 1, .payload = 100), IP(IPPROTO_UDP) },
	{ "ipv6_last_fragment_after_hop", V6(.l4proto = IPPROTO_TCP, .ext = { HOP, FRAG }, .nr_ext = 2, .frag6 = 200 << 3, .payload = 3), IP(IPPROTO_TCP) },
	{ "ipv6_eight_ext_headers", V6(.l4proto = IPPROTO_UDP, .ext = { HOP, DEST, ROUTING, AH, DEST, FRAG, DEST, AH }, .nr_ext = 8, .frag6 = 1), IP(IPPROTO_UDP), .ports = true },
	{ "ipv6_nine_ext_headers", V6(.l4proto = IPPROTO_UDP, .ext = { HOP, DEST, ROUTING, AH, DEST, DEST, DEST, DEST, DEST }, .nr_ext = 9), MALFORMED },
	{ "ipv6_twelve_ext_headers", V6(.l4proto = IPPROTO_UDP, .ext = { HOP, DEST, DEST, DEST, DEST, DEST, DEST, DEST, DEST, DEST, DEST, DEST }, .nr_ext = 12), MALFORMED },
	{ "ipv6_esp", V6(.l4proto = 50, .payload = 40), IP(50) },
	{ "ipv6_no_next_header", V6(.l4proto = 59), IP(59) },
	{ "ipv6_ethernet_padding", V6(.l4proto = IPPROTO_UDP), .pad = 7, IP(IPPROTO_UDP), .ports = true },
	{ "arp", RAW(.ethertype = 0x0806, .payload = 28), NOT_IP },
	{ "lldp", RAW(.ethertype = 0x88cc, .payload = 50), NOT_IP },
	{ "ieee8023_length", RAW(.ethertype = 0x002e, .payload = 46), NOT_IP },
	{ "ethernet_header_only", RAW(.ethertype = 0x88b5), NOT_IP },
	{ "ipv4_ihl_4", V4(.l4proto = IPPROTO_UDP), .patch = ip4_ihl4, MALFORMED },
	{ "ipv4_version_6", V4(.l4proto = IPPROTO_UDP), .patch = ip4_version6, MALFORMED },
	{ "ipv4_totlen_past_frame", V4(.l4proto = IPPROTO_UDP), .patch = ip4_totlen_long, MALFORMED },
	{ "ipv4_totlen_below_header", V4(.l4proto = IPPROTO_UDP), .patch = ip4_totlen_below_ihl, MALFORMED },
	{ "ipv4_totlen_cuts_udp_header", V4(.l4proto = IPPROTO_UDP, .payload = 20), .patch = ip4_totlen_cuts_udp, MALFORMED },
	{ "ipv4_tcp_doff_4", V4(.l4proto = IPPROTO_TCP, .payload = 10), .patch = tcp_doff4, MALFORMED },
	{ "ipv4_tcp_doff_past_end", V4(.l4proto = IPPROTO_TCP, .payload = 39), .patch = tcp_doff_past_end, MALFORMED },
	{ "ipv6_version_4", V6(.l4proto = IPPROTO_UDP), .patch = ip6_version4, MALFORMED },
	{ "ipv6_payload_len_past_frame", V6(.l4proto = IPPROTO_UDP), .patch = ip6_paylen_long, MALFORMED },
	{ "ipv6_hop_by_hop_too_long", V6(.l4proto = IPPROTO_UDP, .ext = { HOP }, .nr_ext = 1), .patch = ip6_hop_too_long, MALFORMED },
	{ "ipv6_ah_too_long", V6(.l4proto = IPPROTO_UDP, .ext = { AH }, .nr_ext = 1, .payload = 100), .patch = ip6_ah_too_long, MALFORMED },
	{ "ipv6_tcp_doff_past_end", V6(.l4proto = IPPROTO_TCP, .payload = 39), .patch = tcp_doff_past_end, MALFORMED },
};
#define NR_CASES (sizeof(cases) / sizeof(cases[0]))

static void build_case(const struct parse_case *c, struct pr_frame *f)
{
	size_t i;

	pr_frame_build(f, &c->spec);
	if (c->patch)
		c->patch(f);
	cr_assert(f->len + c->pad <= PR_FRAME_MAX);
	for (i = 0; i < c->pad; i++)
		f->data[f->len++] = 0;
}

/* The three rules of the header comment, for protocol l4 and ports s, d. */
static void probe_rules(struct pr_rule rules[3], __u8 l4, __u16 s, __u16 d)
{
	memset(rules, 0, 3 * sizeof(*rules));
	rules[0].r.action = XDP_TX;
	rules[0].r.l4proto = l4;
	rules[0].r.flags = FWD_RULE_SPORT | FWD_RULE_DPORT;
	rules[0].r.sport_lo = rules[0].r.sport_hi = s;
	rules[0].r.dport_lo = rules[0].r.dport_hi = d;
	rules[1].r.action = XDP_DROP;
	rules[1].r.l4proto = l4;
	rules[2].r.action = XDP_PASS;
}

static void set_probe_rules(struct bpf_object *obj, __u8 l4, __u16 s, __u16 d)
{
	struct pr_rule rules[3];

	probe_rules(rules, l4, s, d);
	pr_fwd_load_rules(obj, rules, 3);
}

static void probe_setup(struct pr_fwd *t, __u8 l4, __u16 s, __u16 d)
{
	struct pr_rule rules[3];

	probe_rules(rules, l4, s, d);
	pr_fwd_setup(t, DEFAULT_ACT, NONIP_ACT, rules, 3);
}

/* What fwd must do with a frame the reference classified as p. */
static void want_for(const struct pr_parsed *p, __u8 l4, __u16 s, __u16 d,
		     struct pr_fwd_want *w)
{
	memset(w, 0, sizeof(*w));
	w->rule = -1;
	switch (p->result) {
	case PR_PARSE_MALFORMED:
		w->act = DEFAULT_ACT;
		w->malformed = true;
		break;
	case PR_PARSE_NOT_IP:
		w->act = NONIP_ACT;
		break;
	default:
		if (p->l4proto != l4) {
			w->act = XDP_PASS;
			w->rule = 2;
		} else if (p->has_ports && p->sport == s && p->dport == d) {
			w->act = XDP_TX;
			w->rule = 0;
		} else {
			w->act = XDP_DROP;
			w->rule = 1;
		}
	}
}

static const char *const result_names[] = { "IP", "not IP", "malformed" };

Test(fwd_parse, parse_table)
{
	struct pr_fwd t;
	struct pr_frame f;
	struct pr_parsed p;
	struct pr_fwd_want w;
	struct pr_run r;
	size_t i;

	probe_setup(&t, 255, 0, 0);

	for (i = 0; i < NR_CASES; i++) {
		const struct parse_case *c = &cases[i];
		__u8 l4 = c->result == PR_PARSE_IP ? c->l4proto : c->spec.l4proto;

		cr_log_info("case %s", c->name);
		build_case(c, &f);
		/* The reference model must agree with the table... */
		pr_ref_parse(f.data, f.len, &p);
		cr_assert(eq(int, p.result, c->result), "%s: reference says %s",
			  c->name, result_names[p.result]);
		if (c->result == PR_PARSE_IP) {
			cr_assert(eq(u8, p.l4proto, c->l4proto), "%s", c->name);
			cr_assert(eq(int, p.has_ports, c->ports), "%s", c->name);
			cr_assert(eq(int, p.family, c->spec.family), "%s", c->name);
		}
		if (c->ports) {
			cr_assert(eq(u16, p.sport, c->spec.sport), "%s", c->name);
			cr_assert(eq(u16, p.dport, c->spec.dport), "%s", c->name);
		}
		/* ... and the program with both. */
		set_probe_rules(t.skel->obj, l4 ? l4 : 255, c->spec.sport,
				c->spec.dport);
		want_for(&p, l4 ? l4 : 255, c->spec.sport, c->spec.dport, &w);
		w.what = c->name;
		pr_fwd_expect(&t, f.data, f.len, 0, &w, &r);
	}
	pr_fwd_teardown(&t);
}

/*
 * Every frame of the table that parses, cut at every length from 0 to its
 * full length: an IP frame is malformed as soon as a byte of its IP
 * packet is missing (Ethernet padding may go), a non-IP frame as long as
 * its Ethernet header and VLAN tags are incomplete.
 */
Test(fwd_parse, truncated_at_every_length)
{
	struct pr_fwd t;
	struct pr_frame f;
	struct pr_parsed p, full;
	struct pr_fwd_want w;
	struct pr_run r;
	size_t i, j, len, runs = 0;

	probe_setup(&t, 255, 0, 0);

	for (i = 0; i < NR_CASES; i++) {
		const struct parse_case *c = &cases[i];
		size_t need; /* shortest length with the full decision */
		__u8 l4;

		if (c->result == PR_PARSE_MALFORMED)
			continue;
		build_case(c, &f);
		pr_ref_parse(f.data, f.len, &full);
		l4 = c->result == PR_PARSE_IP ? c->l4proto : 255;
		set_probe_rules(t.skel->obj, l4, c->spec.sport, c->spec.dport);
		if (c->result == PR_PARSE_IP) {
			need = f.len - c->pad;
		} else {
			need = 14;
			for (j = 0; j < 2 && c->spec.vlan_tpid[j]; j++)
				need += 4;
		}

		for (len = 0; len <= f.len; len++) {
			pr_ref_parse(f.data, len, &p);
			if (len < need) {
				cr_assert(eq(int, p.result, PR_PARSE_MALFORMED),
					  "reference: %s cut at %zu", c->name, len);
			} else {
				cr_assert(eq(int, p.result, full.result),
					  "reference: %s cut at %zu", c->name, len);
			}
			want_for(&p, l4, c->spec.sport, c->spec.dport, &w);
			w.what = c->name;
			pr_fwd_expect(&t, f.data, len, 0, &w, &r);
			runs++;
		}
	}
	cr_log_info("%zu truncated frames", runs);
	pr_fwd_teardown(&t);
}

/* xorshift64*: reproducible on every machine. */
static __u64 rnd_state;

static __u64 rnd(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545F4914F6CDD1DULL;
}

static __u32 rnd_below(__u32 n)
{
	return rnd() % n;
}

static void random_spec(struct pr_frame_spec *s)
{
	static const __u8 l4s[] = {
		IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE, IPPROTO_SCTP,
		IPPROTO_ICMP, IPPROTO_ICMPV6, 47, 50, 59,
	};
	static const __u8 exts[] = { HOP, DEST, ROUTING, AH, FRAG };
	static const __u16 tpids[] = { 0x8100, 0x88a8 };
	int i;

	memset(s, 0, sizeof(*s));
	s->family = rnd_below(8) ? 4 + 2 * rnd_below(2) : 0;
	s->ethertype = rnd();
	for (i = 0; i < (int)rnd_below(3); i++) {
		s->vlan_tpid[i] = tpids[rnd_below(2)];
		s->vlan_tci[i] = rnd();
	}
	s->ttl = rnd();
	s->l4proto = l4s[rnd_below(sizeof(l4s))];
	s->sport = rnd();
	s->dport = rnd();
	if (s->family == 4) {
		s->ip4_optlen = 4 * rnd_below(11);
		if (!rnd_below(4))
			s->ip4_frag = rnd() & 0x3fff;
	} else if (s->family == 6) {
		s->nr_ext = rnd_below(4) ? rnd_below(4) : rnd_below(PR_MAX_EXT + 1);
		for (i = 0; i < s->nr_ext; i++)
			s->ext[i] = exts[rnd_below(sizeof(exts))];
		s->frag6 = rnd_below(2) ? 1 : rnd();
	}
	s->payload = rnd_below(4) ? rnd_below(64) : rnd_below(600);
}

/* One random frame of one of four kinds; returns its length. */
static size_t random_frame(__u8 *buf)
{
	static const __u16 types[] = { 0x0800, 0x86dd, 0x8100, 0x88a8 };
	struct pr_frame_spec s;
	struct pr_frame f;
	size_t len, i, n;

	switch (rnd_below(4)) {
	case 0: /* noise */
		len = 14 + rnd_below(300);
		for (i = 0; i < len; i++)
			buf[i] = rnd();
		return len;
	case 1: /* a known ethertype, then noise with a plausible version */
		len = 14 + rnd_below(200);
		for (i = 0; i < len; i++)
			buf[i] = rnd();
		put16(buf + 12, types[rnd_below(4)]);
		if (get16(buf + 12) == 0x0800)
			buf[14] = 0x40 | (buf[14] & 0xf);
		else if (get16(buf + 12) == 0x86dd)
			buf[14] = 0x60 | (buf[14] & 0xf);
		return len;
	default: /* a valid frame, mutated and/or cut */
		random_spec(&s);
		pr_frame_build(&f, &s);
		memcpy(buf, f.data, f.len);
		len = f.len;
		n = rnd_below(4);
		for (i = 0; i < n; i++)
			buf[rnd_below(len < 100 ? len : 100)] = rnd();
		if (rnd_below(2))
			len = 14 + rnd_below(len - 13);
		return len;
	}
}

Test(fwd_parse, random_frames_match_reference, .timeout = 120)
{
	const __u8 l4 = IPPROTO_TCP;
	const __u16 sport = 0x1234, dport = 80;
	size_t i, n = 20000, counts[3] = { 0 };
	struct pr_fwd t;
	struct pr_parsed p;
	struct pr_fwd_want w;
	struct pr_run r;
	__u8 buf[PR_FRAME_MAX];
	char name[32];

	rnd_state = 0x9e3779b97f4a7c15ULL;
	probe_setup(&t, l4, sport, dport);

	for (i = 0; i < n; i++) {
		size_t len = random_frame(buf);

		/* Make the exact-port rule reachable: plain TCP over IP. */
		pr_ref_parse(buf, len, &p);
		if (p.result == PR_PARSE_IP && p.l4proto == l4 && rnd_below(4)) {
			const __u8 *ip = buf + p.l3_off;
			size_t l4off = len;

			if (p.family == 4 && !(get16(ip + 6) & 0x1fff))
				l4off = p.l3_off + (ip[0] & 0xf) * 4;
			else if (p.family == 6 && ip[6] == l4)
				l4off = p.l3_off + 40;
			if (l4off + 4 <= len) {
				put16(buf + l4off, sport);
				put16(buf + l4off + 2, dport);
				pr_ref_parse(buf, len, &p);
			}
		}
		counts[p.result]++;
		want_for(&p, l4, sport, dport, &w);
		snprintf(name, sizeof(name), "random frame %zu", i);
		w.what = name;
		pr_fwd_expect(&t, buf, len, 0, &w, &r);
	}
	cr_log_info("random frames: %zu IP, %zu not IP, %zu malformed; "
		    "rule hits %llu/%llu/%llu", counts[0], counts[1], counts[2],
		    (unsigned long long)t.want_rule[0].packets,
		    (unsigned long long)t.want_rule[1].packets,
		    (unsigned long long)t.want_rule[2].packets);
	/* The generator must reach every outcome, or the test proves little. */
	cr_assert(counts[0] > 1000 && counts[1] > 1000 && counts[2] > 1000);
	cr_assert(t.want_rule[0].packets > 100 && t.want_rule[1].packets > 100 &&
		  t.want_rule[2].packets > 100);
	pr_fwd_teardown(&t);
}
