#!/usr/bin/env bash
# Install what the project needs (Debian 12, as root): the VM rig, and the
# user-space tests (clang + libFuzzer runtime, valgrind for make bench).
# Idempotent: apt-get runs only when a package is missing.
set -euo pipefail

pkgs=(linux-source-6.1 linux-source-6.12 qemu-system-x86 busybox-static
  build-essential flex bison bc libelf-dev libssl-dev cpio kmod e2fsprogs
  gcc-12-multilib xz-utils util-linux clang libclang-rt-14-dev valgrind)
# gcc-12-multilib, not gcc-multilib: that one only adds /usr/include/asm
# (our -m32 builds use -idirafter instead) and conflicts with the arm64
# cross compiler.
# dwarves (pahole) is only needed for BTF; the kernels are built without debug info.

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
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
"${sudo[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
