// SPDX-License-Identifier: GPL-2.0
/*
 * ppnic: netdev, NAPI and rtnl link handling.
 *
 * The RX side is written like a hardware driver's: every RX queue has a
 * ring of buffers taken from its own page_pool and posted ahead of time;
 * the "device" (the peer's transmit path) copies a frame into the next
 * posted buffer at XDP_PACKET_HEADROOM, publishes the descriptor and
 * schedules NAPI, as an interrupt would; NAPI runs XDP on the pool page,
 * builds skbs around the pages it passes and refills the ring from the
 * pool. A full ring drops and counts.
 */
#include <linux/etherdevice.h>
#include <linux/filter.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/flow_dissector.h>
#include <net/rtnetlink.h>

#include "ppnic.h"

#define CREATE_TRACE_POINTS
#include "ppnic_trace.h"

static DEFINE_IDA(ppnic_ida);
static struct rtnl_link_ops ppnic_link_ops;

void ppnic_trace_recycle(struct ppnic_rq *rq, struct page *page, u32 how)
{
	trace_ppnic_recycle(rq->priv->dev, rq->qid, rq->page_pool, page, how);
}

/* Pool state read the way page_pool_inflight() computes it. */
void ppnic_pool_state_read(const struct ppnic_rq *rq, struct ppnic_pool_state *s)
{
	const struct page_pool *pool = rq->page_pool;
	u32 hold, release;

	memset(s, 0, sizeof(*s));
	if (!pool)
		return;
	hold = READ_ONCE(pool->pages_state_hold_cnt);
	release = atomic_read(&pool->pages_state_release_cnt);
	s->hold = hold;
	s->release = release;
	s->inflight = (s32)(hold - release);
	s->cached = READ_ONCE(pool->alloc.count);
}

/*
 * Take one page from the pool and note where the pool found it: its alloc
 * cache, its ptr_ring (cache empty, refilled from the ring) or the page
 * allocator (hold count grew). NAPI context, or NAPI disabled.
 */
static struct page *ppnic_alloc_page(struct ppnic_rq *rq, u32 every)
{
	struct ppnic_priv *priv = rq->priv;
	struct page_pool *pool = rq->page_pool;
	u32 cached, hold, source, pages;
	struct page *page;

	if (every && ++rq->alloc_seq % every == 0) {
		page = NULL;
	} else {
		cached = pool->alloc.count;
		hold = pool->pages_state_hold_cnt;
		page = page_pool_dev_alloc_pages(pool);
	}

	u64_stats_update_begin(&rq->stats.syncp);
	if (!page) {
		rq->stats.alloc_fail++;
		source = PPNIC_ALLOC_FAIL;
		pages = 0;
	} else if (pool->pages_state_hold_cnt != hold) {
		pages = pool->pages_state_hold_cnt - hold;
		rq->stats.alloc_slow++;
		rq->stats.slow_pages += pages;
		source = PPNIC_ALLOC_SLOW;
	} else if (!cached) {
		pages = pool->alloc.count + 1;
		rq->stats.alloc_ring++;
		rq->stats.ring_pages += pages;
		source = PPNIC_ALLOC_RING;
	} else {
		pages = 1;
		rq->stats.alloc_fast++;
		source = PPNIC_ALLOC_FAST;
	}
	u64_stats_update_end(&rq->stats.syncp);
	trace_ppnic_refill(priv->dev, rq->qid, pool, page, source, pages);
	return page;
}

/*
 * Return a page the driver owns to its pool's cache (NAPI context) and
 * note where it went: the cache, the ptr_ring when the cache is full, or
 * back to the page allocator when both are.
 */
