# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The redirect-forwarding matrix (tests/matrix/run.sh): topologies, the
# programs of each forwarding path, counters and floods. See docs/matrix.md.
#
#   2 hops:  h1 [a1]--[r1] R1 [r3]--[a3] h3
#   3 hops:  h1 [a1]--[r1] R1 [r2]--[s1] R2 [s3]--[a3] h3
#   both:    R1 [rb1]--[b1] b1    R1 [rb2]--[b2] b2      (broadcast and
#            fault targets)
#
# Every namespace name carries MX_PREFIX and the PID. Addresses: the hosts
# share one L2 subnet across the wire paths (h1 10.9.0.1, fd09::1; h3, b1
# and b2 all 10.9.0.3, fd09::3 with the same MAC, on separate segments) and
# have routed subnets for the L3 paths (10.1.0.0/24 a1-r1, 10.2.0.0/24
# r2-s1, 10.3.0.0/24 s3/r3-a3, 10.5.0.0/24 rb1-b1, 10.6.0.0/24 rb2-b2, and
# fdNN::/64 alike). h1 also owns 10.9.0.3 and fd09::3 for frames coming
# back (XDP_TX hairpin): policy routing sends its own traffic for them out
# of a1 and delivers what arrives locally. Neighbours are static
# everywhere, IPv6 has no DAD, router solicitations or link-local
# addresses, so the links carry nothing but the floods.
#
# Every endpoint (a1, a3, b1, b2) runs a probe: the fwd program with
# probe.rules, whose rule 2 counts the flood datagrams (UDP ports
# 7000-7999) that reach the interface, whatever the stack does with them
# next, and whose rules 0 and 1 drop ICMP errors coming back, so that no
# sender learns a path MTU mid-run.

. "$(dirname "${BASH_SOURCE[0]}")/../../tools/topology.sh"

MX=${MX_PREFIX:-ppxm}$$
MX_H1=$MX-h1
MX_R1=$MX-r1
MX_R2=$MX-r2
MX_H3=$MX-h3
MX_B1=$MX-b1
MX_B2=$MX-b2
MX_ALL_NS="$MX_H1 $MX_R1 $MX_R2 $MX_H3 $MX_B1 $MX_B2"

MAC_R2=02:00:00:00:02:01
MAC_S1=02:00:00:00:02:02
MAC_RB1=02:00:00:00:05:fe
MAC_RB2=02:00:00:00:06:fe
MAC_HOST3=$MAC_A3 # a3, b1, b2: one identity on three segments

MX_HOPS=0       # hops of the topology that is up (0: none)
MX_PORTS=7000-7999
MX_FLOOD=${MX_FLOOD:-2000}   # datagrams per case
MX_SIZE=${MX_SIZE:-512}      # UDP payload bytes
MX_CPU=${MX_CPU:-1}          # cpumap target CPU
MX_PPS=${MX_PPS:-100000}

mx_ns_add() {
	local ns=$1
	ip netns add "$ns" || return 1
	in_ns "$ns" ip link set lo up
	in_ns "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.router_solicitations=0 \
		net.ipv6.conf.default.router_solicitations=0 \
		net.ipv6.conf.default.addr_gen_mode=1 \
		net.ipv6.conf.all.keep_addr_on_down=1 \
		net.ipv6.conf.default.keep_addr_on_down=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
}

# mx_link NS1 IF1 MAC1 NS2 IF2 MAC2: a veth pair, up, GRO on (NAPI for
# native redirects into it), TX checksum offload off (a redirected frame
# loses CHECKSUM_PARTIAL and the receiver would drop it).
mx_link() {
	ip link add "$2" netns "$1" address "$3" type veth \
		peer name "$5" netns "$4" address "$6" || return 1
	in_ns "$1" ip link set "$2" up
	in_ns "$4" ip link set "$5" up
	in_ns "$1" ethtool -K "$2" gro on tx off >/dev/null
	in_ns "$4" ethtool -K "$5" gro on tx off >/dev/null
}

