// SPDX-License-Identifier: GPL-2.0
/*
 * ppxdp gen: an XDP traffic generator built on BPF_PROG_RUN live frames.
 *
 * One thread per requested CPU, each pinned, calls BPF_PROG_RUN with
 * BPF_F_TEST_XDP_LIVE_FRAMES on bpf/gen.bpf.c, whose XDP program redirects
 * every frame out of IF. --count N is split across the threads and every
 * call's repeat is cut so that exactly N frames are run. Tracepoint
 * programs count the frames per bulk, as IF's ndo_xdp_xmit takes or
 * refuses them, so "sent" is what IF accepted and the program itself
 * keeps no per-frame state (bpf/gen.h).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <libmnl/libmnl.h>

#include "main.h"
#include "options.h"
#include "pktbuild.h"
#include "trace.h"
#include "gen.h"
#include "gen.skel.h"

#define GEN_DEF_SPORT 1024
#define GEN_DEF_DPORT 9 /* discard */
#define GEN_DEF_SIZE 64
#define GEN_UNSET_PORT 0xffffffffU
#define GEN_CALL_NS 250000000ULL /* aim for 250 ms per BPF_PROG_RUN call, */
#define GEN_CALLS_PER_INTERVAL 4  /* and at least 4 calls per --interval */
#define GEN_CHUNK_MIN 64ULL
#define GEN_CHUNK_MAX (1ULL << 24)

enum gen_proto { GEN_UDP = IPPROTO_UDP, GEN_TCP = IPPROTO_TCP };

static const struct opt_enum gen_proto_names[] = {
	{ "udp", GEN_UDP },
	{ "tcp", GEN_TCP },
	{ NULL },
};

struct gen_opts {
	struct opt_iface iface;
	const char *src_mac;
	const char *dst_mac;
	const char *src;
	const char *dst;
	__u32 sport;
	__u32 dport;
	unsigned int proto;
	bool ipv4;
	bool ipv6;
	__u32 size;
	__u32 flows;
	__u32 count;
	double duration;
	__u32 threads;
	const char *pcap;
	double interval;
};

#define GEN_OPT(n, t, f, mv, h, ...) \
	{ .name = n, .type = t, .offset = offsetof(struct gen_opts, f), \
	  .metavar = mv, .help = h, __VA_ARGS__ }

static const struct opt_spec gen_specs[] = {
	{ .name = "IF", .type = OPT_IFNAME,
	  .flags = OPT_POSITIONAL | OPT_REQUIRED,
	  .offset = offsetof(struct gen_opts, iface),
	  .help = "interface to send out of (XDP redirect target)" },
	GEN_OPT("src-mac", OPT_STRING, src_mac, "MAC",
		"source MAC (default: IF's address)"),
	GEN_OPT("dst-mac", OPT_STRING, dst_mac, "MAC",
		"destination MAC (default: the veth peer's address, else broadcast)"),
	GEN_OPT("src", OPT_STRING, src, "IP",
		"source address (default 198.18.0.1 or 2001:2::1)"),
	GEN_OPT("dst", OPT_STRING, dst, "IP",
		"destination address (default 198.18.0.2 or 2001:2::2)"),
	GEN_OPT("sport", OPT_U32, sport, "PORT",
		"source port of the first flow (default 1024)",
		.min = 0, .max = 65535),
	GEN_OPT("dport", OPT_U32, dport, "PORT",
		"destination port (default 9)", .min = 0, .max = 65535),
	GEN_OPT("proto", OPT_ENUM, proto, NULL, "L4 protocol (default udp)",
		.enums = gen_proto_names),
	GEN_OPT("ipv4", OPT_BOOL, ipv4, NULL, "IPv4 frames (the default)"),
	GEN_OPT("ipv6", OPT_BOOL, ipv6, NULL, "IPv6 frames"),
	GEN_OPT("size", OPT_U32, size, "BYTES",
		"frame length without FCS (default 64)", .min = 14,
		.max = GEN_MAX_FRAME),
	GEN_OPT("flows", OPT_U32, flows, "N",
		"vary the source port over N flows (default 1)", .min = 1,
		.max = 65536),
	GEN_OPT("count", OPT_U32, count, "N", "send exactly N frames",
		.min = 1, .max = 4294967295.0),
	GEN_OPT("duration", OPT_DOUBLE, duration, "S", "send for S seconds",
		.min = 0.001, .max = 31536000),
	GEN_OPT("threads", OPT_U32, threads, "T",
		"sending threads, one per CPU (default 1)", .min = 1,
		.max = 4096),
	GEN_OPT("pcap", OPT_STRING, pcap, "FILE",
		"replay the frames of a classic pcap file in a loop"),
	GEN_OPT("interval", OPT_DOUBLE, interval, "S",
		"report every S seconds (default 1)", .min = 0.01,
		.max = 3600),
	{ NULL },
};

const struct opt_cmd gen_cmd = {
	.name = "gen",
	.summary = "send XDP frames out of an interface (BPF_PROG_RUN live frames)",
	.specs = gen_specs,
};

/* What rtnetlink tells about a link. */
struct gen_link {
	int ifindex;
	char name[IF_NAMESIZE];
	char kind[16];
	unsigned int flags;
	__u32 mtu;
	__u8 mac[PKT_ETH_ALEN];
	bool has_mac;
	int link;         /* IFLA_LINK: the veth peer's ifindex */
	int link_netnsid; /* IFLA_LINK_NETNSID, -1: same namespace */
	__u8 xdp_attached;
	__u32 xdp_drv_prog;
};

/* The BPF_PROG_RUN input: the synthetic frame, or --pcap's first frame
 * (the program overwrites it with the frame at its cursor). */
struct gen_buf {
	__u8 data[GEN_MAX_FRAME];
	__u32 len;
};

struct gen_state;

struct gen_worker {
	struct gen_state *g;
	pthread_t thread;
	bool started;
	int cpu;
	__u64 quota;      /* frames to run with --count */
	int err;
	struct timespec end;
	__u64 kernel_ns; /* BPF_PROG_RUN's own timing, summed over frames */
	__u64 timed;     /* frames kernel_ns covers */
};

