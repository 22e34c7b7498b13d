# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Fault cases of the matrix (sourced by run.sh).

run_fault() {
	echo "SKIP_REASON=not written yet"
	return 2
}
