# SPDX-License-Identifier: GPL-2.0
# ppnic module tests, run inside a guest by tests/vm/guest.sh (see lib.sh
# for the conventions). Traffic: ${PFX}a in netns ${PFX}A (10.77.0.1) and
# ${PFX}b in ${PFX}B (10.77.0.2), static neighbours, no IPv6, so that
# every counter can be checked for an exact value.

ALL_TESTS="
	boot
	load_unload
	pair_lifecycle
	pair_errors
	ping
	udp_counters
	channels
	xdp_features
	xdp_drop_recycle
	xdp_pass_ring
	xdp_tx
	xdp_generic
	redirect_ppnic_to_veth
	redirect_veth_to_ppnic
	redirect_ppnic_to_ppnic
	refill_paused
	fail_alloc
	pp_hold
	netlink_pools
	tracepoints
	stats_agree
	unload_busy
"

NSA=${PFX}A
NSB=${PFX}B
NSC=${PFX}C
# 106-byte UDP frames: 14 Ethernet + 20 IPv4 + 8 UDP + 64 payload.
UDP_FRAME=106

test_boot() {
	expect_eq "kernel" "$(uname -r)" "$PPXDP_VM"
	[[ -f $KMOD ]] || fail "no $KMOD: make kmod KVER=$KVER"
}

test_load_unload() {
	local mark i
	mark=$(dmesg_mark)
	unload_ppnic
	for ((i = 0; i < 10; i++)); do
		insmod "$KMOD"
		ip -b - <<-EOF
			link add ${PFX}x type ppnic
			link add ${PFX}y link ${PFX}x type ppnic
			link set ${PFX}x up
		EOF
		rmmod ppnic
		[[ ! -d /sys/module/ppnic ]] || fail "module still loaded after rmmod $i"
		[[ ! -e /sys/class/net/${PFX}x ]] || fail "${PFX}x survived rmmod"
	done
	dmesg_clean "$mark"
}

test_pair_lifecycle() {
	local a=${PFX}a b=${PFX}b c=${PFX}c
	trap "set +e; ip link del $a; ip link del $b; ip link del $c" EXIT
	load_ppnic
	ip link add "$a" type ppnic
	expect_eq "unpaired iflink" "$(</sys/class/net/$a/iflink)" 0
	ip link add "$b" link "$a" type ppnic
	expect_eq "$a peer" "$(</sys/class/net/$a/iflink)" "$(</sys/class/net/$b/ifindex)"
	expect_eq "$b peer" "$(</sys/class/net/$b/iflink)" "$(</sys/class/net/$a/ifindex)"
	expect_eq "driver" "$(ethtool -i "$a" | awk '/^driver:/ { print $2 }')" ppnic

	ip link set "$a" up
	expect_eq "carrier, peer down" "$(</sys/class/net/$a/carrier)" 0
	ip link set "$b" up
	expect_eq "carrier $a, both up" "$(</sys/class/net/$a/carrier)" 1
	expect_eq "carrier $b, both up" "$(</sys/class/net/$b/carrier)" 1

	# Deleting one end leaves the other unpaired and free for a new peer.
	ip link del "$a"
	expect_eq "iflink after peer deleted" "$(</sys/class/net/$b/iflink)" 0
	expect_eq "carrier after peer deleted" "$(</sys/class/net/$b/carrier)" 0
	ip link add "$c" link "$b" type ppnic
	expect_eq "re-paired" "$(</sys/class/net/$c/iflink)" "$(</sys/class/net/$b/ifindex)"
	ip -b - <<-EOF
		link del $b
		link del $c
	EOF
	[[ ! -e /sys/class/net/$c ]] || fail "$c still there"
}

test_pair_errors() {
	local a=${PFX}a b=${PFX}b out
	trap "set +e; ip link del $a; ip link del $b; ip link del ${PFX}v" EXIT
	load_ppnic
	ip -b - <<-EOF
		link add $a type ppnic
		link add $b link $a type ppnic
		link add ${PFX}v type veth peer name ${PFX}w
	EOF
	out=$(ip link add "${PFX}z" link "$a" type ppnic 2>&1) && fail "paired twice"
	[[ $out == *"already has a peer"* ]] || fail "message: $out"
	out=$(ip link add "${PFX}z" link "${PFX}v" type ppnic 2>&1) && fail "paired with veth"
	[[ $out == *"not a ppnic device"* ]] || fail "message: $out"
	out=$(ip link add "${PFX}z" mtu 9000 type ppnic 2>&1) && fail "MTU 9000 accepted"
	[[ $out == *"MTU larger than one RX page"* ]] || fail "message: $out"
	[[ ! -e /sys/class/net/${PFX}z ]] || fail "failed add left ${PFX}z"
}

