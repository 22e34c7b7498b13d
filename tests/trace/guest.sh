#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run inside a QEMU guest (tools/vm/vm.sh) by tests/trace/run.sh: the
# tracing object loads on this kernel (6.1, 6.12: other struct page_pool
# layouts, struct page * or netmem_ref arguments, fexit allowed), sees the
# BPF_PROG_RUN live-frames pools of `ppxdp gen` and, on kernels whose veth
# has a page_pool (6.5+), veth's own pool; every pool is freed with
# hold == release after teardown. Prints "ok: ..." / "FAILED: ..." lines
# and exits non-zero on the first failure.
set -u
BUILD=${BUILD:-build}
PPXDP=$BUILD/ppxdp
OUT=${TEST_OUT:-/tmp}

ok() { echo "ok: $*"; }
fail() { echo "FAILED: $*"; exit 1; }
nsx() { local ns=$1; shift; nsenter --net=/run/netns/"$ns" "$@"; }

mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
kver=$(uname -r)
major=$(echo "$kver" | awk -F. '{ print $1 * 100 + $2 }')

"$PPXDP" trace start --track-pages 4096 >/dev/null || fail "$kver: ppxdp trace start"
"$PPXDP" -j trace status >"$OUT/status.json"
jq -e '.sources.page_pool_state_hold == "tp_btf" and .sources.page_pool_release == "tp_btf"' \
	"$OUT/status.json" >/dev/null || fail "$kver: page_pool events not on tp_btf: $(cat "$OUT/status.json")"
fexit=$(jq -r '.sources.page_pool_alloc' "$OUT/status.json")
ok "$kver: loaded, page_pool events on tp_btf, fast path: $fexit"

ip netns add ga && ip netns add gb || fail "netns"
ip link add va netns ga type veth peer name vb netns gb || fail "veth"
nsx ga ip link set va up
nsx gb ip link set vb up
"$PPXDP" -n gb attach vb drop >/dev/null || fail "$kver: attach drop on vb"
nsx ga "$PPXDP" gen va --duration 3 >"$OUT/gen.log" 2>&1 &
gen=$!
sleep 0.5
"$PPXDP" -j stats --interval 1 --count 2 >"$OUT/stats.json" || fail "$kver: ppxdp stats"
wait $gen || fail "$kver: ppxdp gen: $(tail -2 "$OUT/gen.log")"
ino_a=$(stat -L -c %i /run/netns/ga)
ino_b=$(stat -L -c %i /run/netns/gb)

jq -s -e --argjson a "$ino_a" '[.[] | select(.type=="interval") | .pools[]
	| select(.attribution == "prog_run" and .netns_ino == $a)] | length >= 1' \
	"$OUT/stats.json" >/dev/null || fail "$kver: no BPF_PROG_RUN pool of ga seen"
ok "$kver: live-frames pools seen, attributed to ga's loopback (prog_run)"
if [[ $fexit == fexit ]]; then
	jq -s -e --argjson a "$ino_a" '[.[] | select(.type=="interval") | .pools[]
		| select(.attribution == "prog_run" and .netns_ino == $a
			 and .consumed_source == "fexit" and .recycle_rate >= 0.99)]
		| length >= 1' "$OUT/stats.json" >/dev/null ||
		fail "$kver: no live-frames pool with a fexit recycle rate >= 99%"
	ok "$kver: per-pool recycle rate from fexit >= 99%"
fi
if ((major >= 605)); then
	# One skb from ga's stack: vb's pool takes pages.
	nsx ga ip addr add 10.9.0.1/24 dev va
	nsx ga ip neigh replace 10.9.0.2 lladdr "$(nsx gb cat /sys/class/net/vb/address)" dev va
	nsx ga "$BUILD/tools/udpflood" send --dst 10.9.0.2 --port 9 --count 100 >/dev/null
	"$PPXDP" -n gb -j stats vb --interval 0.3 --count 1 >"$OUT/vb.json"
	jq -s -e '[.[0].pools[] | select(.ifname == "vb" and .attribution == "device")]
		| length == 1' "$OUT/vb.json" >/dev/null || fail "$kver: vb's own pool not attributed"
	ok "$kver: veth's own pool attributed to vb (device)"
fi

ip netns del ga
ip netns del gb
for i in $(seq 30); do
	bpftool -j map dump pinned /sys/fs/bpf/ppxdp/trace/pools |
		jq -e --argjson a "$ino_a" --argjson b "$ino_b" \
		'[.[] | .formatted.value | select(.netns_ino == $a or .netns_ino == $b)] | length == 0' \
		>/dev/null && break
	sleep 0.2
done
bpftool -j map dump pinned /sys/fs/bpf/ppxdp/trace/gone_pools |
	jq -e --argjson a "$ino_a" --argjson b "$ino_b" \
	'[.[] | .formatted.value | select(.netns_ino == $a or .netns_ino == $b)]
	 | length >= 1 and all(.hold == .release)' >/dev/null ||
	fail "$kver: a pool of the test was not freed with hold == release"
ok "$kver: every pool freed with hold == release"
"$PPXDP" trace stop >/dev/null || fail "$kver: trace stop"
