// SPDX-License-Identifier: GPL-2.0
/*
 * ppxdp rules: check a rules file, and show the rules a fwd program runs.
 *
 * `show` reads everything back from the maps pinned under
 * /sys/fs/bpf/ppxdp/IF[@NSINO]/: the rule values from fwd_rules, each
 * rule's prefixes from the LPM tries (the shortest entry whose bitmap has
 * the rule's bit, see fwd_compiled_decompile()), neighbours from fwd_neigh,
 * counters from fwd_rule_stats, and the default and non-IP actions from the
 * .rodata of the attached program. So it shows what is loaded, not what a
 * file says.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "main.h"
#include "options.h"
#include "pins.h"
#include "rules.h"
#include "xdp_stats.h"

struct rules_check_opts {
	const char *file;
	bool resolve;
};

static const struct opt_spec rules_check_specs[] = {
	{ .name = "FILE", .type = OPT_STRING,
	  .flags = OPT_POSITIONAL | OPT_REQUIRED,
	  .offset = offsetof(struct rules_check_opts, file),
	  .help = "rules file (syntax: docs/rules.md), - for stdin" },
	{ .name = "resolve", .type = OPT_BOOL,
	  .offset = offsetof(struct rules_check_opts, resolve),
	  .help = "also look the interfaces up in this network namespace" },
	{ NULL },
};

static const struct opt_cmd rules_check_cmd = {
	.name = "rules check",
	.summary = "Check a fwd rules file and print what it holds.",
	.specs = rules_check_specs,
};

struct rules_show_opts {
	const char *ifname;
};

static const struct opt_spec rules_show_specs[] = {
	{ .name = "IF", .type = OPT_STRING,
	  .flags = OPT_POSITIONAL | OPT_REQUIRED,
	  .offset = offsetof(struct rules_show_opts, ifname),
	  .help = "interface that ppxdp attached fwd to" },
	{ NULL },
};

static const struct opt_cmd rules_show_cmd = {
	.name = "rules show",
	.summary = "Show the rules, neighbours and per-rule counters of fwd on IF.",
	.specs = rules_show_specs,
};

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void mac_str(const __u8 *mac, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
}

/* --- check --------------------------------------------------------------- */

static int do_check(int argc, char **argv)
{
	struct rules_check_opts o = {};
	struct fwd_ruleset *rs;
	char err[512];
	size_t nr, nn;
	int ret;

	ret = opts_parse(&rules_check_cmd, &o, argc, argv);
	if (ret)
		return ret == OPTS_HELP ? 0 : ret;

	rs = fwd_ruleset_parse_file(o.file, err, sizeof(err));
	if (!rs) {
		ret = -errno;
		p_err("%s", err);
		return ret;
	}
	if (o.resolve) {
		ret = fwd_ruleset_resolve(rs, err, sizeof(err));
		if (ret == -ENODEV)
			p_err("%s in this network namespace (see 'ip link'; -n NAME selects another)",
			      err);
		else if (ret)
			p_err("%s", err);
		if (ret)
			goto out;
	}

	nr = fwd_ruleset_nr_rules(rs);
	nn = fwd_ruleset_nr_neigh(rs);
	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "file", o.file);
		jsonw_uint_field(json_wtr, "rules", nr);
		jsonw_uint_field(json_wtr, "neighbours", nn);
		jsonw_string_field(json_wtr, "default",
				   fwd_action_name(fwd_ruleset_default_action(rs)));
		jsonw_string_field(json_wtr, "nonip",
				   fwd_action_name(fwd_ruleset_nonip_action(rs)));
		jsonw_bool_field(json_wtr, "resolved", o.resolve);
		jsonw_end_object(json_wtr);
	} else {
		printf("%s: %zu %s, %zu %s, default %s, nonip %s%s\n", o.file,
		       nr, plural(nr, "rule", "rules"), nn,
		       plural(nn, "neighbour", "neighbours"),
		       fwd_action_name(fwd_ruleset_default_action(rs)),
		       fwd_action_name(fwd_ruleset_nonip_action(rs)),
		       o.resolve ? ", interfaces resolved" : "");
	}
