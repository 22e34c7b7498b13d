// SPDX-License-Identifier: GPL-2.0
/*
 * ppnic: native XDP on the pool page (every action), program attach, and
 * ndo_xdp_xmit so that ppnic is a redirect target.
 */
#include <linux/bpf.h>
#include <linux/bpf_trace.h>
#include <linux/filter.h>
#include <linux/netdevice.h>
#include <net/xdp.h>

#include "ppnic.h"

/* XDP_TX: "DMA" the frame to the peer; the copy completes the TX at once. */
static int ppnic_xdp_tx(struct ppnic_rq *rq, struct xdp_buff *xdp)
{
	struct net_device *dev = rq->priv->dev;
	u32 len = xdp->data_end - xdp->data;
	struct ppnic_priv *peer_priv;
	struct net_device *peer;

	peer = rcu_dereference(rq->priv->peer);
	if (!peer)
		return -ENOTCONN;
	peer_priv = netdev_priv(peer);
	return ppnic_hw_rx(peer_priv, ppnic_frame_hash(peer_priv, dev, xdp->data, len),
			   NULL, xdp->data, len);
}

/*
 * Run @prog on a received buffer in NAPI context (rcu_read_lock held).
 * Returns true when the caller should pass the buffer to the stack;
 * otherwise the page has been recycled or handed on.
 */
bool ppnic_xdp_run(struct ppnic_rq *rq, struct bpf_prog *prog,
		   struct xdp_buff *xdp, struct page *page, bool *redirected)
{
	struct net_device *dev = rq->priv->dev;
	struct ppnic_rq_stats *s = &rq->stats;
	u32 act;
	int err;

	act = bpf_prog_run_xdp(prog, xdp);
	switch (act) {
	case XDP_PASS:
		u64_stats_update_begin(&s->syncp);
		s->xdp_pass++;
		u64_stats_update_end(&s->syncp);
		return true;
	case XDP_TX:
		err = ppnic_xdp_tx(rq, xdp);
		u64_stats_update_begin(&s->syncp);
		if (err)
			s->xdp_tx_err++;
		else
			s->xdp_tx++;
		u64_stats_update_end(&s->syncp);
		if (err)
			trace_xdp_exception(dev, prog, act);
		ppnic_recycle_direct(rq, page);
		return false;
	case XDP_REDIRECT:
		err = xdp_do_redirect(dev, xdp, prog);
		u64_stats_update_begin(&s->syncp);
		if (err) {
			s->xdp_redirect_err++;
		} else {
			s->xdp_redirect++;
			s->redirect_pages++;
		}
		u64_stats_update_end(&s->syncp);
		if (err) {
			ppnic_recycle_direct(rq, page);
		} else {
			*redirected = true;
			ppnic_trace_recycle(rq, page, PPNIC_RECYCLE_REDIRECT);
		}
		return false;
	default:
		bpf_warn_invalid_xdp_action(dev, prog, act);
		fallthrough;
	case XDP_ABORTED:
		trace_xdp_exception(dev, prog, act);
		u64_stats_update_begin(&s->syncp);
		s->xdp_aborted++;
		u64_stats_update_end(&s->syncp);
		ppnic_recycle_direct(rq, page);
		return false;
	case XDP_DROP:
		u64_stats_update_begin(&s->syncp);
		s->xdp_drop++;
		u64_stats_update_end(&s->syncp);
		ppnic_recycle_direct(rq, page);
		return false;
	}
}

static int ppnic_xdp_setup(struct net_device *dev, struct bpf_prog *prog,
			   struct netlink_ext_ack *extack)
{
	struct ppnic_priv *priv = netdev_priv(dev);
	struct bpf_prog *old;

	if (prog && dev->mtu > PPNIC_MAX_MTU) {
		NL_SET_ERR_MSG_MOD(extack, "MTU too large for native XDP on one page");
		return -EOPNOTSUPP;
	}
	old = rtnl_dereference(priv->xdp_prog);
	rcu_assign_pointer(priv->xdp_prog, prog);
	if (old)
		bpf_prog_put(old);
	return 0;
}

int ppnic_ndo_bpf(struct net_device *dev, struct netdev_bpf *bpf)
{
	switch (bpf->command) {
	case XDP_SETUP_PROG:
		return ppnic_xdp_setup(dev, bpf->prog, bpf->extack);
	default:
		return -EINVAL;
	}
}

/*
 * Copy frames into @peer's RX rings, taking each queue's lock once per run
 * of frames bound for it and committing them together. Stops at the first
 * frame that does not fit. Returns how many went.
 */
static int ppnic_xdp_xmit_frames(struct ppnic_priv *peer, struct net_device *dev,
				 struct xdp_frame **frames, int n)
{
	struct ppnic_rq *rq, *cur = NULL;
	u32 room = 0, copied = 0, full = 0;
	struct xdp_frame *f;
	u64 bytes = 0;
	int i;

	if (!READ_ONCE(peer->rx_active))
		return 0;
	for (i = 0; i < n; i++) {
		f = frames[i];
		if (unlikely(xdp_frame_has_frags(f) || f->len > PPNIC_RX_MAX_LEN))
			break;
		rq = ppnic_peer_rq(peer, ppnic_frame_hash(peer, dev, f->data, f->len));
		if (rq != cur) {
			if (cur)
				ppnic_hw_commit(cur, copied, bytes, 0);
			cur = rq;
			spin_lock(&cur->hw_lock);
			room = ppnic_hw_room(cur);
			copied = 0;
			bytes = 0;
		}
		if (unlikely(copied == room)) {
			full = n - i;	/* the caller drops them all */
			break;
		}
		ppnic_hw_copy(cur, copied++, NULL, f->data, f->len);
		bytes += f->len;
	}
	if (cur)
		ppnic_hw_commit(cur, copied, bytes, full);
	return i;
}

/*
 * ndo_xdp_xmit: send frames redirected to this device. They are "DMA'd"
 * into the peer's RX rings; the copy completes the transmission, so the
 * frames go back to their own pools at once, in bulk. Frames from the
 * first one the peer cannot take on are left to the caller, which frees
 * them.
 */
int ppnic_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		   u32 flags)
{
	struct ppnic_priv *priv = netdev_priv(dev);
	int cpu = smp_processor_id();
	struct xdp_frame_bulk bq;
	struct netdev_queue *txq;
	struct net_device *peer;
	struct ppnic_sq *sq;
	int i, nxmit = 0;
	u32 qid;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;

	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	if (peer)
		nxmit = ppnic_xdp_xmit_frames(netdev_priv(peer), dev, frames, n);
	xdp_frame_bulk_init(&bq);
	for (i = 0; i < nxmit; i++)
		xdp_return_frame_bulk(frames[i], &bq);
	xdp_flush_frame_bulk(&bq);
	rcu_read_unlock();

	qid = cpu % dev->real_num_tx_queues;
	txq = netdev_get_tx_queue(dev, qid);
	sq = &priv->sqs[qid];
	__netif_tx_lock(txq, cpu);
	u64_stats_update_begin(&sq->stats.syncp);
	sq->stats.xdp_xmit += nxmit;
	sq->stats.xdp_frames_returned += nxmit;
	sq->stats.xdp_xmit_err += n - nxmit;
	u64_stats_update_end(&sq->stats.syncp);
	__netif_tx_unlock(txq);

	return peer ? nxmit : -ENXIO;
}
