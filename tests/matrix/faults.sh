# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Fault cases of the matrix (sourced by run.sh), on the two-hop topology.
# The target is R1's port rb1 towards b1 (r1 itself for XDP_TX): taken
# down or deleted in the middle of a flood, its MTU lowered under the
# frames, or, for the cpumap paths, the cpumap queue overrun with live
# frames from `ppxdp gen`. Each case then accounts for every frame with
# exact equations over the counters: the programs' own, the cpumap
# program's, the FIB lookup results, the veth statistics (ethtool -S),
# the kernel's SNMP counters and, when a tracing session runs, the xdp
# tracepoints (ppxdp trace). See docs/matrix.md for what each one shows.

FAULT_FLOOD=1000 # datagrams, at FAULT_PPS: the flood lasts half a second,
FAULT_PPS=2000   # time enough to break the target in the middle of it
FAULT_MTU=1280   # the lowest IPv6 allows; frames of FAULT_SIZE exceed it
FAULT_SIZE=1300
QFULL_FRAMES=100000 # live frames into a cpumap queue of QFULL_QSIZE
QFULL_QSIZE=8

# Kernel counters a fault may move, as sorted "NAME VALUE" lines: R1's
# SNMP counters, the veth statistics of r1 and rb1, a1's drops, the xdp
# tracepoint events of the routers.
aux_snap() { # TAG
	local ifn
	{
		in_ns "$MX_R1" nstat -az 2>/dev/null |
			awk 'NR > 1 && $1 ~ /^Ip/ { print $1, $2 }'
		for ifn in r1 rb1; do
			in_ns "$MX_R1" ethtool -S "$ifn" 2>/dev/null |
				awk -v i="$ifn" 'NR > 1 { sub(":", "", $1); print i "." $1, $2 }'
		done
		in_ns "$MX_H1" ip -s -j link show a1 |
			jq -r '"a1.tx_dropped \(.[0].stats64.tx.dropped)",
			       "a1.tx_packets \(.[0].stats64.tx.packets)"'
		in_ns "$MX_R1" ip -s -j link show rb1 2>/dev/null |
			jq -r '"rb1.tx_dropped \(.[0].stats64.tx.dropped)"'
		mx_xdp_events
	} | sort >"$TMP/aux.$1"
}

