#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The redirect-forwarding matrix: every forwarding path of the XDP programs,
# IPv4 and IPv6, native and generic XDP, two and three hops, with exact
# delivered counts and payload checks at the receivers, then fault cases
# (target down or deleted mid-flow, cpumap queue full, MTU exceeded) where
# the counters must account for every frame. After each topology the
# page_pools of its namespaces must have given back every page they took.
# Topologies and helpers: lib.sh; cases and results: docs/matrix.md.
#
# Usage: tests/matrix/run.sh            everything
#        ONLY="2h-ipv4-native-devmap fault-devmap-down" tests/matrix/run.sh
#        MX_FLOOD=5000 tests/matrix/run.sh
# Prints "PASS: name", "FAIL: name" or "SKIP: name (reason)" per case.
set -u
. "$(dirname "$0")/lib.sh"

PATHS="ifindex devmap bcast_excl bcast_self cpumap_pass cpumap_redirect tx fwd_rules fwd_route"

# Main cases, in run order: per topology, IPv4 first (IPv6 reports of the
# setup are long over when the IPv6 cases start).
main_cases() {
	local hops fam mode path
	for hops in 2 3; do
		for fam in 4 6; do
			for mode in native generic; do
				for path in $PATHS; do
					echo "${hops}h-ipv$fam-$mode-$path $hops $path $fam $mode"
				done
			done
		done
	done
}

# Fault cases on the two-hop topology: NAME PATH FAULT FAMILY MODE. The
# target is R1's port rb1 towards b1 (b1's address for the routed paths).
fault_cases() {
	cat <<EOF
fault-devmap-down devmap down 4 native
fault-devmap-deleted devmap deleted 4 native
fault-devmap-mtu devmap mtu 4 native
fault-devmap-deleted-generic devmap deleted 4 generic
fault-devmap-mtu-generic devmap mtu 6 generic
fault-ifindex-down ifindex down 4 native
fault-ifindex-deleted ifindex deleted 6 native
fault-ifindex-mtu ifindex mtu 6 native
fault-bcast-down bcast_excl down 4 native
fault-bcast-deleted bcast_excl deleted 6 native
fault-bcast-mtu bcast_excl mtu 4 native
fault-cpumap-redirect-down cpumap_redirect down 4 native
fault-cpumap-redirect-deleted cpumap_redirect deleted 4 native
fault-cpumap-redirect-mtu cpumap_redirect mtu 4 native
fault-cpumap-pass-down cpumap_pass down 4 native
fault-cpumap-pass-mtu cpumap_pass mtu 6 native
fault-cpumap-queue-full cpumap_pass qfull 4 native
fault-cpumap-redirect-queue-full cpumap_redirect qfull 4 native
fault-tx-down tx down 4 native
fault-fwd-rules-down fwd_rules down 4 native
fault-fwd-rules-deleted fwd_rules deleted 6 native
fault-fwd-rules-mtu fwd_rules mtu 4 native
fault-fwd-route-down fwd_route down 6 native
fault-fwd-route-deleted fwd_route deleted 4 native
fault-fwd-route-mtu fwd_route mtu 4 native
fault-fwd-route-mtu-ipv6 fwd_route mtu 6 generic
EOF
}

# --- the programs of a path -----------------------------------------------

# Programs attached for the current case, and what they must count:
# P_NS, P_IF, P_EXP (xdp vector), P_CPU (cpumap vector or ""), P_RULE
# (rule id that must count every frame, or ""), P_FIB (fib success).
# L_NS, L_IF, L_FIELD, L_WANT: interface counters (link_counter) that
# must change by exactly L_WANT. KERNEL_EXPECT: a known kernel behaviour
# the expectations of the case encode, or "".
reset_case() {
	P_NS=() P_IF=() P_PROG=() P_EXP=() P_CPU=() P_RULE=() P_FIB=()
	L_NS=() L_IF=() L_FIELD=() L_WANT=()
	RECV_NS=() RECV_WANT=()
	PROBE_WANT=""
	KERNEL_EXPECT=""
}

# vec ACTION N: counter vector with N under ACTION.
vec() {
	local i out=() names=(aborted drop pass tx redirect redirect_err malformed)
	for i in "${!names[@]}"; do
		if [[ ${names[$i]} == "$1" ]]; then out+=("$2"); else out+=(0); fi
	done
	echo "${out[*]}"
}

