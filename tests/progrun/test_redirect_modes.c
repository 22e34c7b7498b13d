// SPDX-License-Identifier: GPL-2.0
/*
 * redirect's modes other than devmap (rodata redirect_mode, bpf/redirect.h),
 * each in its own network namespace with veth pairs:
 *  - ifindex: bpf_redirect() to rodata redirect_ifindex, no map; an unset
 *    target gets default_action and counts as redirect_err;
 *  - broadcast: one copy per port of redirect_group, frames sent into the
 *    ingress port counted at every peer; the ingress port gets a copy only
 *    without exclude_ingress;
 *  - cpumap: frames queued to a CPU run xdp_redirect_cpu there, which
 *    passes them to the stack (caught on the ingress port, where the skb
 *    is built) or redirects them to redirect_ports[ingress] (caught at the
 *    peer); its actions count in cpumap_stats, never in
 *    redirect_stats.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "progrun.h"
#include "redirect.h"
#include "redirect.skel.h"
#include "pass.skel.h"

struct mode_cfg {
	__u32 mode;
	__u32 ifindex;
	__u32 cpu;
	bool exclude_ingress;
	__u32 cpu_action;
	__u32 default_action;
};

static struct redirect *load_mode(const struct mode_cfg *c)
{
	struct redirect *skel = redirect__open();
	int ncpu = libbpf_num_possible_cpus();

	cr_assert(skel != NULL, "redirect__open failed");
	cr_assert(ncpu > 0);
	skel->rodata->redirect_mode = c->mode;
	skel->rodata->redirect_ifindex = c->ifindex;
	skel->rodata->redirect_cpu = c->cpu;
	skel->rodata->exclude_ingress = c->exclude_ingress;
	skel->rodata->cpu_action = c->cpu_action;
	skel->rodata->default_action = c->default_action;
	cr_assert(bpf_map__set_max_entries(skel->maps.redirect_cpus, ncpu) == 0);
	pr_unpin_maps(skel->obj);
	cr_assert(redirect__load(skel) == 0, "redirect__load failed");
	return skel;
}

/* A pass program on ifindex: veth accepts redirected frames with it. */
static struct pass *sink_on(int ifindex)
{
	struct pass *sink = pass__open();

	cr_assert(sink != NULL);
	pr_unpin_maps(sink->obj);
	cr_assert(pass__load(sink) == 0);
	pr_xdp_attach(ifindex, bpf_program__fd(sink->progs.xdp_pass));
	return sink;
}

static void udp_frame(struct pr_frame *f)
{
	const struct pr_frame_spec s = {
		.family = 4, .saddr = "10.0.0.1", .daddr = "10.0.0.2",
		.l4proto = IPPROTO_UDP, .sport = 1000, .dport = 2000,
		.payload = 48,
	};

	pr_frame_build(f, &s);
}

static void expect_pass_count(struct pass *sink, __u32 n, size_t len)
{
	struct ppxdp_xdp_stats got, want = {};
	__u32 i;

	for (i = 0; i < n; i++)
		pr_ctr_add(&want.pass, len);
	pr_stats_read(sink->maps.pass_stats, &got);
	pr_stats_expect(&got, &want);
}

Test(redirect_modes, ifindex_redirects_without_a_map)
{
	struct ppxdp_xdp_stats got, want = {};
	const __u32 n = 64;
	struct redirect *skel;
	struct pass *sink;
	struct pr_frame f;
	struct pr_run r;
	int a, b, x, y, sock;
	__u32 i;

	pr_netns_private();
	pr_veth_add("ria", "rib", &a, &b);
	pr_veth_add("rix", "riy", &x, &y);
	skel = load_mode(&(struct mode_cfg){
		.mode = REDIRECT_MODE_IFINDEX, .ifindex = x,
		.default_action = XDP_DROP });
	udp_frame(&f);

	/* From any port: the target is not keyed by ingress. */
	cr_assert(eq(u32, pr_run_ok(bpf_program__fd(skel->progs.xdp_redirect),
				    f.data, f.len, b, &r), XDP_REDIRECT));
	cr_assert(memcmp(r.out, f.data, f.len) == 0, "frame modified");
	pr_ctr_add(&want.redirect, f.len);

	sink = sink_on(y);
	sock = pr_packet_socket(y);
	pr_run_live(bpf_program__fd(skel->progs.xdp_redirect), f.data, f.len,
		    a, n);
	pr_packet_expect(sock, f.data, f.len, n);
	for (i = 0; i < n; i++)
		pr_ctr_add(&want.redirect, f.len);
	pr_stats_read(skel->maps.redirect_stats, &got);
	pr_stats_expect(&got, &want);
	expect_pass_count(sink, n, f.len);
	close(sock);
	pass__destroy(sink);
	redirect__destroy(skel);
}

