#!/usr/bin/env bash
# Boot a test kernel with a staged test dir in qemu (TCG) and judge the run.
# Usage: vm/run.sh --kernel <bzImage|Image> --stage <dir> [--append "<cmdline>"]
#          [--mem 1G] [--cpu max] [--disk <MiB>] [--timeout <s>]
#          [--log <file>] [--kunit <suite>]... [--arch x86_64|arm64|arm]
#          [--dts <extra.dtsi>]   (arm64, arm: nodes added to qemu's virt DT)
# Prints the guest's TAP lines, then exactly one summary line
# "N passed, N failed[, N skipped]"; exits non-zero on any failure.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage() { sed -n '3,7s/^# \{0,1\}//p' "$0" >&2; exit 2; }

kernel='' stage='' append='' mem=1G disk='' timeout_s=600 log='' kunit=() cpu=''
arch=x86_64 dts=''
while [ $# -gt 0 ]; do
  case $1 in
    --kernel) kernel=$2; shift 2 ;;
    --stage) stage=$2; shift 2 ;;
    --append) append=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    --disk) disk=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    --kunit) kunit+=("$2"); shift 2 ;;
    --cpu) cpu=$2; shift 2 ;;
    --arch) arch=$2; shift 2 ;;
    --dts) dts=$2; shift 2 ;;
    *) usage ;;
  esac
done
if [ -z "$kernel" ] || [ -z "$stage" ]; then usage; fi
[ -r "$kernel" ] || { echo "no kernel image: $kernel" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -n "$log" ] || log=$work/console.log
: >"$log"

case $arch in
  x86_64)
    console=ttyS0
    machine=(qemu-system-x86_64 -M q35 -accel tcg -cpu "${cpu:-max}")
    ;;
  arm64)
    # cortex-a57: no pointer authentication, which is slow under TCG
    console=ttyAMA0
    machine=(qemu-system-aarch64 -M virt -accel tcg -cpu "${cpu:-cortex-a57}")
    # userland: Debian's arm64 busybox-static (vm/deps.sh fetches it); the
    # host's busybox of the same version lists the applets
    : "${BUSYBOX:=${MMZ_CACHE:-$HOME/.cache/mmz}/busybox-arm64/bin/busybox}"
    export BUSYBOX BUSYBOX_LIST=/bin/busybox
    ;;
  arm)
    # cortex-a7: the camera SoCs' core (ARMv7, no LPAE in their kernels)
    console=ttyAMA0
    machine=(qemu-system-arm -M virt -accel tcg -cpu "${cpu:-cortex-a7}")
    : "${BUSYBOX:=${MMZ_CACHE:-$HOME/.cache/mmz}/busybox-armhf/bin/busybox}"
    export BUSYBOX BUSYBOX_LIST=/bin/busybox
    ;;
  *) echo "unknown --arch $arch (x86_64|arm64|arm)" >&2; exit 2 ;;
esac
machine+=(-smp 2 -m "$mem")

"$here/mkinitramfs.sh" "$stage" "$work/initramfs.cpio.gz"

drive=()
if [ -n "$disk" ]; then
  truncate -s "${disk}M" "$work/disk.img"
  mkfs.ext4 -q -F "$work/disk.img" >&2
  if [ "$arch" != x86_64 ]; then
    drive=(-drive "file=$work/disk.img,if=none,format=raw,id=vd0"
      -device virtio-blk-device,drive=vd0)
  else
    drive=(-drive "file=$work/disk.img,if=virtio,format=raw")
  fi
fi

# arm64, arm: qemu's own DT for this machine (same -M/-cpu/-smp/-m), plus --dts
dtb=()
if [ -n "$dts" ]; then
  [ "$arch" != x86_64 ] || { echo "--dts needs --arch arm64 or arm" >&2; exit 2; }
  "${machine[@]}" -machine dumpdtb="$work/virt.dtb" -nographic >&2
  dtc -q -I dtb -O dts -o "$work/virt.dts" "$work/virt.dtb"
  cat "$work/virt.dts" "$dts" >"$work/board.dts"
  dtc -q -I dts -O dtb -o "$work/board.dtb" "$work/board.dts"
  dtb=(-dtb "$work/board.dtb")