mx_addr() { # NS IF ADDR4/LEN ADDR6/LEN
	in_ns "$1" ip addr add "$3" dev "$2"
	in_ns "$1" ip -6 addr add "$4" dev "$2" nodad
}

mx_neigh() { # NS IF ADDR MAC
	in_ns "$1" ip neigh replace "$3" lladdr "$4" dev "$2" nud permanent
}

# Static neighbours and routes of everything; re-run after a link went
# down (admin down flushes even permanent neighbours).
mx_l3_config() {
	local next nextmac
	mx_neigh "$MX_H1" a1 10.9.0.3 "$MAC_HOST3"
	mx_neigh "$MX_H1" a1 fd09::3 "$MAC_HOST3"
	mx_neigh "$MX_H1" a1 10.1.0.254 "$MAC_R1"
	mx_neigh "$MX_H1" a1 fd01::fe "$MAC_R1"
	in_ns "$MX_H1" ip route replace 10.0.0.0/12 via 10.1.0.254
	in_ns "$MX_H1" ip -6 route replace fd00::/12 via fd01::fe

	mx_neigh "$MX_R1" r1 10.1.0.1 "$MAC_A1"
	mx_neigh "$MX_R1" r1 fd01::1 "$MAC_A1"
	mx_neigh "$MX_R1" rb1 10.5.0.1 "$MAC_HOST3"
	mx_neigh "$MX_R1" rb1 fd05::1 "$MAC_HOST3"
	mx_neigh "$MX_R1" rb2 10.6.0.1 "$MAC_HOST3"
	mx_neigh "$MX_R1" rb2 fd06::1 "$MAC_HOST3"
	if ((MX_HOPS == 2)); then
		mx_neigh "$MX_R1" r3 10.3.0.1 "$MAC_HOST3"
		mx_neigh "$MX_R1" r3 fd03::1 "$MAC_HOST3"
		next=10.3.0.254 nextmac=$MAC_R3
	else
		mx_neigh "$MX_R1" r2 10.2.0.2 "$MAC_S1"
		mx_neigh "$MX_R1" r2 fd02::2 "$MAC_S1"
		in_ns "$MX_R1" ip route replace 10.3.0.0/24 via 10.2.0.2
		in_ns "$MX_R1" ip -6 route replace fd03::/64 via fd02::2
		mx_neigh "$MX_R2" s1 10.2.0.1 "$MAC_R2"
		mx_neigh "$MX_R2" s1 fd02::1 "$MAC_R2"
		mx_neigh "$MX_R2" s3 10.3.0.1 "$MAC_HOST3"
		mx_neigh "$MX_R2" s3 fd03::1 "$MAC_HOST3"
		in_ns "$MX_R2" ip route replace 10.1.0.0/24 via 10.2.0.1
		in_ns "$MX_R2" ip -6 route replace fd01::/64 via fd02::1
		next=10.3.0.254 nextmac=$MAC_R3
	fi
	mx_neigh "$MX_H3" a3 $next "$nextmac"
	mx_neigh "$MX_H3" a3 fd03::fe "$nextmac"
	in_ns "$MX_H3" ip route replace default via $next
	in_ns "$MX_H3" ip -6 route replace default via fd03::fe
}

# mx_sink_up NS IF RIF SUBNET: sink namespace NS on R1's port RIF, with the
# h3 identity (10.9.0.3, fd09::3, MAC_HOST3) and 10.SUBNET.0.1/24.
mx_sink_up() {
	local ns=$1 ifn=$2 rif=$3 n=$4 mac
	mac=$([[ $rif == rb1 ]] && echo "$MAC_RB1" || echo "$MAC_RB2")
	mx_link "$MX_R1" "$rif" "$mac" "$ns" "$ifn" "$MAC_HOST3" || return 1
	mx_addr "$MX_R1" "$rif" 10.$n.0.254/24 fd0$n::fe/64
	mx_addr "$ns" "$ifn" 10.9.0.3/24 fd09::3/64
	mx_addr "$ns" "$ifn" 10.$n.0.1/24 fd0$n::1/64
	mx_neigh "$ns" "$ifn" 10.$n.0.254 "$mac"
	mx_neigh "$ns" "$ifn" fd0$n::fe "$mac"
	in_ns "$ns" ip route replace 10.1.0.0/24 via 10.$n.0.254
	mx_probe_attach "$ns" "$ifn"
}