struct gen_totals {
	__u64 frames;    /* handed to bpf_redirect() */
	__u64 xmit_sent;
	__u64 xmit_drops;
	__u64 redirect_errs;
	__u64 bad;
	int last_err;
};

struct gen_interval {
	double elapsed;
	__u64 sent;
	__u64 errors;
	double pps;
};

struct gen_state {
	struct gen_opts o;
	struct gen_link link;
	struct gen_link peer;
	bool have_peer;
	struct pkt_spec spec;
	struct pcap_file pcap;
	struct gen_buf buf;
	__u32 pcap_max_len;
	__u64 until_ns; /* --duration deadline */
	struct gen *skel;
	int prog_fd;
	int nr_possible;
	struct gen_stats *percpu;
	bool tracing;
	bool tp_btf; /* devmap_xmit counted by the tp_btf program */
	struct gen_worker *workers;
	__u32 nr_workers;
	atomic_int running;
	struct timespec start;
	struct gen_interval *intervals;
	size_t nr_intervals;
};

static volatile sig_atomic_t gen_stop;

static void gen_on_signal(int sig)
{
	gen_stop = 1;
}

static double ts_diff(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) + (b->tv_nsec - a->tv_nsec) / 1e9;
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* rtnetlink */

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, IFLA_MAX) > 0)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int nested_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	/* IFLA_INFO_MAX and IFLA_XDP_MAX are both far below 32. */
	if (mnl_attr_get_type(attr) < 32)
		tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static int link_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1] = {};
	const struct nlattr *nest[32];
	struct gen_link *l = data;

	mnl_attr_parse(nlh, sizeof(*ifm), link_attr_cb, tb);
	l->ifindex = ifm->ifi_index;
	l->flags = ifm->ifi_flags;
	l->link = 0;
	l->link_netnsid = -1;
	if (tb[IFLA_IFNAME])
		snprintf(l->name, sizeof(l->name), "%s",
			 mnl_attr_get_str(tb[IFLA_IFNAME]));
	if (tb[IFLA_MTU])
		l->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_ADDRESS] &&
	    mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == PKT_ETH_ALEN) {
		memcpy(l->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]),
		       PKT_ETH_ALEN);
		l->has_mac = true;
	}
	if (tb[IFLA_LINK])
		l->link = mnl_attr_get_u32(tb[IFLA_LINK]);
	if (tb[IFLA_LINK_NETNSID])
		l->link_netnsid = (int)mnl_attr_get_u32(tb[IFLA_LINK_NETNSID]);
	if (tb[IFLA_LINKINFO]) {
		memset(nest, 0, sizeof(nest));
		mnl_attr_parse_nested(tb[IFLA_LINKINFO], nested_attr_cb, nest);
		if (nest[IFLA_INFO_KIND])
			snprintf(l->kind, sizeof(l->kind), "%s",
				 mnl_attr_get_str(nest[IFLA_INFO_KIND]));
	}
	if (tb[IFLA_XDP]) {
		memset(nest, 0, sizeof(nest));
		mnl_attr_parse_nested(tb[IFLA_XDP], nested_attr_cb, nest);
		if (nest[IFLA_XDP_ATTACHED])
			l->xdp_attached = mnl_attr_get_u8(nest[IFLA_XDP_ATTACHED]);
		if (l->xdp_attached == XDP_ATTACHED_DRV && nest[IFLA_XDP_PROG_ID])
			l->xdp_drv_prog = mnl_attr_get_u32(nest[IFLA_XDP_PROG_ID]);
		if (nest[IFLA_XDP_DRV_PROG_ID])
			l->xdp_drv_prog = mnl_attr_get_u32(nest[IFLA_XDP_DRV_PROG_ID]);
	}
	return MNL_CB_OK;
}

/* RTM_GETLINK for ifindex, in the namespace netnsid (-1: ours). */
static int link_query(int ifindex, int netnsid, struct gen_link *l)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	unsigned int seq, portid;
	int ret;

	memset(l, 0, sizeof(*l));
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq = time(NULL);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	if (netnsid >= 0)
		mnl_attr_put_u32(nlh, IFLA_TARGET_NETNSID, netnsid);

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		goto out;
	}
	ret = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (ret < 0) {
		ret = -errno;
		goto out;
	}
	ret = mnl_cb_run(buf, ret, seq, portid, link_msg_cb, l);
	ret = ret < 0 ? -errno : 0;
out:
	mnl_socket_close(nl);
	return ret;
}

/* GRO on a link of our namespace: 1 on, 0 off, negative errno. */
static int link_gro(const char *name)
{
	struct ethtool_value ev = { .cmd = ETHTOOL_GGRO };
	struct ifreq ifr = {};
	int fd, ret;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_data = (void *)&ev;
	ret = ioctl(fd, SIOCETHTOOL, &ifr) ? -errno : !!ev.data;
	close(fd);
	return ret;
}

static bool gen_is_veth(const struct gen_state *g)
{
	return !strcmp(g->link.kind, "veth");
}

/* The peer's name for messages: "veth1" or "ifindex 7 (netnsid 0)". */
static const char *peer_name(const struct gen_state *g, char *buf, size_t len)
{
	if (g->have_peer && g->peer.name[0] && g->link.link_netnsid < 0)
		snprintf(buf, len, "%s", g->peer.name);
	else if (g->have_peer && g->peer.name[0])
		snprintf(buf, len, "%s (netnsid %d)", g->peer.name,
			 g->link.link_netnsid);
	else
		snprintf(buf, len, "ifindex %d", g->link.link);
	return buf;
}

/*
 * Look at IF and, for a veth, at its peer. Refuse what cannot work (IF
 * down); warn about a peer that cannot take redirected frames. Returns 0
 * or a negative errno after p_err.
 */
