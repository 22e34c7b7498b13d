#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# page_pool tracing suite: `ppxdp trace`, `ppxdp stats` and `ppxdp leaks` on
# the veth topology of tools/topology.sh (ns1 a1 <-> r1 router r3 <-> a3 ns3).
#
# Traffic is UDP from ns1's stack (tools/udpflood) into r1. With a native
# XDP program on r1, veth copies every such skb into a page of r1's own
# page_pool (a locally built skb has less headroom than XDP_PACKET_HEADROOM),
# so r1's pool is the pool in play, and the kernel ties it to r1 (pool->p.dev
# is r1's device).
#
# After every test, the namespaces are deleted and every pool they created
# must have been freed by the kernel with hold == release (no leak).
#
# Usage: tests/trace/run.sh                 (all)
#        ONLY="test_drop_recycles" tests/trace/run.sh
set -u
TOPO_PREFIX=${TOPO_PREFIX:-ppxtr}
. "$(dirname "$0")/../../tools/topology.sh"

HOLDSOCK=$BUILD/tests/trace/holdsock
SCHEMA=$ROOT/docs/stats.schema.json
TRACE_DIR=$PIN_ROOT/trace
OWN_TRACE=0
BG_PIDS=()

ALL_TESTS="
	test_trace_start_stop
	test_drop_recycles
	test_tx_recycles
	test_redirect_recycles
	test_pass_unread_socket_leaks
	test_json_schema
	test_prometheus_file
	test_guest_kernels
"

# jq_check WHAT FILE FILTER [JQ ARGS]: FILTER (jq -s over FILE) must print true.
jq_check() {
	local what=$1 file=$2 filter=$3 got
	shift 3
	got=$(jq -s "$@" "$filter" "$file" 2>&1)
	if [[ $got == true ]]; then
		log "ok: $what"
	else
		log "FAILED: $what (got: $got)"
		return 1
	fi
}

bg_start() {
	"$@" &
	BG_PIDS+=($!)
}

bg_stop_all() {
	local p
	for p in "${BG_PIDS[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	BG_PIDS=()
}

# flood COUNT [PORT [PPS [SIZE]]]: UDP from ns1's stack to r1, in the
# background (nsenter execs the sender: its pid is the sender's).
flood() {
	bg_start nsenter --net=/run/netns/"$NS1" "$UDPFLOOD" send --dst 10.1.0.254 \
		--port "${2:-9000}" --count "$1" --size "${4:-64}" --pps "${3:-0}" >/dev/null
}

# stats_json OUT [ARGS...]: ppxdp stats r1 in the router's netns, JSON lines.
stats_json() {
	local out=$1
	shift
	"$PPXDP" -n "$NSR" -j stats r1 "$@" >"$out" 2>"$out.err"
}

