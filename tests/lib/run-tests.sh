#!/bin/sh
# SPDX-License-Identifier: MIT
# libmmz / mmz CLI tests in the VM (busybox sh), laid out by build.sh.
#
#   run-tests.sh --count [loaded|unloaded]  number of TAP lines (default: both)
#   run-tests.sh <offset>               tests with mmz.ko loaded with
#                                        anonymous,0,0x30000000,96M:second,0,0x36000000,32M
#   run-tests.sh --skip <offset> <why>  the same lines as "# SKIP <why>"
#   run-tests.sh --unloaded <offset>    after rmmod: the CLI's "not loaded" hint
#
# Prints TAP lines without a plan, numbered from <offset> + 1. Exit status:
# the number of failed tests (0 = all passed; capped at 125).
NLOADED=24
NUNLOADED=1

case $1 in
--count)
	case $2 in
	loaded) echo $NLOADED ;;
	unloaded) echo $NUNLOADED ;;
	*) echo $((NLOADED + NUNLOADED)) ;;
	esac
	exit 0 ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
BIN=$here/bin
MMZ=$BIN/mmz
TMP=/tmp/mmz-lib-tests
SPLAT='BUG|WARNING|Oops|KASAN|UBSAN|Call Trace|circular locking|kmemleak|general protection|refcount_t|list_add corruption|list_del corruption'
mkdir -p "$TMP"
TIMEOUT=
command -v timeout >/dev/null 2>&1 && TIMEOUT="timeout 300"

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
diag() { sed 's/^/# /' "$@"; }
finish() { [ $failed -gt 125 ] && failed=125; exit $failed; }
# check <name> <cmd...>: ok when the command exits 0; its output as diagnostics
check() {
	name=$1
	shift
	if "$@" >"$TMP/check.out" 2>&1; then ok "$name"; else notok "$name"; diag "$TMP/check.out"; fi
}

mode=loaded
case $1 in
--skip) n=$2; why=$3
	i=0
	while [ $i -lt $NLOADED ]; do skip "libmmz test $((i + 1))" "$why"; i=$((i + 1)); done
	exit 0 ;;
--unloaded) mode=unloaded; n=$2 ;;
*) n=${1:-0} ;;
esac

if [ $mode = unloaded ]; then
	if grep -q '^mmz ' /proc/modules 2>/dev/null; then
		skip "mmz without the module: hint and exit 2" "module still loaded"
		finish
	fi
	"$MMZ" zones >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ $rc -eq 2 ] && grep -q 'not loaded' "$TMP/err" &&
	    grep -q 'insmod mmz.ko mmz=' "$TMP/err" && grep -q 'memmap=' "$TMP/err"; then
		ok "mmz without the module: hint and exit 2"
	else
		notok "mmz without the module: hint and exit 2 (exit $rc)"
		diag "$TMP/err"
	fi
	finish
fi

# ---- C programs (fail also on a kernel splat during the run) ----
mark() { echo "mmz-lib-tests: $*" > /dev/kmsg; }
since_mark() { dmesg | sed -n "/mmz-lib-tests: $1\$/,\$p"; }
run_prog() {
	name=$1
	shift
	m="start $((n + 1))"
	mark "$m"
	$TIMEOUT "$@" >"$TMP/out" 2>&1
	rc=$?
	since_mark "$m" >"$TMP/dmesg"
	if grep -qE "$SPLAT" "$TMP/dmesg"; then
		notok "$name"
		echo "# kernel log during the test:"
		diag "$TMP/dmesg"
	elif [ $rc -eq 0 ]; then
		ok "$name"
	elif [ $rc -eq 77 ]; then
		skip "$name" "$(tail -n 1 "$TMP/out")"
		return
	else
		notok "$name"
		echo "# exit status $rc"
	fi
	diag "$TMP/out"
}

have32=
"$BIN/api-32" probe >/dev/null 2>&1
[ $? -eq 42 ] && have32=1
for t in api threads hisi; do
	for bits in 64 32; do
		if [ $bits = 32 ] && [ -z "$have32" ]; then
			skip "libmmz $t ($bits-bit)" "no 32-bit support"
		else
			run_prog "libmmz $t ($bits-bit)" "$BIN/$t-$bits"
		fi
	done
done

# ---- the mmz tool ----
cli_zones() {
	"$MMZ" zones && "$MMZ" zones | grep -q '^0 *anonymous *0x30000000-0x35ffffff *96 MiB' &&
	    "$MMZ" zones | grep -q '^1 *second *0x36000000-0x37ffffff *32 MiB'
}
check "mmz zones lists anonymous and second" cli_zones
check "mmz zones --json is valid JSON" sh -c "'$MMZ' zones --json | tee /dev/stderr | '$BIN/jsoncheck'"

