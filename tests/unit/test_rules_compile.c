// SPDX-License-Identifier: GPL-2.0
/*
 * Rules compiler (loader/rules_apply.c): exact trie bitmaps, neighbour and
 * port entries, interface resolution, and writing into real BPF maps laid
 * out like xdp-progs/fwd.bpf.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>

#include "rules.h"

#define MEM(p, n) ((struct cr_mem){ .data = (p), .size = (n) })

static char *generate_rules(int n);

static struct fwd_ruleset *parse_ok(const char *text)
{
	char err[256] = "";
	struct fwd_ruleset *rs;

	rs = fwd_ruleset_parse_string("t.rules", text, err, sizeof(err));
	cr_assert_not_null(rs, "parse failed: %s", err);
	return rs;
}

static void compile_ok(const struct fwd_ruleset *rs, struct fwd_compiled *c)
{
	cr_assert(eq(int, fwd_ruleset_compile(rs, c), 0));
}

/* Index of prefix text in trie t, asserting it is there. */
static long entry_of(const struct fwd_compiled *c, enum fwd_trie_id t,
		     const char *prefix)
{
	char line[128], err[256];
	struct fwd_ruleset *rs;
	long e;

	snprintf(line, sizeof(line), "drop %s %s",
		 t == FWD_TRIE_SRC4 || t == FWD_TRIE_SRC6 ? "src" : "dst",
		 prefix);
	rs = fwd_ruleset_parse_string("p", line, err, sizeof(err));
	cr_assert_not_null(rs, "%s", err);
	e = fwd_trie_find(c, t, t == FWD_TRIE_SRC4 || t == FWD_TRIE_SRC6 ?
				       &fwd_ruleset_rule(rs, 0)->src :
				       &fwd_ruleset_rule(rs, 0)->dst);
	fwd_ruleset_free(rs);
	cr_assert(e >= 0, "%s not in %s", prefix, fwd_trie_map_name[t]);
	return e;
}

/* Exact bitmap of one entry, word 0 only (tests with <= 64 rules). */
static void assert_bits(const struct fwd_compiled *c, enum fwd_trie_id t,
			const char *prefix, __u64 bits)
{
	const __u64 *w = fwd_trie_bitmap(c, t, entry_of(c, t, prefix));

	cr_assert(eq(u64, w[0], bits), "%s %s: %#llx, expected %#llx",
		  fwd_trie_map_name[t], prefix, (unsigned long long)w[0],
		  (unsigned long long)bits);
}

#define B(i) (1ULL << (i))

Test(rules_compile, empty_ruleset)
{
	struct fwd_ruleset *rs = parse_ok("default drop\n");
	struct fwd_compiled c;
	int t;

	compile_ok(rs, &c);
	cr_assert(eq(u32, c.nr_rules, 0));
	cr_assert(eq(u32, c.nr_words, 0));
	cr_assert(eq(u32, c.nr_neigh, 0));
	cr_assert(eq(u32, c.nr_ports, 0));
	for (t = 0; t < FWD_NR_TRIES; t++) {
		cr_assert(eq(sz, c.trie[t].nr_entries, 1));
		cr_assert(eq(u8, c.trie[t].prefix[0].len, 0));
		cr_assert(eq(u8, c.trie[t].prefix[0].family,
			     t <= FWD_TRIE_DST4 ? 4 : 6));
	}
	fwd_compiled_free(&c);
	fwd_ruleset_free(rs);
}

