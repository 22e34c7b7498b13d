// SPDX-License-Identifier: GPL-2.0
/*
 * ppxdp attach IF PROG: load one of the XDP programs, attach it to IF with
 * a BPF link and pin the link and the maps under iface_pin_dir(IF).
 *
 * The pins are built in a staging directory next to the final one and
 * renamed into place at the end, so a failure at any step leaves nothing
 * behind (no pin, no link, no directory). With --force an XDP program
 * already on IF is replaced: a ppxdp link atomically with
 * bpf_link_update(), anything else by detaching it first.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <net/if.h>

#include "main.h"
#include "options.h"
#include "pins.h"
#include "progs.h"
#include "redirect.h"
#include "rules.h"

enum attach_mode_opt {
	ATTACH_AUTO,
	ATTACH_NATIVE,
	ATTACH_GENERIC,
};

static const struct opt_enum attach_modes[] = {
	{ "native", ATTACH_NATIVE },
	{ "generic", ATTACH_GENERIC },
	{ "auto", ATTACH_AUTO },
	{ NULL },
};

static const struct opt_enum redirect_modes[] = {
	{ "devmap", REDIRECT_MODE_DEVMAP },
	{ "ifindex", REDIRECT_MODE_IFINDEX },
	{ "broadcast", REDIRECT_MODE_BROADCAST },
	{ "cpumap", REDIRECT_MODE_CPUMAP },
	{ NULL },
};

static const struct opt_enum redirect_cpu_actions[] = {
	{ "pass", REDIRECT_CPU_PASS },
	{ "redirect", REDIRECT_CPU_REDIRECT },
	{ NULL },
};

#define OPT_UNSET ((__u32)-1)

struct attach_opts {
	struct opt_iface iface;
	unsigned int prog;  /* index in xdp_progs */
	unsigned int mode;  /* enum attach_mode_opt */
	struct opt_iflist to;
	unsigned int via;   /* enum redirect_mode, OPT_UNSET: not given */
	bool exclude_ingress;
	__u32 cpu;          /* OPT_UNSET: not given */
	__u32 qsize;        /* OPT_UNSET: not given */
	unsigned int cpu_action; /* OPT_UNSET: not given */
	const char *rules;
	unsigned int default_action;
	bool force;
};

static const struct opt_spec attach_specs[] = {
	{ .name = "IF", .type = OPT_IFNAME,
	  .flags = OPT_POSITIONAL | OPT_REQUIRED,
	  .offset = offsetof(struct attach_opts, iface),
	  .help = "interface to attach to" },
	{ .name = "PROG", .type = OPT_ENUM,
	  .flags = OPT_POSITIONAL | OPT_REQUIRED,
	  .offset = offsetof(struct attach_opts, prog),
	  .enums = xdp_prog_names,
	  .help = "XDP program" },
	{ .name = "mode", .short_name = 'm', .type = OPT_ENUM,
	  .offset = offsetof(struct attach_opts, mode),
	  .enums = attach_modes,
	  .help = "driver (native) or skb (generic) XDP; auto: native, else generic" },
	{ .name = "to", .type = OPT_IFLIST,
	  .offset = offsetof(struct attach_opts, to), .metavar = "IF2[,IF3...]",
	  .help = "redirect: egress interface; several for --via broadcast" },
	{ .name = "via", .type = OPT_ENUM,
	  .offset = offsetof(struct attach_opts, via),
	  .enums = redirect_modes,
	  .help = "redirect: devmap (default), ifindex (bpf_redirect), broadcast (to every --to), cpumap (to --cpu)" },
	{ .name = "exclude-ingress", .type = OPT_BOOL,
	  .offset = offsetof(struct attach_opts, exclude_ingress),
	  .help = "redirect --via broadcast: no copy back out of IF" },
	{ .name = "cpu", .type = OPT_U32,
	  .offset = offsetof(struct attach_opts, cpu), .metavar = "N",
	  .help = "redirect --via cpumap, required: the CPU that takes the frames" },
	{ .name = "qsize", .type = OPT_U32,
	  .offset = offsetof(struct attach_opts, qsize), .metavar = "N",
	  .min = 1, .max = REDIRECT_QSIZE_MAX,
	  .help = "redirect --via cpumap: queue size in frames (default 2048)" },
	{ .name = "cpu-action", .type = OPT_ENUM,
	  .offset = offsetof(struct attach_opts, cpu_action),
	  .enums = redirect_cpu_actions,
	  .help = "redirect --via cpumap: on that CPU, pass to the stack (default) or redirect to --to" },
	{ .name = "rules", .type = OPT_STRING,
	  .offset = offsetof(struct attach_opts, rules), .metavar = "FILE",
	  .help = "fwd: rules file" },
	{ .name = "default", .type = OPT_ENUM,
	  .offset = offsetof(struct attach_opts, default_action),
	  .metavar = "ACTION", .enums = xdp_action_names,
	  .help = "tx, redirect, fwd: action for frames the program does not handle" },
	{ .name = "force", .short_name = 'f', .type = OPT_BOOL,
	  .offset = offsetof(struct attach_opts, force),
	  .help = "replace the XDP program already on IF" },
	{ NULL },
};

