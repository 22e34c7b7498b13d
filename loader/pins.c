// SPDX-License-Identifier: GPL-2.0
/*
 * Pin directories, bpffs and the network namespace ppxdp acts in.
 *
 * The pins must live in the host's bpffs: a pinned XDP link is what keeps
 * a program attached after ppxdp exits. `ip netns exec` gives its command a
 * private /sys, where any bpffs is a fresh instance that vanishes with the
 * command, so bpffs_prepare() refuses to work there.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <net/if.h>

#include "main.h"
#include "pins.h"
#include "xdp_stats.h"

#define NETNS_RUN_DIR "/run/netns"

int netns_current_ino(__u64 *ino)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st)) {
		int err = -errno;

		p_err("cannot stat /proc/self/ns/net: %s (is /proc mounted?)",
		      strerror(-err));
		return err;
	}
	*ino = st.st_ino;
	return 0;
}

bool netns_is_init(__u64 ino)
{
	return ino == PROC_NET_INIT_INO;
}

int netns_enter(const char *name)
{
	char path[PATH_MAX];
	int fd, err = 0;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		if (err == -ENOENT)
			p_err("no network namespace '%s' (%s does not exist; see 'ip netns list')",
			      name, path);
		else
			p_err("cannot open network namespace %s: %s", path,
			      strerror(-err));
		return err;
	}
	if (setns(fd, CLONE_NEWNET)) {
		err = -errno;
		if (err == -EPERM)
			p_err("cannot enter network namespace '%s': ppxdp needs root (CAP_SYS_ADMIN for -n, CAP_BPF and CAP_NET_ADMIN)",
			      name);
		else
			p_err("cannot enter network namespace %s: %s (is it a network namespace?)",
			      path, strerror(-err));
	}
	close(fd);
	return err;
}

int check_privileges(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = {};
	bool has_bpf, has_net_admin, has_sys_admin;

	if (syscall(SYS_capget, &hdr, data)) {
		/* Cannot tell: let the first bpf() call decide. */
		return 0;
	}
	has_net_admin = data[CAP_TO_INDEX(CAP_NET_ADMIN)].effective &
			CAP_TO_MASK(CAP_NET_ADMIN);
	has_sys_admin = data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &
			CAP_TO_MASK(CAP_SYS_ADMIN);
	has_bpf = data[CAP_TO_INDEX(CAP_BPF)].effective & CAP_TO_MASK(CAP_BPF);
	if ((has_bpf || has_sys_admin) && has_net_admin)
		return 0;
	p_err("ppxdp needs root (CAP_BPF and CAP_NET_ADMIN); run it with sudo");
	return -EPERM;
}

/*
 * If /sys is the sysfs `ip netns exec NAME` mounted (its source is NAME and
 * /run/netns/NAME exists), copy NAME into nsname and return true.
 */
static bool sys_is_netns_exec(char *nsname, size_t len)
{
	char line[4096], mnt[PATH_MAX], src[256] = "", path[PATH_MAX];
	bool found = false;
	FILE *f;

	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - "), fstype[64], source[256];

		if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		if (sscanf(sep + 3, "%63s %255s", fstype, source) != 2)
			continue;
		/* Later mounts on /sys hide earlier ones. */
		if (!strcmp(mnt, "/sys") && !strcmp(fstype, "sysfs")) {
			snprintf(src, sizeof(src), "%s", source);
			found = true;
		}
	}
	fclose(f);
	if (!found || !strcmp(src, "sysfs") || strchr(src, '/'))
		return false;
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, src);
	if (access(path, F_OK))
		return false;
	snprintf(nsname, len, "%s", src);
	return true;
}

/*
 * A sysfs shows the interfaces of the netns that mounted it. When this
 * process is not in the initial netns but /sys/class/net lists exactly its
 * interfaces, /sys was mounted for this netns: private to us.
 */
static bool sys_mirrors_current_netns(void)
{
	struct if_nameindex *ifs, *i;
	char path[PATH_MAX], buf[32];
	int nr_ifs = 0, nr_sys = 0;
	bool same = true;
	struct dirent *de;
	__u64 ino;
	DIR *d;

	if (netns_current_ino(&ino) || netns_is_init(ino))
		return false;

	ifs = if_nameindex();
	if (!ifs)
		return false;
	for (i = ifs; i->if_index && same; i++, nr_ifs++) {
		FILE *f;

		snprintf(path, sizeof(path), "/sys/class/net/%s/ifindex",
			 i->if_name);
		f = fopen(path, "re");
		if (!f || !fgets(buf, sizeof(buf), f) ||
		    strtoul(buf, NULL, 10) != i->if_index)
			same = false;
		if (f)
			fclose(f);
	}
	if_freenameindex(ifs);
	if (!same)
		return false;

	d = opendir("/sys/class/net");
	if (!d)
		return false;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			nr_sys++;
	closedir(d);
	return nr_sys == nr_ifs;
}

static void p_err_private_bpffs(const char *nsname, bool mounted)
{
	const char *ns = nsname[0] ? nsname : "NAME";

	p_err("/sys here is a private sysfs (as made by `ip netns exec`)%s: ppxdp would pin into a private bpffs that vanishes at exit, taking the XDP attachment with it. Use `nsenter --net=/run/netns/%s %s ...` or `%s -n %s ...` instead",
	      mounted ? " with its own bpffs" : "", ns, bin_name, bin_name, ns);
}