# V[NAME]: every change of the case. xdp.ACTION and cpu.ACTION (R1's r1
# programs), fib.RESULT, probe.IF, recv (b1's udpflood, h1's for tx) and
# the aux names (IpForwDatagrams, r1.rx_queue_0_drops, redirect_err, ...).
declare -A V
collect() {
	local names=(aborted drop pass tx redirect redirect_err malformed)
	local fib=(success blackhole unreachable prohibit not_forwarded
		   forwarding_disabled unsupported_lwt no_neighbour frag_needed
		   no_src_addr)
	local i d
	V=()
	d=($(delta "$(get before xdp_0)" "$(get after xdp_0)"))
	for i in "${!names[@]}"; do V[xdp.${names[$i]}]=${d[$i]:-0}; done
	if [[ -n ${P_CPU[0]} ]]; then
		d=($(delta "$(get before cpu_0)" "$(get after cpu_0)"))
		for i in "${!names[@]}"; do V[cpu.${names[$i]}]=${d[$i]:-0}; done
	fi
	for i in "${!fib[@]}"; do
		[[ -n $(get before "fibr_$i") ]] || continue
		V[fib.${fib[$i]}]=$(($(get after "fibr_$i") - $(get before "fibr_$i")))
	done
	d=($(delta "$(probes before)" "$(probes after)"))
	V[probe.a1]=${d[0]} V[probe.a3]=${d[1]} V[probe.b1]=${d[2]} V[probe.b2]=${d[3]}
	join -a 2 -e 0 -o 0,1.2,2.2 "$TMP/aux.before" "$TMP/aux.after" |
		awk '$3 != $2 { print $1, $3 - $2 }' >"$TMP/aux.delta"
	while read -r i d; do V[$i]=$d; done <"$TMP/aux.delta"
	for i in "${!RECV_NS[@]}"; do
		d=(${RECV_GOT[$i]:-0 0 1 1})
		V[recv.${RECV_NS[$i]#$MX-}]=${d[0]}
		V[dup.${RECV_NS[$i]#$MX-}]=$((d[2] + d[3]))
	done
	# Without a receiver there, what reached b1's interface is its count.
	[[ -n ${V[recv.b1]:-} ]] || V[recv.b1]=${V[probe.b1]}
	MX_TRACED=0
	grep -q '^redirect_err ' "$TMP/aux.before" &&
		grep -q '^redirect_err ' "$TMP/aux.after" && MX_TRACED=1
}

# sum TERMS: the sum of numbers and changes of V names in TERMS, in SUM.
sum() {
	local t
	SUM=0
	for t in $1; do
		if [[ $t =~ ^[0-9]+$ ]]; then
			SUM=$((SUM + t))
		else
			SUM=$((SUM + ${V[$t]:-0}))
		fi
	done
}

# expect WHAT LHS RHS: two sums of V names (or numbers) must be equal.
# A side naming a tracepoint counter is only checked with tracing on.
# The per-bulk xdp events of a session started without --bulk-events
# (someone else's) are not there: the terms that need them are skipped.
bulk_missing() { # WHAT TERMS
	[[ " $2 " =~ \ (devmap_drops|cpumap_enqueue_drops|cpumap_kthread_drops)\  ]] &&
		((!MX_TRACE_BULK)) || return 1
	log "skipped: $1: the running tracing session has no per-bulk xdp events (not started with --bulk-events)"
}

expect() {
	local what=$1 lhs rhs
	bulk_missing "$what ($2 = $3)" "$2 $3" && return 0
	sum "$2"; lhs=$SUM
	sum "$3"; rhs=$SUM
	if [[ " $2 $3 " =~ \ (redirect_err|devmap_drops|cpumap_enqueue_drops|cpumap_kthread_drops)\  ]] &&
		((!MX_TRACED)); then
		log "skipped: $what ($2 = $3): no tracing session ($MX_TRACE_NOTE)"
		return 0
	fi
	check_eq "$what: $2 = $3" "$lhs" "$rhs"
}

# expect_gone WHAT LHS RHS: LHS = RHS + what vanished with a deleted veth
# pair, between 0 and 256 frames (its ring): logged, bounded, not exact.
expect_gone() {
	local what=$1 lhs rhs gone
	bulk_missing "$what ($2 = $3 + gone)" "$2 $3" && return 0
	if [[ " $2 $3 " =~ \ (redirect_err|devmap_drops)\  ]] && ((!MX_TRACED)); then
		log "skipped: $what ($2 = $3 + gone): no tracing session ($MX_TRACE_NOTE)"
		return 0
	fi
	sum "$2"; lhs=$SUM
	sum "$3"; rhs=$SUM
	gone=$((lhs - rhs))
	if ((gone >= 0 && gone <= 256)); then
		log "ok: $what: $2 = $3 + $gone gone with the deleted pair ($lhs = $rhs + $gone)"
	else
		log "FAILED: $what: $2 = $lhs, $3 = $rhs: $gone frames unaccounted"
		return 1
	fi
}

# No receiver saw a duplicate or a corrupted datagram.
expect_intact() {
	local i rc=0
	for i in "${!RECV_NS[@]}"; do
		expect "no dup or corrupt at ${RECV_NS[$i]#$MX-}" \
			"dup.${RECV_NS[$i]#$MX-}" 0 || rc=1
	done
	return $rc
}

# Where the frames of a fault case went, per path and fault.
account() { # PATH FAULT
	local path=$1 fault=$2 rc=0 n=$FLOOD noroute fwd toobig
	if [[ $FAM == 4 ]]; then
		noroute=IpExtInNoRoutes fwd=IpForwDatagrams toobig=IpFragFails
	else
		noroute=Ip6InNoRoutes fwd=Ip6OutForwDatagrams toobig=Ip6InTooBigErrors
	fi
	# Frames the program redirected that b1 did not get: failed
	# redirects (native: the veth counts them as rx drops; generic: the
	# xdp_redirect_err tracepoint only) and ndo_xdp_xmit drops.
	local lost="r1.rx_queue_0_drops devmap_drops rb1.tx_dropped"
	[[ $MODE == generic ]] && lost="redirect_err devmap_drops rb1.tx_dropped"
	# Deleting the pair takes its counters and the frames queued on it:
	# what is left over must fit in a veth ring (VETH_RING_SIZE 256).
	local into=expect
	[[ $fault == deleted ]] && into=expect_gone

	expect_intact || rc=1
	# The fault came once a tenth of the flood had reached the target's
	# probe: the path worked before it broke (half of that at least made
	# it to the socket).
	if [[ $fault == down || $fault == deleted ]]; then
		local first=recv.b1
		[[ $path == tx ]] && first=recv.h1
		if ((${V[$first]:-0} >= FLOOD / 20)); then
			log "ok: the path worked before the fault: $first = ${V[$first]} >= $((FLOOD / 20))"
		else
			log "FAILED: the path did not work before the fault: $first = ${V[$first]:-0}"
			rc=1
		fi
	fi
	case $path-$fault in
	devmap-down | ifindex-down | ifindex-deleted | devmap-mtu | ifindex-mtu)
		expect "every frame redirected" xdp.redirect $n || rc=1
		$into "redirected = delivered + lost" xdp.redirect "recv.b1 $lost" || rc=1
		[[ $MODE == native ]] &&
			{ expect "failed redirects traced" redirect_err r1.rx_queue_0_drops || rc=1; }
		;;
	devmap-deleted)
		# The kernel removes the port: default action pass from then on.
		expect "redirected or passed" "xdp.redirect xdp.pass" $n || rc=1
		expect "passed frames are redirect errors" xdp.pass xdp.redirect_err || rc=1
		$into "redirected = delivered + lost" xdp.redirect "recv.b1 $lost" || rc=1
		;;
	bcast_excl-*)
		# A copy to a port that is down, gone or too small is skipped
		# without a counter; the other ports get every frame.
		expect "every frame broadcast" xdp.redirect $n || rc=1
		expect "h3 and b2 get every copy" "recv.h3 recv.b2" $((2 * n)) || rc=1
		expect "b1 got what its probe saw" recv.b1 probe.b1 || rc=1
		[[ $fault == down ]] &&
			{ expect "b1 got what rb1 transmitted" recv.b1 rb1.tx_queue_0_xdp_xmit || rc=1; }
		[[ $fault == mtu ]] && { expect "nothing fits b1" recv.b1 0 || rc=1; }
		;;
	cpumap_redirect-qfull | cpumap_pass-qfull)
		expect "frames r1 got = frames gen sent" "xdp.redirect xdp.redirect_err" gen.sent || rc=1
		expect "queued to the CPU = run there + queue overruns" \
			xdp.redirect "cpu.pass cpu.redirect cpu.drop cpumap_enqueue_drops" || rc=1
		if [[ $path == cpumap_redirect ]]; then
			expect "second stage = at b1 + lost" cpu.redirect \
				"probe.b1 redirect_err devmap_drops" || rc=1
		fi
		;;
	cpumap_redirect-*)
		expect "every frame to the CPU" xdp.redirect $n || rc=1
		expect "second stage redirected or passed" "cpu.redirect cpu.pass" $n || rc=1
		expect "second stage passed = its redirect errors" cpu.pass cpu.redirect_err || rc=1
		$into "second stage = delivered + failed redirects" cpu.redirect \
			"recv.b1 redirect_err devmap_drops" || rc=1
		;;
	cpumap_pass-down)
		expect "every frame to the CPU" xdp.redirect $n || rc=1
		expect "passed to the stack" cpu.pass $n || rc=1
		expect "stack: forwarded + no route" cpu.pass "$fwd $noroute" || rc=1
		expect "forwarded = delivered + dropped by rb1" $fwd "recv.b1 rb1.tx_dropped" || rc=1
		;;
	cpumap_pass-mtu)
		expect "passed to the stack" cpu.pass $n || rc=1
		expect "stack: too big for rb1" $toobig $n || rc=1
		expect "nothing delivered" recv.b1 0 || rc=1
		;;
	tx-down)
		# r1 down: h1's frames die in a1's transmit, the others bounce.
		# When r1 comes back, a1 regains its carrier and IPv6 resends
		# its MLD report (addrconf_notify -> ipv6_mc_up, "we might have
		# roamed"): r1's program bounces that frame too, and h1's socket
		# never counts it. Such frames are what a1 sent beyond the flood.
		local extra
		sum "a1.tx_packets a1.tx_dropped"; extra=$((SUM - n))
		if ((extra >= 0 && extra <= 2)); then
			log "ok: a1 sent the flood and $extra other frame(s) (MLD reports at carrier up)"
		else
			log "FAILED: a1 sent $SUM frames for a flood of $n"
			rc=1
		fi
		expect "sent = bounced + dropped by a1" "$n $extra" "xdp.tx a1.tx_dropped" || rc=1
		expect "bounced = back at h1 + XDP_TX errors" xdp.tx \
			"recv.h1 r1.rx_queue_0_xdp_tx_errors $extra" || rc=1
		;;
	fwd_rules-down | fwd_rules-mtu)
		expect "every frame redirected" xdp.redirect $n || rc=1
		$into "redirected = delivered + lost" xdp.redirect "recv.b1 $lost" || rc=1
		;;
	fwd_rules-deleted)
		expect "redirected or passed" "xdp.redirect xdp.pass" $n || rc=1
		expect "passed frames are redirect errors" xdp.pass xdp.redirect_err || rc=1
		$into "redirected = delivered + lost" xdp.redirect "recv.b1 $lost" || rc=1
		expect "passed: no route in the stack either" xdp.pass $noroute || rc=1
		;;
	fwd_route-down | fwd_route-deleted)
		local looked="fib.success fib.not_forwarded fib.no_neighbour fib.unreachable fib.frag_needed"
		expect "every frame looked up" "$looked" $n || rc=1
		expect "found = redirected" fib.success xdp.redirect || rc=1
		expect "not found = passed" "xdp.pass" "fib.not_forwarded fib.no_neighbour fib.unreachable fib.frag_needed" || rc=1
		expect "no neighbour = redirect errors" fib.no_neighbour xdp.redirect_err || rc=1
		$into "redirected = delivered + lost" xdp.redirect "recv.b1 $lost" || rc=1
		expect "passed: no route in the stack either" xdp.pass "$noroute" || rc=1
		;;
	fwd_route-mtu)
		expect "every lookup: fragmentation needed" fib.frag_needed $n || rc=1
		expect "passed to the stack" xdp.pass $n || rc=1
		expect "stack: too big for rb1" $toobig $n || rc=1
		expect "nothing delivered" recv.b1 0 || rc=1
		;;
	*)
		log "FAILED: no accounting for $path-$fault"
		rc=1
		;;
	esac
	return $rc
}