mx_probe_rules() {
	cat >"$TMP/probe.rules" <<EOF
# matrix probe: count the floods, drop ICMP errors coming back
default pass
nonip pass
drop proto icmp
drop proto icmpv6
pass proto udp dport $MX_PORTS
EOF
}

mx_probe_attach() { # NS IF
	"$PPXDP" -n "$1" attach "$2" fwd --rules "$TMP/probe.rules" \
		--mode native >/dev/null
}

# mx_topo_up HOPS
mx_topo_up() {
	local ns
	MX_HOPS=$1
	mx_probe_rules
	for ns in $MX_H1 $MX_R1 $MX_H3 $MX_B1 $MX_B2; do
		mx_ns_add "$ns" || return 1
	done
	((MX_HOPS == 2)) || mx_ns_add "$MX_R2" || return 1
	# Routers forward all along: route lookups need it, and toggling
	# IPv6 forwarding would send MLD reports (all-routers groups) mid-run.
	for ns in $MX_R1 $MX_R2; do
		[[ -e /run/netns/$ns ]] || continue
		in_ns "$ns" sysctl -qw net.ipv4.ip_forward=1 \
			net.ipv6.conf.all.forwarding=1
	done

	mx_link "$MX_H1" a1 "$MAC_A1" "$MX_R1" r1 "$MAC_R1" || return 1
	mx_addr "$MX_H1" a1 10.9.0.1/24 fd09::1/64
	mx_addr "$MX_H1" a1 10.1.0.1/24 fd01::1/64
	mx_addr "$MX_R1" r1 10.1.0.254/24 fd01::fe/64
	if ((MX_HOPS == 2)); then
		mx_link "$MX_R1" r3 "$MAC_R3" "$MX_H3" a3 "$MAC_HOST3" || return 1
		mx_addr "$MX_R1" r3 10.3.0.254/24 fd03::fe/64
	else
		mx_link "$MX_R1" r2 "$MAC_R2" "$MX_R2" s1 "$MAC_S1" || return 1
		mx_link "$MX_R2" s3 "$MAC_R3" "$MX_H3" a3 "$MAC_HOST3" || return 1
		mx_addr "$MX_R1" r2 10.2.0.1/24 fd02::1/64
		mx_addr "$MX_R2" s1 10.2.0.2/24 fd02::2/64
		mx_addr "$MX_R2" s3 10.3.0.254/24 fd03::fe/64
	fi
	mx_addr "$MX_H3" a3 10.9.0.3/24 fd09::3/64
	mx_addr "$MX_H3" a3 10.3.0.1/24 fd03::1/64

	# h1 sends to its own 10.9.0.3 and fd09::3 out of a1 and takes
	# back what returns: local table after a rule for its own traffic.
	in_ns "$MX_H1" ip addr add 10.9.0.3/32 dev lo
	in_ns "$MX_H1" ip -6 addr add fd09::3/128 dev lo nodad
	local f
	for f in -4 -6; do
		in_ns "$MX_H1" ip $f rule add pref 100 table local
		in_ns "$MX_H1" ip $f rule del pref 0
	done
	in_ns "$MX_H1" ip -4 rule add pref 10 iif lo to 10.9.0.3 table 100
	in_ns "$MX_H1" ip -6 rule add pref 10 iif lo to fd09::3 table 100
	in_ns "$MX_H1" ip route add 10.9.0.3/32 dev a1 table 100
	in_ns "$MX_H1" ip -6 route add fd09::3/128 dev a1 table 100
	in_ns "$MX_H1" sysctl -qw net.ipv4.conf.a1.accept_local=1 \
		net.ipv4.conf.a1.rp_filter=0

	mx_sink_up "$MX_B1" b1 rb1 5 || return 1
	mx_sink_up "$MX_B2" b2 rb2 6 || return 1
	mx_l3_config
	mx_probe_attach "$MX_H1" a1 || return 1
	mx_probe_attach "$MX_H3" a3 || return 1
}

