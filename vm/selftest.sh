#!/usr/bin/env bash
# Smoke test of the VM rig: builds the debug kernel, boots it with the default
# mmz zone plan and checks the features mmz tests rely on.
# Usage: [KVER=6.1|6.12] vm/selftest.sh [--expect-fail]
#   --expect-fail: also inject a "WARNING:" into the kernel log and pass only
#   if vm/run.sh reports the run as failed because of it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
expect_fail=0
case ${1:-} in
  --expect-fail) expect_fail=1 ;;
  '') ;;
  *) sed -n '4,6s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac

"$here/deps.sh" test "${KVER:-6.1}"
kdir=$("$here/build-kernel.sh" "${KVER:-6.1}" debug | tail -n1)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$here/selftest/run-tests" "$stage/"
gcc -m32 -idirafter "/usr/include/$(gcc -print-multiarch)" -static -O2 -o "$stage/hello32" "$here/selftest/hello32.c"
gcc -static -O2 -Wall -o "$stage/odirect" "$here/selftest/odirect.c"
[ "$expect_fail" -eq 0 ] || touch "$stage/inject-warning"

# the default zone plan: CMA 256M at 512M, mmz carve-out 128M at 0x30000000
# shellcheck disable=SC2016 # the $ is memmap syntax, not a shell expansion
args=(--kernel "$kdir/arch/x86/boot/bzImage" --stage "$stage" --mem 1G
  --disk 64 --timeout 600 --append 'cma=256M@512M memmap=128M$0x30000000')

if [ "$expect_fail" -eq 0 ]; then
  "$here/run.sh" "${args[@]}"
  exit
fi

out=$stage/run.out
rc=0
"$here/run.sh" "${args[@]}" | tee "$out" || rc=$?
if [ "$rc" -ne 0 ] && grep -q "^not ok - kernel log clean: 'WARNING:'" "$out" &&
  grep -q 'WARNING: test-injected' "$out"; then
  echo "ok 1 - injected WARNING made the run fail"
  echo "1 passed, 0 failed"
else
  echo "not ok 1 - injected WARNING was not detected (run.sh rc $rc)"
  echo "0 passed, 1 failed"
  exit 1
fi