void ppnic_recycle_direct(struct ppnic_rq *rq, struct page *page)
{
	struct page_pool *pool = rq->page_pool;
	u32 cached = pool->alloc.count;
	int released = atomic_read(&pool->pages_state_release_cnt);
	u32 how;

	page_pool_recycle_direct(pool, page);

	u64_stats_update_begin(&rq->stats.syncp);
	if (pool->alloc.count != cached) {
		rq->stats.recycle_cached++;
		how = PPNIC_RECYCLE_CACHED;
	} else if (atomic_read(&pool->pages_state_release_cnt) != released) {
		rq->stats.recycle_released++;
		how = PPNIC_RECYCLE_RELEASED;
	} else {
		rq->stats.recycle_ring++;
		how = PPNIC_RECYCLE_RING;
	}
	u64_stats_update_end(&rq->stats.syncp);
	ppnic_trace_recycle(rq, page, how);
}

/* Post fresh buffers until the ring is full or the pool runs dry. */
static void ppnic_rq_refill(struct ppnic_rq *rq)
{
	u32 every = READ_ONCE(rq->priv->fail_alloc_every);
	u32 posted = 0;
	struct page *page;

	if (READ_ONCE(rq->priv->refill_paused))
		return;
	while (rq->post - rq->done < PPNIC_RING_SIZE) {
		page = ppnic_alloc_page(rq, every);
		if (!page)
			break;
		rq->ring[rq->post & PPNIC_RING_MASK].page = page;
		/* The buffer is visible to the device once post moves. */
		smp_store_release(&rq->post, rq->post + 1);
		posted++;
	}
	if (posted) {
		u64_stats_update_begin(&rq->stats.syncp);
		rq->stats.refill += posted;
		u64_stats_update_end(&rq->stats.syncp);
	}
}

/*
 * Flow hash of a raw Ethernet frame, the one skb_get_hash() would give,
 * to pick one of @peer's RX queues; not computed when it has only one.
 */
u32 ppnic_frame_hash(struct ppnic_priv *peer, struct net_device *dev,
		     const void *data, u32 len)
{
	const struct ethhdr *eth = data;
	struct flow_keys keys;

	if (peer->dev->real_num_rx_queues == 1 || len < ETH_HLEN)
		return 0;
	memset(&keys, 0, sizeof(keys));
	if (!__skb_flow_dissect(dev_net(dev), NULL, &flow_keys_dissector, &keys,
				(void *)data, eth->h_proto, ETH_HLEN, len,
				FLOW_DISSECTOR_F_STOP_AT_FLOW_LABEL))
		return 0;
	return flow_hash_from_keys(&keys);
}

/*
 * The device side of an RX queue. With rq->hw_lock held, a writer copies
 * frames into the posted buffers past rq->hw (ppnic_hw_copy), then
 * commits them at once: publish, unlock, raise the "interrupt".
 */
void ppnic_hw_copy(struct ppnic_rq *rq, u32 n, const struct sk_buff *skb,
		   const void *data, u32 len)
{
	struct ppnic_desc *desc = &rq->ring[(rq->hw + n) & PPNIC_RING_MASK];
	void *va = page_address(desc->page) + PPNIC_RX_HEADROOM;

	if (skb)
		skb_copy_bits(skb, 0, va, len);
	else
		memcpy(va, data, len);
	desc->len = len;
}

/* Publish @n copied frames, count @ring_full drops, unlock, wake NAPI. */
void ppnic_hw_commit(struct ppnic_rq *rq, u32 n, u64 bytes, u32 ring_full)
	__releases(&rq->hw_lock)
{
	u64_stats_update_begin(&rq->hw_stats.syncp);
	rq->hw_stats.dma_packets += n;
	rq->hw_stats.dma_bytes += bytes;
	rq->hw_stats.ring_full += ring_full;
	u64_stats_update_end(&rq->hw_stats.syncp);
	/* NAPI sees the descriptors complete once hw moves. */
	smp_store_release(&rq->hw, rq->hw + n);
	spin_unlock(&rq->hw_lock);
	/* A full ring wakes NAPI too, to catch up with its refill. */
	napi_schedule(&rq->napi);
}

