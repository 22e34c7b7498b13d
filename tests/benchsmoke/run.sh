#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Smoke run of the benchmark suite: every scenario of tools/bench.sh for
# one short interval (`tools/bench.sh --smoke`), then checks of each
# record in results.json: it ran (or says why it was skipped), its rate is
# above zero, every frame the DUT program saw took the scenario's action,
# the sink counted frames, the page_pool and CPU figures are sane. Also:
# the suite leaves no namespace behind, does not touch the host's
# `ppxdp trace` session, runs twice in a row, refuses bad options.
#
# Prints "PASS: name", "FAIL: name" or "SKIP: name (reason)" per test.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

BUILD=${BUILD:-build}
OUT=$BUILD/tests/benchsmoke
PFX=pbs$$
RES=$OUT/results.json
mkdir -p "$OUT"

log() { echo "  $*"; }
pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1${2:+ ($2)}"; }

leftover_netns() { ls /run/netns 2>/dev/null | awk -v p="$PFX" 'index($1, p) == 1'; }

cleanup() {
	local ns
	for ns in $(leftover_netns | awk '{ print $1 }'); do
		ip netns del "$ns" 2>/dev/null
	done
}
trap cleanup EXIT

if [[ ! -x $BUILD/ppxdp || ! -x $BUILD/tools/bench-sample ]]; then
	fail benchsmoke "missing $BUILD/ppxdp or $BUILD/tools/bench-sample: run make build-all"
	exit 1
fi

host_trace_before=$([[ -d /sys/fs/bpf/ppxdp/trace ]] && echo on || echo off)

# ---- the smoke run --------------------------------------------------------------

start=$(date +%s.%N)
BENCH_PFX=$PFX tools/bench.sh --smoke --out "$OUT" >"$OUT/bench.log" 2>&1
rc=$?
secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
if ((rc == 0)) && [[ -s $RES ]] && jq -e '.schema == 1' "$RES" >/dev/null; then
	pass "bench_smoke_run"
	log "tools/bench.sh --smoke took $secs s"
else
	fail "bench_smoke_run" "exit $rc, see $OUT/bench.log"
	tail -n 20 "$OUT/bench.log" | sed 's/^/    /'
	exit 1
fi

# One record per scenario and size, in the suite's order.
want=$(tools/bench.sh --list | wc -l)
got=$(jq '.scenarios | length' "$RES")
if [[ $got == $((want * 2)) ]]; then
	pass "bench_every_scenario_recorded"
else
	fail "bench_every_scenario_recorded" "$got records, want $((want * 2)) ($want scenarios x 2 sizes)"
fi

# check_record NAME SIZE: the checks of one scenario record; prints the
# first failed check, returns 1 on failure.
check_record() {
	jq -r --arg n "$1" --argjson s "$2" '
	  .pools_source as $src
	  | .scenarios[] | select(.name == $n and .size == $s)
	  | [
	      (if .mpps.median > 0 then empty else "median rate \(.mpps.median) Mpps" end),
	      (if .mpps.min <= .mpps.median and .mpps.median <= .mpps.max then empty
	       else "min/median/max out of order" end),
	      (if .gen.sent > 0 and .gen.sent + .gen.errors == .gen.frames then empty
	       else "generator: sent \(.gen.sent) + errors \(.gen.errors) != frames \(.gen.frames)" end),
	      (if .counters_moved then empty else "counters did not move" end),
	      # every frame the DUT program saw took the expected action
	      (if .dut.frames > 0 and .dut.actions[.dut.expected_action] == .dut.frames
	       then empty
	       else "DUT: \(.dut.actions[.dut.expected_action]) \(.dut.expected_action) of \(.dut.frames) frames" end),
	      (if .dut.actions.redirect_err == 0 and .dut.actions.malformed == 0 then empty
	       else "DUT: redirect_err \(.dut.actions.redirect_err), malformed \(.dut.actions.malformed)" end),
	      (if .measured_at == "sink" then
		 (if .sink.frames > 0 and .sink.actions.drop == .sink.frames then empty
		  else "sink: \(.sink.frames) frames, \(.sink.actions.drop) dropped" end)
	       else empty end),
	      (if $src == null then empty
	       elif .pools.pools > 0 and .pools.recycle >= 0 and .pools.recycle <= 1
		    and .pools.consumed == .dut.frames and .pools.new_pages > 0
	       then empty
	       else "pools: \(.pools | tojson)" end),
	      (if .cpu.used > 0 and .cpu.used <= (.cpu.scenario_cpus | length) + 0.001
	       then empty else "CPU used \(.cpu.used)" end)
	    ] | .[0] // empty' "$RES" | grep . && return 1
	return 0
}

while read -r name size status reason; do
	case $status in
	ok)
		if why=$(check_record "$name" "$size"); then
			pass "bench_$name/$size"
			log "$(jq -r --arg n "$name" --argjson s "$size" '.scenarios[]
				| select(.name == $n and .size == $s)
				| "\(.mpps.median * 1000 | round / 1000) Mpps at the \(.measured_at), recycle \(.pools.recycle // "-"), CPU \(.cpu.used)"' "$RES")"
		else
			fail "bench_$name/$size" "$why"
		fi ;;
	skip) echo "SKIP: bench_$name/$size ($reason)" ;;
	*) fail "bench_$name/$size" "$reason" ;;
	esac
