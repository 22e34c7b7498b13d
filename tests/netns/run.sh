#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# netns integration tests: ppxdp and iproute2 attaching the XDP programs on
# a router namespace between two hosts, with exact delivered counts.
# Usage: tests/netns/run.sh            (all)
#        ONLY="test_fwd_ppxdp" tests/netns/run.sh
set -u
. "$(dirname "$0")/lib.sh"

ALL_TESTS="
	test_redirect_ppxdp
	test_fwd_ppxdp
	test_fwd_ipv6
	test_tx_bounce
	test_iproute2_same_objects
	test_bpftool_named_counters
	test_force_and_foreign
	test_same_ifname_two_netns
	test_bad_input_leaves_nothing
	test_ip_netns_exec_refused
	test_no_privileges
"

# The router becomes a wire: no addresses on r1/r3, both hosts in
# 10.9.0.0/24 with static neighbours.
l2_wire_setup() {
	in_ns $NSR ip addr flush dev r1
	in_ns $NSR ip addr flush dev r3
	in_ns $NS1 ip addr add 10.9.0.1/24 dev a1
	in_ns $NS3 ip addr add 10.9.0.3/24 dev a3
	in_ns $NS1 ip neigh replace 10.9.0.3 lladdr $MAC_A3 dev a1 nud permanent
	in_ns $NS3 ip neigh replace 10.9.0.1 lladdr $MAC_A1 dev a3 nud permanent
}

# Pure L2 wire: redirect r1 <-> r3, hosts on one subnet.
test_redirect_ppxdp() {
	local ino
	ino=$(ns_ino $NSR)
	l2_wire_setup

	check "attach redirect r1 -> r3" "$PPXDP" -n $NSR attach r1 redirect --to r3 || return 1
	check "attach redirect r3 -> r1" "$PPXDP" -n $NSR attach r3 redirect --to r1 || return 1
	check "pins under $PIN_ROOT/r1@$ino" test -e "$PIN_ROOT/r1@$ino/link" || return 1

	check "ping ns1 -> ns3 through the redirect" \
		in_ns $NS1 ping -c 5 -i 0.05 -W 1 -q 10.9.0.3 || return 1

	local before after
	before=$(stat_field $NSR r1 redirect packets) || return 1
	check "UDP flood 10000 delivered exactly" \
		udp_flood $NS1 $NS3 10.9.0.3 7001 10000 || return 1
	after=$(stat_field $NSR r1 redirect packets) || return 1
	check_eq "r1 redirect counter delta" $((after - before)) 10000 || return 1

	check "detach r1" "$PPXDP" -n $NSR detach r1 || return 1
	check "detach r3" "$PPXDP" -n $NSR detach r3 || return 1
	check "no XDP program left on r1" \
		bash -c "! nsenter --net=/run/netns/$NSR ip link show r1 | grep -q prog/xdp" || return 1
	check "no pin dir left" test ! -e "$PIN_ROOT/r1@$ino" || return 1
}