static int gen_check_link(struct gen_state *g)
{
	const char *ifname = g->o.iface.name;
	char pname[64];
	int err, gro;

	err = link_query(g->o.iface.ifindex, -1, &g->link);
	if (err) {
		p_err("cannot read the state of %s over rtnetlink: %s", ifname,
		      strerror(-err));
		return err;
	}
	if (!(g->link.flags & IFF_UP)) {
		p_err("%s is down; bring it up with 'ip link set dev %s up'",
		      ifname, ifname);
		return -ENETDOWN;
	}
	if (!gen_is_veth(g) || !g->link.link)
		return 0;

	err = link_query(g->link.link, g->link.link_netnsid, &g->peer);
	if (err) {
		p_warn("cannot read the state of %s's veth peer (ifindex %d): %s",
		       ifname, g->link.link, strerror(-err));
		return 0;
	}
	g->have_peer = true;
	peer_name(g, pname, sizeof(pname));
	if (!(g->peer.flags & IFF_UP)) {
		p_warn("the veth peer %s of %s is down: it drops every redirected frame until 'ip link set dev %s up'",
		       pname, ifname, g->peer.name);
		return 0;
	}
	if (g->peer.xdp_drv_prog)
		return 0;
	if (g->link.link_netnsid >= 0) {
		/* GRO of a link in another namespace is not visible here;
		 * the probe frame tells. */
		return 0;
	}
	gro = link_gro(g->peer.name);
	if (gro == 0)
		p_warn("the veth peer %s has no native-mode XDP program and GRO is off, so it drops redirected frames; attach one (ppxdp attach %s drop) or 'ethtool -K %s gro on'",
		       pname, g->peer.name, g->peer.name);
	return 0;
}

/* What an errno from the redirect path means for the user. */
static void gen_explain(const struct gen_state *g, int err, char *buf, size_t len)
{
	const char *ifname = g->o.iface.name;
	char pname[64];

	switch (-err) {
	case 0:
		snprintf(buf, len,
			 "%s's transmit ring was full: the receiver is slower than the generator (fewer --threads, or a faster receiver)",
			 ifname);
		break;
	case ENXIO:
	case EOPNOTSUPP:
		/* veth advertises ndo_xdp_xmit (NETDEV_XDP_ACT_NDO_XMIT, 6.3+)
		 * only while its peer runs NAPI: older kernels fail later,
		 * in veth_xdp_xmit(), with ENXIO. */
		if (gen_is_veth(g))
			snprintf(buf, len,
				 "the veth peer %s cannot receive redirected frames (%s): it needs a native-mode XDP program (e.g. 'ppxdp attach %s drop' in its namespace) or GRO ('ethtool -K %s gro on'), and must be up",
				 peer_name(g, pname, sizeof(pname)),
				 -err == ENXIO ? "ENXIO" : "EOPNOTSUPP",
				 g->have_peer ? g->peer.name : "PEER",
				 g->have_peer ? g->peer.name : "PEER");
		else if (-err == ENXIO)
			snprintf(buf, len,
				 "%s has no XDP transmit queue ready (ENXIO)",
				 ifname);
		else
			snprintf(buf, len,
				 "%s's driver (%s) cannot transmit XDP frames: it has no ndo_xdp_xmit (EOPNOTSUPP); use a veth or a driver that is an XDP redirect target",
				 ifname, g->link.kind[0] ? g->link.kind : "physical");
		break;
	case ENETDOWN:
		snprintf(buf, len,
			 "%s is down (ENETDOWN): 'ip link set dev %s up'",
			 ifname, ifname);
		break;
	case EMSGSIZE:
		snprintf(buf, len,
			 "frames are larger than %s's MTU %u + 14 (EMSGSIZE): raise it with 'ip link set dev %s mtu N' or use a smaller --size",
			 ifname, g->link.mtu, ifname);
		break;
	case EINVAL:
		snprintf(buf, len,
			 "%s (ifindex %d) is gone or rejected the frames (EINVAL)",
			 ifname, g->o.iface.ifindex);
		break;
	default:
		snprintf(buf, len, "%s refused frames: %s", ifname,
			 strerror(-err));
	}
}

/* Frames */

static int parse_addr(const char *what, const char *str, int *family,
		      union pkt_addr *addr)
{
	if (inet_pton(AF_INET, str, &addr->v4) == 1) {
		if (*family == AF_INET6)
			return p_usage_err("%s %s is an IPv4 address but the frames are IPv6",
					   what, str);
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, str, &addr->v6) == 1) {
		if (*family == AF_INET)
			return p_usage_err("%s %s is an IPv6 address but the frames are IPv4 (drop --ipv4)",
					   what, str);
		*family = AF_INET6;
		return 0;
	}
	return p_usage_err("%s '%s' is not an IPv4 or IPv6 address", what,
			   str);
}

static int gen_build_spec(struct gen_state *g)
{
	struct gen_opts *o = &g->o;
	struct pkt_spec *s = &g->spec;
	int family = 0;
	unsigned int hlen;

	if (o->ipv4 && o->ipv6)
		return p_usage_err("--ipv4 and --ipv6 exclude each other");
	if (o->ipv4)
		family = AF_INET;
	if (o->ipv6)
		family = AF_INET6;
	if (o->src && parse_addr("--src", o->src, &family, &s->src))
		return -EINVAL;
	if (o->dst && parse_addr("--dst", o->dst, &family, &s->dst))
		return -EINVAL;
	if (!family)
		family = AF_INET;
	if (!o->src && family == AF_INET)
		inet_pton(AF_INET, "198.18.0.1", &s->src.v4);
	if (!o->dst && family == AF_INET)
		inet_pton(AF_INET, "198.18.0.2", &s->dst.v4);
	if (!o->src && family == AF_INET6)
		inet_pton(AF_INET6, "2001:2::1", &s->src.v6);
	if (!o->dst && family == AF_INET6)
		inet_pton(AF_INET6, "2001:2::2", &s->dst.v6);
	s->family = family;
	s->proto = o->proto;
	s->sport = o->sport == GEN_UNSET_PORT ? GEN_DEF_SPORT : o->sport;
	s->dport = o->dport == GEN_UNSET_PORT ? GEN_DEF_DPORT : o->dport;
	if ((__u32)s->sport + o->flows - 1 > 65535)
		return p_usage_err("--flows %u from --sport %u runs past port 65535; lower --sport to at most %u",
				   o->flows, s->sport, 65536 - o->flows);

	hlen = pkt_hdr_len(family, s->proto);
	if (!o->size)
		s->size = GEN_DEF_SIZE > hlen ? GEN_DEF_SIZE : hlen;
	else if (o->size < hlen)
		return p_usage_err("--size %u is smaller than the %u-byte Ethernet/%s/%s header",
				   o->size, hlen,
				   family == AF_INET ? "IPv4" : "IPv6",
				   s->proto == IPPROTO_UDP ? "UDP" : "TCP");
	else
		s->size = o->size;

	if (o->src_mac && pkt_parse_mac(o->src_mac, s->src_mac))
		return p_usage_err("--src-mac '%s' is not a MAC address like 02:00:00:00:00:01",
				   o->src_mac);
	if (!o->src_mac)
		memcpy(s->src_mac, g->link.mac, PKT_ETH_ALEN);
	if (o->dst_mac && pkt_parse_mac(o->dst_mac, s->dst_mac))
		return p_usage_err("--dst-mac '%s' is not a MAC address like 02:00:00:00:00:02",
				   o->dst_mac);
	if (!o->dst_mac) {
		if (g->have_peer && g->peer.has_mac)
			memcpy(s->dst_mac, g->peer.mac, PKT_ETH_ALEN);
		else
			memset(s->dst_mac, 0xff, PKT_ETH_ALEN);
	}
	return 0;
}

