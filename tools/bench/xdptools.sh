# SPDX-License-Identifier: GPL-2.0
# ppxdp next to xdp-tools (sourced by tools/bench.sh), when xdp-bench and
# xdp-trafficgen are on PATH and work on this kernel. Each pair runs in
# the same topology and is measured at the same point by the same sampler:
#
#   ppxdp drop / tx / redirect      xdp-bench drop / tx / redirect /
#                                   redirect-map / redirect-cpu on gen1,
#                                   ppxdp gen as the source; drop: the
#                                   generator's rate, others: the sink's
#   ppxdp gen --ipv6, one thread    xdp-trafficgen udp --threads 1 (IPv6
#                                   only), ppxdp drop on gen1 counting
#
# Debian 12's xdp-tools 1.3.1 fails here in two known ways: xdp-trafficgen
# probes live frames with a 4-byte frame every kernel refuses ("Kernel
# doesn't support live packet mode"), and on kernels without the
# xdp_redirect_map{,_err} tracepoints (6.18) libbpf refuses their objects.
# xt_probe runs each tool as it is first; after one of those failures it
# tries again with build/tools/xdptools-fix.so preloaded (see
# tools/bench/xdptools_fix.c: it fixes only those two things) and the
# report names the workaround. Any other failure: the suite says so and
# goes on. Writes $OUT/xdptools.json.

XDPTOOLS_FIX=$ROOT/$BUILD/tools/xdptools-fix.so
# Tool -> the library to preload ("" = none), set by xt_probe.
declare -A XT_PRE=()

# xt_env TOOL: the env(1) arguments that run TOOL as xt_probe decided.
xt_env() {
	[[ -n ${XT_PRE[$1]:-} ]] && echo "LD_PRELOAD=${XT_PRE[$1]}"
}

# xt_try TOOL OUT [PRELOAD]: run TOOL for 2 s in the probe topology; true
# when it ran (xdp-bench: attached and reported; xdp-trafficgen: sent).
xt_try() {
	local t=$1 out=$2 env=()
	[[ -n ${3:-} ]] && env=("LD_PRELOAD=$3")
	case $t in
	xdp-bench)
		timeout -s INT -k 2 2 nsenter --net=/run/netns/"$NS_G" \
			env "${env[@]}" xdp-bench drop gen0 --interval 1 >"$out" 2>&1
		grep -q 'Summary' "$out" && ! grep -q 'Failed to' "$out" ;;
	xdp-trafficgen)
		timeout -s INT -k 2 2 nsenter --net=/run/netns/"$NS_G" \
			env "${env[@]}" xdp-trafficgen udp gen0 --threads 1 \
			--dst-mac $MAC_GEN1 >"$out" 2>&1
		grep -q 'Transmitting on' "$out" && ! grep -q "Couldn't run" "$out" ;;
	esac
}

# xt_probe TOOL: can TOOL run here, as it is or with the fix? Sets
# XT_PRE[TOOL]; prints the tool's JSON record.
xt_probe() {
	local t=$1 sub=drop ver out=$LOG/probe-$1 why= work=null
	[[ $t == xdp-trafficgen ]] && sub=udp
	# --version is an option of the subcommands
	ver=$($t $sub --version 2>&1 | head -1)
	IDX=$((IDX + 1))
	if ! setup "$IDX" 0 - || ! WHY=$(attach "$NS_D" gen1 drop); then
		why="probe topology: $WHY"
	elif xt_try "$t" "$out.plain"; then
		XT_PRE[$t]=
	elif work=$(xt_known_failure_line "$out.plain") && [[ -f $XDPTOOLS_FIX ]] &&
		xt_try "$t" "$out.fixed" "$XDPTOOLS_FIX"; then
		XT_PRE[$t]=$XDPTOOLS_FIX
		work="fails as it is (\"$work\"); runs with $BUILD/tools/xdptools-fix.so preloaded (tools/bench/xdptools_fix.c)"
		work=$(jq -n --arg w "$work" '$w')
	else
		why=$(grep -v '^\s*$' "$out.plain" | tail -n 2 | tr -s ' \t\n' ' ' |
			sed 's/^ //; s/ $//')
		why="does not run on this kernel: ${why:-no output}"
	fi
	teardown
	if [[ -n $why ]]; then
		unset "XT_PRE[$t]"
		jq -n --arg t "$t" --arg v "$ver" --arg r "$why" \
			'{tool: $t, available: false, version: $v, reason: $r}'
	else
		jq -n --arg t "$t" --arg v "$ver" --argjson w "$work" \
			'{tool: $t, available: true, version: $v, workaround: $w}'
	fi
}