# attach NS IF EXP CPU RULE FIB ARGS...: attach and record expectations.
attach() {
	local ns=$1 ifn=$2 exp=$3 cpu=$4 rule=$5 fib=$6
	shift 6
	if ! "$PPXDP" -n "$ns" attach "$ifn" "$@" --mode "$MODE" \
		>"$TMP/attach.log" 2>&1; then
		log "FAILED: attach $* on $ifn: $(cat "$TMP/attach.log")"
		return 1
	fi
	P_NS+=("$ns") P_IF+=("$ifn") P_PROG+=("$1") P_EXP+=("$exp") P_CPU+=("$cpu")
	P_RULE+=("$rule") P_FIB+=("$fib")
}

detach_all() {
	local i
	for i in "${!P_NS[@]}"; do
		"$PPXDP" -n "${P_NS[$i]}" detach "${P_IF[$i]}" >/dev/null 2>&1
	done
}

fwd_rules_file() { # R1|R2 EGRESS
	local f=$TMP/fwd-$1-$2.rules
	if [[ $1 == R1 && $MX_HOPS == 3 && $2 == r2 ]]; then
		cat >"$f" <<EOF
default pass
nonip pass
neigh r2 10.2.0.2 lladdr $MAC_S1
neigh r2 fd02::2 lladdr $MAC_S1
redirect r2 via 10.2.0.2 dst 10.3.0.0/24
redirect r2 via fd02::2 dst fd03::/64
EOF
	else
		local n=3 host=1
		[[ $2 == rb1 ]] && n=5
		cat >"$f" <<EOF
default pass
nonip pass
neigh $2 10.$n.0.$host lladdr $MAC_HOST3
neigh $2 fd0$n::$host lladdr $MAC_HOST3
redirect $2 dst 10.$n.0.0/24
redirect $2 dst fd0$n::/64
EOF
	fi
	echo "$f"
}

route_rules_file() {
	printf 'default pass\nnonip pass\nroute\n' >"$TMP/route.rules"
	echo "$TMP/route.rules"
}

