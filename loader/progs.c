// SPDX-License-Identifier: GPL-2.0
/*
 * The XDP programs of xdp-progs/, one skeleton each, behind a table that
 * attach.c drives: open -> configure rodata -> load -> fill maps. Below the
 * table, queries of what the kernel has attached to an interface.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <libmnl/libmnl.h>
#include <linux/bpf.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <net/if.h>

#include "genl.h"
#include "main.h"
#include "progs.h"
#include "redirect.h"
#include "rules.h"

#include "drop.skel.h"
#include "fwd.skel.h"
#include "pass.skel.h"
#include "redirect.skel.h"
#include "tx.skel.h"

/*
 * open/load/destroy of skeleton NAME whose program is xdp_NAME. Only
 * defines functions; no control flow is hidden.
 */
#define XDP_SKEL_OPS(NAME)						\
static int NAME##_open(struct xdp_obj *o)				\
{									\
	struct NAME *skel = NAME##__open();				\
									\
	if (!skel)							\
		return -errno;						\
	o->skel = skel;							\
	o->obj = skel->obj;						\
	o->prog = skel->progs.xdp_##NAME;				\
	return 0;							\
}									\
									\
static int NAME##_load(struct xdp_obj *o)				\
{									\
	return NAME##__load(o->skel);					\
}									\
									\
static void NAME##_destroy(struct xdp_obj *o)				\
{									\
	NAME##__destroy(o->skel);					\
}

XDP_SKEL_OPS(drop)
XDP_SKEL_OPS(pass)
XDP_SKEL_OPS(tx)
XDP_SKEL_OPS(redirect)
XDP_SKEL_OPS(fwd)

static int fixed_configure(struct xdp_obj *o, const struct xdp_prog_params *p)
{
	o->default_action = o->desc->action;
	return 0;
}

static int tx_configure(struct xdp_obj *o, const struct xdp_prog_params *p)
{
	struct tx *skel = o->skel;

	if (p->default_action != XDP_ACTION_UNSET)
		skel->rodata->default_action = p->default_action;
	o->default_action = skel->rodata->default_action;
	return 0;
}

static int redirect_configure(struct xdp_obj *o,
			      const struct xdp_prog_params *p)
{
	const struct redirect_params *rp = &p->redirect;
	struct redirect *skel = o->skel;
	int ncpu, err;

	if (p->default_action != XDP_ACTION_UNSET)
		skel->rodata->default_action = p->default_action;
	o->default_action = skel->rodata->default_action;
	skel->rodata->redirect_mode = rp->mode;
	skel->rodata->exclude_ingress = rp->exclude_ingress;
	skel->rodata->redirect_cpu = rp->cpu;
	skel->rodata->cpu_action = rp->cpu_action;
	if (rp->mode == REDIRECT_MODE_IFINDEX)
		skel->rodata->redirect_ifindex = p->target_ifindex;

	/* One cpumap slot per possible CPU, as the kernel sizes its own. */
	ncpu = libbpf_num_possible_cpus();
	if (ncpu < 0) {
		p_err("cannot count the possible CPUs: %s", strerror(-ncpu));
		return ncpu;
	}
	err = bpf_map__set_max_entries(skel->maps.redirect_cpus, ncpu);
	if (err)
		p_err("cannot size redirect_cpus: %s", strerror(-err));
	return err;
}

static int fwd_configure(struct xdp_obj *o, const struct xdp_prog_params *p)
{
	struct fwd *skel = o->skel;

	if (p->default_action != XDP_ACTION_UNSET)
		skel->rodata->default_action = p->default_action;
	if (p->nonip_action != XDP_ACTION_UNSET)
		skel->rodata->nonip_action = p->nonip_action;
	o->default_action = skel->rodata->default_action;
	return 0;
}

/* A devmap entry key -> ifindex, without a devmap program. */
static int devmap_add(struct bpf_map *map, __u32 key, __u32 ifindex)
{
	struct bpf_devmap_val val = { .ifindex = ifindex, .bpf_prog.fd = -1 };
	char name[IF_NAMESIZE] = "?";
	int err;

	err = bpf_map__update_elem(map, &key, sizeof(key), &val, sizeof(val),
				   BPF_ANY);
	if (err)
		p_err("cannot add %s (ifindex %u) to %s: %s%s",
		      if_indextoname(ifindex, name) ?: "?", ifindex,
		      bpf_map__name(map), strerror(-err),
		      err == -EINVAL ? " (can it transmit XDP frames?)" : "");
	return err;
}

/* redirect_cpus[cpu] = { qsize, xdp_redirect_cpu } */
static int cpumap_add(struct redirect *skel, const struct redirect_params *rp)
{
	struct bpf_cpumap_val val = {
		.qsize = rp->qsize,
		.bpf_prog.fd = bpf_program__fd(skel->progs.xdp_redirect_cpu),
	};
	__u32 key = rp->cpu;
	int err;

	err = bpf_map__update_elem(skel->maps.redirect_cpus, &key, sizeof(key),
				   &val, sizeof(val), BPF_ANY);
	if (err)
		p_err("cannot start the cpumap queue of CPU %u (queue size %u): %s",
		      key, val.qsize, strerror(-err));
	return err;
}

