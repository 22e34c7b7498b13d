// SPDX-License-Identifier: GPL-2.0
/*
 * udpflood: send or receive a counted UDP flood through the kernel stack,
 * with per-datagram sequence numbers and a payload checksum so that the
 * receiver can tell lost, duplicated, reordered and corrupted datagrams.
 *
 *   udpflood send --dst IP --port P --count N [--size B] [--pps R] [--sport P]
 *   udpflood recv --port P --count N [--timeout S] [--idle S] [--bind IP]
 *
 * recv prints one line
 *   received=N expected=N lost=N dup=N corrupt=N reordered=N
 * and exits 0 only when every datagram arrived exactly once and intact.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define UF_MAGIC 0x70707864u /* "ppxd" */
#define UF_HDR_LEN 16
#define UF_MAX_SIZE 65000

struct uf_hdr {
	uint32_t magic;
	uint32_t len;  /* payload length including this header */
	uint32_t seq;
	uint32_t csum; /* FNV-1a over bytes [UF_HDR_LEN, len) */
};

struct uf_opts {
	const char *dst;
	const char *bind;
	unsigned int port;
	unsigned int sport;
	unsigned long count;
	unsigned int size;
	unsigned long pps;
	double timeout;
	double idle; /* recv: stop after this long without a datagram, 0 = no */
};

static uint32_t fnv1a(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--) {
		h ^= *p++;
		h *= 16777619u;
	}
	return h;
}

/* Payload bytes depend on the sequence number so a swapped body shows. */
static void fill_payload(uint8_t *buf, uint32_t len, uint32_t seq)
{
	struct uf_hdr h = { .magic = htonl(UF_MAGIC), .len = htonl(len),
			    .seq = htonl(seq) };
	uint32_t i;

	for (i = UF_HDR_LEN; i < len; i++)
		buf[i] = (uint8_t)(seq * 31 + i);
	h.csum = htonl(fnv1a(buf + UF_HDR_LEN, len - UF_HDR_LEN));
	memcpy(buf, &h, sizeof(h));
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int parse_addr(const char *s, unsigned int port,
		      struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		*len = sizeof(*in4);
		return 0;
	}
	if (inet_pton(AF_INET6, s, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		*len = sizeof(*in6);
		return 0;
	}
	fprintf(stderr, "udpflood: invalid address '%s'\n", s);
	return -EINVAL;
}

static int do_send(const struct uf_opts *o)
{
	struct sockaddr_storage dst, src;
	socklen_t dlen, slen;
	uint8_t *buf;
	double start, gap;
	unsigned long seq;
	int fd, err = 0;

	if (!o->dst) {
		fprintf(stderr, "udpflood: send needs --dst IP\n");
		return -EINVAL;
	}
	err = parse_addr(o->dst, o->port, &dst, &dlen);
	if (err)
		return err;
	fd = socket(dst.ss_family, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("udpflood: socket");
		return -errno;
	}
	if (o->sport) {
		parse_addr(dst.ss_family == AF_INET ? "0.0.0.0" : "::",
			   o->sport, &src, &slen);
		if (bind(fd, (struct sockaddr *)&src, slen)) {
			perror("udpflood: bind");
			err = -errno;
			goto out_close;
		}
	}
	buf = malloc(o->size);
	if (!buf) {
		err = -ENOMEM;
		goto out_close;
	}
	gap = o->pps ? 1.0 / o->pps : 0;
	start = now_s();
	for (seq = 0; seq < o->count; seq++) {
		fill_payload(buf, o->size, seq);
		/* Pace against the schedule, not the previous send. */
		while (gap && now_s() < start + seq * gap)
			;
		if (sendto(fd, buf, o->size, 0, (struct sockaddr *)&dst,
			   dlen) < 0) {
			if (errno == ENOBUFS || errno == EAGAIN) {
				usleep(100);
				seq--;
				continue;
			}
			fprintf(stderr, "udpflood: sendto %s: %s\n", o->dst,
				strerror(errno));
			err = -errno;
			break;
		}
	}
	printf("sent=%lu seconds=%.3f\n", seq, now_s() - start);
	free(buf);
out_close:
	close(fd);
	return err;
}

static int do_recv(const struct uf_opts *o)
{
	unsigned long received = 0, dup = 0, corrupt = 0, reordered = 0;
	struct sockaddr_storage sa;
	uint8_t *seen, *buf;
	socklen_t slen;
	int fd, one = 1, rcvbuf = 16 << 20, err = 0;
	uint32_t last = 0;
	double deadline;

	err = parse_addr(o->bind ? o->bind : "::", o->port, &sa, &slen);
	if (err)
		return err;
	fd = socket(sa.ss_family, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("udpflood: socket");
		return -errno;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&sa, slen)) {
		fprintf(stderr, "udpflood: bind port %u: %s\n", o->port,
			strerror(errno));
		close(fd);
		return -errno;
	}
	seen = calloc(o->count ? o->count : 1, 1);
	buf = malloc(UF_MAX_SIZE);
	if (!seen || !buf) {
		err = -ENOMEM;
		goto out;
	}
	/* Tell a waiting script that the socket is bound. */
	printf("ready port=%u\n", o->port);
	fflush(stdout);

	deadline = now_s() + o->timeout;
	while (received < o->count) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		double left = deadline - now_s(), wait = left;
		struct uf_hdr h;
		ssize_t n;

		/* Once datagrams flow, a pause of --idle means the flood is over. */
		if (o->idle > 0 && (received || dup || corrupt) && o->idle < wait)
			wait = o->idle;
		if (left <= 0 || poll(&pfd, 1, (int)(wait * 1000) + 1) <= 0)
			break;
		n = recv(fd, buf, UF_MAX_SIZE, 0);
		if (n < 0)
			continue;
		if (n < UF_HDR_LEN) {
			corrupt++;
			continue;
		}
		memcpy(&h, buf, sizeof(h));
		if (ntohl(h.magic) != UF_MAGIC || ntohl(h.len) != (uint32_t)n ||
		    ntohl(h.seq) >= o->count ||
		    ntohl(h.csum) != fnv1a(buf + UF_HDR_LEN, n - UF_HDR_LEN)) {
			corrupt++;
			continue;
		}
		h.seq = ntohl(h.seq);
		if (seen[h.seq]) {
			dup++;
			continue;
		}
		if (received && h.seq < last)
			reordered++;
		last = h.seq;
		seen[h.seq] = 1;
		received++;
	}
	/*
	 * Once all arrived, wait a little for duplicates or strays. After a
	 * timeout there is nothing to learn: late datagrams are lost ones.
	 */
	while (received == o->count) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 100) <= 0)
			break;
		n = recv(fd, buf, UF_MAX_SIZE, 0);
		if (n >= UF_HDR_LEN && ntohl(((struct uf_hdr *)buf)->magic) == UF_MAGIC)
			dup++;
		else if (n >= 0)
			corrupt++;
	}
	printf("received=%lu expected=%lu lost=%lu dup=%lu corrupt=%lu reordered=%lu\n",
	       received, o->count, o->count - received, dup, corrupt,
	       reordered);
	if (received != o->count || dup || corrupt)
		err = -EIO;
