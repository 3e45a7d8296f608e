# tests/kmod/ot in the VM, sourced by run-tests when staged
# (tests/vm/Makefile OT_KO=): ot_client.ko, a vendor-style driver of
# mmz.ko's generation-3 ot_* API built against
# include/hisilicon/ot/osal_mmz.h only, and ot_user, which finds its
# kernel_only block refused to user space. run-tests calls
# ot_run in each mode that loads zones, right after hil_run. Each check of
# the module becomes a TAP test "[<mode>] ot: <text>" (kmod.sh).
# shellcheck shell=sh disable=SC2154 # here, MODE, ... are run-tests'
# shellcheck source=tests/kmod/kmod.sh
. "$here/kmod.sh"

# ot_client.c's OC_CHECKS: 1-15 at load, 16 at unload
OT_CHECKS=16
# + insmod, ot_user, rmmod with the summary, no oc_ block left, clean log
ot_plan=$((OT_CHECKS + 5))
OT_PARAMS=/sys/module/ot_client/parameters

ot_run() {
	kmod_load ot ot_client "$OT_CHECKS" "$ot_plan" || return
	kmod_results ot 1 $((OT_CHECKS - 1))
	run_prog "[$MODE] ot: ot_user: kernel_only block oc_konly refused to user space ($NATIVE-bit)" \
		"$BIN/ot_user-$NATIVE" "$(cat "$OT_PARAMS/konly_phys")" \
		"$(cat "$OT_PARAMS/konly_len")"
	kmod_unload ot ot_client "$OT_CHECKS"
	kmod_results ot "$OT_CHECKS" "$OT_CHECKS"
	# blocks and the zone of its own, as /proc/media-mem names them
	kmod_clean ot oc_
}
