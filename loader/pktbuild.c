// SPDX-License-Identifier: GPL-2.0
/* Frame construction, Internet checksums and pcap reading for ppxdp gen. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#include "pktbuild.h"

#define PKT_IPV4_HLEN 20
#define PKT_IPV6_HLEN 40
#define PKT_UDP_HLEN 8
#define PKT_TCP_HLEN 20
#define PKT_TTL 64
#define PKT_IP_DF 0x4000

int pkt_layout_of(int family, __u8 proto, struct pkt_layout *lay)
{
	unsigned int l3_len, l4_len;

	switch (family) {
	case AF_INET:
		l3_len = PKT_IPV4_HLEN;
		break;
	case AF_INET6:
		l3_len = PKT_IPV6_HLEN;
		break;
	default:
		return -EAFNOSUPPORT;
	}
	switch (proto) {
	case IPPROTO_UDP:
		l4_len = PKT_UDP_HLEN;
		lay->csum_off = offsetof(struct udphdr, check);
		break;
	case IPPROTO_TCP:
		l4_len = PKT_TCP_HLEN;
		lay->csum_off = offsetof(struct tcphdr, check);
		break;
	default:
		return -EPROTONOSUPPORT;
	}
	lay->l3_off = PKT_ETH_HLEN;
	lay->l4_off = PKT_ETH_HLEN + l3_len;
	lay->hdr_len = lay->l4_off + l4_len;
	lay->sport_off = lay->l4_off; /* source port leads both headers */
	lay->csum_off += lay->l4_off;
	return 0;
}

unsigned int pkt_hdr_len(int family, __u8 proto)
{
	struct pkt_layout lay;

	return pkt_layout_of(family, proto, &lay) ? 0 : lay.hdr_len;
}

__u32 pkt_csum_add(__u32 sum, const void *data, size_t len)
{
	const __u8 *p = data;
	__u64 acc = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		acc += (__u32)p[i] << 8 | p[i + 1];
	if (len & 1)
		acc += (__u32)p[len - 1] << 8;
	while (acc >> 32)
		acc = (acc & 0xffffffff) + (acc >> 32);
	return (__u32)acc;
}