test_ping() {
	trap "set +e; del_netns $NSA $NSB" EXIT
	load_ppnic
	pp_pair "$NSA" "$NSB"
	ip netns exec "$NSA" ping -q -c 5 -i 0.2 -W 2 $IP_B >/dev/null || fail "ping lost packets"
	# 98-byte frames: 14 Ethernet + 20 IPv4 + 8 ICMP + 56 payload.
	expect_stats "$NSA" "${PFX}a" rxQ_packets=5 txQ_packets=5 rxQ_bytes=$((5 * 98))
	expect_stats "$NSB" "${PFX}b" rxQ_packets=5 txQ_packets=5 rxQ_skb_pages=5
}

test_udp_counters() {
	local n=2000 d
	trap "set +e; del_netns $NSA $NSB" EXIT
	need "$UDPFLOOD"
	load_ppnic
	pp_pair "$NSA" "$NSB"
	recv_start "$NSB" $n
	flood "$NSA" $IP_B $n
	recv_wait
	expect_stats "$NSA" "${PFX}a" txQ_packets=$n txQ_bytes=$((n * UDP_FRAME)) txQ_dropped=0
	expect_stats "$NSB" "${PFX}b" rxQ_packets=$n rxQ_bytes=$((n * UDP_FRAME)) \
		rxQ_dma_packets=$n rxQ_skb_pages=$n rxQ_ring_full=0 rxQ_xdp_pass=0
	expect_eq "ip -s rx" "$(ip -n "$NSB" -j -s link show "${PFX}b" | jq '.[0].stats64.rx.packets')" $n
	# Every buffer NAPI consumed was replaced: the ring is full again.
	d=$(ddir "$NSB" "${PFX}b")
	expect_eq "posted" "$(posted "$d" 0)" 256
}

test_channels() {
	local sport used=0 q c
	trap "set +e; del_netns $NSA $NSB" EXIT
	need "$UDPFLOOD"
	load_ppnic
	pp_pair "$NSA" "$NSB"
	ip netns exec "$NSB" ethtool -L "${PFX}b" combined 4
	expect_eq "combined" "$(ip netns exec "$NSB" ethtool -l "${PFX}b" | awk '/^Combined:/ { v = $2 } END { print v }')" 4
	for sport in 5001 5002 5003 5004 5005 5006 5007 5008; do
		flood "$NSA" $IP_B 50 --sport $sport
	done
	expect_stats "$NSB" "${PFX}b" rxQ_packets=400
	for q in 0 1 2 3; do
		c=$(sv rx${q}_packets)
		# One flow lands on one queue: counts are multiples of 50.
		expect_eq "rx$q flow granularity" $((c % 50)) 0
		((c == 0)) || used=$((used + 1))
	done
	((used > 1)) || fail "8 flows all on one queue"
	c=$(sv rx0_packets)
	ip netns exec "$NSB" ethtool -L "${PFX}b" combined 1
	flood "$NSA" $IP_B 10
	expect_stats "$NSB" "${PFX}b" rx0_packets=$((c + 10))
	expect_eq "counters of 1 queue" "$( (set +o pipefail; ip netns exec "$NSB" ethtool -S "${PFX}b" | grep -c '^ *rx1_'))" 0
}

test_xdp_features() {
	local feat
	trap "set +e; ip link del ${PFX}a" EXIT
	need "$PPNL"
	kernel_at_least 6 3 || skip "xdp_features need 6.3+"
	load_ppnic
	ip link add "${PFX}a" type ppnic
	feat=$("$PPNL" xdp-features "$(</sys/class/net/${PFX}a/ifindex)")
	# NETDEV_XDP_ACT_BASIC | REDIRECT | NDO_XMIT
	expect_eq "xdp-features" "$feat" 0x7
}

