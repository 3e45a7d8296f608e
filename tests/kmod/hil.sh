# tests/kmod in the VM, sourced by run-tests when staged (tests/vm/Makefile
# HIL_KO=): hil_client.ko, a vendor-style driver of mmz.ko's hil_* API
# built against include/hisilicon/osal_mmz.h only, and hil_user, its
# user-space half. run-tests calls hil_run in each mode that loads zones,
# after the programs and before its teardown (which then also finds no
# block left). Each check of the module becomes a TAP test
# "[<mode>] hil: <text>"; its diagnostic lines follow a failed one.
# shellcheck shell=sh disable=SC2154 # here, MODE, up, ... are run-tests'

HIL_KO=$here/hil_client.ko
HIL_PARAMS=/sys/module/hil_client/parameters
# hil_client.c's HC_CHECKS: 1-16 at load, 17 when hil_user writes
# "verify" (or at unload, failed, when it never did), 18 at unload
HIL_CHECKS=18
# + insmod, hil_user, rmmod with the summary, no hc_ block left, clean log
hil_plan=$((HIL_CHECKS + 5))

# The module's lines since the mark, without the "hil_client: " prefix.
hil_log() {
	since_mark "hil $MODE" | sed -n 's/^.*hil_client: //p' >"$TMP/hil.log"
}

# hil_results <from> <to>: checks <from>..<to> as TAP, from $TMP/hil.log
hil_results() {
	i=$1
	while [ "$i" -le "$2" ]; do
		line=$(grep -E "^(not )?ok $i - " "$TMP/hil.log" | head -n 1)
		text=${line#*ok "$i" - }
		case $line in
		"ok $i - "*" # SKIP "*)
			skip "[$MODE] hil: ${text% # SKIP *}" "${text##* # SKIP }" ;;
		"ok $i - "*)
			ok "[$MODE] hil: $text" ;;
		"not ok $i - "*)
			notok "[$MODE] hil: $text"
			sed -n "s/^# $i: //p" "$TMP/hil.log" | diag ;;
		*)
			notok "[$MODE] hil: check $i: no result line"
			diag "$TMP/hil.log" ;;
		esac
		i=$((i + 1))
	done
}

# hil_skip <TAP tests done> <reason>: the rest of hil_plan skipped
hil_skip() {
	i=$1
	while [ "$i" -lt "$hil_plan" ]; do
		skip "[$MODE] hil: test $((i + 1)) of $hil_plan" "$2"
		i=$((i + 1))
	done
}

hil_run() {
	if [ -z "$up" ]; then
		hil_skip 0 "module not loaded"
		return
	fi
	case $MODE in
	cma) hil_new=${CMA_NEWZONE:-} ;;
	*) hil_new=${HISI_NEWZONE:-} ;;
	esac
	# the load's first zone, and its second (empty after the programs)
	hil_z1=${MMZ_PARAM%%,*}
	hil_z2=
	case $MMZ_PARAM in
	*:*) hil_z2=${MMZ_PARAM#*:} hil_z2=${hil_z2%%,*} ;;
	esac
	hil_args="zone=$hil_z1 zone2=$hil_z2${hil_new:+ newzone=$hil_new}"
	echo "# ==== hil_client.ko $hil_args"

	mark "hil $MODE"
	# shellcheck disable=SC2086 # one word per parameter
	# carve-out prezero=1: memory the programs freed may still wait to be
	# zeroed, and a new block lands elsewhere until it is (check 5 wants
	# "second" empty); reading /proc/media-mem settles every zone
	cat "$PROC" >/dev/null 2>&1
	if ! insmod "$HIL_KO" $hil_args >"$TMP/hil.out" 2>&1; then
		notok "[$MODE] hil: insmod hil_client.ko $hil_args"
		diag "$TMP/hil.out"
		since_mark "hil $MODE" | tail -n 20 | diag
		hil_skip 1 "hil_client.ko not loaded"
		return
	fi
	hil_log
	if grep -qx "1\.\.$HIL_CHECKS" "$TMP/hil.log"; then
		ok "[$MODE] hil: insmod hil_client.ko, plan 1..$HIL_CHECKS"
	else
		notok "[$MODE] hil: insmod hil_client.ko, plan 1..$HIL_CHECKS"
		diag "$TMP/hil.log"
	fi
	hil_results 1 16

	# hc_user through /dev/mmz_userdev; its write to "verify" is check 17
	run_prog "[$MODE] hil: hil_user maps hc_user, reads, writes, verify ($NATIVE-bit)" \
		"$BIN/hil_user-$NATIVE" "$(cat "$HIL_PARAMS/user_phys")" \
		"$(cat "$HIL_PARAMS/user_len")" "$hil_z1"

	rmmod hil_client >"$TMP/hil.out" 2>&1
	hil_rc=$?
	hil_log
	sum=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$TMP/hil.log" | tail -n 1)
	p=${sum%% passed*} f=${sum#* passed, } f=${f%% failed}
	if [ $hil_rc -eq 0 ] && ! grep -q '^hil_client ' /proc/modules &&
	    [ -n "$sum" ] && [ $((p + f)) -eq $HIL_CHECKS ]; then
		ok "[$MODE] hil: rmmod hil_client, $HIL_CHECKS checks reported ($sum)"
	else
		notok "[$MODE] hil: rmmod hil_client, $HIL_CHECKS checks reported (${sum:-no summary line})"
		diag "$TMP/hil.out"
		grep -q '^hil_client ' /proc/modules && rmmod hil_client
	fi
	hil_results 17 18

	# blocks and the zone of its own, as /proc/media-mem names them
	if ! grep -q '"hc_' "$PROC"; then
		ok "[$MODE] hil: no hc_ block or zone left in $PROC"
	else
		notok "[$MODE] hil: no hc_ block or zone left in $PROC"
		diag "$PROC"
	fi
	since_mark "hil $MODE" >"$TMP/dmesg"
	if ! grep -qE "$SPLAT" "$TMP/dmesg"; then
		ok "[$MODE] hil: kernel log clean from insmod to rmmod"
	else
		notok "[$MODE] hil: kernel log clean from insmod to rmmod"
		grep -E "$SPLAT" "$TMP/dmesg" | head -n 40 | diag
	fi
}
