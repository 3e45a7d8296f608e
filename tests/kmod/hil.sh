# tests/kmod in the VM, sourced by run-tests when staged (tests/vm/Makefile
# HIL_KO=): hil_client.ko, a vendor-style driver of mmz.ko's hil_* API
# built against include/hisilicon/osal_mmz.h only, and hil_user, its
# user-space half. run-tests calls hil_run in each mode that loads zones,
# after the programs and before its teardown (which then also finds no
# block left). Each check of the module becomes a TAP test
# "[<mode>] hil: <text>" (kmod.sh).
# shellcheck shell=sh disable=SC2154 # here, MODE, ... are run-tests'
# shellcheck source=tests/kmod/kmod.sh
. "$here/kmod.sh"

HIL_PARAMS=/sys/module/hil_client/parameters
# hil_client.c's HC_CHECKS: 1-16 at load, 17 when hil_user writes
# "verify" (or at unload, failed, when it never did), 18 at unload
HIL_CHECKS=18
# + insmod, hil_user, rmmod with the summary, no hc_ block left, clean log
hil_plan=$((HIL_CHECKS + 5))

hil_run() {
	kmod_load hil hil_client "$HIL_CHECKS" "$hil_plan" || return
	kmod_results hil 1 16

	# hc_user through /dev/mmz_userdev; its write to "verify" is check 17
	run_prog "[$MODE] hil: hil_user maps hc_user, reads, writes, verify ($NATIVE-bit)" \
		"$BIN/hil_user-$NATIVE" "$(cat "$HIL_PARAMS/user_phys")" \
		"$(cat "$HIL_PARAMS/user_len")" "$kmod_z1"

	kmod_unload hil hil_client "$HIL_CHECKS"
	kmod_results hil 17 18
	# blocks and the zone of its own, as /proc/media-mem names them
	kmod_clean hil hc_
}
