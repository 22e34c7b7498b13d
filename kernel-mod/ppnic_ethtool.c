// SPDX-License-Identifier: GPL-2.0
/*
 * ppnic: ethtool statistics (per queue, table-driven, with the kernel's
 * page_pool stats appended when CONFIG_PAGE_POOL_STATS is set), channels
 * and driver info.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "ppnic.h"

struct ppnic_stat_desc {
	char name[ETH_GSTRING_LEN];
	size_t offset;
};

#define PPNIC_RQ_STAT(f)	{ #f, offsetof(struct ppnic_rq_stats, f) }
#define PPNIC_HW_STAT(f)	{ #f, offsetof(struct ppnic_hw_stats, f) }
#define PPNIC_SQ_STAT(f)	{ #f, offsetof(struct ppnic_sq_stats, f) }
#define PPNIC_PP_STAT(f)	{ "pp_" #f, offsetof(struct ppnic_pool_state, f) }

static const struct ppnic_stat_desc ppnic_rq_stats_desc[] = {
	PPNIC_RQ_STAT(packets),
	PPNIC_RQ_STAT(bytes),
	PPNIC_RQ_STAT(xdp_pass),
	PPNIC_RQ_STAT(xdp_drop),
	PPNIC_RQ_STAT(xdp_tx),
	PPNIC_RQ_STAT(xdp_tx_err),
	PPNIC_RQ_STAT(xdp_redirect),
	PPNIC_RQ_STAT(xdp_redirect_err),
	PPNIC_RQ_STAT(xdp_aborted),
	PPNIC_RQ_STAT(skb_alloc_err),
	PPNIC_RQ_STAT(refill),
	PPNIC_RQ_STAT(alloc_fail),
	PPNIC_RQ_STAT(alloc_fast),
	PPNIC_RQ_STAT(alloc_ring),
	PPNIC_RQ_STAT(alloc_slow),
	PPNIC_RQ_STAT(ring_pages),
	PPNIC_RQ_STAT(slow_pages),
	PPNIC_RQ_STAT(recycle_cached),
	PPNIC_RQ_STAT(recycle_ring),
	PPNIC_RQ_STAT(recycle_released),
	PPNIC_RQ_STAT(skb_pages),
	PPNIC_RQ_STAT(redirect_pages),
};

static const struct ppnic_stat_desc ppnic_hw_stats_desc[] = {
	PPNIC_HW_STAT(dma_packets),
	PPNIC_HW_STAT(dma_bytes),
	PPNIC_HW_STAT(ring_full),
};

static const struct ppnic_stat_desc ppnic_pool_stats_desc[] = {
	PPNIC_PP_STAT(hold),
	PPNIC_PP_STAT(release),
	PPNIC_PP_STAT(inflight),
	PPNIC_PP_STAT(cached),
};

static const struct ppnic_stat_desc ppnic_sq_stats_desc[] = {
	PPNIC_SQ_STAT(packets),
	PPNIC_SQ_STAT(bytes),
	PPNIC_SQ_STAT(dropped),
	PPNIC_SQ_STAT(xdp_xmit),
	PPNIC_SQ_STAT(xdp_xmit_err),
	PPNIC_SQ_STAT(xdp_frames_returned),
};

#define PPNIC_RQ_NSTATS	(ARRAY_SIZE(ppnic_rq_stats_desc) + \
			 ARRAY_SIZE(ppnic_hw_stats_desc) + \
			 ARRAY_SIZE(ppnic_pool_stats_desc))
#define PPNIC_SQ_NSTATS	ARRAY_SIZE(ppnic_sq_stats_desc)

void ppnic_rq_stats_read(const struct ppnic_rq *rq, struct ppnic_rq_stats *s)
{
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&rq->stats.syncp);
		memcpy(s, &rq->stats, offsetof(struct ppnic_rq_stats, syncp));
	} while (u64_stats_fetch_retry(&rq->stats.syncp, start));
}

void ppnic_hw_stats_read(const struct ppnic_rq *rq, struct ppnic_hw_stats *s)
{
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&rq->hw_stats.syncp);
		memcpy(s, &rq->hw_stats, offsetof(struct ppnic_hw_stats, syncp));
	} while (u64_stats_fetch_retry(&rq->hw_stats.syncp, start));
}

void ppnic_sq_stats_read(const struct ppnic_sq *sq, struct ppnic_sq_stats *s)
{
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&sq->stats.syncp);
		memcpy(s, &sq->stats, offsetof(struct ppnic_sq_stats, syncp));
	} while (u64_stats_fetch_retry(&sq->stats.syncp, start));
}

static int ppnic_get_sset_count(struct net_device *dev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return dev->real_num_rx_queues * PPNIC_RQ_NSTATS +
	       dev->real_num_tx_queues * PPNIC_SQ_NSTATS +
	       page_pool_ethtool_stats_get_count();
}

static void ppnic_put_strings(u8 **data, const char *prefix, unsigned int q,
			      const struct ppnic_stat_desc *desc, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ethtool_sprintf(data, "%s%u_%s", prefix, q, desc[i].name);
}

static void ppnic_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	unsigned int q;

	if (sset != ETH_SS_STATS)
		return;
	for (q = 0; q < dev->real_num_rx_queues; q++) {
		ppnic_put_strings(&data, "rx", q, ppnic_rq_stats_desc,
				  ARRAY_SIZE(ppnic_rq_stats_desc));
		ppnic_put_strings(&data, "rx", q, ppnic_hw_stats_desc,
				  ARRAY_SIZE(ppnic_hw_stats_desc));
		ppnic_put_strings(&data, "rx", q, ppnic_pool_stats_desc,
				  ARRAY_SIZE(ppnic_pool_stats_desc));
	}
	for (q = 0; q < dev->real_num_tx_queues; q++)
		ppnic_put_strings(&data, "tx", q, ppnic_sq_stats_desc,
				  ARRAY_SIZE(ppnic_sq_stats_desc));
	page_pool_ethtool_stats_get_strings(data);
}

static u64 *ppnic_put_values(u64 *data, const void *stats,
			     const struct ppnic_stat_desc *desc, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		*data++ = *(const u64 *)((const u8 *)stats + desc[i].offset);
	return data;
}

/* The kernel's own page_pool counters, summed over the active pools. */
static void ppnic_put_page_pool_stats(struct net_device *dev, u64 *data)
{
#ifdef CONFIG_PAGE_POOL_STATS
	struct ppnic_priv *priv = netdev_priv(dev);
	struct page_pool_stats pp_stats = {};
	unsigned int q;

	for (q = 0; q < dev->real_num_rx_queues; q++)
		if (priv->rqs[q].page_pool)
			page_pool_get_stats(priv->rqs[q].page_pool, &pp_stats);
	page_pool_ethtool_stats_get(data, &pp_stats);
#endif
}