# L3 forwarding in XDP with the kernel's own forwarding off: only fwd can
# deliver. Drop rule drops exactly what it matches.
test_fwd_ppxdp() {
	local rules
	rules=$(router_rules)
	in_ns $NSR sysctl -qw net.ipv4.ip_forward=0
	check "rules check" "$PPXDP" rules check "$rules" || return 1
	check "attach fwd r1" "$PPXDP" -n $NSR attach r1 fwd --rules "$rules" || return 1
	check "attach fwd r3" "$PPXDP" -n $NSR attach r3 fwd --rules "$rules" || return 1

	local ttl
	ttl=$(in_ns $NS1 ping -c 3 -i 0.05 -W 1 10.3.0.1 | sed -n 's/.*ttl=\([0-9]*\).*/\1/p' | head -1)
	check_eq "ping reply TTL (one XDP hop each way)" "$ttl" 63 || return 1

	local b_red a_red b_drop a_drop
	b_red=$(stat_field $NSR r1 redirect packets) || return 1
	check "UDP flood 10000 to 10.3.0.1:7002 delivered exactly" \
		udp_flood $NS1 $NS3 10.3.0.1 7002 10000 || return 1
	a_red=$(stat_field $NSR r1 redirect packets) || return 1
	check_eq "r1 redirect delta" $((a_red - b_red)) 10000 || return 1

	b_drop=$(stat_field $NSR r1 drop packets) || return 1
	in_ns $NS3 "$UDPFLOOD" recv --port 9999 --count 1 --timeout 1 >"$TMP/9999" 2>&1 &
	local rpid=$!
	sleep 0.2
	in_ns $NS1 "$UDPFLOOD" send --dst 10.3.0.1 --port 9999 --count 5000 --pps 100000 >/dev/null
	wait $rpid
	check "nothing reaches port 9999" grep -q "received=0" "$TMP/9999" || return 1
	a_drop=$(stat_field $NSR r1 drop packets) || return 1
	check_eq "r1 drop delta" $((a_drop - b_drop)) 5000 || return 1

	local rule_pkts
	rule_pkts=$("$PPXDP" -n $NSR rules show r1 --json |
		jq -er '[.rules[] | select(.action == "drop")][0].packets') || return 1
	check_eq "drop rule counter" "$rule_pkts" 5000 || return 1
}

test_fwd_ipv6() {
	local rules
	rules=$(router_rules)
	in_ns $NSR sysctl -qw net.ipv6.conf.all.forwarding=0
	"$PPXDP" -n $NSR attach r1 fwd --rules "$rules" || return 1
	"$PPXDP" -n $NSR attach r3 fwd --rules "$rules" || return 1
	local hl
	hl=$(in_ns $NS1 ping -6 -c 3 -i 0.05 -W 1 fd03::1 | sed -n 's/.*ttl=\([0-9]*\).*/\1/p' | head -1)
	check_eq "ping6 reply hop limit" "$hl" 63 || return 1
	check "UDP/IPv6 flood 5000 delivered exactly" \
		udp_flood $NS1 $NS3 fd03::1 7003 5000 || return 1
}

# XDP_TX on r1 bounces every frame back to ns1 with MACs swapped.
test_tx_bounce() {
	"$PPXDP" -n $NSR attach r1 tx || return 1
	local b a
	b=$(stat_field $NSR r1 tx packets) || return 1
	in_ns $NS1 "$UDPFLOOD" send --dst 10.1.0.254 --port 7004 --count 3000 --pps 100000 >/dev/null
	sleep 0.2
	a=$(stat_field $NSR r1 tx packets) || return 1
	check_eq "r1 tx delta" $((a - b)) 3000 || return 1
}

# The same objects with iproute2 alone: redirect via a devmap filled with
# bpftool, drop, and fwd's default action, counters in tc/globals.
test_iproute2_same_objects() {
	local g=/sys/fs/bpf/tc/globals
	if [[ -e $g/redirect_ports || -e $g/redirect_stats ]]; then
		echo "SKIP_REASON=$g already has redirect pins from someone else"
		return 2
	fi
	l2_wire_setup

	# One direction only: the flood is one-way and the hosts have static
	# neighbours. bpftool runs in the router namespace: a devmap resolves
	# the ifindex in the namespace of whoever updates it. A second `ip link ... xdp obj redirect.bpf.o` cannot reuse
	# the pinned devmap with libbpf 1.1 (the kernel adds BPF_F_RDONLY_PROG
	# to devmaps and libbpf 1.1 compares map flags); see README.
	local obj=$XDP_OBJ/redirect.bpf.o r1 r3 rc=0
	in_ns $NSR ip link set dev r1 xdp obj "$obj" sec xdp || return 1
	r1=$(in_ns $NSR ip -j link show r1 | jq .[0].ifindex)
	r3=$(in_ns $NSR ip -j link show r3 | jq .[0].ifindex)
	le32() { printf '%d %d %d %d' $(($1 & 255)) $((($1 >> 8) & 255)) $((($1 >> 16) & 255)) $((($1 >> 24) & 255)); }
	in_ns $NSR bpftool map update pinned $g/redirect_ports key $(le32 $r1) value $(le32 $r3) 0 0 0 0 || rc=1

	if ((rc == 0)); then
		check "UDP flood 5000 through iproute2-attached redirect" \
			udp_flood $NS1 $NS3 10.9.0.3 7005 5000 || rc=1
		local pk
		pk=$(bpftool -j map dump pinned $g/redirect_stats |
			jq '[.[0].formatted.values[].value.redirect.packets] | add')
		check_eq "redirect_stats.redirect.packets" "$pk" 5000 || rc=1
	fi
	in_ns $NSR ip link set dev r1 xdp off
	rm -f $g/redirect_ports $g/redirect_stats
	return $rc
}