out:
	fwd_ruleset_free(rs);
	return ret;
}

/* --- show: reading the pinned maps --------------------------------------- */

enum show_map {
	SM_RULES,
	SM_SRC4, /* SM_SRC4 + enum fwd_trie_id */
	SM_DST4,
	SM_SRC6,
	SM_DST6,
	SM_NEIGH,
	SM_STATS,
	NR_SHOW_MAPS,
};

static const char *const show_map_name[NR_SHOW_MAPS] = {
	[SM_RULES] = "fwd_rules",	[SM_SRC4] = "fwd_src4",
	[SM_DST4] = "fwd_dst4",		[SM_SRC6] = "fwd_src6",
	[SM_DST6] = "fwd_dst6",		[SM_NEIGH] = "fwd_neigh",
	[SM_STATS] = "fwd_rule_stats",
};

/* Names of the fwd_fib_stats slots (BPF_FIB_LKUP_RET_*, bpf/fwd.h). */
static const char *const fib_result_name[FWD_FIB_NR_RESULTS] = {
	[0] = "success",
	[1] = "blackhole",
	[2] = "unreachable",
	[3] = "prohibit",
	[4] = "not_forwarded",
	[5] = "forwarding_disabled",
	[6] = "unsupported_lwt",
	[7] = "no_neighbour",
	[8] = "frag_needed",
	[9] = "no_src_addr",
	[FWD_FIB_OTHER] = "other",
	[FWD_FIB_SKIPPED] = "skipped",
};

struct show_state {
	const char *ifname;
	char dir[PATH_MAX];
	int fd[NR_SHOW_MAPS];
	int fib_fd; /* fwd_fib_stats, -1 when the pins predate it */
	struct fwd_compiled c; /* as read back; no ports */
	struct fwd_rule_spec *specs;
	struct ppxdp_ctr *ctr; /* per rule, summed over CPUs */
	struct ppxdp_ctr fib[FWD_FIB_NR_RESULTS]; /* summed over CPUs */
	bool have_actions;
	__u32 default_action, nonip_action;
};

static int open_pinned_maps(struct show_state *s)
{
	struct ppxdp_attach_info info;
	char path[PATH_MAX + 32];
	int i, err;

	for (i = 0; i < NR_SHOW_MAPS; i++) {
		snprintf(path, sizeof(path), "%s/%s", s->dir, show_map_name[i]);
		s->fd[i] = bpf_obj_get(path);
		if (s->fd[i] >= 0)
			continue;
		err = -errno;
		if (err == -ENOENT && i == SM_RULES && access(s->dir, F_OK))
			p_err("nothing attached to %s by ppxdp in this network namespace (no %s): attach with '%s attach %s fwd --rules FILE'",
			      s->ifname, s->dir, bin_name, s->ifname);
		else if (err == -ENOENT && i == SM_RULES &&
			 !pin_dir_read_info(s->dir, &info))
			p_err("%s runs '%.*s', not fwd: only fwd has rules",
			      s->ifname, (int)sizeof(info.prog), info.prog);
		else if (err == -ENOENT && i == SM_RULES)
			p_err("the program on %s is not fwd (no %s in %s): only fwd has rules",
			      s->ifname, show_map_name[i], s->dir);
		else
			p_err("cannot open %s: %s", path, strerror(-err));
		return err;
	}
	return 0;
}

static void close_pinned_maps(struct show_state *s)
{
	int i;

	for (i = 0; i < NR_SHOW_MAPS; i++)
		if (s->fd[i] >= 0)
			close(s->fd[i]);
	if (s->fib_fd >= 0)
		close(s->fib_fd);
}

