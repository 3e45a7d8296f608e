#!/usr/bin/env bash
# Build mmz.ko against a kernel tree in a private copy of the sources, so
# builds against different kernels (debug, perf) never share objects.
# Usage: vm/build-module.sh <KDIR> <out-dir> [make args, e.g. ARCH= CROSS_COMPILE=]
# Last stdout line: the .ko path.
set -euo pipefail
kdir=${1:?usage: build-module.sh <KDIR> <out-dir>}
out=${2:?usage: build-module.sh <KDIR> <out-dir>}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src=$out/src
rm -rf "$src" && mkdir -p "$src"
(cd "$top" && cp -r kernel core include "$src/")
find "$src" \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
	-o -name '.*.cmd' -o -name '*.o.d' -o -name Module.symvers \
	-o -name modules.order \) -exec rm -f {} +
shift 2
make -C "$src/kernel" KDIR="$kdir" "$@" >&2
echo "$src/kernel/mmz.ko"
