/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ppnic: a page_pool-backed virtual NIC. Devices come in pairs; what one
 * end transmits is "DMA'd" (copied) into a buffer its peer pre-posted on
 * one of its RX rings, and the peer's NAPI takes it from there exactly as
 * a hardware driver would: XDP on the pool page, skb built around it,
 * refill from the page_pool within the NAPI budget.
 */
#ifndef _PPNIC_H
#define _PPNIC_H

#include <linux/debugfs.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <net/xdp.h>

#include "ppnic_compat.h"
#include "ppnic_events.h"

#define PPNIC_DRV_NAME		"ppnic"
#define PPNIC_RING_SIZE		256	/* descriptors per RX ring */
#define PPNIC_RING_MASK		(PPNIC_RING_SIZE - 1)
#define PPNIC_MAX_QUEUES	16
#define PPNIC_DEF_QUEUES	4	/* allocated unless numrxqueues says */
#define PPNIC_MAX_HOLD		1024	/* pages the pp_hold knob may keep */

#define PPNIC_RX_HEADROOM	XDP_PACKET_HEADROOM
#define PPNIC_RX_TAILROOM	SKB_DATA_ALIGN(sizeof(struct skb_shared_info))
#define PPNIC_RX_MAX_LEN	(PAGE_SIZE - PPNIC_RX_HEADROOM - PPNIC_RX_TAILROOM)
#define PPNIC_MAX_MTU		(PPNIC_RX_MAX_LEN - ETH_HLEN)

/* Written by the queue's NAPI poll only. */
struct ppnic_rq_stats {
	u64 packets;
	u64 bytes;
	u64 xdp_pass;
	u64 xdp_drop;
	u64 xdp_tx;
	u64 xdp_tx_err;
	u64 xdp_redirect;
	u64 xdp_redirect_err;
	u64 xdp_aborted;
	u64 skb_alloc_err;
	u64 refill;		/* buffers posted to the ring */
	u64 alloc_fail;		/* refills the pool could not serve */
	/* each successful allocation is one of fast, ring or slow */
	u64 alloc_fast;		/* served from the pool's alloc cache */
	u64 alloc_ring;		/* cache empty: pool refilled it from its ptr_ring */
	u64 alloc_slow;		/* ring empty too: pool called the page allocator */
	u64 ring_pages;		/* pages the pool pulled back from its ptr_ring */
	u64 slow_pages;		/* pages the pool took from the page allocator */
	u64 recycle_cached;	/* direct recycles kept in the alloc cache */
	u64 recycle_ring;	/* direct recycles that overflowed to the ring */
	u64 recycle_released;	/* direct recycles the pool had to free */
	u64 skb_pages;		/* pages handed to the stack in an skb */
	u64 redirect_pages;	/* pages handed to another device */
	struct u64_stats_sync syncp;
};

/* Written by the "hardware" (the peer's transmit) under hw_lock. */
struct ppnic_hw_stats {
	u64 dma_packets;	/* frames written into a posted buffer */
	u64 dma_bytes;
	u64 ring_full;		/* frames dropped: no posted buffer */
	struct u64_stats_sync syncp;
};

/* Written under the TX queue's xmit lock. */
struct ppnic_sq_stats {
	u64 packets;
	u64 bytes;
	u64 dropped;		/* no peer, peer down, peer ring full */
	u64 xdp_xmit;		/* frames sent for ndo_xdp_xmit */
	u64 xdp_xmit_err;
	u64 xdp_frames_returned;/* frames completed through the bulk return */
	struct u64_stats_sync syncp;
};

struct ppnic_desc {
	struct page *page;
	u32 len;
};

/*
 * One RX queue. Descriptor indices run freely and are masked on use:
 *   done <= hw <= post <= done + PPNIC_RING_SIZE
 * [done, hw) hold received frames, [hw, post) posted empty buffers.
 * NAPI owns done and post; the peer's transmit owns hw (under hw_lock).
 */
