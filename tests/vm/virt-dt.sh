# DT memory-region tests for the arm64 and arm VMs, sourced by run-tests as
# "extra" (tests/run-vm.sh stages it); extra_run runs after the mode loop,
# with run-tests' ok/notok/run_prog/loaded at hand. Layout: virt.conf.

DT_LO=0x60000000 DT_SIZE=128M DT_AREA=mmz-cma@60000000
DEF_LO=0x50000000 DEF_SIZE=128M DEF_AREA=reserved
# "dt" fills the whole DT region; "off" has a disabled node, so it must
# use the default area
DT_PARAM="dt,0,0x60000000,128M:off,0,0x50000000,64M"
extra_plan=7

cma_used() { cat "/sys/kernel/debug/cma/$1/used" 2>/dev/null || echo "?"; }

extra_run() {
	echo "# ==== DT memory-region: mmz=$DT_PARAM"
	loaded && rmmod mmz
	u_dt=$(cma_used $DT_AREA) u_def=$(cma_used $DEF_AREA)
	mark "dt load"
	if insmod "$KO" "mmz=$DT_PARAM" mmz_allocator=cma >"$TMP/insmod.out" 2>&1; then
		ok "[dt] insmod mmz=$DT_PARAM mmz_allocator=cma"
		up=1
	else
		notok "[dt] insmod mmz=$DT_PARAM mmz_allocator=cma"
		diag "$TMP/insmod.out"
		dmesg | tail -n 10 | diag
		up=
	fi
	since_mark "dt load" >"$TMP/dmesg"
	for want in \
	    'zone 1 "dt": CMA area of DT memory-region mmz-cma@60000000 [mem 0x60000000-0x67ffffff] (node /mmz-dt)' \
	    'zone 2 "off": default CMA area'; do
		if grep -qF "$want" "$TMP/dmesg"; then
			ok "[dt] log: $want"
		else
			notok "[dt] log: $want"
			diag "$TMP/dmesg"
		fi
	done
	i=0
	while [ -n "$up" ] && [ ! -c "$DEV" ] && [ $i -lt 20 ]; do
		sleep 1
		i=$((i + 1))
	done
	if [ -n "$up" ]; then
		run_prog "[dt] zone dt: 120 MiB of blocks, all in the DT region, zeroed, read back; cma/$DT_AREA accounts them" \
			"$BIN/dtregion-$NATIVE" dt $DT_LO $DT_SIZE 120M $DT_AREA $DEF_AREA
		run_prog "[dt] zone off (disabled node): blocks in the default area cma=, cma/$DEF_AREA accounts them" \
			"$BIN/dtregion-$NATIVE" off $DEF_LO $DEF_SIZE 48M $DEF_AREA $DT_AREA
	else
		skip "[dt] zone dt blocks" "module not loaded"
		skip "[dt] zone off blocks" "module not loaded"
	fi
	if [ -n "$up" ] && rmmod mmz >"$TMP/rmmod.out" 2>&1 && ! loaded; then
		ok "[dt] rmmod mmz"
	else
		notok "[dt] rmmod mmz"
		diag "$TMP/rmmod.out"
	fi
	# every chunk went back to its area: no leak, no dangling binding
	a=$(cma_used $DT_AREA) b=$(cma_used $DEF_AREA)
	if [ "$a" = "$u_dt" ] && [ "$b" = "$u_def" ] && [ "$a" != "?" ]; then
		ok "[dt] CMA areas back to their use before loading ($DT_AREA $a, $DEF_AREA $b pages)"
	else
		notok "[dt] CMA areas back to their use before loading"
		echo "# $DT_AREA: $u_dt -> $a pages, $DEF_AREA: $u_def -> $b pages"
	fi
}