static int gen_check_size(const struct gen_state *g, __u32 size, const char *what)
{
	const char *ifname = g->o.iface.name;

	if (size > g->link.mtu + PKT_ETH_HLEN) {
		p_err("frames of %u bytes (%s) do not fit %s's MTU %u plus the 14-byte Ethernet header; raise it with 'ip link set dev %s mtu %u'",
		      size, what, ifname, g->link.mtu, ifname,
		      size - PKT_ETH_HLEN);
		return -EMSGSIZE;
	}
	/* veth checks the peer's MTU too (plus room for a VLAN tag). */
	if (g->have_peer && g->peer.mtu &&
	    size > g->peer.mtu + PKT_ETH_HLEN + 4) {
		p_err("frames of %u bytes (%s) do not fit the MTU %u of %s's veth peer %s; raise it with 'ip link set dev %s mtu %u'",
		      size, what, g->peer.mtu, ifname, g->peer.name,
		      g->peer.name, size - PKT_ETH_HLEN);
		return -EMSGSIZE;
	}
	return 0;
}

static int gen_make_frame(struct gen_state *g)
{
	int ret;

	ret = gen_check_size(g, g->spec.size, "--size");
	if (ret)
		return ret;
	ret = pkt_build(&g->spec, g->buf.data, sizeof(g->buf.data));
	if (ret < 0) {
		p_err("cannot build a %u-byte frame: %s", g->spec.size,
		      strerror(-ret));
		return ret;
	}
	g->buf.len = ret;
	return 0;
}

/* Map memory --pcap may use for its frames. */
#define GEN_PCAP_MEM_MAX (512ULL << 20)

static __u32 gen_slot_size(const struct gen_state *g)
{
	return GEN_SLOT_HDR + ((g->pcap_max_len + 7) & ~7U);
}

/* Load and check the capture; its frames go into gen_frames at load. */
static int gen_load_pcap(struct gen_state *g)
{
	const char *path = g->o.pcap;
	__u32 i, nr_trunc = 0;
	char err[256];
	__u64 mem;
	int ret;

	ret = pcap_load(path, &g->pcap, err, sizeof(err));
	if (ret) {
		p_err("--pcap %s: %s", path, err);
		return ret;
	}
	if (!g->pcap.nr_frames) {
		p_err("--pcap %s: the capture holds no frames", path);
		return -EINVAL;
	}
	for (i = 0; i < g->pcap.nr_frames; i++) {
		const struct pcap_frame *f = &g->pcap.frames[i];

		if (f->len < PKT_ETH_HLEN || f->len > GEN_MAX_FRAME) {
			p_err("--pcap %s: frame %u is %u bytes; frames must be %d to %d bytes (a live frame fills one page)",
			      path, i + 1, f->len, PKT_ETH_HLEN, GEN_MAX_FRAME);
			return -EINVAL;
		}
		if (f->len > g->pcap_max_len)
			g->pcap_max_len = f->len;
		nr_trunc += f->len < f->orig_len;
	}
	mem = (__u64)g->pcap.nr_frames * gen_slot_size(g);
	if (g->pcap.nr_frames > 0xffffffffULL || mem > GEN_PCAP_MEM_MAX) {
		p_err("--pcap %s: %zu frames of up to %u bytes need %llu MiB of map memory, more than the %llu MiB limit; cut the capture (editcap -r FILE OUT 1-N)",
		      path, g->pcap.nr_frames, g->pcap_max_len,
		      (unsigned long long)(mem >> 20),
		      (unsigned long long)(GEN_PCAP_MEM_MAX >> 20));
		return -E2BIG;
	}
	if (nr_trunc)
		p_note("%u of the %zu frames in %s were cut short by the capture's snap length; they are replayed as captured",
		       nr_trunc, g->pcap.nr_frames, path);
	memcpy(g->buf.data, g->pcap.frames[0].data, g->pcap.frames[0].len);
	g->buf.len = g->pcap.frames[0].len;
	return gen_check_size(g, g->pcap_max_len,
			      "the longest frame of --pcap");
}

static int gen_fill_frames(struct gen_state *g)
{
	int fd = bpf_map__fd(g->skel->maps.gen_frames);
	__u32 i, slot_size = gen_slot_size(g);
	struct gen_slot *slot;
	int err = 0;

	slot = calloc(1, slot_size);
	if (!slot)
		return -ENOMEM;
	for (i = 0; i < g->pcap.nr_frames; i++) {
		const struct pcap_frame *f = &g->pcap.frames[i];

		memset(slot, 0, slot_size);
		slot->len = f->len;
		memcpy((__u8 *)slot + GEN_SLOT_HDR, f->data, f->len);
		if (bpf_map_update_elem(fd, &i, slot, BPF_ANY)) {
			err = -errno;
			p_err("cannot store --pcap frame %u in the gen_frames map: %s",
			      i + 1, strerror(-err));
			break;
		}
	}
	free(slot);
	return err;
}

/* BPF */

