// SPDX-License-Identifier: GPL-2.0
/*
 * From a parsed ruleset to the maps of the fwd program (bpf/fwd.h):
 *
 *   fwd_ruleset_resolve()  interface names -> ifindex and MAC address in
 *                          the current network namespace
 *   fwd_ruleset_compile()  pure: rule array, one {prefix, bitmap} table per
 *                          LPM trie, neighbour and port entries
 *   fwd_compiled_write()   those tables into map file descriptors
 *   fwd_ruleset_apply()    the three above on a loaded bpf_object
 *
 * Trie compilation: the prefixes of one family and direction form a laminar
 * family (two prefixes are nested or disjoint). Sorted by (address, length),
 * a covering prefix comes before everything it covers, so a stack walk
 * finds each entry's closest covering entry, and the entry's bitmap is its
 * parent's plus the rules that own exactly this prefix. The /0 entry holds
 * the rules without a prefix for the field and so reaches every entry.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "rules.h"

const char *const fwd_trie_map_name[FWD_NR_TRIES] = {
	[FWD_TRIE_SRC4] = "fwd_src4",
	[FWD_TRIE_DST4] = "fwd_dst4",
	[FWD_TRIE_SRC6] = "fwd_src6",
	[FWD_TRIE_DST6] = "fwd_dst6",
};

/* Entries per bpf_map_update_batch() call for the tries (~2 KiB each). */
#define FWD_BATCH 512

static void __attribute__((format(printf, 3, 4)))
set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int trie_family(enum fwd_trie_id t)
{
	return t == FWD_TRIE_SRC4 || t == FWD_TRIE_DST4 ? 4 : 6;
}

static bool trie_is_dst(enum fwd_trie_id t)
{
	return t == FWD_TRIE_DST4 || t == FWD_TRIE_DST6;
}

/* --- resolve ------------------------------------------------------------ */

struct iface {
	char name[FWD_IFNAMSIZ];
	int ifindex;
	unsigned short hwtype; /* ARPHRD_* */
	__u8 mac[6];
};

struct iface_cache {
	int sock;
	struct iface *ifs;
	size_t nr, cap;
};

/* Index and hardware address of a name, each asked once. */
static int iface_lookup(struct iface_cache *ic, const char *name,
			const struct iface **out)
{
	struct ifreq ifr = {};
	struct iface *ifc, *n;
	size_t i;

	for (i = 0; i < ic->nr; i++) {
		if (!strcmp(ic->ifs[i].name, name)) {
			*out = &ic->ifs[i];
			return 0;
		}
	}
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	if (ioctl(ic->sock, SIOCGIFINDEX, &ifr))
		return -errno;
	if (ic->nr == ic->cap) {
		size_t cap = ic->cap ? ic->cap * 2 : 16;

		n = realloc(ic->ifs, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		ic->ifs = n;
		ic->cap = cap;
	}
	ifc = &ic->ifs[ic->nr];
	memset(ifc, 0, sizeof(*ifc));
	strcpy(ifc->name, name);
	ifc->ifindex = ifr.ifr_ifindex;
	if (ioctl(ic->sock, SIOCGIFHWADDR, &ifr))
		return -errno;
	ifc->hwtype = ifr.ifr_hwaddr.sa_family;
	memcpy(ifc->mac, ifr.ifr_hwaddr.sa_data, sizeof(ifc->mac));
	ic->nr++;
	*out = ifc;
	return 0;
}

static int resolve_name(struct iface_cache *ic, const struct fwd_ruleset *rs,
			unsigned int line, const char *name,
			const struct iface **out, char *err, size_t errlen)
{
	int ret = iface_lookup(ic, name, out);

	if (ret == -ENODEV)
		set_err(err, errlen, "%s:%u: unknown interface '%s'", rs->name,
			line, name);
	else if (ret)
		set_err(err, errlen, "%s:%u: cannot look up interface '%s': %s",
			rs->name, line, name, strerror(-ret));
	return ret;
}

int fwd_ruleset_resolve(struct fwd_ruleset *rs, char *err, size_t errlen)
{
	struct iface_cache ic = {};
	const struct iface *ifc;
	size_t i;
	int ret = 0;

	ic.sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ic.sock < 0) {
		ret = -errno;
		set_err(err, errlen, "%s: socket: %s", rs->name, strerror(-ret));
		return ret;
	}
	for (i = 0; i < rs->nr_rules && !ret; i++) {
		struct fwd_rule_spec *r = &rs->rules[i];

		if (r->in_ifname[0]) {
			ret = resolve_name(&ic, rs, r->line, r->in_ifname, &ifc,
					   err, errlen);
			if (ret)
				break;
			r->rule.ifindex = ifc->ifindex;
		}
		if (r->out_ifname[0]) {
			ret = resolve_name(&ic, rs, r->line, r->out_ifname, &ifc,
					   err, errlen);
			if (ret)
				break;
			r->rule.redirect_ifindex = ifc->ifindex;
		}
	}
	for (i = 0; i < rs->nr_neigh && !ret; i++) {
		struct fwd_neigh_spec *n = &rs->neigh[i];

		ret = resolve_name(&ic, rs, n->line, n->ifname, &ifc, err,
				   errlen);
		if (ret)
			break;
		if (ifc->hwtype != ARPHRD_ETHER) {
			set_err(err, errlen,
				"%s:%u: interface '%s' is not Ethernet: neigh entries rewrite Ethernet headers",
				rs->name, n->line, n->ifname);
			ret = -EINVAL;
			break;
		}
		n->key.ifindex = ifc->ifindex;
		memcpy(n->val.smac, ifc->mac, sizeof(n->val.smac));
	}
	close(ic.sock);
	free(ic.ifs);
	rs->resolved = !ret;
	return ret;
}

