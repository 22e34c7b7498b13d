// SPDX-License-Identifier: GPL-2.0
/*
 * Crafted test frames: Ethernet, VLAN tags, IPv4 with options and
 * fragments, IPv6 with extension headers, TCP/UDP/UDPLite/SCTP/ICMP/ICMPv6.
 * Written byte by byte from the RFC layouts, independently of the BPF
 * parser under test.
 */
#include <arpa/inet.h>
#include <string.h>
#include <netinet/in.h>
#include <criterion/criterion.h>

#include "progrun.h"

static const __u8 default_dmac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const __u8 default_smac[6] = { 0x02, 0, 0, 0, 0, 0x01 };

static void put16(__u8 *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

void pr_addr(int family, const char *text, __u8 *out)
{
	int af = family == 4 ? AF_INET : AF_INET6;

	cr_assert(inet_pton(af, text, out) == 1, "bad IPv%d address '%s'",
		  family, text);
}

__u16 pr_ip4_csum(const void *iph)
{
	const __u8 *p = iph;
	size_t i, hlen = (p[0] & 0xf) * 4;
	__u32 sum = 0;

	for (i = 0; i < hlen; i += 2) {
		if (i == 10) /* the checksum field itself */
			continue;
		sum += (p[i] << 8) | p[i + 1];
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static bool is_zero_mac(const __u8 *m)
{
	static const __u8 zero[6];

	return !memcmp(m, zero, 6);
}

/* L4 header length the builder writes for proto. */
static size_t l4_hdr_len(__u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return 20;
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return 8;
	case IPPROTO_SCTP:
		return 12;
	default:
		return 0;
	}
}

static size_t ext_len(__u8 type)
{
	switch (type) {
	case 0:  /* hop-by-hop */
	case 60: /* destination options */
	case 44: /* fragment */
		return 8;
	case 43: /* routing */
	case 51: /* AH */
		return 24;
	default:
		cr_assert_fail("extension header %u not supported", type);
		return 0;
	}
}

static size_t write_l4(__u8 *p, const struct pr_frame_spec *s, size_t l4len)
{
	size_t hl = l4_hdr_len(s->l4proto);

	memset(p, 0, hl);
	switch (s->l4proto) {
	case IPPROTO_TCP:
		put16(p, s->sport);
		put16(p + 2, s->dport);
		p[12] = 5 << 4; /* doff */
		p[13] = 0x02;   /* SYN */
		put16(p + 14, 65535);
		break;
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
		put16(p, s->sport);
		put16(p + 2, s->dport);
		put16(p + 4, l4len); /* UDPLite: coverage, = whole */
		break;
	case IPPROTO_SCTP:
		put16(p, s->sport);
		put16(p + 2, s->dport);
		break;
	case IPPROTO_ICMP:
		p[0] = 8; /* echo request */
		break;
	case IPPROTO_ICMPV6:
		p[0] = 128; /* echo request */
		break;
	}
	return hl;
}

static void write_ext(__u8 *p, __u8 type, __u8 next, __u16 frag6)
{
	size_t len = ext_len(type);

	memset(p, 0, len);
	p[0] = next;
	switch (type) {
	case 44:
		put16(p + 2, frag6);
		put16(p + 6, 0x4242); /* identification */
		break;
	case 51:
		p[1] = len / 4 - 2;
		break;
	default:
		p[1] = len / 8 - 1;
		if (type != 43) {
			p[2] = 1; /* PadN over the rest */
			p[3] = len - 4;
		}
		break;
	}
}

void pr_frame_build(struct pr_frame *f, const struct pr_frame_spec *s)
{
	__u8 *p = f->data;
	size_t off = 12, i, l4len, iplen;
	bool later_frag = false;
	__u16 etype;

	memset(f, 0, sizeof(*f));
	memcpy(p, is_zero_mac(s->dmac) ? default_dmac : s->dmac, 6);
	memcpy(p + 6, is_zero_mac(s->smac) ? default_smac : s->smac, 6);
	for (i = 0; i < 2 && s->vlan_tpid[i]; i++) {
		put16(p + off, s->vlan_tpid[i]);
		put16(p + off + 2, s->vlan_tci[i]);
		off += 4;
	}
	etype = s->family == 4 ? 0x0800 : s->family == 6 ? 0x86dd : s->ethertype;
	put16(p + off, etype);
	off += 2;
	f->l3_off = off;

	if (s->family == 4) {
		size_t hlen = 20 + s->ip4_optlen;

		cr_assert(s->ip4_optlen % 4 == 0 && s->ip4_optlen <= 40);
		later_frag = s->ip4_frag & 0x1fff;
		l4len = (later_frag ? 0 : l4_hdr_len(s->l4proto)) + s->payload;
		iplen = hlen + l4len;
		cr_assert(off + iplen <= PR_FRAME_MAX);
		p[off] = 0x40 | (hlen / 4);
		put16(p + off + 2, iplen);
		put16(p + off + 4, 0x1234);
		put16(p + off + 6, s->ip4_frag);
		p[off + 8] = s->ttl ? s->ttl : 64;
		p[off + 9] = s->l4proto;
		pr_addr(4, s->saddr ? s->saddr : "192.0.2.1", p + off + 12);
		pr_addr(4, s->daddr ? s->daddr : "198.51.100.1", p + off + 16);
		memset(p + off + 20, 1, s->ip4_optlen); /* NOP options */
		put16(p + off + 10, pr_ip4_csum(p + off));
		off += hlen;
	} else if (s->family == 6) {
		size_t exts = 0;
		int e;

		cr_assert(s->nr_ext <= PR_MAX_EXT);
		for (e = 0; e < s->nr_ext; e++) {
			exts += ext_len(s->ext[e]);
			if (s->ext[e] == 44 && (s->frag6 & 0xfff8))
				later_frag = true;
		}
		l4len = (later_frag ? 0 : l4_hdr_len(s->l4proto)) + s->payload;
		iplen = 40 + exts + l4len;
		cr_assert(off + iplen <= PR_FRAME_MAX);
		p[off] = 0x60;
		put16(p + off + 4, exts + l4len);
		p[off + 6] = s->nr_ext ? s->ext[0] : s->l4proto;
		p[off + 7] = s->ttl ? s->ttl : 64;
		pr_addr(6, s->saddr ? s->saddr : "2001:db8::1", p + off + 8);
		pr_addr(6, s->daddr ? s->daddr : "2001:db8:1::1", p + off + 24);
		off += 40;
		for (e = 0; e < s->nr_ext; e++) {
			__u8 next = e + 1 < s->nr_ext ? s->ext[e + 1] : s->l4proto;

			write_ext(p + off, s->ext[e], next, s->frag6);
			off += ext_len(s->ext[e]);
		}
	} else {
		l4len = s->payload;
		cr_assert(off + l4len <= PR_FRAME_MAX);
		for (i = 0; i < l4len; i++)
			p[off + i] = i;
		f->len = off + l4len;
		return;
	}

	f->l4_off = off;
	if (!later_frag)
		off += write_l4(p + off, s, l4len);
	for (i = 0; i < s->payload; i++)
		p[off + i] = i;
	f->len = off + s->payload;
}
