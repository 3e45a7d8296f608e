#!/usr/bin/env bash
# Build tests/kmod's hil_client.ko and tests/kmod/ot's ot_client.ko against a
# kernel tree and the mmz.ko built for it, in a private copy of their sources
# (as vm/build-module.sh does), so builds against different kernels never
# share objects.
# Usage: vm/build-kmod.sh <KDIR> <out-dir> <mmz.ko's Module.symvers> [make args]
# Last two stdout lines: the paths of hil_client.ko and ot_client.ko; one
# that failed to build does not exist (exit status 1), the other is kept.
set -euo pipefail
usage="usage: build-kmod.sh <KDIR> <out-dir> <Module.symvers> [make args]"
kdir=${1:?$usage}
out=${2:?$usage}
symvers=${3:?$usage}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ -r "$symvers" ] || { echo "no $symvers (build mmz.ko first)" >&2; exit 2; }
symvers=$(cd "$(dirname "$symvers")" && pwd)/$(basename "$symvers")
src=$out/src
rm -rf "$src" && mkdir -p "$src/tests" "$src/include"
# the module sees include/hisilicon only, as a vendor driver does
cp -r "$top/tests/kmod" "$src/tests/"
cp -r "$top/include/hisilicon" "$src/include/"
find "$src" \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
	-o -name '.*.cmd' -o -name '*.o.d' -o -name Module.symvers \
	-o -name modules.order \) -exec rm -f {} +
shift 3
rc=0
for d in tests/kmod tests/kmod/ot; do
	make -C "$src/$d" KDIR="$kdir" MMZ_SYMVERS="$symvers" "$@" >&2 || rc=1
done
echo "$src/tests/kmod/hil_client.ko"
echo "$src/tests/kmod/ot/ot_client.ko"
exit $rc
