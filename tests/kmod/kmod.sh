# tests/kmod in the VM: what hil.sh and ot.sh share, sourced by each. A
# client module (hil_client.ko, ot_client.ko) is loaded beside mmz.ko with
# the mode's zones, each check it logs becomes a TAP test
# "[<mode>] <tag>: <text>" (its diagnostic lines follow a failed one), it
# is unloaded, and it must leave no block or zone and a clean kernel log.
# shellcheck shell=sh disable=SC2154 # here, MODE, up, ... are run-tests'

# kmod_log <tag> <module>: the module's lines since the mark "<tag> $MODE",
# without the "<module>: " prefix, in $TMP/<tag>.log
kmod_log() {
	since_mark "$1 $MODE" | sed -n "s/^.*$2: //p" >"$TMP/$1.log"
}

# kmod_results <tag> <from> <to>: checks <from>..<to> as TAP
kmod_results() {
	kmod_i=$2
	while [ "$kmod_i" -le "$3" ]; do
		line=$(grep -E "^(not )?ok $kmod_i - " "$TMP/$1.log" | head -n 1)
		text=${line#*ok "$kmod_i" - }
		case $line in
		"ok $kmod_i - "*" # SKIP "*)
			skip "[$MODE] $1: ${text% # SKIP *}" "${text##* # SKIP }" ;;
		"ok $kmod_i - "*)
			ok "[$MODE] $1: $text" ;;
		"not ok $kmod_i - "*)
			notok "[$MODE] $1: $text"
			sed -n "s/^# $kmod_i: //p" "$TMP/$1.log" | diag ;;
		*)
			notok "[$MODE] $1: check $kmod_i: no result line"
			diag "$TMP/$1.log" ;;
		esac
		kmod_i=$((kmod_i + 1))
	done
}

# kmod_skip <tag> <plan> <TAP tests done> <reason>: the rest of the plan
kmod_skip() {
	kmod_i=$3
	while [ "$kmod_i" -lt "$2" ]; do
		skip "[$MODE] $1: test $((kmod_i + 1)) of $2" "$4"
		kmod_i=$((kmod_i + 1))
	done
}

# kmod_load <tag> <module> <checks> <plan>: insmod $here/<module>.ko with
# the mode's zones; its plan line is one TAP test. Fails, the rest of
# <plan> skipped, when the module is not loaded. Sets kmod_z1 (zone=).
kmod_load() {
	if [ -z "$up" ]; then
		kmod_skip "$1" "$4" 0 "module not loaded"
		return 1
	fi
	case $MODE in
	cma) kmod_new=${CMA_NEWZONE:-} ;;
	*) kmod_new=${HISI_NEWZONE:-} ;;
	esac
	# the load's first zone, and its second (empty after the programs)
	kmod_z1=${MMZ_PARAM%%,*}
	kmod_z2=
	case $MMZ_PARAM in
	*:*) kmod_z2=${MMZ_PARAM#*:} kmod_z2=${kmod_z2%%,*} ;;
	esac
	kmod_args="zone=$kmod_z1 zone2=$kmod_z2${kmod_new:+ newzone=$kmod_new}"
	echo "# ==== $2.ko $kmod_args"

	mark "$1 $MODE"
	# carve-out prezero=1: memory freed before may still wait to be
	# zeroed, and a new block lands elsewhere until it is (the checks
	# want zone2 empty); reading /proc/media-mem settles every zone
	cat "$PROC" >/dev/null 2>&1
	# shellcheck disable=SC2086 # one word per parameter
	if ! insmod "$here/$2.ko" $kmod_args >"$TMP/$1.out" 2>&1; then
		notok "[$MODE] $1: insmod $2.ko $kmod_args"
		diag "$TMP/$1.out"
		since_mark "$1 $MODE" | tail -n 20 | diag
		kmod_skip "$1" "$4" 1 "$2.ko not loaded"
		return 1
	fi
	kmod_log "$1" "$2"
	if grep -qx "1\.\.$3" "$TMP/$1.log"; then
		ok "[$MODE] $1: insmod $2.ko, plan 1..$3"
	else
		notok "[$MODE] $1: insmod $2.ko, plan 1..$3"
		diag "$TMP/$1.log"
	fi
}

# kmod_unload <tag> <module> <checks>: rmmod, whose summary line counts
# every check; one TAP test
kmod_unload() {
	rmmod "$2" >"$TMP/$1.out" 2>&1
	kmod_rc=$?
	kmod_log "$1" "$2"
	sum=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$TMP/$1.log" | tail -n 1)
	p=${sum%% passed*} f=${sum#* passed, } f=${f%% failed}
	if [ $kmod_rc -eq 0 ] && ! grep -q "^$2 " /proc/modules &&
	    [ -n "$sum" ] && [ $((p + f)) -eq "$3" ]; then
		ok "[$MODE] $1: rmmod $2, $3 checks reported ($sum)"
	else
		notok "[$MODE] $1: rmmod $2, $3 checks reported (${sum:-no summary line})"
		diag "$TMP/$1.out"
		grep -q "^$2 " /proc/modules && rmmod "$2"
	fi
}

# kmod_clean <tag> <prefix>: no block or zone named <prefix>... left in
# /proc/media-mem, no kernel splat since the load; two TAP tests
kmod_clean() {
	if ! grep -q "\"$2" "$PROC"; then
		ok "[$MODE] $1: no $2 block or zone left in $PROC"
	else
		notok "[$MODE] $1: no $2 block or zone left in $PROC"
		diag "$PROC"
	fi
	since_mark "$1 $MODE" >"$TMP/dmesg"
	if [ -z "$(splats "$TMP/dmesg")" ]; then
		ok "[$MODE] $1: kernel log clean from insmod to rmmod"
	else
		notok "[$MODE] $1: kernel log clean from insmod to rmmod"
		splats "$TMP/dmesg" | head -n 40 | diag
	fi
}
