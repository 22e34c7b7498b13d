#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ppxdp gen in a private pair of network namespaces:
#
#   ${PFX}a: gen0 --veth-- gen1 :${PFX}b
#
# ppxdp gen runs in ${PFX}a (ppxdp --netns) and sends out of gen0. The
# receiving side either runs `ppxdp attach gen1 drop`, whose per-CPU drop
# counter `ppxdp status --json` reports, or has GRO on and no XDP program,
# so that tcpdump sees the frames.
#
# Prints "PASS: name", "FAIL: name" or "SKIP: name (reason)" per test.
# ONLY="test ..." runs a subset. PPXDP overrides the binary.
set -uo pipefail
cd "$(dirname "$0")/../.."

BUILD=${BUILD:-build}
PPXDP=${PPXDP:-$BUILD/ppxdp}
PFX=pg$$
NSA=${PFX}a
NSB=${PFX}b
TMP=$(mktemp -d /tmp/ppxdp-gen.XXXXXX)
TCPDUMP_PID=

ALL_TESTS="
	count_exact
	count_exact_threads
	json_output
	duration_stops
	flows_distinct_ports
	ipv6_count_exact
	ipv6_tcp_checksums
	receiver_edits_in_place
	pcap_replay_count
	pcap_replay_order
	err_missing_interface
	err_mtu_too_small
	err_bad_pcap
	err_peer_without_xdp
	err_no_ndo_xdp_xmit
"

log() { echo "  $*"; }

topo_down() {
	[[ -n $TCPDUMP_PID ]] && kill "$TCPDUMP_PID" 2>/dev/null
	TCPDUMP_PID=
	# The pins of an attached program outlive the namespace.
	[[ -e /run/netns/$NSA ]] &&
		"$PPXDP" --netns "$NSA" detach gen0 >/dev/null 2>&1
	[[ -e /run/netns/$NSB ]] &&
		"$PPXDP" --netns "$NSB" detach gen1 >/dev/null 2>&1
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSB" 2>/dev/null
	return 0
}

cleanup() {
	topo_down
	rm -rf "$TMP"
}

topo_up() {
	topo_down
	# No IPv6 on gen0: its router solicitations and MLD reports would be
	# counted at the peer along with the generated frames.
	ip netns add "$NSA" && ip netns add "$NSB" &&
		ip netns exec "$NSA" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 &&
		ip link add gen0 netns "$NSA" type veth peer name gen1 \
			netns "$NSB" &&
		ip -n "$NSA" link set gen0 up &&
		ip -n "$NSA" link set lo up &&
		ip -n "$NSB" link set gen1 up
}

ensure_mounts() {
	mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
	mountpoint -q /sys/kernel/tracing ||
		mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
}

# gen ARGS: ppxdp gen gen0 ARGS in the sending namespace.
gen() { "$PPXDP" --netns "$NSA" gen gen0 "$@"; }

check_eq() {
	if [[ "$2" == "$3" ]]; then
		log "ok: $1 = $3"
	else
		log "FAILED: $1: got '$2', want '$3'"
		return 1
	fi
}

# check_grep WHAT FILE PATTERN: FILE contains the fixed string PATTERN.
check_grep() {
	if grep -qF -- "$3" "$2"; then
		log "ok: $1"
	else
		log "FAILED: $1: no '$3' in:"
		sed 's/^/    /' "$2"
		return 1
	fi
}

peer_drop_attach() {
	"$PPXDP" --netns "$NSB" attach gen1 drop >/dev/null
}

# Frames the drop program on gen1 has counted, summed over CPUs.
peer_drop_count() {
	"$PPXDP" --netns "$NSB" status gen1 --json |
		jq '.[0].counters.drop.packets'
}

# The receiver drains its ring in softirq context: wait until the count
# stops moving.
peer_drop_settled() {
	local prev=-1 cur i
	for i in $(seq 50); do
		cur=$(peer_drop_count)
		[[ $cur == "$prev" ]] && break
		prev=$cur
		sleep 0.05
	done
	echo "$cur"
}

