#!/usr/bin/env bash
# make demo: the camera-like mmz pipeline in a QEMU VM, end to end.
#
# Installs what is missing (vm/deps.sh), builds (or reuses) the perf kernel
# (no debug options; DEMO_KERNEL=debug: the test kernel with KASAN, lockdep
# and kmemleak), builds mmz.ko and the static demo programs, boots the VM
# with the zone below and runs demo/run-tests there: capture | checksum |
# recorder across three processes, a re-read of the recording, then the
# same with vivid (the kernel's virtual camera) capturing into the ring
# through dma-buf (camera | checksum | recorder), cleanup checks. Prints the demo output live, then the rig's judgement (which also
# fails on any WARN/BUG/oops line in the kernel log, and on the debug
# kernel on KASAN, lockdep and kmemleak reports), then one verdict line:
#   demo: PASS <frames> frames, 0 mismatches, ...
# Exit status non-zero on any failure.
#
# Knobs (environment): DEMO_ALLOCATOR (cma|hisi), DEMO_ZONES, DEMO_FRAMES
# (240), DEMO_CAM_FRAMES (60, vivid's), DEMO_RING (8), DEMO_KERNEL
# (perf|debug), KVER (6.1).
set -uo pipefail

# The allocator and the zone, as the module's mmz_allocator= and mmz=.
# cma (default): the zone lies in the kernel's CMA area (cma= below), frames
# have struct pages and the recorder writes them with O_DIRECT, zero copy.
# hisi: a carve-out; memmap= for the kernel command line is derived from
# the zones (memory the kernel leaves alone).
ALLOCATOR=${DEMO_ALLOCATOR:-cma}
CMA='cma=256M@512M'
case $ALLOCATOR in
cma) MMZ_ZONES=${DEMO_ZONES:-'anonymous,0,0x20000000,192M'} ;;
hisi) MMZ_ZONES=${DEMO_ZONES:-'anonymous,0,0x30000000,128M'} ;;
*) echo "demo: DEMO_ALLOCATOR must be cma or hisi" >&2; exit 2 ;;
esac

FRAMES=${DEMO_FRAMES:-240}
CAM_FRAMES=${DEMO_CAM_FRAMES:-60}
RING=${DEMO_RING:-8}
KVER=${KVER:-6.1}
# perf: the kernel without debug options (boots in seconds); debug: the test
# kernel with KASAN, lockdep and kmemleak (minutes under TCG)
FLAVOUR=${DEMO_KERNEL:-perf}
FRAME_BYTES=3110400

cd "$(dirname "$0")/.."
OUT=build/demo
mkdir -p "$OUT"

append=
if [ "$ALLOCATOR" = hisi ]; then
	IFS=: read -ra zones <<<"$MMZ_ZONES"
	for z in "${zones[@]}"; do
		IFS=, read -r _ _ start size _ <<<"$z"
		append+="memmap=$size\$$start "
	done
fi
append+=$CMA

elapsed() { echo $(( $(date +%s) - $1 )); }
steps=()
fail() {
	echo "demo: FAIL $1"
	exit 1
}
step() { # step <name> <log> <command...>: runs it quietly, times it
	local name=$1 log=$2 t=$(date +%s)
	shift 2
	echo "demo: $name ..."
	if ! "$@" >"$log" 2>&1; then
		tail -n 30 "$log" | sed 's/^/  /'
		fail "$name (log: $log)"
	fi
	steps+=("$name $(elapsed "$t") s")
}

step "install dependencies (vm/deps.sh)" "$OUT/deps.log" bash vm/deps.sh "$KVER"
t=$(date +%s)
echo "demo: kernel $KVER $FLAVOUR (vm/build-kernel.sh; cached after the first build) ..."
kdir=$(bash vm/build-kernel.sh "$KVER" "$FLAVOUR" 2>"$OUT/kernel.log" | tail -n 1)
[ -n "$kdir" ] && [ -r "$kdir/arch/x86/boot/bzImage" ] ||
	{ tail -n 30 "$OUT/kernel.log" | sed 's/^/  /'; fail "kernel build (log: $OUT/kernel.log)"; }