fi

# oops=panic + panic=-1 + -no-reboot: an oops ends qemu at once (no hang);
# printk.time marks kernel lines so test output is never taken for them.
# TCG vCPUs on a busy host can be descheduled for tens of seconds, which the
# default 21 s RCU stall timeout reports as a stall; 300 s is the maximum.
# A kernel with vivid (config/media.fragment) makes two capture-only
# instances, one per buffer allocator (vmalloc, dma-contig); a kernel
# without it ignores the vivid.* parameters.
vivid='vivid.n_devs=2 vivid.allocators=0,1 vivid.node_types=0x1,0x1'
cmdline="console=$console panic=-1 oops=panic printk.time=1 rcupdate.rcu_cpu_stall_timeout=300 $vivid $append"
qemu=("${machine[@]}" -nographic -no-reboot -kernel "$kernel"
  -initrd "$work/initramfs.cpio.gz" -append "$cmdline" "${drive[@]}" "${dtb[@]}")

echo "booting: ${qemu[*]}" >&2
start=$(date +%s)
# live: forward TAP-looking lines, and the first 60 diagnostic lines after
# a failed test (so a CI log shows why); the judgement below uses the
# marked copy
set +e
live() {
  local line d=0
  while IFS= read -r line; do
    if [[ $line =~ ^(not\ )?ok\ [0-9]|^1\.\.[0-9] ]]; then
      printf '%s\n' "$line"
      d=0
      [[ $line == "not ok"* ]] && d=60
    elif ((d > 0)) && [[ $line == "#"* ]]; then
      printf '%s\n' "$line"
      d=$((d - 1))
    fi
  done
}
timeout -k 10 "$timeout_s" "${qemu[@]}" </dev/null 2>&1 | sed -u 's/\r$//' | tee "$log" | live
rc=${PIPESTATUS[0]}
set -e
echo "qemu exited $rc after $(( $(date +%s) - start )) s (log: $log)" >&2

t_init=$(grep -m1 -oE '^\[ *[0-9.]+\] Run /init' "$log" | grep -oE '[0-9]+\.[0-9]+' || true)
echo "guest reached /init at ${t_init:-?} s (guest clock)" >&2

pass=0 fail=0 skip=0
fail_test() { echo "not ok - $1"; fail=$((fail + 1)); }
pass_test() { echo "ok - $1"; pass=$((pass + 1)); }

section() { # print lines strictly between "==== $1 BEGIN" and "==== $1 END"
  awk -v b="==== $1 BEGIN" -v e="==== $1 END" '$0==e{f=0} f{print} $0==b{f=1}' "$log"
}

done_seen=0
grep -qx 'MMZ-VM-DONE' "$log" && done_seen=1

