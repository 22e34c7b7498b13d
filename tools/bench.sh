#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ppxdp benchmark suite (`make bench`); docs/bench.md describes the
# scenarios, the measurements and the JSON schema.
#
# Usage: tools/bench.sh [--smoke] [--only NAME,...] [--sizes "64 1500"]
#                       [--intervals N] [--interval S] [--warmup S]
#                       [--trace-pairs N] [--no-xdp-tools] [--out DIR] [--list]
#
# Every scenario runs in its own private network namespaces with
# `ppxdp gen` as the source; bench-sample reads the programs' counters,
# the CPU time and the page_pool records of `ppxdp trace`. Results go to
# OUT/results.json and OUT/results.txt (default build/bench).
#
# The suite runs in a private mount namespace with its own BPF file
# system: its pins and its `ppxdp trace` session are invisible to (and
# cannot disturb) those of the host, and vanish with it even when killed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
BUILD=${BUILD:-build}
PPXDP=$ROOT/$BUILD/ppxdp
SAMPLE=$ROOT/$BUILD/tools/bench-sample
BENCH_JQ=$ROOT/tools/bench

usage() {
	sed -n '6,8p' "$0" | sed 's/^# \{0,1\}//'
	cat <<EOF

  --smoke           one short interval per scenario (the test suite's run)
  --only NAME,...   scenarios to run (see --list); default all
  --sizes LIST      frame sizes in bytes (default "64 1500")
  --intervals N     measured intervals per scenario (default 5)
  --interval S      seconds per interval (default 1)
  --warmup S        seconds of traffic before the first interval (default 1)
  --trace-pairs N   trace off/on pairs of the overhead runs (default 4)
  --no-xdp-tools    do not look for xdp-bench and xdp-trafficgen
  --out DIR         output directory (default $BUILD/bench)
  --list            list the scenarios and exit
EOF
}

die() {
	echo "bench: $*" >&2
	exit 1
}

# Scenario table: name, XDP program on gen1, egress pair?, sink, variant.
SCENARIOS=(
	"drop             drop     0 -    -"
	"pass             pass     0 -    -"
	"tx               tx       0 gen0 -"
	"redirect-ifindex redirect 1 out1 ifindex"
	"redirect-devmap  redirect 1 out1 devmap"
	"redirect-cpumap  redirect 1 out1 cpumap"
	"fwd-1            fwd      1 out1 1"
	"fwd-10000        fwd      1 out1 10000"
	"fwd-10000-worst  fwd      1 out1 10000-worst"
)

ARGS=("$@")
SMOKE=0
ONLY=
SIZES="64 1500"
INTERVALS='' INTERVAL='' WARMUP='' TRACE_PAIRS=
XDP_TOOLS=1
OUT=$BUILD/bench

while (($#)); do
	case $1 in
	--smoke) SMOKE=1 ;;
	--only) ONLY=${2:?--only needs a list}; shift ;;
	--sizes) SIZES=${2:?--sizes needs a list}; shift ;;
	--intervals) INTERVALS=${2:?}; shift ;;
	--interval) INTERVAL=${2:?}; shift ;;
	--warmup) WARMUP=${2:?}; shift ;;
	--trace-pairs) TRACE_PAIRS=${2:?}; shift ;;
	--no-xdp-tools) XDP_TOOLS=0 ;;
	--out) OUT=${2:?--out needs a directory}; shift ;;
	--list)
		printf '%s\n' "${SCENARIOS[@]}" | awk '{ print $1 }'
		exit 0 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done
# --smoke: one short interval per scenario, one trace A/B pair; explicit
# options still win.
if ((SMOKE)); then
	: "${INTERVALS:=1}" "${INTERVAL:=0.4}" "${WARMUP:=0.2}" "${TRACE_PAIRS:=1}"
	GEN_PAIRS=1
else
	: "${INTERVALS:=5}" "${INTERVAL:=1}" "${WARMUP:=1}" "${TRACE_PAIRS:=4}"
	GEN_PAIRS=3
fi
[[ $INTERVALS =~ ^[1-9][0-9]*$ ]] || die "--intervals must be a positive integer"
[[ $TRACE_PAIRS =~ ^[0-9]+$ ]] || die "--trace-pairs must be a number"
for v in "$INTERVAL" "$WARMUP"; do
	awk -v v="$v" 'BEGIN { exit !(v ~ /^[0-9]*\.?[0-9]+$/ && v + 0 <= 60) }' ||
		die "--interval and --warmup take seconds (0..60), not '$v'"
