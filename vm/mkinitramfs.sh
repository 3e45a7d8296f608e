#!/usr/bin/env bash
# Pack a busybox-static initramfs with <stage-dir> copied to /mmz.
# Usage: vm/mkinitramfs.sh <stage-dir> <out.cpio.gz>
# /mmz/run-tests (from the stage dir) prints TAP; /init wraps it in markers
# that vm/run.sh parses.
set -euo pipefail

stage=${1:?usage: mkinitramfs.sh <stage-dir> <out.cpio.gz>}
out=${2:?usage: mkinitramfs.sh <stage-dir> <out.cpio.gz>}
[ -x "$stage/run-tests" ] || { echo "$stage/run-tests missing or not executable" >&2; exit 1; }
busybox=${BUSYBOX:-/bin/busybox}
[ -x "$busybox" ] || { echo "$busybox missing (apt-get install busybox-static)" >&2; exit 1; }
# a busybox for another architecture cannot run here: BUSYBOX_LIST names
# one of the same version that lists the applets
lister=${BUSYBOX_LIST:-$busybox}

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,tmp,mnt,mmz,root,etc}
cp "$busybox" "$root/bin/busybox"
while IFS= read -r applet; do
  [ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done < <("$lister" --list-full)
cp -a "$stage/." "$root/mmz/"

cat >"$root/init" <<'INIT'
#!/bin/sh
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
# warnings and worse stay live on the console; the full log comes at the end
dmesg -n 5
# kmemleak's periodic scan is slow under TCG+KASAN; we scan once at the end
[ -e /sys/kernel/debug/kmemleak ] && echo scan=off > /sys/kernel/debug/kmemleak
# the disk (run.sh --disk) is left to the tests: tests/vm/run-tests mounts
# it on /mnt only while a test needs it

echo "==== TAP BEGIN"
cd /mmz
./run-tests 2>&1 | tee /tmp/tap.log
echo "==== TAP END"
cd /

if [ -e /sys/kernel/debug/kmemleak ]; then
  # kmemleak ignores objects younger than 5 s; the second scan reports them
  echo scan > /sys/kernel/debug/kmemleak
  sleep 6
  echo scan > /sys/kernel/debug/kmemleak
  echo "==== KMEMLEAK BEGIN"
  cat /sys/kernel/debug/kmemleak
  echo "==== KMEMLEAK END"
fi
# the host scans only this copy of the kernel log (plus kmemleak)
echo "==== DMESG BEGIN"
dmesg
echo "==== DMESG END"
sync
echo "MMZ-VM-DONE"
poweroff -f
# without ACPI power-off, qemu -no-reboot exits on reboot
reboot -f
INIT
chmod 755 "$root/init"

# /dev/console must exist before /init runs; write its newc entry by hand
# so no root (mknod) is needed. GNU cpio's archive follows and ends it.
newc() { # name mode rdevmajor rdevminor ino
  local name=$1 nsz=$((${#1} + 1))
  printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
    "$5" "$2" 0 0 1 0 0 0 0 "$3" "$4" "$nsz" 0
  printf '%s\0' "$name"
  local pad=$(( (4 - (110 + nsz) % 4) % 4 ))
  head -c "$pad" /dev/zero
}
tmp=$out.tmp
{
  newc dev $((0040000 | 0755)) 0 0 $((0x7fff0001))
  newc dev/console $((0020000 | 0600)) 5 1 $((0x7fff0002))
  (cd "$root" && find . -mindepth 1 ! -path ./dev | LC_ALL=C sort |
    cpio --quiet -o -H newc -R 0:0)
} | gzip -9 >"$tmp"
mv "$tmp" "$out"
