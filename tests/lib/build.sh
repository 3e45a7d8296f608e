#!/bin/sh
# SPDX-License-Identifier: MIT
# Build libmmz (64- and 32-bit, static), the mmz tool (static) and the libmmz
# in-VM tests, and lay them out in a stage subdirectory:
#   tests/lib/build.sh <stage-subdir>      e.g. <stage>/lib  (-> /mmz/lib in the VM)
# Result: <dir>/run-tests.sh, <dir>/bin/{api,threads,hisi}-{64,32},
#         <dir>/bin/mmz, <dir>/bin/jsoncheck
set -e
[ -n "$1" ] || { echo "usage: $0 <stage-subdir>" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
mkdir -p "$1/bin"
stage=$(cd "$1" && pwd)
out=${MMZ_LIB_BUILD:-$top/build/lib-tests}
make -C "$here" O="$out"
make -C "$top/tools" O="$out/tools" STATIC=1
for p in api threads hisi; do
	cp "$out/bin/$p-64" "$out/bin/$p-32" "$stage/bin/"
done
cp "$out/bin/jsoncheck" "$out/tools/mmz" "$stage/bin/"
cp "$here/run-tests.sh" "$stage/run-tests.sh"
chmod +x "$stage/run-tests.sh"
