package io.r8limiter.system;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/** The decision services of one test, read together: their health, probes and gauges, one figure per app. */
final class Fleet {

    private final List<AppProcess> apps;
    private final Http http = Http.client();

    Fleet(List<AppProcess> apps) {
        this.apps = List.copyOf(apps);
    }

    /** One gauge of every app's Prometheus scrape. */
    Map<AppProcess, Long> gauge(ToLongFunction<Prometheus> gauge) {
        Map<AppProcess, Long> values = new HashMap<>();
        for (AppProcess app : apps) {
            values.put(app, gauge.applyAsLong(Prometheus.scrape(http, app)));
        }
        return values;
    }

    /** Polls each app's {@code /actuator/health} every 20 ms until it is {@code status}; ms since {@code since}. */
    Map<AppProcess, Long> awaitHealth(int status, long since) {
        Map<AppProcess, Long> waits = new HashMap<>();
        await().atMost(5, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20)).until(() -> {
            for (AppProcess app : apps) {
                if (!waits.containsKey(app)
                        && http.get(app.uri("/actuator/health")).status() == status) {
                    waits.put(app, (System.nanoTime() - since) / 1_000_000);
                }
            }
            return waits.size() == apps.size();
        });
        return waits;
    }

    /** Per app: overall health status, then the readiness and liveness probes' HTTP statuses. */
    Map<AppProcess, String> probes() {
        Map<AppProcess, String> probes = new HashMap<>();
        for (AppProcess app : apps) {
            String health =
                    http.get(app.uri("/actuator/health")).json().path("status").asString();
            int readiness = http.get(app.uri("/actuator/health/readiness")).status();
            int liveness = http.get(app.uri("/actuator/health/liveness")).status();
            probes.put(app, health + " " + readiness + " " + liveness);
        }
        return probes;
    }

    /** Waits up to 2 s for every app's busy request threads to fall to the scrape's own; the last counts seen. */
    Map<AppProcess, Long> awaitIdle() {
        Map<AppProcess, Long> busy;
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        do {
            busy = gauge(Prometheus::busyThreads);
        } while (max(busy) > 1 && System.nanoTime() < deadline);
        return busy;
    }

    static long max(Map<AppProcess, Long> perApp) {
        return perApp.values().stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    /** The largest growth of one app between two readings. */
    static long growth(Map<AppProcess, Long> before, Map<AppProcess, Long> after) {
        return before.keySet().stream()
                .mapToLong(app -> after.get(app) - before.get(app))
                .max()
                .orElse(0);
    }
}