done
awk -v v="$INTERVAL" 'BEGIN { exit !(v >= 0.05) }' || die "--interval must be at least 0.05 s"
for n in ${ONLY//,/ }; do
	printf '%s\n' "${SCENARIOS[@]}" | awk -v n="$n" '$1 == n { f = 1 } END { exit !f }' ||
		die "--only: no scenario '$n' (see --list)"
done
for s in $SIZES; do
	[[ $s =~ ^[0-9]+$ ]] && ((s >= 60 && s <= 1514)) ||
		die "--sizes: $s is not a frame size in 60..1514"
done

[[ $(id -u) == 0 ]] || die "needs root (network namespaces, XDP, BPF): run as root"
for f in "$PPXDP" "$SAMPLE"; do
	[[ -x $f ]] || die "missing $f: run 'make build-all' (or 'make bench')"
done
for t in jq nsenter unshare taskset ip; do
	command -v $t >/dev/null || die "missing '$t': run 'make deps'"
done

# Enter a private mount namespace with a BPF file system of our own.
if [[ -z ${BENCH_MNTNS:-} ]]; then
	host_trace=0
	[[ -d /sys/fs/bpf/ppxdp/trace ]] && host_trace=1
	BENCH_MNTNS=1 BENCH_HOST_TRACE=$host_trace BENCH_PFX=${BENCH_PFX:-pb$$} \
		exec unshare --mount --propagation private "$0" "${ARGS[@]}"
	die "cannot enter a private mount namespace (unshare --mount)"
fi
mount -t bpf bpf /sys/fs/bpf || die "cannot mount a BPF file system"
mountpoint -q /sys/kernel/tracing ||
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true

source "$ROOT/tools/bench/lib.sh"

mkdir -p "$OUT" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)
LOG=$OUT/logs
rm -rf "$LOG" "$OUT/records" "$OUT/results.json" "$OUT/results.txt"
mkdir -p "$LOG" "$OUT/records"
TMP=$(mktemp -d /tmp/ppxdp-bench.XXXXXX)

