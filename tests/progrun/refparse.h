/* SPDX-License-Identifier: GPL-2.0 */
/* Reference model of bpf/parse.h for the tests (see refparse.c). */
#ifndef PPXDP_REFPARSE_H
#define PPXDP_REFPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <linux/types.h>

enum pr_parse_result {
	PR_PARSE_IP,
	PR_PARSE_NOT_IP,
	PR_PARSE_MALFORMED,
};

struct pr_parsed {
	int result;      /* enum pr_parse_result */
	int family;      /* 4 or 6 when IP */
	__u8 l4proto;
	bool has_ports;
	__u16 sport, dport;
	size_t l3_off;
	__u8 saddr[16];
	__u8 daddr[16];
};

/* Classify the len bytes at f the way parse_frame() must. */
int pr_ref_parse(const __u8 *f, size_t len, struct pr_parsed *out);

#endif /* PPXDP_REFPARSE_H */