# capture_on NS IF N TCPDUMP_ARGS...: capture N frames on IF into
# $TMP/cap.txt, in the background; returns once tcpdump listens.
capture_on() {
	local ns=$1 ifname=$2 n=$3
	shift 3
	ip netns exec "$ns" timeout 20 tcpdump -l -c "$n" -nn -vv -e \
		-i "$ifname" "$@" >"$TMP/cap.txt" 2>"$TMP/cap.err" &
	TCPDUMP_PID=$!
	for _ in $(seq 100); do
		grep -q "listening on" "$TMP/cap.err" && return 0
		sleep 0.05
	done
	log "tcpdump did not start:"
	cat "$TMP/cap.err"
	return 1
}

# Capture N frames on gen1; frames reach the stack through veth's GRO path
# (no XDP program on gen1).
capture_start() {
	ip netns exec "$NSB" ethtool -K gen1 gro on >/dev/null &&
		capture_on "$NSB" gen1 "$@"
}

capture_wait() {
	wait "$TCPDUMP_PID"
	local rc=$?
	TCPDUMP_PID=
	return $rc
}

# pcap_write FILE le|be usec|nsec LINKTYPE SIZE...: a classic pcap whose
# frames are broadcast, ethertype 0x88b5, zero payload, of the given sizes.
pcap_write() {
	local file=$1 order=$2 res=$3 linktype=$4 magic size
	shift 4
	[[ $res == nsec ]] && magic=$((0xa1b23c4d)) || magic=$((0xa1b2c3d4))
	u32() {
		local v=$1
		if [[ $order == le ]]; then
			printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((v & 255)) \
				$(((v >> 8) & 255)) $(((v >> 16) & 255)) $(((v >> 24) & 255))
		else
			printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(((v >> 24) & 255)) \
				$(((v >> 16) & 255)) $(((v >> 8) & 255)) $((v & 255))
		fi
	}
	u16() {
		if [[ $order == le ]]; then
			printf '\\x%02x\\x%02x' $(($1 & 255)) $((($1 >> 8) & 255))
		else
			printf '\\x%02x\\x%02x' $((($1 >> 8) & 255)) $(($1 & 255))
		fi
	}
	{
		printf '%b' "$(u32 $magic)$(u16 2)$(u16 4)$(u32 0)$(u32 0)$(u32 65535)$(u32 "$linktype")"
		for size in "$@"; do
			printf '%b' "$(u32 1700000000)$(u32 0)$(u32 "$size")$(u32 "$size")"
			printf '%b' '\xff\xff\xff\xff\xff\xff\x02\x00\x00\x00\x00\x01\x88\xb5'
			head -c $((size - 14)) /dev/zero
		done
	} >"$file"
}

# --count N: the drop program on the peer sees exactly N frames.
count_exact() {
	peer_drop_attach || return 1
	gen --count 100000 >"$TMP/out" 2>&1 || { cat "$TMP/out"; return 1; }
	cat "$TMP/out"
	check_grep "gen reports the count" "$TMP/out" "sent 100000 frames" &&
		check_eq "frames at the peer" "$(peer_drop_settled)" 100000
}

# Two threads into one veth queue may overflow its ring: every frame is
# then either counted at the peer or reported as an error, none twice.
count_exact_threads() {
	if (($(nproc) < 2)); then
		echo "SKIP_REASON=needs 2 CPUs"
		return 2
	fi
	peer_drop_attach || return 1
	gen --count 200001 --threads 2 --json >"$TMP/out.json" 2>"$TMP/err" ||
		{ cat "$TMP/err"; return 1; }
	local frames sent errors peer
	frames=$(jq .frames "$TMP/out.json")
	sent=$(jq .sent "$TMP/out.json")
	errors=$(jq .errors "$TMP/out.json")
	peer=$(peer_drop_settled)
	log "frames $frames sent $sent errors $errors peer $peer"
	check_eq "frames run" "$frames" 200001 &&
		check_eq "sent + errors" $((sent + errors)) 200001 &&
		check_eq "frames at the peer" "$peer" "$sent" &&
		check_eq "cpus" "$(jq -c .cpus "$TMP/out.json")" \
			"$(jq -nc '[0,1]')"
}

