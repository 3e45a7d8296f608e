#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Host-side tests of libmmz and the mmz tool that need no module: the
# /proc/media-mem parser (fixture), the tool's size/JSON helpers, JSON
# validity of jsoncheck's own cases, warning-free builds (-Werror) of lib/
# and tools/ (64- and 32-bit), the shared library's soname and symbol
# versions, `make install`, a program built against the installed .pc, and
# the tool without the module. Ends with "lib: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=build/lib-unit
CC=${CC:-gcc}
SAN=(-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all)
W=(-std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE)
rm -rf "$OUT" && mkdir -p "$OUT"
passed=0 failed=0
ok() { echo "ok - $*"; passed=$((passed + 1)); }
notok() { echo "not ok - $*"; failed=$((failed + 1)); }
# t <name> <cmd...>: pass when the command exits 0; output kept in the log
t() {
	local name=$1 log="$OUT/$(echo "$1" | tr -c 'a-zA-Z0-9\n' _).log"
	shift
	if "$@" >"$log" 2>&1; then ok "$name"; else notok "$name"; tail -n 15 "$log" | sed 's/^/#   /'; fi
}

t "make -C lib (-Werror)" make -C lib O="$PWD/$OUT/lib"
t "make -C lib ARCH_CFLAGS=-m32 (-Werror)" make -C lib O="$PWD/$OUT/lib32" ARCH_CFLAGS=-m32
t "make -C tools (-Werror)" make -C tools O="$PWD/$OUT/tools"
t "libmmz.so soname libmmz.so.1" sh -c "objdump -p $OUT/lib/libmmz.so.1.1.0 | grep -q 'SONAME *libmmz.so.1\$'"
t "libmmz.so exports only mmz_* @MMZ_1.0 (20) and @MMZ_1.1 (3)" sh -c "
	nm -D --defined-only $OUT/lib/libmmz.so.1.1.0 | awk '\$2 == \"T\"' > $OUT/syms
	cat $OUT/syms; test \$(grep -c ' mmz_.*@@MMZ_1.0\$' $OUT/syms) -eq 20 &&
	test \$(grep -c ' mmz_.*@@MMZ_1.1\$' $OUT/syms) -eq 3 && test \$(wc -l < $OUT/syms) -eq 23"
t "libmmz_hisi.so needs libmmz.so.1, exports HI_MPI_SYS_* @MMZ_HISI_1.0" sh -c "
	objdump -p $OUT/lib/libmmz_hisi.so.1.1.0 | grep -q 'NEEDED *libmmz.so.1' &&
	nm -D --defined-only $OUT/lib/libmmz_hisi.so.1.1.0 | awk '\$2 == \"T\"' > $OUT/hsyms &&
	test \$(grep -c '^.* T HI_MPI_SYS_.*@@MMZ_HISI_1.0\$' $OUT/hsyms) -eq 9"

# install, then build against the installed files through pkg-config
D=$PWD/$OUT/destdir
cat > "$OUT/pc.c" <<'C'
#include <mmz/mmz.h>
#include <hi_mpi_sys.h>
#include <stdio.h>
int main(void)
{
	mmz_t *h;
	HI_U64 p;
	HI_VOID *v;
	int r = mmz_open_ex("/nonexistent", 0, &h);
	printf("%s %s %d\n", mmz_lib_version(), mmz_strerror(r),
	       HI_MPI_SYS_MmzAlloc(&p, &v, "x", NULL, 4096) != HI_SUCCESS);
	return 0;
}
C
pcbuild() {
	make -C lib install O="$PWD/$OUT/lib" PREFIX=/usr/local DESTDIR="$D" || return 1
	for f in include/mmz/mmz.h include/mmz/hi_mpi_sys.h lib/libmmz.so.1.1.0 lib/libmmz.so.1 \
	    lib/libmmz.so lib/libmmz.a lib/libmmz_hisi.so.1 lib/libmmz_hisi.a lib/pkgconfig/mmz.pc \
	    lib/pkgconfig/mmz_hisi.pc; do
		[ -e "$D/usr/local/$f" ] || { echo "missing $f"; return 1; }
	done
	export PKG_CONFIG_SYSROOT_DIR="$D" PKG_CONFIG_LIBDIR="$D/usr/local/lib/pkgconfig"
	local cflags libs
	if command -v pkg-config >/dev/null; then
		cflags=$(pkg-config --cflags mmz_hisi) && libs=$(pkg-config --libs mmz_hisi) || return 1
	else	# no pkg-config here: the flags the .pc files state
		grep -qx 'Libs: -L${libdir} -lmmz_hisi' "$D/usr/local/lib/pkgconfig/mmz_hisi.pc" || return 1
		cflags="-I$D/usr/local/include/mmz -I$D/usr/local/include"
		libs="-L$D/usr/local/lib -lmmz_hisi -lmmz"
	fi
	echo "cflags: $cflags libs: $libs"
	"$CC" -Wall -Werror $cflags -o "$OUT/pc" "$OUT/pc.c" $libs \
		-Wl,-rpath-link,"$D/usr/local/lib" || return 1
	LD_LIBRARY_PATH="$D/usr/local/lib" "$OUT/pc" | tee -a /dev/stderr |
		grep -qx '1.1.0 No such device (is the mmz module loaded?) 1'
}
t "make install + pkg-config build and run against the shared libraries" pcbuild

