/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * Map layouts of the fwd program, shared with the rules compiler in the
 * loader.
 *
 * Classification is first-match over an ordered rule list (rule id = line
 * order). Source and destination prefixes are resolved with LPM tries whose
 * values are bitmaps of rule ids: the entry for prefix P has bit i set when
 * rule i's prefix (or its wildcard) covers P. The trie always holds a /0
 * entry carrying the rules that have no prefix for that field. The program
 * ANDs the source and destination bitmaps and walks the set bits in order,
 * checking the remaining fields (ingress ifindex, destination MAC, L4
 * protocol, port ranges) against fwd_rules[id]; the first rule that passes
 * decides.
 */
#ifndef PPXDP_FWD_H
#define PPXDP_FWD_H

#define FWD_MAX_RULES 16384
#define FWD_BITMAP_WORDS (FWD_MAX_RULES / 64)
#define FWD_MAX_NEIGH 4096

/*
 * struct fwd_rule.action of a route rule: forward along the kernel's FIB
 * (bpf_fib_lookup). Not an XDP action, so it cannot be mistaken for one.
 */
#define FWD_ACTION_ROUTE 0x100

/*
 * fwd_fib_stats: per-CPU struct ppxdp_ctr per bpf_fib_lookup() result
 * (BPF_FIB_LKUP_RET_*, 0 = success), index FWD_FIB_SKIPPED for frames a
 * route rule sent to the stack without a lookup (TTL or hop limit <= 1,
 * VLAN-tagged frames), FWD_FIB_OTHER for an error of the helper or a
 * result newer than this header.
 */
#define FWD_FIB_NR_RESULTS 16
#define FWD_FIB_OTHER (FWD_FIB_NR_RESULTS - 2)   /* -errno or an unknown result */
#define FWD_FIB_SKIPPED (FWD_FIB_NR_RESULTS - 1)

struct fwd_lpm4_key {
	__u32 prefixlen;
	__u8 addr[4];
};

struct fwd_lpm6_key {
	__u32 prefixlen;
	__u8 addr[16];
};

/* Only w[0 .. nr_words) is meaningful; nr_words = ceil(nr_rules / 64). */
struct fwd_bitmap {
	__u32 nr_words;
	__u32 pad;
	__u64 w[FWD_BITMAP_WORDS];
};

enum fwd_rule_flags {
	FWD_RULE_DMAC = 1 << 0,  /* match dmac */
	FWD_RULE_SPORT = 1 << 1, /* match sport_lo..sport_hi (needs TCP/UDP/SCTP) */
	FWD_RULE_DPORT = 1 << 2, /* match dport_lo..dport_hi */
	FWD_RULE_NH = 1 << 3,    /* redirect: next hop is nh_addr, else packet dst */
};

struct fwd_rule {
	__u32 ifindex;          /* ingress ifindex, 0 = any */
	__u32 action;           /* XDP_DROP, XDP_PASS, XDP_TX, XDP_REDIRECT
				 * or FWD_ACTION_ROUTE */
	__u32 redirect_ifindex; /* egress for XDP_REDIRECT */
	__u32 flags;            /* enum fwd_rule_flags */
	__u8 l4proto;           /* IPPROTO_*, 0 = any */
	__u8 nh_family;         /* 4 or 6 when FWD_RULE_NH */
	__u8 dmac[6];
	__u16 sport_lo, sport_hi; /* host byte order, inclusive */
	__u16 dport_lo, dport_hi;
	__u8 nh_addr[16];       /* IPv4 in the first 4 bytes */
};

/* Neighbour table: L2 rewrite for XDP_REDIRECT. */
struct fwd_neigh_key {
	__u32 ifindex; /* egress */
	__u8 family;   /* 4 or 6 */
	__u8 pad[3];
	__u8 addr[16]; /* next hop; IPv4 in the first 4 bytes, rest zero */
};

struct fwd_neigh {
	__u8 dmac[6];
	__u8 smac[6];
};

#endif /* PPXDP_FWD_H */