/*
 * devmap, and cpumap's second stage: redirect_ports[ingress] = egress;
 * broadcast: redirect_group[port] = port for every --to; cpumap: the CPU's
 * queue and program. ifindex needs no map (rodata).
 */
static int redirect_fill(struct xdp_obj *o, const struct xdp_prog_params *p)
{
	const struct redirect_params *rp = &p->redirect;
	struct redirect *skel = o->skel;
	unsigned int i;
	int err;

	switch (rp->mode) {
	case REDIRECT_MODE_IFINDEX:
		return 0;
	case REDIRECT_MODE_BROADCAST:
		for (i = 0; i < rp->nr_ports; i++) {
			err = devmap_add(skel->maps.redirect_group,
					 rp->ports[i], rp->ports[i]);
			if (err)
				return err;
		}
		return 0;
	case REDIRECT_MODE_CPUMAP:
		if (rp->cpu_action == REDIRECT_CPU_REDIRECT) {
			err = devmap_add(skel->maps.redirect_ports, p->ifindex,
					 p->target_ifindex);
			if (err)
				return err;
		}
		return cpumap_add(skel, rp);
	default:
		return devmap_add(skel->maps.redirect_ports, p->ifindex,
				  p->target_ifindex);
	}
}

static int fwd_fill(struct xdp_obj *o, const struct xdp_prog_params *p)
{
	char msg[512] = "";
	int err;

	err = fwd_ruleset_apply(p->rules, o->obj, msg, sizeof(msg));
	if (err)
		p_err("cannot load the rules into fwd's maps: %s",
		      msg[0] ? msg : strerror(-err));
	return err;
}

const struct xdp_prog_desc xdp_progs[XDP_NR_PROGS] = {
	{
		.name		= "drop",
		.summary	= "drop every frame",
		.action		= XDP_DROP,
		.open		= drop_open,
		.configure	= fixed_configure,
		.load		= drop_load,
		.destroy	= drop_destroy,
	},
	{
		.name		= "pass",
		.summary	= "pass every frame to the stack",
		.action		= XDP_PASS,
		.open		= pass_open,
		.configure	= fixed_configure,
		.load		= pass_load,
		.destroy	= pass_destroy,
	},
	{
		.name		= "tx",
		.summary	= "swap MAC addresses and bounce every frame (XDP_TX)",
		.needs		= XDP_PROG_DEFAULT,
		.open		= tx_open,
		.configure	= tx_configure,
		.load		= tx_load,
		.destroy	= tx_destroy,
	},
	{
		.name		= "redirect",
		.summary	= "redirect every frame to --to IF2 (devmap, ifindex, broadcast or cpumap)",
		.needs		= XDP_PROG_TARGET | XDP_PROG_DEFAULT,
		.open		= redirect_open,
		.configure	= redirect_configure,
		.load		= redirect_load,
		.fill		= redirect_fill,
		.destroy	= redirect_destroy,
	},
	{
		.name		= "fwd",
		.summary	= "policy forwarding by the rules of --rules FILE",
		.needs		= XDP_PROG_RULES | XDP_PROG_DEFAULT,
		.open		= fwd_open,
		.configure	= fwd_configure,
		.load		= fwd_load,
		.fill		= fwd_fill,
		.destroy	= fwd_destroy,
	},
};

const struct opt_enum xdp_prog_names[XDP_NR_PROGS + 1] = {
	{ "drop", 0 },
	{ "pass", 1 },
	{ "tx", 2 },
	{ "redirect", 3 },
	{ "fwd", 4 },
	{ NULL },
};

int xdp_obj_open(struct xdp_obj *o, const struct xdp_prog_desc *d,
		 const struct xdp_prog_params *p)
{
	struct bpf_map *map;
	int err;

	*o = (struct xdp_obj){ .desc = d };
	err = d->open(o);
	if (err) {
		p_err("cannot open the %s program: %s", d->name,
		      strerror(-err));
		return err;
	}
	err = d->configure(o, p);
	if (err) {
		xdp_obj_close(o);
		return err;
	}
	bpf_object__for_each_map(map, o->obj) {
		err = bpf_map__set_pin_path(map, NULL);
		if (err) {
			p_err("cannot clear the pin path of map %s: %s",
			      bpf_map__name(map), strerror(-err));
			xdp_obj_close(o);
			return err;
		}
	}
	return 0;
}

int xdp_obj_load(struct xdp_obj *o, const struct xdp_prog_params *p)
{
	int err;

	err = o->desc->load(o);
	if (err == -EPERM) {
		p_err("cannot load the %s program: %s: ppxdp needs root (CAP_BPF and CAP_NET_ADMIN)",
		      o->desc->name, strerror(-err));
		return err;
	}
	if (err) {
		p_err("cannot load the %s program: %s%s", o->desc->name,
		      strerror(-err),
		      verbose ? "" : " (run with -v to see libbpf's log)");
		return err;
	}
	return o->desc->fill ? o->desc->fill(o, p) : 0;
}

