#!/usr/bin/env bash
# make test-vm: for each kernel in MMZ_KERNELS (default "6.1 6.12
# arm64-6.12"; KVER=<v> alone picks one), build (or reuse) its debug test
# kernel, build mmz.ko against it, stage the in-VM tests and boot them in
# QEMU. The x86 VM reserves the carve-out with memmap= and a CMA area with
# cma= (layout in vm/README.md). arm64-<v> is the same kernel for qemu
# -M virt, built with clang: CMA mode only, a DT reserved-memory region
# (tests/vm/arm64.dtsi) next to the cma= area, a subset of the programs
# (MMZ_ARM64_TESTS) plus the DT binding tests (tests/vm/arm64-dt.sh).
# Test names carry the kernel ("ok 3 - [6.12] ..."); each kernel ends
# with "vm-<ver>: N passed, N failed[, N skipped]" and the run with the
# sum, "vm: N passed, N failed[, N skipped]" (what run-all.sh reads).
set -uo pipefail
cd "$(dirname "$0")/.."
KERNELS=${MMZ_KERNELS:-${KVER:-6.1 6.12 arm64-6.12}}
APPEND=${MMZ_VM_APPEND:-'memmap=128M$0x30000000 cma=256M@512M'}
APPEND_ARM64=${MMZ_VM_APPEND_ARM64:-'cma=128M@0x50000000'}
# cma_pressure is left to x86: with 1G and two CMA areas (256M) the arm64
# guest's page cache stops at the kernel's CMA balance (CMA is used for
# movable pages only while it holds over half the free memory)
ARM64_TESTS=${MMZ_ARM64_TESTS:-alloc free remap names align inside forkmap alias mmapmode share access memshare mmap_bounds flush kill procfmt layouts odirect exhaust prezero compat}
passed=0 failed=0 skipped=0
# the packages of every kernel asked for (arm64's only when it runs)
# shellcheck disable=SC2086 # one word per kernel
mkdir -p build
bash vm/deps.sh test $KERNELS >build/deps-vm.log 2>&1 || {
	tail -20 build/deps-vm.log
	echo "not ok - vm/deps.sh test $KERNELS (log: build/deps-vm.log)"
	echo "vm: 0 passed, 1 failed"
	exit 1
}

summary() { # <passed> <failed> <skipped>
	local s="$1 passed, $2 failed"
	[ "$3" -eq 0 ] || s="$s, $3 skipped"
	echo "$s"
}

# One kernel; prints its TAP lines and its "vm-<ver>:" line.
run_kernel() {
	local kver=$1 out=$PWD/build/vm-$1 kdir ko rc line p f s
	local menv=() sargs=() vmargs=() image=arch/x86/boot/bzImage
	fail() {
		echo "not ok - [$kver] $1"
		echo "vm-$kver: 0 passed, 1 failed"
		failed=$((failed + 1))
	}
	mkdir -p "$out"
	case $kver in
	arm64-*)
		menv=(ARCH=arm64 LLVM=1) image=arch/arm64/boot/Image
		sargs=(CC="clang --target=aarch64-linux-gnu" M64=
			CC32="clang --target=arm-linux-gnueabihf -march=armv7-a"
			M32= BITS="64 32"
			TESTS="$ARM64_TESTS" HELPERS="dtregion zoneparams" O="$out/bin")
		vmargs=(--arch arm64 --dts tests/vm/arm64.dtsi --append "$APPEND_ARM64")
		;;
	*)
		vmargs=(--append "$APPEND") ;;
	esac
	kdir=$(bash vm/build-kernel.sh "$kver" debug | tail -n 1) && [ -d "$kdir" ] ||
		{ fail "kernel $kver build (see vm/README.md)"; return; }
	# a private copy of the sources per kernel: no objects shared between them
	ko=$(env "${menv[@]}" bash vm/build-module.sh "$kdir" "$out/module" 2>"$out/module.log" | tail -n 1) &&
		[ -r "$ko" ] ||
		{ tail -20 "$out/module.log"; fail "mmz.ko build against $kver"; return; }
	rm -rf "$out/stage"
	MMZ_KO=$ko bash tests/vm/build.sh "$out/stage" "${sargs[@]}" >"$out/stage.log" 2>&1 ||
		{ tail -20 "$out/stage.log"; fail "test programs build"; return; }
	case $kver in
	arm64-*)
		cp tests/vm/arm64.conf "$out/stage/config"
		cp tests/vm/arm64-dt.sh "$out/stage/extra"
		;;
	*)
		bash tests/lib/build.sh "$out/stage/lib" >>"$out/stage.log" 2>&1 ||
			{ tail -20 "$out/stage.log"; fail "libmmz/mmz test build"; return; }
		# arm64 has only the cma mode (its config) and MMZ_ARM64_TESTS
		[ -n "${MMZ_MODES:-}" ] && echo "$MMZ_MODES" >"$out/stage/modes"
		[ -n "${MMZ_TESTS:-}" ] && echo "$MMZ_TESTS" >"$out/stage/tests.list"
		;;
	esac

	bash vm/run.sh --kernel "$kdir/$image" --stage "$out/stage" \
		"${vmargs[@]}" --disk 64 --timeout "${MMZ_VM_TIMEOUT:-1500}" \
		--kunit mmz --log "$out/console.log" | tee "$out/result.log" |
		sed -u -E "s/^((not )?ok( [0-9]+)?) - /\1 - [$kver] /"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out/result.log" | tail -n 1)
	if [ -z "$line" ]; then
		fail "VM run ended without a result (console: $out/console.log)"
		return
	fi
	p=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	s=0
	grep -q skipped <<<"$line" && s=$(sed -E 's/.* ([0-9]+) skipped.*/\1/' <<<"$line")
	# run.sh failing without a failed test (it should not) still fails
	[ "$rc" -eq 0 ] || [ "$f" -ne 0 ] || f=1
	echo "vm-$kver: $(summary "$p" "$f" "$s")"
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

for kver in $KERNELS; do
	run_kernel "$kver"
done
echo "vm: $(summary "$passed" "$failed" "$skipped")"
[ "$failed" -eq 0 ]
