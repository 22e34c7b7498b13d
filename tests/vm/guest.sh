#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# VM suite (guest side), started by tests/vm/run.sh through tools/vm/vm.sh.
#   guest.sh ppnic    the ppnic module tests (tests/vm/ppnic.sh)
#   guest.sh suites   the project's suites under this kernel
# Result lines go to stdout and to $TEST_OUT/results (the host reads those:
# the console also carries kernel messages).
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
TEST_OUT=${TEST_OUT:-/tmp/vmout}
RESULTS=$TEST_OUT/results
: >"$RESULTS"

if [[ -z ${PPXDP_VM:-} ]]; then
	echo "guest.sh runs inside a test guest: use tests/vm/run.sh or make test-vm" >&2
	exit 2
fi

result() {
	echo "$*"
	echo "$*" >>"$RESULTS"
}

# Criterion TAP and shell-suite logs -> result lines "PASS: SUITE: name".
collect_suite() {
	local suite=$1 tap=$TEST_OUT/$1.tap log=$TEST_OUT/$1.log line
	if [[ -f $tap ]]; then
		while IFS= read -r line; do
			case $line in
			"ok "*"# SKIP"*) result "SKIP: $suite: ${line#ok }" ;;
			"ok "*) result "PASS: $suite: ${line#ok }" ;;
			"not ok "*) result "FAIL: $suite: ${line#not ok }" ;;
			esac
		done <"$tap"
	elif [[ -f $log ]]; then
		grep -E '^(PASS|FAIL|SKIP): ' "$log" | sed "s/^\(PASS\|FAIL\|SKIP\): /\1: $suite: /" |
			while IFS= read -r line; do result "$line"; done
	else
		result "FAIL: $suite (no results in $TEST_OUT)"
	fi
}

# One suite at a time, its results collected at once: a guest killed by
# its timeout still reports the suites it finished.
run_suites() {
	local suites=() s rc=0
	[[ -n $(compgen -G 'tests/progrun/*.c') ]] && suites+=(progrun)
	[[ -f tests/netns/run.sh ]] && suites+=(netns)
	if ((${#suites[@]} == 0)); then
		result "SKIP: suites (no progrun or netns suite in this tree)"
		return 0
	fi
	# Under TCG the two randomized parser sweeps take minutes; they test
	# user-space reference code against the same program every kernel
	# loads, so the host run (6.18) keeps them and the guests skip them.
	export CRITERION_TEST_PATTERN=${CRITERION_TEST_PATTERN:-'!(fwd_parse/random_frames_match_reference|fwd_parse/truncated_at_every_length)'}
	for s in "${suites[@]}"; do
		echo "=== tests/run.sh $s on $(uname -r)"
		tests/run.sh "$s" || rc=1
		collect_suite "$s"
	done
	return $rc
}

case ${1:-} in
ppnic)
	. tests/vm/lib.sh
	. tests/vm/ppnic.sh
	run_all_tests
	;;
suites) run_suites ;;
*)
	echo "usage: guest.sh ppnic|suites" >&2
	exit 2
	;;
esac