const struct opt_cmd attach_cmd = {
	.name = "attach",
	.summary = "Attach an XDP program to IF and pin it under " PPXDP_PIN_ROOT "/.",
	.specs = attach_specs,
};

/* How the program gets onto the interface. */
enum attach_plan {
	PLAN_NEW,             /* IF has no XDP program */
	PLAN_UPDATE,          /* ppxdp link on IF: bpf_link_update() */
	PLAN_REPLACE_OURS,    /* ppxdp link in another mode: detach, new link */
	PLAN_REPLACE_NETLINK, /* foreign netlink program: detach, new link */
	PLAN_REPLACE_LINK,    /* foreign BPF link: detach it, new link */
};

struct attach_ctx {
	const struct attach_opts *o;
	const struct xdp_prog_desc *desc;
	char dir[PATH_MAX];
	char stage[PATH_MAX];
	bool stage_made;

	/* What IF runs now. */
	__u32 cur_prog_id;
	enum ppxdp_attach_mode cur_mode;
	struct pinned_link pinned;
	enum attach_plan plan;
	__u32 foreign_link_id;

	struct fwd_ruleset *rules;
	struct xdp_prog_params params;
	struct xdp_obj xo;
	enum ppxdp_attach_mode modes[2]; /* to try, in order */
	int nr_modes;

	int link_fd;
	enum ppxdp_attach_mode mode;
	__u32 prog_id;
	__u32 link_id;
};

/* Does the program send frames out of the --to interfaces? */
static bool attach_uses_to(const struct attach_opts *o)
{
	if (!(xdp_progs[o->prog].needs & XDP_PROG_TARGET))
		return false;
	return o->via != REDIRECT_MODE_CPUMAP ||
	       o->cpu_action == REDIRECT_CPU_REDIRECT;
}

/* --via and the options that belong to one mode. */
static int attach_check_redirect(const struct attach_opts *o)
{
	const char *via = opt_enum_name(redirect_modes, o->via);
	int ncpu;

	if (o->to.nr > 1 && o->via != REDIRECT_MODE_BROADCAST)
		return p_usage_err("--to takes one interface with --via %s; several only with --via broadcast",
				   via);
	if (o->exclude_ingress && o->via != REDIRECT_MODE_BROADCAST)
		return p_usage_err("--exclude-ingress applies to --via broadcast only");
	if (o->via != REDIRECT_MODE_CPUMAP) {
		if (o->cpu != OPT_UNSET || o->qsize != OPT_UNSET ||
		    o->cpu_action != OPT_UNSET)
			return p_usage_err("--cpu, --qsize and --cpu-action apply to --via cpumap only");
		return 0;
	}
	if (o->cpu == OPT_UNSET)
		return p_usage_err("--via cpumap needs --cpu N, the CPU that takes the frames");
	ncpu = libbpf_num_possible_cpus();
	if (ncpu > 0 && o->cpu >= (__u32)ncpu)
		return p_usage_err("--cpu %u: no such CPU (this machine has CPUs 0 to %d)",
				   o->cpu, ncpu - 1);
	if (o->cpu_action != REDIRECT_CPU_REDIRECT && o->to.nr)
		return p_usage_err("--to has no use with --cpu-action pass: the frames go up the stack of CPU %u; add --cpu-action redirect to send them out of %s",
				   o->cpu, o->to.ifs[0].name);
	return 0;
}