out:
	free(seen);
	free(buf);
	close(fd);
	return err;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: udpflood send --dst IP --port P --count N [--size B] [--pps R] [--sport P]\n"
		"       udpflood recv --port P --count N [--timeout S] [--idle S] [--bind IP]\n"
		"  --size   datagram payload bytes, %d..%d (default 64)\n"
		"  --pps    send rate limit, 0 = unlimited (default 0)\n"
		"  --timeout seconds recv waits for the whole count (default 10)\n"
		"  --idle   seconds without a datagram, once some arrived, that end recv\n",
		UF_HDR_LEN, UF_MAX_SIZE);
}

static int parse_ulong(const char *s, const char *what, unsigned long max,
		       unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 0);
	if (errno || *end || end == s || *out > max || *s == '-') {
		fprintf(stderr, "udpflood: invalid %s '%s'\n", what, s);
		return -EINVAL;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dst", required_argument, NULL, 'd' },
		{ "bind", required_argument, NULL, 'b' },
		{ "port", required_argument, NULL, 'p' },
		{ "sport", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'c' },
		{ "size", required_argument, NULL, 'S' },
		{ "pps", required_argument, NULL, 'r' },
		{ "timeout", required_argument, NULL, 't' },
		{ "idle", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct uf_opts o = { .size = 64, .timeout = 10 };
	unsigned long v;
	const char *mode;
	int c, err = 0;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	mode = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o.dst = optarg; break;
		case 'b': o.bind = optarg; break;
		case 'p': err = parse_ulong(optarg, "port", 65535, &v); o.port = v; break;
		case 's': err = parse_ulong(optarg, "port", 65535, &v); o.sport = v; break;
		case 'c': err = parse_ulong(optarg, "count", 100000000, &o.count); break;
		case 'S': err = parse_ulong(optarg, "size", UF_MAX_SIZE, &v); o.size = v; break;
		case 'r': err = parse_ulong(optarg, "pps", 100000000, &o.pps); break;
		case 't': o.timeout = atof(optarg); break;
		case 'i': o.idle = atof(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
		if (err)
			return 2;
	}
	if (!o.port || !o.count || o.size < UF_HDR_LEN) {
		fprintf(stderr, "udpflood: --port and --count are required, --size >= %d\n",
			UF_HDR_LEN);
		return 2;
	}
	if (!strcmp(mode, "send"))
		err = do_send(&o);
	else if (!strcmp(mode, "recv"))
		err = do_recv(&o);
	else {
		fprintf(stderr, "udpflood: unknown mode '%s' (send or recv)\n", mode);
		return 2;
	}
	return err ? 1 : 0;
}
