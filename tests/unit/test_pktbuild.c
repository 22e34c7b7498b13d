// SPDX-License-Identifier: GPL-2.0
/*
 * loader/pktbuild.c and the checksum update of bpf/gen.h: frames byte for
 * byte (expected bytes computed with an independent Python script),
 * checksums against an independent RFC 1071 verification, the per-flow
 * incremental update against full recomputation, and the pcap reader on
 * crafted files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/types.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>

#include "pktbuild.h"
#include "gen.h"

static const __u8 mac_src[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const __u8 mac_dst[6] = { 0x02, 0, 0, 0, 0, 0x02 };

static struct pkt_spec spec_of(int family, __u8 proto, __u32 size)
{
	struct pkt_spec s = {
		.family = family,
		.proto = proto,
		.sport = 1024,
		.dport = 9,
		.size = size,
	};

	memcpy(s.src_mac, mac_src, 6);
	memcpy(s.dst_mac, mac_dst, 6);
	if (family == AF_INET) {
		inet_pton(AF_INET, "198.18.0.1", &s.src.v4);
		inet_pton(AF_INET, "198.18.0.2", &s.dst.v4);
	} else {
		inet_pton(AF_INET6, "2001:2::1", &s.src.v6);
		inet_pton(AF_INET6, "2001:2::2", &s.dst.v6);
	}
	return s;
}

/*
 * Independent reference: RFC 1071 verification. Summing every 16-bit word
 * of a region *including* its checksum field, in native byte order, must
 * give all ones (0xffff) after folding.
 */
static __u16 ref_fold_native(const void *data, size_t len, __u32 sum)
{
	const __u8 *p = data;
	__u16 w;

	for (; len >= 2; len -= 2, p += 2) {
		memcpy(&w, p, 2);
		sum += w;
	}
	if (len) {
		__u8 last[2] = { p[0], 0 };

		memcpy(&w, last, 2);
		sum += w;
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)sum;
}

static __u16 ref_l4_verify(const __u8 *frame, size_t len, int family,
			   __u8 proto)
{
	__u8 pseudo[40];
	size_t plen, l4_off;
	__u32 sum;

	if (family == AF_INET) {
		__u16 l4_len = htons(len - 34);

		l4_off = 34;
		memcpy(pseudo, frame + 26, 8);
		pseudo[8] = 0;
		pseudo[9] = proto;
		memcpy(pseudo + 10, &l4_len, 2);
		plen = 12;
	} else {
		__u32 l4_len = htonl(len - 54);

		l4_off = 54;
		memcpy(pseudo, frame + 22, 32);
		memcpy(pseudo + 32, &l4_len, 4);
		memset(pseudo + 36, 0, 3);
		pseudo[39] = proto;
		plen = 40;
	}
	sum = ref_fold_native(pseudo, plen, 0);
	return ref_fold_native(frame + l4_off, len - l4_off, sum);
}

Test(pktbuild, ipv4_udp_64_bytes)
{
	static const __u8 want[64] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00,
		0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x45, 0x00,
		0x00, 0x32, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0xae, 0x93, 0xc6, 0x12, 0x00, 0x01, 0xc6, 0x12,
		0x00, 0x02, 0x04, 0x00, 0x00, 0x09, 0x00, 0x1e,
		0x01, 0x08, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05,
		0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d,
		0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
	};
	struct pkt_spec s = spec_of(AF_INET, IPPROTO_UDP, 64);
	__u8 buf[128];

	memset(buf, 0xee, sizeof(buf));
	cr_assert(eq(int, pkt_build(&s, buf, sizeof(buf)), 64));
	cr_assert(eq(u8[64], buf, (__u8 *)want));
	cr_assert(eq(u8, buf[64], 0xee), "wrote past the frame");
}

