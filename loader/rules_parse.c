// SPDX-License-Identifier: GPL-2.0
/*
 * Parser of fwd rules files (the format is documented in docs/rules.md).
 * Pure: no BPF and no look-ups in the network namespace, so every branch is
 * covered by tests/unit/test_rules*.c. Interface names are kept as text
 * until fwd_ruleset_resolve() (rules_apply.c) turns them into ifindexes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "rules.h"

#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE 136
#endif

struct parser {
	struct fwd_ruleset *rs;
	unsigned int line;
	char *err;
	size_t errlen;
};

static const struct {
	const char *name;
	__u32 action;
} fwd_actions[] = {
	{ "drop",     XDP_DROP },
	{ "pass",     XDP_PASS },
	{ "tx",       XDP_TX },
	{ "redirect", XDP_REDIRECT },
	{ "route",    FWD_ACTION_ROUTE },
};

static const struct {
	const char *name;
	__u8 proto;
	bool ports; /* has a port-based L4 header */
} fwd_protos[] = {
	{ "tcp",     IPPROTO_TCP,     true },
	{ "udp",     IPPROTO_UDP,     true },
	{ "icmp",    IPPROTO_ICMP,    false },
	{ "icmpv6",  IPPROTO_ICMPV6,  false },
	{ "sctp",    IPPROTO_SCTP,    true },
	{ "udplite", IPPROTO_UDPLITE, true },
};

enum fwd_match {
	M_IN,
	M_DMAC,
	M_SRC,
	M_DST,
	M_PROTO,
	M_SPORT,
	M_DPORT,
	NR_MATCHES,
};

static const char *const fwd_match_names[NR_MATCHES] = {
	[M_IN]    = "in",
	[M_DMAC]  = "dmac",
	[M_SRC]   = "src",
	[M_DST]   = "dst",
	[M_PROTO] = "proto",
	[M_SPORT] = "sport",
	[M_DPORT] = "dport",
};

/* "FILE:LINE: message"; returns -errcode for the caller to pass on. */
static int __attribute__((format(printf, 3, 4)))
parse_err(struct parser *p, int errcode, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!p->err || !p->errlen)
		return -errcode;
	n = snprintf(p->err, p->errlen, "%s:%u: ", p->rs->name, p->line);
	if (n >= 0 && (size_t)n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -errcode;
}

const char *fwd_action_name(__u32 action)
{
	size_t i;

	for (i = 0; i < sizeof(fwd_actions) / sizeof(fwd_actions[0]); i++)
		if (fwd_actions[i].action == action)
			return fwd_actions[i].name;
	return NULL;
}

static int lookup_action(const char *s, __u32 *action)
{
	size_t i;

	for (i = 0; i < sizeof(fwd_actions) / sizeof(fwd_actions[0]); i++) {
		if (!strcmp(fwd_actions[i].name, s)) {
			*action = fwd_actions[i].action;
			return 0;
		}
	}
	return -ENOENT;
}

const char *fwd_proto_name(__u8 proto)
{
	size_t i;

	for (i = 0; i < sizeof(fwd_protos) / sizeof(fwd_protos[0]); i++)
		if (fwd_protos[i].proto == proto)
			return fwd_protos[i].name;
	return NULL;
}

static bool proto_has_ports(__u8 proto)
{
	size_t i;

	for (i = 0; i < sizeof(fwd_protos) / sizeof(fwd_protos[0]); i++)
		if (fwd_protos[i].proto == proto)
			return fwd_protos[i].ports;
	return false;
}

/* Decimal without sign, leading '+' or overflow; at most max. */
static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -ERANGE;
	}
	*out = v;
	return 0;
}

static int parse_proto(const char *s, __u8 *proto)
{
	unsigned long v;
	size_t i;

	for (i = 0; i < sizeof(fwd_protos) / sizeof(fwd_protos[0]); i++) {
		if (!strcmp(fwd_protos[i].name, s)) {
			*proto = fwd_protos[i].proto;
			return 0;
		}
	}
	/* 0 is the "any" encoding of struct fwd_rule: omit 'proto' instead. */
	if (parse_uint(s, 255, &v) || v == 0)
		return -EINVAL;
	*proto = v;
	return 0;
}

