/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rules files for the fwd program: parsing (pure, unit-tested), name
 * resolution in the current network namespace, and loading into the maps of
 * a loaded fwd object (see bpf/fwd.h for the map layouts).
 */
#ifndef PPXDP_RULES_H
#define PPXDP_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "fwd.h"

struct bpf_object;
struct fwd_ruleset;

#define FWD_IFNAMSIZ 16		  /* IFNAMSIZ, without <net/if.h> */
#define FWD_MAX_LINE 1024	  /* characters per line, newline excluded */
#define FWD_MAX_FILE (16 << 20) /* bytes per rules file */

/*
 * Parse a rules file. On error returns NULL, sets errno, and writes
 * "FILE:LINE: what was wrong near 'TOKEN'" into err.
 */
struct fwd_ruleset *fwd_ruleset_parse_file(const char *path, char *err,
					   size_t errlen);
/* Same, from a string; name is used in messages in place of FILE. */
struct fwd_ruleset *fwd_ruleset_parse_string(const char *name, const char *text,
					     char *err, size_t errlen);
void fwd_ruleset_free(struct fwd_ruleset *rs);

size_t fwd_ruleset_nr_rules(const struct fwd_ruleset *rs);
size_t fwd_ruleset_nr_neigh(const struct fwd_ruleset *rs);
/* XDP action for IP traffic no rule matches and for malformed frames. */
__u32 fwd_ruleset_default_action(const struct fwd_ruleset *rs);
/* XDP action for non-IP traffic (ARP, LLDP, ...). */
__u32 fwd_ruleset_nonip_action(const struct fwd_ruleset *rs);

/*
 * Resolve interface names used by the rules (in, redirect, neigh) to
 * ifindexes and MAC addresses in the current network namespace. Fails with
 * -ENODEV and a message naming FILE:LINE and the interface when one is
 * missing.
 */
int fwd_ruleset_resolve(struct fwd_ruleset *rs, char *err, size_t errlen);

/*
 * Fill the maps of a loaded fwd object (fwd_rules, fwd_src4/dst4/src6/dst6,
 * fwd_neigh, fwd_ports) from a resolved ruleset.
 */
int fwd_ruleset_apply(const struct fwd_ruleset *rs, struct bpf_object *obj,
		      char *err, size_t errlen);

/*
 * Inspection of a parsed ruleset and the compiler behind
 * fwd_ruleset_apply(), exposed for the unit tests and `ppxdp rules`.
 */

/* An IP prefix in network form (host bits zero); family 0 = no prefix. */
struct fwd_prefix {
	__u8 family; /* 0, 4 or 6 */
	__u8 len;
	__u8 addr[16]; /* IPv4 in the first 4 bytes */
};

struct fwd_rule_spec {
	unsigned int line;
	char in_ifname[FWD_IFNAMSIZ];  /* "" = any ingress */
	char out_ifname[FWD_IFNAMSIZ]; /* redirect egress */
	struct fwd_prefix src, dst;
	struct fwd_rule rule; /* map value; ifindexes set by resolve */
};

struct fwd_neigh_spec {
	unsigned int line;
	char ifname[FWD_IFNAMSIZ];
	struct fwd_neigh_key key; /* key.ifindex set by resolve */
	struct fwd_neigh val;	  /* val.smac set by resolve */
};

/* The parsed file. Read it through the accessors; rules_*.c only. */
struct fwd_ruleset {
	char *name; /* FILE in messages */
	struct fwd_rule_spec *rules;
	size_t nr_rules, cap_rules;
	struct fwd_neigh_spec *neigh;
	size_t nr_neigh, cap_neigh;
	__u32 default_action, nonip_action;
	unsigned int default_line, nonip_line; /* 0 = not in the file */
	bool resolved;
};

/* Rule i (priority order) and neighbour i (file order), NULL past the end. */
const struct fwd_rule_spec *fwd_ruleset_rule(const struct fwd_ruleset *rs,
					     size_t i);
const struct fwd_neigh_spec *fwd_ruleset_neigh(const struct fwd_ruleset *rs,
					       size_t i);
/* Address family a rule applies to: 4, 6, or 0 for both. */
int fwd_rule_family(const struct fwd_rule_spec *r);

/* Action keyword ("drop", "pass", "tx", "redirect") of an XDP action. */
const char *fwd_action_name(__u32 action);
/* Protocol keyword of an IPPROTO_* number, NULL when it has none. */
const char *fwd_proto_name(__u8 proto);
/* The rule in rules file syntax ("redirect r3 via 10.3.0.1 dst ..."). */
int fwd_rule_spec_str(const struct fwd_rule_spec *r, char *buf, size_t len);
/* "10.0.0.0/8", "2001:db8::/32"; a host prefix prints without /len. */
int fwd_prefix_str(const struct fwd_prefix *p, char *buf, size_t len);

enum fwd_trie_id {
	FWD_TRIE_SRC4,
	FWD_TRIE_DST4,
	FWD_TRIE_SRC6,
	FWD_TRIE_DST6,
	FWD_NR_TRIES,
};

/* Map name of each trie: "fwd_src4", "fwd_dst4", "fwd_src6", "fwd_dst6". */
extern const char *const fwd_trie_map_name[FWD_NR_TRIES];

/*
 * One LPM trie: entry 0 is the /0, the others are the distinct prefixes of
 * the rules in (address, length) order. The bitmap of entry e is
 * words[e * nr_words .. (e + 1) * nr_words).
 */
struct fwd_trie {
	size_t nr_entries;
	struct fwd_prefix *prefix;
	__u64 *words;
};

/* Everything fwd_ruleset_apply() writes, in map order. */
struct fwd_compiled {
	__u32 nr_rules;
	__u32 nr_words; /* ceil(nr_rules / 64) */
	struct fwd_rule *rules;
	struct fwd_trie trie[FWD_NR_TRIES];
	__u32 nr_neigh;
	struct fwd_neigh_key *neigh_key;
	struct fwd_neigh *neigh_val;
	__u32 nr_ports;
	__u32 *ports; /* distinct redirect egress ifindexes, ascending */
};

/* Pure: no BPF, no interface look-ups. Returns 0 or -ENOMEM. */
int fwd_ruleset_compile(const struct fwd_ruleset *rs, struct fwd_compiled *c);
void fwd_compiled_free(struct fwd_compiled *c);
/* Bitmap of entry e of trie t. */
const __u64 *fwd_trie_bitmap(const struct fwd_compiled *c, enum fwd_trie_id t,
			     size_t e);
/* Index of prefix p in trie t, or -1. */
long fwd_trie_find(const struct fwd_compiled *c, enum fwd_trie_id t,
		   const struct fwd_prefix *p);

/*
 * The inverse, for `ppxdp rules show`: rule specs (prefixes and map
 * values, interface names left empty) from compiled tables, e.g. read back
 * from the maps. specs has c->nr_rules elements. A rule of one family
 * without prefixes comes back with the /0 of its family as dst. Rules in no
 * trie (they cannot match) are counted in *nr_dead, with no prefixes.
 */
int fwd_compiled_decompile(const struct fwd_compiled *c,
			   struct fwd_rule_spec *specs, size_t *nr_dead);

/* File descriptors of the maps fwd_compiled_write() fills. */
struct fwd_map_fds {
	int rules;
	int trie[FWD_NR_TRIES];
	int neigh;
	int ports;
};

/* Write a compiled ruleset into (empty) maps. */
int fwd_compiled_write(const struct fwd_compiled *c,
		       const struct fwd_map_fds *fds, char *err,
		       size_t errlen);

#endif /* PPXDP_RULES_H */