# xb_cmd KIND: the xdp-bench command line of a comparison.
xb_cmd() {
	case $1 in
	drop) echo "drop gen1" ;;
	tx) echo "tx gen1" ;;
	redirect) echo "redirect gen1 out0" ;;
	redirect-map) echo "redirect-map gen1 out0" ;;
	redirect-cpu) echo "redirect-cpu gen1 --cpu $AUX_CPU --remote-action redirect --redirect-device out0" ;;
	esac
}

# has_xdp NS IF: an XDP program is attached to IF.
has_xdp() {
	in_ns "$1" ip -j link show dev "$2" 2>/dev/null |
		jq -e '.[0].xdp != null' >/dev/null
}

# xb_rate TAG AT: the median rate of window TAG, at the sink or, with
# AT gen, the generator's own (steady part).
xb_rate() {
	jq -n -L "$BENCH_JQ" --arg at "$2" 'include "bench";
		if $at == "gen" then [$g[0].intervals[].pps / 1e6] | gen_steady | median
		else [$s[0].intervals[].stats.sink.pps / 1e6] | median end' \
		--slurpfile s "$LOG/$1.sample.json" --slurpfile g "$LOG/$1.gen.json"
}

# xb_compare NAME KIND SIZE: ppxdp's scenario NAME against xdp-bench KIND
# in one topology, GEN_PAIRS pairs of windows, the order alternating;
# prints one comparison object (ratio: the median of the pairs' ratios).
xb_compare() {
	local name=$1 kind=$2 size=$3 row prog egress sink variant
	local cmd tag xpid at i why= pair tool r mine=() others=() reps=()
	row=$(scenario_row "$name")
	read -r name prog egress sink variant <<<"$row"
	cmd=$(xb_cmd "$kind")
	at=sink
	[[ $sink == - ]] && at=gen
	# json STATUS REASON [OURS THEIRS REPORTED]: JSON arrays of the pairs'.
	json() {
		jq -n -L "$BENCH_JQ" --arg p "$name" --arg x "xdp-bench $cmd" \
			--argjson s "$size" --arg at "$at" --arg st "$1" --arg r "$2" \
			--argjson ours "${3:-[]}" --argjson theirs "${4:-[]}" \
			--argjson rep "${5:-[]}" '
			include "bench";
			{ppxdp: $p, xdp_tools: $x, size: $s, measured_at: $at,
			 status: $st, reason: (if $r == "" then null else $r end),
			 xdp_tools_reported_mpps: ($rep | median)}
			+ paired($ours; $theirs)'
	}
	# fail REASON: give up on this comparison.
	fail() {
		[[ -n ${XT_PID:-} ]] && stop_tool "$XT_PID"
		XT_PID=
		json fail "$1"
		teardown
	}
	IDX=$((IDX + 1))
	if ! setup "$IDX" "$egress" "$sink" || ! dut_args "$prog" "$variant"; then
		fail "$WHY"
		return
	fi
	local stats=() timed=0
	[[ $at == sink ]] && stats=(--stats "sink=$(stats_map "$SINK_NS" "$sink" drop)")
	[[ $at == gen ]] && timed=1
	for ((pair = 0; pair < GEN_PAIRS; pair++)); do
		local order=(ppxdp xdp-bench)
		((pair % 2)) && order=(xdp-bench ppxdp)
		for tool in "${order[@]}"; do
			tag=$tool-$kind-$size-$pair
			if [[ $tool == ppxdp ]]; then
				if ! WHY=$(attach "$NS_D" gen1 "$prog" "${DUT_ARGS[@]}"); then
					fail "$WHY"
					return
				fi
				if ! WIN_POOLS=0 WIN_GEN_TIMED=$timed window "$tag" "$size" "${stats[@]}"; then
					fail "ppxdp $prog: $(first_err "$tag")"
					return
				fi
				"$PPXDP" -n "$NS_D" detach gen1 >/dev/null 2>&1
				mine+=("$(xb_rate "$tag" "$at")")
				continue
			fi
			# shellcheck disable=SC2086
			taskset -c "$AUX_CPU" nsenter --net=/run/netns/"$NS_D" \
				env $(xt_env xdp-bench) xdp-bench $cmd --interval 1 >"$LOG/$tag.out" 2>&1 &
			xpid=$!
			XT_PID=$xpid
			for i in $(seq 30); do
				has_xdp "$NS_D" gen1 && break
				kill -0 $xpid 2>/dev/null || break
				sleep 0.1
			done
			if ! kill -0 $xpid 2>/dev/null || ! has_xdp "$NS_D" gen1; then
				wait $xpid 2>/dev/null
				why=$(grep -v '^\s*$' "$LOG/$tag.out" | tail -n 3 | tr -s ' \t\n' ' ' |
					sed 's/^ //; s/ $//')
				fail "xdp-bench $cmd did not attach: ${why:-no output}"
				return
			fi
			if ! WIN_POOLS=0 WIN_GEN_TIMED=$timed window "$tag" "$size" "${stats[@]}"; then
				fail "$(first_err "$tag")"
				return
			fi
			stop_tool $xpid
			XT_PID=
			others+=("$(xb_rate "$tag" "$at")")
			# xdp-bench's own figure: the rx/s of its "Summary" lines.
			r=$(grep -E '^\s*Summary' "$LOG/$tag.out" | tail -n +2 |
				sed -E 's/^\s*Summary\s+([0-9,]+) rx\/s.*/\1/; s/,//g' |
				grep -E '^[0-9]+$' | median 2>/dev/null)
			[[ -n $r ]] && reps+=("$(awk -v r="$r" 'BEGIN { print r / 1e6 }')")
		done
	done
	teardown
	json ok "" "$(printf '%s\n' "${mine[@]}" | jq -s -c .)" \
		"$(printf '%s\n' "${others[@]}" | jq -s -c .)" \
		"$(printf '%s\n' "${reps[@]}" | jq -s -c .)"
}