/* Same rules as the kernel's dev_valid_name(). */
static bool valid_ifname(const char *s)
{
	size_t len = strlen(s);

	if (!len || len >= FWD_IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	return !strpbrk(s, "/:");
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* aa:bb:cc:dd:ee:ff, one or two hex digits per byte. */
static int parse_mac(const char *s, __u8 mac[6])
{
	int i, d;

	for (i = 0; i < 6; i++) {
		d = hexval(*s++);
		if (d < 0)
			return -EINVAL;
		mac[i] = d;
		d = hexval(*s);
		if (d >= 0) {
			mac[i] = mac[i] << 4 | d;
			s++;
		}
		if (*s != (i < 5 ? ':' : '\0'))
			return -EINVAL;
		s++;
	}
	return 0;
}

/* A host address: IPv4 dotted quad or any inet_pton(AF_INET6) form. */
static int parse_addr(const char *s, struct fwd_prefix *p)
{
	memset(p, 0, sizeof(*p));
	if (strchr(s, ':')) {
		if (inet_pton(AF_INET6, s, p->addr) != 1)
			return -EINVAL;
		p->family = 6;
		p->len = 128;
	} else {
		if (inet_pton(AF_INET, s, p->addr) != 1)
			return -EINVAL;
		p->family = 4;
		p->len = 32;
	}
	return 0;
}

static bool host_bits_set(const struct fwd_prefix *p)
{
	unsigned int alen = p->family == 4 ? 4 : 16;
	unsigned int i;

	for (i = p->len / 8; i < alen; i++) {
		__u8 mask = i == p->len / 8 ? 0xff >> (p->len % 8) : 0xff;

		if (p->addr[i] & mask)
			return true;
	}
	return false;
}

/* ADDR or ADDR/LEN; -EINVAL when malformed, -EDOM when host bits are set. */
static int parse_prefix(const char *s, struct fwd_prefix *p)
{
	char buf[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	unsigned long len;
	size_t alen;

	if (!slash)
		return parse_addr(s, p);
	alen = slash - s;
	if (alen >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (parse_addr(buf, p))
		return -EINVAL;
	if (strlen(slash + 1) > 3 || parse_uint(slash + 1, p->len, &len))
		return -EINVAL;
	p->len = len;
	return host_bits_set(p) ? -EDOM : 0;
}

int fwd_prefix_str(const struct fwd_prefix *p, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];
	int af = p->family == 4 ? AF_INET : AF_INET6;
	int n;

	if (p->family != 4 && p->family != 6)
		return -EINVAL;
	if (!inet_ntop(af, p->addr, addr, sizeof(addr)))
		return -errno;
	if (p->len == (p->family == 4 ? 32 : 128))
		n = snprintf(buf, len, "%s", addr);
	else
		n = snprintf(buf, len, "%s/%u", addr, p->len);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

/* P or LO-HI, inclusive, 0..65535. */
static int parse_port_range(struct parser *p, const char *s, __u16 *lo,
			    __u16 *hi)
{
	char buf[16];
	const char *dash = strchr(s, '-');
	unsigned long a, b;

	if (!dash) {
		if (parse_uint(s, 65535, &a))
			return parse_err(p, EINVAL, "invalid port '%s'", s);
		*lo = *hi = a;
		return 0;
	}
	if ((size_t)(dash - s) >= sizeof(buf))
		return parse_err(p, EINVAL, "invalid port range '%s'", s);
	memcpy(buf, s, dash - s);
	buf[dash - s] = '\0';
	if (parse_uint(buf, 65535, &a) || parse_uint(dash + 1, 65535, &b))
		return parse_err(p, EINVAL, "invalid port range '%s'", s);
	if (a > b)
		return parse_err(p, EINVAL, "port range reversed '%s'", s);
	*lo = a;
	*hi = b;
	return 0;
}

static int parse_ifname(struct parser *p, const char *s, char *dst)
{
	if (!valid_ifname(s))
		return parse_err(p, EINVAL, "invalid interface name '%s'", s);
	strcpy(dst, s);
	return 0;
}

static int grow(void **arr, size_t *cap, size_t nr, size_t size)
{
	size_t ncap;
	void *n;

	if (nr < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	n = realloc(*arr, ncap * size);
	if (!n)
		return -ENOMEM;
	*arr = n;
	*cap = ncap;
	return 0;
}

static int parse_match(struct parser *p, struct fwd_rule_spec *r,
		       enum fwd_match m, const char *kw, const char *val)
{
	struct fwd_prefix *pfx;
	int err;

	switch (m) {
	case M_IN:
		return parse_ifname(p, val, r->in_ifname);
	case M_DMAC:
		if (parse_mac(val, r->rule.dmac))
			return parse_err(p, EINVAL, "invalid MAC address '%s'",
					 val);
		r->rule.flags |= FWD_RULE_DMAC;
		return 0;
	case M_SRC:
	case M_DST:
		pfx = m == M_SRC ? &r->src : &r->dst;
		err = parse_prefix(val, pfx);
		if (err == -EDOM)
			return parse_err(p, EINVAL, "host bits set in '%s'", val);
		if (err)
			return parse_err(p, EINVAL, "invalid prefix '%s'", val);
		return 0;
	case M_PROTO:
		if (parse_proto(val, &r->rule.l4proto))
			return parse_err(p, EINVAL,
					 "unknown protocol '%s' (tcp, udp, icmp, icmpv6, sctp, udplite or 1..255)",
					 val);
		return 0;
	case M_SPORT:
		r->rule.flags |= FWD_RULE_SPORT;
		return parse_port_range(p, val, &r->rule.sport_lo,
					&r->rule.sport_hi);
	case M_DPORT:
		r->rule.flags |= FWD_RULE_DPORT;
		return parse_port_range(p, val, &r->rule.dport_lo,
					&r->rule.dport_hi);
	default:
		return parse_err(p, EINVAL, "unknown match '%s'", kw);
	}
}

/* Cross-field checks once the whole line is read. */
static int check_rule(struct parser *p, const struct fwd_rule_spec *r,
		      unsigned int seen)
{
	char a[64], b[64];
	int fam = fwd_rule_family(r);

	if ((seen & (1u << M_SPORT | 1u << M_DPORT)) &&
	    !proto_has_ports(r->rule.l4proto))
		return parse_err(p, EINVAL,
				 "'%s' needs proto tcp, udp, sctp or udplite",
				 (seen & 1u << M_SPORT) ? "sport" : "dport");
	if (r->src.family && r->dst.family &&
	    r->src.family != r->dst.family) {
		fwd_prefix_str(&r->src, a, sizeof(a));
		fwd_prefix_str(&r->dst, b, sizeof(b));
		return parse_err(p, EINVAL,
				 "src '%s' and dst '%s' are not the same address family",
				 a, b);
	}
	if ((fam == 6 && r->rule.l4proto == IPPROTO_ICMP) ||
	    (fam == 4 && r->rule.l4proto == IPPROTO_ICMPV6))
		return parse_err(p, EINVAL,
				 "proto '%s' never matches IPv%d, use '%s'",
				 fwd_proto_name(r->rule.l4proto), fam,
				 fam == 6 ? "icmpv6" : "icmp");
	return 0;
}

/* ACTION [MATCH...]; tok[0] is a known action. */
static int parse_rule(struct parser *p, char **tok, int ntok)
{
	struct fwd_ruleset *rs = p->rs;
	struct fwd_rule_spec r = { .line = p->line };
	struct fwd_prefix nh;
	unsigned int seen = 0;
	int i = 1, m, err;

	if (rs->nr_rules >= FWD_MAX_RULES)
		return parse_err(p, E2BIG, "too many rules (max %d)",
				 FWD_MAX_RULES);
	lookup_action(tok[0], &r.rule.action);
	if (r.rule.action == XDP_REDIRECT) {
		if (i >= ntok || !strcmp(tok[i], "via"))
			return parse_err(p, EINVAL,
					 "missing interface after 'redirect'");
		err = parse_ifname(p, tok[i++], r.out_ifname);
		if (err)
			return err;
		if (i < ntok && !strcmp(tok[i], "via")) {
			if (++i >= ntok)
				return parse_err(p, EINVAL,
						 "missing address after 'via'");
			if (parse_addr(tok[i], &nh))
				return parse_err(p, EINVAL,
						 "invalid next hop address '%s'",
						 tok[i]);
			r.rule.flags |= FWD_RULE_NH;
			r.rule.nh_family = nh.family;
			memcpy(r.rule.nh_addr, nh.addr, sizeof(nh.addr));
			i++;
		}
	}

	for (; i < ntok; i += 2) {
		for (m = 0; m < NR_MATCHES; m++)
			if (!strcmp(tok[i], fwd_match_names[m]))
				break;
		if (m == NR_MATCHES) {
			if (!strcmp(tok[i], "via") &&
			    r.rule.action == FWD_ACTION_ROUTE)
				return parse_err(p, EINVAL,
						 "'route' takes its next hop from the kernel's routing table: no 'via'");
			if (!strcmp(tok[i], "via"))
				return parse_err(p, EINVAL,
						 "'via' must follow 'redirect IFNAME'");
			return parse_err(p, EINVAL, "unknown match '%s'",
					 tok[i]);
		}
		if (seen & 1u << m)
			return parse_err(p, EINVAL, "duplicate '%s'", tok[i]);
		seen |= 1u << m;
		if (i + 1 >= ntok)
			return parse_err(p, EINVAL, "missing value after '%s'",
					 tok[i]);
		err = parse_match(p, &r, m, tok[i], tok[i + 1]);
		if (err)
			return err;
	}
	err = check_rule(p, &r, seen);
	if (err)
		return err;

	if (grow((void **)&rs->rules, &rs->cap_rules, rs->nr_rules,
		 sizeof(*rs->rules)))
		return parse_err(p, ENOMEM, "out of memory");
	rs->rules[rs->nr_rules++] = r;
	return 0;
}

/* default ACTION / nonip ACTION */
static int parse_default(struct parser *p, char **tok, int ntok)
{
	bool nonip = !strcmp(tok[0], "nonip");
	unsigned int *line = nonip ? &p->rs->nonip_line : &p->rs->default_line;
	__u32 *action = nonip ? &p->rs->nonip_action : &p->rs->default_action;
	__u32 a;

	if (ntok < 2)
		return parse_err(p, EINVAL, "missing action after '%s'", tok[0]);
	if (lookup_action(tok[1], &a))
		return parse_err(p, EINVAL, "unknown action '%s'", tok[1]);
	if (a == XDP_REDIRECT || a == FWD_ACTION_ROUTE)
		return parse_err(p, EINVAL,
				 "'%s' takes drop, pass or tx, not '%s'",
				 tok[0], tok[1]);
	if (ntok > 2)
		return parse_err(p, EINVAL, "unexpected '%s'", tok[2]);
	if (*line)
		return parse_err(p, EINVAL, "duplicate '%s' (first on line %u)",
				 tok[0], *line);
	*line = p->line;
	*action = a;
	return 0;
}

/* neigh IFNAME ADDR lladdr MAC */
static int parse_neigh(struct parser *p, char **tok, int ntok)
{
	struct fwd_ruleset *rs = p->rs;
	struct fwd_neigh_spec n = { .line = p->line };
	struct fwd_prefix addr;
	size_t i;
	int err;

	if (ntok < 2)
		return parse_err(p, EINVAL, "missing interface after 'neigh'");
	err = parse_ifname(p, tok[1], n.ifname);
	if (err)
		return err;
	if (ntok < 3)
		return parse_err(p, EINVAL, "missing address after '%s'",
				 tok[1]);
	if (parse_addr(tok[2], &addr))
		return parse_err(p, EINVAL, "invalid neighbour address '%s'",
				 tok[2]);
	if (ntok < 4)
		return parse_err(p, EINVAL, "missing 'lladdr MAC' after '%s'",
				 tok[2]);
	if (strcmp(tok[3], "lladdr"))
		return parse_err(p, EINVAL, "expected 'lladdr' instead of '%s'",
				 tok[3]);
	if (ntok < 5)
		return parse_err(p, EINVAL, "missing MAC address after 'lladdr'");
	if (parse_mac(tok[4], n.val.dmac))
		return parse_err(p, EINVAL, "invalid MAC address '%s'", tok[4]);
	if (ntok > 5)
		return parse_err(p, EINVAL, "unexpected '%s'", tok[5]);

	n.key.family = addr.family;
	memcpy(n.key.addr, addr.addr, sizeof(n.key.addr));
	for (i = 0; i < rs->nr_neigh; i++) {
		const struct fwd_neigh_spec *o = &rs->neigh[i];

		if (!strcmp(o->ifname, n.ifname) &&
		    o->key.family == n.key.family &&
		    !memcmp(o->key.addr, n.key.addr, sizeof(n.key.addr)))
			return parse_err(p, EINVAL,
					 "duplicate neigh '%s' on '%s' (first on line %u)",
					 tok[2], n.ifname, o->line);
	}
	if (rs->nr_neigh >= FWD_MAX_NEIGH)
		return parse_err(p, E2BIG, "too many neighbours (max %d)",
				 FWD_MAX_NEIGH);
	if (grow((void **)&rs->neigh, &rs->cap_neigh, rs->nr_neigh,
		 sizeof(*rs->neigh)))
		return parse_err(p, ENOMEM, "out of memory");
	rs->neigh[rs->nr_neigh++] = n;
	return 0;
}

/* Split in place on blanks; a word starting with '#' ends the line. */
static int split_words(char *line, char **tok, int max)
{
	int n = 0;
	char *s = line;

	for (;;) {
		s += strspn(s, " \t\r\v\f");
		if (!*s || *s == '#' || n == max)
			return n;
		tok[n++] = s;
		s += strcspn(s, " \t\r\v\f");
		if (*s)
			*s++ = '\0';
	}
}

static int parse_line(struct parser *p, char *line)
{
	/* A line of FWD_MAX_LINE characters holds at most this many words. */
	char *tok[FWD_MAX_LINE / 2 + 1];
	__u32 action;
	int ntok;

	ntok = split_words(line, tok, sizeof(tok) / sizeof(tok[0]));
	if (!ntok)
		return 0;
	if (!strcmp(tok[0], "default") || !strcmp(tok[0], "nonip"))
		return parse_default(p, tok, ntok);
	if (!strcmp(tok[0], "neigh"))
		return parse_neigh(p, tok, ntok);
	if (lookup_action(tok[0], &action))
		return parse_err(p, EINVAL, "unknown action '%s'", tok[0]);
	return parse_rule(p, tok, ntok);
}

static int neigh_cmp(const void *a, const void *b)
{
	const struct fwd_neigh_spec *x = a, *y = b;
	int c = strcmp(x->ifname, y->ifname);

	if (c)
		return c;
	if (x->key.family != y->key.family)
		return x->key.family - y->key.family;
	return memcmp(x->key.addr, y->key.addr, sizeof(x->key.addr));
}

/*
 * Every 'redirect IF via ADDR' needs 'neigh IF ADDR lladdr MAC', wherever
 * it is in the file. Rules without 'via' look their neighbour up at run time.
 */
static int check_next_hops(struct parser *p)
{
	struct fwd_ruleset *rs = p->rs;
	struct fwd_neigh_spec *sorted = NULL, key;
	char addr[INET6_ADDRSTRLEN];
	size_t i;
	int err = 0;

	if (rs->nr_neigh) {
		sorted = malloc(rs->nr_neigh * sizeof(*sorted));
		if (!sorted)
			return parse_err(p, ENOMEM, "out of memory");
		memcpy(sorted, rs->neigh, rs->nr_neigh * sizeof(*sorted));
		qsort(sorted, rs->nr_neigh, sizeof(*sorted), neigh_cmp);
	}
	for (i = 0; i < rs->nr_rules; i++) {
		const struct fwd_rule_spec *r = &rs->rules[i];

		if (!(r->rule.flags & FWD_RULE_NH))
			continue;
		memset(&key, 0, sizeof(key));
		strcpy(key.ifname, r->out_ifname);
		key.key.family = r->rule.nh_family;
		memcpy(key.key.addr, r->rule.nh_addr, sizeof(key.key.addr));
		if (sorted && bsearch(&key, sorted, rs->nr_neigh,
				      sizeof(*sorted), neigh_cmp))
			continue;
		inet_ntop(r->rule.nh_family == 4 ? AF_INET : AF_INET6,
			  r->rule.nh_addr, addr, sizeof(addr));
		p->line = r->line;
		err = parse_err(p, EINVAL,
				"no 'neigh %s %s lladdr MAC' line for next hop '%s'",
				r->out_ifname, addr, addr);
		break;
	}
	free(sorted);
	return err;
}

static struct fwd_ruleset *ruleset_new(const char *name)
{
	struct fwd_ruleset *rs = calloc(1, sizeof(*rs));

	if (!rs)
		return NULL;
	rs->name = strdup(name);
	if (!rs->name) {
		free(rs);
		return NULL;
	}
	rs->default_action = XDP_PASS;
	rs->nonip_action = XDP_PASS;
	return rs;
}

void fwd_ruleset_free(struct fwd_ruleset *rs)
{
	if (!rs)
		return;
	free(rs->rules);
	free(rs->neigh);
	free(rs->name);
	free(rs);
}

/* Parse text[0 .. size); text need not be NUL-terminated. */
static struct fwd_ruleset *parse_buf(const char *name, const char *text,
				     size_t size, char *err, size_t errlen)
{
	char line[FWD_MAX_LINE + 1];
	struct parser p = { .err = err, .errlen = errlen };
	const char *s = text, *end = text + size;
	int ret = 0;

	if (err && errlen)
		err[0] = '\0';
	p.rs = ruleset_new(name);
	if (!p.rs) {
		snprintf(err, errlen, "%s: out of memory", name);
		errno = ENOMEM;
		return NULL;
	}
	while (s < end && !ret) {
		const char *nl = memchr(s, '\n', end - s);
		size_t len = (nl ? nl : end) - s;

		p.line++;
		if (len > FWD_MAX_LINE)
			ret = parse_err(&p, E2BIG,
					"line too long (max %d characters)",
					FWD_MAX_LINE);
		else if (memchr(s, '\0', len))
			ret = parse_err(&p, EINVAL, "NUL byte in line");
		if (ret)
			break;
		memcpy(line, s, len);
		line[len] = '\0';
		ret = parse_line(&p, line);
		s += len + 1;
	}
	if (!ret)
		ret = check_next_hops(&p);
	if (ret) {
		fwd_ruleset_free(p.rs);
		errno = -ret;
		return NULL;
	}
	return p.rs;
}

struct fwd_ruleset *fwd_ruleset_parse_string(const char *name, const char *text,
					     char *err, size_t errlen)
{
	return parse_buf(name, text, strlen(text), err, errlen);
}

/* Read at most FWD_MAX_FILE bytes; -EFBIG when there are more. */
static int read_all(int fd, char **bufp, size_t *sizep)
{
	size_t size = 0, cap = 0;
	char *buf = NULL, *n;
	ssize_t r;

	for (;;) {
		if (size == cap) {
			cap = cap ? cap * 2 : 64 << 10;
			if (cap > (size_t)FWD_MAX_FILE + 1)
				cap = (size_t)FWD_MAX_FILE + 1;
			n = realloc(buf, cap);
			if (!n) {
				free(buf);
				return -ENOMEM;
			}
			buf = n;
		}
		r = read(fd, buf + size, cap - size);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = -errno;
			free(buf);
			return r;
		}
		if (!r)
			break;
		size += r;
		if (size > FWD_MAX_FILE) {
			free(buf);
			return -EFBIG;
		}
	}
	*bufp = buf;
	*sizep = size;
	return 0;
}

struct fwd_ruleset *fwd_ruleset_parse_file(const char *path, char *err,
					   size_t errlen)
{
	bool use_stdin = !strcmp(path, "-");
	const char *name = use_stdin ? "<stdin>" : path;
	struct fwd_ruleset *rs;
	struct stat st;
	size_t size = 0;
	char *buf = NULL;
	int fd, ret;

	fd = use_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", name, strerror(-ret));
		errno = -ret;
		return NULL;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
		ret = -EISDIR;
	else
		ret = read_all(fd, &buf, &size);
	if (!use_stdin)
		close(fd);
	if (ret == -EFBIG) {
		snprintf(err, errlen, "%s: file too large (max %d MiB)", name,
			 FWD_MAX_FILE >> 20);
	} else if (ret) {
		snprintf(err, errlen, "%s: %s", name, strerror(-ret));
	}
	if (ret) {
		errno = -ret;
		return NULL;
	}
	rs = parse_buf(name, buf ? buf : "", size, err, errlen);
	ret = errno;
	free(buf);
	errno = ret;
	return rs;
}

size_t fwd_ruleset_nr_rules(const struct fwd_ruleset *rs)
{
	return rs->nr_rules;
}

size_t fwd_ruleset_nr_neigh(const struct fwd_ruleset *rs)
{
	return rs->nr_neigh;
}

__u32 fwd_ruleset_default_action(const struct fwd_ruleset *rs)
{
	return rs->default_action;
}

__u32 fwd_ruleset_nonip_action(const struct fwd_ruleset *rs)
{
	return rs->nonip_action;
}

const struct fwd_rule_spec *fwd_ruleset_rule(const struct fwd_ruleset *rs,
					     size_t i)
{
	return i < rs->nr_rules ? &rs->rules[i] : NULL;
}

const struct fwd_neigh_spec *fwd_ruleset_neigh(const struct fwd_ruleset *rs,
					       size_t i)
{
	return i < rs->nr_neigh ? &rs->neigh[i] : NULL;
}

int fwd_rule_family(const struct fwd_rule_spec *r)
{
	return r->src.family ? r->src.family : r->dst.family;
}

struct strbuf {
	char *buf;
	size_t len, pos;
	bool overflow;
};

static void __attribute__((format(printf, 2, 3)))
sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (sb->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->pos, sb->len - sb->pos, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sb->len - sb->pos)
		sb->overflow = true;
	else
		sb->pos += n;
}

static void sb_ports(struct strbuf *sb, const char *kw, __u16 lo, __u16 hi)
{
	if (lo == hi)
		sb_printf(sb, " %s %u", kw, lo);
	else
		sb_printf(sb, " %s %u-%u", kw, lo, hi);
}

static void sb_prefix(struct strbuf *sb, const char *kw,
		      const struct fwd_prefix *p)
{
	char buf[INET6_ADDRSTRLEN + 4];

	if (!p->family)
		return;
	if (fwd_prefix_str(p, buf, sizeof(buf)))
		sb->overflow = true;
	else
		sb_printf(sb, " %s %s", kw, buf);
}

/* Rule in rules file syntax, matches in a fixed order. */
int fwd_rule_spec_str(const struct fwd_rule_spec *r, char *buf, size_t len)
{
	struct strbuf sb = { .buf = buf, .len = len };
	const struct fwd_rule *k = &r->rule;
	const char *action = fwd_action_name(k->action);
	char addr[INET6_ADDRSTRLEN];

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	if (!action)
		return -EINVAL;
	sb_printf(&sb, "%s", action);
	if (k->action == XDP_REDIRECT)
		sb_printf(&sb, " %s", r->out_ifname);
	if (k->action == XDP_REDIRECT && (k->flags & FWD_RULE_NH)) {
		if (!inet_ntop(k->nh_family == 4 ? AF_INET : AF_INET6,
			       k->nh_addr, addr, sizeof(addr)))
			return -EINVAL;
		sb_printf(&sb, " via %s", addr);
	}
	if (r->in_ifname[0])
		sb_printf(&sb, " in %s", r->in_ifname);
	if (k->flags & FWD_RULE_DMAC)
		sb_printf(&sb, " dmac %02x:%02x:%02x:%02x:%02x:%02x",
			  k->dmac[0], k->dmac[1], k->dmac[2], k->dmac[3],
			  k->dmac[4], k->dmac[5]);
	sb_prefix(&sb, "src", &r->src);
	sb_prefix(&sb, "dst", &r->dst);
	if (k->l4proto && fwd_proto_name(k->l4proto))
		sb_printf(&sb, " proto %s", fwd_proto_name(k->l4proto));
	else if (k->l4proto)
		sb_printf(&sb, " proto %u", k->l4proto);
	if (k->flags & FWD_RULE_SPORT)
		sb_ports(&sb, "sport", k->sport_lo, k->sport_hi);
	if (k->flags & FWD_RULE_DPORT)
		sb_ports(&sb, "dport", k->dport_lo, k->dport_hi);
	return sb.overflow ? -ENOSPC : 0;
}
