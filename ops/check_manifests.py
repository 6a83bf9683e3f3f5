#!/usr/bin/env python3
"""Parses manifests rendered by `helm template` and checks what the chart promises.

  check_manifests.py RENDERED.yaml PROFILE [RULES_OUT]

PROFILE is "default" (memory backend, one pod) or "full" (every option on). Every document must be a
Kubernetes object with apiVersion, kind and metadata.name; the Deployment must carry the probes, resources,
security context and /tmp volume; the optional objects must be present exactly when the profile turns them on.
With RULES_OUT, the PrometheusRule's spec is written there for `promtool check rules`.
"""
import sys

import yaml

EXPECTED_KINDS = {
    "default": {"ServiceAccount", "ConfigMap", "Service", "Deployment"},
    "full": {"ServiceAccount", "ConfigMap", "Secret", "Service", "Deployment", "HorizontalPodAutoscaler",
             "PodDisruptionBudget", "ServiceMonitor", "PrometheusRule"},
    "existing-secret": {"ConfigMap", "Service", "Deployment", "PodDisruptionBudget"},
}
API_VERSIONS = {"Deployment": "apps/v1", "HorizontalPodAutoscaler": "autoscaling/v2",
                "PodDisruptionBudget": "policy/v1", "ServiceMonitor": "monitoring.coreos.com/v1",
                "PrometheusRule": "monitoring.coreos.com/v1"}

problems = []


def expect(condition, message):
    if not condition:
        problems.append(message)


def check_deployment(deployment, profile):
    pod = deployment["spec"]["template"]["spec"]
    pod_security = pod.get("securityContext", {})
    expect(pod_security.get("runAsNonRoot") is True, "pod securityContext.runAsNonRoot is not true")
    expect(pod_security.get("seccompProfile", {}).get("type") == "RuntimeDefault", "pod seccomp is not RuntimeDefault")
    containers = pod["containers"]
    expect(len(containers) == 1, f"expected one container, found {len(containers)}")
    container = containers[0]
    security = container.get("securityContext", {})
    expect(security.get("readOnlyRootFilesystem") is True, "container root filesystem is not read-only")
    expect(security.get("allowPrivilegeEscalation") is False, "container allows privilege escalation")
    expect(security.get("capabilities", {}).get("drop") == ["ALL"], "container does not drop ALL capabilities")
    for probe, path in (("livenessProbe", "/actuator/health/liveness"), ("readinessProbe", "/actuator/health/readiness"),
                        ("startupProbe", "/actuator/health/liveness")):
        expect(container.get(probe, {}).get("httpGet", {}).get("path") == path, f"{probe} does not GET {path}")
        expect(container.get(probe, {}).get("httpGet", {}).get("port") == "management",
               f"{probe} does not probe the management port")
    ports = {p["name"]: p["containerPort"] for p in container.get("ports", [])}
    expect(set(ports) == {"http", "management"} and ports["http"] != ports["management"],
           f"the container should have distinct http and management ports: {ports}")
    expect(container.get("resources", {}).get("requests"), "container has no resource requests")
    resources = container.get("resources", {})
    expect(resources.get("limits", {}).get("memory"), "container has no memory limit")
    expect(resources.get("requests", {}).get("memory") == resources.get("limits", {}).get("memory"),
           f"memory request differs from the limit, which a JVM's heap is sized from: {resources}")
    # The app shuts down gracefully within 10 s (spring.lifecycle.timeout-per-shutdown-phase) after the sleep.
    sleep = container.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command", [])
    expect(len(sleep) == 2 and sleep[0] == "sleep" and int(sleep[1]) > 0, f"no preStop sleep: {sleep}")
    if len(sleep) == 2:
        expect(pod.get("terminationGracePeriodSeconds", 30) > int(sleep[1]) + 10,
               "terminationGracePeriodSeconds leaves no time for the preStop sleep and the graceful shutdown")
    mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    expect("/tmp" in mounts and "emptyDir" in volumes.get(mounts.get("/tmp"), {}), "/tmp is not an emptyDir mount")
    env = {e["name"]: e for e in container.get("env", [])}
    redis_url = env.get("SPRING_DATA_REDIS_URL", {}).get("valueFrom", {}).get("secretKeyRef")
    if profile == "default":
        expect(deployment["spec"].get("replicas") == 1, "default profile should run one pod")
        expect(redis_url is None, "memory backend should not read a Redis URL")
    else:
        expect(redis_url is not None, "Redis URL does not come from a Secret")
        expect("R8LIMITER_ADMIN_TOKEN" in env and "secretKeyRef" in env["R8LIMITER_ADMIN_TOKEN"].get("valueFrom", {}),
               "admin token does not come from a Secret")
    if profile == "full":
        expect("replicas" not in deployment["spec"], "replicas must be left to the HPA when autoscaling is on")


