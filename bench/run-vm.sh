#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# make bench-vm: in-VM latency benchmark (bench/vm/README.md).
#
# Builds (or reuses) the `perf` 6.1 kernel (base + media fragments, no
# KASAN/lockdep/kmemleak), builds mmz.ko against it in a private copy of
# kernel/ core/ include/ (so a debug build of kernel/ is not disturbed),
# builds bench/vm/vmbench static, boots ONE VM and measures there, in that
# one boot, p50/p99 of a full buffer cycle (alloc + mmap + touch every page
# + munmap + free) at 4 KiB, 1 MiB and 8 MiB for mmz carve-out
# (mmz_allocator=hisi), mmz CMA (mmz_allocator=cma), dma-heap "reserved"
# (CMA) and dma-heap "system". A load that fails is a failed test and
# leaves that back end's figures "n/a".
#
# Prints the guest's TAP, a table, ratios, a targets line and, last, one line
#   vm-bench: cma_vs_heap_p50_4k=<r> cma_vs_heap_p50_1m=<r>
#             cma_vs_heap_p50_8m=<r> hisi_vs_heap_p50_8m=<r>
#             hisi_vs_system_p50_8m=<r>                       (one line)
# ratio = mmz p50 / dma-heap p50, "n/a" when a figure is missing; each mmz
# figure is divided by the heap measured interleaved with it (cma: the CMA
# heap of phase B, hisi: the heaps of phase A).
# Exit status: that of vm/run.sh (non-zero when a measurement did not run or
# the kernel log had a problem), or 1 when a build failed; missed targets
# are reported, not fatal.
#
# Output: build/bench-vm/ (console.log, result.log, module.log, stage/).
# Knobs (environment): KVER (6.1), VMBENCH_ITERS ("4096:3000 1048576:1000
# 8388608:500", <bytes>:<iterations>), VMBENCH_WARMUP (10 cycles per target
# and size), VMBENCH_ROUNDS (10), VMBENCH_SECS_A (150) / VMBENCH_SECS_B (120)
# (measuring-time caps per phase; the run stops at a round boundary),
# MMZ_BENCH_HISI_ZONES, MMZ_BENCH_CMA_ZONES, MMZ_VM_APPEND, MMZ_BENCH_TIMEOUT
# (host-side VM timeout, 900 s), VMBENCH_CPU (qemu -cpu, passed when vm/run.sh
# has --cpu; default "max,erms=off,fsrm=off", empty = the rig's default).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
KVER=${KVER:-6.1}
OUT=$ROOT/build/bench-vm
APPEND=${MMZ_VM_APPEND:-'memmap=128M$0x30000000 cma=256M@512M'}
HISI_ZONES=${MMZ_BENCH_HISI_ZONES:-anonymous,0,0x30000000,128M}
CMA_ZONES=${MMZ_BENCH_CMA_ZONES:-anonymous,0,0x20000000,192M}
ITERS=${VMBENCH_ITERS:-"4096:3000 1048576:1000 8388608:500"}
# With -cpu max (ERMS) the kernel zeroes with `rep stosb`, which TCG runs
# ~6x slower than the `rep stosq` it uses without ERMS (8 MiB: ~30 ms vs
# ~5.3 ms); zeroing then drowns every other cost (bench/vm/README.md).
# Empty = the rig's default CPU.
CPU=${VMBENCH_CPU-max,erms=off,fsrm=off}

note() { echo "vm-bench: $*" >&2; }
die() {
	note "$1"
	echo "vm-bench: cma_vs_heap_p50_4k=n/a cma_vs_heap_p50_1m=n/a cma_vs_heap_p50_8m=n/a hisi_vs_heap_p50_8m=n/a hisi_vs_system_p50_8m=n/a"
	exit 1
}

mkdir -p "$OUT" || exit 1

bash vm/deps.sh "$KVER" >"$OUT/deps.log" 2>&1 ||
	{ tail -20 "$OUT/deps.log" >&2; die "vm/deps.sh failed (see $OUT/deps.log)"; }

note "perf kernel $KVER (built once, ~15 min on 2 cores; cached)"
kdir=$(bash vm/build-kernel.sh "$KVER" perf | tail -n 1) && [ -d "$kdir" ] ||
	die "perf kernel $KVER build failed (see vm/README.md)"

