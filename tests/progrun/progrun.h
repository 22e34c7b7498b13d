/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers of the BPF_PROG_RUN tests (see README): crafted frames,
 * running a program on one frame, per-CPU counter sums, fwd rule tables and
 * private network namespaces with veth pairs. Everything is prefixed pr_
 * because the loader objects are linked into the same binary.
 */
#ifndef PPXDP_PROGRUN_H
#define PPXDP_PROGRUN_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <criterion/criterion.h>

#include "xdp_stats.h"
#include "fwd.h"

#define PR_FRAME_MAX 2048

/* ------------------------------------------------------------------ */
/* Frames                                                              */

#define PR_MAX_EXT 12

/*
 * What pr_frame_build() writes. Zeroed fields take defaults: MACs
 * 02:00:00:00:00:02 <- 02:00:00:00:00:01, TTL 64, no VLAN tag.
 */
struct pr_frame_spec {
	__u8 dmac[6];
	__u8 smac[6];
	__u16 vlan_tpid[2];  /* outer first; 0 = no tag */
	__u16 vlan_tci[2];
	int family;          /* 4, 6, or 0 for a non-IP frame */
	__u16 ethertype;     /* family 0: ethertype of the frame */
	const char *saddr;   /* text, inet_pton() of the family */
	const char *daddr;
	__u8 ttl;            /* TTL / hop limit, 0 -> 64 */
	__u8 l4proto;        /* IPPROTO_*: TCP, UDP, UDPLITE, SCTP, ICMP and
			      * ICMPV6 get their header, others none */
	__u16 sport, dport;
	__u8 ip4_optlen;     /* bytes of IPv4 options, multiple of 4 <= 40 */
	__u16 ip4_frag;      /* IPv4 frag_off field (host order): IP_MF|off/8 */
	__u8 ext[PR_MAX_EXT]; /* IPv6 extension headers, in order */
	int nr_ext;
	__u16 frag6;         /* IPv6 fragment header frag_off (host order) */
	size_t payload;      /* bytes after the L4 header (or after IP) */
};

struct pr_frame {
	__u8 data[PR_FRAME_MAX];
	size_t len;
	size_t l3_off; /* IP header (or payload of a non-IP frame) */
	size_t l4_off; /* L4 header (IP only) */
};

/* Build a frame; aborts the test on an impossible spec. */
void pr_frame_build(struct pr_frame *f, const struct pr_frame_spec *s);
/* IPv4 header checksum computed from scratch (check field taken as 0). */
__u16 pr_ip4_csum(const void *iph);
/* Address text -> 4 or 16 bytes; aborts the test on bad text. */
void pr_addr(int family, const char *text, __u8 *out);

/* ------------------------------------------------------------------ */
/* Running a program                                                   */

struct pr_run {
	int err;        /* bpf_prog_test_run_opts() result, -errno */
	__u32 retval;   /* XDP action */
	__u8 out[PR_FRAME_MAX];
	__u32 out_len;
};

/*
 * Run prog_fd once on len bytes of pkt with ingress_ifindex (0: the
 * kernel's default, loopback), with data_out. r->err is 0 or -errno.
 */
void pr_run(int prog_fd, const void *pkt, size_t len, __u32 ingress_ifindex,
	    struct pr_run *r);
/* pr_run() that asserts success and an output as long as the input. */
__u32 pr_run_ok(int prog_fd, const void *pkt, size_t len,
		__u32 ingress_ifindex, struct pr_run *r);
/*
 * pr_run_ok() for any length, runts included. Kernels refuse XDP test runs
 * of less than ETH_HLEN bytes with EINVAL (6.18 does, metadata or not):
 * returns false for such a refusal, true when the frame ran.
 */
bool pr_run_runt(int prog_fd, const void *pkt, size_t len,
		 __u32 ingress_ifindex, struct pr_run *r);

