/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * Bounded, verifier-friendly frame parser for XDP programs.
 *
 * parse_frame() walks Ethernet, up to two VLAN tags (802.1Q and 802.1ad),
 * IPv4 (options skipped via ihl) or IPv6 (up to PARSE_MAX_EXT_HDRS
 * extension headers) and the fixed part of TCP, UDP, UDPLite, SCTP, ICMP
 * and ICMPv6. Every header is checked against the end of the frame and
 * against the length the enclosing header claims: a frame cut at any header
 * boundary, or whose lengths do not add up, is PARSE_MALFORMED.
 *
 * Ports are reported only when the L4 header is actually there: never for
 * a non-first IPv4/IPv6 fragment, never for ESP, AH-protected payloads past
 * the walk, or "no next header".
 *
 * The parser only reads the frame; it returns pointers to the Ethernet and
 * IP headers so that callers can rewrite them.
 */
#ifndef PPXDP_PARSE_H
#define PPXDP_PARSE_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* uapi macros that vmlinux.h (BTF) cannot carry */
#ifndef ETH_ALEN
#define ETH_ALEN 6
#endif
#ifndef ETH_HLEN
#define ETH_HLEN 14
#endif
#ifndef ETH_P_IP
#define ETH_P_IP 0x0800
#endif
#ifndef ETH_P_IPV6
#define ETH_P_IPV6 0x86DD
#endif
#ifndef ETH_P_8021Q
#define ETH_P_8021Q 0x8100
#endif
#ifndef ETH_P_8021AD
#define ETH_P_8021AD 0x88A8
#endif
#ifndef IP_MF
#define IP_MF 0x2000
#endif
#ifndef IP_OFFSET
#define IP_OFFSET 0x1FFF
#endif
#ifndef IPPROTO_ICMPV6
#define IPPROTO_ICMPV6 58
#endif
#ifndef NEXTHDR_HOP
#define NEXTHDR_HOP 0
#define NEXTHDR_ROUTING 43
#define NEXTHDR_FRAGMENT 44
#define NEXTHDR_ESP 50
#define NEXTHDR_AUTH 51
#define NEXTHDR_NONE 59
#define NEXTHDR_DEST 60
#endif

#define PARSE_MAX_VLANS 2
#define PARSE_MAX_EXT_HDRS 8

enum parse_result {
	PARSE_IP = 0,        /* IPv4 or IPv6, headers up to L4 valid */
	PARSE_NOT_IP = 1,    /* Ethernet (+ VLANs) fine, payload not IP */
	PARSE_MALFORMED = 2, /* truncated or inconsistent */
};

enum pkt_flags {
	PKT_F_PORTS = 1 << 0,      /* sport/dport valid */
	PKT_F_FRAGMENT = 1 << 1,   /* any fragment (MF set or offset != 0) */
	PKT_F_LATER_FRAG = 1 << 2, /* fragment with offset != 0: no L4 header */
};

struct pkt_info {
	struct ethhdr *eth;
	union {
		struct iphdr *ip4;   /* family 4 */
		struct ipv6hdr *ip6; /* family 6 */
	};
	__u16 l3proto;  /* ethertype after the VLAN tags, host order */
	__u8 nr_vlans;
	__u8 family;    /* 4, 6, or 0 when not IP */
	__u8 l4proto;   /* IPPROTO_*: last next-header value reached */
	__u8 flags;     /* enum pkt_flags */
	__u16 sport;    /* host order, valid with PKT_F_PORTS */
	__u16 dport;
	__u16 l3_off;   /* offset of the IP header in the frame */
	__u16 l4_off;   /* offset of the L4 header (IP only) */
};

/* Ports of TCP, UDP, UDPLite and SCTP: the first two 16-bit words. */
static __always_inline void parse_set_ports(const __be16 *ports,
					    struct pkt_info *p)
{
	p->sport = bpf_ntohs(ports[0]);
	p->dport = bpf_ntohs(ports[1]);
	p->flags |= PKT_F_PORTS;
}

/*
 * L4 header at data + off, payload_len bytes of IP payload left from there.
 * Only the fixed header is validated; other protocols are accepted as they
 * are. Each protocol checks its own header size against data_end so that
 * the verifier sees a constant size on every path.
 */
