/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where ppxdp pins things, and the network namespace it acts in.
 *
 * Layout under /sys/fs/bpf/ppxdp/:
 *   IF/              interface IF of the initial network namespace
 *   IF@NSINO/        interface IF of the network namespace whose inode
 *                    (as shown by `lsns -t net`) is NSINO
 *   trace/           tracing programs (ppxdp trace start)
 * Each interface directory holds `link` (the pinned XDP link) and one pin
 * per map of the program, named after the map (e.g. fwd_stats, ppxdp_info).
 */
#ifndef PPXDP_PINS_H
#define PPXDP_PINS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define PROC_NET_INIT_INO 0xEFFFFFF9U /* init_net.ns.inum, fixed by the kernel */

/* Inode of the current network namespace. */
int netns_current_ino(__u64 *ino);
bool netns_is_init(__u64 ino);
/* setns() into /run/netns/NAME (global --netns option). */
int netns_enter(const char *name);

/*
 * Make sure the host's bpffs is usable at /sys/fs/bpf: mount it when absent
 * and safe to do so; refuse (-EXDEV, with a p_err explaining `ip netns exec`
 * vs `nsenter --net`) when this process sees a private /sys whose bpffs
 * would vanish at exit. Creates /sys/fs/bpf/ppxdp when create is true.
 */
int bpffs_prepare(bool create);

/* Pin directory of an interface in the current netns (not created). */
int iface_pin_dir(const char *ifname, char *buf, size_t len);
/* buf = "dir/name"; -ENAMETOOLONG when it does not fit. */
int pin_path(char *buf, size_t len, const char *dir, const char *name);
/* mkdir -p of a directory inside bpffs. */
int pin_mkdir(const char *dir);
/* Unpin every entry in dir and remove dir (not recursive). */
int pin_rmdir(const char *dir);

/*
 * Refuse early, with "ppxdp needs root (CAP_BPF and CAP_NET_ADMIN)", when
 * the effective capabilities cannot load and attach XDP programs.
 * bpffs_prepare() calls it first.
 */
int check_privileges(void);

/*
 * Split a pin directory name "IF" or "IF@NSINO" into the interface name
 * and the netns inode (PROC_NET_INIT_INO for a bare "IF").
 */
int pin_dir_parse(const char *name, char *ifname, size_t len, __u64 *ino);

/* The pinned XDP link of a pin directory and what the kernel says of it. */
enum pinned_link_state {
	PINNED_LINK_NONE,    /* no directory */
	PINNED_LINK_LIVE,    /* link attached to ->ifindex */
	PINNED_LINK_DEFUNCT, /* no link pin, or link detached (device gone) */
};

struct pinned_link {
	enum pinned_link_state state;
	int fd;      /* -1 unless LIVE or DEFUNCT with a link pin */
	__u32 id;
	__u32 prog_id;
	__u32 ifindex; /* in the link's netns; 0 once the device is gone */
};

/* Read the ppxdp_info pin of a pin directory. */
struct ppxdp_attach_info;
int pin_dir_read_info(const char *dir, struct ppxdp_attach_info *info);

/* Fills pl for dir; fails only on unexpected errors (not on absence). */
int pinned_link_open(const char *dir, struct pinned_link *pl);
void pinned_link_close(struct pinned_link *pl);

#endif /* PPXDP_PINS_H */
