// SPDX-License-Identifier: GPL-2.0
/*
 * ppnl: what the netdev generic netlink family (6.3+, pools 6.8+) says
 * about page pools and XDP features, for the VM tests; no python or ynl
 * needed in the guest.
 *
 *   ppnl pools                one line per pool:
 *                             id=N ifindex=N napi_id=N inflight=N inflight_mem=N detach_time=N
 *                             (a missing attribute prints as -1)
 *   ppnl xdp-features IFINDEX the xdp-features bit mask, in hex
 *
 * Exit status 0, 1 on error, 2 on usage, 3 when the kernel lacks the
 * family or the command.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* include/uapi/linux/netdev.h (6.8) */
#define NETDEV_FAMILY_NAME		"netdev"
#define NETDEV_CMD_DEV_GET		1
#define NETDEV_CMD_PAGE_POOL_GET	5
#define NETDEV_A_DEV_IFINDEX		1
#define NETDEV_A_DEV_XDP_FEATURES	3
enum {
	PP_A_ID = 1,
	PP_A_IFINDEX,
	PP_A_NAPI_ID,
	PP_A_INFLIGHT,
	PP_A_INFLIGHT_MEM,
	PP_A_DETACH_TIME,
	PP_A_MAX = PP_A_DETACH_TIME,
};

static const char *const pp_attr_names[PP_A_MAX + 1] = {
	[PP_A_ID]		= "id",
	[PP_A_IFINDEX]		= "ifindex",
	[PP_A_NAPI_ID]		= "napi_id",
	[PP_A_INFLIGHT]		= "inflight",
	[PP_A_INFLIGHT_MEM]	= "inflight_mem",
	[PP_A_DETACH_TIME]	= "detach_time",
};

struct nl_ctx {
	struct mnl_socket *nl;
	unsigned int seq;
	unsigned int portid;
	unsigned short family;
	unsigned long long features;
	int has_features;
};

/* YNL "uint": 4 or 8 bytes. */
static long long attr_uint(const struct nlattr *a)
{
	if (mnl_attr_get_payload_len(a) == 8)
		return (long long)mnl_attr_get_u64(a);
	if (mnl_attr_get_payload_len(a) == 4)
		return mnl_attr_get_u32(a);
	return -1;
}

static int ctrl_attr_cb(const struct nlattr *a, void *data)
{
	struct nl_ctx *ctx = data;

	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
		ctx->family = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static int ctrl_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), ctrl_attr_cb, data);
}

static int pool_attr_cb(const struct nlattr *a, void *data)
{
	long long *vals = data;
	int type = mnl_attr_get_type(a);

	if (type >= 1 && type <= PP_A_MAX)
		vals[type] = attr_uint(a);
	return MNL_CB_OK;
}

static int pool_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	long long vals[PP_A_MAX + 1];
	int i;

	for (i = 0; i <= PP_A_MAX; i++)
		vals[i] = -1;
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), pool_attr_cb, vals);
	for (i = 1; i <= PP_A_MAX; i++)
		printf("%s%s=%lld", i > 1 ? " " : "", pp_attr_names[i], vals[i]);
	printf("\n");
	return MNL_CB_OK;
}

static int dev_attr_cb(const struct nlattr *a, void *data)
{
	struct nl_ctx *ctx = data;

	if (mnl_attr_get_type(a) == NETDEV_A_DEV_XDP_FEATURES &&
	    mnl_attr_validate(a, MNL_TYPE_U64) >= 0) {
		ctx->features = mnl_attr_get_u64(a);
		ctx->has_features = 1;
	}
	return MNL_CB_OK;
}

static int dev_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), dev_attr_cb, data);
}

static struct nlmsghdr *genl_put(char *buf, struct nl_ctx *ctx,
				 unsigned short type, unsigned char cmd,
				 unsigned short flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++ctx->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

/* Send and run @cb on every reply until the ack or the dump's end. */
static int genl_talk(struct nl_ctx *ctx, struct nlmsghdr *nlh,
		     mnl_cb_t cb, void *data)
{
	char buf[32768];	/* dump replies come in pages */
	int ret;

	if (mnl_socket_sendto(ctx->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	while ((ret = mnl_socket_recvfrom(ctx->nl, buf, sizeof(buf))) > 0) {
		ret = mnl_cb_run(buf, ret, nlh->nlmsg_seq, ctx->portid, cb, data);
		if (ret <= MNL_CB_STOP)
			break;
	}
	return ret < 0 ? -errno : 0;
}

static int netdev_family(struct nl_ctx *ctx)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = genl_put(buf, ctx, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NETDEV_FAMILY_NAME);
	if (genl_talk(ctx, nlh, ctrl_msg_cb, ctx) || !ctx->family)
		return -EOPNOTSUPP;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: ppnl pools | ppnl xdp-features IFINDEX\n");
	return 2;
}

int main(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl_ctx ctx = { .seq = (unsigned int)time(NULL) };
	struct nlmsghdr *nlh;
	int err, ret = 1;

	if (argc < 2 || (strcmp(argv[1], "pools") && strcmp(argv[1], "xdp-features")) ||
	    (!strcmp(argv[1], "xdp-features") && argc != 3))
		return usage();

	ctx.nl = mnl_socket_open(NETLINK_GENERIC);
	if (!ctx.nl || mnl_socket_bind(ctx.nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("ppnl: generic netlink socket");
		return 1;
	}
	ctx.portid = mnl_socket_get_portid(ctx.nl);
	if (netdev_family(&ctx)) {
		fprintf(stderr, "ppnl: no netdev netlink family (kernel before 6.3)\n");
		ret = 3;
		goto out;
	}

	if (!strcmp(argv[1], "pools")) {
		nlh = genl_put(buf, &ctx, ctx.family, NETDEV_CMD_PAGE_POOL_GET,
			       NLM_F_DUMP);
		err = genl_talk(&ctx, nlh, pool_msg_cb, NULL);
		if (err == -EOPNOTSUPP || err == -EINVAL) {
			fprintf(stderr, "ppnl: no page-pool-get (kernel before 6.8)\n");
			ret = 3;
			goto out;
		}
	} else {
		nlh = genl_put(buf, &ctx, ctx.family, NETDEV_CMD_DEV_GET, 0);
		mnl_attr_put_u32(nlh, NETDEV_A_DEV_IFINDEX, strtoul(argv[2], NULL, 0));
		err = genl_talk(&ctx, nlh, dev_msg_cb, &ctx);
		if (!err && !ctx.has_features)
			err = -EOPNOTSUPP;
		if (!err)
			printf("0x%llx\n", ctx.features);
	}
	if (err) {
		fprintf(stderr, "ppnl: %s: %s\n", argv[1], strerror(-err));
		goto out;
	}
	ret = 0;
out:
	mnl_socket_close(ctx.nl);
	return ret;
}
