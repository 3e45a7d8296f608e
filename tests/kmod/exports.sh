#!/usr/bin/env bash
# exports.sh <Module.symvers of mmz.ko> <osal_mmz.h>: every function the
# vendor header declares is exported by mmz.ko under that name with plain
# EXPORT_SYMBOL (docs/KAPI.md, "Export policy"). One TAP line, exit 0/1.
set -euo pipefail
symvers=${1:?usage: exports.sh <Module.symvers> <osal_mmz.h>}
header=${2:?usage: exports.sh <Module.symvers> <osal_mmz.h>}
names=$(grep -oE '\b(hil_[a-z0-9_]+|usr_virt_to_phys)\(' "$header" |
	tr -d '(' | sort -u)
# macros (hil_mmb_phys(p), ...) are no functions
names=$(comm -23 <(echo "$names") <(grep -oE '#define (hil_[a-z0-9_]+)\(' \
	"$header" | sed 's/#define //; s/(//' | sort -u))
n=0 bad=
for f in $names; do
	n=$((n + 1))
	awk -v f="$f" '$2 == f && $4 == "EXPORT_SYMBOL" { ok = 1 } END { exit !ok }' \
		"$symvers" || bad="$bad $f"
done
if [ -z "$bad" ] && [ "$n" -ge 30 ]; then
	echo "ok - mmz.ko exports the $n functions of osal_mmz.h with EXPORT_SYMBOL"
else
	echo "not ok - mmz.ko exports of osal_mmz.h ($n functions): missing or GPL-only:${bad:- none, but fewer than 30 declared}"
	exit 1
fi
