# SPDX-License-Identifier: GPL-2.0
# Helpers for the in-guest ppnic tests (sourced by tests/vm/guest.sh).
#
# A test is a function test_NAME listed in ALL_TESTS (PPNIC_TESTS narrows
# the list). It runs in a subshell with errexit set; it passes when it
# returns 0, is skipped when it calls skip "reason", and fails otherwise
# (its output is then shown). Cleanup goes in an EXIT trap in the test.
#
# Under TCG every exec costs about 0.1 s: helpers batch ip commands
# (ip -b) and read all counters of a device with one ethtool call.

SKIP_RC=77
KVER=$(uname -r)
KMOD=$BUILD/kmod/$KVER/ppnic.ko
PFX=pv$$			# names unique to this run
PPXDP=$BUILD/ppxdp
UDPFLOOD=$BUILD/tools/udpflood
PPNL=$BUILD/tools/ppnl
IP_A=10.77.0.1
IP_B=10.77.0.2
MAC_A=02:70:70:00:00:0a
MAC_B=02:70:70:00:00:0b

mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing
mountpoint -q /sys/kernel/debug || mount -t debugfs nodev /sys/kernel/debug
# No IPv6 on links made here (ns_if adds addrgenmode none for the others).
sysctl -qw net.ipv6.conf.default.disable_ipv6=1

skip() {
	echo "$*" >"$TEST_OUT/.skip_reason"
	exit $SKIP_RC
}

fail() {
	echo "error: $*" >&2
	exit 1
}

# expect_eq WHAT GOT WANT
expect_eq() {
	[[ $2 == "$3" ]] || fail "$1: got '$2', want '$3'"
}

kernel_at_least() { # MAJOR MINOR
	local maj min
	IFS=. read -r maj min _ <<<"$KVER"
	((maj > $1 || (maj == $1 && min >= $2)))
}

need() {
	local f
	for f; do
		[[ -x $f ]] || skip "$f not built (make build-tests)"
	done
}

load_ppnic() {
	[[ -d /sys/module/ppnic ]] || insmod "$KMOD"
}

unload_ppnic() {
	if [[ -d /sys/module/ppnic ]]; then
		rmmod ppnic
	fi
}

# Kernel log lines that mean the module misbehaved.
DMESG_BAD='WARNING|BUG|Oops|leak|stalled|page_pool_release_retry|refcount_t|list_del corruption|general protection|unreferenced object|unregister_netdevice: waiting'

dmesg_mark() {
	dmesg | wc -l
}

# dmesg_clean MARK: no bad line logged since MARK.
dmesg_clean() {
	local bad
	bad=$(dmesg | tail -n +"$(($1 + 1))" | grep -E "$DMESG_BAD" || true)
	[[ -z $bad ]] || fail "kernel log: $bad"
}

# pp_pair NS_A NS_B: ppnic pair ${PFX}a (NS_A, IP_A, MAC_A) <->
# ${PFX}b (NS_B, IP_B, MAC_B), up, with static neighbours (no ARP).
pp_pair() {
	local nsa=$1 nsb=$2
	ip link del "${PFX}a" 2>/dev/null || true	# left by a failed test
	ip -b - <<-EOF
		netns add $nsa
		netns add $nsb
		link add ${PFX}a address $MAC_A type ppnic
		link add ${PFX}b address $MAC_B link ${PFX}a type ppnic
		link set ${PFX}a netns $nsa
		link set ${PFX}b netns $nsb
	EOF
	ns_if "$nsa" "${PFX}a" $IP_A $IP_B $MAC_B
	ns_if "$nsb" "${PFX}b" $IP_B $IP_A $MAC_A
}

# ns_if NS DEV IP [PEER_IP PEER_MAC]: address, up, static neighbour, and
# no IPv6 link-local address: no router solicitation, DAD or MLD frames,
# counters see only the test's own.
ns_if() {
	ip -n "$1" -b - <<-EOF
		link set $2 addrgenmode none
		addr add $3/24 dev $2
		link set $2 up
		link set lo up
		${4:+neigh replace $4 lladdr $5 dev $2 nud permanent}
	EOF
}

del_netns() {
	local ns
	for ns; do
		echo "netns del $ns"
	done | ip -force -b - 2>/dev/null
}

