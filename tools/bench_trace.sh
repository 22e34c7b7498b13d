#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Cost of ppxdp's page_pool tracing, measured in one run:
#
#  1. XDP_DROP throughput on veth with `ppxdp trace` attached, as a ratio to
#     the throughput without it (target: >= 0.98). `ppxdp gen` (one thread)
#     sends live frames out of va; vb drops them all; the rate is the one
#     the kernel timed for the generator (see run_once). Runs alternate
#     off/on, the ratio is of the medians.
#  2. CPU time of the `ppxdp stats` loop at a 1 s interval with N live
#     pools (target: < 1% of one CPU at 64 pools): N/2 veth pairs with XDP
#     on both ends, each end's pool made visible by one packet.
#
# Usage: tools/bench_trace.sh [--duration S] [--pairs N] [--pools N]
#                             [--stats-count N] [--json FILE]
# Runs in a private mount namespace with its own BPF file system: the
# host's pins and tracing session are neither seen nor touched.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
PPXDP=$BUILD/ppxdp
DURATION=5
PAIRS=3
POOLS=64
STATS_COUNT=20
JSON=
ARGS=("$@")

die() { echo "bench_trace: $*" >&2; exit 1; }
log() { echo "bench_trace: $*" >&2; }

while (($#)); do
	case $1 in
	--duration) DURATION=${2:?}; shift ;;
	--pairs) PAIRS=${2:?}; shift ;;
	--pools) POOLS=${2:?}; shift ;;
	--stats-count) STATS_COUNT=${2:?}; shift ;;
	--json) JSON=${2:?}; shift ;;
	-h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
	shift
done
for v in DURATION PAIRS POOLS STATS_COUNT; do
	[[ ${!v} =~ ^[0-9]+$ ]] && ((${!v} > 0)) || die "--${v,,} must be a positive number"
done
((POOLS % 2 == 0)) || die "--pools must be even (two pools per veth pair)"
[[ $(id -u) == 0 ]] || die "needs root"
[[ -x $PPXDP ]] || die "missing $PPXDP: run 'make build-all'"

if [[ -z ${BENCH_TRACE_MNTNS:-} ]]; then
	BENCH_TRACE_MNTNS=1 exec unshare --mount --propagation private "$0" "${ARGS[@]}"
	die "cannot enter a private mount namespace (unshare --mount)"
fi
mount -t bpf bpf /sys/fs/bpf || die "cannot mount a BPF file system"

PFX=pbt$$
NSA=$PFX-a
NSB=$PFX-b
TMP=$(mktemp -d /tmp/ppxdp-bench-trace.XXXXXX)

cleanup() {
	"$PPXDP" trace stop >/dev/null 2>&1
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSB" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_ns() {
	local ns=$1
	shift
	nsenter --net=/run/netns/"$ns" "$@"
}

ip netns add "$NSA" && ip netns add "$NSB" || die "cannot create namespaces"
in_ns "$NSA" ip link set lo up
in_ns "$NSB" ip link set lo up

# ---- 1. XDP_DROP throughput, trace off / on ---------------------------------

ip link add va netns "$NSA" type veth peer name vb netns "$NSB" || die "veth"
in_ns "$NSA" ip link set va up
in_ns "$NSB" ip link set vb up
"$PPXDP" -n "$NSB" attach vb drop >/dev/null || die "cannot attach drop on vb"

drops() {
	"$PPXDP" -n "$NSB" status vb --json | jq -er '.[0].counters.drop.packets'
}

# One run: prints the XDP_DROP rate in frames/s as the kernel timed it
# (BPF_PROG_RUN's own duration: the generator loop and the softirqs it
# runs, vb's NAPI and drop included, without the time the thread waited
# for a CPU), so that other load on the machine does not skew the ratio;
# and checks that vb dropped every frame sent.
run_once() {
	local d0 d1 sent
	d0=$(drops) || return 1
	"$PPXDP" -n "$NSA" -j gen va --duration "$DURATION" >"$TMP/gen.json" 2>"$TMP/gen.err" || {
		cat "$TMP/gen.err" >&2; return 1; }
	d1=$(drops) || return 1
	sent=$(jq -s -r '.[-1].sent' "$TMP/gen.json")
	# (va's own IPv6 control packets may add a few)
	((d1 - d0 >= sent)) || { log "vb dropped $((d1 - d0)) of $sent frames"; return 1; }
	jq -s -r '.[-1].kernel_pps_per_thread | floor' "$TMP/gen.json"
}

median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.0f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