Test(rules_compile, overlapping_prefixes)
{
	struct fwd_ruleset *rs = parse_ok(
		"drop dst 10.0.0.0/8\n"			/* 0 */
		"pass dst 10.1.0.0/16\n"		/* 1 */
		"tx dst 10.1.2.0/24\n"			/* 2 */
		"drop src 192.168.0.0/16\n"		/* 3 */
		"pass\n"				/* 4 */
		"drop dst 2001:db8::/32\n"		/* 5 */
		"drop dst 11.0.0.0/8\n"			/* 6 */
		"pass dst 10.1.0.0/16 proto tcp\n"	/* 7 */
		"drop src 192.168.1.0/24 dst 10.1.2.3\n" /* 8 */
		"pass src 2001:db8:1::/48\n");		/* 9 */
	struct fwd_compiled c;

	compile_ok(rs, &c);
	cr_assert(eq(u32, c.nr_rules, 10));
	cr_assert(eq(u32, c.nr_words, 1));

	/* dst4: /0, 10/8, 10.1/16, 10.1.2/24, 10.1.2.3, 11/8 */
	cr_assert(eq(sz, c.trie[FWD_TRIE_DST4].nr_entries, 6));
	assert_bits(&c, FWD_TRIE_DST4, "0.0.0.0/0", B(3) | B(4));
	assert_bits(&c, FWD_TRIE_DST4, "10.0.0.0/8", B(0) | B(3) | B(4));
	assert_bits(&c, FWD_TRIE_DST4, "10.1.0.0/16",
		    B(0) | B(1) | B(3) | B(4) | B(7));
	assert_bits(&c, FWD_TRIE_DST4, "10.1.2.0/24",
		    B(0) | B(1) | B(2) | B(3) | B(4) | B(7));
	assert_bits(&c, FWD_TRIE_DST4, "10.1.2.3",
		    B(0) | B(1) | B(2) | B(3) | B(4) | B(7) | B(8));
	assert_bits(&c, FWD_TRIE_DST4, "11.0.0.0/8", B(3) | B(4) | B(6));

	/* src4: /0, 192.168/16, 192.168.1/24 */
	cr_assert(eq(sz, c.trie[FWD_TRIE_SRC4].nr_entries, 3));
	assert_bits(&c, FWD_TRIE_SRC4, "0.0.0.0/0",
		    B(0) | B(1) | B(2) | B(4) | B(6) | B(7));
	assert_bits(&c, FWD_TRIE_SRC4, "192.168.0.0/16",
		    B(0) | B(1) | B(2) | B(3) | B(4) | B(6) | B(7));
	assert_bits(&c, FWD_TRIE_SRC4, "192.168.1.0/24",
		    B(0) | B(1) | B(2) | B(3) | B(4) | B(6) | B(7) | B(8));

	/* dst6: /0, 2001:db8::/32; src6: /0, 2001:db8:1::/48 */
	cr_assert(eq(sz, c.trie[FWD_TRIE_DST6].nr_entries, 2));
	assert_bits(&c, FWD_TRIE_DST6, "::/0", B(4) | B(9));
	assert_bits(&c, FWD_TRIE_DST6, "2001:db8::/32", B(4) | B(5) | B(9));
	cr_assert(eq(sz, c.trie[FWD_TRIE_SRC6].nr_entries, 2));
	assert_bits(&c, FWD_TRIE_SRC6, "::/0", B(4) | B(5));
	assert_bits(&c, FWD_TRIE_SRC6, "2001:db8:1::/48", B(4) | B(5) | B(9));
	fwd_compiled_free(&c);
	fwd_ruleset_free(rs);
}

/* Entries come in (address, length) order with the /0 first. */
Test(rules_compile, entry_order)
{
	struct fwd_ruleset *rs = parse_ok("drop dst 10.1.0.0/16\n"
					  "drop dst 9.0.0.0/8\n"
					  "drop dst 10.0.0.0/8\n"
					  "drop dst 10.1.0.0/24\n");
	struct fwd_compiled c;
	const char *want[] = { "0.0.0.0/0", "9.0.0.0/8", "10.0.0.0/8",
			       "10.1.0.0/16", "10.1.0.0/24" };
	char buf[64];
	size_t i;

	compile_ok(rs, &c);
	cr_assert(eq(sz, c.trie[FWD_TRIE_DST4].nr_entries, 5));
	for (i = 0; i < 5; i++) {
		fwd_prefix_str(&c.trie[FWD_TRIE_DST4].prefix[i], buf,
			       sizeof(buf));
		cr_assert(eq(str, buf, (char *)want[i]));
	}
	/* Siblings 10.1.0.0/24 under 10.1/16 under 10/8; 9/8 apart. */
	assert_bits(&c, FWD_TRIE_DST4, "9.0.0.0/8", B(1));
	assert_bits(&c, FWD_TRIE_DST4, "10.1.0.0/24", B(0) | B(2) | B(3));
	assert_bits(&c, FWD_TRIE_DST4, "0.0.0.0/0", 0);
	/* No rule applies to IPv6: its tries hold an empty /0. */
	assert_bits(&c, FWD_TRIE_DST6, "::/0", 0);
	assert_bits(&c, FWD_TRIE_SRC6, "::/0", 0);
	fwd_compiled_free(&c);
	fwd_ruleset_free(rs);
}