done < <(jq -r '.scenarios[] | "\(.name) \(.size) \(.status) \(.reason // "")"' "$RES")

# The trace overhead ran one A/B pair and gave a ratio.
if jq -e '.ratios.trace | .status == "ok" and (.runs | length) > 0
	and all(.runs[]; .pairs == 1 and .ratio > 0 and .off.median > 0 and .on.median > 0)' \
	"$RES" >/dev/null; then
	pass "bench_trace_overhead"
	log "$(jq -r '.ratios.trace.runs[] | "trace on/off \(.scenario)/\(.size): \(.ratio)"' "$RES")"
elif jq -e '.ratios.trace.status == "skip"' "$RES" >/dev/null; then
	echo "SKIP: bench_trace_overhead ($(jq -r .ratios.trace.reason "$RES"))"
else
	fail "bench_trace_overhead" "$(jq -c .ratios.trace "$RES")"
fi

# fwd ratios were computed from the same run.
if jq -e '[.ratios.fwd[] | select(.a == "fwd-10000" and .b == "drop")] | length == 2
	and all(.[]; .ratio > 0)' "$RES" >/dev/null; then
	pass "bench_fwd_ratios"
else
	fail "bench_fwd_ratios" "$(jq -c .ratios.fwd "$RES")"
fi

# xdp-tools: compared, or a plain reason why not.
if jq -e '.xdp_tools | (.status == "skip" and (.reason | length) > 0)
	or (.status == "ok" and (.comparisons | length) > 0
	    and all(.comparisons[]; .status == "ok" or (.reason | length) > 0))' \
	"$RES" >/dev/null; then
	pass "bench_xdp_tools_reported"
	log "$(jq -r '.xdp_tools | .reason // .note // "compared"' "$RES")"
else
	fail "bench_xdp_tools_reported" "$(jq -c .xdp_tools "$RES")"
fi

# The human table has one line per scenario record.
lines=$(grep -cE '^(drop|pass|tx|redirect|fwd)' "$OUT/results.txt")
if [[ $lines == "$got" ]]; then
	pass "bench_table"
else
	fail "bench_table" "$lines scenario lines in results.txt, want $got"
fi

# ---- isolation and cleanup --------------------------------------------------------

if [[ -z $(leftover_netns) ]]; then
	pass "bench_no_leftover_netns"
else
	fail "bench_no_leftover_netns" "$(leftover_netns | tr '\n' ' ')"
fi

host_trace_after=$([[ -d /sys/fs/bpf/ppxdp/trace ]] && echo on || echo off)
if [[ $host_trace_before == "$host_trace_after" ]]; then
	pass "bench_host_trace_untouched"
else
	fail "bench_host_trace_untouched" "host ppxdp trace was $host_trace_before, is $host_trace_after"
fi

# A second run right after the first, with test doubles of xdp-bench and
# xdp-trafficgen on PATH (tests/benchsmoke/stubs: ppxdp's own drop program
# attached with iproute2, ppxdp gen --ipv6) to check the comparison path:
# both comparisons run (one pair of windows each, as --smoke asks), xdp-bench's
# "1,000,000 rx/s" is parsed, and the ratios are computed.
if PATH=$PWD/tests/benchsmoke/stubs:$PATH BENCH_PFX=$PFX \
	tools/bench.sh --smoke --only drop --sizes 64 --trace-pairs 0 \
	--out "$OUT/rerun" >"$OUT/rerun.log" 2>&1 &&
	jq -e '.scenarios[0].status == "ok" and .scenarios[0].mpps.median > 0
		and .ratios.trace.status == "skip"' \
		"$OUT/rerun/results.json" >/dev/null && [[ -z $(leftover_netns) ]]; then
	pass "bench_runs_twice"
else
	fail "bench_runs_twice" "see $OUT/rerun.log"
fi
if jq -e '.xdp_tools.status == "ok"
	and ([.xdp_tools.tools[] | .version] == ["xdp-bench version stub", "xdp-trafficgen version stub"])
	and (.xdp_tools.comparisons | length == 2)
	and all(.xdp_tools.comparisons[]; .status == "ok" and .ratio > 0
		and .ratio == .ppxdp_mpps / .xdp_tools_mpps)
	and all(.xdp_tools.comparisons[]; .pair_ratios == [.ratio])
	and .xdp_tools.comparisons[0].xdp_tools_reported_mpps == 1' \
	"$OUT/rerun/results.json" >/dev/null; then
	pass "bench_xdp_tools_compare_path"
	log "$(jq -r '.xdp_tools.comparisons[] | "\(.ppxdp) / \(.xdp_tools): \(.ratio)"' "$OUT/rerun/results.json")"
else
	fail "bench_xdp_tools_compare_path" "$(jq -c .xdp_tools "$OUT/rerun/results.json" 2>&1)"
fi

# Bad options are refused before anything is set up.
bad_option() {
	local want=$1 out
	shift
	out=$(tools/bench.sh "$@" 2>&1) && return 1
	grep -qF -- "$want" <<<"$out"
}
if bad_option "no scenario 'nosuch'" --only nosuch &&
	bad_option "not a frame size" --sizes 9000 &&
	bad_option "take seconds" --interval fast; then
	pass "bench_bad_options"
else
	fail "bench_bad_options"
fi
exit 0