# snap NS DEV: read every ethtool -S counter of DEV into SNAP[name].
declare -A SNAP
snap() {
	local name val
	SNAP=()
	while read -r name val; do
		[[ $name == *: ]] && SNAP[${name%:}]=$val
	done < <(ip netns exec "$1" ethtool -S "$2")
	((${#SNAP[@]})) || fail "no ethtool counters on $2"
}

# sv NAME: a counter from the last snap; a Q in NAME sums over queues
# (rxQ_xdp_drop = rx0_xdp_drop + rx1_xdp_drop + ...).
sv() {
	local re=^${1//Q/[0-9]+}\$ k sum=0 n=0
	for k in "${!SNAP[@]}"; do
		if [[ $k =~ $re ]]; then
			sum=$((sum + SNAP[$k]))
			n=$((n + 1))
		fi
	done
	((n)) || fail "no ethtool counter $1"
	echo $sum
}

# st NS DEV NAME: one counter, fresh.
st() {
	snap "$1" "$2"
	sv "$3"
}

# expect_stats NS DEV NAME=WANT...: wait (5 s at most) until the first
# counter reaches its value and stays there (frames may still be in a
# softirq on the other CPU when the sender returns), then check them all
# against one snapshot.
expect_stats() {
	local ns=$1 dev=$2 first=${3%%=*} want=${3#*=} i kv
	shift 2
	for ((i = 0; i < 50; i++)); do
		snap "$ns" "$dev"
		[[ $(sv "$first") == "$want" ]] && break
		sleep 0.1
	done
	sleep 0.1
	snap "$ns" "$dev"
	for kv; do
		expect_eq "$dev ${kv%%=*}" "$(sv "${kv%%=*}")" "${kv#*=}"
	done
}

# flood NS DST N [ARGS]: send N UDP datagrams (64 bytes of payload),
# paced: ppnic, like a NIC, drops when its ring is full, and under TCG a
# receiving vCPU the host preempts can stall for milliseconds.
flood() {
	local ns=$1 dst=$2 n=$3
	shift 3
	ip netns exec "$ns" "$UDPFLOOD" send --dst "$dst" --port 9000 --count "$n" \
		--pps "${FLOOD_PPS:-20000}" "$@" >/dev/null
}

# recv_start NS N: a reader for N datagrams on port 9000, in the background.
recv_start() {
	local out=$TEST_OUT/recv.$$ i
	rm -f "$out"
	ip netns exec "$1" "$UDPFLOOD" recv --port 9000 --count "$2" --timeout 60 >"$out" 2>&1 &
	RECV_PID=$!
	for ((i = 0; i < 100; i++)); do
		grep -q '^ready' "$out" 2>/dev/null && return 0
		sleep 0.1
	done
	fail "udpflood recv did not start: $(cat "$out")"
}

recv_wait() {
	local out=$TEST_OUT/recv.$$
	wait "$RECV_PID" || fail "udpflood recv: $(cat "$out")"
	grep received= "$out"
}

# The ppnic debugfs directory of NS/DEV.
ddir() {
	echo "/sys/kernel/debug/ppnic/$(ip netns exec "$1" ethtool -i "$2" | awk '/^bus-info:/ { print $2 }')"
}

# rq_state DIR Q KEY: a value from DIR/rx<Q>/state.
rq_state() {
	local k v
	while read -r k v; do
		[[ $k == "$3" ]] && echo "$v" && return 0
	done <"$1/rx$2/state"
	fail "no $3 in $1/rx$2/state"
}

# posted DIR Q: empty buffers plus unprocessed frames on the ring.
posted() {
	echo $(($(rq_state "$1" "$2" post) - $(rq_state "$1" "$2" done)))
}

# xdp_count NS DEV ACTION: packets ppxdp's program counted for ACTION.
xdp_count() {
	"$PPXDP" -n "$1" status "$2" --interval 0.01 --json | jq -r ".[0].counters.$3.packets"
}

# expect_xdp NS DEV ACTION WANT: ppxdp's program counted exactly WANT.
expect_xdp() {
	local i got
	for ((i = 0; i < 20; i++)); do
		got=$(xdp_count "$1" "$2" "$3")
		[[ $got == "$4" ]] && break
		sleep 0.1
	done
	expect_eq "$2 program $3" "$got" "$4"
}

run_all_tests() {
	local t rc log start
	for t in ${PPNIC_TESTS:-$ALL_TESTS}; do
		log=$TEST_OUT/test_$t.log
		rm -f "$TEST_OUT/.skip_reason"
		start=$SECONDS
		(set -eE; "test_$t") >"$log" 2>&1
		rc=$?
		echo "--- $t: $((SECONDS - start))s"
		case $rc in
		0) result "PASS: $t" ;;
		"$SKIP_RC") result "SKIP: $t ($(cat "$TEST_OUT/.skip_reason"))" ;;
		*)
			result "FAIL: $t"
			sed 's/^/    /' "$log" | tail -n 40
			;;
		esac
	done
}