static int attach_check_args(const struct attach_opts *o)
{
	const struct xdp_prog_desc *d = &xdp_progs[o->prog];
	int err;

	if (!(d->needs & XDP_PROG_TARGET) &&
	    (o->via != OPT_UNSET || o->exclude_ingress || o->cpu != OPT_UNSET ||
	     o->qsize != OPT_UNSET || o->cpu_action != OPT_UNSET))
		return p_usage_err("--via, --exclude-ingress, --cpu, --qsize and --cpu-action apply to redirect only, not to %s",
				   d->name);
	if (d->needs & XDP_PROG_TARGET) {
		err = attach_check_redirect(o);
		if (err)
			return err;
	}
	if (attach_uses_to(o) && !o->to.nr)
		return p_usage_err("%s needs --to IF2, the interface to redirect to",
				   d->name);
	if (!(d->needs & XDP_PROG_TARGET) && o->to.nr)
		return p_usage_err("--to applies to redirect only, not to %s",
				   d->name);
	if ((d->needs & XDP_PROG_RULES) && !o->rules)
		return p_usage_err("%s needs --rules FILE (see docs/rules.md)",
				   d->name);
	if (!(d->needs & XDP_PROG_RULES) && o->rules)
		return p_usage_err("--rules applies to fwd only, not to %s",
				   d->name);
	if (!(d->needs & XDP_PROG_DEFAULT) &&
	    o->default_action != XDP_ACTION_UNSET)
		return p_usage_err("--default applies to tx, redirect and fwd; %s has no default action",
				   d->name);
	return 0;
}

/* "drop (prog id 12, link id 3, native)" */
static void describe_prog(__u32 prog_id, __u32 link_id,
			  enum ppxdp_attach_mode mode, char *buf, size_t len)
{
	char name[BPF_OBJ_NAME_LEN] = "?";
	int n;

	bpf_prog_name(prog_id, name, sizeof(name));
	n = snprintf(buf, len, "%s (prog id %u", name, prog_id);
	if (link_id)
		n += snprintf(buf + n, len - n, ", link id %u", link_id);
	snprintf(buf + n, len - n, ", %s)", xdp_mode_name(mode));
}

/* Find what IF runs and decide how to replace it, or refuse. */
static int attach_plan_choose(struct attach_ctx *c)
{
	const struct attach_opts *o = c->o;
	const char *ifname = o->iface.name;
	struct xdp_iface x;
	char what[128];
	int err;

	err = xdp_iface_query(o->iface.ifindex, &x);
	if (err) {
		p_err("cannot query the XDP programs of %s: %s", ifname,
		      strerror(-err));
		return err;
	}
	c->cur_prog_id = xdp_iface_prog(&x, &c->cur_mode);

	err = pinned_link_open(c->dir, &c->pinned);
	if (err) {
		p_err("cannot read the pinned link in %s: %s", c->dir,
		      strerror(-err));
		return err;
	}
	if (c->pinned.state == PINNED_LINK_LIVE &&
	    c->pinned.ifindex != (__u32)o->iface.ifindex) {
		char other[IF_NAMESIZE] = "?";

		if_indextoname(c->pinned.ifindex, other);
		p_err("%s holds the live XDP link %u of ifindex %u (%s), not of %s: was the interface renamed? Detach it under its current name, or remove the pins with `rm -r %s`",
		      c->dir, c->pinned.id, c->pinned.ifindex, other, ifname,
		      c->dir);
		return -EEXIST;
	}

	if (!c->cur_prog_id) {
		c->plan = PLAN_NEW;
		return 0;
	}

	if (c->pinned.state == PINNED_LINK_LIVE &&
	    c->pinned.prog_id == c->cur_prog_id) {
		describe_prog(c->cur_prog_id, c->pinned.id, c->cur_mode, what,
			      sizeof(what));
		if (!o->force) {
			p_err("%s already runs %s, attached by %s; use --force to replace it, or `%s detach %s` first",
			      ifname, what, bin_name, bin_name, ifname);
			return -EBUSY;
		}
		if (o->mode == ATTACH_AUTO ||
		    (o->mode == ATTACH_NATIVE &&
		     c->cur_mode == PPXDP_MODE_NATIVE) ||
		    (o->mode == ATTACH_GENERIC &&
		     c->cur_mode == PPXDP_MODE_GENERIC))
			c->plan = PLAN_UPDATE;
		else
			c->plan = PLAN_REPLACE_OURS;
		return 0;
	}

	err = xdp_link_find(o->iface.ifindex, c->cur_prog_id,
			    &c->foreign_link_id);
	if (err) {
		p_err("cannot list BPF links: %s", strerror(-err));
		return err;
	}
	describe_prog(c->cur_prog_id, c->foreign_link_id, c->cur_mode, what,
		      sizeof(what));
	if (!o->force) {
		if (c->foreign_link_id)
			p_err("%s already runs %s, held by a BPF link of another tool; use --force to replace it, or remove it with `bpftool link detach id %u`",
			      ifname, what, c->foreign_link_id);
		else
			p_err("%s already runs %s, not attached by %s; use --force to replace it, or remove it with `ip link set dev %s %s off`",
			      ifname, what, bin_name, ifname,
			      xdp_iproute2_keyword(c->cur_mode));
		return -EBUSY;
	}
	c->plan = c->foreign_link_id ? PLAN_REPLACE_LINK : PLAN_REPLACE_NETLINK;
	return 0;
}