# attach_path PATH TARGET: programs of PATH towards h3 (TARGET main) or
# b1 (TARGET fault). Sets DST, RECV_* and PROBE_WANT.
attach_path() {
	local path=$1 target=$2 n=$FLOOD e1 rid
	local l2dst l3dst
	if [[ $FAM == 4 ]]; then l2dst=10.9.0.3; else l2dst=fd09::3; fi
	if [[ $target == fault ]]; then
		e1=rb1
		[[ $FAM == 4 ]] && l3dst=10.5.0.1 || l3dst=fd05::1
	else
		((MX_HOPS == 2)) && e1=r3 || e1=r2
		[[ $FAM == 4 ]] && l3dst=10.3.0.1 || l3dst=fd03::1
	fi
	rid=$([[ $FAM == 4 ]] && echo 0 || echo 1)
	# Whole-path receiver and probes (a1 a3 b1 b2).
	local rx_ns=$MX_H3 probe="0 $n 0 0"
	if [[ $target == fault ]]; then rx_ns=$MX_B1 probe="0 0 $n 0"; fi
	local two_stage=0 wire
	[[ $MX_HOPS == 3 && $target == main ]] && two_stage=1
	wire=$(vec redirect $n)

	case $path in
	ifindex | devmap)
		DST=$l2dst
		attach "$MX_R1" r1 "$wire" "" "" "" redirect --via "$path" --to $e1 || return 1
		if ((two_stage)); then
			attach "$MX_R2" s1 "$wire" "" "" "" redirect --via "$path" --to s3 || return 1
		fi
		;;
	cpumap_redirect)
		DST=$l2dst
		attach "$MX_R1" r1 "$wire" "$wire" "" "" redirect --via cpumap \
			--cpu "$MX_CPU" --cpu-action redirect --to $e1 \
			--qsize "${CPU_QSIZE:-2048}" || return 1
		if ((two_stage)) && [[ $MODE == generic ]]; then
			attach_generic_cpumap_r2 || return 1
			return 0
		elif ((two_stage)); then
			attach "$MX_R2" s1 "$wire" "$wire" "" "" redirect --via cpumap \
				--cpu "$MX_CPU" --cpu-action redirect --to s3 || return 1
		fi
		;;
	bcast_excl | bcast_self)
		DST=$l2dst
		local ex=() group=r1,$e1,rb1,rb2
		[[ $path == bcast_excl ]] && ex=(--exclude-ingress)
		[[ $target == fault ]] && group=r1,rb1,rb2,$([[ $MX_HOPS == 2 ]] && echo r3 || echo r2)
		attach "$MX_R1" r1 "$wire" "" "" "" redirect --via broadcast \
			--to "$group" "${ex[@]}" || return 1
		if ((MX_HOPS == 3)); then
			attach "$MX_R2" s1 "$wire" "" "" "" redirect --to s3 || return 1
		fi
		probe="0 $n $n $n"
		[[ $path == bcast_self ]] && probe="$n $n $n $n"
		RECV_NS+=("$MX_H3" "$MX_B1" "$MX_B2") RECV_WANT+=($n $n $n)
		PROBE_WANT=$probe
		return 0
		;;
	cpumap_pass)
		DST=$l3dst
		attach "$MX_R1" r1 "$wire" "$(vec pass $n)" "" "" redirect \
			--via cpumap --cpu "$MX_CPU" --qsize "${CPU_QSIZE:-2048}" || return 1
		if ((two_stage)); then
			attach "$MX_R2" s1 "$wire" "$(vec pass $n)" "" "" redirect \
				--via cpumap --cpu "$MX_CPU" || return 1
		fi
		;;
	tx)
		DST=$l2dst
		rx_ns=$MX_H1 probe="$n 0 0 0"
		if ((MX_HOPS == 2)); then
			attach "$MX_R1" r1 "$(vec tx $n)" "" "" "" tx || return 1
		else
			attach "$MX_R1" r1 "$wire" "" "" "" redirect --to r2 || return 1
			attach "$MX_R1" r2 "$wire" "" "" "" redirect --to r1 || return 1
			attach "$MX_R2" s1 "$(vec tx $n)" "" "" "" tx || return 1
		fi
		;;
	fwd_rules)
		DST=$l3dst
		attach "$MX_R1" r1 "$wire" "" "$rid" "" fwd \
			--rules "$(fwd_rules_file R1 $e1)" || return 1
		if ((two_stage)); then
			attach "$MX_R2" s1 "$wire" "" "$rid" "" fwd \
				--rules "$(fwd_rules_file R2 s3)" || return 1
		fi
		;;
	fwd_route)
		DST=$l3dst
		attach "$MX_R1" r1 "$wire" "" 0 "$n" fwd \
			--rules "$(route_rules_file)" || return 1
		if ((two_stage)); then
			attach "$MX_R2" s1 "$wire" "" 0 "$n" fwd \
				--rules "$(route_rules_file)" || return 1
		fi
		;;
	esac
	RECV_NS+=("$rx_ns") RECV_WANT+=($n)
	PROBE_WANT=$probe
}

