#!/usr/bin/env bash
# Install what the project needs (Debian 12, as root): the VM rig, and the
# user-space tests (clang + libFuzzer runtime, valgrind for make bench).
# Idempotent: apt-get runs only when a package is missing.
set -euo pipefail

pkgs=(linux-source-6.1 linux-source-6.12 qemu-system-x86 busybox-static
  build-essential flex bison bc libelf-dev libssl-dev cpio kmod e2fsprogs
  gcc-12-multilib xz-utils util-linux clang libclang-rt-14-dev valgrind
  lld llvm libc6-dev-arm64-cross libgcc-12-dev-arm64-cross
  binutils-aarch64-linux-gnu qemu-system-arm device-tree-compiler)
# gcc-12-multilib, not gcc-multilib: that one only adds /usr/include/asm
# (our -m32 builds use -idirafter instead) and conflicts with the arm64
# cross compiler. The arm64 rig builds with clang/LLVM all the same (its
# kernel and programs; no cross gcc needed).
# dwarves (pahole) is only needed for BTF; the kernels are built without debug info.

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)

# The arm64 VM's userland: Debian's busybox-static for arm64, unpacked
# into the cache (installing it would replace the host's amd64 one).
bb=${MMZ_CACHE:-$HOME/.cache/mmz}/busybox-arm64
if [ ! -x "$bb/bin/busybox" ]; then
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    "${sudo[@]}" dpkg --add-architecture arm64
    "${sudo[@]}" apt-get update -q
  fi
  dl=$(mktemp -d)
  chmod 777 "$dl"	# apt's download user writes here
  (cd "$dl" && apt-get download -q busybox-static:arm64) ||
    { "${sudo[@]}" apt-get update -q && (cd "$dl" && apt-get download -q busybox-static:arm64); }
  rm -rf "$bb.tmp" && dpkg-deb -x "$dl"/busybox-static_*_arm64.deb "$bb.tmp"
  rm -rf "$bb" && mv "$bb.tmp" "$bb" && rm -rf "$dl"
  echo "vm deps: arm64 busybox in $bb" >&2
fi

missing=()
for p in "${pkgs[@]}"; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$st" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "vm deps: all installed" >&2
  exit 0
fi
echo "vm deps: installing ${missing[*]}" >&2
"${sudo[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
