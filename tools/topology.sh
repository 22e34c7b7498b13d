# SPDX-License-Identifier: GPL-2.0
# The three-namespace topology used by the tests and by `make demo`:
#
#   ns1 [a1] ---- [r1] router [r3] ---- [a3] ns3
#
# with fixed MAC addresses so rules files and static neighbours can name
# them, IPv4 10.1.0.0/24 and 10.3.0.0/24 (router .254, hosts .1), and
# IPv6 fd01::/64 and fd03::/64 when TOPO_IPV6=1. Namespace names carry TOPO_PREFIX and the
# PID so two runs never collide. Source it; call topo_up / topo_down.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
PPXDP=$BUILD/ppxdp
UDPFLOOD=$BUILD/tools/udpflood
XDP_OBJ=$BUILD/xdp-progs
PIN_ROOT=/sys/fs/bpf/ppxdp
TMP=$(mktemp -d /tmp/ppxdp-test.XXXXXX)

TOPO_PREFIX=${TOPO_PREFIX:-ppxt}
NS1=$TOPO_PREFIX$$-1
NSR=$TOPO_PREFIX$$-r
NS3=$TOPO_PREFIX$$-3
MAC_A1=02:00:00:00:01:01
MAC_R1=02:00:00:00:01:fe
MAC_A3=02:00:00:00:03:01
MAC_R3=02:00:00:00:03:fe


# Run in a namespace's network stack only (keeps the host's bpffs, unlike
# `ip netns exec`; see ENVIRONMENT.md).
in_ns() {
	local ns=$1
	shift
	nsenter --net=/run/netns/"$ns" "$@"
}

ns_ino() { stat -L -c %i /run/netns/"$1"; }

ensure_mounts() {
	mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
}

topo_up() {
	local ns
	for ns in $NS1 $NSR $NS3; do
		ip netns add "$ns" || return 1
		in_ns "$ns" ip link set lo up
		# IPv6 sends MLD reports on its own schedule: keep it off unless
		# asked for, so that per-packet counters are exact.
		if [[ ${TOPO_IPV6:-0} == 0 ]]; then
			in_ns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
				net.ipv6.conf.default.disable_ipv6=1
		fi
		in_ns "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.all.router_solicitations=0 \
			net.ipv6.conf.default.router_solicitations=0
	done
	ip link add a1 netns "$NS1" address $MAC_A1 type veth \
		peer name r1 netns "$NSR" address $MAC_R1 || return 1
	ip link add a3 netns "$NS3" address $MAC_A3 type veth \
		peer name r3 netns "$NSR" address $MAC_R3 || return 1

	in_ns "$NS1" ip addr add 10.1.0.1/24 dev a1
	in_ns "$NS3" ip addr add 10.3.0.1/24 dev a3
	in_ns "$NSR" ip addr add 10.1.0.254/24 dev r1
	in_ns "$NSR" ip addr add 10.3.0.254/24 dev r3
	in_ns "$NS1" ip link set a1 up
	in_ns "$NS3" ip link set a3 up
	in_ns "$NSR" ip link set r1 up
	in_ns "$NSR" ip link set r3 up
	in_ns "$NS1" ip route add default via 10.1.0.254
	in_ns "$NS3" ip route add default via 10.3.0.254
	# Static neighbours: no ARP/ND during counted floods.
	in_ns "$NS1" ip neigh replace 10.1.0.254 lladdr $MAC_R1 dev a1 nud permanent
	in_ns "$NS3" ip neigh replace 10.3.0.254 lladdr $MAC_R3 dev a3 nud permanent
	in_ns "$NSR" ip neigh replace 10.1.0.1 lladdr $MAC_A1 dev r1 nud permanent
	in_ns "$NSR" ip neigh replace 10.3.0.1 lladdr $MAC_A3 dev r3 nud permanent
	[[ ${TOPO_IPV6:-0} == 0 ]] || topo_ipv6_up
	# The end hosts must accept frames redirected into their veth: that
	# needs NAPI on the receiving side, which GRO enables.
	in_ns "$NS1" ethtool -K a1 gro on >/dev/null
	in_ns "$NS3" ethtool -K a3 gro on >/dev/null
	in_ns "$NSR" ethtool -K r1 gro on >/dev/null
	in_ns "$NSR" ethtool -K r3 gro on >/dev/null
	# Frames that leave a veth with CHECKSUM_PARTIAL lose their checksum
	# state when XDP turns them into xdp_frames and redirects them: the
	# receiver then drops UDP/TCP for a bad checksum. Compute checksums in
	# software on every veth end.
	in_ns "$NS1" ethtool -K a1 tx off >/dev/null
	in_ns "$NS3" ethtool -K a3 tx off >/dev/null
	in_ns "$NSR" ethtool -K r1 tx off >/dev/null
	in_ns "$NSR" ethtool -K r3 tx off >/dev/null
}