/* --- compile ------------------------------------------------------------ */

struct owned_prefix {
	struct fwd_prefix pfx;
	__u32 rule;
};

static int prefix_cmp(const struct fwd_prefix *a, const struct fwd_prefix *b)
{
	int c = memcmp(a->addr, b->addr, sizeof(a->addr));

	if (c)
		return c;
	return (int)a->len - (int)b->len;
}

static int owned_cmp(const void *x, const void *y)
{
	const struct owned_prefix *a = x, *b = y;
	int c = prefix_cmp(&a->pfx, &b->pfx);

	if (c)
		return c;
	return a->rule < b->rule ? -1 : a->rule > b->rule;
}

/* Does a cover b? Both in network form. */
static bool prefix_covers(const struct fwd_prefix *a,
			  const struct fwd_prefix *b)
{
	unsigned int full = a->len / 8, rem = a->len % 8;

	if (a->len > b->len || memcmp(a->addr, b->addr, full))
		return false;
	return !rem || !((a->addr[full] ^ b->addr[full]) & (0xff00 >> rem));
}

static void set_bit64(__u64 *w, __u32 bit)
{
	w[bit / 64] |= 1ULL << (bit % 64);
}

static void *alloc_array(size_t nr, size_t size)
{
	return calloc(nr ? nr : 1, size);
}

static int compile_trie(const struct fwd_ruleset *rs, struct fwd_compiled *c,
			enum fwd_trie_id t)
{
	struct fwd_trie *trie = &c->trie[t];
	int fam = trie_family(t);
	bool dst = trie_is_dst(t);
	size_t nw = c->nr_words, nr_own = 0, nr_ent = 1, top, i, e;
	struct owned_prefix *own;
	size_t *stack = NULL;
	int ret = -ENOMEM;

	own = alloc_array(rs->nr_rules, sizeof(*own));
	if (!own)
		return -ENOMEM;
	for (i = 0; i < rs->nr_rules; i++) {
		const struct fwd_rule_spec *r = &rs->rules[i];
		const struct fwd_prefix *p = dst ? &r->dst : &r->src;
		int rf = fwd_rule_family(r);

		if (rf && rf != fam)
			continue;
		own[nr_own].pfx = *p;
		if (!p->family) /* wildcard: a /0 of this family */
			own[nr_own].pfx = (struct fwd_prefix){ .family = fam };
		own[nr_own++].rule = i;
	}
	qsort(own, nr_own, sizeof(*own), owned_cmp);
	for (i = 0; i < nr_own; i++)
		if (own[i].pfx.len &&
		    (i == 0 || prefix_cmp(&own[i].pfx, &own[i - 1].pfx)))
			nr_ent++;