static int attach_load_rules(struct attach_ctx *c)
{
	char msg[512] = "";
	int err;

	c->rules = fwd_ruleset_parse_file(c->o->rules, msg, sizeof(msg));
	if (!c->rules) {
		err = errno ? -errno : -EINVAL;
		p_err("%s", msg[0] ? msg : strerror(-err));
		return err;
	}
	err = fwd_ruleset_resolve(c->rules, msg, sizeof(msg));
	if (err) {
		p_err("%s", msg[0] ? msg : strerror(-err));
		return err;
	}
	c->params.default_action = fwd_ruleset_default_action(c->rules);
	c->params.nonip_action = fwd_ruleset_nonip_action(c->rules);
	c->params.rules = c->rules;
	return 0;
}

/* Whether ifindex lacks ndo_xdp_xmit; unknown (kernel < 6.3) is false. */
static bool egress_lacks_xmit(__u32 ifindex)
{
	char name[IF_NAMESIZE] = "?";
	__u64 feat;
	int err;

	err = xdp_iface_features(ifindex, &feat);
	if (err) {
		if (verbose)
			p_note("cannot read the XDP features of %s (%s): not checking it",
			       if_indextoname(ifindex, name) ?: "?",
			       strerror(-err));
		return false;
	}
	return !(feat & XDP_FEAT_NDO_XMIT);
}

/* First egress of the program that native XDP cannot redirect to, or 0. */
static __u32 attach_slow_egress(const struct attach_ctx *c)
{
	const struct fwd_rule_spec *r;
	unsigned int j;
	size_t i;

	if (attach_uses_to(c->o))
		for (j = 0; j < c->o->to.nr; j++)
			if (egress_lacks_xmit(c->o->to.ifs[j].ifindex))
				return c->o->to.ifs[j].ifindex;
	if (!c->rules)
		return 0;
	for (i = 0; (r = fwd_ruleset_rule(c->rules, i)); i++)
		if (r->rule.action == XDP_REDIRECT &&
		    egress_lacks_xmit(r->rule.redirect_ifindex))
			return r->rule.redirect_ifindex;
	return 0;
}

/*
 * The modes to try, in order. A native redirect needs an egress device
 * that implements ndo_xdp_xmit (a veth only does while its peer has an
 * XDP program or GRO); generic XDP redirects through the stack.
 */
static int attach_choose_modes(struct attach_ctx *c)
{
	const struct attach_opts *o = c->o;
	char name[IF_NAMESIZE] = "?";
	__u32 slow;

	if (c->plan == PLAN_UPDATE) {
		c->modes[0] = c->cur_mode;
		c->nr_modes = 1;
	} else if (o->mode == ATTACH_NATIVE) {
		c->modes[0] = PPXDP_MODE_NATIVE;
		c->nr_modes = 1;
	} else if (o->mode == ATTACH_GENERIC) {
		c->modes[0] = PPXDP_MODE_GENERIC;
		c->nr_modes = 1;
	} else {
		c->modes[0] = PPXDP_MODE_NATIVE;
		c->modes[1] = PPXDP_MODE_GENERIC;
		c->nr_modes = 2;
	}

	if (c->modes[0] != PPXDP_MODE_NATIVE)
		return 0;
	slow = attach_slow_egress(c);
	if (!slow)
		return 0;
	if_indextoname(slow, name);
	if (c->nr_modes == 1) {
		p_err("%s cannot transmit frames redirected by native XDP (no ndo_xdp_xmit); for a veth, attach an XDP program to its peer (e.g. `%s attach PEER pass`) or enable GRO on the peer, or use --mode generic",
		      name, bin_name);
		return -EOPNOTSUPP;
	}
	p_warn("%s cannot transmit frames redirected by native XDP (no ndo_xdp_xmit), using generic",
	       name);
	c->modes[0] = PPXDP_MODE_GENERIC;
	c->nr_modes = 1;
	return 0;
}

