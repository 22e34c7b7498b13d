# SPDX-License-Identifier: GPL-2.0
# ppnic module tests, run inside a guest by tests/vm/guest.sh.

ALL_TESTS="
	boot
"

test_boot() {
	expect_eq "kernel" "$(uname -r)" "$PPXDP_VM"
	modprobe veth
	ip link add vmtst0 type veth peer name vmtst1
	trap 'ip link del vmtst0 2>/dev/null' EXIT
	ip link set vmtst0 up
	ip link set vmtst1 up
	expect_eq "veth peer" "$(cat /sys/class/net/vmtst0/iflink)" \
		"$(cat /sys/class/net/vmtst1/ifindex)"
}
