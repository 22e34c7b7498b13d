/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running frames through a loaded fwd program and checking, frame by frame,
 * the action, the output bytes and exactly which counters moved.
 */
#ifndef PPXDP_FWD_CHECK_H
#define PPXDP_FWD_CHECK_H

#include "progrun.h"
#include "fwd.skel.h"

struct pr_fwd {
	struct fwd *skel;
	int prog_fd;
	size_t nr_rules;
	struct ppxdp_xdp_stats want;  /* expected fwd_stats */
	struct ppxdp_ctr *want_rule;  /* expected fwd_rule_stats[0..nr_rules) */
	bool check_each;              /* compare every counter after each frame */
};

/*
 * Open fwd with default_action/nonip_action in rodata, private maps, load,
 * and fill the rule maps from rules[0..n).
 */
void pr_fwd_setup(struct pr_fwd *t, __u32 default_action, __u32 nonip_action,
		  const struct pr_rule *rules, size_t n);
/* Check every counter one last time, then free everything. */
void pr_fwd_teardown(struct pr_fwd *t);

/* What one frame must do. */
struct pr_fwd_want {
	__u32 act;          /* XDP action */
	int rule;           /* matching rule id, -1 for none */
	bool malformed;     /* counted as malformed */
	bool redirect_err;  /* counted as redirect_err */
	const char *what;   /* names the frame in failure messages */
};

/*
 * Run len bytes of pkt arriving on ingress_ifindex and check w: action,
 * counters, and the output: unchanged, or MACs swapped for XDP_TX. The
 * output of XDP_REDIRECT is left to the caller (in r).
 */
void pr_fwd_expect(struct pr_fwd *t, const void *pkt, size_t len,
		   __u32 ingress_ifindex, const struct pr_fwd_want *w,
		   struct pr_run *r);
/* Compare fwd_stats and every rule counter with the expectations. */
void pr_fwd_check_counters(struct pr_fwd *t, const char *what);

#endif /* PPXDP_FWD_CHECK_H */
