#!/bin/sh
# Thread wake-ups per call: `perf stat -e context-switches` (and system
# calls) over N1 and N2 sequential creates against the raw canned server,
# per call (count(N2) - count(N1)) / (N2 - N1), for the bare floor, the
# floor with the facade's timeouts and the facade, on the current-thread
# runtime the benchmarks use and on a two-worker multi-thread runtime whose
# workers may run on either core. `floor-timeouts+anchor` adds a timer
# that always expires before any request's (HATCHET_BENCH_ANCHOR in
# facade.rs), so that arming a request's timer never wakes the driver. The sides
# take turns, five times; the median of the five is printed.
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
n2=22000
runs=5

bin=$(cargo bench -p hatchet-scheduled --bench facade --no-run 2>&1 |
    sed -n 's/.*Executable .*(\(.*facade-[^)]*\)).*/\1/p' | tail -n 1)
[ -x "$bin" ] || { echo "bench binary not found" >&2; exit 1; }

count() { # runtime side[+anchor] n event -> count
    anchor=; case $2 in *+anchor) anchor=1 ;; esac
    HATCHET_BENCH_SERVER=raw HATCHET_BENCH_RUNTIME="$1" HATCHET_BENCH_CALLS="${2%+anchor}/$op/$3" \
        HATCHET_BENCH_ANCHOR=$anchor perf stat -x, -e "$4" "$bin" 2>&1 >/dev/null | sed -n 's/^\([0-9]*\),.*/\1/p'
}

per_call() { # runtime side event -> per call
    a=$(count "$1" "$2" "$n1" "$3")
    b=$(count "$1" "$2" "$n2" "$3")
    echo "scale=2; ($b - $a) / ($n2 - $n1)" | bc
}

sides="floor floor-timeouts floor-timeouts+anchor facade"
results=$(mktemp)
for runtime in current multi; do
    for _ in $(seq "$runs"); do
        for side in $sides; do
            echo "$runtime $side $(per_call "$runtime" "$side" context-switches)" \
                "$(per_call "$runtime" "$side" raw_syscalls:sys_enter)" >>"$results"
        done
    done
done

median() { # runtime side column -> median over the runs
    awk -v r="$1" -v s="$2" -v c="$3" '$1 == r && $2 == s { print $c }' "$results" |
        sort -n | sed -n "$(((runs + 1) / 2))p"
}

printf '%-10s %-22s %24s %18s\n' runtime side "context switches/$op" "system calls/$op"
for runtime in current multi; do
    for side in $sides; do
        printf '%-10s %-22s %24s %18s\n' "$runtime" "$side" \
            "$(median "$runtime" "$side" 3)" "$(median "$runtime" "$side" 4)"
    done
done
rm -f "$results"