void xdp_obj_close(struct xdp_obj *o)
{
	if (o->skel)
		o->desc->destroy(o);
	o->skel = NULL;
	o->obj = NULL;
	o->prog = NULL;
}

/* Kernel queries. */

int xdp_iface_query(int ifindex, struct xdp_iface *x)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, opts);
	int err;

	err = bpf_xdp_query(ifindex, 0, &opts);
	if (err)
		return err;
	x->drv_prog_id = opts.drv_prog_id;
	x->skb_prog_id = opts.skb_prog_id;
	x->hw_prog_id = opts.hw_prog_id;
	return 0;
}

__u32 xdp_iface_prog(const struct xdp_iface *x, enum ppxdp_attach_mode *mode)
{
	if (x->drv_prog_id) {
		*mode = PPXDP_MODE_NATIVE;
		return x->drv_prog_id;
	}
	if (x->skb_prog_id) {
		*mode = PPXDP_MODE_GENERIC;
		return x->skb_prog_id;
	}
	*mode = PPXDP_MODE_NONE;
	return 0;
}

int xdp_link_find(int ifindex, __u32 prog_id, __u32 *link_id)
{
	__u32 id = 0;
	int fd;

	*link_id = 0;
	while (!bpf_link_get_next_id(id, &id)) {
		struct bpf_link_info info = {};
		__u32 len = sizeof(info);
		int err;

		fd = bpf_link_get_fd_by_id(id);
		if (fd < 0)
			continue; /* released meanwhile */
		err = bpf_obj_get_info_by_fd(fd, &info, &len);
		close(fd);
		if (err)
			continue;
		if (info.type == BPF_LINK_TYPE_XDP &&
		    info.xdp.ifindex == (__u32)ifindex &&
		    info.prog_id == prog_id) {
			*link_id = id;
			return 0;
		}
	}
	return errno == ENOENT ? 0 : -errno;
}

int bpf_prog_name(__u32 prog_id, char *buf, size_t len)
{
	struct bpf_prog_info info = {};
	__u32 info_len = sizeof(info);
	int fd, err = 0;

	fd = bpf_prog_get_fd_by_id(prog_id);
	if (fd < 0)
		return -errno;
	if (bpf_obj_get_info_by_fd(fd, &info, &info_len))
		err = -errno;
	else
		snprintf(buf, len, "%s", info.name);
	close(fd);
	return err;
}

const char *xdp_mode_name(enum ppxdp_attach_mode mode)
{
	switch (mode) {
	case PPXDP_MODE_NATIVE:
		return "native";
	case PPXDP_MODE_GENERIC:
		return "generic";
	default:
		return "none";
	}
}

__u32 xdp_mode_flags(enum ppxdp_attach_mode mode)
{
	switch (mode) {
	case PPXDP_MODE_NATIVE:
		return XDP_FLAGS_DRV_MODE;
	case PPXDP_MODE_GENERIC:
		return XDP_FLAGS_SKB_MODE;
	default:
		return 0;
	}
}

/* `ip link set dev IF xdp off` only removes a native program on veth. */
const char *xdp_iproute2_keyword(enum ppxdp_attach_mode mode)
{
	return mode == PPXDP_MODE_GENERIC ? "xdpgeneric" : "xdp";
}

/* The netdev generic netlink family (include/uapi/linux/netdev.h, 6.3+). */
#define NETDEV_FAMILY_NAME "netdev"
#define NETDEV_CMD_DEV_GET 1
#define NETDEV_A_DEV_IFINDEX 1
#define NETDEV_A_DEV_XDP_FEATURES 3

struct dev_features {
	__u64 features;
	bool has_features;
};

static int dev_features_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dev_features *f = data;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == NETDEV_A_DEV_XDP_FEATURES &&
		    mnl_attr_validate(a, MNL_TYPE_U64) >= 0) {
			f->features = mnl_attr_get_u64(a);
			f->has_features = true;
		}
	}
	return MNL_CB_OK;
}

int xdp_iface_features(int ifindex, __u64 *features)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct dev_features f = {};
	struct genl_family fam;
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	unsigned int seq = time(NULL);
	int err;

	err = genl_open(&nl);
	if (err)
		return err;
	err = genl_resolve_family(nl, seq, NETDEV_FAMILY_NAME, &fam);
	if (err) {
		err = -EOPNOTSUPP; /* no netdev family: kernel before 6.3 */
		goto out_close;
	}

	nlh = genl_put_header(buf, fam.id, NLM_F_ACK, NETDEV_CMD_DEV_GET, seq + 1);
	mnl_attr_put_u32(nlh, NETDEV_A_DEV_IFINDEX, ifindex);
	err = genl_request(nl, nlh, dev_features_cb, &f);
	if (!err && !f.has_features)
		err = -EOPNOTSUPP;
	if (!err)
		*features = f.features;
out_close:
	mnl_socket_close(nl);
	return err;
}
