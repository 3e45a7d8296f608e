#!/usr/bin/env bash
# Install what a job needs (Debian 12; root, or sudo), nothing more.
# Usage: vm/deps.sh [--list] [<kernel>|test]...   (default: 6.1)
#   --list        print the packages (and "busybox-<arch>" for a foreign
#                 busybox) the groups need, install nothing
#   6.1, 6.12     that kernel's source and the x86_64 VM rig (QEMU, busybox,
#                 kernel build tools): make demo, make bench-vm
#   arm64-<ver>   that kernel's source and the arm64 VM: cross gcc, clang,
#                 arm64 and armhf libc (the tests' 64- and 32-bit builds),
#                 qemu-system-arm, dtc, and Debian's arm64 busybox-static
#                 unpacked into the cache
#   arm-<ver>     the same for the 32-bit ARM VM (armhf busybox-static)
#   test          the host side of make test: 32-bit libraries, clang +
#                 libFuzzer, valgrind, pkg-config
# Idempotent: apt-get runs only when a package is missing. No foreign dpkg
# architecture is added: the arm64 busybox comes through a private apt
# state in the cache (apt-get update + download, nothing installed).
set -euo pipefail

vm_pkgs=(qemu-system-x86 busybox-static build-essential
  flex bison bc libelf-dev libssl-dev cpio kmod e2fsprogs xz-utils util-linux)
# gcc-12-multilib, not gcc-multilib: that one only adds /usr/include/asm
# (our -m32 builds use -idirafter instead) and conflicts with the cross
# compilers below.
test_pkgs=(build-essential gcc-12-multilib clang libclang-rt-14-dev
  valgrind pkg-config)
# arm64 and arm VMs: the kernels and mmz.ko with Debian's cross gcc (the
# README's board toolchains); the test programs with clang against the
# arm64 and armhf cross libcs
arm_pkgs=(gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf clang
  libc6-dev-arm64-cross libgcc-12-dev-arm64-cross
  libc6-dev-armhf-cross libgcc-12-dev-armhf-cross
  binutils-aarch64-linux-gnu binutils-arm-linux-gnueabihf
  qemu-system-arm device-tree-compiler)
# dwarves (pahole) is only needed for BTF; the kernels have no debug info.

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
cache=${MMZ_CACHE:-$HOME/.cache/mmz}

list=0
[ "${1:-}" = --list ] && { list=1; shift; }
pkgs=() foreign=()
[ $# -gt 0 ] || set -- 6.1
for group; do
  case $group in
  6.1|6.12) pkgs+=("linux-source-$group" "${vm_pkgs[@]}") ;;
  arm64-6.1|arm64-6.12)
    pkgs+=("linux-source-${group#arm64-}" "${vm_pkgs[@]}" "${arm_pkgs[@]}")
    foreign+=(arm64) ;;
  arm-6.1|arm-6.12)
    pkgs+=("linux-source-${group#arm-}" "${vm_pkgs[@]}" "${arm_pkgs[@]}")
    foreign+=(armhf) ;;
  test) pkgs+=("${test_pkgs[@]}") ;;
  *) echo "vm/deps.sh: unknown group '$group' (6.1|6.12|arm64-<ver>|arm-<ver>|test)" >&2
     exit 2 ;;
  esac
done

# each foreign busybox once (arm64-6.1 and arm64-6.12 share one)
mapfile -t foreign < <(printf '%s\n' "${foreign[@]}" | awk 'NF && !seen[$0]++')

if [ "$list" -eq 1 ]; then
  printf '%s\n' "${pkgs[@]}" | awk '!seen[$0]++'
  [ ${#foreign[@]} -eq 0 ] || printf 'busybox-%s\n' "${foreign[@]}"
  exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$st" = "install ok installed" ] || missing+=("$p")
done
# one name once, in order
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk 'NF && !seen[$0]++')
if [ ${#missing[@]} -gt 0 ]; then
  echo "vm deps: installing ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q \
    --no-install-recommends "${missing[@]}"
else
  echo "vm deps: $* installed" >&2
fi

# foreign_busybox <debian-arch>: Debian's busybox-static of that
# architecture, unpacked into $cache/busybox-<arch>, through apt state of
# its own (lists of that architecture only) so the host's dpkg is untouched
foreign_busybox() {
  local arch=$1 bb=$cache/busybox-$1 st=$cache/apt-$1 dl
  [ -x "$bb/bin/busybox" ] && return 0
  mkdir -p "$st/lists/partial" "$st/cache/archives/partial"
  local apt=(apt-get -q -o "APT::Architecture=$arch"
    -o "APT::Architectures::=$arch" -o "Dir::State::Lists=$st/lists"
    -o "Dir::Cache=$st/cache" -o Dir::State::status=/dev/null
    -o Debug::NoLocking=1)
  "${apt[@]}" update >&2
  dl=$(mktemp -d)
  chmod 777 "$dl"	# apt's download user writes here
  (cd "$dl" && "${apt[@]}" download "busybox-static:$arch" >&2)
  rm -rf "$bb.tmp"
  dpkg-deb -x "$dl"/busybox-static_*_"$arch".deb "$bb.tmp"
  rm -rf "$bb" "$dl" "$st" && mv "$bb.tmp" "$bb"
  echo "vm deps: $arch busybox in $bb" >&2
}

for arch in "${foreign[@]}"; do
  mkdir -p "$cache"
  foreign_busybox "$arch"
done