/*
 * Deliver one frame (from @skb, or @data when @skb is NULL) to @peer on
 * the RX queue @hash selects. Caller holds rcu_read_lock with BH
 * disabled. Returns 0, -ENETDOWN (peer's rings are down), -EMSGSIZE, or
 * -ENOSPC when the queue has no posted buffer (ring full).
 */
int ppnic_hw_rx(struct ppnic_priv *peer, u32 hash, const struct sk_buff *skb,
		const void *data, u32 len)
{
	struct ppnic_rq *rq;

	if (!READ_ONCE(peer->rx_active))
		return -ENETDOWN;
	if (unlikely(len > PPNIC_RX_MAX_LEN))
		return -EMSGSIZE;
	rq = ppnic_peer_rq(peer, hash);
	spin_lock(&rq->hw_lock);
	if (unlikely(!ppnic_hw_room(rq))) {
		ppnic_hw_commit(rq, 0, 0, 1);
		return -ENOSPC;
	}
	ppnic_hw_copy(rq, 0, skb, data, len);
	ppnic_hw_commit(rq, 1, len, 0);
	return 0;
}

/* XDP_PASS (or no program): build an skb around the pool page. */
static void ppnic_rx_skb(struct ppnic_rq *rq, struct xdp_buff *xdp,
			 struct page *page)
{
	struct net_device *dev = rq->priv->dev;
	u32 metalen = xdp->data - xdp->data_meta;
	struct sk_buff *skb;

	skb = napi_build_skb(xdp->data_hard_start, PAGE_SIZE);
	if (unlikely(!skb)) {
		u64_stats_update_begin(&rq->stats.syncp);
		rq->stats.skb_alloc_err++;
		u64_stats_update_end(&rq->stats.syncp);
		ppnic_recycle_direct(rq, page);
		return;
	}
	skb_mark_for_recycle(skb);
	skb_reserve(skb, xdp->data - xdp->data_hard_start);
	skb_put(skb, xdp->data_end - xdp->data);
	if (metalen)
		skb_metadata_set(skb, metalen);
	skb->protocol = eth_type_trans(skb, dev);
	skb_record_rx_queue(skb, rq->qid);

	u64_stats_update_begin(&rq->stats.syncp);
	rq->stats.skb_pages++;
	u64_stats_update_end(&rq->stats.syncp);
	ppnic_trace_recycle(rq, page, PPNIC_RECYCLE_SKB);
	napi_gro_receive(&rq->napi, skb);
}

static void ppnic_rx_one(struct ppnic_rq *rq, struct bpf_prog *prog,
			 struct page *page, u32 len, bool *redirected)
{
	struct xdp_buff xdp;

	xdp_init_buff(&xdp, PAGE_SIZE, &rq->xdp_rxq);
	xdp_prepare_buff(&xdp, page_address(page), PPNIC_RX_HEADROOM, len, true);
	if (prog && !ppnic_xdp_run(rq, prog, &xdp, page, redirected))
		return;
	ppnic_rx_skb(rq, &xdp, page);
}

static int ppnic_poll(struct napi_struct *napi, int budget)
{
	struct ppnic_rq *rq = container_of(napi, struct ppnic_rq, napi);
	bool redirected = false;
	struct ppnic_desc *desc;
	struct bpf_prog *prog;
	u64 bytes = 0;
	int work = 0;
	u32 hw;

	hw = smp_load_acquire(&rq->hw);
	rcu_read_lock();
	prog = rcu_dereference(rq->priv->xdp_prog);
	while (work < budget && rq->done != hw) {
		desc = &rq->ring[rq->done & PPNIC_RING_MASK];
		bytes += desc->len;
		ppnic_rx_one(rq, prog, desc->page, desc->len, &redirected);
		rq->done++;
		work++;
	}
	if (redirected)
		xdp_do_flush();
	rcu_read_unlock();

	u64_stats_update_begin(&rq->stats.syncp);
	rq->stats.packets += work;
	rq->stats.bytes += bytes;
	u64_stats_update_end(&rq->stats.syncp);

	ppnic_rq_refill(rq);

	if (work < budget && napi_complete_done(napi, work)) {
		/* Pairs with the device's release of hw before scheduling. */
		smp_mb();
		if (smp_load_acquire(&rq->hw) != rq->done)
			napi_schedule(napi);
	}
	return work;
}

