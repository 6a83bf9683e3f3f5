#!/usr/bin/env bash
# Server cost of one decision, counted in CPU instructions rather than timed: wall-clock timings of a script on
# this shared two-core machine vary by more than the differences between scripts, while an instruction count
# repeats to within a fraction of a percent.
#
# Run from anywhere:   bash limiter-benchmarks/script-cost.sh
#
# For each script (an empty one, the benchmarks' minimal token bucket, r8limiter's bucket.lua) it starts the
# embedded-redis binary under valgrind's callgrind on port PORT, sends CALLS EVALSHA of it on one key through one
# redis-cli connection, stops the server and reads the instructions it ran. A run that only loads the script gives
# the cost of starting, compiling and stopping; the difference, divided by CALLS, is the cost of one call: reading
# the command, running the script, writing the reply. The empty script's figure is what any EVALSHA costs before
# its script does anything.
#
# It needs valgrind and redis-cli (Debian packages valgrind and redis-tools) and the embedded-redis jar in the
# local Maven repository (any ./mvnw build of this project puts it there). Settings: CALLS=3000 PORT=16390, and
# EXTRA=FILE to add a row for another script taking bucket.lua's arguments, such as an earlier version of it:
#   git show cabdf8b:limiter-api/src/main/resources/io/r8limiter/redis/bucket.lua >/tmp/old.lua
#   EXTRA=/tmp/old.lua bash limiter-benchmarks/script-cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."

CALLS=${CALLS:-3000}
PORT=${PORT:-16390}
for tool in valgrind redis-cli unzip; do
    command -v "$tool" >/dev/null || { echo "script-cost.sh needs $tool" >&2; exit 1; }
done
jar=$(find "${HOME}/.m2/repository/org/signal/embedded-redis" -name "embedded-redis-*.jar" 2>/dev/null | sort | tail -1 || true)
[ -n "$jar" ] || { echo "no embedded-redis jar in ~/.m2: run ./mvnw -B -ntp install -DskipTests first" >&2; exit 1; }

work=$(mktemp -d)
trap 'redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
unzip -q -o "$jar" 'redis-server-*-linux-amd64' -d "$work"
server=$(ls "$work"/redis-server-*-linux-amd64)
chmod +x "$server"
echo 'return 1' >"$work/empty.lua"

key='r8:3:{2d526f9a}:api:user-42'
# one limit of 10^6 tokens refilled one per 3.6 s, as BucketScript.args sends it: capacity, T, P, period ms, then
# the signature (capacity, refill tokens and period in base 36)
bucket_args='1 1 1 1000000 1 3600 3600000 lfls:1:255s0'
minimal_args='1000000 2.777777777777778E-7 1'

# instructions: the total a server ran that answered $2 calls of script $1 with the arguments that follow
instructions() {
    local script=$1 calls=$2
    shift 2
    local out="$work/callgrind.out"
    rm -f "$out"
    valgrind --tool=callgrind --callgrind-out-file="$out" "$server" --port "$PORT" --save '' --appendonly no \
        --hz 1 >/dev/null 2>&1 &
    local pid=$!
    for _ in $(seq 1 300); do
        redis-cli -p "$PORT" ping >/dev/null 2>&1 && break
        sleep 0.2
    done
    local sha
    sha=$(redis-cli -p "$PORT" script load "$(cat "$script")")
    if [ "$calls" -gt 0 ]; then
        for ((i = 0; i < calls; i++)); do
            echo "EVALSHA $sha 1 $key $*"
        done | redis-cli -p "$PORT" >"$work/replies"
        if grep -q ERR "$work/replies"; then
            echo "$script answered an error: $(grep -m1 ERR "$work/replies")" >&2
            exit 1
        fi
    fi
    redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
    wait "$pid" || true
    grep -E '^(summary|totals):' "$out" | head -1 | awk '{print $2}'
}

# per_call: the instructions of one call of script $1, arguments following: a run of CALLS calls less a run that
# only loaded the script, so that neither starting the server nor compiling the script is counted
per_call() {
    local script=$1
    shift
    local loaded total
    loaded=$(instructions "$script" 0)
    total=$(instructions "$script" "$CALLS" "$@")
    echo $(( (total - loaded) / CALLS ))
}

minimal_script=limiter-benchmarks/src/main/resources/io/r8limiter/bench/minimal-bucket.lua
empty=$(per_call "$work/empty.lua" $bucket_args)
minimal=$(per_call "$minimal_script" $minimal_args)
bucket=$(per_call limiter-api/src/main/resources/io/r8limiter/redis/bucket.lua $bucket_args)
ratio() { awk -v a="$1" -v b="$minimal" 'BEGIN { printf "%.2f", a / b }'; }
printf '| script | instructions per call | x minimal |\n| --- | ---: | ---: |\n'
printf '| empty script (return 1) | %s | %s |\n' "$empty" "$(ratio "$empty")"
printf '| minimal token bucket | %s | 1.00 |\n' "$minimal"
printf '| r8limiter bucket.lua | %s | %s |\n' "$bucket" "$(ratio "$bucket")"
if [ -n "${EXTRA:-}" ]; then
    extra=$(per_call "$EXTRA" $bucket_args)
    printf '| %s | %s | %s |\n' "$EXTRA" "$extra" "$(ratio "$extra")"
fi
