/* SPDX-License-Identifier: GPL-2.0 */
/*
 * API differences between the kernels ppnic builds for: Debian 12's 6.1
 * and its 6.12. Each helper hides one difference; everything else in the
 * driver uses the plain kernel API.
 */
#ifndef _PPNIC_COMPAT_H
#define _PPNIC_COMPAT_H

#include <linux/version.h>
#include <linux/netdevice.h>
#include <net/xdp.h>

/* 6.6 split net/page_pool.h into page_pool/types.h and helpers.h. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#include <net/page_pool/helpers.h>
#else
#include <net/page_pool.h>
#endif

/*
 * Tell the pool which NAPI consumes it (6.5: direct recycling of pages
 * freed in that NAPI's softirq, skb frees included) and which netdev and
 * queue it serves (6.7: listed by the netdev netlink family).
 */
static inline void ppnic_pp_params_set_owner(struct page_pool_params *pp,
					     struct net_device *dev,
					     struct napi_struct *napi,
					     unsigned int queue)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	pp->napi = napi;
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	pp->netdev = dev;
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	pp->queue_idx = queue;
#endif
}

/* 6.3 added xdp_features; before it the core did not ask. */
static inline void ppnic_set_xdp_features(struct net_device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	xdp_set_features_flag(dev, NETDEV_XDP_ACT_BASIC |
				   NETDEV_XDP_ACT_REDIRECT |
				   NETDEV_XDP_ACT_NDO_XMIT);
#endif
}

/* 6.8 links queues to their NAPI for the netdev netlink family. */
static inline void ppnic_queue_set_napi(struct net_device *dev,
					unsigned int queue,
					struct napi_struct *napi)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	netif_queue_set_napi(dev, queue, NETDEV_QUEUE_TYPE_RX, napi);
	netif_queue_set_napi(dev, queue, NETDEV_QUEUE_TYPE_TX, napi);
#endif
}

#endif /* _PPNIC_COMPAT_H */