/* Schedule a queue's NAPI from process context (knobs, ring start). */
void ppnic_rq_kick(struct ppnic_rq *rq)
{
	local_bh_disable();
	napi_schedule(&rq->napi);
	local_bh_enable();
}

static struct page_pool *ppnic_pool_create(struct ppnic_rq *rq)
{
	struct page_pool_params pp = {
		.order		= 0,
		.pool_size	= PPNIC_RING_SIZE,
		.nid		= NUMA_NO_NODE,
	};

	ppnic_pp_params_set_owner(&pp, rq->priv->dev, &rq->napi, rq->qid);
	return page_pool_create(&pp);
}

/* Give back posted and received-but-unprocessed buffers; NAPI disabled. */
static void ppnic_rq_free_buffers(struct ppnic_rq *rq)
{
	struct ppnic_desc *desc;

	for (; rq->done != rq->post; rq->done++) {
		desc = &rq->ring[rq->done & PPNIC_RING_MASK];
		page_pool_put_full_page(rq->page_pool, desc->page, false);
		desc->page = NULL;
	}
	rq->hw = rq->post;
}

static int ppnic_rq_start(struct ppnic_rq *rq)
{
	struct net_device *dev = rq->priv->dev;
	int err;

	netif_napi_add(dev, &rq->napi, ppnic_poll);

	rq->page_pool = ppnic_pool_create(rq);
	if (IS_ERR(rq->page_pool)) {
		err = PTR_ERR(rq->page_pool);
		rq->page_pool = NULL;
		goto err_del_napi;
	}
	rq->ring = kvcalloc(PPNIC_RING_SIZE, sizeof(*rq->ring), GFP_KERNEL);
	if (!rq->ring) {
		err = -ENOMEM;
		goto err_destroy_pool;
	}
	err = xdp_rxq_info_reg(&rq->xdp_rxq, dev, rq->qid, rq->napi.napi_id);
	if (err)
		goto err_free_ring;
	err = xdp_rxq_info_reg_mem_model(&rq->xdp_rxq, MEM_TYPE_PAGE_POOL,
					 rq->page_pool);
	if (err)
		goto err_unreg_rxq;

	rq->done = 0;
	rq->post = 0;
	rq->hw = 0;
	ppnic_rq_refill(rq);
	ppnic_queue_set_napi(dev, rq->qid, &rq->napi);
	napi_enable(&rq->napi);
	return 0;

err_unreg_rxq:
	xdp_rxq_info_unreg(&rq->xdp_rxq);
err_free_ring:
	kvfree(rq->ring);
	rq->ring = NULL;
err_destroy_pool:
	page_pool_destroy(rq->page_pool);
	rq->page_pool = NULL;
err_del_napi:
	netif_napi_del(&rq->napi);
	return err;
}

static void ppnic_rq_stop(struct ppnic_rq *rq)
{
	napi_disable(&rq->napi);
	ppnic_queue_set_napi(rq->priv->dev, rq->qid, NULL);
	ppnic_rq_release_held(rq);
	ppnic_rq_free_buffers(rq);
	xdp_rxq_info_unreg(&rq->xdp_rxq);
	kvfree(rq->ring);
	rq->ring = NULL;
	/* Pages still in sockets keep the pool alive; it drains by itself. */
	page_pool_destroy(rq->page_pool);
	rq->page_pool = NULL;
	netif_napi_del(&rq->napi);
}

