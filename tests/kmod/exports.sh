#!/usr/bin/env bash
# exports.sh <Module.symvers of mmz.ko> <min count> <header>...: every
# function the vendor headers declare (hil_*, ot_*, usr_virt_to_phys; not
# their function-like macros) is exported by mmz.ko under that name with
# plain EXPORT_SYMBOL (docs/KAPI.md, "Export policy"), and they declare at
# least <min count>. One TAP line, exit 0/1.
set -euo pipefail
usage="usage: exports.sh <Module.symvers> <min count> <header>..."
symvers=${1:?$usage}
min=${2:?$usage}
shift 2
[ $# -gt 0 ] || { echo "$usage" >&2; exit 2; }
names=$(cat "$@" | grep -oE '\b(hil_[a-z0-9_]+|ot_[a-z0-9_]+|usr_virt_to_phys)\(' |
	tr -d '(' | sort -u)
# macros (hil_mmb_phys(p), ot_mmb_freeby_phys(a), ...) are no functions
names=$(comm -23 <(echo "$names") <(cat "$@" |
	grep -oE '#define +(hil|ot)_[a-z0-9_]+\(' |
	sed -E 's/#define +//; s/\(//' | sort -u))
n=0 bad=
for f in $names; do
	n=$((n + 1))
	awk -v f="$f" '$2 == f && $4 == "EXPORT_SYMBOL" { ok = 1 } END { exit !ok }' \
		"$symvers" || bad="$bad $f"
done
what="$*"
if [ -z "$bad" ] && [ "$n" -ge "$min" ]; then
	echo "ok - mmz.ko exports the $n functions of ${what// /, } with EXPORT_SYMBOL"
else
	echo "not ok - mmz.ko exports of ${what// /, } ($n functions): missing or GPL-only:${bad:- none, but fewer than $min declared}"
	exit 1
fi