steps+=("kernel $(elapsed "$t") s")
step "build mmz.ko" "$OUT/module.log" bash vm/build-module.sh "$kdir" "$OUT/module"
KO=$PWD/$OUT/module/src/kernel/mmz.ko
rm -rf "$OUT/stage"
step "build the demo programs and the stage" "$OUT/stage.log" \
	make -C demo stage STAGE="$PWD/$OUT/stage" MMZ_KO="$KO"
cat >"$OUT/stage/demo.conf" <<CONF
MMZ_PARAM='$MMZ_ZONES'
MMZ_ALLOCATOR=$ALLOCATOR
FRAMES=$FRAMES
CAM_FRAMES=$CAM_FRAMES
RING=$RING
CONF
# the mmz CLI (tools/), static, shows the live blocks too; optional
if [ -f tools/Makefile ]; then
	if make -C tools STATIC=1 O="$PWD/$OUT/tools" >"$OUT/tools.log" 2>&1 &&
	    [ -x "$OUT/tools/mmz" ]; then
		cp "$OUT/tools/mmz" "$OUT/stage/bin/mmz"
	else
		echo "demo: the mmz CLI did not build (log: $OUT/tools.log); showing /proc/media-mem only"
	fi
fi

# the longer recording (each is deleted after its re-read): every frame,
# plus room for ext4's metadata and journal
most=$(( FRAMES > CAM_FRAMES ? FRAMES : CAM_FRAMES ))
disk=$(( most * FRAME_BYTES / 1048576 * 11 / 10 + 64 ))
console=$OUT/console.log
result=$OUT/result.log
echo "demo: booting the VM: $append; mmz=$MMZ_ZONES; $FRAMES frames, $CAM_FRAMES from vivid; ${disk} MiB disk"
echo
t=$(date +%s)
: >"$console"
bash vm/run.sh --kernel "$kdir/arch/x86/boot/bzImage" --stage "$OUT/stage" \
	--append "$append" --disk "$disk" --timeout "${DEMO_TIMEOUT:-600}" \
	--log "$console" >"$result" 2>"$OUT/vm.log" &
vm=$!
# follow the guest's output live: TAP lines, "# " narrative, kernel lines
tail -n +1 -F --pid="$vm" "$console" 2>/dev/null |
	awk '/^==== TAP BEGIN$/ { f = 1; next } /^==== TAP END$/ { f = 0 }
	     f { sub(/^# /, ""); print; fflush() }'
wait "$vm"
rc=$?
steps+=("VM boot + demo + kernel log scan $(elapsed "$t") s")
echo
echo "demo: the rig's judgement (vm/run.sh):"
grep -vE '^(not )?ok [0-9]|^1\.\.' "$result" | sed 's/^/  /'
echo "demo: steps: $(IFS=,; echo "${steps[*]}" | sed 's/,/, /g')"

guest=$(grep -E '^# in-VM verdict: ' "$console" | tail -n 1 | sed 's/^# in-VM verdict: //')
# a production load runs no test: no KUnit line in the kernel log
if grep -E '^\[ *[0-9.]+\] .*(KTAP|# Subtest|kunit)' "$console" >"$OUT/kunit.lines"; then
	echo "demo: the kernel log has KUnit lines (loading mmz.ko must run no test):"
	head -n 5 "$OUT/kunit.lines" | sed 's/^/  /'
	rc=1
fi
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$result" | tail -n 1)
rest=${guest#PASS }
rest=${rest#FAIL }
if [ "$rc" -eq 0 ] && [[ $guest == PASS* ]]; then
	echo "demo: PASS $rest; vm: $summary, kernel log clean"
	exit 0
fi
echo "demo: FAIL ${rest:-(no verdict from the VM)}; vm: ${summary:-no result} (console: $console)"
exit 1
