// SPDX-License-Identifier: GPL-2.0
/*
 * Fill the fwd maps straight from a list of test rules, following the
 * contract of bpf/fwd.h: for every distinct prefix of a field (plus /0),
 * the trie holds the bitmap of rules whose prefix for that field covers it
 * or who have none. Deliberately naive (quadratic) and independent of the
 * loader's rules compiler.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>

#include "progrun.h"

struct prefix {
	int family; /* 4 or 6 */
	__u32 len;
	__u8 addr[16];
};

static void parse_prefix(const char *text, struct prefix *p)
{
	char buf[64], *slash;

	cr_assert(strlen(text) < sizeof(buf), "prefix '%s' too long", text);
	strcpy(buf, text);
	memset(p, 0, sizeof(*p));
	p->family = strchr(buf, ':') ? 6 : 4;
	p->len = p->family == 4 ? 32 : 128;
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		p->len = atoi(slash + 1);
	}
	pr_addr(p->family, buf, p->addr);
	cr_assert(p->len <= (p->family == 4 ? 32U : 128U), "bad prefix '%s'",
		  text);
}

static bool bit_of(const __u8 *a, __u32 i)
{
	return a[i / 8] & (0x80 >> (i % 8));
}

/* Does q cover p (q's first q->len bits are p's, and q is no longer)? */
static bool covers(const struct prefix *q, const struct prefix *p)
{
	__u32 i;

	if (q->family != p->family || q->len > p->len)
		return false;
	for (i = 0; i < q->len; i++)
		if (bit_of(q->addr, i) != bit_of(p->addr, i))
			return false;
	return true;
}

/* Can rule r match packets of family? Not if it names the other one. */
static bool rule_has_family(const struct pr_rule *r, int family)
{
	struct prefix p;

	if (r->src) {
		parse_prefix(r->src, &p);
		if (p.family != family)
			return false;
	}
	if (r->dst) {
		parse_prefix(r->dst, &p);
		if (p.family != family)
			return false;
	}
	return true;
}

static void trie_put(const struct bpf_map *trie, const struct prefix *p,
		     const struct fwd_bitmap *bm)
{
	struct fwd_lpm6_key k6 = { .prefixlen = p->len };
	struct fwd_lpm4_key k4 = { .prefixlen = p->len };
	void *key = p->family == 4 ? (void *)&k4 : (void *)&k6;
	__u32 i;

	/* LPM keys hold the prefix bits only. */
	for (i = 0; i < p->len; i++) {
		__u8 *a = p->family == 4 ? k4.addr : k6.addr;

		if (bit_of(p->addr, i))
			a[i / 8] |= 0x80 >> (i % 8);
	}
	cr_assert(bpf_map_update_elem(bpf_map__fd(trie), key, bm, BPF_ANY) == 0,
		  "%s update: %s", bpf_map__name(trie), strerror(errno));
}

static void fill_trie(struct bpf_object *obj, const char *name, int family,
		      bool src, const struct pr_rule *rules, size_t n)
{
	const struct bpf_map *trie = bpf_object__find_map_by_name(obj, name);
	struct prefix *set = calloc(n + 1, sizeof(*set));
	struct fwd_bitmap *bm = malloc(sizeof(*bm));
	size_t nr = 1, i, j;

	cr_assert(trie && set && bm, "no map %s or out of memory", name);
	set[0].family = family; /* /0 */
	for (i = 0; i < n; i++) {
		const char *text = src ? rules[i].src : rules[i].dst;
		struct prefix p;

		if (!text)
			continue;
		parse_prefix(text, &p);
		if (p.family != family)
			continue;
		for (j = 0; j < nr; j++)
			if (covers(&set[j], &p) && covers(&p, &set[j]))
				break;
		if (j == nr)
			set[nr++] = p;
	}

	for (j = 0; j < nr; j++) {
		memset(bm, 0, sizeof(*bm));
		bm->nr_words = n ? (n + 63) / 64 : 1;
		for (i = 0; i < n; i++) {
			const char *text = src ? rules[i].src : rules[i].dst;
			struct prefix q;

			if (!rule_has_family(&rules[i], family))
				continue;
			if (text) {
				parse_prefix(text, &q);
				if (!covers(&q, &set[j]))
					continue;
			}
			bm->w[i / 64] |= 1ULL << (i % 64);
		}
		trie_put(trie, &set[j], bm);
	}
	free(bm);
	free(set);
}

void pr_fwd_load_rules(struct bpf_object *obj, const struct pr_rule *rules,
		       size_t n)
{
	const struct bpf_map *m = bpf_object__find_map_by_name(obj, "fwd_rules");
	__u32 i;

	cr_assert(n <= FWD_MAX_RULES, "%zu rules, at most %d", n,
		  FWD_MAX_RULES);
	cr_assert(m, "no fwd_rules map");
	for (i = 0; i < n; i++)
		cr_assert(bpf_map_update_elem(bpf_map__fd(m), &i, &rules[i].r,
					      BPF_ANY) == 0,
			  "fwd_rules[%u]: %s", i, strerror(errno));
	fill_trie(obj, "fwd_src4", 4, true, rules, n);
	fill_trie(obj, "fwd_dst4", 4, false, rules, n);
	fill_trie(obj, "fwd_src6", 6, true, rules, n);
	fill_trie(obj, "fwd_dst6", 6, false, rules, n);
}

void pr_fwd_add_neigh(struct bpf_object *obj, __u32 ifindex, int family,
		      const char *addr, const __u8 dmac[6], const __u8 smac[6])
{
	const struct bpf_map *m = bpf_object__find_map_by_name(obj, "fwd_neigh");
	struct fwd_neigh_key k = { .ifindex = ifindex, .family = family };
	struct fwd_neigh v;

	cr_assert(m, "no fwd_neigh map");
	pr_addr(family, addr, k.addr);
	memcpy(v.dmac, dmac, 6);
	memcpy(v.smac, smac, 6);
	cr_assert(bpf_map_update_elem(bpf_map__fd(m), &k, &v, BPF_ANY) == 0,
		  "fwd_neigh %s: %s", addr, strerror(errno));
}
