// SPDX-License-Identifier: GPL-2.0
/*
 * ppnic: debugfs tree and test knobs, one directory per device
 * (/sys/kernel/debug/ppnic/ppnic<ID>, ID = ethtool -i bus-info):
 *
 *   ifindex            the device's ifindex
 *   fail_alloc_every   N > 0: every Nth page allocation fails (0: off)
 *   refill_paused      1: NAPI posts no new buffers; 0 resumes and kicks
 *   rx<Q>/pp_hold      write N: hold N pages from the queue's pool;
 *                      write 0: give them back; read: pages held
 *   rx<Q>/state        NAPI id, ring indices, the pool's hold/release counts
 *
 * Handlers that touch rings take rtnl with trylock and restart the system
 * call, since device removal holds rtnl while it removes these files.
 */
#include <linux/debugfs.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "ppnic.h"

static struct dentry *ppnic_debugfs_root;

static bool ppnic_rq_active(const struct ppnic_rq *rq)
{
	return rq->priv->rx_active && rq->qid < rq->priv->dev->real_num_rx_queues;
}

/* Give back the pages the pp_hold knob took (rtnl held). */
void ppnic_rq_release_held(struct ppnic_rq *rq)
{
	u32 i;

	for (i = 0; i < rq->n_held; i++) {
		ppnic_trace_recycle(rq, rq->held[i], PPNIC_RECYCLE_UNHOLD);
		page_pool_put_full_page(rq->page_pool, rq->held[i], false);
	}
	kvfree(rq->held);
	rq->held = NULL;
	rq->n_held = 0;
}

/*
 * Take @n pages from the pool as a stalled consumer would. The pool's
 * alloc side belongs to NAPI, so NAPI is paused meanwhile.
 */
static int ppnic_rq_hold(struct ppnic_rq *rq, u32 n)
{
	struct page *page;
	int err = 0;

	rq->held = kvcalloc(n, sizeof(*rq->held), GFP_KERNEL);
	if (!rq->held)
		return -ENOMEM;
	napi_disable(&rq->napi);
	while (rq->n_held < n) {
		page = page_pool_dev_alloc_pages(rq->page_pool);
		if (!page) {
			err = -ENOMEM;
			break;
		}
		rq->held[rq->n_held++] = page;
		ppnic_trace_recycle(rq, page, PPNIC_RECYCLE_HOLD);
	}
	napi_enable(&rq->napi);
	ppnic_rq_kick(rq);
	return err;
}

static ssize_t ppnic_pp_hold_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	struct ppnic_rq *rq = file->private_data;
	u32 n;
	int err;

	err = kstrtou32_from_user(ubuf, count, 0, &n);
	if (err)
		return err;
	if (n > PPNIC_MAX_HOLD)
		return -ERANGE;
	if (!rtnl_trylock())
		return restart_syscall();
	if (!ppnic_rq_active(rq)) {
		err = -ENETDOWN;
		goto out_unlock;
	}
	ppnic_rq_release_held(rq);
	if (n)
		err = ppnic_rq_hold(rq, n);
out_unlock:
	rtnl_unlock();
	return err ? err : count;
}

static ssize_t ppnic_pp_hold_read(struct file *file, char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct ppnic_rq *rq = file->private_data;
	char buf[16];
	int len;

	len = scnprintf(buf, sizeof(buf), "%u\n", READ_ONCE(rq->n_held));
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations ppnic_pp_hold_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.read	= ppnic_pp_hold_read,
	.write	= ppnic_pp_hold_write,
	.llseek	= default_llseek,
};

static int ppnic_rq_state_show(struct seq_file *m, void *unused)
{
	struct ppnic_rq *rq = m->private;
	struct ppnic_pool_state ps;

	if (!rtnl_trylock())
		return restart_syscall();
	ppnic_pool_state_read(rq, &ps);
	seq_printf(m, "active %d\n", ppnic_rq_active(rq));
	seq_printf(m, "ring_size %u\n", PPNIC_RING_SIZE);
	seq_printf(m, "napi_id %u\n", rq->page_pool ? READ_ONCE(rq->napi.napi_id) : 0);
	seq_printf(m, "done %u\nhw %u\npost %u\n", READ_ONCE(rq->done),
		   READ_ONCE(rq->hw), READ_ONCE(rq->post));
	seq_printf(m, "held %u\n", rq->n_held);
	seq_printf(m, "pool_hold %llu\npool_release %llu\npool_inflight %llu\n",
		   ps.hold, ps.release, ps.inflight);
	seq_printf(m, "pool_cached %llu\n", ps.cached);
	rtnl_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ppnic_rq_state);

static ssize_t ppnic_refill_paused_write(struct file *file,
					 const char __user *ubuf,
					 size_t count, loff_t *ppos)
{
	struct ppnic_priv *priv = file->private_data;
	unsigned int q;
	bool paused;
	int err;

	err = kstrtobool_from_user(ubuf, count, &paused);
	if (err)
		return err;
	if (!rtnl_trylock())
		return restart_syscall();
	WRITE_ONCE(priv->refill_paused, paused);
	if (!paused && priv->rx_active)
		for (q = 0; q < priv->dev->real_num_rx_queues; q++)
			ppnic_rq_kick(&priv->rqs[q]);
	rtnl_unlock();
	return count;
}

static ssize_t ppnic_refill_paused_read(struct file *file, char __user *ubuf,
					size_t count, loff_t *ppos)
{
	struct ppnic_priv *priv = file->private_data;
	char buf[4];
	int len;

	len = scnprintf(buf, sizeof(buf), "%d\n", READ_ONCE(priv->refill_paused));
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations ppnic_refill_paused_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.read	= ppnic_refill_paused_read,
	.write	= ppnic_refill_paused_write,
	.llseek	= default_llseek,
};

static int ppnic_ifindex_show(struct seq_file *m, void *unused)
{
	struct ppnic_priv *priv = m->private;

	seq_printf(m, "%d\n", priv->dev->ifindex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ppnic_ifindex);

void ppnic_debugfs_dev_init(struct ppnic_priv *priv)
{
	struct net_device *dev = priv->dev;
	struct ppnic_rq *rq;
	char name[32];
	unsigned int q;

	snprintf(name, sizeof(name), "ppnic%d", priv->id);
	priv->ddir = debugfs_create_dir(name, ppnic_debugfs_root);
	debugfs_create_file("ifindex", 0400, priv->ddir, priv, &ppnic_ifindex_fops);
	debugfs_create_u32("fail_alloc_every", 0600, priv->ddir,
			   &priv->fail_alloc_every);
	debugfs_create_file("refill_paused", 0600, priv->ddir, priv,
			    &ppnic_refill_paused_fops);
	for (q = 0; q < dev->num_rx_queues; q++) {
		rq = &priv->rqs[q];
		snprintf(name, sizeof(name), "rx%u", q);
		rq->ddir = debugfs_create_dir(name, priv->ddir);
		debugfs_create_file("pp_hold", 0600, rq->ddir, rq,
				    &ppnic_pp_hold_fops);
		debugfs_create_file("state", 0400, rq->ddir, rq,
				    &ppnic_rq_state_fops);
	}
}

void ppnic_debugfs_dev_exit(struct ppnic_priv *priv)
{
	debugfs_remove_recursive(priv->ddir);
	priv->ddir = NULL;
}

void ppnic_debugfs_init(void)
{
	ppnic_debugfs_root = debugfs_create_dir(PPNIC_DRV_NAME, NULL);
}

void ppnic_debugfs_exit(void)
{
	debugfs_remove_recursive(ppnic_debugfs_root);
}