# Put the target back as the topology had it: a new pair for a deleted
# one; the MTU; admin down flushed the link's neighbours (permanent ones
# too), and IPv6 routes the kernel may not have brought back.
restore_target() { # FAULT IF
	case $1-$2 in
	deleted-rb1)
		"$PPXDP" -n "$MX_B1" detach b1 >/dev/null 2>&1
		mx_sink_up "$MX_B1" b1 rb1 5 >/dev/null 2>&1
		mx_neigh "$MX_R1" rb1 10.5.0.1 "$MAC_HOST3"
		mx_neigh "$MX_R1" rb1 fd05::1 "$MAC_HOST3"
		;;
	down-rb1)
		in_ns "$MX_R1" ip link set rb1 up
		in_ns "$MX_R1" ip -6 route replace fd05::/64 dev rb1 proto kernel metric 256
		mx_neigh "$MX_R1" rb1 10.5.0.1 "$MAC_HOST3"
		mx_neigh "$MX_R1" rb1 fd05::1 "$MAC_HOST3"
		;;
	down-r1)
		in_ns "$MX_R1" ip link set r1 up
		in_ns "$MX_R1" ip -6 route replace fd01::/64 dev r1 proto kernel metric 256
		mx_neigh "$MX_R1" r1 10.1.0.1 "$MAC_A1"
		mx_neigh "$MX_R1" r1 fd01::1 "$MAC_A1"
		;;
	mtu-rb1)
		in_ns "$MX_R1" ip link set rb1 mtu 1500
		;;
	esac
}