test_xdp_drop_recycle() {
	local warm=2000 n=3000 slow0 cached0
	trap "set +e; $PPXDP -n $NSB detach ${PFX}b; del_netns $NSA $NSB" EXIT
	need "$UDPFLOOD" "$PPXDP"
	load_ppnic
	pp_pair "$NSA" "$NSB"
	"$PPXDP" -n "$NSB" attach "${PFX}b" drop --mode native >/dev/null
	flood "$NSA" $IP_B $warm
	expect_stats "$NSB" "${PFX}b" rxQ_xdp_drop=$warm
	slow0=$(sv rxQ_slow_pages)
	cached0=$(sv rxQ_recycle_cached)

	flood "$NSA" $IP_B $n
	# After warm-up the pool never goes back to the page allocator, and
	# every dropped page went straight back into its cache.
	expect_stats "$NSB" "${PFX}b" rxQ_xdp_drop=$((warm + n)) \
		rxQ_slow_pages="$slow0" rxQ_recycle_cached=$((cached0 + n)) \
		rxQ_recycle_ring=0 rxQ_recycle_released=0 rxQ_skb_pages=0
	expect_xdp "$NSB" "${PFX}b" drop $((warm + n))
}

test_xdp_pass_ring() {
	local n=3000 ring rel
	trap "set +e; $PPXDP -n $NSB detach ${PFX}b; del_netns $NSA $NSB" EXIT
	need "$UDPFLOOD" "$PPXDP"
	load_ppnic
	pp_pair "$NSA" "$NSB"
	"$PPXDP" -n "$NSB" attach "${PFX}b" pass --mode native >/dev/null
	recv_start "$NSB" $n
	flood "$NSA" $IP_B $n
	recv_wait
	# The reader frees the skbs in process context: their pages go back
	# through the pool's ptr_ring, never through the driver's direct path.
	expect_stats "$NSB" "${PFX}b" rxQ_xdp_pass=$n rxQ_skb_pages=$n rxQ_recycle_cached=0
	ring=$(sv rxQ_ring_pages)
	rel=$(sv rxQ_pp_release)
	echo "ring_pages=$ring pp_release=$rel"
	# Each page comes back through the ptr_ring, where the refill finds
	# it, or is freed when the ring (256) is full; at most a ring and a
	# cache's worth are still in the pool.
	((ring + rel >= n - 256 - 128)) || fail "$ring through the ring + $rel freed, of $n pages"
	((ring >= 256)) || fail "only $ring pages came back through the ring"
	expect_xdp "$NSB" "${PFX}b" pass $n
}

test_xdp_tx() {
	local n=2000 tx err
	trap "set +e; $PPXDP -n $NSB detach ${PFX}b; del_netns $NSA $NSB" EXIT
	need "$UDPFLOOD" "$PPXDP"
	load_ppnic
	pp_pair "$NSA" "$NSB"
	"$PPXDP" -n "$NSB" attach "${PFX}b" tx --mode native >/dev/null
	flood "$NSA" $IP_B $n
	expect_xdp "$NSB" "${PFX}b" tx $n
	# Every bounced frame is accounted for exactly: a's ring took it, or
	# was full (under TCG a's NAPI can fall behind; the test logs it).
	expect_stats "$NSB" "${PFX}b" rxQ_packets=$n rxQ_recycle_cached=$n
	tx=$(sv rxQ_xdp_tx)
	err=$(sv rxQ_xdp_tx_err)
	echo "xdp_tx=$tx xdp_tx_err=$err"
	expect_eq "xdp_tx + xdp_tx_err" $((tx + err)) $n
	((tx >= n * 9 / 10)) || fail "only $tx of $n frames bounced"
	expect_stats "$NSA" "${PFX}a" rxQ_packets=$tx rxQ_dma_packets=$tx rxQ_ring_full=$err
}

test_xdp_generic() {
	local n=1000
	trap "set +e; $PPXDP -n $NSB detach ${PFX}b; del_netns $NSA $NSB" EXIT
	need "$UDPFLOOD" "$PPXDP"
	load_ppnic
	pp_pair "$NSA" "$NSB"
	"$PPXDP" -n "$NSB" attach "${PFX}b" drop --mode generic >/dev/null
	flood "$NSA" $IP_B $n
	expect_stats "$NSB" "${PFX}b" rxQ_skb_pages=$n rxQ_xdp_drop=0
	expect_xdp "$NSB" "${PFX}b" drop $n
}