# Traffic through r1 with program $1 (and its attach args): every interval
# after the first shows r1's own pool, its recycle rate >= 99%, and hold/s
# near zero at the end.
check_recycling() {
	local prog=$1 action=$2 out=$TMP/stats.json
	shift 2
	check "attach $prog on r1" "$PPXDP" -n "$NSR" attach r1 "$prog" "$@" || return 1
	flood 20000000
	sleep 0.5
	check "ppxdp stats r1 --count 4" stats_json "$out" --interval 1 --count 4 || {
		cat "$out.err"; return 1; }
	bg_stop_all
	jq -c 'select(.type=="interval") | [.interfaces[0].rates.'"$action"'.pps,
		(.pools[] | [.attribution, .hold_delta, .inflight, .recycle_rate])]' "$out" |
		sed 's/^/    /'
	jq_check "4 intervals and a summary" "$out" \
		'(map(select(.type=="interval")) | length) == 4 and
		 (map(select(.type=="summary")) | length) == 1' || return 1
	# Only proves traffic flowed in every interval: the rate itself depends
	# on what else the machine runs, and the recycle checks do not.
	jq_check "r1 saw >= 1k $action frames/s in every interval" "$out" \
		'[.[] | select(.type=="interval") | .interfaces[] | select(.ifname=="r1")
		  | .rates.'"$action"'.pps >= 1000] | length == 4 and all' || return 1
	jq_check "exactly one pool, r1's own (attribution device), in every interval" "$out" \
		'[.[] | select(.type=="interval") | [.pools[] |
		  select(.ifname=="r1" and .attribution=="device" and .state=="live")]
		  | length == 1] | length == 4 and all' || return 1
	jq_check "recycle rate >= 99% after the first interval (pool and interface)" "$out" \
		'[.[] | select(.type=="interval")][1:] | map(
		  (.pools[] | select(.ifname=="r1") | .recycle_rate >= 0.99) and
		  (.interfaces[] | select(.ifname=="r1") | .recycle_rate >= 0.99))
		  | length == 3 and all' || return 1
	jq_check "hold/s near zero at the end (< 0.1% of frames/s)" "$out" \
		'[.[] | select(.type=="interval")] | last |
		 (.pools[] | select(.ifname=="r1") | .hold_per_s) <
		 0.001 * (.interfaces[] | select(.ifname=="r1") | .rates.'"$action"'.pps)' || return 1
	jq_check "summary recycle rate >= 99%" "$out" \
		'map(select(.type=="summary"))[0].recycle_rate >= 0.99' || return 1
}

test_trace_start_stop() {
	local out=$TMP/status.json
	if ((!OWN_TRACE)); then
		echo "SKIP_REASON=a tracing session was pinned before the suite: not stopping it"
		return 2
	fi
	check "trace stop" "$PPXDP" trace stop || return 1
	check "no pins left" test ! -e "$TRACE_DIR" || return 1
	"$PPXDP" -j trace status >"$out"
	jq_check "status: not started" "$out" '.[0].started == false' || return 1
	check "trace start --track-pages 65536" "$PPXDP" trace start --track-pages 65536 || return 1
	if "$PPXDP" trace start 2>"$TMP/again.err"; then
		log "FAILED: a second trace start succeeded"
		return 1
	fi
	check "second start says what to do" grep -q "trace stop" "$TMP/again.err" || return 1
	"$PPXDP" -j trace status >"$out"
	jq_check "status: started, page_pool events from tp_btf or raw_tp" "$out" \
		'.[0].started and (.[0].sources.page_pool_state_hold | IN("tp_btf", "raw_tp"))
		 and (.[0].sources.page_pool_release | IN("tp_btf", "raw_tp"))
		 and .[0].max_pages == 65536' || return 1
	check "link pinned" test -e "$TRACE_DIR/link_page_pool_state_hold" || return 1
	bpftool -j map show pinned "$TRACE_DIR/pools" >"$TMP/map.json"
	jq_check "pools map is BTF-typed" "$TMP/map.json" '.[0].btf_id > 0' || return 1
	# One pool through it, then its record by field name.
	check "attach drop on r1" "$PPXDP" -n "$NSR" attach r1 drop || return 1
	in_ns "$NS1" "$UDPFLOOD" send --dst 10.1.0.254 --port 9000 --count 100 >/dev/null
	bpftool -j map dump pinned "$TRACE_DIR/pools" >"$TMP/pools.json"
	jq_check "bpftool dump shows r1's pool with named fields" "$TMP/pools.json" \
		'[.[0][] | .formatted.value | select(.netns_ino == '"$(ns_ino "$NSR")"')
		  | .hold >= 1 and .attr == 3] | length == 1 and all' || return 1
}

test_drop_recycles() { check_recycling drop drop; }
test_tx_recycles() { check_recycling tx tx; }
test_redirect_recycles() { check_recycling redirect redirect --to r3; }

