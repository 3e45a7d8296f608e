#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Core benchmark: builds bench/core_bench (-O2 -g, no sanitizers) with the
# mmz core, counts instructions per free+alloc pair under callgrind for
# each placement at 1k/4k/16k live blocks, runs the 85 % churn workload,
# and prints a table, a targets line and, last, one summary line.
#
# Build products go to $BENCH_OUT (default <repo>/build/bench), never into
# the source tree. Exit status is non-zero only when something failed to
# build or run; missed targets are reported, not fatal.
#
# Knobs (environment): BENCH_OUT, CC, JOBS (2), BATCHES (31),
# PER_BATCH (200), CHURN_REQUESTS (200000).
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/build/bench}
CC=${CC:-gcc}
JOBS=${JOBS:-2}
BATCHES=${BATCHES:-31}
PER_BATCH=${PER_BATCH:-200}
CHURN_REQUESTS=${CHURN_REQUESTS:-200000}
SIZES="1024 4096 16384"
BIN=$OUT/core_bench
failed=0

note() { echo "core-bench: $*" >&2; }

mkdir -p "$OUT/obj" "$OUT/cg" "$OUT/log" || exit 1
rm -f "$OUT"/cg/* "$OUT"/log/* "$OUT"/obj/*

# ---- build ----

CFLAGS=(-std=c11 -O2 -g "-I$ROOT/core" -Wall -Wextra)

if ! echo '#include <valgrind/callgrind.h>' |
     $CC -E -x c - >/dev/null 2>&1; then
	note "<valgrind/callgrind.h> is missing: install Debian's 'valgrind' package"
	exit 1
fi
if ! command -v valgrind >/dev/null; then
	note "valgrind is not installed (Debian package 'valgrind')"
	exit 1
fi

bench_build() {	# -D flags...; the bench's own code must be warning-free
	local s objs=()
	for s in $bench_src; do
		$CC "${CFLAGS[@]}" -Werror "$@" -c "$ROOT/bench/$s.c" \
		    -o "$OUT/obj/$s.o" 2>>"$OUT/log/build.txt" || return 1
		objs+=("$OUT/obj/$s.o")
	done
	$CC -o "$BIN" "${objs[@]}" "${core_objs[@]}" -lm \
	    2>>"$OUT/log/build.txt"
}

core_objs=()
if [ -f "$ROOT/core/mmz_pool.c" ]; then
	# Built with warnings but not -Werror: they are the core owners'
	# business. A file that does not compile (work in progress) is left
	# out; the link tells whether the zone code still has what it needs.
	for src in "$ROOT"/core/*.c; do
		obj=$OUT/obj/core_$(basename "$src" .c).o
		if $CC "${CFLAGS[@]}" -c "$src" -o "$obj" \
		   2>>"$OUT/log/build.txt"; then
			core_objs+=("$obj")
		else
			note "core/$(basename "$src") does not compile, left out"
		fi
	done
	bench_src="core_bench ref_sorted_list ref_bitmap adapt_core"
	bench_build || { note "build with the core failed:"; cat "$OUT/log/build.txt" >&2; core_objs=(); }
else
	note "core/mmz_pool.c not found"
fi
if [ ${#core_objs[@]} = 0 ]; then
	note "measuring the references only"
	failed=1
	bench_src="core_bench ref_sorted_list ref_bitmap"
	if ! bench_build -DBENCH_NO_CORE; then
		cat "$OUT/log/build.txt" >&2
		note "bench build failed"
		exit 1
	fi
fi

# ---- selftest: the references (and the core) against an oracle ----

if ! "$BIN" selftest >"$OUT/log/selftest.txt" 2>&1; then
	cat "$OUT/log/selftest.txt" >&2
	note "selftest failed"
	failed=1
fi
cat "$OUT/log/selftest.txt"

ALLOCS=$("$BIN" list)

# ---- runs, $JOBS at a time ----

run_job() {	# name, command...
	local name=$1
	shift
	( "$@" >"$OUT/log/$name.out" 2>"$OUT/log/$name.err"
	  echo $? >"$OUT/log/$name.rc" ) &
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
		wait -n
	done
}

# The allocator's own entry points: what one free + alloc costs inside the
# placement code, without the harness's calls through function pointers.
api_toggles() {	# alloc
	local f
	case $1 in
	mmz_core) set -- mmz_pool_find mmz_pool_free mmz_pool_alloc ;;
	sorted_list) set -- sl_free sl_alloc ;;
	bitmap) set -- bm_free bm_alloc ;;
	*) set -- ;;
	esac
	for f; do echo "--toggle-collect=$f"; done
}

mkdir -p "$OUT/cg-api" && rm -f "$OUT"/cg-api/*
for n in 16384 4096 1024; do	# longest runs first: better packing
	for a in $ALLOCS; do
		run_job "pair.$a.$n" valgrind --tool=callgrind \
			--instr-atstart=no --collect-atstart=no \
			--toggle-collect=bench_pair \
			--callgrind-out-file="$OUT/cg/$a.$n" \
			"$BIN" pair "$a" "$n" "$BATCHES" "$PER_BATCH"
		# shellcheck disable=SC2046
		run_job "api.$a.$n" valgrind --tool=callgrind \
			--instr-atstart=no --collect-atstart=no \
			$(api_toggles "$a") \
			--callgrind-out-file="$OUT/cg-api/$a.$n" \
			"$BIN" pair "$a" "$n" "$BATCHES" "$PER_BATCH"
	done
done
for a in $ALLOCS; do
	run_job "churn.$a" "$BIN" churn "$a" "$CHURN_REQUESTS"
done
wait
# Wall clock alone on the machine, one at a time: less noisy (still info).
for a in $ALLOCS; do
	JOBS=1 run_job "native.$a" "$BIN" pair "$a" 16384 "$BATCHES" "$PER_BATCH"
	wait
done

for f in "$OUT"/log/*.rc; do
	if [ "$(cat "$f")" != 0 ]; then
		name=$(basename "$f" .rc)
		note "$name failed:"
		cat "$OUT/log/$name.err" >&2
		failed=1
	fi
done

# Median over batches of (batch instructions / PER_BATCH); "" if missing.
instr_median() {	# alloc, n[, dir]
	local files
	files=$(ls "$OUT/${3:-cg}/$1.$2".[0-9]* 2>/dev/null)
	[ -n "$files" ] || return 0
	# shellcheck disable=SC2086
	awk -v per="$PER_BATCH" -v want="$BATCHES" '
		/^totals:/ { v[n++] = $2 / per }
		END {
			if (n != want)
				exit 1
			for (i = 1; i < n; i++)		# insertion sort, n = 31
				for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
					t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
				}
			m = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2
			printf "%.0f\n", m
		}' $files
}

# "free alloc": medians over batches of the inclusive cost of the
# placement's free and alloc callees of bench_pair(), per pair. Callgrind
# compresses names as "(id) name" on first use and "(id)" after, per file.
split_median() {	# alloc, n
	local files
	files=$(ls "$OUT/cg/$1.$2".[0-9]* 2>/dev/null)
	[ -n "$files" ] || return 0
	# shellcheck disable=SC2086
	awk -v per="$PER_BATCH" '
		function fname(s,   id) {
			if (match(s, /^\([0-9]+\) /)) {
				id = substr(s, 1, RLENGTH - 1)
				nm[id] = substr(s, RLENGTH + 1)
				return nm[id]
			}
			return s in nm ? nm[s] : s
		}
		function flush() {
			if (seen) {
				fr[n] = f / per; al[n] = a / per; n++
			}
			f = a = seen = grab = 0
			split("", nm)
		}
		function med(v, k,   i, j, t) {
			for (i = 1; i < k; i++)
				for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
					t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
				}
			return k % 2 ? v[(k - 1) / 2] : (v[k / 2 - 1] + v[k / 2]) / 2
		}
		FNR == 1 { flush() }
		/^fn=/ { cur = fname(substr($0, 4)); next }
		/^cfn=/ { callee = fname(substr($0, 5)); next }
		/^calls=/ { grab = cur == "bench_pair"; next }
		grab {
			if (callee ~ /_free$/) f += $2
			else if (callee ~ /_alloc$/) a += $2
			seen = 1; grab = 0
		}
		END {
			flush()
			if (n)
				printf "%.0f/%.0f\n", med(fr, n), med(al, n)
		}' $files
}

field() {	# file, key: value of key=value on the result line
	[ -f "$1" ] || return 0
	grep -E '^(pair|churn) ' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# ---- report ----

echo
head -3 "$OUT/log/churn.sorted_list.out"
echo "# instr/pair: callgrind Ir inside bench_pair() (one free + one alloc" \
     "through the bench interface; mmz_core frees by phys via mmz_pool_find)"
echo "# api instr: the same pairs, counting only inside each placement's own" \
     "entry points (core: mmz_pool_find + mmz_pool_free + mmz_pool_alloc);" \
     "the summary line and targets use these"
echo "# per pair = median over $BATCHES batches of the batch mean" \
     "($PER_BATCH pairs each); free/alloc: the same for each half" \
     "(medians, so they need not add up); ns/pair: native run, info only"
echo
printf '%-12s %12s %12s %12s %16s %14s\n' "instr/pair" "n=1024" "n=4096" \
       "n=16384" "16k free/alloc" "ns/pair@16k"
declare -A INSTR
for a in $ALLOCS; do
	row=
	for n in $SIZES; do
		v=$(instr_median "$a" "$n")
		[ -n "$v" ] || { v=FAIL; failed=1; }
		INSTR[$a.$n]=$v
		row="$row $(printf '%12s' "$v")"
	done
	ns=$(field "$OUT/log/native.$a.out" ns_per_pair_median)
	printf '%-12s%s %16s %14s\n' "$a" "$row" \
	       "$(split_median "$a" 16384)" "${ns:-FAIL}"
done

echo
printf '%-12s %12s %12s %12s\n' "api instr" "n=1024" "n=4096" "n=16384"
declare -A API
for a in $ALLOCS; do
	row=
	for n in $SIZES; do
		v=$(instr_median "$a" "$n" cg-api)
		[ -n "$v" ] || { v=FAIL; failed=1; }
		API[$a.$n]=$v
		row="$row $(printf '%12s' "$v")"
	done
	printf '%-12s%s\n' "$a" "$row"
done

echo
printf '%-12s %10s %14s %16s %10s\n' "churn" "success%" \
       "large>=1M ok%" "largest/free%" "load%"
declare -A SUCC
for a in $ALLOCS; do
	f=$OUT/log/churn.$a.out
	s=$(field "$f" success_pct)
	SUCC[$a]=${s:-}
	printf '%-12s %10s %14s %16s %10s\n' "$a" "${s:-FAIL}" \
	       "$(field "$f" large_success_pct)" \
	       "$(field "$f" largest_over_free_pct)" \
	       "$(field "$f" mean_load_pct)"
done
echo

core_i=${API[mmz_core.16384]:-n/a}
sl_i=${API[sorted_list.16384]:-n/a}
bm_i=${API[bitmap.16384]:-n/a}
core_s=${SUCC[mmz_core]:-n/a}
ratio() {	# reference, core
	case "$1$2" in
	*[!0-9.]*|"") echo n/a ;;
	*) awk -v r="$1" -v c="$2" 'BEGIN { printf "%.1fx\n", (c > 0 ? r / c : 0) }' ;;
	esac
}
vs_sl=$(ratio "$sl_i" "$core_i")
vs_bm=$(ratio "$bm_i" "$core_i")
ref_s=$(awk -v a="${SUCC[sorted_list]:-0}" -v b="${SUCC[bitmap]:-0}" \
	'BEGIN { printf "%.2f\n", (a > b ? a : b) }')

verdict() {	# awk condition over x, value
	case "$2" in
	*[!0-9.]*|"") echo MISS ;;
	*) awk -v x="$2" -v r="$ref_s" "BEGIN { v = ($1) ? \"PASS\" : \"MISS\"; print v }" ;;
	esac
}
echo "core-bench targets: instr<=400 $(verdict 'x <= 400' "$core_i")," \
     "vs_sorted>=20x $(verdict 'x >= 20' "${vs_sl%x}")," \
     "success>=ref $(verdict 'x >= r' "$core_s")"
echo "core-bench: pair_instr_16k=$core_i vs_sorted_list=$vs_sl" \
     "vs_bitmap=$vs_bm success=$core_s ref_best_success=$ref_s"
exit $failed
