#!/usr/bin/env bash
# make test-vm: build (or reuse) the debug test kernel, build mmz.ko against
# it, stage the in-VM tests and boot them in QEMU. The VM reserves the
# carve-out with memmap= and a CMA area with cma= (layout in vm/README.md).
# Prints "vm: N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."
KVER=${KVER:-6.1}
OUT=build/vm-$KVER
APPEND=${MMZ_VM_APPEND:-'memmap=128M$0x30000000 cma=256M@512M'}
mkdir -p "$OUT"

fail() {
	echo "not ok - $1"
	echo "vm: 0 passed, 1 failed"
	exit 1
}

kdir=$(bash vm/build-kernel.sh "$KVER" debug | tail -n 1) ||
	fail "kernel $KVER build (see vm/README.md)"
make -C kernel KDIR="$kdir" >"$OUT/module.log" 2>&1 ||
	{ tail -20 "$OUT/module.log"; fail "mmz.ko build against $KVER"; }
rm -rf "$OUT/stage"
bash tests/vm/build.sh "$OUT/stage" >"$OUT/stage.log" 2>&1 ||
	{ tail -20 "$OUT/stage.log"; fail "test programs build"; }
bash tests/lib/build.sh "$OUT/stage/lib" >>"$OUT/stage.log" 2>&1 ||
	{ tail -20 "$OUT/stage.log"; fail "libmmz/mmz test build"; }
[ -n "${MMZ_MODES:-}" ] && echo "$MMZ_MODES" >"$OUT/stage/modes"

bash vm/run.sh --kernel "$kdir/arch/x86/boot/bzImage" --stage "$OUT/stage" \
	--append "$APPEND" --disk 64 --timeout "${MMZ_VM_TIMEOUT:-1500}" \
	--kunit mmz --log "$OUT/console.log" | tee "$OUT/result.log"
rc=${PIPESTATUS[0]}
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$OUT/result.log" | tail -n 1)
[ -n "$line" ] || fail "VM run ended without a result (console: $OUT/console.log)"
echo "vm: $line"
exit "$rc"