/* Rules are dense from id 0; an all-zero value (action 0) ends the list. */
static int read_rules(struct show_state *s)
{
	struct fwd_rule r;
	__u32 i;

	s->c.rules = calloc(FWD_MAX_RULES, sizeof(*s->c.rules));
	if (!s->c.rules)
		return -ENOMEM;
	for (i = 0; i < FWD_MAX_RULES; i++) {
		if (bpf_map_lookup_elem(s->fd[SM_RULES], &i, &r)) {
			if (errno == ENOENT)
				break;
			p_err("cannot read rule %u from fwd_rules: %s", i,
			      strerror(errno));
			return -errno;
		}
		if (!r.action)
			break;
		s->c.rules[i] = r;
	}
	s->c.nr_rules = i;
	s->c.nr_words = (i + 63) / 64;
	return 0;
}

static int read_trie(struct show_state *s, enum fwd_trie_id t)
{
	struct fwd_trie *trie = &s->c.trie[t];
	int fd = s->fd[SM_SRC4 + t];
	size_t alen = t <= FWD_TRIE_DST4 ? 4 : 16, cap = 0, nw = s->c.nr_words;
	__u8 key[20], next[20];
	struct fwd_bitmap bm;
	void *prev = NULL, *n;
	__u32 plen;

	while (!bpf_map_get_next_key(fd, prev, next)) {
		memcpy(key, next, sizeof(key));
		prev = key;
		if (bpf_map_lookup_elem(fd, key, &bm))
			continue; /* raced with an update */
		if (trie->nr_entries == cap) {
			cap = cap ? cap * 2 : 64;
			n = realloc(trie->prefix, cap * sizeof(*trie->prefix));
			if (!n)
				return -ENOMEM;
			trie->prefix = n;
			n = realloc(trie->words, (cap * nw ?: 1) * sizeof(__u64));
			if (!n)
				return -ENOMEM;
			trie->words = n;
		}
		memcpy(&plen, key, sizeof(plen));
		trie->prefix[trie->nr_entries] = (struct fwd_prefix){
			.family = alen == 4 ? 4 : 6,
			.len = plen,
		};
		memcpy(trie->prefix[trie->nr_entries].addr, key + 4, alen);
		memcpy(&trie->words[trie->nr_entries * nw], bm.w,
		       nw * sizeof(__u64));
		trie->nr_entries++;
	}
	if (errno != ENOENT) {
		p_err("cannot walk %s: %s", fwd_trie_map_name[t],
		      strerror(errno));
		return -errno;
	}
	return 0;
}

static int neigh_key_cmp(const void *x, const void *y)
{
	return memcmp(x, y, sizeof(struct fwd_neigh_key));
}

/* fwd_neigh in (ifindex, family, address) order. */
static int read_neigh(struct show_state *s)
{
	struct fwd_neigh_key key, next, *keys = NULL;
	struct fwd_neigh *vals;
	size_t n = 0, i;
	void *prev = NULL;

	keys = calloc(FWD_MAX_NEIGH, sizeof(*keys));
	vals = calloc(FWD_MAX_NEIGH, sizeof(*vals));
	s->c.neigh_key = keys;
	s->c.neigh_val = vals;
	if (!keys || !vals)
		return -ENOMEM;
	while (n < FWD_MAX_NEIGH &&
	       !bpf_map_get_next_key(s->fd[SM_NEIGH], prev, &next)) {
		key = next;
		prev = &key;
		keys[n++] = key;
	}
	qsort(keys, n, sizeof(*keys), neigh_key_cmp);
	for (i = 0; i < n; i++) {
		if (bpf_map_lookup_elem(s->fd[SM_NEIGH], &keys[i], &vals[i])) {
			p_err("cannot read fwd_neigh: %s", strerror(errno));
			return -errno;
		}
	}
	s->c.nr_neigh = n;
	return 0;
}

/* Sum entry key of a per-CPU struct ppxdp_ctr map; 0 when unreadable. */
static void sum_percpu_ctr(int fd, __u32 key, struct ppxdp_ctr *percpu,
			   int ncpu, struct ppxdp_ctr *sum)
{
	int cpu;

	if (bpf_map_lookup_elem(fd, &key, percpu))
		return;
	for (cpu = 0; cpu < ncpu; cpu++) {
		sum->packets += percpu[cpu].packets;
		sum->bytes += percpu[cpu].bytes;
	}
}

