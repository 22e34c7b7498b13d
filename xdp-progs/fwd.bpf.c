// SPDX-License-Identifier: GPL-2.0
/*
 * Policy forwarding: first-match classification of IP frames over an
 * ordered rule list, with the maps documented in bpf/fwd.h.
 *
 * Per frame: parse (bpf/parse.h); look up the source and destination LPM
 * tries of the packet's family, AND the two rule bitmaps and walk the set
 * bits in ascending rule order with bpf_loop() (one callback per 64-bit
 * word), checking the fields the tries do not cover. The first rule that
 * matches decides; its counter in fwd_rule_stats is bumped.
 *
 * XDP_REDIRECT routes: TTL/hop limit <= 1 goes to the stack (which sends
 * ICMP time exceeded), a missing neighbour goes to the stack (which
 * resolves ARP/ND) and counts as redirect_err, a missing egress port in
 * fwd_ports likewise. Only once the redirect is certain is the frame
 * rewritten: MACs from fwd_neigh, TTL decremented with an incremental IPv4
 * checksum update (RFC 1624), or hop limit decremented.
 *
 * FWD_ACTION_ROUTE routes: the kernel's FIB decides (bpf_fib_lookup() in
 * the namespace of the ingress port, as the stack would route the frame:
 * policy rules, the ingress port's forwarding setting, the egress MTU and
 * the neighbour table all apply). Anything but a complete answer sends the
 * frame to the stack unchanged, which does what the FIB said (ICMP
 * unreachable, fragmentation needed, ARP/ND resolution); the outcome of
 * every lookup is counted in fwd_fib_stats.
 */
#include "xdp_common.h"
#include "fwd.h"

/*
 * Unmatched IP traffic and malformed frames; and frames that are not
 * IPv4/IPv6 (ARP, LLDP, ...). XDP_DROP, XDP_PASS or XDP_TX (back to the
 * sender, MACs swapped); other values mean XDP_PASS.
 */
const volatile __u32 default_action = XDP_PASS;
const volatile __u32 nonip_action = XDP_PASS;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FWD_MAX_RULES);
	__type(key, __u32);
	__type(value, struct fwd_rule);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fwd_rules SEC(".maps");

#define FWD_LPM_MAP(name, keytype)					\
struct {								\
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);				\
	__uint(max_entries, FWD_MAX_RULES + 1);				\
	__uint(map_flags, BPF_F_NO_PREALLOC);				\
	__type(key, struct keytype);					\
	__type(value, struct fwd_bitmap);				\
	__uint(pinning, LIBBPF_PIN_BY_NAME);				\
} name SEC(".maps")

FWD_LPM_MAP(fwd_src4, fwd_lpm4_key);
FWD_LPM_MAP(fwd_dst4, fwd_lpm4_key);
FWD_LPM_MAP(fwd_src6, fwd_lpm6_key);
FWD_LPM_MAP(fwd_dst6, fwd_lpm6_key);

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FWD_MAX_NEIGH);
	__type(key, struct fwd_neigh_key);
	__type(value, struct fwd_neigh);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fwd_neigh SEC(".maps");

/* Egress ports, keyed by ifindex: bpf_redirect_map() bulks the frames. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fwd_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FWD_MAX_RULES);
	__type(key, __u32);
	__type(value, struct ppxdp_ctr);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fwd_rule_stats SEC(".maps");

/* bpf_fib_lookup() results of route rules (bpf/fwd.h). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FWD_FIB_NR_RESULTS);
	__type(key, __u32);
	__type(value, struct ppxdp_ctr);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fwd_fib_stats SEC(".maps");

PPXDP_XDP_MAPS(fwd);

#ifndef AF_INET
#define AF_INET 2
#define AF_INET6 10
#endif

#define FWD_NO_RULE ((__u32)-1)

/*
 * Count trailing zeros of a non-zero word. The BPF backend of clang 14
 * crashes on __builtin_ctzll, so use a de Bruijn sequence: x & -x isolates
 * the lowest set bit, the multiplication puts a unique 6-bit pattern for
 * each bit position in the top bits.
 */
static const __u8 debruijn_ctz64[64] = {
	0,  1,  2,  53, 3,  7,  54, 27, 4,  38, 41, 8,  34, 55, 48, 28,
	62, 5,  39, 46, 44, 42, 22, 9,  24, 35, 59, 56, 49, 18, 29, 11,
	63, 52, 6,  26, 37, 40, 33, 47, 61, 45, 43, 21, 23, 58, 17, 10,
	51, 25, 36, 32, 60, 20, 57, 16, 50, 31, 19, 15, 30, 14, 13, 12,
};