/* Bring up rings [0, real_num_rx_queues) and open them to the peer. */
int ppnic_rings_start(struct ppnic_priv *priv)
{
	struct net_device *dev = priv->dev;
	unsigned int q;
	int err;

	for (q = 0; q < dev->real_num_rx_queues; q++) {
		err = ppnic_rq_start(&priv->rqs[q]);
		if (err)
			goto err_stop_rings;
	}
	WRITE_ONCE(priv->rx_active, true);
	return 0;

err_stop_rings:
	while (q--)
		ppnic_rq_stop(&priv->rqs[q]);
	return err;
}

/* Close the rings to the peer, wait for its transmitters, tear down. */
int ppnic_rings_stop(struct ppnic_priv *priv)
{
	unsigned int q;

	if (!priv->rx_active)
		return 0;
	WRITE_ONCE(priv->rx_active, false);
	synchronize_net();
	for (q = 0; q < priv->dev->real_num_rx_queues; q++)
		ppnic_rq_stop(&priv->rqs[q]);
	return 0;
}

static int ppnic_open(struct net_device *dev)
{
	struct ppnic_priv *priv = netdev_priv(dev);
	struct net_device *peer;
	int err;

	err = ppnic_rings_start(priv);
	if (err)
		return err;
	peer = rtnl_dereference(priv->peer);
	if (peer && netif_running(peer)) {
		netif_carrier_on(dev);
		netif_carrier_on(peer);
	}
	return 0;
}

static int ppnic_stop(struct net_device *dev)
{
	struct ppnic_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	netif_carrier_off(dev);
	if (peer)
		netif_carrier_off(peer);
	return ppnic_rings_stop(priv);
}

static netdev_tx_t ppnic_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct ppnic_priv *priv = netdev_priv(dev);
	struct ppnic_sq *sq = &priv->sqs[skb_get_queue_mapping(skb)];
	struct net_device *peer;
	u32 len = skb->len;
	int err = -ENOTCONN;

	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	if (peer) {
		struct ppnic_priv *peer_priv = netdev_priv(peer);
		u32 hash = 0;

		if (peer->real_num_rx_queues > 1)
			hash = skb_get_hash(skb);
		err = ppnic_hw_rx(peer_priv, hash, skb, NULL, len);
	}
	rcu_read_unlock();

	u64_stats_update_begin(&sq->stats.syncp);
	if (!err) {
		sq->stats.packets++;
		sq->stats.bytes += len;
	} else {
		sq->stats.dropped++;
	}
	u64_stats_update_end(&sq->stats.syncp);

	if (err)
		dev_kfree_skb_any(skb);
	else
		dev_consume_skb_any(skb);
	return NETDEV_TX_OK;
}

static void ppnic_get_stats64(struct net_device *dev,
			      struct rtnl_link_stats64 *tot)
{
	struct ppnic_priv *priv = netdev_priv(dev);
	struct ppnic_rq_stats rs;
	struct ppnic_hw_stats hs;
	struct ppnic_sq_stats ss;
	unsigned int q;

	for (q = 0; q < dev->num_rx_queues; q++) {
		ppnic_rq_stats_read(&priv->rqs[q], &rs);
		ppnic_hw_stats_read(&priv->rqs[q], &hs);
		tot->rx_packets += rs.packets;
		tot->rx_bytes += rs.bytes;
		tot->rx_dropped += rs.xdp_drop + rs.xdp_aborted +
				   rs.skb_alloc_err + hs.ring_full;
	}
	for (q = 0; q < dev->num_tx_queues; q++) {
		ppnic_sq_stats_read(&priv->sqs[q], &ss);
		tot->tx_packets += ss.packets + ss.xdp_xmit;
		tot->tx_bytes += ss.bytes;
		tot->tx_dropped += ss.dropped + ss.xdp_xmit_err;
	}
}

