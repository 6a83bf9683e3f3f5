package io.r8limiter.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * C18 through the running service: 10,000 new users and 10,000 unknown resources add no time series, no caller value
 * becomes a label, and the offender list stays bounded.
 */
class MetricsCardinalitySystemTest {

    static final int WAVE = 10_000;
    static final String BEARER = "Bearer " + AppProcess.ADMIN_TOKEN;

    private static AppProcess app;
    private static final Http http = Http.client();

    @BeforeAll
    static void startApp() {
        app = SharedApp.memory();
    }

    @Test
    void newUsersAndUnknownResources_addNoSeries_andNoCallerValueBecomesALabel() throws Exception {
        send(WAVE, i -> Query.allow("card-user-" + i, "card"));
        send(WAVE, i -> Query.allow("card-res-user", "card-resource-" + i));
        int offendersBefore = offenders();
        // The first scrape adds the scrape endpoint's own timer series; only the second is the baseline.
        Prometheus.scrape(http, app);
        Prometheus before = Prometheus.scrape(http, app);

        send(WAVE, i -> Query.allow("card-second-" + i, "card"));
        Prometheus after = Prometheus.scrape(http, app);

        assertThat(after.series("r8limiter_")).hasSameSizeAs(before.series("r8limiter_"));
        assertThat(after.series("http_server_requests")).hasSameSizeAs(before.series("http_server_requests"));
        assertThat(withoutGc(after)).hasSameSizeAs(withoutGc(before));
        assertThat(after.series("")).noneMatch(s -> s.contains("card-"));
        assertThat(offendersBefore).isLessThanOrEqualTo(50);
        assertThat(offenders()).isLessThanOrEqualTo(50);
        System.out.printf(
                "cardinality: %d series in all, %d r8limiter series, before and after %d new users%n",
                after.series("").size(), after.series("r8limiter_").size(), WAVE);
    }

    /** Every series but the collector's, whose cause labels appear when a kind of collection first happens. */
    private static List<String> withoutGc(Prometheus scrape) {
        return scrape.series("").stream().filter(s -> !s.startsWith("jvm_gc")).toList();
    }

    private static int offenders() {
        JsonNode stats = http.get(app.uri("/admin/stats?limit=50"), BEARER).json();
        return stats.path("top_offenders").size();
    }

    /** Sends {@code count} decisions from four threads. */
    private static void send(int count, IntFunction<String> target) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> parts = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int offset = t;
            parts.add(pool.submit(() -> {
                Http client = Http.client();
                for (int i = offset; i < count; i += 4) {
                    assertThat(client.post(app.uri(target.apply(i))).status()).isEqualTo(200);
                }
                return null;
            }));
        }
        for (Future<?> part : parts) {
            part.get();
        }
        pool.shutdown();
    }
}
