#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot Debian's own kernels in QEMU and run a command inside them.
#
# Usage:
#   tools/vm/vm.sh kernels                 kernels to test, one KVER a line
#   tools/vm/vm.sh initramfs KVER          build (cached) initramfs, print path
#   tools/vm/vm.sh run [-t SECS] [-o DIR] KVER [--] CMD [ARG...]
#
# "run" boots /boot/vmlinuz-KVER with a busybox initramfs, shares the host
# root read-only over 9p and DIR (default build/vm/KVER) read-write, chroots
# into the host root and runs CMD in this repository's directory as root.
# The guest sees DIR at /tmp/vmout; its console streams to stdout. The exit
# status is CMD's; 124 if the guest was killed after SECS seconds (default
# 600); 125 if the guest died before reporting one (panic, boot failure).
#
# Environment: VM_KERNELS (space-separated KVERs, overrides discovery),
# VM_PASS_ENV (names of variables to hand to the guest, default PPNIC_TESTS),
# VM_MEM (MiB, default 2048), VM_SMP (default 2), VM_ICOUNT (TCG with
# -icount shift=N: guest time counts instructions, for benchmarks),
# BUILD (default build).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
[[ $BUILD == /* ]] || BUILD=$REPO/$BUILD
VM_DIR=$BUILD/vm
VM_PASS_ENV=${VM_PASS_ENV:-PPNIC_TESTS}
INIT=$REPO/tools/vm/init

die() {
	echo "vm: $*" >&2
	exit 1
}

# Newest installed kernel of each major.minor series that has both an image
# and headers (Debian's linux-image-amd64 gives 6.1, linux-image-6.12-amd64
# gives 6.12: see tools/deps.d/vm.list).
list_kernels() {
	local img kver series
	if [[ -n ${VM_KERNELS:-} ]]; then
		printf '%s\n' $VM_KERNELS
		return
	fi
	for img in /boot/vmlinuz-*; do
		[[ -e $img ]] || continue
		kver=${img#/boot/vmlinuz-}
		[[ -f /lib/modules/$kver/build/Makefile ]] || continue
		series=$(cut -d. -f1,2 <<<"$kver")
		echo "$series $kver"
	done | sort -V | awk '{ last[$1] = $2; order[$1] = NR }
		END { for (s in last) print order[s], last[s] }' |
		sort -n | cut -d' ' -f2
}

check_kernel() {
	local kver=$1
	[[ -f /boot/vmlinuz-$kver ]] ||
		die "no /boot/vmlinuz-$kver: install linux-image-$kver (make deps)"
	[[ -d /lib/modules/$kver/kernel ]] ||
		die "no modules in /lib/modules/$kver: reinstall linux-image-$kver"
}

# The 9p stack as insmod lines in dependency order, duplicates removed.
# Debian 6.12 ships .ko.xz and has virtio_pci built in.
module_paths() {
	modprobe -S "$1" --show-depends -a virtio_pci 9pnet_virtio 9p |
		awk '$1 == "insmod" && !seen[$2]++ { print $2 }'
}

build_initramfs() {
	local kver=$1 out=$VM_DIR/initramfs-$kver.cpio.gz
	local tmp mod name busybox

	check_kernel "$kver"
	if [[ -f $out && $out -nt $INIT && $out -nt $0 ]]; then
		echo "$out"
		return
	fi
	busybox=$(command -v busybox || true)
	[[ -n $busybox ]] && file -L "$busybox" 2>/dev/null | grep -q 'statically linked' ||
		busybox=/bin/busybox
	[[ -x $busybox ]] || die "no busybox: install busybox-static (make deps)"

	mkdir -p "$VM_DIR"
	tmp=$(mktemp -d "$VM_DIR/initramfs.XXXXXX")
	trap 'rm -rf "$tmp"' RETURN
	mkdir -p "$tmp/bin" "$tmp/lib/modules"
	cp "$busybox" "$tmp/bin/busybox"
	install -m 0755 "$INIT" "$tmp/init"
	: >"$tmp/modules.order"
	for mod in $(module_paths "$kver"); do
		name=$(basename "$mod")
		case $name in
		*.ko.xz) xz -dc "$mod" >"$tmp/lib/modules/${name%.xz}"; name=${name%.xz} ;;
		*.ko.zst) zstd -qdc "$mod" >"$tmp/lib/modules/${name%.zst}"; name=${name%.zst} ;;
		*.ko) cp "$mod" "$tmp/lib/modules/$name" ;;
		*) die "unexpected module file $mod" ;;
		esac
		echo "$name" >>"$tmp/modules.order"
	done
	grep -q '^9p.ko$' "$tmp/modules.order" ||
		die "no 9p module for $kver in /lib/modules/$kver"
	(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
	mv "$out.tmp" "$out"
	echo "$out"
}

accel_args() {
	if [[ -n ${VM_ICOUNT:-} ]]; then
		# Guest time counts instructions: rates measured inside do not
		# depend on the host's load (one TCG thread, slower).
		echo "-accel tcg,thread=single -cpu max -icount shift=$VM_ICOUNT,sleep=off"
	elif [[ -w /dev/kvm ]]; then
		echo "-accel kvm -cpu host"
	else
		echo "-accel tcg,thread=multi -cpu max"
	fi
}

run_guest() {
	local timeout=600 out="" kver initrd q rc arg
	local OPTIND=1 opt
	while getopts "t:o:" opt; do
		case $opt in
		t) timeout=$OPTARG ;;
		o) out=$OPTARG ;;
		*) die "usage: vm.sh run [-t SECS] [-o DIR] KVER [--] CMD [ARG...]" ;;
		esac
	done
	shift $((OPTIND - 1))
	(($# >= 2)) || die "usage: vm.sh run [-t SECS] [-o DIR] KVER [--] CMD [ARG...]"
	kver=$1
	shift
	[[ $1 == -- ]] && shift
	command -v qemu-system-x86_64 >/dev/null ||
		die "no qemu-system-x86_64: install qemu-system-x86 (make deps)"

	# The repository is shared on its own (tag repo): a clone under /tmp or
	# /run would be hidden by the guest's tmpfs mounts otherwise.
	[[ $REPO != *[[:space:]]* ]] || die "repository path '$REPO' contains white space"
	initrd=$(build_initramfs "$kver")
	out=${out:-$VM_DIR/$kver}
	mkdir -p "$out"
	out=$(cd "$out" && pwd)
	rm -f "$out/rc" "$out/cmd.sh" "$out/env"

	{
		echo "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
		echo "export HOME=/tmp TERM=dumb LANG=C.UTF-8 PPXDP_VM=$kver"
		echo "export TEST_OUT=/tmp/vmout BUILD=$(printf %q "$BUILD")"
		for arg in $VM_PASS_ENV; do
			[[ -n ${!arg+x} ]] && echo "export $arg=$(printf %q "${!arg}")"
		done
	} >"$out/env"
	{
		printf 'cd %q || exit 126\n' "$REPO"
		printf 'exec'
		for arg in "$@"; do printf ' %q' "$arg"; done
		printf '\n'
	} >"$out/cmd.sh"

	q=(qemu-system-x86_64 -nodefaults -no-user-config -display none
		-no-reboot -m "${VM_MEM:-2048}" -smp "${VM_SMP:-2}" $(accel_args)
		-kernel "/boot/vmlinuz-$kver" -initrd "$initrd"
		-append "console=ttyS0 panic=-1 quiet ppxdp.repo=$REPO"
		-serial stdio -monitor none
		-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
		-virtfs "local,path=$out,mount_tag=vmout,security_model=none,multidevs=remap"
		-virtfs "local,path=$REPO,mount_tag=repo,security_model=none,readonly=on,multidevs=remap")

	set +e
	timeout -k 10 "$timeout" "${q[@]}" </dev/null 2>&1 | tr -d '\r'
	rc=${PIPESTATUS[0]}
	set -e
	if ((rc == 124 || rc == 137)); then
		echo "ppxdp-vm: guest $kver killed after ${timeout}s (timeout)"
		return 124
	fi
	if [[ ! -s $out/rc ]]; then
		echo "ppxdp-vm: guest $kver stopped without an exit code (qemu exit $rc)"
		return 125
	fi
	return "$(cat "$out/rc")"
}

case ${1:-} in
kernels) list_kernels ;;
initramfs)
	(($# == 2)) || die "usage: vm.sh initramfs KVER"
	build_initramfs "$2"
	;;
run)
	shift
	run_guest "$@"
	;;
*)
	sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac
