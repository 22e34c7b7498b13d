// SPDX-License-Identifier: GPL-2.0
/*
 * Running XDP programs with BPF_PROG_RUN, reading their counters, private
 * network namespaces. See progrun.h.
 */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <criterion/criterion.h>

#include "progrun.h"

#define PR_ETH_HLEN 14

void pr_run(int prog_fd, const void *pkt, size_t len, __u32 ingress_ifindex,
	    struct pr_run *r)
{
	struct xdp_md ctx = {
		.data_end = len,
		.ingress_ifindex = ingress_ifindex,
	};
	int err;

	cr_assert(len <= PR_FRAME_MAX, "frame of %zu bytes too long", len);
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		    .data_in = pkt,
		    .data_size_in = len,
		    .data_out = r->out,
		    .data_size_out = sizeof(r->out),
		    .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx),
		    .repeat = 1);

	err = bpf_prog_test_run_opts(prog_fd, &opts);
	r->err = err ? -errno : 0;
	r->retval = err ? (__u32)-1 : opts.retval;
	r->out_len = err ? 0 : opts.data_size_out;
}

__u32 pr_run_ok(int prog_fd, const void *pkt, size_t len,
		__u32 ingress_ifindex, struct pr_run *r)
{
	pr_run(prog_fd, pkt, len, ingress_ifindex, r);
	cr_assert(r->err == 0, "BPF_PROG_RUN on a %zu-byte frame failed: %s",
		  len, strerror(-r->err));
	cr_assert(r->out_len == len, "output is %u bytes, input %zu",
		  r->out_len, len);
	return r->retval;
}

bool pr_run_runt(int prog_fd, const void *pkt, size_t len,
		 __u32 ingress_ifindex, struct pr_run *r)
{
	if (len >= PR_ETH_HLEN) {
		pr_run_ok(prog_fd, pkt, len, ingress_ifindex, r);
		return true;
	}
	pr_run(prog_fd, pkt, len, ingress_ifindex, r);
	if (r->err == -EINVAL)
		return false;
	cr_assert(r->err == 0, "BPF_PROG_RUN on a %zu-byte frame failed: %s",
		  len, strerror(-r->err));
	cr_assert(r->out_len == len, "output is %u bytes, input %zu",
		  r->out_len, len);
	return true;
}

static int nr_cpus(void)
{
	static int n;

	if (!n) {
		n = libbpf_num_possible_cpus();
		cr_assert(n > 0, "cannot count possible CPUs: %d", n);
	}
	return n;
}

void pr_ctr_read(const struct bpf_map *map, __u32 key, struct ppxdp_ctr *c)
{
	int i, n = nr_cpus();
	struct ppxdp_ctr v[n];

	cr_assert(bpf_map__value_size(map) == sizeof(*c),
		  "%s: value size %u, want %zu", bpf_map__name(map),
		  bpf_map__value_size(map), sizeof(*c));
	cr_assert(bpf_map_lookup_elem(bpf_map__fd(map), &key, v) == 0,
		  "lookup of %s[%u]: %s", bpf_map__name(map), key,
		  strerror(errno));
	memset(c, 0, sizeof(*c));
	for (i = 0; i < n; i++) {
		c->packets += v[i].packets;
		c->bytes += v[i].bytes;
	}
}

void pr_stats_read(const struct bpf_map *map, struct ppxdp_xdp_stats *s)
{
	int i, j, n = nr_cpus();
	struct ppxdp_xdp_stats v[n];
	__u32 key = 0;

	cr_assert(bpf_map__value_size(map) == sizeof(*s),
		  "%s: value size %u, want %zu", bpf_map__name(map),
		  bpf_map__value_size(map), sizeof(*s));
	cr_assert(bpf_map_lookup_elem(bpf_map__fd(map), &key, v) == 0,
		  "lookup of %s: %s", bpf_map__name(map), strerror(errno));
	memset(s, 0, sizeof(*s));
	for (i = 0; i < n; i++) {
		struct ppxdp_ctr *dst = &s->aborted, *src = &v[i].aborted;

		for (j = 0; j < (int)(sizeof(*s) / sizeof(*dst)); j++) {
			dst[j].packets += src[j].packets;
			dst[j].bytes += src[j].bytes;
		}
	}
}