json_output() {
	peer_drop_attach || return 1
	gen --count 5000 --json >"$TMP/out.json" 2>"$TMP/err" ||
		{ cat "$TMP/err"; return 1; }
	jq . "$TMP/out.json" || return 1
	check_eq sent "$(jq .sent "$TMP/out.json")" 5000 &&
		check_eq errors "$(jq .errors "$TMP/out.json")" 0 &&
		check_eq errors_counted "$(jq .errors_counted "$TMP/out.json")" true &&
		check_eq ifname "$(jq -r .ifname "$TMP/out.json")" gen0 &&
		check_eq frame "$(jq -c '.frame | [.size, .family, .proto, .src, .dst, .sport, .dport, .flows]' "$TMP/out.json")" \
			'[64,"ipv4","udp","198.18.0.1","198.18.0.2",1024,9,1]' &&
		check_eq dst_mac "$(jq -r .frame.dst_mac "$TMP/out.json")" \
			"$(ip -n "$NSB" -j link show gen1 | jq -r '.[0].address')" &&
		check_eq "stderr empty" "$(cat "$TMP/err")" "" &&
		check_eq "frames at the peer" "$(peer_drop_settled)" 5000
}

duration_stops() {
	peer_drop_attach || return 1
	gen --duration 0.6 --interval 0.2 --json >"$TMP/out.json" 2>"$TMP/err" ||
		{ cat "$TMP/err"; return 1; }
	local elapsed sent nr_iv iv_sum
	elapsed=$(jq .elapsed "$TMP/out.json")
	sent=$(jq .sent "$TMP/out.json")
	nr_iv=$(jq '.intervals | length' "$TMP/out.json")
	iv_sum=$(jq '[.intervals[].sent] | add' "$TMP/out.json")
	log "elapsed $elapsed sent $sent intervals $nr_iv (sum $iv_sum)"
	check_eq "stopped after 0.6 to 1.5 s" \
		"$(jq '.elapsed >= 0.6 and .elapsed < 1.5' "$TMP/out.json")" true &&
		check_eq "2 or 3 intervals" "$(((nr_iv == 2 || nr_iv == 3)))" 1 &&
		check_eq "intervals within the total" "$((iv_sum <= sent))" 1 &&
		check_eq "sent something" "$((sent > 1000))" 1 &&
		check_eq "frames at the peer" "$(peer_drop_settled)" "$sent"
}

# --flows 16 over 64 frames from one thread: ports 1024..1039, 4 each,
# every UDP checksum right.
flows_distinct_ports() {
	capture_start 64 udp || return 1
	gen --count 64 --flows 16 >"$TMP/out" 2>&1 || { cat "$TMP/out"; return 1; }
	capture_wait || { log "tcpdump saw fewer than 64 frames"; return 1; }
	grep -o '198\.18\.0\.1\.[0-9]* >' "$TMP/cap.txt" | sort | uniq -c |
		awk '{print $2, $1}' >"$TMP/ports"
	local want
	want=$(for p in $(seq 1024 1039); do echo "198.18.0.1.$p 4"; done)
	check_eq "ports and frames per port" "$(cat "$TMP/ports")" "$want" &&
		check_eq "UDP checksums ok" "$(grep -c 'udp sum ok' "$TMP/cap.txt")" 64
}

ipv6_count_exact() {
	peer_drop_attach || return 1
	gen --ipv6 --count 20000 --json >"$TMP/out.json" 2>"$TMP/err" ||
		{ cat "$TMP/err"; return 1; }
	check_eq family "$(jq -r .frame.family "$TMP/out.json")" ipv6 &&
		check_eq src "$(jq -r .frame.src "$TMP/out.json")" 2001:2::1 &&
		check_eq "frames at the peer" "$(peer_drop_settled)" 20000
}