# XDP_PASS into a UDP socket that is never read: every datagram keeps its
# page, so inflight grows and the recycle rate falls; once r1 is down its
# pool is a zombie that `ppxdp leaks` reports; closing the
# socket returns the pages and the kernel frees the pool.
test_pass_unread_socket_leaks() {
	local out=$TMP/stats.json leaks=$TMP/leaks.json watch=$TMP/watch.json
	local hold_pid pool id i
	check "attach pass on r1" "$PPXDP" -n "$NSR" attach r1 pass || return 1
	nsenter --net=/run/netns/"$NSR" "$HOLDSOCK" 9000 268435456 >"$TMP/holdsock.out" &
	hold_pid=$!
	BG_PIDS+=($hold_pid)
	for i in $(seq 50); do
		grep -q ready "$TMP/holdsock.out" 2>/dev/null && break
		sleep 0.05
	done
	# Full-size datagrams: one page each (smaller ones share pages).
	flood 40000 9000 20000 1472
	check "ppxdp stats r1 --count 3" stats_json "$out" --interval 1 --count 3 || {
		cat "$out.err"; return 1; }
	jq -c 'select(.type=="interval") | [.interfaces[0].rates.pass.pps,
		(.pools[] | [.attribution, .hold_delta, .inflight, .recycle_rate])]' "$out" |
		sed 's/^/    /'
	jq_check "inflight grows past 20000 pages" "$out" \
		'[.[] | select(.type=="interval") | .pools[] | select(.ifname=="r1") | .inflight]
		 | (length == 3) and (.[2] > .[0]) and (.[2] >= 20000)' || return 1
	jq_check "recycle rate under 50% in every interval with >= 10000 frames" "$out" \
		'[.[] | select(.type=="interval")
		  | select(.interfaces[] | select(.ifname=="r1") | .consumed >= 10000)
		  | .pools[] | select(.ifname=="r1") | .recycle_rate]
		  | (length >= 1) and all(. != null and . < 0.5)' || return 1

	# With GRO on, veth keeps NAPI and its pool after the program goes:
	# taking r1 down destroys the pool.
	check "detach r1" "$PPXDP" -n "$NSR" detach r1 || return 1
	check "r1 down (veth destroys its pool)" in_ns "$NSR" ip link set r1 down || return 1
	sleep 1.5
	"$PPXDP" -j leaks >"$leaks"
	jq -c '.zombies[] | [.id, .ifindex, .netns_ino, .inflight, .destroyed_age_s,
		(.oldest_pages // [] | length)]' "$leaks" | sed 's/^/    zombie /'
	jq_check "ppxdp leaks reports r1's pool with >= 20000 pages, destroyed >= 1 s ago" \
		"$leaks" '[.[0].zombies[] | select(.netns_ino == '"$(ns_ino "$NSR")"'
		  and .attribution == "device" and .inflight >= 20000
		  and .destroyed_age_s >= 1)] | length == 1' || { cat "$leaks"; return 1; }
	if [[ $(jq -r '.page_tracking' "$leaks") == true ]]; then
		jq_check "oldest outstanding pages listed with their age" "$leaks" \
			'[.[0].zombies[] | select(.netns_ino == '"$(ns_ino "$NSR")"')
			  | .oldest_pages | length == 5 and all(.age_s >= 1)] | all' || return 1
	fi
	pool=$(jq -r '.zombies[] | select(.netns_ino == '"$(ns_ino "$NSR")"') | .pool' "$leaks")
	id=$(jq -r '.zombies[] | select(.netns_ino == '"$(ns_ino "$NSR")"') | .id' "$leaks")

	"$PPXDP" -j leaks --watch 1 --count 4 >"$watch" &
	local watch_pid=$!
	sleep 0.5
	kill $hold_pid
	wait $hold_pid 2>/dev/null
	wait $watch_pid
	jq_check "leaks --watch reports pool $id drained and freed (hold == release)" \
		"$watch" '[.[] | .gone[] | select(.id == '"$id"' and .hold == .release)]
		 | length == 1' || return 1
	bpftool -j map dump pinned "$TRACE_DIR/gone_pools" >"$TMP/gone.json"
	jq_check "pool $id is in gone_pools with hold == release" "$TMP/gone.json" \
		'[.[0][] | .formatted.value | select(.id == '"$id"')
		  | .hold == .release and .flags == 3] | length == 1 and all' || return 1
	log "pool $pool gone"
}