static int read_counters(struct show_state *s)
{
	int ncpu = libbpf_num_possible_cpus();
	struct ppxdp_ctr *percpu;
	char path[PATH_MAX + 32];
	__u32 i;

	if (ncpu < 0) {
		p_err("cannot count CPUs: %s", strerror(-ncpu));
		return ncpu;
	}
	percpu = calloc(ncpu, sizeof(*percpu));
	s->ctr = calloc(s->c.nr_rules ?: 1, sizeof(*s->ctr));
	if (!percpu || !s->ctr) {
		free(percpu);
		return -ENOMEM;
	}
	for (i = 0; i < s->c.nr_rules; i++)
		sum_percpu_ctr(s->fd[SM_STATS], i, percpu, ncpu, &s->ctr[i]);

	/* Optional: pins of an older fwd have no fwd_fib_stats. */
	snprintf(path, sizeof(path), "%s/fwd_fib_stats", s->dir);
	s->fib_fd = bpf_obj_get(path);
	for (i = 0; s->fib_fd >= 0 && i < FWD_FIB_NR_RESULTS; i++)
		sum_percpu_ctr(s->fib_fd, i, percpu, ncpu, &s->fib[i]);
	free(percpu);
	return 0;
}

static bool has_route_rules(const struct show_state *s)
{
	__u32 i;

	for (i = 0; i < s->c.nr_rules; i++)
		if (s->c.rules[i].action == FWD_ACTION_ROUTE)
			return true;
	return false;
}

/* default_action and nonip_action from a .rodata map, by BTF name. */
static bool rodata_actions(int map_fd, const struct bpf_map_info *mi,
			   __u32 *def, __u32 *nonip)
{
	const struct btf_var_secinfo *vsi;
	const struct btf_type *sec;
	struct btf *btf;
	int found = 0, i;
	__u32 zero = 0;
	__u8 *val;

	btf = btf__load_from_kernel_by_id(mi->btf_id);
	if (!btf)
		return false;
	val = calloc(1, mi->value_size);
	sec = btf__type_by_id(btf, mi->btf_value_type_id);
	if (!val || !sec || !btf_is_datasec(sec) ||
	    bpf_map_lookup_elem(map_fd, &zero, val))
		goto out;
	vsi = btf_var_secinfos(sec);
	for (i = 0; i < btf_vlen(sec); i++, vsi++) {
		const struct btf_type *var = btf__type_by_id(btf, vsi->type);
		const char *name = var ? btf__name_by_offset(btf, var->name_off) : NULL;
		__u32 *dst = NULL;

		if (!name || vsi->size != sizeof(__u32) ||
		    vsi->offset + sizeof(__u32) > mi->value_size)
			continue;
		if (!strcmp(name, "default_action"))
			dst = def;
		else if (!strcmp(name, "nonip_action"))
			dst = nonip;
		if (dst) {
			memcpy(dst, val + vsi->offset, sizeof(*dst));
			found++;
		}
	}
out:
	free(val);
	btf__free(btf);
	return found == 2;
}

/* The actions live in the attached program's read-only data. */
static void read_actions(struct show_state *s)
{
	struct bpf_prog_info pi = {};
	struct pinned_link pl;
	__u32 ids[64], len = sizeof(pi), i;
	int prog_fd;

	if (pinned_link_open(s->dir, &pl) || !pl.prog_id)
		goto out_link;
	prog_fd = bpf_prog_get_fd_by_id(pl.prog_id);
	if (prog_fd < 0)
		goto out_link;
	pi.nr_map_ids = sizeof(ids) / sizeof(ids[0]);
	pi.map_ids = (__u64)(unsigned long)ids;
	if (bpf_obj_get_info_by_fd(prog_fd, &pi, &len))
		goto out_prog;
	for (i = 0; i < pi.nr_map_ids && i < sizeof(ids) / sizeof(ids[0]) &&
		    !s->have_actions; i++) {
		struct bpf_map_info mi = {};
		__u32 mlen = sizeof(mi);
		int fd = bpf_map_get_fd_by_id(ids[i]);

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &mi, &mlen) &&
		    strstr(mi.name, ".rodata") && mi.btf_id)
			s->have_actions = rodata_actions(fd, &mi,
							 &s->default_action,
							 &s->nonip_action);
		close(fd);
	}