static const char *const stats_fields[] = {
	"aborted", "drop", "pass", "tx", "redirect", "redirect_err",
	"malformed",
};

void pr_stats_expect(const struct ppxdp_xdp_stats *got,
		     const struct ppxdp_xdp_stats *want)
{
	const struct ppxdp_ctr *g = &got->aborted, *w = &want->aborted;
	size_t i;

	_Static_assert(sizeof(stats_fields) / sizeof(stats_fields[0]) ==
		       sizeof(*got) / sizeof(struct ppxdp_ctr),
		       "stats_fields out of date");
	for (i = 0; i < sizeof(stats_fields) / sizeof(stats_fields[0]); i++) {
		cr_expect(g[i].packets == w[i].packets,
			  "%s.packets = %llu, want %llu", stats_fields[i],
			  (unsigned long long)g[i].packets,
			  (unsigned long long)w[i].packets);
		cr_expect(g[i].bytes == w[i].bytes,
			  "%s.bytes = %llu, want %llu", stats_fields[i],
			  (unsigned long long)g[i].bytes,
			  (unsigned long long)w[i].bytes);
	}
	cr_assert(memcmp(got, want, sizeof(*got)) == 0, "counters differ");
}

void pr_ctr_add(struct ppxdp_ctr *c, __u64 len)
{
	c->packets++;
	c->bytes += len;
}

struct ppxdp_ctr *pr_action_ctr(struct ppxdp_xdp_stats *s, __u32 act)
{
	cr_assert(act < PPXDP_NR_ACTIONS, "action %u out of range", act);
	return &s->aborted + act;
}

const char *pr_action_name(__u32 act)
{
	static const char *const names[] = {
		"XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT",
	};

	return act < PPXDP_NR_ACTIONS ? names[act] : "XDP_<invalid>";
}

void pr_unpin_maps(struct bpf_object *obj)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj)
		cr_assert(bpf_map__set_pin_path(map, NULL) == 0,
			  "cannot clear the pin path of %s", bpf_map__name(map));
}

void pr_devmap_add(const struct bpf_map *map, __u32 key, __u32 ifindex)
{
	struct bpf_devmap_val v = { .ifindex = ifindex };

	cr_assert(bpf_map_update_elem(bpf_map__fd(map), &key, &v, BPF_ANY) == 0,
		  "%s[%u] = ifindex %u: %s", bpf_map__name(map), key, ifindex,
		  strerror(errno));
}

void pr_cmd(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	cr_assert(rc == 0, "'%s' failed (status %d)", cmd, rc);
}

void pr_netns_private(void)
{
	cr_assert(unshare(CLONE_NEWNET) == 0,
		  "unshare(CLONE_NEWNET): %s (the tests need root)",
		  strerror(errno));
	pr_cmd("ip link set dev lo up");
	/* No IPv6 autoconfiguration chatter on the test veths. */
	pr_cmd("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 "
		"net.ipv6.conf.default.disable_ipv6=1");
}

void pr_veth_add(const char *a, const char *b, int *ifa, int *ifb)
{
	pr_cmd("ip link add dev %s type veth peer name %s", a, b);
	pr_cmd("ip link set dev %s up && ip link set dev %s up", a, b);
	*ifa = if_nametoindex(a);
	*ifb = if_nametoindex(b);
	cr_assert(*ifa > 0 && *ifb > 0, "veth %s/%s has no ifindex", a, b);
}

void pr_check_common_maps(struct bpf_object *obj, const char *stats_name)
{
	const struct bpf_map *stats, *info;
	const char *pin;

	stats = bpf_object__find_map_by_name(obj, stats_name);
	info = bpf_object__find_map_by_name(obj, "ppxdp_info");
	cr_assert(stats, "no map %s", stats_name);
	cr_assert(info, "no map ppxdp_info: the compiler dropped it?");

	cr_assert(bpf_map__type(stats) == BPF_MAP_TYPE_PERCPU_ARRAY,
		  "%s is not a per-CPU array", stats_name);
	cr_assert(bpf_map__max_entries(stats) == 1 &&
		  bpf_map__key_size(stats) == sizeof(__u32) &&
		  bpf_map__value_size(stats) == sizeof(struct ppxdp_xdp_stats),
		  "%s layout differs from bpf/xdp_stats.h", stats_name);
	pin = bpf_map__pin_path(stats);
	/* libbpf's default root here; iproute2 uses /sys/fs/bpf/tc/globals. */
	cr_assert(pin && strlen(pin) > strlen(stats_name) &&
		  !strcmp(pin + strlen(pin) - strlen(stats_name), stats_name),
		  "%s is not pinned by name (pin path %s)", stats_name,
		  pin ? pin : "none");

	cr_assert(bpf_map__type(info) == BPF_MAP_TYPE_ARRAY &&
		  bpf_map__max_entries(info) == 1 &&
		  bpf_map__value_size(info) == sizeof(struct ppxdp_attach_info),
		  "ppxdp_info layout differs from bpf/xdp_stats.h");
	cr_assert(bpf_map__pin_path(info) == NULL,
		  "ppxdp_info must not be pinned by the program");
}

