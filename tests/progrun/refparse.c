// SPDX-License-Identifier: GPL-2.0
/*
 * Reference model of bpf/parse.h in plain C, written from the header
 * layouts and the documented rules rather than from the BPF code: the
 * random-frame tests compare the program's decision with it frame by
 * frame, and the table tests check the model itself against hand-written
 * expectations.
 */
#include <string.h>

#include "refparse.h"

static __u16 get16(const __u8 *p)
{
	return (p[0] << 8) | p[1];
}

static bool is_ext_hdr(__u8 nh)
{
	return nh == 0 || nh == 43 || nh == 44 || nh == 51 || nh == 60;
}

/* Fixed L4 header at p, payload bytes of IP payload (and frame) left. */
static int ref_l4(const __u8 *p, size_t payload, struct pr_parsed *out)
{
	size_t need;

	switch (out->l4proto) {
	case IPPROTO_TCP:
		need = 20;
		break;
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		need = 8;
		break;
	case IPPROTO_SCTP:
		need = 12;
		break;
	default:
		return PR_PARSE_IP;
	}
	if (payload < need)
		return PR_PARSE_MALFORMED;
	if (out->l4proto == IPPROTO_TCP) {
		size_t doff = p[12] >> 4;

		if (doff < 5 || doff * 4 > payload)
			return PR_PARSE_MALFORMED;
	}
	if (out->l4proto == IPPROTO_ICMP || out->l4proto == IPPROTO_ICMPV6)
		return PR_PARSE_IP;
	out->has_ports = true;
	out->sport = get16(p);
	out->dport = get16(p + 2);
	return PR_PARSE_IP;
}

static int ref_ipv4(const __u8 *f, size_t len, size_t off,
		    struct pr_parsed *out)
{
	const __u8 *ip = f + off;
	size_t hlen, tot;
	__u16 frag;

	if (len - off < 20)
		return PR_PARSE_MALFORMED;
	if (ip[0] >> 4 != 4 || (ip[0] & 0xf) < 5)
		return PR_PARSE_MALFORMED;
	hlen = (ip[0] & 0xf) * 4;
	tot = get16(ip + 2);
	if (tot < hlen || off + tot > len)
		return PR_PARSE_MALFORMED;
	out->family = 4;
	out->l3_off = off;
	out->l4proto = ip[9];
	memcpy(out->saddr, ip + 12, 4);
	memcpy(out->daddr, ip + 16, 4);
	frag = get16(ip + 6);
	if (frag & 0x1fff)
		return PR_PARSE_IP; /* not the first fragment: no L4 header */
	return ref_l4(ip + hlen, tot - hlen, out);
}

static int ref_ipv6(const __u8 *f, size_t len, size_t off,
		    struct pr_parsed *out)
{
	const __u8 *ip = f + off;
	size_t left, pos;
	__u8 nh;
	int n;

	if (len - off < 40)
		return PR_PARSE_MALFORMED;
	if (ip[0] >> 4 != 6)
		return PR_PARSE_MALFORMED;
	left = get16(ip + 4);
	if (off + 40 + left > len)
		return PR_PARSE_MALFORMED;
	out->family = 6;
	out->l3_off = off;
	memcpy(out->saddr, ip + 8, 16);
	memcpy(out->daddr, ip + 24, 16);
	nh = ip[6];
	pos = off + 40;

	for (n = 0; is_ext_hdr(nh); n++) {
		const __u8 *h = f + pos;
		size_t hl;

		if (n == 8)
			return PR_PARSE_MALFORMED; /* too many */
		if (left < 8) /* every extension header has 8 bytes or more */
			return PR_PARSE_MALFORMED;
		if (nh == 44)
			hl = 8;
		else if (nh == 51)
			hl = (h[1] + 2) * 4;
		else
			hl = (h[1] + 1) * 8;
		if (hl > left)
			return PR_PARSE_MALFORMED;
		if (nh == 44 && (get16(h + 2) & 0xfff8)) {
			out->l4proto = h[0];
			return PR_PARSE_IP; /* later fragment */
		}
		nh = h[0];
		pos += hl;
		left -= hl;
	}
	out->l4proto = nh;
	return ref_l4(f + pos, left, out);
}

int pr_ref_parse(const __u8 *f, size_t len, struct pr_parsed *out)
{
	size_t off = 14;
	__u16 type;
	int i;

	memset(out, 0, sizeof(*out));
	out->result = PR_PARSE_MALFORMED;
	if (len < 14)
		return out->result;
	type = get16(f + 12);
	for (i = 0; i < 2 && (type == 0x8100 || type == 0x88a8); i++) {
		if (len - off < 4)
			return out->result;
		type = get16(f + off + 2);
		off += 4;
	}
	if (type == 0x0800)
		out->result = ref_ipv4(f, len, off, out);
	else if (type == 0x86dd)
		out->result = ref_ipv6(f, len, off, out);
	else
		out->result = PR_PARSE_NOT_IP;
	return out->result;
}