topo_ipv6_up() {
	in_ns "$NS1" ip -6 addr add fd01::1/64 dev a1 nodad
	in_ns "$NS3" ip -6 addr add fd03::1/64 dev a3 nodad
	in_ns "$NSR" ip -6 addr add fd01::fe/64 dev r1 nodad
	in_ns "$NSR" ip -6 addr add fd03::fe/64 dev r3 nodad
	in_ns "$NS1" ip -6 route add default via fd01::fe
	in_ns "$NS3" ip -6 route add default via fd03::fe
	in_ns "$NS1" ip -6 neigh replace fd01::fe lladdr $MAC_R1 dev a1 nud permanent
	in_ns "$NS3" ip -6 neigh replace fd03::fe lladdr $MAC_R3 dev a3 nud permanent
	in_ns "$NSR" ip -6 neigh replace fd01::1 lladdr $MAC_A1 dev r1 nud permanent
	in_ns "$NSR" ip -6 neigh replace fd03::1 lladdr $MAC_A3 dev r3 nud permanent
}

# ns_detach_all NS: detach every program ppxdp pinned for NS (its pin
# directories IF@INO), removing the pins of those it cannot detach.
ns_detach_all() {
	local ino d
	[[ -e /run/netns/$1 ]] || return 0
	ino=$(ns_ino "$1")
	for d in "$PIN_ROOT"/*@"$ino"; do
		[[ -d $d ]] || continue
		"$PPXDP" -n "$1" detach "$(basename "${d%@*}")" \
			>/dev/null 2>&1 || rm -rf "$d"
	done
}

# Detach whatever the test left and delete the namespaces and their pins.
topo_down() {
	local ns
	for ns in $NS1 $NSR $NS3; do
		[[ -e /run/netns/$ns ]] || continue
		ns_detach_all "$ns"
		ip netns del "$ns"
	done
}

cleanup_all() {
	topo_down
	rm -rf "$TMP"
}

router_rules() {
	# The demo's rule set, with this run's interface names.
	cat >"$TMP/router.rules" <<EOF
# ppxdp fwd rules for the test router
default pass
nonip pass
neigh r1 10.1.0.1 lladdr $MAC_A1
neigh r3 10.3.0.1 lladdr $MAC_A3
neigh r1 fd01::1 lladdr $MAC_A1
neigh r3 fd03::1 lladdr $MAC_A3
drop proto udp dport 9999
redirect r3 dst 10.3.0.0/24
redirect r1 dst 10.1.0.0/24
redirect r3 dst fd03::/64
redirect r1 dst fd01::/64
EOF
	echo "$TMP/router.rules"
}

log() { echo "    $*"; }

# check WHAT CMD...: run CMD, log ok/FAILED; check_eq WHAT GOT WANT.
check() {
	local what=$1
	shift
	if "$@"; then
		log "ok: $what"
	else
		log "FAILED: $what"
		return 1
	fi
}

check_eq() {
	local what=$1 got=$2 want=$3
	if [[ "$got" == "$want" ]]; then
		log "ok: $what = $want"
	else
		log "FAILED: $what: got '$got', want '$want'"
		return 1
	fi
}

# stat_field NS IF ACTION FIELD: one summed counter from `ppxdp status --json`.
stat_field() {
	"$PPXDP" -n "$1" status "$2" --json |
		jq -er --arg a "$3" --arg f "$4" '.[0].counters[$a][$f]'
}

# udp_flood SRCNS DSTNS DSTIP PORT COUNT [SIZE]: prints the receiver's line;
# returns the receiver's verdict.
udp_flood() {
	local src=$1 dst=$2 ip=$3 port=$4 count=$5 size=${6:-200}
	local out=$TMP/recv.$port

	in_ns "$dst" "$UDPFLOOD" recv --port "$port" --count "$count" \
		--timeout 10 >"$out" 2>&1 &
	local rpid=$!
	local i
	for i in $(seq 50); do
		grep -q ready "$out" 2>/dev/null && break
		sleep 0.05
	done
	in_ns "$src" "$UDPFLOOD" send --dst "$ip" --port "$port" \
		--count "$count" --size "$size" --pps 100000 >/dev/null
	wait $rpid
	local rc=$?
	grep received "$out"
	return $rc
}

