#!/usr/bin/env bash
# Paired HTTP comparison of two commits: the benchmark app of REVISION and of this checkout run side by side, and
# wrk measures GET /bare and GET /limited on each in alternating rounds. On a shared two-core machine single runs
# of one endpoint move by +-15 %, so a change of a few percent in limited/bare shows only when both versions are
# measured in the same minutes; this is how BENCHMARKS.md compares before and after.
#
# Run from anywhere:   bash limiter-benchmarks/http-paired.sh 9fcbc70
# Jetty filter:        APP=jetty bash limiter-benchmarks/http-paired.sh 9fcbc70
# On Redis:            BACKEND=redis bash limiter-benchmarks/http-paired.sh 9fcbc70
# Short smoke run:     ROUNDS=1 WARMUP=3s DURATION=3s bash limiter-benchmarks/http-paired.sh HEAD
#
# REVISION is checked out into a temporary git worktree and its benchmark app compiled there (with -o when
# OFFLINE=1); this checkout must be built as for http-bench.sh. Both apps run with the same policy and JVM options,
# in memory or, with BACKEND=redis, on one throwaway redis-server (BenchRedis, on a free port, never 6379) that
# they take turns on. Each round runs, for each app, wrk on /bare then on /limited for DURATION; the table gives every
# round's limited/bare and, per app, the median and the pooled ratio (all limited requests over all bare ones).
#
# Settings (environment) and their defaults: APP=spring (or jetty) BACKEND=memory (or redis) ROUNDS=8 DURATION=10s
# WARMUP=30s THREADS=2 CONNECTIONS=32 USERS=100 APP_JAVA_OPTS='-Xms512m -Xmx512m' OFFLINE=0
set -euo pipefail
cd "$(dirname "$0")/.."

REVISION=${1:?usage: http-paired.sh REVISION}
APP=${APP:-spring}
BACKEND=${BACKEND:-memory}
ROUNDS=${ROUNDS:-8}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-30s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
USERS=${USERS:-100}
APP_JAVA_OPTS=${APP_JAVA_OPTS:--Xms512m -Xmx512m}
OFFLINE=${OFFLINE:-0}

case $APP in
    spring) CLASS=io.r8limiter.bench.http.SpringBenchApp ;;
    jetty) CLASS=io.r8limiter.bench.http.JettyBenchApp ;;
    *) echo "http-paired: APP must be spring or jetty, not $APP" >&2 && exit 2 ;;
esac
case $BACKEND in
    memory | redis) ;;
    *) echo "http-paired: BACKEND must be memory or redis, not $BACKEND" >&2 && exit 2 ;;
esac

WORK=$(mktemp -d)
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    git worktree remove --force "$WORK/before" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
    echo "http-paired: $*" >&2
    exit 1
}

