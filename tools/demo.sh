#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: build is done by make; this sets up ns1 - router - ns3,
# attaches fwd on the router with a small rule set, sends traffic from ns1,
# shows live per-action rates and recycling statistics, and tears down.
set -u
TOPO_PREFIX=ppxdemo
. "$(dirname "$0")/topology.sh"

DURATION=${DEMO_SECONDS:-5}

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
run() {
	echo "\$ $*"
	"$@"
}

demo_cleanup() {
	[[ -n ${TRAFFIC_PIDS:-} ]] && kill $TRAFFIC_PIDS 2>/dev/null
	wait 2>/dev/null
	[[ -n ${TRACE_STARTED:-} ]] && "$PPXDP" trace stop >/dev/null 2>&1
	cleanup_all
	echo
	echo "demo: torn down (namespaces, links and pins removed)"
}
trap demo_cleanup EXIT
trap 'exit 130' INT TERM

if [[ $(id -u) -ne 0 ]]; then
	echo "demo: must run as root (namespaces, XDP)" >&2
	exit 1
fi
ensure_mounts

step "Topology: $NS1 [a1 10.1.0.1] -- [r1] $NSR [r3] -- [a3 10.3.0.1] $NS3"
topo_up || { echo "demo: topology setup failed" >&2; exit 1; }
in_ns $NSR sysctl -qw net.ipv4.ip_forward=0
echo "kernel forwarding on the router is OFF: only XDP forwards"

step "Rules for fwd on the router"
RULES=$(router_rules)
grep -v '^#' "$RULES"
run "$PPXDP" rules check "$RULES" || exit 1

step "Attach fwd on r1 and r3 (pinned links, outlive ppxdp)"
run "$PPXDP" -n $NSR attach r1 fwd --rules "$RULES" || exit 1
run "$PPXDP" -n $NSR attach r3 fwd --rules "$RULES" || exit 1

# Tracing is shared by the host: reuse a running session, and stop only
# the one this demo started.
if "$PPXDP" trace status >/dev/null 2>&1; then
	TRACE_ON=1
	echo "page_pool tracing already running: using it"
elif run "$PPXDP" trace start; then
	TRACE_ON=1 TRACE_STARTED=1
fi

step "Ping ns1 -> ns3 through XDP (TTL 63: one hop, decremented by fwd)"
run in_ns $NS1 ping -c 3 -i 0.2 10.3.0.1

step "Exact delivery: 20000 UDP datagrams ns1 -> ns3 (sequence numbers, payload checksums)"
udp_flood $NS1 $NS3 10.3.0.1 7000 20000 256

step "Load for ${DURATION}s: ppxdp gen (live frames) from ns1, 64-byte UDP to 10.3.0.1, 16 flows; 10% to port 9999"
in_ns $NS1 "$PPXDP" gen a1 --dst-mac $MAC_R1 --src 10.1.0.1 --dst 10.3.0.1 \
	--dport 7000 --flows 16 --duration "$DURATION" >"$TMP/gen" 2>&1 &
TRAFFIC_PIDS="$!"
in_ns $NS1 "$PPXDP" gen a1 --dst-mac $MAC_R1 --src 10.1.0.1 --dst 10.3.0.1 \
	--dport 9999 --duration "$DURATION" >"$TMP/gen9999" 2>&1 &
TRAFFIC_PIDS+=" $!"
# Stack-built packets make r1's veth copy into its page_pool (its headroom
# is short), so r1's own pool shows a recycle rate too.
in_ns $NS1 "$UDPFLOOD" send --dst 10.3.0.1 --port 7001 --count 100000000 \
	--size 64 --pps 100000 >/dev/null 2>&1 &
TRAFFIC_PIDS+=" $!"
sleep 0.5

step "Live per-action rates on the router's r1 (ppxdp status --count)"
run "$PPXDP" -n $NSR status r1 --interval 1 --count 2

if [[ -n ${TRACE_ON:-} ]]; then
	step "Recycling per page_pool: recycle rate = 1 - new pages / buffers consumed (ppxdp stats)"
	run "$PPXDP" -n $NSR stats --interval 1 --count $((DURATION - 3))
fi

kill $TRAFFIC_PIDS 2>/dev/null
wait $TRAFFIC_PIDS 2>/dev/null
TRAFFIC_PIDS=
step "Generator summary"
tail -n 3 "$TMP/gen"

step "Per-rule counters"
run "$PPXDP" -n $NSR rules show r1

step "Counters as bpftool prints them (pinned, BTF-typed)"
run bpftool map dump pinned "$PIN_ROOT/r1@$(ns_ino $NSR)/fwd_stats" | head -40

step "Detach"
run "$PPXDP" -n $NSR detach r1
run "$PPXDP" -n $NSR detach r3

if [[ -n ${TRACE_ON:-} ]]; then
	step "Pages still in flight anywhere? (ppxdp leaks)"
	run "$PPXDP" leaks
fi
