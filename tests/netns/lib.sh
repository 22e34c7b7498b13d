# SPDX-License-Identifier: GPL-2.0
# Test helpers for the netns suites on top of tools/topology.sh (which
# has the topology, log, check and check_eq): a runner that gives every
# test in ALL_TESTS a fresh topology and prints PASS/FAIL/SKIP lines.

. "$(dirname "${BASH_SOURCE[0]}")/../../tools/topology.sh"

# Run every function named in ALL_TESTS with a fresh topology; print
# PASS/FAIL/SKIP lines. A test returns 0 (pass), 1 (fail) or 2 after
# printing "SKIP_REASON=..." (skip).
run_tests() {
	local t rc out
	trap cleanup_all EXIT
	trap 'exit 130' INT TERM
	ensure_mounts
	for t in $ALL_TESTS; do
		if [[ -n ${ONLY:-} && " $ONLY " != *" $t "* ]]; then
			continue
		fi
		CUR_TEST=$t
		echo "--- $t"
		# Tests named *ipv6* get IPv6 addresses; the others keep it off.
		[[ $t == *ipv6* ]] && TOPO_IPV6=1 || TOPO_IPV6=0
		if ! topo_up >"$TMP/topo.log" 2>&1; then
			cat "$TMP/topo.log"
			echo "FAIL: $t (topology setup)"
			topo_down
			continue
		fi
		out=$TMP/$t.out
		( set -o pipefail; $t ) >"$out" 2>&1
		rc=$?
		cat "$out"
		case $rc in
		0) echo "PASS: $t" ;;
		2) echo "SKIP: $t ($(sed -n 's/^SKIP_REASON=//p' "$out" | head -1))" ;;
		*) echo "FAIL: $t" ;;
		esac
		topo_down
	done
}