/* 0.0.0.0/0 restricts a rule to IPv4 without narrowing it. */
Test(rules_compile, explicit_zero_prefix_selects_family)
{
	struct fwd_ruleset *rs = parse_ok("drop dst 0.0.0.0/0\n"
					  "pass src ::/0\n"
					  "tx dst 10.0.0.0/8\n");
	struct fwd_compiled c;

	compile_ok(rs, &c);
	cr_assert(eq(sz, c.trie[FWD_TRIE_DST4].nr_entries, 2));
	assert_bits(&c, FWD_TRIE_DST4, "0.0.0.0/0", B(0));
	assert_bits(&c, FWD_TRIE_DST4, "10.0.0.0/8", B(0) | B(2));
	assert_bits(&c, FWD_TRIE_SRC4, "0.0.0.0/0", B(0) | B(2));
	assert_bits(&c, FWD_TRIE_SRC6, "::/0", B(1));
	assert_bits(&c, FWD_TRIE_DST6, "::/0", B(1));
	fwd_compiled_free(&c);
	fwd_ruleset_free(rs);
}

/* 130 rules: three words; wildcard rules in every entry of every trie. */
Test(rules_compile, wildcards_across_words)
{
	size_t size = 0, e;
	char *text = NULL;
	FILE *f = open_memstream(&text, &size);
	struct fwd_ruleset *rs;
	struct fwd_compiled c;
	int i, t;

	cr_assert_not_null(f);
	for (i = 0; i < 130; i++) {
		if (i == 0 || i == 64 || i == 129)
			fprintf(f, "pass proto udp\n"); /* wildcard */
		else if (i % 2)
			fprintf(f, "drop dst 10.%d.0.0/16\n", i);
		else
			fprintf(f, "drop src fd00:%x::/32\n", i);
	}
	fclose(f);
	rs = parse_ok(text);
	compile_ok(rs, &c);
	cr_assert(eq(u32, c.nr_words, 3));
	for (t = 0; t < FWD_NR_TRIES; t++) {
		for (e = 0; e < c.trie[t].nr_entries; e++) {
			const __u64 *w = fwd_trie_bitmap(&c, t, e);

			cr_assert(not(zero(u64, w[0] & B(0))));
			cr_assert(not(zero(u64, w[1] & B(0))));
			cr_assert(not(zero(u64, w[2] & B(1))));
			cr_assert(eq(u64, w[2] & ~3ULL, 0));
		}
	}
	/* dst4 10.65.0.0/16 is rule 65: word 1, bit 1. */
	e = entry_of(&c, FWD_TRIE_DST4, "10.65.0.0/16");
	cr_assert(not(zero(u64, fwd_trie_bitmap(&c, FWD_TRIE_DST4, e)[1] & B(1))));
	/* Rule 65 has a dst, so it is not in the dst4 /0 ... */
	cr_assert(zero(u64, fwd_trie_bitmap(&c, FWD_TRIE_DST4, 0)[1] & B(1)));
	/* ... but is in every src4 entry, and in no IPv6 trie. */
	for (e = 0; e < c.trie[FWD_TRIE_SRC4].nr_entries; e++)
		cr_assert(not(zero(u64, fwd_trie_bitmap(&c, FWD_TRIE_SRC4, e)[1] & B(1))));
	for (e = 0; e < c.trie[FWD_TRIE_SRC6].nr_entries; e++)
		cr_assert(zero(u64, fwd_trie_bitmap(&c, FWD_TRIE_SRC6, e)[1] & B(1)));
	for (e = 0; e < c.trie[FWD_TRIE_DST6].nr_entries; e++)
		cr_assert(zero(u64, fwd_trie_bitmap(&c, FWD_TRIE_DST6, e)[1] & B(1)));
	cr_assert(eq(sz, c.trie[FWD_TRIE_DST4].nr_entries, 1 + 64));
	cr_assert(eq(sz, c.trie[FWD_TRIE_SRC6].nr_entries, 1 + 63));
	fwd_compiled_free(&c);
	fwd_ruleset_free(rs);
	free(text);
}

