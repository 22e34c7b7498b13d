# SPDX-License-Identifier: GPL-2.0
# Mechanics of the benchmark suite (sourced by tools/bench.sh, and by
# tools/vm/bench.sh for stop_tool, xt_known_failure_line and median): the
# per-scenario topology, attaching the programs, one measured window.
#
# Topology of one scenario, three private network namespaces:
#
#   $NS_G [gen0] ---- [gen1] $NS_D [out0] ---- [out1] $NS_S
#      ppxdp gen          DUT program         sink: ppxdp drop
#
# The second pair only exists for the scenarios that forward (redirect,
# fwd); tx's sink is the drop program on gen0 itself. A veth receives
# ndo_xdp_xmit frames only when its peer has an XDP program, so every
# receiving end has one.

BENCH_PFX=${BENCH_PFX:-pb$$}
MAC_GEN0=02:00:5e:10:00:01
MAC_GEN1=02:00:5e:10:00:02
MAC_OUT0=02:00:5e:10:00:03
MAC_OUT1=02:00:5e:10:00:04
PIN_ROOT=/sys/fs/bpf/ppxdp

in_ns() {
	local ns=$1
	shift
	nsenter --net=/run/netns/"$ns" "$@"
}

ns_ino() { stat -L -c %i /run/netns/"$1"; }

# pin_dir NS IF: where ppxdp pins the program of IF in namespace NS.
pin_dir() { echo "$PIN_ROOT/$2@$(ns_ino "$1")"; }

# stats_map NS IF PROG: the pinned per-CPU counters of PROG on IF.
stats_map() { echo "$(pin_dir "$1" "$2")/$3_stats"; }

# Namespace names of scenario number $1.
topo_names() {
	NS_G=$BENCH_PFX-$1g
	NS_D=$BENCH_PFX-$1d
	NS_S=$BENCH_PFX-$1s
}

ns_add() {
	ip netns add "$1" || return 1
	# No IPv6: router solicitations and MLD reports would reach the
	# counters; no IPv4 forwarding: passed frames die in the stack.
	in_ns "$1" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6 &&
		echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6 &&
		ip link set lo up'
}

# topo_up IDX EGRESS: namespaces and veth pairs of scenario IDX; EGRESS=1
# adds the out0/out1 pair.
topo_up() {
	local idx=$1 egress=$2
	topo_names "$idx"
	topo_down "$idx"
	ns_add "$NS_G" && ns_add "$NS_D" || return 1
	ip link add gen0 netns "$NS_G" address $MAC_GEN0 type veth \
		peer name gen1 netns "$NS_D" address $MAC_GEN1 || return 1
	ip -n "$NS_G" link set gen0 up && ip -n "$NS_D" link set gen1 up || return 1
	((egress)) || return 0
	ns_add "$NS_S" || return 1
	ip link add out0 netns "$NS_D" address $MAC_OUT0 type veth \
		peer name out1 netns "$NS_S" address $MAC_OUT1 || return 1
	ip -n "$NS_D" link set out0 up && ip -n "$NS_S" link set out1 up
}

# Delete the scenario's namespaces, and so its veths and the XDP programs
# on them, then the pins of those programs (their links are defunct by
# then: removing the pins is all `ppxdp detach` would do).
topo_down() {
	local ns d ino
	topo_names "$1"
	for ns in $NS_G $NS_D $NS_S; do
		[[ -e /run/netns/$ns ]] || continue
		ino=$(ns_ino "$ns")
		ip netns del "$ns" 2>/dev/null
		for d in "$PIN_ROOT"/*@"$ino"; do
			[[ -d $d ]] && rm -rf "$d"
		done
	done
	return 0
}

# attach NS IF PROG ARGS...: attach in native mode; on failure print why.
attach() {
	local ns=$1 ifname=$2 out
	shift 2
	if ! out=$("$PPXDP" -n "$ns" attach "$ifname" "$@" --mode native 2>&1); then
		echo "ppxdp attach $ifname $*: $out"
		return 1
	fi
}

# fwd_rules VARIANT FILE: the rules of the fwd scenarios. The generated
# frames are UDP 198.18.0.1:1024 -> 198.18.0.2:9; the last rule forwards
# them out of out0 to the sink.
#
#   N         a routing table: N-1 routes to other /24 prefixes
#             (10.0.0.0/24, 10.0.1.0/24, ...), then the route of the
#             generated frames. The destination trie leaves one candidate
#             rule, found at the end of the bitmap walk.
#   N-worst   the worst case: N-1 rules that every generated frame is a
#             candidate of (their source and destination prefixes contain
#             its addresses) but fails on one more field (protocol, a
#             port range, the destination MAC), then the matching rule: the
#             walk checks every rule.
fwd_rules() {
	local variant=$1 file=$2
	awk -v n="${variant%-worst}" -v worst="$([[ $variant == *-worst ]] && echo 1 || echo 0)" \
		-v mac="$MAC_OUT1" 'BEGIN {
		print "# fwd benchmark rules (tools/bench/lib.sh): " n (worst ? ", worst case" : "")
		print "default drop"
		print "nonip drop"
		print "neigh out0 198.18.0.2 lladdr " mac
		split("198.18.0.0/15 198.18.0.0/16 198.18.0.0/24 198.18.0.2/32", dst, " ")
		for (i = 0; i < n - 1; i++) {
			if (!worst) {
				printf "redirect out0 dst 10.%d.%d.0/24\n", int(i / 256) % 256, i % 256
				continue
			}
			m = "src 198.18.0.0/15 dst " dst[i % 4 + 1]
			k = i % 4
			if (k == 0)
				print "drop proto tcp " m
			else if (k == 1)
				print "drop proto udp dport " 10 + i % 1000 "-65535 " m
			else if (k == 2)
				print "drop proto udp sport " 1025 + i % 1000 "-65535 " m
			else
				print "drop dmac 02:00:5e:10:09:" sprintf("%02x", i % 256) " " m
		}
		print "redirect out0 dst 198.18.0.0/15"
	}' >"$file"
}

# xt_known_failure_line FILE: the line of a Debian xdp-tools 1.3.1 tool's
# output that shows it failing in one of the two ways
# build/tools/xdptools-fix.so mends (tools/bench/xdptools_fix.c); fails
# when there is none. (Also used by tools/vm/bench.sh.)
xt_known_failure_line() {
	grep -m1 -E "Kernel doesn't support live packet mode|failed to find kernel BTF type ID of 'xdp_redirect_map" "$1" |
		sed 's/^ *//; s/^libbpf: //' | grep .
}

# stop_tool PID: SIGINT (how ppxdp gen and xdp-tools expect to be
# stopped), then SIGTERM, then SIGKILL, 0.8 s apart; reaps it and
# returns its exit status.
stop_tool() {
	local pid=$1 sig i
	for sig in INT TERM KILL; do
		kill -s $sig "$pid" 2>/dev/null || break
		for i in $(seq 8); do
			kill -0 "$pid" 2>/dev/null || break 2
			sleep 0.1
		done
	done
	wait "$pid" 2>/dev/null
}

# median of the numbers on stdin (one per line)
median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit 1
		if (NR % 2) print v[(NR + 1) / 2]
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
