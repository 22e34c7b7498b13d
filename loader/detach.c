// SPDX-License-Identifier: GPL-2.0
/*
 * ppxdp detach IF: detach the pinned XDP link of IF and remove its pin
 * directory. Programs ppxdp did not attach are left alone, with the name of
 * the tool that removes them. A pin directory whose link is defunct (the
 * interface or its namespace is gone) is cleaned up.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <net/if.h>

#include "main.h"
#include "options.h"
#include "pins.h"
#include "progs.h"

struct detach_opts {
	const char *ifname;
};

static const struct opt_spec detach_specs[] = {
	{ .name = "IF", .type = OPT_STRING,
	  .flags = OPT_POSITIONAL | OPT_REQUIRED,
	  .offset = offsetof(struct detach_opts, ifname),
	  .help = "interface; IF@NSINO names the pins of another network namespace" },
	{ NULL },
};

const struct opt_cmd detach_cmd = {
	.name = "detach",
	.summary = "Detach the XDP program ppxdp attached to IF and remove its pins.",
	.specs = detach_specs,
};

struct detach_target {
	char ifname[IF_NAMESIZE];
	char dir[PATH_MAX];
	bool here; /* the pins belong to the current netns */
};

/* IF, or IF@NSINO as listed by `ppxdp status`. */
static int detach_target_resolve(const char *arg, struct detach_target *t)
{
	__u64 ino, cur;
	int err;

	err = netns_current_ino(&cur);
	if (err)
		return err;
	if (!strchr(arg, '@') || !strcmp(arg, "trace")) {
		snprintf(t->ifname, sizeof(t->ifname), "%.*s", IF_NAMESIZE - 1,
			 arg);
		t->here = true;
		if (strlen(arg) >= IF_NAMESIZE)
			return p_usage_err("'%s' is too long for an interface name",
					   arg);
		return iface_pin_dir(arg, t->dir, sizeof(t->dir));
	}
	if (pin_dir_parse(arg, t->ifname, sizeof(t->ifname), &ino))
		return p_usage_err("'%s' is neither an interface name nor IF@NSINO",
				   arg);
	t->here = ino == cur;
	if (t->here)
		return iface_pin_dir(t->ifname, t->dir, sizeof(t->dir));
	return pin_path(t->dir, sizeof(t->dir), PPXDP_PIN_ROOT, arg);
}

/* "IF@123, IF@456": IF's pin directories of other network namespaces. */
static void pins_of_other_netns(const char *ifname, char *buf, size_t len)
{
	char name[IF_NAMESIZE];
	struct dirent *de;
	size_t off = 0;
	__u64 ino;
	DIR *d;

	buf[0] = '\0';
	d = opendir(PPXDP_PIN_ROOT);
	if (!d)
		return;
	while ((de = readdir(d)) && off < len) {
		if (!strchr(de->d_name, '@') ||
		    pin_dir_parse(de->d_name, name, sizeof(name), &ino) ||
		    strcmp(name, ifname))
			continue;
		off += snprintf(buf + off, len - off, "%s%s", off ? ", " : "",
				de->d_name);
	}
	closedir(d);
}

/* No pin directory: say what runs on IF and who can remove it. */
static int detach_explain_absent(const struct detach_target *t)
{
	char name[BPF_OBJ_NAME_LEN] = "?";
	enum ppxdp_attach_mode mode = PPXDP_MODE_NONE;
	struct xdp_iface x;
	__u32 prog_id = 0, link_id = 0;
	int ifindex;

	ifindex = t->here ? if_nametoindex(t->ifname) : 0;
	if (!ifindex) {
		char others[256];

		pins_of_other_netns(t->ifname, others, sizeof(others));
		p_err("nothing to detach: no pins in %s%s%s%s", t->dir,
		      t->here ? " and no such interface in this network namespace" :
				"",
		      others[0] ? "; pins of other namespaces: " : "", others);
		return -ENOENT;
	}
	if (!xdp_iface_query(ifindex, &x))
		prog_id = xdp_iface_prog(&x, &mode);
	if (!prog_id) {
		p_err("%s has no XDP program (and no pins in %s)", t->ifname,
		      t->dir);
		return -ENOENT;
	}
	bpf_prog_name(prog_id, name, sizeof(name));
	xdp_link_find(ifindex, prog_id, &link_id);
	if (link_id)
		p_err("the XDP program of %s (%s, prog id %u) was not attached by %s: it is held by BPF link %u of another tool; remove it with `bpftool link detach id %u`",
		      t->ifname, name, prog_id, bin_name, link_id, link_id);
	else
		p_err("the XDP program of %s (%s, prog id %u) was not attached by %s; remove it with `ip link set dev %s %s off`",
		      t->ifname, name, prog_id, bin_name, t->ifname,
		      xdp_iproute2_keyword(mode));
	return -ENOENT;
}