# Wait until a tenth of the flood reached its receiver's probe (or the
# sender is done), then break the target: mid-flow whatever the load.
inject() { # FAULT IF SENDER_PID PROBE_NS PROBE_IF
	local pin i n start
	pin=$(mx_pin "$4" "$5")/fwd_rule_stats
	start=$(mx_probe_read "$pin")
	for i in $(seq 400); do
		kill -0 "$3" 2>/dev/null || break
		n=$(mx_probe_read "$pin")
		((${n:-0} - start >= FLOOD / 10)) && break
		sleep 0.005
	done
	case $1 in
	down) in_ns "$MX_R1" ip link set "$2" down ;;
	deleted) in_ns "$MX_R1" ip link del "$2" ;;
	esac
}

mx_probe_read() {
	bpftool -j map lookup pinned "$1" key 2 0 0 0 2>/dev/null |
		jq '[.formatted.values[].value.packets] | add'
}

# Overrun the cpumap queue with live frames to b1's address.
qfull_flood() {
	local dst=10.5.0.1 fam=--ipv4
	[[ $FAM == 6 ]] && dst=fd05::1 fam=--ipv6
	"$PPXDP" -n "$MX_H1" --json gen a1 $fam --src "$([[ $FAM == 4 ]] && echo 10.1.0.1 || echo fd01::1)" \
		--dst $dst --dport 7999 --count "$QFULL_FRAMES" >"$TMP/gen.json" 2>"$TMP/gen.err"
}

