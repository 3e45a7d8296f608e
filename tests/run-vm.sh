#!/usr/bin/env bash
# make test-vm: for each kernel in MMZ_KERNELS (default below; KVER=<v>
# alone picks one), build (or reuse) its debug test kernel, build mmz.ko
# against it, stage the in-VM tests and boot them in QEMU. The x86 VM
# reserves the carve-out with memmap= and a CMA area with cma= (layout in
# vm/README.md). arm64-<v> and arm-<v> are the same sources for qemu -M
# virt, cross-built with Debian's gcc: both modes on the device tree of
# tests/vm/virt.dtsi (a DT CMA region, a no-map carve-out) next to the cma=
# area, a subset of the programs (MMZ_ARM_TESTS) plus the DT binding tests
# (tests/vm/virt-dt.sh). The default order alternates short and long
# builds and runs, so that the builds of --prefetch overlap the runs.
# Test names carry the kernel ("ok 3 - [6.12] ..."); each kernel ends
# with "vm-<ver>: N passed, N failed[, N skipped]" and the run with the
# sum, "vm: N passed, N failed[, N skipped]" (what run-all.sh reads).
set -uo pipefail
cd "$(dirname "$0")/.."
KERNELS=${MMZ_KERNELS:-${KVER:-arm-6.12 arm64-6.12 6.12 6.1 arm64-6.1 arm-6.1}}
APPEND=${MMZ_VM_APPEND:-'memmap=144M$0x30000000 cma=256M@512M'}
APPEND_ARM=${MMZ_VM_APPEND_ARM:-'cma=128M@0x50000000'}
# seed 000's board layouts (tests/vm/seed000) run on this kernel, after its
# main run; "none" runs them nowhere
LAYOUT_KERNEL=${MMZ_LAYOUT_KERNEL:-arm-6.12}
# cma_pressure is left to x86: with 1G and two CMA areas (256M) the arm64
# guest's page cache stops at the kernel's CMA balance (CMA is used for
# movable pages only while it holds over half the free memory)
ARM_TESTS=${MMZ_ARM_TESTS:-alloc free remap names align inside forkmap alias mmapmode share access memshare mmap_bounds flush kill procfmt layouts odirect exhaust prezero compat dmabuf dmabuf_import vgem vivid}
passed=0 failed=0 skipped=0

# --kernels: the list
if [ "${1:-}" = --kernels ]; then
	echo "$KERNELS"
	exit 0
fi
# --prefetch: build every kernel of the list, in its order, at low
# priority, and print nothing. make test runs this in the background from
# its start (tests/run-all.sh): the builds use the CPU that the unit tests
# and the TCG guests leave idle. A later build-kernel.sh call for the same
# kernel waits on its lock and then finds it built; a failed build is
# retried, and reported, by the run itself.
if [ "${1:-}" = --prefetch ]; then
	for kver in $KERNELS; do
		nice -n 10 bash vm/build-kernel.sh "$kver" debug >/dev/null 2>&1
	done
	# make demo's kernel: make test runs the demo after the VM suites
	nice -n 10 bash vm/build-kernel.sh 6.1 perf >/dev/null 2>&1
	exit 0
fi

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

# fail_run <label> <what>: a run that could not happen, as a failed test
fail_run() {
	echo "not ok - [$1] $2"
	echo "vm-$1: 0 passed, 1 failed"
	failed=$((failed + 1))
}