static void gen_set_rodata(struct gen_state *g)
{
	struct gen__rodata *ro = g->skel->rodata;
	const __u8 *frame = g->buf.data;
	struct pkt_layout lay;
	__u64 w;
	int i;

	ro->gen_ifindex = g->o.iface.ifindex;
	ro->gen_tgid = getpid();
	if (g->o.pcap) {
		ro->gen_pcap_nr = g->pcap.nr_frames;
		ro->gen_pcap_slot = gen_slot_size(g);
		return;
	}
	pkt_layout_of(g->spec.family, g->spec.proto, &lay);
	ro->gen_hdr_len = lay.hdr_len;
	for (i = 0; i < GEN_HDR_WORDS; i++) {
		w = 0;
		if ((i + 1) * 8 <= lay.hdr_len)
			memcpy(&w, frame + i * 8, 8);
		ro->gen_hdr[i] = w;
	}
	memcpy(&w, frame + lay.hdr_len - 8, 8);
	ro->gen_hdr_tail = w;
	ro->gen_nr_flows = g->o.flows;
	ro->gen_sport_off = lay.sport_off;
	ro->gen_csum_off = lay.csum_off;
	memcpy((void *)&ro->gen_sport_be, frame + lay.sport_off, 2);
	memcpy((void *)&ro->gen_csum_be, frame + lay.csum_off, 2);
	ro->gen_sport = g->spec.sport;
	ro->gen_udp = g->spec.proto == IPPROTO_UDP;
}

/* Open and load the gen object; count_frames: the program counts every
 * frame (the tracepoints that count them per bulk cannot be used). */
static int gen_load_skel(struct gen_state *g, bool count_frames)
{
	struct bpf_prog_info info = {};
	__u32 info_len = sizeof(info);
	int err;

	g->skel = gen__open();
	if (!g->skel) {
		err = -errno;
		p_err("cannot open the gen BPF object: %s", strerror(-err));
		return err;
	}
	gen_set_rodata(g);
	g->skel->rodata->gen_count_frames = count_frames;
	bpf_program__set_autoload(g->skel->progs.gen_devmap_xmit, g->tp_btf);
	bpf_program__set_autoload(g->skel->progs.gen_devmap_xmit_raw, !g->tp_btf);
	if (g->o.pcap) {
		bpf_map__set_max_entries(g->skel->maps.gen_frames,
					 g->pcap.nr_frames);
		bpf_map__set_value_size(g->skel->maps.gen_frames,
					gen_slot_size(g));
	}
	err = gen__load(g->skel);
	if (err) {
		p_err("cannot load the gen BPF programs: %s (run with -v for the verifier log)",
		      strerror(-err));
		return err;
	}
	g->prog_fd = bpf_program__fd(g->skel->progs.gen_xdp);
	err = bpf_obj_get_info_by_fd(g->prog_fd, &info, &info_len);
	if (err) {
		p_err("cannot read the gen program's id: %s", strerror(-err));
		return err;
	}
	g->skel->bss->gen_prog_id = info.id;
	if (g->o.pcap)
		return gen_fill_frames(g);
	return 0;
}

/*
 * Load the program and attach the two tracepoint programs that count the
 * frames per bulk (bpf/gen.h). Without them the program counts each frame
 * itself and refused frames go uncounted: worth a warning, not a failure.
 */
static int gen_load(struct gen_state *g)
{
	struct bpf_link *l1, *l2;
	int err;

	g->nr_possible = libbpf_num_possible_cpus();
	if (g->nr_possible <= 0) {
		p_err("cannot count the possible CPUs: %s",
		      strerror(-g->nr_possible));
		return g->nr_possible ?: -EINVAL;
	}
	g->percpu = calloc(g->nr_possible, sizeof(*g->percpu));
	if (!g->percpu)
		return -ENOMEM;

	g->tp_btf = trace_have_tp_btf("xdp_devmap_xmit");
	err = gen_load_skel(g, false);
	if (err)
		return err;
	l1 = bpf_program__attach(g->tp_btf ? g->skel->progs.gen_devmap_xmit :
					     g->skel->progs.gen_devmap_xmit_raw);
	l2 = bpf_program__attach(g->skel->progs.gen_redirect_err);
	if (l1 && l2) {
		if (g->tp_btf)
			g->skel->links.gen_devmap_xmit = l1;
		else
			g->skel->links.gen_devmap_xmit_raw = l1;
		g->skel->links.gen_redirect_err = l2;
		g->tracing = true;
		return 0;
	}
	p_warn("cannot attach to the xdp:xdp_devmap_xmit and xdp:xdp_redirect_err tracepoints (%s): frames %s refuses will not be counted",
	       strerror(errno), g->o.iface.name);
	bpf_link__destroy(l1);
	bpf_link__destroy(l2);
	gen__destroy(g->skel);
	return gen_load_skel(g, true);
}

static int gen_read_totals(struct gen_state *g, struct gen_totals *t)
{
	__u32 key = 0;
	int i, err;

	err = bpf_map_lookup_elem(bpf_map__fd(g->skel->maps.gen_stats), &key,
				  g->percpu);
	if (err)
		return -errno;
	memset(t, 0, sizeof(*t));
	for (i = 0; i < g->nr_possible; i++) {
		t->xmit_sent += g->percpu[i].xmit_sent;
		t->frames += g->percpu[i].frames;
		t->xmit_drops += g->percpu[i].xmit_drops;
		t->redirect_errs += g->percpu[i].redirect_errs;
		t->bad += g->percpu[i].bad;
		if (g->percpu[i].last_err)
			t->last_err = g->percpu[i].last_err;
	}
	/* Counted per bulk by the tracepoints (bpf/gen.h). */
	if (g->tracing)
		t->frames = t->xmit_sent + t->xmit_drops + t->redirect_errs;
	return 0;
}

static __u64 totals_errors(const struct gen_totals *t)
{
	return t->xmit_drops + t->redirect_errs + t->bad;
}

static __u64 totals_sent(const struct gen_totals *t)
{
	return t->frames - t->xmit_drops - t->redirect_errs;
}

/* Running frames */

/* BPF_PROG_RUN repeat times; *ns_per_frame is the kernel's own average
 * (time spent in the run loop, softirqs it triggers included, time it
 * yielded the CPU excluded). */