void pr_run_live(int prog_fd, const void *pkt, size_t len,
		 __u32 ingress_ifindex, __u32 repeat)
{
	struct xdp_md ctx = {
		.data_end = len,
		.ingress_ifindex = ingress_ifindex,
	};
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		    .data_in = pkt,
		    .data_size_in = len,
		    .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx),
		    .repeat = repeat,
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES);

	cr_assert(bpf_prog_test_run_opts(prog_fd, &opts) == 0,
		  "live-frames BPF_PROG_RUN: %s", strerror(errno));
}

void pr_xdp_attach(int ifindex, int prog_fd)
{
	int err = bpf_xdp_attach(ifindex, prog_fd, XDP_FLAGS_DRV_MODE, NULL);

	cr_assert(err == 0, "attaching XDP in native mode to ifindex %d: %s",
		  ifindex, strerror(-err));
}

int pr_packet_socket(int ifindex)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = ifindex,
	};
	struct timeval tv = { .tv_sec = 2 };
	int fd, rcvbuf = 16 << 20, one = 1;

	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	cr_assert(fd >= 0, "AF_PACKET socket: %s", strerror(errno));
	cr_assert(bind(fd, (struct sockaddr *)&sll, sizeof(sll)) == 0,
		  "bind AF_PACKET to ifindex %d: %s", ifindex, strerror(errno));
	cr_assert(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0);
	/* Only what arrives: frames a test sends out of ifindex are not news. */
	cr_assert(setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
			     sizeof(one)) == 0,
		  "PACKET_IGNORE_OUTGOING: %s", strerror(errno));
	/* Frames passed by XDP cost a page each: room for a few hundred. */
	cr_assert(setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
			     sizeof(rcvbuf)) == 0,
		  "SO_RCVBUFFORCE: %s", strerror(errno));
	return fd;
}

void pr_packet_send(int fd, const void *frame, size_t len, unsigned int n)
{
	unsigned int i;
	ssize_t r;

	for (i = 0; i < n; i++) {
		r = send(fd, frame, len, 0);
		cr_assert(r == (ssize_t)len, "sending frame %u of %u: %s", i, n,
			  r < 0 ? strerror(errno) : "short write");
	}
}

/* Where the last unexpected frame differed, for the failure message. */
static void describe_other(const __u8 *buf, size_t r, const __u8 *want,
			   size_t len, char *out, size_t outlen)
{
	size_t i, n = r < len ? r : len;

	for (i = 0; i < n && buf[i] == want[i]; i++)
		;
	if (i < n)
		snprintf(out, outlen,
			 "last other: %zu bytes, first difference at byte %zu (0x%02x, want 0x%02x)",
			 r, i, buf[i], want[i]);
	else
		snprintf(out, outlen, "last other: %zu bytes, want %zu", r, len);
}

void pr_packet_expect(int fd, const void *want, size_t len, unsigned int n)
{
	__u8 buf[PR_FRAME_MAX];
	unsigned int got = 0, other = 0;
	char last[128] = "";
	ssize_t r;

	while (got < n) {
		r = recv(fd, buf, sizeof(buf), 0);
		cr_assert(r >= 0, "received %u of %u frames (%u others%s%s): %s",
			  got, n, other, other ? "; " : "", last,
			  strerror(errno));
		if ((size_t)r == len && !memcmp(buf, want, len)) {
			got++;
		} else {
			describe_other(buf, r, want, len, last, sizeof(last));
			cr_assert(++other < 100,
				  "only unexpected frames arrive (%s)", last);
		}
	}
}