# TAP: from the marked section if the guest finished, else the raw log
if grep -qx '==== TAP END' "$log"; then tap=$(section TAP); else tap=$(cat "$log"); fi
plan=$(grep -E '^1\.\.[0-9]+' <<<"$tap" | head -n1 | sed -E 's/^1\.\.([0-9]+).*/\1/' || true)
ran=0
while IFS= read -r line; do
  if [[ $line =~ ^not\ ok\ [0-9]+ ]]; then
    fail=$((fail + 1)); ran=$((ran + 1))
  elif [[ $line =~ ^ok\ [0-9]+ ]]; then
    ran=$((ran + 1))
    if [[ $line =~ \#[[:space:]]*[Ss][Kk][Ii][Pp] ]]; then skip=$((skip + 1)); else pass=$((pass + 1)); fi
  fi
done <<<"$tap"

if [ "$done_seen" -eq 1 ]; then
  pass_test "vm finished (MMZ-VM-DONE)"
else
  fail_test "vm finished (MMZ-VM-DONE missing: crash, panic or timeout; qemu rc $rc)"
  echo "# last console lines:"
  tail -n 40 "$log" | sed 's/^/#   /'
fi
if [ -z "$plan" ]; then
  fail_test "TAP plan present (no 1..N line)"
elif [ "$plan" -ne "$ran" ]; then
  fail_test "TAP plan matches (planned $plan, ran $ran)"
fi

# Kernel log: the dmesg dump (+ kmemleak report) when the guest finished;
# after a crash, the timestamped kernel lines of the raw console log.
if [ "$done_seen" -eq 1 ]; then
  klog=$(section DMESG; section KMEMLEAK)
else
  klog=$(grep -E '^\[ *[0-9]+\.[0-9]+\]' "$log" || true)
fi
# (arm64 spells its back traces "Call trace:" and faults "Unable to handle")
patterns=('BUG:' 'KASAN' 'WARNING:' 'Oops' 'kernel BUG' 'Kernel panic'
  'possible circular locking' 'lockdep' 'unreferenced object' 'Call Trace'
  'Call trace:' 'Unable to handle kernel'
  'general protection fault' 'INFO: task' 'UBSAN' 'detected stall'
  'sleeping function called from invalid context'
  'list_add corruption' 'list_del corruption')
# Allowlist: lines that echo our own command line (which may name options);
# PROVE_RCU's boot banner "RCU lockdep checking is enabled." (not a report).
allow='Kernel command line:|Command line:|rcu:[[:space:]]+RCU lockdep checking is enabled\.$'
# Block names are the user's bytes (fuzz_ioctl makes up "...BUG..." ones):
# cut out of the lines that quote them before the scan (as run-tests does).
scan=$(sed -e 's/\(MMB LEAK(pid=[0-9]*):.*\) name=".*/\1 name=-/' \
  -e 's/block ".*" at 0x/block - at 0x/' <<<"$klog")
bad=0
for p in "${patterns[@]}"; do
  hits=$(grep -F -- "$p" <<<"$scan" | grep -Ev -- "$allow" || true)
  if [ -n "$hits" ]; then
    fail_test "kernel log clean: '$p'"
    head -n 20 <<<"$hits" | sed 's/^/#   /'
    bad=1
  fi
done
[ "$bad" -eq 1 ] || pass_test "kernel log clean"

# KUnit: every suite summary in the kernel log ("# <suite>: pass:P fail:F
# skip:S total:T") is a test; a suite that ran and failed fails the run.
# --kunit <suite> also fails the run when that suite never reported.
while IFS= read -r line; do
  suite=$(sed -E 's/.*# ([A-Za-z0-9_.-]+): pass:.*/\1/' <<<"$line")
  [ "$suite" = Totals ] && continue
  if grep -qE 'fail:0 ' <<<"$line"; then
    pass_test "kunit $suite: ${line##*# $suite: }"
  else
    fail_test "kunit $suite: ${line##*# $suite: }"
  fi
done < <(grep -E '# [A-Za-z0-9_.-]+: pass:[0-9]+ fail:[0-9]+ skip:[0-9]+ total:[0-9]+' <<<"$klog" || true)
for suite in "${kunit[@]}"; do
  grep -qE "# $suite: pass:[0-9]+ fail:[0-9]+" <<<"$klog" ||
    fail_test "kunit $suite ran (no result in the kernel log)"
done

if [ "$fail" -ne 0 ] && [ "$log" = "$work/console.log" ]; then
  # keep the evidence of a failed run
  kept=${TMPDIR:-/tmp}/mmz-vm-$(date +%Y%m%d-%H%M%S)-$$.log
  cp "$log" "$kept"
  echo "# console log kept: $kept"
fi
summary="$pass passed, $fail failed"
[ "$skip" -eq 0 ] || summary="$summary, $skip skipped"
echo "$summary"
[ "$fail" -eq 0 ]
