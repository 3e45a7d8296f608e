# The layout checks of a seed 000 layout, sourced by run-tests as "extra":
# LAYOUT_CHECKS lines "<description>|<shell command>", one TAP test each,
# run after the modes.
extra_plan=$(printf '%s\n' "$LAYOUT_CHECKS" | grep -c '|')
extra_run() {
	printf '%s\n' "$LAYOUT_CHECKS" | grep '|' >"$TMP/checks"
	while IFS='|' read -r desc cmd; do
		if sh -c "$cmd" >"$TMP/check.out" 2>&1; then
			ok "[layout] $desc"
		else
			notok "[layout] $desc"
			diag "$TMP/check.out"
		fi
	done <"$TMP/checks"
}