static int ppnic_get_iflink(const struct net_device *dev)
{
	struct ppnic_priv *priv = netdev_priv(dev);
	struct net_device *peer;
	int iflink;

	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	iflink = peer ? peer->ifindex : 0;
	rcu_read_unlock();
	return iflink;
}

static int ppnic_init(struct net_device *dev)
{
	struct ppnic_priv *priv = netdev_priv(dev);
	unsigned int q;
	int err;

	priv->rqs = kvcalloc(dev->num_rx_queues, sizeof(*priv->rqs), GFP_KERNEL);
	if (!priv->rqs)
		return -ENOMEM;
	priv->sqs = kvcalloc(dev->num_tx_queues, sizeof(*priv->sqs), GFP_KERNEL);
	if (!priv->sqs) {
		err = -ENOMEM;
		goto err_free_rqs;
	}
	for (q = 0; q < dev->num_rx_queues; q++) {
		priv->rqs[q].priv = priv;
		priv->rqs[q].qid = q;
		spin_lock_init(&priv->rqs[q].hw_lock);
		u64_stats_init(&priv->rqs[q].stats.syncp);
		u64_stats_init(&priv->rqs[q].hw_stats.syncp);
	}
	for (q = 0; q < dev->num_tx_queues; q++)
		u64_stats_init(&priv->sqs[q].stats.syncp);

	priv->id = ida_alloc(&ppnic_ida, GFP_KERNEL);
	if (priv->id < 0) {
		err = priv->id;
		goto err_free_sqs;
	}
	ppnic_debugfs_dev_init(priv);
	return 0;

err_free_sqs:
	kvfree(priv->sqs);
err_free_rqs:
	kvfree(priv->rqs);
	return err;
}

/* Runs for every unregistration path (dellink, netns exit, module exit). */
static void ppnic_uninit(struct net_device *dev)
{
	struct ppnic_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	if (peer) {
		struct ppnic_priv *peer_priv = netdev_priv(peer);

		RCU_INIT_POINTER(peer_priv->peer, NULL);
		RCU_INIT_POINTER(priv->peer, NULL);
		netif_carrier_off(peer);
	}
	ppnic_debugfs_dev_exit(priv);
	ida_free(&ppnic_ida, priv->id);
	kvfree(priv->sqs);
	kvfree(priv->rqs);
}

static const struct net_device_ops ppnic_netdev_ops = {
	.ndo_init		= ppnic_init,
	.ndo_uninit		= ppnic_uninit,
	.ndo_open		= ppnic_open,
	.ndo_stop		= ppnic_stop,
	.ndo_start_xmit		= ppnic_start_xmit,
	.ndo_get_stats64	= ppnic_get_stats64,
	.ndo_get_iflink		= ppnic_get_iflink,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_bpf		= ppnic_ndo_bpf,
	.ndo_xdp_xmit		= ppnic_xdp_xmit,
};

static void ppnic_setup(struct net_device *dev)
{
	struct ppnic_priv *priv = netdev_priv(dev);

	ether_setup(dev);
	priv->dev = dev;
	dev->netdev_ops = &ppnic_netdev_ops;
	dev->ethtool_ops = &ppnic_ethtool_ops;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = PPNIC_MAX_MTU;
	dev->needs_free_netdev = true;
	ppnic_set_xdp_features(dev);
}

static unsigned int ppnic_get_num_queues(void)
{
	return PPNIC_DEF_QUEUES;
}

static int ppnic_validate(struct nlattr *tb[], struct nlattr *data[],
			  struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN) {
			NL_SET_ERR_MSG_MOD(extack, "MAC address must be 6 bytes");
			return -EINVAL;
		}
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS]))) {
			NL_SET_ERR_MSG_MOD(extack, "MAC address must be unicast and not zero");
			return -EADDRNOTAVAIL;
		}
	}
	if (tb[IFLA_MTU] && nla_get_u32(tb[IFLA_MTU]) > PPNIC_MAX_MTU) {
		NL_SET_ERR_MSG_MOD(extack, "MTU larger than one RX page can hold");
		return -EINVAL;
	}
	return 0;
}

