#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Host-side tests of libmmz and the mmz tool that need no module: the
# /proc/media-mem parser (fixture), the tool's size/JSON helpers, JSON
# validity of jsoncheck's own cases, warning-free builds (-Werror) of lib/
# and tools/ (64- and 32-bit), the shared library's soname and symbol
# versions, one library version everywhere, `make lib tools && make install
# PREFIX=/usr` staged from a clean copy of the tree with programs built
# through its .pc files (needs pkg-config), and the tool without the module.
# Ends with "lib: N passed, N failed".
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

# the library version as C sees it; every other place must agree with it
V=$(printf '#include <mmz/mmz.h>\nMMZ_LIB_VERSION_MAJOR MMZ_LIB_VERSION_MINOR MMZ_LIB_VERSION_PATCH\n' |
	"$CC" -E -P -Ilib/include - | tail -n 1 | tr ' ' .)

t "make -C lib (-Werror)" make -C lib O="$PWD/$OUT/lib"
t "make -C lib ARCH_CFLAGS=-m32 (-Werror)" make -C lib O="$PWD/$OUT/lib32" ARCH_CFLAGS=-m32
t "make -C tools (-Werror)" make -C tools O="$PWD/$OUT/tools"
t "libmmz.so soname libmmz.so.1" sh -c "objdump -p $OUT/lib/libmmz.so.$V | grep -q 'SONAME *libmmz.so.1\$'"
t "libmmz.so exports only mmz_* @MMZ_1.0 (20), @MMZ_1.1 (3), @MMZ_1.2 (2)" sh -c "
	nm -D --defined-only $OUT/lib/libmmz.so.$V | awk '\$2 == \"T\"' > $OUT/syms
	cat $OUT/syms; test \$(grep -c ' mmz_.*@@MMZ_1.0\$' $OUT/syms) -eq 20 &&
	test \$(grep -c ' mmz_.*@@MMZ_1.1\$' $OUT/syms) -eq 3 &&
	test \$(grep -c ' mmz_.*@@MMZ_1.2\$' $OUT/syms) -eq 2 && test \$(wc -l < $OUT/syms) -eq 25"
t "libmmz_hisi.so needs libmmz.so.1, exports HI_MPI_SYS_* @MMZ_HISI_1.0" sh -c "
	objdump -p $OUT/lib/libmmz_hisi.so.$V | grep -q 'NEEDED *libmmz.so.1' &&
	nm -D --defined-only $OUT/lib/libmmz_hisi.so.$V | awk '\$2 == \"T\"' > $OUT/hsyms &&
	test \$(grep -c '^.* T HI_MPI_SYS_.*@@MMZ_HISI_1.0\$' $OUT/hsyms) -eq 9"