static int gen_prog_run(struct gen_state *g, __u32 repeat, __u32 *ns_per_frame)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = g->buf.data,
		.data_size_in = g->buf.len,
		.repeat = repeat,
		.flags = BPF_F_TEST_XDP_LIVE_FRAMES,
		.batch_size = GEN_BATCH,
	);
	int err;

	err = bpf_prog_test_run_opts(g->prog_fd, &opts);
	if (ns_per_frame)
		*ns_per_frame = err ? 0 : opts.duration;
	return err;
}

static int gen_pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

/*
 * Run frames on this thread's CPU until its quota is used up, the
 * deadline passes or gen_stop. Every BPF_PROG_RUN call costs a fixed
 * ~1 ms or more (the kernel adds the program to the XDP dispatcher and
 * removes it again, patching text and waiting for an RCU grace period),
 * so calls are sized to last about GEN_CALL_NS, cut to the quota and to
 * the time left. (Host 6.18, one thread: wall-clock rate / the kernel's
 * own rate 0.979 with 100 ms calls, 0.984-0.990 with 400 ms.) Each call
 * has its own page_pool, so with short intervals calls are shorter too:
 * every interval then sees pools come and go (the benchmark's smoke run
 * checks new pages in each 0.4 s window). Workers block signals
 * (gen_run_all()), so a stop waits for the call in progress.
 */
static int gen_worker_loop(struct gen_worker *w)
{
	struct gen_state *g = w->g;
	__u64 left = w->quota, chunk = GEN_CHUNK_MIN, n, t0, dt, now;
	bool limited = g->o.count;
	double rate = 0; /* frames per ns, from the last call */
	double call_ns = g->o.interval * 1e9 / GEN_CALLS_PER_INTERVAL;
	__u32 ns;
	int err;

	while (!gen_stop && (!limited || left)) {
		n = chunk;
		if (limited && n > left)
			n = left;
		t0 = now_ns();
		if (g->until_ns) {
			if (t0 >= g->until_ns)
				break;
			if (rate > 0 && n > rate * (g->until_ns - t0))
				n = rate * (g->until_ns - t0) + 1;
		}
		err = gen_prog_run(g, n, &ns);
		if (err)
			return err;
		w->kernel_ns += (__u64)ns * n;
		w->timed += n;
		now = now_ns();
		dt = now - t0;
		left -= limited ? n : 0;
		if (!dt)
			continue;
		rate = (double)n / dt;
		chunk = rate * (call_ns < GEN_CALL_NS ? call_ns : GEN_CALL_NS);
		chunk = chunk < GEN_CHUNK_MIN ? GEN_CHUNK_MIN : chunk;
		chunk = chunk > GEN_CHUNK_MAX ? GEN_CHUNK_MAX : chunk;
	}
	return 0;
}

static void *gen_worker_main(void *arg)
{
	struct gen_worker *w = arg;

	w->err = gen_pin_cpu(w->cpu);
	if (!w->err)
		w->err = gen_worker_loop(w);
	if (w->err)
		gen_stop = 1;
	clock_gettime(CLOCK_MONOTONIC, &w->end);
	atomic_fetch_sub(&w->g->running, 1);
	return NULL;
}

/* The first --threads CPUs this process may run on. */
static int gen_pick_cpus(struct gen_state *g)
{
	__u32 n = g->o.threads, i = 0;
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -errno;
	if ((__u32)CPU_COUNT(&set) < n) {
		p_err("--threads %u: only %d CPUs are available to this process; one thread runs per CPU",
		      n, CPU_COUNT(&set));
		return -EINVAL;
	}
	g->workers = calloc(n, sizeof(*g->workers));
	if (!g->workers)
		return -ENOMEM;
	g->nr_workers = n;
	for (cpu = 0; cpu < CPU_SETSIZE && i < n; cpu++) {
		if (!CPU_ISSET(cpu, &set))
			continue;
		if (cpu >= g->nr_possible) {
			p_err("CPU %d is beyond the %d possible CPUs", cpu,
			      g->nr_possible);
			return -EINVAL;
		}
		g->workers[i].g = g;
		g->workers[i].cpu = cpu;
		i++;
	}
	return 0;
}

/*
 * Send one frame from the first worker's CPU and see whether IF took it:
 * the usual failures (veth peer without XDP, no ndo_xdp_xmit, MTU) refuse
 * every frame, and are better reported before starting. The frame counts
 * towards --count.
 */
static int gen_probe(struct gen_state *g)
{
	struct gen_worker *w0 = &g->workers[0];
	struct gen_totals t;
	cpu_set_t saved;
	char why[512];
	int err, ret;

	if (sched_getaffinity(0, sizeof(saved), &saved))
		return -errno;
	err = gen_pin_cpu(w0->cpu);
	if (!err)
		err = gen_prog_run(g, 1, NULL);
	ret = sched_setaffinity(0, sizeof(saved), &saved);
	if (err) {
		if (err == -EINVAL)
			p_err("BPF_PROG_RUN refused the frame (EINVAL): this kernel may lack live-frames mode (5.18+), or the frame is over %d bytes",
			      GEN_MAX_FRAME);
		else
			p_err("BPF_PROG_RUN in live-frames mode failed: %s",
			      strerror(-err));
		return err;
	}
	if (ret)
		return -errno;

	err = gen_read_totals(g, &t);
	if (err)
		return err;
	if (t.bad) {
		p_err("the gen program dropped the probe frame as malformed (internal error)");
		return -EPROTO;
	}
	if (totals_errors(&t)) {
		gen_explain(g, t.last_err, why, sizeof(why));
		p_err("%s refused the first frame: %s", g->o.iface.name, why);
		return t.last_err ?: -EIO;
	}
	if (w0->quota)
		w0->quota--;
	return 0;
}

static void gen_split_count(struct gen_state *g, __u64 count)
{
	__u32 i, n = g->nr_workers;

	for (i = 0; i < n; i++)
		g->workers[i].quota = count / n + (i < count % n);
}

/* Output */

static void mac_str(const __u8 *m, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
}

static void addr_str(const struct pkt_spec *s, const union pkt_addr *a,
		     char *buf, size_t len)
{
	inet_ntop(s->family, a, buf, len);
}

