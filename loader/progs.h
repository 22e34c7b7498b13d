/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The XDP programs ppxdp can attach (one libbpf skeleton each) and what the
 * kernel says is attached to an interface.
 */
#ifndef PPXDP_PROGS_H
#define PPXDP_PROGS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "options.h"
#include "xdp_stats.h"

struct bpf_object;
struct bpf_program;
struct fwd_ruleset;

#define XDP_ACTION_UNSET ((__u32)-1)

/* redirect: --via and the options of each mode (bpf/redirect.h). */
struct redirect_params {
	__u32 mode;           /* enum redirect_mode */
	const __u32 *ports;   /* every --to ifindex, in order */
	unsigned int nr_ports;
	bool exclude_ingress; /* broadcast */
	__u32 cpu;            /* cpumap: key of the target CPU */
	__u32 qsize;          /* cpumap: queue size */
	__u32 cpu_action;     /* cpumap: enum redirect_cpu_action */
};

/* What the programs take from the command line. */
struct xdp_prog_params {
	__u32 ifindex;        /* ingress interface */
	__u32 target_ifindex; /* redirect: the first --to, 0 if none */
	struct redirect_params redirect;
	const struct fwd_ruleset *rules; /* fwd: --rules, resolved */
	__u32 default_action; /* rodata default_action, or XDP_ACTION_UNSET */
	__u32 nonip_action;   /* rodata nonip_action (fwd), or UNSET */
};

enum xdp_prog_needs {
	XDP_PROG_TARGET = 1 << 0,  /* --to IF2 is required */
	XDP_PROG_RULES = 1 << 1,   /* --rules FILE is required */
	XDP_PROG_DEFAULT = 1 << 2, /* has a default_action (--default) */
};

/* A program being loaded: its skeleton, seen through libbpf objects. */
struct xdp_obj {
	const struct xdp_prog_desc *desc;
	void *skel;
	struct bpf_object *obj;
	struct bpf_program *prog;
	__u32 default_action; /* effective, recorded in ppxdp_info */
};

struct xdp_prog_desc {
	const char *name;    /* "drop" */
	const char *summary;
	unsigned int needs;  /* enum xdp_prog_needs */
	__u32 action;        /* the fixed action of drop and pass */
	int (*open)(struct xdp_obj *o);
	/* Before load: rodata and map sizes from params; prints its errors. */
	int (*configure)(struct xdp_obj *o, const struct xdp_prog_params *p);
	int (*load)(struct xdp_obj *o);
	/* After load: fill the program's own maps; prints its errors. */
	int (*fill)(struct xdp_obj *o, const struct xdp_prog_params *p);
	void (*destroy)(struct xdp_obj *o);
};

#define XDP_NR_PROGS 5
extern const struct xdp_prog_desc xdp_progs[XDP_NR_PROGS];
/* Program names for option tables; the value is the index in xdp_progs. */
extern const struct opt_enum xdp_prog_names[XDP_NR_PROGS + 1];

/*
 * Open the skeleton, set its rodata and clear every map's pin path (the
 * maps carry LIBBPF_PIN_BY_NAME for iproute2; ppxdp pins them itself).
 */
int xdp_obj_open(struct xdp_obj *o, const struct xdp_prog_desc *d,
		 const struct xdp_prog_params *p);
/* Load into the kernel and fill the maps. */
int xdp_obj_load(struct xdp_obj *o, const struct xdp_prog_params *p);
void xdp_obj_close(struct xdp_obj *o);

/* Programs attached to an interface, per mode (0: none). */
struct xdp_iface {
	__u32 drv_prog_id;
	__u32 skb_prog_id;
	__u32 hw_prog_id;
};

int xdp_iface_query(int ifindex, struct xdp_iface *x);
/* The native or generic program, whichever runs (0: none). */
__u32 xdp_iface_prog(const struct xdp_iface *x, enum ppxdp_attach_mode *mode);
/* BPF link holding prog_id on ifindex; *link_id = 0 if attached by netlink. */
int xdp_link_find(int ifindex, __u32 prog_id, __u32 *link_id);
/* Program name as the kernel has it (BPF_OBJ_NAME_LEN). */
int bpf_prog_name(__u32 prog_id, char *buf, size_t len);
/* "native", "generic", "none" */
const char *xdp_mode_name(enum ppxdp_attach_mode mode);
__u32 xdp_mode_flags(enum ppxdp_attach_mode mode);
/* iproute2 keyword that removes a program of this mode: "xdp", "xdpgeneric" */
const char *xdp_iproute2_keyword(enum ppxdp_attach_mode mode);

/*
 * XDP feature bits (NETDEV_XDP_ACT_*) of an interface from the netdev
 * generic netlink family. -EOPNOTSUPP on kernels without it (< 6.3).
 */
int xdp_iface_features(int ifindex, __u64 *features);
#define XDP_FEAT_NDO_XMIT (1ULL << 2) /* NETDEV_XDP_ACT_NDO_XMIT */

#endif /* PPXDP_PROGS_H */