# veth_to NS_VETH NS_PEER IP_PEER: veth ${PFX}v (NS_VETH, up, no address)
# <-> ${PFX}w (NS_PEER, IP_PEER).
veth_to() {
	ip -n "$2" link add "${PFX}w" type veth peer name "${PFX}v" netns "$1"
	ip -n "$1" -b - <<-EOF
		link set ${PFX}v addrgenmode none
		link set ${PFX}v up
	EOF
	ns_if "$2" "${PFX}w" "$3"
}

# ${PFX}a (A) -> ${PFX}b (B, redirect) -> ${PFX}v (B) -> ${PFX}w (C, pass)
test_redirect_ppnic_to_veth() {
	local n=2000
	trap "set +e; $PPXDP -n $NSB detach ${PFX}b; $PPXDP -n $NSC detach ${PFX}w; del_netns $NSA $NSB $NSC" EXIT
	need "$UDPFLOOD" "$PPXDP"
	load_ppnic
	pp_pair "$NSA" "$NSB"
	ip netns add "$NSC"
	veth_to "$NSB" "$NSC" 10.77.1.2
	# veth takes redirected frames only with XDP on its peer.
	"$PPXDP" -n "$NSC" attach "${PFX}w" pass --mode native >/dev/null
	"$PPXDP" -n "$NSB" attach "${PFX}b" redirect --to "${PFX}v" --mode native >/dev/null
	flood "$NSA" $IP_B $n
	expect_stats "$NSB" "${PFX}b" rxQ_xdp_redirect=$n rxQ_xdp_redirect_err=0 \
		rxQ_redirect_pages=$n
	expect_xdp "$NSC" "${PFX}w" pass $n
}

# ${PFX}w (C) -> ${PFX}v (B, redirect) -> ${PFX}b ndo_xdp_xmit -> ${PFX}a (A)
test_redirect_veth_to_ppnic() {
	local n=2000 tx err
	trap "set +e; $PPXDP -n $NSB detach ${PFX}v; del_netns $NSA $NSB $NSC" EXIT
	need "$UDPFLOOD" "$PPXDP"
	load_ppnic
	pp_pair "$NSA" "$NSB"
	ip netns add "$NSC"
	veth_to "$NSB" "$NSC" 10.77.1.2
	ip -n "$NSC" neigh replace 10.77.1.1 lladdr 02:00:00:00:00:01 dev "${PFX}w" nud permanent
	"$PPXDP" -n "$NSB" attach "${PFX}v" redirect --to "${PFX}b" --mode native >/dev/null
	# Slower than the default: veth's 256-frame XDP ring overflows when the
	# host preempts the guest's vCPU (seen at 20k pps under host load).
	FLOOD_PPS=5000 flood "$NSC" 10.77.1.1 $n
	expect_xdp "$NSB" "${PFX}v" redirect $n
	# Exact accounting: b sent a frame into a's ring, or found it full.
	snap "$NSB" "${PFX}b"
	tx=$(sv txQ_xdp_xmit)
	err=$(sv txQ_xdp_xmit_err)
	echo "xdp_xmit=$tx xdp_xmit_err=$err"
	expect_eq "xdp_xmit + xdp_xmit_err" $((tx + err)) $n
	((tx >= n * 9 / 10)) || fail "only $tx of $n frames sent"
	expect_stats "$NSB" "${PFX}b" txQ_xdp_frames_returned=$tx txQ_packets=0
	expect_stats "$NSA" "${PFX}a" rxQ_packets=$tx rxQ_bytes=$((tx * UDP_FRAME)) rxQ_ring_full=$err
}