# mmz.ko against the perf kernel, in a private copy of the sources
ko=$(bash vm/build-module.sh "$kdir" "$OUT" 2>"$OUT/module.log" | tail -n 1) &&
	[ -f "$ko" ] ||
	{ tail -20 "$OUT/module.log" >&2; die "mmz.ko build against the perf kernel failed"; }

stage=$OUT/stage
rm -rf "$stage" && mkdir -p "$stage" || exit 1
${CC:-gcc} -static -std=c11 -O2 -Wall -Wextra -Werror -I"$ROOT/include" \
	-o "$stage/vmbench" bench/vm/vmbench.c >"$OUT/vmbench-build.log" 2>&1 ||
	{ cat "$OUT/vmbench-build.log" >&2; die "vmbench build failed"; }
cp "$ko" "$stage/mmz.ko" &&
	cp bench/vm/run-tests "$stage/run-tests" && chmod +x "$stage/run-tests" ||
	die "staging failed"
cat >"$stage/bench.conf" <<EOF
HISI_ZONES='$HISI_ZONES'
CMA_ZONES='$CMA_ZONES'
SIZES='$ITERS'
WARMUP=${VMBENCH_WARMUP:-10}
ROUNDS=${VMBENCH_ROUNDS:-10}
SECS_A=${VMBENCH_SECS_A:-150}
SECS_B=${VMBENCH_SECS_B:-120}
EOF

cpu_args=()
if [ -n "$CPU" ] && grep -q -- '--cpu)' vm/run.sh; then
	cpu_args=(--cpu "$CPU")
else
	[ -z "$CPU" ] || note "vm/run.sh has no --cpu option: the guest CPU is the rig's default (zeroing dominates, see bench/vm/README.md)"
	CPU="rig default"
fi
bash vm/run.sh --kernel "$kdir/arch/x86/boot/bzImage" --stage "$stage" \
	--append "$APPEND" --timeout "${MMZ_BENCH_TIMEOUT:-900}" "${cpu_args[@]}" \
	--log "$OUT/console.log" | tee "$OUT/result.log"
rc=${PIPESTATUS[0]}