	trie->prefix = alloc_array(nr_ent, sizeof(*trie->prefix));
	trie->words = alloc_array(nr_ent * nw, sizeof(__u64));
	stack = alloc_array(nr_ent, sizeof(*stack));
	if (!trie->prefix || !trie->words || !stack)
		goto out;

	/* Entry 0 is the /0; its owners sort first. */
	trie->prefix[0] = (struct fwd_prefix){ .family = fam };
	stack[0] = 0;
	top = 0;
	e = 0;
	for (i = 0; i < nr_own; i++) {
		const struct fwd_prefix *p = &own[i].pfx;

		if (p->len && (e == 0 || prefix_cmp(p, &trie->prefix[e]))) {
			e++;
			trie->prefix[e] = *p;
			while (!prefix_covers(&trie->prefix[stack[top]], p))
				top--;
			memcpy(&trie->words[e * nw], &trie->words[stack[top] * nw],
			       nw * sizeof(__u64));
			stack[++top] = e;
		}
		set_bit64(&trie->words[e * nw], own[i].rule);
	}
	trie->nr_entries = nr_ent;
	ret = 0;
out:
	free(stack);
	free(own);
	return ret;
}

static int u32_cmp(const void *x, const void *y)
{
	__u32 a = *(const __u32 *)x, b = *(const __u32 *)y;

	return a < b ? -1 : a > b;
}

static int compile_ports(const struct fwd_ruleset *rs, struct fwd_compiled *c)
{
	size_t i, n = 0;

	c->ports = alloc_array(rs->nr_rules, sizeof(*c->ports));
	if (!c->ports)
		return -ENOMEM;
	for (i = 0; i < rs->nr_rules; i++)
		if (rs->rules[i].rule.action == XDP_REDIRECT)
			c->ports[n++] = rs->rules[i].rule.redirect_ifindex;
	qsort(c->ports, n, sizeof(*c->ports), u32_cmp);
	c->nr_ports = 0;
	for (i = 0; i < n; i++)
		if (!c->nr_ports || c->ports[c->nr_ports - 1] != c->ports[i])
			c->ports[c->nr_ports++] = c->ports[i];
	return 0;
}

int fwd_ruleset_compile(const struct fwd_ruleset *rs, struct fwd_compiled *c)
{
	size_t i;
	int t, ret;

	memset(c, 0, sizeof(*c));
	c->nr_rules = rs->nr_rules;
	c->nr_words = (rs->nr_rules + 63) / 64;
	c->rules = alloc_array(rs->nr_rules, sizeof(*c->rules));
	c->neigh_key = alloc_array(rs->nr_neigh, sizeof(*c->neigh_key));
	c->neigh_val = alloc_array(rs->nr_neigh, sizeof(*c->neigh_val));
	if (!c->rules || !c->neigh_key || !c->neigh_val) {
		ret = -ENOMEM;
		goto err_free;
	}
	for (i = 0; i < rs->nr_rules; i++)
		c->rules[i] = rs->rules[i].rule;
	c->nr_neigh = rs->nr_neigh;
	for (i = 0; i < rs->nr_neigh; i++) {
		c->neigh_key[i] = rs->neigh[i].key;
		c->neigh_val[i] = rs->neigh[i].val;
	}
	for (t = 0; t < FWD_NR_TRIES; t++) {
		ret = compile_trie(rs, c, t);
		if (ret)
			goto err_free;
	}
	ret = compile_ports(rs, c);
	if (ret)
		goto err_free;
	return 0;

err_free:
	fwd_compiled_free(c);
	return ret;
}

void fwd_compiled_free(struct fwd_compiled *c)
{
	int t;

	free(c->rules);
	free(c->neigh_key);
	free(c->neigh_val);
	free(c->ports);
	for (t = 0; t < FWD_NR_TRIES; t++) {
		free(c->trie[t].prefix);
		free(c->trie[t].words);
	}
	memset(c, 0, sizeof(*c));
}

const __u64 *fwd_trie_bitmap(const struct fwd_compiled *c, enum fwd_trie_id t,
			     size_t e)
{
	if (e >= c->trie[t].nr_entries)
		return NULL;
	return &c->trie[t].words[e * c->nr_words];
}