# ${PFX}a (A) -> ${PFX}b (B, redirect) -> ${PFX}c (B) ndo_xdp_xmit -> ${PFX}d (C)
test_redirect_ppnic_to_ppnic() {
	local n=2000 tx err
	trap "set +e; $PPXDP -n $NSB detach ${PFX}b; del_netns $NSA $NSB $NSC" EXIT
	need "$UDPFLOOD" "$PPXDP"
	load_ppnic
	pp_pair "$NSA" "$NSB"
	ip -b - <<-EOF
		netns add $NSC
		link add ${PFX}c type ppnic
		link add ${PFX}d link ${PFX}c type ppnic
		link set ${PFX}c netns $NSB
		link set ${PFX}d netns $NSC
	EOF
	ip -n "$NSB" -b - <<-EOF
		link set ${PFX}c addrgenmode none
		link set ${PFX}c up
	EOF
	ns_if "$NSC" "${PFX}d" 10.77.1.2
	"$PPXDP" -n "$NSB" attach "${PFX}b" redirect --to "${PFX}c" --mode native >/dev/null
	# Slower than the default: b's RX ring filled at 20k pps under host load.
	FLOOD_PPS=5000 flood "$NSA" $IP_B $n
	expect_stats "$NSB" "${PFX}b" rxQ_xdp_redirect=$n rxQ_redirect_pages=$n
	# Exact accounting: c sent a frame into d's ring, or found it full.
	snap "$NSB" "${PFX}c"
	tx=$(sv txQ_xdp_xmit)
	err=$(sv txQ_xdp_xmit_err)
	echo "xdp_xmit=$tx xdp_xmit_err=$err"
	expect_eq "xdp_xmit + xdp_xmit_err" $((tx + err)) $n
	((tx >= n * 9 / 10)) || fail "only $tx of $n frames sent"
	expect_stats "$NSB" "${PFX}c" txQ_xdp_frames_returned=$tx
	expect_stats "$NSC" "${PFX}d" rxQ_packets=$tx rxQ_ring_full=$err
}

test_refill_paused() {
	local d
	trap "set +e; del_netns $NSA $NSB" EXIT
	need "$UDPFLOOD"
	load_ppnic
	pp_pair "$NSA" "$NSB"
	d=$(ddir "$NSB" "${PFX}b")
	echo 1 >"$d/refill_paused"
	# 256 posted buffers take 256 frames; the rest find the ring full.
	flood "$NSA" $IP_B 300
	expect_stats "$NSB" "${PFX}b" rxQ_dma_packets=256 rxQ_ring_full=44 rxQ_packets=256
	expect_stats "$NSA" "${PFX}a" txQ_dropped=44 txQ_packets=256
	expect_eq "buffers on the ring while paused" "$(posted "$d" 0)" 0
	echo 0 >"$d/refill_paused"
	sleep 0.2
	expect_eq "buffers on the ring after resume" "$(posted "$d" 0)" 256
	flood "$NSA" $IP_B 100
	expect_stats "$NSB" "${PFX}b" rxQ_dma_packets=356 rxQ_ring_full=44
}

test_fail_alloc() {
	local d fails
	trap "set +e; del_netns $NSA $NSB" EXIT
	need "$UDPFLOOD"
	load_ppnic
	pp_pair "$NSA" "$NSB"
	d=$(ddir "$NSB" "${PFX}b")
	echo 2 >"$d/fail_alloc_every"
	flood "$NSA" $IP_B 200
	expect_stats "$NSB" "${PFX}b" rxQ_packets=200
	fails=$(sv rxQ_alloc_fail)
	((fails > 0)) || fail "no allocation failed"
	echo 0 >"$d/fail_alloc_every"
	flood "$NSA" $IP_B 10
	expect_stats "$NSB" "${PFX}b" rxQ_packets=210 rxQ_alloc_fail="$fails"
	expect_eq "ring refilled once failures stop" "$(posted "$d" 0)" 256
}

