/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rules files for the fwd program: parsing (pure, unit-tested), name
 * resolution in the current network namespace, and loading into the maps of
 * a loaded fwd object (see bpf/fwd.h for the map layouts).
 */
#ifndef PPXDP_RULES_H
#define PPXDP_RULES_H

#include <stddef.h>
#include <linux/types.h>

struct bpf_object;
struct fwd_ruleset;

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

#endif /* PPXDP_RULES_H */