test_json_schema() {
	local out=$TMP/stats.json line n=0
	check "attach drop on r1" "$PPXDP" -n "$NSR" attach r1 drop || return 1
	flood 20000000
	check "ppxdp stats --count 2" stats_json "$out" --interval 0.5 --count 2 || return 1
	bg_stop_all
	"$PPXDP" -j leaks >>"$out" || return 1
	check "schema and every output line validate" python3 - "$SCHEMA" "$out" <<'EOF' || return 1
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
lines = [json.loads(l) for l in open(sys.argv[2])]
kinds = sorted(set(d["type"] for d in lines))
assert kinds == ["interval", "leaks", "summary"], kinds
for d in lines:
    jsonschema.validate(d, schema)
# The schema must reject what it documents as wrong.
bad = dict(lines[0]); del bad["pools"]
try:
    jsonschema.validate(bad, schema)
    sys.exit("schema accepted an interval without pools")
except jsonschema.ValidationError:
    pass
print("    validated %d objects" % len(lines))
EOF
}

test_prometheus_file() {
	local prom=$TMP/textfile/ppxdp.prom
	mkdir -p "$TMP/textfile"
	check "attach drop on r1" "$PPXDP" -n "$NSR" attach r1 drop || return 1
	flood 20000000
	check "ppxdp stats --prometheus" "$PPXDP" -n "$NSR" stats r1 --interval 0.5 \
		--count 3 --prometheus "$prom" >/dev/null || return 1
	bg_stop_all
	check "only the textfile is left (atomic rename)" \
		test "$(ls "$TMP/textfile")" == ppxdp.prom || return 1
	check "every sample line parses, every metric has HELP and TYPE" awk '
		/^# HELP / { help[$3] = 1; next }
		/^# TYPE / { if ($4 != "gauge" && $4 != "counter") bad++; type[$3] = 1; next }
		/^#/ { next }
		{
			if ($0 !~ /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"]*",?)*\})? -?[0-9.]+([eE][-+]?[0-9]+)?$/) { print "bad line: " $0; bad++ }
			name = $0; sub(/[{ ].*/, "", name)
			if (!(name in help) || !(name in type)) { print "no HELP/TYPE: " name; bad++ }
			n++
		}
		END { exit !(n > 0 && bad == 0) }' "$prom" || return 1
	check "r1 drop counter is non-zero" awk '
		/^ppxdp_xdp_packets_total\{ifname="r1",.*action="drop"\}/ { if ($2 > 1000) ok = 1 }
		END { exit !ok }' "$prom" || return 1
	check "r1 pool metrics present, recycle ratio >= 0.99" awk '
		/^ppxdp_pool_hold_pages_total\{.*ifname="r1".*attribution="device"/ { h = 1 }
		/^ppxdp_pool_inflight_pages\{.*ifname="r1"/ { i = 1 }
		/^ppxdp_pool_recycle_ratio\{.*ifname="r1"/ { if ($2 >= 0.99) r = 1 }
		/^ppxdp_interface_recycle_ratio\{ifname="r1"/ { if ($2 >= 0.99) ir = 1 }
		END { exit !(h && i && r && ir) }' "$prom" || return 1
	sed 's/^/    /' "$prom" | grep -v '^    #' | grep 'r1' | head -12
}

# The same object in Debian's 6.1 and 6.12 kernels under QEMU.
test_guest_kernels() {
	local vm=$ROOT/tools/vm/vm.sh k kernels n=0
	if [[ ! -x $vm ]] || ! command -v qemu-system-x86_64 >/dev/null; then
		echo "SKIP_REASON=no QEMU or tools/vm/vm.sh"
		return 2
	fi
	kernels=$("$vm" kernels 2>/dev/null)
	if [[ -z $kernels ]]; then
		echo "SKIP_REASON=no Debian kernel installed for QEMU (make deps)"
		return 2
	fi
	for k in $kernels; do
		"$vm" run -t 240 -o "$TMP/vm-$k" "$k" -- bash tests/trace/guest.sh \
			>"$TMP/vm-$k.log" 2>&1
		local rc=$?
		grep -E '^(ok|FAILED): ' "$TMP/vm-$k.log" | sed 's/^/    /'
		if ((rc != 0)); then
			log "FAILED: guest $k exited $rc"
			grep -v '^\[' "$TMP/vm-$k.log" | tail -15 | sed 's/^/      /'
			return 1
		fi
		n=$((n + 1))
	done
	((n >= 1))
}

# Every pool the test's namespaces created is freed with hold == release.
check_no_leak() {
	local inos=$1 i ok
	for i in $(seq 50); do
		bpftool -j map dump pinned "$TRACE_DIR/pools" >"$TMP/live.json"
		ok=$(jq --argjson inos "[$inos]" \
			'[.[] | .formatted.value | select(.netns_ino | IN($inos[]))] | length == 0' \
			"$TMP/live.json")
		[[ $ok == true ]] && break
		sleep 0.1
	done
	if [[ $ok != true ]]; then
		log "FAILED: pools of the test's namespaces still alive:"
		jq -c --argjson inos "[$inos]" '.[] | .formatted.value |
			select(.netns_ino | IN($inos[])) | {id, hold, release, flags}' \
			"$TMP/live.json" | sed 's/^/      /'
		return 1
	fi
	bpftool -j map dump pinned "$TRACE_DIR/gone_pools" >"$TMP/gone.json"
	jq_check "teardown: every pool of the test freed with hold == release" \
		"$TMP/gone.json" \
		'[.[0][] | .formatted.value | select(.netns_ino | IN($inos[]))] |
		 (length >= 1) and all(.hold == .release)' --argjson inos "[$inos]"
}

build_helpers() {
	mkdir -p "$(dirname "$HOLDSOCK")"
	[[ $HOLDSOCK -nt $ROOT/tests/trace/holdsock.c ]] ||
		${CC:-cc} -O2 -Wall -o "$HOLDSOCK" "$ROOT/tests/trace/holdsock.c"
}

suite_cleanup() {
	bg_stop_all
	topo_down
	((OWN_TRACE)) && "$PPXDP" trace stop >/dev/null 2>&1
	rm -rf "$TMP"
}

main() {
	local t rc out inos
	trap suite_cleanup EXIT
	trap 'exit 130' INT TERM
	ensure_mounts
	if [[ ! -x $PPXDP || ! -x $UDPFLOOD ]]; then
		echo "FAIL: trace (missing $PPXDP or $UDPFLOOD: run make build-all)"
		return 1
	fi
	build_helpers || { echo "FAIL: trace (cannot build holdsock)"; return 1; }
	if [[ ! -e $TRACE_DIR/pools ]]; then
		"$PPXDP" trace start --track-pages 65536 || {
			echo "FAIL: trace (ppxdp trace start)"; return 1; }
		OWN_TRACE=1
	fi
	for t in $ALL_TESTS; do
		if [[ -n ${ONLY:-} && " $ONLY " != *" $t "* ]]; then
			continue
		fi
		echo "--- $t"
		if ! topo_up >"$TMP/topo.log" 2>&1; then
			cat "$TMP/topo.log"
			echo "FAIL: $t (topology setup)"
			topo_down
			continue
		fi
		inos="$(ns_ino "$NS1"),$(ns_ino "$NSR"),$(ns_ino "$NS3")"
		out=$TMP/$t.out
		( set -o pipefail; trap bg_stop_all EXIT; $t ) >"$out" 2>&1
		rc=$?
		bg_stop_all
		topo_down
		if ((rc == 0)) && [[ $t != test_guest_kernels ]] &&
		   ! check_no_leak "$inos" >>"$out" 2>&1; then
			rc=1
		fi
		cat "$out"
		case $rc in
		0) echo "PASS: $t" ;;
		2) echo "SKIP: $t ($(sed -n 's/^SKIP_REASON=//p' "$out" | head -1))" ;;
		*) echo "FAIL: $t" ;;
		esac
	done
}

main
