// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of loader/genl.c against the running kernel's nlctrl family
 * (always there), and of its users xdp_iface_features() and nl_pp_open(),
 * whose answers depend on the kernel: the netdev family came in 6.3,
 * page-pool-get in 6.8.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <linux/genetlink.h>

#include "genl.h"
#include "netlink_pp.h"
#include "progs.h"

#define NETDEV_CMD_PAGE_POOL_GET 5
#define NETDEV_CMD_PAGE_POOL_STATS_GET 9
#define NETDEV_CMD_QSTATS_GET 12
#define NETDEV_A_QSTATS_IFINDEX 1

/* A lost end of answer makes genl_request() wait forever: fail instead. */
TestSuite(genl, .timeout = 10);

static struct mnl_socket *nl;
static unsigned int seq;

static void open_socket(void)
{
	cr_assert(eq(int, genl_open(&nl), 0));
	seq = time(NULL);
}

static void close_socket(void)
{
	mnl_socket_close(nl);
}

struct family_dump {
	unsigned int msgs;
	int nlctrl_id;	/* -1: nlctrl not seen */
	int fail_errno; /* >= 0: fail the first message with it */
};

static int family_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct family_dump *d = data;
	const struct nlattr *a;
	bool nlctrl = false;
	int id = -1;

	d->msgs++;
	if (d->fail_errno >= 0) {
		errno = d->fail_errno;
		return MNL_CB_ERROR;
	}
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			id = mnl_attr_get_u16(a);
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_NAME)
			nlctrl = !strcmp(mnl_attr_get_str(a), "nlctrl");
	}
	if (nlctrl)
		d->nlctrl_id = id;
	return MNL_CB_OK;
}

static int dump_families(struct family_dump *d)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = genl_put_header(buf, GENL_ID_CTRL, NLM_F_DUMP, CTRL_CMD_GETFAMILY,
			      ++seq);
	return genl_request(nl, nlh, family_dump_cb, d);
}

Test(genl, header_layout)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	nlh = genl_put_header(buf, 0x1234, NLM_F_DUMP, 7, 42);
	g = mnl_nlmsg_get_payload(nlh);
	cr_assert(eq(u32, nlh->nlmsg_len, NLMSG_HDRLEN + GENL_HDRLEN));
	cr_assert(eq(u16, nlh->nlmsg_type, 0x1234));
	cr_assert(eq(u16, nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP));
	cr_assert(eq(u32, nlh->nlmsg_seq, 42));
	cr_assert(eq(u8, g->cmd, 7));
	cr_assert(eq(u8, g->version, 1));
}

Test(genl, resolves_nlctrl_and_its_ops, .init = open_socket,
     .fini = close_socket)
{
	struct genl_family fam;

	cr_assert(eq(int, genl_resolve_family(nl, ++seq, "nlctrl", &fam), 0));
	cr_assert(eq(u16, fam.id, GENL_ID_CTRL));
	cr_assert(genl_family_has_op(&fam, CTRL_CMD_GETFAMILY));
	cr_assert(not(genl_family_has_op(&fam, CTRL_CMD_NEWFAMILY)));
}

Test(genl, unknown_family_is_enoent, .init = open_socket,
     .fini = close_socket)
{
	struct genl_family fam;

	cr_assert(eq(int, genl_resolve_family(nl, ++seq, "ppxdp-none", &fam),
		     -ENOENT));
	cr_assert(eq(u16, fam.id, 0));
}

Test(genl, kernel_error_is_negative_errno, .init = open_socket,
     .fini = close_socket)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct family_dump d = { .nlctrl_id = -1, .fail_errno = -1 };
	struct nlmsghdr *nlh;

	/* nlctrl has no newfamily command. */
	nlh = genl_put_header(buf, GENL_ID_CTRL, NLM_F_ACK, CTRL_CMD_NEWFAMILY,
			      ++seq);
	cr_assert(eq(int, genl_request(nl, nlh, family_dump_cb, &d),
		     -EOPNOTSUPP));
	cr_assert(eq(u32, d.msgs, 0));
}

Test(genl, dump_runs_cb_per_family, .init = open_socket,
     .fini = close_socket)
{
	struct family_dump d = { .nlctrl_id = -1, .fail_errno = -1 };

	cr_assert(eq(int, dump_families(&d), 0));
	cr_assert(gt(u32, d.msgs, 1));
	cr_assert(eq(int, d.nlctrl_id, GENL_ID_CTRL));
}