long fwd_trie_find(const struct fwd_compiled *c, enum fwd_trie_id t,
		   const struct fwd_prefix *p)
{
	const struct fwd_trie *trie = &c->trie[t];
	size_t lo = 0, hi = trie->nr_entries;

	if (p->family != trie_family(t))
		return -1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = prefix_cmp(&trie->prefix[mid], p);

		if (!cmp)
			return mid;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* --- write into maps ---------------------------------------------------- */

/* Check that a map fd has the layout this loader writes. */
static int check_map(int fd, const char *name, __u32 key_size,
		     __u32 value_size, __u32 alt_value_size, size_t nr,
		     char *err, size_t errlen)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	int ret;

	ret = bpf_obj_get_info_by_fd(fd, &info, &len);
	if (ret) {
		set_err(err, errlen, "cannot query map '%s': %s", name,
			strerror(-ret));
		return ret;
	}
	if (info.key_size != key_size ||
	    (info.value_size != value_size &&
	     info.value_size != alt_value_size)) {
		set_err(err, errlen,
			"map '%s' has key/value size %u/%u, expected %u/%u: the fwd object and ppxdp were built from different bpf/fwd.h",
			name, info.key_size, info.value_size, key_size,
			value_size);
		return -EINVAL;
	}
	if (nr > info.max_entries) {
		set_err(err, errlen,
			"map '%s' holds %u entries, the rules need %zu",
			name, info.max_entries, nr);
		return -E2BIG;
	}
	return 0;
}

/*
 * Batched update with a per-element fallback: kernels (or map types)
 * without batch support, and a precise error when one element fails.
 */
static int update_elems(int fd, const void *keys, size_t key_size,
			const void *vals, size_t val_size, size_t nr,
			size_t *failed)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = BPF_ANY);
	__u32 count = nr;
	size_t i = 0;
	int ret;

	if (!nr)
		return 0;
	ret = bpf_map_update_batch(fd, keys, vals, &count, &opts);
	if (!ret)
		return 0;
	if (count <= nr)
		i = count;
	for (; i < nr; i++) {
		ret = bpf_map_update_elem(fd, (const char *)keys + i * key_size,
					  (const char *)vals + i * val_size,
					  BPF_ANY);
		if (ret) {
			*failed = i;
			return ret;
		}
	}
	return 0;
}