ipv6_tcp_checksums() {
	capture_start 8 ip6 and tcp || return 1
	gen --src 2001:db8::10 --dst 2001:db8::20 --proto tcp --flows 4 \
		--sport 4000 --dport 80 --size 100 --count 8 >"$TMP/out" 2>&1 ||
		{ cat "$TMP/out"; return 1; }
	capture_wait || { log "tcpdump saw fewer than 8 frames"; return 1; }
	cat "$TMP/cap.txt"
	check_eq "IPv6 TCP frames" \
		"$(grep -cE '2001:db8::10\.400[0-3] > 2001:db8::20\.80: Flags \[\.\], cksum 0x[0-9a-f]+ \(correct\)' "$TMP/cap.txt")" 8 &&
		check_eq "frame length" "$(grep -c 'length 100:' "$TMP/cap.txt")" 8
}

# Live-frame pages come back to gen's pool with whatever the receiver left
# in them. Here gen1 bounces every frame (ppxdp tx: MAC swap, XDP_TX) and
# gen0 passes the bounced frames to its stack (ppxdp pass), whose skbs
# return the pages to gen's pool when freed. A page reused without the
# header rewrite would leave with its MACs swapped and come back the other
# way round: every bounced frame must read gen1 > gen0. (gen0 needs an XDP
# program, not just GRO: veth's XDP_TX kicks the peer's NAPI only when the
# peer has one.)
receiver_edits_in_place() {
	local mac0 mac1
	mac0=$(ip -n "$NSA" -j link show gen0 | jq -r '.[0].address')
	mac1=$(ip -n "$NSB" -j link show gen1 | jq -r '.[0].address')
	"$PPXDP" --netns "$NSB" attach gen1 tx >/dev/null &&
		"$PPXDP" --netns "$NSA" attach gen0 pass >/dev/null || return 1
	capture_on "$NSA" gen0 3000 -Q in udp || return 1
	gen --count 30000 >"$TMP/out" 2>&1 || { cat "$TMP/out"; return 1; }
	capture_wait || { log "tcpdump saw fewer than 3000 frames"; return 1; }
	check_eq "bounced frames $mac1 > $mac0" \
		"$(grep -c "^[0-9:.]* $mac1 > $mac0," "$TMP/cap.txt")" 3000 &&
		check_eq "checksums ok" "$(grep -c 'udp sum ok' "$TMP/cap.txt")" 3000
}

# Five frames, 60 to 1500 bytes.
PCAP_SIZES="60 1500 1500 1500 300"

pcap_replay_count() {
	peer_drop_attach || return 1
	pcap_write "$TMP/le.pcap" le usec 1 $PCAP_SIZES
	pcap_write "$TMP/be.pcap" be nsec 1 $PCAP_SIZES
	gen --pcap "$TMP/le.pcap" --count 1003 --json >"$TMP/out.json" \
		2>"$TMP/err" || { cat "$TMP/err"; return 1; }
	check_eq "pcap frames" "$(jq .pcap.frames "$TMP/out.json")" 5 &&
		check_eq "longest pcap frame" "$(jq .pcap.max_len "$TMP/out.json")" 1500 &&
		check_eq "sent" "$(jq .sent "$TMP/out.json")" 1003 &&
		check_eq "frames at the peer" "$(peer_drop_settled)" 1003 || return 1
	gen --pcap "$TMP/be.pcap" --count 997 >"$TMP/out" 2>&1 ||
		{ cat "$TMP/out"; return 1; }
	check_eq "frames at the peer (big-endian, ns)" "$(peer_drop_settled)" 2000
}

# The replay keeps the capture's order, across buffers and loops.
pcap_replay_order() {
	pcap_write "$TMP/le.pcap" le usec 1 $PCAP_SIZES
	capture_start 12 ether proto 0x88b5 || return 1
	gen --pcap "$TMP/le.pcap" --count 12 >"$TMP/out" 2>&1 ||
		{ cat "$TMP/out"; return 1; }
	capture_wait || { log "tcpdump saw fewer than 12 frames"; return 1; }
	check_eq "frame lengths in order" \
		"$(grep -o 'length [0-9]*:' "$TMP/cap.txt" | tr -dc '0-9\n' | xargs)" \
		"60 1500 1500 1500 300 60 1500 1500 1500 300 60 1500"
}