/*
 * A callback error ends the dump with its errno; the rest of the dump
 * (several pages: a fresh socket gets one-page dump skbs) is dropped, so
 * the next request on the socket gets its own answer.
 */
Test(genl, callback_error_drains_the_dump, .init = open_socket,
     .fini = close_socket)
{
	struct family_dump d = { .nlctrl_id = -1, .fail_errno = ENOMEM };
	struct genl_family fam;

	cr_assert(eq(int, dump_families(&d), -ENOMEM));
	cr_assert(eq(u32, d.msgs, 1));
	cr_assert(eq(int, genl_resolve_family(nl, ++seq, "nlctrl", &fam), 0));
	cr_assert(eq(u16, fam.id, GENL_ID_CTRL));

	d = (struct family_dump){ .nlctrl_id = -1, .fail_errno = 0 };
	cr_assert(eq(int, dump_families(&d), -EIO));
	d = (struct family_dump){ .nlctrl_id = -1, .fail_errno = -1 };
	cr_assert(eq(int, dump_families(&d), 0));
	cr_assert(eq(int, d.nlctrl_id, GENL_ID_CTRL));
}

/* The netdev family, or -ENOENT before 6.3. */
static int netdev_family(struct genl_family *fam)
{
	struct mnl_socket *s;
	int err;

	cr_assert(eq(int, genl_open(&s), 0));
	err = genl_resolve_family(s, time(NULL), "netdev", fam);
	mnl_socket_close(s);
	cr_assert(err == 0 || err == -ENOENT, "netdev family: %s",
		  strerror(-err));
	return err;
}

/* libmnl takes NLMSG_DONE for success; a failed dump puts -errno in it. */
Test(genl, dump_error_in_done_is_negative_errno, .init = open_socket,
     .fini = close_socket)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct family_dump d = { .nlctrl_id = -1, .fail_errno = -1 };
	struct genl_family fam;
	struct nlmsghdr *nlh;

	if (netdev_family(&fam) ||
	    !genl_family_has_op(&fam, NETDEV_CMD_QSTATS_GET))
		cr_skip_test("no netdev qstats-get (kernel before 6.10)");
	/* qstats-get's dumpit fails with -ENODEV for a missing ifindex. */
	nlh = genl_put_header(buf, fam.id, NLM_F_DUMP, NETDEV_CMD_QSTATS_GET,
			      ++seq);
	mnl_attr_put_u32(nlh, NETDEV_A_QSTATS_IFINDEX, 0x7ffffff0);
	cr_assert(eq(int, genl_request(nl, nlh, family_dump_cb, &d), -ENODEV));
	cr_assert(eq(u32, d.msgs, 0));
}

Test(genl, xdp_iface_features_of_lo)
{
	struct genl_family fam;
	__u64 feat = ~0ULL;

	if (netdev_family(&fam)) {
		cr_assert(eq(int, xdp_iface_features(1, &feat), -EOPNOTSUPP));
		cr_assert(eq(u64, feat, ~0ULL));
		return;
	}
	cr_assert(eq(int, xdp_iface_features(1, &feat), 0));
	cr_assert(eq(u64, feat, 0)); /* loopback has no XDP */
}

Test(genl, xdp_iface_features_of_missing_iface)
{
	struct genl_family fam;
	__u64 feat;

	cr_assert(eq(int, xdp_iface_features(0x7ffffff0, &feat),
		     netdev_family(&fam) ? -EOPNOTSUPP : -ENODEV));
}

Test(genl, nl_pp_open_needs_page_pool_get)
{
	struct genl_family fam;
	struct nl_pp pp;
	bool has_pools;

	has_pools = !netdev_family(&fam) &&
		    genl_family_has_op(&fam, NETDEV_CMD_PAGE_POOL_GET);
	if (!has_pools) {
		cr_assert(eq(int, nl_pp_open(&pp), -ENOENT));
		cr_assert(eq(ptr, pp.nl, NULL));
		return;
	}
	cr_assert(eq(int, nl_pp_open(&pp), 0));
	cr_assert(eq(u16, pp.family, fam.id));
	cr_assert(pp.has_pools);
	cr_assert(eq(int, pp.has_stats,
		     genl_family_has_op(&fam, NETDEV_CMD_PAGE_POOL_STATS_GET)));
	nl_pp_close(&pp);
}