int bpffs_prepare(bool create)
{
	char nsname[256] = "";
	bool netns_exec;
	struct statfs sfs;
	int err;

	err = check_privileges();
	if (err)
		return err;

	netns_exec = sys_is_netns_exec(nsname, sizeof(nsname));
	if (!statfs(PPXDP_BPFFS, &sfs) && sfs.f_type == BPF_FS_MAGIC) {
		if (netns_exec) {
			p_err_private_bpffs(nsname, true);
			return -EXDEV;
		}
	} else {
		if (netns_exec || sys_mirrors_current_netns()) {
			p_err_private_bpffs(nsname, false);
			return -EXDEV;
		}
		if (mount("bpf", PPXDP_BPFFS, "bpf", 0, "mode=0700")) {
			err = -errno;
			p_err("bpffs is not mounted at %s and mounting it failed: %s; mount it with `mount -t bpf bpf %s`",
			      PPXDP_BPFFS, strerror(-err), PPXDP_BPFFS);
			return err;
		}
		p_note("mounted bpffs at %s", PPXDP_BPFFS);
	}
	return create ? pin_mkdir(PPXDP_PIN_ROOT) : 0;
}

/* "IF@123" names an interface of another netns; refuse such IF names. */
static bool has_netns_suffix(const char *name)
{
	const char *at = strrchr(name, '@');

	return at && at[1] && strspn(at + 1, "0123456789") == strlen(at + 1);
}

int iface_pin_dir(const char *ifname, char *buf, size_t len)
{
	__u64 ino;
	int err, n;

	if (!ifname[0] || strchr(ifname, '/') || has_netns_suffix(ifname)) {
		p_err("interface name '%s' cannot be used for a pin directory",
		      ifname);
		return -EINVAL;
	}
	err = netns_current_ino(&ino);
	if (err)
		return err;
	if (netns_is_init(ino)) {
		if (!strcmp(ifname, "trace")) {
			p_err("interface name 'trace' is reserved: %s/trace holds the tracing pins; rename the interface (ip link set dev trace name NEWNAME)",
			      PPXDP_PIN_ROOT);
			return -EINVAL;
		}
		n = snprintf(buf, len, "%s/%s", PPXDP_PIN_ROOT, ifname);
	} else {
		n = snprintf(buf, len, "%s/%s@%llu", PPXDP_PIN_ROOT, ifname,
			     (unsigned long long)ino);
	}
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

int pin_dir_parse(const char *name, char *ifname, size_t len, __u64 *ino)
{
	const char *at = strrchr(name, '@');
	size_t n;

	if (at && has_netns_suffix(name)) {
		n = at - name;
		*ino = strtoull(at + 1, NULL, 10);
	} else {
		n = strlen(name);
		*ino = PROC_NET_INIT_INO;
	}
	if (!n || n >= len || n >= IF_NAMESIZE || memchr(name, ':', n))
		return -EINVAL;
	memcpy(ifname, name, n);
	ifname[n] = '\0';
	return 0;
}

int pin_path(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int pin_mkdir(const char *dir)
{
	char path[PATH_MAX];
	char *slash;
	int n, err;

	n = snprintf(path, sizeof(path), "%s", dir);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	/* Each parent first, then dir itself. */
	for (slash = strchr(path + 1, '/'); ; slash = strchr(slash + 1, '/')) {
		if (slash)
			*slash = '\0';
		if (mkdir(path, 0700) && errno != EEXIST) {
			err = -errno;
			p_err("cannot create %s: %s", path, strerror(-err));
			return err;
		}
		if (!slash)
			return 0;
		*slash = '/';
	}
}

int pin_rmdir(const char *dir)
{
	struct dirent *de;
	int dfd, err = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	dfd = dirfd(d);
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (unlinkat(dfd, de->d_name, 0) && !err) {
			err = -errno;
			p_err("cannot unpin %s/%s: %s", dir, de->d_name,
			      strerror(-err));
		}
	}
	closedir(d);
	if (rmdir(dir) && !err) {
		err = -errno;
		p_err("cannot remove %s: %s", dir, strerror(-err));
	}
	return err;
}

int pinned_link_open(const char *dir, struct pinned_link *pl)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	char path[PATH_MAX];
	struct stat st;
	int err;

	*pl = (struct pinned_link){ .state = PINNED_LINK_NONE, .fd = -1 };
	if (stat(dir, &st))
		return errno == ENOENT ? 0 : -errno;

	pl->state = PINNED_LINK_DEFUNCT;
	err = pin_path(path, sizeof(path), dir, "link");
	if (err)
		return err;
	pl->fd = bpf_obj_get(path);
	if (pl->fd < 0) {
		err = -errno;
		pl->fd = -1;
		return err == -ENOENT ? 0 : err;
	}
	if (bpf_obj_get_info_by_fd(pl->fd, &info, &len)) {
		err = -errno;
		pinned_link_close(pl);
		return err;
	}
	pl->id = info.id;
	pl->prog_id = info.prog_id;
	if (info.type == BPF_LINK_TYPE_XDP && info.xdp.ifindex) {
		pl->ifindex = info.xdp.ifindex;
		pl->state = PINNED_LINK_LIVE;
	}
	return 0;
}

void pinned_link_close(struct pinned_link *pl)
{
	if (pl->fd >= 0)
		close(pl->fd);
	pl->fd = -1;
}

int pin_dir_read_info(const char *dir, struct ppxdp_attach_info *info)
{
	char path[PATH_MAX];
	__u32 key = 0;
	int fd, err = 0;

	err = pin_path(path, sizeof(path), dir, "ppxdp_info");
	if (err)
		return err;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	if (bpf_map_lookup_elem(fd, &key, info))
		err = -errno;
	close(fd);
	return err;
}