out_prog:
	close(prog_fd);
out_link:
	pinned_link_close(&pl);
}

static void ifname_of(__u32 ifindex, char *buf)
{
	char name[IF_NAMESIZE];

	if (if_indextoname(ifindex, name))
		snprintf(buf, FWD_IFNAMSIZ, "%s", name);
	else
		snprintf(buf, FWD_IFNAMSIZ, "if%u", ifindex);
}

static int load_show_state(struct show_state *s)
{
	size_t i, nr_dead;
	int t, err;

	err = open_pinned_maps(s);
	if (err)
		return err;
	err = read_rules(s);
	for (t = 0; t < FWD_NR_TRIES && !err; t++)
		err = read_trie(s, t);
	if (!err)
		err = read_neigh(s);
	if (!err)
		err = read_counters(s);
	if (err == -ENOMEM)
		p_err("out of memory");
	if (err)
		return err;

	s->specs = calloc(s->c.nr_rules ?: 1, sizeof(*s->specs));
	if (!s->specs) {
		p_err("out of memory");
		return -ENOMEM;
	}
	err = fwd_compiled_decompile(&s->c, s->specs, &nr_dead);
	if (err) {
		p_err("out of memory");
		return err;
	}
	if (nr_dead)
		p_warn("%zu %s in no LPM trie and can never match: the maps of %s were changed by hand",
		       nr_dead, plural(nr_dead, "rule is", "rules are"), s->dir);
	for (i = 0; i < s->c.nr_rules; i++) {
		struct fwd_rule_spec *r = &s->specs[i];

		if (r->rule.ifindex)
			ifname_of(r->rule.ifindex, r->in_ifname);
		if (r->rule.action == XDP_REDIRECT)
			ifname_of(r->rule.redirect_ifindex, r->out_ifname);
	}
	read_actions(s);
	return 0;
}

/* --- show: output -------------------------------------------------------- */

static void neigh_strs(const struct fwd_neigh_key *k, char *ifname,
		       char *addr, size_t alen)
{
	ifname_of(k->ifindex, ifname);
	if (!inet_ntop(k->family == 4 ? AF_INET : AF_INET6, k->addr, addr, alen))
		snprintf(addr, alen, "?");
}

static void show_rule_json(const struct show_state *s, __u32 i)
{
	const struct fwd_rule_spec *r = &s->specs[i];
	const struct fwd_rule *k = &r->rule;
	char buf[512];

	jsonw_start_object(json_wtr);
	jsonw_uint_field(json_wtr, "id", i);
	if (!fwd_rule_spec_str(r, buf, sizeof(buf)))
		jsonw_string_field(json_wtr, "rule", buf);
	jsonw_string_field(json_wtr, "action", fwd_action_name(k->action) ?: "?");
	if (k->action == XDP_REDIRECT) {
		jsonw_string_field(json_wtr, "redirect", r->out_ifname);
		jsonw_uint_field(json_wtr, "redirect_ifindex", k->redirect_ifindex);
	}
	if (k->flags & FWD_RULE_NH) {
		inet_ntop(k->nh_family == 4 ? AF_INET : AF_INET6, k->nh_addr,
			  buf, sizeof(buf));
		jsonw_string_field(json_wtr, "via", buf);
	}
	if (k->ifindex) {
		jsonw_string_field(json_wtr, "in", r->in_ifname);
		jsonw_uint_field(json_wtr, "in_ifindex", k->ifindex);
	}
	if (k->flags & FWD_RULE_DMAC) {
		mac_str(k->dmac, buf, sizeof(buf));
		jsonw_string_field(json_wtr, "dmac", buf);
	}
	if (r->src.family && !fwd_prefix_str(&r->src, buf, sizeof(buf)))
		jsonw_string_field(json_wtr, "src", buf);
	if (r->dst.family && !fwd_prefix_str(&r->dst, buf, sizeof(buf)))
		jsonw_string_field(json_wtr, "dst", buf);
	if (k->l4proto)
		jsonw_uint_field(json_wtr, "proto", k->l4proto);
	if (k->flags & FWD_RULE_SPORT) {
		jsonw_name(json_wtr, "sport");
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "min", k->sport_lo);
		jsonw_uint_field(json_wtr, "max", k->sport_hi);
		jsonw_end_object(json_wtr);
	}
	if (k->flags & FWD_RULE_DPORT) {
		jsonw_name(json_wtr, "dport");
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "min", k->dport_lo);
		jsonw_uint_field(json_wtr, "max", k->dport_hi);
		jsonw_end_object(json_wtr);
	}
	jsonw_uint_field(json_wtr, "packets", s->ctr[i].packets);
	jsonw_uint_field(json_wtr, "bytes", s->ctr[i].bytes);
	jsonw_end_object(json_wtr);
}