Test(pktbuild, ipv6_tcp_90_bytes)
{
	static const __u8 want[90] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00,
		0x00, 0x00, 0x00, 0x01, 0x86, 0xdd, 0x60, 0x00,
		0x00, 0x00, 0x00, 0x24, 0x06, 0x40, 0x20, 0x01,
		0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x01,
		0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x04, 0x00,
		0x00, 0x09, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0x01, 0x50, 0x10, 0xff, 0xff, 0x33, 0x71,
		0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05,
		0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d,
		0x0e, 0x0f,
	};
	struct pkt_spec s = spec_of(AF_INET6, IPPROTO_TCP, 90);
	__u8 buf[90];

	cr_assert(eq(int, pkt_build(&s, buf, sizeof(buf)), 90));
	cr_assert(eq(u8[90], buf, (__u8 *)want));
}

Test(pktbuild, layouts)
{
	struct pkt_layout lay;

	cr_assert(eq(int, pkt_layout_of(AF_INET, IPPROTO_UDP, &lay), 0));
	cr_assert(eq(u16, lay.hdr_len, 42));
	cr_assert(eq(u16, lay.sport_off, 34));
	cr_assert(eq(u16, lay.csum_off, 40));
	cr_assert(eq(int, pkt_layout_of(AF_INET, IPPROTO_TCP, &lay), 0));
	cr_assert(eq(u16, lay.hdr_len, 54));
	cr_assert(eq(u16, lay.csum_off, 50));
	cr_assert(eq(int, pkt_layout_of(AF_INET6, IPPROTO_UDP, &lay), 0));
	cr_assert(eq(u16, lay.hdr_len, 62));
	cr_assert(eq(u16, lay.csum_off, 60));
	cr_assert(eq(int, pkt_layout_of(AF_INET6, IPPROTO_TCP, &lay), 0));
	cr_assert(eq(u16, lay.hdr_len, 74));
	cr_assert(eq(u16, lay.sport_off, 54));
	cr_assert(eq(u16, lay.csum_off, 70));
	cr_assert(eq(int, pkt_layout_of(AF_PACKET, IPPROTO_UDP, &lay),
		     -EAFNOSUPPORT));
	cr_assert(eq(int, pkt_layout_of(AF_INET, IPPROTO_ICMP, &lay),
		     -EPROTONOSUPPORT));
}

Test(pktbuild, rejects_sizes_that_do_not_fit)
{
	struct pkt_spec s = spec_of(AF_INET6, IPPROTO_TCP, 73);
	__u8 buf[256];

	cr_assert(eq(int, pkt_build(&s, buf, sizeof(buf)), -EINVAL));
	s.size = 74;
	cr_assert(eq(int, pkt_build(&s, buf, sizeof(buf)), 74));
	s.size = 257;
	cr_assert(eq(int, pkt_build(&s, buf, sizeof(buf)), -EINVAL));
}

/* The textbook IPv4 header (RFC 1071 style example): checksum b861. */
Test(pktbuild, ipv4_header_checksum_known_answer)
{
	static const __u8 iph[20] = {
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
	};

	cr_assert(eq(u16, pkt_ipv4_csum(iph), 0xb861));
}

struct csum_case {
	int family;
	__u8 proto;
	__u32 size;
};

static struct csum_case csum_cases[] = {
	{ AF_INET, IPPROTO_UDP, 60 },	 { AF_INET, IPPROTO_UDP, 61 },
	{ AF_INET, IPPROTO_UDP, 1514 },	 { AF_INET, IPPROTO_TCP, 64 },
	{ AF_INET, IPPROTO_TCP, 3408 },	 { AF_INET6, IPPROTO_UDP, 64 },
	{ AF_INET6, IPPROTO_UDP, 1001 }, { AF_INET6, IPPROTO_TCP, 74 },
	{ AF_INET6, IPPROTO_TCP, 1514 },
};

ParameterizedTestParameters(pktbuild, checksums_verify)
{
	return cr_make_param_array(struct csum_case, csum_cases,
				   sizeof(csum_cases) / sizeof(csum_cases[0]));
}