# classpath DIR: the benchmark app's class path in the checkout DIR, resolved against its own target/classes.
classpath() {
    local dir=$1 offline=()
    ((OFFLINE)) && offline=(-o)
    if [[ ! -s $dir/limiter-benchmarks/target/http-classpath.txt ]]; then
        echo "http-paired: compiling the benchmark app in $dir" >&2
        (cd "$dir" && timeout 900 ./mvnw -B -ntp -q "${offline[@]}" -Pbenchmarks -pl limiter-benchmarks -am compile \
            dependency:build-classpath -Dspotless.check.skip=true -Dmdep.outputFile=target/http-classpath.txt >&2) ||
            fail "could not compile the benchmark app in $dir"
    fi
    echo "$dir/limiter-benchmarks/target/classes:$(cat "$dir/limiter-benchmarks/target/http-classpath.txt")"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_redis CLASSPATH: starts the throwaway redis-server and sets BACKEND_ARGS to point both apps at it.
start_redis() {
    local log=$WORK/redis.log deadline=$((SECONDS + 60)) url
    java -Xmx128m -cp "$1" io.r8limiter.bench.http.BenchRedis >"$log" 2>&1 &
    PIDS+=("$!")
    until grep -qs '^redis-port=' "$log"; do
        ((SECONDS < deadline)) || fail "redis did not start within 60 s ($(tail -n 3 "$log"))"
        sleep 0.5
    done
    url=redis://127.0.0.1:$(sed -n 's/^redis-port=//p' "$log")
    if [[ $APP == spring ]]; then
        BACKEND_ARGS=(--r8limiter.backend=redis --spring.data.redis.url="$url")
    else
        BACKEND_ARGS=(--redis-url="$url")
    fi
}

BACKEND_ARGS=()

# start NAME CLASSPATH: starts one app and sets PORT once /bare answers (not in a subshell, so that PIDS keeps it).
start() {
    local name=$1 cp=$2 port deadline=$((SECONDS + 120))
    port=$(free_port)
    # shellcheck disable=SC2086 # APP_JAVA_OPTS is a list of JVM options
    java $APP_JAVA_OPTS -cp "$cp" "$CLASS" --server.port="$port" --port="$port" "${BACKEND_ARGS[@]}" \
        >"$WORK/$name.log" 2>&1 &
    PIDS+=("$!")
    until curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$port/bare"; do
        ((SECONDS < deadline)) || fail "the $name app did not answer within 120 s ($(tail -n 3 "$WORK/$name.log"))"
        sleep 0.5
    done
    PORT=$port
}

write_lua() {
    cat >"$WORK/users.lua" <<EOF
-- One X-User header per request, cycling over $USERS users.
local n = 0
request = function()
    n = n + 1
    return wrk.format("GET", nil, { ["X-User"] = "u" .. (n % $USERS) })
end
EOF
}

# rps PORT PATH DURATION: wrk's requests per second.
rps() {
    timeout 120 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" -s "$WORK/users.lua" "http://127.0.0.1:$1$2" |
        awk '/^Requests\/sec/ { print $2 }'
}

main() {
    local tool
    for tool in wrk curl python3 java git; do
        command -v "$tool" >/dev/null || fail "$tool is not installed"
    done
    git worktree add -q --detach "$WORK/before" "$REVISION" || fail "no revision $REVISION"
    local before_cp after_cp
    before_cp=$(classpath "$WORK/before")
    after_cp=$(classpath "$PWD")
    write_lua
    [[ $BACKEND == redis ]] && start_redis "$after_cp"
    local before after
    start before "$before_cp"
    before=$PORT
    start after "$after_cp"
    after=$PORT
    local port
    for port in "$before" "$after"; do
        rps "$port" /bare "$WARMUP" >/dev/null
        rps "$port" /limited "$WARMUP" >/dev/null
    done
    echo "| round | app | bare req/s | limited req/s | limited / bare |"
    echo "| ---: | --- | ---: | ---: | ---: |"
    local r name bare limited
    : >"$WORK/rounds"
    for ((r = 1; r <= ROUNDS; r++)); do
        for name in before after; do
            port=$before
            [[ $name == after ]] && port=$after
            bare=$(rps "$port" /bare "$DURATION")
            limited=$(rps "$port" /limited "$DURATION")
            echo "$name $bare $limited" >>"$WORK/rounds"
            awk -v r="$r" -v n="$name" -v b="$bare" -v l="$limited" \
                'BEGIN { printf "| %d | %s | %.0f | %.0f | %.3f |\n", r, n, b, l, l / b }'
        done
    done
    echo
    python3 - "$WORK/rounds" "$REVISION" "$(git rev-parse --short HEAD)" "$APP $BACKEND" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
labels = {"before": sys.argv[2], "after": sys.argv[3]}
for name in ("before", "after"):
    pairs = [(float(b), float(l)) for n, b, l in rows if n == name]
    ratios = [l / b for b, l in pairs]
    pooled = sum(l for _, l in pairs) / sum(b for b, _ in pairs)
    print(f"{sys.argv[4]} {name} ({labels[name]}): limited/bare median {statistics.median(ratios):.3f}, "
          f"pooled {pooled:.3f}, rounds {min(ratios):.2f} to {max(ratios):.2f}")
EOF
}

main