static void show_json(const struct show_state *s)
{
	char ifname[FWD_IFNAMSIZ], addr[INET6_ADDRSTRLEN], mac[18];
	__u32 i;

	jsonw_start_object(json_wtr);
	jsonw_string_field(json_wtr, "ifname", s->ifname);
	if (s->have_actions) {
		jsonw_string_field(json_wtr, "default",
				   fwd_action_name(s->default_action) ?: "?");
		jsonw_string_field(json_wtr, "nonip",
				   fwd_action_name(s->nonip_action) ?: "?");
	}
	jsonw_name(json_wtr, "neighbours");
	jsonw_start_array(json_wtr);
	for (i = 0; i < s->c.nr_neigh; i++) {
		const struct fwd_neigh_key *k = &s->c.neigh_key[i];

		neigh_strs(k, ifname, addr, sizeof(addr));
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "ifname", ifname);
		jsonw_uint_field(json_wtr, "ifindex", k->ifindex);
		jsonw_string_field(json_wtr, "addr", addr);
		mac_str(s->c.neigh_val[i].dmac, mac, sizeof(mac));
		jsonw_string_field(json_wtr, "lladdr", mac);
		mac_str(s->c.neigh_val[i].smac, mac, sizeof(mac));
		jsonw_string_field(json_wtr, "smac", mac);
		jsonw_end_object(json_wtr);
	}
	jsonw_end_array(json_wtr);
	jsonw_name(json_wtr, "rules");
	jsonw_start_array(json_wtr);
	for (i = 0; i < s->c.nr_rules; i++)
		show_rule_json(s, i);
	jsonw_end_array(json_wtr);
	if (s->fib_fd >= 0) {
		jsonw_name(json_wtr, "fib_lookups");
		jsonw_start_object(json_wtr);
		for (i = 0; i < FWD_FIB_NR_RESULTS; i++) {
			if (!fib_result_name[i])
				continue;
			jsonw_name(json_wtr, fib_result_name[i]);
			jsonw_start_object(json_wtr);
			jsonw_uint_field(json_wtr, "packets", s->fib[i].packets);
			jsonw_uint_field(json_wtr, "bytes", s->fib[i].bytes);
			jsonw_end_object(json_wtr);
		}
		jsonw_end_object(json_wtr);
	}
	jsonw_end_object(json_wtr);
}

/* The outcomes of route rules' FIB lookups, as comments. */
static void show_fib_text(const struct show_state *s)
{
	__u32 i;

	if (s->fib_fd < 0 || !has_route_rules(s))
		return;
	printf("# route lookups:");
	for (i = 0; i < FWD_FIB_NR_RESULTS; i++)
		if (fib_result_name[i] && (i == 0 || s->fib[i].packets))
			printf(" %s %llu", fib_result_name[i],
			       (unsigned long long)s->fib[i].packets);
	printf("\n");
}