struct ppnic_rq {
	struct napi_struct napi;
	struct ppnic_priv *priv;
	u32 qid;
	struct page_pool *page_pool;
	struct xdp_rxq_info xdp_rxq;
	struct ppnic_desc *ring;
	u32 done;
	u32 post;
	u32 alloc_seq;		/* allocation counter for fail_alloc_every */
	struct ppnic_rq_stats stats;

	/* pp_hold knob, under rtnl */
	struct page **held;
	u32 n_held;
	struct dentry *ddir;

	spinlock_t hw_lock ____cacheline_aligned_in_smp;
	u32 hw;
	struct ppnic_hw_stats hw_stats;
};

struct ppnic_sq {
	struct ppnic_sq_stats stats;
} ____cacheline_aligned_in_smp;

struct ppnic_priv {
	struct net_device *dev;
	struct net_device __rcu *peer;
	struct bpf_prog __rcu *xdp_prog;
	struct ppnic_rq *rqs;		/* dev->num_rx_queues */
	struct ppnic_sq *sqs;		/* dev->num_tx_queues */
	bool rx_active;			/* rings of [0, real_num_rx_queues) up */
	int id;				/* names the debugfs directory */
	struct dentry *ddir;
	/* debugfs knobs */
	u32 fail_alloc_every;		/* fail every Nth page allocation */
	bool refill_paused;		/* NAPI posts no new buffers */
};

/* The RX queue of @peer that takes a frame with flow hash @hash. */
static inline struct ppnic_rq *ppnic_peer_rq(struct ppnic_priv *peer, u32 hash)
{
	return &peer->rqs[reciprocal_scale(hash, peer->dev->real_num_rx_queues)];
}

/* Posted buffers the device may still fill; rq->hw_lock held. */
static inline u32 ppnic_hw_room(const struct ppnic_rq *rq)
{
	return smp_load_acquire(&rq->post) - rq->hw;
}

/* ppnic_main.c */
void ppnic_hw_copy(struct ppnic_rq *rq, u32 n, const struct sk_buff *skb,
		   const void *data, u32 len);
void ppnic_hw_commit(struct ppnic_rq *rq, u32 n, u64 bytes, u32 ring_full);
int ppnic_hw_rx(struct ppnic_priv *peer, u32 hash, const struct sk_buff *skb,
		const void *data, u32 len);
u32 ppnic_frame_hash(struct ppnic_priv *peer, struct net_device *dev,
		     const void *data, u32 len);
void ppnic_recycle_direct(struct ppnic_rq *rq, struct page *page);
void ppnic_trace_recycle(struct ppnic_rq *rq, struct page *page, u32 how);
int ppnic_rings_stop(struct ppnic_priv *priv);
int ppnic_rings_start(struct ppnic_priv *priv);
void ppnic_rq_kick(struct ppnic_rq *rq);

/* ppnic_xdp.c */
bool ppnic_xdp_run(struct ppnic_rq *rq, struct bpf_prog *prog,
		   struct xdp_buff *xdp, struct page *page, bool *redirected);
int ppnic_ndo_bpf(struct net_device *dev, struct netdev_bpf *bpf);
int ppnic_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		   u32 flags);

/* ppnic_ethtool.c */
extern const struct ethtool_ops ppnic_ethtool_ops;
void ppnic_rq_stats_read(const struct ppnic_rq *rq, struct ppnic_rq_stats *s);
void ppnic_hw_stats_read(const struct ppnic_rq *rq, struct ppnic_hw_stats *s);
void ppnic_sq_stats_read(const struct ppnic_sq *sq, struct ppnic_sq_stats *s);

/* Pool state as the kernel itself computes inflight (page_pool_inflight). */
struct ppnic_pool_state {
	u64 hold;
	u64 release;
	u64 inflight;
	u64 cached;
};

void ppnic_pool_state_read(const struct ppnic_rq *rq, struct ppnic_pool_state *s);

/* ppnic_debugfs.c */
void ppnic_debugfs_init(void);
void ppnic_debugfs_exit(void);
void ppnic_debugfs_dev_init(struct ppnic_priv *priv);
void ppnic_debugfs_dev_exit(struct ppnic_priv *priv);
void ppnic_rq_release_held(struct ppnic_rq *rq);

#endif /* _PPNIC_H */
