/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink over libmnl, for the users of the netdev family
 * (progs.c: xdp-features, netlink_pp.c: page pools): request headers, one
 * request or dump read to its end, and families resolved by name.
 */
#ifndef PPXDP_GENL_H
#define PPXDP_GENL_H

#include <stdbool.h>
#include <libmnl/libmnl.h>
#include <linux/types.h>

struct genl_family {
	__u16 id;
	__u64 ops[256 / 64]; /* bit N: the family has command N */
};

/* A NETLINK_GENERIC socket, bound, in *nlp. */
int genl_open(struct mnl_socket **nlp);

/* nlmsghdr and genlmsghdr (version 1) at buf; adds NLM_F_REQUEST to flags. */
struct nlmsghdr *genl_put_header(char *buf, __u16 type, __u16 flags, __u8 cmd,
				 unsigned int seq);

/*
 * Send nlh and run cb on every message of the answer. nlh must carry
 * NLM_F_ACK or NLM_F_DUMP, so that the answer ends with an ack, an error
 * or NLMSG_DONE. Returns 0 or a negative errno: the kernel's (NLMSG_ERROR,
 * or NLMSG_DONE of a failed dump), -EINTR when the kernel reports the dump
 * inconsistent (NLM_F_DUMP_INTR: ask again), errno as cb left it when cb
 * returns MNL_CB_ERROR (-EIO if cb set none). The rest of the answer is
 * read and dropped after an error, so the socket stays usable.
 */
int genl_request(struct mnl_socket *nl, const struct nlmsghdr *nlh, mnl_cb_t cb,
		 void *data);

/* CTRL_CMD_GETFAMILY: -ENOENT when the kernel has no family of that name. */
int genl_resolve_family(struct mnl_socket *nl, unsigned int seq,
			const char *name, struct genl_family *fam);

static inline bool genl_family_has_op(const struct genl_family *fam, __u8 cmd)
{
	return fam->ops[cmd / 64] & (1ULL << (cmd % 64));
}

#endif /* PPXDP_GENL_H */