test_bpftool_named_counters() {
	local ino
	ino=$(ns_ino $NSR)
	"$PPXDP" -n $NSR attach r1 drop || return 1
	in_ns $NS1 ping -c 2 -i 0.05 -W 0.2 10.1.0.254 >/dev/null
	local dump=$TMP/dump
	bpftool map dump pinned "$PIN_ROOT/r1@$ino/drop_stats" >"$dump" || return 1
	check "dump names the drop counter" grep -q '"drop": {' "$dump" || return 1
	check "dump names packets" grep -q '"packets": ' "$dump" || return 1
	local pk
	pk=$(bpftool -j map dump pinned "$PIN_ROOT/r1@$ino/drop_stats" |
		jq '[.[0].formatted.values[].value.drop.packets] | add')
	check_eq "drop packets from bpftool" "$pk" 2 || return 1
	check "info map pinned" test -e "$PIN_ROOT/r1@$ino/ppxdp_info" || return 1
}

test_force_and_foreign() {
	"$PPXDP" -n $NSR attach r1 drop || return 1
	check "second attach refused without --force" \
		bash -c "! '$PPXDP' -n $NSR attach r1 pass 2>$TMP/err" || return 1
	check "message says already attached" grep -qi "already" "$TMP/err" || return 1
	check "--force replaces" "$PPXDP" -n $NSR attach r1 pass --force || return 1
	local prog
	prog=$("$PPXDP" -n $NSR status r1 --json | jq -r '.[0].prog')
	check_eq "program after --force" "$prog" pass || return 1
	"$PPXDP" -n $NSR detach r1 || return 1

	in_ns $NSR ip link set dev r3 xdp obj "$XDP_OBJ/pass.bpf.o" sec xdp || return 1
	check "detach of a foreign program refused" \
		bash -c "! '$PPXDP' -n $NSR detach r3 2>$TMP/err" || return 1
	check "message names ip link" grep -q "ip link" "$TMP/err" || return 1
	check "program still there" bash -c "nsenter --net=/run/netns/$NSR ip link show r3 | grep -q prog/xdp" || return 1
	check "attach over foreign refused" bash -c "! '$PPXDP' -n $NSR attach r3 drop 2>/dev/null" || return 1
	check "attach over foreign with --force" "$PPXDP" -n $NSR attach r3 drop --force || return 1
	"$PPXDP" -n $NSR detach r3 || return 1
	rm -f /sys/fs/bpf/tc/globals/pass_stats
}

