#!/usr/bin/env bash
# Runs the libFuzzer targets in fuzz/ for SECONDS each (default 20; `make
# fuzz` runs longer). A crash, leak or failed check is a failure.
# Prints "fuzz: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-20}
OUT=build/fuzz
CORE=(core/mmz_avl.c core/mmz_index.c core/mmz_pool.c core/mmz_check.c
      core/mmz_format.c core/mmz_parse.c)
mkdir -p "$OUT"
passed=0 failed=0
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n){return 0;}' |
	clang -x c -fsanitize=fuzzer - -o "$OUT/probe" 2>/dev/null; then
	echo "not ok - libFuzzer unavailable (install clang and libclang-rt-14-dev)"
	echo "fuzz: 0 passed, 1 failed"
	exit 1
fi
for src in fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	binsets="1024 64"; [ "$t" = fuzz_parse ] && binsets=1024
	for bins in $binsets; do
		bin="$OUT/${t}_bins$bins"
		clang -std=gnu11 -g -O1 -Wall -Wextra -Werror -Icore \
			-DMMZ_SMALL_BINS=$bins \
			-fsanitize=fuzzer,address,undefined \
			-fno-sanitize-recover=all "$src" "${CORE[@]}" -o "$bin"
		mkdir -p "$OUT/corpus-$t"
		if "$bin" -max_total_time="$SECONDS_EACH" -max_len=4096 \
			-artifact_prefix="$OUT/${t}_" "$OUT/corpus-$t" \
			>"$bin.log" 2>&1; then
			runs=$(grep -oE 'Done [0-9]+ runs' "$bin.log" | tail -1)
			echo "ok - $t (bins $bins): $runs in ${SECONDS_EACH}s"
			passed=$((passed + 1))
		else
			echo "not ok - $t (bins $bins): see $bin.log"
			grep -E 'ERROR|SUMMARY|crash-|leak' "$bin.log" | head -5
			failed=$((failed + 1))
		fi
	done
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