# header, newest symbol version, file names, sonames, .pc and run time agree
versions() {
	local maj=${V%%.*} f newest got
	echo "header: $V"
	[[ $V =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || return 1
	newest=$(grep -o 'MMZ_[0-9]*\.[0-9]*' lib/libmmz.map | sort -V | tail -n 1)
	[ "$newest" = "MMZ_${V%.*}" ] || { echo "libmmz.map's newest is $newest"; return 1; }
	for f in libmmz libmmz_hisi; do
		[ "$(readlink "$OUT/lib/$f.so.$maj")" = "$f.so.$V" ] ||
			{ echo "$f.so.$maj is not $f.so.$V"; ls -l "$OUT/lib"; return 1; }
		objdump -p "$OUT/lib/$f.so.$V" | grep -q "SONAME *$f.so.$maj\$" ||
			{ echo "$f.so.$V: soname is not $f.so.$maj"; return 1; }
	done
	make -C lib install O="$PWD/$OUT/lib" PREFIX=/usr/local DESTDIR="$PWD/$OUT/vdest" || return 1
	for f in mmz mmz_hisi; do
		grep -qx "Version: $V" "$OUT/vdest/usr/local/lib/pkgconfig/$f.pc" ||
			{ echo "$f.pc:"; cat "$OUT/vdest/usr/local/lib/pkgconfig/$f.pc"; return 1; }
	done
	printf '#include <mmz/mmz.h>\n#include <stdio.h>\nint main(void) { puts(mmz_lib_version()); }\n' |
		"$CC" -x c -Ilib/include -o "$OUT/ver" - -L"$OUT/lib" -lmmz || return 1
	got=$(LD_LIBRARY_PATH="$OUT/lib" "$OUT/ver")
	[ "$got" = "$V" ] || { echo "mmz_lib_version() says $got"; return 1; }
}
t "library version: header = libmmz.map = .so names and sonames = .pc = mmz_lib_version()" versions

# The README's sequence in a clean copy of the tree: build with the default
# PREFIX, install with PREFIX=/usr into a stage; the .pc files must say
# /usr, and a program built through them must link and run.
cat > "$OUT/pc.c" <<'C'
#include <mmz/mmz.h>
#include <stdio.h>
#ifdef HISI
#include <hi_mpi_sys.h>
#endif
int main(void)
{
	mmz_t *h;
	int r = mmz_open_ex("/nonexistent", 0, &h);
#ifdef HISI	/* without the module the HiSilicon layer fails too */
	HI_U64 p;
	HI_VOID *v;

	if (HI_MPI_SYS_MmzAlloc(&p, &v, "x", NULL, 4096) == HI_SUCCESS)
		return 1;
#endif
	printf("%s %s\n", mmz_lib_version(), mmz_strerror(r));
	return 0;
}
C
stage() {
	local tree=$PWD/$OUT/tree D=$PWD/$OUT/stage f flags
	mkdir -p "$tree" &&
		tar -cf - --exclude=build Makefile include lib tools | tar -xf - -C "$tree" || return 1
	# the caller's make variables must not reach the build: it uses the defaults
	env -u MAKEFLAGS -u MAKELEVEL -u PREFIX -u LIBDIR -u INCDIR -u DESTDIR \
		make -C "$tree" lib tools || return 1
	env -u MAKEFLAGS -u MAKELEVEL -u LIBDIR -u INCDIR \
		make -C "$tree" install PREFIX=/usr DESTDIR="$D" || return 1
	for f in bin/mmz include/mmz/mmz.h include/mmz/hi_mpi_sys.h lib/libmmz.so.$V lib/libmmz.so.1 \
	    lib/libmmz.so lib/libmmz.a lib/libmmz_hisi.so.$V lib/libmmz_hisi.so.1 lib/libmmz_hisi.so \
	    lib/libmmz_hisi.a lib/pkgconfig/mmz.pc lib/pkgconfig/mmz_hisi.pc; do
		[ -e "$D/usr/$f" ] || { echo "missing /usr/$f"; return 1; }
	done
	[ ! -e "$D/usr/local" ] || { echo "installed under /usr/local:"; find "$D/usr/local"; return 1; }
	for f in mmz mmz_hisi; do
		grep -qx 'prefix=/usr' "$D/usr/lib/pkgconfig/$f.pc" &&
			grep -qx 'libdir=/usr/lib' "$D/usr/lib/pkgconfig/$f.pc" &&
			grep -qx 'includedir=/usr/include' "$D/usr/lib/pkgconfig/$f.pc" &&
			! grep -q /usr/local "$D/usr/lib/pkgconfig/$f.pc" ||
			{ echo "$f.pc does not say /usr:"; cat "$D/usr/lib/pkgconfig/$f.pc"; return 1; }
	done
	command -v pkg-config >/dev/null ||
		{ echo "pkg-config is not installed (vm/deps.sh test installs it)"; return 1; }
	# only the stage's .pc files; keep /usr/include and /usr/lib, which some
	# pkg-config versions drop as system directories
	local -x PKG_CONFIG_SYSROOT_DIR=$D PKG_CONFIG_LIBDIR=$D/usr/lib/pkgconfig PKG_CONFIG_PATH= \
		PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 PKG_CONFIG_ALLOW_SYSTEM_LIBS=1
	for f in mmz mmz_hisi; do
		flags=$(pkg-config --cflags --libs $f) || return 1
		echo "pkg-config --cflags --libs $f: $flags"
		[[ $flags == *"-I$D/usr/include"* && $flags == *"-L$D/usr/lib "* ]] ||
			{ echo "not the staged /usr"; return 1; }
		"$CC" -Wall -Werror $([ $f = mmz_hisi ] && echo -DHISI) -o "$OUT/pc-$f" "$OUT/pc.c" $flags ||
			return 1
		LD_LIBRARY_PATH="$D/usr/lib" "$OUT/pc-$f" | tee -a /dev/stderr |
			grep -qx "$V No such device (is the mmz module loaded?)" || return 1
	done
	MMZ_DEVICE=/nonexistent "$D/usr/bin/mmz" version | grep -qx "mmz $V (libmmz $V)"
}
t "make lib tools, make install PREFIX=/usr DESTDIR: .pc files say /usr, pkg-config build runs" stage

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
