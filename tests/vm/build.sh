#!/bin/sh
# Build the in-VM tests and lay out a stage directory for vm/run.sh:
#   tests/vm/build.sh <stage-dir> [make args] (MMZ_KO=<path> overrides kernel/mmz.ko)
# Result: <stage-dir>/{run-tests,mmz.ko,tests.list,bin/*}; vm/run.sh --stage
# <stage-dir> copies it to /mmz in the VM.
set -e
[ -n "$1" ] || { echo "usage: $0 <stage-dir>" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
mkdir -p "$1"
stage=$(cd "$1" && pwd)
shift
# further arguments go to make (the arm64 rig: CC=, BITS=, TESTS=, O=, ...)
exec make -C "$here" stage STAGE="$stage" MMZ_KO="${MMZ_KO:-$top/kernel/mmz.ko}" "$@"