test_pp_hold() {
	local d i0 i1 i2 idx t=/sys/kernel/tracing
	trap "set +e; echo 0 >$t/events/page_pool/page_pool_release/enable; del_netns $NSA $NSB" EXIT
	load_ppnic
	pp_pair "$NSA" "$NSB"
	d=$(ddir "$NSB" "${PFX}b")
	i0=$(st "$NSB" "${PFX}b" rx0_pp_inflight)
	echo 600 >"$d/rx0/pp_hold"
	expect_eq "held" "$(<"$d/rx0/pp_hold")" 600
	i1=$(st "$NSB" "${PFX}b" rx0_pp_inflight)
	((i1 >= i0 + 600 - 128)) || fail "inflight $i0 -> $i1 with 600 pages held"
	echo 0 >"$d/rx0/pp_hold"
	expect_eq "held after release" "$(<"$d/rx0/pp_hold")" 0
	i2=$(st "$NSB" "${PFX}b" rx0_pp_inflight)
	# Given back from process context: the ptr_ring (256) takes what it
	# can, the pool frees the rest.
	((i2 < i1)) || fail "inflight did not drop on release: $i1 -> $i2"
	echo "inflight: $i0 -> $i1 (held) -> $i2 (released)"
	# Held pages at ring teardown go back before the pool is destroyed:
	# page_pool_release reports it once, with nothing in flight.
	echo 300 >"$d/rx0/pp_hold"
	idx=$(ip netns exec "$NSB" cat "/sys/class/net/${PFX}b/ifindex")
	echo >$t/trace
	echo 1 >$t/events/page_pool/page_pool_release/enable
	ip -n "$NSB" link set "${PFX}b" down
	echo 0 >$t/events/page_pool/page_pool_release/enable
	expect_eq "held after down" "$(<"$d/rx0/pp_hold")" 0
	grep 'page_pool_release:' $t/trace || true
	expect_eq "pool releases" "$(grep -c 'page_pool_release:' $t/trace || true)" 1
	expect_eq "pool released with nothing in flight" \
		"$(grep -c 'page_pool_release:.* inflight=0 ' $t/trace || true)" 1
	if kernel_at_least 6 8; then
		# Destroyed at once, not deferred: no page was left in flight.
		expect_eq "pools after down" \
			"$(ip netns exec "$NSB" "$PPNL" pools | grep -c " ifindex=$idx " || true)" 0
	fi
}

test_netlink_pools() {
	local idx napi pools line inflight d want
	trap "set +e; del_netns $NSA $NSB" EXIT
	need "$PPNL"
	kernel_at_least 6 8 || skip "page-pool-get needs 6.8+"
	load_ppnic
	pp_pair "$NSA" "$NSB"
	ip netns exec "$NSB" ethtool -L "${PFX}b" combined 2
	idx=$(ip netns exec "$NSB" cat "/sys/class/net/${PFX}b/ifindex")
	pools=$(ip netns exec "$NSB" "$PPNL" pools | grep " ifindex=$idx " || true)
	echo "$pools"
	expect_eq "pools listed" "$(grep -c . <<<"$pools")" 2
	d=$(ddir "$NSB" "${PFX}b")
	# Each pool carries the NAPI id of its own queue.
	want=$(printf '%s\n' "$(rq_state "$d" 0 napi_id)" "$(rq_state "$d" 1 napi_id)" | sort -n | tr '\n' ' ')
	expect_eq "pool napi ids" "$(sed 's/.* napi_id=\([-0-9]*\).*/\1/' <<<"$pools" | sort -n | tr '\n' ' ')" "$want"
	while read -r line; do
		napi=$(sed 's/.* napi_id=\([-0-9]*\).*/\1/' <<<"$line")
		((napi > 0)) || fail "pool without napi-id: $line"
		inflight=$(sed 's/.* inflight=\([-0-9]*\).*/\1/' <<<"$line")
		((inflight > 0)) || fail "pool without inflight pages: $line"
	done <<<"$pools"
	# The module's inflight (hold - release) is the kernel's.
	expect_eq "inflight" "$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^inflight=/) s += substr($i, 10) } END { print s }' <<<"$pools")" \
		"$(st "$NSB" "${PFX}b" rxQ_pp_inflight)"
	ip -n "$NSB" link set "${PFX}b" down
	pools=$(ip netns exec "$NSB" "$PPNL" pools | grep " ifindex=$idx " || true)
	expect_eq "pools after down" "$pools" ""
}

test_tracepoints() {
	local t=/sys/kernel/tracing n=100 hits
	trap "set +e; echo 0 >$t/events/ppnic/enable; $PPXDP -n $NSB detach ${PFX}b; del_netns $NSA $NSB" EXIT
	need "$UDPFLOOD" "$PPXDP"
	load_ppnic
	[[ -d $t/events/ppnic/ppnic_refill && -d $t/events/ppnic/ppnic_recycle ]] ||
		fail "no ppnic tracepoints in $t/events"
	pp_pair "$NSA" "$NSB"
	"$PPXDP" -n "$NSB" attach "${PFX}b" drop --mode native >/dev/null
	flood "$NSA" $IP_B 300	# warm-up
	expect_stats "$NSB" "${PFX}b" rxQ_xdp_drop=300
	echo >$t/trace
	echo 1 >$t/events/ppnic/enable
	flood "$NSA" $IP_B $n
	expect_stats "$NSB" "${PFX}b" rxQ_xdp_drop=$((300 + n))
	echo 0 >$t/events/ppnic/enable
	hits=$(grep -c 'ppnic_recycle:.* how=cached' $t/trace || true)
	expect_eq "recycle events" "$hits" $n
	hits=$(grep -c 'ppnic_refill:.* source=fast' $t/trace || true)
	expect_eq "refill events" "$hits" $n
}