# R2's program of 3h-*-generic-cpumap_redirect and what the kernel (6.18)
# makes of that case. R1's generic program hands each skb to the cpumap
# with cpu_map_generic_redirect() (kernel/bpf/cpumap.c), which marks it
# skb_set_redirected(); the cpumap kthread runs the second stage on it
# (cpu_map_bpf_prog_run_skb() -> xdp_do_generic_redirect() ->
# dev_map_generic_redirect() -> generic_xdp_tx()) and veth_xmit() passes
# it to s1 with the mark still set (__dev_forward_skb2() and
# skb_scrub_packet() do not clear it). On s1, __netif_receive_skb_core()
# (net/core/dev.c) calls do_xdp_generic(), whose
# netif_receive_generic_xdp() returns XDP_PASS for skb_is_redirected()
# skbs without running the program ("reinjected packets ... should not
# get XDP generic processing"); the mark is cleared only afterwards
# (skb_reset_redirect()). So R2's program counts nothing and the frames
# go up R2's stack as they are: unchanged by R1 they still carry h3's
# MAC, eth_type_trans() made them PACKET_OTHERHOST on s1, and
# ip_rcv_core() / ip6_rcv_core() drop them before any IP counter
# (dev_core_stats_rx_otherhost_dropped_inc(): s1's rx otherhost). h3
# gets nothing. Should R2's program ever see these frames, the checks
# fail and say that the kernel changed.
attach_generic_cpumap_r2() {
	local n=$FLOOD
	attach "$MX_R2" s1 "$(vec redirect 0)" "$(vec redirect 0)" "" "" \
		redirect --via cpumap --cpu "$MX_CPU" --cpu-action redirect \
		--to s3 || return 1
	KX_PROG=$((${#P_NS[@]} - 1)) KX_LINK=${#L_NS[@]}
	L_NS+=("$MX_R2" "$MX_R2") L_IF+=(s1 s1)
	L_FIELD+=(rx.otherhost rx.packets) L_WANT+=($n $n)
	RECV_NS+=("$MX_H3") RECV_WANT+=(0)
	PROBE_WANT="0 0 0 0"
	KERNEL_EXPECT="generic XDP skips skbs a generic cpumap program redirected (skb->redirected, netif_receive_generic_xdp()): R2's program sees none of the $n frames, R2's stack drops them all as other-host, h3 gets none"
}

# After a failed case with KERNEL_EXPECT: tell a kernel that behaves
# differently now from frames lost on the way on a busy machine.
explain_kernel_expect() {
	local seen got otherhost arrived
	[[ -n $KERNEL_EXPECT ]] || return 0
	seen=$(delta "$(get before "xdp_$KX_PROG")" "$(get after "xdp_$KX_PROG")")
	seen=$((${seen// /+}))
	got=${RECV_GOT[0]%% *}
	otherhost=$(($(get after "link_$KX_LINK") - $(get before "link_$KX_LINK")))
	arrived=$(($(get after "link_$((KX_LINK + 1))") - $(get before "link_$((KX_LINK + 1))")))
	if ((seen || ${got:-0} || otherhost != arrived)); then
		log "FAILED: kernel behaviour changed: of $arrived frames at s1 R2's program counted $seen, its stack dropped $otherhost as other-host, h3 got ${got:-?}; expected: $KERNEL_EXPECT"
	else
		log "(not a kernel change: R2 saw none and dropped all $arrived that reached s1 as other-host; frames were lost before s1)"
	fi
}

# --- counters around a flood --------------------------------------------

# The counters of the case: probes, then per program its action counters,
# cpumap program, rule and FIB lookup counters (see mx_plan).
build_plan() {
	local i pin
	mx_plan_reset
	mx_plan probe_a1 ctr "$(mx_pin "$MX_H1" a1)/fwd_rule_stats" 2
	mx_plan probe_a3 ctr "$(mx_pin "$MX_H3" a3)/fwd_rule_stats" 2
	mx_plan probe_b1 ctr "$(mx_pin "$MX_B1" b1)/fwd_rule_stats" 2
	mx_plan probe_b2 ctr "$(mx_pin "$MX_B2" b2)/fwd_rule_stats" 2
	for i in "${!P_NS[@]}"; do
		pin=$(mx_pin "${P_NS[$i]}" "${P_IF[$i]}")
		mx_plan "xdp_$i" stats "$pin/${P_PROG[$i]}_stats"
		[[ -z ${P_CPU[$i]} ]] ||
			mx_plan "cpu_$i" stats "$pin/cpumap_stats"
		[[ -z ${P_RULE[$i]} ]] ||
			mx_plan "rule_$i" ctr "$pin/fwd_rule_stats" "${P_RULE[$i]}"
		[[ -z ${P_FIB[$i]} ]] ||
			mx_plan "fib_$i" ctr "$pin/fwd_fib_stats" 0
	done
}

# snap TAG: take a snapshot into $TMP/snap.TAG and SNAP[TAG.LABEL].
declare -A SNAP
snap() {
	local label val
	mx_snap >"$TMP/snap.$1"
	while read -r label val; do
		SNAP[$1.$label]=$val
	done <"$TMP/snap.$1"
}

# get TAG LABEL: the value(s) of LABEL in snapshot TAG.
get() { echo "${SNAP[$1.$2]:-}"; }

# link_counter NS IF FIELD: an interface counter of `ip -s -s -j link`
# (stats64), e.g. rx.packets, rx.otherhost (absent while 0).
link_counter() {
	in_ns "$1" ip -s -s -j link show "$2" |
		jq -r --arg f "$3" '.[0].stats64 | getpath($f | split(".")) // 0'
}

# link_snap TAG: the case's interface counters into SNAP[TAG.link_I].
link_snap() {
	local i
	for i in "${!L_NS[@]}"; do
		SNAP[$1.link_$i]=$(link_counter "${L_NS[$i]}" "${L_IF[$i]}" "${L_FIELD[$i]}")
	done
}

probes() { # TAG: "a1 a3 b1 b2"
	echo "$(get "$1" probe_a1) $(get "$1" probe_a3) $(get "$1" probe_b1) $(get "$1" probe_b2)"
}

# delta A B: element-wise B - A of two blank-separated vectors.
delta() {
	local -a a=($1) b=($2)
	local i out=()
	for i in "${!b[@]}"; do
		out+=($((${b[$i]:-0} - ${a[$i]:-0})))
	done
	echo "${out[*]}"
}

# snap_settled TAG: a snapshot once the counters stopped moving (the
# cpumap kthreads and NAPI are done).
snap_settled() {
	local i
	snap "$1"
	for i in $(seq 50); do
		mv "$TMP/snap.$1" "$TMP/snap.prev"
		sleep 0.02
		snap "$1"
		cmp -s "$TMP/snap.prev" "$TMP/snap.$1" && return 0
	done
}

# start_receivers TIMEOUT [IDLE]: udpflood recv in every RECV_NS, ready.
start_receivers() {
	local i out
	RECV_PID=()
	for i in "${!RECV_NS[@]}"; do
		out=$TMP/recv.$i
		: >"$out"
		in_ns "${RECV_NS[$i]}" "$UDPFLOOD" recv --port "$PORT" \
			--count "$FLOOD" --timeout "$1" --idle "${2:-0}" \
			>"$out" 2>&1 &
		RECV_PID+=($!)
	done
	for i in "${!RECV_NS[@]}"; do
		local t
		for t in $(seq 100); do
			grep -q ready "$TMP/recv.$i" && break
			sleep 0.01
		done
	done
}

# wait_receivers: RECV_GOT[i] = "received lost dup corrupt".
wait_receivers() {
	local i
	RECV_GOT=()
	for i in "${!RECV_PID[@]}"; do
		wait "${RECV_PID[$i]}"
		RECV_GOT+=("$(sed -n 's/.*received=\([0-9]*\).*lost=\([0-9]*\) dup=\([0-9]*\) corrupt=\([0-9]*\).*/\1 \2 \3 \4/p' \
			"$TMP/recv.$i")")
	done
}

send_flood() { # [SIZE]
	in_ns "$MX_H1" "$UDPFLOOD" send --dst "$DST" --port "$PORT" \
		--count "$FLOOD" --size "${1:-$MX_SIZE}" --pps "$MX_PPS" \
		>"$TMP/send.out" 2>&1
}

# The checks every main case makes.
check_main() {
	local rc=0 i where
	for i in "${!RECV_NS[@]}"; do
		check_eq "received lost dup corrupt at ${RECV_NS[$i]#$MX-}" \
			"${RECV_GOT[$i]}" \
			"${RECV_WANT[$i]} $((FLOOD - RECV_WANT[i])) 0 0" || rc=1
	done
	for i in "${!L_NS[@]}"; do
		check_eq "${L_NS[$i]#$MX-}/${L_IF[$i]} ${L_FIELD[$i]}" \
			"$(($(get after "link_$i") - $(get before "link_$i")))" \
			"${L_WANT[$i]}" || rc=1
	done
	check_eq "probe datagrams a1 a3 b1 b2" \
		"$(delta "$(probes before)" "$(probes after)")" "$PROBE_WANT" || rc=1
	for i in "${!P_NS[@]}"; do
		where="${P_NS[$i]#$MX-}/${P_IF[$i]}"
		check_eq "$where xdp (aborted drop pass tx redirect err malformed)" \
			"$(delta "$(get before "xdp_$i")" "$(get after "xdp_$i")")" \
			"${P_EXP[$i]}" || rc=1
		[[ -z ${P_CPU[$i]} ]] ||
			check_eq "$where cpumap program" \
				"$(delta "$(get before "cpu_$i")" "$(get after "cpu_$i")")" \
				"${P_CPU[$i]}" || rc=1
		[[ -z ${P_RULE[$i]} ]] ||
			check_eq "$where rule ${P_RULE[$i]}" \
				"$(delta "$(get before "rule_$i")" "$(get after "rule_$i")")" \
				"$FLOOD" || rc=1
		[[ -z ${P_FIB[$i]} ]] ||
			check_eq "$where fib lookups success" \
				"$(delta "$(get before "fib_$i")" "$(get after "fib_$i")")" \
				"${P_FIB[$i]}" || rc=1
	done
	return $rc
}

# run_main NAME HOPS PATH FAMILY MODE
run_main() {
	local name=$1 path=$3
	FAM=$4 MODE=$5
	reset_case
	attach_path "$path" main || { detach_all; return 1; }
	build_plan
	snap before
	link_snap before
	start_receivers 3 1
	send_flood
	wait_receivers
	snap_settled after
	link_snap after
	check_main
	local rc=$?
	((rc)) && explain_kernel_expect
	detach_all
	return $rc
}

# The options of the redirect modes: what attach refuses, with exit
# status 2 and a message naming the mistake, leaving nothing attached.
run_cli() {
	local rc=0 args want out st
	while IFS='|' read -r args want; do
		[[ -n $args ]] || continue
		# shellcheck disable=SC2086
		"$PPXDP" -n "$MX_R1" attach r1 $args >"$TMP/cli.out" 2>&1
		st=$?
		out=$(cat "$TMP/cli.out")
		if [[ $st == 2 && $out == *"$want"* ]]; then
			log "ok: attach r1 $args: exit 2, '$want'"
		else
			log "FAILED: attach r1 $args: exit $st, '$out', want exit 2 and '$want'"
			rc=1
		fi
	done <<EOF
redirect --via cpumap --to r3|--via cpumap needs --cpu N
redirect --via cpumap --cpu 99999|--cpu 99999: no such CPU
redirect --via cpumap --cpu 1 --to r3|--to has no use with --cpu-action pass
redirect --via cpumap --cpu 1 --qsize 0 --cpu-action redirect --to r3|--qsize '0' is out of range
redirect --via cpumap --cpu 1 --qsize 16385 --cpu-action redirect --to r3|--qsize '16385' is out of range
redirect --via devmap --to r3,rb1|--to takes one interface with --via devmap
redirect --via ifindex --to r3 --exclude-ingress|--exclude-ingress applies to --via broadcast only
redirect --via broadcast --to r3,rb1,r3|interface 'r3' given twice
redirect --via broadcast --to r3,nosuch0|no interface 'nosuch0'
redirect --to r3 --cpu 1|--cpu, --qsize and --cpu-action apply to --via cpumap only
redirect --via ifindex|redirect needs --to IF2
redirect --via wormhole --to r3|invalid --via 'wormhole': expected one of devmap|ifindex|broadcast|cpumap
tx --via devmap|apply to redirect only, not to tx
EOF
	if in_ns "$MX_R1" ip link show r1 | grep -q 'prog/xdp'; then
		log "FAILED: a refused attach left a program on r1"
		rc=1
	fi
	return $rc
}

# --- running ----------------------------------------------------------------

CASE_NO=0
NR_PASS=0 NR_FAIL=0 NR_SKIP=0
RESULTS=()

result() { # STATUS NAME [REASON]
	case $1 in
	PASS) echo "PASS: $2"; NR_PASS=$((NR_PASS + 1)) ;;
	FAIL) echo "FAIL: $2"; NR_FAIL=$((NR_FAIL + 1)) ;;
	SKIP) echo "SKIP: $2 ($3)"; NR_SKIP=$((NR_SKIP + 1)) ;;
	esac
	RESULTS+=("$1 $2")
}

wanted() {
	[[ -z ${ONLY:-} || " $ONLY " == *" $1 "* ]]
}

# run_case FUNC NAME ARGS...
run_case() {
	local fn=$1 name=$2 out rc
	shift 2
	CASE_NO=$((CASE_NO + 1))
	PORT=$((7000 + CASE_NO % 1000))
	FLOOD=$MX_FLOOD
	out=$TMP/case.out
	echo "--- $name"
	local t0=$EPOCHREALTIME
	( set -o pipefail; $fn "$name" "$@" ) >"$out" 2>&1
	rc=$?
	mx_routers_clean
	cat "$out"
	log "$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f s", b - a }')"
	if ((rc == 0)); then
		result PASS "$name"
	else
		result FAIL "$name"
	fi
}

# Pools of the topology's namespaces: every one that moved while the
# topology was up must be freed (gone) with hold == release after teardown.
check_pools() {
	local name=$1 inos rc=0 i
	if [[ -z $MX_TRACE_PIN ]]; then
		result SKIP "$name" "no tracing session: $MX_TRACE_NOTE"
		return
	fi
	if [[ $(stat -c %i /sys/fs/bpf/ppxdp/trace/pools 2>/dev/null) != "$MX_TRACE_PIN" ]]; then
		result SKIP "$name" "the tracing session was stopped by someone else while the topology was up"
		return
	fi
	inos=$(printf '%s\n' "${MX_INOS[@]}" | jq -sc 'map(tonumber)')
	for i in $(seq 100); do
		# skbs freed on another CPU than the one that made them wait in
		# that CPU's defer list until it next runs net_rx_action: give
		# every CPU some receive work so that their pages come home.
		((i % 10 == 1)) && mx_flush_deferred
		mx_pools_dump >"$TMP/pools.after"
		jq -s --argjson inos "$inos" --slurpfile before "$TMP/pools.before" '
			($before | map("\(.pool)/\(.last_ns)")) as $old |
			map(select((.netns_ino as $n | $inos | index($n)) and
				("\(.pool)/\(.last_ns)" as $k | $old | index($k) | not)))' \
			"$TMP/pools.after" >"$TMP/pools.ours"
		jq -e 'all(.[]; .hold == .release and .map == "gone_pools")' \
			"$TMP/pools.ours" >/dev/null && break
		sleep 0.1
	done
	log "$(jq -r 'length' "$TMP/pools.ours") pools in the topology's namespaces, $(jq -r '[.[].hold] | add // 0' "$TMP/pools.ours") pages taken"
	jq -r --argjson names "$MX_INO_NAMES" '.[] | "    pool: \($names[.netns_ino | tostring] // .netns_ino) ifindex \(.ifindex): hold \(.hold) release \(.release) \(if .map == "pools" then "live" else "freed" end)"' \
		"$TMP/pools.ours"
	if jq -e 'length > 0 and all(.[]; .hold == .release and .map == "gone_pools")' \
		"$TMP/pools.ours" >/dev/null; then
		result PASS "$name"
	elif jq -e 'length == 0' "$TMP/pools.ours" >/dev/null; then
		# Pools are made by native XDP on veth: none means no check.
		log "FAILED: no page_pool of these namespaces was traced"
		result FAIL "$name"
	else
		log "FAILED: pools with pages in flight after teardown"
		result FAIL "$name"
	fi
}

# run_topology HOPS CASE_LINES
run_topology() {
	local hops=$1 lines=$2 name
	local any=0 line
	while read -r line; do
		[[ -n $line ]] && wanted "${line%% *}" && any=1
	done <<<"$lines"
	((any)) || return 0

	echo "=== $hops-hop topology"
	mx_trace_begin
	MX_TRACE_PIN=$(stat -c %i /sys/fs/bpf/ppxdp/trace/pools 2>/dev/null)
	mx_pools_dump >"$TMP/pools.before"
	if ! mx_topo_up "$hops" >"$TMP/topo.log" 2>&1; then
		cat "$TMP/topo.log"
		result FAIL "topology-${hops}h (setup)"
		mx_topo_down
		return
	fi
	mx_inos
	while read -r line; do
		[[ -n $line ]] || continue
		# shellcheck disable=SC2086
		set -- $line
		wanted "$1" || continue
		if [[ $1 == cli-* ]]; then
			run_case run_cli "$@"
		elif [[ $# == 5 && $2 =~ ^[23]$ ]]; then
			run_case run_main "$@"
		else
			run_case run_fault "$@"
		fi
	done <<<"$lines"
	mx_topo_down
	check_pools "pools-${hops}h"
}

main() {
	trap 'mx_topo_down; mx_trace_end; rm -rf "$TMP"' EXIT
	trap 'exit 130' INT TERM
	ensure_mounts
	mountpoint -q /sys/kernel/tracing ||
		mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
	if [[ ! -x $PPXDP || ! -x $UDPFLOOD ]]; then
		echo "FAIL: matrix (missing $PPXDP or $UDPFLOOD: run make build-all)"
		exit 1
	fi
	local start=$SECONDS
	run_topology 2 "cli-redirect-options
$(main_cases | awk '$2 == 2')
$(fault_cases | awk '{ print $1, $2, $3, $4, $5, "fault" }')"
	run_topology 3 "$(main_cases | awk '$2 == 3')"
	echo "matrix: $NR_PASS passed, $NR_FAIL failed, $NR_SKIP skipped in $((SECONDS - start)) s"
}

. "$(dirname "$0")/faults.sh"
main "$@"