static void gen_print_header(const struct gen_state *g)
{
	const struct pkt_spec *s = &g->spec;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	__u32 i;

	printf("ppxdp gen: %s (ifindex %d), ", g->o.iface.name,
	       g->o.iface.ifindex);
	if (g->o.pcap) {
		printf("%zu frame%s of up to %u bytes from %s",
		       g->pcap.nr_frames, g->pcap.nr_frames == 1 ? "" : "s",
		       g->pcap_max_len, g->o.pcap);
	} else {
		addr_str(s, &s->src, src, sizeof(src));
		addr_str(s, &s->dst, dst, sizeof(dst));
		printf("%u-byte %s/%s %s%s%s:%u -> %s%s%s:%u, %u flow%s",
		       s->size, s->proto == IPPROTO_UDP ? "UDP" : "TCP",
		       s->family == AF_INET ? "IPv4" : "IPv6",
		       s->family == AF_INET6 ? "[" : "", src,
		       s->family == AF_INET6 ? "]" : "", s->sport,
		       s->family == AF_INET6 ? "[" : "", dst,
		       s->family == AF_INET6 ? "]" : "", s->dport, g->o.flows,
		       g->o.flows == 1 ? "" : "s");
	}
	printf(", %u thread%s on CPU", g->nr_workers,
	       g->nr_workers == 1 ? "" : "s");
	for (i = 0; i < g->nr_workers; i++)
		printf("%s%d", i ? "," : " ", g->workers[i].cpu);
	printf("\n%10s %14s %14s %12s\n", "elapsed", "sent", "pps", "errors");
	fflush(stdout);
}

static int gen_record_interval(struct gen_state *g, double elapsed, double secs,
			       const struct gen_totals *prev,
			       const struct gen_totals *cur)
{
	struct gen_interval *iv;

	iv = realloc(g->intervals, (g->nr_intervals + 1) * sizeof(*iv));
	if (!iv)
		return -ENOMEM;
	g->intervals = iv;
	iv = &g->intervals[g->nr_intervals++];
	iv->elapsed = elapsed;
	iv->sent = totals_sent(cur) - totals_sent(prev);
	iv->errors = totals_errors(cur) - totals_errors(prev);
	iv->pps = secs > 0 ? iv->sent / secs : 0;
	if (!json_output) {
		printf("%10.3f %14llu %14.0f %12llu\n", iv->elapsed,
		       (unsigned long long)iv->sent, iv->pps,
		       (unsigned long long)iv->errors);
		fflush(stdout);
	}
	return 0;
}

static const char *errno_name(int err)
{
	switch (-err) {
	case 0: return NULL;
	case ENXIO: return "ENXIO";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENETDOWN: return "ENETDOWN";
	case EMSGSIZE: return "EMSGSIZE";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case ENOMEM: return "ENOMEM";
	default: return "other";
	}
}

/* Frames per second each thread reached by the kernel's own clock. */
static double gen_kernel_pps(const struct gen_state *g)
{
	__u64 ns = 0, frames = 0;
	__u32 i;

	for (i = 0; i < g->nr_workers; i++) {
		ns += g->workers[i].kernel_ns;
		frames += g->workers[i].timed;
	}
	return ns ? frames * 1e9 / ns : 0;
}

static void gen_print_json(const struct gen_state *g, const struct gen_totals *t,
			   double elapsed)
{
	const struct pkt_spec *s = &g->spec;
	char buf[INET6_ADDRSTRLEN];
	size_t i;

	jsonw_start_object(json_wtr);
	jsonw_string_field(json_wtr, "ifname", g->o.iface.name);
	jsonw_int_field(json_wtr, "ifindex", g->o.iface.ifindex);
	jsonw_name(json_wtr, "cpus");
	jsonw_start_array(json_wtr);
	for (i = 0; i < g->nr_workers; i++)
		jsonw_int(json_wtr, g->workers[i].cpu);
	jsonw_end_array(json_wtr);
	if (g->o.pcap) {
		jsonw_name(json_wtr, "pcap");
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "file", g->o.pcap);
		jsonw_uint_field(json_wtr, "frames", g->pcap.nr_frames);
		jsonw_uint_field(json_wtr, "max_len", g->pcap_max_len);
		jsonw_end_object(json_wtr);
	} else {
		jsonw_name(json_wtr, "frame");
		jsonw_start_object(json_wtr);
		jsonw_uint_field(json_wtr, "size", s->size);
		jsonw_string_field(json_wtr, "family",
				   s->family == AF_INET ? "ipv4" : "ipv6");
		jsonw_string_field(json_wtr, "proto",
				   s->proto == IPPROTO_UDP ? "udp" : "tcp");
		mac_str(s->src_mac, buf, sizeof(buf));
		jsonw_string_field(json_wtr, "src_mac", buf);
		mac_str(s->dst_mac, buf, sizeof(buf));
		jsonw_string_field(json_wtr, "dst_mac", buf);
		addr_str(s, &s->src, buf, sizeof(buf));
		jsonw_string_field(json_wtr, "src", buf);
		addr_str(s, &s->dst, buf, sizeof(buf));
		jsonw_string_field(json_wtr, "dst", buf);
		jsonw_uint_field(json_wtr, "sport", s->sport);
		jsonw_uint_field(json_wtr, "dport", s->dport);
		jsonw_uint_field(json_wtr, "flows", g->o.flows);
		jsonw_end_object(json_wtr);
	}
	jsonw_name(json_wtr, "intervals");
	jsonw_start_array(json_wtr);
	for (i = 0; i < g->nr_intervals; i++) {
		jsonw_start_object(json_wtr);
		jsonw_float_field(json_wtr, "elapsed", g->intervals[i].elapsed);
		jsonw_uint_field(json_wtr, "sent", g->intervals[i].sent);
		jsonw_float_field(json_wtr, "pps", g->intervals[i].pps);
		jsonw_uint_field(json_wtr, "errors", g->intervals[i].errors);
		jsonw_end_object(json_wtr);
	}
	jsonw_end_array(json_wtr);
	jsonw_float_field(json_wtr, "elapsed", elapsed);
	jsonw_uint_field(json_wtr, "frames", t->frames + t->bad);
	jsonw_uint_field(json_wtr, "sent", totals_sent(t));
	jsonw_float_field(json_wtr, "pps",
			  elapsed > 0 ? totals_sent(t) / elapsed : 0);
	jsonw_float_field(json_wtr, "kernel_pps_per_thread", gen_kernel_pps(g));
	jsonw_bool_field(json_wtr, "errors_counted", g->tracing);
	jsonw_uint_field(json_wtr, "errors", totals_errors(t));
	jsonw_uint_field(json_wtr, "xmit_drops", t->xmit_drops);
	jsonw_uint_field(json_wtr, "redirect_errors", t->redirect_errs);
	jsonw_uint_field(json_wtr, "bad_frames", t->bad);
	if (errno_name(t->last_err))
		jsonw_string_field(json_wtr, "last_error",
				   errno_name(t->last_err));
	else
		jsonw_null_field(json_wtr, "last_error");
	jsonw_end_object(json_wtr);
}