def check_services(services, monitors):
    """Only the headless metrics Service lists the management port; the ServiceMonitor selects only that one."""
    for service in services:
        ports = {p["name"]: p.get("targetPort") for p in service["spec"]["ports"]}
        name = service["metadata"]["name"]
        if service["metadata"]["labels"].get("app.kubernetes.io/component") == "metrics":
            expect(ports == {"management": "management"} and service["spec"].get("clusterIP") == "None",
                   f"Service {name} should be headless with the management port only: {ports}")
        else:
            expect(ports == {"http": "http"}, f"Service {name} should publish the traffic port only: {ports}")
    for monitor in monitors:
        selector = monitor["spec"]["selector"]["matchLabels"]
        expect(selector.get("app.kubernetes.io/component") == "metrics",
               f"the ServiceMonitor would also select the traffic Service: {selector}")
        expect([e["port"] for e in monitor["spec"]["endpoints"]] == ["management"],
               "the ServiceMonitor does not scrape the management port")


def check_config(config_map, profile):
    app = yaml.safe_load(config_map["data"]["application.yaml"])
    management = app.get("management", {})
    expect(management.get("server", {}).get("port"), "application.yaml does not move the actuator to its own port")
    # Health, metrics and the token-guarded ratelimit endpoint; nothing that reveals configuration or state.
    exposed = management.get("endpoints", {}).get("web", {}).get("exposure", {}).get("include")
    expect(exposed == "health,prometheus,ratelimit",
           f"the management port should expose health, prometheus and ratelimit only: {exposed}")
    limiter = app.get("r8limiter", {})
    expect(limiter.get("backend") == ("memory" if profile == "default" else "redis"),
           f"unexpected backend {limiter.get('backend')} in application.yaml")
    policies = limiter.get("policies", {})
    expect("default" in policies, "application.yaml has no default policy")
    for name, policy in policies.items():
        for limit in policy.get("limits", []):
            expect({"capacity", "refill-tokens", "refill-period"} <= set(limit),
                   f"policy {name} has a limit without capacity, refill-tokens or refill-period: {limit}")


def main(path, profile, rules_out=None):
    with open(path) as f:
        docs = [d for d in yaml.safe_load_all(f) if d is not None]
    objects = {}
    for doc in docs:
        expect(isinstance(doc, dict) and doc.get("apiVersion") and doc.get("kind")
               and doc.get("metadata", {}).get("name"), f"not a Kubernetes object: {str(doc)[:120]}")
        objects.setdefault(doc["kind"], []).append(doc)
    expect(set(objects) == EXPECTED_KINDS[profile],
           f"kinds rendered {sorted(objects)} differ from expected {sorted(EXPECTED_KINDS[profile])}")
    for kind, api_version in API_VERSIONS.items():
        for obj in objects.get(kind, []):
            expect(obj["apiVersion"] == api_version, f"{kind} uses {obj['apiVersion']}, expected {api_version}")
    for deployment in objects.get("Deployment", []):
        check_deployment(deployment, profile)
    for hpa in objects.get("HorizontalPodAutoscaler", []):
        metrics = [m.get("resource", {}).get("name") for m in hpa["spec"].get("metrics", [])]
        expect(metrics == ["cpu"], f"the autoscaler should scale on CPU only, a JVM never shrinks its heap: {metrics}")
    check_services(objects.get("Service", []), objects.get("ServiceMonitor", []))
    for config_map in objects.get("ConfigMap", []):
        check_config(config_map, profile)
    if rules_out:
        rules = objects.get("PrometheusRule", [])
        expect(len(rules) == 1, "no PrometheusRule rendered")
        if rules:
            with open(rules_out, "w") as f:
                yaml.safe_dump(rules[0]["spec"], f, sort_keys=False)
    if problems:
        print(f"check_manifests: {path} ({profile}):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        sys.exit(1)
    print(f"check_manifests: {path} ({profile}): {len(docs)} objects, all checks passed")


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4) or sys.argv[2] not in EXPECTED_KINDS:
        sys.exit(__doc__)
    main(*sys.argv[1:])