static __always_inline int parse_l4(void *data, void *data_end, __u32 off,
				    __u32 payload_len, struct pkt_info *p)
{
	void *l4;

	/* off is bounded by the callers; the verifier needs it explicitly. */
	if (off > 0xffff)
		return PARSE_MALFORMED;
	l4 = data + off;

	switch (p->l4proto) {
	case IPPROTO_TCP: {
		struct tcphdr *th = l4;

		if ((void *)(th + 1) > data_end || payload_len < sizeof(*th))
			return PARSE_MALFORMED;
		if (th->doff < 5 || th->doff * 4U > payload_len)
			return PARSE_MALFORMED;
		parse_set_ports(l4, p);
		return PARSE_IP;
	}
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE: {
		struct udphdr *uh = l4;

		if ((void *)(uh + 1) > data_end || payload_len < sizeof(*uh))
			return PARSE_MALFORMED;
		parse_set_ports(l4, p);
		return PARSE_IP;
	}
	case IPPROTO_SCTP: {
		struct sctphdr *sh = l4;

		if ((void *)(sh + 1) > data_end || payload_len < sizeof(*sh))
			return PARSE_MALFORMED;
		parse_set_ports(l4, p);
		return PARSE_IP;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6: {
		/* icmphdr and icmp6hdr: both 8 bytes */
		struct icmp6hdr *ih = l4;

		if ((void *)(ih + 1) > data_end || payload_len < sizeof(*ih))
			return PARSE_MALFORMED;
		return PARSE_IP;
	}
	default:
		return PARSE_IP;
	}
}

static __always_inline int parse_ipv4(void *data, void *data_end, __u32 off,
				      __u32 frame_len, struct pkt_info *p)
{
	struct iphdr *ip = data + off;
	__u32 hlen, tot_len;
	__u16 frag;

	if ((void *)(ip + 1) > data_end)
		return PARSE_MALFORMED;
	if (ip->version != 4 || ip->ihl < 5)
		return PARSE_MALFORMED;
	hlen = ip->ihl * 4;
	tot_len = bpf_ntohs(ip->tot_len);
	/* Trailing bytes (Ethernet padding) are fine, missing ones are not. */
	if (tot_len < hlen || off + tot_len > frame_len)
		return PARSE_MALFORMED;

	p->family = 4;
	p->ip4 = ip;
	p->l3_off = off;
	p->l4_off = off + hlen;
	p->l4proto = ip->protocol;

	frag = bpf_ntohs(ip->frag_off);
	if (frag & (IP_MF | IP_OFFSET))
		p->flags |= PKT_F_FRAGMENT;
	if (frag & IP_OFFSET) {
		p->flags |= PKT_F_LATER_FRAG;
		return PARSE_IP;
	}
	return parse_l4(data, data_end, off + hlen, tot_len - hlen, p);
}

static __always_inline bool ipv6_is_ext_hdr(__u8 nexthdr)
{
	return nexthdr == NEXTHDR_HOP || nexthdr == NEXTHDR_ROUTING ||
	       nexthdr == NEXTHDR_DEST || nexthdr == NEXTHDR_AUTH ||
	       nexthdr == NEXTHDR_FRAGMENT;
}

static __always_inline int parse_ipv6(void *data, void *data_end, __u32 off,
				      __u32 frame_len, struct pkt_info *p)
{
	struct ipv6hdr *ip6 = data + off;
	__u32 left; /* payload bytes not walked yet */
	__u8 nexthdr;
	int i;

	if ((void *)(ip6 + 1) > data_end)
		return PARSE_MALFORMED;
	if (ip6->version != 6)
		return PARSE_MALFORMED;
	left = bpf_ntohs(ip6->payload_len);
	off += sizeof(*ip6);
	if (off + left > frame_len)
		return PARSE_MALFORMED;

	p->family = 6;
	p->ip6 = ip6;
	p->l3_off = off - sizeof(*ip6);
	nexthdr = ip6->nexthdr;

	for (i = 0; i < PARSE_MAX_EXT_HDRS && ipv6_is_ext_hdr(nexthdr); i++) {
		struct ipv6_opt_hdr *oh = data + off;
		__u32 len;

		if ((void *)(oh + 1) > data_end)
			return PARSE_MALFORMED;
		if (nexthdr == NEXTHDR_FRAGMENT)
			len = sizeof(struct frag_hdr);
		else if (nexthdr == NEXTHDR_AUTH)
			len = (oh->hdrlen + 2) * 4;
		else
			len = (oh->hdrlen + 1) * 8;
		if (len > left)
			return PARSE_MALFORMED;

		if (nexthdr == NEXTHDR_FRAGMENT) {
			struct frag_hdr *fh = (void *)oh;

			if ((void *)(fh + 1) > data_end)
				return PARSE_MALFORMED;
			p->flags |= PKT_F_FRAGMENT;
			/* offset in the upper 13 bits */
			if (bpf_ntohs(fh->frag_off) & ~7) {
				p->flags |= PKT_F_LATER_FRAG;
				p->l4proto = fh->nexthdr;
				p->l4_off = off + len;
				return PARSE_IP;
			}
		}
		nexthdr = oh->nexthdr;
		off += len;
		left -= len;
	}
	/* Still an extension header after PARSE_MAX_EXT_HDRS: give up. */
	if (ipv6_is_ext_hdr(nexthdr))
		return PARSE_MALFORMED;

	/* L4, ESP, no-next-header or unknown */
	p->l4proto = nexthdr;
	p->l4_off = off;
	return parse_l4(data, data_end, off, left, p);
}

/*
 * Parse the frame [data, data_end). Fills *p and returns enum parse_result.
 * p->eth is valid unless the result is PARSE_MALFORMED.
 */
static __always_inline int parse_frame(void *data, void *data_end,
				       struct pkt_info *p)
{
	__u32 frame_len = data_end - data;
	struct ethhdr *eth = data;
	__u32 off = sizeof(*eth);
	__u16 proto;
	int i;

	__builtin_memset(p, 0, sizeof(*p));
	if ((void *)(eth + 1) > data_end)
		return PARSE_MALFORMED;
	p->eth = eth;
	proto = bpf_ntohs(eth->h_proto);

#pragma unroll
	for (i = 0; i < PARSE_MAX_VLANS; i++) {
		struct vlan_hdr *vh = data + off;

		if (proto != ETH_P_8021Q && proto != ETH_P_8021AD)
			break;
		if ((void *)(vh + 1) > data_end)
			return PARSE_MALFORMED;
		proto = bpf_ntohs(vh->h_vlan_encapsulated_proto);
		off += sizeof(*vh);
		p->nr_vlans++;
	}
	p->l3proto = proto;

	/* A third tag is not IP either: the frame goes the non-IP way. */
	if (proto == ETH_P_IP)
		return parse_ipv4(data, data_end, off, frame_len, p);
	if (proto == ETH_P_IPV6)
		return parse_ipv6(data, data_end, off, frame_len, p);
	return PARSE_NOT_IP;
}

#endif /* PPXDP_PARSE_H */
