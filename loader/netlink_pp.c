// SPDX-License-Identifier: GPL-2.0
/*
 * netdev generic netlink family, page-pool-get and page-pool-stats-get,
 * over libmnl. The uapi numbers are spelled out here because Debian 12's
 * linux-libc-dev (6.1) predates <linux/netdev.h> page pool support; they
 * are ABI and never change.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "genl.h"
#include "netlink_pp.h"

#define NETDEV_FAMILY_NAME "netdev"

enum {
	NETDEV_CMD_PAGE_POOL_GET = 5,
	NETDEV_CMD_PAGE_POOL_STATS_GET = 9,
};

enum {
	NETDEV_A_PAGE_POOL_ID = 1,
	NETDEV_A_PAGE_POOL_IFINDEX = 2,
	NETDEV_A_PAGE_POOL_NAPI_ID = 3,
	NETDEV_A_PAGE_POOL_INFLIGHT = 4,
	NETDEV_A_PAGE_POOL_INFLIGHT_MEM = 5,
	NETDEV_A_PAGE_POOL_DETACH_TIME = 6,
};

enum {
	NETDEV_A_PAGE_POOL_STATS_INFO = 1,
	NETDEV_A_PAGE_POOL_STATS_ALLOC_FAST = 8,
	NETDEV_A_PAGE_POOL_STATS_RECYCLE_RELEASED_REFCNT = 18,
};

/* Stats attributes 8..18 in struct nl_pool order. */
static const size_t stats_off[] = {
	offsetof(struct nl_pool, alloc_fast),
	offsetof(struct nl_pool, alloc_slow),
	offsetof(struct nl_pool, alloc_slow_high_order),
	offsetof(struct nl_pool, alloc_empty),
	offsetof(struct nl_pool, alloc_refill),
	offsetof(struct nl_pool, alloc_waive),
	offsetof(struct nl_pool, recycle_cached),
	offsetof(struct nl_pool, recycle_cache_full),
	offsetof(struct nl_pool, recycle_ring),
	offsetof(struct nl_pool, recycle_ring_full),
	offsetof(struct nl_pool, recycle_released_refcnt),
};

/* YNL "uint": 4 or 8 bytes. */
static __u64 attr_uint(const struct nlattr *a)
{
	if (mnl_attr_get_payload_len(a) >= 8)
		return mnl_attr_get_u64(a);
	if (mnl_attr_get_payload_len(a) >= 4)
		return mnl_attr_get_u32(a);
	return 0;
}

int nl_pp_open(struct nl_pp *nl)
{
	struct genl_family fam;
	int err;

	memset(nl, 0, sizeof(*nl));
	err = genl_open(&nl->nl);
	if (err)
		return err;
	nl->seq = time(NULL);
	err = genl_resolve_family(nl->nl, ++nl->seq, NETDEV_FAMILY_NAME, &fam);
	if (err)
		goto err_close;
	if (!genl_family_has_op(&fam, NETDEV_CMD_PAGE_POOL_GET)) {
		err = -ENOENT;
		goto err_close;
	}
	nl->family = fam.id;
	nl->has_pools = true;
	nl->has_stats = genl_family_has_op(&fam, NETDEV_CMD_PAGE_POOL_STATS_GET);
	return 0;

err_close:
	mnl_socket_close(nl->nl);
	nl->nl = NULL;
	return err;
}

void nl_pp_close(struct nl_pp *nl)
{
	if (nl->nl)
		mnl_socket_close(nl->nl);
	nl->nl = NULL;
}

struct dump_ctx {
	struct nl_pool *pools;
	unsigned int nr, cap;
	int err;
};

static struct nl_pool *pool_slot(struct dump_ctx *ctx, __u32 id)
{
	struct nl_pool *p;
	unsigned int i;

	for (i = 0; i < ctx->nr; i++)
		if (ctx->pools[i].id == id)
			return &ctx->pools[i];
	if (ctx->nr == ctx->cap) {
		unsigned int cap = ctx->cap ? ctx->cap * 2 : 64;

		p = realloc(ctx->pools, cap * sizeof(*p));
		if (!p) {
			ctx->err = -ENOMEM;
			return NULL;
		}
		ctx->pools = p;
		ctx->cap = cap;
	}
	p = &ctx->pools[ctx->nr++];
	memset(p, 0, sizeof(*p));
	p->id = id;
	return p;
}