Test(rules_compile, rules_neigh_and_ports)
{
	struct fwd_ruleset *rs = parse_ok(
		"neigh r3 10.3.0.1 lladdr 02:00:00:00:03:01\n"
		"drop proto udp dport 9999\n"
		"redirect r3 via 10.3.0.1 dst 10.9.0.0/16\n");
	struct fwd_compiled c;

	compile_ok(rs, &c);
	cr_assert(eq(mem, MEM(&c.rules[0], sizeof(struct fwd_rule)), MEM(&fwd_ruleset_rule(rs, 0)->rule, sizeof(struct fwd_rule))));
	cr_assert(eq(mem, MEM(&c.rules[1], sizeof(struct fwd_rule)), MEM(&fwd_ruleset_rule(rs, 1)->rule, sizeof(struct fwd_rule))));
	cr_assert(eq(u32, c.nr_neigh, 1));
	cr_assert(eq(mem, MEM(&c.neigh_key[0], sizeof(struct fwd_neigh_key)), MEM(&fwd_ruleset_neigh(rs, 0)->key, sizeof(struct fwd_neigh_key))));
	cr_assert(eq(mem, MEM(&c.neigh_val[0], sizeof(struct fwd_neigh)), MEM(&fwd_ruleset_neigh(rs, 0)->val, sizeof(struct fwd_neigh))));
	cr_assert(eq(u32, c.nr_ports, 1));
	fwd_compiled_free(&c);
	fwd_ruleset_free(rs);
}

/* --- decompile (rules show) ------------------------------------------------ */

/* Compile then decompile: the same rules, prefixes and all. */
static void assert_round_trip(const char *text, size_t want_dead)
{
	struct fwd_ruleset *rs = parse_ok(text);
	struct fwd_rule_spec *back;
	struct fwd_compiled c;
	char a[512], b[512];
	size_t i, dead = 99;

	compile_ok(rs, &c);
	back = calloc(c.nr_rules + 1, sizeof(*back));
	cr_assert_not_null(back);
	cr_assert(eq(int, fwd_compiled_decompile(&c, back, &dead), 0));
	cr_assert(eq(sz, dead, want_dead));
	for (i = 0; i < c.nr_rules; i++) {
		const struct fwd_rule_spec *r = fwd_ruleset_rule(rs, i);

		/* Names are the caller's business; copy them over. */
		memcpy(back[i].in_ifname, r->in_ifname, sizeof(r->in_ifname));
		memcpy(back[i].out_ifname, r->out_ifname, sizeof(r->out_ifname));
		cr_assert(eq(int, fwd_rule_spec_str(r, a, sizeof(a)), 0));
		cr_assert(eq(int, fwd_rule_spec_str(&back[i], b, sizeof(b)), 0));
		cr_assert(eq(str, b, a), "rule %zu", i);
		cr_assert(eq(mem, MEM(&back[i].rule, sizeof(back[i].rule)),
			     MEM(&r->rule, sizeof(r->rule))));
	}
	free(back);
	fwd_compiled_free(&c);
	fwd_ruleset_free(rs);
}

Test(rules_decompile, round_trip)
{
	assert_round_trip("neigh r3 10.3.0.1 lladdr 02:00:00:00:03:01\n"
			  "drop proto udp dport 9999\n"
			  "pass proto icmp dst 10.1.0.254\n"
			  "redirect r3 dst 10.3.0.0/24\n"
			  "redirect r3 via 10.3.0.1 src 10.1.0.0/24 dst 10.3.0.0/16\n"
			  "tx in r1 dmac 02:00:00:00:01:fe dst ::/0\n"
			  "drop src 2001:db8::/32 dst 2001:db8::/32\n"
			  "drop dst 0.0.0.0/0\n"
			  "drop src 10.0.0.0/8\n"
			  "drop src 10.0.0.0/8\n"
			  "pass src 10.1.0.0/16 dst 10.0.0.0/8 proto tcp sport 1-2\n"
			  "drop\n", 0);
}

Test(rules_decompile, family_only_rules_come_back_as_dst_zero)
{
	struct fwd_ruleset *rs = parse_ok("pass src 0.0.0.0/0\n"
					  "pass src ::/0 dst ::/0\n");
	struct fwd_rule_spec back[2];
	struct fwd_compiled c;
	char buf[128];
	size_t dead;

	compile_ok(rs, &c);
	cr_assert(eq(int, fwd_compiled_decompile(&c, back, &dead), 0));
	cr_assert(eq(sz, dead, 0));
	cr_assert(eq(int, fwd_rule_spec_str(&back[0], buf, sizeof(buf)), 0));
	cr_assert(eq(str, buf, "pass dst 0.0.0.0/0"));
	cr_assert(eq(int, fwd_rule_spec_str(&back[1], buf, sizeof(buf)), 0));
	cr_assert(eq(str, buf, "pass dst ::/0"));
	fwd_compiled_free(&c);
	fwd_ruleset_free(rs);
}

