# SPDX-License-Identifier: GPL-2.0
# Helpers for the in-guest ppnic tests (sourced by tests/vm/guest.sh).
#
# A test is a function test_NAME listed in ALL_TESTS. It runs in a subshell
# with errexit set; it passes when it returns 0, is skipped when it calls
# skip "reason", and fails otherwise (its output is then shown). Cleanup
# goes in a trap inside the test.

SKIP_RC=77
KVER=$(uname -r)
KMOD=$BUILD/kmod/$KVER/ppnic.ko

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

run_all_tests() {
	local t rc log
	for t in $ALL_TESTS; do
		log=$TEST_OUT/test_$t.log
		rm -f "$TEST_OUT/.skip_reason"
		echo "--- $t"
		(set -eE; "test_$t") >"$log" 2>&1
		rc=$?
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
