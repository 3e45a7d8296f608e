#!/usr/bin/env bash
# Build (or reuse) a test kernel from Debian's linux-source-<ver> package.
# Usage: vm/build-kernel.sh <6.1|6.12|arm64-<v>|arm-<v>> <debug|perf> [config]
# Last stdout line: the kernel build dir (KDIR), usable for external modules.
# "config": extract and configure only (checks the fragments, no compile,
# no .built stamp); the fresh-machine test uses it.
# arm64-<ver>, arm-<ver>: the same source for qemu -M virt, 64-bit or
# 32-bit ARMv7, cross-built with Debian's gcc, the toolchains the README
# gives board builders (external modules: ARCH=arm64
# CROSS_COMPILE=aarch64-linux-gnu-, ARCH=arm CROSS_COMPILE=arm-linux-gnueabihf-;
# Image, zImage); x86_64 with the host's gcc otherwise (bzImage). gcc, not
# clang: clang compiled the same kernels 1.4 to 2.8 times slower.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ver=${1:?usage: build-kernel.sh <version> <debug|perf>}
flavour=${2:?usage: build-kernel.sh <version> <debug|perf>}
only=${3:-}
case $only in ''|config) ;; *) echo "unknown step: $only (config)" >&2; exit 2 ;; esac

case $ver in
  6.1|6.12) arch=x86_64 tc='' image=bzImage tag='' base=base debugfrag=debug ;;
  arm64-6.1|arm64-6.12)
    # KASAN (debug.fragment) on 6.1 only: it doubles an arm64 guest's run
    # time under TCG
    arch=arm64 tc=CROSS_COMPILE=aarch64-linux-gnu- image=Image tag=arm64-
    base=arm64 debugfrag=arm64-debug ver=${ver#arm64-}
    [ "$ver" = 6.1 ] && debugfrag=debug ;;
  arm-6.1|arm-6.12)
    # the arm64 checkers (no KASAN)
    arch=arm tc=CROSS_COMPILE=arm-linux-gnueabihf- image=zImage tag=arm-
    base=arm debugfrag=arm64-debug ver=${ver#arm-} ;;
  *) echo "unsupported kernel version: $ver (6.1|6.12|arm64-<v>|arm-<v>)" >&2; exit 2 ;;
esac
# config/<ver>.fragment: the few lines that only one version needs (symbols
# added or renamed later); it is part of the hash like the others
frags=("$here/config/$base.fragment")
[ -r "$here/config/$ver.fragment" ] && frags+=("$here/config/$ver.fragment")
case $flavour in
  debug) frags+=("$here/config/$debugfrag.fragment") ;;
  perf)  ;;
  *) echo "unknown flavour: $flavour (debug|perf)" >&2; exit 2 ;;
esac
# the media stack (vivid, vgem, udmabuf) in every kernel: the dma-buf
# tests and the demo's camera
frags+=("$here/config/media.fragment")

tarball=/usr/src/linux-source-$ver.tar.xz
[ -r "$tarball" ] || { echo "missing $tarball (run vm/deps.sh)" >&2; exit 1; }
pkgver=$(dpkg-query -W -f='${Version}' "linux-source-$ver" 2>/dev/null) ||
  pkgver=$ver-$(stat -c %s-%Y "$tarball")
# the cross toolchain is part of the hash (the host's gcc is not)
hash=$({ cat "${frags[@]}"; [ -z "$tc" ] || echo "$tc"; } | sha256sum | cut -c1-12)
cache=${MMZ_CACHE:-$HOME/.cache/mmz}
out=$cache/kernel-$tag$pkgver-$flavour-$hash
kdir=$out/linux-source-$ver
stamp=$out/.built
log=$out/build.log

mkdir -p "$out"
# two runs at once would build into the same tree
exec 9>"$out/.lock"
flock 9

if [ -e "$stamp" ]; then
  echo "$kdir"
  exit 0
fi

echo "building kernel $pkgver $flavour in $out (log: $log)" >&2
start=$(date +%s)
rm -rf "$kdir"
tar -xJf "$tarball" -C "$out"
: >"$log"

mk() { make -C "$kdir" ARCH=$arch ${tc:+"$tc"} "$@" >>"$log" 2>&1 || {
  tail -n 40 "$log" >&2; echo "make $* failed, see $log" >&2; exit 1; }; }

mk tinyconfig
(cd "$kdir" && ARCH=$arch ./scripts/kconfig/merge_config.sh -m .config "${frags[@]}") >>"$log" 2>&1
mk olddefconfig

# merge_config.sh only warns; a dependency that was not met must stop us
missing=0
while IFS= read -r line; do
  if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
    sym=${BASH_REMATCH[1]} want=${BASH_REMATCH[2]}
    got=$(grep -E "^$sym=" "$kdir/.config" | cut -d= -f2- || true)
    if [ "$got" != "$want" ]; then
      echo "config: $sym wanted $want, got ${got:-not set}" >&2
      missing=$((missing + 1))
    fi
  elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set ]]; then
    sym=${BASH_REMATCH[1]}
    if grep -qE "^$sym=" "$kdir/.config"; then
      echo "config: $sym wanted not set, got $(grep -E "^$sym=" "$kdir/.config")" >&2
      missing=$((missing + 1))
    fi
  fi
done < <(cat "${frags[@]}")
if [ "$missing" -ne 0 ]; then
  echo "$missing requested option(s) did not stick" >&2
  exit 1
fi
if [ "$only" = config ]; then
  echo "kernel configured in $(( $(date +%s) - start )) s (not built)" >&2
  echo "$kdir"
  exit 0
fi

mk -j"$(nproc)" "$image" modules
mk modules_prepare

touch "$stamp"
echo "kernel built in $(( $(date +%s) - start )) s" | tee -a "$log" >&2
echo "$kdir"