# ---- figures: "# vmbench label=<l> size=<b> n=<n> p50_ms=<x> p99_ms=<x> ..." ----
grep -E '^# vmbench(-info|-error)? ' "$OUT/console.log" | sed 's/^# /# guest: /'
grep -E '^# vmbench(-steps)? label=' "$OUT/console.log" | awk -v kver="$KVER" -v cpu="$CPU" '
{
	delete f
	for (i = 3; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
	key = f["label"] SUBSEP f["size"]
	if ($2 == "vmbench-steps") {
		steps[key] = sprintf("%8.3f %8.3f %8.3f %8.3f %8.3f", f["alloc_p50_ms"],
			f["mmap_p50_ms"], f["touch_p50_ms"], f["munmap_p50_ms"], f["free_p50_ms"])
		if ("alloc_p99_ms" in f) steps99[key] = sprintf("%8.3f %8.3f %8.3f %8.3f %8.3f", f["alloc_p99_ms"],
			f["mmap_p99_ms"], f["touch_p99_ms"], f["munmap_p99_ms"], f["free_p99_ms"])
		next
	}
	p50[key] = f["p50_ms"]; p99[key] = f["p99_ms"]; n[key] = f["n"]
}
function have(l, s) { return ((l, s) in p50) }
function cell(l, s) {
	return have(l, s) ? sprintf("%7.3f / %-7.3f", p50[l, s], p99[l, s]) : sprintf("%-17s", "    n/a")
}
function ratio(a, b, s) {
	if (!have(a, s) || !have(b, s) || p50[b, s] <= 0) return "n/a"
	return sprintf("%.3f", p50[a, s] / p50[b, s])
}
function target(name, r, lim) {
	if (r == "n/a") return name "<=" lim "x:MISS(n/a)"
	return name "<=" lim "x:" ((r + 0 <= lim + 0) ? "PASS" : "MISS") "(" r ")"
}
function out(line) { sub(/ +$/, "", line); print line }
END {
	ns = split("4096 1048576 8388608", sz, " ")
	split("4K 1M 8M", nm, " ")
	nl = split("mmz-hisi mmz-cma heap-reserved heap-system heap-reserved-b", lb, " ")
	printf "\nvm-bench: one VM boot, perf kernel %s, guest CPU %s\n", kver, cpu
	printf "full cycle: alloc + mmap (cached) + touch every 4 KiB + munmap + free\n"
	printf "p50 / p99 in ms (n = cycles measured); phase A (hisi loaded): mmz-hisi, heap-reserved,\n"
	printf "heap-system interleaved; phase B (cma loaded): mmz-cma, heap-reserved-b interleaved\n"
	line = sprintf("%-5s", "size")
	for (j = 1; j <= nl; j++) line = line sprintf("  %-17s", lb[j])
	out(line)
	for (i = 1; i <= ns; i++) {
		line = sprintf("%-5s", nm[i])
		for (j = 1; j <= nl; j++) line = line "  " cell(lb[j], sz[i])
		out(line)
	}
	line = sprintf("%-5s", "n")
	for (j = 1; j <= nl; j++) {
		c = ""
		for (i = 1; i <= ns; i++) c = c (i > 1 ? "/" : "") (have(lb[j], sz[i]) ? n[lb[j], sz[i]] : "-")
		line = line sprintf("  %-17s", c)
	}
	out(line)
	printf "\nratios of p50 (mmz / dma-heap)\n"
	out(sprintf("%-5s  %-13s  %-13s  %-15s  %-15s  %-13s", "size", "hisi/reserved", "hisi/system",
		"cma/reserved-b", "cma/reserved", "cma/system"))
	for (i = 1; i <= ns; i++)
		out(sprintf("%-5s  %-13s  %-13s  %-15s  %-15s  %-13s", nm[i],
			ratio("mmz-hisi", "heap-reserved", sz[i]), ratio("mmz-hisi", "heap-system", sz[i]),
			ratio("mmz-cma", "heap-reserved-b", sz[i]), ratio("mmz-cma", "heap-reserved", sz[i]),
			ratio("mmz-cma", "heap-system", sz[i])))
	printf "(hisi: against the heaps measured interleaved with it in phase A; cma/reserved-b: against\n"
	printf "the CMA heap measured interleaved with it in phase B, used below; cma/reserved and\n"
	printf "cma/system: against phase A, i.e. across host-load changes)\n"
	# drift: the CMA heap of phase B against that of phase A
	c = ""
	for (i = 1; i <= ns; i++) c = c " " nm[i] "=" ratio("heap-reserved-b", "heap-reserved", sz[i])
	printf "drift, heap-reserved-b / heap-reserved p50 (1 = same conditions in both phases):%s\n", c

	printf "\nstep p50s in ms:    alloc     mmap    touch   munmap     free\n"
	for (j = 1; j <= nl; j++)
		for (i = 1; i <= ns; i++)
			if ((lb[j], sz[i]) in steps)
				printf "%-15s %-3s %s\n", lb[j], nm[i], steps[lb[j], sz[i]]
	printf "\nstep p99s in ms:    alloc     mmap    touch   munmap     free\n"
	for (j = 1; j <= nl; j++)
		for (i = 1; i <= ns; i++)
			if ((lb[j], sz[i]) in steps99)
				printf "%-15s %-3s %s\n", lb[j], nm[i], steps99[lb[j], sz[i]]
	printf "\n"

	# mmz CMA against the CMA heap of its own phase (phase A if that one is missing)
	cb = "heap-reserved-b"
	if (!have(cb, 4096) || !have(cb, 1048576) || !have(cb, 8388608)) cb = "heap-reserved"
	c4 = ratio("mmz-cma", cb, 4096)
	c1 = ratio("mmz-cma", cb, 1048576)
	c8 = ratio("mmz-cma", cb, 8388608)
	h8 = ratio("mmz-hisi", "heap-reserved", 8388608)
	s8 = ratio("mmz-hisi", "heap-system", 8388608)
	printf "vm-bench targets: %s %s %s %s %s\n", target("cma_4k", c4, "0.5"),
		target("cma_1m", c1, "0.5"), target("cma_8m", c8, "1.0"),
		target("hisi_vs_heap_8m", h8, "0.2"), target("hisi_vs_system_8m", s8, "1.0")
	printf "vm-bench: cma_vs_heap_p50_4k=%s cma_vs_heap_p50_1m=%s cma_vs_heap_p50_8m=%s hisi_vs_heap_p50_8m=%s hisi_vs_system_p50_8m=%s\n",
		c4, c1, c8, h8, s8
}'
exit "$rc"
