#!/usr/bin/env bash
# make test's demo suite: make demo (demo/run.sh, the main job) as a test,
# so that it cannot break unnoticed. Its checks are the rig's TAP
# (build/demo/result.log: the in-VM checks, "vm finished", "kernel log
# clean"); a failure outside them (a build, the verdict) counts as one
# more. Ends with "demo: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
rm -f build/demo/result.log
bash demo/run.sh
rc=$?
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' build/demo/result.log 2>/dev/null | tail -n 1)
passed=$(sed -nE 's/^([0-9]+) passed.*/\1/p' <<<"$line")
failed=$(sed -nE 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/p' <<<"$line")
passed=${passed:-0} failed=${failed:-0}
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	echo "not ok - make demo (exit $rc)"
	failed=1
fi
echo "demo: $passed passed, $failed failed"