static int write_rules(const struct fwd_compiled *c, int fd, char *err,
		       size_t errlen)
{
	size_t failed = 0;
	__u32 *keys;
	__u32 i;
	int ret;

	ret = check_map(fd, "fwd_rules", sizeof(__u32), sizeof(struct fwd_rule),
			0, c->nr_rules, err, errlen);
	if (ret)
		return ret;
	keys = alloc_array(c->nr_rules, sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	for (i = 0; i < c->nr_rules; i++)
		keys[i] = i;
	ret = update_elems(fd, keys, sizeof(*keys), c->rules,
			   sizeof(*c->rules), c->nr_rules, &failed);
	if (ret)
		set_err(err, errlen, "cannot write rule %zu into 'fwd_rules': %s",
			failed, strerror(-ret));
	free(keys);
	return ret;
}

static int write_trie(const struct fwd_compiled *c, enum fwd_trie_id t,
		      int fd, char *err, size_t errlen)
{
	const struct fwd_trie *trie = &c->trie[t];
	const char *name = fwd_trie_map_name[t];
	size_t alen = trie_family(t) == 4 ? 4 : 16;
	size_t key_size = sizeof(__u32) + alen;
	size_t chunk, e, i, failed = 0;
	struct fwd_bitmap *vals;
	char buf[64];
	__u8 *keys;
	int ret;

	ret = check_map(fd, name, key_size, sizeof(struct fwd_bitmap), 0,
			trie->nr_entries, err, errlen);
	if (ret)
		return ret;
	keys = calloc(FWD_BATCH, key_size);
	vals = calloc(FWD_BATCH, sizeof(*vals));
	if (!keys || !vals) {
		ret = -ENOMEM;
		goto out;
	}
	for (e = 0; e < trie->nr_entries; e += chunk) {
		chunk = trie->nr_entries - e;
		if (chunk > FWD_BATCH)
			chunk = FWD_BATCH;
		for (i = 0; i < chunk; i++) {
			const struct fwd_prefix *p = &trie->prefix[e + i];
			__u32 plen = p->len;

			memcpy(keys + i * key_size, &plen, sizeof(plen));
			memcpy(keys + i * key_size + sizeof(plen), p->addr, alen);
			vals[i].nr_words = c->nr_words;
			memcpy(vals[i].w, fwd_trie_bitmap(c, t, e + i),
			       c->nr_words * sizeof(__u64));
		}
		ret = update_elems(fd, keys, key_size, vals, sizeof(*vals),
				   chunk, &failed);
		if (ret) {
			fwd_prefix_str(&trie->prefix[e + failed], buf,
				       sizeof(buf));
			set_err(err, errlen, "cannot write %s into '%s': %s",
				buf, name, strerror(-ret));
			goto out;
		}
	}
out:
	free(keys);
	free(vals);
	return ret;
}

static int write_neigh(const struct fwd_compiled *c, int fd, char *err,
		       size_t errlen)
{
	size_t failed = 0;
	int ret;

	ret = check_map(fd, "fwd_neigh", sizeof(struct fwd_neigh_key),
			sizeof(struct fwd_neigh), 0, c->nr_neigh, err, errlen);
	if (ret)
		return ret;
	ret = update_elems(fd, c->neigh_key, sizeof(*c->neigh_key),
			   c->neigh_val, sizeof(*c->neigh_val), c->nr_neigh,
			   &failed);
	if (ret)
		set_err(err, errlen, "cannot write neighbour %zu into 'fwd_neigh': %s",
			failed, strerror(-ret));
	return ret;
}

static int write_ports(const struct fwd_compiled *c, int fd, char *err,
		       size_t errlen)
{
	struct bpf_devmap_val val = { .bpf_prog.fd = -1 };
	__u32 i;
	int ret;

	ret = check_map(fd, "fwd_ports", sizeof(__u32), sizeof(val),
			sizeof(val.ifindex), c->nr_ports, err, errlen);
	if (ret)
		return ret;
	for (i = 0; i < c->nr_ports; i++) {
		val.ifindex = c->ports[i];
		ret = bpf_map_update_elem(fd, &c->ports[i], &val, BPF_ANY);
		if (ret) {
			set_err(err, errlen,
				"cannot add ifindex %u to 'fwd_ports': %s%s",
				c->ports[i], strerror(-ret),
				ret == -EINVAL ? " (can it transmit XDP frames?)" : "");
			return ret;
		}
	}
	return 0;
}

int fwd_compiled_write(const struct fwd_compiled *c,
		       const struct fwd_map_fds *fds, char *err, size_t errlen)
{
	int t, ret;

	ret = write_rules(c, fds->rules, err, errlen);
	for (t = 0; t < FWD_NR_TRIES && !ret; t++)
		ret = write_trie(c, t, fds->trie[t], err, errlen);
	if (!ret)
		ret = write_neigh(c, fds->neigh, err, errlen);
	if (!ret)
		ret = write_ports(c, fds->ports, err, errlen);
	return ret;
}

static int map_fd(struct bpf_object *obj, const char *name, char *err,
		  size_t errlen)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);
	int fd = map ? bpf_map__fd(map) : -ENOENT;

	if (fd < 0)
		set_err(err, errlen,
			"object '%s' has no loaded map '%s': is it the fwd program?",
			bpf_object__name(obj), name);
	return fd < 0 ? -ENOENT : fd;
}

int fwd_ruleset_apply(const struct fwd_ruleset *rs, struct bpf_object *obj,
		      char *err, size_t errlen)
{
	struct fwd_compiled c;
	struct fwd_map_fds fds;
	int t, ret;

	if (!rs->resolved) {
		set_err(err, errlen, "%s: interfaces not resolved", rs->name);
		return -EINVAL;
	}
	if ((fds.rules = map_fd(obj, "fwd_rules", err, errlen)) < 0 ||
	    (fds.neigh = map_fd(obj, "fwd_neigh", err, errlen)) < 0 ||
	    (fds.ports = map_fd(obj, "fwd_ports", err, errlen)) < 0)
		return -ENOENT;
	for (t = 0; t < FWD_NR_TRIES; t++) {
		fds.trie[t] = map_fd(obj, fwd_trie_map_name[t], err, errlen);
		if (fds.trie[t] < 0)
			return -ENOENT;
	}
	ret = fwd_ruleset_compile(rs, &c);
	if (ret) {
		set_err(err, errlen, "%s: %s", rs->name, strerror(-ret));
		return ret;
	}
	ret = fwd_compiled_write(&c, &fds, err, errlen);
	fwd_compiled_free(&c);
	return ret;
}