static __always_inline __u32 ctz64(__u64 x)
{
	return debruijn_ctz64[((x & -x) * 0x022fdd63cc95386dULL) >> 58];
}

/* Frame fields the rules check beyond the tries: scalars only. */
struct fwd_pkt_keys {
	__u32 ingress_ifindex;
	__u16 sport;
	__u16 dport;
	__u8 l4proto;
	__u8 has_ports;
	__u8 dmac[ETH_ALEN];
};

/* bpf_loop() context of the rule walk. */
struct fwd_match {
	struct fwd_bitmap *src;
	struct fwd_bitmap *dst;
	__u32 rule_id;  /* out: FWD_NO_RULE or the first matching rule */
	struct fwd_pkt_keys keys;
};

/*
 * Does rule id pass the checks the tries do not cover? A global function:
 * the verifier checks it once instead of once per unrolled candidate of
 * fwd_match_word(), which keeps the worst case far from its limits. It
 * gets a pointer to scalars only: the verifier assumes a global function
 * may overwrite what it points to, which would forget spilled pointers.
 */
__noinline int fwd_rule_matches(const struct fwd_pkt_keys *m, __u32 id)
{
	const struct fwd_rule *r;
	int i;

	if (!m)
		return 0;
	r = bpf_map_lookup_elem(&fwd_rules, &id);
	if (!r)
		return 0;
	if (r->ifindex && r->ifindex != m->ingress_ifindex)
		return 0;
	if (r->l4proto && r->l4proto != m->l4proto)
		return 0;
	if (r->flags & FWD_RULE_DMAC) {
#pragma unroll
		for (i = 0; i < ETH_ALEN; i++)
			if (r->dmac[i] != m->dmac[i])
				return 0;
	}
	if ((r->flags & (FWD_RULE_SPORT | FWD_RULE_DPORT)) && !m->has_ports)
		return 0;
	if ((r->flags & FWD_RULE_SPORT) &&
	    (m->sport < r->sport_lo || m->sport > r->sport_hi))
		return 0;
	if ((r->flags & FWD_RULE_DPORT) &&
	    (m->dport < r->dport_lo || m->dport > r->dport_hi))
		return 0;
	return 1;
}

/* bpf_loop() callback: candidate rules of word i, lowest id first. */
static long fwd_match_word(__u64 i, void *data)
{
	struct fwd_match *m = data;
	__u64 w;
	int n;

	if (i >= FWD_BITMAP_WORDS)
		return 1;
	w = m->src->w[i] & m->dst->w[i];

	for (n = 0; n < 64 && w; n++) {
		__u32 id = i * 64 + ctz64(w);

		w &= w - 1;
		if (fwd_rule_matches(&m->keys, id)) {
			m->rule_id = id;
			return 1;
		}
	}
	return 0;
}

/* Look up both tries of the packet's family; false when either misses. */
static __always_inline bool fwd_lookup_bitmaps(const struct pkt_info *p,
					       struct fwd_match *m)
{
	if (p->family == 4) {
		struct fwd_lpm4_key k = { .prefixlen = 32 };

		__builtin_memcpy(k.addr, &p->ip4->saddr, 4);
		m->src = bpf_map_lookup_elem(&fwd_src4, &k);
		__builtin_memcpy(k.addr, &p->ip4->daddr, 4);
		m->dst = bpf_map_lookup_elem(&fwd_dst4, &k);
	} else {
		struct fwd_lpm6_key k = { .prefixlen = 128 };

		__builtin_memcpy(k.addr, &p->ip6->saddr, 16);
		m->src = bpf_map_lookup_elem(&fwd_src6, &k);
		__builtin_memcpy(k.addr, &p->ip6->daddr, 16);
		m->dst = bpf_map_lookup_elem(&fwd_dst6, &k);
	}
	return m->src && m->dst;
}