# run_fault NAME PATH FAULT FAMILY MODE: one try; when the machine was so
# busy that the fault came after the flood, once more with a flood four
# times as long.
run_fault() {
	FLOOD=$FAULT_FLOOD
	fault_once "$@"
	local rc=$?
	if ((rc == 3)); then
		log "the fault came after the flood (a busy machine): again, 4 times as long"
		FLOOD=$((FAULT_FLOOD * 4))
		fault_once "$@"
		rc=$?
		((rc == 3)) && log "FAILED: the fault came after the flood again"
	fi
	((rc == 3)) && return 1
	return $rc
}

fault_once() {
	local path=$2 fault=$3 pid target=rb1 rx=b1 i
	FAM=$4 MODE=$5
	reset_case
	[[ $fault == qfull ]] && CPU_QSIZE=$QFULL_QSIZE
	attach_path "$path" fault || return 1
	if [[ $path == tx ]]; then target=r1 rx=a1; fi
	build_plan
	if [[ $path == fwd_route ]]; then
		for i in $(seq 0 9); do
			mx_plan "fibr_$i" ctr "$(mx_pin "$MX_R1" r1)/fwd_fib_stats" "$i"
		done
	fi
	snap before
	aux_snap before
	case $fault in
	down | deleted)
		# Until all arrived, or a second after the last one did.
		start_receivers $((FLOOD / FAULT_PPS + 5)) 1
		MX_PPS=$FAULT_PPS send_flood &
		pid=$!
		inject "$fault" $target $pid \
			"$([[ $rx == a1 ]] && echo "$MX_H1" || echo "$MX_B1")" $rx
		wait $pid
		wait_receivers
		;;
	mtu)
		in_ns "$MX_R1" ip link set rb1 mtu $FAULT_MTU
		# b1 gets nothing (its probe counts what reaches it): no
		# receiver to wait for a timeout there.
		local keep_ns=() keep_want=()
		for i in "${!RECV_NS[@]}"; do
			[[ ${RECV_NS[$i]} == "$MX_B1" ]] && continue
			keep_ns+=("${RECV_NS[$i]}") keep_want+=("${RECV_WANT[$i]}")
		done
		RECV_NS=("${keep_ns[@]}") RECV_WANT=("${keep_want[@]}")
		start_receivers 5
		send_flood $FAULT_SIZE
		wait_receivers
		;;
	qfull)
		RECV_NS=()
		if ! qfull_flood; then
			log "FAILED: ppxdp gen: $(cat "$TMP/gen.err")"
			return 1
		fi
		;;
	esac
	snap_settled after
	aux_snap after
	collect
	[[ $fault == qfull ]] && V[gen.sent]=$(jq .sent "$TMP/gen.json")
	for i in "${!RECV_NS[@]}"; do
		log "receiver ${RECV_NS[$i]#$MX-}: received lost dup corrupt ${RECV_GOT[$i]}"
	done
	log "counters that moved: $(for i in "${!V[@]}"; do
		[[ ${V[$i]} != 0 ]] && echo "$i=${V[$i]}"; done | sort | tr '\n' ' ')"
	local rc=0
	if [[ $fault == down || $fault == deleted ]] &&
		((${V[recv.${rx/a1/h1}]:-0} == FLOOD)); then
		rc=3 # missed: the flood was over before the target broke
	else
		account "$path" "$fault" || rc=1
	fi
	detach_all
	restore_target "$fault" "$target"
	return $rc
}