CUR_IDX=
XT_PID=
GEN_PID=
cleanup() {
	[[ -n $GEN_PID ]] && stop_tool "$GEN_PID"
	[[ -n $XT_PID ]] && stop_tool "$XT_PID"
	[[ -n $CUR_IDX ]] && topo_down "$CUR_IDX"
	"$PPXDP" trace stop >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# CPUs: the generator (and, through veth, the DUT and the sink, whose NAPI
# runs on the transmitting CPU) on the first CPU we may use; the sampler,
# and cpumap's target, on the second.
cpu_list() {
	local spec part lo hi
	spec=$(taskset -cp $$ | sed 's/.*: //')
	for part in ${spec//,/ }; do
		lo=${part%-*} hi=${part#*-}
		seq "$lo" "$hi"
	done
}
mapfile -t CPUS < <(cpu_list)
GEN_CPU=${CPUS[0]}
AUX_CPU=${CPUS[1]:-${CPUS[0]}}

BENCH_T0=$(date +%s.%N)
log() {
	printf 'bench: %6.1f s  %s\n' \
		"$(awk -v a="$BENCH_T0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" "$*" >&2
}

# ---- feature probes ---------------------------------------------------------

ATTACH_HELP=$("$PPXDP" attach --help 2>&1)
# attach_offers OPTION VALUE: `ppxdp attach --help` lists VALUE among the
# values of OPTION ("--via devmap|ifindex|...").
attach_offers() {
	sed -n "s/.*$1 \([a-z|-]*\).*/\1/p" <<<"$ATTACH_HELP" | tr '|' '\n' | grep -qx -- "$2"
}
# redirect_variant_args VARIANT: the attach arguments of a redirect
# variant, or a reason on stdout and status 1 when ppxdp lacks it.
redirect_variant_args() {
	local v=$1
	if ! grep -q -- '--via' <<<"$ATTACH_HELP"; then
		if [[ $v == devmap ]]; then
			echo "--to out0"
			return 0
		fi
		echo "ppxdp attach has no --via option yet (redirect always uses a devmap)"
		return 1
	fi
	if ! attach_offers --via "$v"; then
		echo "ppxdp attach --via does not offer '$v'"
		return 1
	fi
	case $v in
	cpumap)
		# The frames go on from the other CPU to out0, and the sink.
		if ! attach_offers --cpu-action redirect; then
			echo "ppxdp attach --via cpumap cannot redirect from the target CPU (no --cpu-action redirect)"
			return 1
		fi
		echo "--to out0 --via cpumap --cpu $AUX_CPU --cpu-action redirect" ;;
	*) echo "--to out0 --via $v" ;;
	esac
}

TRACE_OK=0
TRACE_NOTE=
start_trace() {
	local out
	out=$("$PPXDP" trace start 2>&1) && return 0
	TRACE_NOTE="ppxdp trace start failed: $out"
	return 1
}
stop_trace() { "$PPXDP" trace stop >/dev/null 2>&1; }

if start_trace; then
	TRACE_OK=1
	# Not `ppxdp stats`: it leaves the recycle rate of BPF_PROG_RUN pools
	# (ppxdp gen's) undefined where fexit is refused; bench-sample pairs
	# them with the DUT's frame counter (docs/bench.md).
	POOLS_SOURCE="bench-sample: ppxdp trace's pinned pools and gone_pools maps"
else
	POOLS_SOURCE=null
	log "$TRACE_NOTE; pool figures will be missing"
fi

# ---- one measured window ----------------------------------------------------

# The sampler sleeps between reads: a real-time priority costs nothing
# and keeps its reads on time on a busy CPU.
SAMPLE_PRIO=()
chrt -f 1 true 2>/dev/null && SAMPLE_PRIO=(chrt -f 1)

# window TAG SIZE SAMPLE_ARGS...: run a generator in $NS_G; bench-sample
# waits until the first --stats program counts frames, lets it warm up,
# samples the intervals; then the generator is stopped. Leaves
# $LOG/TAG.{gen,sample,end}.json.
#   GEN_ARGS     more ppxdp gen arguments
#   GEN_TOOL     ppxdp (default) or xdp-trafficgen
#   WIN_POOLS=0  no page_pool records (ppxdp trace may be off)
#   WIN_INTERVALS, WIN_WARMUP override --intervals and --warmup
#   WIN_GEN_TIMED=1  the rate is the generator's own (no program of ours
#                counts the frames): ppxdp gen runs for warm-up + the
#                intervals by its own clock, and is waited for
window() {
	local tag=$1 size=$2
	shift 2
	local n=${WIN_INTERVALS:-$INTERVALS} warm=${WIN_WARMUP:-$WARMUP}
	local cap rc=0 grc pools=() ns timed=${WIN_GEN_TIMED:-0}
	# Otherwise --duration only caps a generator whose sampler never ends.
	cap=$(awk -v w="$warm" -v n="$n" -v i="$INTERVAL" -v t="$timed" \
		'BEGIN { printf "%.2f", w + n * i + (t ? 0.15 : 20) }')
	if ((TRACE_OK && ${WIN_POOLS:-1})); then
		for ns in $NS_G $NS_D $NS_S; do
			[[ -e /run/netns/$ns ]] && pools+=(--netns "$(ns_ino "$ns")")
		done
	fi
	case ${GEN_TOOL:-ppxdp} in
	ppxdp)
		# shellcheck disable=SC2086 # GEN_ARGS: words
		taskset -c "$GEN_CPU" "$PPXDP" -n "$NS_G" gen gen0 --size "$size" \
			--duration "$cap" --interval "$INTERVAL" --json ${GEN_ARGS:-} \
			>"$LOG/$tag.gen.json" 2>"$LOG/$tag.gen.err" &
		GEN_PID=$! ;;
	xdp-trafficgen)
		# Older versions have no --pkt-size: their frames are 64 bytes.
		local sz=()
		xdp-trafficgen udp --help 2>&1 | grep -q -- --pkt-size &&
			sz=(--pkt-size "$size")
		echo '{}' >"$LOG/$tag.gen.json"
		taskset -c "$GEN_CPU" timeout -s INT -k 2 "$cap" nsenter --net=/run/netns/"$NS_G" \
			env $(xt_env xdp-trafficgen) xdp-trafficgen udp gen0 --threads 1 "${sz[@]}" \
			--dst-mac $MAC_GEN1 >"$LOG/$tag.gen.err" 2>&1 &
		GEN_PID=$! ;;
	esac
	"${SAMPLE_PRIO[@]}" taskset -c "$AUX_CPU" "$SAMPLE" --wait-for 5 \
		--delay "$warm" --interval "$INTERVAL" --count "$n" "$@" "${pools[@]}" \
		>"$LOG/$tag.sample.json" 2>"$LOG/$tag.sample.err" || rc=1
	if ((timed)); then
		wait "$GEN_PID"
		grc=$?
	else
		# A generator that exited by itself failed: it was to run until now.
		kill -0 "$GEN_PID" 2>/dev/null || rc=1
		stop_tool "$GEN_PID"
		grc=$?
	fi
	GEN_PID=
	[[ ${GEN_TOOL:-ppxdp} == ppxdp ]] && ((grc != 0)) && rc=1
	# Pages still out of the pools once the generator stopped.
	if ((${#pools[@]})); then
		sleep 0.1
		"$SAMPLE" --interval 0.05 --count 1 "${pools[@]}" \
			>"$LOG/$tag.end.json" 2>>"$LOG/$tag.sample.err" || rc=1
	else
		echo '{}' >"$LOG/$tag.end.json"
	fi
	return $rc
}

# The record of scenario NAME at SIZE; numbered so that the report keeps
# the run order.
rec_file() { printf '%s/records/%02d-%s-%05d.json' "$OUT" "$IDX" "$1" "$2"; }

# skip_record NAME SIZE REASON
skip_record() {
	log "SKIP $1/$2: $3"
	jq -n --arg n "$1" --argjson s "$2" --arg r "$3" \
		'{name: $n, size: $s, status: "skip", reason: $r}' \
		>"$(rec_file "$1" "$2")"
}

fail_record() {
	log "FAIL $1/$2: $3"
	jq -n --arg n "$1" --argjson s "$2" --arg r "$3" \
		'{name: $n, size: $s, status: "fail", reason: $r}' \
		>"$(rec_file "$1" "$2")"
}

# first_err TAG: the first line a window's tools printed on stderr.
first_err() {
	cat "$LOG/$1.gen.err" "$LOG/$1.sample.err" 2>/dev/null |
		grep -m1 -v '^\s*$' || echo "failed without a message: see $LOG/$1.*"
}

# ---- the scenarios ----------------------------------------------------------

# Functions that set globals run in this shell, not in $(...): they say
# what went wrong in WHY.

# dut_args PROG VARIANT: the attach arguments of the DUT program in DUT_ARGS;
# status 1 when ppxdp cannot run this variant.
dut_args() {
	local a
	DUT_ARGS=()
	case $1 in
	redirect)
		a=$(redirect_variant_args "$2") || { WHY=$a; return 1; }
		read -ra DUT_ARGS <<<"$a" ;;
	fwd)
		local rules=$TMP/fwd-$2.rules
		[[ -f $rules ]] || fwd_rules "$2" "$rules"
		DUT_ARGS=(--rules "$rules") ;;
	esac
	return 0
}