static __always_inline __u32 fwd_classify(struct xdp_md *ctx,
					  const struct pkt_info *p)
{
	struct fwd_match m = {
		.rule_id = FWD_NO_RULE,
		.keys = {
			.ingress_ifindex = ctx->ingress_ifindex,
			.l4proto = p->l4proto,
			.has_ports = !!(p->flags & PKT_F_PORTS),
			.sport = p->sport,
			.dport = p->dport,
		},
	};
	__u32 nr_words;

	if (!fwd_lookup_bitmaps(p, &m))
		return FWD_NO_RULE;
	__builtin_memcpy(m.keys.dmac, p->eth->h_dest, ETH_ALEN);

	nr_words = m.src->nr_words;
	if (nr_words > m.dst->nr_words)
		nr_words = m.dst->nr_words;
	if (nr_words > FWD_BITMAP_WORDS)
		nr_words = FWD_BITMAP_WORDS;

	bpf_loop(nr_words, fwd_match_word, &m, 0);
	return m.rule_id;
}

/*
 * RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), for one 16-bit word of the
 * header changing from m to m' (host order).
 */
static __always_inline void csum_replace16(__sum16 *sum, __u16 m, __u16 m1)
{
	__u32 s = (__u16)~bpf_ntohs(*sum);

	s += (__u16)~m;
	s += m1;
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	*sum = bpf_htons((__u16)~s);
}

static __always_inline void ipv4_decrease_ttl(struct iphdr *ip)
{
	/* TTL is the high byte of the 16-bit word it shares with protocol. */
	__u16 m = (ip->ttl << 8) | ip->protocol;

	ip->ttl--;
	csum_replace16(&ip->check, m, m - 0x100);
}

/*
 * XDP_REDIRECT for rule r. Returns the action: XDP_REDIRECT with the frame
 * rewritten, or XDP_PASS with the frame untouched.
 */
static __always_inline __u32 fwd_redirect(const struct fwd_rule *r,
					  const struct pkt_info *p,
					  struct ppxdp_xdp_stats *s, __u64 bytes)
{
	struct fwd_neigh_key key = { .ifindex = r->redirect_ifindex };
	struct fwd_neigh *nb;
	__u32 act;

	if (p->family == 4 ? p->ip4->ttl <= 1 : p->ip6->hop_limit <= 1)
		return XDP_PASS;

	if (r->flags & FWD_RULE_NH) {
		key.family = r->nh_family;
		if (key.family == 4)
			__builtin_memcpy(key.addr, r->nh_addr, 4);
		else
			__builtin_memcpy(key.addr, r->nh_addr, 16);
	} else if (p->family == 4) {
		key.family = 4;
		__builtin_memcpy(key.addr, &p->ip4->daddr, 4);
	} else {
		key.family = 6;
		__builtin_memcpy(key.addr, &p->ip6->daddr, 16);
	}

	nb = bpf_map_lookup_elem(&fwd_neigh, &key);
	if (!nb)
		goto err;
	act = bpf_redirect_map(&fwd_ports, r->redirect_ifindex, XDP_PASS);
	if (act != XDP_REDIRECT)
		goto err;

	__builtin_memcpy(p->eth->h_dest, nb->dmac, ETH_ALEN);
	__builtin_memcpy(p->eth->h_source, nb->smac, ETH_ALEN);
	if (p->family == 4)
		ipv4_decrease_ttl(p->ip4);
	else
		p->ip6->hop_limit--;
	return XDP_REDIRECT;

err:
	if (s)
		ppxdp_ctr_add(&s->redirect_err, bytes);
	return XDP_PASS;
}

/* Count a frame in fwd_fib_stats[key], key < FWD_FIB_NR_RESULTS. */
static __always_inline void fwd_fib_count(__u32 key, __u64 bytes)
{
	struct ppxdp_ctr *c = bpf_map_lookup_elem(&fwd_fib_stats, &key);

	if (c)
		ppxdp_ctr_add(c, bytes);
}

/*
 * FWD_ACTION_ROUTE: XDP_REDIRECT along the FIB with the frame rewritten
 * (MACs from the lookup, TTL / hop limit decremented), or XDP_PASS with
 * the frame untouched. The egress goes through fwd_ports when it is there
 * (bulk transmit), otherwise through bpf_redirect().
 */
static __always_inline __u32 fwd_route(struct xdp_md *ctx,
				       const struct pkt_info *p,
				       struct ppxdp_xdp_stats *s, __u64 bytes)
{
	struct bpf_fib_lookup fib = {};
	long rc;