static int attach_write_info(struct attach_ctx *c, enum ppxdp_attach_mode mode)
{
	struct ppxdp_attach_info info = {};
	struct bpf_map *map;
	struct timespec now;
	__u32 key = 0;
	int err;

	map = bpf_object__find_map_by_name(c->xo.obj, "ppxdp_info");
	if (!map) {
		p_err("the %s program has no ppxdp_info map (rebuild xdp-progs/)",
		      c->desc->name);
		return -ENOENT;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	info.attach_time = now.tv_sec * 1000000000ULL + now.tv_nsec;
	err = netns_current_ino(&info.netns_ino);
	if (err)
		return err;
	info.ifindex = c->o->iface.ifindex;
	info.mode = mode;
	info.target_ifindex = c->params.target_ifindex;
	info.default_action = c->xo.default_action;
	snprintf(info.prog, sizeof(info.prog), "%s", c->desc->name);
	snprintf(info.ifname, sizeof(info.ifname), "%s", c->o->iface.name);
	err = bpf_map__update_elem(map, &key, sizeof(key), &info, sizeof(info),
				   BPF_ANY);
	if (err)
		p_err("cannot write ppxdp_info: %s", strerror(-err));
	return err;
}

/* Pin the maps of the loaded object into a staging directory. */
static int attach_stage_maps(struct attach_ctx *c)
{
	char path[PATH_MAX], name[NAME_MAX];
	struct bpf_map *map;
	int err;

	/* bpffs refuses '.' in names; ':' cannot be in an interface name. */
	snprintf(name, sizeof(name), "staging:%d:%.200s", getpid(),
		 strrchr(c->dir, '/') + 1);
	err = pin_path(c->stage, sizeof(c->stage), PPXDP_PIN_ROOT, name);
	if (err)
		return err;
	if (mkdir(c->stage, 0700)) {
		err = -errno;
		p_err("cannot create %s: %s", c->stage, strerror(-err));
		return err;
	}
	c->stage_made = true;
	bpf_object__for_each_map(map, c->xo.obj) {
		/* .rodata and co.: bpffs cannot name them, nothing reads them */
		if (bpf_map__is_internal(map))
			continue;
		err = pin_path(path, sizeof(path), c->stage,
			       bpf_map__name(map));
		if (err)
			return err;
		if (bpf_obj_pin(bpf_map__fd(map), path)) {
			err = -errno;
			p_err("cannot pin map %s at %s: %s",
			      bpf_map__name(map), path, strerror(-err));
			return err;
		}
	}
	return 0;
}

/* Take the current program off IF for the REPLACE plans. */
static int attach_remove_current(struct attach_ctx *c)
{
	const char *ifname = c->o->iface.name;
	int fd, err = 0;

	switch (c->plan) {
	case PLAN_REPLACE_OURS:
		if (bpf_link_detach(c->pinned.fd))
			err = -errno;
		break;
	case PLAN_REPLACE_NETLINK:
		err = bpf_xdp_detach(c->o->iface.ifindex,
				     xdp_mode_flags(c->cur_mode), NULL);
		break;
	case PLAN_REPLACE_LINK:
		fd = bpf_link_get_fd_by_id(c->foreign_link_id);
		if (fd < 0) {
			err = -errno;
			break;
		}
		if (bpf_link_detach(fd))
			err = -errno;
		close(fd);
		break;
	default:
		return 0;
	}
	if (err)
		p_err("cannot detach the XDP program %u from %s: %s",
		      c->cur_prog_id, ifname, strerror(-err));
	return err;
}

/* Create the XDP link, falling back from native to generic for auto. */
static int attach_link_create(struct attach_ctx *c)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts);
	const char *ifname = c->o->iface.name;
	int i, err = 0;

	for (i = 0; i < c->nr_modes; i++) {
		err = attach_write_info(c, c->modes[i]);
		if (err)
			return err;
		opts.flags = xdp_mode_flags(c->modes[i]);
		c->link_fd = bpf_link_create(bpf_program__fd(c->xo.prog),
					     c->o->iface.ifindex, BPF_XDP,
					     &opts);
		if (c->link_fd >= 0) {
			c->mode = c->modes[i];
			return 0;
		}
		err = -errno;
		c->link_fd = -1;
		if (i + 1 < c->nr_modes)
			p_warn("native XDP not supported by %s (%s), using generic",
			       ifname, strerror(-err));
	}
	p_err("cannot attach %s to %s in %s mode: %s%s", c->desc->name, ifname,
	      xdp_mode_name(c->modes[c->nr_modes - 1]), strerror(-err),
	      c->plan != PLAN_NEW && c->plan != PLAN_UPDATE ?
		      "; the previous program was removed" : "");
	return err;
}