static void ppnic_get_ethtool_stats(struct net_device *dev,
				    struct ethtool_stats *stats, u64 *data)
{
	struct ppnic_priv *priv = netdev_priv(dev);
	struct ppnic_pool_state ps;
	struct ppnic_rq_stats rs;
	struct ppnic_hw_stats hs;
	struct ppnic_sq_stats ss;
	unsigned int q;

	for (q = 0; q < dev->real_num_rx_queues; q++) {
		ppnic_rq_stats_read(&priv->rqs[q], &rs);
		ppnic_hw_stats_read(&priv->rqs[q], &hs);
		ppnic_pool_state_read(&priv->rqs[q], &ps);
		data = ppnic_put_values(data, &rs, ppnic_rq_stats_desc,
					ARRAY_SIZE(ppnic_rq_stats_desc));
		data = ppnic_put_values(data, &hs, ppnic_hw_stats_desc,
					ARRAY_SIZE(ppnic_hw_stats_desc));
		data = ppnic_put_values(data, &ps, ppnic_pool_stats_desc,
					ARRAY_SIZE(ppnic_pool_stats_desc));
	}
	for (q = 0; q < dev->real_num_tx_queues; q++) {
		ppnic_sq_stats_read(&priv->sqs[q], &ss);
		data = ppnic_put_values(data, &ss, ppnic_sq_stats_desc,
					ARRAY_SIZE(ppnic_sq_stats_desc));
	}
	ppnic_put_page_pool_stats(dev, data);
}

static void ppnic_get_channels(struct net_device *dev,
			       struct ethtool_channels *ch)
{
	ch->max_combined = min(dev->num_rx_queues, dev->num_tx_queues);
	ch->combined_count = dev->real_num_rx_queues;
}

/* Resize the queue set; running rings are rebuilt as a driver would. */
static int ppnic_set_channels(struct net_device *dev,
			      struct ethtool_channels *ch)
{
	struct ppnic_priv *priv = netdev_priv(dev);
	unsigned int n = ch->combined_count;
	bool running = netif_running(dev);
	int err, err2;

	if (ch->rx_count || ch->tx_count || ch->other_count)
		return -EINVAL;	/* the core has checked against the maxima */
	if (n == dev->real_num_rx_queues)
		return 0;
	if (running)
		ppnic_rings_stop(priv);
	err = netif_set_real_num_queues(dev, n, n);
	if (running) {
		err2 = ppnic_rings_start(priv);
		if (err2) {
			netdev_err(dev, "cannot restart RX rings: %d\n", err2);
			return err2;
		}
	}
	return err;
}

static void ppnic_get_drvinfo(struct net_device *dev,
			      struct ethtool_drvinfo *info)
{
	struct ppnic_priv *priv = netdev_priv(dev);

	strscpy(info->driver, PPNIC_DRV_NAME, sizeof(info->driver));
	snprintf(info->bus_info, sizeof(info->bus_info), "ppnic%d", priv->id);
}

const struct ethtool_ops ppnic_ethtool_ops = {
	.get_drvinfo		= ppnic_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_sset_count		= ppnic_get_sset_count,
	.get_strings		= ppnic_get_strings,
	.get_ethtool_stats	= ppnic_get_ethtool_stats,
	.get_channels		= ppnic_get_channels,
	.set_channels		= ppnic_set_channels,
};