/*
 * Rules file syntax, so the output can be read back, with the id and
 * counters of each rule in a trailing comment.
 */
static void show_text(const struct show_state *s)
{
	char ifname[FWD_IFNAMSIZ], addr[INET6_ADDRSTRLEN], mac[18], buf[512];
	int width = 0, n, idw;
	__u32 i;

	printf("# fwd on %s: %u %s, %u %s\n", s->ifname, s->c.nr_rules,
	       plural(s->c.nr_rules, "rule", "rules"), s->c.nr_neigh,
	       plural(s->c.nr_neigh, "neighbour", "neighbours"));
	if (s->have_actions)
		printf("default %s\nnonip %s\n",
		       fwd_action_name(s->default_action) ?: "?",
		       fwd_action_name(s->nonip_action) ?: "?");
	for (i = 0; i < s->c.nr_neigh; i++) {
		neigh_strs(&s->c.neigh_key[i], ifname, addr, sizeof(addr));
		mac_str(s->c.neigh_val[i].dmac, mac, sizeof(mac));
		printf("neigh %s %s lladdr %s\n", ifname, addr, mac);
	}
	for (i = 0; i < s->c.nr_rules; i++) {
		if (fwd_rule_spec_str(&s->specs[i], buf, sizeof(buf)))
			continue;
		n = strlen(buf);
		width = n > width ? n : width;
	}
	idw = snprintf(NULL, 0, "%u", s->c.nr_rules ? s->c.nr_rules - 1 : 0);
	for (i = 0; i < s->c.nr_rules; i++) {
		if (fwd_rule_spec_str(&s->specs[i], buf, sizeof(buf)))
			snprintf(buf, sizeof(buf), "# unknown action %u",
				 s->specs[i].rule.action);
		printf("%-*s  # %*u: %llu packets, %llu bytes\n", width, buf,
		       idw, i, (unsigned long long)s->ctr[i].packets,
		       (unsigned long long)s->ctr[i].bytes);
	}
	show_fib_text(s);
}

static int do_show(int argc, char **argv)
{
	struct rules_show_opts o = {};
	struct show_state s = { .fib_fd = -1 };
	int i, err;

	for (i = 0; i < NR_SHOW_MAPS; i++)
		s.fd[i] = -1;
	err = opts_parse(&rules_show_cmd, &o, argc, argv);
	if (err)
		return err == OPTS_HELP ? 0 : err;
	s.ifname = o.ifname;
	err = bpffs_prepare(false);
	if (err)
		return err;
	err = iface_pin_dir(o.ifname, s.dir, sizeof(s.dir));
	if (err == -ENAMETOOLONG)
		p_err("interface name '%s' is too long", o.ifname);
	if (err)
		return err;

	err = load_show_state(&s);
	if (!err && json_output)
		show_json(&s);
	else if (!err)
		show_text(&s);
	close_pinned_maps(&s);
	fwd_compiled_free(&s.c);
	free(s.specs);
	free(s.ctr);
	return err;
}

/* --- dispatch ------------------------------------------------------------ */

static int do_help(int argc, char **argv)
{
	if (json_output) {
		jsonw_null(json_wtr);
		return 0;
	}
	fputs("Usage: ", stderr);
	opts_synopsis(&rules_check_cmd, stderr);
	fputs("       ", stderr);
	opts_synopsis(&rules_show_cmd, stderr);
	fprintf(stderr,
		"       %s rules help\n"
		"\n"
		"       FILE: the rules of the fwd program, see docs/rules.md\n"
		"       '%s rules COMMAND --help' describes each command.\n",
		bin_name, bin_name);
	return 0;
}

static const struct cmd rules_cmds[] = {
	{ "check", do_check },
	{ "show",  do_show },
	{ "list",  do_show },
	{ "help",  do_help },
	{ 0 }
};

int do_rules(int argc, char **argv)
{
	return cmd_select(rules_cmds, argc, argv, do_help);
}