/* Atomically swap the program of the pinned ppxdp link. */
static int attach_link_update(struct attach_ctx *c)
{
	LIBBPF_OPTS(bpf_link_update_opts, opts);
	int old_fd, err;

	err = attach_write_info(c, c->cur_mode);
	if (err)
		return err;
	/* Fails with EPERM if the program changed since we looked. */
	old_fd = bpf_prog_get_fd_by_id(c->cur_prog_id);
	if (old_fd >= 0) {
		opts.flags = BPF_F_REPLACE;
		opts.old_prog_fd = old_fd;
	}
	err = bpf_link_update(c->pinned.fd, bpf_program__fd(c->xo.prog), &opts);
	if (err)
		err = -errno;
	if (old_fd >= 0)
		close(old_fd);
	if (err) {
		p_err("cannot replace the program of link %u on %s: %s",
		      c->pinned.id, c->o->iface.name, strerror(-err));
		return err;
	}
	c->mode = c->cur_mode;
	return 0;
}

/* UPDATE: the link pin stays, the map pins of the old program go. */
static int attach_swap_map_pins(struct attach_ctx *c)
{
	char from[PATH_MAX], to[PATH_MAX];
	struct dirent *de;
	int err = 0;
	DIR *d;

	d = opendir(c->dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, "link"))
			continue;
		if (pin_path(to, sizeof(to), c->dir, de->d_name) || unlink(to))
			err = err ?: -errno;
	}
	closedir(d);
	if (err)
		return err;

	d = opendir(c->stage);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (pin_path(from, sizeof(from), c->stage, de->d_name) ||
		    pin_path(to, sizeof(to), c->dir, de->d_name) ||
		    rename(from, to))
			err = err ?: -errno;
	}
	closedir(d);
	return err;
}

/* Move the staged pins to the final directory. */
static int attach_commit_pins(struct attach_ctx *c)
{
	char path[PATH_MAX];
	struct stat st;
	int err;

	if (c->plan == PLAN_UPDATE) {
		err = attach_swap_map_pins(c);
		if (err)
			p_err("the program on %s was replaced but swapping the map pins in %s failed: %s",
			      c->o->iface.name, c->dir, strerror(-err));
		return err;
	}

	err = pin_path(path, sizeof(path), c->stage, "link");
	if (err)
		return err;
	if (bpf_obj_pin(c->link_fd, path)) {
		err = -errno;
		p_err("cannot pin the link at %s: %s", path, strerror(-err));
		return err;
	}
	if (!stat(c->dir, &st)) {
		if (c->pinned.state == PINNED_LINK_DEFUNCT)
			p_note("removing the stale pins of a defunct attachment in %s",
			       c->dir);
		err = pin_rmdir(c->dir);
		if (err)
			return err;
	}
	if (rename(c->stage, c->dir)) {
		err = -errno;
		p_err("cannot rename %s to %s: %s", c->stage, c->dir,
		      strerror(-err));
		return err;
	}
	return 0;
}

static void attach_print(const struct attach_ctx *c)
{
	const char *verb = c->plan == PLAN_NEW ? "Attached" : "Replaced";

	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "ifname", c->o->iface.name);
		jsonw_uint_field(json_wtr, "ifindex", c->o->iface.ifindex);
		jsonw_string_field(json_wtr, "prog", c->desc->name);
		jsonw_uint_field(json_wtr, "prog_id", c->prog_id);
		jsonw_uint_field(json_wtr, "link_id", c->link_id);
		jsonw_string_field(json_wtr, "mode", xdp_mode_name(c->mode));
		jsonw_string_field(json_wtr, "pin_dir", c->dir);
		jsonw_bool_field(json_wtr, "replaced", c->plan != PLAN_NEW);
		jsonw_end_object(json_wtr);
		return;
	}
	printf("%s %s on %s in %s mode (prog id %u, link id %u), pinned in %s\n",
	       verb, c->desc->name, c->o->iface.name, xdp_mode_name(c->mode),
	       c->prog_id, c->link_id, c->dir);
}

