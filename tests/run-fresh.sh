#!/usr/bin/env bash
# The first contact of a brand-new machine: the dependency and cache
# preparation steps run with HOME and MMZ_CACHE pointing at directories that
# do not exist yet, as on a machine that never ran mmz. No kernel is built
# (build-kernel.sh stops after configuring). Also: the demo's package set
# is x86 only, and no step adds a foreign dpkg architecture.
# Prints "fresh: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=build/fresh
rm -rf "$OUT" && mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { echo "ok - $*"; passed=$((passed + 1)); }
notok() { echo "not ok - $*"; failed=$((failed + 1)); }
t() { # t <name> <function>: a test, its output in $OUT/<function>.log
	if "$2" >"$OUT/$2.log" 2>&1; then ok "$1"; else
		notok "$1"; tail -n 15 "$OUT/$2.log" | sed 's/^/#   /'; fi
}

archs_before=$(dpkg --print-foreign-architectures | sort | tr '\n' ' ')

# make demo runs an x86_64 VM: nothing of another architecture
demo_set() {
	local p
	p=$(bash vm/deps.sh --list 6.1) || return 1
	echo "$p"
	grep -q '^linux-source-6.1$' <<<"$p" || { echo "no kernel source"; return 1; }
	! grep -Eq 'arm64|aarch64|armhf|arm-|busybox-arm' <<<"$p"
}

# vm/deps.sh with HOME new and MMZ_CACHE unset: the default cache
# ($HOME/.cache/mmz) does not exist; the arm64 and armhf busyboxes must land
# there
deps_fresh_home() {
	local home=$tmp/home arch em bb elf
	mkdir -p "$home"
	env -u MMZ_CACHE HOME="$home" bash vm/deps.sh test 6.1 6.12 arm64-6.12 \
		arm-6.12 || return 1
	# ELF, e_machine at offset 18: 183 EM_AARCH64, 40 EM_ARM
	for arch in arm64:183 armhf:40; do
		em=${arch#*:} arch=${arch%:*}
		bb=$home/.cache/mmz/busybox-$arch/bin/busybox
		[ -x "$bb" ] || { echo "no $bb"; return 1; }
		elf=$(od -An -tx1 -N4 "$bb" | tr -d ' ')
		[ "$elf" = 7f454c46 ] || { echo "not ELF: $elf"; return 1; }
		[ "$(od -An -tu2 -j18 -N2 "$bb" | tr -d ' ')" = "$em" ] ||
			{ echo "$bb: not an $arch binary"; return 1; }
	done
	# nothing else of apt's private state is left in the cache
	[ "$(ls "$home/.cache/mmz" | tr '\n' ' ')" = "busybox-arm64 busybox-armhf " ] ||
		{ ls -la "$home/.cache/mmz"; return 1; }
}

# build-kernel.sh with MMZ_CACHE three levels below nothing
kernel_fresh_cache() {
	local cache=$tmp/none/a/b kdir
	kdir=$(HOME=$tmp/home2 MMZ_CACHE=$cache \
		bash vm/build-kernel.sh 6.1 perf config | tail -n 1) || return 1
	echo "kdir: $kdir"
	case $kdir in "$cache"/kernel-*) ;; *) echo "outside the cache"; return 1 ;; esac
	grep -qx CONFIG_MODULES=y "$kdir/.config" || return 1
	# configured, not built: a later real build must not take it as done
	[ ! -e "$(dirname "$kdir")/.built" ] || { echo ".built stamp"; return 1; }
}

archs_unchanged() {
	local now
	now=$(dpkg --print-foreign-architectures | sort | tr '\n' ' ')
	echo "before: '$archs_before' after: '$now'"
	[ "$now" = "$archs_before" ]
}

t "make demo's packages (vm/deps.sh 6.1) are x86 only" demo_set
t "vm/deps.sh with a new HOME: creates the cache, arm64 and armhf busybox in it" deps_fresh_home
t "vm/build-kernel.sh with MMZ_CACHE not yet created: extracts, configures" kernel_fresh_cache
t "no foreign dpkg architecture added" archs_unchanged

echo "fresh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