Test(redirect_modes, ifindex_unset_gets_default_action)
{
	struct ppxdp_xdp_stats got, want = {};
	struct redirect *skel;
	struct pr_frame f;
	struct pr_run r;

	skel = load_mode(&(struct mode_cfg){
		.mode = REDIRECT_MODE_IFINDEX, .default_action = XDP_TX });
	udp_frame(&f);
	cr_assert(eq(u32, pr_run_ok(bpf_program__fd(skel->progs.xdp_redirect),
				    f.data, f.len, 0, &r), XDP_TX));
	cr_assert(memcmp(r.out, f.data + 6, 6) == 0 &&
		  memcmp(r.out + 6, f.data, 6) == 0, "XDP_TX without MAC swap");
	pr_ctr_add(&want.tx, f.len);
	pr_ctr_add(&want.redirect_err, f.len);
	pr_stats_read(skel->maps.redirect_stats, &got);
	pr_stats_expect(&got, &want);
	redirect__destroy(skel);
}

/*
 * Ingress a, group {x, z} plus a itself when with_ingress. Every port of
 * the group but the excluded ingress gets each frame once. The frames are
 * sent by b into a, where the program runs attached, as real traffic
 * would be: on 6.1 the copies a broadcast clones from BPF_PROG_RUN live
 * frames arrive with the right length and the wrong bytes (from the first
 * one on), so live frames cannot check broadcast there.
 */
static void broadcast(bool with_ingress, bool exclude)
{
	struct ppxdp_xdp_stats got, want = {};
	const __u32 n = 48;
	struct redirect *skel;
	struct pass *sy, *sw, *sb;
	struct pr_frame f;
	int a, b, x, y, z, w, ky, kw, kb;
	__u32 i, want_b;

	pr_netns_private();
	pr_veth_add("rba", "rbb", &a, &b);
	pr_veth_add("rbx", "rby", &x, &y);
	pr_veth_add("rbz", "rbw", &z, &w);
	skel = load_mode(&(struct mode_cfg){
		.mode = REDIRECT_MODE_BROADCAST, .exclude_ingress = exclude,
		.default_action = XDP_DROP });
	pr_devmap_add(skel->maps.redirect_group, x, x);
	pr_devmap_add(skel->maps.redirect_group, z, z);
	if (with_ingress)
		pr_devmap_add(skel->maps.redirect_group, a, a);
	pr_xdp_attach(a, bpf_program__fd(skel->progs.xdp_redirect));
	sy = sink_on(y);
	sw = sink_on(w);
	sb = sink_on(b);
	ky = pr_packet_socket(y);
	kw = pr_packet_socket(w);
	kb = pr_packet_socket(b);

	udp_frame(&f);
	pr_packet_send(kb, f.data, f.len, n);
	pr_packet_expect(ky, f.data, f.len, n);
	pr_packet_expect(kw, f.data, f.len, n);
	want_b = with_ingress && !exclude ? n : 0;
	if (want_b)
		pr_packet_expect(kb, f.data, f.len, want_b);

	/* One redirect per frame, however many copies. */
	for (i = 0; i < n; i++)
		pr_ctr_add(&want.redirect, f.len);
	pr_stats_read(skel->maps.redirect_stats, &got);
	pr_stats_expect(&got, &want);
	expect_pass_count(sy, n, f.len);
	expect_pass_count(sw, n, f.len);
	/* The copies are counted: nothing else arrived on b. */
	expect_pass_count(sb, want_b, f.len);
	close(ky);
	close(kw);
	close(kb);
	pass__destroy(sy);
	pass__destroy(sw);
	pass__destroy(sb);
	redirect__destroy(skel);
}

Test(redirect_modes, broadcast_to_every_port)
{
	broadcast(false, false);
}

Test(redirect_modes, broadcast_back_out_of_the_ingress)
{
	broadcast(true, false);
}

Test(redirect_modes, broadcast_excluding_the_ingress)
{
	broadcast(true, true);
}

/* cpumap entry for cpu running the skeleton's xdp_redirect_cpu. */
static void cpumap_add(struct redirect *skel, __u32 cpu, __u32 qsize)
{
	struct bpf_cpumap_val v = {
		.qsize = qsize,
		.bpf_prog.fd = bpf_program__fd(skel->progs.xdp_redirect_cpu),
	};

	cr_assert(bpf_map_update_elem(bpf_map__fd(skel->maps.redirect_cpus),
				      &cpu, &v, BPF_ANY) == 0,
		  "cpumap[%u]: %s", cpu, strerror(errno));
}

/* Counters are summed over CPUs: wait for the kthread to catch up. */
static void wait_cpu_stats(struct redirect *skel, __u32 n,
			   struct ppxdp_xdp_stats *got)
{
	int i;

	for (i = 0; i < 200; i++) {
		pr_stats_read(skel->maps.cpumap_stats, got);
		if (got->pass.packets + got->redirect.packets +
		    got->drop.packets >= n)
			return;
		usleep(10000);
	}
}