static int obj_id(int fd, __u32 *id)
{
	struct bpf_prog_info info = {}; /* id comes first in every info */
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	*id = info.id;
	return 0;
}

static int attach_xdp(const struct attach_opts *o)
{
	struct attach_ctx c = {
		.o = o,
		.desc = &xdp_progs[o->prog],
		.link_fd = -1,
		.pinned = { .fd = -1 },
		.params = {
			.ifindex = o->iface.ifindex,
			.default_action = XDP_ACTION_UNSET,
			.nonip_action = XDP_ACTION_UNSET,
		},
	};
	__u32 ports[OPT_IFLIST_MAX];
	unsigned int i;
	int err;

	if (attach_uses_to(o)) {
		for (i = 0; i < o->to.nr; i++)
			ports[i] = o->to.ifs[i].ifindex;
		c.params.target_ifindex = ports[0];
		c.params.redirect.ports = ports;
		c.params.redirect.nr_ports = o->to.nr;
	}
	c.params.redirect.mode = o->via == OPT_UNSET ? REDIRECT_MODE_DEVMAP :
						       o->via;
	c.params.redirect.exclude_ingress = o->exclude_ingress;
	c.params.redirect.cpu = o->cpu == OPT_UNSET ? 0 : o->cpu;
	c.params.redirect.qsize = o->qsize == OPT_UNSET ?
					  REDIRECT_QSIZE_DEFAULT : o->qsize;
	c.params.redirect.cpu_action = o->cpu_action == OPT_UNSET ?
					       REDIRECT_CPU_PASS : o->cpu_action;

	err = bpffs_prepare(true);
	if (err)
		return err;
	err = iface_pin_dir(o->iface.name, c.dir, sizeof(c.dir));
	if (err)
		return err;
	err = attach_plan_choose(&c);
	if (err)
		goto cleanup;

	if (c.desc->needs & XDP_PROG_RULES) {
		err = attach_load_rules(&c);
		if (err)
			goto cleanup;
	}
	if (o->default_action != XDP_ACTION_UNSET)
		c.params.default_action = o->default_action;
	err = attach_choose_modes(&c);
	if (err)
		goto cleanup;

	err = xdp_obj_open(&c.xo, c.desc, &c.params);
	if (err)
		goto cleanup;
	err = xdp_obj_load(&c.xo, &c.params);
	if (err)
		goto cleanup;
	err = attach_stage_maps(&c);
	if (err)
		goto cleanup;

	if (c.plan == PLAN_UPDATE) {
		err = attach_link_update(&c);
	} else {
		err = attach_remove_current(&c);
		if (!err)
			err = attach_link_create(&c);
	}
	if (err)
		goto cleanup;

	err = attach_commit_pins(&c);
	if (err)
		goto cleanup;

	obj_id(bpf_program__fd(c.xo.prog), &c.prog_id);
	obj_id(c.link_fd >= 0 ? c.link_fd : c.pinned.fd, &c.link_id);
	attach_print(&c);

cleanup:
	if (c.stage_made)
		pin_rmdir(c.stage); /* no-op once renamed into place */
	if (c.link_fd >= 0)
		close(c.link_fd); /* the pin holds the link, if committed */
	xdp_obj_close(&c.xo);
	fwd_ruleset_free(c.rules);
	pinned_link_close(&c.pinned);
	return err;
}

int do_attach(int argc, char **argv)
{
	struct attach_opts o = {
		.mode = ATTACH_AUTO,
		.via = OPT_UNSET,
		.cpu = OPT_UNSET,
		.qsize = OPT_UNSET,
		.cpu_action = OPT_UNSET,
		.default_action = XDP_ACTION_UNSET,
	};
	int err;

	err = opts_parse(&attach_cmd, &o, argc, argv);
	if (err)
		return err < 0 ? err : 0;
	err = attach_check_args(&o);
	if (err)
		return err;
	return attach_xdp(&o);
}