err_missing_interface() {
	"$PPXDP" --netns "$NSA" gen nosuchif0 --count 1 >"$TMP/out" 2>&1 && return 1
	check_grep "names the interface" "$TMP/out" "no interface 'nosuchif0'"
}

err_mtu_too_small() {
	peer_drop_attach || return 1
	ip -n "$NSA" link set gen0 mtu 500 || return 1
	gen --size 600 --count 1 >"$TMP/out" 2>&1 && return 1
	check_grep "says what to change" "$TMP/out" \
		"frames of 600 bytes (--size) do not fit gen0's MTU 500 plus the 14-byte Ethernet header; raise it with 'ip link set dev gen0 mtu 586'" &&
		check_eq "nothing sent" "$(peer_drop_settled)" 0
}

err_bad_pcap() {
	echo "not a capture file, just some text" >"$TMP/text.pcap"
	pcap_write "$TMP/sll.pcap" le usec 113 64
	pcap_write "$TMP/trunc.pcap" be usec 1 64 64
	truncate -s -10 "$TMP/trunc.pcap"
	pcap_write "$TMP/empty.pcap" le usec 1
	gen --pcap "$TMP/text.pcap" --count 1 >"$TMP/o1" 2>&1 && return 1
	gen --pcap "$TMP/sll.pcap" --count 1 >"$TMP/o2" 2>&1 && return 1
	gen --pcap "$TMP/trunc.pcap" --count 1 >"$TMP/o3" 2>&1 && return 1
	gen --pcap "$TMP/empty.pcap" --count 1 >"$TMP/o4" 2>&1 && return 1
	gen --pcap "$TMP/none.pcap" --count 1 >"$TMP/o5" 2>&1 && return 1
	gen --pcap "$TMP/sll.pcap" --flows 2 >"$TMP/o6" 2>&1 && return 1
	check_grep "not a pcap" "$TMP/o1" "not a pcap file (magic 6e 6f 74 20)" &&
		check_grep "link type" "$TMP/o2" "link type 113 is not Ethernet (1)" &&
		check_grep "truncated" "$TMP/o3" "truncated: record 2 at offset 104 needs 64 bytes, only 54 left" &&
		check_grep "empty" "$TMP/o4" "the capture holds no frames" &&
		check_grep "missing file" "$TMP/o5" "cannot open: No such file or directory" &&
		check_grep "no frame options" "$TMP/o6" "does not combine"
}

err_peer_without_xdp() {
	ip netns exec "$NSB" ethtool -K gen1 gro off >/dev/null
	gen --count 10 >"$TMP/out" 2>&1 && return 1
	check_grep "explains the peer" "$TMP/out" \
		"the veth peer gen1 (netnsid" &&
		check_grep "says what to do" "$TMP/out" \
			"needs a native-mode XDP program"
}

err_no_ndo_xdp_xmit() {
	"$PPXDP" --netns "$NSA" gen lo --count 10 >"$TMP/out" 2>&1 && return 1
	check_grep "explains ndo_xdp_xmit" "$TMP/out" \
		"cannot transmit XDP frames: it has no ndo_xdp_xmit (EOPNOTSUPP)"
}

main() {
	local t rc
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	ensure_mounts
	for t in $ALL_TESTS; do
		if [[ -n ${ONLY:-} && " $ONLY " != *" $t "* ]]; then
			continue
		fi
		if [[ ! -x $PPXDP ]]; then
			echo "FAIL: $t (missing $PPXDP: run make build-all)"
			continue
		fi
		echo "--- $t"
		if ! topo_up >"$TMP/topo.log" 2>&1; then
			cat "$TMP/topo.log"
			echo "FAIL: $t (namespace setup)"
			continue
		fi
		(set -o pipefail; $t) >"$TMP/$t.out" 2>&1
		rc=$?
		cat "$TMP/$t.out"
		case $rc in
		0) echo "PASS: $t" ;;
		2) echo "SKIP: $t ($(sed -n 's/^SKIP_REASON=//p' "$TMP/$t.out" | head -1))" ;;
		*) echo "FAIL: $t" ;;
		esac
		topo_down
	done
}

main