Test(redirect_modes, cpumap_pass_to_the_stack)
{
	struct ppxdp_xdp_stats got, want = {}, want_cpu = {};
	int ncpu = libbpf_num_possible_cpus();
	const __u32 n = 64;
	struct redirect *skel;
	struct pr_frame f;
	int a, b, sock;
	__u32 i, cpu = ncpu > 1 ? 1 : 0;

	pr_netns_private();
	pr_veth_add("rca", "rcb", &a, &b);
	skel = load_mode(&(struct mode_cfg){
		.mode = REDIRECT_MODE_CPUMAP, .cpu = cpu,
		.cpu_action = REDIRECT_CPU_PASS, .default_action = XDP_DROP });
	cpumap_add(skel, cpu, 256);
	sock = pr_packet_socket(a);

	udp_frame(&f);
	pr_run_live(bpf_program__fd(skel->progs.xdp_redirect), f.data, f.len,
		    a, n);
	/* The skb is built on the remote CPU as received by a. */
	pr_packet_expect(sock, f.data, f.len, n);
	for (i = 0; i < n; i++) {
		pr_ctr_add(&want.redirect, f.len);
		pr_ctr_add(&want_cpu.pass, f.len);
	}
	pr_stats_read(skel->maps.redirect_stats, &got);
	pr_stats_expect(&got, &want);
	wait_cpu_stats(skel, n, &got);
	pr_stats_expect(&got, &want_cpu);
	close(sock);
	redirect__destroy(skel);
}

Test(redirect_modes, cpumap_second_stage_redirect)
{
	struct ppxdp_xdp_stats got, want = {}, want_cpu = {};
	int ncpu = libbpf_num_possible_cpus();
	const __u32 n = 64;
	struct redirect *skel;
	struct pass *sink;
	struct pr_frame f;
	int a, b, x, y, sock;
	__u32 i, cpu = ncpu > 1 ? 1 : 0;

	pr_netns_private();
	pr_veth_add("rsa", "rsb", &a, &b);
	pr_veth_add("rsx", "rsy", &x, &y);
	skel = load_mode(&(struct mode_cfg){
		.mode = REDIRECT_MODE_CPUMAP, .cpu = cpu,
		.cpu_action = REDIRECT_CPU_REDIRECT,
		.default_action = XDP_DROP });
	cpumap_add(skel, cpu, 256);
	pr_devmap_add(skel->maps.redirect_ports, a, x);
	sink = sink_on(y);
	sock = pr_packet_socket(y);

	udp_frame(&f);
	pr_run_live(bpf_program__fd(skel->progs.xdp_redirect), f.data, f.len,
		    a, n);
	pr_packet_expect(sock, f.data, f.len, n);
	for (i = 0; i < n; i++) {
		pr_ctr_add(&want.redirect, f.len);
		pr_ctr_add(&want_cpu.redirect, f.len);
	}
	pr_stats_read(skel->maps.redirect_stats, &got);
	pr_stats_expect(&got, &want);
	wait_cpu_stats(skel, n, &got);
	pr_stats_expect(&got, &want_cpu);
	expect_pass_count(sink, n, f.len);
	close(sock);
	pass__destroy(sink);
	redirect__destroy(skel);
}

/*
 * Second stage without a port for the ingress: the fallback on the remote
 * CPU. XDP_TX does not exist there, so a tx default passes.
 */
Test(redirect_modes, cpumap_second_stage_without_port)
{
	struct ppxdp_xdp_stats got, want_cpu = {};
	int ncpu = libbpf_num_possible_cpus();
	const __u32 n = 16;
	struct redirect *skel;
	struct pr_frame f;
	int a, b, sock;
	__u32 i, cpu = ncpu > 1 ? 1 : 0;

	pr_netns_private();
	pr_veth_add("rna", "rnb", &a, &b);
	skel = load_mode(&(struct mode_cfg){
		.mode = REDIRECT_MODE_CPUMAP, .cpu = cpu,
		.cpu_action = REDIRECT_CPU_REDIRECT,
		.default_action = XDP_TX });
	cpumap_add(skel, cpu, 64);
	sock = pr_packet_socket(a);

	udp_frame(&f);
	pr_run_live(bpf_program__fd(skel->progs.xdp_redirect), f.data, f.len,
		    a, n);
	pr_packet_expect(sock, f.data, f.len, n);
	for (i = 0; i < n; i++) {
		pr_ctr_add(&want_cpu.pass, f.len);
		pr_ctr_add(&want_cpu.redirect_err, f.len);
	}
	wait_cpu_stats(skel, n, &got);
	pr_stats_expect(&got, &want_cpu);
	close(sock);
	redirect__destroy(skel);
}

/* No entry for the configured CPU: default_action at the first stage. */
Test(redirect_modes, cpumap_without_entry_gets_default_action)
{
	struct ppxdp_xdp_stats got, want = {};
	struct redirect *skel;
	struct pr_frame f;
	struct pr_run r;

	skel = load_mode(&(struct mode_cfg){
		.mode = REDIRECT_MODE_CPUMAP, .cpu = 0,
		.default_action = XDP_DROP });
	udp_frame(&f);
	cr_assert(eq(u32, pr_run_ok(bpf_program__fd(skel->progs.xdp_redirect),
				    f.data, f.len, 0, &r), XDP_DROP));
	pr_ctr_add(&want.drop, f.len);
	pr_ctr_add(&want.redirect_err, f.len);
	pr_stats_read(skel->maps.redirect_stats, &got);
	pr_stats_expect(&got, &want);
	redirect__destroy(skel);
}
