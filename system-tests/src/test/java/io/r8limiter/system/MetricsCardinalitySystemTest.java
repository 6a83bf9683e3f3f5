package io.r8limiter.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * C18 through the running service: 10,000 new users, each denied once, and 10,000 unknown resources add no time
 * series, no caller value becomes a label, and the offender lists stay bounded in entries and in bytes.
 */
class MetricsCardinalitySystemTest {

    static final int WAVE = 10_000;
    static final int FIRST_OFFENDERS = 100;
    /** Denials of each heavy offender: above the error bound of the offender summary (denials / 1,000 tracked keys). */
    static final int HEAVY_DENIALS = 60;

    static final String BEARER = "Bearer " + AppProcess.ADMIN_TOKEN;

    static final Set<String> OUTCOMES = Set.of("allowed", "denied", "degraded");
    static final Set<String> BOOLEANS = Set.of("true", "false");

    private static AppProcess app;
    private static final Http http = Http.client();
    private static Http.Reply fewOffenders;
    private static Http.Reply manyOffenders;

    /**
     * The first wave: 3 heavy offenders, then 10,000 users each denied once (offender lists read after the first
     * 100 and after all), then 10,000 unknown resources.
     */
    @BeforeAll
    static void firstWave() throws Exception {
        app = SharedApp.memory();
        send(3, i -> Query.allow(user("card-heavy-", i), "card"), 1 + HEAVY_DENIALS);
        send(FIRST_OFFENDERS, i -> Query.allow(user("card-user-", i), "card"), 2);
        fewOffenders = http.get(app.uri("/admin/stats?limit=50"), BEARER);
        send(WAVE - FIRST_OFFENDERS, i -> Query.allow(user("card-user-", FIRST_OFFENDERS + i), "card"), 2);
        manyOffenders = http.get(app.uri("/admin/stats?limit=50"), BEARER);
        send(WAVE, i -> Query.allow("card-res-user", "card-resource-" + i), 1);
    }

    @Test
    void newUsersAndUnknownResources_addNoSeries_andNoCallerValueBecomesALabel() throws Exception {
        // The first scrape adds the scrape endpoint's own timer series; only the second is the baseline.
        Prometheus.scrape(http, app);
        Prometheus before = Prometheus.scrape(http, app);

        send(WAVE, i -> Query.allow(user("card-second-", i), "card"), 2);
        Prometheus after = Prometheus.scrape(http, app);

        assertThat(decisions(before, "card", "denied")).isGreaterThanOrEqualTo(WAVE);
        assertThat(decisions(before, "default", "allowed")).isGreaterThanOrEqualTo(WAVE);
        assertThat(decisions(after, "card", "denied") - decisions(before, "card", "denied"))
                .isGreaterThanOrEqualTo(WAVE);
        assertThat(after.seriesIds("r8limiter_")).isEqualTo(before.seriesIds("r8limiter_"));
        assertThat(after.seriesIds("http_server_requests")).isEqualTo(before.seriesIds("http_server_requests"));
        assertThat(withoutGc(after)).hasSameSizeAs(withoutGc(before));
        assertThat(after.series("")).noneMatch(s -> s.contains("card-"));
        assertThat(after.series("r8limiter_")).allSatisfy(MetricsCardinalitySystemTest::assertClosedLabels);
        System.out.printf(
                "cardinality: %d series in all, %d r8limiter series, before and after %d new users%n",
                after.series("").size(), after.series("r8limiter_").size(), WAVE);
    }

    @Test
    void offenderLists_stayCapped_andDoNotGrowWithTheNumberOfOffenders() {
        Http.Reply actuator = http.get(app.uri("/actuator/ratelimit?offenders=5000"), BEARER);

        assertThat(offenders(fewOffenders)).hasSize(50);
        assertThat(offenders(manyOffenders)).hasSize(50);
        // the shared app also holds other classes' offenders (hostile ids with many denials): rank within "card"
        List<JsonNode> card = offenders(manyOffenders).stream()
                .filter(o -> o.path("policy").asString().equals("card"))
                .toList();
        assertThat(card.subList(0, 3))
                .extracting(o -> o.path("user_id").asString())
                .allMatch(id -> id.startsWith("card-heavy-"));
        assertThat(card.get(0).path("denied").asLong()).isGreaterThanOrEqualTo(HEAVY_DENIALS);
        // Ids have one length, so only the digits of the counts, and for estimated counts "exact":false with a
        // "max_overcount" of a few digits, may change the size of each of the 50 entries.
        int perEntry = 4 + 1 + ",\"max_overcount\":".length() + 6;
        assertThat(manyOffenders.body().length())
                .isLessThanOrEqualTo(fewOffenders.body().length() + 50 * perEntry);
        assertThat(actuator.status()).isEqualTo(200);
        assertThat(actuator.json().path("offenders").size()).isBetween(51, 1_000);
        System.out.printf(
                "offenders: /admin/stats?limit=50 %d bytes after %d offenders, %d bytes after %d;"
                        + " /actuator/ratelimit?offenders=5000 lists %d in %d bytes%n",
                fewOffenders.body().length(),
                FIRST_OFFENDERS + 3,
                manyOffenders.body().length(),
                WAVE + 3,
                actuator.json().path("offenders").size(),
                actuator.body().length());
    }

    /** Every label of a limiter series takes its value from a closed set; a policy label never holds caller text. */
    private static void assertClosedLabels(String series) {
        for (Map.Entry<String, String> label : Prometheus.labels(series).entrySet()) {
            String value = label.getValue();
            switch (label.getKey()) {
                case "outcome" -> assertThat(value).as(series).isIn(OUTCOMES);
                case "degraded", "shadow" -> assertThat(value).as(series).isIn(BOOLEANS);
                case "backend" -> assertThat(value).as(series).isIn("memory", "redis");
                case "state" -> assertThat(value).as(series).isIn("closed", "open", "half_open");
                case "policy" -> assertThat(value).as(series).doesNotStartWith("card-");
                case "le", "quantile" -> assertThat(value).as(series).matches("[0-9.E+-]+|\\+Inf");
                default -> throw new AssertionError("unexpected label " + label + " in " + series);
            }
        }
    }

    /** The decisions counted under one policy and outcome, degraded or not. */
    private static double decisions(Prometheus scrape, String policy, String outcome) {
        return scrape.sum("r8limiter_decisions_total", "policy=\"" + policy + "\"", "outcome=\"" + outcome + "\"");
    }

    /** Every series but the collector's, whose cause labels appear when a kind of collection first happens. */
    private static List<String> withoutGc(Prometheus scrape) {
        return scrape.series("").stream().filter(s -> !s.startsWith("jvm_gc")).toList();
    }

    private static List<JsonNode> offenders(Http.Reply stats) {
        assertThat(stats.status()).as(stats.body()).isEqualTo(200);
        List<JsonNode> list = new ArrayList<>();
        stats.json().path("top_offenders").forEach(list::add);
        return list;
    }

    /** A user id of fixed length, so that offender lists can be compared by size. */
    private static String user(String prefix, int i) {
        return prefix + String.format("%05d", i);
    }

    /** Sends {@code perTarget} decisions for each of {@code count} targets from four threads. */
    private static void send(int count, IntFunction<String> target, int perTarget) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> parts = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int offset = t;
            parts.add(pool.submit(() -> {
                Http client = Http.client();
                for (int i = offset; i < count; i += 4) {
                    for (int n = 0; n < perTarget; n++) {
                        assertThat(client.post(app.uri(target.apply(i))).status())
                                .isEqualTo(200);
                    }
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