Test(rules_decompile, rule_in_no_trie_is_dead)
{
	struct fwd_ruleset *rs = parse_ok("drop dst 10.0.0.0/8\npass\n");
	struct fwd_rule_spec back[2];
	struct fwd_compiled c;
	size_t e, dead;

	compile_ok(rs, &c);
	/* Clear rule 0 from dst4 by hand: it can no longer match. */
	for (e = 0; e < c.trie[FWD_TRIE_DST4].nr_entries; e++)
		c.trie[FWD_TRIE_DST4].words[e * c.nr_words] &= ~1ULL;
	cr_assert(eq(int, fwd_compiled_decompile(&c, back, &dead), 0));
	cr_assert(eq(sz, dead, 1));
	cr_assert(eq(u8, back[0].src.family, 0));
	cr_assert(eq(u8, back[0].dst.family, 0));
	fwd_compiled_free(&c);
	fwd_ruleset_free(rs);
}

Test(rules_decompile, ten_thousand_rules)
{
	char *text = generate_rules(10000);

	assert_round_trip(text, 0);
	free(text);
}

/* --- resolve ------------------------------------------------------------- */

Test(rules_resolve, loopback)
{
	struct fwd_ruleset *rs = parse_ok("redirect lo dst 10.0.0.0/8\n"
					  "drop in lo\n"
					  "redirect lo dst 11.0.0.0/8\n"
					  "pass\n");
	struct fwd_compiled c;
	char err[256];

	cr_assert(eq(int, fwd_ruleset_resolve(rs, err, sizeof(err)), 0),
		  "%s", err);
	cr_assert(eq(u32, fwd_ruleset_rule(rs, 0)->rule.redirect_ifindex, 1));
	cr_assert(eq(u32, fwd_ruleset_rule(rs, 0)->rule.ifindex, 0));
	cr_assert(eq(u32, fwd_ruleset_rule(rs, 1)->rule.ifindex, 1));
	cr_assert(eq(u32, fwd_ruleset_rule(rs, 3)->rule.ifindex, 0));
	compile_ok(rs, &c);
	cr_assert(eq(u32, c.nr_ports, 1));
	cr_assert(eq(u32, c.ports[0], 1));
	cr_assert(eq(u32, c.rules[1].ifindex, 1));
	fwd_compiled_free(&c);
	fwd_ruleset_free(rs);
}

struct resolve_case {
	char text[128];
	char msg[128];
	int ret;
};