	/* The stack sends time exceeded; tags would need a VLAN egress. */
	if (p->nr_vlans ||
	    (p->family == 4 ? p->ip4->ttl <= 1 : p->ip6->hop_limit <= 1)) {
		fwd_fib_count(FWD_FIB_SKIPPED, bytes);
		return XDP_PASS;
	}

	fib.ifindex = ctx->ingress_ifindex;
	fib.l4_protocol = p->l4proto;
	if (p->flags & PKT_F_PORTS) { /* for multipath hashing */
		fib.sport = bpf_htons(p->sport);
		fib.dport = bpf_htons(p->dport);
	}
	if (p->family == 4) {
		fib.family = AF_INET;
		fib.tos = p->ip4->tos;
		fib.tot_len = bpf_ntohs(p->ip4->tot_len);
		fib.ipv4_src = p->ip4->saddr;
		fib.ipv4_dst = p->ip4->daddr;
	} else {
		fib.family = AF_INET6;
		fib.flowinfo = *(__be32 *)p->ip6 & bpf_htonl(0x0fffffff);
		/* The whole packet, as the MTU check compares it. */
		fib.tot_len = bpf_ntohs(p->ip6->payload_len) +
			      sizeof(struct ipv6hdr);
		__builtin_memcpy(fib.ipv6_src, &p->ip6->saddr, 16);
		__builtin_memcpy(fib.ipv6_dst, &p->ip6->daddr, 16);
	}

	/*
	 * No flags: a full input lookup honouring policy rules, as the
	 * stack would route the frame arriving on ctx's port.
	 */
	rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), 0);
	fwd_fib_count(rc >= 0 && rc < FWD_FIB_OTHER ? rc : FWD_FIB_OTHER,
		      bytes);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS) {
		if (rc == BPF_FIB_LKUP_RET_NO_NEIGH && s)
			ppxdp_ctr_add(&s->redirect_err, bytes);
		return XDP_PASS;
	}

	if (bpf_redirect_map(&fwd_ports, fib.ifindex, 0) != XDP_REDIRECT)
		bpf_redirect(fib.ifindex, 0);
	__builtin_memcpy(p->eth->h_dest, fib.dmac, ETH_ALEN);
	__builtin_memcpy(p->eth->h_source, fib.smac, ETH_ALEN);
	if (p->family == 4)
		ipv4_decrease_ttl(p->ip4);
	else
		p->ip6->hop_limit--;
	return XDP_REDIRECT;
}

SEC("xdp")
int xdp_fwd(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct ppxdp_xdp_stats *s = ppxdp_stats(&fwd_stats);
	__u64 bytes = data_end - data;
	struct ppxdp_ctr *rc;
	struct pkt_info p;
	struct fwd_rule *r;
	__u32 id, act;

	switch (parse_frame(data, data_end, &p)) {
	case PARSE_IP:
		break;
	case PARSE_NOT_IP:
		act = ppxdp_fallback(ctx, ppxdp_safe_action(nonip_action));
		return ppxdp_count(s, act, bytes);
	default:
		if (s)
			ppxdp_ctr_add(&s->malformed, bytes);
		act = ppxdp_fallback(ctx, ppxdp_safe_action(default_action));
		return ppxdp_count(s, act, bytes);
	}

	id = fwd_classify(ctx, &p);
	r = bpf_map_lookup_elem(&fwd_rules, &id);
	if (!r) {
		act = ppxdp_fallback(ctx, ppxdp_safe_action(default_action));
		return ppxdp_count(s, act, bytes);
	}

	rc = bpf_map_lookup_elem(&fwd_rule_stats, &id);
	if (rc)
		ppxdp_ctr_add(rc, bytes);

	switch (r->action) {
	case XDP_DROP:
		return ppxdp_count(s, XDP_DROP, bytes);
	case XDP_PASS:
		return ppxdp_count(s, XDP_PASS, bytes);
	case XDP_TX:
		ppxdp_swap_macs(p.eth);
		return ppxdp_count(s, XDP_TX, bytes);
	case XDP_REDIRECT:
		return ppxdp_count(s, fwd_redirect(r, &p, s, bytes), bytes);
	case FWD_ACTION_ROUTE:
		return ppxdp_count(s, fwd_route(ctx, &p, s, bytes), bytes);
	default:
		/* Not a valid rule action: treat the frame as unmatched. */
		act = ppxdp_fallback(ctx, ppxdp_safe_action(default_action));
		return ppxdp_count(s, act, bytes);
	}
}

char LICENSE[] SEC("license") = "GPL";
