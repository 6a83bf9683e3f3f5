# Shell helpers shared by ops/smoke.sh and .ci/ops-checks.sh: start a real sample app or redis-server on a
# free loopback port, wait until it is ready, and stop only the processes started here. Source it; needs bash.

# Prints a free TCP port on 127.0.0.1.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# PIDs started by start_app/start_redis, stopped by stop_started.
STARTED_PIDS=()

# start_app [--management] JAR LOGFILE ARGS... : starts the sample app on a free port, sets APP_PORT and
# APP_PID, and waits up to APP_START_TIMEOUT seconds (default 120) for /actuator/health/readiness to answer 200.
# With --management the actuator gets a port of its own, as in the Helm chart: MANAGEMENT_PORT is set and
# readiness is read there. JAR may also be a directory of extracted layers (java -Djarmode=tools ... extract
# --layers --launcher, merged), which then runs with Spring Boot's JarLauncher the way the Docker image runs it.
start_app() {
    local management=()
    MANAGEMENT_PORT=
    if [[ $1 == --management ]]; then
        MANAGEMENT_PORT=$(free_port)
        management=(--management.server.port="$MANAGEMENT_PORT" --management.server.address=127.0.0.1)
        shift
    fi
    local jar=$1 log=$2
    shift 2
    local launch=(-jar "$jar")
    if [[ -d $jar ]]; then
        launch=(-cp "$jar" org.springframework.boot.loader.launch.JarLauncher)
    elif [[ ! -f $jar ]]; then
        echo "ops: sample app jar $jar not found: build it first with ./mvnw verify" >&2
        return 1
    fi
    APP_PORT=$(free_port)
    java -Xmx384m -XX:+UseSerialGC "${launch[@]}" --server.port="$APP_PORT" --server.address=127.0.0.1 \
        "${management[@]}" "$@" >"$log" 2>&1 &
    APP_PID=$!
    STARTED_PIDS+=("$APP_PID")
    local deadline=$((SECONDS + ${APP_START_TIMEOUT:-120})) ready=http://127.0.0.1:${MANAGEMENT_PORT:-$APP_PORT}
    until curl -fs -o /dev/null --max-time 2 "$ready/actuator/health/readiness"; do
        if ! kill -0 "$APP_PID" 2>/dev/null; then
            echo "ops: sample app exited during startup; last lines of $log:" >&2
            tail -n 30 "$log" >&2
            return 1
        fi
        if ((SECONDS > deadline)); then
            echo "ops: sample app not ready on port $APP_PORT within ${APP_START_TIMEOUT:-120}s; last lines of $log:" >&2
            tail -n 30 "$log" >&2
            return 1
        fi
        sleep 1
    done
}

# start_redis DIR : starts redis-server (the binary the embedded-redis test dependency ships, already in the
# local Maven repository after ./mvnw verify) on a free port, sets REDIS_PORT and REDIS_PID.
start_redis() {
    local dir=$1 repo=${MAVEN_REPO:-$HOME/.m2/repository} arch jar entry
    case "$(uname -m)" in
        x86_64) arch=amd64 ;;
        aarch64 | arm64) arch=arm64 ;;
        *) echo "ops: no embedded redis-server for $(uname -m)" >&2; return 1 ;;
    esac
    jar=$(ls "$repo"/org/signal/embedded-redis/*/embedded-redis-*.jar 2>/dev/null | sort -V | tail -n 1)
    [[ -n $jar ]] || { echo "ops: embedded-redis jar not in $repo: run ./mvnw verify first" >&2; return 1; }
    entry=$(unzip -Z1 "$jar" | grep -E "^redis-server-[0-9.]+-linux-$arch\$" | head -n 1)
    [[ -n $entry ]] || { echo "ops: $jar holds no redis-server for linux-$arch" >&2; return 1; }
    unzip -o -q "$jar" "$entry" -d "$dir" && chmod +x "$dir/$entry"
    REDIS_PORT=$(free_port)
    "$dir/$entry" --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" \
        >"$dir/redis.log" 2>&1 &
    REDIS_PID=$!
    STARTED_PIDS+=("$REDIS_PID")
    local deadline=$((SECONDS + 20))
    until (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" && printf 'PING\r\n' >&3 && head -c 5 <&3 | grep -q PONG) 2>/dev/null; do
        if ((SECONDS > deadline)) || ! kill -0 "$REDIS_PID" 2>/dev/null; then
            echo "ops: redis-server did not answer PING on port $REDIS_PORT; log:" >&2
            tail -n 20 "$dir/redis.log" >&2
            return 1
        fi
        sleep 0.2
    done
}

# Stops every process started by start_app/start_redis: SIGTERM, then SIGKILL after 15 seconds.
stop_started() {
    local pid
    for pid in "${STARTED_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${STARTED_PIDS[@]}"; do
        timeout 15 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
    done
    STARTED_PIDS=()
}