# Containers reuse interface names: two namespaces, both with "r1".
test_same_ifname_two_netns() {
	local i1 i3
	in_ns $NS1 ip link add r1 type veth peer name r1p
	in_ns $NS3 ip link add r1 type veth peer name r1p
	in_ns $NS1 ip link set r1 up
	in_ns $NS3 ip link set r1 up
	i1=$(ns_ino $NS1)
	i3=$(ns_ino $NS3)
	check "attach in ns1 via nsenter" in_ns $NS1 "$PPXDP" attach r1 drop || return 1
	check "attach in ns3 via -n" "$PPXDP" -n $NS3 attach r1 pass || return 1
	check "distinct pin dirs" test -e "$PIN_ROOT/r1@$i1/link" -a -e "$PIN_ROOT/r1@$i3/link" || return 1
	local n
	n=$("$PPXDP" status --json | jq "[.[] | select(.ifname == \"r1\" and (.netns_ino == $i1 or .netns_ino == $i3))] | length")
	check_eq "status lists both r1" "$n" 2 || return 1
	"$PPXDP" -n $NS1 detach r1 && "$PPXDP" -n $NS3 detach r1 || return 1
	check "both gone" test ! -e "$PIN_ROOT/r1@$i1" -a ! -e "$PIN_ROOT/r1@$i3"
}

# Every refusal exits non-zero and leaves no pins and no program.
test_bad_input_leaves_nothing() {
	local ino rc=0 before after
	ino=$(ns_ino $NSR)
	# Only this test's namespace: other runs may pin concurrently.
	before=$(ls -d "$PIN_ROOT"/*@"$ino" 2>/dev/null | tr '\n' ' ')
	printf 'drop proto udp dport 90-80\n' >"$TMP/bad.rules"
	printf 'redirect nosuchif dst 10.0.0.0/8\n' >"$TMP/noif.rules"
	local -a cases=(
		"attach nosuchif drop"
		"attach r1 nosuchprog"
		"attach r1 redirect"
		"attach r1 redirect --to nosuchif"
		"attach r1 fwd"
		"attach r1 fwd --rules $TMP/bad.rules"
		"attach r1 fwd --rules $TMP/noif.rules"
		"attach r1 fwd --rules /nonexistent"
		"attach r1 drop --mode bogus"
		"detach r1"
		"detach nosuchif"
		"status nosuchif"
		"rules check $TMP/bad.rules"
	)
	local c
	for c in "${cases[@]}"; do
		if "$PPXDP" -n $NSR $c >"$TMP/out" 2>&1; then
			log "FAILED: '$c' exited 0"
			rc=1
		elif [[ ! -s $TMP/out ]]; then
			log "FAILED: '$c' printed no message"
			rc=1
		else
			log "ok: '$c' -> $(head -1 "$TMP/out")"
		fi
	done
	check "rules error names file:line and token" \
		grep -q "bad.rules:1:.*90-80" <("$PPXDP" rules check "$TMP/bad.rules" 2>&1) || rc=1
	after=$(ls -d "$PIN_ROOT"/*@"$ino" 2>/dev/null | tr '\n' ' ')
	check_eq "pins of the router namespace unchanged" "$after" "$before" || rc=1
	check "no XDP program on r1" bash -c "! nsenter --net=/run/netns/$NSR ip link show r1 | grep -q prog/xdp" || rc=1
	return $rc
}

# `ip netns exec` gives a private bpffs: ppxdp must refuse, not pin there.
test_ip_netns_exec_refused() {
	check "refused under ip netns exec" \
		bash -c "! ip netns exec $NSR '$PPXDP' attach r1 drop 2>$TMP/err" || return 1
	log "message: $(head -1 "$TMP/err")"
	check "message suggests nsenter" grep -q nsenter "$TMP/err" || return 1
	check "no program attached" bash -c "! nsenter --net=/run/netns/$NSR ip link show r1 | grep -q prog/xdp" || return 1
}

test_no_privileges() {
	if ! command -v setpriv >/dev/null; then
		echo "SKIP_REASON=setpriv (util-linux) not installed"
		return 2
	fi
	check "unprivileged attach refused" \
		bash -c "! setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all '$PPXDP' attach lo drop 2>$TMP/err" || return 1
	log "message: $(head -1 "$TMP/err")"
	check "message says root" grep -qi "root\|CAP_" "$TMP/err" || return 1
}

run_tests
