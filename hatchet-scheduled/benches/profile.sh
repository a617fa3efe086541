#!/bin/sh
# Where a call's instructions go: callgrind over N sequential calls of one
# side against the raw canned server, collecting only inside the calls
# (`Bench::calls`), then the functions with the largest inclusive share.
#
#   hatchet-scheduled/benches/profile.sh [side] [operation] [n]   # default facade create 2000
#
# Shares are of all instructions counted while the calls ran, the raw
# server's included (a few per cent). Needs valgrind. The full profile stays
# in target/callgrind.<side>.<operation>.out for callgrind_annotate or
# kcachegrind.
set -eu
cd "$(dirname "$0")/../.."
side=${1:-facade}
op=${2:-create}
n=${3:-2000}

bin=$(cargo bench -p hatchet-scheduled --bench facade --no-run 2>&1 |
    sed -n 's/.*Executable .*(\(.*facade-[^)]*\)).*/\1/p' | tail -n 1)
[ -x "$bin" ] || { echo "bench binary not found" >&2; exit 1; }
out="target/callgrind.$side.$op.out"

HATCHET_BENCH_SERVER=raw HATCHET_BENCH_CALLS="$side/$op/$n" \
    valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*Bench::calls*' \
    --callgrind-out-file="$out" "$bin" >/dev/null 2>&1
total=$(callgrind_annotate "$out" | sed -n 's/^\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,)
echo "$side $op: $((total / n)) instructions per call while collecting"
callgrind_annotate --inclusive=yes "$out" 2>/dev/null |
    sed -n 's/^ *\([0-9,]*\) ([ 0-9.]*%) *\(.*\)$/\1 \2/p' |
    head -n "${TOP:-60}" |
    while read -r ir name; do
        ir=$(echo "$ir" | tr -d ,)
        printf '%6.1f %%  %8d/call  %s\n' "$(echo "100 * $ir / $total" | bc -l)" \
            "$((ir / n))" "$(echo "$name" | cut -c1-150)"
    done