ParameterizedTestParameters(rules_resolve, errors)
{
	static struct resolve_case cases[] = {
		{ "pass\nredirect eth9x dst 10.0.0.0/8",
		  "t.rules:2: unknown interface 'eth9x'", -ENODEV },
		{ "drop in nosuchif0", "t.rules:1: unknown interface 'nosuchif0'",
		  -ENODEV },
		{ "drop in lo\nneigh nosuch1 10.0.0.1 lladdr 02:00:00:00:00:01",
		  "t.rules:2: unknown interface 'nosuch1'", -ENODEV },
		{ "neigh lo 127.0.0.2 lladdr 02:00:00:00:00:01",
		  "t.rules:1: interface 'lo' is not Ethernet: neigh entries rewrite Ethernet headers",
		  -EINVAL },
	};

	return cr_make_param_array(struct resolve_case, cases,
				   sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct resolve_case *c, rules_resolve, errors)
{
	struct fwd_ruleset *rs = parse_ok(c->text);
	char err[256] = "";

	cr_assert(eq(int, fwd_ruleset_resolve(rs, err, sizeof(err)), c->ret));
	cr_assert(eq(str, err, c->msg));
	fwd_ruleset_free(rs);
}

/* --- 10,000 rules -------------------------------------------------------- */

/* xorshift32: the same "random" rules on every run. */
static __u32 rnd(__u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static char *generate_rules(int n)
{
	size_t size = 0;
	char *text = NULL;
	FILE *f = open_memstream(&text, &size);
	__u32 s = 2463534242u;
	int i;

	cr_assert_not_null(f);
	fprintf(f, "neigh r3 10.3.0.1 lladdr 02:00:00:00:03:01\n");
	for (i = 0; i < n; i++) {
		__u32 r = rnd(&s), a = rnd(&s);
		int len;

		switch (r % 8) {
		case 0: /* wildcard */
			fprintf(f, "pass proto tcp dport %u\n", a & 0xffff);
			break;
		case 1: /* IPv6 destination, nested in 2001:db8::/32 */
			len = 32 + (r >> 8) % 17;
			fprintf(f, "drop dst 2001:db8:%x::/%d\n",
				a >> 16 & 0xffffu << (48 - len) & 0xffff, len);
			break;
		case 3: /* IPv6 source */
			len = 32 + (r >> 8) % 17;
			fprintf(f, "pass src 2001:db8:%x::/%d proto udp\n",
				a >> 16 & 0xffffu << (48 - len) & 0xffff, len);
			break;
		case 2: /* both, nested in a few /8s */
			len = 8 + (r >> 8) % 25;
			a &= ~0u << (32 - len);
			fprintf(f, "drop src 10.%u.0.0/16 dst %u.%u.%u.%u/%d\n",
				r >> 24, 10 + (a >> 24) % 4, a >> 16 & 0xff,
				a >> 8 & 0xff, a & 0xff, len);
			break;
		default: /* IPv4 destination, nested */
			len = 8 + (r >> 8) % 25;
			a &= ~0u << (32 - len);
			fprintf(f, "redirect r3 via 10.3.0.1 dst %u.%u.%u.%u/%d\n",
				10 + (a >> 24) % 4, a >> 16 & 0xff,
				a >> 8 & 0xff, a & 0xff, len);
			break;
		}
	}
	fclose(f);
	return text;
}

static bool covers(const struct fwd_prefix *a, const struct fwd_prefix *b)
{
	int i;

	if (a->len > b->len)
		return false;
	for (i = 0; i < a->len; i++) {
		int byte = i / 8, bit = 7 - i % 8;

		if ((a->addr[byte] >> bit & 1) != (b->addr[byte] >> bit & 1))
			return false;
	}
	return true;
}

/* What the bitmap of entry p of a trie must be, by brute force. */
static bool want_bit(const struct fwd_rule_spec *r, enum fwd_trie_id t,
		     const struct fwd_prefix *p)
{
	int fam = t <= FWD_TRIE_DST4 ? 4 : 6, rf = fwd_rule_family(r);
	const struct fwd_prefix *rp =
		t == FWD_TRIE_SRC4 || t == FWD_TRIE_SRC6 ? &r->src : &r->dst;

	if (rf && rf != fam)
		return false;
	return !rp->family || covers(rp, p);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

Test(rules_compile, ten_thousand_rules)
{
	char *text = generate_rules(10000);
	struct fwd_ruleset *rs;
	struct fwd_compiled c;
	double t0, t1, t2;
	size_t e, i;
	int t;

	t0 = now();
	rs = parse_ok(text);
	t1 = now();
	compile_ok(rs, &c);
	t2 = now();
	cr_log_info("10000 rules: parse %.1f ms, compile %.1f ms",
		    (t1 - t0) * 1e3, (t2 - t1) * 1e3);
	cr_assert(eq(u32, c.nr_rules, 10000));
	cr_assert(eq(u32, c.nr_words, 157));
	cr_assert(t2 - t1 < 1.0, "compile took %.3f s", t2 - t1);

	/* Every entry of every trie against brute force: exact words. */
	for (t = 0; t < FWD_NR_TRIES; t++) {
		cr_assert(gt(sz, c.trie[t].nr_entries, 1));
		for (e = 0; e < c.trie[t].nr_entries; e += 1 + e % 7) {
			const __u64 *w = fwd_trie_bitmap(&c, t, e);
			const struct fwd_prefix *p = &c.trie[t].prefix[e];

			for (i = 0; i < c.nr_rules; i++) {
				bool want = want_bit(fwd_ruleset_rule(rs, i), t, p);
				bool got = w[i / 64] >> (i % 64) & 1;

				cr_assert(eq(int, got, want),
					  "%s entry %zu rule %zu",
					  fwd_trie_map_name[t], e, i);
			}
		}
	}
	fwd_compiled_free(&c);
	fwd_ruleset_free(rs);
	free(text);
}

/* --- writing into maps ----------------------------------------------------- */

static int create_maps(struct fwd_map_fds *fds)
{
	LIBBPF_OPTS(bpf_map_create_opts, lpm, .map_flags = BPF_F_NO_PREALLOC);
	int t;

	fds->rules = bpf_map_create(BPF_MAP_TYPE_ARRAY, "fwd_rules", 4,
				    sizeof(struct fwd_rule), FWD_MAX_RULES,
				    NULL);
	if (fds->rules < 0)
		return fds->rules;
	for (t = 0; t < FWD_NR_TRIES; t++) {
		fds->trie[t] = bpf_map_create(
			BPF_MAP_TYPE_LPM_TRIE, fwd_trie_map_name[t],
			t <= FWD_TRIE_DST4 ? sizeof(struct fwd_lpm4_key) :
					     sizeof(struct fwd_lpm6_key),
			sizeof(struct fwd_bitmap), FWD_MAX_RULES + 1, &lpm);
		cr_assert(fds->trie[t] >= 0, "LPM trie: %s", strerror(-fds->trie[t]));
	}
	fds->neigh = bpf_map_create(BPF_MAP_TYPE_HASH, "fwd_neigh",
				    sizeof(struct fwd_neigh_key),
				    sizeof(struct fwd_neigh), FWD_MAX_NEIGH,
				    NULL);
	cr_assert(fds->neigh >= 0);
	fds->ports = bpf_map_create(BPF_MAP_TYPE_DEVMAP_HASH, "fwd_ports", 4,
				    sizeof(struct bpf_devmap_val), 256, NULL);
	cr_assert(fds->ports >= 0);
	return 0;
}

static void close_maps(struct fwd_map_fds *fds)
{
	int t;

	close(fds->rules);
	for (t = 0; t < FWD_NR_TRIES; t++)
		close(fds->trie[t]);
	close(fds->neigh);
	close(fds->ports);
}

static size_t count_keys(int fd, size_t key_size)
{
	__u8 key[64], next[64];
	size_t n = 0;
	void *prev = NULL;

	while (!bpf_map_get_next_key(fd, prev, next)) {
		memcpy(key, next, key_size);
		prev = key;
		n++;
	}
	return n;
}

/* Read every compiled entry back from the kernel maps. */
static void assert_maps_hold(const struct fwd_compiled *c,
			     const struct fwd_map_fds *fds)
{
	struct fwd_bitmap bm;
	struct fwd_rule rule;
	struct fwd_neigh nb;
	__u8 key[20];
	size_t e, alen;
	__u32 i;
	int t;

	for (i = 0; i < c->nr_rules; i++) {
		cr_assert(eq(int, bpf_map_lookup_elem(fds->rules, &i, &rule), 0));
		cr_assert(eq(mem, MEM(&rule, sizeof(rule)), MEM(&c->rules[i], sizeof(rule))));
	}
	for (t = 0; t < FWD_NR_TRIES; t++) {
		alen = t <= FWD_TRIE_DST4 ? 4 : 16;
		cr_assert(eq(sz, count_keys(fds->trie[t], 4 + alen),
			     c->trie[t].nr_entries));
		for (e = 0; e < c->trie[t].nr_entries; e++) {
			__u32 plen = c->trie[t].prefix[e].len;

			/* An exact-length lookup returns this very entry. */
			memcpy(key, &plen, 4);
			memcpy(key + 4, c->trie[t].prefix[e].addr, alen);
			cr_assert(eq(int, bpf_map_lookup_elem(fds->trie[t], key, &bm), 0));
			cr_assert(eq(u32, bm.nr_words, c->nr_words));
			cr_assert(eq(mem, MEM(bm.w, c->nr_words * 8), MEM((void *)fwd_trie_bitmap(c, t, e), c->nr_words * 8)));
		}
	}
	cr_assert(eq(sz, count_keys(fds->neigh, sizeof(struct fwd_neigh_key)),
		     c->nr_neigh));
	for (i = 0; i < c->nr_neigh; i++) {
		cr_assert(eq(int, bpf_map_lookup_elem(fds->neigh, &c->neigh_key[i], &nb), 0));
		cr_assert(eq(mem, MEM(&nb, sizeof(nb)), MEM(&c->neigh_val[i], sizeof(nb))));
	}
}

Test(rules_maps, write_and_read_back)
{
	struct fwd_ruleset *rs = parse_ok(
		"neigh r3 10.3.0.1 lladdr 02:00:00:00:03:01\n"
		"neigh r3 fd03::1 lladdr 02:00:00:00:03:01\n"
		"drop proto udp dport 9999\n"
		"redirect r3 via 10.3.0.1 dst 10.9.0.0/16\n"
		"pass src fd03::/64 dst 2001:db8::/32\n"
		"tx dst 10.9.1.0/24 proto icmp\n");
	struct fwd_map_fds fds;
	struct fwd_compiled c;
	char err[256] = "";
	int ret;

	ret = create_maps(&fds);
	if (ret == -EPERM)
		cr_skip_test("creating BPF maps needs CAP_BPF");
	cr_assert(eq(int, ret, 0));
	compile_ok(rs, &c);
	/* No interfaces resolved: no ports to write (ifindex 0 is invalid). */
	c.nr_ports = 0;
	cr_assert(eq(int, fwd_compiled_write(&c, &fds, err, sizeof(err)), 0),
		  "%s", err);
	assert_maps_hold(&c, &fds);
	fwd_compiled_free(&c);
	fwd_ruleset_free(rs);
	close_maps(&fds);
}

Test(rules_maps, ports_of_loopback)
{
	struct fwd_ruleset *rs = parse_ok("redirect lo dst 10.0.0.0/8\n");
	struct fwd_map_fds fds;
	struct fwd_compiled c;
	struct bpf_devmap_val val;
	char err[256] = "";
	__u32 key = 1;
	int ret;

	ret = create_maps(&fds);
	if (ret == -EPERM)
		cr_skip_test("creating BPF maps needs CAP_BPF");
	cr_assert(eq(int, fwd_ruleset_resolve(rs, err, sizeof(err)), 0));
	compile_ok(rs, &c);
	cr_assert(eq(int, fwd_compiled_write(&c, &fds, err, sizeof(err)), 0),
		  "%s", err);
	cr_assert(eq(int, bpf_map_lookup_elem(fds.ports, &key, &val), 0));
	cr_assert(eq(u32, val.ifindex, 1));
	cr_assert(eq(sz, count_keys(fds.ports, 4), 1));
	fwd_compiled_free(&c);
	fwd_ruleset_free(rs);
	close_maps(&fds);
}

Test(rules_maps, wrong_layout_is_refused)
{
	struct fwd_ruleset *rs = parse_ok("drop\n");
	struct fwd_map_fds fds;
	struct fwd_compiled c;
	char err[256] = "";
	int ret;

	ret = create_maps(&fds);
	if (ret == -EPERM)
		cr_skip_test("creating BPF maps needs CAP_BPF");
	close(fds.rules);
	fds.rules = bpf_map_create(BPF_MAP_TYPE_ARRAY, "fwd_rules", 4, 40,
				   FWD_MAX_RULES, NULL);
	cr_assert(fds.rules >= 0);
	compile_ok(rs, &c);
	cr_assert(eq(int, fwd_compiled_write(&c, &fds, err, sizeof(err)), -EINVAL));
	cr_assert(eq(str, err,
		     "map 'fwd_rules' has key/value size 4/40, expected 4/48: the fwd object and ppxdp were built from different bpf/fwd.h"));
	fwd_compiled_free(&c);
	fwd_ruleset_free(rs);
	close_maps(&fds);
}

Test(rules_maps, ten_thousand_rules_timed)
{
	char *text = generate_rules(10000);
	struct fwd_ruleset *rs;
	struct fwd_map_fds fds;
	struct fwd_compiled c;
	char err[256] = "";
	double t0, t1, t2, t3;
	int ret;

	ret = create_maps(&fds);
	if (ret == -EPERM)
		cr_skip_test("creating BPF maps needs CAP_BPF");
	t0 = now();
	rs = parse_ok(text);
	t1 = now();
	compile_ok(rs, &c);
	t2 = now();
	c.nr_ports = 0; /* not resolved */
	cr_assert(eq(int, fwd_compiled_write(&c, &fds, err, sizeof(err)), 0),
		  "%s", err);
	t3 = now();
	cr_log_info("10000 rules into maps: parse %.1f ms, compile %.1f ms, write %.1f ms (%zu+%zu+%zu+%zu trie entries)",
		    (t1 - t0) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3,
		    c.trie[0].nr_entries, c.trie[1].nr_entries,
		    c.trie[2].nr_entries, c.trie[3].nr_entries);
	cr_assert(t3 - t0 < 5.0, "10000 rules took %.3f s", t3 - t0);
	assert_maps_hold(&c, &fds);
	fwd_compiled_free(&c);
	fwd_ruleset_free(rs);
	close_maps(&fds);
	free(text);
}
