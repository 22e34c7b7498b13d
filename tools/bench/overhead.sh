# SPDX-License-Identifier: GPL-2.0
# The cost of `ppxdp trace` (sourced by tools/bench.sh): the same scenario
# with the tracing programs detached (A) and attached (B), interleaved
# A B A B ... so that slow drift of the machine hits both alike. The
# result is the ratio of the medians of all B intervals and all A
# intervals; the target is B/A >= 0.98. Writes $OUT/trace.json.
#
# TRACE_SCENARIOS (default "drop redirect-devmap"; "drop" for --smoke)
# names the scenarios, run at the first of --sizes.

# trace_ab NAME SIZE: one scenario's A/B runs; prints its JSON object.
# Runs in this shell (it sets the scenario's globals); callers redirect.
trace_ab() {
	local name=$1 size=$2 row prog egress sink variant k st tag
	local offs=() ons=()
	row=$(scenario_row "$name")
	read -r name prog egress sink variant <<<"$row"
	IDX=$((IDX + 1))
	if ! dut_args "$prog" "$variant"; then
		jq -n --arg n "$name" --argjson s "$size" --arg r "$WHY" \
			'{scenario: $n, size: $s, status: "skip", reason: $r}'
		return
	fi
	if ! setup "$IDX" "$egress" "$sink" ||
		! WHY=$(attach "$NS_D" gen1 "$prog" "${DUT_ARGS[@]}"); then
		jq -n --arg n "$name" --argjson s "$size" --arg r "$WHY" \
			'{scenario: $n, size: $s, status: "fail", reason: $r}'
		teardown
		return
	fi
	for ((k = 1; k <= TRACE_PAIRS; k++)); do
		for st in off on; do
			tag=trace-$name-$size-$st-$k
			if [[ $st == off ]]; then
				stop_trace
			elif ! start_trace; then
				jq -n --arg n "$name" --argjson s "$size" --arg r "$TRACE_NOTE" \
					'{scenario: $n, size: $s, status: "fail", reason: $r}'
				teardown
				return
			fi
			log "$tag"
			if ! WIN_POOLS=0 WIN_INTERVALS=$TRACE_INTERVALS WIN_WARMUP=$TRACE_WARMUP \
				window "$tag" "$size" --stats "dut=$(stats_map "$NS_D" gen1 "$prog")"; then
				jq -n --arg n "$name" --argjson s "$size" --arg r "$(first_err "$tag")" \
					'{scenario: $n, size: $s, status: "fail", reason: $r}'
				teardown
				start_trace
				return
			fi
			[[ $st == off ]] && offs+=("$LOG/$tag.sample.json") ||
				ons+=("$LOG/$tag.sample.json")
		done
	done
	teardown
	jq -n -L "$BENCH_JQ" 'include "bench";
		def pps: [.[].intervals[].stats.dut.pps / 1e6];
		def run_medians: [.[] | [.intervals[].stats.dut.pps / 1e6] | median];
		def run_ns: [.[] | cpu_summary($cpus; .totals.stats.dut.frames).ns_per_frame];
		($off | pps | summary) as $a | ($on | pps | summary) as $b
		| ($off | run_ns | summary) as $ca | ($on | run_ns | summary) as $cb
		| ($off | run_medians) as $ma | ($on | run_medians) as $mb
		| {scenario: $n, size: $s, status: "ok", pairs: ($off | length),
		   off: $a, on: $b, ratio: ratio($b.median; $a.median),
		   pair_ratios: [range(0; $ma | length) as $i | ratio($mb[$i]; $ma[$i])],
		   off_mpps: $ma, on_mpps: $mb,
		   cost: {off_ns_per_frame: $ca, on_ns_per_frame: $cb,
			  ratio: ratio($cb.median; $ca.median)}}' \
		--arg n "$name" --argjson s "$size" --argjson cpus "[$GEN_CPU]" \
		--slurpfile off <(cat "${offs[@]}") --slurpfile on <(cat "${ons[@]}")
}

trace_overhead() {
	local size name runs=()
	size=${SIZES%% *}
	if ((!TRACE_OK)); then
		jq -n --arg r "$TRACE_NOTE" '{status: "skip", reason: $r}'
		return
	fi
	if ((TRACE_PAIRS == 0)); then
		jq -n '{status: "skip", reason: "--trace-pairs 0"}'
		return
	fi
	for name in $TRACE_SCENARIOS; do
		wanted "$name" || continue
		trace_ab "$name" "$size" >"$TMP/trace-$name.json"
		runs+=("$TMP/trace-$name.json")
	done
	# Leave tracing on as it was for the rest of the suite.
	[[ -d /sys/fs/bpf/ppxdp/trace ]] || start_trace
	if ((${#runs[@]} == 0)); then
		jq -n '{status: "skip", reason: "none of its scenarios was selected (--only)"}'
		return
	fi
	cat "${runs[@]}" | jq -s '{status: "ok", target: 0.98,
		runs: [.[] | select(.status == "ok")],
		failed: [.[] | select(.status != "ok")]}
		| if (.runs | length) == 0 then .status = "fail"
		  | .reason = ([.failed[].reason] | join("; ")) else . end'
}

if ((SMOKE)); then
	TRACE_SCENARIOS=${TRACE_SCENARIOS:-drop}
	TRACE_INTERVALS=1 TRACE_WARMUP=$WARMUP
else
	TRACE_SCENARIOS=${TRACE_SCENARIOS:-drop redirect-devmap}
	TRACE_INTERVALS=2 TRACE_WARMUP=0.5
fi
trace_overhead >"$TMP/trace.json" && mv "$TMP/trace.json" "$OUT/trace.json"