ParameterizedTest(struct csum_case *c, pktbuild, checksums_verify)
{
	struct pkt_spec s = spec_of(c->family, c->proto, c->size);
	static __u8 buf[GEN_MAX_FRAME];
	unsigned int p;

	for (p = 0; p < 4000; p += 37) {
		s.sport = (__u16)(p * 17);
		s.dport = (__u16)(65535 - p);
		cr_assert(eq(int, pkt_build(&s, buf, sizeof(buf)), c->size));
		if (c->family == AF_INET)
			cr_assert(eq(u16, ref_fold_native(buf + 14, 20, 0),
				     0xffff), "IPv4 header checksum");
		cr_assert(eq(u16, ref_l4_verify(buf, c->size, c->family,
						c->proto), 0xffff),
			  "L4 checksum, size %u port %u", c->size, s.sport);
	}
}

/*
 * What the BPF program does per flow: start from the template's checksum
 * and source port and replace the port. Must equal a full rebuild for
 * every port, including the one whose UDP checksum folds to 0 (sent as
 * 0xffff).
 */
static void check_incremental(int family, __u8 proto, __u32 size)
{
	struct pkt_spec s = spec_of(family, proto, size);
	struct pkt_layout lay;
	__u16 base_port, base_csum, port, full, incr;
	unsigned int p, zero_seen = 0;
	__u8 buf[256];

	cr_assert(eq(int, pkt_layout_of(family, proto, &lay), 0));
	s.sport = 1024;
	cr_assert(eq(int, pkt_build(&s, buf, sizeof(buf)), size));
	memcpy(&base_port, buf + lay.sport_off, 2);
	memcpy(&base_csum, buf + lay.csum_off, 2);

	for (p = 0; p <= 0xffff; p++) {
		s.sport = (__u16)p;
		pkt_build(&s, buf, sizeof(buf));
		memcpy(&full, buf + lay.csum_off, 2);
		port = htons((__u16)p);
		incr = gen_csum_replace16(base_csum, base_port, port,
					  proto == IPPROTO_UDP);
		if (incr != full)
			cr_fatal("port %u: incremental %04x, full %04x", p,
				 ntohs(incr), ntohs(full));
		zero_seen += full == 0xffff;
	}
	if (proto == IPPROTO_UDP)
		cr_assert(gt(uint, zero_seen, 0),
			  "no port hit the 0 -> 0xffff UDP case");
}

Test(pktbuild, incremental_ipv4_udp)
{
	check_incremental(AF_INET, IPPROTO_UDP, 64);
	check_incremental(AF_INET, IPPROTO_UDP, 99);
}

Test(pktbuild, incremental_ipv4_tcp)
{
	check_incremental(AF_INET, IPPROTO_TCP, 64);
}

Test(pktbuild, incremental_ipv6_udp)
{
	check_incremental(AF_INET6, IPPROTO_UDP, 64);
}

Test(pktbuild, incremental_ipv6_tcp)
{
	check_incremental(AF_INET6, IPPROTO_TCP, 128);
}

Test(pktbuild, parse_mac)
{
	__u8 mac[6];
	static const __u8 want[6] = { 0xaa, 0xbb, 0x0c, 0x00, 0x11, 0xff };

	cr_assert(eq(int, pkt_parse_mac("aa:bb:0c:00:11:ff", mac), 0));
	cr_assert(eq(u8[6], mac, (__u8 *)want));
	cr_assert(eq(int, pkt_parse_mac("aa:bb:0c:00:11", mac), -EINVAL));
	cr_assert(eq(int, pkt_parse_mac("aa:bb:0c:00:11:ff:00", mac), -EINVAL));
	cr_assert(eq(int, pkt_parse_mac("aa:bb:0c:00:11:fg", mac), -EINVAL));
	cr_assert(eq(int, pkt_parse_mac("a:b:c:d:e:f", mac), -EINVAL));
}