# `ppxdp stats` attaches to the module's tracepoints (raw_tp) and its
# per-pool breakdown must be the module's own: for a window of drop, pass
# and hold-knob traffic, ppxdp's totals equal the ethtool -S deltas, and
# its hold/release equal the pool counters the driver reads.
DRV_CTRS="alloc_fast alloc_ring alloc_slow alloc_fail ring_pages slow_pages
	recycle_cached recycle_ring recycle_released skb_pages redirect_pages"

test_stats_agree() {
	local out=$TEST_OUT/stats_agree.json d i k n=3000 m=2000 q jq_sum
	local -A A
	STATS_PID=	# global: the EXIT trap runs after the function's locals are gone
	trap "set +e; [[ -n \$STATS_PID ]] && kill \$STATS_PID; $PPXDP -n $NSB detach ${PFX}b; del_netns $NSA $NSB" EXIT
	need "$UDPFLOOD" "$PPXDP"
	load_ppnic
	pp_pair "$NSA" "$NSB"
	d=$(ddir "$NSB" "${PFX}b")
	"$PPXDP" -n "$NSB" attach "${PFX}b" drop --mode native >/dev/null
	flood "$NSA" $IP_B 500	# warm-up: the pool fills its cache
	expect_stats "$NSB" "${PFX}b" rxQ_xdp_drop=500

	rm -f "$out" "$out.err"	# a file from an earlier run would look ready
	"$PPXDP" -n "$NSB" -j stats "${PFX}b" --interval 0.5 >"$out" 2>"$out.err" &
	STATS_PID=$!
	for ((i = 0; i < 100; i++)); do
		[[ -s $out ]] && break
		sleep 0.1
	done
	[[ -s $out ]] || fail "ppxdp stats printed nothing: $(cat "$out.err")"
	jq -e '.driver' <(head -1 "$out") >/dev/null ||
		fail "ppnic tracepoints not attached: $(head -1 "$out") $(cat "$out.err")"
	! rmmod ppnic 2>/dev/null || fail "rmmod succeeded while stats held the tracepoints"

	snap "$NSB" "${PFX}b"
	for k in $DRV_CTRS pp_hold pp_release; do
		A[$k]=$(sv "rxQ_$k")
	done
	# XDP_DROP: direct recycling into the cache.
	flood "$NSA" $IP_B $n
	expect_stats "$NSB" "${PFX}b" rxQ_xdp_drop=$((500 + n))
	# XDP_PASS to a reader: pages come back through the ptr_ring.
	"$PPXDP" -n "$NSB" attach "${PFX}b" pass --mode native --force >/dev/null
	recv_start "$NSB" $m
	flood "$NSA" $IP_B $m
	recv_wait
	expect_stats "$NSB" "${PFX}b" rxQ_xdp_pass=$m
	# The hold knob: pages out of the pool, then back.
	echo 200 >"$d/rx0/pp_hold"
	echo 0 >"$d/rx0/pp_hold"
	sleep 0.2
	snap "$NSB" "${PFX}b"
	sleep 1.2	# one more report after the last event
	kill -INT $STATS_PID
	wait $STATS_PID || fail "ppxdp stats exited with $?: $(cat "$out.err")"
	STATS_PID=

	python3 - "$out" docs/stats.schema.json <<-'PY' || fail "stats JSON does not match its schema"
		import json, sys, jsonschema
		schema = json.load(open(sys.argv[2]))
		for line in open(sys.argv[1]):
		    jsonschema.validate(json.loads(line), schema)
	PY
	jq -c 'select(.type == "summary")' "$out"
	for k in $DRV_CTRS; do
		expect_eq "ppxdp $k = ethtool delta" \
			"$(jq -r "select(.type == \"summary\") | .driver.$k" "$out")" \
			$(($(sv "rxQ_$k") - A[$k]))
	done
	expect_eq "held" "$(jq -r 'select(.type == "summary") | .driver.held' "$out")" 200
	expect_eq "unheld" "$(jq -r 'select(.type == "summary") | .driver.unheld' "$out")" 200
	# Pages from and to the page allocator: the pool's own counters.
	expect_eq "ppxdp hold = pool hold delta" \
		"$(jq -r 'select(.type == "summary") | .hold' "$out")" \
		$(($(sv rxQ_pp_hold) - A[pp_hold]))
	expect_eq "ppxdp release = pool release delta" \
		"$(jq -r 'select(.type == "summary") | .release' "$out")" \
		$(($(sv rxQ_pp_release) - A[pp_release]))
	# Traffic really went through every path the breakdown shows.
	(($(jq -r 'select(.type == "summary") | .driver.recycle_cached' "$out") >= n)) ||
		fail "fewer direct recycles than dropped frames"
	(($(jq -r 'select(.type == "summary") | .driver.skb_pages' "$out") == m)) ||
		fail "skb pages differ from passed frames"
	# Pools are tied to b by the kernel (6.7+: slow.netdev) or, before,
	# by the driver's tracepoint; their recycle rate uses ppnic's count.
	q=$(jq -r 'select(.type == "interval") | .pools[] |
		select(.driver != null) | "\(.ifname) \(.attribution) \(.consumed_source)"' "$out" | sort -u)
	echo "$q"
	if kernel_at_least 6 7; then
		expect_eq "pools" "$q" "${PFX}b netdev ppnic"
	else
		expect_eq "pools" "$q" "${PFX}b driver ppnic"
	fi
	# Under XDP_DROP after warm-up every buffer is a recycled one.
	jq_sum='[.[] | select(.type == "interval") | .pools[] | select(.driver != null)]'
	jq -se "$jq_sum | map(select(.driver.recycle_cached > 0 and .driver.skb_pages == 0 and .hold_delta == 0)) |
		length > 0 and all(.recycle_rate == 1)" "$out" >/dev/null ||
		fail "no drop-only interval with a 100% recycle rate"
	if kernel_at_least 6 8; then
		# Netlink's inflight is ppxdp's at rest.
		jq -se 'map(select(.type == "interval")) | last | .pools |
			map(select(.driver != null)) | length > 0 and
			all(.netlink != null and .netlink.inflight == .inflight)' "$out" >/dev/null ||
			fail "netlink inflight differs: $(jq -sc 'map(select(.type == "interval")) | last | .pools' "$out")"
	fi
}

# Unload with traffic flowing, XDP attached, pages held, and skbs from a
# pool still queued on a socket: clean log, pools drain by themselves.
test_unload_busy() {
	local mark d rpid spid
	trap "set +e; del_netns $NSA $NSB" EXIT
	need "$UDPFLOOD" "$PPXDP"
	mark=$(dmesg_mark)
	load_ppnic
	pp_pair "$NSA" "$NSB"
	ip netns exec "$NSB" ethtool -L "${PFX}b" combined 2
	d=$(ddir "$NSB" "${PFX}b")
	echo 100 >"$d/rx1/pp_hold"
	recv_start "$NSB" 1000000
	rpid=$RECV_PID
	"$PPXDP" -n "$NSA" attach "${PFX}a" pass --mode native >/dev/null
	ip netns exec "$NSA" "$UDPFLOOD" send --dst $IP_B --port 9000 \
		--count 100000000 --pps 20000 >/dev/null 2>&1 &
	spid=$!
	trap "set +e; kill -CONT $rpid; kill $rpid $spid; del_netns $NSA $NSB" EXIT
	sleep 1
	# A reader that stops reading: its queue keeps pages of b's pools.
	kill -STOP $rpid
	sleep 0.5
	(($(st "$NSB" "${PFX}b" rxQ_skb_pages) > 0)) || fail "no traffic reached b"
	rmmod ppnic
	[[ ! -d /sys/module/ppnic ]] || fail "module still loaded"
	kill $spid 2>/dev/null || true
	kill -CONT $rpid
	kill $rpid
	wait 2>/dev/null || true
	"$PPXDP" -n "$NSA" detach "${PFX}a" >/dev/null 2>&1 || true
	# Deferred pools retry once a second; give them time to go.
	sleep 3
	dmesg_clean "$mark"
}