/* --- back from the maps -------------------------------------------------- */

static int entry_len_cmp(const void *x, const void *y, void *arg)
{
	const struct fwd_trie *trie = arg;
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	int la = trie->prefix[a].len, lb = trie->prefix[b].len;

	return la != lb ? la - lb : (a > b) - (a < b);
}

/*
 * For every rule, the shortest entry of trie t whose bitmap has its bit:
 * the rule's own prefix (every other entry with the bit is covered by it).
 * Rules without a bit anywhere in t get family 0 in out[].
 */
static int decompile_trie(const struct fwd_compiled *c, enum fwd_trie_id t,
			  struct fwd_prefix *out)
{
	const struct fwd_trie *trie = &c->trie[t];
	size_t nw = c->nr_words, i, e, w;
	__u64 *seen;
	size_t *order;

	seen = alloc_array(nw, sizeof(*seen));
	order = alloc_array(trie->nr_entries, sizeof(*order));
	if (!seen || !order) {
		free(seen);
		free(order);
		return -ENOMEM;
	}
	for (e = 0; e < trie->nr_entries; e++)
		order[e] = e;
	qsort_r(order, trie->nr_entries, sizeof(*order), entry_len_cmp,
		(void *)trie);
	for (i = 0; i < c->nr_rules; i++)
		out[i] = (struct fwd_prefix){};
	for (i = 0; i < trie->nr_entries; i++) {
		const __u64 *bm = fwd_trie_bitmap(c, t, order[i]);

		for (w = 0; w < nw; w++) {
			__u64 fresh = bm[w] & ~seen[w];

			seen[w] |= fresh;
			while (fresh) {
				size_t bit = w * 64 + __builtin_ctzll(fresh);

				fresh &= fresh - 1;
				if (bit < c->nr_rules)
					out[bit] = trie->prefix[order[i]];
			}
		}
	}
	free(seen);
	free(order);
	return 0;
}

/*
 * Rebuild rule specs (prefixes and map values, no interface names) from
 * what fwd_ruleset_compile() produced, e.g. as read back from the maps.
 * A rule that applies to one family and has no prefix gets the /0 of that
 * family as dst, which says the same. Rules found in no trie at all (never
 * matching) get family 0 in both and are reported through *nr_dead.
 */
int fwd_compiled_decompile(const struct fwd_compiled *c,
			   struct fwd_rule_spec *specs, size_t *nr_dead)
{
	struct fwd_prefix *p[FWD_NR_TRIES] = {};
	size_t i;
	int t, ret = 0;

	*nr_dead = 0;
	for (t = 0; t < FWD_NR_TRIES && !ret; t++) {
		p[t] = alloc_array(c->nr_rules, sizeof(*p[t]));
		ret = p[t] ? decompile_trie(c, t, p[t]) : -ENOMEM;
	}
	for (i = 0; i < c->nr_rules && !ret; i++) {
		struct fwd_rule_spec *r = &specs[i];
		bool v4 = p[FWD_TRIE_SRC4][i].family && p[FWD_TRIE_DST4][i].family;
		bool v6 = p[FWD_TRIE_SRC6][i].family && p[FWD_TRIE_DST6][i].family;
		int s = v4 ? FWD_TRIE_SRC4 : FWD_TRIE_SRC6;

		memset(r, 0, sizeof(*r));
		r->rule = c->rules[i];
		if (v4 == v6) { /* both: no prefixes; neither: dead */
			*nr_dead += !v4;
			continue;
		}
		if (p[s][i].len)
			r->src = p[s][i];
		if (p[s + 1][i].len || !r->src.family)
			r->dst = p[s + 1][i];
	}
	for (t = 0; t < FWD_NR_TRIES; t++)
		free(p[t]);
	return ret;
}