/* The peer named by IFLA_LINK ("ip link add A link B type ppnic"). */
static struct net_device *ppnic_find_peer(struct net *net, struct nlattr *tb[],
					  struct netlink_ext_ack *extack)
{
	struct ppnic_priv *peer_priv;
	struct net_device *peer;

	peer = __dev_get_by_index(net, nla_get_u32(tb[IFLA_LINK]));
	if (!peer) {
		NL_SET_ERR_MSG_MOD(extack, "the device given with link does not exist");
		return ERR_PTR(-ENODEV);
	}
	if (peer->rtnl_link_ops != &ppnic_link_ops) {
		NL_SET_ERR_MSG_MOD(extack, "the device given with link is not a ppnic device");
		return ERR_PTR(-EINVAL);
	}
	peer_priv = netdev_priv(peer);
	if (rtnl_dereference(peer_priv->peer)) {
		NL_SET_ERR_MSG_MOD(extack, "the device given with link already has a peer");
		return ERR_PTR(-EBUSY);
	}
	return peer;
}

static int ppnic_newlink(struct net *src_net, struct net_device *dev,
			 struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	struct ppnic_priv *priv = netdev_priv(dev);
	struct net_device *peer = NULL;
	int err;

	if (tb[IFLA_LINK]) {
		peer = ppnic_find_peer(src_net, tb, extack);
		if (IS_ERR(peer))
			return PTR_ERR(peer);
	}
	if (!tb[IFLA_ADDRESS])
		eth_hw_addr_random(dev);

	/* One active queue; ethtool -L raises it up to numrxqueues. */
	err = netif_set_real_num_queues(dev, 1, 1);
	if (err)
		return err;
	netif_carrier_off(dev);
	err = register_netdevice(dev);
	if (err)
		return err;

	if (peer) {
		struct ppnic_priv *peer_priv = netdev_priv(peer);

		rcu_assign_pointer(priv->peer, peer);
		rcu_assign_pointer(peer_priv->peer, dev);
	}
	return 0;
}

static void ppnic_dellink(struct net_device *dev, struct list_head *head)
{
	/* The peer stays; ppnic_uninit unpairs it. */
	unregister_netdevice_queue(dev, head);
}

static struct net *ppnic_get_link_net(const struct net_device *dev)
{
	struct ppnic_priv *priv = netdev_priv(dev);
	struct net_device *peer = rtnl_dereference(priv->peer);

	return peer ? dev_net(peer) : dev_net(dev);
}

static struct rtnl_link_ops ppnic_link_ops = {
	.kind			= PPNIC_DRV_NAME,
	.priv_size		= sizeof(struct ppnic_priv),
	.setup			= ppnic_setup,
	.validate		= ppnic_validate,
	.newlink		= ppnic_newlink,
	.dellink		= ppnic_dellink,
	.get_num_tx_queues	= ppnic_get_num_queues,
	.get_num_rx_queues	= ppnic_get_num_queues,
	.get_link_net		= ppnic_get_link_net,
};

static int __init ppnic_module_init(void)
{
	int err;

	ppnic_debugfs_init();
	err = rtnl_link_register(&ppnic_link_ops);
	if (err)
		goto err_debugfs_exit;
	return 0;

err_debugfs_exit:
	ppnic_debugfs_exit();
	return err;
}

static void __exit ppnic_module_exit(void)
{
	rtnl_link_unregister(&ppnic_link_ops);
	ppnic_debugfs_exit();
}

module_init(ppnic_module_init);
module_exit(ppnic_module_exit);

MODULE_DESCRIPTION("page_pool-backed virtual NIC pairs with NAPI and native XDP");
MODULE_LICENSE("GPL");
MODULE_ALIAS_RTNL_LINK(PPNIC_DRV_NAME);