__u16 pkt_csum_finish(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

__u16 pkt_ipv4_csum(const void *iph)
{
	struct iphdr h;

	memcpy(&h, iph, sizeof(h));
	h.check = 0;
	return pkt_csum_finish(pkt_csum_add(0, &h, sizeof(h)));
}

__u16 pkt_l4_csum(int family, const void *l3, __u8 proto, const void *l4,
		  size_t l4_len)
{
	size_t csum_off = proto == IPPROTO_UDP ? offsetof(struct udphdr, check)
					       : offsetof(struct tcphdr, check);
	__u8 pseudo_tail[4] = { 0, 0, 0, proto };
	const __u8 *p = l4;
	__u32 sum = 0;
	__u16 check;

	if (family == AF_INET) {
		const struct iphdr *iph = l3;

		sum = pkt_csum_add(sum, &iph->saddr, 8); /* saddr, daddr */
		sum += l4_len;
	} else {
		const struct ipv6hdr *ip6h = l3;
		__u32 len_be = htonl(l4_len);

		sum = pkt_csum_add(sum, &ip6h->saddr, 32);
		sum = pkt_csum_add(sum, &len_be, 4);
	}
	sum = pkt_csum_add(sum, pseudo_tail, sizeof(pseudo_tail));
	/* Everything but the check field itself. */
	sum = pkt_csum_add(sum, p, csum_off);
	sum = pkt_csum_add(sum, p + csum_off + 2, l4_len - csum_off - 2);
	check = pkt_csum_finish(sum);
	if (proto == IPPROTO_UDP && check == 0)
		check = 0xffff;
	return check;
}

static void pkt_put_ipv4(const struct pkt_spec *spec, __u8 *l3,
			 unsigned int l3_payload)
{
	struct iphdr iph = {
		.version = 4,
		.ihl = PKT_IPV4_HLEN / 4,
		.tot_len = htons(PKT_IPV4_HLEN + l3_payload),
		.frag_off = htons(PKT_IP_DF),
		.ttl = PKT_TTL,
		.protocol = spec->proto,
		.saddr = spec->src.v4.s_addr,
		.daddr = spec->dst.v4.s_addr,
	};

	iph.check = htons(pkt_ipv4_csum(&iph));
	memcpy(l3, &iph, sizeof(iph));
}

static void pkt_put_ipv6(const struct pkt_spec *spec, __u8 *l3,
			 unsigned int l3_payload)
{
	struct ipv6hdr ip6h = {
		.version = 6,
		.payload_len = htons(l3_payload),
		.nexthdr = spec->proto,
		.hop_limit = PKT_TTL,
	};

	memcpy(&ip6h.saddr, &spec->src.v6, sizeof(ip6h.saddr));
	memcpy(&ip6h.daddr, &spec->dst.v6, sizeof(ip6h.daddr));
	memcpy(l3, &ip6h, sizeof(ip6h));
}

static void pkt_put_l4(const struct pkt_spec *spec, __u8 *l4,
		       unsigned int l4_len)
{
	if (spec->proto == IPPROTO_UDP) {
		struct udphdr uh = {
			.source = htons(spec->sport),
			.dest = htons(spec->dport),
			.len = htons(l4_len),
		};

		memcpy(l4, &uh, sizeof(uh));
	} else {
		struct tcphdr th = {
			.source = htons(spec->sport),
			.dest = htons(spec->dport),
			.seq = htonl(1),
			.ack_seq = htonl(1),
			.doff = PKT_TCP_HLEN / 4,
			.ack = 1,
			.window = htons(65535),
		};

		memcpy(l4, &th, sizeof(th));
	}
}

int pkt_build(const struct pkt_spec *spec, void *buf, size_t buflen)
{
	struct pkt_layout lay;
	struct ethhdr eth;
	__u8 *p = buf;
	unsigned int i;
	__u16 check;
	int err;

	err = pkt_layout_of(spec->family, spec->proto, &lay);
	if (err)
		return err;
	if (spec->size < lay.hdr_len || spec->size > buflen)
		return -EINVAL;

	memcpy(eth.h_dest, spec->dst_mac, PKT_ETH_ALEN);
	memcpy(eth.h_source, spec->src_mac, PKT_ETH_ALEN);
	eth.h_proto = htons(spec->family == AF_INET ? ETH_P_IP : ETH_P_IPV6);
	memcpy(p, &eth, sizeof(eth));

	for (i = lay.hdr_len; i < spec->size; i++)
		p[i] = (__u8)(i - lay.hdr_len);

	if (spec->family == AF_INET)
		pkt_put_ipv4(spec, p + lay.l3_off, spec->size - lay.l4_off);
	else
		pkt_put_ipv6(spec, p + lay.l3_off, spec->size - lay.l4_off);
	pkt_put_l4(spec, p + lay.l4_off, spec->size - lay.l4_off);

	check = htons(pkt_l4_csum(spec->family, p + lay.l3_off, spec->proto,
				  p + lay.l4_off, spec->size - lay.l4_off));
	memcpy(p + lay.csum_off, &check, sizeof(check));
	return spec->size;
}

int pkt_parse_mac(const char *str, __u8 mac[PKT_ETH_ALEN])
{
	unsigned int b[PKT_ETH_ALEN];
	char tail;
	int i;

	if (sscanf(str, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2],
		   &b[3], &b[4], &b[5], &tail) != PKT_ETH_ALEN)
		return -EINVAL;
	if (strlen(str) != 17)
		return -EINVAL;
	for (i = 0; i < PKT_ETH_ALEN; i++)
		mac[i] = (__u8)b[i];
	return 0;
}

/* pcap */

#define PCAP_MAGIC_USEC 0xa1b2c3d4U
#define PCAP_MAGIC_NSEC 0xa1b23c4dU
#define PCAP_FILE_HDR_LEN 24
#define PCAP_REC_HDR_LEN 16
#define PCAP_MAX_SNAPLEN 262144U /* libpcap's MAXIMUM_SNAPLEN */

static __attribute__((format(printf, 4, 5)))
int pcap_fail(int err, char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (buf && len) {
		va_start(ap, fmt);
		vsnprintf(buf, len, fmt, ap);
		va_end(ap);
	}
	return err;
}

static __u32 pcap_u32(const struct pcap_file *pf, const __u8 *p)
{
	__u32 v;

	memcpy(&v, p, sizeof(v));
	return pf->swapped ? __builtin_bswap32(v) : v;
}

