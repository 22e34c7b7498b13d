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
	struct net_device *peer;

	peer = rcu_dereference(rq->priv->peer);
	if (!peer)
		return -ENOTCONN;
	return ppnic_hw_rx(netdev_priv(peer), ppnic_frame_hash(dev, xdp->data, len),
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
 * ndo_xdp_xmit: send frames redirected to this device. Each is "DMA'd"
 * into the peer's RX ring; completed frames go back to their own pools in
 * bulk. Frames from the first one the peer cannot take on are left to the
 * caller, which frees them.
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
	struct xdp_frame *f;
	int i, nxmit = 0;
	u32 qid;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;

	rcu_read_lock();
	peer = rcu_dereference(priv->peer);
	xdp_frame_bulk_init(&bq);
	for (i = 0; peer && i < n; i++) {
		f = frames[i];
		if (unlikely(xdp_frame_has_frags(f)))
			break;
		if (ppnic_hw_rx(netdev_priv(peer),
				ppnic_frame_hash(dev, f->data, f->len), NULL,
				f->data, f->len))
			break;
		xdp_return_frame_bulk(f, &bq);
		nxmit++;
	}
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
