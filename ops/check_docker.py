#!/usr/bin/env python3
"""Reviews deploy/docker without a Docker engine (none runs here): the Dockerfile's stages, user, healthcheck
and layer extraction, and the compose file's services and bind-mount sources.

  check_docker.py DOCKERFILE COMPOSE_FILE

Prints the HEALTHCHECK command on success, so that the caller can run it against a live app.
"""
import json
import os
import re
import sys

import yaml

problems = []


def expect(condition, message):
    if not condition:
        problems.append(message)


def instructions(path):
    with open(path) as f:
        text = re.sub(r"\\\n", " ", f.read())
    result = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            result.append((word.upper(), rest.strip()))
    return result


def check_dockerfile(path):
    steps = instructions(path)
    froms = [rest for word, rest in steps if word == "FROM"]
    expect(len(froms) >= 2, "the Dockerfile is not multi-stage")
    expect(any(re.search(r"jdk", f) for f in froms[:-1]), "no JDK build stage")
    expect(froms and re.search(r"-jre\b|-jre-", froms[-1]) is not None, f"the runtime stage is not a JRE: {froms[-1:]}")
    expect(all(re.search(r":[\w.-]+", f.split()[0]) and ":latest" not in f for f in froms), "a base image is unpinned")
    final = steps[max(i for i, (w, _) in enumerate(steps) if w == "FROM"):]
    users = [rest for word, rest in final if word == "USER"]
    expect(users and re.fullmatch(r"[1-9]\d*(:[1-9]\d*)?", users[-1]) is not None,
           "the runtime stage does not switch to a numeric non-root USER")
    runs = " ".join(rest for word, rest in steps if word == "RUN")
    expect("./mvnw" in runs, "the build does not use the Maven wrapper")
    expect("-Djarmode=tools" in runs and "extract" in runs and "--layers" in runs and "--launcher" in runs,
           "no layered extraction with java -Djarmode=tools -jar ... extract --layers --launcher")
    entry = [rest for word, rest in final if word == "ENTRYPOINT"]
    expect(entry and "org.springframework.boot.loader.launch.JarLauncher" in entry[-1],
           "the entry point is not Spring Boot's JarLauncher")
    checks = [rest for word, rest in final if word == "HEALTHCHECK"]
    expect(len(checks) == 1, "the runtime stage has no HEALTHCHECK")
    command = None
    if checks:
        exec_form = re.search(r"CMD\s+(\[.*\])\s*$", checks[0])
        expect(exec_form is not None, "HEALTHCHECK is not in exec form")
        if exec_form:
            command = json.loads(exec_form.group(1))
            expect("/actuator/health/liveness" in " ".join(command), "HEALTHCHECK does not probe the liveness group")
    return command


def prometheus_config(base):
    with open(os.path.join(base, "prometheus.yml")) as f:
        return yaml.safe_load(f)


def check_compose(path):
    with open(path) as f:
        compose = yaml.safe_load(f)
    services = compose.get("services", {})
    apps = [name for name, svc in services.items() if "deploy/docker/Dockerfile" in str(svc.get("build", ""))]
    expect(len(apps) == 2, f"expected two app replicas built from the Dockerfile, found {apps}")
    for name in ("redis", "prometheus", "grafana"):
        expect(name in services, f"no {name} service")
    base = os.path.dirname(os.path.abspath(path))
    for name in apps:
        env = services[name].get("environment", {})
        expect(env.get("R8LIMITER_BACKEND") == "redis", f"{name} does not use the Redis backend")
        expect("redis" in env.get("SPRING_DATA_REDIS_URL", ""), f"{name} does not point at the shared Redis")
        management = str(env.get("MANAGEMENT_SERVER_PORT", "8080"))
        exposed = env.get("MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE", "")
        expect(management != "8080" and exposed == "health,prometheus,ratelimit",
               f"{name} should serve health, prometheus and ratelimit only, on a management port: {management},"
               f" {exposed!r}")
        expect(not any(str(p).split("/")[0].endswith(f":{management}") for p in services[name].get("ports", [])),
               f"{name} publishes its management port {management} to the host")
        targets = [t for job in prometheus_config(base)["scrape_configs"] for c in job.get("static_configs", [])
                   for t in c["targets"]]
        expect(f"{name}:{management}" in targets, f"Prometheus does not scrape {name}:{management}: {targets}")
    for name, svc in services.items():
        for volume in svc.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith((".", "/")):
                expect(os.path.exists(os.path.join(base, source)), f"{name} mounts {source}, which does not exist")
    prometheus_mounts = " ".join(services.get("prometheus", {}).get("volumes", []))
    expect("prometheus-rules.yaml" in prometheus_mounts, "Prometheus does not load the r8limiter rules")
    grafana_mounts = " ".join(services.get("grafana", {}).get("volumes", []))
    expect("grafana.json" in grafana_mounts, "Grafana is not provisioned with the r8limiter dashboard")


def main(dockerfile, compose):
    command = check_dockerfile(dockerfile)
    check_compose(compose)
    if problems:
        for problem in problems:
            print(f"check_docker: {problem}", file=sys.stderr)
        sys.exit(1)
    print(json.dumps(command))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
