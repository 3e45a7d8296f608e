#!/usr/bin/env bash
# make test: every suite, then one closing line "N passed, N failed".
# Installs what it needs first (Debian packages; see vm/deps.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
bash vm/deps.sh test || { echo "0 passed, 1 failed"; exit 1; }
passed=0 failed=0 skipped=0
mkdir -p build
# the VM kernels' packages now, then their builds in the background at low
# priority, beside the suites before run-vm (tests/run-vm.sh --prefetch);
# its own session, so that an interrupted make test stops the build too
prefetch=
# shellcheck disable=SC2046 # one word per kernel
if bash vm/deps.sh test $(bash tests/run-vm.sh --kernels) >build/deps-vm.log 2>&1; then
	setsid bash tests/run-vm.sh --prefetch &
	prefetch=$!
	trap 'kill -- -$prefetch 2>/dev/null' EXIT
fi
for suite in run-fresh run-unit lib/run-unit run-fuzz run-vm run-demo; do
	[ -f "tests/$suite.sh" ] || continue
	log=build/${suite//\//-}.log
	bash "tests/$suite.sh" 2>&1 | tee "$log"
	# a suite's last "<word>: N passed, N failed" line is its total; the
	# per-kernel "vm-<ver>:" lines of run-vm.sh do not match (digits), the
	# "vm:" line after them is their sum
	line=$(grep -E '^[a-z-]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
	if [ -z "$line" ]; then
		echo "not ok - $suite ended without a result line"
		failed=$((failed + 1))
		continue
	fi
	passed=$((passed + $(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")))
	failed=$((failed + $(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")))
	if grep -qE 'skipped' <<<"$line"; then
		skipped=$((skipped + $(sed -E 's/.* ([0-9]+) skipped.*/\1/' <<<"$line")))
	fi
done
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