/* pcap images, built field by field in the requested byte order. */
struct pcap_img {
	__u8 buf[1024];
	size_t len;
	bool swap;
};

static void img_u32(struct pcap_img *img, __u32 v)
{
	__u32 le = img->swap ? __builtin_bswap32(v) : v;

	memcpy(img->buf + img->len, &le, 4);
	img->len += 4;
}

static void img_u16(struct pcap_img *img, __u16 v)
{
	__u16 le = img->swap ? __builtin_bswap16(v) : v;

	memcpy(img->buf + img->len, &le, 2);
	img->len += 2;
}

static void img_header(struct pcap_img *img, __u32 magic, __u32 linktype)
{
	img->len = 0;
	img_u32(img, magic);
	img_u16(img, 2);
	img_u16(img, 4);
	img_u32(img, 0);
	img_u32(img, 0);
	img_u32(img, 65535);
	img_u32(img, linktype);
}

static void img_record(struct pcap_img *img, __u32 len, __u32 orig, __u8 fill)
{
	img_u32(img, 1700000000);
	img_u32(img, 123456);
	img_u32(img, len);
	img_u32(img, orig);
	memset(img->buf + img->len, fill, len);
	img->len += len;
}

static void check_two_frames(__u32 magic, bool swap, bool want_nsec)
{
	struct pcap_img img = { .swap = swap };
	struct pcap_file pf;
	char err[256] = "";

	img_header(&img, magic, PCAP_LINKTYPE_ETHERNET);
	img_record(&img, 60, 60, 0xa1);
	img_record(&img, 100, 1514, 0xb2);
	cr_assert(eq(int, pcap_parse(img.buf, img.len, &pf, err, sizeof(err)),
		     0), "%s", err);
	cr_assert(eq(int, pf.swapped, swap));
	cr_assert(eq(int, pf.nsec, want_nsec));
	cr_assert(eq(u32, pf.linktype, 1));
	cr_assert(eq(u32, pf.snaplen, 65535));
	cr_assert(eq(sz, pf.nr_frames, 2));
	cr_assert(eq(u32, pf.frames[0].len, 60));
	cr_assert(eq(u32, pf.frames[0].orig_len, 60));
	cr_assert(eq(ptr, (void *)pf.frames[0].data, img.buf + 24 + 16));
	cr_assert(eq(u8, pf.frames[0].data[59], 0xa1));
	cr_assert(eq(u32, pf.frames[1].len, 100));
	cr_assert(eq(u32, pf.frames[1].orig_len, 1514));
	cr_assert(eq(ptr, (void *)pf.frames[1].data,
		     img.buf + 24 + 16 + 60 + 16));
	cr_assert(eq(u8, pf.frames[1].data[99], 0xb2));
	pcap_free(&pf);
}

Test(pcap, little_endian_usec)
{
	check_two_frames(0xa1b2c3d4, false, false);
}

Test(pcap, big_endian_usec)
{
	check_two_frames(0xa1b2c3d4, true, false);
}

Test(pcap, little_endian_nsec)
{
	check_two_frames(0xa1b23c4d, false, true);
}

Test(pcap, big_endian_nsec)
{
	check_two_frames(0xa1b23c4d, true, true);
}

Test(pcap, empty_capture_has_no_frames)
{
	struct pcap_img img = {};
	struct pcap_file pf;
	char err[256];

	img_header(&img, 0xa1b2c3d4, 1);
	cr_assert(eq(int, pcap_parse(img.buf, img.len, &pf, err, sizeof(err)),
		     0));
	cr_assert(eq(sz, pf.nr_frames, 0));
	pcap_free(&pf);
}