# setup IDX EGRESS SINK: the namespaces of scenario IDX with the drop
# program on SINK (gen0, out1 or -); sets SINK_NS.
setup() {
	local idx=$1 egress=$2 sink=$3
	CUR_IDX=$idx
	topo_up "$idx" "$egress" || {
		WHY="cannot set up the namespaces and veth pairs"
		return 1
	}
	case $sink in
	gen0) SINK_NS=$NS_G ;;
	out1) SINK_NS=$NS_S ;;
	*) SINK_NS= ;;
	esac
	# The sink first: the DUT's egress needs an XDP program on its peer.
	[[ -z $SINK_NS ]] || WHY=$(attach "$SINK_NS" "$sink" drop)
}

teardown() {
	[[ -n $CUR_IDX ]] && topo_down "$CUR_IDX"
	CUR_IDX=
}

# run_scenario NAME PROG EGRESS SINK VARIANT: one topology, measured at
# every frame size in turn.
IDX=0
run_scenario() {
	local name=$1 prog=$2 egress=$3 sink=$4 variant=$5
	local size tag action at cpus stats=()
	IDX=$((IDX + 1))

	if ! dut_args "$prog" "$variant"; then
		for size in $SIZES; do
			skip_record "$name" "$size" "$WHY"
		done
		return
	fi
	if ! setup "$IDX" "$egress" "$sink" ||
		! WHY=$(attach "$NS_D" gen1 "$prog" "${DUT_ARGS[@]}"); then
		for size in $SIZES; do
			fail_record "$name" "$size" "$WHY"
		done
		teardown
		return
	fi
	stats=(--stats "dut=$(stats_map "$NS_D" gen1 "$prog")")
	[[ -n $SINK_NS ]] && stats+=(--stats "sink=$(stats_map "$SINK_NS" "$sink" drop)")

	action=$prog
	[[ $prog == fwd ]] && action=redirect
	at=dut
	[[ -n $SINK_NS ]] && at=sink
	cpus="[$GEN_CPU]"
	[[ $variant == cpumap && $AUX_CPU != "$GEN_CPU" ]] && cpus="[$GEN_CPU,$AUX_CPU]"

	for size in $SIZES; do
		tag=$name-$size
		log "$tag: $prog ${DUT_ARGS[*]} (${INTERVALS} x ${INTERVAL} s)"
		if ! window "$tag" "$size" "${stats[@]}" --consumed dut; then
			fail_record "$name" "$size" "$(first_err "$tag")"
			continue
		fi
		jq -n -L "$BENCH_JQ" 'include "bench"; scenario_record' \
			--arg name "$name" --arg prog "$prog" --arg variant "$variant" \
			--argjson size "$size" --arg at "$at" --arg action "$action" \
			--argjson cpus "$cpus" --argjson gen_cpu "$GEN_CPU" \
			--argjson aux_cpu "$AUX_CPU" --arg pools_source "$POOLS_SOURCE" \
			--slurpfile s "$LOG/$tag.sample.json" \
			--slurpfile g "$LOG/$tag.gen.json" \
			--slurpfile e "$LOG/$tag.end.json" \
			>"$(rec_file "$name" "$size")" ||
			fail_record "$name" "$size" "cannot summarise $LOG/$tag.sample.json"
	done
	teardown
}