# a helper process holds a block
"$MMZ" alloc 1M --zone second --name holder --hold 0 >"$TMP/hold.out" 2>"$TMP/hold.err" &
holder=$!
i=0
while [ ! -s "$TMP/hold.out" ] && [ $i -lt 100 ]; do sleep 0.1 2>/dev/null || sleep 1; i=$((i + 1)); done
hphys=$(cat "$TMP/hold.out")
cli_ls_json() {
	"$MMZ" ls --json >"$TMP/ls.json" || return 1
	cat "$TMP/ls.json"
	"$BIN/jsoncheck" <"$TMP/ls.json" &&
	    grep "\"name\": \"holder\"" "$TMP/ls.json" | grep -q "\"owner_pid\": $holder," &&
	    grep -q "\"phys_hex\": \"$hphys\"" "$TMP/ls.json" && grep -q '"source": "ioctl"' "$TMP/ls.json"
}
check "mmz ls --json: valid, shows the holder's block $hphys with owner pid $holder" cli_ls_json
cli_ls() {
	"$MMZ" ls | tee "$TMP/ls.txt" && grep -E "^second +holder +$hphys-0x[0-9a-f]+ +1 MiB +$holder +0 +0 " "$TMP/ls.txt"
}
check "mmz ls: table row for the holder's block" cli_ls
cli_ls_proc() {
	"$MMZ" --no-extensions ls --json >"$TMP/lsp.json" || return 1
	cat "$TMP/lsp.json"
	"$BIN/jsoncheck" <"$TMP/lsp.json" && grep -q '"source": "/proc/media-mem"' "$TMP/lsp.json" &&
	    grep "\"name\": \"holder\"" "$TMP/lsp.json" | grep -q '"owner_pid": null' &&
	    [ "$("$MMZ" --no-extensions zones)" = "$("$MMZ" zones)" ]
}
check "mmz --no-extensions ls/zones from /proc/media-mem agree" cli_ls_proc
cli_stat() {
	"$MMZ" stat | tee "$TMP/stat.txt" &&
	    grep -qE '^second +32 MiB +1 MiB +31 MiB +31 MiB +0\.0% +1 +1$' "$TMP/stat.txt" &&
	    "$MMZ" stat --json | "$BIN/jsoncheck"
}
check "mmz stat: second 32 MiB total, 1 MiB used, 31 MiB largest free; --json valid" cli_stat
cli_free() {
	"$MMZ" free "$hphys" || return 1
	wait $holder
	rc=$?
	[ $rc -eq 0 ] || { echo "holder exit $rc"; return 1; }
	! grep -q holder /proc/media-mem
}
check "mmz free $hphys releases the block of the holding process" cli_free
kill $holder 2>/dev/null

cli_fill() {
	"$MMZ" fill 1M --zone second | tee "$TMP/fill.txt" &&
	    grep -q '^fill: 32 blocks of 1 MiB, 33554432 bytes (32 MiB) in zone second$' "$TMP/fill.txt"
}
check "mmz fill 1M --zone second reports 32 blocks" cli_fill
cli_fill_anon() {
	"$MMZ" fill 4M | tee "$TMP/fill.txt" && grep -q '^fill: 24 blocks of 4 MiB' "$TMP/fill.txt"
}
check "mmz fill 4M (anonymous zone) reports 24 blocks" cli_fill_anon
cli_alloc() {
	p=$("$MMZ" alloc 64K --zone second --align 1M --name cli) || return 1
	echo "$p"
	echo "$p" | grep -qE '^0x3[67][0-9a-f]00000$' && ! grep -q '"cli"' /proc/media-mem
}
check "mmz alloc prints an aligned phys; the block is gone after exit" cli_alloc
cli_alloc_bad() {
	"$MMZ" alloc 1M --zone nope 2>"$TMP/err"
	rc=$?
	cat "$TMP/err"
	[ $rc -eq 1 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] &&
	    grep -q '^mmz: alloc 1048576 in zone nope: No such file or directory$' "$TMP/err"
}
check "mmz alloc in a missing zone: one error line, exit 1" cli_alloc_bad
cli_enomem() {
	"$MMZ" alloc 64M --zone second 2>"$TMP/err"
	rc=$?
	cat "$TMP/err"
	[ $rc -eq 1 ] && grep -q 'Cannot allocate memory' "$TMP/err"
}
check "mmz alloc too large: ENOMEM, exit 1" cli_enomem
cli_usage() {
	"$MMZ" alloc; r1=$?
	"$MMZ" bogus; r2=$?
	"$MMZ" alloc 12Q; r3=$?
	"$MMZ"; r4=$?
	echo "exit $r1 $r2 $r3 $r4"
	[ $r1 -eq 2 ] && [ $r2 -eq 2 ] && [ $r3 -eq 2 ] && [ $r4 -eq 2 ]
}
check "mmz usage errors exit 2" cli_usage
cli_free_bad() {
	"$MMZ" free 0x30000000 2>"$TMP/err"
	rc=$?
	cat "$TMP/err"
	[ $rc -eq 1 ] && grep -q '^mmz: free 0x30000000: No such file or directory$' "$TMP/err"
}
check "mmz free of no block: ENOENT, exit 1" cli_free_bad
cli_bench() {
	"$MMZ" bench --size 64K --iterations 50 | tee "$TMP/bench.txt" &&
	    grep -qE '^bench: 50 x alloc\+map\+touch\+unmap\+free of 64 KiB .*p50 [0-9.]+ us, p99 [0-9.]+ us' "$TMP/bench.txt"
}
check "mmz bench prints p50 and p99" cli_bench
cli_version() {
	"$MMZ" version | tee "$TMP/ver.txt" && grep -q '^module: mmz ABI 1\.2' "$TMP/ver.txt" &&
	    "$MMZ" --help | grep -q '^usage: mmz'
}
check "mmz version and --help" cli_version
check "mmz check: 0 violations, exit 0" sh -c "\"$MMZ\" check | grep -qx 'check: 0 violation(s)'"
check "no block left after the libmmz tests" sh -c "! grep -q '|-MMB:' /proc/media-mem"

finish