static void gen_report(struct gen_state *g, const struct gen_totals *t,
		       double elapsed)
{
	char why[512];
	double pps = elapsed > 0 ? totals_sent(t) / elapsed : 0;

	if (json_output)
		gen_print_json(g, t, elapsed);
	else
		printf("sent %llu frames in %.4f s: %.0f pps (%.2f Mpps), %llu errors%s; kernel time %.2f Mpps per thread\n",
		       (unsigned long long)totals_sent(t), elapsed, pps,
		       pps / 1e6, (unsigned long long)totals_errors(t),
		       g->tracing ? "" : " (not counted)",
		       gen_kernel_pps(g) / 1e6);
	if (t->xmit_drops + t->redirect_errs) {
		gen_explain(g, t->last_err, why, sizeof(why));
		p_warn("%llu of %llu frames were refused: %s",
		       (unsigned long long)(t->xmit_drops + t->redirect_errs),
		       (unsigned long long)t->frames, why);
	}
	if (t->bad)
		p_warn("%llu frames were dropped by the gen program as malformed",
		       (unsigned long long)t->bad);
}

/* Start the workers; report every interval until they finish. */
static int gen_run_all(struct gen_state *g)
{
	struct gen_totals prev = {}, cur;
	struct timespec now, last;
	double interval = g->o.interval, elapsed;
	sigset_t all, old;
	__u32 i;
	int err = 0;


	/* Workers block signals so BPF_PROG_RUN is never cut short. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	atomic_store(&g->running, g->nr_workers);
	for (i = 0; i < g->nr_workers; i++) {
		err = pthread_create(&g->workers[i].thread, NULL,
				     gen_worker_main, &g->workers[i]);
		if (err) {
			atomic_fetch_sub(&g->running, g->nr_workers - i);
			gen_stop = 1;
			err = -err;
			break;
		}
		g->workers[i].started = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	last = g->start;
	while (atomic_load(&g->running) > 0) {
		struct timespec nap = { 0, 5000000 };

		nanosleep(&nap, NULL);
		if (g->until_ns && now_ns() >= g->until_ns)
			gen_stop = 1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (ts_diff(&last, &now) < interval)
			continue;
		if (gen_read_totals(g, &cur))
			continue;
		gen_record_interval(g, ts_diff(&g->start, &now),
				    ts_diff(&last, &now), &prev, &cur);
		prev = cur;
		last = now;
	}

	now = g->start;
	for (i = 0; i < g->nr_workers; i++) {
		if (!g->workers[i].started)
			continue;
		pthread_join(g->workers[i].thread, NULL);
		if (ts_diff(&now, &g->workers[i].end) > 0)
			now = g->workers[i].end;
		if (g->workers[i].err && !err) {
			err = g->workers[i].err;
			p_err("BPF_PROG_RUN on CPU %d failed: %s",
			      g->workers[i].cpu, strerror(-err));
		}
	}
	elapsed = ts_diff(&g->start, &now);
	if (gen_read_totals(g, &cur))
		return -errno;
	if (err && json_output)
		return err; /* p_err already wrote the JSON error */
	gen_report(g, &cur, elapsed);
	return err;
}

static int gen_validate(struct gen_state *g)
{
	struct gen_opts *o = &g->o;

	if (o->count && o->duration > 0)
		return p_usage_err("give --count or --duration, not both");
	if (o->pcap && (o->src_mac || o->dst_mac || o->src || o->dst ||
			o->sport != GEN_UNSET_PORT ||
			o->dport != GEN_UNSET_PORT || o->proto != GEN_UDP ||
			o->ipv4 || o->ipv6 || o->size || o->flows != 1))
		return p_usage_err("--pcap replays the captured frames as they are; it does not combine with the options that build frames (--src, --dst, --size, --flows, ...)");
	return 0;
}

static void gen_free(struct gen_state *g)
{
	gen__destroy(g->skel);
	pcap_free(&g->pcap);
	free(g->percpu);
	free(g->workers);
	free(g->intervals);
}

int do_gen(int argc, char **argv)
{
	struct gen_state g = {
		.o = {
			.sport = GEN_UNSET_PORT,
			.dport = GEN_UNSET_PORT,
			.proto = GEN_UDP,
			.flows = 1,
			.threads = 1,
			.interval = 1.0,
		},
		.prog_fd = -1,
	};
	struct sigaction sa = { .sa_handler = gen_on_signal };
	int err;

	err = opts_parse(&gen_cmd, &g.o, argc, argv);
	if (err)
		return err == OPTS_HELP ? 0 : err;
	err = gen_validate(&g);
	if (err)
		return err;

	err = gen_check_link(&g);
	if (err)
		goto out;
	if (g.o.pcap) {
		err = gen_load_pcap(&g);
	} else {
		err = gen_build_spec(&g);
		if (!err)
			err = gen_make_frame(&g);
	}
	if (err)
		goto out;

	err = gen_load(&g);
	if (err)
		goto out;
	err = gen_pick_cpus(&g);
	if (err)
		goto out;
	gen_split_count(&g, g.o.count);

	gen_stop = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	clock_gettime(CLOCK_MONOTONIC, &g.start);
	if (g.o.duration > 0)
		g.until_ns = now_ns() + (__u64)(g.o.duration * 1e9);
	err = gen_probe(&g);
	if (err)
		goto out;
	if (!json_output)
		gen_print_header(&g);
	err = gen_run_all(&g);
out:
	gen_free(&g);
	return err;
}
