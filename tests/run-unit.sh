#!/usr/bin/env bash
# User-space tests of the core: every tests/unit/test_*.c under ASan+UBSan,
# the differential test over >= 1,000,000 operations in two bin layouts,
# then a coverage build that reports (and asserts) core line coverage.
# Prints "unit: N passed, N failed"; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=build/unit
CC=${CC:-gcc}
DIFF_OPS=${DIFF_OPS:-600000}
COV_MIN=${COV_MIN:-90}
CORE=(core/mmz_avl.c core/mmz_index.c core/mmz_pool.c core/mmz_check.c
      core/mmz_format.c core/mmz_parse.c)
WARN=(-std=gnu11 -Wall -Wextra -Werror -Icore)
SAN=(-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all)
mkdir -p "$OUT"

passed=0 failed=0
# run <name> <cmd...>: counts the "N passed, N failed" line the test prints
run() {
	local name=$1 log="$OUT/$1.log" rc=0 line p f
	shift
	"$@" >"$log" 2>&1 || rc=$?
	grep -E '^(not ok|#)' "$log" | head -20 || true
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -1 || true)
	if [ -z "$line" ]; then
		echo "not ok - $name: no result line (exit $rc)"; tail -5 "$log"
		failed=$((failed + 1)); return
	fi
	p=$(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	passed=$((passed + p)); failed=$((failed + f))
	echo "$([ "$f" -eq 0 ] && echo ok || echo 'not ok') - $line"
}

for src in tests/unit/test_*.c; do
	t=$(basename "$src" .c)
	"$CC" "${WARN[@]}" "${SAN[@]}" "$src" "${CORE[@]}" -o "$OUT/$t"
done
"$CC" "${WARN[@]}" "${SAN[@]}" -DMMZ_SMALL_BINS=64 tests/unit/test_diff.c \
	"${CORE[@]}" -o "$OUT/test_diff_bins64"

for src in tests/unit/test_*.c; do
	t=$(basename "$src" .c)
	[ "$t" = test_diff ] && continue
	run "$t" "$OUT/$t"
done
run test_diff "$OUT/test_diff" "$DIFF_OPS" 4096 0x5eed
run test_diff_bins64 "$OUT/test_diff_bins64" "$DIFF_OPS" 2048 0xfeed

# Coverage: one instrumented build of all unit tests, gcov over core/.
COV=$OUT/cov
rm -rf "$COV" && mkdir -p "$COV"
for src in tests/unit/test_*.c; do
	t=$(basename "$src" .c)
	mkdir -p "$COV/$t"
	(cd "$COV/$t" && "$CC" "${WARN[@]/#-Icore/-I../../../../core}" -O0 \
		--coverage "../../../../$src" \
		"${CORE[@]/#/../../../../}" -o "$t" >/dev/null)
	(cd "$COV/$t" && ./"$t" 20000 2048 >/dev/null 2>&1) || true
done
# union over all test programs of the lines each one executed
pct=$(cd "$COV" && for d in */; do
	(cd "$d" && for g in *mmz_*.gcda; do gcov -t "$g" 2>/dev/null; done)
done | awk -F: '/0:Source:/ { f = $4; next }
	f ~ /core\/mmz_/ && $1 !~ /-/ {
		k = f ":" ($2 + 0); seen[k] = 1
		if ($1 !~ /#####|=====/) hit[k] = 1 }
	END { for (k in seen) { T++; if (k in hit) H++ }
	      if (T) printf "%.1f", 100 * H / T; else print 0 }')
echo "core line coverage: ${pct}% (target >= ${COV_MIN}%)"
if awk -v p="$pct" -v m="$COV_MIN" 'BEGIN { exit !(p >= m) }'; then
	passed=$((passed + 1)); echo "ok - core line coverage"
else
	failed=$((failed + 1)); echo "not ok - core line coverage ${pct}% < ${COV_MIN}%"
fi

echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
