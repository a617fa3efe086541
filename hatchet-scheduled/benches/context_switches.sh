#!/bin/sh
# Thread wake-ups per call: `perf stat -e context-switches` over N1 and N2
# sequential creates against the raw canned server, per call
# (count(N2) - count(N1)) / (N2 - N1), for the bare floor, the floor with
# the facade's timeouts and the facade, on the current-thread runtime the
# benchmarks use and on a two-worker multi-thread runtime.
#
#   hatchet-scheduled/benches/context_switches.sh [operation]   # default create
#
# Counts the whole process: the in-process server's switches are the same
# for every side, so the differences between sides are the clients'. Needs
# `perf` (Debian: linux-perf) and perf_event_paranoid <= 2.
set -eu
cd "$(dirname "$0")/../.."
op=${1:-create}
n1=2000
n2=12000

bin=$(cargo bench -p hatchet-scheduled --bench facade --no-run 2>&1 |
    sed -n 's/.*Executable .*(\(.*facade-[^)]*\)).*/\1/p' | tail -n 1)
[ -x "$bin" ] || { echo "bench binary not found" >&2; exit 1; }

count() { # runtime side n -> context switches
    HATCHET_BENCH_SERVER=raw HATCHET_BENCH_RUNTIME="$1" HATCHET_BENCH_CALLS="$2/$op/$3" \
        perf stat -x, -e context-switches "$bin" 2>&1 >/dev/null |
        sed -n 's/^\([0-9]*\),.*context-switches.*/\1/p'
}

printf '%-10s %-16s %s\n' runtime side "context switches per $op"
for runtime in current multi; do
    for side in floor floor-timeouts facade; do
        a=$(count "$runtime" "$side" "$n1")
        b=$(count "$runtime" "$side" "$n2")
        printf '%-10s %-16s %s\n' "$runtime" "$side" \
            "$(echo "scale=2; ($b - $a) / ($n2 - $n1)" | bc)"
    done
done