# tg_compare SIZE: ppxdp gen --ipv6 against xdp-trafficgen, one thread
# each, rated by ppxdp's drop on gen1: GEN_PAIRS windows of each, the order
# alternating (the first of a pair is not favoured); the ratio is the
# median of the per-pair ratios, the rates the medians of the windows'.
tg_compare() {
	local size=$1 tag ours theirs pair tool r
	local mine=() others=()
	# json STATUS REASON [OURS THEIRS]: OURS and THEIRS are JSON arrays of
	# the pairs' rates.
	json() {
		jq -n -L "$BENCH_JQ" --argjson s "$size" --arg st "$1" --arg r "$2" \
			--argjson ours "${3:-[]}" --argjson theirs "${4:-[]}" '
			include "bench";
			{ppxdp: "gen --ipv6, 1 thread", xdp_tools: "xdp-trafficgen udp --threads 1",
			 size: $s, measured_at: "dut", status: $st,
			 reason: (if $r == "" then null else $r end),
			 xdp_tools_reported_mpps: null}
			+ paired($ours; $theirs)'
	}
	IDX=$((IDX + 1))
	if ! setup "$IDX" 0 - || ! WHY=$(attach "$NS_D" gen1 drop); then
		json fail "$WHY"
		teardown
		return
	fi
	local stats=(--stats "dut=$(stats_map "$NS_D" gen1 drop)")
	for ((pair = 0; pair < GEN_PAIRS; pair++)); do
		local order=(ppxdp xdp-trafficgen)
		((pair % 2)) && order=(xdp-trafficgen ppxdp)
		for tool in "${order[@]}"; do
			tag=gen-$tool-$size-$pair
			if ! WIN_POOLS=0 GEN_TOOL=$tool GEN_ARGS=--ipv6 \
				window "$tag" "$size" "${stats[@]}"; then
				json fail "$tool: $(first_err "$tag" | tr -s ' \t' ' ')"
				teardown
				return
			fi
			r=$(jq -L "$BENCH_JQ" 'include "bench";
				[.intervals[].stats.dut.pps / 1e6] | median' "$LOG/$tag.sample.json")
			if ! awk -v t="$r" 'BEGIN { exit !(t > 0) }'; then
				json fail "$tool sent nothing the peer counted: $(tail -n 2 \
					"$LOG/$tag.gen.err" | tr '\n' ' ')"
				teardown
				return
			fi
			[[ $tool == ppxdp ]] && ours=$r || theirs=$r
		done
		mine+=("$ours") others+=("$theirs")
	done
	teardown
	json ok "" "$(printf '%s\n' "${mine[@]}" | jq -s -c .)" \
		"$(printf '%s\n' "${others[@]}" | jq -s -c .)"
}

xdp_tools_compare() {
	local size=${SIZES%% *} t tools=() cmps=() have_xb=0 have_tg=0
	if ((!XDP_TOOLS)); then
		jq -n '{status: "skip", reason: "--no-xdp-tools"}'
		return
	fi
	for t in xdp-bench xdp-trafficgen; do
		if command -v $t >/dev/null; then
			log "$t: probing"
			# not in $(...): xt_probe sets XT_PRE
			xt_probe $t >"$TMP/tool-$t.json"
			tools+=("$(cat "$TMP/tool-$t.json")")
			[[ -v XT_PRE[$t] ]] || continue
			[[ $t == xdp-bench ]] && have_xb=1 || have_tg=1
		else
			tools+=("$(jq -n --arg t $t \
				'{tool: $t, available: false, reason: "not found on PATH"}')")
		fi
	done
	if ((!have_xb && !have_tg)); then
		printf '%s\n' "${tools[@]}" | jq -s '{status: "skip",
			reason: "neither xdp-bench nor xdp-trafficgen is on PATH and runs on this kernel; nothing to compare with",
			tools: .}'
		return
	fi
	if ((have_xb)); then
		local pair
		for pair in drop:drop tx:tx redirect-ifindex:redirect \
			redirect-devmap:redirect-map redirect-cpumap:redirect-cpu; do
			wanted "${pair%%:*}" || continue
			log "xdp-bench ${pair#*:}"
			xb_compare "${pair%%:*}" "${pair#*:}" "$size" >"$TMP/xt-$pair.json"
			cmps+=("$TMP/xt-$pair.json")
		done
	fi
	if ((have_tg)); then
		log "xdp-trafficgen"
		tg_compare "$size" >"$TMP/xt-tg.json"
		cmps+=("$TMP/xt-tg.json")
	fi
	jq -n --slurpfile tools <(printf '%s\n' "${tools[@]}") \
		--slurpfile cmps <(cat "${cmps[@]}" /dev/null) '
		{status: "ok", tools: $tools, comparisons: $cmps}
		| if ([$cmps[] | select(.status == "ok")] | length) == 0 then
			.note = "every comparison failed: xdp-tools does not work on this kernel (see reasons)"
		  else . end'
}

xdp_tools_compare >"$TMP/xdptools.json" && mv "$TMP/xdptools.json" "$OUT/xdptools.json"