# Detach everything ppxdp attached in our namespaces, delete them.
mx_topo_down() {
	local ns
	for ns in $MX_ALL_NS; do
		ns_detach_all "$ns"
	done
	for ns in $MX_ALL_NS; do
		[[ -e /run/netns/$ns ]] && ip netns del "$ns"
	done
	# Pins of links whose namespace vanished under us (a crash).
	for d in "${MX_INOS[@]}"; do
		for d in "$PIN_ROOT"/*@"$d"; do
			[[ -d $d ]] && "$PPXDP" detach "$(basename "$d")" >/dev/null 2>&1
		done
	done
	MX_HOPS=0
	MX_INO=()
}

# Detach whatever a case left on the routers (it failed half-way).
mx_routers_clean() {
	local ns d
	for ns in $MX_R1 $MX_R2; do
		[[ -e /run/netns/$ns ]] || continue
		for d in "$PIN_ROOT"/*@"$(ns_ino "$ns")"; do
			[[ -d $d ]] || continue
			"$PPXDP" -n "$ns" detach "$(basename "${d%@*}")" \
				>/dev/null 2>&1 || rm -rf "$d"
		done
	done
}

# Inodes of the namespaces of the current topology (for pool attribution).
mx_inos() {
	local ns ino
	MX_INOS=()
	MX_INO_NAMES={}
	for ns in $MX_ALL_NS; do
		[[ -e /run/netns/$ns ]] || continue
		ino=$(ns_ino "$ns")
		MX_INOS+=("$ino")
		MX_INO_NAMES=$(jq -c --arg i "$ino" --arg n "${ns#$MX-}" '. + {($i): $n}' <<<"$MX_INO_NAMES")
	done
}

# --- counters -----------------------------------------------------------
#
# A snapshot is one `bpftool batch` over the pinned maps of every counter
# a case looks at, so that reading them all costs one process. The plan
# lists what to read: mx_plan LABEL KIND PIN_FILE [KEY], KIND one of
#   stats  a struct ppxdp_xdp_stats map: 7 packet counts
#   ctr    entry KEY of a per-CPU struct ppxdp_ctr map: its packet count

declare -A MX_INO

mx_pin() { # NS IF: the pin directory of IF in NS
	[[ -n ${MX_INO[$1]:-} ]] || MX_INO[$1]=$(ns_ino "$1")
	echo "$PIN_ROOT/$2@${MX_INO[$1]}"
}

mx_plan_reset() {
	: >"$TMP/plan.batch"
	: >"$TMP/plan.labels"
}

mx_plan() {
	local key
	case $2 in
	stats) echo "map dump pinned $3" >>"$TMP/plan.batch" ;;
	ctr)
		key=$4
		printf 'map lookup pinned %s key %d %d %d %d\n' "$3" \
			$((key & 255)) $((key >> 8 & 255)) $((key >> 16 & 255)) \
			$((key >> 24)) >>"$TMP/plan.batch"
		;;
	esac
	echo "$1 $2" >>"$TMP/plan.labels"
}

# mx_snap: "LABEL VALUE..." lines for the plan, in plan order.
mx_snap() {
	local plan
	plan=$(jq -Rsc 'split("\n") | map(select(length > 0) | split(" ") |
		{label: .[0], kind: .[1]})' "$TMP/plan.labels")
	bpftool -j batch file "$TMP/plan.batch" 2>/dev/null | jq -r --argjson plan "$plan" '
		def stats: [.[0].formatted.values[].value] as $v |
			["aborted","drop","pass","tx","redirect","redirect_err",
			 "malformed"] | map(. as $k | [$v[][$k].packets] | add) |
			map(tostring) | join(" ");
		def ctr: [.formatted.values[].value.packets] | add | tostring;
		to_entries[] | $plan[.key] as $p |
		"\($p.label) " + (if $p.kind == "stats" then (.value.output | stats)
				  else (.value.output | ctr) end)'
}

# The kernel's XDP events in R1 and R2 from the trace session, summed over
# CPUs, as "NAME VALUE" lines: redirect_err (frames whose redirect failed,
# xdp_redirect_err), devmap_drops (xdp_devmap_xmit), cpumap_enqueue_drops
# and cpumap_kthread_drops (not per namespace: the cpumap tracepoints carry
# no device). Nothing when no tracing session runs.
mx_xdp_events() {
	local m=/sys/fs/bpf/ppxdp/trace/xdp_events inos ns
	[[ -e $m ]] || return 0
	inos=$(for ns in $MX_R1 $MX_R2; do
		[[ -e /run/netns/$ns ]] && ns_ino "$ns"
	done | jq -sc .)
	bpftool -j map dump pinned "$m" 2>/dev/null | jq -r --argjson inos "$inos" '
		map(.formatted // .) |
		def s(t; f): map(select(.key.type == t and
			(t >= 4 or (.key.netns_ino as $n | $inos | index($n)))) |
			[.values[].value[f]] | add) | add // 0;
		"redirect_err \(s(2; "frames"))",
		"devmap_drops \(s(3; "drops"))",
		"cpumap_enqueue_drops \(s(4; "drops"))",
		"cpumap_kthread_drops \(s(5; "drops"))"'
}

# --- trace and pools ----------------------------------------------------

# One datagram over loopback from every CPU: each CPU runs net_rx_action,
# which frees the skbs deferred to it (skb_attempt_defer_free()).
mx_flush_deferred() {
	local cpu
	for cpu in $(seq 0 $(($(nproc --all) - 1))); do
		taskset -c "$cpu" "$UDPFLOOD" send --dst 127.0.0.1 --port 9 \
			--count 1 >/dev/null 2>&1
	done
}

# A tracing session for the pools and xdp tracepoint checks: the running
# one, or one of our own (stopped at the end). Called before each
# topology, so that a session somebody else stopped is replaced.
MX_TRACE_OURS=0
MX_TRACE_NOTE="not started"
MX_TRACE_BULK=1 # the session has the per-bulk xdp events (--bulk-events)
mx_trace_begin() {
	if [[ -d /sys/fs/bpf/ppxdp/trace ]]; then
		[[ $("$PPXDP" -j trace status | jq -r '.sources.xdp_devmap_xmit') != off ]]
		MX_TRACE_BULK=$((!$?))
		return 0
	fi
	MX_TRACE_BULK=1
	if "$PPXDP" trace start --bulk-events >"$TMP/trace.log" 2>&1; then
		MX_TRACE_OURS=1
	else
		MX_TRACE_NOTE="ppxdp trace start failed: $(head -1 "$TMP/trace.log")"
	fi
}

mx_trace_end() {
	((MX_TRACE_OURS)) && "$PPXDP" trace stop >/dev/null 2>&1
	MX_TRACE_OURS=0
}

# Pool records (live and gone) as JSON lines {pool,last_ns,netns_ino,
# hold,release,flags}.
mx_pools_dump() {
	local m
	for m in pools gone_pools; do
		bpftool -j map dump pinned /sys/fs/bpf/ppxdp/trace/$m 2>/dev/null |
			jq -c --arg m "$m" '.[] | (.formatted.value // .value) |
				{pool, last_ns, first_ns, netns_ino, ifindex, hold,
				 release, flags, map: $m}'
	done
}
