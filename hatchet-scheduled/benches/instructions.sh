#!/bin/sh
# Instructions per call, counted by valgrind (cachegrind): a noise-free
# complement to the timings of `cargo bench`, which a busy machine skews.
#
#   hatchet-scheduled/benches/instructions.sh
#
# Counts user-space instructions of the whole bench process (client and
# in-process canned server) for N1 and N2 calls of each side and operation,
# and prints (count(N2) - count(N1)) / (N2 - N1): the per-call cost with
# start-up removed. The server's share is the same for every side, so the
# differences between sides are the clients' own. Kernel work (the TCP
# stack) is not counted. Needs valgrind; takes a few minutes.
set -eu
cd "$(dirname "$0")/../.."

bin=$(cargo bench -p hatchet-scheduled --bench facade --no-run 2>&1 |
    sed -n 's/.*Executable .*(\(.*facade-[^)]*\)).*/\1/p' | tail -n 1)
[ -x "$bin" ] || { echo "bench binary not found" >&2; exit 1; }

count() { # side op n -> instructions
    HATCHET_BENCH_CALLS="$1/$2/$3" valgrind --tool=cachegrind --cache-sim=no \
        --cachegrind-out-file=/dev/null "$bin" 2>&1 |
        sed -n 's/.*I *refs: *//p' | tr -d ,
}

per_call() { # side op n1 n2 -> instructions per call
    a=$(count "$1" "$2" "$3")
    b=$(count "$1" "$2" "$4")
    echo $(((b - a) / ($4 - $3)))
}

printf '%-34s %12s %12s %12s %8s\n' operation floor generated facade facade/floor
for spec in get:200:1200 create:200:1200 list50:50:300 list500:10:60 \
    cron_create:200:1200 cron_list50:50:300; do
    op=${spec%%:*}
    rest=${spec#*:}
    n1=${rest%%:*}
    n2=${rest#*:}
    floor=$(per_call floor "$op" "$n1" "$n2")
    generated=$(per_call generated "$op" "$n1" "$n2")
    facade=$(per_call facade "$op" "$n1" "$n2")
    printf '%-34s %12s %12s %12s %8s\n' "$op" "$floor" "$generated" "$facade" \
        "$(echo "scale=3; $facade / $floor" | bc)"
done
timeouts=$(per_call floor-timeouts get 200 1200)
printf '%-34s %12s\n' "get: floor with the facade's timeouts" "$timeouts"
async=$(per_call facade get 200 1200)
blocking=$(per_call blocking get 200 1200)
printf '%-34s %12s %12s %12s %8s\n' "get: blocking (facade) vs async (floor column)" \
    "$async" - "$blocking" "$(echo "scale=3; $blocking / $async" | bc)"
floor=$(per_call floor decode 10 60)
facade=$(per_call facade decode 10 60)
printf '%-34s %12s %12s %12s %8s\n' "decode 500-row page (no I/O)" "$floor" - "$facade" \
    "$(echo "scale=3; $facade / $floor" | bc)"