# One kernel; prints its TAP lines and its "vm-<ver>:" line.
run_kernel() {
	local kver=$1 out=$PWD/build/vm-$1 kdir ko
	local margs=() sargs=() vmargs=() image=arch/x86/boot/bzImage
	fail() { fail_run "$kver" "$1"; }
	mkdir -p "$out"
	case $kver in
	arm64-*|arm-*)
		local a=${kver%%-*}
		local cc32="clang --target=arm-linux-gnueabihf -march=armv7-a"
		# the README's board builds, as written there
		if [ "$a" = arm64 ]; then
			margs=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
			image=arch/arm64/boot/Image
			sargs=(CC="clang --target=aarch64-linux-gnu" M64=
				CC32="$cc32" M32= BITS="64 32")
		else
			# 32-bit programs are native here
			margs=(ARCH=arm CROSS_COMPILE=arm-linux-gnueabihf-)
			image=arch/arm/boot/zImage
			sargs=(CC32="$cc32" M32= BITS=32 NATIVE=32)
		fi
		sargs+=(TESTS="$ARM_TESTS" HELPERS="dtregion zoneparams" O="$out/bin")
		vmargs=(--arch "$a" --dts tests/vm/virt.dtsi --append "$APPEND_ARM")
		;;
	*)
		vmargs=(--append "$APPEND") ;;
	esac
	kdir=$(bash vm/build-kernel.sh "$kver" debug | tail -n 1) && [ -d "$kdir" ] ||
		{ fail "kernel $kver build (see vm/README.md)"; return; }
	# a private copy of the sources per kernel: no objects shared between them
	ko=$(bash vm/build-module.sh "$kdir" "$out/module" "${margs[@]}" 2>"$out/module.log" | tail -n 1) &&
		[ -r "$ko" ] ||
		{ tail -20 "$out/module.log"; fail "mmz.ko build against $kver"; return; }
	local kos hil ot ex gen min hdr m
	# each generation's header calls, exported by that mmz.ko as the
	# vendor's are: 30 hil_*, 34 ot_*, with usr_virt_to_phys
	for gen in "30 include/hisilicon/osal_mmz.h" "35 include/hisilicon/ot/osal_mmz.h"; do
		min=${gen%% *} hdr=${gen#* }
		if ex=$(bash tests/kmod/exports.sh "${ko%/*}/Module.symvers" \
			"$min" "$hdr" include/hisilicon/mmz_defs.h); then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
		fi
		echo "${ex/ - / - [$kver] }"
	done
	# tests/kmod's hil_client.ko and ot_client.ko, vendor-style drivers of
	# mmz.ko's hil_* and ot_* APIs: same kernel and make args, linked
	# against mmz.ko's Module.symvers; a failed build fails one test, the
	# VM runs without that module
	kos=$(bash vm/build-kmod.sh "$kdir" "$out/kmod" "${ko%/*}/Module.symvers" \
		"${margs[@]}" 2>"$out/kmod.log" | tail -n 2)
	hil=$(echo "$kos" | sed -n 1p) ot=$(echo "$kos" | sed -n 2p)
	for m in hil ot; do
		[ -n "${!m}" ] && [ -r "${!m}" ] && continue
		tail -20 "$out/kmod.log"
		echo "not ok - [$kver] ${m}_client.ko build (log: $out/kmod.log)"
		failed=$((failed + 1))
		printf -v "$m" ''
	done
	rm -rf "$out/stage"
	MMZ_KO=$ko bash tests/vm/build.sh "$out/stage" HIL_KO="$hil" OT_KO="$ot" "${sargs[@]}" >"$out/stage.log" 2>&1 ||
		{ tail -20 "$out/stage.log"; fail "test programs build"; return; }
	case $kver in
	arm64-*|arm-*)
		cp tests/vm/virt.conf "$out/stage/config"
		cp tests/vm/virt-dt.sh "$out/stage/extra"
		;;
	*)
		bash tests/lib/build.sh "$out/stage/lib" >>"$out/stage.log" 2>&1 ||
			{ tail -20 "$out/stage.log"; fail "libmmz/mmz test build"; return; }
		# the ARM VMs take their modes from virt.conf, MMZ_ARM_TESTS
		[ -n "${MMZ_MODES:-}" ] && echo "$MMZ_MODES" >"$out/stage/modes"
		[ -n "${MMZ_TESTS:-}" ] && echo "$MMZ_TESTS" >"$out/stage/tests.list"
		;;
	esac

	boot "$kver" "$kdir/$image" "$out/stage" "$out" "${vmargs[@]}" \
		--kunit mmz --kunit mmz_hil --kunit mmz_ot
	[ "$kver" = "$LAYOUT_KERNEL" ] || return 0
	local conf
	for conf in tests/vm/seed000/*.conf; do
		run_layout "$kver" "$kdir/$image" "$out" "$conf"
	done
}

# boot <label> <image> <stage> <log dir> [vm/run.sh args]: one VM run; its
# TAP lines, then "vm-<label>: ..."; adds to the totals
boot() {
	local label=$1 image=$2 stage=$3 logs=$4 rc line p f s
	shift 4
	# x86 guests beside the background kernel builds ran past 1,500 s on
	# a 2-core machine (2026-12-02); a hung guest still ends here
	bash vm/run.sh --kernel "$image" --stage "$stage" "$@" --disk 64 \
		--timeout "${MMZ_VM_TIMEOUT:-3000}" \
		--log "$logs/console.log" | tee "$logs/result.log" |
		sed -u -E "s|^((not )?ok( [0-9]+)?) - |\1 - [$label] |"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$logs/result.log" | tail -n 1)
	if [ -z "$line" ]; then
		fail_run "$label" "VM run ended without a result (console: $logs/console.log)"
		return
	fi
	p=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	s=0
	grep -q skipped <<<"$line" && s=$(sed -E 's/.* ([0-9]+) skipped.*/\1/' <<<"$line")
	# run.sh failing without a failed test (it should not) still fails
	[ "$rc" -eq 0 ] || [ "$f" -ne 0 ] || f=1
	echo "vm-$label: $(summary "$p" "$f" "$s")"
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

# run_layout <kver> <image> <kernel's out dir> <conf>: one of seed 000's
# board layouts (tests/vm/seed000) with the kernel's staged programs
run_layout() {
	local kver=$1 image=$2 out=$3 conf=$4 name st mem app dts zones
	local dargs=()
	name=$(basename "$conf" .conf)
	st=$out/layout-$name
	rm -rf "$st"
	cp -r "$out/stage" "$st"
	cp "$conf" "$st/config"
	cp tests/vm/seed000/common.sh "$st/"
	cp tests/vm/seed000/checks.sh "$st/extra"
	# the VM's memory, command line and device tree, from the conf
	IFS='|' read -r mem app dts zones < <(here=tests/vm/seed000 &&
		. "$conf" && echo "$VM_MEM|$VM_APPEND|$VM_DTS|$HISI_PARAM$CMA_PARAM")
	[ -z "$dts" ] || dargs=(--dts "$dts")
	# KUnit runs where zones load (a refusal-only layout loads none)
	[ -z "$zones" ] || dargs+=(--kunit mmz --kunit mmz_hil --kunit mmz_ot)
	boot "$kver:$name" "$image" "$st" "$st" --arch arm --mem "$mem" \
		--append "$app" "${dargs[@]}"
}

for kver in $KERNELS; do
	run_kernel "$kver"
done
echo "vm: $(summary "$passed" "$failed" "$skipped")"
[ "$failed" -eq 0 ]