wanted() {
	[[ -z $ONLY ]] && return 0
	[[ ,$ONLY, == *,$1,* ]]
}

# scenario_row NAME: the SCENARIOS row of NAME
scenario_row() {
	printf '%s\n' "${SCENARIOS[@]}" | awk -v n="$1" '$1 == n'
}

for row in "${SCENARIOS[@]}"; do
	read -r name prog egress sink variant <<<"$row"
	wanted "$name" || continue
	run_scenario "$name" "$prog" "$egress" "$sink" "$variant"
done

source "$ROOT/tools/bench/overhead.sh"
source "$ROOT/tools/bench/xdptools.sh"

# ---- results ------------------------------------------------------------------

jq -n -L "$BENCH_JQ" 'include "bench"; results' \
	--slurpfile records <(cat "$OUT"/records/*.json 2>/dev/null) \
	--slurpfile trace <(cat "$OUT/trace.json" 2>/dev/null || echo null) \
	--slurpfile xt <(cat "$OUT/xdptools.json" 2>/dev/null || echo null) \
	--arg kernel "$(uname -r)" --arg version "$("$PPXDP" --version 2>&1 | head -1)" \
	--argjson smoke "$SMOKE" --argjson intervals "$INTERVALS" \
	--argjson interval "$INTERVAL" --argjson warmup "$WARMUP" \
	--argjson gen_cpu "$GEN_CPU" --argjson aux_cpu "$AUX_CPU" \
	--argjson nr_cpus "${#CPUS[@]}" --argjson host_trace "${BENCH_HOST_TRACE:-0}" \
	--arg pools_source "$POOLS_SOURCE" --arg trace_note "$TRACE_NOTE" \
	>"$OUT/results.json" || die "cannot write $OUT/results.json"
jq -r -L "$BENCH_JQ" 'include "bench"; table' "$OUT/results.json" \
	>"$OUT/results.txt" || die "cannot write $OUT/results.txt"
cat "$OUT/results.txt"
echo
echo "bench: results in $OUT/results.json and $OUT/results.txt"