/* Sum the per-CPU counters of a stats map (NAME_stats). */
void pr_stats_read(const struct bpf_map *map, struct ppxdp_xdp_stats *s);
/* Sum one per-CPU struct ppxdp_ctr entry (fwd_rule_stats). */
void pr_ctr_read(const struct bpf_map *map, __u32 key, struct ppxdp_ctr *c);
/* Assert every counter of got equals want, naming the field on failure. */
void pr_stats_expect(const struct ppxdp_xdp_stats *got,
		     const struct ppxdp_xdp_stats *want);
/* want->FIELD += one frame of len bytes */
void pr_ctr_add(struct ppxdp_ctr *c, __u64 len);
/* Pointer to the counter of action act within s. */
struct ppxdp_ctr *pr_action_ctr(struct ppxdp_xdp_stats *s, __u32 act);

/*
 * Drop the pin-by-name attribute of every map before load, so that tests
 * get private maps (libbpf would otherwise pin under /sys/fs/bpf and share
 * them between tests running in parallel).
 */
void pr_unpin_maps(struct bpf_object *obj);

const char *pr_action_name(__u32 act);

/*
 * The maps every program carries, checked on an opened (not yet loaded)
 * object: NAME_stats per-CPU and pinned by name, ppxdp_info present and
 * not pinned.
 */
void pr_check_common_maps(struct bpf_object *obj, const char *stats_name);

/* ------------------------------------------------------------------ */
/* fwd rule tables                                                     */

/*
 * One rule as the tests write it: prefixes as text ("10.0.0.0/8",
 * "2001:db8::/32"; NULL = any address of any family) plus the fwd_rule
 * fields. A rule with a prefix of one family never matches the other.
 */
struct pr_rule {
	const char *src;
	const char *dst;
	struct fwd_rule r;
};

/*
 * Fill fwd_rules, fwd_src4/dst4/src6/dst6 of a loaded fwd object from
 * rules[0..n) (rule id = index): every distinct prefix, plus /0, gets the
 * bitmap of the rules covering it. Asserts on failure.
 */
void pr_fwd_load_rules(struct bpf_object *obj, const struct pr_rule *rules,
		       size_t n);
/* Add a fwd_neigh entry: egress ifindex, next hop text -> dmac/smac. */
void pr_fwd_add_neigh(struct bpf_object *obj, __u32 ifindex, int family,
		      const char *addr, const __u8 dmac[6], const __u8 smac[6]);
/* Add ifindex to a DEVMAP_HASH keyed by ifindex (fwd_ports). */
void pr_devmap_add(const struct bpf_map *map, __u32 key, __u32 ifindex);

/* ------------------------------------------------------------------ */
/* Network namespaces                                                  */

/*
 * Move the calling test process into a new network namespace (criterion
 * runs every test in its own process, so nothing leaks) and bring lo up.
 */
void pr_netns_private(void);
/*
 * Run prog_fd on repeat copies of the frame in live-frames mode: the
 * actions are carried out (XDP_TX and XDP_REDIRECT really transmit).
 */
void pr_run_live(int prog_fd, const void *pkt, size_t len,
		 __u32 ingress_ifindex, __u32 repeat);
/* Attach prog_fd to ifindex in native (driver) mode. */
void pr_xdp_attach(int ifindex, int prog_fd);
/*
 * AF_PACKET socket bound to ifindex, 2 s receive timeout: receives every
 * frame arriving on ifindex (not those sent out of it), and sends frames
 * out of it (pr_packet_send).
 */
int pr_packet_socket(int ifindex);
/* Send n copies of a frame through a pr_packet_socket(). */
void pr_packet_send(int fd, const void *frame, size_t len, unsigned int n);
/* Receive until n frames equal to want[0..len) arrived; assert on timeout. */
void pr_packet_expect(int fd, const void *want, size_t len, unsigned int n);
/* Run a shell command (printf format); assert it succeeds. */
void pr_cmd(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Create veth pair a <-> b in the current netns, both up; ifindexes out. */
void pr_veth_add(const char *a, const char *b, int *ifa, int *ifb);

#endif /* PPXDP_PROGRUN_H */