static int pool_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *ctx = data;
	struct nl_pool tmp = {}, *p;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case NETDEV_A_PAGE_POOL_ID:
			tmp.id = attr_uint(a);
			break;
		case NETDEV_A_PAGE_POOL_IFINDEX:
			tmp.ifindex = mnl_attr_get_u32(a);
			break;
		case NETDEV_A_PAGE_POOL_NAPI_ID:
			tmp.napi_id = attr_uint(a);
			break;
		case NETDEV_A_PAGE_POOL_INFLIGHT:
			tmp.inflight = attr_uint(a);
			break;
		case NETDEV_A_PAGE_POOL_INFLIGHT_MEM:
			tmp.inflight_mem = attr_uint(a);
			break;
		case NETDEV_A_PAGE_POOL_DETACH_TIME:
			tmp.detach_time = attr_uint(a);
			break;
		}
	}
	if (!tmp.id)
		return MNL_CB_OK;
	p = pool_slot(ctx, tmp.id);
	if (!p)
		return MNL_CB_ERROR;
	*p = tmp;
	return MNL_CB_OK;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *ctx = data;
	__u64 vals[sizeof(stats_off) / sizeof(stats_off[0])] = {};
	const struct nlattr *a, *in;
	struct nl_pool *p;
	unsigned int i;
	__u32 id = 0;
	int t;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		t = mnl_attr_get_type(a);
		if (t == NETDEV_A_PAGE_POOL_STATS_INFO) {
			mnl_attr_for_each_nested(in, a)
				if (mnl_attr_get_type(in) == NETDEV_A_PAGE_POOL_ID)
					id = attr_uint(in);
		} else if (t >= NETDEV_A_PAGE_POOL_STATS_ALLOC_FAST &&
			   t <= NETDEV_A_PAGE_POOL_STATS_RECYCLE_RELEASED_REFCNT) {
			vals[t - NETDEV_A_PAGE_POOL_STATS_ALLOC_FAST] = attr_uint(a);
		}
	}
	if (!id)
		return MNL_CB_OK;
	p = pool_slot(ctx, id);
	if (!p)
		return MNL_CB_ERROR;
	p->has_stats = true;
	for (i = 0; i < sizeof(stats_off) / sizeof(stats_off[0]); i++)
		*(__u64 *)((char *)p + stats_off[i]) = vals[i];
	return MNL_CB_OK;
}

int nl_pp_dump(struct nl_pp *nl, struct nl_pool **pools, unsigned int *nr)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct dump_ctx ctx = {};
	struct nlmsghdr *nlh;
	int err;

	*pools = NULL;
	*nr = 0;
	if (!nl->nl)
		return -ENOENT;
	nlh = genl_put_header(buf, nl->family, NLM_F_DUMP, NETDEV_CMD_PAGE_POOL_GET,
			      ++nl->seq);
	err = genl_request(nl->nl, nlh, pool_cb, &ctx);
	if (!err && ctx.err)
		err = ctx.err;
	if (!err && nl->has_stats) {
		nlh = genl_put_header(buf, nl->family, NLM_F_DUMP,
				      NETDEV_CMD_PAGE_POOL_STATS_GET, ++nl->seq);
		/* EOPNOTSUPP without CONFIG_PAGE_POOL_STATS: pools only. */
		if (genl_request(nl->nl, nlh, stats_cb, &ctx))
			nl->has_stats = false;
		if (ctx.err)
			err = ctx.err;
	}
	if (err) {
		free(ctx.pools);
		return err;
	}
	*pools = ctx.pools;
	*nr = ctx.nr;
	return 0;
}

const struct nl_pool *nl_pool_find(const struct nl_pool *pools, unsigned int nr,
				   __u32 id)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (pools[i].id == id)
			return &pools[i];
	return NULL;
}