/* A live link in the current netns must be the program IF runs. */
static int detach_check_live(const struct detach_target *t,
			     const struct pinned_link *pl)
{
	enum ppxdp_attach_mode mode = PPXDP_MODE_NONE;
	char other[IF_NAMESIZE] = "?";
	struct xdp_iface x;
	__u32 prog_id = 0;
	int ifindex;

	ifindex = if_nametoindex(t->ifname);
	if (ifindex && !xdp_iface_query(ifindex, &x))
		prog_id = xdp_iface_prog(&x, &mode);
	if (ifindex && (__u32)ifindex == pl->ifindex && prog_id == pl->prog_id)
		return 0;

	if_indextoname(pl->ifindex, other);
	if (!ifindex || (__u32)ifindex != pl->ifindex)
		p_err("%s holds the live XDP link %u of ifindex %u (%s), not of %s: was the interface renamed? Remove the pins with `rm -r %s` to detach it",
		      t->dir, pl->id, pl->ifindex, other, t->ifname, t->dir);
	else
		p_err("the XDP program of %s (prog id %u) is not the one pinned in %s (prog id %u), so %s did not attach it; remove it with `ip link set dev %s %s off`",
		      t->ifname, prog_id, t->dir, pl->prog_id, bin_name,
		      t->ifname, xdp_iproute2_keyword(mode));
	return -EBUSY;
}

static void detach_print(const struct detach_target *t,
			 const struct pinned_link *pl, const char *prog)
{
	bool defunct = pl->state == PINNED_LINK_DEFUNCT;

	if (json_output) {
		jsonw_start_object(json_wtr);
		jsonw_string_field(json_wtr, "ifname", t->ifname);
		jsonw_string_field(json_wtr, "pin_dir", t->dir);
		jsonw_string_field(json_wtr, "prog", prog);
		if (pl->id)
			jsonw_uint_field(json_wtr, "link_id", pl->id);
		else
			jsonw_null_field(json_wtr, "link_id");
		jsonw_bool_field(json_wtr, "defunct", defunct);
		jsonw_end_object(json_wtr);
		return;
	}
	if (defunct)
		printf("The XDP link of %s was defunct (interface deleted or its network namespace gone): removed the stale pins in %s\n",
		       t->ifname, t->dir);
	else
		printf("Detached %s from %s (prog id %u, link id %u), removed %s\n",
		       prog, t->ifname, pl->prog_id, pl->id, t->dir);
}

int do_detach(int argc, char **argv)
{
	struct detach_opts o = {};
	struct pinned_link pl = { .fd = -1 };
	struct ppxdp_attach_info info = {};
	struct detach_target t = {};
	int err;

	err = opts_parse(&detach_cmd, &o, argc, argv);
	if (err)
		return err < 0 ? err : 0;
	err = bpffs_prepare(false);
	if (err)
		return err;
	err = detach_target_resolve(o.ifname, &t);
	if (err)
		return err;

	err = pinned_link_open(t.dir, &pl);
	if (err) {
		p_err("cannot read the pinned link in %s: %s", t.dir,
		      strerror(-err));
		return err;
	}
	if (pl.state == PINNED_LINK_NONE)
		return detach_explain_absent(&t);
	pin_dir_read_info(t.dir, &info);

	if (pl.state == PINNED_LINK_LIVE) {
		if (t.here) {
			err = detach_check_live(&t, &pl);
			if (err)
				goto out;
		}
		if (bpf_link_detach(pl.fd)) {
			err = -errno;
			p_err("cannot detach link %u from %s: %s", pl.id,
			      t.ifname, strerror(-err));
			goto out;
		}
	}
	err = pin_rmdir(t.dir);
	if (err)
		goto out;
	detach_print(&t, &pl, info.prog[0] ? info.prog : "?");
out:
	pinned_link_close(&pl);
	return err;
}