/* Walk the records; with frames == NULL only count them. */
static int pcap_walk(struct pcap_file *pf, const __u8 *buf, size_t len,
		     struct pcap_frame *frames, size_t *nr, char *err,
		     size_t errlen)
{
	size_t off = PCAP_FILE_HDR_LEN, n = 0;

	while (off < len) {
		__u32 incl, orig;

		if (len - off < PCAP_REC_HDR_LEN)
			return pcap_fail(-EINVAL, err, errlen,
					 "truncated: record %zu header at offset %zu needs %d bytes, only %zu left",
					 n + 1, off, PCAP_REC_HDR_LEN, len - off);
		incl = pcap_u32(pf, buf + off + 8);
		orig = pcap_u32(pf, buf + off + 12);
		if (incl > PCAP_MAX_SNAPLEN)
			return pcap_fail(-EINVAL, err, errlen,
					 "corrupt: record %zu at offset %zu claims %u captured bytes",
					 n + 1, off, incl);
		off += PCAP_REC_HDR_LEN;
		if (len - off < incl)
			return pcap_fail(-EINVAL, err, errlen,
					 "truncated: record %zu at offset %zu needs %u bytes, only %zu left",
					 n + 1, off - PCAP_REC_HDR_LEN, incl,
					 len - off);
		if (frames) {
			frames[n].data = buf + off;
			frames[n].len = incl;
			frames[n].orig_len = orig;
		}
		off += incl;
		n++;
	}
	*nr = n;
	return 0;
}

int pcap_parse(const void *buf, size_t len, struct pcap_file *pf, char *err,
	       size_t errlen)
{
	const __u8 *p = buf;
	__u32 magic;
	size_t nr;
	int ret;

	memset(pf, 0, sizeof(*pf));
	if (len < PCAP_FILE_HDR_LEN)
		return pcap_fail(-EINVAL, err, errlen,
				 "truncated: %zu bytes is shorter than the %d-byte pcap file header",
				 len, PCAP_FILE_HDR_LEN);
	memcpy(&magic, p, sizeof(magic));
	switch (magic) {
	case PCAP_MAGIC_USEC:
		break;
	case PCAP_MAGIC_NSEC:
		pf->nsec = true;
		break;
	case __builtin_bswap32(PCAP_MAGIC_USEC):
		pf->swapped = true;
		break;
	case __builtin_bswap32(PCAP_MAGIC_NSEC):
		pf->swapped = pf->nsec = true;
		break;
	case 0x0a0d0d0aU:
		return pcap_fail(-EINVAL, err, errlen,
				 "this is a pcapng file; convert it to classic pcap with 'editcap -F pcap IN OUT' or 'tcpdump -r IN -w OUT'");
	default:
		return pcap_fail(-EINVAL, err, errlen,
				 "not a pcap file (magic %02x %02x %02x %02x)",
				 p[0], p[1], p[2], p[3]);
	}
	pf->snaplen = pcap_u32(pf, p + 16);
	/* Low 16 bits: link type; upper bits carry FCS information. */
	pf->linktype = pcap_u32(pf, p + 20) & 0xffff;
	if (pf->linktype != PCAP_LINKTYPE_ETHERNET)
		return pcap_fail(-EPROTONOSUPPORT, err, errlen,
				 "link type %u is not Ethernet (1); only Ethernet captures can be replayed",
				 pf->linktype);

	ret = pcap_walk(pf, p, len, NULL, &nr, err, errlen);
	if (ret)
		return ret;
	pf->frames = calloc(nr ? nr : 1, sizeof(*pf->frames));
	if (!pf->frames)
		return pcap_fail(-ENOMEM, err, errlen, "out of memory");
	pf->nr_frames = nr;
	return pcap_walk(pf, p, len, pf->frames, &nr, err, errlen);
}

int pcap_load(const char *path, struct pcap_file *pf, char *err,
	      size_t errlen)
{
	struct stat st;
	__u8 *buf = NULL;
	size_t got = 0;
	ssize_t n;
	int fd, ret;

	memset(pf, 0, sizeof(*pf));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pcap_fail(-errno, err, errlen, "cannot open: %s",
				 strerror(errno));
	if (fstat(fd, &st)) {
		ret = pcap_fail(-errno, err, errlen, "cannot stat: %s",
				strerror(errno));
		goto err_close;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = pcap_fail(-EINVAL, err, errlen, "not a regular file");
		goto err_close;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf) {
		ret = pcap_fail(-ENOMEM, err, errlen, "out of memory");
		goto err_close;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = pcap_fail(n ? -errno : -EIO, err, errlen,
					"read failed: %s",
					n ? strerror(errno) : "short read");
			goto err_free;
		}
		got += n;
	}
	close(fd);

	ret = pcap_parse(buf, got, pf, err, errlen);
	if (ret) {
		free(pf->frames);
		pf->frames = NULL;
		free(buf);
		return ret;
	}
	pf->buf = buf;
	return 0;

err_free:
	free(buf);
err_close:
	close(fd);
	return ret;
}

void pcap_free(struct pcap_file *pf)
{
	free(pf->frames);
	free(pf->buf);
	memset(pf, 0, sizeof(*pf));
}
