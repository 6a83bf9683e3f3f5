#!/usr/bin/env bash
# Smoke load run of the decision service: starts the sample app from JAR (default
# sample-app/target/sample-app.jar) on a free loopback port, sends POST /allow from wrk for DURATION (default
# 10s) over CONNECTIONS connections (default 16) with USERS users per thread, and fails unless every answer was
# a 2xx and no socket error happened. Latency is reported, not asserted (the machine is shared).
# This is the run ops/k6-smoke.js describes, with a tool installable from Debian (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
source ops/lib.sh

JAR=${1:-sample-app/target/sample-app.jar}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-16}
export USERS=${USERS:-1000}
WORK=$(mktemp -d)
trap 'stop_started; rm -rf "$WORK"' EXIT

command -v wrk >/dev/null || { echo "smoke: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
start_app "$JAR" "$WORK/app.log" --r8limiter.backend=memory
echo "smoke: sample app ready on port $APP_PORT; $DURATION of POST /allow over $CONNECTIONS connections"

timeout 120 wrk --threads 2 --connections "$CONNECTIONS" --duration "$DURATION" --timeout 5s --latency \
    --script ops/smoke.lua "http://127.0.0.1:$APP_PORT" | tee "$WORK/wrk.out"
result=$(grep '^smoke-result ' "$WORK/wrk.out") || { echo "smoke: FAILED: wrk printed no result" >&2; exit 1; }
requests=$(sed -E 's/.* requests=([0-9]+).*/\1/' <<<"$result")
non2xx=$(sed -E 's/.* non2xx=([0-9]+).*/\1/' <<<"$result")
socket_errors=$(sed -E 's/.* socket_errors=([0-9]+).*/\1/' <<<"$result")

if ((requests == 0)); then
    echo "smoke: FAILED: no request completed" >&2
    exit 1
fi
if ((non2xx > 0 || socket_errors > 0)); then
    echo "smoke: FAILED: $non2xx non-2xx answers and $socket_errors socket errors in $requests requests" >&2
    grep -iE 'error|exception' "$WORK/app.log" | tail -n 20 >&2 || true
    exit 1
fi
echo "smoke: passed: $requests requests, all 2xx, no socket errors"
