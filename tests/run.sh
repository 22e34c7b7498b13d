#!/bin/bash
# Run the ppxdp test suites and print one closing line:
#   "N passed, N failed, N skipped"
# Usage: tests/run.sh [SUITE...]   (default: every suite present)
#
# Suites:
#   unit     criterion unit tests (build/tests/unit_tests)
#   progrun  BPF_PROG_RUN tests of every XDP program (build/tests/progrun_tests)
#   SUITE    any tests/SUITE/run.sh: a shell suite printing one line per test,
#            "PASS: name", "FAIL: name" or "SKIP: name (reason)"
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=${TEST_OUT:-$BUILD/tests}  # TEST_OUT: writable dir when build/ is read-only (VM guests)
mkdir -p "$OUT"

pass=0 fail=0 skip=0
failed=()

ensure_mounts() {
	mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
	mountpoint -q /sys/kernel/tracing ||
		mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
}

run_criterion() {
	local suite=$1 bin=$BUILD/tests/${1}_tests
	local tap=$OUT/$suite.tap
	if [[ ! -x $bin ]]; then
		echo "FAIL: $suite (missing $bin: run make build-tests)"
		fail=$((fail + 1)); failed+=("$suite"); return
	fi
	echo "=== $suite"
	"$bin" --jobs=2 --tap="$tap" --xml="$OUT/$suite.xml" 2>&1 |
		grep -v '^\[----\]' | tail -n 40
	local p f s
	p=$(grep -c '^ok ' "$tap" | head -1)
	s=$(grep -c '^ok .*# SKIP' "$tap" | head -1)
	f=$(grep -c '^not ok ' "$tap" | head -1)
	p=$((p - s))
	grep '^not ok ' "$tap" | sed "s/^/FAIL: $suite: /"
	grep '^ok .*# SKIP' "$tap" | sed "s/^/SKIP: $suite: /"
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	((f == 0)) || failed+=("$suite")
	# A crashed or aborted binary writes an incomplete report.
	if ((p + f + s == 0)); then
		echo "FAIL: $suite (no test result in $tap)"
		fail=$((fail + 1)); failed+=("$suite")
	fi
}

run_shell() {
	local suite=$1 log=$OUT/$1.log
	echo "=== $suite"
	bash "tests/$suite/run.sh" 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	local p f s
	p=$(grep -c '^PASS: ' "$log")
	f=$(grep -c '^FAIL: ' "$log")
	s=$(grep -c '^SKIP: ' "$log")
	if ((rc != 0 && f == 0)); then
		echo "FAIL: $suite (runner exited $rc)"
		f=1
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	((f == 0)) || failed+=("$suite")
}

suites=("$@")
if ((${#suites[@]} == 0)); then
	suites=(unit progrun)
	for d in tests/*/run.sh; do
		suites+=("$(basename "$(dirname "$d")")")
	done
fi

ensure_mounts
for s in "${suites[@]}"; do
	case $s in
	unit | progrun) run_criterion "$s" ;;
	*)
		if [[ -f tests/$s/run.sh ]]; then
			run_shell "$s"
		else
			echo "FAIL: $s (no such suite)"; fail=$((fail + 1))
		fi
		;;
	esac
done

echo
((${#failed[@]} == 0)) || echo "failed suites: ${failed[*]}"
echo "$pass passed, $fail failed, $skip skipped"
((fail == 0 && pass > 0))
