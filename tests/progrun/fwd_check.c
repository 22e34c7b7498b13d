// SPDX-License-Identifier: GPL-2.0
/* Frame-by-frame checks of the fwd program; see fwd_check.h. */
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>

#include "fwd_check.h"

void pr_fwd_setup(struct pr_fwd *t, __u32 default_action, __u32 nonip_action,
		  const struct pr_rule *rules, size_t n)
{
	memset(t, 0, sizeof(*t));
	t->skel = fwd__open();
	cr_assert(t->skel, "fwd__open failed");
	pr_check_common_maps(t->skel->obj, "fwd_stats");
	t->skel->rodata->default_action = default_action;
	t->skel->rodata->nonip_action = nonip_action;
	pr_unpin_maps(t->skel->obj);
	cr_assert(fwd__load(t->skel) == 0, "fwd__load failed");
	t->prog_fd = bpf_program__fd(t->skel->progs.xdp_fwd);
	pr_fwd_load_rules(t->skel->obj, rules, n);
	t->nr_rules = n;
	t->want_rule = calloc(n ? n : 1, sizeof(*t->want_rule));
	cr_assert(t->want_rule);
	t->check_each = n <= 64;
}

void pr_fwd_teardown(struct pr_fwd *t)
{
	pr_fwd_check_counters(t, "the last frame");
	free(t->want_rule);
	fwd__destroy(t->skel);
	t->skel = NULL;
}

void pr_fwd_check_counters(struct pr_fwd *t, const char *what)
{
	struct ppxdp_xdp_stats got;
	struct ppxdp_ctr c;
	__u32 i;

	pr_stats_read(t->skel->maps.fwd_stats, &got);
	cr_log_info("counters after %s", what);
	pr_stats_expect(&got, &t->want);
	for (i = 0; i < t->nr_rules; i++) {
		pr_ctr_read(t->skel->maps.fwd_rule_stats, i, &c);
		cr_assert(c.packets == t->want_rule[i].packets &&
			  c.bytes == t->want_rule[i].bytes,
			  "%s: fwd_rule_stats[%u] = %llu packets %llu bytes, want %llu/%llu",
			  what, i, (unsigned long long)c.packets,
			  (unsigned long long)c.bytes,
			  (unsigned long long)t->want_rule[i].packets,
			  (unsigned long long)t->want_rule[i].bytes);
	}
}

void pr_fwd_expect(struct pr_fwd *t, const void *pkt, size_t len,
		   __u32 ingress_ifindex, const struct pr_fwd_want *w,
		   struct pr_run *r)
{
	const char *what = w->what ? w->what : "frame";
	const __u8 *in = pkt;

	if (!pr_run_runt(t->prog_fd, pkt, len, ingress_ifindex, r))
		return; /* the kernel refused a runt: nothing ran */
	cr_assert(r->retval == w->act, "%s (%zu bytes): got %s, want %s",
		  what, len, pr_action_name(r->retval),
		  pr_action_name(w->act));
	if (w->act == XDP_TX && len >= 12) {
		cr_assert(!memcmp(r->out, in + 6, 6) && !memcmp(r->out + 6, in, 6),
			  "%s: XDP_TX without MAC swap", what);
		cr_assert(!memcmp(r->out + 12, in + 12, len - 12),
			  "%s: XDP_TX changed more than the MACs", what);
	} else if (w->act != XDP_REDIRECT) {
		cr_assert(!memcmp(r->out, in, len), "%s: %s frame was modified",
			  what, pr_action_name(w->act));
	}

	pr_ctr_add(pr_action_ctr(&t->want, w->act), len);
	if (w->malformed)
		pr_ctr_add(&t->want.malformed, len);
	if (w->redirect_err)
		pr_ctr_add(&t->want.redirect_err, len);
	if (w->rule >= 0) {
		cr_assert((size_t)w->rule < t->nr_rules, "bad rule %d", w->rule);
		pr_ctr_add(&t->want_rule[w->rule], len);
	}
	if (t->check_each)
		pr_fwd_check_counters(t, what);
}
