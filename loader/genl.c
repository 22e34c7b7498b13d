// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink requests over libmnl: one socket, a request or a dump
 * read to its last message, and CTRL_CMD_GETFAMILY to find a family's id
 * and commands.
 */
#include <errno.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "genl.h"

/* The kernel sizes dump pages from the reader's buffer, up to 32 KiB. */
#define GENL_RECV_SIZE 32768

int genl_open(struct mnl_socket **nlp)
{
	struct mnl_socket *nl;
	int err;

	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		mnl_socket_close(nl);
		return err;
	}
	*nlp = nl;
	return 0;
}

struct nlmsghdr *genl_put_header(char *buf, __u16 type, __u16 flags, __u8 cmd,
				 unsigned int seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

/* As libmnl's: an ack ends the answer, an error fails it. */
static int genl_error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!e->error)
		return MNL_CB_STOP;
	errno = e->error < 0 ? -e->error : e->error;
	return MNL_CB_ERROR;
}

/* libmnl ignores it, but a dump that failed ends with NLMSG_DONE(-errno). */
static int genl_done_cb(const struct nlmsghdr *nlh, void *data)
{
	int err;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(err))
		return MNL_CB_STOP;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err >= 0)
		return MNL_CB_STOP;
	errno = -err;
	return MNL_CB_ERROR;
}

/* NLMSG_NOOP and NLMSG_OVERRUN: nothing to do. */
static mnl_cb_t genl_ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = genl_error_cb,
	[NLMSG_DONE]  = genl_done_cb,
};

/* Whether buf holds the last message of an answer. */
static bool genl_answer_ends(const void *buf, int len)
{
	const struct nlmsghdr *nlh;

	for (nlh = buf; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
		if (nlh->nlmsg_type == NLMSG_ERROR || nlh->nlmsg_type == NLMSG_DONE)
			return true;
	return false;
}

/*
 * A signal (stats' SIGINT handler has no SA_RESTART) cancels nothing: the
 * kernel has the answer ready, and leaving it queued would confuse the
 * next request on the socket. Read again.
 */
static ssize_t genl_recv(struct mnl_socket *nl, char *buf, size_t len)
{
	ssize_t n;

	do
		n = mnl_socket_recvfrom(nl, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n ?: -EIO; /* nothing read: no end of answer to wait for */
}

int genl_request(struct mnl_socket *nl, const struct nlmsghdr *nlh, mnl_cb_t cb,
		 void *data)
{
	unsigned int portid = mnl_socket_get_portid(nl);
	char buf[GENL_RECV_SIZE];
	int ret = MNL_CB_OK, err = 0;
	ssize_t n;

	do
		n = mnl_socket_sendto(nl, nlh, nlh->nlmsg_len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	for (;;) {
		n = genl_recv(nl, buf, sizeof(buf));
		if (n < 0)
			return err ?: n;
		if (ret == MNL_CB_OK) {
			errno = 0;
			ret = mnl_cb_run2(buf, n, nlh->nlmsg_seq, portid, cb, data,
					  genl_ctl_cbs,
					  sizeof(genl_ctl_cbs) / sizeof(genl_ctl_cbs[0]));
			if (ret < MNL_CB_STOP)
				err = errno ? -errno : -EIO;
		}
		/* Once stopped, drop the rest of the answer. */
		if (ret != MNL_CB_OK && genl_answer_ends(buf, n))
			return err;
	}
}

static void genl_family_ops(const struct nlattr *ops, struct genl_family *fam)
{
	const struct nlattr *op, *a;
	__u32 cmd;

	mnl_attr_for_each_nested(op, ops) {
		mnl_attr_for_each_nested(a, op) {
			if (mnl_attr_get_type(a) != CTRL_ATTR_OP_ID ||
			    mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				continue;
			cmd = mnl_attr_get_u32(a);
			if (cmd < 256)
				fam->ops[cmd / 64] |= 1ULL << (cmd % 64);
		}
	}
}

static int genl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct genl_family *fam = data;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
				fam->id = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_OPS:
			genl_family_ops(a, fam);
			break;
		}
	}
	return MNL_CB_OK;
}

int genl_resolve_family(struct mnl_socket *nl, unsigned int seq,
			const char *name, struct genl_family *fam)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int err;

	memset(fam, 0, sizeof(*fam));
	nlh = genl_put_header(buf, GENL_ID_CTRL, NLM_F_ACK, CTRL_CMD_GETFAMILY, seq);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	err = genl_request(nl, nlh, genl_family_cb, fam);
	if (err)
		return err;
	return fam->id ? 0 : -ENOENT;
}
