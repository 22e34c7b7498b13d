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
/* mkdir -p of a directory inside bpffs. */
int pin_mkdir(const char *dir);
/* Unpin every entry in dir and remove dir (not recursive). */
int pin_rmdir(const char *dir);

#endif /* PPXDP_PINS_H */