Test(pcap, wrong_link_type)
{
	struct pcap_img img = { .swap = true };
	struct pcap_file pf;
	char err[256] = "";

	img_header(&img, 0xa1b2c3d4, 113); /* Linux cooked capture */
	img_record(&img, 60, 60, 0);
	cr_assert(eq(int, pcap_parse(img.buf, img.len, &pf, err, sizeof(err)),
		     -EPROTONOSUPPORT));
	cr_assert(eq(str, err,
		     "link type 113 is not Ethernet (1); only Ethernet captures can be replayed"));
	pcap_free(&pf);
}

Test(pcap, truncated_file_header)
{
	struct pcap_img img = {};
	struct pcap_file pf;
	char err[256] = "";

	img_header(&img, 0xa1b2c3d4, 1);
	cr_assert(eq(int, pcap_parse(img.buf, 20, &pf, err, sizeof(err)),
		     -EINVAL));
	cr_assert(eq(str, err,
		     "truncated: 20 bytes is shorter than the 24-byte pcap file header"));
}

Test(pcap, truncated_record_header)
{
	struct pcap_img img = {};
	struct pcap_file pf;
	char err[256] = "";

	img_header(&img, 0xa1b2c3d4, 1);
	img_record(&img, 60, 60, 0);
	img_record(&img, 60, 60, 0);
	/* Cut inside the second record header. */
	cr_assert(eq(int, pcap_parse(img.buf, 24 + 76 + 10, &pf, err,
				     sizeof(err)), -EINVAL));
	cr_assert(eq(str, err,
		     "truncated: record 2 header at offset 100 needs 16 bytes, only 10 left"));
	pcap_free(&pf);
}

Test(pcap, truncated_record_data)
{
	struct pcap_img img = { .swap = true };
	struct pcap_file pf;
	char err[256] = "";

	img_header(&img, 0xa1b23c4d, 1);
	img_record(&img, 60, 60, 0);
	cr_assert(eq(int, pcap_parse(img.buf, img.len - 1, &pf, err,
				     sizeof(err)), -EINVAL));
	cr_assert(eq(str, err,
		     "truncated: record 1 at offset 24 needs 60 bytes, only 59 left"));
	pcap_free(&pf);
}

Test(pcap, not_a_pcap)
{
	static const char text[] = "this is not a capture file at all";
	struct pcap_file pf;
	char err[256] = "";

	cr_assert(eq(int, pcap_parse(text, sizeof(text), &pf, err, sizeof(err)),
		     -EINVAL));
	cr_assert(eq(str, err, "not a pcap file (magic 74 68 69 73)"));
}

Test(pcap, pcapng_is_named)
{
	struct pcap_img img = {};
	struct pcap_file pf;
	char err[256] = "";

	img_header(&img, 0x0a0d0d0a, 1);
	cr_assert(eq(int, pcap_parse(img.buf, img.len, &pf, err, sizeof(err)),
		     -EINVAL));
	cr_assert(not(eq(ptr, strstr(err, "pcapng"), NULL)), "%s", err);
}

Test(pcap, load_from_file)
{
	struct pcap_img img = {};
	char path[] = "/tmp/ppxdp-pcap-XXXXXX";
	struct pcap_file pf;
	char err[256] = "";
	int fd;

	img_header(&img, 0xa1b2c3d4, 1);
	img_record(&img, 64, 64, 0x5a);
	fd = mkstemp(path);
	cr_assert(ge(int, fd, 0));
	cr_assert(eq(sz, (size_t)write(fd, img.buf, img.len), img.len));
	close(fd);
	cr_assert(eq(int, pcap_load(path, &pf, err, sizeof(err)), 0), "%s",
		  err);
	unlink(path);
	cr_assert(eq(sz, pf.nr_frames, 1));
	cr_assert(eq(u32, pf.frames[0].len, 64));
	cr_assert(eq(u8, pf.frames[0].data[0], 0x5a));
	pcap_free(&pf);

	cr_assert(eq(int, pcap_load(path, &pf, err, sizeof(err)), -ENOENT));
	cr_assert(eq(str, err, "cannot open: No such file or directory"));
}
