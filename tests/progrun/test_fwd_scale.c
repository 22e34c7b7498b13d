// SPDX-License-Identifier: GPL-2.0
/*
 * fwd at scale: 10,000 rules and the FWD_MAX_RULES maximum, where every
 * rule but the last is a candidate of both tries and fails on a field the
 * tries do not cover. The walk must cover every word of the bitmaps
 * (bpf_loop) and every bit of each word, and still find the last rule.
 * Loading the program at all proves the verifier accepts the walk; the
 * kernel's verified instruction count and the time per frame are logged.
 */
#include <string.h>
#include <stdlib.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "fwd_check.h"

/* Rules 0..n-2 fail for one of five reasons, rule n-1 matches UDP 5353. */
static struct pr_rule *make_rules(size_t n)
{
	static const __u8 other_mac[6] = { 0x02, 9, 9, 9, 9, 9 };
	struct pr_rule *rules = calloc(n, sizeof(*rules));
	size_t i;

	cr_assert(rules != NULL);
	for (i = 0; i < n; i++) {
		struct fwd_rule *r = &rules[i].r;

		r->action = XDP_TX;
		switch (i % 5) {
		case 0:
			r->ifindex = 1000000 + i;
			break;
		case 1:
			r->l4proto = IPPROTO_TCP;
			break;
		case 2:
			r->flags = FWD_RULE_DPORT;
			r->dport_lo = 5354;
			r->dport_hi = 65535;
			break;
		case 3:
			r->flags = FWD_RULE_SPORT;
			r->sport_lo = 0;
			r->sport_hi = 4241;
			break;
		case 4:
			r->flags = FWD_RULE_DMAC;
			memcpy(r->dmac, other_mac, 6);
			break;
		}
	}
	memset(&rules[n - 1].r, 0, sizeof(rules[n - 1].r));
	rules[n - 1].r.action = XDP_DROP;
	rules[n - 1].r.l4proto = IPPROTO_UDP;
	rules[n - 1].r.flags = FWD_RULE_DPORT;
	rules[n - 1].r.dport_lo = 5353;
	rules[n - 1].r.dport_hi = 5353;
	return rules;
}

static void run_last_rule_matches(size_t n)
{
	struct pr_frame_spec s = {
		.family = 4, .l4proto = IPPROTO_UDP, .sport = 4242,
		.dport = 5353, .payload = 100,
	};
	struct pr_fwd_want w = { .act = XDP_DROP, .rule = n - 1 };
	struct pr_rule *rules = make_rules(n);
	struct bpf_prog_info info = {};
	__u32 info_len = sizeof(info);
	struct pr_fwd t;
	struct pr_frame f;
	struct pr_run r;

	pr_fwd_setup(&t, XDP_PASS, XDP_PASS, rules, n);
	cr_assert(bpf_obj_get_info_by_fd(t.prog_fd, &info, &info_len) == 0);
	cr_log_info("xdp_fwd: %u instructions verified (kernel's count)",
		    info.verified_insns);

	pr_frame_build(&f, &s);
	w.what = "IPv4, last rule";
	pr_fwd_expect(&t, f.data, f.len, 0, &w, &r);
	s.family = 6;
	pr_frame_build(&f, &s);
	w.what = "IPv6, last rule";
	pr_fwd_expect(&t, f.data, f.len, 0, &w, &r);
	s.dport = 5352; /* no rule at all: the whole walk, then default */
	pr_frame_build(&f, &s);
	w.act = XDP_PASS;
	w.rule = -1;
	w.what = "IPv6, no rule";
	pr_fwd_expect(&t, f.data, f.len, 0, &w, &r);

	{
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = f.data,
			    .data_size_in = f.len, .repeat = 1000);

		cr_assert(bpf_prog_test_run_opts(t.prog_fd, &opts) == 0);
		cr_assert(eq(u32, opts.retval, XDP_PASS));
		cr_log_info("%zu rules, no match: %u ns per frame", n,
			    opts.duration);
		t.want.pass.packets += 1000;
		t.want.pass.bytes += 1000 * f.len;
	}
	pr_fwd_teardown(&t);
	free(rules);
}

Test(fwd_scale, ten_thousand_rules, .timeout = 120)
{
	run_last_rule_matches(10000);
}

Test(fwd_scale, max_rules, .timeout = 120)
{
	run_last_rule_matches(FWD_MAX_RULES);
}