OFF=()
ON=()
for ((i = 0; i < PAIRS; i++)); do
	r=$(run_once) || die "generator run failed"
	OFF+=("$r")
	"$PPXDP" trace start >/dev/null || die "ppxdp trace start failed"
	r=$(run_once) || die "generator run failed"
	ON+=("$r")
	"$PPXDP" trace stop >/dev/null
	log "pair $((i + 1))/$PAIRS: off ${OFF[i]} pps, on ${ON[i]} pps"
done
OFF_MED=$(printf '%s\n' "${OFF[@]}" | median)
ON_MED=$(printf '%s\n' "${ON[@]}" | median)
RATIO=$(awk -v a="$ON_MED" -v b="$OFF_MED" 'BEGIN { printf "%.4f", b ? a / b : 0 }')
"$PPXDP" -n "$NSB" detach vb >/dev/null

# ---- 2. stats loop CPU with POOLS pools -------------------------------------

"$PPXDP" trace start >/dev/null || die "ppxdp trace start failed"
n=$((POOLS / 2))
log "creating $n veth pairs with XDP on both ends ($POOLS pools)"
for ((i = 0; i < n; i++)); do
	ip link add pa$i netns "$NSA" type veth peer name pb$i netns "$NSB" || die "veth $i"
	in_ns "$NSA" ip addr add 10.250.$i.1/24 dev pa$i
	in_ns "$NSB" ip addr add 10.250.$i.2/24 dev pb$i
	in_ns "$NSA" ip link set pa$i up
	in_ns "$NSB" ip link set pb$i up
	"$PPXDP" -n "$NSA" attach pa$i drop >/dev/null || die "attach pa$i"
	"$PPXDP" -n "$NSB" attach pb$i drop >/dev/null || die "attach pb$i"
done
# One datagram each way (its ARP request is enough): every pool takes pages.
for ((i = 0; i < n; i++)); do
	in_ns "$NSA" bash -c "echo x >/dev/udp/10.250.$i.2/9" 2>/dev/null
	in_ns "$NSB" bash -c "echo x >/dev/udp/10.250.$i.1/9" 2>/dev/null
done
sleep 0.5
seen=$("$PPXDP" -j stats --interval 0.2 --count 1 |
	jq -s --arg a "$(stat -L -c %i /run/netns/$NSA)" --arg b "$(stat -L -c %i /run/netns/$NSB)" \
	'[.[0].pools[] | select((.netns_ino|tostring) == $a or (.netns_ino|tostring) == $b)] | length')
log "pools visible to ppxdp stats: $seen"

TIMEFORMAT='%U %S %R'
{ time "$PPXDP" -j stats --interval 1 --count "$STATS_COUNT" >"$TMP/stats.json"; } 2>"$TMP/time"
read -r USER SYS REAL <"$TMP/time"
CPU_PCT=$(awk -v u="$USER" -v s="$SYS" -v r="$REAL" 'BEGIN { printf "%.3f", 100 * (u + s) / r }')
IFACES=$(jq -s '.[0].interfaces | length' "$TMP/stats.json")

printf '\n%-52s %s\n' "XDP_DROP on veth, trace off (median of $PAIRS)" "$OFF_MED pps"
printf '%-52s %s\n' "XDP_DROP on veth, trace on  (median of $PAIRS)" "$ON_MED pps"
printf '%-52s %s (target >= 0.98)\n' "throughput ratio on/off" "$RATIO"
printf '%-52s %s%% of one CPU (target < 1%%)\n' \
	"ppxdp stats, 1 s interval, $seen pools, $IFACES interfaces" "$CPU_PCT"
printf '%-52s user %ss sys %ss over %ss\n' "" "$USER" "$SYS" "$REAL"

if [[ -n $JSON ]]; then
	jq -n --argjson off "[$(IFS=,; echo "${OFF[*]}")]" --argjson on "[$(IFS=,; echo "${ON[*]}")]" \
		--argjson off_med "$OFF_MED" --argjson on_med "$ON_MED" --argjson ratio "$RATIO" \
		--argjson pools "$seen" --argjson ifaces "$IFACES" --argjson cpu "$CPU_PCT" \
		--argjson user "$USER" --argjson sys "$SYS" --argjson real "$REAL" \
		--argjson duration "$DURATION" \
		'{drop_pps: {trace_off: $off, trace_on: $on, off_median: $off_med,
		  on_median: $on_med, ratio: $ratio, run_s: $duration},
		  stats_loop: {pools: $pools, interfaces: $ifaces, interval_s: 1,
		  cpu_percent: $cpu, user_s: $user, sys_s: $sys, wall_s: $real}}' >"$JSON" ||
		die "cannot write $JSON"
fi
