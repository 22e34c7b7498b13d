#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# VM suite (host side): for every kernel tools/vm/vm.sh lists (Debian's 6.1
# and 6.12), build ppnic.ko, then boot two guests:
#   1. "ppnic":  the module tests (tests/vm/guest.sh ppnic)
#   2. "suites": the project's own suites inside that kernel
#                (tests/vm/guest.sh suites: tests/run.sh progrun netns)
# Every result line is prefixed with the kernel: "PASS: 6.1.0-56-amd64: ...".
# A guest that outlives its timeout is killed and counts as a failure.
#
# Environment: VM_TIMEOUT_PPNIC, VM_TIMEOUT_SUITES (seconds per guest),
# VM_STEPS (default "ppnic suites"), VM_KERNELS (see tools/vm/vm.sh).
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
VM_TIMEOUT_PPNIC=${VM_TIMEOUT_PPNIC:-360}
VM_TIMEOUT_SUITES=${VM_TIMEOUT_SUITES:-600}
VM_STEPS=${VM_STEPS:-ppnic suites}

if [[ -n ${PPXDP_VM:-} ]]; then
	echo "SKIP: vm (already inside guest $PPXDP_VM)"
	exit 0
fi

kernels=$(tools/vm/vm.sh kernels)
if [[ -z $kernels ]]; then
	echo "FAIL: vm (no kernel with /boot/vmlinuz-KVER and /lib/modules/KVER/build: run make deps)"
	exit 1
fi
if ! command -v qemu-system-x86_64 >/dev/null; then
	echo "FAIL: vm (qemu-system-x86_64 missing: run make deps)"
	exit 1
fi
[[ -w /dev/kvm ]] && accel=KVM || accel="TCG, no /dev/kvm"
echo "# kernels: $(echo $kernels) ($accel)"

# Multi-threaded TCG sometimes traps on the int3 that x86 text_poke_bp
# leaves in the BPF dispatcher while it repatches it (XDP attach/detach):
# an emulator race, not a kernel bug; such a guest is booted once more.
tcg_text_poke_oops() {
	[[ ! -w /dev/kvm ]] && grep -q 'Oops: int3' "$1" &&
		grep -q 'RIP: 0010:bpf_dispatcher_[a-z]*_func' "$1"
}

# run_step KVER STEP TIMEOUT: boot a guest running tests/vm/guest.sh STEP and
# turn its result file into prefixed PASS/FAIL/SKIP lines.
run_step() {
	local kver=$1 step=$2 timeout=$3 out=$BUILD/vm/$1/$2 rc start try
	start=$SECONDS
	for try in 1 2; do
		rm -rf "$out"
		mkdir -p "$out"
		tools/vm/vm.sh run -t "$timeout" -o "$out" "$kver" -- \
			tests/vm/guest.sh "$step" >"$out/console.log" 2>&1
		rc=$?
		((rc == 125 && try == 1)) && tcg_text_poke_oops "$out/console.log" || break
		echo "# $kver $step: TCG trapped on a BPF dispatcher int3 (text_poke race), booting again"
		cp "$out/console.log" "$BUILD/vm/$kver/$step-oops.log"
	done
	[[ -f $out/results ]] &&
		sed -E "s/^(PASS|FAIL|SKIP): /\1: $kver: /" "$out/results" |
		grep -E '^(PASS|FAIL|SKIP): '
	echo "# $kver $step: guest exit $rc after $((SECONDS - start))s (console: $out/console.log)"
	if ((rc != 0)); then
		case $rc in
		124) echo "FAIL: $kver: $step (guest hung: killed after ${timeout}s)" ;;
		125) echo "FAIL: $kver: $step (guest died: see $out/console.log)" ;;
		*) grep -q '^FAIL: ' "$out/results" 2>/dev/null ||
			echo "FAIL: $kver: $step (guest exit $rc)" ;;
		esac
		tail -n 30 "$out/console.log" | sed 's/^/#   /'
	fi
}

for kver in $kernels; do
	mkdir -p "$BUILD/vm"
	if make --no-print-directory kmod KVER="$kver" >"$BUILD/vm/kmod-$kver.log" 2>&1; then
		echo "PASS: $kver: kmod build (W=1, no warnings)"
	else
		echo "FAIL: $kver: kmod build"
		sed 's/^/#   /' "$BUILD/vm/kmod-$kver.log" | tail -n 30
	fi
	for step in $VM_STEPS; do
		case $step in
		ppnic) run_step "$kver" ppnic "$VM_TIMEOUT_PPNIC" ;;
		suites) run_step "$kver" suites "$VM_TIMEOUT_SUITES" ;;
		*) echo "FAIL: vm (unknown step $step)" ;;
		esac
	done
done