# unit programs under ASan + UBSan
"$CC" "${W[@]}" "${SAN[@]}" -Ilib/include -Ilib/src -Iinclude -Itests/lib \
	tests/lib/unit/test_procmem.c lib/src/procmem.c -o "$OUT/test_procmem" 2>"$OUT/cc1.log" ||
	{ notok "build test_procmem"; cat "$OUT/cc1.log"; }
"$CC" "${W[@]}" "${SAN[@]}" -Itools -Itests/lib tests/lib/unit/test_fmt.c tools/fmt.c \
	-o "$OUT/test_fmt" 2>"$OUT/cc2.log" || { notok "build test_fmt"; cat "$OUT/cc2.log"; }
"$CC" "${W[@]}" "${SAN[@]}" tests/lib/jsoncheck.c -o "$OUT/jsoncheck" 2>"$OUT/cc3.log" ||
	{ notok "build jsoncheck"; cat "$OUT/cc3.log"; }
[ -x "$OUT/test_procmem" ] && t "/proc/media-mem parser (fixture)" "$OUT/test_procmem" tests/lib/fixtures/media-mem.txt
[ -x "$OUT/test_fmt" ] && t "size parsing/printing, JSON escaping" "$OUT/test_fmt"
jsoncases() {
	local good=('{}' '[]' '{"a": [1, -2.5e3, true, false, null, "x\u00e9\n"]}' ' 0 ' '"s"')
	local bad=('' '{' '{"a" 1}' '[1,]' '01' '"\x"' '{"a":1}x' 'nul' '"tab	"' '[1.]')
	local s
	for s in "${good[@]}"; do printf '%s' "$s" | "$OUT/jsoncheck" || { echo "rejected: $s"; return 1; }; done
	for s in "${bad[@]}"; do printf '%s' "$s" | "$OUT/jsoncheck" 2>/dev/null && { echo "accepted: $s"; return 1; }; done
	return 0
}
[ -x "$OUT/jsoncheck" ] && t "jsoncheck accepts valid and rejects invalid JSON" jsoncases

# the tool without a module
nomod() {
	MMZ_DEVICE=/nonexistent/mmz_userdev "$OUT/tools/mmz" zones 2>"$OUT/err"
	local rc=$?
	cat "$OUT/err"
	[ $rc -eq 2 ] && grep -q 'not loaded' "$OUT/err" && grep -q 'insmod mmz.ko mmz=anonymous,0,0x88000000,384M' "$OUT/err" &&
		grep -q 'memmap=384M\$0x88000000' "$OUT/err"
}
t "mmz without the module: hint, exit 2" nomod
usage() {
	"$OUT/tools/mmz" --help | grep -q '^usage: mmz' || return 1
	"$OUT/tools/mmz" frobnicate; [ $? -eq 2 ] || return 1
	"$OUT/tools/mmz"; [ $? -eq 2 ] || return 1
	MMZ_DEVICE=/nonexistent "$OUT/tools/mmz" version | grep -q '^module: not loaded'
}
t "mmz --help, usage errors exit 2, version without the module" usage

echo "lib: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
