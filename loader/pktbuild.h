/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet construction for `ppxdp gen`: Ethernet + IPv4/IPv6 + UDP/TCP
 * frames with correct checksums, and a reader for classic libpcap files.
 * Pure functions over caller-provided buffers: no BPF, no sockets.
 */
#ifndef PPXDP_PKTBUILD_H
#define PPXDP_PKTBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <linux/types.h>

#define PKT_ETH_ALEN 6
#define PKT_ETH_HLEN 14
#define PKT_MIN_FRAME 60 /* Ethernet minimum without FCS */

union pkt_addr {
	struct in_addr v4;
	struct in6_addr v6;
};

/* What to build. Ports in host byte order; size is the frame length
 * without FCS and must cover the headers (pkt_hdr_len()). */
struct pkt_spec {
	__u8 src_mac[PKT_ETH_ALEN];
	__u8 dst_mac[PKT_ETH_ALEN];
	int family; /* AF_INET or AF_INET6 */
	union pkt_addr src;
	union pkt_addr dst;
	__u8 proto; /* IPPROTO_UDP or IPPROTO_TCP */
	__u16 sport;
	__u16 dport;
	__u32 size;
};

/* Where things are in a frame built from a spec. */
struct pkt_layout {
	__u16 l3_off;
	__u16 l4_off;
	__u16 hdr_len;   /* Ethernet + IP + L4 header */
	__u16 sport_off; /* L4 source port */
	__u16 csum_off;  /* L4 checksum */
};

/* Layout for family/proto; -EAFNOSUPPORT or -EPROTONOSUPPORT otherwise. */
int pkt_layout_of(int family, __u8 proto, struct pkt_layout *lay);
/* Header length for family/proto, 0 if unsupported. */
unsigned int pkt_hdr_len(int family, __u8 proto);

/*
 * Build the frame described by spec into buf (at least spec->size bytes).
 * The payload after the headers is the byte pattern 0x00, 0x01, ... 0xff,
 * 0x00, ... Returns spec->size, or -EINVAL (size smaller than the headers
 * or larger than buflen), -EAFNOSUPPORT, -EPROTONOSUPPORT.
 */
int pkt_build(const struct pkt_spec *spec, void *buf, size_t buflen);

/* One's complement sum of len bytes taken as big-endian 16-bit words
 * (an odd last byte is padded with zero), added to sum. Not folded. */
__u32 pkt_csum_add(__u32 sum, const void *data, size_t len);
/* Fold and complement: the value to store, in host byte order. */
__u16 pkt_csum_finish(__u32 sum);
/* IPv4 header checksum (host order) of a header whose check field is
 * taken as zero. */
__u16 pkt_ipv4_csum(const void *iph);
/* UDP/TCP checksum (host order) over the pseudo header of the IP header
 * at l3 and the l4_len bytes at l4, with the L4 check field taken as
 * zero. UDP's 0 becomes 0xffff. */
__u16 pkt_l4_csum(int family, const void *l3, __u8 proto, const void *l4,
		  size_t l4_len);

/* "aa:bb:cc:dd:ee:ff" -> mac; -EINVAL if malformed. */
int pkt_parse_mac(const char *str, __u8 mac[PKT_ETH_ALEN]);

/*
 * Classic libpcap files: magic a1b2c3d4 (microseconds) or a1b23c4d
 * (nanoseconds), in either byte order; Ethernet link type only.
 */
#define PCAP_LINKTYPE_ETHERNET 1

struct pcap_frame {
	const __u8 *data;
	__u32 len;      /* captured length */
	__u32 orig_len; /* length on the wire */
};

struct pcap_file {
	__u8 *buf;     /* owned copy of the file (pcap_load) or NULL */
	bool swapped;  /* written with the other byte order */
	bool nsec;     /* nanosecond timestamps */
	__u32 linktype;
	__u32 snaplen;
	size_t nr_frames;
	struct pcap_frame *frames;
};

/*
 * Parse a pcap image in memory; frames point into buf, which must outlive
 * pf. On error returns a negative errno and writes a sentence saying what
 * is wrong into err (-EINVAL: not a pcap file, truncated or corrupt;
 * -EPROTONOSUPPORT: link type is not Ethernet; -ENOMEM).
 */
int pcap_parse(const void *buf, size_t len, struct pcap_file *pf,
	       char *err, size_t errlen);
/* Read path and parse it; pf owns the data. Errors as pcap_parse, plus
 * the errno of open/read. */
int pcap_load(const char *path, struct pcap_file *pf, char *err,
	      size_t errlen);
void pcap_free(struct pcap_file *pf);

#endif /* PPXDP_PKTBUILD_H */
